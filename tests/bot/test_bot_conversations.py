"""Conversations in Discord, as transcripts through dpytest's simulated Discord and the real
engine: follow-ups by pronoun, by ellipsis and by reply, two users in one channel, TTL expiry
(an injected clock, no sleeping) and edited questions."""

from __future__ import annotations

from typing import Any

import discord
import discord.ext.test as dpytest
from bot_fakes import BotFactory
from discord.ext.test import backend, factories
from test_bot_messages import mention, only_reply, reply_to_the_bot

from bot.conversations import Conversations
from retrieval.engine import Engine

DAD = "who is tonnys dad"
HIM = "who plays him?"
NOTE = "(taking \\*him\\* as Smeden, Tonny's father)"  # as sent: the pronoun in italics
SMEDEN_NOTE = "(taking *him* as Smeden, Tonny's father)"
CLARIFY = "Who do you mean by “him”? Ask again with a name."  # nobody to take "him" as


class FakeClock:
    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


def says(bot: discord.Client, text: str, member: int = 0) -> Any:
    """A member of the test guild mentions the bot with `text` (returns the coroutine)."""
    return dpytest.message(mention(bot, text), member=dpytest.get_config().members[member])


def shown(reply: discord.Message) -> str:
    """All the text of a reply: its content, embed title, description and fields."""
    parts = [reply.content or ""]
    for e in reply.embeds:
        parts += [e.title or "", e.description or "", *(f.value or "" for f in e.fields)]
    return "\n".join(parts)


async def test_a_pronoun_continues_the_users_conversation(make_bot: BotFactory) -> None:
    bot = await make_bot()
    await says(bot, DAD)
    assert "Smeden" in shown(only_reply())
    await says(bot, HIM)
    reply = only_reply()
    assert reply.content == SMEDEN_NOTE  # how "him" was taken, above the answer
    assert reply.embeds[0].title == HIM  # the question as the user asked it
    assert "Leif Sylvester" in reply.embeds[0].description


async def test_an_ellipsis_asks_the_last_question_again(make_bot: BotFactory) -> None:
    bot = await make_bot()
    await says(bot, "who plays tonny?")
    assert "Mads Mikkelsen" in shown(only_reply())
    await says(bot, "and charlotte?")
    reply = only_reply()
    assert reply.content == "(taking it as “who plays Charlotte?”)"
    assert "Anne Sørensen" in reply.embeds[0].description


async def test_a_reply_with_the_mention_only_in_its_metadata_continues_the_answer(
    make_bot: BotFactory,
) -> None:
    bot = await make_bot()
    await says(bot, DAD)
    answer = only_reply()
    await says(bot, "who plays gry?")  # the user's last turn is now about someone else...
    assert "Maria Erwolter" in shown(only_reply())
    reply_to_the_bot(bot, answer, HIM, ping=True)  # ...but this replies to the first answer
    await dpytest.run_all_events()
    reply = only_reply()
    assert reply.content == SMEDEN_NOTE and "Leif Sylvester" in reply.embeds[0].description


async def test_two_users_in_one_channel_never_cross_talk(
    make_bot: BotFactory, engine: Engine
) -> None:
    bot = await make_bot()
    await says(bot, DAD, member=0)
    only_reply()
    await says(bot, HIM, member=1)  # B never asked anything: "him" is nobody of A's
    b_reply = only_reply()
    assert b_reply.content.startswith(CLARIFY) and not b_reply.embeds
    assert "Leif Sylvester" not in shown(b_reply)
    await says(bot, HIM, member=0)  # A's conversation is intact
    assert only_reply().content == SMEDEN_NOTE


async def test_after_the_ttl_a_pronoun_starts_afresh(make_bot: BotFactory) -> None:
    bot = await make_bot()
    clock = FakeClock()
    bot.conversations = Conversations(ttl=300, capacity=100, clock=clock)
    await says(bot, DAD)
    only_reply()
    clock.now += 299
    await says(bot, HIM)
    assert only_reply().content == SMEDEN_NOTE  # within the TTL
    clock.now += 301
    await says(bot, HIM)
    late = only_reply()
    assert late.content.startswith(CLARIFY) and "Leif Sylvester" not in shown(late)
    assert len(bot.conversations) == 0  # expired, and a request to clarify is no turn


