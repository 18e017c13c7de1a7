"""How the CLI prints answers and progress for people (JSON goes straight from the core)."""

from __future__ import annotations

import sys
import textwrap
import time

from retrieval.answer.result import ABSTAIN_MESSAGE, Answer
from retrieval.reviews.summary import ReviewSummary


def render_answer(answer: Answer, width: int = 100, limit: int | None = None) -> str:
    """The quote, its citation, and the next best passages, as terminal text; an answer about
    the reviews starts with its summary line and shows `limit` of its quotes."""
    if answer.summary is not None:
        head = "\n".join(textwrap.wrap(answer.summary, width=width))
        more = len(answer.results) - (limit or len(answer.results))
        if not answer.results:
            return head
        from dataclasses import replace

        body = render_answer(replace(answer, summary=None, results=answer.results[:limit]), width)
        tail = f"\n  (and {more} more review{'s' if more != 1 else ''})" if more > 0 else ""
        return f"{head}\n{body}{tail}"
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


def render_reviews(answer: Answer, summary: ReviewSummary, width: int = 100) -> str:
    """`pusherbot reviews`: the rating chart, the count summary and the best quote per side."""
    from retrieval.reviews.chart import bar_chart, legend

    aspect = bool(summary.aspect)
    lines = ["Ratings" + (f" (reviews discussing {summary.aspect} highlighted)" if aspect else "")
             + ":"]
    lines += ["  " + line for line in bar_chart(summary.all_ratings,
                                                summary.ratings if aspect else None)]
    lines.append("  " + legend(aspect))
    lines.append("")
    lines.extend(textwrap.wrap(summary.line, width=width))
    shown = set()
    for side in ("positive", "mixed", "negative"):
        picks = [r for r, s in zip(answer.results, summary.sides, strict=False) if s == side][:2]
        if not picks:
            continue
        lines.append(f"{side.capitalize()}:")
        for r in picks:
            shown.add(r.rank)
            quote = textwrap.shorten(r.quote, width=width - 6, placeholder="…")
            lines.append(f"  “{quote}”")
            lines.append(f"     — {r.citation}{_spoiler(r.passage.spoiler)}")
    rest = len(answer.results) - len(shown)
    if rest > 0:
        lines.append(f"(and {rest} more review{'s' if rest != 1 else ''}: --json lists them all)")
    return "\n".join(printable(line) for line in lines)


def render_explanation(answer: Answer) -> str:
    """How the question was read and why it was answered or not (`ask --explain`)."""
    a = answer.analysis or {}
    lines = ["How the question was read:",
             f"  expected answer: {a.get('type', '?')}"]
    if a.get("fields"):
        lines.append(f"  asks for the infobox field: {', '.join(a['fields'])}")
    for n in a.get("named", []):
        shown = f"{n['words']!r} → {n['entity']} ({n['kind']})"
        lines.append(f"  names: {shown}")
    if a.get("relation"):
        lines.append(f"  relation asked: {' + '.join(a['relation'])}")
    for note in a.get("notes", []):
        lines.append(f"  note: {note}")
    seen = set()
    for h in a.get("hops", []):
        key = (h["from"], h["relation"], h["to"])
        if key in seen:
            continue
        seen.add(key)
        lines.append(f"  link: {h['from']} —{h['relation']}→ {h['to']}")
        lines.append(f"        read in {h.get('citation', 'passage ' + str(h['passage']))}: "
                     f"“{textwrap.shorten(h.get('text', ''), 90, placeholder='…')}”")
    lines.append(f"  decision: {a.get('decision', '?')} (confidence {answer.confidence:.2f})")
    calibrated = a.get("calibration") or {}
    if "probability" in calibrated:
        lines.append(f"  calibrated probability that the documents answer it: "
                     f"{calibrated['probability']:.2f}")
    return "\n".join(printable(line) for line in lines)


def printable(text: str) -> str:
    """Text safe to echo on a terminal: control characters (escape sequences) removed, and
    lone surrogates (undecodable bytes) shown as U+FFFD."""
    return text.translate(_UNPRINTABLE)


# C0 and C1 control characters and DEL go (a tab is harmless); surrogates cannot be printed.
_UNPRINTABLE: dict[int, str | None] = {
    **{c: None for c in (*range(0x20), *range(0x7F, 0xA0)) if c != 0x09},
    **dict.fromkeys(range(0xD800, 0xE000), "\ufffd"),
}


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
