"""The bot's settings: one frozen object, read once at the entry point from env and .env."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from retrieval.errors import SettingsError
from retrieval.fsutil import usable_cpus
from retrieval.settings import Settings

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# Ephemeral replies can only be edited through the interaction token, which lives 15 minutes;
# a view that outlives it could not disable its buttons on timeout.
MAX_VIEW_TIMEOUT = 14 * 60.0
PASSAGES_PER_PAGE = 3  # the quote plus two compact fields, as the issue asks

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")
_N = TypeVar("_N", int, float)


@dataclass(frozen=True, slots=True)
class BotSettings:
    """Everything the Discord bot can be told, wrapping the retrieval core's `Settings`."""

    token: str | None = field(default=None, repr=False)  # never shown, not even in repr
    guild_id: int | None = None  # sync commands to this guild only (instant; for development)
    shard_count: int | None = None  # None: as many shards as Discord recommends
    shard_ids: tuple[int, ...] | None = None  # the shards this process runs; None: all
    cooldown_rate: int = 5  # questions per user ...
    cooldown_per: float = 30.0  # ... per this many seconds
    show_spoilers: bool = False  # False: spoiler passages are wrapped in ||…||
    feedback_file: Path = Path("feedback.jsonl")
    message_content: bool = True  # request the privileged message-content intent
    log_level: str = "INFO"
    max_pages: int = 3  # pages of PASSAGES_PER_PAGE results behind "More passages"
    view_timeout: float = 600.0  # seconds before a reply's buttons stop working
    workers: int = field(default_factory=lambda: default_workers())  # threads answering
    core: Settings = field(default_factory=Settings)

    def __post_init__(self) -> None:
        if self.cooldown_rate < 1:
            raise SettingsError(f"cooldown rate must be at least 1, not {self.cooldown_rate}")
        if self.cooldown_per <= 0:
            raise SettingsError(f"cooldown period must be positive, not {self.cooldown_per}")
        if self.log_level not in LOG_LEVELS:
            raise SettingsError(f"log level must be one of {', '.join(LOG_LEVELS)}")
        if not 1 <= self.max_pages <= 50 // PASSAGES_PER_PAGE:  # the core's top-k caps at 50
            raise SettingsError(f"max pages must be between 1 and {50 // PASSAGES_PER_PAGE}")
        if not 0 < self.view_timeout <= MAX_VIEW_TIMEOUT:
            raise SettingsError(f"view timeout must be within 1..{MAX_VIEW_TIMEOUT:.0f} seconds")
        if not 1 <= self.workers <= 64:
            raise SettingsError(f"workers must be between 1 and 64, not {self.workers}")
        if self.shard_count is not None and self.shard_count < 1:
            raise SettingsError(f"DISCORD_SHARD_COUNT must be at least 1, not {self.shard_count}")
        if self.shard_ids is not None:
            if self.shard_count is None:
                raise SettingsError("DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT as well")
            bad = [i for i in self.shard_ids if not 0 <= i < self.shard_count]
            if bad or not self.shard_ids:
                top = self.shard_count - 1
                raise SettingsError(f"DISCORD_SHARD_IDS must be in 0..{top}, not {bad or 'none'}")

    @property
    def top_k(self) -> int:
        """How many results one question fetches: every page the reply can show."""
        return self.max_pages * PASSAGES_PER_PAGE

    @property
    def syncs_commands(self) -> bool:
        """Whether this process syncs slash commands: only the one running shard 0 (or all)."""
        return self.shard_ids is None or 0 in self.shard_ids

    def with_(self, **changes: object) -> BotSettings:
        """A copy with some fields changed (None values are ignored)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    @classmethod
    def from_env(
        cls, env: Mapping[str, str] | None = None, dotenv: Path | None = Path(".env")
    ) -> BotSettings:
        """Defaults, then `.env` (relative to the working directory), then the environment."""
        merged: dict[str, str] = {}
        if dotenv is not None and dotenv.is_file():
            merged.update(read_dotenv(dotenv))
        merged.update(os.environ if env is None else env)
        read = {
            "token": (merged.get("DISCORD_TOKEN") or "").strip() or None,
            "guild_id": _int(merged, "DISCORD_GUILD_ID"),
            "shard_count": _int(merged, "DISCORD_SHARD_COUNT"),
            "shard_ids": _shard_ids(merged.get("DISCORD_SHARD_IDS", "")),
            "cooldown_rate": _int(merged, "PUSHERBOT_COOLDOWN_RATE"),
            "cooldown_per": _float(merged, "PUSHERBOT_COOLDOWN_PER"),
            "show_spoilers": _spoilers(merged.get("PUSHERBOT_SPOILERS", "")),
            "feedback_file": _path(merged, "PUSHERBOT_FEEDBACK_FILE"),
            "message_content": _bool(merged, "DISCORD_MESSAGE_CONTENT"),
            "log_level": (merged.get("PUSHERBOT_LOG_LEVEL") or "").strip().upper() or None,
            "max_pages": _int(merged, "PUSHERBOT_MAX_PAGES"),
            "view_timeout": _float(merged, "PUSHERBOT_VIEW_TIMEOUT"),
            "workers": _int(merged, "PUSHERBOT_WORKERS"),
        }
        set_ = {k: v for k, v in read.items() if v is not None}  # unset ones keep the defaults
        return cls(core=Settings.from_env(merged), **set_)


def default_workers() -> int:
    """Answering threads: one per core (the engine's Python parts hold the GIL)."""
    return usable_cpus()


def read_dotenv(path: Path) -> dict[str, str]:
    """`KEY=value` lines of a .env file; `#` comments, `export ` and surrounding quotes allowed."""
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.removeprefix("export ").partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key:
            continue
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        else:
            value = value.split(" #", 1)[0].rstrip()  # an unquoted value may end in a comment
        values[key] = value
    return values


def _path(env: Mapping[str, str], name: str) -> Path | None:
    raw = env.get(name, "").strip()
    return Path(raw).expanduser() if raw else None


def _number(env: Mapping[str, str], name: str, parse: Callable[[str], _N], what: str) -> _N | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    try:
        return parse(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not {what}") from None


def _int(env: Mapping[str, str], name: str) -> int | None:
    return _number(env, name, int, "a whole number")


def _float(env: Mapping[str, str], name: str) -> float | None:
    return _number(env, name, float, "a number")


def _bool(env: Mapping[str, str], name: str) -> bool | None:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return None
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise SettingsError(f"{name}={raw!r} must be one of {', '.join(_TRUE + _FALSE)}")


def _spoilers(raw: str) -> bool | None:
    """PUSHERBOT_SPOILERS: `hide` (default: spoiler tags) or `show` (plain); true means show."""
    raw = raw.strip().lower()
    if not raw:
        return None
    if raw in ("hide", "hidden", "tag", "tags") or raw in _FALSE:
        return False
    if raw in ("show", "shown", "plain") or raw in _TRUE:
        return True
    raise SettingsError(f"PUSHERBOT_SPOILERS={raw!r} must be hide or show")


def _shard_ids(raw: str) -> tuple[int, ...] | None:
    """`0,1,2`, `0-3` or a mix such as `0-1,4`."""
    raw = raw.strip()
    if not raw:
        return None
    ids: list[int] = []
    for part in re.split(r"[,\s]+", raw):
        if not part:
            continue
        m = re.fullmatch(r"(\d+)(?:-(\d+))?", part)
        if m is None:
            raise SettingsError(f"DISCORD_SHARD_IDS={raw!r}: write ids as 0,1,2 or ranges as 0-3")
        lo, hi = int(m[1]), int(m[2] or m[1])
        if hi < lo:
            raise SettingsError(f"DISCORD_SHARD_IDS={raw!r}: range {part} runs backwards")
        ids.extend(range(lo, hi + 1))
    return tuple(sorted(set(ids)))
