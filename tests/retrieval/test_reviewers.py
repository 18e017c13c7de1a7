"""A question that points at one review by its reviewer's handle or its rating."""

from __future__ import annotations

import pytest

from retrieval.answer.reviewers import Reviewers, asks_who_wrote, said_by
from retrieval.passage import Passage


def _review(pid: int, reviewer: str, rating: int | None) -> Passage:
    return Passage(id=pid, doc="r", doc_title="t", source="review", kind="review", section=None,
                   start=0, end=4, text="Fine.", sentences=((0, 5),), reviewer=reviewer,
                   rating=rating)


PASSAGES = [_review(0, "PAolo-10", 8), _review(1, "PAolo-10", 8), _review(2, "r96sk", 7),
            _review(3, "Uriah43", 4), _review(4, "slake09", 7), _review(5, "gotchast", 10),
            _review(6, "lastliberal", 6), _review(7, "theshanecarr", 8),
            _review(8, "someone", 7), _review(9, "jdoetaylor-96-1380", 7),
            _review(10, "samename1", 7), _review(11, "samename2", 8)]
REVIEWERS = Reviewers(PASSAGES)


@pytest.mark.parametrize(("question", "passages", "words"), [
    ("what did the r96sk guy watch it on", {2}, {"r96sk"}),
    ("what did paolo10 think of the ending", {0, 1}, {"paolo10"}),
    ("what did lastliberl complain about", {6}, {"lastliberl"}),  # one slip in a long handle
    ("what did the 4 star reviewer hate", {3}, {"4", "star"}),
    ("why did the one who gave it a 10 love it", {5}, {"gave", "it", "10"}),
    # a handle's leading letters, and a possessive without its apostrophe
    ("what does jdoetaylor say about the dad", {9}, {"jdoetaylor"}),
    ("what was in theshanecarrs review", {7}, {"theshanecarrs"}),
    ("what was jdoetaylors main complaint", {9}, {"jdoetaylors"}),  # both at once
    # a handle typed as separate words, whole or by its leading letters
    ("how does the shane carr say it ends", {7}, {"shane", "carr"}),
    ("what did jdoe taylor think", {9}, {"jdoe", "taylor"}),
])
def test_a_question_points_at_reviews(question, passages, words) -> None:
    pointed = REVIEWERS.pointed(question)
    assert pointed is not None
    assert pointed.passages == frozenset(passages) and words <= pointed.words


@pytest.mark.parametrize("question", [
    "who plays the duke",
    "what did the 7/10 reviewers say",  # most reviewers gave 7 or 8: no review in particular
    "is it 100 minutes long",
    "what did samename say",  # leading letters two handles share name neither
    "what did some one say",  # too short a run of words to be a handle
])
def test_other_questions_point_nowhere(question) -> None:
    assert REVIEWERS.pointed(question) is None


def test_the_named_reviewers_review_is_quoted(engine) -> None:
    answer = engine.answer("what did ivansv say about the ending")
    assert answer.results[0].passage.reviewer == "ivansv"


@pytest.mark.parametrize(("question", "who"), [
    ("who said it should be taught in seminars", "methodman-70252"),
    ("who mentions the movie is dedicated to hubert selby jr", "PAolo-10"),
])
def test_who_said_something_a_review_says_is_its_author(engine, question, who) -> None:
    answer = engine.answer(question)
    assert answer.answered and answer.analysis["type"] == "reviewer"
    assert answer.summary is not None and who in answer.summary
    assert answer.results[0].passage.reviewer == who


def test_who_said_is_a_question_for_the_engine_to_place() -> None:
    from retrieval.answer.reviewers import asks_who_said
    assert asks_who_said("who said it should be taught in film school")
    assert not asks_who_said("which reviewer said it should be taught")  # asks_who_wrote's
    assert not asks_who_said("who plays the dad")


@pytest.mark.parametrize("question", [
    "what did uriah43 say about the soundtrack",  # Uriah43's review never mentions music
    "what did masonfisk think of the music",
])
def test_a_named_review_silent_on_the_asked_topic_is_refused(engine, question) -> None:
    answer = engine.answer(question)
    assert not answer.answered
    assert answer.analysis["decision"].startswith("the review the question names never mentions")


