"""The seed files of a folder and their hash: what the index key needs, without any parser."""

from __future__ import annotations

import hashlib
from pathlib import Path

from retrieval.errors import SeedError

SEED_SUFFIXES = (".txt", ".md")


def seed_files(seeds_dir: Path, *, follow_external_links: bool = False) -> list[Path]:
    """The seed files of a folder, sorted by name; raises SeedError if there are none.

    A symlink that leads out of the folder (to /etc/passwd, say) is refused unless
    `follow_external_links` allows it: the index quotes whatever it reads.
    """
    try:
        if not seeds_dir.is_dir():
            raise SeedError(f"seeds folder not found: {seeds_dir}")
        candidates = sorted(p for p in seeds_dir.iterdir() if p.suffix.lower() in SEED_SUFFIXES
                            and not p.name.startswith(".") and p.is_file())
        inside = seeds_dir.resolve()
    except OSError as e:
        raise SeedError(f"cannot list the seeds folder {seeds_dir}: {e.strerror}") from None
    files = []
    for path in candidates:
        if not follow_external_links and path.is_symlink():
            target = path.resolve()
            if not target.is_relative_to(inside):
                raise SeedError(f"seed file {path} is a symlink to {target}, outside the seeds "
                                f"folder; copy the file into {seeds_dir} instead")
        files.append(path)
    if not files:
        raise SeedError(f"no .txt or .md seed files in {seeds_dir}")
    return files


def corpus_hash(seeds_dir: Path, *, follow_external_links: bool = False) -> str:
    """SHA-256 over the seed files' names and bytes: changes whenever a seed changes."""
    h = hashlib.sha256()
    for path in seed_files(seeds_dir, follow_external_links=follow_external_links):
        try:
            data = path.read_bytes()
        except OSError as e:
            raise SeedError(f"cannot read seed file {path}: {e.strerror}") from None
        h.update(path.name.encode() + b"\0" + data + b"\0")
    return h.hexdigest()
