"""Pure logic of retrieval/reviews/: review records and record questions, opinion detection,
aspects, sides, the order of voices, the chart and the summary (hand-made passages, no model)."""

from __future__ import annotations

import pytest

from retrieval.passage import Passage
from retrieval.reviews.chart import FULL, OTHER, bar_chart
from retrieval.reviews.records import (
    RecordQuestion,
    answer_records,
    average_rating,
    rating_counts,
    record_question,
    review_records,
)
from retrieval.reviews.stance import Voice, asks_opinion, aspect_text, order_voices, side
from retrieval.reviews.summary import ReviewSummary

# (reviewer, rating, date, spoiler, helpful, title)
REVIEWS = [
    ("anna_k", 9, "3 May 2001", False, (10, 12), "Great"),
    ("bo-7", 4, "1 June 2003", True, (2, 9), "Dull and grey"),
    ("cy99", None, "5 May 2001", False, (1, 1), "No stars from me"),
    ("dee", 9, "2 February 2010", False, (30, 31), "Loved it"),
    ("eli-x", 6, "9 September 2003", True, None, "Fine"),
]


def _passages() -> list[Passage]:
    out = []
    for n, (who, rating, date, spoiler, helpful, title) in enumerate(REVIEWS):
        text = f"Review number {n} says something. It has a second sentence."
        for part in range(2):  # two passages per review, as long reviews are chunked
            out.append(Passage(
                id=len(out), doc="reviews.txt", doc_title="Film", source="review", kind="prose",
                section=title, start=1000 * n + 100 * part, end=1000 * n + 100 * part + len(text),
                text=text, sentences=((0, 33), (34, len(text))), spoiler=spoiler, reviewer=who,
                rating=rating, date=date, helpful=helpful, review_index=n))
    out.append(Passage(id=len(out), doc="wiki.txt", doc_title="Film", source="wiki", kind="prose",
                       section="Plot", start=0, end=4, text="Plot", sentences=((0, 4),)))
    return out


RECORDS = review_records(_passages())


def test_records_group_a_reviews_passages_in_page_order() -> None:
    assert [r.reviewer for r in RECORDS] == ["anna_k", "bo-7", "cy99", "dee", "eli-x"]
    assert RECORDS[0].passages == (0, 1) and RECORDS[0].title == "Great"
    assert RECORDS[1].day is not None and RECORDS[1].day.year == 2003
    assert rating_counts(RECORDS) == {"1": 0, "2": 0, "3": 0, "4": 1, "5": 0, "6": 1, "7": 0,
                                      "8": 0, "9": 2, "10": 0}
    assert average_rating(RECORDS) == 7.0  # (9 + 4 + 9 + 6) / 4, the unrated one left out


@pytest.mark.parametrize(("question", "kind", "value"), [
    ("what's the lowest rating anyone gave it?", "lowest", None),
    ("highest score it got?", "highest", None),
    ("whats the avg score", "average", None),
    ("what is the median rating?", "median", None),
    ("what's the most common rating?", "mode", None),
    ("how many reviews are there?", "count", None),
    ("how many of the reviews have a rating?", "rated", None),
    ("which review didn't give a score", "unrated", None),
    ("which reviews are marked as spoilers", "spoiler", None),
    ("what's the most helpful review?", "helpful", None),
    ("who wrote the first review?", "earliest", None),
    ("what's the most recent review", "latest", None),
    ("what rating did bo-7 give?", "reviewer", "bo-7"),
    ("cy99's score?", "reviewer", "cy99"),
    ("which reviews are from 2003?", "year", 2003),
    ("how many reviews were written in 2001", "year", 2001),
    ("who gave it 9/10?", "rating", 9),
    ("how many people gave it a 4", "rating", 4),
    ("did anyone rate it below 6", "below", 6),
    ("who rated it at least 9", "at_least", 9),
    ("what score did the 'Dull and grey' review give?", "title", "Dull and grey"),
])
def test_record_questions_are_recognised(question: str, kind: str, value: object) -> None:
    assert record_question(question, RECORDS) == RecordQuestion(kind, value)  # type: ignore[arg-type]


@pytest.mark.parametrize("question", [
    "what did reviewers think of the ending?",  # an opinion, not a record
    "what did the 4/10 reviewer hate about the plot",  # a subject besides the records
    "which streaming service recommended it to a reviewer",
    "who plays the duke?",
    "is it worth watching",
])
def test_other_questions_are_not_record_questions(question: str) -> None:
    assert record_question(question, RECORDS) is None


def _who(kind: str, value: object = None) -> tuple[str, list[str]]:
    a = answer_records(RecordQuestion(kind, value), RECORDS)  # type: ignore[arg-type]
    return a.line, [r.reviewer for r in a.records]