def edit(bot: discord.Client, question: discord.Message, text: str) -> None:
    """The author edits their question to `text` (Discord sends the whole message)."""
    channel, member = question.channel, question.author
    data = factories.make_message_dict(channel, member, id_num=question.id,
                                       content=mention(bot, text), guild_id=channel.guild.id,
                                       mentions=[bot.user])
    if "member" in data:  # dpytest's member dict lacks what an update's must have
        data["member"].setdefault("roles", [])
    backend.get_state().parse_message_update(data)


async def test_an_edited_question_edits_the_answer_in_place(make_bot: BotFactory) -> None:
    bot = await make_bot()
    question = await says(bot, "who plays gry?")
    reply = only_reply()
    assert "Maria Erwolter" in reply.embeds[0].description
    edit(bot, question, "who plays charlotte?")
    await dpytest.run_all_events()
    assert dpytest.verify().message().nothing()  # no new message...
    again = await reply.channel.fetch_message(reply.id)  # ...the same one, edited
    assert again.embeds[0].title == "who plays charlotte?"
    assert "Anne Sørensen" in again.embeds[0].description
    await says(bot, "and gry?")  # the conversation goes on from the edited question
    assert "Maria Erwolter" in only_reply().embeds[0].description


async def test_an_edit_after_the_ttl_or_without_change_is_ignored(make_bot: BotFactory) -> None:
    bot = await make_bot()
    clock = FakeClock()
    bot.conversations = Conversations(ttl=300, capacity=100, clock=clock)
    question = await says(bot, "who plays gry?")
    reply = only_reply()
    edit(bot, question, "who plays gry?")  # e.g. Discord adding a link preview
    await dpytest.run_all_events()
    clock.now += 301
    edit(bot, question, "who plays charlotte?")
    await dpytest.run_all_events()
    again = await reply.channel.fetch_message(reply.id)
    assert again.embeds[0].title == "who plays gry?" and dpytest.verify().message().nothing()


async def test_an_edit_into_a_follow_up_reads_the_same_context(make_bot: BotFactory) -> None:
    bot = await make_bot()
    await says(bot, DAD)
    only_reply()
    question = await says(bot, "who plays gry?")
    reply = only_reply()
    edit(bot, question, HIM)
    await dpytest.run_all_events()
    again = await reply.channel.fetch_message(reply.id)
    assert again.content == SMEDEN_NOTE and "Leif Sylvester" in again.embeds[0].description


async def test_small_talk_is_a_plain_message_without_buttons(
    make_bot: BotFactory, sent_payloads: list[dict]
) -> None:
    bot = await make_bot()
    await says(bot, "hi!")
    reply = only_reply()
    assert reply.content.startswith("Hi! I'm a bot") and "Who plays Smeden?" in reply.content
    assert not reply.embeds and not sent_payloads[-1].get("components")
    await says(bot, HIM)  # small talk is no turn: still nobody to resolve
    assert only_reply().content.startswith(CLARIFY)


async def test_slash_ask_starts_fresh_unless_asked_to_follow_up(
    make_bot: BotFactory, discord_api: Any
) -> None:
    bot = await make_bot()
    member = dpytest.get_config().members[0]  # the slash commands come from channels[0] too
    await says(bot, DAD)
    only_reply()
    follow = await discord_api.slash("ask", question=HIM, follow_up=True, user=member.id)
    (defer, sent) = discord_api.requests_of(follow)
    assert sent.data["content"] == SMEDEN_NOTE and "Leif Sylvester" in str(sent.data)
    fresh = await discord_api.slash("ask", question=HIM, user=member.id)
    (defer, sent) = discord_api.requests_of(fresh)
    assert sent.data["content"].startswith(CLARIFY) and "Leif Sylvester" not in str(sent.data)
    assert not sent.data.get("embeds") and not sent.data.get("components")
    await says(bot, "and charlotte?")  # a mention goes on from the last /ask
    assert only_reply().content.startswith("(taking it as")


def test_keys_are_salted_hashes_not_ids() -> None:
    a, b = Conversations(300, 10), Conversations(300, 10)
    key = a.user_key(123456789, 987654321)
    assert len(key) == 16 and b"987654321" not in key
    assert key == a.user_key(123456789, 987654321) != b.user_key(123456789, 987654321)
    assert a.user_key(1, 2) != a.user_key(2, 1)
