"""Discord's side of interactions, for tests through discord.py's real dispatch.

dpytest simulates the gateway and the channel endpoints, but not interactions. `FakeDiscord`
fills that gap at discord.py's lowest HTTP layer for interactions: it makes the INTERACTION_CREATE
events a user's slash command or button click sends, feeds them to the client's real connection
state (so the command tree, the view store and the view's own dispatch all run), and answers the
interaction and webhook requests discord.py then makes the way Discord does, recording each one.
Like Discord, it refuses a second response to one interaction and any use of an interaction
token after its lifetime.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import discord
from discord.webhook.async_ import AsyncWebhookAdapter

EPHEMERAL = 64  # the message flag




@dataclass
class Request:
    """One request discord.py made to Discord's interaction or webhook endpoints."""

    method: str
    path: str  # the route's template, e.g. /webhooks/{webhook_id}/{webhook_token}
    token: str
    target: str | None  # the message in the URL ('@original' or an id), if any
    payload: dict[str, Any]
    status: int = 200
    message_id: int | None = None  # the message created or edited

    @property
    def is_callback(self) -> bool:
        return self.path.endswith("/callback")

    @property
    def kind(self) -> int | None:
        """The interaction response type of a callback (4 message, 5 deferred, 7 update)."""
        return self.payload.get("type") if self.is_callback else None

    @property
    def data(self) -> dict[str, Any]:
        """The message part of the request."""
        return (self.payload.get("data") or {}) if self.is_callback else self.payload

    @property
    def ephemeral(self) -> bool:
        return bool(self.data.get("flags", 0) & EPHEMERAL)

    @property
    def ok(self) -> bool:
        return self.status < 300

    def embed(self) -> discord.Embed:
        (embed,) = self.data["embeds"]
        return discord.Embed.from_dict(embed)


@dataclass
class _Token:
    interaction_id: int
    created: float  # time.monotonic()
    user_id: int
    channel_id: int
    component_message: int | None = None  # the message whose button was clicked
    responded: bool = False
    original: int | None = None  # the message of the interaction's response
    loading: bool = False  # the original is a "thinking…" placeholder
    followups: list[int] = field(default_factory=list)


class DiscordError(discord.HTTPException):
    """An HTTP error as Discord sends it."""

    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(SimpleNamespace(status=status, reason=message), {"code": code, "message": message})


