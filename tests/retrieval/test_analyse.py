"""Question analysis with the real engine's knowledge: answer types, the infobox vocabulary,
names (misspelt, lowercase, epithets) and relations resolved in as many hops as needed."""

from __future__ import annotations

import json

import pytest

from retrieval.answer.analyse import Analysis, analyse
from retrieval.answer.types import expected_type, holds_type, named_place_noun, says_its_type
from retrieval.text import fold


def read(engine, question: str) -> Analysis:
    return analyse(question, engine.knowledge, engine._is_name, engine._is_everyday)


def names(engine, ids) -> list[str]:
    return [engine.knowledge.entity(i).name for i in ids]


def chain(a: Analysis) -> list[tuple[str, str, str]]:
    """The distinct hops, in order."""
    return list(dict.fromkeys((h.subject, h.relation, h.object) for h in a.hops))


# --- answer types ----------------------------------------------------------------------------

@pytest.mark.parametrize(("question", "answer_type"), [
    ("which 3 actors did reviewers praise", "person"),  # a count and a plural
    ("when he gets out of prison who does he visit first", "person"),  # a when clause first
    ("what's the first movie's plot about", "gist"),  # a possessive on the way
    ("who plays tonny", "person"),
    ("who directed it", "person"),
    ("what year was it made", "year"),
    ("which year did it come out", "year"),
    ("how long is it", "duration"),
    ("how long does it last", "duration"),
    ("how much did it cost", "amount"),
    ("how much money does kurt owe", "amount"),
    ("where does tonny take the baby", "place"),
    ("where was it filmed", "place"),
    ("why does tonny stab the duke", "reason"),
    ("how come tonny leaves the party", "reason"),
    ("how old is the duke", "age"),
    ("when was leif sylvester born", "birth"),
    ("is red in the movie", "yesno"),
    ("how tall is mads mikkelsen", "measure"),
    ("what model of ferrari does tonny steal", "name"),
    ("what are they naming the baby", "name"),
    ("which phil collins song plays in it", "name"),
    ("what tv show was he in after this", "name"),
    ("what does smeden mean in english", "meaning"),  # a gloss of one word
    ("what does the ending mean", "other"),  # an interpretation, not a gloss
    ("what street is the dukes garage on", "place"),
    ("what club was the wedding at", "place"),
    ("which prison was he in", "place"),
    ("what's the imdb rating overall", "number"),  # a filler word after "rating"
    ("what is the overall imdb user rating out of 10", "number"),
    ("metacritic score for it?", "number"),  # a review site's score
    ("how do you say thank you in danish", "meaning"),
    ("how do i make pancakes", "howto"),  # instructions for the asker
    ("how to bake bread", "howto"),
    # advice for the asker about things the film is not: a recommendation, a place to go
    ("recommend me a good anime", "howto"),
    ("anyone know a good pizza place in copenhagen", "howto"),
    ("best pizza place in copenhagen?", "howto"),
    ("where can i buy a cheap camera", "howto"),
    ("what's the best scene in the movie", "other"),  # the film's own best: no advice
    # someone's other films
    ("what other movies has leif sylvester been in", "works"),
    ("whats anne sørensen been in since", "works"),
    ("what else did refn direct", "works"),
    ("what else happens at the party", "other"),
    ("what camera brand/model did they use", "name"),
    ("how do they steal the cars", "other"),  # how something in the film is done
    # The first question word decides: this is not a "when" question.
    ("what does tonny do when he finds out", "other"),
    # another film, by its title
    ("what film did gotchast compare it to", "title"),
    ("gotchast says its as powerful as what", "title"),
    ("which movie did one reviewer first see mikkelsen in", "title"),
    ("which film in the trilogy is about milo", "other"),  # a part of the series, not a title
    ("what colours stand out", "colour"),
    # days counted of something else are no calendar date
    ("what day of his sentence is tonny on", "other"),
    ("what day was it released", "date"),
])
def test_answer_types(engine, question, answer_type) -> None:
    assert read(engine, question).answer_type == answer_type
    assert expected_type(fold(question)) == answer_type


@pytest.mark.parametrize("question", ["when does tonny get out of prison", "when was it released"])
def test_when_asks_for_a_year_or_a_date(engine, question) -> None:
    assert read(engine, question).answer_type in ("year", "date")


def test_how_long_asks_for_the_runtime_field(engine) -> None:
    a = read(engine, "how long is it")
    assert (a.answer_type, a.fields) == ("duration", ("runtime",))
    runtime = engine.knowledge.fields["runtime"]
    assert a.evidence[0] == runtime and a.by_field
    assert "100 minutes" in engine.index.passages[runtime].text


