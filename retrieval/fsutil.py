"""Small OS helpers with one home each: durable atomic writes, fsync, the usable CPU count, and
folders marked as ours (so that cleaning up never deletes what we did not create)."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
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


def write_synced(path: Path, data: bytes) -> None:
    """Write bytes and flush them to disk before returning."""
    with path.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def write_atomic(path: Path, data: bytes | str) -> None:
    """Replace `path` with `data` so that readers see the old or the new content, never half."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write_synced(tmp, data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity mask, not the machine's total)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


OWNER_FILE = ".owner"


@contextlib.contextmanager
def claimed_dir(path: Path, *also: str) -> Iterator[Path]:
    """Create (or reuse) a folder marked as this program's, holding its lock while the block runs.

    The marker file inside names the folder (and `also`: names it will be renamed to), so that a
    user's folder matching the same pattern, or a copy of ours, is never taken for ours; the
    lock, which the kernel drops when the process dies however it dies, tells a live owner from
    a dead one (see `owned_and_idle`).
    """
    path.mkdir(parents=True, exist_ok=True)
    with open(path / OWNER_FILE, "a+", encoding="utf-8") as owner:
        fcntl.flock(owner, fcntl.LOCK_EX)
        owner.seek(0)
        owner.truncate()
        owner.write("\n".join((path.name, *also)) + "\n")
        owner.flush()
        yield path


def owned_and_idle(path: Path) -> bool:
    """True for a folder `claimed_dir` made under this name whose owner has finished or died."""
    if path.is_symlink() or not path.is_dir():
        return False
    try:
        with open(path / OWNER_FILE, encoding="utf-8") as owner:
            if path.name not in owner.read().splitlines():
                return False
            try:
                fcntl.flock(owner, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released when closed
            except BlockingIOError:
                return False
            return True
    except (OSError, UnicodeDecodeError):
        return False
