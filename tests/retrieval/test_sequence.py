"""Which event a question asks what follows (pure logic of retrieval/answer/sequence.py)."""

from __future__ import annotations

import numpy as np
import pytest

from retrieval.answer.sequence import event_clause, following, said_of


@pytest.mark.parametrize(("question", "event"), [
    ("what does jon do after killing the baron", "killing the baron"),
    ("who does ann find after he sinks the boat", "he sinks the boat"),
    ("after robbing the bank where does he go", "robbing the bank"),
    ("jon hits the guard and then what does ann do", "jon hits the guard"),
    ("why is jon broke after the auction", "the auction"),
    # a time between films, or the viewer's world: no event of the story
    ("how many years after the first one does it take place", None),
    ("which app suggested part 3 after the credits", None),
    ("what happened to jon after part 1", None),
    ("who plays jon", None),
])
def test_the_event_a_question_asks_what_follows(question: str, event: str | None) -> None:
    assert event_clause(question) == event


def test_a_relative_in_the_event_is_said_by_name() -> None:
    assert said_of("he kills his dad", ("Smith", "the Baron")) == "he kills the Baron"
    assert said_of("ann's uncle sinks the boat", ("Jon",)) == "Jon sinks the boat"
    assert said_of("he sinks the boat", ("Jon",)) == "he sinks the boat"


def test_the_sentence_after_a_clearly_told_event() -> None:
    told = [np.array([0.3, 0.7, 0.2]),  # told by its second sentence: the third follows
            np.array([0.6, 0.61, 0.1]),  # two sentences nearly as close: not clearly told
            np.array([0.2, 0.3, 0.8]),  # told last: nothing follows in that passage
            np.array([0.2, 0.3])]  # too far from the event
    assert following([10, 11, 12, 13], told) == {10: 2}


@pytest.mark.parametrize(("question", "event"), [
    ("what sets ann off right before she hits jon", "she hits jon"),
    ("what does jon say just before sinking the boat", "sinking the boat"),
    ("what did he do before the first film", None),  # another film, no event of the story
    ("what happens after he wakes up before dawn", None),  # asks what follows
])
def test_the_event_a_question_asks_what_comes_before(question: str, event: str | None) -> None:
    from retrieval.answer.sequence import event_before
    assert event_before(question) == event


def test_the_sentence_before_a_clearly_told_event() -> None:
    told = [np.array([0.3, 0.7, 0.2]), np.array([0.8, 0.3, 0.2])]  # told first: nothing before
    assert following([10, 11], told, -1) == {10: 0}
