"""What a quote or a question names (retrieval/answer/reading.py), read with the real graph."""

from __future__ import annotations

import pytest

from retrieval.answer.reading import QuoteReader
from retrieval.text import stem


@pytest.fixture(scope="module")
def reader(engine) -> QuoteReader:
    return engine._reader


def test_mentions_are_the_graphs_entities_and_an_actor_names_his_role(reader) -> None:
    names = {reader.knowledge.entity(e).name for e in reader.mentioned("Mads Mikkelsen is superb")}
    assert {"Mads Mikkelsen", "Tonny"} <= names
    assert not reader.names("the weather in Oslo")


@pytest.mark.parametrize(("quote", "noun", "nobody"), [
    ("He sees it at a festival in Cognac.", "", True),  # a place no one is called
    ("Tonny visits Charlotte.", "", False),  # both are someone
    ("But Tonny leaves.", "", False),  # a sentence's opening capital says nothing
    # "which prison": the name must stand beside the noun, not a clause away
    ("He was released from prison, and many months later he went back home to Copenhagen.",
     "prison", False),
    ("He served his time in Vestre Prison.", "prison", True),
    ("Refn used many real locations in and around Copenhagen.", "city", True),  # a region
])
def test_a_name_that_is_nobodys(reader, quote, noun, nobody) -> None:
    assert reader.names_nobody(quote, stem(noun) if noun else "") is nobody


def test_a_title_the_passages_quote_is_another_work(reader) -> None:
    assert reader.quoted_work("who directed once were warriors") == "once were warriors"
    assert reader.quoted_work("who directed it") is None
    assert reader.quoted_work("who played kurt the cunt") is None  # a known name, not a work


def test_a_capitalised_title_no_passage_writes_is_foreign(reader) -> None:
    assert reader.foreign_title("Who directed Reservoir Dogs?") == "Reservoir Dogs"
    assert reader.foreign_title("Who plays Tonny?") is None


def test_a_cast_line_holding_the_asked_words_after_of_describes_another() -> None:
    from retrieval.answer.reading import of_another
    from retrieval.text import stem
    line = "Ann Holm as Ann: A nurse and the mother of Jons child."
    assert of_another(line, {stem("child")})
    assert not of_another(line, {stem("mother")})
    assert not of_another("Bo Ek as Bo: A gun dealer.", {stem("dealer")})
    assert not of_another(line, {stem("uncle")})  # not there at all: nothing to say
