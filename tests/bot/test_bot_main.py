"""`python -m bot`: one-line exits for a missing or rejected token, engine first, token never shown;
and the client's intents, sharding and command sync."""

from __future__ import annotations

import asyncio
import gc
import io
import logging
import os
import signal
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import discord
import pytest
from bot_fakes import STATS

import bot.__main__ as entry
from bot.client import PusherBot, ShardedPusherBot, build_intents
from bot.settings import BotSettings
from retrieval.settings import Settings, declared

TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDE.not-a-real-token"
# every variable the bot reads, its own and the core's
BOT_ENV = [var.env for _, var in declared(BotSettings)] + [var.env for _, var in declared(Settings)]
RunMain = Callable[..., tuple[str, str]]  # the run_main fixture: (*argv, **methods) -> (out, err)


class StubEngine:
    """Stands in for the engine where only start-up is under test (loading it takes seconds)."""

    def answer(self, question: str, top_k: int | None = None) -> Any:
        raise AssertionError("start-up tests never answer")

    def stats(self) -> Any:
        return STATS


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No real settings leak in: empty working dir (no .env), no DISCORD_* variables."""
    monkeypatch.chdir(tmp_path)
    for name in BOT_ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """main() configures the root logger; put it back for the other tests."""
    root, faiss = logging.getLogger(), logging.getLogger("faiss")
    handlers, level, faiss_level = root.handlers[:], root.level, faiss.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    faiss.setLevel(faiss_level)


@pytest.fixture
def events(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The order of start-up steps; the engine loader is stubbed."""
    order: list[str] = []

    def load_engine(core: Any) -> StubEngine:
        order.append("engine")
        return StubEngine()

    monkeypatch.setattr(entry, "load_engine", load_engine)
    return order


@pytest.fixture
def run_main(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    events: list[str],
    restore_logging: None,
) -> RunMain:
    """Runs main(*argv) with a stub engine and these ShardedPusherBot methods; expects exit 1."""

    def run(
        *argv: str, token_in_env: bool = True, **methods: Callable[..., Awaitable[None]]
    ) -> tuple[str, str]:
        if token_in_env:
            monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
        for name, method in methods.items():
            monkeypatch.setattr(ShardedPusherBot, name, method)
        assert entry.main(list(argv)) == 1
        out, err = capsys.readouterr()
        return out, err

    return run