class FakeDiscord:
    """Sends interactions to the bot and answers its interaction/webhook requests like Discord."""

    def __init__(self, token_life: float = 15 * 60.0) -> None:
        self.token_life = token_life  # Discord: 15 minutes
        self.requests: list[Request] = []
        self.messages: dict[int, dict[str, Any]] = {}  # message data, as Discord holds it
        self.ephemeral: set[int] = set()
        self._tokens: dict[str, _Token] = {}
        self._snowflakes = itertools.count(1_300_000_000_000_000_000)
        self.bot: discord.Client | None = None
        self.command_id = next(self._snowflakes)

    # -- wiring ---------------------------------------------------------------------------------

    def install(self, monkeypatch: Any) -> None:
        """Route discord.py's interaction and webhook requests here instead of to Discord."""

        async def request(adapter: Any, route: Any, session: Any = None, **kwargs: Any) -> Any:
            return self._handle(route, **kwargs)

        monkeypatch.setattr(AsyncWebhookAdapter, "request", request)

    def attach(self, bot: discord.Client) -> FakeDiscord:
        """The (dpytest-configured) bot that interactions are sent to."""
        self.bot = bot
        return self

    @property
    def _state(self) -> Any:
        assert self.bot is not None, "attach a bot first"
        return self.bot._connection

    def _guild_and_channel(self) -> tuple[discord.Guild, discord.TextChannel]:
        import discord.ext.test as dpytest

        config = dpytest.get_config()
        return config.guilds[0], config.channels[0]

    # -- what a user does ----------------------------------------------------------------------

    async def slash(self, command: str, *, user: int = 1001, **options: Any) -> str:
        """The user runs `/command option:value …`; returns its token once the bot is done."""
        kinds = {bool: 5, int: 4, str: 3}
        data = {
            "id": str(self.command_id),
            "name": command,
            "type": 1,
            "options": [{"name": k, "type": kinds[type(v)], "value": v} for k, v in options.items()],
        }
        token = self._send(2, data, user)
        await self.settle()
        return token

    async def click(self, message_id: int, button: str, *, user: int = 1001) -> str:
        """The user clicks the button labelled `button` (or showing that emoji) under a message."""
        message = self.messages[message_id]
        component = self.button(message_id, button)
        assert not component.get("disabled"), f"the {button} button is disabled"
        data = {"custom_id": component["custom_id"], "component_type": 2}
        token = self._send(3, data, user, message=message)
        await self.settle()
        return token

    def button(self, message_id: int, button: str) -> dict[str, Any]:
        """The button labelled `button` (or showing that emoji) as the message now shows it."""
        for row in self.messages[message_id].get("components", []):
            for c in row.get("components", []):
                if button in (c.get("label"), (c.get("emoji") or {}).get("name")):
                    return c
        raise AssertionError(f"no {button!r} button under message {message_id}")

    def buttons(self, message_id: int) -> list[dict[str, Any]]:
        """Every button under a message, as it now shows them."""
        rows = self.messages[message_id].get("components", [])
        return [c for row in rows for c in row.get("components", [])]

    async def settle(self) -> None:
        """Wait until every command, button callback and view timeout discord.py started is done."""
        names = ("CommandTree-invoker", "discord-ui-view-dispatch", "discord-ui-view-timeout")
        me = asyncio.current_task()
        while True:
            pending = [
                t for t in asyncio.all_tasks()
                if t is not me and not t.done() and t.get_name().startswith(names)
            ]
            if not pending:
                return
            await asyncio.wait(pending)

    def _send(self, kind: int, data: dict[str, Any], user: int, message: dict | None = None) -> str:
        guild, channel = self._guild_and_channel()
        bot_user = self._state.user
        interaction_id = next(self._snowflakes)
        token = f"interaction-token-{interaction_id}"
        payload: dict[str, Any] = {
            "id": str(interaction_id),
            "application_id": str(bot_user.id),
            "type": kind,
            "token": token,
            "version": 1,
            "guild_id": str(guild.id),
            "channel_id": str(channel.id),
            "channel": {"id": str(channel.id), "type": 0, "guild_id": str(guild.id),
                        "name": channel.name, "position": 0, "permission_overwrites": []},
            "member": {
                "user": {"id": str(user), "username": f"user{user}", "discriminator": "0",
                         "global_name": None, "avatar": None},
                "roles": [], "joined_at": "2024-01-01T00:00:00+00:00", "deaf": False,
                "mute": False, "flags": 0, "permissions": "2147483647",
            },
            "data": data,
            "locale": "en-US",
            "guild_locale": "en-US",
            "app_permissions": "2147483647",
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(guild.id)},
            "context": 0,
            "attachment_size_limit": 10_485_760,
        }
        if message is not None:
            payload["message"] = message
        self._tokens[token] = _Token(
            interaction_id, time.monotonic(), user, channel.id,
            component_message=int(message["id"]) if message is not None else None,
        )
        self._state.parse_interaction_create(payload)
        return token

    # -- what Discord answers --------------------------------------------------------------------

    def requests_of(self, token: str) -> list[Request]:
        """The requests made with one interaction's token, in order."""
        return [r for r in self.requests if r.token == token]

    def reply_of(self, token: str) -> dict[str, Any]:
        """The message an interaction's response ended up as (after any followup)."""
        t = self._tokens[token]
        mid = t.original if t.original is not None else (t.followups or [None])[-1]
        assert mid is not None, "the interaction got no reply"
        return self.messages[mid]

    def reply_id(self, token: str) -> int:
        return int(self.reply_of(token)["id"])

    def is_ephemeral(self, message_id: int) -> bool:
        return message_id in self.ephemeral

    def _handle(self, route: Any, *, payload: dict | None = None, multipart: list | None = None,
                **_: Any) -> Any:
        if payload is None and multipart:
            payload = json.loads(next(p["value"] for p in multipart if p["name"] == "payload_json"))
        token = route.webhook_token
        target = route.url.rsplit("/messages/", 1)[1] if "/messages/" in route.url else None
        request = Request(route.method, route.path, token, target, payload or {})
        self.requests.append(request)
        t = self._tokens.get(token)
        if t is None:
            return self._fail(request, 401, 50027, "Invalid Webhook Token")
        if time.monotonic() - t.created > self.token_life:
            return self._fail(request, 401, 50027, "Invalid Webhook Token")
        if request.is_callback:
            return self._callback(t, request)
        if route.method == "POST":
            return self._followup(t, request)
        if route.method == "PATCH":
            return self._edit(t, request)
        raise AssertionError(f"unexpected request {route.method} {route.path}")

    def _fail(self, request: Request, status: int, code: int, message: str) -> Any:
        request.status = status
        raise DiscordError(status, code, message)

    def _callback(self, t: _Token, request: Request) -> dict[str, Any]:
        if t.responded:
            return self._fail(request, 400, 40060, "Interaction has already been acknowledged.")
        t.responded = True
        kind, data = request.kind, request.data
        if kind in (4, 5):  # a message (or "thinking…", which the first followup fills in)
            mid = self._new_message(t, data, ephemeral=bool(data.get("flags", 0) & EPHEMERAL))
            t.loading = kind == 5
        elif kind in (6, 7):  # the clicked message itself (7 updates it)
            assert t.component_message is not None, "an update response needs a component"
            mid = t.component_message
            if kind == 7:
                self._update(mid, data)
        else:
            raise AssertionError(f"unexpected interaction response type {kind}")
        t.original = request.message_id = mid
        return {
            "interaction": {
                "id": str(t.interaction_id),
                "type": 2 if t.component_message is None else 3,
                "response_message_id": str(mid),
                "response_message_loading": kind == 5,
                "response_message_ephemeral": mid in self.ephemeral,
            },
            "resource": {"type": kind, "message": self.messages[mid]},
        }

    def _followup(self, t: _Token, request: Request) -> dict[str, Any]:
        if not t.responded:
            return self._fail(request, 404, 10015, "Unknown Webhook")
        if t.loading and t.original is not None:
            # Discord: the first followup after a "thinking" defer becomes that message, and
            # keeps the defer's visibility whatever flags the followup asks for.
            t.loading = False
            mid = t.original
            self._update(mid, request.data)
        else:
            mid = self._new_message(t, request.data, ephemeral=request.ephemeral)
            t.followups.append(mid)
        request.message_id = mid
        return self.messages[mid]

    def _edit(self, t: _Token, request: Request) -> dict[str, Any]:
        mid = t.original if request.target == "@original" else int(request.target or 0)
        mine = {t.original, t.component_message, *t.followups}
        if mid is None or mid not in mine or mid not in self.messages:
            return self._fail(request, 404, 10008, "Unknown Message")
        self._update(mid, request.data)
        request.message_id = mid
        return self.messages[mid]

    def _new_message(self, t: _Token, data: dict[str, Any], *, ephemeral: bool) -> int:
        mid = next(self._snowflakes)
        bot_user = self._state.user
        self.messages[mid] = {
            "id": str(mid),
            "channel_id": str(t.channel_id),
            "author": {"id": str(bot_user.id), "username": bot_user.name, "discriminator": "0",
                       "avatar": None, "bot": True},
            "content": "",
            "embeds": [],
            "components": [],
            "attachments": [],
            "mentions": [],
            "mention_roles": [],
            "mention_everyone": False,
            "pinned": False,
            "tts": False,
            "timestamp": datetime.now(UTC).isoformat(),
            "edited_timestamp": None,
            "type": 20,
            "flags": EPHEMERAL if ephemeral else 0,
            "webhook_id": str(bot_user.id),
            "application_id": str(bot_user.id),
        }
        if ephemeral:
            self.ephemeral.add(mid)
        self._update(mid, data)
        return mid

    def _update(self, mid: int, data: dict[str, Any]) -> None:
        message = self.messages[mid]
        for key in ("content", "embeds", "components"):
            if key in data:
                message[key] = data[key] if data[key] is not None else ([] if key != "content" else "")

    def message_payloads(self) -> Iterator[dict[str, Any]]:
        """Every request body that put text or an embed on screen."""
        for r in self.requests:
            if "content" in r.data or "embeds" in r.data:
                yield r.data
