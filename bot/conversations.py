"""Where a Discord conversation lives: which earlier turn a message continues, and which of the
bot's replies an edited question should update.

- A reply to one of the bot's answers continues the turn that answer came from.
- Otherwise the same user's next message in the same channel (or DM) continues their last turn
  there, within the TTL; another user's turns are never read (no cross-talk).
- `/ask` starts afresh unless asked to follow up.
- An edited question within the TTL is answered again, against the same earlier turn, and the
  bot's reply is edited in place.

Everything is in memory (bounded, expiring `ContextStore`s) and keyed by salted hashes of
Discord ids: no raw user id is kept, and the salt dies with the process.
"""

from __future__ import annotations

import hashlib
import secrets
import time
import weakref
from dataclasses import dataclass
from typing import Any

from retrieval.conversation.context import Clock, ContextStore, Turn


@dataclass(frozen=True, slots=True)
class Asked:
    """A question the bot replied to, kept so that an edit of it can update the reply."""

    reply_channel: int  # where the bot's reply is (a channel id, not a user's)
    reply_id: int  # the bot's reply message
    previous: Turn | None  # the turn the question was read against
    owner: bytes  # the conversation key the question's turn was stored under
    digest: bytes  # a hash of the question's text: an edit that changes nothing is ignored


class Conversations:
    """The bot's conversation memory: last turns per user and channel, turns per reply, and the
    questions whose edits update a reply."""

    def __init__(self, ttl: float, capacity: int, clock: Clock = time.monotonic) -> None:
        self._salt = secrets.token_bytes(16)
        self.turns: ContextStore[Turn] = ContextStore(capacity, ttl, clock)
        self.replies: ContextStore[Turn] = ContextStore(capacity, ttl, clock)
        self.asked: ContextStore[Asked] = ContextStore(capacity, ttl, clock)
        # The buttons of each live reply, so that editing a reply stops its old buttons (held
        # weakly: discord.py's view store decides how long a view lives).
        self.views: weakref.WeakValueDictionary[int, Any] = weakref.WeakValueDictionary()

    def key(self, kind: str, *ids: int) -> bytes:
        """An opaque key for ids (a user in a channel, a message): a salted 16-byte hash."""
        data = kind.encode() + b":" + b":".join(str(i).encode() for i in ids)
        return hashlib.blake2b(data, key=self._salt, digest_size=16).digest()

    def user_key(self, channel_id: int, user_id: int) -> bytes:
        """The conversation of one user in one channel or DM."""
        return self.key("user", channel_id, user_id)

    def previous(self, channel_id: int, user_id: int, replied_to: int | None) -> Turn | None:
        """The turn a message continues: the answer it replies to, else the user's last turn
        in this channel (None: a new conversation)."""
        if replied_to is not None:
            turn = self.replies.get(self.key("reply", replied_to))
            if turn is not None:
                return turn
        return self.turns.get(self.user_key(channel_id, user_id))

    def remember(self, channel_id: int, user_id: int, turn: Turn, reply_id: int | None,
                 *, question_id: int | None = None, previous: Turn | None = None,
                 text: str = "") -> None:
        """Keep a new turn: as the user's last one here, as the turn of the bot's reply, and
        (for a message) as the question an edit would answer again."""
        owner = self.user_key(channel_id, user_id)
        self.turns.put(owner, turn)
        if reply_id is None:
            return
        self.replies.put(self.key("reply", reply_id), turn)
        if question_id is not None:
            self.asked.put(self.key("asked", question_id),
                           Asked(channel_id, reply_id, previous, owner, digest(text)))

    def edited(self, question_id: int, text: str) -> Asked | None:
        """The record of a question whose text changed within the TTL, else None."""
        asked = self.asked.get(self.key("asked", question_id))
        if asked is None or asked.digest == digest(text):
            return None
        return asked

    def __len__(self) -> int:
        return len(self.turns)


def digest(text: str) -> bytes:
    """A short hash of a message's text (the text itself is not kept)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
