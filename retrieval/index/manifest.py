"""A build's `manifest.json`: its shape, and the checksums of every file the build holds."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path, PurePosixPath

from retrieval.fsutil import OWNER_FILE

_HASHED_MAX_BYTES = 256 * 1024 * 1024  # bigger files are checked by size, hashing would be slow
# From this size on, a file whose size and modification time are still those the build
# recorded is not hashed again: hashing the ~90 MB ONNX export cost ~0.1 s of every one-shot
# start. Any write changes the time; a copy without it (`cp` without -p) is hashed in full.
_STAT_TRUSTED_FROM_BYTES = 8 * 1024 * 1024
# The manifest fields loading and stats read, with their JSON types: anything else is corrupt.
_FIELDS = {"key": dict, "files": dict, "passage_count": int, "encoder": str, "model": str,
           "documents": list, "reviews": int, "vector_index": dict, "blank_fields": list,
           "built_at": str}


class StaleIndex(Exception):
    """The index on disk is missing, corrupt or built from other seeds or settings."""


def read_manifest(directory: Path) -> dict:
    """The build's manifest, checked for the shape this code reads; StaleIndex otherwise."""
    try:
        manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise StaleIndex(f"manifest unreadable: {e}") from None
    if not isinstance(manifest, dict):
        raise StaleIndex("manifest is not a JSON object")
    for field, kind in _FIELDS.items():
        if not isinstance(manifest.get(field), kind):
            raise StaleIndex(f"manifest field {field!r} is missing or malformed")
    files = manifest["files"]
    if not files:
        raise StaleIndex("manifest lists no files")
    for name, entry in files.items():
        parts = PurePosixPath(name).parts
        if (not parts or parts[0] == "/" or ".." in parts or not isinstance(entry, dict)
                or not isinstance(entry.get("size"), int)
                or not isinstance(entry.get("sha256"), str | None)
                or not isinstance(entry.get("mtime_ns", 0), int)):
            raise StaleIndex(f"manifest entry {name!r} is malformed")
    return manifest


def file_checksums(directory: Path) -> dict:
    """Size and SHA-256 of every file under `directory` (subfolders too), by relative path."""
    return {f.relative_to(directory).as_posix(): _fingerprint(f)
            for f in sorted(directory.rglob("*"))
            if f.is_file() and f != directory / OWNER_FILE}


def files_under(manifest: dict, folder: str) -> dict:
    """The manifest's file entries inside `folder`/."""
    return {n: f for n, f in manifest["files"].items() if n.startswith(folder + "/")}


def verify_files(directory: Path, files: dict) -> None:
    """StaleIndex unless every listed file exists with its recorded size and checksum."""
    for name, expected in files.items():
        path = directory / name
        try:
            if not path.is_file():
                raise StaleIndex(f"{name} is missing")
            st = path.stat()
            if st.st_size != expected["size"]:
                raise StaleIndex(f"{name} has the wrong size (truncated?)")
            if st.st_mtime_ns == expected.get("mtime_ns"):
                continue  # large and untouched since the build hashed it
            if expected["sha256"] and _sha256(path) != expected["sha256"]:
                raise StaleIndex(f"{name} does not match its checksum")
        except OSError as e:
            raise StaleIndex(f"cannot read {name}: {e.strerror}") from None


def _fingerprint(path: Path) -> dict:
    st = path.stat()
    entry = {"size": st.st_size,
             "sha256": _sha256(path) if st.st_size <= _HASHED_MAX_BYTES else None}
    if st.st_size >= _STAT_TRUSTED_FROM_BYTES:
        entry["mtime_ns"] = st.st_mtime_ns
    return entry


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
