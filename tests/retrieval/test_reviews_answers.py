"""Record and opinion questions answered by the real engine, on the real seeds and on the
invented film: counts from the parsed records, quotes verbatim, stances split by rating."""

from __future__ import annotations

import pytest

from retrieval.engine import Engine
from retrieval.reviews.evaluate import evaluate_opinions, evaluate_sentiment, load_labelled
from retrieval.settings import REPO_ROOT

DATA = REPO_ROOT / "tests" / "data"



def reviewers(answer) -> list[str]:
    return [r.passage.reviewer for r in answer.results]


def verbatim(answer) -> None:
    """Every quote is a review's own text; one sentence longer than a quote may be is cut at a
    word, with an ellipsis."""
    for r in answer.results:
        assert r.passage.source == "review"
        quote = r.quote[:-1] if r.quote.endswith("…") else r.quote
        assert quote in r.passage.text and len(r.quote) <= 400


def test_the_real_page_has_25_review_records(engine: Engine) -> None:
    records = engine.reviews.records
    assert len(records) == 25 and sum(r.rating is None for r in records) == 1
    assert sum(r.spoiler for r in records) == 2


@pytest.mark.parametrize(("question", "who", "figure"), [
    ("what's the lowest rating anyone gave it?", ["Uriah43"], "4/10"),
    ("who gave it 10/10?", ["kristianbk", "gotchast", "ocosis"], "3 reviews of the 25"),
    ("how many reviews are there?", None,
     "The page shows 25 reviews (its header counts 44 in total): 24 rated, 1 unrated"),
    ("what's the most helpful review?", ["UlrikSander"], "54 out of 62"),
    ("when was the earliest review posted?", ["ivansv"], "16 December 2004"),
    ("which reviews are from 2005?", ["kristianbk", "gotchast", "Martinjnl", "yoshi-33",
                                      "alke-2"], "5 reviews of the 25"),
    ("what rating did slake09 give?", ["slake09"], "7/10"),
])
def test_record_questions_are_answered_from_the_records(engine: Engine, question: str,
                                                        who: list[str] | None, figure: str) -> None:
    a = engine.answer(question)
    assert a.answered and a.summary and figure in a.summary, a.summary
    assert (a.analysis or {})["type"] == "record" and a.reviews is None
    if who is not None:
        assert sorted(reviewers(a)) == sorted(who)
    verbatim(a)


def test_a_review_is_cited_by_its_sentence_nearest_the_question(engine: Engine) -> None:
    a = engine.answer("how many stars did martinjnl give it")
    assert a.results[0].quote == "I gave it 7/10 stars."


@pytest.mark.parametrize(("question", "header"), [
    ("what's the lowest rating anyone gave it?", "4/10\nNot Nearly as Good as the First Film\n"
                                                 "Uriah4330 March 2024"),
    ("what rating did slake09 give?", "7/10\n"),
    ("when was the earliest review posted?", "ivansv16 December 2004"),
])
def test_a_record_answer_cites_the_whole_review_its_header_included(
        engine: Engine, question: str, header: str) -> None:
    # The rating, title, name and date the answer rests on stand in the review's header
    # lines, which no body passage holds: the cited passage is the review's whole record,
    # and the quote is still one of its body's sentences.
    a = engine.answer(question)
    top = a.results[0]
    assert top.passage.kind == "record" and header in top.passage.text
    assert top.passage.id >= len(engine.index.passages)
    body = engine.index.passages[engine.reviews.records[0].passages[0]]
    assert top.quote in top.passage.text and top.passage.text.count("\n") >= body.text.count("\n")
    assert not any(p.kind == "record" for p in engine.index.passages)  # never searched


