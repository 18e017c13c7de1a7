"""Pure logic of retrieval/reviews/: review records and record questions, opinion detection,
aspects, sides, the order of voices, the chart and the summary (hand-made passages, no model)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from retrieval.ingest.parse_reviews import page_total
from retrieval.passage import Passage
from retrieval.reviews.aspects import (
    FAULTS,
    RECOMMENDS,
    alternatives,
    asks_faults,
    asks_worth,
    aspect_text,
    verdict_words,
)
from retrieval.reviews.chart import FULL, OTHER, bar_chart
from retrieval.reviews.compare import comparison_sides
from retrieval.reviews.cues import asks_opinion
from retrieval.reviews.intent import (
    MARGIN,
    OPINION_PROTOTYPES,
    PROTOTYPES,
    opinion_intent,
    prototype_margin,
    without_title,
)
from retrieval.reviews.record_questions import RecordQuestion, record_question
from retrieval.reviews.records import (
    answer_records,
    average_rating,
    rating_counts,
    review_records,
)
from retrieval.reviews.stance import Voice, order_voices, side
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
FILM = ("Film Two", "Film 2", "Film 2: The Return")


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
    # the rating asked bare: the reviews' average answers it
    ("what's the rating", "average", None),
    ("how many stars", "average", None),
    ("whats it rated", "average", None),
    ("what is the median rating?", "median", None),
    ("what's the most common rating?", "mode", None),
    ("how many reviews are there?", "count", None),
    ("how many of the reviews have a rating?", "rated", None),
    ("how many of the reviews actually have a rating", "rated", None),  # a filler word
    ("which review has no star rating", "unrated", None),
    ("which review didn't give a score", "unrated", None),
    ("which reviews are marked as spoilers", "spoiler", None),
    ("what's the most helpful review?", "helpful", None),
    ("how many helpful votes did the top review get", "helpful", None),
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
    # words about the page itself are no subject besides the records
    ("which reviews carry a spoiler warning?", "spoiler", None),
    ("how many reviews are shown on the page?", "count", None),
    ("how many reviews does the page say there are in total?", "count", None),
    ("how many of the shown reviews have a rating?", "rated", None),
    ("what's the average rating across the rated reviews, to one decimal?", "average", None),
    ("what's the oldest review on the page?", "earliest", None),
    ("which review got the second most helpful votes?", "helpful", 2),
    ("what is the third latest review?", "latest", 3),
    ("which reviews got zero helpful votes?", "unvoted", None),
    ("how many reviews rated it 8/10 or higher?", "at_least", 8),
    ("who gave it 6 or less", "at_most", 6),
    ("what rating did bo-7 give and what was the review title?", "reviewer", "bo-7"),
    ("CY99's score?", "reviewer", "cy99"),
    ("how many reviewers gave it a perfect score?", "rating", 10),
    ("how many reviews were written before 2003?", "year_before", 2003),
    ("which reviews were posted after 2001?", "year_after", 2001),
    ("how many reviews since 2003?", "year_after", 2002),
    ("which review has the most votes?", "helpful", None),
    ("what is the least helpful review?", "least_helpful", None),
    ("which review is the oldest?", "earliest", None),
    ("which review is the newest?", "latest", None),
    ("what percentage of the reviews are positive?", "side", "positive"),
    ("how many reviews are unfavourable?", "side", "negative"),
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
                                "3 May 2001, ‘Great’, 10 out of 12 found it helpful.", ["anna_k"])
    assert _who("latest")[1] == ["dee"]
    assert _who("year", 2003)[1] == ["bo-7", "eli-x"]
    assert _who("below", 6)[1] == ["bo-7"] and _who("at_most", 6)[1] == ["bo-7", "eli-x"]
    assert _who("rating", 9)[1] == ["anna_k", "dee"]
    assert _who("mode")[1] == ["anna_k", "dee"]
    line, who = _who("reviewer", "eli-x")
    assert who == ["eli-x"] and "6/10" in line and "spoiler warning" in line


def test_ranks_unvoted_page_total_and_one_decimal() -> None:
    line, who = _who("helpful", 2)
    assert who == ["anna_k"] and line.startswith("The second most helpful review: 10 out of 12")
    assert _who("helpful", 9)[1] == []  # fewer voted reviews than the rank asked
    assert _who("earliest", 2)[1] == ["cy99"] and _who("latest", 2)[1] == ["eli-x"]
    voted = [replace(r, helpful=(0, 3)) if r.reviewer == "cy99" else r for r in RECORDS]
    a = answer_records(RecordQuestion("unvoted"), voted)
    assert [r.reviewer for r in a.records] == ["cy99"] and "1 review of the 5" in a.line
    uneven = [replace(r, rating=8) if r.reviewer == "dee" else r for r in RECORDS]
    assert "6.75/10 (6.8 to one decimal)" in answer_records(RecordQuestion("average"), uneven).line
    a = answer_records(RecordQuestion("count"), RECORDS, page_total=44)
    assert a.line.startswith("The page shows 5 reviews (its header counts 44 in total)")
    assert answer_records(RecordQuestion("count"), RECORDS, page_total=5).line.startswith(
        "There are 5 reviews")
    assert "‘Dull and grey’" in _who("reviewer", "bo-7")[0]  # the title is in the record line


def test_a_name_glued_to_a_two_digit_day_is_read_either_way() -> None:
    # "dee229 July 2010" on the page: "dee2" is how some read the name
    records = tuple(replace(r, date="29 July 2010") if r.reviewer == "dee" else r for r in RECORDS)
    assert record_question("what did dee2 give it", records) == RecordQuestion("reviewer", "dee")
    assert record_question("what did dee give it", records) == RecordQuestion("reviewer", "dee")


def test_a_title_said_without_a_cue_is_no_opinion_about_it() -> None:
    assert record_question("who thinks it is dull and grey", RECORDS) != RecordQuestion(
        "title", "Dull and grey")


def test_many_answering_reviews_are_named_and_one_is_one() -> None:
    many = [replace(RECORDS[0], reviewer=f"fan{n}") for n in range(9)]
    line = answer_records(RecordQuestion("rating", 9), many).line
    assert line == "9 reviews of the 9 gave it 9/10: " + ", ".join(f"fan{n}" for n in range(9)) + "."
    assert _who("year", 2010)[0].startswith("1 review of the 5 is from 2010: dee")
    assert _who("unrated")[0].startswith("1 review of the 5 gives no rating")


def test_year_bounds_sides_and_the_least_helpful() -> None:
    assert _who("year_before", 2003)[1] == ["anna_k", "cy99"]
    assert _who("year_after", 2003)[1] == ["dee"]
    line, who = _who("side", "positive")
    assert who == ["anna_k", "dee"] and line.startswith("2 of the 4 rated reviews are positive "
                                                        "(7–10/10), 50%")
    assert _who("side", "mixed")[1] == ["eli-x"] and _who("side", "negative")[1] == ["bo-7"]
    line, who = _who("least_helpful")
    assert who == ["cy99"] and "1 out of 1" in line  # fewest found it helpful (eli-x has no votes)


def test_a_handle_typed_partially_names_its_reviewer() -> None:
    records = tuple(replace(r, reviewer={"anna_k": "jdoetaylor-96-1380", "bo-7": "jdoe"}.get(
        r.reviewer, r.reviewer)) for r in RECORDS)
    assert record_question("what score did jdoetaylor give?", records) == RecordQuestion(
        "reviewer", "jdoetaylor-96-1380")
    # its possessive without the apostrophe, as people type it
    assert record_question("whats the title of jdoetaylors review", records) == RecordQuestion(
        "reviewer", "jdoetaylor-96-1380")
    # a whole handle still names its own reviewer; a stem several handles share, nobody
    assert record_question("what score did jdoe give?", records) == RecordQuestion("reviewer", "jdoe")
    twins = tuple(replace(r, reviewer=f"sametaylor-{n}") for n, r in enumerate(RECORDS))
    assert record_question("what score did sametaylor give?", twins) is None


@pytest.mark.parametrize(("question", "expected"), [
    # chat spelling and the page's header are no subject besides the records
    ("how many reviews r on the page", RecordQuestion("count")),
    ("imdb header says how many reviews total", RecordQuestion("count")),
    ("how many 9/10s", RecordQuestion("rating", 9)),
    ("which review got 1 helpful votes out of 1", RecordQuestion("votes", "1/1")),
    ("which review got the most 'not helpful' votes", RecordQuestion("unhelpful")),
    # a superlative among the reviews of one rating or one year
    ("most recent 9/10 review", RecordQuestion("latest", rating=9)),
    ("which 9/10 review is the most helpful", RecordQuestion("helpful", rating=9)),
    ("most helpful review from 2001", RecordQuestion("helpful", years=(2001, 2001))),
    ("average score of the 2003 reviews", RecordQuestion("average", years=(2003, 2003))),
    ("best rated review since 2003", RecordQuestion("highest", years=(2003, 9999))),
    ("how many reviews are from 2001 to 2003", RecordQuestion("years", "2001-2003")),
    ("which review got the most not-helpful votes", RecordQuestion("unhelpful")),
    # a title named without quotes, after "called"
    ("who wrote the review called dull and grey", RecordQuestion("title", "Dull and grey")),
    ("how many reviews dont have a rating", RecordQuestion("unrated")),
    ("how many ppl found cy99s review helpful", RecordQuestion("reviewer", "cy99")),
    # the top of the scale and the one below it
    ("how many gave it 9 or 10", RecordQuestion("at_least", 9)),
    ("who gave it 1 or 2", RecordQuestion("at_most", 2)),
    # a decade is the span of its years
    ("how many reviews from the 2000s", RecordQuestion("years", "2000-2009")),
    ("average rating of the reviews in the 2000s", RecordQuestion("average", years=(2000, 2009))),
    # a title, then more of the question
    ("who wrote the review called dull and grey and what did they give",
     RecordQuestion("title", "Dull and grey")),
    # the words people ask them in
    ("which review had the fewest helpful votes", RecordQuestion("least_helpful")),
    ("how many reviews contain spoilers", RecordQuestion("spoiler")),
    # a site's own score is one number: a superlative ranks the reviews
    ("what is the best rating on imdb", RecordQuestion("highest")),
    ("number of 9/10 reviews", RecordQuestion("rating", 9)),
    ("how many reviews posted 2003 or later", RecordQuestion("year_after", 2002)),
    ("reviews from 2003 or earlier", RecordQuestion("year_before", 2004)),
    ("what does cy99 call their review", RecordQuestion("reviewer", "cy99")),
    # a title of three words or more, without quotes or "called"
    ("who wrote dull and grey", RecordQuestion("title", "Dull and grey")),
    # a rating said as a bare count, "exactly", "a 9 or a 10"
    ("how many 9s", RecordQuestion("rating", 9)),
    ("how many reviewers gave it exactly 4", RecordQuestion("rating", 4)),
    ("how many reviewers gave it a 9 or a 10", RecordQuestion("at_least", 9)),
    # liking the film as a whole is its side
    ("how many people liked it", RecordQuestion("side", "positive")),
    ("how many hated the movie", RecordQuestion("side", "negative")),
    # the rank of a rating among the ratings given
    ("whats the second highest rating", RecordQuestion("highest", 2)),
    ("who gave it the most stars", RecordQuestion("highest")),
    ("who gave it the fewest stars", RecordQuestion("lowest")),
    ("who gave the lowest score and why", RecordQuestion("lowest")),
    ("what's the rating spread", RecordQuestion("distribution")),
    ("median rating among reviewers", RecordQuestion("median")),
    ("how many reviewers didnt give a score", RecordQuestion("unrated")),
    ("who reviewed it first", RecordQuestion("earliest")),
    ("whens the newest review from", RecordQuestion("latest")),
    ("which review got the most upvotes", RecordQuestion("helpful")),
    ("how is it rated by users", RecordQuestion("average")),
    ("how many user reviews does imdb say exist in total", RecordQuestion("count")),
    # a rating the text states, other than the stars
    ("which reviewer's text score doesn't match their star rating", RecordQuestion("mismatch")),
    ("does any review's rating differ from what the text says", RecordQuestion("mismatch")),
    # a rating names the reviews; what is asked of them, each record line states
    ("whats the title of the 4/10 review", RecordQuestion("rating", 4)),
    ("when was the 9/10 review written", RecordQuestion("rating", 9)),
    ("who didnt give a star rating", RecordQuestion("unrated")),
    ("how many user reviews are actually shown in the imdb dump", RecordQuestion("count")),
])
def test_record_questions_in_casual_and_composed_wordings(question: str,
                                                          expected: RecordQuestion) -> None:
    assert record_question(question, RECORDS) == expected


def test_a_rating_the_text_states_is_read_and_compared_with_the_stars() -> None:
    said = [replace(p, text=p.text + " Overall: 7/10") if p.reviewer == "anna_k" and p.start % 1000
            else replace(p, text="I gave it 4 / 10 stars.") if p.reviewer == "bo-7" else p
            for p in _passages()]
    records = review_records(said)
    assert [(r.reviewer, r.said_rating) for r in records if r.said_rating] == [
        ("anna_k", 7), ("bo-7", 4)]  # the last one stated, spaces or not
    a = answer_records(RecordQuestion("mismatch"), records)
    assert [r.reviewer for r in a.records] == ["anna_k"]  # bo-7's text agrees with its stars
    assert "(anna_k: 7/10 in the text, 9/10 in stars)" in a.line
    assert answer_records(RecordQuestion("mismatch"), RECORDS).line.startswith("0 reviews of the 5")


def test_the_nth_rating_and_the_distribution() -> None:
    line, who = _who("highest", 2)
    assert line.startswith("The second highest rating is 6/10") and who == ["eli-x"]
    line, who = _who("lowest", 9)  # past the last rating given: the last one
    assert line.startswith("The third lowest rating is 9/10")
    line, who = _who("distribution")
    assert line == "The 4 rated reviews: 9/10 ×2, 6/10 ×1, 4/10 ×1; 1 unrated."
    assert who == ["anna_k", "dee", "eli-x", "bo-7"]


def test_superlatives_among_some_reviews_and_exact_votes() -> None:
    a = answer_records(RecordQuestion("latest", rating=9), RECORDS)
    assert [r.reviewer for r in a.records] == ["dee"]
    assert a.line.startswith("Among the reviews that gave it 9/10: the latest of the 2 reviews")
    a = answer_records(RecordQuestion("helpful", years=(2001, 2001)), RECORDS)
    assert [r.reviewer for r in a.records] == ["anna_k"]  # dee has more votes, in 2010
    assert answer_records(RecordQuestion("earliest", rating=7), RECORDS).records == ()
    a = answer_records(RecordQuestion("average", years=(2003, 2003)), RECORDS)
    assert "5.00/10" in a.line and a.line.startswith("Among the reviews that are from 2003:")
    a = answer_records(RecordQuestion("highest", years=(2003, 9999)), RECORDS)
    assert [r.reviewer for r in a.records] == ["dee"] and "from 2003 on" in a.line
    assert _who("years", "2001-2003")[1] == ["anna_k", "cy99", "bo-7", "eli-x"]
    assert _who("votes", "1/1")[1] == ["cy99"] and _who("votes", "0/0")[1] == []
    line, who = _who("unhelpful")
    assert who == ["bo-7"] and "7" in line  # 9 votes, 2 found it helpful
    # a question about a title must be about a review at all
    assert record_question("what is the character called dull and grey", RECORDS) is None


def test_the_page_header_total_is_read() -> None:
    page = "Film (2001) Poster\n\nUser Reviews\n\n1,204 Reviews\nSort by:\n" + "".join(
        f"{n}/10\nTitle {n}\nuser{n}{n} May 2001\nBody {n}.\n{n} out of 9 found this helpful.\n"
        for n in range(1, 4))
    assert page_total(page) == 1204
    assert page_total(page.replace("1,204 Reviews\n", "")) is None


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
    ("whos tonnys bff", False),  # "bff" praises, but "whos" asks who someone is
    ("what do ppl call tonnys father", False),  # a name people use, not what they think
    ("do people call it a masterpiece", True),
])
def test_opinion_questions_are_told_from_facts(question: str, opinion: bool) -> None:
    assert asks_opinion(question) is opinion


@pytest.mark.parametrize("question", [
    "how's the acting", "how's the acting in Film Two?", "how violent is it",
    "is there a lot of gore in it?", "do you end up rooting for the thief or is he a creep?",
    "thoughts on the ending", "did anyone miss the old crew?", "does anyone talk about the sequel?",
    "who thought it was better than the first", "who reckons it's on par with the original?",
    "is it depressing", "is Film Two funny at all?", "is it a depressing watch?",
    "what do reviews say about the harbour?", "how do reviews describe the father?",
    "how much gore is in the movie?", "is the mother back and how's jon jonsson?",
    "was jon jonsson convincing as the father?", "how does the film portray the harbour town?",
    "any praise for the cinematography?", "what are people saying about the lead?",
    # chat spellings and casual shapes
    "hows the acting in film two", "was jon jonsson good in it??", "was the director's work good in this",
    "is it too violent", "is it super bleak and depressing", "is it funny at all or all doom n gloom",
    "is the thief likeable at all or just a screwup u cant root for", "hows the camerawork / score",
    "what were the main complaints about film two", "how does it stack up vs other crime flicks",
    "does film two glamorize the gangster life", "do i need to watch the first one before this",
    "did any reviewer mention the red scenes", "does the thief get good character development",
    "does the thief actually grow or change over the movie?", "is it just a macho gangster flick?",
    "hows the car heist / car stealing part",
    "how's the whole thief finding out he's got a baby thing handled",
    # how someone plays a part, a verbless judgement, how much of something, which is better
    "does jon carry the movie", "how was the guy playing the father", "how is jon jonsson as the father",
    "jon jonsson convincing or nah", "plot weak?", "is the thief likable", "are the supporting actors weak?",
    "lots of gore in it?", "any dark humour in it", "film one vs film two which is better",
    "is this the best of the trilogy",
    # how well made, a judging noun, standing alone, the ending's spirit, how it differs
    "is it well directed", "is the thief's character well developed", "are the extras a problem",
    "does it work on its own as a movie", "does it end on a downer",
    "any comedy in it or is it all grim", "how is it different from hollywood crime films",
    # a judging adjective before the downer, a comparison "with", a side or advice held
    "does it end on a total downer or what", "how does it compare with the first film",
    "who was meh or negative about it", "who actually tells ppl to go watch it",
])
def test_opinion_wording_is_recognised_without_the_vector(question: str) -> None:
    assert opinion_intent(question, None, FILM) == "wording"


@pytest.mark.parametrize("question", [
    "what's the vibe/atmosphere like", "does it hit hard emotionally?",
    "what's the deal with the tattoo on his head?", "is the lead different here from his other roles?",
])
def test_casual_shapes_lean_towards_an_opinion(question: str) -> None:
    # routed as the meaning is: a stance only when the ordinary answer's best passage is a review
    assert opinion_intent(question, None, FILM) == "leaning"


@pytest.mark.parametrize("question", [
    "was mads already famous when he did this", "is the camerawork super shaky",
    "is it only a danish production or were other countries involved", "is it a dogme film",
    "is kim bodnia in film two at all", "was it filmed in sequence", "how is the script structured",
    "is the thief dead as a result", "how was film two shot, what camera style",
    # a state the lexicon weighs is no judgement; nor is a field named by its noun
    "is the father dead", "is jon jonsson still alive", "the thief dead?", "box office gross?",
    "runtime?", "the thief killed?", "editing credits", "was the money a problem for the thief",
    "is it well known",
])
def test_fact_shapes_stay_facts_in_chat_spelling_too(question: str) -> None:
    assert opinion_intent(question, None, FILM) is None


@pytest.mark.parametrize("question", [
    "who plays the duke", "how long is the film", "what year was it made",
    "how much money does the thief owe", "what happens at the end", "who directed it",
    "what language is Film Two in, do i need subs", "did critics like it",
    "what did the 4 star reviewer hate", "what movie did one reviewer say left them speechless",
])
def test_fact_questions_stay_facts_even_near_the_opinion_prototypes(question: str) -> None:
    # a margin far past MARGIN: only the wording decides
    assert opinion_intent(question, MARGIN + 0.5, FILM) is None


@pytest.mark.parametrize("question", [
    "how is the script structured",  # a manner, not a verdict on a name
    "is the thief dead as a result", "was he arrested as a suspect",  # states, not praise
    "how does the film end",
    "someone said the dad looks like a director, who?",  # one review's remark: a fact
])
def test_no_opinion_cue_in_these_wordings(question: str) -> None:
    assert opinion_intent(question, None, FILM) is None


def test_meaning_alone_routes_an_unshaped_question_and_the_margin_is_read_from_rows() -> None:
    assert opinion_intent("does the harbour town look grim", MARGIN + 0.01) == "meaning"
    assert opinion_intent("does the harbour town look grim", MARGIN - 0.01) is None
    assert opinion_intent("does the harbour town look grim", None) is None
    n, dim = len(OPINION_PROTOTYPES), 4
    rows = np.zeros((len(PROTOTYPES), dim), dtype=np.float32)
    rows[:n, 0] = 1.0  # opinion rows point one way, fact rows another
    rows[n:, 1] = 1.0
    q = np.asarray([0.8, 0.6, 0, 0], dtype=np.float32)
    assert prototype_margin(q, rows) == pytest.approx(0.2)
    assert prototype_margin(q, rows[:3]) is None  # rows of other prototypes: no margin


@pytest.mark.parametrize(("text", "sides"), [
    ("does it beat the first one", {"better"}),
    ("even better than the first one", {"better"}),
    ("It improves upon its predecessor, if only by a little.", {"better"}),
    ("who thought it was worse than the original?", {"worse"}),
    ("It isn't as good as the first one", {"worse"}),
    ("I don't consider it to be nearly as good as its predecessor", {"worse"}),
    ("Not Nearly as Good as the First Film", {"worse"}),
    ("anyone say it's about as good as the first?", {"equal"}),
    ("who reckons it's on par with the first one?", {"equal"}),
    ("The sequel equals the first one.", {"equal"}),
    ("as good as, if not better than, the original", {"better", "equal"}),
    ("better or worse than the first one", {"better", "worse"}),
    ("how does it compare to the first one?", set()),
    ("I thought he was beat to death in the first one.", set()),  # not "beats the first"
])
def test_which_way_a_comparison_goes(text: str, sides: set[str]) -> None:
    assert comparison_sides(text) == sides


def test_the_films_own_name_is_said_as_it() -> None:
    assert without_title("how's the acting in Film Two?", FILM) == "how's the acting?"
    assert without_title("is film 2 any good", FILM) == "is it any good"
    assert without_title("is film 2: the return worth it", FILM) == "is it worth it"


def test_the_aspect_is_what_remains_of_the_question() -> None:
    assert aspect_text("what did people think of the ending?") == "the ending"
    assert aspect_text("What did reviewers say about Mads Mikkelsen's performance?") == \
        "mads mikkelsen's performance"
    assert aspect_text("what do reviewers say about tonny's relationship with his dad") == \
        "tonny's relationship with his dad"
    assert aspect_text("is it slow? how's the pacing") == "slow pacing"
    assert aspect_text("what did people think of film x overall?", {"x"}) == ""  # the film itself
    assert aspect_text("did anyone hate it?") == ""
    assert aspect_text("is it actually good or nah") == ""  # chat filler is no aspect
    assert aspect_text("hows the acting") == "the acting"
    assert aspect_text("anybody rave about the car heist") == "the car heist"
    assert aspect_text("who said it's on par with the first") == "the first"
    # an intensifier and a phrasal verb are no topic ("super" is no "superb", "end up" no ending)
    assert aspect_text("is it super depressing") == "depressing"
    assert aspect_text("do u end up rooting for the thief") == "rooting for the thief"
    assert aspect_text("who didn't like it or was lukewarm on it?") == ""  # the verdict itself


def test_words_given_as_alternatives_are_one_term() -> None:
    assert alternatives("is the plot/story any good or is it weak") == [frozenset({"plot", "story"})]
    assert alternatives("hows the camerawork / cinematography") == [
        frozenset({"camerawork", "cinematography"})]
    # a phrase on either side is no single word: "the baby / the thief becoming a father"
    assert alternatives("what about the baby / the thief becoming a father") == []
    assert alternatives("is it good or nah") == []
    assert alternatives("is the story and script any good") == [frozenset({"story", "script"})]
    assert alternatives("is there any hope or redemption in it") == [frozenset({"hope", "redemption"})]


def test_the_verdicts_sides_are_no_aspect() -> None:  # "positive" asks of the film overall
    assert aspect_text("is the overall verdict on film two positive", {"film", "two"}) == ""
    assert aspect_text("were reviews of the acting positive", {"film"}) == "the acting"


def test_the_judgement_asked_is_not_the_topic() -> None:
    assert verdict_words("is the plot/story any good or is it weak") == {"weak"}
    assert verdict_words("how does it compare to the first one") == {"compare"}
    assert verdict_words("is it super bleak") == set()  # the intensifier is no topic, bleak is
    # a lexicon word that names the topic stays: nothing says it of something
    assert verdict_words("does it glamorize the criminal life") == set()


@pytest.mark.parametrize(("question", "worth", "faults"), [
    ("is it worth watching", True, False),
    ("worth watching? should i bother w film two", True, False),
    ("is it worth watching? who recommends it?", True, False),
    ("is it worth watching for the acting?", False, False),  # an aspect besides
    ("what were the main complaints", False, True),
    ("any criticisms?", False, True),
    ("any complaints about the music?", False, False),
    # what was disliked, nothing named: its faults; "did anyone hate it" asks who (overall)
    ("what did ppl not like about it", False, True),
    ("what didnt people like", False, True),
    ("did anyone hate it?", False, False),
    ("what did people like about it", False, False),
    # advice on a condition: whether to watch it, not the condition's topic
    ("if i liked film one should i watch this", True, False),
    ("if you loved the first, is it worth it?", True, False),
    ("if i liked the music, how is the acting", False, False),  # an aspect besides
    # the negative reviews' complaints: what is wrong with it
    ("what did the negative reviews complain about", False, True),
    ("who actually tells ppl to go watch it", True, False),  # telling others to watch it
])
def test_whether_to_watch_it_and_what_is_wrong_with_it_are_asked(question: str, worth: bool,
                                                                  faults: bool) -> None:
    assert asks_worth(question, {"film", "two"}) is worth
    assert asks_faults(question, {"film", "two"}) is faults


@pytest.mark.parametrize(("sentence", "cue"), [
    ("I highly recommend it to everyone!", "worth"), ("A must see if you like movies.", "worth"),
    ("Go see it!", "worth"), ("If you liked the first one, you'll like this.", "worth"),
    ("Unfortunately it drags in the middle.", "faults"), ("The sequel lacks the pace.", "faults"),
    ("I wasn't really impressed with the film.", "faults"), ("Slightly below average.", "faults"),
])
def test_reviews_say_whether_to_watch_it_and_what_is_wrong_in_their_own_words(sentence: str,
                                                                               cue: str) -> None:
    assert bool(RECOMMENDS.search(sentence)) is (cue == "worth")
    assert bool(FAULTS.search(sentence)) is (cue == "faults")


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


def test_median_matches_the_statistics_module() -> None:
    """Oracle: records' own median (statistics is not imported at start-up) is statistics'."""
    import random
    import statistics

    from retrieval.reviews.records import _median

    rng = random.Random(5)
    for _ in range(500):
        values = [rng.randint(1, 10) for _ in range(rng.randint(1, 30))]
        assert _median(values) == statistics.median(values), values


def test_a_day_or_a_month_of_the_calendar_picks_the_reviews_posted_then() -> None:
    assert record_question("who posted a review on 1 june 2003", RECORDS) == RecordQuestion(
        "date", "2003-06-01")
    assert record_question("any reviews from september 9th, 2003?", RECORDS) == RecordQuestion(
        "date", "2003-09-09")
    assert record_question("reviews written in may 2001", RECORDS) == RecordQuestion(
        "date", "2001-05")
    line, who = _who("date", "2003-06-01")
    assert who == ["bo-7"] and line.startswith("1 review of the 5 is from 1 June 2003: bo-7")
    assert _who("date", "2001-05")[1] == ["anna_k", "cy99"]
    assert _who("date", "2001-06") == ("0 reviews of the 5 are from June 2001.", [])
    # the day a named reviewer posted: the reviewer's record
    assert record_question("what day did bo-7 post", RECORDS) == RecordQuestion("reviewer", "bo-7")


def test_a_long_title_is_named_by_its_first_words() -> None:
    records = tuple(replace(r, title="BETTER THAN THE FIRST ONE BUT NOT BY MUCH")
                    if r.reviewer == "dee" else r for r in RECORDS)
    assert record_question("who wrote the all-caps review better than the first one",
                           records) == RecordQuestion("title", "BETTER THAN THE FIRST ONE BUT NOT BY MUCH")
    assert record_question("who wrote the review better than the", records) is None


def test_the_votes_summed_and_who_posted_in_a_year() -> None:
    assert record_question("how many helpful votes did all reviews get combined",
                           RECORDS) == RecordQuestion("votes_total")
    assert record_question("total helpful votes?", RECORDS) == RecordQuestion("votes_total")
    line, who = _who("votes_total")
    assert line == "The 5 reviews got 43 helpful votes in all, of 53 votes cast (4 reviews had votes)."
    assert record_question("who posted in 2003", RECORDS) == RecordQuestion("year", 2003)
    assert record_question("who wrote it in 2003", RECORDS) is None  # the film's writer, maybe
    assert record_question("how many reviews are there in the file", RECORDS) == RecordQuestion(
        "count")
