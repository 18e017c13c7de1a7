"""The approximate index finds what the exact one finds; the spec follows corpus size."""

from __future__ import annotations

import json
import threading

import faiss
import numpy as np
import pytest

from pusherbot.synthetic import SyntheticVectors, seed_sentences
from retrieval.index import ann
from retrieval.index.ann import VectorIndexSpec, build_vector_index, choose_spec, recall_at_k
from retrieval.settings import REPO_ROOT, default_model_path


@pytest.fixture(scope="module")
def corpus() -> tuple[np.ndarray, np.ndarray]:
    """6,000 vectors with the structure of real embeddings, and 200 held-out queries."""
    from retrieval.embed.encoder import SentenceTransformerEncoder

    sentences = seed_sentences(REPO_ROOT / "seeds")
    base = SentenceTransformerEncoder(default_model_path()).encode(sentences, batch_size=64)
    vecs = SyntheticVectors(base, 6000, seed=3)
    return vecs.array(), vecs.queries(200)


@pytest.mark.parametrize("spec", [
    VectorIndexSpec("ivf", {"nlist": 64, "nprobe": 16, "train_size": 6000}),
    VectorIndexSpec("hnsw", {"M": 16, "efConstruction": 40, "efSearch": 64}),
])
def test_approximate_index_finds_the_exact_neighbours(corpus, spec):
    x, q = corpus
    index = build_vector_index(x, spec)
    assert index.ntotal == len(x)
    assert recall_at_k(index, x, q, k=10) >= 0.95


def test_flat_index_is_exact(corpus):
    x, q = corpus
    index = build_vector_index(x, VectorIndexSpec("flat"))
    assert recall_at_k(index, x, q) == 1.0
    truth = np.argsort(-(q @ x.T), axis=1)[:, :10]
    assert recall_at_k(index, truth, q) >= 0.999  # ties may order differently


def test_search_params_survive_save_and_load(corpus, tmp_path):
    x, q = corpus
    spec = VectorIndexSpec("ivf", {"nlist": 64, "nprobe": 16, "train_size": 6000})
    built = build_vector_index(x, spec)
    path = tmp_path / "vectors.faiss"
    faiss.write_index(built, str(path))
    loaded = ann.load_vector_index(str(path), spec)
    assert faiss.extract_index_ivf(loaded).nprobe == 16
    np.testing.assert_array_equal(built.search(q, 10)[1], loaded.search(q, 10)[1])


def test_concurrent_searches_agree(corpus):
    x, q = corpus
    index = build_vector_index(x, VectorIndexSpec("ivf", {"nlist": 64, "nprobe": 8}))
    expected = index.search(q, 5)[1]
    got: dict[int, np.ndarray] = {}

    def work(t: int) -> None:
        got[t] = np.vstack([ann.search(index, q[i], 5)[1] for i in range(len(q))])

    threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for ids in got.values():
        np.testing.assert_array_equal(ids, expected)


def test_progress_counts_every_vector(corpus):
    x, _ = corpus
    seen: list[int] = []
    build_vector_index(x, VectorIndexSpec("flat"), progress=seen.append)
    assert sum(seen) == len(x)


def test_choose_spec_follows_corpus_size():
    assert choose_spec(100).kind == "flat"
    assert choose_spec(ann.EXACT_MAX).kind == "flat"
    above = choose_spec(ann.EXACT_MAX + 1)
    assert above.kind == "ivf"
    assert above.params["nlist"] * 39 <= ann.EXACT_MAX + 1  # enough points to train each list
    big = choose_spec(1_000_000)
    assert big.kind == "ivf" and big.params["nlist"] == 4096 and big.params["nprobe"] == 64
    sizes = [choose_spec(n).params.get("nlist", 0) for n in (10**5, 10**6, 10**7)]
    assert sizes == sorted(sizes)


def test_spec_round_trips_through_json():
    for spec in (choose_spec(10), choose_spec(1_000_000),
                 VectorIndexSpec("hnsw", {"M": 32, "efSearch": 64})):
        again = VectorIndexSpec.from_dict(json.loads(json.dumps(spec.to_dict())))
        assert again == spec
        assert again.describe() == spec.describe()


def test_unknown_kind_is_rejected():
    with pytest.raises(ValueError):
        VectorIndexSpec("annoy")
    with pytest.raises(ValueError):
        build_vector_index(np.zeros((10, 4), np.float32), VectorIndexSpec("ivf", {"nlist": 64}))


@pytest.mark.parametrize("k", [1, 5, 50, 300])
def test_flat_vectors_search_matches_faiss_exact_search(k) -> None:
    """Oracle: the numpy flat search returns faiss IndexFlatIP's ids and scores."""
    import faiss

    from retrieval.index.ann import FlatVectors, search

    rng = np.random.default_rng(3)
    x = rng.normal(size=(200, 16)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    q = rng.normal(size=(4, 16)).astype(np.float32)
    exact = faiss.IndexFlatIP(16)
    exact.add(x)
    want_scores, want_ids = exact.search(q, min(k, 200))
    got_scores, got_ids = search(FlatVectors(x), q, k)
    np.testing.assert_array_equal(got_ids, want_ids)
    np.testing.assert_allclose(got_scores, want_scores, rtol=1e-5, atol=1e-6)


def test_flat_vectors_order_equal_scores_by_id() -> None:
    """faiss leaves the order of equal scores to its heap; here it is fixed: lower id first."""
    from retrieval.index.ann import FlatVectors

    x = np.eye(4, dtype=np.float32)[[0, 1, 1, 2, 1]]  # rows 1, 2 and 4 are the same vector
    scores, ids = FlatVectors(x).search(np.array([0, 1, 0, 0], np.float32), 3)
    assert ids.tolist() == [[1, 2, 4]] and scores.tolist() == [[1.0, 1.0, 1.0]]
