"""Index reuse, invalidation, corruption recovery and concurrent builds, with the real model."""

from __future__ import annotations

import builtins
import errno
import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from retrieval.engine import Engine
from retrieval.index.store import StaleIndex, index_key, load_index
from retrieval.settings import REPO_ROOT, Settings, default_model_path


def _settings(seeds: Path, tmp_path: Path) -> Settings:
    return Settings(seeds_dir=seeds, index_dir=tmp_path / "index")


def _live(settings: Settings) -> Path:
    return settings.index_dir / (settings.index_dir / "CURRENT").read_text().strip()


@pytest.fixture(scope="module")
def _template(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("tiny-build") / "index"


@pytest.fixture
def built(tiny_seeds, tmp_path, _template) -> Settings:
    """Settings for `tiny_seeds` whose index folder holds a valid build: built once per module,
    then copied (real copies: a test that damages its copy leaves the others intact)."""
    if not _template.exists():
        Engine.load(Settings(seeds_dir=tiny_seeds, index_dir=_template))
    s = _settings(tiny_seeds, tmp_path)
    shutil.copytree(_template, s.index_dir)
    return s


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


def _truncate(path: Path) -> None:
    with path.open("r+b") as fh:
        fh.truncate(path.stat().st_size // 2)


def _edit_manifest(live: Path, change) -> None:
    path = live / "manifest.json"
    path.write_text(json.dumps(change(json.loads(path.read_text()))))


def _refuse_reading(path: Path, monkeypatch) -> None:
    """Make `path` unreadable: chmod for everyone, and for root (who reads anything) the same
    PermissionError the OS gives everyone else."""
    path.chmod(0)
    if os.geteuid() != 0:
        return
    real_open = builtins.open

    def refusing_open(file, *args, **kwargs):
        if isinstance(file, str | os.PathLike) and Path(file) == path:
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", refusing_open)


DAMAGES = {
    "truncate": lambda live, s, mp: _truncate(live / "vectors.npy"),
    "garble_manifest": lambda live, s, mp: (live / "manifest.json").write_text("{not json"),
    "delete_vectors": lambda live, s, mp: (live / "sentence_vectors.npy").unlink(),
    "bad_current": lambda live, s, mp: (s.index_dir / "CURRENT").write_text("index-nonexistent\n"),
    # Each of these used to raise a traceback on every run, the index never repaired:
    "current_not_utf8": lambda live, s, mp: (s.index_dir / "CURRENT").write_bytes(b"index-\xff\xfe"),
    "manifest_is_a_list": lambda live, s, mp: _edit_manifest(live, lambda m: [m]),
    "files_not_a_dict": lambda live, s, mp: _edit_manifest(live, lambda m: {**m, "files": ["x"]}),
    "file_entry_not_a_dict": lambda live, s, mp: _edit_manifest(
        live, lambda m: {**m, "files": {**m["files"], "vectors.npy": 7}}),
    "passage_count_missing": lambda live, s, mp: _edit_manifest(
        live, lambda m: {k: v for k, v in m.items() if k != "passage_count"}),
    "unreadable_file": lambda live, s, mp: _refuse_reading(live / "vectors.npy", mp),
}


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_corrupt_index_is_reported_and_rebuilt(built, monkeypatch, damage) -> None:
    s = built
    live = _live(s)
    DAMAGES[damage](live, s, monkeypatch)
    warnings: list[str] = []
    engine = Engine.load(s, warn=warnings.append)
    assert len(warnings) == 1 and "rebuilding" in warnings[0]
    assert "\n" not in warnings[0]
    assert engine.index.directory != live
    answer = engine.answer("Who was the cinematographer?")
    assert answer.answered and "Søborg" in answer.results[0].quote
    assert Engine.load(s).index.directory == engine.index.directory  # repaired for good


def test_current_that_is_a_folder_is_moved_aside_and_rebuilt(built) -> None:
    s = built
    (s.index_dir / "CURRENT").unlink()
    (s.index_dir / "CURRENT").mkdir()
    (s.index_dir / "CURRENT" / "mine.txt").write_text("not the index's")
    warnings: list[str] = []
    engine = Engine.load(s, warn=warnings.append)
    assert len(warnings) == 1 and "rebuilding" in warnings[0] and "folder" in warnings[0]
    assert (s.index_dir / "CURRENT").is_file() and _live(s) == engine.index.directory
    moved = list(s.index_dir.glob("CURRENT.moved-*"))
    assert [(m / "mine.txt").read_text() for m in moved] == ["not the index's"]  # not deleted


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


def test_rebuild_deletes_only_folders_the_index_created(built) -> None:
    s = built
    old = _live(s)
    users = ("index-mine", ".partial-x", ".tmp-mine")  # a user's folders, named like ours
    for name in users:
        (s.index_dir / name).mkdir()
        (s.index_dir / name / "notes.txt").write_text(f"my {name}")
    shutil.copytree(old, s.index_dir / "index-backup")  # a user's copy of a real build
    Engine.load(s, rebuild=True)
    assert _live(s) != old and not old.exists()  # the superseded build was the index's own
    for name in users:
        assert (s.index_dir / name / "notes.txt").read_text() == f"my {name}"
    assert (s.index_dir / "index-backup" / "manifest.json").is_file()


_DIE_MID_BUILD = """
import os, signal, sys
from pathlib import Path
import retrieval.index.store as store
from retrieval.engine import Engine
from retrieval.settings import Settings

def die(settings, root, tmp, *args):
    (tmp / "export.bin").write_bytes(bytes(1 << 20))  # stands for the ~90 MB ONNX export
    os.kill(os.getpid(), signal.SIGKILL)

store._build_encoder = die
Engine.load(Settings(seeds_dir=Path(sys.argv[1]), index_dir=Path(sys.argv[2])))
"""


def test_temporary_folder_of_a_killed_build_is_removed_by_the_next(tiny_seeds, tmp_path) -> None:
    s = _settings(tiny_seeds, tmp_path)
    proc = subprocess.run([sys.executable, "-c", _DIE_MID_BUILD, str(tiny_seeds), str(s.index_dir)],
                          cwd=REPO_ROOT, capture_output=True, timeout=300)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()
    assert len(list(s.index_dir.glob(".tmp-*"))) == 1  # killed before any index existed
    Engine.load(s)
    assert not list(s.index_dir.glob(".tmp-*"))
    from retrieval.fsutil import claimed_dir

    in_progress = s.index_dir / ".tmp-in-progress"
    with claimed_dir(in_progress):  # a build still running holds its folder's lock
        Engine.load(s, rebuild=True)
        assert list(s.index_dir.glob(".tmp-*")) == [in_progress]


def test_a_large_file_untouched_since_the_build_is_trusted_and_a_rewritten_one_hashed(
        tmp_path, monkeypatch) -> None:
    from retrieval.index import manifest

    (tmp_path / "small.json").write_text("{}")
    big = tmp_path / "model.onnx"
    big.write_bytes(os.urandom(9 << 20))
    files = manifest.file_checksums(tmp_path)
    assert "mtime_ns" in files["model.onnx"] and "mtime_ns" not in files["small.json"]
    hashed: list[str] = []
    real = manifest._sha256
    monkeypatch.setattr(manifest, "_sha256", lambda p: hashed.append(p.name) or real(p))
    manifest.verify_files(tmp_path, files)
    assert hashed == ["small.json"]  # the 9 MB file's size and time still match the build's
    data = bytearray(big.read_bytes())
    data[len(data) // 2] ^= 0xFF
    big.write_bytes(data)  # same size, new modification time
    with pytest.raises(StaleIndex, match="model.onnx does not match its checksum"):
        manifest.verify_files(tmp_path, files)


def test_damaged_onnx_export_is_rebuilt_not_reused(built) -> None:
    s = built
    model = _live(s) / "onnx" / "model.onnx"
    data = bytearray(model.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 4096] = bytes(4096)  # same size: only a checksum can tell
    model.write_bytes(data)
    damaged = model.stat().st_ino
    warnings: list[str] = []
    engine = Engine.load(s, warn=warnings.append)
    assert len(warnings) == 1 and "onnx/model.onnx" in warnings[0] and "rebuilding" in warnings[0]
    fresh = engine.index.directory / "onnx" / "model.onnx"
    assert fresh.stat().st_ino != damaged and fresh.read_bytes() != data  # exported afresh
    assert engine.encoder.name.startswith("onnx:")
    answer = engine.answer("Who was the cinematographer?")
    assert answer.answered and "Søborg" in answer.results[0].quote


_LOAD_WITH_MODELS = """
import json, sys
from pathlib import Path
from retrieval.engine import Engine
from retrieval.errors import SettingsError
from retrieval.settings import Settings

errors = []
for model in sys.argv[3:]:
    try:
        Engine.load(Settings(seeds_dir=Path(sys.argv[1]), index_dir=Path(sys.argv[2]),
                             model_path=Path(model)))
        errors.append(None)
    except SettingsError as e:
        errors.append(str(e))
heavy = [m for m in ("torch", "transformers", "sentence_transformers", "onnxruntime", "faiss")
         if m in sys.modules]
print(json.dumps({"errors": errors, "heavy": heavy}))
"""


def test_unusable_model_folder_is_a_one_line_settings_error_before_loading(tiny_seeds,
                                                                           tmp_path) -> None:
    a_file = tmp_path / "model.txt"
    a_file.write_text("not a model")
    empty = tmp_path / "empty"
    empty.mkdir()
    no_weights = tmp_path / "no-weights"
    shutil.copytree(default_model_path(), no_weights, ignore=shutil.ignore_patterns("*.safetensors"))
    damaged = tmp_path / "damaged"
    shutil.copytree(no_weights, damaged)
    (damaged / "model.safetensors").write_bytes(os.urandom(1 << 16))
    models = [tmp_path / "missing", a_file, empty, no_weights, damaged]
    index_dir = tmp_path / "index"
    proc = subprocess.run([sys.executable, "-c", _LOAD_WITH_MODELS, str(tiny_seeds),
                           str(index_dir), *map(str, models)],
                          cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    for model, error in zip(models, out["errors"], strict=True):
        assert error and error.startswith("PUSHERBOT_MODEL") and str(model) in error, error
        assert "\n" not in error
    assert out["heavy"] == []  # checked before torch, onnxruntime or faiss was imported
    assert not index_dir.exists()
