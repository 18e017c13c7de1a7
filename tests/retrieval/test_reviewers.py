"""A question that points at one review by its reviewer's handle or its rating."""

from __future__ import annotations

import pytest

from retrieval.answer.reviewers import Reviewers
from retrieval.passage import Passage


def _review(pid: int, reviewer: str, rating: int | None) -> Passage:
    return Passage(id=pid, doc="r", doc_title="t", source="review", kind="review", section=None,
                   start=0, end=4, text="Fine.", sentences=((0, 5),), reviewer=reviewer,
                   rating=rating)


PASSAGES = [_review(0, "PAolo-10", 8), _review(1, "PAolo-10", 8), _review(2, "r96sk", 7),
            _review(3, "Uriah43", 4), _review(4, "slake09", 7), _review(5, "gotchast", 10),
            _review(6, "lastliberal", 6), _review(7, "theshanecarr", 8),
            _review(8, "someone", 7)]
REVIEWERS = Reviewers(PASSAGES)


@pytest.mark.parametrize(("question", "passages", "words"), [
    ("what did the r96sk guy watch it on", {2}, {"r96sk"}),
    ("what did paolo10 think of the ending", {0, 1}, {"paolo10"}),
    ("what did lastliberl complain about", {6}, {"lastliberl"}),  # one slip in a long handle
    ("what did the 4 star reviewer hate", {3}, {"4", "star"}),
    ("why did the one who gave it a 10 love it", {5}, {"gave", "it", "10"}),
])
def test_a_question_points_at_reviews(question, passages, words) -> None:
    pointed = REVIEWERS.pointed(question)
    assert pointed is not None
    assert pointed.passages == frozenset(passages) and words <= pointed.words


@pytest.mark.parametrize("question", [
    "who plays the duke",
    "what did the 7/10 reviewers say",  # most reviewers gave 7 or 8: no review in particular
    "is it 100 minutes long",
])
def test_other_questions_point_nowhere(question) -> None:
    assert REVIEWERS.pointed(question) is None


def test_the_named_reviewers_review_is_quoted(engine) -> None:
    answer = engine.answer("what did ivansv say about the ending")
    assert answer.results[0].passage.reviewer == "ivansv"
