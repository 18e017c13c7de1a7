"""Comparisons: which ways a text compares one thing with another ("better", "worse", "equal"),
and which sentence of a review compares the film the asked way with another part or with the
asked aspect."""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from retrieval.answer.series import Series
from retrieval.reviews.records import ReviewRecord
from retrieval.text import fold
from retrieval.text import words as words_of

# Which way a comparison goes ("even better than the first", "not nearly as good as the
# original", "on par with it"): the words of comparison, not of any film.
_NEGATED = r"(?:\bnot|n't|\bnever|\bnowhere)"
_WORSE = re.compile(
    r"\b(?:worse|inferior|weaker|pales?|falls? short|lesser)\b"
    rf"|{_NEGATED}(?: \w+){{0,5}} (?:as good|as strong|as great|as powerful|as gripping|live up|"
    r"measure up|up to|match(?:es)?|near(?:ly)? as|quite as|better)\b")
_BETTER = re.compile(r"\b(?:better|superior|surpass(?:es|ed)?|"
                     r"(?:beats?|beating) (?:the|its|it|this|that|his|her|their)\b|outdo(?:es)?|"
                     r"outshines?|improves? (?:on|upon)|an improvement|tops?|best (?:part|one|"
                     r"of the (?:three|trilogy|series)))\b")
_EQUAL = re.compile(r"\b(?:as good as|just as good|equal(?:s|ly good| to)?|on par|par with|up there with|"
                    r"same (?:level|quality|standard)|as strong as|as great as|matches|lives up|"
                    r"holds up (?:to|against)|every bit as)\b")
COMPARATIVE = re.compile("|".join(f"(?:{r.pattern})" for r in (_WORSE, _BETTER, _EQUAL))
                         + r"|\b(?:than|par|as good|compared?|comparison)\b")


@lru_cache(maxsize=1 << 13)  # review sentences recur from question to question
def comparison_sides(text: str) -> frozenset[str]:
    """Which ways a text compares one thing with another: "better", "worse", "equal" (a
    denied comparison, "not as good as", is "worse", not "equal" or "better")."""
    t = re.sub(r"\bif not (?=better\b)", "or ", fold(text))  # "as good as, if not better"
    out = set()
    if _WORSE.search(t):
        out.add("worse")
    if _BETTER.search(t) and not re.search(rf"{_NEGATED}(?: \w+){{0,2}} better\b", t):
        out.add("better")
    if _EQUAL.search(t) and "worse" not in out:
        out.add("equal")
    return frozenset(out)


ALL_SIDES = frozenset({"better", "worse", "equal"})


def comparing_sentence(record: ReviewRecord, rows: np.ndarray, scores: np.ndarray,
                       on_parts: np.ndarray | None, direction: frozenset[str],
                       named_parts: np.ndarray | None, *, texts: list[str], series: Series,
                       threshold: float) -> tuple[int, bool] | None:
    """The best sentence of a review that compares the film the asked way with the other
    part (a sentence naming that part, or the one after it), or with the aspect (one that
    discusses it: scores at least `threshold`), and False; else, when its title says so, its
    most on-topic sentence and True. None when the review does not compare that way.
    `texts` are the review sentences `rows` index, `series` the film's parts."""
    near = (on_parts[rows] if on_parts is not None else scores[rows] >= threshold)
    near = near | np.concatenate([[False], near[:-1]])  # "The first was raw. This is better."
    saying = [int(row) for i, row in enumerate(rows)
              if near[i] and _compares_as(texts[int(row)], direction)]
    if not saying and direction == ALL_SIDES and named_parts is not None:
        # whether it beats the other part: a review weighing them in words of its own ("if
        # you liked the first…", "lacks the pace of the original") answers too, when it
        # names that part by more than the series' bare name, which every review writes
        saying = [int(row) for row in rows if named_parts[row]]
    if saying:
        return max(saying, key=lambda r: scores[r]), False
    if _compares_as(record.title, direction) and (
            on_parts is None or series.other_parts(fold(record.title))
            or any(series.part_stems(w) for w in words_of(record.title))):
        return int(rows[np.argmax(scores[rows])]), True
    return None


def _compares_as(text: str, sides: frozenset[str]) -> bool:
    """Whether a text compares one of the asked ways."""
    return bool(comparison_sides(text) & sides)
