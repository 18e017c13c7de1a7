"""Index reuse, invalidation, corruption recovery and concurrent builds, with the real model."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pytest

from retrieval.engine import Engine
from retrieval.index.store import StaleIndex, index_key, load_index
from retrieval.settings import Settings


def _settings(seeds: Path, tmp_path: Path) -> Settings:
    return Settings(seeds_dir=seeds, index_dir=tmp_path / "index")


def _live(settings: Settings) -> Path:
    return settings.index_dir / (settings.index_dir / "CURRENT").read_text().strip()


def test_index_is_reused_when_nothing_changed(tiny_seeds, tmp_path) -> None:
    s = _settings(tiny_seeds, tmp_path)
    first = Engine.load(s)
    built = _live(s)
    second = Engine.load(s)
    assert _live(s) == built  # no rebuild
    assert second.stats().passages == first.stats().passages
    manifest = json.loads((built / "manifest.json").read_text())
    for field in ("model", "dim", "passage_count", "libraries", "key", "files"):
        assert field in manifest
    assert manifest["key"]["chunker"]["chars"] == s.chunk_chars


def test_changed_seed_triggers_rebuild_and_new_passages(tiny_seeds, tmp_path) -> None:
    s = _settings(tiny_seeds, tmp_path)
    Engine.load(s)
    before = _live(s)
    (tiny_seeds / "extra.txt").write_text("Tonny steals a red Ferrari.\n", encoding="utf-8")
    engine = Engine.load(s)
    assert _live(s) != before
    assert any("Ferrari" in p.text for p in engine.index.passages)
    assert not before.exists()  # superseded builds are cleaned up


def test_changed_chunk_setting_triggers_rebuild(tiny_seeds, tmp_path) -> None:
    s = _settings(tiny_seeds, tmp_path)
    Engine.load(s)
    with pytest.raises(StaleIndex):
        load_index(s.index_dir, index_key(s.with_(chunk_chars=200)))


@pytest.mark.parametrize("damage", ["truncate", "garble_manifest", "delete_vectors",
                                    "bad_current"])
def test_corrupt_index_is_reported_and_rebuilt(tiny_seeds, tmp_path, damage) -> None:
    s = _settings(tiny_seeds, tmp_path)
    Engine.load(s)
    live = _live(s)
    if damage == "truncate":
        data = (live / "vectors.npy").read_bytes()
        (live / "vectors.npy").write_bytes(data[: len(data) // 2])
    elif damage == "garble_manifest":
        (live / "manifest.json").write_text("{not json")
    elif damage == "delete_vectors":
        (live / "sentence_vectors.npy").unlink()
    else:
        (s.index_dir / "CURRENT").write_text("index-nonexistent\n")
    warnings: list[str] = []
    engine = Engine.load(s, warn=warnings.append)
    assert len(warnings) == 1 and "rebuilding" in warnings[0]
    assert "\n" not in warnings[0]
    answer = engine.answer("Who was the cinematographer?")
    assert answer.answered and "Søborg" in answer.results[0].quote


def test_interrupted_build_leaves_the_old_index_live(tiny_seeds, tmp_path, monkeypatch) -> None:
    s = _settings(tiny_seeds, tmp_path)
    Engine.load(s)
    live = _live(s)
    (tiny_seeds / "more.txt").write_text("A new paragraph about Milo.\n", encoding="utf-8")
    import retrieval.index.store as index_mod

    def boom(*a, **k):
        raise RuntimeError("killed mid-build")

    monkeypatch.setattr(index_mod.BM25, "build", boom)
    with pytest.raises(RuntimeError):
        Engine.load(s)
    assert _live(s) == live and (live / "manifest.json").exists()
    assert not list(s.index_dir.glob(".tmp-*"))  # no half build left behind
    assert list(s.index_dir.glob(".partial-*"))  # encoded batches kept for resuming


def _load_in_process(seeds: str, index_dir: str, out: str) -> None:
    engine = Engine.load(Settings(seeds_dir=Path(seeds), index_dir=Path(index_dir)))
    Path(out).write_text(str(engine.stats().passages))


def test_two_processes_building_at_once_do_not_corrupt(tiny_seeds, tmp_path) -> None:
    s = _settings(tiny_seeds, tmp_path)
    ctx = multiprocessing.get_context("spawn")
    outs = [tmp_path / f"out{i}" for i in range(2)]
    procs = [ctx.Process(target=_load_in_process,
                         args=(str(tiny_seeds), str(s.index_dir), str(o))) for o in outs]
    for p in procs:
        p.start()
    for p in procs:
        p.join(180)
        assert p.exitcode == 0
    counts = {o.read_text() for o in outs}
    assert len(counts) == 1
    load_index(s.index_dir, index_key(s))  # what is live verifies cleanly


def test_interrupted_build_resumes_without_encoding_again(tiny_seeds, tmp_path, monkeypatch) -> None:
    s = _settings(tiny_seeds, tmp_path)
    Engine.load(s)
    (tiny_seeds / "more.txt").write_text("Milo cooks for his henchmen on Sundays.\n",
                                         encoding="utf-8")
    import retrieval.index.store as index_mod
    from retrieval.embed.onnx_encoder import OnnxEncoder

    build = index_mod.BM25.build
    monkeypatch.setattr(index_mod.BM25, "build", lambda *a, **k: 1 / 0)  # dies after encoding
    with pytest.raises(ZeroDivisionError):
        Engine.load(s)
    monkeypatch.setattr(index_mod.BM25, "build", build)
    encoded: list[int] = []
    original = OnnxEncoder.encode

    def counting(self, texts, *a, **k):
        encoded.append(len(texts))
        return original(self, texts, *a, **k)

    monkeypatch.setattr(OnnxEncoder, "encode", counting)
    engine = Engine.load(s)
    assert sum(encoded) == 0  # every batch came from the interrupted build's saved batches
    assert any("Milo cooks" in p.text for p in engine.index.passages)
    assert not list(s.index_dir.glob(".partial-*"))  # done: the saved batches are gone


def test_index_is_encoded_with_the_onnx_export_it_ships(tiny_seeds, tmp_path) -> None:
    s = _settings(tiny_seeds, tmp_path)
    engine = Engine.load(s)
    live = _live(s)
    manifest = json.loads((live / "manifest.json").read_text())
    assert manifest["encoder"].startswith("onnx:") and (live / "onnx").is_dir()
    assert engine.encoder.name == manifest["encoder"]
    reference = Engine.load(s.with_(encoder="torch"), rebuild=True)
    assert reference.index.manifest["encoder"].startswith("sentence-transformers:")
    # Both encoders give the same vectors (the export is checked to 1e-4 cosine).
    cos = (engine.index.vectors * reference.index.vectors).sum(axis=1)
    assert cos.min() > 1 - 1e-4


def test_rebuild_reuses_the_onnx_export(tiny_seeds, tmp_path) -> None:
    s = _settings(tiny_seeds, tmp_path)
    Engine.load(s)
    first = _live(s) / "onnx" / "onnx_config.json"
    inode = first.stat().st_ino
    Engine.load(s, rebuild=True)
    assert (_live(s) / "onnx" / "onnx_config.json").stat().st_ino == inode  # linked, not exported again


def test_an_ivf_index_is_recorded_and_answers_like_the_exact_one(engine, tmp_path) -> None:
    """The real seeds under a forced IVF index: manifest, search parameters, same answers."""
    import faiss

    from tests.conftest import SEEDS

    ivf = Engine.load(Settings(seeds_dir=SEEDS, index_dir=tmp_path / "ivf", vector_index="ivf"))
    spec = ivf.index.manifest["vector_index"]
    assert spec["kind"] == "ivf" and ivf.stats().index_kind == "ivf"
    assert faiss.extract_index_ivf(ivf.index.dense).nprobe == spec["params"]["nprobe"]
    assert engine.index.manifest["vector_index"]["kind"] == "flat"  # 131 passages: exact
    for q in ("Who was the cinematographer?", "What happens to Tonny's baby?",
              "Who plays the Duke?", "How did critics receive the film?"):
        a, b = engine.answer(q), ivf.answer(q)
        assert [r.passage.id for r in a.results] == [r.passage.id for r in b.results], q
