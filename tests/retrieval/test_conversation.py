"""Conversations: the bounded store (pure logic, a fake clock), then follow-ups, small talk and
gender evidence on the real engine, on the real seeds and on the invented film."""

from __future__ import annotations

import pytest

from retrieval.conversation.context import ContextStore, Turn
from retrieval.conversation.dialogue import Dialogue, Exchange
from retrieval.conversation.smalltalk import example_questions, is_smalltalk
from retrieval.engine import Engine
from retrieval.evaluate import contains_answer


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# -- the store ------------------------------------------------------------------------------


def test_a_turn_expires_after_the_ttl_and_not_before() -> None:
    clock = FakeClock()
    store: ContextStore[str] = ContextStore(10, ttl=300, clock=clock)
    store.put("a", "turn 1")
    clock.now += 299.9
    assert store.get("a") == "turn 1"
    clock.now += 0.1
    assert store.get("a") is None and len(store) == 0


def test_writing_again_restarts_the_ttl() -> None:
    clock = FakeClock()
    store: ContextStore[str] = ContextStore(10, ttl=300, clock=clock)
    store.put("a", "turn 1")
    clock.now += 200
    store.put("a", "turn 2")
    clock.now += 200
    assert store.get("a") == "turn 2"


def test_the_least_recently_written_conversation_goes_first_beyond_capacity() -> None:
    store: ContextStore[int] = ContextStore(3, ttl=300, clock=FakeClock())
    for key in "abc":
        store.put(key, ord(key))
    store.put("a", 0)  # a is now the most recent
    store.put("d", 4)
    assert store.get("b") is None and [store.get(k) for k in "acd"] == [0, ord("c"), 4]
    assert len(store) == 3


def test_expired_entries_are_swept_on_any_write() -> None:
    clock = FakeClock()
    store: ContextStore[int] = ContextStore(100, ttl=10, clock=clock)
    for i in range(50):
        store.put(i, i)
    clock.now += 11
    store.put("new", 1)
    assert len(store._items) == 1  # the old message content is gone, not just hidden


def test_pop_and_bad_arguments() -> None:
    store: ContextStore[int] = ContextStore(2, ttl=5, clock=FakeClock())
    store.put("a", 1)
    assert store.pop("a") == 1 and store.pop("a") is None
    for capacity, ttl in ((0, 5), (1, 0)):
        with pytest.raises(ValueError):
            ContextStore(capacity, ttl)


# -- follow-ups on the real seeds ----------------------------------------------------------


@pytest.fixture(scope="module")
def dialogue(engine: Engine) -> Dialogue:
    return Dialogue.of(engine)


def talk(dialogue: Dialogue, *questions: str) -> list[Exchange]:
    """Ask the questions in one conversation."""
    previous: Turn | None = None
    out = []
    for q in questions:
        exchange = dialogue.respond(q, previous, 3)
        previous = exchange.turn or previous
        out.append(exchange)
    return out


def top(exchange: Exchange) -> str:
    assert exchange.answer is not None and exchange.answer.answered, exchange
    return exchange.answer.results[0].quote


@pytest.mark.parametrize(("question", "pronoun"), [("who plays him?", "him"),
                                                    ("how does he die", "he")])
def test_a_pronoun_nothing_resolves_is_asked_about_not_guessed(dialogue: Dialogue, question,
                                                               pronoun) -> None:
    (exchange,) = talk(dialogue, question)
    assert exchange.answer is None and exchange.turn is None  # no quote, and no turn kept
    assert exchange.clarify is not None
    assert exchange.clarify.startswith(f"Who do you mean by “{pronoun}”?")
    assert exchange.to_dict()["clarify"] is True


@pytest.mark.parametrize("question", [
    "do they ever name the baby",  # "they": often no one in particular
    "who plays the mother of his kid",  # the analysis takes "his" as the lead's
    "who plays tonny and what does he want",  # a name the pronoun can mean
    "when did slake09 post his review",  # the reviewer the records answer about
])
def test_a_pronoun_with_a_reading_is_answered(dialogue: Dialogue, question) -> None:
    (exchange,) = talk(dialogue, question)
    assert exchange.clarify is None and exchange.answer is not None


