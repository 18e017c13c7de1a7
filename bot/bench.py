"""Benchmark: questions per second through the bot's own message handler, with the real engine.

Messages are fed through dpytest's simulated Discord (the dev extra), so each question takes the
real path: gateway event parsing, MentionsCog.on_message, cooldown, the engine in a worker
thread, embed building, and the reply's HTTP payload. A ticker task measures how long the event
loop is ever kept from running (its longest stall), which is what would delay heartbeats.

    python -m bot.bench [--questions 500] [--sequential 50] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from bot.answering import AnswerEngine
from bot.settings import BotSettings
from retrieval.errors import SettingsError
from retrieval.fsutil import usable_cpus
from retrieval.settings import Settings

QUESTIONS = [
    "who plays the duke?",
    "who directed Pusher II?",
    "when was the film released?",
    "what do reviewers think of Mads Mikkelsen?",
    "Is the film violent?",
    "who is Kurt the Cunt?",
    "what does Tonny's tattoo say?",
    "where was the film shot?",
    "what is the music like?",
    "how does the film end?",
    "who plays Tonny?",
    "what is the capital of France?",
    "is Pusher II better than the first film?",
    "what happens to Tonny's baby?",
    "how was the film received by critics?",
]
TICK = 0.001  # the stall monitor's sleep; lateness beyond it is time the loop was blocked
PACED_RATE = 50.0  # questions/s offered in the paced phase: the throughput target


class _ErrorCounter(logging.Handler):
    """Counts answers that failed (logged by the bot with their traceback)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class StallMonitor:
    """Sleeps TICK in a loop and records how late each wake-up is.

    Lateness is wall time, so it also counts time the process waited for a CPU (other load on
    the machine) or for the GIL; `busy` is the loop thread's own CPU time over the same tick,
    i.e. how long loop code really ran without yielding.
    """

    def __init__(self) -> None:
        self.stalls: list[float] = []
        self.busy: list[float] = []
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            start, cpu = time.perf_counter(), time.thread_time()
            await asyncio.sleep(TICK)
            self.stalls.append(time.perf_counter() - start - TICK)
            self.busy.append(time.thread_time() - cpu)

    def start(self) -> None:
        """Begin measuring."""
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        """Stop measuring."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)


def _percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def _drive(
    engine: AnswerEngine, n_burst: int, n_sequential: int, paced_seconds: float, workers: int | None
) -> dict[str, Any]:
    """Run the sequential, paced and burst phases against a dpytest-configured bot."""
    import discord.ext.test as dpytest
    from discord.ext.test import backend

    from bot.client import PusherBot, build_intents

    feedback = Path(tempfile.mkdtemp(prefix="pusherbot-bench-")) / "feedback.jsonl"
    settings = BotSettings(cooldown_rate=10**6, feedback_file=feedback).with_(workers=workers)
    intents = build_intents(settings)
    intents.members = True  # dpytest builds its guild from member events
    bot = PusherBot(settings, engine, intents=intents, sync_commands=False)
    await bot._async_setup_hook()
    await bot.setup_hook()
    dpytest.configure(bot, members=5)
    config = dpytest.get_config()
    channel, members = config.channels[0], config.members
    assert bot.user is not None
    prefix = f"<@{bot.user.id}> "

    # Time each handler from the moment its message arrives to the moment its reply is sent.
    cog = bot.get_cog("MentionsCog")
    arrived: dict[int, float] = {}
    latencies: list[float] = []
    progress = asyncio.Condition()
    original: Callable[..., Awaitable[None]] = cog._answer  # type: ignore[union-attr]

    async def timed(message: Any, question: str) -> None:
        await original(message, question)
        latencies.append(time.perf_counter() - arrived.pop(message.id))
        async with progress:
            progress.notify_all()

    cog._answer = timed  # type: ignore[union-attr]

    async def done(count: int) -> None:
        async with progress:
            await asyncio.wait_for(progress.wait_for(lambda: len(latencies) >= count), 300)

    async def feed(n: int, *, rate: float | None = None, one_by_one: bool = False) -> float:
        """Send n questions: all at once, at `rate` per second, or each after the last reply."""
        latencies.clear()
        start = time.perf_counter()
        for i in range(n):
            now = time.perf_counter()
            message = backend.make_message(
                prefix + QUESTIONS[i % len(QUESTIONS)], members[i % len(members)], channel
            )
            arrived[message.id] = now
            if one_by_one:
                await done(i + 1)
            elif rate is not None:
                await asyncio.sleep(max(0.0, start + (i + 1) / rate - time.perf_counter()))
            else:
                await asyncio.sleep(0)  # messages arrive one event at a time, as from a gateway
        await done(n)
        elapsed = time.perf_counter() - start
        await dpytest.empty_queue()
        return elapsed

    errors = _ErrorCounter()
    bot_log = logging.getLogger("bot")
    bot_log.addHandler(errors)
    bot_log.propagate = False  # counted, not printed: the table says how many
    await feed(10)  # warm-up: thread pool, caches
    sequential_wall = await feed(n_sequential, one_by_one=True)
    sequential = list(latencies)
    paced_monitor = StallMonitor()
    paced_monitor.start()
    await feed(round(PACED_RATE * paced_seconds), rate=PACED_RATE)
    await paced_monitor.stop()
    paced = list(latencies)
    monitor = StallMonitor()
    monitor.start()
    burst_wall = await feed(n_burst)
    await monitor.stop()
    burst = list(latencies)
    bot_log.removeHandler(errors)
    bot_log.propagate = True
    memory = _conversation_memory(bot, N_CONVERSATIONS)
    # no bot.close(): dpytest's fake gateway cannot be closed; asyncio.run cleans up
    return {
        "errors": errors.count,
        "cpus": usable_cpus(),
        "workers": settings.workers,
        "burst_questions": n_burst,
        "burst_seconds": burst_wall,
        "questions_per_second": n_burst / burst_wall,
        "burst_latency_p50_ms": _percentile(burst, 50) * 1000,
        "burst_latency_p95_ms": _percentile(burst, 95) * 1000,
        "burst_latency_max_ms": max(burst) * 1000,
        "sequential_questions": n_sequential,
        "sequential_questions_per_second": n_sequential / sequential_wall,
        "sequential_latency_p50_ms": statistics.median(sequential) * 1000,
        "sequential_latency_p95_ms": _percentile(sequential, 95) * 1000,
        "loop_stall_max_ms": max(monitor.stalls) * 1000,
        "loop_stall_p99_ms": _percentile(monitor.stalls, 99) * 1000,
        "loop_busy_max_ms": max(monitor.busy) * 1000,
        "paced_rate": PACED_RATE,
        "paced_questions": len(paced),
        "paced_latency_p50_ms": _percentile(paced, 50) * 1000,
        "paced_latency_p95_ms": _percentile(paced, 95) * 1000,
        "paced_latency_max_ms": max(paced) * 1000,
        "paced_loop_stall_max_ms": max(paced_monitor.stalls) * 1000,
        "loop_cpu_ms_per_question": sum(monitor.busy) / n_burst * 1000,
        **memory,
    }


N_CONVERSATIONS = 10_000  # live conversations whose memory is measured (target: <= 50 MB)


def _rss_bytes() -> int | None:
    """This process's resident memory now (Linux /proc), or None where it cannot be read."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return None


