"""bot/settings.py: environment and .env parsing, validation, and a token that never shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import BotSettings, read_dotenv
from retrieval.errors import SettingsError

TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDE.secret-token-value"


def test_defaults_without_any_environment() -> None:
    s = BotSettings.from_env({}, dotenv=None)
    assert s.token is None and s.guild_id is None
    assert (s.cooldown_rate, s.cooldown_per) == (5, 30.0)
    assert s.show_spoilers is False and s.message_content is True
    assert s.feedback_file == Path("feedback.jsonl")
    assert s.shard_count is None and s.shard_ids is None and s.syncs_commands
    assert s.top_k == 9 and s.core.max_question_chars == 1000
    assert s.workers >= 1


def test_every_variable_is_read() -> None:
    env = {
        "DISCORD_TOKEN": f"  {TOKEN}\n",
        "DISCORD_GUILD_ID": "123456789012345678",
        "DISCORD_SHARD_COUNT": "8",
        "DISCORD_SHARD_IDS": "2-3, 5",
        "DISCORD_MESSAGE_CONTENT": "off",
        "PUSHERBOT_COOLDOWN_RATE": "2",
        "PUSHERBOT_COOLDOWN_PER": "10.5",
        "PUSHERBOT_SPOILERS": "show",
        "PUSHERBOT_FEEDBACK_FILE": "/tmp/votes.jsonl",
        "PUSHERBOT_LOG_LEVEL": "debug",
        "PUSHERBOT_MAX_PAGES": "2",
        "PUSHERBOT_VIEW_TIMEOUT": "60",
        "PUSHERBOT_WORKERS": "3",
        "PUSHERBOT_TOP_K": "4",  # a core setting passes through to the core's Settings
    }
    s = BotSettings.from_env(env, dotenv=None)
    assert s.token == TOKEN
    assert s.guild_id == 123456789012345678
    assert (s.shard_count, s.shard_ids) == (8, (2, 3, 5))
    assert s.syncs_commands is False  # shard 0 runs elsewhere
    assert s.message_content is False
    assert (s.cooldown_rate, s.cooldown_per) == (2, 10.5)
    assert s.show_spoilers is True
    assert s.feedback_file == Path("/tmp/votes.jsonl")
    assert s.log_level == "DEBUG" and s.max_pages == 2 and s.top_k == 6
    assert s.view_timeout == 60.0 and s.workers == 3
    assert s.core.top_k == 4


def test_the_token_is_not_in_repr_or_str() -> None:
    s = BotSettings.from_env({"DISCORD_TOKEN": TOKEN}, dotenv=None)
    assert TOKEN not in repr(s) and TOKEN not in str(s)
    assert "token" not in repr(s)


def test_dotenv_is_read_and_the_environment_wins(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        "# pusherbot\n"
        f"export DISCORD_TOKEN='{TOKEN}'\n"
        "DISCORD_GUILD_ID=42  # my test server\n"
        'PUSHERBOT_SPOILERS="show"\n'
        "not a setting\n"
        "PUSHERBOT_COOLDOWN_RATE=3\n",
        encoding="utf-8",
    )
    s = BotSettings.from_env({"PUSHERBOT_COOLDOWN_RATE": "7"}, dotenv=dotenv)
    assert s.token == TOKEN and s.guild_id == 42 and s.show_spoilers is True
    assert s.cooldown_rate == 7


def test_a_missing_dotenv_is_fine(tmp_path: Path) -> None:
    assert BotSettings.from_env({}, dotenv=tmp_path / "absent.env").token is None


def test_read_dotenv_keeps_hashes_inside_quotes(tmp_path: Path) -> None:
    f = tmp_path / ".env"
    f.write_text('A="x # y"\nB=z#w\nC=\n=nokey\n', encoding="utf-8")
    assert read_dotenv(f) == {"A": "x # y", "B": "z#w", "C": ""}


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DISCORD_GUILD_ID": "my-server"}, "DISCORD_GUILD_ID"),
        ({"PUSHERBOT_COOLDOWN_RATE": "0"}, "cooldown rate"),
        ({"PUSHERBOT_COOLDOWN_PER": "-1"}, "cooldown period"),
        ({"PUSHERBOT_COOLDOWN_PER": "soon"}, "PUSHERBOT_COOLDOWN_PER"),
        ({"PUSHERBOT_SPOILERS": "maybe"}, "PUSHERBOT_SPOILERS"),
        ({"DISCORD_MESSAGE_CONTENT": "perhaps"}, "DISCORD_MESSAGE_CONTENT"),
        ({"PUSHERBOT_LOG_LEVEL": "LOUD"}, "log level"),
        ({"PUSHERBOT_MAX_PAGES": "17"}, "max pages"),
        ({"PUSHERBOT_VIEW_TIMEOUT": "3600"}, "view timeout"),
        ({"DISCORD_SHARD_IDS": "0,1"}, "DISCORD_SHARD_COUNT"),
        ({"DISCORD_SHARD_COUNT": "2", "DISCORD_SHARD_IDS": "1-2"}, "DISCORD_SHARD_IDS"),
        ({"DISCORD_SHARD_COUNT": "4", "DISCORD_SHARD_IDS": "3-1"}, "backwards"),
        ({"DISCORD_SHARD_COUNT": "4", "DISCORD_SHARD_IDS": "one"}, "DISCORD_SHARD_IDS"),
        ({"DISCORD_SHARD_COUNT": "0"}, "DISCORD_SHARD_COUNT"),
        ({"PUSHERBOT_WORKERS": "0"}, "workers"),
    ],
)
def test_bad_values_are_one_line_errors(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message) as e:
        BotSettings.from_env(env, dotenv=None)
    assert "\n" not in str(e.value)


@pytest.mark.parametrize(
    ("raw", "show"),
    [("hide", False), ("HIDE", False), ("false", False), ("show", True), ("1", True)],
)
def test_spoiler_words(raw: str, show: bool) -> None:
    assert BotSettings.from_env({"PUSHERBOT_SPOILERS": raw}, dotenv=None).show_spoilers is show


def test_with_changes_some_fields_and_ignores_none() -> None:
    s = BotSettings().with_(log_level="WARNING", guild_id=None)
    assert s.log_level == "WARNING" and s.guild_id is None
