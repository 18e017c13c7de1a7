"""Shared fixtures: the real engine on the real seeds, built once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from retrieval.settings import REPO_ROOT, Settings

SEEDS = REPO_ROOT / "seeds"
WIKI = SEEDS / "wikipedia_pusher_ii.txt"
REVIEWS = SEEDS / "imdb_reviews_pusher_ii.txt"
INVENTED = REPO_ROOT / "tests" / "data" / "invented"


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One index folder for the whole session; PUSHERBOT_TEST_INDEX_DIR reuses one across runs."""
    # Reuse is safe: the engine checks the folder matches the seeds, settings and model, and
    # rebuilds it if not. Absolute, so that a test changing the working directory cannot move it.
    reuse = os.environ.get("PUSHERBOT_TEST_INDEX_DIR")
    return Path(reuse).resolve() if reuse else tmp_path_factory.mktemp("index")


@pytest.fixture(scope="session")
def settings(index_dir: Path) -> Settings:
    """Default settings, pointed at the session index folder."""
    return Settings(seeds_dir=SEEDS, index_dir=index_dir)


@pytest.fixture(scope="session")
def engine(settings: Settings):
    """The real engine (real model, real seeds), loaded once."""
    from retrieval.engine import Engine

    return Engine.load(settings)


@pytest.fixture(scope="session")
def invented(tmp_path_factory: pytest.TempPathFactory):
    """The real engine on the invented film's seeds (a small index, built once per session)."""
    from retrieval.engine import Engine

    # Beside a reused session index when PUSHERBOT_TEST_INDEX_DIR is set (the engine rebuilds
    # it if the seeds, settings or model changed), else in a fresh temporary folder.
    reuse = os.environ.get("PUSHERBOT_TEST_INDEX_DIR")
    index_dir = (Path(reuse).resolve().with_name(Path(reuse).name + "-invented") if reuse
                 else tmp_path_factory.mktemp("invented-index"))
    return Engine.load(Settings(seeds_dir=INVENTED / "seeds", index_dir=index_dir))


@pytest.fixture
def tiny_seeds(tmp_path: Path) -> Path:
    """A small seeds folder of plain text: quick to index for rebuild and corruption tests."""
    d = tmp_path / "seeds"
    d.mkdir()
    (d / "notes.md").write_text(
        "# Notes\n\n## Crew\n\nThe cinematographer of the film was Morten Søborg. "
        "He shot it on hand-held cameras.\n\n## Music\n\nThe score was composed by Peter Peter. "
        "It uses synthesizers throughout.\n",
        encoding="utf-8",
    )
    return d
