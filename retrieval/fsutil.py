"""Durability helpers shared by everything that writes index artefacts atomically."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def fsync_path(path: Path) -> None:
    """Flush a file's or folder's data to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    """Flush a folder's entries (a rename into it) to disk; best effort where unsupported."""
    with contextlib.suppress(OSError):
        fsync_path(path)
