"""The on-disk index in `embeddings/`: built atomically, validated on load, rebuilt when stale.

Layout: `CURRENT` names the live build folder `index-<key>-<stamp>/`, which holds
`manifest.json`, `passages.jsonl`, `vectors.npy`, `sentence_vectors.npy`,
`passage_sentences.npy`, `dense.faiss`, `bm25.npz`, `bm25_vocab.json`. A build writes a
temporary folder, renames it into place and then swaps `CURRENT` with `os.replace`, so readers
never see half an index; an exclusive lock stops two processes from building at once.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import io
import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import numpy as np

from retrieval.embed.encoder import Encoder, model_fingerprint
from retrieval.errors import IndexError_
from retrieval.fsutil import fsync_dir, write_atomic
from retrieval.index import ann
from retrieval.index.bm25 import BM25
from retrieval.ingest import CHUNKER_VERSION, ChunkSettings, build_passages, corpus_hash
from retrieval.passage import Passage
from retrieval.settings import Settings

INDEX_FORMAT = 5
EMBED_BATCH = 128
_HASHED_MAX_BYTES = 256 * 1024 * 1024  # bigger files are checked by size, hashing would be slow
Warn = Callable[[str], None]
BuildProgress = Callable[[int, int], None]  # (texts encoded so far, total)


class StaleIndex(Exception):
    """The index on disk is missing, corrupt or built from other seeds or settings."""


@dataclass(frozen=True, slots=True)
class LoadedIndex:
    """Everything search needs, loaded from one build folder."""

    directory: Path
    manifest: dict
    passages: list[Passage]
    vectors: np.ndarray  # (passages, dim) float32, normalised
    sentence_vectors: np.ndarray  # (distinct sentences, dim)
    passage_sentences: np.ndarray  # sentence rows of all passages, concatenated
    sentence_offsets: np.ndarray  # passage i's rows: passage_sentences[off[i]:off[i+1]]
    dense: object  # faiss.Index
    bm25: BM25


def model_id(model_path: Path) -> str:
    """The model's name and fingerprint, as recorded in the index key."""
    return f"{model_path.name}@{model_fingerprint(model_path)[:16]}"


def index_key(settings: Settings) -> dict:
    """What the index depends on; any change means a rebuild."""
    return {
        "format": INDEX_FORMAT,
        "corpus_sha256": corpus_hash(settings.seeds_dir),
        "chunker": {"version": CHUNKER_VERSION, "chars": settings.chunk_chars,
                    "overlap": settings.chunk_overlap},
        "embed_context": True,
        "model": model_id(settings.resolved_model_path),
        "vector_index": settings.vector_index,
    }


def open_index(settings: Settings, make_encoder: Callable[[], Encoder], *,
               rebuild: bool = False, warn: Warn | None = None,
               progress: BuildProgress | None = None) -> tuple[LoadedIndex, bool]:
    """Load the valid index, or build it first; returns (index, built_now)."""
    warn = warn or (lambda _msg: None)
    key = index_key(settings)
    root = settings.index_dir
    if not rebuild:
        try:
            return load_index(root, key), False
        except StaleIndex as e:
            if str(e) != "no index yet":
                warn(f"index in {root} is unusable ({e}); rebuilding")
    try:
        root.mkdir(parents=True, exist_ok=True)
        lock = open(root / ".lock", "a+")  # noqa: SIM115 - held for the whole build
    except OSError as e:
        raise IndexError_(f"cannot write the index folder {root}: {e.strerror}") from None
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not rebuild:
            # Another process may have finished the same build while we waited for the lock.
            with contextlib.suppress(StaleIndex):
                return load_index(root, key), False
        build_index(settings, key, make_encoder, progress=progress, warn=warn)
        return load_index(root, key), True


def live_build(root: Path) -> Path:
    """The build folder `CURRENT` names; StaleIndex when there is none."""
    try:
        name = (root / "CURRENT").read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise StaleIndex("no index yet") from None
    except OSError as e:
        raise StaleIndex(f"cannot read CURRENT: {e.strerror}") from None
    directory = root / name
    if not name.startswith("index-") or "/" in name or not directory.is_dir():
        raise StaleIndex(f"CURRENT names a missing build {name!r}")
    return directory


def _verified_build(root: Path, key: dict) -> tuple[Path, dict]:
    directory = live_build(root)
    try:
        manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise StaleIndex(f"manifest unreadable: {e}") from None
    if manifest.get("key") != key:
        raise StaleIndex("seeds, settings or model changed")
    _verify_files(directory, manifest.get("files", {}))
    return directory, manifest


def check_index(settings: Settings) -> tuple[Path, dict]:
    """The live build's folder and manifest if it is valid for these settings, else StaleIndex.

    Reads and checksums files only: no model, faiss or onnxruntime is loaded.
    """
    return _verified_build(settings.index_dir, index_key(settings))


