"""Choose the 1–3 consecutive sentences of a passage that best answer the question."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from retrieval.answer.types import holds_named_place, holds_type
from retrieval.passage import Passage
from retrieval.text import term_set


@dataclass(frozen=True, slots=True)
class QuoteWeights:
    """How sentence windows are scored: meaning (dense) against shared words (coverage)."""

    dense: float = 0.6
    coverage: float = 0.4
    extra_sentence_penalty: float = 0.02
    second_sentence: float = 0.6  # credit for a window whose second sentence also fits
    max_sentences: int = 3
    typed: float = 0.25  # credit for a window holding an instance of the expected answer type
    edge: float = 0.15  # credit for the plot's first / last sentence, asked "at the start / end"
    follows: float = 0.3  # credit for the sentence after the event a question asks what follows
    proximity: float = 0.2  # credit for neighbouring question words said close together


def choose_quote(passage: Passage, sentence_scores: np.ndarray, weights: dict[str, float],
                 max_chars: int, qw: QuoteWeights = QuoteWeights(), answer_type: str | None = None,
                 names: Callable[[str], bool] | None = None,
                 typed_beside: frozenset[str] | None = None,
                 edge: int | None = None, follows: int | None = None,
                 near: Sequence[float] | None = None) -> tuple[int, int, float]:
    """(first, last, score) of the best window of sentences, inclusive indexes.

    With an answer type ("year", "amount"…), windows holding an instance of it score higher;
    with `typed_beside`, only where the same sentence holds one of those terms (the film's
    title beside the film's year, not the year of another film it mentions). With `edge` (0,
    or -1 for the last), windows holding that sentence score higher ("at the very start"); so
    do windows holding the sentence `follows` ("what does he do after…": the one after the event).
    `near`: each sentence's share of the question's word pairs it says close together
    (proximity.py); a window is credited with its best sentence's.
    """
    spans = passage.sentences
    if not spans:
        return 0, -1, 0.0
    total = sum(weights.values()) or 1.0
    asked = weights.keys()
    terms = [t & asked for t in sentence_terms(passage.text, spans)]  # only question words count
    typed = (typed_sentences(passage.text, spans, answer_type, names, typed_beside)
             if answer_type else (False,) * len(spans))
    at_edge = None if edge is None else edge % len(spans)
    best = (0, 0, -1e9)
    best_score = best[2]
    scores = sentence_scores.tolist()
    # the weights as locals: this loop runs for every window of every quoted passage (the
    # sum below is the same expression, term for term, so the scores are the same floats)
    dense, second_credit, coverage_w = qw.dense, qw.second_sentence, qw.coverage
    penalty, typed_w, edge_w, follows_w = (qw.extra_sentence_penalty, qw.typed, qw.edge,
                                           qw.follows)
    proximity_w = qw.proximity
    n = len(spans)
    for i in range(n):
        covered: set[str] = set()
        weight = 0.0  # of the covered terms
        top, second = -1e9, 0.0
        has_type = False
        closest = 0.0
        start = spans[i][0]
        for j in range(i, min(n, i + qw.max_sentences)):
            if spans[j][1] - start > max_chars and j > i:
                break
            new = terms[j] - covered
            if new:
                covered |= new
                weight = sum(weights[t] for t in covered)
            has_type = has_type or typed[j]
            if near is not None:
                closest = max(closest, near[j])
            s = scores[j]
            top, second = (s, top if j > i else 0.0) if s > top else (top, max(second, s))
            coverage = weight / total
            score = (dense * (top + second_credit * second) + coverage_w * coverage
                     - penalty * (j - i) + typed_w * has_type
                     + edge_w * (at_edge is not None and i <= at_edge <= j)
                     + follows_w * (follows is not None and i <= follows <= j)
                     + proximity_w * closest)
            if score > best_score:
                best = (i, j, score)
                best_score = score
    first, last, score = best
    if (answer_type == "person" and first > 0 and _PRONOUN_START.match(passage.text, spans[first][0])
            and spans[last][1] - spans[first - 1][0] <= max_chars):
        # "He then reminds Jon that he owes him money": who "he" is, the sentence before says
        # ("His cell-mate sings to him"), and whom is what was asked
        return first - 1, last, score
    return best


_PRONOUN_START = re.compile(r"\s*(?:He|She|They)\b")


@lru_cache(maxsize=1 << 14)
def typed_sentences(text: str, spans: tuple[tuple[int, int], ...], answer_type: str,
                    names: Callable[[str], bool] | None,
                    typed_beside: frozenset[str] | None) -> tuple[bool, ...]:
    """Whether each sentence holds an instance of the answer type (see `choose_quote`);
    cached, as the same passages are quoted for the same kinds of question again and again."""
    typed = [holds_type(text[s:e], answer_type, names)
             and (typed_beside is None or bool(typed_beside & term_set(text[s:e])))
             for s, e in spans]
    if answer_type == "place" and any(typed):
        # a place by its name says where better than "at the end" or "in his life" do
        named = [t and holds_named_place(text[s:e], names)
                 for t, (s, e) in zip(typed, spans, strict=True)]
        typed = named if any(named) else typed
    return tuple(typed)


@lru_cache(maxsize=1 << 14)
def sentence_terms(text: str, spans: tuple[tuple[int, int], ...]) -> tuple[frozenset[str], ...]:
    """Each sentence's terms (cached: the same passages are quoted question after question)."""
    return tuple(term_set(text[s:e]) for s, e in spans)


def quote_text(passage: Passage, first: int, last: int, max_chars: int) -> str:
    """The verbatim text of sentences first..last, cut to max_chars at a word if one is too long."""
    if last < first:
        return passage.text[:max_chars]
    start, end = passage.sentences[first][0], passage.sentences[last][1]
    return cut_quote(passage.text[start:end], max_chars)


def cut_quote(text: str, max_chars: int) -> str:
    """The text, or, if longer than max_chars, cut at a word with an ellipsis."""
    if len(text) <= max_chars:
        return text
    cut = text[: max_chars - 1]
    cut = cut[: cut.rfind(" ")] if " " in cut else cut
    return cut.rstrip(" ,;:") + "…"
