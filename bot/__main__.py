"""`python -m bot` (and `pusherbot discord`): load the engine once, then connect to Discord."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
import signal
import sys
from pathlib import Path

import aiohttp
import discord

from bot.answering import AnswerEngine
from bot.settings import LOG_LEVELS, BotSettings
from retrieval.errors import PusherbotError, SettingsError
from retrieval.settings import DOTENV, Settings, environment

log = logging.getLogger("bot")

NO_TOKEN = (
    "pusherbot: no Discord token: set DISCORD_TOKEN in the environment or put "
    "DISCORD_TOKEN=<token> in a .env file in the working directory (see docs/discord.md)"
)
BAD_TOKEN = (
    "pusherbot: Discord rejected the token in DISCORD_TOKEN; copy a fresh one from the "
    "Developer Portal (Bot → Reset Token)"
)
NEEDS_INTENT = (
    "pusherbot: the Message Content intent is not enabled for this application; enable it in "
    "the Developer Portal (Bot → Privileged Gateway Intents) or set DISCORD_MESSAGE_CONTENT=0"
)


def build_parser() -> argparse.ArgumentParser:
    """The command-line options of the bot."""
    via_cli = Path(sys.argv[0]).name == "pusherbot"  # `pusherbot discord` hands over to main()
    p = argparse.ArgumentParser(
        prog="pusherbot discord" if via_cli else "python -m bot",
        description="Run the pusherbot Discord bot (settings come from the environment and .env).",
    )
    p.add_argument("--log-level", type=str.upper, choices=LOG_LEVELS, help="default: INFO")
    p.add_argument(
        "--env-file",
        type=Path,
        default=None,
        help="the .env file to read; it must exist (default: .env in the working directory, if any)",
    )
    return p


FULL_COLLECTION_EVERY = 1000  # gen-1 collections between full ones (the default is 10)


def load_engine(core: Settings) -> AnswerEngine:
    """Load the model and the index (slow: seconds); the bot shares this one engine."""
    from retrieval.engine import Engine  # heavy imports (torch, faiss) only when running

    engine = Engine.load(core)
    engine.warm_up()  # lazy parts (encoder session, caches) load now, not on a user's question
    # The engine's objects live as long as the process: freezing them keeps the collector's full
    # passes (which run on whichever thread allocates, often the event loop) short.
    gc.freeze()
    # Answers keep small caches (term sets, quote names) that count as long-lived objects; with
    # the default thresholds full passes over them ran every few hundred answers and stalled
    # the event loop for up to 70 ms (python -m bot.bench). Young collections are unchanged.
    gen0, gen1, _ = gc.get_threshold()
    gc.set_threshold(gen0, gen1, FULL_COLLECTION_EVERY)
    return engine


class RedactToken(logging.Filter):
    """Replaces the token in any log line, in case a library ever logs it."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self._token = token

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message without the token; never drops a record."""
        message = record.getMessage()
        if self._token in message:
            record.msg, record.args = message.replace(self._token, "[DISCORD_TOKEN]"), None
        return True


def setup_logging(settings: BotSettings) -> None:
    """discord.py's log format on stderr, at the configured level, with the token redacted."""
    discord.utils.setup_logging(level=getattr(logging, settings.log_level))
    if settings.log_level != "DEBUG":
        logging.getLogger("faiss").setLevel(logging.WARNING)  # which CPU build loaded, at INFO
    assert settings.token is not None
    redact = RedactToken(settings.token)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)


async def run(settings: BotSettings, engine: AnswerEngine) -> None:
    """Connect and serve until the process is stopped."""
    from bot.client import ShardedPusherBot

    assert settings.token is not None
    loop = asyncio.get_running_loop()
    async with ShardedPusherBot(settings, engine) as bot:
        handles_sigterm = False
        with contextlib.suppress(NotImplementedError):  # no signal handlers on Windows
            # `docker stop` and systemd send SIGTERM: close the gateway cleanly, as Ctrl-C does
            loop.add_signal_handler(signal.SIGTERM, lambda: keep(loop.create_task(bot.close())))
            handles_sigterm = True
        try:
            await bot.start(settings.token)
        finally:
            if handles_sigterm:
                loop.remove_signal_handler(signal.SIGTERM)


# The event loop holds only weak references to tasks: one nobody references can be collected
# before it finishes, so closing on SIGTERM could stop halfway. These are kept until done.
_background: set[asyncio.Task[None]] = set()


def keep(task: asyncio.Task[None]) -> asyncio.Task[None]:
    """Hold a reference to `task` until it is done."""
    _background.add(task)
    task.add_done_callback(_background.discard)
    return task


def main(argv: list[str] | None = None) -> int:
    """Run the bot; returns the exit code (2: bad settings, 1: Discord refused or load failed)."""
    args = build_parser().parse_args(argv)
    try:
        # Read once, here: an --env-file that is not there is a mistake, a missing ./.env is not.
        env = environment(
            args.env_file or DOTENV,
            required=args.env_file is not None,
            label=f"--env-file {args.env_file}" if args.env_file is not None else None,
        )
        settings = BotSettings.from_env(env, log_level=args.log_level)
    except SettingsError as e:
        print(f"pusherbot: {e}", file=sys.stderr)
        return 2
    if not settings.token:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    setup_logging(settings)
    try:
        log.info("loading the engine (model and index)")
        engine = load_engine(settings.core)  # before connecting: every handler shares it
    except SettingsError as e:  # a setting only the load can judge (e.g. the model folder's files)
        print(f"pusherbot: {e}", file=sys.stderr)
        return 2
    except PusherbotError as e:
        print(f"pusherbot: {e}", file=sys.stderr)
        return 1
    try:
        asyncio.run(run(settings, engine))
    except discord.LoginFailure:
        print(BAD_TOKEN, file=sys.stderr)
        return 1
    except discord.PrivilegedIntentsRequired:
        print(NEEDS_INTENT, file=sys.stderr)
        return 1
    except (discord.HTTPException, discord.GatewayNotFound, aiohttp.ClientError, OSError) as e:
        print(f"pusherbot: cannot reach Discord: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        log.info("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
