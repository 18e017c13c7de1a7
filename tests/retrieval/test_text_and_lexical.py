"""Folding, stemming and BM25, checkable by hand."""

from __future__ import annotations

import re

import numpy as np
import pytest

from retrieval import text
from retrieval.index.bm25 import BM25
from retrieval.knowledge.lexicon import picks_same_relative, relation_modifiers
from retrieval.text import content_terms, fold, plain_words, quoted_phrases, stem, without_quotes
from tests.conftest import INVENTED, SEEDS


def test_fold_handles_letters_nfkd_leaves_alone() -> None:
    assert fold("Søborg Østerud Burić Ø") == "soborg osterud buric o"


def test_light_stemming_joins_agent_and_field_words() -> None:
    assert stem("cinematographer") == stem("cinematography")
    assert stem("directed") == stem("director")
    assert content_terms("Tonny's tattoo") == ["tonni", "tattoo"]


def test_the_c_stemmer_gives_the_reference_snowball_stems() -> None:
    # Oracle: snowballstemmer's pure-Python English stemmer, over every word of both films'
    # documents, as written and as folded (what `stem` is given).
    from snowballstemmer.english_stemmer import EnglishStemmer

    texts = [p.read_text(encoding="utf-8") for d in (SEEDS, INVENTED / "seeds") for p in d.iterdir()]
    vocabulary = sorted({w for t in texts for w in re.findall(r"[^\W_]+", t.lower())}
                        | {w for t in texts for w in text.words(t)})
    assert len(vocabulary) > 2000
    reference, ours = EnglishStemmer(), text._stemmer()
    assert [ours.stemWord(w) for w in vocabulary] == [reference.stemWord(w) for w in vocabulary]


def test_ish_says_about_and_is_no_word_of_its_own() -> None:
    assert text.words("100-ish minutes, hours-ish") == ["100", "minutes", "hours"]
    assert text.words("a boyish grin, Ish the cook") == ["a", "boyish", "grin", "ish", "the", "cook"]


@pytest.mark.parametrize(("past", "verb"), [
    ("met", "meet"), ("told", "tells"), ("stolen", "steals"), ("drew", "draws"), ("fled", "flee"),
])
def test_irregular_past_forms_share_their_verbs_stem(past, verb) -> None:
    assert stem(past) == stem(verb)


def test_function_words_typed_without_their_apostrophe_are_no_content() -> None:
    assert content_terms("how does jon find out hes a dad") == content_terms(
        "how does jon find out he's a dad") == ["jon", "find", "dad"]
    assert content_terms("thats what im saying, dont") == content_terms("saying")
    assert content_terms("he lets her go") == ["let", "go"]  # "lets" is a verb of its own


def test_a_bit_is_no_bite() -> None:  # forms that are common words of their own are left
    assert stem("bit") != stem("bite")


def test_bm25_prefers_the_passage_with_the_rare_word() -> None:
    bm = BM25.build(["the cat sat on the mat", "the dog sat", "a cat and a dog and a cat"])
    scores = bm.scores(bm.query_terms("cat"))
    assert scores[1] == 0
    assert scores[2] > scores[0] > 0


def test_name_variants_and_misspellings_are_expanded() -> None:
    bm = BM25.build(["Morten Søborg shot the film.", "Then Tonny steals a Ferrari.",
                     "Reviews call him Tony.", "Mads Mikkelsen stars."])
    assert np.argmax(bm.scores(bm.query_terms("soborg"))) == 0
    # "tony" is a corpus word, but also one letter from the name "Tonny": both are searched.
    assert {"toni", "tonni"} <= {t.term for t in bm.query_terms("who is tony")}
    assert np.argmax(bm.scores(bm.query_terms("mikkelson"))) == 3
    assert bm.missing_share("ferari") == 0.0  # one edit away from a corpus word
    assert bm.missing_share("sourdough bread") == 1.0


def test_a_capital_that_opens_a_sentence_says_nothing_of_a_name() -> None:
    bm = BM25.build(["Dedicated to a writer. The film is long.", "It was dedicated to Selby.",
                     "Selby wrote it. Praise for Selby: Selby was a writer.\n* Red as Red"])
    assert bm.surface["dedicated"][1] == 0.0  # once opening a sentence, once in lowercase
    assert bm.surface["selby"][1] == 1.0  # inside sentences, always capitalised
    assert bm.surface["praise"][1] < 0.5  # only ever opening sentences: not known as a name
    assert bm.surface["red"][1] == 1.0  # "* Red as Red": the list item's first word is skipped


