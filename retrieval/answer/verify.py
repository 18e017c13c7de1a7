"""Verify a ranked answer before it is given: confidence, and abstention for a stated reason.

The bot answers only when the chosen quote holds something of the expected type (a year for
"when", an amount for "how much", a name for "who") about what was asked, when the question's
subject is known to the documents, and when an infobox field it asks for is not one the
article leaves blank. Otherwise it says it could not find that, and `--explain` says why.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from retrieval.answer.analyse import Analysis
from retrieval.answer.types import CHECKABLE, holds_type
from retrieval.knowledge.lexicon import relation_matches
from retrieval.text import fold

MISSING_WORD_PENALTY = 0.3
LEXICAL_EVIDENCE = 0.45
RESOLVED_CONFIDENCE = 0.6  # a quote read through the knowledge graph is as good as a close match
TYPED_CONFIDENCE = 0.45  # a quote holding the asked kind of answer beside the question's words
# Answer types a quote either plainly holds or not: a year, a date.
_DATED = frozenset({"year", "date"})
ANCHOR_SHARE = 0.5  # share (by rarity) of the question's anchor terms a typed quote must hold
PASSAGE_ANCHOR_SHARE = 0.67  # the same, when only the quote's whole passage holds them
FOREIGN_SHARE = 0.2  # below this share of its words, with none of its names, a passage is off
BEYOND_SHARE = 0.65  # a quote holding this much of the question, and
BEYOND_MARGIN = 0.3  # this much more of it than a cast line does, asks more than who someone is


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether to answer, how sure, which candidate goes first, and why."""

    answered: bool
    confidence: float
    first: int  # position in the shown results of the quote that answers
    reason: str


@dataclass(frozen=True, slots=True)
class Anchor:
    """A question word an answer must be near: its corpus stems, rarity, and the entity it
    names (then any name of that entity holds it)."""

    stems: frozenset[str]
    weight: float
    entity: int | None
    name_like: bool  # a name, or a word the corpus never uses: what a subject is made of
    proper: bool = False  # a name the corpus knows, or another film of the series ("part 3")
    foreign: bool = False  # a word no passage uses
    counted: bool = False  # what a number is asked of ("how many dvds", "the metacritic score")


@dataclass(frozen=True, slots=True)
class Candidate:
    """What verification reads of one shown result."""

    passage: int
    quote: str
    share: float  # share (by rarity) of the question's anchors the quote holds
    passage_share: float  # the same over the whole passage and its context
    name_share: float  # share (by count) of the name-like anchors the passage holds
    is_evidence: bool
    field_stated: bool  # the quote states the asked infobox field (its words, or the film)
    new_name: bool = True  # the quote names someone the question does not (a "who" answer)
    near_name: bool = True  # a name stands beside the question's words ("his cell-mate, X")
    proper_share: float = 1.0  # share (by count) of the question's names the passage holds
    states_relation: bool = False  # the asked relation's own words beside a name ("marry… Ann")
    kind_stated: bool = True  # "what kind of gun": not only "a gun" (see Analysis.kind_of)
    names_place: bool = True  # "what street": a proper name that is nobody's is in the quote
    dated_part: bool = True  # "when did part 3 come out": a year in a sentence naming part 3
    counts: bool = True  # "how many cars": a number beside the cars, not any number
    listing: bool = False  # a cast list's line: who someone is, never what they do
    states_job: bool = True  # a cast line's description says more than relations ("Ann's sister")
    # the quote holds the question's rare word, when a place is asked of it ("bus" of "where
    # does the bus go"), not only its passage
    holds_key: bool = True


def semantic_confidence(best_sentence_cos: float, missing_share: float, covered: float) -> float:
    """Meaning similarity less a share for words the corpus never uses, or, for terse name
    queries MiniLM cannot place, how much of the question (by rarity) the top passage holds."""
    semantic = best_sentence_cos - MISSING_WORD_PENALTY * missing_share
    return max(0.0, semantic, LEXICAL_EVIDENCE * covered)


