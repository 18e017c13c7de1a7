"""Another part of a film series, named by number or by ordinal (pure logic, no model)."""

from __future__ import annotations

import pytest

from retrieval.answer.series import Series

PART_TWO = Series(["Heat II", "Heat II: Blood on the Docks"])


@pytest.mark.parametrize(("question", "word", "stands_for"), [
    ("is al in heat 3 too", "3", {"3", "third", "iii"}),
    ("when did the first heat come out", "first", {"1", "first", "origin"}),
    ("what year was the original heat", "original", {"1", "first", "origin"}),
    ("who was the main guy in heat 1", "1", {"1", "first", "origin"}),
    ("whats the next heat film about", "next", {"3", "third"}),
    ("was the previous heat any good", "previous", {"1", "origin"}),
])
def test_other_parts_by_number_or_ordinal(question, word, stands_for) -> None:
    parts = PART_TWO.other_parts(question)
    assert list(parts) == [word]
    assert stands_for <= parts[word]
    assert "i" not in parts[word] and "one" not in parts[word]  # words for everything else


@pytest.mark.parametrize("question", ["whats heat ii about", "the second heat", "heat 2 cast",
                                      "what happened in the first scene", "who plays heat"])
def test_this_part_and_other_firsts_are_not_another_part(question) -> None:
    assert PART_TWO.other_parts(question) == {}


@pytest.mark.parametrize(("question", "word", "phrase"), [
    ("was he in the first one too?", "first", "the first one"),  # a film, after "in"
    ("whats the third one about?", "third", "the third one"),  # asked about
    ("what was the plot of the original film", "original", "the original film"),
    ("is al in heat 3 too", "3", "heat 3"),
])
def test_a_part_named_by_its_place_alone(question, word, phrase) -> None:
    assert list(PART_TWO.other_parts(question)) == [word]
    assert PART_TWO.phrases(question) == [phrase]


@pytest.mark.parametrize("question", ["the first one to die", "who dies first one",
                                      "what happened to him after the first film",
                                      "is it better than the first one",
                                      "in the second one"])
def test_an_ordinal_alone_that_means_no_other_film(question) -> None:
    assert PART_TWO.other_parts(question) == {} and PART_TWO.phrases(question) == []


def test_without_a_number_in_the_title_the_original_may_be_this_film() -> None:
    series = Series(["Heat"])
    assert series.other_parts("the original heat") == {}
    assert list(series.other_parts("heat 2 cast")) == ["2"]


@pytest.mark.parametrize(("word", "stands_for"), [
    ("first", {"first", "origin", "1"}),
    ("original", {"first", "origin", "1"}),
    ("predecessor", {"predecessor", "first", "origin"}),
    ("next", {"3", "third"}),
])
def test_a_word_alone_points_at_another_part_where_the_series_is_the_subject(word, stands_for
                                                                             ) -> None:
    from retrieval.text import stem

    assert {stem(s) for s in stands_for} <= PART_TWO.part_stems(word)


@pytest.mark.parametrize("word", ["second", "one", "ending", "acting"])
def test_this_part_and_ordinary_words_point_nowhere(word) -> None:
    assert PART_TWO.part_stems(word) == frozenset()
