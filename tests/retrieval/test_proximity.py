"""Term proximity (retrieval/answer/proximity.py): pure logic, no model."""

from __future__ import annotations

import pytest

from retrieval.answer.proximity import question_pairs, said_pairs, sentence_proximity
from retrieval.text import content_terms


def weights(q: str, **heavier: float) -> dict[str, float]:
    return {t: heavier.get(t, 1.0) for t in content_terms(q)}


def test_pairs_are_the_questions_neighbouring_content_words_weighing_the_lighter() -> None:
    w = weights("who does jon attack at his place", jon=0.5, attack=3.0)
    pairs = question_pairs("who does jon attack at his place", w)
    assert [(a, b) for a, b, _ in pairs.pairs] == [("jon", "attack"), ("attack", "place")]
    assert [x for _, _, x in pairs.pairs] == [0.5, 1.0] and pairs.total == 1.5


def test_a_word_the_weights_leave_out_makes_no_pair() -> None:
    w = weights("jon attack")
    assert not question_pairs("who does jon attack", {"jon": w["jon"]})
    assert not question_pairs("", {})


@pytest.mark.parametrize(("sentence", "share"), [
    ("After Jon attacks a guard, he leaves.", 1.0),  # stopwords aside, next to each other
    ("Ann attacks Bo before the men pull her away and she meets Jon.", 0.0),  # both, apart
    ("The guard attacked by Jon runs.", 0.0),  # the other order: not who does what
    ("Jon, furious, attacks.", 0.0),  # a content word between them
])
def test_a_sentence_is_credited_with_the_pairs_it_says_in_order(sentence, share) -> None:
    q = "who does jon attack"
    assert sentence_proximity(sentence, question_pairs(q, weights(q))) == share


def test_the_share_is_of_the_pairs_weight() -> None:
    q = "jon attack guard"
    pairs = question_pairs(q, weights(q, attack=3.0))
    assert sentence_proximity("Jon attacks.", pairs) == pytest.approx(0.5)
    assert sentence_proximity("He will attack the guard.", pairs) == pytest.approx(0.5)
    assert sentence_proximity("Jon attacks the guard.", pairs) == pytest.approx(1.0)


def test_said_pairs_are_neighbouring_content_words_in_order() -> None:
    jon, attack, guard = content_terms("jon attacks guard")
    assert said_pairs("Jon attacks the guard.") == {(jon, attack), (attack, guard)}
    assert (guard, attack) not in said_pairs("Jon attacks the guard.")  # the order counts
