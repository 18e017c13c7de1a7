"""The knowledge layer read from the documents: people, their names, roles and relations, each
with the passage span it was read from. Real seeds, the invented film, and the lexicon's pure
functions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from retrieval.ingest import ChunkSettings, build_passages
from retrieval.knowledge.extract import extract
from retrieval.knowledge.graph import KNOWLEDGE_VERSION, Knowledge, alias_keys
from retrieval.knowledge.lexicon import (
    FIELD_TYPES,
    FIELD_WORDS,
    fields_named,
    relation_matches,
    relation_surface,
    relation_tokens,
    relation_word,
)
from retrieval.passage import Passage
from retrieval.settings import REPO_ROOT
from retrieval.text import fold
from tests.conftest import SEEDS

INVENTED = REPO_ROOT / "tests" / "data" / "invented" / "seeds"


class Read:
    """Passages and the knowledge extracted from them, with look-ups by name."""

    def __init__(self, seeds: Path) -> None:
        self.passages: list[Passage] = build_passages(seeds, ChunkSettings())[0]
        self.k = extract(self.passages)

    def ids(self, name: str) -> tuple[int, ...]:
        """Entity ids a name (any spelling the documents use) resolves to."""
        return self.k.by_alias.get(alias_keys(name)[0], ())

    def one(self, name: str) -> int:
        ids = self.ids(name)
        assert len(ids) == 1, (name, [self.k.entity(i).name for i in ids])
        return ids[0]

    def links(self, subject: int, relation: str) -> list:
        return [k for k in self.k.links_from.get(subject, ()) if k.relation == relation]

    def span(self, link) -> str:
        return self.passages[link.passage].text[link.start:link.end]

    def actors(self, character: int) -> set[str]:
        return {self.k.entity(k.object).name for k in self.links(character, "played_by")}


@pytest.fixture(scope="module")
def real() -> Read:
    return Read(SEEDS)


@pytest.fixture(scope="module")
def invented() -> Read:
    return Read(INVENTED)


# --- the real seeds ------------------------------------------------------------------------

def test_the_duke_and_smeden_are_one_character_played_by_leif_sylvester(real: Read) -> None:
    # The plot says "Tonnys father, the Duke", the cast list "Smeden: Tonnys estranged father".
    smeden = real.one("Smeden")
    assert real.one("the Duke") == real.one("Duke") == smeden
    assert real.k.entity(smeden).kind == "character"
    assert real.actors(smeden) == {"Leif Sylvester"}
    cast = [k for k in real.links(smeden, "played_by") if real.passages[k.passage].kind == "cast"]
    assert len(cast) == 1
    assert "Leif Sylvester" in real.span(cast[0]) and "Smeden" in real.span(cast[0])
    assert real.passages[cast[0].passage].section == "Cast"


def test_milos_actor_comes_from_a_review_although_his_cast_bullet_is_broken(real: Read) -> None:
    # Independent check of the premise: no cast line names Milo.
    assert not any("Milo" in p.text for p in real.passages if p.kind == "cast")
    milo = real.one("Milo")
    links = real.links(milo, "played_by")
    assert links and {real.k.entity(k.object).name for k in links} == {"Zlatko Burić"}
    for link in links:
        assert real.passages[link.passage].source == "review"
        assert real.span(link) == "Milo (Zlatko Buric)"
    # The review's "Buric" and the infobox's "Burić" are one person, the one the film stars.
    actor = links[0].object
    assert real.one("Zlatko Buric") == real.one("Zlatko Burić") == real.one("Buric") == actor
    starring = {k.object for k in real.links(real.one("Pusher II"), "field:starring")}
    assert actor in starring


def test_three_initials_name_a_person_two_do_not(real: Read, invented: Read) -> None:
    assert real.one("NWR") == real.one("Nicolas Winding Refn")
    assert invented.k.by_alias.get("hb") is None  # "Hrafnkell Bárðarson": two words, no alias


def test_kurt_the_cunt_is_kusse_kurt(real: Read) -> None:
    kurt = real.one("Kurt the Cunt")
    assert real.one("Kusse-Kurt") == real.one("kusse kurt") == kurt
    assert real.actors(kurt) == {"Kurt Nielsen"}
    spans = {real.span(k) for k in real.links(kurt, "played_by")}
    assert "Kusse-Kurt (Kurt Nielsen)" in spans  # read in a review


def test_the_editing_field_splits_into_two_names(real: Read) -> None:
    film = real.one("Pusher II")
    links = real.links(film, "field:editing")
    assert [real.k.entity(k.object).name for k in links] == ["Janus Billeskov Jansen",
                                                             "Anne Østerud"]
    for link in links:
        assert real.passages[link.passage].kind == "infobox"
        assert real.span(link) == real.k.entity(link.object).name
    # The infobox lost its separators; "Peter Peter" is one name, not two.
    starring = [real.k.entity(k.object).name for k in real.links(film, "field:starring")]
    assert starring == ["Mads Mikkelsen", "Leif Sylvester", "Zlatko Burić", "Peter Peter",
                        "Keli Hlodversson"]
    assert [real.k.entity(k.object).name for k in real.links(film, "field:producer")] == [
        "Nicolas Winding Refn", "Johnny Andersen", "Henrik Danstrup"]


@pytest.mark.parametrize(("owner", "relation", "target", "word"), [
    ("Tonny", "rel:father", "Smeden", "father"),
    ("Smeden", "rel:ex+spouse", "Jeanette", "ex-wife"),
    ("Ø", "rel:partner", "Gry", "girlfriend"),
    ("Tonny", "rel:child+mother", "Charlotte", "mother of Tonnys child"),
    ("Smeden", "rel:brother", "Red", "brother"),
    ("Tonny", "rel:friend", "Ø", "friend"),
    ("Kurt the Cunt", "rel:backer", "Smeden", "his financial backer is the Duke"),  # a copula
])
def test_relations_are_read_with_their_provenance(real: Read, owner, relation, target, word
                                                  ) -> None:
    links = [k for k in real.links(real.one(owner), relation) if k.object == real.one(target)]
    assert links, f"{owner} —{relation}→ {target} not read"
    for link in links:
        assert word in real.span(link)


def test_an_appositive_in_the_plot_is_read_as_the_relation_it_states(real: Read) -> None:
    father = [k for k in real.links(real.one("Tonny"), "rel:father")
              if real.passages[k.passage].kind == "prose"]
    assert father and all(k.object == real.one("Smeden") for k in father)
    assert "Tonnys father, the Duke" in real.span(father[0])


def test_every_link_points_at_text_that_states_it(real: Read, invented: Read) -> None:
    for read in (real, invented):
        for link in read.k.links:
            text = read.passages[link.passage].text
            assert 0 <= link.start < link.end <= len(text), link
            if link.relation == "played_by":
                span = fold(read.span(link))
                for end in (link.subject, link.object):
                    aliases = read.k.entity(end).aliases
                    assert any(fold(a) in span for a in aliases), (read.span(link), aliases)


def test_the_protagonist_is_the_cast_lists_first_character(real: Read, invented: Read) -> None:
    assert real.k.protagonist == real.one("Tonny")
    assert invented.k.protagonist == invented.one("Rúnar")


def test_knowledge_round_trips_through_plain_json(real: Read) -> None:
    stored = real.k.to_json()
    data = json.loads(stored)  # plain JSON: no pickle
    assert data["version"] == KNOWLEDGE_VERSION
    back = Knowledge.from_json(stored)
    assert back == real.k
    assert back.by_alias == real.k.by_alias
    assert back.fields == real.k.fields


@pytest.mark.parametrize("change", [
    lambda d: d.update(version=KNOWLEDGE_VERSION + 1),
    lambda d: d.pop("version"),
    lambda d: d["links"].append([0, "played_by", 10_000, 0, 0, 1]),
])
def test_from_json_refuses_another_version_or_broken_links(real: Read, change) -> None:
    data = json.loads(real.k.to_json())
    change(data)
    with pytest.raises(ValueError):
        Knowledge.from_json(json.dumps(data))


def test_from_json_refuses_what_is_not_a_knowledge_object() -> None:
    with pytest.raises(ValueError):
        Knowledge.from_json("[]")


def test_the_index_stores_the_knowledge_it_answers_with(engine, real: Read) -> None:
    stored = (engine.index.directory / "knowledge.json").read_text(encoding="utf-8")
    assert Knowledge.from_json(stored) == engine.knowledge == real.k


# --- the invented film ----------------------------------------------------------------------

def test_a_quoted_nickname_inside_a_cast_role_names_the_character(invented: Read) -> None:
    # "Björgvin Hallgrímsson as Haraldur "the Baron" Sigurðsson: …"
    baron = invented.one("the Baron")
    assert invented.one("Baron") == invented.one("Haraldur") == baron
    assert invented.one("Haraldur Sigurðsson") == baron
    assert invented.actors(baron) == {"Björgvin Hallgrímsson"}
    cast = [k for k in invented.links(baron, "played_by")
            if invented.passages[k.passage].kind == "cast"]
    assert len(cast) == 1 and '"the Baron"' in invented.span(cast[0])


def test_the_uncle_is_the_baron_in_the_cast_list_and_the_plot(invented: Read) -> None:
    uncle = invented.links(invented.one("Rúnar"), "rel:uncle")
    assert uncle and {k.object for k in uncle} == {invented.one("the Baron")}
    kinds = {invented.passages[k.passage].kind for k in uncle}
    assert kinds == {"cast", "prose"}
    plot = next(k for k in uncle if invented.passages[k.passage].kind == "prose")
    assert "Rúnars uncle, the Baron" in invented.span(plot)


def test_son_of_two_parents_is_a_relation_of_each(invented: Read) -> None:
    tumi = invented.one("Tumi")
    for parent in ("Rúnar", "Lilja"):
        links = [k for k in invented.links(invented.one(parent), "rel:son") if k.object == tumi]
        assert links and "son of Rúnar and Lilja" in invented.span(links[0])


@pytest.mark.parametrize(("owner", "relation", "target"), [
    ("Rúnar", "rel:ex+partner", "Lilja"),
    ("Rúnar", "rel:mother", "Guðrún"),
    ("the Baron", "rel:sister", "Guðrún"),
    ("the Baron", "rel:employee", "Jói the Knife"),
    ("Krissi", "rel:spouse", "Dóra"),
    ("Krissi", "rel:partner", "Dóra"),
])
def test_invented_relations(invented: Read, owner, relation, target) -> None:
    objects = {k.object for k in invented.links(invented.one(owner), relation)}
    assert invented.one(target) in objects


def test_nunos_actor_comes_from_a_review(invented: Read) -> None:
    assert not any("Nuno" in p.text for p in invented.passages if p.kind == "cast")
    links = invented.links(invented.one("Nuno"), "played_by")
    assert {invented.k.entity(k.object).name for k in links} == {"Duarte Gonçalves Lima"}
    assert all(invented.passages[k.passage].source == "review" for k in links)
    assert "played by Duarte Gonçalves Lima" in invented.span(links[0])


def test_invented_spellings_and_titles_meet(invented: Read) -> None:
    # A review writes "Lilja (Asdis Eyjolfsdottir)": the cast list's Ásdís Eyjólfsdóttir.
    assert invented.one("Asdis Eyjolfsdottir") == invented.one("Ásdís Eyjólfsdóttir")
    assert invented.actors(invented.one("Lilja")) == {"Ásdís Eyjólfsdóttir"}
    # The lead's "(English: Harbour Thieves)" is another name of the film.
    film = invented.one("Hafnarþjófar")
    assert invented.one("Harbour Thieves") == film
    assert invented.k.entity(film).kind == "film"
    producers = [invented.k.entity(k.object).name for k in invented.links(film, "field:producer")]
    assert producers == ["Kolbrún Heiðarsdóttir", "Friðrik Jensen", "Teresa Conceição Mota"]


# --- the lexicon's pure functions -----------------------------------------------------------

@pytest.mark.parametrize(("text", "tokens"), [
    ("which actor plays tonnys dad", {"father"}),
    ("tony's baby mama", {"mother", "child"}),
    ("the woman he had a kid with", {"mother", "child"}),
    ("the girl he knocked up", {"mother", "child"}),
    ("who is the dukes ex-wife", {"ex", "spouse"}),
    ("whos runars ex girlfriend", {"ex", "partner"}),
    ("his old man", {"father"}),
    ("who plays runars mom", {"mother"}),
    ("who directed it", set()),
    ("the table and the chair", set()),
])
def test_relation_tokens(text, tokens) -> None:
    got = relation_tokens(text)
    assert set(got) == tokens
    assert len(got) == len(set(got))


def test_relation_surface_and_word() -> None:
    assert relation_surface("tonny's old man") == {"old", "man"}
    assert relation_surface("who is tonnys dad") == {"dad"}
    assert relation_word("dad") == "father"
    assert relation_word("ex") == "ex"
    assert relation_word("girlfriend") == "partner"
    assert relation_word("table") is None


@pytest.mark.parametrize(("asked", "stated", "score"), [
    (("father",), ("father",), 1.0),
    (("son",), ("child",), 0.9),  # one relation at a different grain
    (("spouse",), ("ex", "spouse"), 0.5),  # only "ex" differs
    (("ex", "spouse"), ("spouse",), 0.5),
    (("child",), ("child", "mother"), 0.0),  # the mother of his child is not his child
    (("father",), ("mother",), 0.0),
    ((), ("father",), 0.0),
])
def test_relation_matches(asked, stated, score) -> None:
    assert relation_matches(asked, stated) == score


@pytest.mark.parametrize(("question", "field"), [
    ("who was the film's editor", "editing"),
    ("who cut the film", "editing"),
    ("who shot it", "cinematography"),
    ("who is the dp", "cinematography"),
    ("who did the music", "music"),
    ("who composed the score", "music"),
    ("whats the release date", "released"),
    ("when did it come out", "released"),
    ("what was the box office", "gross"),
    ("how long is it", "runtime"),
    ("what production company made it", "studio"),
    ("who is in the cast", "starring"),
    ("what did it cost to make", "budget"),
])
def test_fields_named(question, field) -> None:
    assert fields_named(question)[0] == field


def test_weak_field_words_need_a_question_about_no_one() -> None:
    # "how long" asks for the runtime only when the question names nobody.
    assert fields_named("how long was he in prison") == ["runtime"]
    assert fields_named("how long was he in prison", strong_only=True) == []
    assert fields_named("what is the running time", strong_only=True) == ["runtime"]
    assert fields_named("what colour is the car") == []


def test_a_crew_role_only_a_review_credits_is_read_with_its_span(real: Read) -> None:
    # The infobox has no music line; a review gives "credit to Peterpeter's great rock/80's
    # synthesizer soundtrack".
    film = real.one("Pusher II")
    music = real.links(film, "field:music")
    assert [real.span(k) for k in music] == ["Peterpeter"]
    assert real.passages[music[0].passage].source == "review"
    assert "music" not in real.k.fields  # the infobox's own lines stay its own


def test_the_infobox_line_of_a_crew_role_is_not_overridden_by_the_prose(invented: Read) -> None:
    # "The score by Atli Snær Vigfússon…" in the article: the infobox's music line says it first
    film = invented.one("Hafnarþjófar")
    music = invented.links(film, "field:music")
    assert {invented.passages[k.passage].kind for k in music} == {"infobox"}


@pytest.mark.parametrize(("text", "credited"), [
    ("I loved Jon Holm's moody synth soundtrack.", ["Jon Holm"]),
    ("The score by Jon Holm is great.", ["Jon Holm"]),
    ("Ann's choice of music is odd.", []),  # a function word between: no credit
    ("It holds a score of 100% on Rotten Tomatoes.", []),  # a rating's score, not a composer
])
def test_a_crew_role_is_credited_only_by_a_name_beside_its_noun(text, credited) -> None:
    lead = "Film X is a 2001 film."
    passages = [
        Passage(id=0, doc="d", doc_title="Film X", source="wiki", kind="lead", section=None,
                start=0, end=len(lead), text=lead, sentences=((0, len(lead)),)),
        Passage(id=1, doc="d", doc_title="Film X", source="wiki", kind="prose", section="Music",
                start=0, end=len(text), text=text, sentences=((0, len(text)),)),
    ]
    k = extract(passages)
    film = next(e.id for e in k.entities if e.kind == "film")
    links = [x for x in k.links_from.get(film, ()) if x.relation == "field:music"]
    assert [text[x.start:x.end] for x in links] == credited


def test_every_field_has_a_type() -> None:
    assert set(FIELD_WORDS) == set(FIELD_TYPES)


def test_a_copula_names_the_owner_before_the_pronoun() -> None:
    from retrieval.knowledge.relations import appositives
    from retrieval.passage import Passage

    text = "Ann visits the bank. Bo says that his secret lender is the Baron and leaves."
    p = Passage(id=0, doc="d", doc_title="t", source="wiki", kind="prose", section=None, start=0,
                end=len(text), text=text, sentences=((0, 20), (21, len(text))))
    rels = appositives(text, p)
    assert [(r.owner, r.tokens, r.target_name) for r in rels] == [("Bo", ("backer",), "Baron")]


def test_a_relation_is_named_by_every_word_for_it() -> None:
    from retrieval.knowledge.lexicon import relation_surfaces

    partner = relation_surfaces(("partner",))
    assert {"girlfriend", "gf", "boyfriend"} <= partner and "father" not in partner
    assert relation_surfaces(("ex", "spouse")) >= {"wife", "husband"}
    assert "ex" not in relation_surfaces(("ex", "spouse"))  # "ex" alone names no one


def test_how_long_between_events_asks_for_no_runtime() -> None:
    from retrieval.knowledge.lexicon import fields_named

    assert fields_named("how long is it") == ["runtime"]
    assert "runtime" not in fields_named("how long after the first movie does this one start")
    assert "runtime" not in fields_named("how long since frank hit him")


def test_where_is_it_from_asks_for_the_country() -> None:
    from retrieval.knowledge.lexicon import fields_named

    assert fields_named("where's it from?") == ["country"]
    assert fields_named("where is the film from") == ["country"]


def test_a_crew_role_the_infobox_has_no_line_for_is_no_field() -> None:
    from retrieval.knowledge.lexicon import fields_named

    assert fields_named("who was the casting director") == []
    assert fields_named("who was the art director") == []
    assert fields_named("who was the director") == ["director"]
    assert fields_named("what production company made it") == ["studio"]


def test_a_known_name_with_one_more_surname_is_the_same_person(real: Read) -> None:
    # a review writes "Leif Sylvester Petersen is probably the standout"
    assert real.one("Leif Sylvester Petersen") == real.one("Leif Sylvester")
    # the infobox's run of names, and a name before a possessive or the film's title, are not
    assert real.ids("Mads Mikkelsen Leif") == ()
    assert all(len(a.split()) < 4 for e in real.k.entities for a in e.aliases
               if e.kind == "person" and "Refn" in a)
