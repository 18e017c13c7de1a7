"""Verify: weigh the quotes an answer would show, and decide whether it answers.

Each shown quote is read into a `Candidate` (what it names, holds and states, against the
question's anchors and the knowledge graph); the rules of `verify.py` decide on them; then
the refusals no single quote shows (a title no passage writes, a work the documents only
mention, what happens after the story, someone asked for by words no passage uses), and
last the fitted calibration (calibrate.py) weighs the rules' decision again.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

import numpy as np

from retrieval.answer.aftermath import Aftermath
from retrieval.answer.analyse import Analysis
from retrieval.answer.calibrate import Calibration, signals
from retrieval.answer.position import POSITION_STEMS
from retrieval.answer.reading import QuoteReader, of_another
from retrieval.answer.retrieve import Shown
from retrieval.answer.types import (
    asks_brand,
    counted_words,
    counts,
    holds_type,
    named_place_noun,
)
from retrieval.answer.verify import (
    ANCHOR_SHARE,
    Anchor,
    Candidate,
    Verdict,
    anchor_share,
    semantic_confidence,
    verify,
)
from retrieval.index.store import LoadedIndex
from retrieval.knowledge.graph import alias_keys
from retrieval.knowledge.lexicon import FIELD_TYPES, FIELD_WORDS, relation_surfaces, relation_word
from retrieval.settings import Settings
from retrieval.text import content_terms, fold, sentences, stem, term_set
from retrieval.text import words as words_of

UNKNOWN_WEIGHT = 1.0  # a word the corpus never uses is what the question is most about
EVERYDAY_WEIGHT = 0.6  # …unless it is an everyday word, likely a paraphrase of the corpus's
RARE_PASSAGES = 3  # a word this few passages use is rare: what they say of it is about it
# "who is the x of y", "who was the x": someone asked for by what they are
_WHO_IS_THE = re.compile(r"^(?:so |and )?who(?:'s|s| is| was| are| were) (?:the|a|an) ")
# "when did x…", "what year…": asked outright, not "the women there when he shows up"
_ASKS_WHEN = re.compile(r"^(?:so |and |ok |hey )?(?:when|(?:in )?(?:what|which) (?:year|date))\b")
_T = TypeVar("_T")
# a capitalised word that opens no sentence: one the asker wrote as a name
_CAPITALISED_INSIDE = re.compile(r"(?<!^)(?<![.!?] )\b[A-Z][\w'’-]*")


class Judge:
    """The verify stage: quotes shown → (Verdict, what the calibration read)."""

    def __init__(self, settings: Settings, index: LoadedIndex, reader: QuoteReader, *,
                 idf: dict[str, float], max_idf: float, title_terms: set[str],
                 film_ids: frozenset[int], is_name: Callable[[str], bool],
                 blank_fields: set[str], aftermath: Aftermath,
                 encode: Callable[[str], np.ndarray],
                 calibration: Calibration | None) -> None:
        self.settings = settings
        self.index = index
        self.knowledge = index.knowledge
        self.reader = reader
        self._mentioned = reader.mentioned
        self._names = reader.names
        self._idf = idf
        self._max_idf = max_idf
        # A word at most RARE_PASSAGES passages use (BM25's idf of such a word): the place
        # those few passages speak of is where a quote about it must be
        n = max(1, index.bm25.size)
        self._rare_idf = math.log(1.0 + (n - RARE_PASSAGES + 0.5) / (RARE_PASSAGES + 0.5))
        self._title_terms = title_terms
        self._film_ids = film_ids
        self._is_name = is_name
        self._blank_fields = blank_fields
        self._aftermath = aftermath
        self._encode = encode
        self.calibration = calibration
        self._model_path = settings.resolved_model_path
        self._english: frozenset[str] | None = None
        self._around_terms: dict[int, frozenset[str]] = {}  # passage → `_around`
        # The article's section names ("Infobox", "Cast"): "the actors listed in the infobox"
        # says where to look, not what to find, when no passage's text uses the word.
        self._section_terms = frozenset(
            stem(w) for p in index.passages if p.source != "review" and p.section
            for w in words_of(p.section))

    def __call__(self, q: str, analysis: Analysis, shown: Shown, weights: dict[str, float],
                 scores: dict[int, float]) -> tuple[Verdict, dict[str, object]]:
        """Confidence and the decision to answer (retrieval/answer/verify.py), weighed again
        by the fitted calibration (calibrate.py); also what the calibration read."""
        ix = self.index
        covered = 0.0
        if shown.top and weights:
            p = ix.passages[shown.top[0]]
            have = term_set(p.context) | term_set(p.text)
            covered = sum(w for t, w in weights.items() if t in have) / sum(weights.values())
        base = semantic_confidence(shown.best_sentence, ix.bm25.missing_share(q), covered)
        anchors = self.anchors(q, analysis)
        field_words = frozenset(stem(w) for f in analysis.fields[:1] for w in FIELD_WORDS[f]
                                if " " not in w)
        # The names the question itself uses, in every form the graph knows them by.
        asked_names = {k for e, _ in analysis.mentions
                       for a in self.knowledge.entity(e).aliases for k in alias_keys(a)}
        q_words = words_of(q)
        asked_names |= set(q_words)
        relation_stems = {stem(w) for w in q_words if relation_word(w)}
        evidence = set(analysis.evidence)
        kind = analysis.answer_type
        # A relation the graph did not resolve ("who plays the cellmate", "who is x married
        # to"): the person answering must be named beside the relation's words, as for a name.
        by_relation = kind == "person" and bool(analysis.relation) and not evidence
        own_words = {stem(w) for w in relation_surfaces(analysis.relation)}
        # "what street", "whats the name of the club": a proper noun that is nobody's, beside
        # the establishment's noun if the quote writes it
        place = named_place_noun(fold(q)) if kind in ("place", "name") else ""
        place_noun = stem(place) if place else ""
        # "what else has she been in": a title, which is nobody's name, as a named place is
        # "what brand of beer": a product's name, so a quote naming only people does not say
        named_place = bool(place) or kind == "works" or kind == "name" and asks_brand(fold(q))
        # "what year did part 3 come out": the year of another part stands beside its name
        # ("Part 1-3… Part 2 (2004)" dates this one)
        dated = kind in ("year", "date") and bool(analysis.other_parts)
        # "how many cars": a number stands beside a word of the question ("one of his thugs"
        # counts no cars)
        counted = (frozenset(stem(w) for w in counted_words(fold(q)))
                   | frozenset(content_terms(q))) if kind == "number" else frozenset()
        part_stems = frozenset(t for _, stems in analysis.other_parts for t in stems)
        # "whats the cellmates name at the start": the name stands beside the cellmate, not
        # beside "start", which says when (a position word, see analyse.py)
        near_anchors = [a for a in anchors if not (a.stems & POSITION_STEMS)]
        if by_relation:
            relation_stems |= own_words
        # "where does the bus go": a rare word of the question ("bus") that the answer's
        # quote must hold itself, when its place is what is asked (not a word no passage
        # uses, nor a misspelling read several ways)
        rare = [a for a in anchors if not a.name_like and not a.foreign and len(a.stems) == 1
                and a.weight >= self._rare_idf]
        key = max(rare, key=lambda a: a.weight).stems if kind == "place" and rare else frozenset()
        candidates = []
        # The candidates weighed are those the bot shows by default: a deeper list (the
        # evaluation's) must not change the decision a user gets.
        for i in shown.top[:self.settings.top_k]:
            p = ix.passages[i]
            terms = term_set(shown.quotes[i])
            whole = terms | self._around(i)
            quote_names = self._mentioned(shown.quotes[i])
            passage_names = self._mentioned(p.text) | quote_names
            if i in evidence:  # the graph's chain already ties the named owner to this passage
                passage_names |= set(analysis.entities)
            share = anchor_share(terms, anchors, quote_names.__contains__)
            candidates.append(Candidate(
                i, shown.quotes[i], share,
                anchor_share(whole, anchors, passage_names.__contains__),
                anchor_share(terms | term_set(p.text), anchors, passage_names.__contains__,
                             names_only=True),
                i in evidence,
                self.reader.states_field(shown.quotes[i], p.kind, analysis, field_words),
                # The checks below matter to one answer type each: computed only for it.
                new_name=(kind != "person"
                          or bool(self.reader.name_runs(shown.quotes[i]) - asked_names)),
                # "whats the name of the gun dealer guy", of no one named: a cast line's
                # description is of the part it names, however long it is
                near_name=(not (kind == "name" or by_relation)
                           or kind == "name" and p.kind == "cast" and not analysis.mentions
                           and bool(anchors) and share >= ANCHOR_SHARE
                           # "the guy playing red, whats his name": the line the graph read
                           # the actor from
                           or kind == "name" and i in evidence
                           and any("play" in h.relation for h in analysis.hops)
                           or self.reader.name_near(shown.quotes[i], near_anchors, asked_names,
                                                     relation_stems | own_words)
                           # "who plays the baby": a cast line for "the mother of Xs child"
                           # is the mother's, the child only the one she is mother of
                           and not (by_relation and p.kind == "cast" and of_another(
                               shown.quotes[i], relation_stems | own_words))),
                proper_share=(self.reader.names_other_part(shown.quotes[i], anchors,
                                                            passage_names.__contains__)
                              if analysis.other_film else 1.0),
                names_place=(not named_place
                             or self.reader.names_nobody(shown.quotes[i], place_noun,
                                                         quoted=kind == "works")),
                counts=not counted or counts(shown.quotes[i], counted),
                dated_part=not dated or any(
                    holds_type(sentence, kind) and term_set(sentence) & part_stems
                    for sentence in sentences(shown.quotes[i])),
                kind_stated=(not analysis.kind_of
                             or self.reader.kind_stated(shown.quotes[i], stem(analysis.kind_of))),
                states_relation=(kind == "person" and bool(own_words)
                                 and self.reader.states_relation(shown.quotes[i], analysis,
                                                                  asked_names, own_words)),
                listing=p.kind == "cast",
                holds_key=not key or bool(key & terms),
                states_job=not analysis.asks_job or p.kind != "cast"
                or self.reader.describes_beyond_relations(shown.quotes[i])))
        blank = (bool(analysis.fields) and analysis.fields[0] in self._blank_fields
                 and not analysis.other_film)  # the other part's field is not this one's
        threshold = self.settings.abstain_threshold
        verdict = verify(analysis, candidates, base, blank_field=blank,
                         names=(self.reader.names_this_film if kind == "title" else self._names),
                         threshold=threshold, anchors=anchors,
                         asks_when=bool(_ASKS_WHEN.match(fold(q))))
        foreign = self.reader.foreign_title(q) if not verdict.answered else None
        if foreign is not None:
            # "Who directed Reservoir Dogs?": a title the asker capitalised that no passage
            # writes is another thing than what the documents are about, whatever else fits
            verdict = replace(verdict, reason=f"the question names {foreign}, which no "
                                              "passage mentions")
        work = (self.reader.quoted_work(q) if verdict.answered and analysis.fields
                and FIELD_TYPES.get(analysis.fields[0]) == "person" else None)
        if work is not None:
            # "who directed grey harbour": a title a review quotes is another work, whose
            # crew the film's infobox does not give
            verdict = refused(verdict, threshold, f"the question names {work}, another work "
                                                   "the documents only mention")
        if verdict.answered and self._aftermath.asks(fold(q), self._encode):
            # "what happens to x after the film ends": the plot stops at its end
            verdict = refused(verdict, threshold, "the question asks what happens after the "
                                                   "story ends, which the plot does not tell")
        if verdict.answered and not analysis.other_parts and self._aftermath.untold_fate(
                fold(q), lambda said: {e for e, words in analysis.mentions if words in said},
                self._mentioned, self._encode, self._title_terms):
            # "what happens to x in the end": the plot's last sentences never name x (after
            # "the first film", another part's story, is no event of this plot)
            verdict = refused(verdict, threshold, "the question asks what becomes of someone "
                                                   "whom the plot no longer names by then")
        if (not verdict.answered and kind == "person" and _WHO_IS_THE.match(fold(q))
                and any(a.foreign for a in anchors) and not (
                    analysis.entities or analysis.relation or analysis.evidence or analysis.role)):
            # "who is the prime minister of x": whom it asks for is named by words no passage
            # uses, and no quote names anyone beside the rest of them
            verdict = refused(verdict, threshold, "the documents never mention whom the "
                                                   "question asks for")
        order = to_front(shown.top, verdict.first)  # as the answer will show them
        read = signals(analysis, candidates, anchors, verdict, base,
                       (scores.get(order[0], 0.0) if order else 0.0,
                        scores.get(order[1], 0.0) if len(order) > 1 else 0.0))
        out: dict[str, object] = {"rules_answer": verdict.answered,
                                  "signals": {k: round(v, 4) for k, v in read.values.items()}}
        if self.calibration is not None:
            verdict, prob = self.calibration.decide(verdict, read, threshold)
            out["probability"] = round(prob, 4)
        return verdict, out

    def _around(self, i: int) -> frozenset[str]:
        """The terms of a passage, its context and its lead-in (cached: passages repeat, and
        three unions of their sets for every shown passage were measurable)."""
        hit = self._around_terms.get(i)
        if hit is None:
            p = self.index.passages[i]
            hit = self._around_terms[i] = term_set(p.text) | term_set(p.context) | self._lead_in(i)
        return hit

    def _lead_in(self, i: int) -> frozenset[str]:
        """Terms of the passage before, in the same section or review: a chunk boundary can
        fall between "a heroin deal" and "80.000 kroner"."""
        if i == 0:
            return frozenset()
        p, prev = self.index.passages[i], self.index.passages[i - 1]
        same = (prev.doc, prev.section, prev.review_index) == (p.doc, p.section, p.review_index)
        return term_set(prev.text) if same and prev.kind == p.kind else frozenset()

    def anchors(self, q: str, analysis: Analysis) -> list[Anchor]:
        """The question's words an answer must be near (retrieval/answer/verify.py)."""
        bm25 = self.index.bm25
        out = []
        other_parts = dict(analysis.other_parts)
        capitalised = {fold(w) for w in _CAPITALISED_INSIDE.findall(q)}
        counted = counted_words(fold(q))
        for word, stems in bm25.term_groups(q):
            if word in other_parts:
                # "pusher 3" when the film is "pusher 2": another film of the series, which
                # the answer must name too ("the original" names the first).
                out.append(Anchor(other_parts[word], self._max_idf, None, True, proper=True))
                continue
            if word in analysis.consumed or stems & self._title_terms or len(word) < 2:
                continue
            known = bm25.knows(word)
            if not known and stems & self._section_terms:
                continue
            entity = next((e for e, text in analysis.mentions if word in text.split()), None)
            # A word the documents never use is what the question is most about when it is a
            # name ("reservoir dogs", typed lowercase, still is); an everyday word the model's
            # own vocabulary holds ("hit", "famous") is more likely a paraphrase.
            everyday = not known and entity is None and word not in capitalised and (
                word in self.everyday_words())
            weight = (max(self._idf.get(s, 0.0) for s in stems) if known
                      else (EVERYDAY_WEIGHT if everyday else UNKNOWN_WEIGHT) * self._max_idf)
            proper = (entity is not None and entity not in self._film_ids) or (
                known and self._is_name(word))
            out.append(Anchor(stems, weight, entity,
                              entity is not None or (not known and not everyday)
                              or self._is_name(word), proper=proper,
                              foreign=not known and entity is None, counted=word in counted))
        return out

    def is_everyday(self, word: str) -> bool:
        """Whether a word is everyday English (a whole word of the model's vocabulary)."""
        return word in self.everyday_words()

    def everyday_words(self) -> frozenset[str]:
        """The model vocabulary's whole words, read on first need (few questions need it)."""
        if self._english is None:
            self._english = _whole_words(self._model_path / "vocab.txt")
        return self._english


def refused(verdict: Verdict, threshold: float, reason: str) -> Verdict:
    """A verdict turned into a refusal for a reason the calibration never overturns."""
    return replace(verdict, answered=False, confidence=min(verdict.confidence, threshold - 0.01),
                   reason=reason)


def _whole_words(vocab: Path) -> frozenset[str]:
    """The whole words of the embedding model's WordPiece vocabulary: everyday English, the
    same for every film (empty when the model has no such file)."""
    try:
        lines = vocab.read_text(encoding="utf-8").split()
    except (OSError, UnicodeDecodeError):
        return frozenset()
    return frozenset(w for w in lines if w.isalpha() and w.islower() and len(w) > 2)


def to_front(items: Sequence[_T], at: int) -> list[_T]:
    """The items with the one at `at` moved first (the one that answers goes first)."""
    return [items[at], *items[:at], *items[at + 1:]] if items else []
