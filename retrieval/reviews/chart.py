"""The rating distribution as a bar chart of block characters, for terminals and Discord embeds.

Plain text by choice: it costs microseconds, needs no plotting library, and reads the same in a
terminal and in a Discord code block (README, "Reviews", for the PNG alternative measured).
"""

from __future__ import annotations

from collections.abc import Mapping

FULL = "█"  # a review that discusses the asked aspect (or any review, with nothing asked)
OTHER = "░"  # a review that does not
RATINGS = tuple(str(n) for n in range(10, 0, -1))  # highest first, as IMDb lists them


def bar_chart(ratings: Mapping[str, int], highlight: Mapping[str, int] | None = None,
              width: int = 20) -> list[str]:
    """One line per rating, 10 down to 1: a bar as long as its count (scaled to `width` when a
    count is larger), the reviews in `highlight` drawn solid and the rest shaded, then the count
    ("7 ███░░░░ 7 (3)" is seven 7/10 reviews, three of them discussing the aspect)."""
    if width < 1:
        raise ValueError(f"width must be at least 1, not {width}")
    most = max((ratings.get(r, 0) for r in RATINGS), default=0)
    scale = min(1.0, width / most) if most else 1.0
    pad = round(most * scale)
    lines = []
    for r in RATINGS:
        n = ratings.get(r, 0)
        lit = min(n, (highlight or {}).get(r, 0)) if highlight is not None else n
        solid = round(lit * scale)
        bar = FULL * solid + OTHER * (round(n * scale) - solid)
        if n and not bar:
            bar = FULL if lit else OTHER  # a rating someone gave never disappears
        count = f"{n}" + (f" ({lit})" if highlight is not None and n else "")
        lines.append(f"{r:>2} {bar:<{pad}} {count}".rstrip())
    return lines


def legend(highlighted: bool) -> str:
    """What the bars mean."""
    if highlighted:
        return f"{FULL} discusses it  {OTHER} does not  (count, discussing in brackets)"
    return f"{FULL} one review"
