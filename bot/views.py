"""The buttons under an answer: "More passages" (asker only) and 👍/👎 feedback."""

from __future__ import annotations

import logging
import time
from typing import Any

import discord

from bot import format as fmt
from bot.feedback import FeedbackLog, Vote
from retrieval.answer.result import Answer

log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()

# A reply sent through an interaction (an /ask answer) can be edited only with that
# interaction's token, which Discord honours for 15 minutes. The buttons must be greyed out
# before then, with a margin for a slow edit or a clock that runs a little late.
INTERACTION_TOKEN_LIFE = 15 * 60.0
EDIT_MARGIN = 60.0


def edit_deadline(received: float) -> float:
    """When (`time.monotonic()`) a reply to an interaction received at `received` is last edited."""
    return received + INTERACTION_TOKEN_LIFE - EDIT_MARGIN


def item_name(item: discord.ui.Item[Any]) -> str:
    """A readable name for a button in logs: its label, else its emoji."""
    label = getattr(item, "label", None)
    emoji = getattr(item, "emoji", None)
    return str(label or emoji or type(item).__name__)


class AnswerView(discord.ui.View):
    """Pages through one answer's results and records votes; stops working after `timeout`.

    discord.py restarts the timeout on every click. When the reply can only be edited until a
    `deadline` (an interaction's token, see `edit_deadline`), the timeout never runs past it, so
    the buttons are always greyed out while that is still possible.
    """

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
        deadline: float | None = None,
    ) -> None:
        self.base_timeout = timeout
        self.deadline = deadline
        super().__init__(timeout=self._capped_timeout())
        self.answer = answer
        self.asker_id = asker_id
        self.guild_id = guild_id
        self.show_spoilers = show_spoilers
        self.feedback = feedback
        self.pages = fmt.pages(answer.results, per_page)
        self.page = 0
        self.voters: set[int] = set()  # votes saved
        self._voting: set[int] = set()  # votes being saved (a double click must not count twice)
        # Set by whoever sends the view, so that on_timeout can disable the buttons.
        self.message: discord.Message | discord.WebhookMessage | None = None
        if len(self.pages) < 2:
            self.remove_item(self.more)

    def _capped_timeout(self) -> float:
        if self.deadline is None:
            return self.base_timeout
        # Never 0: discord.py reads a timeout of 0 as "no timeout at all".
        return max(0.001, min(self.base_timeout, self.deadline - time.monotonic()))

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Every click is allowed; discord.py then restarts the timeout, which is capped here."""
        self.timeout = self._capped_timeout()
        return True

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
        user_id = interaction.user.id
        if user_id in self.voters or user_id in self._voting:
            await interaction.response.send_message(
                fmt.ALREADY_VOTED_TEXT, ephemeral=True, allowed_mentions=NO_MENTIONS
            )
            return
        self._voting.add(user_id)
        try:
            await self.feedback.vote(
                question=self.answer.question,
                shown=self.pages[self.page],
                vote=vote,
                user_id=user_id,
                guild_id=self.guild_id,
                page=self.page,
            )
        except OSError as e:  # disk full, file not writable, ...: the vote is not counted
            log.warning("could not save a vote to %s: %s", self.feedback.path, e.strerror or e)
            await interaction.response.send_message(
                fmt.VOTE_NOT_SAVED_TEXT, ephemeral=True, allowed_mentions=NO_MENTIONS
            )
            return
        finally:
            self._voting.discard(user_id)
        self.voters.add(user_id)
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
        except discord.HTTPException as e:  # deleted, or no permission any more
            log.info("could not grey out the buttons of an answer: %s", e)

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]
    ) -> None:
        """Log the traceback; the user gets a short apology."""
        log.error("button %s failed", item_name(item), exc_info=error)
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
