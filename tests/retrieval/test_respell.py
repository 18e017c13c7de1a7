"""Chat spellings of a question's own words (retrieval/answer/respell.py)."""

from __future__ import annotations

import pytest

from retrieval.answer.respell import respell

CORPUS = frozenset("the duke tony tonny plays happen wat".split())


@pytest.mark.parametrize(("typed", "meant"), [
    ("wat year did it come out", "wat year did it come out"),  # the corpus writes "wat": left
    ("wut year did it come out", "what year did it come out"),
    ("who plyas tony", "who plays tony"),
    ("who palyed the duke", "who played the duke"),
    ("who dirceted it", "who directed it"),
    ("wen was it released", "when was it released"),
])
def test_chat_spellings_are_read_as_meant(typed, meant) -> None:
    assert respell(typed, CORPUS.__contains__) == meant


@pytest.mark.parametrize("question", [
    "do all the films happen in the same world",  # "happen" is a form of "happens", no slip
    "who plays the duke",  # every word right
    "what does the duke say",  # "say" is no slip of "play": too short to guess at
    "whos the directer",  # the stem already reads it as "director"
])
def test_words_that_are_no_slip_are_left_alone(question) -> None:
    assert respell(question, CORPUS.__contains__) == question
