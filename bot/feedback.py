"""👍/👎 feedback: one JSON object per line, appended to a local file without ever interleaving.

No raw Discord ids are stored: mentions in the question become placeholders, and the voter is a
keyed hash (HMAC-SHA256) under a secret salt kept beside the feedback file, so a member list
cannot be hashed to find who voted. The salt is made on first use and never logged.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import os
import re
import secrets
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

SALT_BYTES = 32
# Discord's mention markup: users <@id> or <@!id>, roles <@&id>, channels <#id>, slash commands
# </name:id>. Each carries an id; the placeholder keeps what kind of mention it was.
_MENTIONS = (
    (re.compile(r"<@!?\d+>"), "@user"),
    (re.compile(r"<@&\d+>"), "@role"),
    (re.compile(r"<#\d+>"), "#channel"),
    (re.compile(r"</([\w -]+):\d+>"), r"/\1"),
)


class FeedbackError(OSError):
    """The salt file exists but is not one this bot wrote (votes are refused, not mis-hashed)."""


def without_mentions(text: str) -> str:
    """`text` with every Discord mention replaced by a placeholder such as `@user`."""
    for pattern, placeholder in _MENTIONS:
        text = pattern.sub(placeholder, text)
    return text


def salt_path(feedback_file: Path) -> Path:
    """Where the secret salt for `feedback_file` lives: beside it, `<name>.salt`."""
    return feedback_file.with_name(feedback_file.name + ".salt")


def load_salt(path: Path) -> bytes:
    """The secret salt in `path`, created (readable by its owner only) if there is none yet."""
    try:
        text = path.read_text(encoding="ascii")
    except FileNotFoundError:
        _create_salt(path)
        text = path.read_text(encoding="ascii")
    except UnicodeDecodeError:
        raise FeedbackError(f"{path} is not a pusherbot salt file") from None
    try:
        salt = bytes.fromhex(text.strip())
    except ValueError:
        salt = b""
    if len(salt) != SALT_BYTES:
        raise FeedbackError(f"{path} is not a pusherbot salt file")  # never its content
    return salt


def _create_salt(path: Path) -> None:
    """Write a new salt without ever replacing one: when processes race, the first one wins."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, (secrets.token_hex(SALT_BYTES) + "\n").encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(tmp, path)  # complete before it appears, and fails if another process won
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)


def feedback_record(
    *,
    question: str,
    shown: Sequence[Result],
    vote: Vote,
    user: str,
    guild_id: int | None,
    page: int,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The JSON object written for one vote; `user` is the voter's pseudonym, never an id."""
    return {
        "timestamp": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
        "vote": vote,
        "question": without_mentions(question),
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
        "user": user,
        "guild": guild_id,
    }


class FeedbackLog:
    """Appends records to a JSONL file; safe from many tasks, threads and bot processes at once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.salt_path = salt_path(path)
        self._lock = threading.Lock()
        self._salt: bytes | None = None  # loaded on the first vote, not at start-up

    def __repr__(self) -> str:
        return f"FeedbackLog({str(self.path)!r})"  # never the salt

    def pseudonym(self, user_id: int) -> str:
        """A stable pseudonym for a user id, keyed by this install's secret salt (blocking)."""
        with self._lock:
            if self._salt is None:
                self._salt = load_salt(self.salt_path)
            salt = self._salt
        return hmac.new(salt, str(user_id).encode("ascii"), hashlib.sha256).hexdigest()[:16]

    def append(self, record: dict[str, Any]) -> None:
        """Write one record as one line (blocking; see `vote`)."""
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

    async def vote(
        self,
        *,
        question: str,
        shown: Sequence[Result],
        vote: Vote,
        user_id: int,
        guild_id: int | None,
        page: int,
    ) -> None:
        """Record one vote (in a worker thread); raises OSError if it could not be saved."""

        def write() -> None:
            user = self.pseudonym(user_id)
            self.append(feedback_record(
                question=question, shown=shown, vote=vote, user=user, guild_id=guild_id, page=page
            ))

        await asyncio.to_thread(write)
