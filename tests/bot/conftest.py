"""Shared fixtures: dpytest-driven bots on the session's real engine (tests/conftest.py)."""

from __future__ import annotations

import glob
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import discord
import discord.abc
import discord.ext.test as dpytest
import pytest
import pytest_asyncio
from bot_fakes import BotFactory, assert_no_pings
from fake_discord import FakeDiscord

from bot.answering import AnswerEngine
from bot.client import PusherBot, build_intents
from bot.settings import BotSettings
from retrieval.engine import Engine


@pytest.fixture
def bot_settings(tmp_path: Path) -> BotSettings:
    """Default bot settings, with the feedback file in the test's temp dir."""
    return BotSettings(feedback_file=tmp_path / "feedback.jsonl")


@pytest.fixture
def sent_payloads(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The JSON payload of every channel message the bot sends (dpytest drops allowed_mentions)."""
    payloads: list[dict[str, Any]] = []
    original = discord.abc.handle_message_parameters

    def recording(*args: Any, **kwargs: Any) -> Any:
        params = original(*args, **kwargs)
        payloads.append(params.payload)
        return params

    monkeypatch.setattr(discord.abc, "handle_message_parameters", recording)
    return payloads


@pytest.fixture
def discord_api(monkeypatch: pytest.MonkeyPatch) -> FakeDiscord:
    """Discord's side of slash commands and button clicks; `make_bot` attaches each bot to it."""
    api = FakeDiscord()
    api.install(monkeypatch)
    return api


@pytest_asyncio.fixture
async def make_bot(
    engine: Engine,
    bot_settings: BotSettings,
    sent_payloads: list[dict[str, Any]],
    discord_api: FakeDiscord,
) -> AsyncIterator[BotFactory]:
    """Builds a bot wired to dpytest's fake Discord (and `discord_api` for interactions);
    checks afterwards that nothing it sent could ping."""
    bots: list[PusherBot] = []

    async def factory(
        *, engine: AnswerEngine = engine, members: int = 3, **changes: Any
    ) -> PusherBot:
        s = bot_settings.with_(**changes)
        intents = build_intents(s)
        intents.members = True  # dpytest builds its fake guild from member events
        bot = PusherBot(s, engine, intents=intents, sync_commands=False)
        await bot._async_setup_hook()  # dpytest needs the loop attached before configure
        await bot.setup_hook()
        dpytest.configure(bot, members=members)
        # dpytest replaces the connection state; the tree registered itself with the old one
        bot._connection._command_tree = bot.tree
        discord_api.attach(bot)
        bots.append(bot)
        return bot

    yield factory
    await dpytest.empty_queue()
    # every message sent during the test, whatever it asserted, in channels and to interactions
    for payload in [*sent_payloads, *discord_api.message_payloads()]:
        assert_no_pings(payload)
    for bot in bots:  # dpytest's fake gateway cannot be closed: stop what bot.close() would
        store = bot._connection._view_store
        for view in {item.view for items in store._views.values() for item in items.values()}:
            if view is not None:
                view.stop()  # no timeout task outlives the test's event loop
        bot.answerer.close()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """dpytest writes attachments to ./dpytest_*.dat; none are expected, but never leave any."""
    for path in glob.glob("dpytest_*.dat"):
        os.remove(path)