def anchor_share(terms: frozenset[str], anchors: list[Anchor], mentioned: Callable[[int], bool],
                 *, names_only: bool = False, proper_only: bool = False) -> float:
    """Share, by weight, of the anchors a text holds (1.0 when there are none); with
    `names_only` (`proper_only`), the share by count of the name-like (proper) anchors."""
    chosen = [a for a in anchors if (a.proper if proper_only else a.name_like or not names_only)]
    names_only = names_only or proper_only
    weight = (lambda a: 1.0) if names_only else (lambda a: a.weight)
    total = sum(weight(a) for a in chosen)
    if not total:
        return 1.0
    held = sum(weight(a) for a in chosen
               if a.stems & terms or (a.entity is not None and mentioned(a.entity)))
    return held / total


def _off(c: Candidate, has_names: bool) -> bool:
    """A passage that holds none of the question's names and next to none of its words."""
    return (not c.is_evidence and (c.name_share == 0.0 or not has_names)
            and c.passage_share < FOREIGN_SHARE)


def _beyond_listing(candidates: Sequence[Candidate], first: int, pool: Iterable[int], *,
                    same_names: bool = False) -> list[int]:
    """When the first candidate is a cast line, the others of `pool` (in order) that are none
    and hold clearly more of the question (with as many of its names, by `same_names`)."""
    line = candidates[first]
    if not line.listing:
        return []
    return [i for i in pool if not candidates[i].listing
            and candidates[i].share >= max(BEYOND_SHARE, line.share + BEYOND_MARGIN)
            and (not same_names or candidates[i].name_share >= line.name_share)]