@pytest.mark.parametrize(("question", "author"), [
    ("which reviewer said it ends on a high", "PAolo-10"),
    ("which reviewer thinks the supporting actors almost ruin the movie", "peterroeder34"),
])
def test_which_one_reviewer_said_an_opinion_is_no_stance_but_its_author(
        engine: Engine, question: str, author: str) -> None:
    # an opinion's words, but asked of one reviewer: the review that says it, by its record
    a = engine.answer(question)
    assert a.reviews is None and a.analysis["type"] == "reviewer"
    assert a.summary is not None and a.summary.startswith(f"From {author}'s review")
    # "which reviewers" asks for all of them
    assert engine.answer("which reviewers thought it ends on a high").reviews is not None


def test_who_said_it_cites_the_review_whose_byline_names_them(engine: Engine) -> None:
    a = engine.answer("which reviewer said it was as powerful as once were warriors")
    top = a.results[0]
    assert top.passage.kind == "record" and "gotchast" in top.passage.text
    assert "once were warriors" in top.quote.lower() and top.quote in top.passage.text
    # an ordinary question quoting the same review cites its body passage, as before
    plain = engine.answer("what film was it as powerful as")
    assert all(r.passage.kind != "record" for r in plain.results)


def test_an_opinion_question_gets_counts_a_split_and_quotes(engine: Engine) -> None:
    a = engine.answer("what did people think of the ending?")
    s = a.reviews
    assert a.answered and s is not None and s.aspect == "the ending"
    assert s.discussing == len(a.results) == s.positive + s.mixed + s.negative
    assert s.total == 25 and sum(s.ratings.values()) == s.discussing - s.unrated
    assert {"gotchast", "PAolo-10"} <= set(reviewers(a))
    assert "UlrikSander" not in reviewers(a)  # the film overall, never its ending
    assert a.summary == s.line and a.summary.startswith(f"{s.discussing} of the 25 reviews")
    verbatim(a)
    d = a.to_dict()["reviews"]
    assert list(d) == ["aspect", "total", "discussing", "positive", "mixed", "negative",
                       "unrated", "ratings", "average"]
    assert list(d["ratings"]) == [str(n) for n in range(1, 11)]


def test_the_film_overall_counts_every_review_by_its_rating(engine: Engine) -> None:
    a = engine.answer("did anyone hate it?")
    s = a.reviews
    assert s is not None and s.aspect == "" and s.discussing == 25
    assert (s.positive, s.mixed, s.negative) == (21, 3, 1)  # the unrated one's title is "Amazing"
    # The question leans negative: the negative side speaks first.
    assert reviewers(a)[0] == "Uriah43" and s.sides[0] == "negative"
    assert s.average == 7.67
    # "is it good" leans the other way: the praise speaks first, not the one negative review
    good = engine.answer("is it good")
    assert good.reviews is not None and good.results[0].passage.rating >= 7


def test_a_named_actor_is_an_aspect(engine: Engine) -> None:
    a = engine.answer("What did reviewers say about Mads Mikkelsen's performance?")
    assert a.reviews is not None
    assert {"slake09", "peterroeder34", "r96sk"} <= set(reviewers(a))
    # Each review is quoted by its sentence about him, not by its overall verdict.
    quote = {r.passage.reviewer: r.quote for r in a.results}
    assert "superhuman" in quote["peterroeder34"] and "Mikkelsen" in quote["slake09"]


def test_fact_questions_about_reviews_keep_the_ordinary_path(engine: Engine) -> None:
    a = engine.answer("Which film did a reviewer say Pusher II was as powerful as?")
    assert a.summary is None and a.reviews is None
    assert a.results[0].passage.reviewer == "gotchast"  # 'As powerful as "once were warriors"'


def test_invented_film_records(invented: Engine) -> None:
    a = invented.answer("how many reviews are there?")
    assert a.summary and "There are 6 reviews: 5 rated, 1 unrated, 1 with a spoiler" in a.summary
    low = invented.answer("what's the lowest rating anyone gave it?")
    assert reviewers(low) == ["kvikmyndaunnandi"] and "4/10" in (low.summary or "")
    verbatim(low)