def test_a_year_question_is_pointed_at_the_lead(engine) -> None:
    a = read(engine, "what year was it made")
    lead = engine.knowledge.fields["(lead)"]
    assert lead in a.evidence
    assert "2004" in engine.index.passages[lead].text


@pytest.mark.parametrize(("text", "answer_type", "holds"), [
    ("Pusher II is a 2004 Danish crime film.", "year", True),
    # a title written in capitals is nobody's name; a capitalised name is
    ("music that would feature in DRIVE and ONLY GOD FORGIVES", "person", False),
    ("the score is by Peter Peter, who did it well", "person", True),
    ("I gave it 7/10 stars.", "year", False),
    ("Apparently not, but he did sustain some brain damage.", "year", False),
    ("runtime = 100 minutes", "duration", True),
    ("runtime = 100 minutes", "year", False),
    ("after serving three years for a botched burglary", "duration", True),
    ("Refns company acquired a debt of $1 million.", "amount", True),
    ("his mother borrowed 4 million krónur", "amount", True),
    ("They have to get 80.000 kroner very quickly", "amount", True),
    ("He was never very happy.", "amount", False),
    ("He shot it in Copenhagen.", "place", True),
    ("He is forty years old.", "age", True),
    ("He is a notorious gangster.", "age", False),
    ("He stands 1.83 m tall.", "measure", True),
    ("He is six feet tall, 6'1 in his boots.", "measure", True),
    ("He is a tall man.", "measure", False),
    ("Maya Ababadjani as Luder #1", "number", False),  # a label, not a count
    ("only three characters are real actors", "number", True),
    ("In return Kurt promises to put in a good word for Tonny.", "reason", True),
    ("Due to Refns color blindness, he shot some scenes in vivid monochrome.", "reason", True),
    ("Linse Kessler as Jeanette: A prostitute and the Dukes ex-wife.", "reason", False),
    ("Smeden is Danish for the blacksmith.", "meaning", True),
    ("Leif Sylvester as Smeden: A notorious gangster.", "meaning", False),
    ("country = Denmark United Kingdom", "place", True),
    ('The last time I was so mute was at the end of "grey harbour".', "title", True),
    ("It was a shock at the end, people don't say a word.", "title", False),
])
def test_holds_type(text, answer_type, holds) -> None:
    assert holds_type(text, answer_type) is holds


def test_a_title_is_a_capitalised_name_that_is_nobodys() -> None:
    # "names" says who the graph knows, and this film's own title
    known = {"Jon Holm", "Harbour Two"}.__contains__
    assert holds_type("I first saw Jon Holm in Far Away, where he played a cook.", "title", known)
    assert not holds_type("I saw Jon Holm in it and Harbour Two was great.", "title", known)


def test_an_amount_with_an_adjective_before_its_currency() -> None:
    assert holds_type("purchase heroin worth of 80.000 danish kroner", "amount")


# --- the {{Infobox film}} vocabulary ---------------------------------------------------------

@pytest.mark.parametrize(("question", "field"), [
    ("who was the film's editor", "editing"),
    ("who edited the film", "editing"),
    ("who cut it", "editing"),
    ("who shot it", "cinematography"),
    ("who was the cinematographer", "cinematography"),
    ("who was the dop", "cinematography"),  # director of photography
    ("who did the music", "music"),
    ("who composed the score", "music"),
    ("who wrote it", "writer"),
    ("what's the release date", "released"),
    ("when did it come out", "released"),
    ("what was the box office", "gross"),
    ("how much did it gross", "gross"),
    ("what was the budget", "budget"),
    ("how long is the runtime", "runtime"),
    ("is it like 2 hours long?", "runtime"),  # a yes/no check of the runtime
    ("is it over 2 hrs", "runtime"),  # …or a comparison with a length
    ("is the movie less than 90 minutes", "runtime"),
    ("who is in the cast", "starring"),
    ("who else is top billed besides the lead", "starring"),
    ("whats the subtitle", "title"),  # the lead's "also known as", not an infobox line
    ("what's the english title", "title"),
    ("what genre is it", "genre"),  # the lead's "a 2004 Danish crime film"
    ("what countries was it a co-production of", "country"),
])
def test_infobox_vocabulary(engine, question, field) -> None:
    assert read(engine, question).fields[:1] == (field,)


