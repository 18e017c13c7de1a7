"""Oracle: the hand-written BM25 scores equal bm25s's Lucene BM25 × (k1+1), on the real seeds.

BM25 is written by hand for start-up time (importing bm25s costs ~0.3 s of every `ask`); this
checks it against a maintained implementation, as bm25s checks itself against rank_bm25. Both
get the same tokens (`content_terms`), so what is compared is the scoring alone: IDF
log(1 + (N - df + 0.5) / (df + 0.5)), length normalisation, and the k1/b saturation.
"""

from __future__ import annotations

import numpy as np
import pytest

from retrieval.embed.plan import embed_plan
from retrieval.index.bm25 import BM25, QueryTerm
from retrieval.ingest import ChunkSettings, build_passages
from retrieval.text import content_terms
from tests.conftest import SEEDS

bm25s = pytest.importorskip("bm25s", reason="bm25s (the dev extra) is not installed")

QUERIES = [
    "Who was the cinematographer?",
    "who plays charlotte",
    "Tonny kills the Duke",
    "Was the film shot on hand-held cameras?",
    "What did reviewers think of Mads Mikkelsen's acting?",
    "heroin flushed down the toilet",
    "Pusher trilogy Refn Fear X bankrupt",
    "respect tattoo on the back of his head",
]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    """The texts the index's BM25 is built from: each passage's context header and text."""
    passages, _ = build_passages(SEEDS, ChunkSettings())
    return embed_plan(passages, with_context=True).passage_texts


@pytest.fixture(scope="module")
def corpus(texts: list[str]) -> list[list[str]]:
    """The same texts as tokens, the way BM25.build tokenises them."""
    return [content_terms(t) for t in texts]


@pytest.fixture(scope="module")
def ours(texts: list[str]) -> BM25:
    return BM25.build(texts)


@pytest.fixture(scope="module")
def oracle(corpus: list[list[str]], ours: BM25):
    retriever = bm25s.BM25(method="lucene", k1=ours.k1, b=ours.b)
    retriever.index(corpus, show_progress=False)
    return retriever


def test_the_corpus_is_the_real_one(texts: list[str], corpus: list[list[str]]) -> None:
    assert len(texts) > 100 and sum(map(len, corpus)) > 5000
    assert any("Søborg" in t for t in texts) and any("UlrikSander" in t for t in texts)


@pytest.mark.parametrize("query", QUERIES)
def test_scores_equal_lucene_times_k1_plus_1(ours: BM25, oracle, query: str) -> None:
    terms = sorted({t for t in content_terms(query) if t in ours.vocab})
    assert terms, f"no query term of {query!r} is in the corpus"
    got = ours.scores([QueryTerm(t, 1.0) for t in terms])
    expected = np.asarray(oracle.get_scores(terms), dtype=np.float64) * (ours.k1 + 1.0)
    assert got.shape == expected.shape
    assert np.count_nonzero(expected) > 0
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)


def test_a_term_in_one_passage_and_one_in_every_passage(ours: BM25, oracle,
                                                       corpus: list[list[str]]) -> None:
    # The IDF extremes: a hapax (df = 1) and the commonest term of the corpus.
    df: dict[str, int] = {}
    for tokens in corpus:
        for t in set(tokens):
            df[t] = df.get(t, 0) + 1
    rare = min(df, key=lambda t: (df[t], t))
    common = max(df, key=lambda t: (df[t], t))
    for term in (rare, common):
        got = ours.scores([QueryTerm(term, 1.0)])
        expected = np.asarray(oracle.get_scores([term]), dtype=np.float64) * (ours.k1 + 1.0)
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)