def verify(analysis: Analysis, candidates: list[Candidate], base: float, *,
           blank_field: bool, names: Callable[[str], bool], threshold: float,
           anchors: Sequence[Anchor] = (), asks_when: bool = False) -> Verdict:
    """Decide whether the candidates answer the analysed question (`anchors`: its words an
    answer must be near; `asks_when`: the question opens by asking when, or what year)."""
    foreign = any(a.foreign for a in anchors)
    has_names = any(a.name_like for a in anchors)
    asks_more = any(not a.name_like for a in anchors)  # words besides whom it names
    if not candidates:
        return Verdict(False, 0.0, 0, "no passage matched")
    confidence = base
    if analysis.terse and not (analysis.entities or analysis.fields):
        return Verdict(False, min(confidence, threshold * 0.5), 0,
                       "too short to be a question about the documents (no known name or "
                       "field in it)")
    if analysis.no_part:
        return Verdict(False, min(confidence, threshold - 0.01), 0,
                       f"the documents name no part that {analysis.no_part} plays")
    if analysis.unresolved and analysis.answer_type in ("person", "name"):
        return Verdict(False, min(confidence, threshold - 0.01), 0,
                       "the documents name no one in that relation")
    named = [c.proper_share >= 1.0 for c in candidates]
    kind = analysis.answer_type
    # Typed, any shown passage that names the other part may answer; untyped, only the
    # closest is judged: a lower one that names it is seldom about what was asked of it.
    judged = named if kind in CHECKABLE else named[:1]
    first = 0
    if analysis.other_film and not any(judged):
        # …unless a lower one names it and holds every word asked ("is x in part 3?": the
        # review that speaks of "the third… flick, given x's absence").
        # A yes/no question only: "how does part 3 end" wants more than a mention of both.
        parts = [frozenset(stems) for _, stems in analysis.other_parts]
        if kind == "yesno" and any(a.stems not in parts for a in anchors):
            first = next((i for i, c in enumerate(candidates) if named[i] and c.share >= 1.0), 0)
    if analysis.other_film and not any(judged) and not first:
        return Verdict(False, min(confidence, threshold - 0.01), 0,
                       "the question is about another film of the series, which the closest "
                       f"passage{'s do' if len(judged) > 1 else ' does'} not name")
    if kind in ("number", "amount") and any(a.foreign and a.counted for a in anchors):
        # "how many dvds", "the metacritic score": what the number is of is a word no
        # passage uses, so no passage counts it
        return Verdict(False, min(confidence, threshold - 0.01), 0,
                       "the question counts something the documents never mention")
    if kind in CHECKABLE:
        fits = [i for i, c in enumerate(candidates)
                if named[i] and holds_type(c.quote, kind, names)
                and (kind != "person" or c.new_name or c.is_evidence)
                # the field's line, or a line the graph read the answer from
                and (c.near_name or c.is_evidence and (analysis.by_field or analysis.stated))
                and c.names_place and c.dated_part and c.counts
                and (not analysis.role or analysis.role in fold(c.quote).replace("-", " "))
                and (c.field_stated or not analysis.fields or c.is_evidence and not blank_field)
                and ((c.share >= ANCHOR_SHARE
                      # held by the passage around the quote only, the rare word the place
                      # is asked of must be in the quote
                      or c.passage_share >= PASSAGE_ANCHOR_SHARE and c.holds_key)
                     and c.name_share >= ANCHOR_SHARE
                     # the asked field's own line: "behind the camera" need not be in it
                     or c.is_evidence and c.field_stated and c.name_share >= 1.0
                     and analysis.typed_by_words and not foreign
                     or c.is_evidence and (analysis.described or analysis.stated
                                           or (c.passage_share >= 0.99 if analysis.by_field
                                               else c.name_share >= 1.0)))]
        if not fits:
            why = (f"the article leaves the {analysis.fields[0]} blank and no passage states it"
                   if blank_field and analysis.fields else
                   "no candidate quote names the place or work asked for (a proper noun that is "
                   "nobody's)" if not any(c.names_place for c in candidates) else
                   f"no candidate quote names the {analysis.role}" if analysis.role else
                   # an unresolved relation ("who plays the cellmate"): no one named beside it
                   "no candidate quote names anyone beside the words for the "
                   f"{' '.join(analysis.relation)}"
                   if kind == "person" and analysis.relation and not analysis.evidence else
                   "no candidate quote says whether the person asked about lives"
                   if kind == "life" else
                   "the documents tell no one how to do things (the question asks for "
                   "instructions)" if kind == "howto" else
                   "no candidate quote puts a number beside what is counted"
                   if kind == "number" and not any(c.counts for c in candidates) else
                   # "what year did x die": the quotes holding a year name no one asked about
                   f"no quote that holds a {kind} names whom or what was asked"
                   if kind in _DATED and asks_when and any(a.proper for a in anchors) and not any(
                       c.name_share > 0 and holds_type(c.quote, kind, names)
                       for c in candidates) else
                   f"no candidate quote holds a {kind} about what was asked")
            return Verdict(False, min(confidence, threshold - 0.01), 0, why)
        # The graph's own evidence goes first when it fits, the last hop's before the rest:
        # it states the answer outright.
        order = {p: n for n, p in enumerate(analysis.evidence)}
        # …unless the graph only came near the asked relation ("who does x marry": x's
        # girlfriend) and a quote states the relation itself beside a name.
        linked = [tuple(h.relation.split()) for h in analysis.hops]
        loose = bool(analysis.relation) and not (
            any(relation_matches(analysis.relation, t) >= 0.9 for t in linked)
            or {w for t in linked for w in t} >= set(analysis.relation) - {"ex"})  # a chain
        first = min(fits, key=lambda i: (not (loose and candidates[i].states_relation),
                                         order.get(candidates[i].passage, len(order)), i))
        # The graph resolved whom the question names ("his buddy"), but the question asks
        # something of them its line does not hold ("who is his buddy marrying"): a quote
        # holding the rest of the question's words answers that.
        if (candidates[first].is_evidence and asks_more
                and not (analysis.wants_actor or analysis.fields or analysis.described
                         or analysis.clause)):
            beyond = _beyond_listing(candidates, first, fits)
            first = min(beyond, default=first, key=lambda i: (-candidates[i].share, i))
        if candidates[first].share >= ANCHOR_SHARE:
            confidence = max(confidence, TYPED_CONFIDENCE)
    elif blank_field:
        return Verdict(False, min(confidence, threshold - 0.01), 0,
                       f"the article leaves the {analysis.fields[0]} blank")
    elif kind == "gist" and not (analysis.evidence or analysis.reviews):
        # what something else is about ("what is grey harbour about"): a quote that says what
        # it follows, or is about; a mention of it says nothing of that
        told = [i for i, c in enumerate(candidates)
                if holds_type(c.quote, kind) and c.share >= ANCHOR_SHARE and named[i]]
        if not told:
            return Verdict(False, min(confidence, threshold - 0.01), 0,
                           "no candidate quote says what it is about")
        first = told[0]
    elif kind == "title":
        # "what film did she compare it to": the closest quote that writes another film's
        # title, of the passages as much about the question as the closest one
        first = next((i for i, c in enumerate(candidates)
                      if holds_type(c.quote, kind, names)
                      and c.name_share >= candidates[0].name_share
                      and c.passage_share >= min(candidates[0].passage_share,
                                                 PASSAGE_ANCHOR_SHARE)), 0)
    elif (analysis.by_field and not analysis.other_film) or (kind == "gist" and analysis.evidence):
        # the line of the field asked for ("the subtitle": the lead) states it outright, as the
        # article's own summing up does for "what's it about"
        first = next((i for i, c in enumerate(candidates) if c.is_evidence), 0)
    if kind not in CHECKABLE and _off(candidates[first], has_names):
        # Nothing the question names, and next to none of its words, is in the passage: its
        # subject ("awards", "netflix") is foreign to the documents, however close the meaning…
        # unless a lower shown passage holds most of them ("dedicated to anyone": the review
        # that opens "Dedicated to…", below an infobox line the meaning put first).
        first = next((i for i, c in enumerate(candidates)
                      if not _off(c, has_names) and c.passage_share >= PASSAGE_ANCHOR_SHARE
                      and (c.name_share > 0.0 or not has_names)
                      # the reviews a question names are where its answer is, if anywhere
                      and (not analysis.reviews or c.passage in analysis.reviews)), first)
    if kind not in CHECKABLE and _off(candidates[first], has_names):
        return Verdict(False, min(confidence, threshold - 0.01), first,
                       "the closest passage holds none of the names and few of the words "
                       "the question is about")
    if kind not in CHECKABLE and kind != "yesno" and asks_more:
        # A cast line says who someone is (whether they are a y, too); a question asking more
        # of them ("what is x trying to get") is answered by a passage that holds more of its
        # words, and their names.
        first = next(iter(_beyond_listing(candidates, first, range(len(candidates)),
                                          same_names=True)), first)
    if kind == "works" and not candidates[first].names_place:
        # "what else has she been in": a cast line names her part in this film, not another
        return Verdict(False, min(confidence, threshold - 0.01), first,
                       "no candidate quote names another work (a title that is nobody's name)")
    if analysis.kind_of and not candidates[first].kind_stated:
        return Verdict(False, min(confidence, threshold - 0.01), first,
                       f"the closest passage speaks of a {analysis.kind_of} but not of its kind")
    if (analysis.asks_job and candidates[first].listing and not candidates[first].is_evidence
            and not candidates[first].states_job):
        # "what does x do for a living": a cast line that only says whose girlfriend x is
        # says no job
        return Verdict(False, min(confidence, threshold - 0.01), first,
                       "the cast line says whom the character is related to, not a job")
    if analysis.real_life and candidates[first].listing:
        # "what does x do in real life": a cast line says whom x plays, not who x is
        line = candidates[first]
        first = next((i for i, c in enumerate(candidates) if not c.listing
                      and c.name_share >= line.name_share > 0.0), -1)
        if first < 0:
            return Verdict(False, min(confidence, threshold - 0.01), 0,
                           "the cast list says whom the actor plays, not who they are in real life")
    resolved = candidates[first].is_evidence and bool(analysis.evidence)
    if resolved:
        confidence = max(confidence, RESOLVED_CONFIDENCE)
    answered = confidence >= threshold
    reason = ("answered through the knowledge graph" if resolved else
              "answered: the quote matches the question" if answered else
              "the closest passages are not close enough")
    return Verdict(answered, max(0.0, confidence), first, reason)
