"""`/ask`, `/about` and the answer buttons, through discord.py's real command and view objects.

dpytest cannot drive interactions, so the callbacks get a `FakeInteraction` that records every
response; the engine is the real one (wrapped only to log when it is called).
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import discord
import pytest
import pytest_asyncio
from bot_fakes import Call, FakeInteraction, FakeMessage

from bot import format as fmt
from bot.client import PusherBot
from bot.cogs.ask import AskCog
from bot.feedback import user_hash
from bot.settings import BotSettings
from bot.views import AnswerView
from retrieval.answer.result import ABSTAIN_MESSAGE, Answer
from retrieval.engine import Engine
from retrieval.index.stats import CorpusStats

DUKE = "who plays the duke?"
OFF_TOPIC = "what is the capital of France?"


class TracingEngine:
    """The real engine; notes each call in a shared log and counts calls running at once."""

    def __init__(self, real: Engine, log: list[Call] | None = None) -> None:
        self.real = real
        self.log = log
        self.in_flight = 0
        self.max_in_flight = 0
        self.threads: set[threading.Thread] = set()
        self._lock = threading.Lock()

    def answer(self, question: str, top_k: int | None = None) -> Answer:
        with self._lock:
            self.threads.add(threading.current_thread())
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        if self.log is not None:
            self.log.append(Call("engine.answer", question))
        try:
            return self.real.answer(question, top_k)
        finally:
            with self._lock:
                self.in_flight -= 1

    def stats(self) -> CorpusStats:
        return self.real.stats()


@pytest_asyncio.fixture
async def make_slash_bot(
    engine: Engine, bot_settings: BotSettings
) -> AsyncIterator[Any]:
    """A bot with its cogs loaded and no connection (interactions need none)."""
    bots: list[PusherBot] = []

    async def factory(engine: Any = engine, **changes: Any) -> tuple[PusherBot, AskCog]:
        bot = PusherBot(bot_settings.with_(**changes), engine, sync_commands=False)
        await bot.setup_hook()
        bots.append(bot)
        cog = bot.get_cog("AskCog")
        assert isinstance(cog, AskCog)
        return bot, cog

    yield factory
    for bot in bots:
        await bot.close()


def followup(interaction: FakeInteraction) -> Call:
    (call,) = [c for c in interaction.calls if c.method == "followup.send"]
    return call


async def ask(cog: AskCog, interaction: FakeInteraction, question: str, **options: Any) -> None:
    await cog.ask.callback(cog, interaction, question, **options)  # type: ignore[arg-type]


async def test_ask_defers_before_answering_then_follows_up(
    make_slash_bot: Any, engine: Engine
) -> None:
    interaction = FakeInteraction(None)
    tracing = TracingEngine(engine, interaction.calls)
    bot, cog = await make_slash_bot(tracing)
    await ask(cog, interaction, DUKE)
    (thread,) = tracing.threads  # the engine ran in a worker, never on the event loop's thread
    assert thread is not threading.main_thread() and thread.name.startswith("pusherbot-answer")
    assert [c.method for c in interaction.calls] == ["defer", "engine.answer", "followup.send"]
    assert interaction.calls[0].kwargs == {"ephemeral": False, "thinking": True}
    sent = followup(interaction).kwargs
    assert sent["allowed_mentions"].to_dict() == discord.AllowedMentions.none().to_dict()
    assert sent["ephemeral"] is False and sent["wait"] is True
    expected = engine.answer(DUKE, bot.settings.top_k)
    top = expected.results[0]
    embed: discord.Embed = sent["embed"]
    assert embed.title == DUKE
    assert fmt.quote_markdown(top.quote, hidden=top.passage.spoiler) in embed.description
    assert fmt.escape(top.citation) in embed.description
    view = sent["view"]
    assert isinstance(view, AnswerView) and isinstance(view.message, FakeMessage)
    assert {c.label or str(c.emoji) for c in view.children} == {"More passages", "👍", "👎"}
    view.stop()


async def test_private_ask_is_ephemeral_throughout(make_slash_bot: Any) -> None:
    _, cog = await make_slash_bot()
    interaction = FakeInteraction(None)
    await ask(cog, interaction, DUKE, private=True)
    assert interaction.calls[0].kwargs["ephemeral"] is True
    assert followup(interaction).kwargs["ephemeral"] is True
    followup(interaction).kwargs["view"].stop()


async def test_the_spoilers_option_shows_them_plainly(make_slash_bot: Any, engine: Engine) -> None:
    question = "how does the film end?"
    assert engine.answer(question, 9).results[0].passage.spoiler, "precondition: a spoiler"
    _, cog = await make_slash_bot()
    hidden, shown = FakeInteraction(None), FakeInteraction(None, user_id=2)
    await ask(cog, hidden, question)
    await ask(cog, shown, question, spoilers=True)
    assert "||" in followup(hidden).kwargs["embed"].description
    assert "||" not in followup(shown).kwargs["embed"].description
    for i in (hidden, shown):
        followup(i).kwargs["view"].stop()


async def test_an_abstention_is_short_text_without_embed_or_buttons(make_slash_bot: Any) -> None:
    _, cog = await make_slash_bot()
    interaction = FakeInteraction(None)
    await ask(cog, interaction, OFF_TOPIC)
    call = followup(interaction)
    assert call.kwargs["content"] == ABSTAIN_MESSAGE
    assert "embed" not in call.kwargs and "view" not in call.kwargs


async def test_the_cooldown_answers_ephemerally_without_asking_the_engine(
    make_slash_bot: Any, engine: Engine
) -> None:
    tracing = TracingEngine(engine)
    _, cog = await make_slash_bot(tracing, cooldown_rate=1, cooldown_per=60.0)
    first, second = FakeInteraction(None), FakeInteraction(None)
    await ask(cog, first, DUKE)
    await ask(cog, second, DUKE)
    assert tracing.max_in_flight == 1 and [c.method for c in second.calls] == ["send_message"]
    call = second.calls[0]
    assert call.content.startswith("Slow down") and call.kwargs["ephemeral"] is True
    followup(first).kwargs["view"].stop()


async def test_an_engine_error_gets_an_apology_and_the_next_question_an_answer(
    make_slash_bot: Any, engine: Engine
) -> None:
    class Broken(TracingEngine):
        def answer(self, question: str, top_k: int | None = None) -> Answer:
            if question == "boom":
                raise OSError("disk gone")
            return super().answer(question, top_k)

    _, cog = await make_slash_bot(Broken(engine))
    failed, ok = FakeInteraction(None), FakeInteraction(None, user_id=2)
    await ask(cog, failed, "boom")
    assert followup(failed).kwargs["content"] == fmt.ERROR_TEXT
    await ask(cog, ok, DUKE)
    assert followup(ok).kwargs["embed"].title == DUKE
    followup(ok).kwargs["view"].stop()


async def test_about_shows_the_real_corpus_stats(make_slash_bot: Any, engine: Engine) -> None:
    _, cog = await make_slash_bot()
    interaction = FakeInteraction(None)
    await cog.about.callback(cog, interaction)  # type: ignore[arg-type]
    (call,) = interaction.calls
    assert call.method == "send_message"
    assert call.kwargs["allowed_mentions"].to_dict() == {"parse": []}
    fields = {f.name: f.value for f in call.kwargs["embed"].fields}
    stats = engine.stats()
    assert fields["Passages"] == str(stats.passages) and fields["Reviews"] == str(stats.reviews)
    assert stats.index_version in fields["Index"]
    for doc in stats.documents:
        assert fmt.escape(doc) in fields["Documents"]


def test_command_descriptions_come_from_docstrings() -> None:
    ask_cmd, about_cmd = AskCog.ask, AskCog.about
    assert ask_cmd.description == (
        "Ask a question about the film Pusher II; the answer is a quote with its source."
    )
    assert about_cmd.description.startswith("What pusherbot knows")
    params = {p.name: p for p in ask_cmd.parameters}
    assert params["question"].description.startswith("Your question")
    q = params["question"]
    assert q.required and (q.min_value, q.max_value) == (1, 1000)  # string length bounds
    assert params["private"].description == "Only you see the answer."
    assert not params["private"].required and params["private"].default is False
    assert params["spoilers"].description.startswith("Show plot spoilers")


async def test_the_tree_logs_errors_and_apologises(
    make_slash_bot: Any, caplog: pytest.LogCaptureFixture
) -> None:
    bot, _ = await make_slash_bot()
    fresh, deferred = FakeInteraction(None), FakeInteraction(None)
    await deferred.response.defer()
    error = discord.app_commands.AppCommandError("kaput")
    await bot.tree.on_error(fresh, error)  # type: ignore[arg-type]
    await bot.tree.on_error(deferred, error)  # type: ignore[arg-type]
    assert [(c.method, c.content) for c in fresh.sent()] == [("send_message", fmt.ERROR_TEXT)]
    assert [(c.method, c.content) for c in deferred.sent()] == [("followup.send", fmt.ERROR_TEXT)]
    assert all(c.kwargs["ephemeral"] for c in fresh.sent() + deferred.sent())
    assert any(r.exc_info and r.exc_info[1] is error for r in caplog.records)


async def answer_view(make_slash_bot: Any, question: str = DUKE) -> tuple[AnswerView, Path]:
    bot, cog = await make_slash_bot()
    interaction = FakeInteraction(None, user_id=1001)
    await ask(cog, interaction, question)
    return followup(interaction).kwargs["view"], bot.settings.feedback_file


async def test_more_passages_pages_for_the_asker_only(make_slash_bot: Any) -> None:
    view, _ = await answer_view(make_slash_bot)
    assert len(view.pages) == 3
    stranger = FakeInteraction(None, user_id=2002)
    await view.more.callback(stranger)
    (refusal,) = stranger.calls
    assert refusal.content == fmt.ONLY_ASKER_TEXT and refusal.kwargs["ephemeral"]
    assert view.page == 0
    for page in (1, 2):
        asker = FakeInteraction(None, user_id=1001)
        await view.more.callback(asker)
        (call,) = asker.calls
        assert call.method == "edit_message" and call.kwargs["view"] is view
        embed: discord.Embed = call.kwargs["embed"]
        first = view.pages[page][0]
        assert embed.footer.text.startswith(f"Passages {first.rank}–")
        assert f"page {page + 1}/3" in embed.footer.text
        assert fmt.quote_markdown(first.quote, hidden=first.passage.spoiler) in embed.description
    assert view.more.disabled  # the last page
    view.stop()


async def test_votes_append_the_question_shown_passages_and_vote(make_slash_bot: Any) -> None:
    view, feedback_file = await answer_view(make_slash_bot)
    voter = FakeInteraction(None, user_id=3003)
    await view.upvote.callback(voter)
    assert voter.calls[0].content == fmt.THANKS_TEXT and voter.calls[0].kwargs["ephemeral"]
    again = FakeInteraction(None, user_id=3003)
    await view.downvote.callback(again)
    assert again.calls[0].content == fmt.ALREADY_VOTED_TEXT
    asker = FakeInteraction(None, user_id=1001)
    await view.more.callback(asker)
    other = FakeInteraction(None, user_id=4004)
    await view.downvote.callback(other)
    rows = [json.loads(x) for x in feedback_file.read_text(encoding="utf-8").splitlines()]
    assert [(r["vote"], r["user"], r["page"]) for r in rows] == [
        ("up", user_hash(3003), 0),
        ("down", user_hash(4004), 1),
    ]
    assert all(r["question"] == DUKE for r in rows)
    assert [p["quote"] for p in rows[1]["passages"]] == [r.quote for r in view.pages[1]]
    view.stop()


async def test_timeout_greys_out_every_button(make_slash_bot: Any) -> None:
    view, _ = await answer_view(make_slash_bot)
    message = view.message
    assert isinstance(message, FakeMessage)
    await view.on_timeout()
    (edit,) = [c for c in message._log if c.method == "message.edit"]
    assert edit.kwargs["view"] is view and all(item.disabled for item in view.children)
    assert edit.kwargs["allowed_mentions"].to_dict() == {"parse": []}
    view.stop()


async def test_fifty_simultaneous_asks_are_each_answered_correctly(
    make_slash_bot: Any, engine: Engine
) -> None:
    tracing = TracingEngine(engine)
    bot, cog = await make_slash_bot(tracing)
    questions = [
        DUKE,
        OFF_TOPIC,
        "who directed Pusher II?",
        "what does Tonny's tattoo say?",
        "what do reviewers think of Mads Mikkelsen?",
    ]
    interactions = [FakeInteraction(None, user_id=10_000 + i) for i in range(50)]
    asked = [questions[i % len(questions)] for i in range(50)]
    await asyncio.gather(*(ask(cog, i, q) for i, q in zip(interactions, asked, strict=True)))
    assert tracing.max_in_flight > 1  # the answers really ran side by side
    expected = {q: engine.answer(q, bot.settings.top_k) for q in questions}
    for interaction, question in zip(interactions, asked, strict=True):
        sent = followup(interaction).kwargs
        assert sent.get("content") != fmt.ERROR_TEXT, (
            f"answering {question!r} concurrently raised in the engine; see the captured log"
        )
        answer = expected[question]
        if answer.answered:
            top = answer.results[0]
            embed = sent["embed"]
            assert embed.title == question
            assert fmt.quote_markdown(top.quote, hidden=top.passage.spoiler) in embed.description
            sent["view"].stop()
        else:
            assert sent["content"] == ABSTAIN_MESSAGE
