"""The bot client: holds the shared engine, settings, cooldowns and feedback log; loads the cogs."""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.answering import AnswerEngine, Answerer
from bot.conversations import Conversations
from bot.cooldown import UserCooldowns
from bot.feedback import FeedbackLog
from bot.settings import BotSettings
from bot.views import NO_MENTIONS, send_error

log = logging.getLogger(__name__)


def build_intents(settings: BotSettings) -> discord.Intents:
    """Only what the bot uses: guilds, guild and DM messages, and message content if enabled."""
    intents = discord.Intents.none()
    intents.guilds = True  # channel and guild cache, needed to reply in channels
    intents.guild_messages = True  # mentions arrive as guild messages
    intents.dm_messages = True
    # Privileged; without it Discord still sends the content of DMs and of messages that
    # mention the bot, so mention replies keep working — only unrelated text is withheld.
    intents.message_content = settings.message_content
    return intents


class PusherTree(app_commands.CommandTree):
    """The command tree: an exception in a slash command is logged and apologised for."""

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        """Log the traceback; the user sees one short line."""
        command = interaction.command.qualified_name if interaction.command else "?"
        log.error("/%s failed", command, exc_info=error)
        await send_error(interaction)


class PusherBot(commands.Bot):
    """pusherbot on a single gateway connection (tests and benchmarks use this one)."""

    def __init__(
        self,
        settings: BotSettings,
        engine: AnswerEngine,
        *,
        intents: discord.Intents | None = None,
        sync_commands: bool = True,
        **options: Any,
    ) -> None:
        # The bot never joins voice: skip discord.py's warnings about missing voice libraries.
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        super().__init__(
            command_prefix=commands.when_mentioned,  # unused: there are no prefix commands
            help_command=None,
            intents=intents or build_intents(settings),
            allowed_mentions=NO_MENTIONS,  # the default for any send that forgets to pass it
            tree_cls=PusherTree,
            **options,
        )
        self.settings = settings
        self.engine = engine
        self.feedback = FeedbackLog(settings.feedback_file)
        self.answerer = Answerer(engine, settings, self.feedback)
        self.cooldowns = UserCooldowns(settings.cooldown_rate, settings.cooldown_per)
        self.conversations = Conversations(settings.core.context_ttl, settings.core.context_max)
        self.sync_commands = sync_commands

    async def setup_hook(self) -> None:
        """Load the cogs, then sync the slash commands (to one guild if DISCORD_GUILD_ID is set)."""
        from bot.cogs.ask import AskCog
        from bot.cogs.mentions import MentionsCog

        await self.add_cog(AskCog(self))
        await self.add_cog(MentionsCog(self))
        if self.sync_commands and self.settings.syncs_commands:
            await self.sync_tree()

    async def sync_tree(self) -> list[app_commands.AppCommand]:
        """Publish the slash commands: instantly to one guild, or globally (up to an hour)."""
        if self.settings.guild_id is not None:
            guild = discord.Object(id=self.settings.guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d commands to guild %s", len(synced), self.settings.guild_id)
        else:
            synced = await self.tree.sync()
            log.info("synced %d commands globally", len(synced))
        return synced

    async def close(self) -> None:
        """Disconnect, then stop the answering threads."""
        try:
            await super().close()
        finally:
            self.answerer.close()

    async def on_message(self, message: discord.Message) -> None:
        """Nothing: there are no prefix commands; MentionsCog listens for questions."""

    async def on_ready(self) -> None:
        """Log who we are once connected."""
        log.info("connected as %s to %d guilds", self.user, len(self.guilds))


class ShardedPusherBot(PusherBot, commands.AutoShardedBot):
    """pusherbot over several gateway shards; what `python -m bot` runs.

    `DISCORD_SHARD_COUNT` and `DISCORD_SHARD_IDS` let several processes each run some shards.
    """

    def __init__(self, settings: BotSettings, engine: AnswerEngine, **options: Any) -> None:
        if settings.shard_count is not None:
            options["shard_count"] = settings.shard_count
        if settings.shard_ids is not None:
            options["shard_ids"] = list(settings.shard_ids)
        super().__init__(settings, engine, **options)