def test_bm25_round_trips_through_disk(tmp_path) -> None:
    bm = BM25.build(["alpha beta", "beta gamma"])
    bm.save(tmp_path)
    again = BM25.load(tmp_path)
    q = bm.query_terms("gamma")
    assert np.allclose(bm.scores(q), again.scores(q))


def test_stemming_is_safe_from_many_threads() -> None:
    from concurrent.futures import ThreadPoolExecutor

    words = [f"{w}{i}ing" for i in range(400) for w in ("direct", "cinematograph", "marri")]
    expected = [stem.__wrapped__(w) for w in words]
    with ThreadPoolExecutor(8) as pool:
        for _ in range(5):
            assert list(pool.map(stem.__wrapped__, words)) == expected


@pytest.mark.parametrize(("question", "groups"), [
    ("who plays the dukes little son", {"younger"}),
    ("who plays her older half brother", {"older", "half"}),
    ("does he have another wife", {"other"}),
    ("who plays tonys baby mama", set()),  # a relation's own phrase, no pick
    ("who plays o's new wife", set()),  # the one he just married
    ("a little help with the son question", set()),  # "little" not before a relation
])
def test_relation_modifiers_name_the_relative_picked(question, groups) -> None:
    assert relation_modifiers(question) == groups


def test_a_modifier_counts_only_for_the_relation_it_picks() -> None:
    # "younger" picks the kid, not the mother the question asks for
    assert relation_modifiers("whos the mom of the dukes younger kid", frozenset({"spouse"})) == set()
    assert relation_modifiers("whos the mom of the dukes younger kid", frozenset({"child"})) == {
        "younger"}
    # a son is a child at the grain links are compared at
    assert relation_modifiers("who plays the dukes little son", frozenset({"child"})) == {"younger"}


def test_a_link_picks_the_same_relative_only_in_its_own_words() -> None:
    assert picks_same_relative("the duke has a younger son from a different mother", {"younger"})
    assert picks_same_relative("his little brother", {"younger"})  # a word of the same group
    assert not picks_same_relative("tonnys estranged father", {"younger"})
    assert not picks_same_relative("her older brother", {"older", "half"})


def test_leading_names_are_the_letters_that_begin_only_one_handle() -> None:
    from retrieval.text import leading_names

    names = ["jdoetaylor-96-1380", "samename1", "samename2", "bo-7", "plain"]
    assert leading_names(names, 5) == {"jdoetaylor": "jdoetaylor-96-1380"}  # shared, short, whole: none
    assert leading_names(["samename1"], 5) == {"samename": "samename1"}


@pytest.mark.parametrize(("question", "phrases"), [
    ("who's the 'big-time pusher' in this", ("big time pusher",)),
    ('who signed their review "Evil Eye Reviews"', ("evil eye reviews",)),
    ("which reviewer called it an ‘equal’ rather than a sequel", ("equal",)),
    ("who's tonny's old man", ()),  # apostrophes of possessives quote nothing
    ("what's charlotte's last name", ()),
    ("who is 'ø'", ()),  # one short word is no phrase
])
def test_the_phrases_a_question_quotes(question, phrases) -> None:
    assert quoted_phrases(question) == phrases


def test_a_phrase_is_found_by_its_plain_words() -> None:
    assert plain_words("from big-time pusher Milo (Zlatko Burić)") == \
        "from big time pusher milo zlatko buric"


def test_a_quoted_phrase_is_taken_out_whole() -> None:
    assert without_quotes("who signed their review 'evil eye reviews'").split() == [
        "who", "signed", "their", "review"]
    assert without_quotes("who's tonny's old man") == "who's tonny's old man"


def test_near_misses_are_found_once_and_the_memo_stays_bounded(monkeypatch) -> None:
    import retrieval.index.bm25 as bm25_module

    bm = BM25.build(["the harbour master", "a harbor town"])
    assert "harbor" in bm._variants.near("harbour")
    assert bm._variants.near("harbour") is bm._variants.near("harbour")  # read once
    monkeypatch.setattr(bm25_module, "NEAR_CACHE", 2)
    for word in ("harbours", "harbou", "masters"):
        bm._variants.near(word)
    assert len(bm._variants._seen) <= 2
    assert "harbor" in bm._variants.near("harbour")  # the same answer after the memo is cleared