def test_the_films_editor_is_the_editing_line_and_its_two_names(engine) -> None:
    a = read(engine, "who was the film's editor")
    editing = engine.knowledge.fields["editing"]
    assert a.answer_type == "person" and a.by_field and a.evidence[0] == editing
    assert chain(a) == [("Pusher II", "field:editing", "Janus Billeskov Jansen"),
                        ("Pusher II", "field:editing", "Anne Østerud")]


@pytest.mark.parametrize("question", [
    "What does Tonny do after his release from prison?",
    "what happens after tonny's release",
])
def test_release_from_prison_is_not_the_released_field(engine, question) -> None:
    a = read(engine, question)
    assert "released" not in a.fields
    assert a.answer_type not in ("date", "year")
    assert "Tonny" in names(engine, a.entities)


def test_a_release_question_asks_for_the_released_field(engine) -> None:
    a = read(engine, "when was it released")
    assert a.fields == ("released",) and a.answer_type in ("year", "date")
    assert engine.knowledge.fields["(lead)"] in a.evidence  # the blank field's year is in the lead


def test_how_long_about_a_person_is_not_the_runtime(engine) -> None:
    a = read(engine, "how long was Tonny in prison")
    assert a.answer_type == "duration"
    assert "runtime" not in a.fields
    assert names(engine, a.entities) == ["Tonny"]


# --- names: epithets, misspellings, lowercase ------------------------------------------------

@pytest.mark.parametrize(("question", "entity", "words"), [
    ("who plays the duke?", "Smeden", "the duke"),
    ("who plays tony", "Tonny", "tony"),  # one letter short
    ("which actor plays tonys dad", "Tonny", "tonys"),
    ("mikkelson", "Mads Mikkelsen", "mikkelson"),  # one letter wrong
    ("what does zlatko buric do", "Zlatko Burić", "zlatko buric"),  # accent dropped
    ("whos kusse-kurt", "Kurt the Cunt", "kusse kurt"),
    ("who is smeden", "Smeden", "smeden"),
])
def test_names_are_found_however_they_are_typed(engine, question, entity, words) -> None:
    a = read(engine, question)
    assert entity in names(engine, a.entities)
    assert any(engine.knowledge.entity(e).name == entity and w == words for e, w in a.mentions)


def test_an_everyday_word_one_letter_from_a_name_is_no_misspelling(engine) -> None:
    # "dude" is one edit from "duke", but a word of its own; "tony" the corpus writes as a name
    a = read(engine, "the bald dude with respect tattooed on his head, who plays him")
    assert "Smeden" not in names(engine, a.entities)
    assert "Smeden" in names(engine, analyse("the bald dude, who plays him", engine.knowledge,
                                             engine._is_name).entities)  # without the check
    assert names(engine, read(engine, "who plays tony").entities) == ["Tonny"]


def test_a_one_letter_name_typed_in_lowercase_when_it_is_no_english_word(engine) -> None:
    assert names(engine, read(engine, "who is ø's gf played by").entities) == ["Ø"]
    assert names(engine, read(engine, "who is ø's gf played by").targets) == ["Maria Erwolter"]


@pytest.mark.parametrize(("question", "noun"), [
    ("what kind of gun does kurt buy", "gun"),
    ("which type of car is it", "car"),
    ("whats the sort of music in it", "music"),
    ("who plays tonny", ""),
])
def test_the_thing_whose_kind_is_asked(engine, question, noun) -> None:
    assert read(engine, question).kind_of == noun


def test_what_a_number_is_asked_of() -> None:
    from retrieval.answer.types import counted_words
    from retrieval.reviews.record_questions import site_score

    assert counted_words("how many dvds did it sell") == {"dvds"}
    assert counted_words("whats the metacritic score") == {"metacritic"}
    assert counted_words("who plays tonny") == set()
    assert site_score("whats the average imdb rating") and site_score("imdb score?")
    assert not site_score("average imdb user rating of the reviews")  # the reviews' records
    assert site_score("what is the overall imdb user rating out of 10")  # the site's own
    assert not site_score("what did the reviewers rate it")


def test_a_misspelt_possessive_without_apostrophe_is_a_name(engine) -> None:
    a = read(engine, "tonys dad")
    assert names(engine, a.entities) == ["Tonny"]
    assert names(engine, a.targets) == ["Smeden"]


def test_red_the_colour_is_not_the_character_red(engine) -> None:
    for question in ("why is everything so red", "why are many scenes red"):
        assert "Red" not in names(engine, read(engine, question).entities), question
    a = read(engine, "who plays red")
    assert names(engine, a.entities) == ["Red"]
    assert names(engine, a.targets) == ["Karsten Schrøder"]
    # Capitalised, it is the name even without "plays".
    assert names(engine, read(engine, "what does Red do").entities) == ["Red"]