def test_invented_film_stances(invented: Engine) -> None:
    a = invented.answer("what did people think of the ending?")
    assert a.reviews is not None and "Trawlerman-88" in reviewers(a)
    assert "filmnerd_dk" not in reviewers(a)
    verbatim(a)
    slow = invented.answer("is it slow?")
    assert slow.reviews is not None and "kvikmyndaunnandi" in reviewers(slow)
    music = invented.answer("what did reviewers say about the soundtrack?")
    assert music.reviews is not None and reviewers(music)[0] == "bjarki_rvk"


def test_labelled_opinions_meet_the_record_target(engine: Engine) -> None:
    """The labelled file's figures are reported by `pusherbot eval`; here only that the
    evaluator runs and records stay answered (a regression guard, not the quality target)."""
    kind, rows = load_labelled(DATA / "opinions.jsonl")
    assert kind == "opinions"
    report = evaluate_opinions(engine, rows)
    assert report["record_questions"] >= 30 and report["record_correct"] >= 0.9
    assert 0 < report["aspect_recall"] <= 1 and 0 < report["aspect_precision"] <= 1


def test_sentiment_file_is_recognised_and_scored() -> None:
    kind, rows = load_labelled(DATA / "sentiment.jsonl")
    assert kind == "sentiment"
    report = evaluate_sentiment(rows)
    assert report["n"] == len(rows) and 0 < report["accuracy"] <= 1


@pytest.mark.parametrize("question", ["is it worth watching", "how good is mads in it",
                                      "is it better than the first one"])
