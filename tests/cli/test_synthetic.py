"""The synthetic scale corpus: realistic, deterministic, and honest about what it encoded."""

from __future__ import annotations

import numpy as np
import pytest

from pusherbot.synthetic import (
    SyntheticVectors,
    build_synthetic,
    exact_topk,
    seed_sentences,
    synthetic_passages,
)
from retrieval.settings import REPO_ROOT

SEEDS = REPO_ROOT / "seeds"


def _clustered(n: int = 500, dim: int = 32, seed: int = 0) -> np.ndarray:
    """Stand-in for real embeddings: unit vectors around a few dozen topics."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((40, dim))
    v = centres[rng.integers(0, 40, n)] + 0.6 * rng.standard_normal((n, dim))
    return (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)


class FakeEncoder:
    name = "fake"
    dim = 32

    def encode(self, texts, batch_size=32, progress=None):
        rng = np.random.default_rng(len(texts))
        base = _clustered(len(texts), self.dim, seed=int(rng.integers(1000)))
        if progress:
            progress(len(texts))
        return base


def test_seed_sentences_are_prose_without_chrome():
    sentences = seed_sentences(SEEDS)
    assert len(sentences) > 200
    assert len(set(sentences)) == len(sentences)
    joined = "\n".join(sentences)
    for chrome in ("Was this review helpful", "found this helpful", "{{", "==", "| director"):
        assert chrome not in joined
    assert any("Mads Mikkelsen" in s for s in sentences)


def test_passages_recombine_seed_sentences_deterministically():
    a = list(synthetic_passages(SEEDS, 300, seed=1))
    assert a == list(synthetic_passages(SEEDS, 300, seed=1))
    assert a != list(synthetic_passages(SEEDS, 300, seed=2))
    assert len(a) == 300
    sentences = seed_sentences(SEEDS)
    assert all(any(p.startswith(s) for s in sentences) for p in a[:50])
    lengths = np.array([len(p) for p in a])
    assert 300 <= np.median(lengths) <= 900
    assert len(set(a)) > 290  # recombined, not repeated


def test_passages_prefix_is_stable_across_sizes():
    assert list(synthetic_passages(SEEDS, 70_000))[:20] == list(synthetic_passages(SEEDS, 20))


def test_vectors_keep_the_real_sample_and_synthesise_the_rest():
    base = _clustered()
    sv = SyntheticVectors(base, 3000, seed=5)
    x = sv.array()
    assert x.shape == (3000, 32) and x.dtype == np.float32
    np.testing.assert_array_equal(x[: len(base)], base)
    assert np.allclose(np.linalg.norm(x, axis=1), 1.0, atol=1e-5)
    assert sv.plan.encoded == 500 and sv.plan.synthesised == 2500
    assert "synthesised" in sv.plan.describe()
    np.testing.assert_array_equal(SyntheticVectors(base, 3000, seed=5).array(), x)
    assert not np.array_equal(SyntheticVectors(base, 3000, seed=6).array()[500:], x[500:])


def test_noise_is_calibrated_to_the_real_spread():
    plan = SyntheticVectors(_clustered(800), 5000, seed=0).plan
    assert abs(plan.real_median_nn_cos - plan.synthetic_median_nn_cos) < 0.02
    assert plan.noise > 0


def test_blocks_can_be_regenerated_alone():
    sv = SyntheticVectors(_clustered(), 2500, seed=1)
    x = sv.array()
    np.testing.assert_array_equal(sv.block(2, size=1000), x[2000:2500])
    np.testing.assert_array_equal(np.vstack(list(sv.blocks(size=700))), x)


def test_small_corpus_is_all_real():
    base = _clustered()
    sv = SyntheticVectors(base, 200)
    assert sv.plan.synthesised == 0 and "all 200" in sv.plan.describe()
    np.testing.assert_array_equal(sv.array(), base[:200])


def test_build_synthetic_encodes_a_capped_sample():
    seen: list[int] = []
    sample, sv = build_synthetic(SEEDS, 5000, FakeEncoder(), max_encoded=300,
                                 progress=seen.append)
    assert len(sample) == 300 and sum(seen) == 300
    assert sv.plan.encoded == 300 and sv.plan.synthesised == 4700
    assert sv.plan.encoder == "fake"


@pytest.mark.parametrize("as_source", [True, False])
def test_exact_topk_matches_brute_force(as_source):
    sv = SyntheticVectors(_clustered(), 1500, seed=2)
    x, q = sv.array(), sv.queries(20)
    truth = np.argsort(-(q @ x.T), axis=1, kind="stable")[:, :10]
    got = exact_topk(sv if as_source else x, q, 10)
    np.testing.assert_array_equal(got, truth)
