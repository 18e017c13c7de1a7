"""👍/👎 feedback: one JSON object per line, appended to a local file without ever interleaving."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from retrieval.answer.result import Result

try:  # POSIX only; elsewhere the in-process lock still serialises one bot's writes
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

Vote = Literal["up", "down"]


def user_hash(user_id: int) -> str:
    """A stable pseudonym for a Discord user id, so the file holds no raw ids."""
    return hashlib.sha256(f"pusherbot-feedback:{user_id}".encode()).hexdigest()[:16]


def feedback_record(
    *,
    question: str,
    shown: Sequence[Result],
    vote: Vote,
    user_id: int,
    guild_id: int | None,
    page: int,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The JSON object written for one vote."""
    return {
        "timestamp": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
        "vote": vote,
        "question": question,
        "page": page,
        "passages": [
            {
                "rank": r.rank,
                "score": round(float(r.score), 4),
                "citation": r.citation,
                "document": r.passage.doc,
                "start": r.passage.start,
                "end": r.passage.end,
                "quote": r.quote,
            }
            for r in shown
        ],
        "user": user_hash(user_id),
        "guild": guild_id,
    }


class FeedbackLog:
    """Appends records to a JSONL file; safe from many tasks, threads and bot processes at once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def append(self, record: dict[str, Any]) -> None:
        """Write one record as one line (blocking; see `record`)."""
        data = (json.dumps(record, ensure_ascii=False) + "\n").encode()
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # O_APPEND puts each write at the end even with other writers; the file lock keeps
            # other processes (other shards) from interleaving with a write split in pieces.
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                if fcntl is not None:
                    fcntl.flock(fd, fcntl.LOCK_EX)
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
            finally:
                os.close(fd)  # also releases the flock

    async def record(self, record: dict[str, Any]) -> None:
        """Append one record from a worker thread, so disk I/O never stalls the event loop."""
        await asyncio.to_thread(self.append, record)