def test_which_character_does_an_actor_play(engine) -> None:
    a = read(engine, "which character does mikkelson play")
    assert names(engine, a.targets) == ["Tonny"]
    assert ("Tonny", "played by", "Mads Mikkelsen") in chain(a)


# --- relations, in as many hops as needed ----------------------------------------------------

def test_the_actor_of_tonys_dad_is_two_hops(engine) -> None:
    a = read(engine, "which actor plays tonys dad")
    assert a.answer_type == "person" and a.relation == ("father",)
    hops = chain(a)
    assert hops[0] == ("Tonny", "father", "Smeden")
    assert hops[-1] == ("Smeden", "played by", "Leif Sylvester")
    assert names(engine, a.targets) == ["Leif Sylvester"]
    # The cast line states both links: it is the evidence quoted first.
    assert "Leif Sylvester as Smeden" in engine.index.passages[a.evidence[0]].text
    for h in a.hops:  # every hop is read from a passage span
        assert h.end > h.start and engine.index.passages[h.passage].text[h.start:h.end]


@pytest.mark.parametrize(("question", "target"), [
    ("tony's dad?", "Smeden"),
    ("who is tonnys father", "Smeden"),
    ("tonny's old man", "Smeden"),
    ("tony's baby mama?", "Charlotte"),
    ("who is the dukes ex wife", "Jeanette"),
    ("who plays the dukes brother", "Karsten Schrøder"),
    ("who plays the dukes ex-wife", "Linse Kessler"),
    ("who plays tonnys friend", "Øyvind Hagen-Traberg"),
])
def test_relations_resolve(engine, question, target) -> None:
    assert names(engine, read(engine, question).targets) == [target]


def test_his_means_the_protagonist_when_no_one_is_named(engine) -> None:
    a = read(engine, "who is the mother of his kid")
    assert names(engine, a.targets) == ["Charlotte"]
    assert any("Tonny" in n for n in a.notes)


def test_an_unstated_relation_is_noted_and_resolves_to_nobody_else(engine) -> None:
    a = read(engine, "who is tonny's sister")  # (his uncle is his father's brother, stated)
    assert "the documents state no such relation" in a.notes
    assert names(engine, a.targets) == []  # not Tonny himself: his actor is no answer
    assert a.unresolved


def test_a_one_letter_name_is_found(engine) -> None:
    a = read(engine, "who is Ø's girlfriend?")
    assert "Ø" in names(engine, a.entities)
    assert names(engine, a.targets) == ["Gry"]


def test_chat_noise_is_terse_and_names_nothing(engine) -> None:
    for q in ("hey", "true", "{{7*7}}"):
        a = read(engine, q)
        assert a.terse and not a.entities and not a.fields, q


def test_the_analysis_is_json_ready(engine) -> None:
    d = read(engine, "which actor plays tonys dad").to_dict(engine.knowledge)
    assert json.loads(json.dumps(d, ensure_ascii=False)) == d
    assert d["type"] == "person" and d["relation"] == ["father"]
    assert d["entities"] == ["Tonny"] and d["resolved"] == ["Leif Sylvester"]
    assert d["named"][0] == {"words": "tonys", "entity": "Tonny", "kind": "character"}
    assert {"from", "relation", "to", "passage", "start", "end"} <= set(d["hops"][0])


@pytest.mark.parametrize(("question", "relation", "chained"), [
    ("whats the name of the lady the dad used to be married to", ("father", "ex", "spouse"), True),
    ("who plays the dads ex wife", ("father", "ex", "spouse"), True),
    ("who is tonnys friend who gets married", ("friend", "spouse"), False),  # the friend
])
def test_a_relation_of_a_relative_said_of_no_one_is_the_leads(
        engine, question, relation, chained) -> None:
    a = engine.answer(question).analysis
    assert tuple(a["relation"]) == relation
    hops = list(dict.fromkeys((h["from"], h["relation"], h["to"]) for h in a["hops"]))
    if chained:  # the lead's father, then his ex-wife
        assert hops[:2] == [("Tonny", "father", "Smeden"), ("Smeden", "ex spouse", "Jeanette")]
    else:
        assert not any(h[1] == "ex spouse" for h in hops)


def test_the_title_is_left_out_of_the_count_only_for_a_field_whose_value_is_a_thing(engine) -> None:
    assert read(engine, "whats the box office gross of pusher 2").fields == ("gross",)
    # a person field needs a short question, the title counted: this one compares films
    assert read(engine, "what films did reviewers compare pusher ii to, the music?").fields == ()


