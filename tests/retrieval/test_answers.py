"""End to end through `engine.answer` on the real seeds: aliases and relations quote the right
cast line, answer types pick the passage holding the answer, the blank-field rule, abstention by
verification, and the reasoning shown by `ask --explain` and `ask --json`."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from retrieval.evaluate import contains_answer
from tests.conftest import SEEDS


def assert_quoted(answer, *needles: str) -> None:
    assert answer.answered, (answer.question, answer.analysis)
    top = answer.results[0]
    for needle in needles:
        assert contains_answer(top.quote, (needle,)), (answer.question, top.quote)
    assert top.quote in top.passage.text  # still a verbatim quote


@pytest.mark.parametrize(("question", "line"), [
    # the part a named actor plays, however asked
    ("what role does mads mikkelsen play", "Mads Mikkelsen as Tonny"),
    ("what part does leif sylvester play", "Leif Sylvester as Smeden"),
    ("who's zlatko buric playing", "Milo (Zlatko"),  # his cast bullet is the broken one
    ("who is mads mikkelsen playing in it", "Mads Mikkelsen as Tonny"),
    # a partner is the partner's partner: "Gry: Øs girlfriend"
    ("gry's boyfriend?", "Maria Erwolter as Gry"),
    ("how is ø described in the cast list", "Øyvind Hagen-Traberg as Ø"),
    ("whats the dukes name in the cast list", "Leif Sylvester as Smeden"),  # the line of him
    # the cast list as where to look for someone described, not the list asked for
    ("whos the drug dealer guy in the cast list, the pimp one", "Kurt Nielsen as Kurt the Cunt"),
    ("whos in the cast list", "starring = Mads Mikkelsen"),
])
def test_the_cast_line_answers_who_plays_what_and_who_is_whose(engine, question, line) -> None:
    assert_quoted(engine.answer(question), line)


@pytest.mark.parametrize(("question", "line"), [
    ("who plays the duke?", "Leif Sylvester as Smeden"),
    ("tony's dad?", "Leif Sylvester as Smeden"),
    ("which actor plays tonnys father", "Leif Sylvester as Smeden"),
    ("tony's baby mama?", "Anne Sørensen as Charlotte"),
    ("who plays the dukes ex-wife", "Linse Kessler as Jeanette"),
    ("who plays tonnys friend", "Øyvind Hagen-Traberg as Ø"),
    ("who plays red", "Karsten Schrøder as Red"),
    ("who plays tony", "Mads Mikkelsen as Tonny"),
    ("tonys best mate", "Øyvind Hagen-Traberg as Ø"),  # the cast line, whatever reviews say
    # the relation describes the one named beside it, it asks for no one else
    ("who plays charlote, the mom of the baby", "Anne Sørensen as Charlotte"),
    # a kin word with its own spelling-out beside it is one relation, two hops
    ("who plays tonnys uncle (his dads brother)", "Karsten Schrøder as Red"),
    # a partner in crime is the partner's too: "Tonnys original partner Frank"
    ("who plays franks ex sidekick", "Mads Mikkelsen as Tonny"),
    # the actor of a part, asked by name: "the guy playing x" describes no one
    ("the guy playing red, whats his name", "Karsten Schrøder as Red"),
])
def test_alias_and_relation_questions_quote_the_cast_line(engine, question, line) -> None:
    answer = engine.answer(question)
    assert_quoted(answer, line)
    assert answer.results[0].citation == "Wikipedia — Pusher II › Cast"
    assert answer.analysis["decision"] == "answered through the knowledge graph"


@pytest.mark.parametrize(("question", "needle"), [
    # "ex-wife" holds the "ex" asked, beside the name it gives
    ("whats the name of the dukes ex", "Jeanette"),
    # "-ish" says about: the runtime is asked all the same
    ("how long is it in hours-ish", "100 minutes"),
    # a section's name ("infobox") says where to look, not what to find
    ("who are the main actors listed in the infobox", "Leif Sylvester"),
    # the one someone knocked up is his child's mother
    ("who's the girl tonny knocked up", "Charlotte"),
    # a title in quotation marks names a work, however it is cased
    ("what other movie left a reviewer just as speechless at the end", "once were warriors"),
    # the kind of movie is its genre, which the lead states, not another film's title
    ("what kind of movie is pusher ii", "crime film"),
])
def test_chat_wordings_of_relations_and_fields_are_answered(engine, question, needle) -> None:
    assert_quoted(engine.answer(question), needle)


def test_a_when_inside_the_question_asks_for_no_year() -> None:
    # "when" opens a clause here: the rule that no quote holding a year names the one asked
    # about applies to questions asking when, not to this
    from retrieval.answer.judge import _ASKS_WHEN

    assert _ASKS_WHEN.match("what year did hubert selby jr die")
    assert _ASKS_WHEN.match("when did filming start")
    assert not _ASKS_WHEN.match("the two women getting wasted when tonny shows up at the end?")


@pytest.mark.parametrize(("question", "needle"), [
    ("who is nwr", "director = Nicolas Winding Refn"),  # initials of a three-word name
    ("who was behind the camera on pusher 2? like the dp", "Morten Søborg"),
    ("who else produced it apart from refn", "Johnny Andersen"),
])
def test_people_by_initials_and_fields_by_any_wording(engine, question, needle) -> None:
    assert_quoted(engine.answer(question), needle)


@pytest.mark.parametrize("question", ["who is kurts money guy", "who is kurt borrowing from"])
def test_a_relation_stated_with_a_copula_is_read(engine, question) -> None:
    # "Kurt reveals that his financial backer is the Duke"
    answer = engine.answer(question)
    assert_quoted(answer, "financial backer is the Duke")
    assert answer.analysis["decision"] == "answered through the knowledge graph"


def test_an_everyday_word_the_documents_do_not_use_is_a_paraphrase_not_a_subject(engine
                                                                                  ) -> None:
    # "passed" and "hit" are in no passage, but they are everyday English (the embedding
    # model's own vocabulary): the quote need not repeat them to answer "how many years".
    answer = engine.answer("how many years have passed since frank hit tonny with the bat")
    assert_quoted(answer, "Eight years")


def test_the_first_part_of_the_series_is_another_film(engine) -> None:
    answer = engine.answer("when did the first pusher come out")
    assert answer.analysis["decision"] != "answered through the knowledge graph"
    assert not answer.analysis["relation"]  # nor a relation whose words must stand in the quote


@pytest.mark.parametrize("question", [
    "who tells tonny hes got a kid",  # what he is told: the kid is not who is asked for
    "who was tonny hanging out with when he found out he has a kid",
])
def test_a_relative_inside_a_clause_of_what_is_told_is_no_relation_asked(engine, question) -> None:
    assert not engine.answer(question).analysis["relation"]


def test_who_someone_was_with_in_a_when_clause_is_answered(engine) -> None:
    answer = engine.answer("who was tonny hanging out with when he found out he has a kid")
    assert_quoted(answer, "his friend Ø")
    # this film's lead year is no answer about the first film
    assert not (answer.answered and "2004 Danish" in answer.results[0].quote)


def test_milos_actor_is_quoted_from_a_review(engine) -> None:
    answer = engine.answer("who plays milo")
    assert_quoted(answer, "Milo (Zlatko Buric)")
    assert answer.results[0].passage.source == "review"
    assert answer.analysis["resolved"] == ["Zlatko Burić"]


def test_every_hop_is_cited_with_the_text_it_was_read_from(engine) -> None:
    answer = engine.answer("which actor plays tonnys father")
    hops = answer.analysis["hops"]
    assert [(h["from"], h["relation"], h["to"]) for h in hops][0] == ("Tonny", "father", "Smeden")
    assert ("Smeden", "played by", "Leif Sylvester") in [(h["from"], h["relation"], h["to"])
                                                         for h in hops]
    for h in hops:
        p = engine.index.passages[h["passage"]]
        assert h["text"] == p.text[h["start"]:h["end"]] and h["text"]
        assert h["citation"].startswith(("Wikipedia — ", "IMDb review"))


@pytest.mark.parametrize(("question", "needle"), [
    ("what year was it made", "2004"),
    ("when was it released", "2004"),  # the infobox leaves it blank; the lead gives the year
    ("how long does it last", "100 minutes"),
    ("how long is it", "100 minutes"),
    ("who was the film's editor", "editing = Janus Billeskov Jansen Anne Østerud"),
    ("who shot it", "Morten Søborg"),
    ("how much debt did refns company have", "$1 million"),
])
def test_the_quote_holds_the_kind_of_answer_asked_for(engine, question, needle) -> None:
    assert_quoted(engine.answer(question), needle)


@pytest.mark.parametrize(("question", "needle"), [
    # both sentences hold both words; the one that says them next to each other says who did it
    ("who does kurt attack at his place", "a prostitute"),
    ("what movie did one reviewer first see mikkelsen in", "Flame and Citron"),
])
def test_the_sentence_saying_the_questions_words_together_is_quoted(engine, question,
                                                                    needle) -> None:
    assert_quoted(engine.answer(question), needle)


@pytest.mark.parametrize(("question", "needle"), [
    # the graph resolves whom the question names; what it asks of them is in the plot
    ("who is tonnys buddy marrying", "marry his girlfriend Gry"),
    ("what is jeanette trying to get", "custody"),
    # a film named by its title, in the review the question names
    ("gotchast says its as powerful as what film", "once were warriors"),
])
def test_what_is_asked_of_someone_beyond_who_they_are(engine, question, needle) -> None:
    assert_quoted(engine.answer(question), needle)


@pytest.mark.parametrize(("question", "needle"), [
    ("what does tonny do after killing the duke", "He flees"),
    ("kurt beats up the hooker and then what does tonny do", "wanting no part"),
])
def test_what_follows_an_event_is_the_sentence_after_it(engine, question, needle) -> None:
    assert_quoted(engine.answer(question), needle)


@pytest.mark.parametrize(("question", "why"), [
    ("who is the prime minister of denmark", "never mention whom"),
    ("does tonny end up back in jail after the movie", "after the story ends"),
    ("what is last exit to brooklyn about", "what it is about"),
    # a relation asked of someone through words describing it, which no line states
    ("who plays tonnys little half brother", "name no one in that relation"),
    ("whats milo's daughter called in pusher 3", "name no one in that relation"),
    # a product's name is nobody's: quotes naming only the film's people do not say it
    ("what brand of beer do they drink at the wedding", "holds a name"),
    ("what brand of cars do they nick in the heist", "holds a name"),
    # a cast line says whom an actor plays, not who they are
    ("what does linse kessler do in real life", "not who they are in real life"),
    # "the mother of Tonnys child" is the mother's line, not the child's
    ("who plays the baby", "beside the words for the child"),
    # "Maria Erwolter as Gry: Øs girlfriend" says whose girlfriend, not what she does
    ("what does gry do for a living", "not a job"),
    # which one is asked: "shoot him in the arm" does not say which arm
    ("which arm does tonny shoot kurt in", "not of its kind"),
    ("what gun does kurt buy", "not of its kind"),
])
def test_what_the_documents_do_not_say_is_refused_for_that_reason(engine, question, why) -> None:
    answer = engine.answer(question)
    assert not answer.answered and why in answer.analysis["decision"], answer.analysis["decision"]


@pytest.mark.parametrize(("question", "needle"), [
    ("kim bodnia played who", "Frank (Kim Bodnia)"),  # the part asked after the name
    ("milo actor pusher ii", "Milo (Zlatko Buric)"),  # an actor asked with no question word
])
def test_parts_and_actors_asked_in_chat_word_order(engine, question, needle) -> None:
    assert_quoted(engine.answer(question), needle)
    assert engine.answer(question).analysis["decision"] == "answered through the knowledge graph"


def test_the_word_for_the_person_asked_is_no_word_a_quote_must_hold(engine) -> None:
    # "the woman": the answer is one; the quote names her (Jeanette), it need not say "woman"
    assert_quoted(engine.answer("who is the woman tonny was sent to kill"), "Jeanette")


@pytest.mark.parametrize(("question", "needle"), [
    ("cast list?", "starring = Mads Mikkelsen"),
    ("the notorious gangster in the cast list", "Leif Sylvester as Smeden"),  # a line of it
])
def test_the_cast_list_is_the_starring_field_and_its_lines(engine, question, needle) -> None:
    assert_quoted(engine.answer(question), needle)


def test_a_person_described_by_a_clause_is_still_their_cast_line(engine) -> None:
    answer = engine.answer("who's the guy who is tonny's friend and works for the duke")
    assert_quoted(answer, "Øyvind Hagen-Traberg as Ø")


def test_an_amount_stated_only_in_a_review_is_quoted(engine) -> None:
    # "heroin worth of 80.000 danish kroner": an adjective between the number and currency.
    assert_quoted(engine.answer("how much was the heroin worth"), "80.000")


@pytest.mark.parametrize("question", [
    "what was the budget", "how much did it gross", "what was the box office",
    "whats the box office gross of pusher 2",  # the film's title is no part of what is asked
])
def test_a_blank_infobox_field_asked_for_is_a_known_unknown(engine, question) -> None:
    answer = engine.answer(question)
    assert not answer.answered
    assert answer.message == engine.abstain_message
    assert "blank" in answer.analysis["decision"]


def test_release_from_prison_is_no_question_about_the_blank_release_date(engine) -> None:
    answer = engine.answer("What does Tonny do after his release from prison?")
    assert answer.answered
    assert "released" not in answer.analysis["fields"]
    assert "Tonny" in answer.results[0].quote or "Tony" in answer.results[0].quote


@pytest.mark.parametrize("question", [
    "Who directed Reservoir Dogs?",
    "When was Leif Sylvester born?",
    "how old is tonny",
    "hey",
    "{{7*7}}",
    "true",
    "' OR 1=1 --",
])
def test_verification_abstains_with_the_one_message(engine, question) -> None:
    answer = engine.answer(question)
    assert not answer.answered
    assert answer.message == engine.abstain_message
    assert answer.to_dict()["message"] == engine.abstain_message
    assert answer.confidence < engine.settings.abstain_threshold
    assert answer.results, "the closest candidates are still shown"
    assert answer.analysis["decision"].strip()


def test_the_abstain_message_names_the_film(engine) -> None:
    assert engine.abstain_message == "I couldn't find that in the Pusher II documents."
    films = [e.name for e in engine.knowledge.entities if e.kind == "film"]
    assert films and films[0] in engine.abstain_message


@pytest.mark.parametrize("question", ["who plays the duke?", "what was the budget", "hey",
                                      "why are many scenes red"])
def test_every_answer_says_why(engine, question) -> None:
    decision = engine.answer(question).analysis["decision"]
    assert isinstance(decision, str) and len(decision) > 10


# --- misbehaviour found while writing these tests --------------------------------------------

@pytest.mark.parametrize(("question", "owners_actor", "actor"), [
    ("who plays tonny's mother", "Mads Mikkelsen", None),  # the documents never say
    ("who plays the dukes son", "Leif Sylvester", "Mads Mikkelsen"),
    ("who plays tonny's father's ex-wife", "Mads Mikkelsen", "Linse Kessler"),
])
def test_an_unresolved_relation_never_answers_with_its_owners_actor(engine, question, owners_actor,
                                                                    actor) -> None:
    answer = engine.answer(question)
    assert owners_actor not in answer.analysis["resolved"]
    if actor is None:
        assert not answer.answered
    else:
        assert_quoted(answer, actor)


@pytest.mark.parametrize("question", [
    "what brand is the gun Tonny buys",  # a name beside "gun": none stands there
    "what model of ferrari does tonny steal",
    "how tall is mads mikkelsen",  # a height: no passage gives one
    "what awards did pusher ii win",  # the subject is foreign to the documents
    # a relation the graph does not resolve: the person must be named beside its words
    "who plays the cellmate in the opening scene",  # "His cell-mate delivers a monologue"
    "who is kim bodnia married to",
    # "a gun" says no kind; the name is asked of the cellmate, not of "the start"
    "what kind of gun does kurt buy",
    "whats the cellmates name at the start",
    # a named place (a proper noun that is nobody's) or a gloss: the documents give neither
    "what street is the dukes garage on",
    "what club was Ø's wedding at",
    "what does smeden mean in english",
    # a number of something no passage mentions; a site's own rating is no review record
    "whats the metacritic score",
    "how many dvds did pusher 2 sell",
    "whats the average imdb rating",
    "who was the casting director",  # a crew role no infobox line or passage names
    # a year asked of someone a review names: the quotes holding a year name someone else
    "what year did hubert selby jr die",
    pytest.param("how long was Tonny in prison", marks=pytest.mark.xfail(
        strict=True, reason="quotes 'about a year after its predecessor left off' (a duration "
                            "beside the question's words, about something else)")),
])
def test_near_domain_questions_the_documents_do_not_answer_abstain(engine, question) -> None:
    assert not engine.answer(question).answered


@pytest.mark.parametrize("question", [
    # an infobox line comes first by meaning, the review that holds the words is quoted
    "is the movie dedicated to anyone",
    # the field word "writer" describes: the question asks what a review says
    "a review said the movie is dedicated to some writer, who",
])
def test_the_passage_holding_the_question_words_answers_over_a_closer_meaning(engine,
                                                                             question) -> None:
    assert_quoted(engine.answer(question), "Hubert Selby")


@pytest.mark.parametrize(("question", "needle"), [
    ("what kind of car does tonny steal", "Ferrari"),  # a name that is nobody's: the kind
    ("what kind of music did refn want for the soundtrack", "John Carpenter"),
])
def test_a_kind_question_is_answered_by_a_quote_that_says_which(engine, question, needle) -> None:
    assert_quoted(engine.answer(question), needle)


def test_a_site_score_the_article_states_is_quoted_and_the_reviews_average_computed(engine
                                                                                 ) -> None:
    assert_quoted(engine.answer("what is the rotten tomatoes score"), "100%")
    answer = engine.answer("what is the average rating of the reviews")
    assert answer.answered and answer.analysis["decision"] == "answered from the review records"


@pytest.mark.parametrize(("question", "needle"), [
    ("what country is it from", "Denmark"),  # the field line names the place
    ("who is charlote supposed to be exactly", "mother of Tonnys child"),  # who someone is
    ("what's the other name of pusher 2, the long title", "With Blood on My Hands"),  # the lead
])
def test_identity_and_title_questions_in_chat_wording(engine, question, needle) -> None:
    assert_quoted(engine.answer(question), needle)


@pytest.mark.parametrize(("question", "needle"), [
    ("a review said the electronic music points ahead to which later refn movies",
     "ONLY GOD FORGIVES"),
    ("who did the soundtrack according to the reviews", "soundtrack"),
])
def test_a_question_citing_the_reviews_is_answered_from_them(engine, question, needle) -> None:
    answer = engine.answer(question)
    assert answer.analysis["decision"] and answer.results[0].passage.source == "review"
    assert_quoted(answer, needle)


@pytest.mark.parametrize(("question", "needle"), [
    ("whose synth scores did refn want to copy", "John Carpenter"),  # "whose" asks, it is no word
    ("how did they pick the cheesy music", "contest"),  # how, not who composed the music
])
def test_question_words_are_not_what_is_asked_about(engine, question, needle) -> None:
    assert_quoted(engine.answer(question), needle)


def test_a_quote_stating_the_asked_relation_goes_before_a_looser_link(engine) -> None:
    # the graph knows Gry as Ø's girlfriend; the plot says he marries her
    assert_quoted(engine.answer("who is ø getting married to"), "marry his girlfriend Gry")
    # …but not a marriage of someone else, beside the owner's name in another sentence
    assert_quoted(engine.answer("who was the duke married to before"), "Jeanette")


def test_a_relation_stated_in_other_words_still_names_the_person(engine) -> None:
    # "gf" in the question, "girlfriend" in the cast line: the name beside it answers
    assert_quoted(engine.answer("who is ø's gf played by"), "Maria Erwolter")


@pytest.mark.parametrize(("question", "needle"), [
    # the passage and sentences that state a cause or purpose, not the cast line
    ("why does jeanette need to be dealt with, what is she trying to do", "take custody"),
    # the sentence that states a cause about the asked act ("attack"), not a cause of
    # something else beside the names
    ("why does Tonny attack Charlotte?", "neglecting"),
])
def test_a_why_question_quotes_the_reason(engine, question, needle) -> None:
    assert_quoted(engine.answer(question), needle)


# --- the CLI shows the reasoning -------------------------------------------------------------

def _cli(index_dir, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PUSHERBOT_INDEX_DIR": str(index_dir), "PUSHERBOT_SEEDS": str(SEEDS)}
    return subprocess.run([sys.executable, "-m", "pusherbot", *args], capture_output=True,
                          text=True, env=env, timeout=300)


def test_ask_explain_prints_the_link_chain(engine, index_dir) -> None:
    out = _cli(index_dir, "ask", "who plays the duke?", "--explain")
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert text.startswith("“Leif Sylvester as Smeden: A notorious gangster and Tonnys estranged "
                           "father.”")
    explained = text[text.index("How the question was read:"):]
    assert "expected answer: person" in explained
    assert "names: 'the duke' → Smeden (character)" in explained
    assert "link: Smeden —played by→ Leif Sylvester" in explained
    assert "read in Wikipedia — Pusher II › Cast: “Leif Sylvester as Smeden" in explained
    assert "decision: answered through the knowledge graph (confidence " in explained


def test_the_lead_actor_is_named_once_however_many_lines_link_him(engine) -> None:
    # the cast list and several reviews each link the lead to his actor
    named = engine.answer("who is the lead actor").analysis["named"]
    assert named == [{"words": "lead actor", "entity": "Mads Mikkelsen", "kind": "person"}]


def test_ask_explain_says_why_it_abstained(engine, index_dir) -> None:
    out = _cli(index_dir, "ask", "what was the budget", "--explain")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(engine.abstain_message)
    assert "asks for the infobox field: budget" in out.stdout
    assert "decision: the article leaves the budget blank" in out.stdout


def test_ask_json_has_the_analysis(engine, index_dir) -> None:
    out = _cli(index_dir, "ask", "tony's dad?", "--json")
    assert out.returncode == 0, out.stderr
    analysis = json.loads(out.stdout)["analysis"]
    assert analysis["relation"] == ["father"] and analysis["resolved"] == ["Smeden"]
    assert analysis["named"] == [{"words": "tony", "entity": "Tonny", "kind": "character"}]
    assert analysis["hops"][0]["from"] == "Tonny" and analysis["hops"][0]["to"] == "Smeden"
    assert analysis["hops"][0]["text"]
    assert analysis["decision"] == "answered through the knowledge graph"


# --- described people, relation chains, other films of the series, more answer types -----------

@pytest.mark.parametrize(("question", "actor"), [
    ("who plays the serbian drug lord", "Zlatko"),          # the description fits Milo
    ("who plays the gun dealer", "Ilyas Agac"),             # … Muhammed
    ("the guy with respect tattooed on his head who plays him", "Mads Mikkelsen"),
    ("who plays the guy who bashed tonny with a baseball bat", "Kim Bodnia"),  # not Tonny
])
def test_a_described_character_is_resolved_through_the_best_passages(engine, question,
                                                                       actor) -> None:
    answer = engine.answer(question)
    assert answer.answered, (question, answer.analysis)
    assert_quoted(answer, actor)


def test_a_relative_clause_is_no_relation_chain(engine) -> None:
    # "his friend who gets married": the friend (Ø), not the friend's girlfriend.
    answer = engine.answer("his friend who gets married - who plays him?")
    assert_quoted(answer, "Hagen-Traberg")


@pytest.mark.parametrize("question", ["how long is pusher 3", "how does pusher 3 end",
                                      "whats the cellmates name", "charlotte's last name?",
                                      "what color is the ferrari tonny steals",
                                      "where was leif sylvester born",
                                      "'; DROP TABLE films; --",
                                      # code that names the reviews is no stance question
                                      "'; DROP TABLE reviews; --"])
def test_questions_the_documents_do_not_answer_abstain(engine, question) -> None:
    answer = engine.answer(question)
    assert not answer.answered, (question, answer.analysis["decision"])
    assert answer.message == engine.abstain_message


@pytest.mark.parametrize(("question", "author", "needle"), [
    ("which reviewer said it was as powerful as once were warriors", "gotchast", "once were warriors"),
    ("someone compared mads here to le chiffre, who", "slake09", "Le Chiffre"),
])
def test_which_reviewer_said_it_names_the_author_from_the_review_record(
        engine, question, author, needle) -> None:
    answer = engine.answer(question)
    assert_quoted(answer, needle)
    assert answer.analysis["type"] == "reviewer"
    assert answer.results[0].passage.reviewer == author
    assert answer.summary is not None and answer.summary.startswith(f"From {author}'s review (")


@pytest.mark.parametrize(("question", "needle"), [
    ("who plays mads mikkelsen's dad", "Leif Sylvester"),
    ("who is mads mikkelsens father in the movie", "Smeden"),
])
def test_an_actors_relative_is_his_parts(engine, question, needle) -> None:
    assert_quoted(engine.answer(question), needle)


def test_the_father_of_the_mothers_child_is_read_from_her_line(engine) -> None:
    answer = engine.answer("who's the dad of charlotte's baby")
    assert_quoted(answer, "mother of Tonnys child")
    assert answer.analysis["hops"][-1]["to"] == "Tonny"


def test_a_relative_the_question_picks_is_not_the_one_the_link_names(engine) -> None:
    # The cast line makes Tonny the Duke's son; "the little son" is the younger one, whom the
    # plot mentions and no passage names.
    picked = engine.answer("who plays the dukes little son")
    assert not picked.answered
    assert any("younger" in n for n in picked.analysis["notes"])
    assert_quoted(engine.answer("who plays the dukes son"), "Mads Mikkelsen")


def test_a_yes_no_question_about_another_part_is_answered_by_the_passage_naming_it(engine) -> None:
    # The closest passage names only the first film; the review below it speaks of "the third
    # and final flick… given Mads Mikkelsen's absence", and holds every word asked.
    assert_quoted(engine.answer("is mads in pusher 3"), "Mads Mikkelsen's absence")
    # Asked how it ends, a mention of the third film beside the word "end" is no answer.
    assert not engine.answer("how does pusher 3 end").answered


@pytest.mark.parametrize("question", ["is kurt nielsen still alive", "is leif sylvester dead"])
def test_whether_an_actor_lives_is_refused_unless_a_quote_says(engine, question) -> None:
    answer = engine.answer(question)
    assert answer.analysis["type"] == "life" and not answer.answered


@pytest.mark.parametrize("question", ["how do i make pancakes", "how do i make sourdough starter"])
def test_instructions_for_the_asker_are_refused_whatever_the_words_match(engine, question
                                                                         ) -> None:
    answer = engine.answer(question)
    assert answer.analysis["type"] == "howto" and not answer.answered


def test_a_capitalised_title_no_passage_writes_is_refused_for_that_reason(engine) -> None:
    answer = engine.answer("Who directed Reservoir Dogs?")
    assert not answer.answered
    assert answer.analysis["decision"].startswith("the question names Reservoir Dogs")
    # a title the documents do write is no foreign subject
    other = engine.answer("Who composed the music for Only God Forgives")
    assert not other.analysis["decision"].startswith("the question names")


def test_whether_a_character_dies_is_a_plot_question(engine) -> None:
    assert engine.answer("does the duke die").analysis["type"] == "yesno"


def test_the_genre_is_quoted_from_the_lead(engine) -> None:
    assert_quoted(engine.answer("what genre is it"), "crime film")


@pytest.mark.parametrize(("question", "needle"), [
    ("whats kurt the cunt called in danish", "Kusse-Kurt"),
    ("whats tonnys dads nickname", "the Duke"),  # the relative's other name, not tonny's
    ("what's the duke's real name", "Smeden"),
    ("what name is the duke listed under in the cast", "Smeden"),  # the cast list's name
])
def test_another_name_of_someone_is_quoted_where_the_documents_write_it(
        engine, question, needle) -> None:
    answer = engine.answer(question)
    assert_quoted(answer, needle)
    assert any("another name asked for" in n for n in answer.analysis["notes"])


def test_a_description_without_its_who_is_no_question_about_the_name_in_it(engine) -> None:
    # "the guy tonny gets the gun from" is not Tonny: his cast line is not the answer
    answer = engine.answer("who plays the guy tonny gets the gun from")
    assert not answer.results[0].quote.startswith("Mads Mikkelsen as Tonny")


def test_a_relative_inside_a_when_clause_is_not_who_is_asked_for(engine) -> None:
    answer = engine.answer("who does tonny find after he kills his dad")
    assert not (answer.answered and answer.results[0].quote.startswith("Leif Sylvester as"))
    assert answer.analysis["decision"] != "answered through the knowledge graph"


def test_bankrolling_asks_for_the_backer(engine) -> None:
    answer = engine.answer("who was bankrolling kurt")
    assert tuple(answer.analysis["relation"]) == ("backer",)
    assert_quoted(answer, "financial backer is the Duke")


@pytest.mark.parametrize(("question", "why"), [
    ("which prison was tonny in", "no candidate quote"),  # "prison", no prison's name
    ("what street is the garage on", "names the place or work asked for"),  # a person's name is no street's
    ("what song plays at the wedding reception", "names the place or work asked for"),
    ("whats the name of the club where the wedding is", "no candidate quote"),
])
def test_a_named_place_needs_a_proper_noun_that_is_nobodys(engine, question, why) -> None:
    answer = engine.answer(question)
    assert not answer.answered, answer.results[0].quote
    assert why in answer.analysis["decision"]


def test_a_crew_role_no_quote_names_is_refused(engine) -> None:
    answer = engine.answer("who did the sound mixing")
    assert not answer.answered and "sound mixing" in answer.analysis["decision"]


def test_another_parts_year_must_stand_beside_its_name(engine) -> None:
    # "Pusher 1-3 is my favorite trilogy… Pusher II (2004)": 2004 dates this part, not the third
    assert not engine.answer("what year did pusher 3 come out").answered
    assert_quoted(engine.answer("what year was the first pusher"), "1996")


@pytest.mark.parametrize(("question", "answered", "needle"), [
    # an establishment is named beside its noun: "released from prison" with a city named
    # further on does not say which prison, however many passages are weighed
    ("which prison was tonny in", False, None),
    ("what prison was tonny locked up in", False, None),
    # a region is named by its name alone ("in the same fictional Copenhagen underworld")
    ("which city is it set in", True, "Copenhagen"),
])
def test_a_named_place_is_named_as_what_was_asked(engine, question, answered, needle) -> None:
    answer = engine.answer(question, top_k=10)  # the evaluation's depth: every candidate weighed
    assert answer.answered is answered, answer.analysis["decision"]
    assert needle is None or needle in answer.results[0].quote


@pytest.mark.parametrize("question", ["music by?", "who did the soundtrack", "who did the score"])
def test_a_crew_role_only_a_review_credits_is_quoted_from_it(engine, question) -> None:
    answer = engine.answer(question)
    assert answer.analysis["decision"] == "answered through the knowledge graph"
    assert_quoted(answer, "Peterpeter's great rock/80's synthesizer soundtrack")


def test_a_question_about_someone_is_not_the_prose_credits_line(engine) -> None:
    # about the director's wishes, not who composed: the review crediting the composer is not it
    answer = engine.answer("Whose film scores did Refn want the music to emulate?")
    assert_quoted(answer, "John Carpenter")


def test_a_phrase_the_question_quotes_finds_the_passage_that_writes_it(engine) -> None:
    # a review's "big-time pusher Milo (Zlatko Buric)"; no other passage writes the phrase
    assert_quoted(engine.answer("who's the 'big-time pusher' in this"), "big-time pusher Milo")


@pytest.mark.parametrize("question", [
    "tonys best mate", "who did the score", "where did gotchast see it",
    "who does one reviewer say tonnys dad looks like", "how many years after the first one is it set",
])
def test_the_decision_is_the_same_however_many_passages_are_shown(engine, question) -> None:
    # the evaluation asks for 10 passages, the bot for 3: what the user gets is what is measured
    shown, deep = engine.answer(question, top_k=3), engine.answer(question, top_k=10)
    assert (deep.answered, deep.confidence) == (shown.answered, shown.confidence)
    assert deep.results[0].quote == shown.results[0].quote
    assert [r.passage.id for r in deep.results[:3]] == [r.passage.id for r in shown.results]


@pytest.mark.parametrize(("question", "needle"), [
    # the passage holding a length or a year is raised above those that only share words
    ("how long after the first movie does this one start", "about a year after"),
    ("what year was the original pusher", "1996"),
])
def test_the_passage_holding_the_measured_answer_comes_first(engine, question, needle) -> None:
    assert_quoted(engine.answer(question), needle)


@pytest.mark.parametrize(("question", "needle"), [
    # "the last shot", "the first scene": all of the phrase says where in the film
    ("what's the last shot of the movie", "The film ends with a shot of the tattoo"),
    ("whats the final image", "The film ends with a shot of the tattoo"),
    ("what is the first scene", "The film opens"),
])
def test_a_shot_at_the_start_or_end_is_the_plots_edge(engine, question, needle) -> None:
    assert_quoted(engine.answer(question), needle)


@pytest.mark.parametrize(("question", "needle"), [
    # "tells" finds "is told", "first see" finds "first saw": irregular forms share a stem
    ("who tells tonny he has a kid", "Tonny is told that he has a child"),
    ("what movie did one reviewer first see mads in", "Flame and Citron"),
])
def test_a_verb_asked_in_one_form_finds_its_irregular_past(engine, question, needle) -> None:
    assert_quoted(engine.answer(question), needle)


@pytest.mark.parametrize("question", ["what is it about", "whats this movie about", "whats the plot"])
def test_what_the_film_is_about_is_the_leads_summing_up(engine, question) -> None:
    answer = engine.answer(question)  # before: "too short to be a question", or the last scene
    assert answer.answered and answer.analysis["type"] == "gist"
    assert_quoted(answer, "portraying the lives of criminals in Copenhagen")


@pytest.mark.parametrize("question", [
    "whats the first pusher about",
    "what was the plot of the first pusher",  # "the plot of" another part
    # this film's lead is not the other part's: the part's lead is whom it follows
    "who was the main guy in pusher 1",
    "who is the main character of the first pusher",
])
def test_what_another_part_is_about_is_the_sentence_that_says_what_it_follows(engine,
                                                                             question) -> None:
    answer = engine.answer(question)
    assert_quoted(answer, "The original Pusher follows Tonnys original partner Frank")
    assert answer.analysis["type"] == "gist" and "Tonny" not in answer.analysis["resolved"]


@pytest.mark.parametrize(("question", "needle"), [
    ("who's in it", "starring = Mads Mikkelsen"),  # the cast, in the words people use
    ("where is it set", "criminals in Copenhagen"),  # the lead says where the story is
    ("where does the film take place", "Copenhagen"),
])
def test_first_questions_in_channel_wording(engine, question, needle) -> None:
    answer = engine.answer(question)
    assert answer.answered, answer.analysis["decision"]
    assert_quoted(answer, needle)


def test_what_it_made_asks_for_the_blank_gross(engine) -> None:
    answer = engine.answer("how much did it make")  # not the $1 million debt of a company
    assert not answer.answered and "gross blank" in answer.analysis["decision"]


def test_a_slip_in_the_question_word_is_read_as_meant(engine) -> None:
    answer = engine.answer("who plyas tony")  # before: a review about Tony, no actor
    assert_quoted(answer, "Mads Mikkelsen")
    assert answer.question == "who plyas tony"  # the question stays as the user typed it
    assert engine.answer("wut year did it come out").answered


@pytest.mark.parametrize(("question", "why"), [
    # in the starring list with no character anywhere: no part to quote
    ("keli hlodversson who does he play", "the documents name no part that Keli Hlodversson"),
    ("who does refn play", "the documents name no part that Nicolas Winding Refn"),
    # a title a review quotes is another work: the film's director did not direct it
    ("who directed once were warriors", "the question names once were warriors"),
])
def test_what_the_documents_cannot_say_of_a_name_they_hold_is_refused(engine, question, why
                                                                      ) -> None:
    answer = engine.answer(question)
    assert not answer.answered and answer.analysis["decision"].startswith(why)


@pytest.mark.parametrize(("question", "needle"), [
    ("who does mads mikkelsen play", "Mads Mikkelsen as Tonny"),  # a part the cast list gives
    ("what part of refns own life went into the script", "insecurities"),  # no part asked
    ("who directed pusher ii", "director = Nicolas Winding Refn"),  # the film's own title
])
def test_a_part_or_a_title_the_documents_give_is_still_answered(engine, question, needle) -> None:
    answer = engine.answer(question)
    assert answer.answered, answer.analysis["decision"]
    assert_quoted(answer, needle)


@pytest.mark.parametrize("question", ["is it like 2 hours long?", "is it over 2 hrs",
                                      "is it longer than an hour"])
def test_a_stated_runtime_to_check_is_answered_by_the_runtime_line(engine, question) -> None:
    assert_quoted(engine.answer(question), "runtime = 100 minutes")


def test_acc_to_one_review_cites_a_review_and_asks_nothing(engine) -> None:
    # "acc" is how people type "according": no subject word the quote must hold
    answer = engine.answer("how many years after frank cracked tonny's head does it take place "
                           "acc to one review")
    assert_quoted(answer, "Eight years")
    assert answer.analysis["type"] == "duration"


@pytest.mark.parametrize(("question", "who"), [
    ("who signs their review as evil eye reviews", "evileyereviews"),
    ("who posted a review on 30 march 2024", "Uriah43"),
    ("who wrote the all-caps review better than the 1st entry", "masonfisk"),
])
def test_which_reviewer_by_signature_date_or_title(engine, question, who) -> None:
    answer = engine.answer(question)
    assert answer.answered and who in answer.summary, (answer.summary, answer.analysis)


def test_what_comes_right_before_an_event_is_the_sentence_before_it(engine) -> None:
    assert_quoted(engine.answer("what sets tonny off right before he kills his old man"),
                  "admitting his failure")


def test_a_described_character_is_found_below_the_first_passages(engine) -> None:
    # "the guy whose wedding it is": the plot's "At Øs wedding reception", ranked sixth
    assert_quoted(engine.answer("who plays the guy whose wedding it is"), "Hagen-Traberg")


def test_the_name_of_someone_described_is_the_cast_line_of_the_description(engine) -> None:
    answer = engine.answer("whats the name of the gun dealer guy")
    assert_quoted(answer, "Ilyas Agac as Muhammed")
    # …not a cast line that shares none of the description's words
    assert not engine.answer("whats the cellmates name").answered


def test_a_name_opening_the_sentence_beside_the_relative_answers_who(engine) -> None:
    # "Tonny takes the child": a known name as the sentence's subject is a name all the same
    assert_quoted(engine.answer("who ends up with the baby at the end"), "Tonny takes the child")
    # …but a possessive opening the sentence is not whom the relative is of
    assert not engine.answer("whats the name of refns dad").answered


def test_who_an_actor_is_in_real_life_is_not_their_cast_line(engine) -> None:
    answer = engine.answer("who is kurt nielsen irl")
    assert_quoted(answer, "true gangster")
    assert answer.results[0].citation != "Wikipedia — Pusher II › Cast"


@pytest.mark.parametrize(("question", "line"), [
    ("what does charlotte do for a living", "A prostitute"),
    ("whats kurts job", "pimp and drug dealer"),
])
def test_a_job_asked_is_a_cast_line_saying_more_than_relations(engine, question, line) -> None:
    assert_quoted(engine.answer(question), line)


def test_irl_is_chat_filler_no_word_an_answer_must_hold(engine) -> None:
    assert_quoted(engine.answer("who was 'the cunt' irl"), "Kurt Nielsen, who was a true gangster")


@pytest.mark.parametrize("question", ["where does tonny go on the bus at the end",
                                      "where does tonnys bus go at the end"])
def test_a_place_asked_of_a_rare_word_is_not_read_from_another_sentence(engine, question
                                                                        ) -> None:
    # The plot's bus sentence says "fleeing the city", no destination; the sentence before
    # it names a place ("where she works") that is not where the bus goes.
    answer = engine.answer(question)
    assert not answer.answered, answer.results[0].quote
    assert "bus" in answer.results[0].quote


def test_the_fate_of_someone_after_the_plot_leaves_them_is_refused(engine) -> None:
    answer = engine.answer("what happens to kurt in the end, does he die")
    assert not answer.answered
    # after another film is no event of this plot: the plot says what became of him
    assert_quoted(engine.answer("what happened to frank after the first film"), "Frank")


def test_whether_a_character_is_in_it_is_read_in_words_of_appearing(engine) -> None:
    # "A small appearance of Milo…": the question never writes "appear"
    assert_quoted(engine.answer("is milo in it"), "appearance of Milo")
    # an actor the infobox lists as starring is answered by that line
    assert_quoted(engine.answer("is zlatko buric in this one"), "starring =")
