"""Start-up with the query encoder loading meanwhile (retrieval/startup.py), real model."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import retrieval.startup as startup
from retrieval.engine import Engine
from retrieval.settings import Settings
from retrieval.startup import load_engine, preload_encoder


@pytest.fixture(scope="module")
def _template(tmp_path_factory) -> tuple[Path, Path]:
    seeds = tmp_path_factory.mktemp("startup-seeds")
    (seeds / "notes.md").write_text(
        "# Notes\n\n## Crew\n\nThe cinematographer of the film was Morten Søborg. "
        "He shot it on hand-held cameras.\n", encoding="utf-8")
    index = tmp_path_factory.mktemp("startup-build") / "index"
    Engine.load(Settings(seeds_dir=seeds, index_dir=index))
    return seeds, index


@pytest.fixture
def built(_template, tmp_path) -> Settings:
    seeds, index = _template
    shutil.copytree(index, tmp_path / "index")  # copy2: times kept, as a real index's are
    return Settings(seeds_dir=seeds, index_dir=tmp_path / "index")


def _spy(monkeypatch) -> list[startup.PendingEncoder]:
    started: list[startup.PendingEncoder] = []
    real = startup.PendingEncoder

    def record(onnx_dir: Path) -> startup.PendingEncoder:
        started.append(real(onnx_dir))
        return started[-1]

    monkeypatch.setattr(startup, "PendingEncoder", record)
    return started


def test_the_encoder_loaded_meanwhile_is_the_one_used(built, monkeypatch) -> None:
    started = _spy(monkeypatch)
    engine = load_engine(built)
    assert len(started) == 1 and started[0].onnx_dir == engine.index.directory / "onnx"
    assert engine.encoder is started[0].result()
    answer = engine.answer("Who was the cinematographer?")
    assert answer.answered and "Søborg" in answer.results[0].quote


def test_a_damaged_export_loading_meanwhile_is_dropped_for_the_rebuilt_one(built,
                                                                          monkeypatch) -> None:
    started = _spy(monkeypatch)
    live = built.index_dir / (built.index_dir / "CURRENT").read_text().strip()
    model = live / "onnx" / "model.onnx"
    model.write_bytes(bytes(model.stat().st_size))  # same size, all zeros: not an ONNX model
    warnings: list[str] = []
    engine = load_engine(built, warn=warnings.append)
    assert len(started) == 1 and started[0].onnx_dir == live / "onnx"
    with pytest.raises(Exception):  # noqa: B017 - whatever onnxruntime raises for garbage
        started[0].result()
    assert len(warnings) == 1 and "rebuilding" in warnings[0]
    assert engine.index.directory != live and engine.encoder.name.startswith("onnx:")
    answer = engine.answer("Who was the cinematographer?")
    assert answer.answered and "Søborg" in answer.results[0].quote


def test_nothing_is_preloaded_without_an_index_or_for_the_torch_encoder(built, tmp_path) -> None:
    assert preload_encoder(Settings(seeds_dir=built.seeds_dir, index_dir=tmp_path / "none")) is None
    torch = Settings(seeds_dir=built.seeds_dir, index_dir=built.index_dir, encoder="torch")
    assert preload_encoder(torch) is None
    (built.index_dir / "CURRENT").write_text("../elsewhere\n")
    assert preload_encoder(built) is None


def test_a_failed_load_still_waits_for_the_encoder_thread(built, monkeypatch) -> None:
    # The thread must not be left inside onnxruntime when the process exits (that aborts it).
    started = _spy(monkeypatch)

    def broken_load(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(Engine, "load", broken_load)
    with pytest.raises(RuntimeError, match="boom"):
        load_engine(built)
    assert len(started) == 1 and not started[0]._thread.is_alive()
