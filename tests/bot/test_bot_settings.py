"""bot/settings.py: the bot's settings, declared with the core's loader; a token that never shows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.settings import BotSettings
from retrieval.errors import SettingsError
from retrieval.settings import REPO_ROOT, Settings, Var, declared, environment

TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDE.secret-token-value"


def test_defaults_without_any_environment() -> None:
    s = BotSettings.from_env({})
    assert s.token is None and s.guild_id is None
    assert (s.cooldown_rate, s.cooldown_per) == (5, 30.0)
    assert s.show_spoilers is False and s.message_content is True
    assert s.feedback_file == Path("feedback.jsonl")
    assert s.shard_count is None and s.shard_ids is None and s.syncs_commands
    assert s.top_k == 9 and s.core == Settings()
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
    s = BotSettings.from_env(env)
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
    # every variable of that list is a declared one: nothing above is read by accident
    names = {var.env for _, var in declared(BotSettings)} | {v.env for _, v in declared(Settings)}
    assert set(env) <= names


def test_the_token_is_not_in_repr_str_or_any_error() -> None:
    s = BotSettings.from_env({"DISCORD_TOKEN": TOKEN})
    assert TOKEN not in repr(s) and TOKEN not in str(s)
    assert "token" not in repr(s)
    token_var = next(var for f, var in declared(BotSettings) if f.name == "token")
    assert TOKEN not in str(token_var.error(TOKEN))


def test_dotenv_is_read_and_the_environment_wins(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        "# pusherbot\n"
        f"export DISCORD_TOKEN='{TOKEN}'\n"
        "DISCORD_GUILD_ID=42  # my test server\n"
        'PUSHERBOT_SPOILERS="show"\n'
        "PUSHERBOT_COOLDOWN_RATE=3\n"
        "PUSHERBOT_COOLDOWN_PER=inf\n",  # invalid, but the environment's value wins
        encoding="utf-8",
    )
    env = environment(dotenv, environ={"PUSHERBOT_COOLDOWN_RATE": "7", "PUSHERBOT_COOLDOWN_PER": "9"})
    s = BotSettings.from_env(env)
    assert s.token == TOKEN and s.guild_id == 42 and s.show_spoilers is True
    assert (s.cooldown_rate, s.cooldown_per) == (7, 9.0)


def test_a_missing_default_dotenv_is_fine_a_missing_named_one_is_not(tmp_path: Path) -> None:
    assert environment(tmp_path / ".env", environ={}) == {}
    with pytest.raises(SettingsError, match=r"^--env-file .*absent\.env: no such file$"):
        environment(tmp_path / "absent.env", required=True, environ={},
                    label=f"--env-file {tmp_path / 'absent.env'}")


def test_a_dotenv_that_is_not_utf8_is_a_settings_error(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_bytes("PUSHERBOT_SPOILERS=vis\xe9\n".encode("latin-1"))
    with pytest.raises(SettingsError, match=r"\.env: not UTF-8 text") as e:
        environment(dotenv, environ={})
    assert "\n" not in str(e.value)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DISCORD_GUILD_ID": "my-server"}, "DISCORD_GUILD_ID: must be a server id"),
        ({"DISCORD_GUILD_ID": "-4"}, "DISCORD_GUILD_ID: must be a server id"),
        ({"PUSHERBOT_COOLDOWN_RATE": "0"}, "PUSHERBOT_COOLDOWN_RATE: must be a whole number"),
        ({"PUSHERBOT_COOLDOWN_PER": "-1"}, "PUSHERBOT_COOLDOWN_PER: must be a finite number > 0"),
        ({"PUSHERBOT_COOLDOWN_PER": "0"}, "PUSHERBOT_COOLDOWN_PER: must be a finite number > 0"),
        ({"PUSHERBOT_COOLDOWN_PER": "inf"}, "PUSHERBOT_COOLDOWN_PER: .*, not 'inf'$"),
        ({"PUSHERBOT_COOLDOWN_PER": "1e309"}, "PUSHERBOT_COOLDOWN_PER: .*, not '1e309'$"),
        ({"PUSHERBOT_COOLDOWN_PER": "nan"}, "PUSHERBOT_COOLDOWN_PER: .*, not 'nan'$"),
        ({"PUSHERBOT_COOLDOWN_PER": "soon"}, "PUSHERBOT_COOLDOWN_PER: "),
        ({"PUSHERBOT_SPOILERS": "maybe"}, "PUSHERBOT_SPOILERS: must be hide or show"),
        ({"DISCORD_MESSAGE_CONTENT": "perhaps"}, "DISCORD_MESSAGE_CONTENT: must be one of 1, true"),
        ({"PUSHERBOT_LOG_LEVEL": "LOUD"}, "PUSHERBOT_LOG_LEVEL: must be one of DEBUG"),
        ({"PUSHERBOT_MAX_PAGES": "17"}, "PUSHERBOT_MAX_PAGES: must be a whole number from 1 to 16"),
        ({"PUSHERBOT_VIEW_TIMEOUT": "3600"}, "PUSHERBOT_VIEW_TIMEOUT: .* <= 840"),
        ({"PUSHERBOT_VIEW_TIMEOUT": "nan"}, "PUSHERBOT_VIEW_TIMEOUT: "),
        ({"DISCORD_SHARD_IDS": "0,1"}, "DISCORD_SHARD_IDS: needs DISCORD_SHARD_COUNT"),
        ({"DISCORD_SHARD_COUNT": "2", "DISCORD_SHARD_IDS": "1-2"}, "DISCORD_SHARD_IDS: .* not 2$"),
        ({"DISCORD_SHARD_COUNT": "4", "DISCORD_SHARD_IDS": "3-1"}, "DISCORD_SHARD_IDS: .*'3-1'$"),
        ({"DISCORD_SHARD_COUNT": "4", "DISCORD_SHARD_IDS": "one"}, "DISCORD_SHARD_IDS: "),
        ({"DISCORD_SHARD_COUNT": "0"}, "DISCORD_SHARD_COUNT: "),
        ({"PUSHERBOT_WORKERS": "0"}, "PUSHERBOT_WORKERS: must be a whole number from 1 to 64"),
        ({"PUSHERBOT_WORKERS": "2.5"}, "PUSHERBOT_WORKERS: "),
        ({"PUSHERBOT_ABSTAIN_THRESHOLD": "nan"}, "PUSHERBOT_ABSTAIN_THRESHOLD: "),  # the core's
    ],
)
def test_bad_values_are_one_line_errors_that_start_with_the_variable(
    env: dict[str, str], message: str
) -> None:
    with pytest.raises(SettingsError) as e:
        BotSettings.from_env(env)
    assert re.match(message, str(e.value)), str(e.value)
    assert "\n" not in str(e.value)


BAD_TEXT = {"int": "many", "float": "nan", "bool": "maybe", "choice": "bogus", "custom": "?!"}


@pytest.mark.parametrize(
    "var",
    [v for _, v in declared(BotSettings)] + [v for _, v in declared(Settings)],
    ids=lambda v: v.env,
)
def test_every_declared_setting_names_itself_when_its_value_is_bad(var: Var) -> None:
    bad = "/no/such/folder" if var.existing_dir else BAD_TEXT.get(var.kind)
    if bad is None:
        assert var.kind in ("str", "path")  # any text is a valid path or string
        return
    with pytest.raises(SettingsError) as e:
        BotSettings.from_env({var.env: bad})
    assert str(e.value).startswith(f"{var.env}: must be "), str(e.value)
    assert "\n" not in str(e.value)


@pytest.mark.parametrize(
    ("raw", "show"),
    [("hide", False), ("HIDE", False), ("false", False), ("show", True), ("1", True)],
)
def test_spoiler_words(raw: str, show: bool) -> None:
    assert BotSettings.from_env({"PUSHERBOT_SPOILERS": raw}).show_spoilers is show


def test_with_changes_some_fields_ignores_none_and_checks_the_rest() -> None:
    s = BotSettings().with_(log_level="WARNING", guild_id=None)
    assert s.log_level == "WARNING" and s.guild_id is None
    with pytest.raises(SettingsError, match="^PUSHERBOT_COOLDOWN_PER: "):
        s.with_(cooldown_per=float("nan"))


def test_an_option_is_named_with_its_variable() -> None:
    with pytest.raises(SettingsError, match=r"^--log-level \(PUSHERBOT_LOG_LEVEL\): must be one of"):
        BotSettings.from_env({}, log_level="LOUD")


def test_the_docs_list_every_bot_setting() -> None:
    docs = (REPO_ROOT / "docs" / "discord.md").read_text(encoding="utf-8")
    for _, var in declared(BotSettings):
        assert f"| `{var.env}` |" in docs, var.env
