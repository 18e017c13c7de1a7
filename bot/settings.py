"""The bot's settings, declared with the core's settings machinery and read once at the entry point."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from retrieval.errors import SettingsError
from retrieval.fsutil import usable_cpus
from retrieval.settings import (
    FALSE_WORDS,
    TRUE_WORDS,
    Settings,
    Var,
    check_fields,
    environment,
    read_values,
    setting,
    setting_factory,
)

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# The buttons of an /ask reply are greyed out through the interaction's token, which lives
# 15 minutes; a timeout longer than this could never grey them out (bot/views.py caps it too).
MAX_VIEW_TIMEOUT = 14 * 60.0
PASSAGES_PER_PAGE = 3  # the quote plus two compact fields
MAX_PAGES = 50 // PASSAGES_PER_PAGE  # the core's top-k caps at 50


def default_workers() -> int:
    """Answering threads: one per core (the engine's Python parts hold the GIL)."""
    return usable_cpus()


def _spoiler_word(text: str) -> bool:
    """PUSHERBOT_SPOILERS: `hide` (spoiler tags) or `show` (plain text); true/false also work."""
    word = text.lower()
    if word in ("hide", "hidden", "tag", "tags") or word in FALSE_WORDS:
        return False
    if word in ("show", "shown", "plain") or word in TRUE_WORDS:
        return True
    raise ValueError(text)


def _shard_ids(text: str) -> tuple[int, ...]:
    """`0,1,2`, `0-3` or a mix such as `0-1,4`, as sorted unique ids."""
    ids: list[int] = []
    for part in re.split(r"[,\s]+", text):
        if not part:
            continue
        m = re.fullmatch(r"(\d{1,6})(?:-(\d{1,6}))?", part)
        if m is None:
            raise ValueError(part)
        lo, hi = int(m[1]), int(m[2] or m[1])
        if hi < lo:
            raise ValueError(part)  # a range that runs backwards
        ids.extend(range(lo, hi + 1))
    if not ids:
        raise ValueError(text)
    return tuple(sorted(set(ids)))


def _is_shard_ids(value: Any) -> bool:
    return (
        isinstance(value, tuple)
        and bool(value)
        and all(isinstance(i, int) and not isinstance(i, bool) and i >= 0 for i in value)
    )


SHARD_IDS = Var(
    "DISCORD_SHARD_IDS",
    "custom",
    "The shards this process runs, e.g. 0-3 or 0,2. Needs DISCORD_SHARD_COUNT.",
    parse=_shard_ids,
    valid=_is_shard_ids,
    need="shard ids such as 0,1,2 or ranges such as 0-3",
)


@dataclass(frozen=True, slots=True)
class BotSettings:
    """Everything the Discord bot can be told, wrapping the retrieval core's `Settings`."""

    token: str | None = setting(  # never shown: not in repr, not in any error message
        None,
        Var("DISCORD_TOKEN", "str", "The bot token from the Developer Portal.", secret=True),
        repr=False,
    )
    guild_id: int | None = setting(  # sync commands to this guild only (instant; for development)
        None,
        Var("DISCORD_GUILD_ID", "int", "Sync the slash commands to this one server only.",
            lo=1, hi=2**64 - 1, need="a server id (a positive whole number)"),
    )
    shard_count: int | None = setting(  # None: as many shards as Discord recommends
        None,
        Var("DISCORD_SHARD_COUNT", "int", "Total number of gateway shards, across all processes.",
            lo=1, hi=100_000),
    )
    shard_ids: tuple[int, ...] | None = setting(None, SHARD_IDS)  # None: all of them
    cooldown_rate: int = setting(
        5, Var("PUSHERBOT_COOLDOWN_RATE", "int", "Questions per user allowed within…", lo=1, hi=10**6)
    )
    cooldown_per: float = setting(
        30.0,
        Var("PUSHERBOT_COOLDOWN_PER", "float", "…this many seconds.", lo=0, above=True, hi=86_400),
    )
    show_spoilers: bool = setting(  # False: spoiler passages are wrapped in ||…||
        False,
        Var("PUSHERBOT_SPOILERS", "custom", "hide wraps spoiler passages in ||…||; show shows them.",
            parse=_spoiler_word, valid=lambda v: isinstance(v, bool), need="hide or show"),
    )
    feedback_file: Path = setting(
        Path("feedback.jsonl"),
        Var("PUSHERBOT_FEEDBACK_FILE", "path", "Where 👍/👎 votes are appended."),
    )
    message_content: bool = setting(
        True,
        Var("DISCORD_MESSAGE_CONTENT", "bool", "Request the privileged message-content intent."),
    )
    log_level: str = setting(
        "INFO",
        Var("PUSHERBOT_LOG_LEVEL", "choice", "How much the bot logs.", choices=LOG_LEVELS,
            flag="--log-level"),
    )
    max_pages: int = setting(
        3,
        Var("PUSHERBOT_MAX_PAGES", "int", "Pages of three passages behind More passages.",
            lo=1, hi=MAX_PAGES),
    )
    view_timeout: float = setting(
        600.0,
        Var("PUSHERBOT_VIEW_TIMEOUT", "float", "Seconds before a reply's buttons stop working.",
            lo=0, above=True, hi=MAX_VIEW_TIMEOUT),
    )
    workers: int = setting_factory(
        default_workers,
        Var("PUSHERBOT_WORKERS", "int", "Threads that compute answers.", lo=1, hi=64),
    )
    core: Settings = field(default_factory=Settings)

    def __post_init__(self) -> None:
        check_fields(self)
        if self.shard_ids is not None:
            if self.shard_count is None:
                raise SettingsError("DISCORD_SHARD_IDS: needs DISCORD_SHARD_COUNT as well")
            bad = [i for i in self.shard_ids if i >= self.shard_count]
            if bad:
                top = self.shard_count - 1
                raise SettingsError(
                    f"DISCORD_SHARD_IDS: must be within 0-{top} (DISCORD_SHARD_COUNT is "
                    f"{self.shard_count}), not {','.join(map(str, bad))}"
                )

    @property
    def top_k(self) -> int:
        """How many results one question fetches: every page the reply can show."""
        return self.max_pages * PASSAGES_PER_PAGE

    @property
    def syncs_commands(self) -> bool:
        """Whether this process syncs slash commands: only the one running shard 0 (or all)."""
        return self.shard_ids is None or 0 in self.shard_ids

    def with_(self, **changes: Any) -> BotSettings:
        """A copy with some fields changed (None values are ignored), checked like the original."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **options: object) -> BotSettings:
        """Defaults, then `env` (None: the environment over ./.env), then command-line `options`.

        The core's settings (PUSHERBOT_SEEDS, PUSHERBOT_TOP_K, …) come from the same variables.
        """
        env = environment() if env is None else env
        return cls(core=Settings.from_env(env), **read_values(cls, env, options))
