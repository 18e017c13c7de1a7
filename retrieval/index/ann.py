"""The dense vector index: its type follows corpus size (exact while fast, then IVF), as measured.

Measured on this 2-core machine with realistic vectors (retrieval/synthetic.py; numbers and
commands in docs/performance.md): exact `IndexFlatIP` answers one query in ~0.3 ms at 10k
vectors, ~1 ms at 20k, ~6 ms at 100k and ~60 ms at 1M; `IVF4096,Flat` probing 64 lists answers
in ~1.3 ms at 1M with recall@10 0.998 for real questions, and builds in ~1 minute. HNSW32 was
as fast to build but its recall for real questions collapsed (0.37–0.78 at efSearch 64–512):
questions sit far from the passage vectors, where graph search gets lost; IVF does not.

Thread safety: concurrent `search` calls on one faiss index are safe as long as nobody changes
it, so search parameters are set once (`apply_search_params`, also after `faiss.read_index`)
before the index is shared, never per query.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from retrieval.fsutil import usable_cpus

if TYPE_CHECKING:  # faiss is imported lazily: it costs ~0.1 s at start-up
    import faiss

Progress = Callable[[int], None]  # called with the number of vectors just added

EXACT_MAX = 20_000  # above this, exact search costs more than ~1 ms per query here
KINDS = ("flat", "ivf", "hnsw")
_ADD_BATCH = 65_536


@dataclass(frozen=True, slots=True)
class VectorIndexSpec:
    """Which faiss index to build and how to search it; recorded in the index manifest."""

    kind: str  # flat | ivf | hnsw
    params: dict[str, int] = field(default_factory=dict)  # read-only by convention

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"vector index kind must be one of {KINDS}, not {self.kind!r}")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form for the manifest."""
        return {"kind": self.kind, "params": dict(sorted(self.params.items()))}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> VectorIndexSpec:
        """Inverse of `to_dict`."""
        return cls(kind=str(d["kind"]), params={k: int(v) for k, v in d.get("params", {}).items()})

    def describe(self) -> str:
        """Short human form, e.g. 'ivf(nlist=4096, nprobe=64)'."""
        args = ", ".join(f"{k}={v}" for k, v in sorted(self.params.items()))
        return f"{self.kind}({args})" if args else self.kind

    @property
    def exact(self) -> bool:
        """True when search returns the exact top-k."""
        return self.kind == "flat"


def choose_spec(n: int, kind: str = "auto") -> VectorIndexSpec:
    """The index for a corpus of n passages: exact up to EXACT_MAX, then IVF (or as forced)."""
    if kind not in ("auto", "flat", "ivf"):
        raise ValueError(f"vector index must be auto, flat or ivf, not {kind!r}")
    if kind == "flat" or (kind == "auto" and n <= EXACT_MAX):
        return VectorIndexSpec("flat")
    # ~4·sqrt(n) lists (a power of two), at least 39 training points per list as faiss wants.
    nlist = 2 ** round(math.log2(4 * math.sqrt(max(n, 1))))
    # Auto only reaches here above EXACT_MAX; a forced IVF on a small corpus gets fewer lists.
    floor = 256 if kind == "auto" else 1
    nlist = max(floor, min(nlist, 65_536, n // 39))
    # Recall depends mostly on the absolute number of lists probed; 64 gave recall@10 0.998
    # for real questions at 1M (4096 lists) at ~1.3 ms per query; 32 gave 0.993.
    nprobe = min(64, nlist)
    return VectorIndexSpec("ivf", {"nlist": nlist, "nprobe": nprobe,
                                   "train_size": min(n, 64 * nlist)})


def build_vector_index(
    vectors: np.ndarray, spec: VectorIndexSpec | None = None, progress: Progress | None = None
) -> faiss.Index:
    """Build (train on the real vectors, then add in batches) the index `spec` describes."""
    import faiss

    vectors = _as_f32(vectors)
    n, dim = vectors.shape
    spec = spec or choose_spec(n)
    faiss.omp_set_num_threads(usable_cpus())  # `search` may have left this thread at one
    index: faiss.Index
    if spec.kind == "flat":
        index = faiss.IndexFlatIP(dim)
    elif spec.kind == "hnsw":
        hnsw = faiss.IndexHNSWFlat(dim, spec.params.get("M", 32), faiss.METRIC_INNER_PRODUCT)
        hnsw.hnsw.efConstruction = spec.params.get("efConstruction", 40)
        index = hnsw
    else:
        nlist = spec.params["nlist"]
        if n < nlist:
            raise ValueError(f"an IVF index with {nlist} lists needs at least {nlist} vectors")
        quantizer = faiss.IndexFlatIP(dim)
        ivf = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT)
        ivf.cp.seed = 1234  # deterministic clustering → reproducible builds and benchmarks
        ivf.train(_training_sample(vectors, spec.params.get("train_size", 64 * nlist)))
        index = ivf
    for i in range(0, n, _ADD_BATCH):
        chunk = vectors[i : i + _ADD_BATCH]
        index.add(np.ascontiguousarray(chunk))
        if progress:
            progress(len(chunk))
    apply_search_params(index, spec)
    return index


def apply_search_params(index: faiss.Index, spec: VectorIndexSpec) -> faiss.Index:
    """Set search-time parameters (nprobe, efSearch); faiss.read_index does not restore them all.

    Call before the index is shared between threads: faiss keeps them on the index object.
    """
    import faiss

    ps = faiss.ParameterSpace()
    if spec.kind == "ivf":
        ps.set_index_parameter(index, "nprobe", spec.params.get("nprobe", 64))
    elif spec.kind == "hnsw":
        ps.set_index_parameter(index, "efSearch", spec.params.get("efSearch", 64))
    return index


def load_vector_index(path: str, spec: VectorIndexSpec) -> faiss.Index:
    """faiss.read_index + apply_search_params."""
    import faiss

    return apply_search_params(faiss.read_index(str(path)), spec)


class FlatVectors:
    """Exact inner-product search over the stored vectors with numpy: what a faiss flat index
    does, the same results, without importing faiss (~0.05 s of a one-shot `ask`)."""

    def __init__(self, vectors: np.ndarray) -> None:
        self.vectors = vectors
        self.ntotal = len(vectors)

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, ids) of the top k for each query, best first, like faiss's `search`."""
        sims = _as_f32(np.atleast_2d(queries)) @ self.vectors.T
        k = max(0, min(k, self.ntotal))
        scores = np.zeros((len(sims), k), np.float32)
        ids = np.zeros((len(sims), k), np.int64)
        for row, s in enumerate(sims):  # one row per query: a one-shot question has one
            part = np.argpartition(-s, k - 1)[:k] if 0 < k < len(s) else np.arange(k)
            # best first; equal scores by id (faiss leaves their order to its heap)
            part = part[np.lexsort((part, -s[part]))]
            ids[row], scores[row] = part, s[part]
        return scores, ids

    def nearest(self, query: np.ndarray, k: int) -> np.ndarray:
        """The ids `search` returns for one query, in no order: a candidate set needs no
        sorting (the same product and partition, so the same ids)."""
        s = (_as_f32(np.atleast_2d(query)) @ self.vectors.T)[0]
        k = max(0, min(k, self.ntotal))
        return np.argpartition(-s, k - 1)[:k] if 0 < k < len(s) else np.arange(k)