@pytest.mark.parametrize(("question", "who"), [
    ("who plays the main character", ["Tonny"]),
    ("whats the protagonist called", ["Tonny"]),
    ("who's the lead actor", ["Mads Mikkelsen"]),
])
def test_the_lead_is_the_cast_lists_first_line(engine, question, who) -> None:
    assert names(engine, read(engine, question).entities) == who


def test_a_count_needs_its_number_beside_what_is_counted() -> None:
    from retrieval.answer.types import counts
    from retrieval.text import stem

    assert counts("Eight years have gone by since then.", frozenset({stem("years")}))
    assert counts("heroin worth of 80.000 danish kroner", frozenset({stem("kroner")}))
    assert not counts("When one of his thugs arrives late, he panics.", frozenset({stem("cars")}))
    assert not counts("He steals cars for a living.", frozenset({stem("cars")}))


def test_how_many_of_something_no_quote_counts_is_refused(engine) -> None:
    answer = engine.answer("how many cars did they steal in the dealership heist")
    assert not answer.answered and "beside what is counted" in answer.analysis["decision"]


@pytest.mark.parametrize(("question", "noun"), [
    ("which prison was he in", "prison"), ("whats the name of the club", "club"),
    ("what place is it set in", ""),  # a place, not a kind of one
    ("where was it filmed", ""),
])
def test_the_kind_of_place_asked_for_by_name(question, noun) -> None:
    assert named_place_noun(question) == noun


def test_the_mother_of_someones_child_no_line_names_is_the_other_parent(engine) -> None:
    # no line names the boss's younger son's mother; his ex-wife, fighting for that son's
    # custody, is the other parent, and "younger" picks the son, not her
    a = read(engine, "whos the mom of the dukes younger kid")
    assert chain(a)[-1] == ("Smeden", "ex spouse", "Jeanette") and not a.unresolved
    answer = engine.answer("whos the mom of the dukes younger kid")
    assert answer.answered and "Jeanette" in answer.results[0].quote


def test_an_uncle_no_line_states_is_a_parents_brother(engine) -> None:
    a = read(engine, "tonnys uncle?")
    assert chain(a)[-1] == ("Smeden", "brother", "Red") and a.answer_type == "person"
    assert chain(read(engine, "tonnys kids grandpa"))[-1] == ("Tonny", "father", "Smeden")


def test_a_relative_no_line_names_is_someone_no_one_is(engine) -> None:
    a = read(engine, "tonnys grandfather")
    assert a.unresolved and a.answer_type == "person" and not a.targets


def test_a_one_letter_names_possessive_typed_without_apostrophe(engine) -> None:
    a = read(engine, "øs gf")
    assert [engine.knowledge.entity(e).name for e in a.entities] == ["Ø"]
    assert [engine.knowledge.entity(e).name for e in a.targets] == ["Gry"]


def test_a_short_question_that_says_its_type_is_a_question() -> None:
    # "what year", "how long": two words, but the kind of answer in words of their own
    assert says_its_type("what year") and says_its_type("how long")
    assert not says_its_type("when") and not says_its_type("who") and not says_its_type("hey")


def test_what_year_alone_asks_the_films_year(engine) -> None:
    a = read(engine, "what year")
    assert not a.terse and a.answer_type == "year" and a.evidence
    assert read(engine, "when").terse  # a bare question word says nothing of what is asked


def test_a_kin_word_restated_by_its_spelling_out_is_the_kin_word() -> None:
    from retrieval.knowledge.lexicon import restated
    assert restated(("uncle", "father", "brother")) == ("uncle",)
    assert restated(("uncle", "mother", "brother")) == ("uncle",)
    assert restated(("uncle", "father")) == ("uncle", "father")  # no spelling-out: a chain
    assert restated(("father", "spouse")) == ("father", "spouse")


def test_a_brand_and_a_name_called_in_another_film_are_names() -> None:
    from retrieval.answer.types import asks_brand, expected_type
    assert asks_brand("what brand of beer do they drink") and asks_brand("which make of car")
    assert not asks_brand("what kind of car")
    assert expected_type("whats milo's daughter called in pusher 3") == "name"
    assert expected_type("whats that style called") == "other"  # a term, not a name


def test_a_likeness_asks_no_relation(engine) -> None:
    assert engine.answer("who does the duke say is like a son to him").analysis.get("relation") in (None, [])
    assert engine.answer("who plays the dukes son").analysis.get("relation") == ["son"]
