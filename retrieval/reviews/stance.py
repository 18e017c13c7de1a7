"""Sides and voices of opinion questions: the side a review takes on the asked aspect
(positive / mixed / negative, by its rating or its words), each discussing review's voice, and
the order the voices speak in.

Whether a question asks an opinion is cues.py's, its aspect aspects.py's, its comparison
compare.py's. Which reviews discuss an aspect is decided by retrieval (retrieval/reviews/desk.py
scores every review sentence against the aspect, dense and lexical); this module holds the pure
rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from retrieval.reviews import sentiment
from retrieval.reviews.sentiment import Polarity

_POSITIVE_FROM = 7  # a rating of 7/10 or more is a positive review
_NEGATIVE_TO = 4  # 4/10 or less is a negative one; 5-6 are mixed
# How strongly a sentence must lean to override its review's rating on the asked aspect (a 5/10
# review calling the lead "almost superhuman" is positive about him).
OVERRIDE = 0.5


def side_of_rating(rating: int | None) -> Polarity | None:
    """positive (≥ 7/10), mixed (5–6) or negative (≤ 4); None for an unrated review."""
    if rating is None:
        return None
    return "positive" if rating >= _POSITIVE_FROM else "negative" if rating <= _NEGATIVE_TO else "mixed"


def side(rating: int | None, sentence_compound: float, *, overall: bool) -> Polarity:
    """The side a review takes on the aspect: its rating's, unless it is unrated or (for a
    particular aspect) its sentence about it leans strongly the other way."""
    by_rating = side_of_rating(rating)
    by_words: Polarity = ("positive" if sentence_compound >= 0.05 else
                          "negative" if sentence_compound <= -0.05 else "mixed")
    if by_rating is None:
        return by_words
    if overall:
        return by_rating
    if abs(sentence_compound) >= OVERRIDE and by_words != by_rating:
        return by_words
    return by_rating


@dataclass(frozen=True, slots=True)
class Voice:
    """One review's voice on the asked aspect: its best sentence and the side it takes."""

    record: int  # index into the desk's records
    passage: int
    start: int  # the sentence, relative to the passage text
    end: int
    score: float
    side: Polarity
    compound: float


def order_voices(voices: list[Voice], negative_first: bool) -> list[Voice]:
    """The best voice of each side first, then every other voice by score. The sides come
    best voice first (the most on-topic quote leads), or negative first when the question
    leans that way ("did anyone hate it?")."""
    by_score = sorted(voices, key=lambda v: -v.score)
    heads: list[Voice] = []
    if negative_first:
        heads = [v for v in by_score if v.side == "negative"][:1]
    for v in by_score:
        if all(h.side != v.side for h in heads):
            heads.append(v)
    return heads + [v for v in by_score if v not in heads]


def unrated_verdict(title: str, sentences: Iterable[str]) -> float:
    """An unrated review's verdict: its title's when the title clearly leans ("Amazing
    film"), as a headline states the verdict; else the lean of all its words (its title and
    `sentences`)."""
    lean = sentiment.compound(title)
    if abs(lean) >= OVERRIDE:
        return lean
    return sentiment.compound(" ".join([title, *sentences]))