def load_index(root: Path, key: dict) -> LoadedIndex:
    """Load and verify the live build; raises StaleIndex when it cannot be trusted."""
    directory, manifest = _verified_build(root, key)
    try:
        passages = [Passage.from_dict(json.loads(line)) for line in
                    (directory / "passages.jsonl").read_text(encoding="utf-8").splitlines()]
        vectors = _mapped(directory / "vectors.npy")
        sentence_vectors = _mapped(directory / "sentence_vectors.npy")
        passage_sentences = _mapped(directory / "passage_sentences.npy")
        spec = ann.VectorIndexSpec.from_dict(manifest.get("vector_index") or {"kind": "flat"})
        dense = ann.load_vector_index(str(directory / "dense.faiss"), spec)
        bm25 = BM25.load(directory)
    except Exception as e:  # noqa: BLE001 - any failure to read means: rebuild
        raise StaleIndex(f"{type(e).__name__}: {e}") from None
    n = manifest["passage_count"]
    counts = np.fromiter((len(p.sentences) for p in passages), dtype=np.int64, count=len(passages))
    offsets = np.concatenate([[0], np.cumsum(counts)])
    if not (len(passages) == n == vectors.shape[0] == dense.ntotal == bm25.size
            and offsets[-1] == len(passage_sentences)
            and (len(passage_sentences) == 0 or passage_sentences.max() < len(sentence_vectors))):
        raise StaleIndex("index files disagree on the passage count")
    return LoadedIndex(directory, manifest, passages, vectors, sentence_vectors,
                       passage_sentences, offsets, dense, bm25)


def _mapped(path: Path) -> np.ndarray:
    """A read-only memory-mapped array: a large corpus pages in only the rows questions touch."""
    # A plain ndarray view of the map: np.memmap's per-index subclass bookkeeping costs more
    # than the lookups themselves on small corpora.
    return np.asarray(np.load(path, mmap_mode="r", allow_pickle=False))


def build_index(settings: Settings, key: dict, make_encoder: Callable[[], Encoder], *,
                progress: BuildProgress | None = None, warn: Warn | None = None) -> Path:
    """Build a fresh index folder and make it live; returns its path."""
    import faiss

    root = settings.index_dir
    started = time.perf_counter()
    passages, blank_fields = build_passages(
        settings.seeds_dir, ChunkSettings(settings.chunk_chars, settings.chunk_overlap))
    from retrieval.embed.plan import embed_plan

    plan = embed_plan(passages, with_context=key["embed_context"])
    digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:16]

    tmp = root / f".tmp-{digest}-{os.getpid()}-{time.time_ns()}"
    tmp.mkdir(parents=True)
    try:
        encoder, extras = _build_encoder(settings, root, tmp, make_encoder,
                                         warn or (lambda _m: None))
        # Batches are kept per encoder kind: ONNX and the reference agree to 1e-4, not bit-exactly.
        partial = root / f".partial-{digest}-{encoder.name.split(':')[0]}"
        all_vectors = _encode_resumable(partial, plan.texts, encoder, progress)
        vectors = np.ascontiguousarray(all_vectors[: len(passages)])
        sentence_vectors = np.ascontiguousarray(all_vectors[len(passages):])
        with open(tmp / "passages.jsonl", "w", encoding="utf-8") as f:
            for p in passages:
                f.write(json.dumps(p.to_dict(), ensure_ascii=False) + "\n")
        np.save(tmp / "vectors.npy", vectors)
        np.save(tmp / "sentence_vectors.npy", sentence_vectors)
        np.save(tmp / "passage_sentences.npy", plan.passage_sentence_rows)
        spec = ann.choose_spec(len(vectors), settings.vector_index)
        faiss.write_index(ann.build_vector_index(vectors, spec), str(tmp / "dense.faiss"))
        BM25.build(plan.passage_texts).save(tmp)
        manifest = {
            "key": key,
            "model": str(settings.resolved_model_path),
            "encoder": encoder.name,
            "dim": int(vectors.shape[1]),
            "passage_count": len(passages),
            "sentence_count": int(len(sentence_vectors)),
            "documents": sorted({p.doc for p in passages}),
            "reviews": len({(p.doc, p.review_index) for p in passages
                            if p.review_index is not None}),
            "vector_index": spec.to_dict(),
            "blank_fields": blank_fields,
            "libraries": _library_versions(),
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "build_seconds": round(time.perf_counter() - started, 2),
            "extras": extras,
            "files": {},
        }
        manifest["files"] = {f.name: _file_fingerprint(f) for f in sorted(tmp.iterdir())
                             if f.is_file()}
        write_atomic(tmp / "manifest.json", json.dumps(manifest, indent=2))
        fsync_dir(tmp)
        final = root / f"index-{digest}-{time.time_ns()}"
        os.rename(tmp, final)
        write_atomic(root / "CURRENT", final.name + "\n")
        fsync_dir(root)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    for stale in root.glob(".partial-*"):  # builders hold the lock: none is in progress
        shutil.rmtree(stale, ignore_errors=True)
    _remove_old_builds(root, keep=final.name)
    return final


