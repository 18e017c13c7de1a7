"""bot/cooldown.py: a sliding window per user, one "slow down" per window."""

from __future__ import annotations

import pytest

from bot import cooldown
from bot.cooldown import UserCooldowns


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_rate_questions_then_refusal_then_allowed_again() -> None:
    clock = Clock()
    cd = UserCooldowns(5, 30, clock=clock)
    for i in range(5):
        clock.now += 1
        assert cd.hit(7).allowed, i
    clock.now += 1  # t = 1006; the first hit was at 1001
    d = cd.hit(7)
    assert not d.allowed and d.notify and d.retry_after == pytest.approx(25.0)
    clock.now = 1031  # 30 s after the first hit: one slot free again
    assert cd.hit(7).allowed
    assert not cd.hit(7).allowed  # and only one


def test_only_the_first_refusal_in_a_window_notifies() -> None:
    clock = Clock()
    cd = UserCooldowns(1, 10, clock=clock)
    assert cd.hit(1).allowed
    assert cd.hit(1).notify
    clock.now += 5
    second = cd.hit(1)
    assert not second.allowed and not second.notify
    clock.now += 5  # the window has passed
    assert cd.hit(1).allowed
    assert cd.hit(1).notify  # a new window, a new warning


def test_refused_questions_do_not_extend_the_wait() -> None:
    clock = Clock()
    cd = UserCooldowns(2, 10, clock=clock)
    cd.hit(1)
    cd.hit(1)
    for _ in range(20):
        clock.now += 0.4
        cd.hit(1)
    clock.now = 1010.0
    assert cd.hit(1).allowed


def test_users_are_independent() -> None:
    cd = UserCooldowns(1, 60, clock=Clock())
    assert cd.hit(1).allowed
    assert not cd.hit(1).allowed
    assert cd.hit(2).allowed


def test_idle_users_are_forgotten(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cooldown, "_PRUNE_AT", 3)
    clock = Clock()
    cd = UserCooldowns(1, 10, clock=clock)
    for u in range(3):
        cd.hit(u)
    clock.now += 11
    cd.hit(99)  # the fourth user triggers pruning of the three idle ones
    assert len(cd) == 1


def test_invalid_limits_are_rejected() -> None:
    with pytest.raises(ValueError):
        UserCooldowns(0, 10)
    with pytest.raises(ValueError):
        UserCooldowns(1, 0)


@pytest.mark.parametrize("per", [float("nan"), float("inf"), -1.0])
def test_a_period_that_is_not_a_finite_positive_number_is_rejected(per: float) -> None:
    # nan compared false with everything and so turned the limit off; inf overflowed later
    with pytest.raises(ValueError):
        UserCooldowns(1, per)