def test_record_answers_state_the_figures_and_cite_the_reviews() -> None:
    line, who = _who("lowest")
    assert who == ["bo-7"] and "4/10" in line and "1 of the 4 rated reviews" in line
    line, who = _who("highest")
    assert who == ["anna_k", "dee"] and "9/10" in line
    assert "7.00/10" in _who("average")[0] and len(_who("average")[1]) == 4
    assert "7.5/10" in _who("median")[0]
    line, who = _who("count")
    assert "5 reviews: 4 rated, 1 unrated, 2 with a spoiler warning" in line
    assert _who("unrated")[1] == ["cy99"] and _who("spoiler")[1] == ["bo-7", "eli-x"]
    line, who = _who("helpful")
    assert who == ["dee"] and "30 out of 31" in line
    assert _who("earliest") == ("The earliest of the 5 reviews is from 3 May 2001: anna_k, 9/10, "
                                "3 May 2001, 10 out of 12 found it helpful.", ["anna_k"])
    assert _who("latest")[1] == ["dee"]
    assert _who("year", 2003)[1] == ["bo-7", "eli-x"]
    assert _who("below", 6)[1] == ["bo-7"] and _who("at_most", 6)[1] == ["bo-7", "eli-x"]
    assert _who("rating", 9)[1] == ["anna_k", "dee"]
    assert _who("mode")[1] == ["anna_k", "dee"]
    line, who = _who("reviewer", "eli-x")
    assert who == ["eli-x"] and "6/10" in line and "spoiler warning" in line


def test_no_rated_review_is_said_so() -> None:
    unrated = [r for r in RECORDS if r.rating is None]
    a = answer_records(RecordQuestion("average"), unrated)
    assert a.records == () and "None of the 1 reviews gives a rating" in a.line


@pytest.mark.parametrize(("question", "opinion"), [
    ("what did people think of the ending?", True),
    ("is it worth watching", True),
    ("did anyone hate it?", True),
    ("how was the acting", True),
    ("is it slow? how's the pacing", True),
    ("how violent is it", True),
    ("does it beat the first one", True),
    ("what other films do reviewers compare it to?", True),
    ("how long is it", False),  # a runtime
    ("who plays the duke?", False),
    ("how is tonny related to the duke", False),
    ("Which film did a reviewer say it was as powerful as?", False),  # one remark: a fact
    ("did critics like it", False),  # critics: the encyclopedia's reception, not user reviews
    ("what happens at the wedding reception", False),
    ("is it in danish", False),
])
def test_opinion_questions_are_told_from_facts(question: str, opinion: bool) -> None:
    assert asks_opinion(question) is opinion


def test_the_aspect_is_what_remains_of_the_question() -> None:
    assert aspect_text("what did people think of the ending?") == "the ending"
    assert aspect_text("What did reviewers say about Mads Mikkelsen's performance?") == \
        "mads mikkelsen's performance"
    assert aspect_text("what do reviewers say about tonny's relationship with his dad") == \
        "tonny's relationship with his dad"
    assert aspect_text("is it slow? how's the pacing") == "slow pacing"
    assert aspect_text("what did people think of film x overall?", {"x"}) == ""  # the film itself
    assert aspect_text("did anyone hate it?") == ""


def test_sides_follow_the_rating_unless_unrated_or_strongly_contradicted() -> None:
    assert side(8, 0.0, overall=False) == "positive"
    assert side(5, 0.0, overall=False) == "mixed"
    assert side(4, 0.3, overall=False) == "negative"
    assert side(None, -0.4, overall=False) == "negative"  # unrated: its words decide
    assert side(None, 0.01, overall=False) == "mixed"
    assert side(5, 0.9, overall=False) == "positive"  # "the lead is superb" in a 5/10 review
    assert side(5, 0.9, overall=True) == "mixed"  # of the film overall, the rating is the verdict


def _voice(n: int, score: float, s: str) -> Voice:
    return Voice(n, n, 0, 1, score, s, 0.0)  # type: ignore[arg-type]


def test_voices_lead_with_the_best_of_each_side() -> None:
    voices = [_voice(0, 0.9, "positive"), _voice(1, 0.8, "positive"), _voice(2, 0.5, "negative"),
              _voice(3, 0.6, "mixed")]
    assert [v.record for v in order_voices(voices, False)] == [0, 3, 2, 1]
    assert [v.record for v in order_voices(voices, True)] == [2, 0, 3, 1]


def test_chart_draws_counts_and_highlights_the_discussing_reviews() -> None:
    lines = bar_chart({"10": 2, "7": 3, "4": 1}, {"7": 2})
    assert lines[0] == f"10 {OTHER * 2}  2 (0)"
    assert lines[3] == f" 7 {FULL * 2}{OTHER} 3 (2)"
    assert lines[6] == f" 4 {OTHER}   1 (0)" and lines[-1] == " 1     0"
    assert len(lines) == 10
    wide = bar_chart({"8": 100}, width=10)
    assert wide[2] == f" 8 {FULL * 10} 100"  # scaled down to the width
    assert bar_chart({"8": 100, "1": 1}, width=10)[-1] == f" 1 {FULL}{' ' * 9} 1"  # never vanishes
    with pytest.raises(ValueError):
        bar_chart({}, width=0)


def test_summary_line_and_json_object() -> None:
    s = ReviewSummary(aspect="the ending", total=25, discussing=5, positive=3, mixed=1,
                      negative=1, unrated=1, ratings={"8": 3}, average=7.25)
    assert s.line == ("5 of the 25 reviews discuss the ending: 3 positive (7–10/10), 1 mixed "
                      "(5–6/10), 1 negative (1–4/10); 1 unrated, sided by its words. Their "
                      "average rating: 7.2/10.")
    assert list(s.to_dict()) == ["aspect", "total", "discussing", "positive", "mixed",
                                 "negative", "unrated", "ratings", "average"]
    assert ReviewSummary("", 3, 3, 3, 0, 0, 0, {}, None).to_dict()["aspect"] == "the film overall"
