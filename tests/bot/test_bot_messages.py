"""Mentions and DMs through dpytest's simulated Discord, answered by the real engine."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import discord
import discord.ext.test as dpytest
import pytest
from bot_fakes import AnswersAs, BotFactory, assert_no_pings
from discord.ext.test import backend, factories

from bot import format as fmt
from bot.bench import QUESTIONS
from bot.cogs.mentions import question_from
from retrieval.answer.result import Answer
from retrieval.engine import Engine
from retrieval.index.stats import CorpusStats

DUKE = "who plays the duke?"
OFF_TOPIC = "what is the capital of France?"
PLOT_QUESTIONS = ["how does the film end?", "what happens to the Duke?", "who does Tonny kill?"]


def mention(bot: discord.Client, text: str) -> str:
    assert bot.user is not None
    return f"<@{bot.user.id}> {text}"


def only_reply() -> discord.Message:
    """The one message the bot sent; fails if it sent none or several."""
    reply = dpytest.get_message()
    assert dpytest.verify().message().nothing(), "the bot sent more than one message"
    return reply


def assert_answers(reply: discord.Message, answer: Answer) -> None:
    """The reply's embed shows the engine's best quote with its citation, and the next ones."""
    assert answer.answered
    (embed,) = reply.embeds
    top = answer.results[0]
    hidden = top.passage.spoiler
    assert fmt.quote_markdown(top.quote, hidden=hidden) in embed.description
    assert fmt.escape(top.citation) in embed.description
    # Further results are compact: fitted the way the bot fits them.
    assert [f.value for f in embed.fields] == [
        fmt.fit_quote(r.quote, fmt.COMPACT_QUOTE_CHARS, hidden=r.passage.spoiler)
        for r in answer.results[1:3]
    ]


async def test_a_mention_is_answered_with_the_engines_quote(
    make_bot: BotFactory, engine: Engine, sent_payloads: list[dict]
) -> None:
    bot = await make_bot()
    question = await dpytest.message(mention(bot, DUKE))
    reply = only_reply()
    # a reply to the question, kept even if the question is deleted meanwhile
    (payload,) = sent_payloads
    assert payload["message_reference"]["message_id"] == question.id
    assert payload["message_reference"]["fail_if_not_exists"] is False
    assert_answers(reply, engine.answer(DUKE, bot.settings.top_k))
    assert reply.embeds[0].title == DUKE
    assert reply.content == ""  # the answer is the embed, not loose text


async def test_the_mention_can_be_anywhere_and_nickname_style(
    make_bot: BotFactory, engine: Engine
) -> None:
    bot = await make_bot()
    assert bot.user is not None
    await dpytest.message(f"{DUKE} <@!{bot.user.id}>")
    assert only_reply().embeds[0].title == DUKE


async def test_a_message_not_for_the_bot_is_ignored(make_bot: BotFactory) -> None:
    await make_bot()
    await dpytest.message(DUKE)
    assert dpytest.verify().message().nothing()


async def test_a_dm_is_answered_without_a_mention(make_bot: BotFactory, engine: Engine) -> None:
    bot = await make_bot()
    member = dpytest.get_config().members[0]
    dm = await member.create_dm()
    await dpytest.message(DUKE, channel=dm, member=member)
    reply = only_reply()
    assert isinstance(reply.channel, discord.DMChannel)
    assert_answers(reply, engine.answer(DUKE, bot.settings.top_k))


async def test_the_bots_own_messages_are_ignored(make_bot: BotFactory) -> None:
    bot = await make_bot()
    channel = dpytest.get_config().channels[0]
    backend.make_message(mention(bot, DUKE), bot.user, channel)
    await dpytest.run_all_events()
    assert dpytest.verify().message().nothing()


async def test_other_bots_are_ignored(make_bot: BotFactory) -> None:
    bot = await make_bot()
    guild = dpytest.get_config().guilds[0]
    state = backend.get_state()
    other = state.store_user(factories.make_user_dict("OtherBot", "0042", None, bot=True))
    member = backend.make_member(other, guild)
    await dpytest.message(mention(bot, DUKE), member=member)
    assert dpytest.verify().message().nothing()


async def test_webhook_messages_are_ignored(make_bot: BotFactory) -> None:
    bot = await make_bot()
    config = dpytest.get_config()
    channel, member = config.channels[0], config.members[0]
    data = factories.make_message_dict(
        channel, member, content=mention(bot, DUKE), guild_id=channel.guild.id, webhook_id=77
    )
    backend.get_state().parse_message_create(data)
    await dpytest.run_all_events()
    assert dpytest.verify().message().nothing()
    await dpytest.message(mention(bot, DUKE), member=member)  # the same text, not via webhook
    assert only_reply().embeds


async def test_an_off_topic_question_gets_the_short_abstention(
    make_bot: BotFactory, engine: Engine
) -> None:
    expected = engine.answer(OFF_TOPIC, 9)
    assert not expected.answered, "precondition: the engine abstains"
    bot = await make_bot()
    await dpytest.message(mention(bot, OFF_TOPIC))
    reply = only_reply()
    assert reply.content == fmt.abstain_text(expected) and not reply.embeds


async def test_a_bare_mention_gets_the_friendly_help(make_bot: BotFactory) -> None:
    bot = await make_bot()
    await dpytest.message(mention(bot, "  "))
    reply = only_reply()
    assert reply.content == bot.answerer.dialogue.smalltalk("")
    assert reply.content.startswith("Hi! I'm a bot") and not reply.embeds


async def test_bare_mentions_count_towards_the_cooldown(make_bot: BotFactory) -> None:
    bot = await make_bot(cooldown_rate=2, cooldown_per=60.0)
    for _ in range(10):
        await dpytest.message(mention(bot, ""))
    replies = []
    while not dpytest.verify().message().nothing():
        replies.append(dpytest.get_message().content)
    assert replies[:2] == [bot.answerer.dialogue.smalltalk("")] * 2
    assert len(replies) == 3 and replies[2].startswith("Slow down")  # then silence
    await dpytest.message(mention(bot, DUKE))  # and a question is still limited too
    assert dpytest.verify().message().nothing()


def reply_to_the_bot(bot: discord.Client, answer: discord.Message, text: str, *, ping: bool) -> None:
    """A member replies to the bot's `answer`; with `ping`, Discord's reply @ switch is on, which
    lists the bot among the message's mentions without writing any <@id> into its text."""
    config = dpytest.get_config()
    channel, member = config.channels[0], config.members[0]
    assert bot.user is not None
    data = factories.make_message_dict(
        channel, member, content=text, guild_id=channel.guild.id, type=19,
        mentions=[bot.user] if ping else [],
    )
    data["message_reference"] = {
        "message_id": answer.id, "channel_id": channel.id, "guild_id": channel.guild.id,
    }
    backend.get_state().parse_message_create(data)


