"""retrieval/settings.py: one declared, validated loader; every error names its variable."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from retrieval.errors import SettingsError
from retrieval.settings import (
    REPO_ROOT,
    Settings,
    Var,
    declared,
    environment,
    read_dotenv,
)


def test_defaults() -> None:
    s = Settings.from_env({})
    assert s == Settings()
    assert (s.seeds_dir, s.index_dir, s.model_path) == (REPO_ROOT / "seeds", REPO_ROOT / "embeddings", None)
    assert (s.encoder, s.vector_index, s.top_k) == ("auto", "auto", 3)
    assert (s.chunk_chars, s.chunk_overlap, s.dense_weight) == (550, 1, 0.5)
    assert (s.abstain_threshold, s.quote_max_chars, s.max_question_chars) == (0.32, 400, 1000)
    assert s.follow_external_links is False
    assert (s.context_ttl, s.context_max) == (300.0, 10_000)


def test_every_documented_variable_is_read(tmp_path: Path) -> None:
    env = {
        "PUSHERBOT_SEEDS": str(tmp_path / "seeds"),
        "PUSHERBOT_INDEX_DIR": " ~/index ",
        "PUSHERBOT_MODEL": str(tmp_path),
        "PUSHERBOT_ENCODER": "TORCH",
        "PUSHERBOT_VECTOR_INDEX": "ivf",
        "PUSHERBOT_TOP_K": "7",
        "PUSHERBOT_ABSTAIN_THRESHOLD": "0.5",
        "PUSHERBOT_DENSE_WEIGHT": "0.25",
        "PUSHERBOT_CHUNK_CHARS": "800",
        "PUSHERBOT_CHUNK_OVERLAP": "0",
        "PUSHERBOT_QUOTE_MAX_CHARS": "200",
        "PUSHERBOT_FOLLOW_EXTERNAL_LINKS": "yes",
        "PUSHERBOT_CONTEXT_TTL": "90.5",
        "PUSHERBOT_CONTEXT_MAX": "200",
    }
    s = Settings.from_env(env)
    assert (s.context_ttl, s.context_max) == (90.5, 200)
    assert s.seeds_dir == tmp_path / "seeds" and s.index_dir == Path("~/index").expanduser()
    assert s.model_path == tmp_path
    assert (s.encoder, s.vector_index, s.top_k) == ("torch", "ivf", 7)
    assert (s.abstain_threshold, s.dense_weight) == (0.5, 0.25)
    assert (s.chunk_chars, s.chunk_overlap, s.quote_max_chars) == (800, 0, 200)
    assert s.follow_external_links is True
    assert {var.env for _, var in declared(Settings)} == set(env)  # and nothing else


def test_the_undocumented_aliases_are_gone(tmp_path: Path) -> None:
    env = {"PUSHERBOT_SEEDS_DIR": str(tmp_path), "PUSHERBOT_MODEL_PATH": str(tmp_path)}
    assert Settings.from_env(env) == Settings()


def test_empty_values_keep_the_default() -> None:
    assert Settings.from_env({"PUSHERBOT_TOP_K": "", "PUSHERBOT_ENCODER": "  "}) == Settings()


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("PUSHERBOT_ABSTAIN_THRESHOLD", "nan", "must be a finite number from 0 to 1, not 'nan'"),
        ("PUSHERBOT_ABSTAIN_THRESHOLD", "inf", "must be a finite number from 0 to 1, not 'inf'"),
        ("PUSHERBOT_ABSTAIN_THRESHOLD", "-inf", "must be a finite number"),
        ("PUSHERBOT_ABSTAIN_THRESHOLD", "1.5", "must be a finite number from 0 to 1, not '1.5'"),
        ("PUSHERBOT_ABSTAIN_THRESHOLD", "high", "must be a finite number from 0 to 1, not 'high'"),
        ("PUSHERBOT_QUOTE_MAX_CHARS", "0", "must be a whole number from 40 to 4000, not '0'"),
        ("PUSHERBOT_QUOTE_MAX_CHARS", "-5", "must be a whole number from 40 to 4000, not '-5'"),
        ("PUSHERBOT_QUOTE_MAX_CHARS", "39", "must be a whole number from 40 to 4000"),
        ("PUSHERBOT_QUOTE_MAX_CHARS", "1e3", "must be a whole number"),
        ("PUSHERBOT_TOP_K", "0", "must be a whole number from 1 to 50, not '0'"),
        ("PUSHERBOT_TOP_K", "51", "must be a whole number from 1 to 50, not '51'"),
        ("PUSHERBOT_TOP_K", "three", "must be a whole number from 1 to 50, not 'three'"),
        ("PUSHERBOT_DENSE_WEIGHT", "nan", "must be a finite number from 0 to 1"),
        ("PUSHERBOT_CONTEXT_TTL", "0", "must be a finite number > 0 and <= 86400, not '0'"),
        ("PUSHERBOT_CONTEXT_TTL", "nan", "must be a finite number > 0 and <= 86400"),
        ("PUSHERBOT_CONTEXT_MAX", "0", "must be a whole number from 1 to 100000, not '0'"),
        ("PUSHERBOT_DENSE_WEIGHT", "2", "must be a finite number from 0 to 1"),
        ("PUSHERBOT_CHUNK_CHARS", "99", "must be a whole number from 100 to 20000"),
        ("PUSHERBOT_CHUNK_OVERLAP", "-1", "must be a whole number from 0 to 10"),
        ("PUSHERBOT_ENCODER", "gpu", "must be one of auto, onnx, torch, not 'gpu'"),
        ("PUSHERBOT_VECTOR_INDEX", "hnsw", "must be one of auto, flat, ivf, not 'hnsw'"),
        ("PUSHERBOT_MODEL", "/no/such/model", "must be an existing folder, not '/no/such/model'"),
        ("PUSHERBOT_FOLLOW_EXTERNAL_LINKS", "sometimes", "must be one of 1, true, yes, on, 0, false"),
    ],
)
def test_bad_values_name_the_variable(variable: str, value: str, message: str) -> None:
    with pytest.raises(SettingsError) as e:
        Settings.from_env({variable: value})
    assert str(e.value).startswith(f"{variable}: {message}"), str(e.value)
    assert "\n" not in str(e.value)


def test_a_model_path_that_is_a_file_is_refused(tmp_path: Path) -> None:
    model = tmp_path / "model.bin"
    model.write_bytes(b"")
    with pytest.raises(SettingsError, match="^PUSHERBOT_MODEL: must be an existing folder"):
        Settings.from_env({"PUSHERBOT_MODEL": str(model)})


def test_a_long_or_multiline_value_is_shown_on_one_short_line() -> None:
    with pytest.raises(SettingsError) as e:
        Settings.from_env({"PUSHERBOT_ENCODER": "onnx\n" + "x" * 500})
    assert "\n" not in str(e.value) and len(str(e.value)) < 150


def test_options_win_over_the_environment_and_are_checked_under_their_name() -> None:
    s = Settings.from_env({"PUSHERBOT_TOP_K": "5", "PUSHERBOT_ENCODER": "onnx"}, top_k=2, encoder=None)
    assert (s.top_k, s.encoder) == (2, "onnx")  # None: the option was not given
    with pytest.raises(SettingsError, match=r"^--top-k \(PUSHERBOT_TOP_K\): must be .*, not 60$"):
        Settings.from_env({}, top_k=60)
    assert Settings.from_env({}, seeds_dir="elsewhere").seeds_dir == Path("elsewhere")


def test_construction_checks_every_setting_and_names_its_variable() -> None:
    with pytest.raises(SettingsError, match="^PUSHERBOT_QUOTE_MAX_CHARS: .*, not 0$"):
        Settings(quote_max_chars=0)
    with pytest.raises(SettingsError, match="^PUSHERBOT_ABSTAIN_THRESHOLD: .*, not nan$"):
        Settings(abstain_threshold=float("nan"))
    with pytest.raises(SettingsError, match="^PUSHERBOT_TOP_K: "):
        Settings().with_(top_k=True)  # a bool is not a number of passages
    with pytest.raises(dataclasses.FrozenInstanceError):
        Settings().top_k = 4  # type: ignore[misc]


@pytest.mark.parametrize(
    ("var", "requirement"),
    [
        (Var("X", "int", "", lo=1, hi=50), "a whole number from 1 to 50"),
        (Var("X", "int", "", lo=1), "a whole number >= 1"),
        (Var("X", "float", "", lo=0, above=True), "a finite number > 0"),
        (Var("X", "float", "", lo=0, above=True, hi=2.5), "a finite number > 0 and <= 2.5"),
        (Var("X", "float", "", hi=9), "a finite number <= 9"),
        (Var("X", "choice", "", choices=("a", "b")), "one of a, b"),
        (Var("X", "bool", ""), "one of 1, true, yes, on, 0, false, no, off"),
        (Var("X", "path", "", existing_dir=True), "an existing folder"),
        (Var("X", "custom", "", need="hide or show"), "hide or show"),
    ],
)
def test_requirements_read_well(var: Var, requirement: str) -> None:
    assert var.requirement() == requirement


def test_dotenv_syntax(tmp_path: Path) -> None:
    f = tmp_path / ".env"
    f.write_text(
        "# comment\n"
        "export A=1\n"
        'B="x # y"\n'
        "C=z  # trailing comment\n"
        "D=\n"
        "E='single'\n"
        "\n",
        encoding="utf-8",
    )
    assert read_dotenv(f) == {"A": "1", "B": "x # y", "C": "z", "D": "", "E": "single"}


def test_dotenv_with_a_byte_order_mark(tmp_path: Path) -> None:
    f = tmp_path / ".env"
    f.write_bytes("\ufeffPUSHERBOT_TOP_K=4\n".encode())
    assert Settings.from_env(environment(f, environ={})).top_k == 4


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("PUSHERBOT_TOP_K=4\nPUSHERBOT_ENCODER=ønnx\n".encode("latin-1"), r"^.*\.env: not UTF-8 text"),
        (b"PUSHERBOT_TOP_K=4\nthis is not a setting\n", r"^.*\.env: line 2 is not KEY=value"),
    ],
)
def test_a_dotenv_that_cannot_be_read_is_a_settings_error(
    tmp_path: Path, content: bytes, message: str
) -> None:
    f = tmp_path / ".env"
    f.write_bytes(content)
    with pytest.raises(SettingsError, match=message) as e:
        read_dotenv(f)
    assert "\n" not in str(e.value)


def test_a_dotenv_that_is_a_folder_is_a_settings_error(tmp_path: Path) -> None:
    (tmp_path / ".env").mkdir()
    with pytest.raises(SettingsError, match=r"\.env: cannot be read"):
        read_dotenv(tmp_path / ".env")


def test_a_missing_dotenv_is_an_error_only_when_named(tmp_path: Path) -> None:
    assert read_dotenv(tmp_path / ".env") == {}
    with pytest.raises(SettingsError, match="^my.env: no such file$"):
        read_dotenv(tmp_path / "x.env", required=True, label="my.env")


def test_the_environment_wins_over_dotenv(tmp_path: Path) -> None:
    f = tmp_path / ".env"
    f.write_text("PUSHERBOT_TOP_K=4\nPUSHERBOT_ENCODER=torch\nPUSHERBOT_CHUNK_CHARS=nan\n", encoding="utf-8")
    env = environment(f, environ={"PUSHERBOT_TOP_K": "6", "PUSHERBOT_CHUNK_CHARS": "600"})
    s = Settings.from_env(env)
    assert (s.top_k, s.encoder, s.chunk_chars) == (6, "torch", 600)


def test_from_env_reads_dotenv_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _, var in declared(Settings):
        monkeypatch.delenv(var.env, raising=False)
    monkeypatch.chdir(tmp_path)
    Path(".env").write_text("PUSHERBOT_TOP_K=4\nPUSHERBOT_QUOTE_MAX_CHARS=100\n", encoding="utf-8")
    monkeypatch.setenv("PUSHERBOT_QUOTE_MAX_CHARS", "120")
    s = Settings.from_env()
    assert (s.top_k, s.quote_max_chars) == (4, 120)


@pytest.mark.parametrize("raw", ["inf", "-inf", "nan", "1e309", "Infinity"])
def test_non_finite_numbers_are_refused_even_without_an_upper_bound(raw: str) -> None:
    var = Var("PUSHERBOT_X", "float", "", lo=0, above=True)
    with pytest.raises(SettingsError, match=f"^PUSHERBOT_X: must be a finite number > 0, not '{raw}'$"):
        var.from_text(raw)
    assert var.from_text("1e300") == 1e300
