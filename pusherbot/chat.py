"""`pusherbot chat`: one conversation per session, so follow-ups ("who plays him?") are read
against the last question; `/new` starts over. With `--json`, one object per input line: the
object of `ask --json` plus "resolved_question" (small talk has its own shape)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable

from pusherbot.output import printable, render_answer
from retrieval.conversation.context import Turn
from retrieval.conversation.dialogue import Dialogue, Exchange
from retrieval.errors import QuestionError

QUIT = ("quit", "exit", ":q")
NEW = ("/new", "/reset", "/clear")
NEW_TEXT = "(new conversation)"


def render_exchange(exchange: Exchange) -> str:
    """How a reply looks at the terminal: small talk as it is; an answer after its note."""
    if exchange.answer is None:
        return exchange.message
    text = render_answer(exchange.answer)
    if exchange.note:
        text = f"{printable(exchange.note).replace('*', '')}\n{text}"
    return text


def run_chat(dialogue: Dialogue, lines: Iterable[str | None], top_k: int, *, as_json: bool,
             err: Callable[[str], None], too_long: str) -> int:
    """Answer each line in one conversation; returns the exit code (2 if a line was refused
    in --json mode, as `ask --json -` does)."""
    previous: Turn | None = None
    rejected = 0
    for line in lines:
        if line is None:
            rejected += 1
            _refuse(as_json, err, "", too_long)
            continue
        text = line.strip()
        if text.lower() in QUIT:
            break
        if text.lower() in NEW:
            previous = None
            if not as_json:
                print(NEW_TEXT, flush=True)
            continue
        if not text:
            if as_json:  # one object per line, as `ask --json -` gives for a blank line
                rejected += 1
                _refuse(as_json, err, line, "the question is empty")
            continue
        try:
            exchange = dialogue.respond(line, previous, top_k)
        except QuestionError as e:
            rejected += 1
            _refuse(as_json, err, line, str(e))
            continue
        if exchange.turn is not None:
            previous = exchange.turn
        if as_json:
            print(json.dumps(exchange.to_dict(), ensure_ascii=False), flush=True)
        else:
            print(render_exchange(exchange) + "\n", flush=True)
    return 2 if rejected and as_json else 0


def _refuse(as_json: bool, err: Callable[[str], None], line: str, reason: str) -> None:
    if as_json:
        shown = printable(line.encode("utf-8", "replace").decode("utf-8", "replace"))[:200]
        print(json.dumps({"question": shown, "answered": False, "results": [],
                          "resolved_question": None, "error": reason}, ensure_ascii=False),
              flush=True)
    else:
        err(f"error: {reason}")


def interactive() -> bool:
    """Whether the session is typed at a terminal (prompt and history) or piped."""
    return sys.stdin is not None and sys.stdin.isatty()
