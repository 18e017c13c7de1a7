"""The on-disk index in `embeddings/`: built atomically, validated on load, rebuilt when stale.

Layout: `CURRENT` names the live build folder `index-<key>-<stamp>/`, which holds
`manifest.json`, `passages.jsonl`, `vectors.npy`, `sentence_vectors.npy`,
`passage_sentences.npy`, `dense.faiss`, `bm25.npz`, `bm25_vocab.json`, `knowledge.json`,
`intent_vectors.npy` (the opinion / fact prototype questions, retrieval/reviews/intent.py),
`records.jsonl` (each review's whole record as a passage, cited and never searched) and
the ONNX export `onnx/`, every file checksummed in the manifest. A build writes a temporary
folder, renames it into place and then swaps `CURRENT` with `os.replace`, so readers never see
half an index; an exclusive lock stops two processes from building at once. Every folder the
index creates carries an owner file (`fsutil.claimed_dir`): only those are ever deleted.
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
from pathlib import Path
from typing import Any

import numpy as np

from retrieval.embed.encoder import Encoder, check_model_folder, model_fingerprint
from retrieval.errors import IndexError_
from retrieval.fsutil import OWNER_FILE, claimed_dir, fsync_dir, owned_and_idle, write_atomic
from retrieval.index import ann
from retrieval.index.bm25 import BM25
from retrieval.index.current import live_build
from retrieval.index.manifest import (
    StaleIndex,
    file_checksums,
    files_under,
    read_manifest,
    verify_files,
)
from retrieval.ingest import (
    CHUNKER_VERSION,
    ChunkSettings,
    build_passages,
    build_records,
    corpus_hash,
    review_totals,
)
from retrieval.knowledge.graph import KNOWLEDGE_VERSION, Knowledge
from retrieval.passage import Passage
from retrieval.reviews.intent import INTENT_VERSION, PROTOTYPES
from retrieval.settings import Settings

INDEX_FORMAT = 12  # 12: records.jsonl, the reviews as whole records (ingest/records.py)
EMBED_BATCH = 128
EXPORT_DIR = "onnx"
Warn = Callable[[str], None]
BuildProgress = Callable[[int, int], None]  # (texts encoded so far, total)


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
    dense: Any  # ann.FlatVectors, or a faiss.Index (faiss ships no type information)
    bm25: BM25
    knowledge: Knowledge  # the film's people, aliases and relations (retrieval/knowledge/)
    # The opinion and fact prototype questions' vectors (retrieval/reviews/intent.py)
    intent_vectors: np.ndarray | None = None
    # Each review's whole record (header lines, body, helpfulness line) as a passage with an id
    # after every searchable one: what answers about the reviews as records cite.
    records: tuple[Passage, ...] = ()


def model_id(model_path: Path) -> str:
    """The model's name and fingerprint, as recorded in the index key."""
    return f"{model_path.name}@{model_fingerprint(model_path)[:16]}"


