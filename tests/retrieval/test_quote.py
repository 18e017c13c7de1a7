"""The sentence window a passage is quoted by (retrieval/answer/quote.py), on a made-up passage."""

from __future__ import annotations

import numpy as np

from retrieval.answer.quote import choose_quote, cut_quote
from retrieval.passage import Passage

TEXT = ("The story opens in a harbour jail. Ann steals a boat to please her aunt. "
        "The aunt sends the boat back. The story ends at sea.")


def _passage() -> Passage:
    spans, start = [], 0
    for sentence in TEXT.split(". "):
        end = start + len(sentence.rstrip(".")) + 1
        spans.append((start, end))
        start = end + 1
    return Passage(id=0, doc="wiki.txt", doc_title="Film", source="wiki", kind="prose",
                   section="Plot", start=0, end=len(TEXT), text=TEXT, sentences=tuple(spans))


def test_the_edge_sentence_is_quoted_when_asked_at_the_start_or_end() -> None:
    p = _passage()
    # the second sentence reads closest (it names Ann); the first says where the story starts
    scores = np.array([0.05, 0.55, 0.30, 0.30], dtype=np.float32)
    weights = {"ann": 1.0}
    first, last, _ = choose_quote(p, scores, weights, 400)
    assert (first, last) == (1, 2)
    first, last, _ = choose_quote(p, scores, weights, 400, edge=0)
    assert first == 0
    first, last, _ = choose_quote(p, scores, weights, 400, edge=-1)
    assert last == 3


def test_a_long_quote_is_cut_at_a_word() -> None:
    assert cut_quote("one two three four", 12) == "one two…"
    assert cut_quote("short", 12) == "short"


def test_a_place_question_is_quoted_by_the_sentence_naming_the_place() -> None:
    text = "Ann hides at the end of the pier. The boat sails from Porto at night."
    p = Passage(id=0, doc="wiki.txt", doc_title="Film", source="wiki", kind="prose",
                section="Plot", start=0, end=len(text), text=text,
                sentences=((0, 33), (34, len(text))))
    scores = np.array([0.50, 0.40], dtype=np.float32)  # the first reads a little closer
    # both hold a preposition before a noun; only the second names where
    first, last, _ = choose_quote(p, scores, {}, 40, answer_type="place")
    assert (first, last) == (1, 1)


def test_a_who_quote_opening_with_a_pronoun_takes_the_sentence_saying_who() -> None:
    text = "Rain falls. The cell-mate sings. He says Jon owes him money."
    p = Passage(id=0, doc="wiki.txt", doc_title="Film", source="wiki", kind="prose",
                section="Plot", start=0, end=len(text), text=text,
                sentences=((0, 11), (12, 32), (33, len(text))))
    scores = np.array([0.0, 0.0, 0.9], dtype=np.float32)
    assert choose_quote(p, scores, {}, 400, answer_type="person")[:2] == (1, 2)
    assert choose_quote(p, scores, {}, 400, answer_type="place")[:2] == (2, 2)  # not asked who
    assert choose_quote(p, scores, {}, 40, answer_type="person")[:2] == (2, 2)  # too long
