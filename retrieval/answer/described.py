"""A question that describes someone instead of naming them ("who plays the serbian drug lord"):
the character the best passages name closest to the description's telling words, whose actor is
then looked up as if the question had named them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from retrieval.answer.analyse import Analysis
from retrieval.answer.reading import NAME_WINDOW
from retrieval.answer.retrieve import Ranking
from retrieval.answer.verify import Anchor
from retrieval.knowledge.graph import Knowledge
from retrieval.passage import Passage
from retrieval.text import fold, stem

DESCRIPTION_DEPTH = 6  # passages searched for the character a description fits


def described_character(ranking: Ranking, analysis: Analysis, q: str, all_anchors: Iterable[Anchor],
                        passages: Sequence[Passage], knowledge: Knowledge
                        ) -> tuple[int, int] | None:
    """(character, passage): the character named closest to the question's own words in
    the best passages, for a question that describes someone instead of naming them
    (`all_anchors`: the question's words an answer must be near, answer/verify.py)."""
    named = {e for e, _ in analysis.mentions}
    anchors = [a for a in all_anchors if a.entity is None]
    # the description's telling words ("gun" in "the guy ann gets the gun from"), not
    # its everyday ones ("gets"), say where its character is named
    top = max((a.weight for a in anchors), default=0.0)
    wanted: set[str] = set().union(*(a.stems for a in anchors if a.weight >= 0.7 * top))
    best: tuple[int, int, int] | None = None  # (distance, character, passage)
    for pid in ranking.order[:DESCRIPTION_DEPTH]:
        tokens = re.findall(r"[\w’'-]+", passages[pid].text)
        hits = [i for i, w in enumerate(tokens) if stem(fold(w)) in wanted]
        for i, w in enumerate(tokens):
            if not w[:1].isupper():
                continue
            key = " ".join(re.findall(r"[a-z0-9]+", fold(w)))
            by_alias = knowledge.by_alias
            for e in by_alias.get(key) or by_alias.get(key[:-1] if key.endswith("s") else "", ()):
                if knowledge.entity(e).kind != "character" or e in named or not hits:
                    continue
                distance = min(abs(i - h) for h in hits)
                if distance <= NAME_WINDOW + 2 and (best is None or distance < best[0]):
                    best = (distance, e, pid)
        if best is not None:
            return best[1], best[2]
    return None
