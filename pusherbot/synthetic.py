"""A synthetic corpus of any size for scale tests: seed sentences recombined, and vectors for it.

Vectors: a real sample of the synthetic passages is encoded with the real model; when N is
larger than that sample, the rest are noisy combinations of the real embeddings, so they keep
the cluster structure of real text (uniform random vectors are a worst case that says nothing).
The noise is calibrated so that a synthetic sample is exactly as spread out as the real sample
(same median nearest-neighbour cosine). Everything is deterministic given `seed`, and vectors
come in blocks so that 1,000,000 × 384 never needs more than the caller's own array.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from retrieval.embed.encoder import Encoder

BLOCK = 65_536
_CHUNK = 4096  # rows synthesised per random stream
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"“'(A-ZÆØÅ0-9])")
_MARKUP = re.compile(r"^\s*(\{\{|\}\}|\||==|\*\s*$)")
_CHROME = re.compile(r"review helpful|found this helpful|sign in to vote|permalink|spoilers?$",
                     re.IGNORECASE)


def seed_sentences(seeds_dir: Path) -> list[str]:
    """Distinct prose sentences of the seed files, in file order (chrome and markup dropped)."""
    out: dict[str, None] = {}  # ordered set: duplicates would make exact ties in the vectors
    for f in sorted(Path(seeds_dir).iterdir()):
        if f.suffix.lower() not in (".txt", ".md") or not f.is_file():
            continue
        for line in f.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            # Short lines are page chrome ("Permalink", "8/10", author/date lines) or headings.
            if len(line) < 40 or _MARKUP.match(line):
                continue
            for sent in _SENTENCE_END.split(line):
                sent = sent.strip()
                # "Target|Label" link remnants: where the target starts is ambiguous; skip them.
                if len(sent) >= 20 and "|" not in sent and not _CHROME.search(sent):
                    out[sent] = None
    return list(out)


def sentence_id_block(sentences: list[str], block: int, seed: int, size: int = BLOCK
                      ) -> list[list[int]]:
    """Which seed sentences make passages block*size … block*size+size-1: runs of consecutive
    sentences from random places until a random target of 200–700 characters (around the
    real chunk size)."""
    rng = np.random.default_rng([seed, 0, block])
    n = len(sentences)
    targets = rng.integers(200, 700, size=size)
    starts = rng.integers(0, n, size=(size, 8))
    runs = rng.integers(1, 4, size=(size, 8))
    out = []
    for i in range(size):
        ids: list[int] = []
        length = 0
        for s, r in zip(starts[i], runs[i], strict=True):
            for j in range(s, min(s + r, n)):
                ids.append(j)
                length += len(sentences[j]) + 1
            if length >= targets[i]:
                break
        out.append(ids)
    return out


def synthetic_passages(seeds_dir: Path, n: int, seed: int = 0) -> Iterator[str]:
    """N synthetic passages, generated lazily block by block (deterministic given `seed`)."""
    sentences = seed_sentences(seeds_dir)
    for ids in synthetic_sentence_ids(sentences, n, seed):
        yield " ".join(sentences[j] for j in ids)


def synthetic_sentence_ids(sentences: list[str], n: int, seed: int = 0) -> Iterator[list[int]]:
    """The sentence ids of the N passages of `synthetic_passages` (same order)."""
    if not sentences:
        raise ValueError("no prose sentences in the seeds")
    done = 0
    for block in range((n + BLOCK - 1) // BLOCK):
        take = min(BLOCK, n - done)
        yield from sentence_id_block(sentences, block, seed)[:take]
        done += take


@dataclass(frozen=True, slots=True)
class VectorPlan:
    """How the vectors of a synthetic corpus are made; reported by the benchmark."""

    n: int
    encoded: int  # rows 0..encoded-1 are real embeddings of passages 0..encoded-1
    synthesised: int  # the rest: noisy combinations of the encoded ones
    noise: float  # calibrated noise scale (0 when nothing is synthesised)
    seed: int
    encoder: str
    real_median_nn_cos: float
    synthetic_median_nn_cos: float

    def describe(self) -> str:
        """One line saying what was done."""
        if not self.synthesised:
            return f"all {self.n:,} passages encoded with {self.encoder}"
        return (f"{self.encoded:,} passages encoded with {self.encoder}; {self.synthesised:,} "
                f"vectors synthesised as noisy combinations of them (noise {self.noise:.3f}, "
                f"median NN cosine real {self.real_median_nn_cos:.3f} vs synthetic "
                f"{self.synthetic_median_nn_cos:.3f})")

    def to_dict(self) -> dict:
        """JSON-ready."""
        return asdict(self)


class SyntheticVectors:
    """Vectors for `synthetic_passages(n)`: real for a sample, synthesised for the rest."""

    def __init__(self, base: np.ndarray, n: int, seed: int = 0, encoder: str = "?") -> None:
        self.base = np.ascontiguousarray(base, dtype=np.float32)
        self.n = n
        self.seed = seed
        self.dim = self.base.shape[1]
        k = min(len(self.base), n)
        real_nn = _median_nn_cos(self.base[: min(k, 4000)])
        noise = _calibrate_noise(self.base, seed) if n > len(self.base) else 0.0
        self.noise = noise
        synth_nn = (_median_nn_cos(self._synthesise(min(k, 4000), _rng(seed, 2, 0)))
                    if noise else real_nn)
        self.plan = VectorPlan(n=n, encoded=k, synthesised=n - k, noise=noise, seed=seed,
                               encoder=encoder, real_median_nn_cos=real_nn,
                               synthetic_median_nn_cos=synth_nn)

    def _synthesise(self, m: int, rng: np.random.Generator) -> np.ndarray:
        return _combine(self.base, m, rng, self.noise)

    def rows(self, lo: int, hi: int) -> np.ndarray:
        """Rows lo … hi-1 (clipped to n)."""
        hi = min(hi, self.n)
        out = np.empty((max(0, hi - lo), self.dim), dtype=np.float32)
        for c in range(lo // _CHUNK, (hi - 1) // _CHUNK + 1) if hi > lo else ():
            c_lo, c_hi = c * _CHUNK, (c + 1) * _CHUNK
            # Seeded per fixed chunk, so any rows can be regenerated alone whatever the block
            # size (ground truth streams them again instead of keeping a second 1.5 GB copy).
            chunk = self._synthesise(_CHUNK, _rng(self.seed, 1, c))
            if c_lo < len(self.base):
                real = self.base[c_lo : min(c_hi, len(self.base))]
                chunk[: len(real)] = real
            a, b = max(lo, c_lo), min(hi, c_hi)
            out[a - lo : b - lo] = chunk[a - c_lo : b - c_lo]
        return out

    def block(self, index: int, size: int = BLOCK) -> np.ndarray:
        """Rows index*size … (index+1)*size-1 (fewer in the last block)."""
        return self.rows(index * size, (index + 1) * size)

    def blocks(self, size: int = BLOCK) -> Iterator[np.ndarray]:
        """All rows, block by block."""
        for i in range((self.n + size - 1) // size):
            yield self.block(i, size)

    def array(self) -> np.ndarray:
        """All N rows in one float32 array (N × dim × 4 bytes)."""
        out = np.empty((self.n, self.dim), dtype=np.float32)
        row = 0
        for b in self.blocks():
            out[row : row + len(b)] = b
            row += len(b)
        return out

    def queries(self, m: int, seed_offset: int = 7) -> np.ndarray:
        """m query-like vectors from the same distribution that are not in the corpus."""
        return self._synthesise(m, _rng(self.seed, 3, seed_offset))


def build_synthetic(
    seeds_dir: Path,
    n: int,
    encoder: Encoder,
    *,
    seed: int = 0,
    max_encoded: int = 4000,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[str], SyntheticVectors]:
    """Encode the first min(n, max_encoded) synthetic passages; synthesise vectors for the rest.

    Returns the encoded passages and the vector source (whose `plan` says what was done).
    """
    k = min(n, max_encoded)
    sample = list(_take(synthetic_passages(seeds_dir, k, seed), k))
    base = encoder.encode(sample, batch_size=32, progress=progress)
    return sample, SyntheticVectors(base, n, seed=seed, encoder=encoder.name)


def exact_topk(vectors: SyntheticVectors | np.ndarray, queries: np.ndarray, k: int = 10
               ) -> np.ndarray:
    """Exact inner-product top-k ids, streaming the corpus block by block (ground truth)."""
    q = np.ascontiguousarray(queries, dtype=np.float32)
    best_s = np.full((len(q), k), -np.inf, dtype=np.float32)
    best_i = np.full((len(q), k), -1, dtype=np.int64)
    blocks = vectors.blocks() if isinstance(vectors, SyntheticVectors) else _split(vectors)
    offset = 0
    for b in blocks:
        s = q @ b.T
        kk = min(k, s.shape[1])
        part = np.argpartition(-s, kk - 1, axis=1)[:, :kk]
        cand_s = np.concatenate([best_s, np.take_along_axis(s, part, axis=1)], axis=1)
        cand_i = np.concatenate([best_i, part + offset], axis=1)
        order = np.argsort(-cand_s, axis=1, kind="stable")[:, :k]
        best_s = np.take_along_axis(cand_s, order, axis=1)
        best_i = np.take_along_axis(cand_i, order, axis=1)
        offset += len(b)
    return best_i


def _calibrate_noise(base: np.ndarray, seed: int) -> float:
    """The noise at which synthetic vectors are as spread as the real sample (bisection on the
    median nearest-neighbour cosine, both measured on samples of the same size)."""
    m = min(len(base), 4000)
    target = _median_nn_cos(base[:m])
    lo, hi = 0.0, 4.0
    for _ in range(14):
        mid = (lo + hi) / 2
        got = _median_nn_cos(_combine(base, m, _rng(seed, 4, 0), mid))
        # More noise → neighbours further apart → lower cosine.
        lo, hi = (mid, hi) if got > target else (lo, mid)
    return (lo + hi) / 2


def _combine(base: np.ndarray, m: int, rng: np.random.Generator, noise: float) -> np.ndarray:
    """m new vectors a + w·b + noise·g, normalised (a, b real rows; w in [0, 0.5); |g| ≈ 1)."""
    a = rng.integers(0, len(base), size=m)
    b = rng.integers(0, len(base), size=m)
    w = rng.random(m, dtype=np.float32)[:, None] * np.float32(0.5)
    g = rng.standard_normal((m, base.shape[1]), dtype=np.float32)
    g *= np.float32(noise / np.sqrt(base.shape[1]))
    v = base[a] + w * base[b] + g
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    return v


def _median_nn_cos(v: np.ndarray) -> float:
    """Median over rows of the cosine to the nearest other row."""
    if len(v) < 2:
        return 1.0
    s = v @ v.T
    np.fill_diagonal(s, -np.inf)
    return float(np.median(s.max(axis=1)))


def _rng(seed: int, stream: int, index: int) -> np.random.Generator:
    return np.random.default_rng([seed, stream, index])


def _split(v: np.ndarray, size: int = BLOCK) -> Iterator[np.ndarray]:
    for i in range(0, len(v), size):
        yield np.ascontiguousarray(v[i : i + size], dtype=np.float32)


def _take(it: Iterator[str], k: int) -> Iterator[str]:
    for i, x in enumerate(it):
        if i >= k:
            return
        yield x
