"""bot/feedback.py: one intact JSON line per vote, even with many writers at once."""

from __future__ import annotations

import asyncio
import json
import multiprocessing
from datetime import UTC, datetime
from pathlib import Path

from bot_fakes import make_answer

from bot.feedback import FeedbackLog, feedback_record, user_hash


def test_record_holds_question_passages_vote_and_a_pseudonymous_user() -> None:
    answer = make_answer("who is the duke?", ["Leif Sylvester as the Duke.", "Second."])
    rec = feedback_record(
        question=answer.question,
        shown=answer.results,
        vote="up",
        user_id=123456789012345678,
        guild_id=42,
        page=0,
        now=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    )
    assert rec["timestamp"] == "2026-01-02T03:04:05+00:00"
    assert rec["vote"] == "up" and rec["question"] == "who is the duke?" and rec["page"] == 0
    assert [p["quote"] for p in rec["passages"]] == ["Leif Sylvester as the Duke.", "Second."]
    assert rec["passages"][0]["citation"] == "Wikipedia — Pusher II › Cast"
    assert rec["user"] == user_hash(123456789012345678) != "123456789012345678"
    assert "123456789012345678" not in json.dumps(rec)
    assert rec["guild"] == 42


def test_user_hash_is_stable_and_distinct() -> None:
    assert user_hash(1) == user_hash(1) != user_hash(2)


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


async def test_many_concurrent_writers_never_interleave(tmp_path: Path) -> None:
    log = FeedbackLog(tmp_path / "sub" / "feedback.jsonl")  # the folder is created on demand
    big = "ø" * 70_000  # larger than a pipe buffer: a non-atomic write would show
    await asyncio.gather(*(log.record({"n": i, "pad": big}) for i in range(200)))
    rows = _lines(log.path)
    assert sorted(r["n"] for r in rows) == list(range(200))
    assert all(r["pad"] == big for r in rows)


def _write_from_process(path: str, start: int) -> None:
    log = FeedbackLog(Path(path))
    for i in range(start, start + 50):
        log.append({"n": i, "pad": "x" * 20_000})


def test_several_processes_share_one_file(tmp_path: Path) -> None:
    path = tmp_path / "feedback.jsonl"
    ctx = multiprocessing.get_context("spawn")  # like separate shard processes
    procs = [ctx.Process(target=_write_from_process, args=(str(path), k * 50)) for k in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    assert sorted(r["n"] for r in _lines(path)) == list(range(150))
