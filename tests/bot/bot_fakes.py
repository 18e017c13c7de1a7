"""Test doubles: hand-made answers for pure tests, engine wrappers, and the no-ping check.

Discord's side of slash commands and button clicks is in fake_discord.py.
"""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

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


class AnswersAs:
    """The real engine answering `stand_in` whatever it is asked, with the question as asked:
    for tests of how the bot shows and stores what a user wrote (Discord markup, mentions),
    whatever the retrieval would make of that markup."""

    def __init__(self, real: Any, stand_in: str) -> None:
        self.real = real
        self.stand_in = stand_in

    def answer(self, question: str, top_k: int | None = None) -> Answer:
        return replace(self.real.answer(self.stand_in, top_k), question=question)

    def stats(self) -> CorpusStats:
        return self.real.stats()