def index_key(settings: Settings) -> dict:
    """What the index depends on; any change means a rebuild."""
    # First, and before anything is loaded: a wrong PUSHERBOT_MODEL is one line, at once.
    check_model_folder(settings.resolved_model_path,
                       "the packaged model" if settings.model_path is None else "PUSHERBOT_MODEL:")
    return {
        "format": INDEX_FORMAT,
        "corpus_sha256": corpus_hash(settings.seeds_dir),
        "chunker": {"version": CHUNKER_VERSION, "chars": settings.chunk_chars,
                    "overlap": settings.chunk_overlap},
        "embed_context": True,
        "knowledge": KNOWLEDGE_VERSION,
        "intent": INTENT_VERSION,
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
                reason = " ".join(str(e).split())  # library errors may span lines
                warn(f"index in {root} is unusable ({reason}); rebuilding")
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
        try:
            return load_index(root, key), True
        except StaleIndex as e:
            raise IndexError_(f"the index just built in {root} does not verify ({e})") from None


def _verified_build(root: Path, key: dict) -> tuple[Path, dict]:
    directory = live_build(root)
    manifest = read_manifest(directory)
    if manifest["key"] != key:
        raise StaleIndex("seeds, settings or model changed")
    # Every file, the ONNX export's too (~0.1 s for its ~90 MB): the query encoder trusts it.
    verify_files(directory, manifest["files"])
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
        # An exact index is the vectors themselves: searched with numpy, faiss is not loaded.
        dense = (ann.FlatVectors(vectors) if spec.kind == "flat"
                 else ann.load_vector_index(str(directory / "dense.faiss"), spec))
        bm25 = BM25.load(directory)
        knowledge = Knowledge.from_json((directory / "knowledge.json").read_text(encoding="utf-8"))
        intent = _mapped(directory / "intent_vectors.npy")
        records = tuple(Passage.from_dict(json.loads(line)) for line in
                        (directory / "records.jsonl").read_text(encoding="utf-8").splitlines())
    except Exception as e:  # noqa: BLE001 - any failure to read means: rebuild
        raise StaleIndex(f"{type(e).__name__}: {e}") from None
    n = manifest["passage_count"]
    counts = np.fromiter((len(p.sentences) for p in passages), dtype=np.int64, count=len(passages))
    offsets = np.concatenate([[0], np.cumsum(counts)])
    if not (len(passages) == n == vectors.shape[0] == dense.ntotal == bm25.size
            and offsets[-1] == len(passage_sentences)
            and (len(passage_sentences) == 0 or passage_sentences.max() < len(sentence_vectors))
            and all(r.id == n + k for k, r in enumerate(records))):
        raise StaleIndex("index files disagree on the passage count")
    return LoadedIndex(directory, manifest, passages, vectors, sentence_vectors,
                       passage_sentences, offsets, dense, bm25, knowledge, intent, records)


def _mapped(path: Path) -> np.ndarray:
    """A read-only memory-mapped array: a large corpus pages in only the rows questions touch."""
    # A plain ndarray view of the map: np.memmap's per-index subclass bookkeeping costs more
    # than the lookups themselves on small corpora.
    return np.asarray(np.load(path, mmap_mode="r", allow_pickle=False))


def build_index(settings: Settings, key: dict, make_encoder: Callable[[], Encoder], *,
                progress: BuildProgress | None = None, warn: Warn | None = None) -> Path:
    """Build a fresh index folder and make it live; returns its path (call under the lock)."""
    import faiss

    warn = warn or (lambda _m: None)
    root = settings.index_dir
    started = time.perf_counter()
    _remove_leftovers(root)  # temporary folders of builds that died: ~90 MB each
    passages, blank_fields = build_passages(
        settings.seeds_dir, ChunkSettings(settings.chunk_chars, settings.chunk_overlap))
    records = build_records(settings.seeds_dir, passages)
    from retrieval.embed.plan import embed_plan

    plan = embed_plan(passages, with_context=key["embed_context"])
    digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:16]
    final = root / f"index-{digest}-{time.time_ns()}"
    tmp = root / f".tmp-{digest}-{os.getpid()}-{time.time_ns()}"
    previous = None
    with claimed_dir(tmp, final.name):
        try:
            encoder, extras = _build_encoder(settings, root, tmp, make_encoder, warn)
            # Batches are kept per encoder kind: ONNX and the reference agree to 1e-4, not
            # bit-exactly.
            partial = root / f".partial-{digest}-{encoder.name.split(':')[0]}"
            # the intent prototypes ride along, so a resumed build encodes nothing again
            all_vectors = _encode_resumable(partial, [*plan.texts, *PROTOTYPES], encoder,
                                            progress)
            vectors = np.ascontiguousarray(all_vectors[: len(passages)])
            sentence_vectors = np.ascontiguousarray(all_vectors[len(passages):len(plan.texts)])
            intent_vectors = np.ascontiguousarray(all_vectors[len(plan.texts):])
            for name, rows in (("passages.jsonl", passages), ("records.jsonl", records)):
                with open(tmp / name, "w", encoding="utf-8") as f:
                    for p in rows:
                        f.write(json.dumps(p.to_dict(), ensure_ascii=False) + "\n")
            np.save(tmp / "vectors.npy", vectors)
            np.save(tmp / "sentence_vectors.npy", sentence_vectors)
            np.save(tmp / "passage_sentences.npy", plan.passage_sentence_rows)
            np.save(tmp / "intent_vectors.npy", intent_vectors)
            spec = ann.choose_spec(len(vectors), settings.vector_index)
            faiss.write_index(ann.build_vector_index(vectors, spec), str(tmp / "dense.faiss"))
            BM25.build(plan.passage_texts).save(tmp)
            from retrieval.knowledge.extract import extract

            (tmp / "knowledge.json").write_text(extract(passages).to_json(), encoding="utf-8")
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
                "review_totals": review_totals(settings.seeds_dir),
                "libraries": _library_versions(),
                "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "build_seconds": round(time.perf_counter() - started, 2),
                "extras": extras,
                # Every file, the ONNX export's included: a damaged export means a rebuild.
                "files": file_checksums(tmp),
            }
            write_atomic(tmp / "manifest.json", json.dumps(manifest, indent=2))
            fsync_dir(tmp)
            with contextlib.suppress(StaleIndex):
                previous = live_build(root).name
            os.rename(tmp, final)
            _make_live(root, final.name)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    _remove_leftovers(root, keep=final.name, previous=previous)
    return final


