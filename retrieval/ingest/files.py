"""The seed files of a folder and their hash: what the index key needs, without any parser."""

from __future__ import annotations

import hashlib
from pathlib import Path

from retrieval.errors import SeedError

SEED_SUFFIXES = (".txt", ".md")


def seed_files(seeds_dir: Path) -> list[Path]:
    """The seed files of a folder, sorted by name; raises SeedError if there are none."""
    if not seeds_dir.is_dir():
        raise SeedError(f"seeds folder not found: {seeds_dir}")
    files = sorted(p for p in seeds_dir.iterdir() if p.suffix.lower() in SEED_SUFFIXES
                   and p.is_file() and not p.name.startswith("."))
    if not files:
        raise SeedError(f"no .txt or .md seed files in {seeds_dir}")
    return files


def corpus_hash(seeds_dir: Path) -> str:
    """SHA-256 over the seed files' names and bytes: changes whenever a seed changes."""
    h = hashlib.sha256()
    for path in seed_files(seeds_dir):
        try:
            data = path.read_bytes()
        except OSError as e:
            raise SeedError(f"cannot read seed file {path}: {e.strerror}") from None
        h.update(path.name.encode() + b"\0" + data + b"\0")
    return h.hexdigest()
