"""Whom "he" and "she" can mean: each character's and person's gender, as the documents show it.

Generic evidence only, read once from the knowledge graph and the passages:
- a relation the documents state about someone ("Xs estranged father" makes the father a man,
  "the mother of Xs child" a woman);
- gendered nouns describing a character in its cast line ("a prostitute and the mother of…");
- the pronoun that follows a sentence about one named character ("Sam watches and reveals that
  he…", "Ann … She refuses").
An actor takes the gender of the role they play. Unknown stays unknown: a pronoun may then
mean that entity whatever its gender.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from retrieval.knowledge.graph import Knowledge, alias_keys
from retrieval.passage import Passage
from retrieval.text import fold

MALE, FEMALE = "m", "f"

# Relation tokens (retrieval/knowledge/lexicon.py's canonical forms) that say a gender.
_RELATION_GENDER = {
    "father": MALE, "son": MALE, "brother": MALE, "uncle": MALE, "nephew": MALE,
    "grandfather": MALE, "mother": FEMALE, "daughter": FEMALE, "sister": FEMALE,
    "aunt": FEMALE, "niece": FEMALE, "grandmother": FEMALE,
}
# English nouns that say a gender, as they describe someone ("a prostitute and the mother").
_NOUN_GENDER = {
    **{w: MALE for w in "man boy father dad son brother husband boyfriend uncle nephew king "
                        "gentleman grandfather stepfather fiance groom widower".split()},
    **{w: FEMALE for w in "woman girl mother mom mum daughter sister wife girlfriend aunt "
                          "niece queen lady grandmother stepmother fiancee bride widow "
                          "actress waitress".split()},
}
_PRONOUN_GENDER = {"he": MALE, "him": MALE, "his": MALE, "himself": MALE,
                   "she": FEMALE, "her": FEMALE, "hers": FEMALE, "herself": FEMALE}
_WORD = re.compile(r"[\w’'-]+")
_CAP_RUN = re.compile(r"[A-ZÀ-ÖØ-Þ][\w’'-]*(?: [A-ZÀ-ÖØ-Þ][\w’'-]*)*")
RELATION_WEIGHT = 3  # a stated relation outweighs a few pronouns


def genders(knowledge: Knowledge, passages: Sequence[Passage]) -> dict[int, str]:
    """Entity id → MALE or FEMALE where the documents' evidence leans one way."""
    votes: dict[int, Counter[str]] = {}

    def vote(entity: int, gender: str | None, weight: int = 1) -> None:
        if gender is not None:
            votes.setdefault(entity, Counter())[gender] += weight

    for link in knowledge.links:
        if link.relation.startswith("rel:"):
            tokens = link.relation[4:].split("+")
            if len(tokens) == 1 or tokens[0] == "ex":  # "mother+child" is the mother herself
                vote(link.object, _RELATION_GENDER.get(tokens[-1]), RELATION_WEIGHT)
            elif tokens[0] in _RELATION_GENDER:
                vote(link.object, _RELATION_GENDER[tokens[0]], RELATION_WEIGHT)
        elif link.relation == "played_by" and link.rank == 0:
            # The cast line: its description's nouns describe the character.
            text = passages[link.passage].text if link.passage < len(passages) else ""
            desc = text.split(":", 1)[1] if ":" in text else ""
            for w in _WORD.findall(fold(desc))[:8]:
                vote(link.subject, _NOUN_GENDER.get(w.removeprefix("ex-")), RELATION_WEIGHT)
    for p in passages:
        if p.kind == "infobox":
            continue
        sentences = [p.text[a:b] for a, b in p.sentences] or [p.text]
        for i, sentence in enumerate(sentences):
            named = _characters_named(sentence, knowledge)
            if not named:
                continue
            # The first personal pronoun after the first name, before any other name is
            # written, in this sentence or (when it names no one else) the next one.
            (entity, (_start, end)), *others = sorted(named.items(), key=lambda x: x[1])
            stop = min((span[0] for _, span in others), default=len(sentence))
            rest = sentence[end:stop]
            if not others and i + 1 < len(sentences):
                rest += " " + sentences[i + 1][:60]
            for w in _WORD.findall(rest.lower()):
                if w in _PRONOUN_GENDER:
                    vote(entity, _PRONOUN_GENDER[w])
                    break
    out: dict[int, str] = {}
    for entity, counts in votes.items():
        ranked = [*counts.most_common(2), ("", 0)]
        if ranked[0][1] > ranked[1][1]:
            out[entity] = ranked[0][0]
    # An actor is whatever the role they play is.
    for link in knowledge.links:
        if link.relation == "played_by" and link.subject in out and link.object not in out:
            out[link.object] = out[link.subject]
    return out


def _characters_named(sentence: str, knowledge: Knowledge) -> dict[int, tuple[int, int]]:
    """Characters a sentence names → the span of their first mention."""
    found: dict[int, tuple[int, int]] = {}
    for m in _CAP_RUN.finditer(sentence):
        for key in alias_keys(m.group(0)):
            ids = knowledge.by_alias.get(key) or knowledge.by_alias.get(
                key[:-1] if key.endswith("s") else "", ())
            for e in ids:
                if knowledge.entity(e).kind == "character":
                    found.setdefault(e, m.span())
            if ids:
                break
    return found