def _conversation_memory(bot: Any, n: int) -> dict[str, Any]:
    """RSS added by `n` live conversations, each as the bot keeps one after a real answer: the
    user's last turn, the turn of the reply, and the question record an edit would use. The
    turns are the engine's own for the benchmark's questions, with every string made distinct
    (as n different users' questions and quotes would be)."""
    import gc

    from retrieval.conversation.context import Turn

    samples: list[Turn] = []
    previous: Turn | None = None
    for q in QUESTIONS:
        exchange = bot.answerer.dialogue.respond(q, previous, bot.settings.top_k)
        if exchange.turn is not None:
            samples.append(exchange.turn)
            previous = exchange.turn
    conversations = bot.conversations
    conversations.turns.clear()
    conversations.replies.clear()
    conversations.asked.clear()
    gc.collect()
    before = _rss_bytes()
    base_id = 10**17
    for i in range(n):
        t = samples[i % len(samples)]
        q = f"{t.question} ({i})"
        quote = t.quote[:-1] + t.quote[-1:] if t.quote else None  # a string of its own
        turn = Turn(question=q, resolved=f"{t.resolved} ({i})", focus=t.focus, named=t.named,
                    answer_type=t.answer_type, aspect=t.aspect, shown=tuple(t.shown),
                    answered=t.answered, quote=quote)
        conversations.remember(base_id + i % 50, base_id + i, turn, base_id + 3 * i + 1,
                               question_id=base_id + 3 * i + 2, previous=previous, text=q)
    gc.collect()
    after = _rss_bytes()
    live = len(conversations)
    added = (after - before) / 1e6 if before is not None and after is not None else None
    conversations.turns.clear()
    conversations.replies.clear()
    conversations.asked.clear()
    return {"conversations": live, "conversations_rss_mb": added}