async def test_a_reply_to_the_bot_with_the_ping_switch_on_is_answered(
    make_bot: BotFactory, engine: Engine
) -> None:
    bot = await make_bot()
    await dpytest.message(mention(bot, DUKE))
    answer = only_reply()
    reply_to_the_bot(bot, answer, "who plays Tonny?", ping=True)
    await dpytest.run_all_events()
    assert_answers(only_reply(), engine.answer("who plays Tonny?", bot.settings.top_k))
    reply_to_the_bot(bot, answer, "thanks, that was it", ping=False)  # the switch off: not for us
    await dpytest.run_all_events()
    assert dpytest.verify().message().nothing()


async def test_a_question_over_the_cli_cap_is_refused_politely(make_bot: BotFactory) -> None:
    bot = await make_bot()
    await dpytest.message(mention(bot, "why " * 260))  # 1,040 characters
    reply = only_reply()
    assert reply.content.startswith("Sorry, I can't answer that:") and "1000" in reply.content
    assert not reply.embeds


async def test_spoilers_are_tagged_by_default_and_plain_when_configured(
    make_bot: BotFactory, engine: Engine
) -> None:
    question = next(
        (q for q in PLOT_QUESTIONS if engine.answer(q, 9).results[0].passage.spoiler), None
    )
    assert question is not None, "no plot question whose best passage is a spoiler"
    bot = await make_bot()
    await dpytest.message(mention(bot, question))
    tagged = only_reply().embeds[0].description
    assert tagged.startswith("**Spoiler** ||") and tagged.count("||") >= 2
    await dpytest.empty_queue()

    bot = await make_bot(show_spoilers=True)
    await dpytest.message(mention(bot, question))
    plain = only_reply().embeds[0].description
    assert "||" not in plain
    assert plain.split("\n")[0] in tagged  # the same quote, just not hidden


async def test_echoed_mentions_and_markdown_are_escaped(
    make_bot: BotFactory, engine: Engine, sent_payloads: list[dict]
) -> None:
    bot = await make_bot(engine=AnswersAs(engine, DUKE))
    other = dpytest.get_config().members[1]
    question = f"**Who** plays the Duke in Pusher II? @everyone @here <@{other.id}>"
    await dpytest.message(mention(bot, question))
    title = only_reply().embeds[0].title
    assert "@everyone" not in title and "@here" not in title and f"<@{other.id}>" not in title
    assert title.startswith("\\*\\*Who\\*\\* plays the Duke")
    assert len(sent_payloads) == 1
    assert_no_pings(sent_payloads[0])


