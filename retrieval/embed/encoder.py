"""Text → normalised vectors. The sentence-transformers encoder is the reference; others must match it."""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from retrieval.errors import SettingsError

Progress = Callable[[int], None]  # called with the number of texts just encoded


class Encoder(Protocol):
    """Anything that turns texts into L2-normalised float32 vectors of shape (n, dim)."""

    name: str
    dim: int

    def encode(
        self, texts: Sequence[str], batch_size: int = 32, progress: Progress | None = None
    ) -> np.ndarray: ...


class SentenceTransformerEncoder:
    """all-MiniLM-L6-v2 through sentence-transformers, loaded lazily and fully offline."""

    def __init__(self, model_path: Path) -> None:
        self.model_path = Path(model_path)
        self.name = f"sentence-transformers:{self.model_path.name}"
        self.dim = 384
        self._model = None
        self._lock = threading.Lock()

    def _load(self):
        with self._lock:
            if self._model is None:
                # The hub is unreachable here; never let a library try it.
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
                os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
                from sentence_transformers import SentenceTransformer

                model = SentenceTransformer(str(self.model_path), device="cpu")
                get_dim = (getattr(model, "get_embedding_dimension", None)
                           or model.get_sentence_embedding_dimension)
                self.dim = int(get_dim() or 384)
                self._model = model
        return self._model

    def encode(
        self, texts: Sequence[str], batch_size: int = 32, progress: Progress | None = None
    ) -> np.ndarray:
        """Encode texts into normalised float32 vectors."""
        model = self._load()
        out = []
        for i in range(0, len(texts), batch_size):
            batch = list(texts[i : i + batch_size])
            vecs = model.encode(
                batch, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True,
                show_progress_bar=False,
            )
            out.append(np.asarray(vecs, dtype=np.float32))
            if progress:
                progress(len(batch))
        if not out:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.vstack(out)


WEIGHTS_FILES = ("model.safetensors", "pytorch_model.bin")


def check_model_folder(model_path: Path, label: str = "the model") -> Path:
    """The folder if it looks like a loadable sentence-transformers model, else SettingsError.

    A few stats and a few kilobytes read, nothing loaded: a wrong path is reported at once,
    instead of after the seconds it takes to import torch and fail inside it.
    """
    model_path = Path(model_path)
    problem = _model_folder_problem(model_path)
    if problem:
        raise SettingsError(f"{label} {model_path} {problem}")
    return model_path


def _model_folder_problem(model_path: Path) -> str | None:
    try:
        if not model_path.exists():
            return "does not exist"
        if not model_path.is_dir():
            return "is a file, not a model folder"
        weights = next((model_path / n for n in WEIGHTS_FILES if (model_path / n).is_file()), None)
        if weights is None:
            return f"has no model weights ({' or '.join(WEIGHTS_FILES)})"
        if not (model_path / "config.json").is_file():
            return "has no config.json"
        if not any((model_path / n).is_file() for n in ("tokenizer.json", "vocab.txt")):
            return "has no tokenizer (tokenizer.json or vocab.txt)"
        if not _weights_look_valid(weights):
            return f"has a damaged {weights.name}"
    except OSError as e:
        return f"cannot be read ({e.strerror})"
    return None


def _weights_look_valid(weights: Path) -> bool:
    """The file's header is what its format starts with (safetensors: length + JSON object)."""
    size = weights.stat().st_size
    with weights.open("rb") as fh:
        head = fh.read(8)
        if weights.suffix != ".safetensors":
            return head[:2] == b"PK" or head[:1] == b"\x80"  # torch's zip format or a pickle
        n = int.from_bytes(head, "little") if len(head) == 8 else 0
        if not 2 <= n <= min(size - 8, 100 << 20):
            return False
        try:
            return isinstance(json.loads(fh.read(n)), dict)
        except ValueError:
            return False


def model_fingerprint(model_path: Path) -> str:
    """A cheap identity of a model folder: its small config files and a sample of its weights."""
    model_path = check_model_folder(model_path)
    h = hashlib.sha256()
    for name in ("config.json", "tokenizer.json", "sentence_bert_config.json", "modules.json",
                 "1_Pooling/config.json"):
        f = model_path / name
        h.update(name.encode())
        h.update(f.read_bytes() if f.exists() else b"-")
    weights = weights_file(model_path)
    size = weights.stat().st_size
    h.update(str(size).encode())
    # Head and tail of the weights instead of all 90 MB: keeps the check at a few ms.
    with weights.open("rb") as fh:
        h.update(fh.read(1 << 20))
        fh.seek(max(0, size - (1 << 20)))
        h.update(fh.read(1 << 20))
    return h.hexdigest()[:32]


def weights_file(model_path: Path) -> Path:
    """The weights file of a sentence-transformers model folder."""
    for name in WEIGHTS_FILES:
        if (model_path / name).is_file():
            return model_path / name
    raise SettingsError(f"model folder {model_path} has no model weights")
