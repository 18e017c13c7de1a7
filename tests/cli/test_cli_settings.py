"""The CLI's settings: the environment, ./.env and options alike; a bad one is exit 2, one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pusherbot import cli
from retrieval.settings import REPO_ROOT, Settings, declared

SETTINGS_ENV = [var.env for _, var in declared(Settings)]


@pytest.fixture
def clean(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No PUSHERBOT_* setting from the caller's environment; an empty working directory."""
    for name in SETTINGS_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV}
    env["PYTHONPATH"] = str(REPO_ROOT)
    return {**env, **extra}


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("PUSHERBOT_ABSTAIN_THRESHOLD", "nan"),
        ("PUSHERBOT_ABSTAIN_THRESHOLD", "inf"),
        ("PUSHERBOT_QUOTE_MAX_CHARS", "0"),
        ("PUSHERBOT_QUOTE_MAX_CHARS", "-5"),
        ("PUSHERBOT_TOP_K", "many"),
        ("PUSHERBOT_ENCODER", "gpu"),
        ("PUSHERBOT_DENSE_WEIGHT", "1e309"),
        ("PUSHERBOT_MODEL", "/no/such/model"),
    ],
)
@pytest.mark.parametrize("where", ["environment", ".env"])
def test_a_bad_setting_is_exit_2_with_one_line_naming_it(
    clean: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    variable: str,
    value: str,
    where: str,
) -> None:
    if where == "environment":
        monkeypatch.setenv(variable, value)
    else:
        Path(".env").write_text(f"{variable}={value}\n", encoding="utf-8")
    assert cli.main(["ask", "who plays the duke?"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert err.startswith(f"{variable}: must be ") and repr(value) in err


def test_an_option_out_of_range_is_exit_2_naming_the_option(
    clean: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["ask", "--top-k", "60", "who plays the duke?"]) == 2
    err = capsys.readouterr().err
    assert err == "--top-k (PUSHERBOT_TOP_K): must be a whole number from 1 to 50, not 60\n"


def test_a_dotenv_that_is_not_utf8_is_exit_2(clean: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path(".env").write_bytes(b"PUSHERBOT_TOP_K=2\nPUSHERBOT_SEEDS=/home/j\xf8rgen/seeds\n")
    assert cli.main(["index", "--json"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(".env: not UTF-8 text")


def test_as_a_process_the_error_is_one_line_without_a_traceback(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "pusherbot", "ask", "who plays the duke?"],
        cwd=tmp_path, env=clean_env(PUSHERBOT_COOLDOWN_PER="inf", PUSHERBOT_ABSTAIN_THRESHOLD="nan"),
        capture_output=True, text=True, timeout=120,
    )
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr == "PUSHERBOT_ABSTAIN_THRESHOLD: must be a finite number from 0 to 1, not 'nan'\n"


def test_the_cli_reads_dotenv_and_the_environment_wins(
    engine: object, index_dir: Path, tmp_path: Path
) -> None:
    # .env asks for two passages and names an index folder; the environment names the real one.
    (tmp_path / ".env").write_text(
        "PUSHERBOT_TOP_K=2\n" f"PUSHERBOT_INDEX_DIR={tmp_path / 'not-this-one'}\n", encoding="utf-8"
    )
    out = subprocess.run(
        [sys.executable, "-m", "pusherbot", "ask", "--json", "who plays the duke?"],
        cwd=tmp_path, env=clean_env(PUSHERBOT_INDEX_DIR=str(index_dir)),
        capture_output=True, text=True, timeout=300,
    )
    assert out.returncode == 0, out.stderr
    assert len(json.loads(out.stdout)["results"]) == 2  # from .env
    assert not (tmp_path / "not-this-one").exists()  # the environment's index was used
