"""What a conversation remembers between turns, and where conversations are kept.

A `Turn` is a frozen record of one answered question: what the engine was asked, whom it was
about, the kind of answer wanted and the passages shown; a `Resolution` is how the next question
was read against it (followup.py). `ContextStore` keeps the last turn of
each conversation in memory only, at most `capacity` conversations (least recently used first
out), each forgotten `ttl` seconds after its last turn: nothing of it is ever written to disk,
and no question outlives the TTL.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

Clock = Callable[[], float]
V = TypeVar("V")

MAX_FOCUS = 4  # entities a conversation keeps in mind, most salient first


@dataclass(frozen=True, slots=True)
class Turn:
    """One question of a conversation, as the engine understood it."""

    question: str  # as the user wrote it
    resolved: str  # as the engine was asked (the same text when nothing was resolved)
    focus: tuple[int, ...] = ()  # entities a pronoun in the next question most likely means
    named: tuple[tuple[int, str], ...] = ()  # (entity, the words naming it) in `resolved`
    answer_type: str = "other"
    aspect: str | None = None  # "start" / "end": the part of the story asked about
    shown: tuple[int, ...] = ()  # passage ids already shown ("more" shows the next ones)
    answered: bool = True
    quote: str | None = None  # the answer's quote: "why?" asks about what it said
    part: str | None = None  # another film of the series it asked about ("the third one")


@dataclass(frozen=True, slots=True)
class Resolution:
    """The question to put to the engine, and how a follow-up was taken."""

    question: str  # what the engine is asked
    resolved: bool = False  # whether it differs from what the user wrote
    note: str | None = None  # "(taking *him* as Sam, Ann's father)"
    more: bool = False  # "more": the previous question's passages not shown yet
    entities: tuple[int, ...] = ()  # whom the follow-up was taken to mean


class ContextStore(Generic[V]):
    """A bounded, expiring, in-memory map: at most `capacity` keys, each dropped `ttl` seconds
    after it was last written. Thread-safe; `clock` is injectable so tests never sleep."""

    def __init__(self, capacity: int, ttl: float, clock: Clock = time.monotonic) -> None:
        if capacity < 1 or ttl <= 0:
            raise ValueError("a context store needs capacity >= 1 and ttl > 0")
        self.capacity = capacity
        self.ttl = ttl
        self.clock = clock
        self._items: OrderedDict[Hashable, tuple[float, V]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        """The live value of `key`, or None (never set, evicted or expired)."""
        with self._lock:
            now = self.clock()
            self._sweep(now)
            hit = self._items.get(key)
            if hit is None:
                return None
            if now - hit[0] >= self.ttl:
                del self._items[key]
                return None
            return hit[1]

    def put(self, key: Hashable, value: V) -> None:
        """Set `key` (its TTL starts again), evicting the least recently written beyond capacity."""
        with self._lock:
            now = self.clock()
            self._items[key] = (now, value)
            self._items.move_to_end(key)
            self._sweep(now)
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)

    def pop(self, key: Hashable) -> V | None:
        """Forget `key`; its value if it was live."""
        with self._lock:
            hit = self._items.pop(key, None)
        if hit is None or self.clock() - hit[0] >= self.ttl:
            return None
        return hit[1]

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        with self._lock:
            self._sweep(self.clock())
            return len(self._items)

    def _sweep(self, now: float) -> None:
        # Written in time order (put moves a key to the end), so the expired are at the front.
        while self._items:
            written, _ = next(iter(self._items.values()))
            if now - written < self.ttl:
                break
            self._items.popitem(last=False)
