"""Open the engine while its query encoder loads on the other core.

A one-shot command spends most of its time starting: importing the engine's modules and opening
the index on one side, creating the ONNX session (~0.3 s, mostly native code that releases the
GIL) on the other. Started first, in a thread, the session is ready about when the index is.
This module imports only the standard library, so the thread starts before anything heavy.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

import retrieval.embed  # noqa: F401 - turns onnxruntime's telemetry off before it is imported
from retrieval.index.current import live_build
from retrieval.index.manifest import StaleIndex
from retrieval.settings import Settings

if TYPE_CHECKING:
    from retrieval.embed.onnx_encoder import OnnxEncoder
    from retrieval.engine import Engine
    from retrieval.index.store import BuildProgress, Warn


class PendingEncoder:
    """The ONNX query encoder of one export folder, loading in a background thread."""

    def __init__(self, onnx_dir: Path) -> None:
        # Imported here, not in the thread: imports are Python code, which holds the GIL, and
        # two threads importing at once measured slower than one after the other. Session
        # creation is native code and overlaps well.
        import onnxruntime  # noqa: F401
        import tokenizers  # noqa: F401

        from retrieval.embed.onnx_encoder import OnnxEncoder

        self.onnx_dir = onnx_dir
        self._encoder: OnnxEncoder | None = None
        self._unloaded = OnnxEncoder(onnx_dir)
        self._error: Exception | None = None
        self._thread = threading.Thread(target=self._load, name="pusherbot-encoder", daemon=True)
        self._thread.start()

    def _load(self) -> None:
        try:
            self._encoder = self._unloaded.load()
        except Exception as e:  # noqa: BLE001 - raised again in the caller's thread by result()
            self._error = e

    def wait(self) -> None:
        """Until the loading thread is done (its outcome is kept for `result`)."""
        self._thread.join()

    def result(self) -> OnnxEncoder:
        """The loaded encoder, once the thread is done; the thread's exception if it failed."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._encoder is not None
        return self._encoder


def preload_encoder(settings: Settings) -> PendingEncoder | None:
    """Start loading the live build's ONNX encoder; None when there is none to load.

    Only a guess at which build will be used: the engine verifies the index first and takes the
    encoder only if it belongs to the build it opened (a stale build is rebuilt elsewhere).
    """
    if settings.encoder == "torch":
        return None
    try:
        onnx_dir = live_build(settings.index_dir) / "onnx"
    except StaleIndex:
        return None
    return PendingEncoder(onnx_dir) if onnx_dir.is_dir() else None


def load_engine(settings: Settings, *, rebuild: bool = False, warn: Warn | None = None,
                progress: BuildProgress | None = None) -> Engine:
    """`Engine.load`, with the query encoder loading meanwhile (see the module's docstring)."""
    pending = None if rebuild else preload_encoder(settings)
    try:
        from retrieval.engine import Engine

        return Engine.load(settings, rebuild=rebuild, warn=warn, progress=progress,
                           pending=pending)
    finally:
        if pending is not None:
            # Whatever happened (an error, a rebuilt index that left it unused), the thread
            # must not still be inside onnxruntime when the process exits: that aborts it.
            pending.wait()
