"""Which event a question asks what follows (pure logic of retrieval/answer/sequence.py)."""

from __future__ import annotations

import pytest

from retrieval.answer.sequence import event_clause


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