def test_him_is_the_person_a_relation_led_to(dialogue: Dialogue) -> None:
    first, second = talk(dialogue, "who is tonnys dad", "who plays him?")
    assert first.resolved is None and first.note is None  # a first question is never rewritten
    assert second.resolved == "who plays the Duke?"
    assert second.note == "(taking *him* as Smeden, Tonny's father)"
    assert "Leif Sylvester" in top(second)


def test_her_skips_the_men_and_finds_the_woman(dialogue: Dialogue) -> None:
    *_, last = talk(dialogue, "who is the mother of tonnys kid", "who plays her")
    assert last.resolved == "who plays Charlotte"
    assert contains_answer(top(last), ("Anne Sørensen",))


def test_two_pronouns_of_different_gender_mean_two_people(dialogue: Dialogue) -> None:
    *_, last = talk(dialogue, "who is charlotte", "who is tonny", "what does she want from him?")
    assert last.resolved == "what does Charlotte want from Tonny?"
    assert "child support" in top(last)


def test_pronouns_follow_who_does_what_in_the_last_answers_passage(dialogue: Dialogue) -> None:
    *_, last = talk(dialogue, "what happens at ø's wedding", "why does he attack her?")
    assert last.resolved == "why does Tonny attack Charlotte?"


def test_an_object_pronoun_never_means_the_questions_own_subject(dialogue: Dialogue) -> None:
    *_, last = talk(dialogue, "who is tonnys dad", "does Tonny kill him?")
    assert last.resolved == "does Tonny kill the Duke?"


def test_a_question_that_stands_alone_is_never_rewritten(dialogue: Dialogue) -> None:
    _, *rest = talk(dialogue, "who is tonnys dad", "who plays Gry?",
                    "what does Tonny do to his father?", "who directed it?")
    assert [e.resolved for e in rest] == [None, None, None]
    assert [e.note for e in rest] == [None, None, None]
    assert "Maria Erwolter" in top(rest[0])


def test_without_context_nothing_is_resolved(dialogue: Dialogue) -> None:
    (alone,) = talk(dialogue, "who plays him?")
    assert alone.resolved is None and alone.note is None


def test_and_x_asks_the_last_question_about_x(dialogue: Dialogue) -> None:
    *_, last = talk(dialogue, "who plays tonny?", "and charlotte?")
    assert last.resolved == "who plays Charlotte?"
    assert contains_answer(top(last), ("Anne Sørensen",))


def test_and_a_field_replaces_the_field_asked(dialogue: Dialogue) -> None:
    *_, last = talk(dialogue, "who did the cinematography on pusher ii", "and the editing?")
    assert last.resolved == "who did editing on pusher ii?"
    assert "Janus Billeskov Jansen" in top(last)


def test_why_asks_about_what_the_last_answer_said(dialogue: Dialogue) -> None:
    first, why = talk(dialogue, "how does tonny take part in the car heist", "why?")
    assert why.resolved is not None and why.resolved.startswith("why ")
    assert why.note is not None and "how does tonny take part" in why.note
    assert top(first) not in why.note  # the note never repeats a (spoiler) quote
    assert "no seats left" in top(why)


def test_why_after_a_stance_asks_the_reviews_again_on_the_same_aspect(dialogue: Dialogue) -> None:
    first, why = talk(dialogue, "what did people think of the ending", "why?")
    # the quote was one voice among several, not a fact to explain: no quote words in the aspect
    assert first.answer.reviews is not None and why.answer.reviews is not None
    assert why.answer.reviews.aspect == first.answer.reviews.aspect == "the ending"


def test_more_shows_passages_not_shown_yet(dialogue: Dialogue) -> None:
    first, more = talk(dialogue, "what happens to the duke?", "more")
    assert more.answer is not None and more.answer.results
    shown = {r.passage.id for r in first.answer.results} if first.answer else set()
    assert shown and not shown & {r.passage.id for r in more.answer.results}
    assert [r.rank for r in more.answer.results] == list(range(1, len(more.answer.results) + 1))


