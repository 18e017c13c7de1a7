"""The buttons under an answer: "More passages" (asker only) and 👍/👎 feedback."""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot import format as fmt
from bot.feedback import FeedbackLog, Vote, feedback_record
from retrieval.answer.result import Answer

log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()


class AnswerView(discord.ui.View):
    """Pages through one answer's results and records votes; stops working after `timeout`."""

    def __init__(
        self,
        answer: Answer,
        *,
        asker_id: int,
        guild_id: int | None,
        show_spoilers: bool,
        per_page: int,
        feedback: FeedbackLog,
        timeout: float,
    ) -> None:
        super().__init__(timeout=timeout)
        self.answer = answer
        self.asker_id = asker_id
        self.guild_id = guild_id
        self.show_spoilers = show_spoilers
        self.feedback = feedback
        self.pages = fmt.pages(answer.results, per_page)
        self.page = 0
        self.voters: set[int] = set()
        # Set by whoever sends the view, so that on_timeout can disable the buttons.
        self.message: discord.Message | discord.WebhookMessage | None = None
        if len(self.pages) < 2:
            self.remove_item(self.more)

    def embed(self) -> discord.Embed:
        """The embed of the page being shown."""
        data = fmt.answer_embed(
            self.answer,
            self.pages[self.page],
            self.page,
            len(self.pages),
            show_spoilers=self.show_spoilers,
        )
        return discord.Embed.from_dict(data)

    @discord.ui.button(label="More passages", style=discord.ButtonStyle.secondary)
    async def more(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        """Show the next page of results (only for the asker)."""
        if interaction.user.id != self.asker_id:
            await interaction.response.send_message(
                fmt.ONLY_ASKER_TEXT, ephemeral=True, allowed_mentions=NO_MENTIONS
            )
            return
        self.page = min(self.page + 1, len(self.pages) - 1)
        button.disabled = self.page == len(self.pages) - 1
        await interaction.response.edit_message(
            embed=self.embed(), view=self, allowed_mentions=NO_MENTIONS
        )

    @discord.ui.button(emoji="👍", style=discord.ButtonStyle.secondary)
    async def upvote(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        """Record that the shown passages answered the question."""
        await self._vote(interaction, "up")

    @discord.ui.button(emoji="👎", style=discord.ButtonStyle.secondary)
    async def downvote(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        """Record that the shown passages did not answer the question."""
        await self._vote(interaction, "down")

    async def _vote(self, interaction: discord.Interaction, vote: Vote) -> None:
        if interaction.user.id in self.voters:
            await interaction.response.send_message(
                fmt.ALREADY_VOTED_TEXT, ephemeral=True, allowed_mentions=NO_MENTIONS
            )
            return
        self.voters.add(interaction.user.id)
        record = feedback_record(
            question=self.answer.question,
            shown=self.pages[self.page],
            vote=vote,
            user_id=interaction.user.id,
            guild_id=self.guild_id,
            page=self.page,
        )
        await self.feedback.record(record)
        await interaction.response.send_message(
            fmt.THANKS_TEXT, ephemeral=True, allowed_mentions=NO_MENTIONS
        )

    async def on_timeout(self) -> None:
        """Grey the buttons out so nobody clicks a dead view."""
        for item in self.children:
            if isinstance(item, discord.ui.Button):
                item.disabled = True
        if self.message is None:
            return
        try:
            await self.message.edit(view=self, allowed_mentions=NO_MENTIONS)
        except discord.HTTPException as e:  # deleted, or the ephemeral token expired
            log.debug("could not disable the buttons of an answer: %s", e)

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]
    ) -> None:
        """Log the traceback; the user gets a short apology."""
        log.error("button %r failed", getattr(item, "label", item), exc_info=error)
        await send_error(interaction)


async def send_error(interaction: discord.Interaction) -> None:
    """Tell the user something went wrong, whether or not the interaction was answered yet."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(
                fmt.ERROR_TEXT, ephemeral=True, allowed_mentions=NO_MENTIONS
            )
        else:
            await interaction.response.send_message(
                fmt.ERROR_TEXT, ephemeral=True, allowed_mentions=NO_MENTIONS
            )
    except discord.HTTPException:
        log.warning("could not tell the user about an error", exc_info=True)