def _make_live(root: Path, name: str) -> None:
    """Point `CURRENT` at the build `name`."""
    current = root / "CURRENT"
    if current.is_dir() and not current.is_symlink():
        # Not something the index wrote (the warning on load said so): moved aside, not deleted.
        current.rename(root / f"CURRENT.moved-{time.time_ns()}")
    write_atomic(current, name + "\n")
    fsync_dir(root)


def _encode_resumable(partial: Path, texts: list[str], encoder: Encoder,
                      progress: BuildProgress | None) -> np.ndarray:
    """Encode in batches, each saved as it completes, so an interrupted build resumes."""
    parts: list[np.ndarray] = []
    done = 0
    with claimed_dir(partial):
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
    out = tmp / EXPORT_DIR
    model = settings.resolved_model_path
    live = _verified_export(root)
    try:
        if live is not None and export_is_current(live, model):
            _link_tree(live, out)  # the export depends on the model only: reuse it
        else:
            export_onnx(model, out)
        return OnnxEncoder(out).load(), {"onnx": EXPORT_DIR}
    except Exception as e:  # noqa: BLE001 - the reference encoder still builds a good index
        shutil.rmtree(out, ignore_errors=True)
        warn(f"ONNX export failed ({type(e).__name__}: {e}); encoding with sentence-transformers")
        return make_encoder(), {}


def _verified_export(root: Path) -> Path | None:
    """The live build's ONNX export if its files match their checksums (never reuse damage)."""
    with contextlib.suppress(StaleIndex):
        live = live_build(root)
        files = files_under(read_manifest(live), EXPORT_DIR)
        if files:
            verify_files(live, files)
            return live / EXPORT_DIR
    return None


def _link_tree(src: Path, dst: Path) -> None:
    """Copy a folder by hard links (its files are replaced, never rewritten in place)."""
    def link(a: str, b: str) -> None:
        try:
            os.link(a, b)
        except OSError:
            shutil.copy2(a, b)

    shutil.copytree(src, dst, copy_function=link)


def _save_npy_atomic(path: Path, array: np.ndarray) -> None:
    buf = io.BytesIO()
    np.save(buf, array)
    write_atomic(path, buf.getvalue())


def _remove_leftovers(root: Path, *, keep: str | None = None, previous: str | None = None) -> None:
    """Delete the folders this index created that nothing uses any more.

    Always: temporary folders of builds that died. After a build (`keep`: the new live one),
    also superseded builds and saved batches; `previous`, the build `CURRENT` named before,
    goes too when an older version wrote it (no owner file, but its manifest). Readers that
    opened a superseded build keep their open files. Anything else is left alone.
    """
    with contextlib.suppress(OSError):
        for d in root.iterdir():
            prefixes = (".tmp-",) if keep is None else (".tmp-", ".partial-", "index-")
            if not d.name.startswith(prefixes) or d.name == keep:
                continue
            legacy = d.name == previous and not (d / OWNER_FILE).exists()
            if owned_and_idle(d) or (legacy and _has_manifest(d)):
                shutil.rmtree(d, ignore_errors=True)


def _has_manifest(directory: Path) -> bool:
    try:
        manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and "key" in manifest


def _library_versions() -> dict:
    from importlib import metadata  # at build time only: it costs a one-shot start ~0.03 s

    out = {}
    for name in ("faiss-cpu", "numpy", "sentence-transformers", "torch",
                 "onnxruntime", "tokenizers", "syntok"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            out[name] = metadata.version(name)
    return out
