"""bot/feedback.py: one intact JSON line per vote, even with many writers at once."""

from __future__ import annotations

import asyncio
import json
import multiprocessing
from datetime import UTC, datetime
from pathlib import Path

import pytest
from bot_fakes import make_answer

from bot.feedback import FeedbackLog, feedback_record, without_mentions


def test_record_holds_question_passages_vote_and_the_pseudonym_given() -> None:
    answer = make_answer("who is the duke?", ["Leif Sylvester as the Duke.", "Second."])
    rec = feedback_record(
        question=answer.question,
        shown=answer.results,
        vote="up",
        user="5f1c0e0a9b8c7d6e",
        guild_id=42,
        page=0,
        now=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    )
    assert rec["timestamp"] == "2026-01-02T03:04:05+00:00"
    assert rec["vote"] == "up" and rec["question"] == "who is the duke?" and rec["page"] == 0
    assert [p["quote"] for p in rec["passages"]] == ["Leif Sylvester as the Duke.", "Second."]
    assert rec["passages"][0]["citation"] == "Wikipedia — Pusher II › Cast"
    assert rec["user"] == "5f1c0e0a9b8c7d6e" and rec["guild"] == 42


def test_mentions_become_placeholders() -> None:
    text = "ask <@123456789012345678>, <@!223456789012345678>, <@&3234> in <#4234> via </ask:5234>"
    out = without_mentions(text)
    assert out == "ask @user, @user, @role in #channel via /ask"
    assert not any(ch.isdigit() for ch in out)
    assert without_mentions("who plays the duke? @everyone") == "who plays the duke? @everyone"


def test_pseudonyms_are_stable_distinct_and_keyed(tmp_path: Path) -> None:
    a = FeedbackLog(tmp_path / "a" / "feedback.jsonl")
    b = FeedbackLog(tmp_path / "b" / "feedback.jsonl")  # another install, another salt
    assert a.pseudonym(1) == a.pseudonym(1) != a.pseudonym(2)
    assert a.pseudonym(1) != b.pseudonym(1)
    assert len(a.pseudonym(1)) == 16


def test_a_damaged_salt_refuses_votes_instead_of_changing_pseudonyms(tmp_path: Path) -> None:
    log = FeedbackLog(tmp_path / "feedback.jsonl")
    log.salt_path.write_text("not a salt\n", encoding="ascii")
    with pytest.raises(OSError, match="not a pusherbot salt file") as e:
        log.pseudonym(1)
    assert "not a salt" not in str(e.value)  # the file's content is never shown
    assert log.salt_path.read_text(encoding="ascii") == "not a salt\n"  # and never replaced


def _make_salt(path: str, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    out.put(FeedbackLog(Path(path)).pseudonym(7))


def test_processes_racing_to_create_the_salt_agree_on_one(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    procs = [ctx.Process(target=_make_salt, args=(str(tmp_path / "f.jsonl"), out)) for _ in range(3)]
    for p in procs:
        p.start()
    names = {out.get(timeout=60) for _ in procs}
    for p in procs:
        p.join(60)
    assert len(names) == 1 and names == {FeedbackLog(tmp_path / "f.jsonl").pseudonym(7)}
    assert [p.name for p in tmp_path.iterdir()] == ["f.jsonl.salt"]  # no temporary file left


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
