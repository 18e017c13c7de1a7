"""Test doubles: hand-made answers for pure tests, and a minimal recording Interaction.

dpytest cannot drive application commands or components, so slash-command and button tests call
discord.py's real callbacks with `FakeInteraction`, which records what the bot responds.
"""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import discord

from retrieval.answer.result import Answer, Result
from retrieval.index.stats import CorpusStats
from retrieval.passage import Passage

_ids = itertools.count(1)

BotFactory = Callable[..., Awaitable[Any]]  # the make_bot fixture: (**settings) -> PusherBot


def assert_no_pings(payload: dict[str, Any]) -> None:
    """The payload's allowed_mentions is AllowedMentions.none(): nobody and nothing is pinged."""
    allowed = payload.get("allowed_mentions")
    assert allowed is not None, "no allowed_mentions sent: Discord would default to pinging"
    assert allowed.get("parse") == [], allowed
    assert not allowed.get("users") and not allowed.get("roles"), allowed
    assert not allowed.get("replied_user"), allowed


def make_result(
    rank: int,
    quote: str,
    *,
    spoiler: bool = False,
    source: str = "wiki",
    section: str | None = "Cast",
    reviewer: str | None = None,
) -> Result:
    """A result whose passage text is exactly its quote."""
    passage = Passage(
        id=next(_ids),
        doc="wikipedia_pusher_ii.txt" if source == "wiki" else "imdb_reviews_pusher_ii.txt",
        doc_title="Pusher II",
        source=source,  # type: ignore[arg-type]
        kind="prose",
        section=section,
        start=0,
        end=len(quote),
        text=quote,
        sentences=((0, len(quote)),),
        spoiler=spoiler,
        reviewer=reviewer,
        rating=8 if reviewer else None,
        date="8 February 2009" if reviewer else None,
    )
    return Result(rank=rank, score=1.0 / rank, quote=quote, passage=passage)


def make_answer(question: str, quotes: list[str], *, spoilers: tuple[int, ...] = ()) -> Answer:
    """An answered Answer with one result per quote; `spoilers` are the 1-based spoiler ranks."""
    results = tuple(
        make_result(i, q, spoiler=i in spoilers) for i, q in enumerate(quotes, start=1)
    )
    return Answer(question=question, answered=True, results=results, confidence=0.8)


STATS = CorpusStats(
    documents=("imdb_reviews_pusher_ii.txt", "wikipedia_pusher_ii.txt"),
    passages=131,
    reviews=25,
    model="all-MiniLM-L6-v2",
    index_version="8622502ceb4ea01d",
    index_kind="flat",
    built_at="2026-11-21T06:02:44+00:00",
)


@dataclass
class Call:
    """One recorded response: which method, positional content, keyword arguments."""

    method: str
    content: Any = None
    kwargs: dict[str, Any] = field(default_factory=dict)


def _with_content(content: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
    """All arguments as keywords, however the content was passed."""
    return kwargs if content is None else {"content": content, **kwargs}


class FakeResponse:
    """Records `interaction.response` calls and, like Discord, allows only one of them."""

    def __init__(self, log: list[Call]) -> None:
        self._log = log
        self._done = False

    def is_done(self) -> bool:
        return self._done

    def _respond(self, call: Call) -> None:
        if self._done:
            raise discord.InteractionResponded(None)  # type: ignore[arg-type]
        self._done = True
        self._log.append(call)

    async def defer(self, *, ephemeral: bool = False, thinking: bool = False) -> None:
        self._respond(Call("defer", kwargs={"ephemeral": ephemeral, "thinking": thinking}))

    async def send_message(self, content: Any = None, **kwargs: Any) -> None:
        self._respond(Call("send_message", content, _with_content(content, kwargs)))

    async def edit_message(self, **kwargs: Any) -> None:
        self._respond(Call("edit_message", kwargs.get("content"), kwargs))


class FakeMessage:
    """What `followup.send(wait=True)` returns; records edits (e.g. buttons disabled)."""

    def __init__(self, log: list[Call], kwargs: dict[str, Any]) -> None:
        self._log = log
        self.kwargs = kwargs

    async def edit(self, **kwargs: Any) -> None:
        self._log.append(Call("message.edit", kwargs.get("content"), kwargs))


class FakeFollowup:
    """Records `interaction.followup.send`; sending before responding is an error, as in Discord."""

    def __init__(self, log: list[Call], response: FakeResponse) -> None:
        self._log = log
        self._response = response

    async def send(self, content: Any = None, **kwargs: Any) -> FakeMessage:
        if not self._response.is_done():
            raise AssertionError("followup sent before the interaction was responded to")
        kwargs = _with_content(content, kwargs)
        self._log.append(Call("followup.send", content, kwargs))
        return FakeMessage(self._log, kwargs)


class FakeInteraction:
    """Just enough of `discord.Interaction` for the bot's slash commands and buttons."""

    def __init__(self, client: Any, *, user_id: int = 1001, guild_id: int | None = 42) -> None:
        self.client = client
        self.user = SimpleNamespace(id=user_id, bot=False, mention=f"<@{user_id}>")
        self.guild_id = guild_id
        self.command = None
        self.calls: list[Call] = []
        self.response = FakeResponse(self.calls)
        self.followup = FakeFollowup(self.calls, self.response)

    def sent(self) -> list[Call]:
        """Calls that put text or an embed on screen (everything but defer)."""
        return [c for c in self.calls if c.method != "defer"]