def run(
    engine: AnswerEngine,
    n_burst: int = 500,
    n_sequential: int = 50,
    paced_seconds: float = 5.0,
    workers: int | None = None,
) -> dict[str, Any]:
    """Measure the bot's handler throughput and event-loop stalls; returns the numbers."""
    return asyncio.run(_drive(engine, n_burst, n_sequential, paced_seconds, workers))


def _table(r: dict[str, Any]) -> str:
    ms = "{:.1f} / {:.1f} / {:.1f} ms".format
    rows = [
        ("engine load", f"{r['engine_load_seconds']:.2f} s"),
        ("CPUs / answering threads", f"{r['cpus']} / {r['workers']}"),
        (f"one at a time ({r['sequential_questions']} questions)", ""),
        ("  throughput", f"{r['sequential_questions_per_second']:.1f} questions/s"),
        ("  latency p50 / p95", f"{r['sequential_latency_p50_ms']:.1f} / "
                                f"{r['sequential_latency_p95_ms']:.1f} ms"),
        (f"paced at {r['paced_rate']:.0f}/s ({r['paced_questions']} questions)", ""),
        ("  latency p50 / p95 / max", ms(r["paced_latency_p50_ms"], r["paced_latency_p95_ms"],
                                         r["paced_latency_max_ms"])),
        ("  longest event-loop stall", f"{r['paced_loop_stall_max_ms']:.1f} ms"),
        (f"burst ({r['burst_questions']} questions at once)", ""),
        ("  throughput", f"{r['questions_per_second']:.1f} questions/s  (target ≥ 50)"),
        ("  latency p50 / p95 / max", ms(r["burst_latency_p50_ms"], r["burst_latency_p95_ms"],
                                         r["burst_latency_max_ms"])),
        ("  longest event-loop stall", f"{r['loop_stall_max_ms']:.1f} ms  (target ≤ 50)"),
        ("  event-loop stall p99", f"{r['loop_stall_p99_ms']:.1f} ms"),
        ("  longest loop CPU run", f"{r['loop_busy_max_ms']:.1f} ms"),
        ("  loop CPU per question", f"{r['loop_cpu_ms_per_question']:.2f} ms"),
        ("failed answers (all phases)", str(r["errors"])),
        (f"memory of {r['conversations']:,} live conversations",
         "n/a" if r["conversations_rss_mb"] is None
         else f"{r['conversations_rss_mb']:.1f} MB RSS  (target ≤ 50)"),
    ]
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"{k:<{width}}  {v}".rstrip() for k, v in rows)


def main(argv: list[str] | None = None) -> int:
    """Load the engine, run the benchmark, print a table (or JSON)."""
    p = argparse.ArgumentParser(prog="python -m bot.bench", description=__doc__.splitlines()[0])
    p.add_argument("--questions", type=int, default=500, help="questions in the burst (500)")
    p.add_argument("--sequential", type=int, default=50, help="questions one at a time (50)")
    p.add_argument("--paced-seconds", type=float, default=5.0, help="paced phase length (5)")
    p.add_argument("--workers", type=int, help="answering threads (default: one per core)")
    p.add_argument("--index-dir", type=Path, help="index folder (default: the configured one)")
    p.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = p.parse_args(argv)
    try:
        import discord.ext.test  # noqa: F401
    except ImportError:
        print("pusherbot: the benchmark needs dpytest: pip install -e '.[dev]'", file=sys.stderr)
        return 2
    from bot.__main__ import load_engine

    try:
        core = Settings.from_env(index_dir=args.index_dir)  # read once, as the bot reads it
    except SettingsError as e:
        print(f"pusherbot: {e}", file=sys.stderr)
        return 2
    start = time.perf_counter()
    engine = load_engine(core)  # as the bot loads it
    load_seconds = time.perf_counter() - start
    numbers = run(engine, args.questions, args.sequential, args.paced_seconds, args.workers)
    result = {"engine_load_seconds": load_seconds, **numbers}
    print(json.dumps(result, indent=2) if args.json else _table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
