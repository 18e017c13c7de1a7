"""The one path from a question to a reply, shared by `/ask`, mentions and DMs."""

from __future__ import annotations

import asyncio
import functools
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any, Protocol

import discord

from bot import format as fmt
from bot.feedback import FeedbackLog, without_mentions
from bot.settings import PASSAGES_PER_PAGE, BotSettings
from bot.views import NO_MENTIONS, AnswerView
from retrieval.answer.result import Answer
from retrieval.conversation.context import Turn
from retrieval.conversation.dialogue import Dialogue
from retrieval.errors import QuestionError
from retrieval.index.stats import CorpusStats

log = logging.getLogger(__name__)


class AnswerEngine(Protocol):
    """What the bot needs from `retrieval.engine.Engine`."""

    def answer(self, question: str, top_k: int | None = None) -> Answer: ...

    def stats(self) -> CorpusStats: ...


@dataclass(frozen=True, slots=True)
class Reply:
    """A message to send: text, or an embed with its buttons."""

    content: str | None = None
    embed: discord.Embed | None = None
    view: AnswerView | None = None

    def send_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for `send`/`reply`/`followup.send`, never allowing a ping."""
        kwargs: dict[str, Any] = {"allowed_mentions": NO_MENTIONS}
        if self.content is not None:
            kwargs["content"] = self.content
        if self.embed is not None:
            kwargs["embed"] = self.embed
        if self.view is not None:
            kwargs["view"] = self.view
        return kwargs


class Answerer:
    """Runs the engine off the event loop and turns its answer into a `Reply`."""

    def __init__(self, engine: AnswerEngine, settings: BotSettings, feedback: FeedbackLog) -> None:
        self.engine = engine
        self.settings = settings
        self.feedback = feedback
        # Its own small pool rather than asyncio.to_thread's (cores + 4 threads): more threads
        # than cores only queue on the GIL, and the event loop then waits its turn behind them.
        self._pool = ThreadPoolExecutor(settings.workers, thread_name_prefix="pusherbot-answer")
        self.dialogue = Dialogue.of(engine)  # follow-ups and small talk, over the same engine

    def close(self) -> None:
        """Stop the worker threads (answers in progress finish)."""
        self._pool.shutdown(wait=False, cancel_futures=True)

    async def converse(
        self,
        question: str,
        previous: Turn | None,
        *,
        asker_id: int,
        guild_id: int | None,
        show_spoilers: bool = False,
        deadline: float | None = None,
    ) -> tuple[Reply, Turn | None]:
        """The reply to a message read after `previous` (retrieval/conversation/), and the
        turn to remember (None: nothing new). The engine runs in a worker thread, so the event
        loop never waits; a failing engine is logged and apologised for, never raised.

        `deadline` is when the reply stops being editable (an interaction's token expires), if
        it ever does: the buttons stop working before then.
        """
        call = functools.partial(self.dialogue.respond, question, previous, self.settings.top_k)
        try:
            exchange = await asyncio.get_running_loop().run_in_executor(self._pool, call)
        except QuestionError as e:
            return Reply(content=fmt.question_error_text(e)), None
        except Exception:
            # logged without mentions: the log must not collect Discord user ids
            log.exception("answering %r failed", without_mentions(question[:200]))
            return Reply(content=fmt.ERROR_TEXT), None
        if exchange.answer is None:  # small talk or a request to clarify: plain text
            return Reply(content=fmt.fit_message(exchange.message)), None
        # The embed's title is what the user asked; the note says how it was read.
        answer = replace(exchange.answer, question=question)
        reply = self._reply_for(answer, asker_id=asker_id, guild_id=guild_id,
                                show_spoilers=show_spoilers, deadline=deadline)
        if exchange.note:
            reply = Reply(content=fmt.note_text(exchange.note, reply.content),
                          embed=reply.embed, view=reply.view)
        return reply, exchange.turn

    def _reply_for(self, answer: Answer, *, asker_id: int, guild_id: int | None,
                   show_spoilers: bool, deadline: float | None) -> Reply:
        """An answer as a message: the abstention line, or the embed with its buttons."""
        if answer.answered and answer.summary and not answer.results:
            return Reply(content=fmt.summary_text(answer.summary))  # "0 reviews are from 2030."
        if not answer.answered or not answer.results:
            return Reply(content=fmt.abstain_text(answer))
        view = AnswerView(
            answer,
            asker_id=asker_id,
            guild_id=guild_id,
            show_spoilers=show_spoilers or self.settings.show_spoilers,
            per_page=PASSAGES_PER_PAGE,
            feedback=self.feedback,
            timeout=self.settings.view_timeout,
            deadline=deadline,
        )
        return Reply(embed=view.embed(), view=view)