def test_the_documents_give_the_genders(dialogue: Dialogue, engine: Engine) -> None:
    names = {engine.knowledge.entity(e).name: g for e, g in dialogue.resolver.genders.items()}
    assert {k: names.get(k) for k in ("Smeden", "Tonny", "Ø", "Charlotte", "Gry", "Jeanette",
                                      "Anne Sørensen", "Leif Sylvester")} == {
        "Smeden": "m", "Tonny": "m", "Ø": "m", "Charlotte": "f", "Gry": "f", "Jeanette": "f",
        "Anne Sørensen": "f", "Leif Sylvester": "m"}


# -- small talk ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["hi", "Hello!", "hey there", "thanks", "thank you so much!",
                                  "help", "what can you do?", "are you a bot?", "", "  ",
                                  "hi, thanks", "ok cool", "good morning pusherbot"])
def test_small_talk_is_recognised(text: str) -> None:
    assert is_smalltalk(text)


@pytest.mark.parametrize("text", ["hi, who plays the duke?", "who are the actors",
                                  "help me find who directed it", "thanks, who plays gry?",
                                  "what can you tell me about tonny", "why?", "more", "and Gry?"])
def test_questions_are_not_small_talk(text: str) -> None:
    assert not is_smalltalk(text)


def test_small_talk_gets_one_friendly_message_and_no_quote(dialogue: Dialogue) -> None:
    exchange = dialogue.respond("hi!", None)
    assert exchange.answer is None and exchange.turn is None
    assert exchange.smalltalk is not None and "I couldn't find" not in exchange.smalltalk
    assert exchange.to_dict() == {"question": "hi!", "answered": False, "smalltalk": True,
                                  "message": exchange.smalltalk, "results": []}
    thanks = dialogue.respond("thanks!", None).smalltalk
    assert thanks is not None and thanks.startswith("You're welcome")


def test_the_example_questions_are_answered_by_the_engine(engine: Engine) -> None:
    examples = example_questions(engine.knowledge)
    assert examples == ("Who plays Smeden?", "Who is Tonny's father?", "Who directed the film?")
    expected = ("Leif Sylvester", "Smeden", "Nicolas Winding Refn")
    for question, answer in zip(examples, expected, strict=True):
        got = engine.answer(question)
        assert got.answered and answer in got.results[0].quote, (question, got.results[0].quote)


# -- the invented film ---------------------------------------------------------------------



def test_follow_ups_work_on_the_invented_film(invented: Engine) -> None:
    d = Dialogue.of(invented)
    _, plays = talk(d, "who is runar's uncle", "who plays him?")
    assert plays.resolved == "who plays the Baron?"
    assert plays.note == "(taking *him* as Haraldur Sigurðsson, Rúnar Ólafsson's uncle)"
    assert "Björgvin Hallgrímsson" in top(plays)
    _, krissi, marry = talk(d, "who plays lilja", "and krissi?", "who does he marry?")
    assert krissi.resolved == "who plays Krissi?" and "Tómas Ørnsted" in top(krissi)
    assert marry.resolved == "who does Krissi marry?" and "Dóra" in top(marry)
    _, her = talk(d, "who is the mother of runars son", "who is her new partner")
    assert her.resolved == "who is Lilja's new partner" and "Gestur" in top(her)


def test_the_invented_films_examples_are_answered(invented: Engine) -> None:
    examples = example_questions(invented.knowledge)
    expected = ("Björgvin Hallgrímsson", "Guðrún", "Hrafnkell Bárðarson")
    assert len(examples) == 3
    for question, answer in zip(examples, expected, strict=True):
        got = invented.answer(question)
        assert got.answered and answer in got.results[0].quote, (question, got.results[0].quote)


def test_it_after_a_turn_about_another_part_is_that_part(dialogue: Dialogue) -> None:
    _, part, it = talk(dialogue, "is pusher ii part of a trilogy", "what's the third one about?",
                       "is mikkelsen in it")
    assert "Pusher 3" in top(part)
    assert it.resolved == "is mikkelsen in the third one"
    assert "Mikkelsen's absence" in top(it)
    # a turn about this film leaves "it" as the film
    _, plain = talk(dialogue, "who plays tonny", "how long is it")
    assert plain.resolved is None