@pytest.mark.parametrize(("question", "needle"), [
    ("what did gotchast say about the violence", "violence"),  # his review does
    ("what service did the r96sk guy watch it on", "Viaplay"),  # the answer need not repeat it
])
def test_a_named_review_that_mentions_the_topic_is_quoted(engine, question, needle) -> None:
    answer = engine.answer(question)
    assert answer.answered, answer.analysis["decision"]
    assert needle in answer.results[0].quote


@pytest.mark.parametrize(("question", "reviewer", "needle"), [
    # a relation's cast line and a field's infobox line are not what the review says
    ("who does peterroeder think tonnys dad looks like", "peterroeder34", "Jørgen Leth"),
    ("what did the director tell gotchast about the film", "gotchast", None),
    # the rest of the question says which of the review's sentences answers
    ("where did gotchast watch it", "gotchast", "Cognac"),
    # "music" names an infobox field, but the review's take on it is asked, not who composed it
    ("methodman's take on the music", "methodman-70252", "The music is just amazing"),
])
def test_a_named_reviewer_is_answered_from_their_review(engine, question, reviewer, needle
                                                        ) -> None:
    answer = engine.answer(question)
    assert answer.reviews is None  # one review's remark, not a stance
    assert answer.results[0].passage.reviewer == reviewer
    assert needle is None or needle in answer.results[0].quote


@pytest.mark.parametrize(("question", "asks"), [
    ("which reviewer said it was as powerful as some other film", True),
    ("someone compared the lead to a bond villain, who", True),
    ("one review said its more an equal than a sequel, which one", True),
    ("whose review mentions the festival", True),
    ("who wrote in a review that the dad looks like a filmmaker", True),
    ("which review talks about the cello score", True),
    # who in the film, not who of the reviewers
    ("who did reviewers say was the best actor", False),
    ("who says the lead is worthless", False),
    ("who plays the dad", False),
    ("what do the reviews say about the ending", False),
])
def test_asks_who_wrote_tells_a_reviewer_question_from_a_question_about_the_film(
        question, asks) -> None:
    assert asks_who_wrote(question) is asks


def test_said_by_names_the_author_with_the_records_facts() -> None:
    assert said_by(_review(0, "jdoe99", 7)) == "From jdoe99's review (7/10)."
    unrated = _review(1, "anon", None)
    assert said_by(unrated) == "From anon's review."


def _said(pid: int, reviewer: str, text: str) -> Passage:
    return Passage(id=pid, doc="r", doc_title="t", source="review", kind="review", section=None,
                   start=0, end=len(text), text=text, sentences=((0, len(text)),),
                   reviewer=reviewer, rating=7)


@pytest.mark.parametrize(("question", "passages"), [
    ("where did the 'grey harbour' reviewer see it", {0}),  # quoted: what one review says
    ("what did the grey harbour guy rate it", {0}),  # two words, unquoted
    ("what did the negative reviewer say", None),  # one unquoted word points at nothing
    ("what did the harbour guy think", None),
    ("is the lead the same guy as the father", None),  # "same": one word, said by both
    ("what did the cold film reviewer hate", None),  # said by two reviews: no one in particular
])
def test_a_reviewer_is_pointed_at_by_what_only_their_review_says(question, passages) -> None:
    reviewers = Reviewers([_said(0, "jdoe99", "Saw it in Grey Harbour, a cold film, the same."),
                           _said(1, "anon", "A cold film about the harbour, the same old story.")])
    pointed = reviewers.pointed(question)
    assert (pointed.passages if pointed else None) == (frozenset(passages) if passages else None)


def test_words_a_question_quotes_ask_no_opinion(engine) -> None:
    # "reviews" inside the quoted signature is the review's words, not a question about them
    answer = engine.answer("who signed their review 'evil eye reviews'")
    assert answer.reviews is None
    assert answer.summary is not None and answer.summary.startswith("From evileyereviews's review")


def test_a_name_glued_to_a_two_digit_day_points_at_its_review_either_way() -> None:
    # the page writes "robo829 July 2006": "robo8" on the 29th, or "robo82" on the 9th
    glued = Reviewers([Passage(id=0, doc="r", doc_title="t", source="review", kind="review",
                               section=None, start=0, end=4, text="Fine.", sentences=((0, 5),),
                               reviewer="robo8", rating=7, date="29 July 2006")])
    for question in ("what did robo82 say about the plot", "what did robo8 say about the plot"):
        pointed = glued.pointed(question)
        assert pointed is not None and pointed.passages == {0}
