"""Per-user rate limit shared by `/ask`, mentions and DMs: `rate` questions per `per` seconds."""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

# Forget users idle for a full period once this many are tracked, so memory stays bounded.
_PRUNE_AT = 10_000


@dataclass(frozen=True, slots=True)
class Decision:
    """Whether a question may be answered now; if not, when, and whether to say so."""

    allowed: bool
    retry_after: float = 0.0
    notify: bool = False  # only the first refusal in a window gets a "slow down" reply


class UserCooldowns:
    """A sliding-window limiter keyed by user id; use from the event loop only (no locking)."""

    def __init__(self, rate: int, per: float, clock: Callable[[], float] = time.monotonic) -> None:
        if rate < 1 or not 0 < per < math.inf:  # written so that nan fails too
            raise ValueError(f"rate must be at least 1 and per a finite number > 0, not {rate}, {per}")
        self.rate = rate
        self.per = per
        self._clock = clock
        self._hits: dict[int, deque[float]] = {}
        self._warned_until: dict[int, float] = {}

    def hit(self, user_id: int) -> Decision:
        """Record a question from `user_id` if allowed, and say whether it is."""
        now = self._clock()
        hits = self._hits.get(user_id)
        if hits is None:
            if len(self._hits) >= _PRUNE_AT:
                self._prune(now)
            hits = self._hits[user_id] = deque(maxlen=self.rate)
        if len(hits) == self.rate and now - hits[0] < self.per:
            # refused questions are not recorded: the window is not pushed further out
            retry_after = hits[0] + self.per - now
            notify = now >= self._warned_until.get(user_id, float("-inf"))
            if notify:
                self._warned_until[user_id] = hits[0] + self.per
            return Decision(allowed=False, retry_after=retry_after, notify=notify)
        hits.append(now)
        return Decision(allowed=True)

    def _prune(self, now: float) -> None:
        idle = [u for u, h in self._hits.items() if not h or now - h[-1] >= self.per]
        for u in idle:
            del self._hits[u]
            self._warned_until.pop(u, None)

    def __len__(self) -> int:
        return len(self._hits)
