"""Slash commands: `/ask` (a quoted, cited answer) and `/about` (what the corpus holds)."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot import format as fmt
from bot.views import NO_MENTIONS, edit_deadline
from retrieval.index.stats import CorpusStats
from retrieval.settings import MAX_QUESTION_CHARS

if TYPE_CHECKING:
    from bot.client import PusherBot


class AskCog(commands.Cog):
    """`/ask` and `/about`."""

    def __init__(self, bot: PusherBot) -> None:
        self.bot = bot
        self._stats: CorpusStats | None = None  # the index is read-only while the bot runs

    @app_commands.command()
    async def ask(
        self,
        interaction: discord.Interaction,
        question: app_commands.Range[str, 1, MAX_QUESTION_CHARS],
        private: bool = False,
        spoilers: bool = False,
        follow_up: bool = False,
    ) -> None:
        """Ask a question about the film Pusher II; the answer is a quote with its source.

        Parameters
        ----------
        question
            Your question, for example: who plays the Duke?
        private
            Only you see the answer.
        spoilers
            Show plot spoilers as plain text (only you see the answer then).
        follow_up
            Read the question after your last one here ("who plays him?").
        """
        received = time.monotonic()  # the interaction's token, which edits the reply, lives from now
        decision = self.bot.cooldowns.hit(interaction.user.id)
        if not decision.allowed:
            await interaction.response.send_message(
                fmt.cooldown_text(decision.retry_after),
                ephemeral=True,
                allowed_mentions=NO_MENTIONS,
            )
            return
        # Plain spoilers are for the asker only: they must never land unhidden in a channel.
        ephemeral = private or spoilers
        # Discord drops an interaction not acknowledged within 3 s; the work comes after.
        await interaction.response.defer(ephemeral=ephemeral, thinking=True)
        conversations = self.bot.conversations
        channel = interaction.channel_id or 0
        previous = conversations.previous(channel, interaction.user.id, None) if follow_up else None
        reply, turn = await self.bot.answerer.converse(
            question,
            previous,
            asker_id=interaction.user.id,
            guild_id=interaction.guild_id,
            show_spoilers=spoilers,
            deadline=edit_deadline(received),
        )
        message = await interaction.followup.send(
            **reply.send_kwargs(), ephemeral=ephemeral, wait=True
        )
        if reply.view is not None:
            reply.view.message = message
        if turn is not None:  # a mention or the next /ask follow_up can go on from here
            conversations.remember(channel, interaction.user.id, turn, message.id)

    @app_commands.command()
    async def about(self, interaction: discord.Interaction) -> None:
        """What pusherbot knows: its documents, passages, reviews, model and index."""
        if self._stats is None:
            self._stats = await asyncio.to_thread(self.bot.engine.stats)
        embed = discord.Embed.from_dict(fmt.about_embed(self._stats))
        await interaction.response.send_message(embed=embed, allowed_mentions=NO_MENTIONS)