def test_missing_token_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], events: list[str]
) -> None:
    assert entry.main([]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err == entry.NO_TOKEN + "\n"
    assert "DISCORD_TOKEN" in err and ".env" in err
    assert events == []  # nothing slow happens before the token is known


def test_a_bad_setting_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
    monkeypatch.setenv("DISCORD_GUILD_ID", "my server")
    assert entry.main([]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "DISCORD_GUILD_ID" in err and TOKEN not in err


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("PUSHERBOT_COOLDOWN_PER", "inf"),
        ("PUSHERBOT_COOLDOWN_PER", "1e309"),
        ("PUSHERBOT_COOLDOWN_PER", "nan"),
        ("PUSHERBOT_VIEW_TIMEOUT", "nan"),
        ("PUSHERBOT_ABSTAIN_THRESHOLD", "inf"),
        ("PUSHERBOT_QUOTE_MAX_CHARS", "0"),
    ],
)
@pytest.mark.parametrize("where", ["environment", ".env"])
def test_a_bad_number_anywhere_is_one_line_naming_it_and_exit_2(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    events: list[str],
    variable: str,
    value: str,
    where: str,
) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
    if where == "environment":
        monkeypatch.setenv(variable, value)
    else:
        Path(".env").write_text(f"{variable}={value}\n", encoding="utf-8")
    assert entry.main([]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert err.startswith(f"pusherbot: {variable}: must be ") and repr(value) in err
    assert events == []  # refused before anything slow


def test_a_dotenv_that_is_not_utf8_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], events: list[str]
) -> None:
    Path(".env").write_bytes(b"DISCORD_TOKEN=abc\nPUSHERBOT_SPOILERS=vis\xe9\n")
    assert entry.main([]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("pusherbot: .env: not UTF-8 text")
    assert "Traceback" not in err and events == []


def test_an_env_file_that_does_not_exist_is_an_error_not_a_fallback(
    capsys: pytest.CaptureFixture[str], events: list[str]
) -> None:
    Path(".env").write_text(f"DISCORD_TOKEN={TOKEN}\n", encoding="utf-8")  # must not be used
    assert entry.main(["--env-file", "/etc/pusherbot.evn"]) == 2
    err = capsys.readouterr().err
    assert err == "pusherbot: --env-file /etc/pusherbot.evn: no such file\n"
    assert events == []


def test_the_env_file_option_is_read(run_main: RunMain, tmp_path: Path) -> None:
    env_file = tmp_path / "conf" / "pusherbot.env"
    env_file.parent.mkdir()
    env_file.write_text(f"DISCORD_TOKEN={TOKEN}\nPUSHERBOT_LOG_LEVEL=warning\n", encoding="utf-8")
    seen: list[str] = []

    async def login(self: discord.Client, token: str) -> None:
        seen.append(token)
        raise discord.LoginFailure("Improper token has been passed.")

    run_main("--env-file", str(env_file), token_in_env=False, login=login)
    assert seen == [TOKEN] and logging.getLogger().level == logging.WARNING


async def test_sigterm_closes_the_bot_through_a_task_kept_referenced(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    started, stopped = asyncio.Event(), asyncio.Event()
    referenced: list[bool] = []

    async def start(self: discord.Client, token: str, *, reconnect: bool = True) -> None:
        started.set()
        await stopped.wait()  # "connected" until closed

    async def close(self: discord.Client) -> None:
        if not referenced:  # the first close is SIGTERM's; the second the context manager's
            # the loop itself holds tasks only weakly: something else must, until it is done
            referenced.append(asyncio.current_task() in entry._background)
            await asyncio.sleep(0.01)
            gc.collect()
        stopped.set()

    monkeypatch.setattr(ShardedPusherBot, "start", start)
    monkeypatch.setattr(ShardedPusherBot, "close", close)
    settings = BotSettings(token=TOKEN, message_content=False, shard_count=1)
    before = signal.getsignal(signal.SIGTERM)
    running = asyncio.create_task(entry.run(settings, StubEngine()))
    await asyncio.wait_for(started.wait(), 5)
    os.kill(os.getpid(), signal.SIGTERM)
    await asyncio.wait_for(running, 5)
    assert referenced == [True]
    assert not entry._background  # released once done
    # the handler is removed again (asyncio restores the default one)
    assert signal.getsignal(signal.SIGTERM) in (before, signal.SIG_DFL)


def test_the_token_can_come_from_dotenv(run_main: RunMain) -> None:
    Path(".env").write_text(f"DISCORD_TOKEN={TOKEN}\n", encoding="utf-8")
    seen: list[str] = []

    async def login(self: discord.Client, token: str) -> None:
        seen.append(token)
        raise discord.LoginFailure("Improper token has been passed.")

    run_main(token_in_env=False, login=login)
    assert seen == [TOKEN]


def test_rejected_login_is_one_line_exit_1_after_loading_the_engine(
    run_main: RunMain, events: list[str]
) -> None:
    async def login(self: discord.Client, token: str) -> None:
        events.append("login")
        raise discord.LoginFailure("Improper token has been passed.")

    out, err = run_main("--log-level", "debug", login=login)
    assert events == ["engine", "login"]  # the engine is ready before Discord is contacted
    assert err.splitlines()[-1] == entry.BAD_TOKEN
    assert "Traceback" not in err and TOKEN not in out + err
    assert logging.getLogger().level == logging.DEBUG  # --log-level reached setup_logging


def test_missing_privileged_intent_is_one_line_exit_1(run_main: RunMain) -> None:
    async def login(self: discord.Client, token: str) -> None:
        """Accepts the token."""

    async def connect(self: discord.Client, *, reconnect: bool = True) -> None:
        raise discord.PrivilegedIntentsRequired(0)

    _, err = run_main(login=login, connect=connect)
    assert err.splitlines()[-1] == entry.NEEDS_INTENT and "Traceback" not in err


def test_discord_unreachable_is_one_line_exit_1(run_main: RunMain) -> None:
    async def login(self: discord.Client, token: str) -> None:
        raise OSError("Name or service not known")

    _, err = run_main(login=login)
    assert err.splitlines()[-1] == "pusherbot: cannot reach Discord: Name or service not known"
    assert "Traceback" not in err


def test_an_engine_that_cannot_load_is_one_line_exit_1(
    run_main: RunMain, monkeypatch: pytest.MonkeyPatch
) -> None:
    from retrieval.errors import SeedError

    def load_engine(core: Any) -> Any:
        raise SeedError("the seeds folder /nowhere does not exist")

    monkeypatch.setattr(entry, "load_engine", load_engine)
    _, err = run_main()
    assert err.splitlines()[-1] == "pusherbot: the seeds folder /nowhere does not exist"


def test_the_token_is_redacted_from_logs() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(entry.RedactToken(TOKEN))
    logger = logging.getLogger("test.redact")
    logger.addHandler(handler)
    try:
        logger.warning("identify with %s", TOKEN)
        logger.warning(f"plain {TOKEN}")
        logger.warning("unrelated %d", 3)
    finally:
        logger.removeHandler(handler)
    text = stream.getvalue()
    assert TOKEN not in text
    assert text.splitlines() == [
        "identify with [DISCORD_TOKEN]",
        "plain [DISCORD_TOKEN]",
        "unrelated 3",
    ]


def test_a_bad_log_level_is_an_argparse_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as e:
        entry.main(["--log-level", "loud"])
    assert e.value.code == 2


def test_intents_are_minimal_and_message_content_is_a_setting() -> None:
    with_content = build_intents(BotSettings())
    without = build_intents(BotSettings(message_content=False))
    expected = discord.Intents(guilds=True, guild_messages=True, dm_messages=True)
    assert without == expected
    assert with_content == discord.Intents(
        guilds=True, guild_messages=True, dm_messages=True, message_content=True
    )
    assert not with_content.members and not with_content.presences


async def test_the_sharded_bot_takes_its_shards_from_settings() -> None:
    settings = BotSettings(shard_count=4, shard_ids=(1, 3), message_content=False)
    async with ShardedPusherBot(settings, StubEngine()) as bot:
        assert isinstance(bot, discord.AutoShardedClient)
        assert (bot.shard_count, bot.shard_ids) == (4, [1, 3])
        assert bot.intents.message_content is False
        assert bot.allowed_mentions is not None
        assert bot.allowed_mentions.to_dict() == {"parse": []}


@pytest.mark.parametrize(
    ("bot_settings", "expected"),
    [
        (BotSettings(guild_id=1234), [1234]),
        (BotSettings(), [None]),
        (BotSettings(shard_count=2, shard_ids=(1,)), []),  # shard 0's process syncs
    ],
)
async def test_setup_hook_syncs_to_the_guild_or_globally(
    bot_settings: BotSettings, expected: list[int | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    bot = PusherBot(bot_settings, StubEngine())
    synced: list[int | None] = []

    async def sync(*, guild: discord.abc.Snowflake | None = None) -> list[Any]:
        synced.append(guild.id if guild else None)
        return []

    monkeypatch.setattr(bot.tree, "sync", sync)
    await bot.setup_hook()
    assert synced == expected
    names = {c.name for c in bot.tree.get_commands()}
    assert names == {"ask", "about"}
    if bot_settings.guild_id:  # the global commands were copied to the guild for instant use
        guild_cmds = bot.tree.get_commands(guild=discord.Object(id=bot_settings.guild_id))
        assert {c.name for c in guild_cmds} == {"ask", "about"}
    await bot.close()