def test_the_engines_own_best_review_leads_the_stance(engine: Engine, question: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The ordinary answer's quote, when it is from a review that discusses the aspect, speaks
    first; the stance adds the counts and every other review's voice."""
    stance = engine.answer(question)
    with monkeypatch.context() as m:
        m.setattr(engine.reviews, "answer", lambda *a, **k: None)
        ordinary = engine.answer(question)
    assert stance.reviews is not None
    top = ordinary.results[0]
    assert top.passage.source == "review"  # (so the lead applies to these questions)
    assert stance.results[0].quote == top.quote and stance.results[0].passage == top.passage
    assert len(set(reviewers(stance))) == len(stance.results) == stance.reviews.discussing


def test_an_opinion_no_review_discusses_falls_back_to_the_ordinary_answer(engine: Engine) -> None:
    a = engine.answer("what did reviewers think of the wedding toast")
    assert a.reviews is None and a.summary is None  # no stance to summarise
    assert a.answered and a.results  # yet answered, as the ordinary path answers it


def test_a_comparison_with_the_first_part_finds_the_review_that_makes_it(engine: Engine) -> None:
    # The review says "the First Film"; the question "the first one": the series' words meet.
    # Asked of one review, the review that says it answers, by its author's record.
    a = engine.answer("which review thinks its way worse than the first one")
    assert a.summary is not None and a.summary.startswith("From Uriah43's review")
    assert "Not Nearly as Good as the First Film" in a.results[0].passage.text
    assert a.results[0].passage.rating is not None and a.results[0].passage.rating <= 4
    # Asked of all of them, the reviews that find it worse are counted.
    a = engine.answer("which reviews think its way worse than the first one")
    assert a.reviews is not None and a.reviews.negative >= 1


def test_a_short_afterword_joins_the_quote(engine: Engine) -> None:
    a = engine.answer("what's the worst rating anyone gave it in the reviews")
    assert a.results[0].quote.endswith("I have rated it accordingly. Slightly below average.")


@pytest.mark.parametrize(("question", "said", "who"), [
    ("which review got the second most helpful votes?", "43 out of 57", ["gotchast"]),
    ("how many reviews does the page say there are in total?", "44 in total", None),
    ("what score did pjtaylor give?", "7/10", ["Pjtaylor-96-138044"]),  # a handle typed partly
    ("which reviews got zero helpful votes?", "2 reviews of the 25", ["masonfisk", "r96sk"]),
    ("how many reviews rated it 8/10 or higher?", "13 reviews of the 25", None),
    ("what's the average rating across the rated reviews, to one decimal?", "7.7 to one decimal",
     None),
    ("what rating did uriah43 give and what was the review title?",
     "Not Nearly as Good as the First Film", ["Uriah43"]),
    # composed and casual wordings
    ("most recent 10/10 review", "16 December 2019", ["ocosis"]),
    ("who wrote the review called the duke of hazard", "7/10", ["Pjtaylor-96-138044"]),
    ("which review got the most 'not helpful' votes", "not helpful", ["ivansv"]),
    ("how many 7/10s", "7 reviews of the 25", None),
    ("who put spoiler warnings on their reviews", "2 reviews of the 25 carry a spoiler warning",
     ["kristianbk", "lastliberal"]),
])
def test_record_questions_in_the_words_people_use(engine: Engine, question: str, said: str,
                                                   who: list[str] | None) -> None:
    a = engine.answer(question)
    assert (a.analysis or {}).get("type") == "record" and said in (a.summary or "")
    if who is not None:
        assert reviewers(a) == who
    verbatim(a)


@pytest.mark.parametrize("question", [
    "who plays the duke", "how long is the film", "what year was it made",
    "how much money does tonny owe", "what happens at the end", "who directed it",
])
def test_fact_questions_are_not_routed_to_a_stance(engine: Engine, question: str) -> None:
    a = engine.answer(question)
    assert a.reviews is None and (a.analysis or {}).get("type") not in ("opinion", "record")


@pytest.mark.parametrize("question", [
    "how much violence is in the movie?", "thoughts on the soundtrack?",
    "do people think it is better than the original?", "is there a lot of drug use in it?",
    # how someone is in it; who praised, raved about, thought it on par
    "hows mads in it", "who praised the script or story", "anybody rave about the car heist",
    "who said it's about on par with the first",
])
def test_opinions_asked_in_other_words_get_a_stance(engine: Engine, question: str) -> None:
    a = engine.answer(question)
    assert a.reviews is not None and a.reviews.discussing >= 1
    verbatim(a)


def test_a_comparison_asked_one_way_counts_the_reviews_that_say_so(engine: Engine) -> None:
    worse = engine.answer("who said it was worse than the first one?")
    assert worse.reviews is not None and "johanevander" in reviewers(worse)  # "not as strong"
    assert "UlrikSander" not in reviewers(worse)  # "even better than the first one"
    better = engine.answer("do people think it is better than the original?")
    assert "UlrikSander" in reviewers(better) and "johanevander" not in reviewers(better)


def test_whether_it_beats_the_first_part_counts_every_review_that_weighs_them(engine: Engine
                                                                             ) -> None:
    # a yes/no question: those who say better and those who say worse both answer it
    a = engine.answer("does it beat the first one")
    assert a.reviews is not None
    assert {"UlrikSander", "johanevander"} <= set(reviewers(a))
    # …but not every review: each names the series, and that alone weighs no part
    assert a.reviews.discussing < a.reviews.total
    verbatim(a)


def test_a_relatives_actor_is_the_aspect_not_whose_relative(engine: Engine) -> None:
    dad = engine.answer("what do people think of tonnys dad")
    lead = engine.answer("what do people think of tonny")
    assert dad.reviews is not None and lead.reviews is not None
    assert dad.reviews.discussing < lead.reviews.discussing
    assert "Jack_Coen" in reviewers(dad)  # "Leif Sylvester as his father"


@pytest.mark.parametrize("question", ["plot weak?", "does mads carry the movie",
                                      "how is mikkelsen as tonny", "lots of drugs in it?"])
def test_chat_judgements_get_a_stance(engine: Engine, question: str) -> None:
    a = engine.answer(question)
    assert a.reviews is not None and a.reviews.discussing >= 1
    verbatim(a)


def test_invented_film_records_and_opinions_in_other_words(invented: Engine) -> None:
    a = invented.answer("which review got the second most helpful votes?")
    assert reviewers(a) == ["filmnerd_dk"] and "14 out of 16" in (a.summary or "")
    total = invented.answer("how many reviews does the page say there are in total?")
    assert (total.summary or "").startswith("There are 6 reviews")  # the header says 6 too
    ending = invented.answer("thoughts on the ending?")
    assert ending.reviews is not None and "Trawlerman-88" in reviewers(ending)
    verbatim(ending)
    assert invented.answer("who plays the captain").reviews is None


def test_a_character_is_found_by_every_name_and_by_the_actor_who_plays_him(engine: Engine) -> None:
    a = engine.answer("what did people think of the duke?")
    assert a.reviews is not None
    # "Leif Sylvester Petersen is probably the standout": the actor, not "the Duke", is named
    assert {"r96sk", "UlrikSander", "nesfilmreviews"} <= set(reviewers(a))
    verbatim(a)


def test_naming_the_film_does_not_draw_every_review_that_names_it(engine: Engine) -> None:
    plain = engine.answer("what did people think of the ending?")
    named = engine.answer("what did people think of the ending of pusher ii?")
    assert plain.reviews is not None and named.reviews is not None
    assert set(reviewers(named)) == set(reviewers(plain))


def test_eval_credits_a_record_answer_by_its_computed_line(engine) -> None:
    # "4/10" is in the line computed from the records, above a quote that cites the review
    from retrieval.evaluate import EvalQuestion, evaluate

    q = EvalQuestion("r1", "lowest score any of the reviewers gave?", ("4/10",), "reviews")
    row = evaluate(engine, [q], modes=("hybrid",))["details"][0]
    assert row["quote1"] and row["decision"] == "answered from the review records"
    # a fact question is still judged by its quote alone
    fact = EvalQuestion("f1", "who plays tonny", ("4/10",), "cast")
    assert not evaluate(engine, [fact], modes=("hybrid",))["details"][0]["quote1"]


@pytest.mark.parametrize("question", [
    "hows the acting in pusher ii", "was refn's direction good in this", "is it too violent",
    "what were the main complaints about pusher ii", "does pusher 2 glamorize the gangster life",
])
def test_casual_opinion_wordings_get_a_stance(engine: Engine, question: str) -> None:
    a = engine.answer(question)
    assert a.reviews is not None and a.reviews.discussing >= 1, question
    verbatim(a)


def test_alternatives_are_one_term_and_the_verdict_asked_is_none(engine: Engine) -> None:
    # "plot/story": a review that speaks of its story discusses the aspect; "weak" is the
    # judgement asked, which a review need not use
    a = engine.answer("is the plot/story any good or is it weak")
    assert a.reviews is not None
    assert {"evileyereviews", "alke-2", "brchthethird"} <= set(reviewers(a))
    assert "lastliberal" not in reviewers(a)  # says nothing of the story
    verbatim(a)


def test_the_acting_is_found_in_what_the_reviews_say_of_the_actors(engine: Engine) -> None:
    a = engine.answer("how was the acting")
    assert a.reviews is not None
    assert "Jack_Coen" in reviewers(a)  # "They are (as usual) very professional and passionate actors."


def test_worth_watching_counts_the_reviews_that_tell_the_reader(engine: Engine) -> None:
    a = engine.answer("is it worth watching")
    assert a.reviews is not None and a.reviews.aspect == "whether it is worth watching"
    # "Go see it!", "A must see if you like movies.", "is still worth seeing" (a 5/10 review)
    assert {"ivansv", "kristianbk", "peterroeder34"} <= set(reviewers(a))
    verbatim(a)


def test_complaints_count_the_reviews_that_find_fault(engine: Engine) -> None:
    a = engine.answer("what were the main complaints about pusher ii")
    assert a.reviews is not None and a.reviews.aspect == "what is wrong with it"
    # "Slightly below average.", "its pacing drags a little here and there"
    assert {"Uriah43", "Pjtaylor-96-138044"} <= set(reviewers(a))
    verbatim(a)


def test_an_adjective_is_found_by_its_noun(engine: Engine) -> None:
    a = engine.answer("is it funny at all")
    assert a.reviews is not None  # "featuring some madcap fun and general foolishness"
    assert "slake09" in reviewers(a)


def test_the_acting_as_a_whole_is_found_by_any_actors_name(engine: Engine) -> None:
    a = engine.answer("how's the acting in pusher ii?")
    assert a.reviews is not None
    # "Mads Mikkelsen is superb in the starring role": no word of acting, an actor's name
    assert "Pjtaylor-96-138044" in reviewers(a)
    verbatim(a)


def test_invented_film_acting_is_found_by_its_actors(invented: Engine) -> None:
    a = invented.answer("how was the acting?")
    assert a.reviews is not None
    # "Björgvin Hallgrímsson as the Baron is terrifying precisely because he is so polite."
    assert "bjarki_rvk" in reviewers(a)
    verbatim(a)


def test_someones_relation_is_found_in_every_word_for_it(engine: Engine, invented: Engine) -> None:
    # "his dad": the reviews write "his father" ("He wants his crime boss father to love him")
    a = engine.answer("what do reviewers say about tonny's relationship with his dad")
    assert a.reviews is not None and "Martinjnl" in reviewers(a)
    # the relation that is only another name for the person named is no term of its own
    duke = engine.answer("was leif sylvester convincing as smeden, tonny's dad?")
    assert duke.reviews is not None and duke.reviews.discussing < a.reviews.discussing
    mum = invented.answer("what do people think of rúnar's relationship with his mum?")
    assert mum.reviews is not None  # "finds that his mother owes money to his own uncle"
    assert "bjarki_rvk" in reviewers(mum)
    verbatim(mum)


def test_a_kind_the_corpus_writes_as_a_name_is_a_fact_not_a_stance(engine: Engine) -> None:
    danish = engine.answer("is it danish")  # a nationality: "a 2004 Danish crime film"
    assert danish.reviews is None and danish.answered and "Danish" in danish.results[0].quote
    assert engine.answer("is it scary").reviews is not None  # how it comes off: the reviews


@pytest.mark.parametrize(("question", "needle", "not_there"), [
    ("evil eye reviews rating", "evileyereviews, 8/10", None),  # a handle typed as words
    ("when did alke-2 post", "3 January 2005", None),  # when a named review was written
    ("who wrote the one titled worth viewing", "Martinjnl", None),  # a title after "titled"
    ("which review got zero helpful votes out of zero", "masonfisk", "r96sk"),  # 0/0, not 0/1
    ("only review from 2009, whats its title", "Gritty, bleak and unforgettable", None),
])
def test_record_questions_in_channel_wording(engine: Engine, question: str, needle: str,
                                             not_there: str | None) -> None:
    answer = engine.answer(question)
    assert answer.summary is not None and needle in answer.summary
    assert not_there is None or not_there not in answer.summary


@pytest.mark.parametrize("question", ["who thought the first one was better",
                                      "who liked the original more",
                                      "who preferred the first film"])
def test_who_preferred_the_other_part_counts_the_reviews_finding_this_one_worse(
        engine: Engine, question: str) -> None:
    a = engine.answer(question)
    assert a.reviews is not None and 1 <= a.reviews.discussing <= 4
    assert "Uriah43" in reviewers(a) and "UlrikSander" not in reviewers(a)
    # whether people prefer it asks every review that weighs the two
    assert engine.answer("do people prefer the first one").reviews.discussing >= 10
