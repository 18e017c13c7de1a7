"""How the CLI prints answers and progress for people (JSON goes straight from the core)."""

from __future__ import annotations

import sys
import textwrap
import time

from retrieval.answer.result import ABSTAIN_MESSAGE, Answer


def render_answer(answer: Answer, width: int = 100) -> str:
    """The quote, its citation, and the next best passages, as terminal text."""
    if not answer.results:
        return ABSTAIN_MESSAGE
    lines: list[str] = []
    if not answer.answered:
        lines.append(answer.message or ABSTAIN_MESSAGE)
        lines.append("Closest passages (low confidence):")
        rest = answer.results
    else:
        best = answer.results[0]
        lines.extend(textwrap.wrap(f"“{best.quote}”", width=width) or [""])
        lines.append(f"  — {best.citation}{_spoiler(best.passage.spoiler)}")
        rest = answer.results[1:]
        if rest:
            lines.append("Also relevant:")
    for r in rest:
        quote = textwrap.shorten(r.quote, width=width - 8, placeholder="…")
        lines.append(f"  {r.rank}. “{quote}”")
        lines.append(f"     — {r.citation}{_spoiler(r.passage.spoiler)}")
    return "\n".join(lines)


def _spoiler(flag: bool) -> str:
    return "  [spoiler]" if flag else ""


class ProgressBar:
    """A one-line progress bar on stderr, drawn only when stderr is a terminal."""

    def __init__(self, label: str, stream=sys.stderr) -> None:
        self.label = label
        self.stream = stream
        self.tty = stream.isatty()
        self.started = time.perf_counter()
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        if not self.tty or total <= 0:
            return
        filled = int(30 * done / total)
        bar = "#" * filled + "-" * (30 - filled)
        self.stream.write(f"\r{self.label} [{bar}] {done}/{total}")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        """End the bar's line."""
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
