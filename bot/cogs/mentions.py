"""Questions asked by mentioning the bot in a channel, or by writing to it in a DM."""

from __future__ import annotations

import contextlib
import logging
import re
from typing import TYPE_CHECKING, Any

import discord
from discord.ext import commands

from bot import format as fmt
from bot.conversations import Asked
from bot.views import NO_MENTIONS

if TYPE_CHECKING:
    from bot.client import PusherBot

log = logging.getLogger(__name__)

# Ordinary messages and replies; system messages are never questions.
_QUESTION_TYPES = (discord.MessageType.default, discord.MessageType.reply)


def question_from(
    content: str,
    *,
    bot_id: int,
    role_id: int | None = None,
    is_dm: bool = False,
    mentioned: bool = False,
) -> str | None:
    """The question in a message: its text minus the bot's mentions; None if not addressed to us.

    A message is addressed to the bot when it is a DM, names the bot (`<@id>`, `<@!id>`, or the
    bot's own role `<@&id>`) in its text, or is `mentioned`: Discord lists the bot among the
    message's mentions without any text for it when someone replies to the bot with the reply's
    @ switch on.
    """
    ids = [rf"<@!?{bot_id}>"] + ([rf"<@&{role_id}>"] if role_id is not None else [])
    pattern = re.compile("|".join(ids))
    if not (is_dm or mentioned) and pattern.search(content) is None:
        return None
    return " ".join(pattern.sub(" ", content).split())


async def reply_to(message: discord.Message, **kwargs: Any) -> discord.Message:
    """Send as a reply to `message`, without pinging its author; still sent if it was deleted."""
    reference = message.to_reference(fail_if_not_exists=False)
    return await message.channel.send(reference=reference, mention_author=False, **kwargs)


class MentionsCog(commands.Cog):
    """Answers `@pusherbot <question>` in channels and any message in a DM."""

    def __init__(self, bot: PusherBot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """Answer the message if it is a question for us; never raises."""
        question = self._question(message)
        if question is None:
            return
        try:
            await self._answer(message, question)
        except discord.HTTPException as e:  # no permission to send, message deleted, ...
            log.warning("could not reply in channel %s: %s", message.channel.id, e)
        except Exception:
            log.exception("handling a message failed")
            with contextlib.suppress(discord.HTTPException):  # the log already has the cause
                await reply_to(message, content=fmt.ERROR_TEXT, allowed_mentions=NO_MENTIONS)

    @commands.Cog.listener()
    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        """An edited question (within the TTL) is answered again, and our reply edited in
        place; never raises."""
        message = payload.message
        question = self._question(message)
        if question is None:
            return
        asked = self.bot.conversations.edited(message.id, message.content)
        if asked is None:
            return
        try:
            await self._answer_edit(message, question, asked)
        except discord.HTTPException as e:  # the reply was deleted, no permission, ...
            log.warning("could not edit a reply in channel %s: %s", message.channel.id, e)
        except Exception:
            log.exception("handling an edit failed")

    def _question(self, message: discord.Message) -> str | None:
        """The question a message asks us, or None when it is not for us."""
        if (
            message.author.bot  # ourselves and other bots
            or message.webhook_id is not None
            or message.type not in _QUESTION_TYPES  # joins, pins, boosts, ...
            or self.bot.user is None
        ):
            return None
        me = self.bot.user.id
        role = message.guild.self_role if message.guild is not None else None
        return question_from(
            message.content,
            bot_id=me,
            role_id=role.id if role is not None else None,
            is_dm=message.guild is None,
            # the mention metadata, not only the text: a reply that pings us has no <@id> in it
            mentioned=any(user.id == me for user in message.mentions)
            or (role is not None and role in message.role_mentions),
        )

    async def _answer(self, message: discord.Message, question: str) -> None:
        # Every message we would reply to counts, bare mentions too: each one costs a reply.
        decision = self.bot.cooldowns.hit(message.author.id)
        if not decision.allowed:
            if decision.notify:  # one warning per window, or the bot would spam back
                text = fmt.cooldown_text(decision.retry_after)
                await reply_to(message, content=text, allowed_mentions=NO_MENTIONS)
            return
        conversations = self.bot.conversations
        replied = message.reference.message_id if message.reference is not None else None
        previous = conversations.previous(message.channel.id, message.author.id, replied)
        reply, turn = await self.bot.answerer.converse(
            question,
            previous,
            asker_id=message.author.id,
            guild_id=message.guild.id if message.guild is not None else None,
        )
        sent = await reply_to(message, **reply.send_kwargs())
        if reply.view is not None:
            reply.view.message = sent
            conversations.views[sent.id] = reply.view
        if turn is not None:
            conversations.remember(message.channel.id, message.author.id, turn, sent.id,
                                   question_id=message.id, previous=previous,
                                   text=message.content)

    async def _answer_edit(self, message: discord.Message, question: str, asked: Asked) -> None:
        decision = self.bot.cooldowns.hit(message.author.id)
        if not decision.allowed:
            return  # an edit is never worth a warning of its own
        reply, turn = await self.bot.answerer.converse(
            question,
            asked.previous,
            asker_id=message.author.id,
            guild_id=message.guild.id if message.guild is not None else None,
        )
        ours = await message.channel.fetch_message(asked.reply_id)
        conversations = self.bot.conversations
        old = conversations.views.pop(ours.id, None)
        if old is not None:
            old.stop()  # its timeout must not grey out (and so overwrite) the new reply
        kwargs = reply.send_kwargs()
        # Whatever the old reply had and the new one has not goes: text, embed, buttons.
        await ours.edit(
            content=kwargs.get("content"),
            embed=kwargs.get("embed"),
            view=kwargs.get("view"),
            allowed_mentions=NO_MENTIONS,
        )
        if reply.view is not None:
            reply.view.message = ours
            conversations.views[ours.id] = reply.view
        if turn is not None:
            conversations.remember(message.channel.id, message.author.id, turn, ours.id,
                                   question_id=message.id, previous=asked.previous,
                                   text=message.content)