def _encode_resumable(partial: Path, texts: list[str], encoder: Encoder,
                      progress: BuildProgress | None) -> np.ndarray:
    """Encode in batches, each saved as it completes, so an interrupted build resumes."""
    partial.mkdir(parents=True, exist_ok=True)
    parts: list[np.ndarray] = []
    done = 0
    for i, start in enumerate(range(0, len(texts), EMBED_BATCH)):
        batch = texts[start:start + EMBED_BATCH]
        path = partial / f"part-{i:06d}.npy"
        vecs = None
        if path.exists():
            try:
                vecs = np.load(path, allow_pickle=False)
                if vecs.shape[0] != len(batch):
                    vecs = None
            except (OSError, ValueError):
                vecs = None
        if vecs is None:
            vecs = encoder.encode(batch, batch_size=32)
            _save_npy_atomic(path, vecs)
        parts.append(vecs)
        done += len(batch)
        if progress:
            progress(done, len(texts))
    return np.vstack(parts) if parts else np.zeros((0, encoder.dim), dtype=np.float32)


def _build_encoder(settings: Settings, root: Path, tmp: Path, make_encoder: Callable[[], Encoder],
                   warn: Warn) -> tuple[Encoder, dict]:
    """The passage encoder: the ONNX export, saved beside the index for fast queries and ~2.5×
    faster at encoding here (same vectors within 1e-4), unless the reference is asked for."""
    if settings.encoder == "torch":
        return make_encoder(), {}
    try:
        from retrieval.embed.onnx_encoder import OnnxEncoder, export_is_current, export_onnx
    except ImportError:
        return make_encoder(), {}
    out = tmp / "onnx"
    model = settings.resolved_model_path
    live = None
    with contextlib.suppress(StaleIndex):
        live = live_build(root)
    try:
        if live is not None and export_is_current(live / "onnx", model):
            _link_tree(live / "onnx", out)  # the export depends on the model only: reuse it
        else:
            export_onnx(model, out)
        return OnnxEncoder(out).load(), {"onnx": "onnx"}
    except Exception as e:  # noqa: BLE001 - the reference encoder still builds a good index
        shutil.rmtree(out, ignore_errors=True)
        warn(f"ONNX export failed ({type(e).__name__}: {e}); encoding with sentence-transformers")
        return make_encoder(), {}


def _link_tree(src: Path, dst: Path) -> None:
    """Copy a folder by hard links (its files are replaced, never rewritten in place)."""
    def link(a: str, b: str) -> None:
        try:
            os.link(a, b)
        except OSError:
            shutil.copy2(a, b)

    shutil.copytree(src, dst, copy_function=link)


def _verify_files(directory: Path, files: dict) -> None:
    if not files:
        raise StaleIndex("manifest lists no files")
    for name, expected in files.items():
        path = directory / name
        if not path.is_file():
            raise StaleIndex(f"{name} is missing")
        if path.stat().st_size != expected["size"]:
            raise StaleIndex(f"{name} has the wrong size (truncated?)")
        if expected.get("sha256") and _sha256(path) != expected["sha256"]:
            raise StaleIndex(f"{name} does not match its checksum")


def _file_fingerprint(path: Path) -> dict:
    size = path.stat().st_size
    return {"size": size, "sha256": _sha256(path) if size <= _HASHED_MAX_BYTES else None}


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()



def _save_npy_atomic(path: Path, array: np.ndarray) -> None:
    buf = io.BytesIO()
    np.save(buf, array)
    write_atomic(path, buf.getvalue())


def _remove_old_builds(root: Path, keep: str) -> None:
    """Delete superseded builds (a reader that opened one keeps its open files)."""
    for d in root.iterdir():
        if d.is_dir() and d.name != keep and (d.name.startswith("index-")
                                              or d.name.startswith(".tmp-")):
            # A .tmp folder younger than an hour may be another process's build in progress.
            if d.name.startswith(".tmp-") and time.time() - d.stat().st_mtime < 3600:
                continue
            shutil.rmtree(d, ignore_errors=True)


def _library_versions() -> dict:
    out = {}
    for name in ("faiss-cpu", "numpy", "sentence-transformers", "torch",
                 "onnxruntime", "tokenizers", "syntok"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            out[name] = metadata.version(name)
    return out
