"""Refine a question's analysis with what the passages themselves say.

The analysis reads the question against the knowledge graph alone; two of its readings need
the text the graph's links were read from: which of several relatives a link names ("the
boss's *little* son"), and where the documents write someone by another name ("whats x called
in danish"). Both run once per question, after `analyse`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from retrieval.answer.analyse import Analysis
from retrieval.knowledge.graph import Knowledge
from retrieval.knowledge.lexicon import picks_same_relative, relation_grain, relation_modifiers
from retrieval.passage import Passage
from retrieval.text import fold

# "full name", "nickname", "called in danish", "what do they call him": another of a name
_OTHER_NAME = re.compile(r"\b(?:full|real|whole|other|nick|danish|english|original)\s?names?\b"
                         r"|\bnicknames?\b|\bcalled in \w+|\bwhat (?:do|does|did) (?:they|people|ppl|"
                         r"he|she|u|you|we|reviewers|the reviews) call\b|\baka\b"
                         # "what name is the boss listed under in the cast", "credited as"
                         r"|\b(?:listed|credited|billed) (?:under|as)\b")


def picked_relative(q: str, analysis: Analysis, passages: Sequence[Passage]) -> Analysis:
    """"who plays the boss's little son": when the question picks one relative and the graph's
    link for the relation does not say it is that one, the documents do not name him (the
    link found is the other son)."""
    if not analysis.evidence or analysis.answer_type not in ("person", "name"):
        return analysis
    related = [h for h in analysis.hops if h.relation not in ("played by", "alias")
               and not h.relation.startswith("field:")]
    followed = frozenset(relation_grain(w) for h in related for w in h.relation.split())
    groups = relation_modifiers(fold(q), followed)
    if not groups:
        return analysis
    texts = [fold(passages[h.passage].text[h.start:h.end]) for h in related]
    if not texts or any(picks_same_relative(t, groups) for t in texts):
        return analysis
    return replace(analysis, unresolved=True, evidence=(),
                   notes=(*analysis.notes, "the link found does not say it is the "
                          f"{' '.join(sorted(groups))} one the question asks for"))


def other_name(q: str, analysis: Analysis, knowledge: Knowledge, passages: Sequence[Passage],
               holders: Callable[[str], Iterable[int]]) -> Analysis:
    """"whats jon the knife called in danish", "ann holm full name?": the passage that
    writes the asked one by a name the question does not use (for a full name, a longer one)
    is the graph's evidence, and states the answer itself. `holders(name)`: the passages that
    may hold a name (those sharing a word with it), so that not every passage is read."""
    folded = fold(q)
    asked = _OTHER_NAME.search(folded)
    # "jons dads nickname": the relative's, not jon's
    pool = analysis.targets if analysis.relation else analysis.entities
    people = [e for e in pool if knowledge.entity(e).kind in ("person", "character")]
    if not asked or len(people) != 1 or (analysis.relation and not analysis.hops):
        return analysis
    typed = set(re.findall(r"[a-z0-9]+", folded))
    said = max((len(text.split()) for e, text in analysis.mentions if e == people[0]), default=0)
    longer = asked.group(0).split()[0] in ("full", "whole")
    others = [a for a in knowledge.entity(people[0]).aliases
              if not set(re.findall(r"[a-z0-9]+", fold(a))) <= typed
              and (not longer or len(a.split()) > said)]
    for alias in sorted(others, key=len, reverse=True):
        pattern = re.compile(rf"(?<!\w){re.escape(fold(alias))}(?!\w)")
        # the most explicit source first, as the graph ranks links: the cast list, the
        # infobox, the article, then the reviews
        pid = min((i for i in holders(alias) if pattern.search(fold(passages[i].text))),
                  key=lambda i: _source_rank(passages[i]), default=None)
        if pid is not None:
            return replace(analysis, evidence=(pid, *analysis.evidence), answer_type="name",
                           stated=True,
                           notes=(*analysis.notes, f"another name asked for: {alias}"))
    return analysis


def _source_rank(p: Passage) -> tuple[int, int]:
    return ({"cast": 0, "infobox": 1}.get(p.kind, 2 if p.source == "wiki" else 3), p.id)