def search(index: faiss.Index | FlatVectors, queries: np.ndarray, k: int
           ) -> tuple[np.ndarray, np.ndarray]:
    """(scores, ids) of the top k for each query; fast for single queries from any thread.

    OpenMP's thread count is a per-thread setting, so it is set here in the calling thread:
    one thread for a handful of queries (measured: exact search over 10k vectors 0.3 ms with
    one thread, tens of ms with two when the cores are busy), all cores for batches.
    """
    if isinstance(index, FlatVectors):
        return index.search(queries, k)
    import faiss

    q = _as_f32(np.atleast_2d(queries))
    faiss.omp_set_num_threads(1 if len(q) < 16 else usable_cpus())
    return index.search(q, k)


def recall_at_k(
    index: faiss.Index,
    exact: faiss.Index | np.ndarray,
    queries: np.ndarray,
    k: int = 10,
) -> float:
    """Mean share of the exact top-k that `index` also returns.

    `exact` is an exact faiss index, the corpus vectors themselves, or precomputed exact top-k
    ids (an int array of shape (len(queries), k)).
    """
    q = _as_f32(np.atleast_2d(queries))
    truth = _exact_ids(exact, q, k)
    _, got = index.search(q, k)
    hits = [len(set(t[t >= 0]) & set(g[g >= 0])) / max(1, int((t >= 0).sum()))
            for t, g in zip(truth, got, strict=True)]
    return float(np.mean(hits)) if hits else 1.0


def _exact_ids(exact: Any, q: np.ndarray, k: int) -> np.ndarray:
    if isinstance(exact, np.ndarray) and np.issubdtype(exact.dtype, np.integer):
        return exact[:, :k]
    if isinstance(exact, np.ndarray):
        import faiss

        flat = faiss.IndexFlatIP(exact.shape[1])
        flat.add(_as_f32(exact))
        exact = flat
    return exact.search(q, k)[1]


def _training_sample(vectors: np.ndarray, size: int) -> np.ndarray:
    if size >= len(vectors):
        return np.ascontiguousarray(vectors)
    rng = np.random.default_rng(0)
    rows = np.sort(rng.choice(len(vectors), size=size, replace=False))  # sorted: memmap-friendly
    return np.ascontiguousarray(vectors[rows])


def _as_f32(v: np.ndarray) -> np.ndarray:
    v = np.asarray(v)
    if v.dtype != np.float32 or not v.flags.c_contiguous:
        v = np.ascontiguousarray(v, dtype=np.float32)
    return v