async def test_cooldown_answers_rate_questions_then_says_slow_down_once(
    make_bot: BotFactory,
) -> None:
    bot = await make_bot(cooldown_rate=2, cooldown_per=60.0)
    for _ in range(2):
        await dpytest.message(mention(bot, DUKE))
        assert only_reply().embeds
    await dpytest.message(mention(bot, DUKE))
    assert only_reply().content.startswith("Slow down")
    await dpytest.message(mention(bot, DUKE))  # still limited: silence, no second warning
    assert dpytest.verify().message().nothing()
    other = dpytest.get_config().members[1]  # the limit is per user
    await dpytest.message(mention(bot, DUKE), member=other)
    assert only_reply().embeds


class FlakyEngine:
    """The real engine, except that one question makes it raise."""

    def __init__(self, real: Engine) -> None:
        self.real = real

    def answer(self, question: str, top_k: int | None = None) -> Answer:
        if "boom" in question:
            raise RuntimeError("index file vanished")
        return self.real.answer(question, top_k)

    def stats(self) -> CorpusStats:
        return self.real.stats()


async def test_an_engine_error_is_answered_politely_and_the_bot_keeps_serving(
    make_bot: BotFactory, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    bot = await make_bot(engine=FlakyEngine(engine))
    with caplog.at_level(logging.ERROR):
        await dpytest.message(mention(bot, "boom"))
    assert only_reply().content == fmt.ERROR_TEXT
    failure = next(r for r in caplog.records if r.exc_info)
    assert "index file vanished" in str(failure.exc_info[1])  # the traceback went to the log
    await dpytest.message(mention(bot, DUKE))
    assert_answers(only_reply(), engine.answer(DUKE, bot.settings.top_k))


async def test_a_failing_send_is_logged_and_the_bot_keeps_serving(
    make_bot: BotFactory, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    bot = await make_bot()
    real_send = discord.TextChannel.send
    calls = 0

    async def send_once_broken(self: discord.TextChannel, *args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise ValueError("bug while sending")
        return await real_send(self, *args, **kwargs)

    monkeypatch.setattr(discord.TextChannel, "send", send_once_broken)
    with caplog.at_level(logging.ERROR):
        await dpytest.message(mention(bot, DUKE))
    assert only_reply().content == fmt.ERROR_TEXT
    assert any(r.exc_info and "bug while sending" in str(r.exc_info[1]) for r in caplog.records)
    await dpytest.message(mention(bot, DUKE))
    assert only_reply().embeds


async def test_many_simultaneous_questions_are_all_answered_correctly(
    make_bot: BotFactory, engine: Engine, sent_payloads: list[dict]
) -> None:
    bot = await make_bot(members=5, cooldown_rate=100)
    questions = QUESTIONS  # the benchmark's mix
    assert {DUKE, OFF_TOPIC} <= set(questions)  # both answers and abstentions are exercised
    members = dpytest.get_config().members
    asked = await asyncio.gather(
        *(
            dpytest.message(mention(bot, questions[i % len(questions)]), member=members[i % 5])
            for i in range(50)
        )
    )
    # Each reply references the message it answers; pair them through the sent payloads.
    replies = {p["message_reference"]["message_id"]: p for p in sent_payloads}
    assert len(sent_payloads) == 50 and len(replies) == 50
    expected = {q: engine.answer(q, bot.settings.top_k) for q in questions}
    for message in asked:
        question = message.content.split(" ", 1)[1]
        answer, payload = expected[question], replies[message.id]
        assert payload.get("content") != fmt.ERROR_TEXT, (
            f"answering {question!r} concurrently raised in the engine; see the captured log"
        )
        if answer.answered:
            embed = discord.Embed.from_dict(payload["embeds"][0])
            assert embed.title == question
            top = answer.results[0]
            assert fmt.quote_markdown(top.quote, hidden=top.passage.spoiler) in embed.description
        else:
            assert payload["content"] == fmt.abstain_text(answer) and not payload.get("embeds")
    assert sum(a.answered for a in expected.values()) >= 5  # mostly real answers, not abstentions
    await dpytest.empty_queue()


def test_question_from_strips_the_bots_mentions_only() -> None:
    assert question_from("<@42> who?", bot_id=42) == "who?"
    assert question_from("who <@!42> is <@7>?", bot_id=42) == "who is <@7>?"
    assert question_from("<@&9> who?", bot_id=42, role_id=9) == "who?"
    assert question_from("<@&9> who?", bot_id=42) is None
    assert question_from("who?", bot_id=42) is None
    assert question_from("who?", bot_id=42, is_dm=True) == "who?"
    assert question_from("<@420> who?", bot_id=42) is None
    assert question_from("<@42>", bot_id=42) == ""
    assert question_from("who?", bot_id=42, mentioned=True) == "who?"  # a reply that pings us
