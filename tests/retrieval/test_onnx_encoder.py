"""The ONNX encoder gives the reference encoder's vectors, and its export is atomic."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import numpy as np
import pytest

from retrieval.embed import onnx_encoder as oe
from retrieval.settings import REPO_ROOT, default_model_path

SEEDS = REPO_ROOT / "seeds"


def _seed_lines() -> list[str]:
    lines: list[str] = []
    for f in sorted(SEEDS.glob("*.txt")):
        lines += [ln.strip() for ln in f.read_text(encoding="utf-8").splitlines() if ln.strip()]
    return lines


@pytest.fixture(scope="session")
def texts() -> list[str]:
    """Short lines, long paragraphs (some past the 256-token limit), odd characters."""
    lines = _seed_lines()
    short = [ln for ln in lines if len(ln) < 60][:16]
    long_ = sorted(lines, key=len)[-8:]  # the longest review paragraphs
    joined = [" ".join(lines[i : i + 25]) for i in (40, 120, 200)]  # far beyond 256 tokens
    extra = ["Who shot the film?", "soborg", "Kusse-Kurt, Ø & “Smeden” — 80.000 kroner!"]
    return short + long_ + joined + extra


@pytest.fixture(scope="session")
def export_dir(tmp_path_factory) -> Path:
    return oe.export_onnx(default_model_path(), tmp_path_factory.mktemp("idx") / "onnx")


@pytest.fixture(scope="session")
def reference(texts) -> np.ndarray:
    from retrieval.embed.encoder import SentenceTransformerEncoder

    return SentenceTransformerEncoder(default_model_path()).encode(texts, batch_size=8)


@pytest.fixture(scope="session")
def encoder(export_dir) -> oe.OnnxEncoder:
    return oe.OnnxEncoder(export_dir).load()


@pytest.mark.parametrize("batch_size", [1, 7, 32])
def test_matches_reference_encoder(encoder, texts, reference, batch_size):
    got = encoder.encode(texts, batch_size=batch_size)
    assert got.shape == reference.shape == (len(texts), 384)
    assert got.dtype == np.float32
    cos = (got * reference).sum(axis=1)
    assert cos.min() >= 1 - 1e-4, texts[int(cos.argmin())]


def test_vectors_are_normalised(encoder, texts):
    norms = np.linalg.norm(encoder.encode(texts), axis=1)
    assert np.allclose(norms, 1.0, atol=1e-5)


def test_padding_does_not_change_a_vector(encoder, texts):
    alone = encoder.encode([texts[0]])
    in_batch = encoder.encode([texts[0], texts[-4]])[:1]  # padded beside a long text
    assert float((alone * in_batch).sum()) >= 1 - 1e-5


def test_empty_input(encoder):
    assert encoder.encode([]).shape == (0, 384)


def test_progress_counts_every_text(encoder, texts):
    seen: list[int] = []
    encoder.encode(texts, batch_size=5, progress=seen.append)
    assert sum(seen) == len(texts)


def test_concurrent_encodes_agree(encoder, texts):
    expected = encoder.encode(texts, batch_size=4)
    results: dict[int, np.ndarray] = {}

    def work(i: int) -> None:
        results[i] = encoder.encode(texts[i:] + texts[:i], batch_size=4)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i, got in results.items():
        np.testing.assert_allclose(np.roll(got, i, axis=0), expected, atol=1e-5)


def test_config_records_model_facts(export_dir):
    cfg = oe._read_config(export_dir)
    assert cfg["max_seq_length"] == 256
    assert cfg["pooling"] == "mean" and cfg["normalize"] is True and cfg["dim"] == 384
    assert oe.export_is_current(export_dir, default_model_path())


def test_complete_export_is_reused(export_dir, monkeypatch):
    mtime = (export_dir / oe.ONNX_FILE).stat().st_mtime_ns
    monkeypatch.setattr(oe, "_export_into", _fail)
    assert oe.export_onnx(default_model_path(), export_dir) == export_dir
    assert (export_dir / oe.ONNX_FILE).stat().st_mtime_ns == mtime


def _fail(*_args):
    raise AssertionError("should not export")


def _copy_from(good: Path):
    def fake_export(_model_path: Path, tmp: Path) -> None:
        for f in good.iterdir():
            shutil.copyfile(f, tmp / f.name)

    return fake_export


def test_partial_export_and_stale_temp_are_replaced(export_dir, tmp_path, monkeypatch):
    target = tmp_path / "onnx"
    target.mkdir()
    (target / oe.ONNX_FILE).write_bytes(b"half a model")  # no config: an interrupted copy
    dead = tmp_path / ".onnx.tmp-999999999-deadbeef"  # left by an exporter that died
    dead.mkdir()
    (dead / oe.ONNX_FILE).write_bytes(b"junk")
    assert not oe.export_is_current(target)
    monkeypatch.setattr(oe, "_export_into", _copy_from(export_dir))
    assert oe.export_onnx(default_model_path(), target) == target
    assert oe.export_is_current(target, default_model_path())
    assert not dead.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["onnx"]


def test_failed_export_leaves_nothing(tmp_path, monkeypatch):
    def crash(_model_path: Path, tmp: Path) -> None:
        (tmp / oe.ONNX_FILE).write_bytes(b"partial")
        raise KeyboardInterrupt

    monkeypatch.setattr(oe, "_export_into", crash)
    with pytest.raises(KeyboardInterrupt):
        oe.export_onnx(default_model_path(), tmp_path / "onnx")
    assert list(tmp_path.iterdir()) == []


def test_truncated_model_is_not_current(export_dir, tmp_path):
    copy = tmp_path / "onnx"
    shutil.copytree(export_dir, copy)
    with (copy / oe.ONNX_FILE).open("r+b") as fh:
        fh.truncate(1000)
    assert not oe.export_is_current(copy)
    with pytest.raises(oe.OnnxExportError):
        oe.OnnxEncoder(copy)


def test_other_model_is_not_current(export_dir, tmp_path):
    other = tmp_path / "other-model"
    shutil.copytree(default_model_path(), other, ignore=shutil.ignore_patterns("*.safetensors"))
    os.symlink(default_model_path() / "model.safetensors", other / "model.safetensors")
    (other / "sentence_bert_config.json").write_text('{"max_seq_length": 128}')
    assert not oe.export_is_current(export_dir, other)
