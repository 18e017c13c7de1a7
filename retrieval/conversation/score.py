"""Score follow-ups: each conversation is asked turn by turn through a `Dialogue`, and each
follow-up turn is also asked on its own with the names spelled out ("standalone"). The figure
that matters is how much quote@1 the follow-ups lose against their standalone versions."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from retrieval.answer.result import Answer, Result
from retrieval.conversation.context import Turn
from retrieval.conversation.dialogue import Dialogue
from retrieval.errors import PusherbotError
from retrieval.evaluate import DEPTH, contains_answer, read_jsonl


@dataclass(frozen=True, slots=True)
class ConversationTurn:
    """One labelled turn: what was asked, its acceptable answers, and its standalone form."""

    question: str
    answers: tuple[str, ...]
    standalone: str


@dataclass(frozen=True, slots=True)
class Conversation:
    """A labelled conversation of two or more turns."""

    id: str
    turns: tuple[ConversationTurn, ...]


def is_conversation_file(path: Path) -> bool:
    """Whether an eval file holds conversations (objects with "turns"), not single questions."""
    try:
        with path.open(encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    d = json.loads(line)
                    return isinstance(d, dict) and "turns" in d
    except (OSError, UnicodeDecodeError, ValueError):
        return False  # the question loader reports what is wrong with it
    return False


def load_conversations(path: Path) -> list[Conversation]:
    """Read a conversations JSONL file; raises PusherbotError naming the bad line."""
    out = []
    for n, d in read_jsonl(path, "a conversation object"):
        try:
            turns = tuple(ConversationTurn(str(t["question"]), tuple(map(str, t.get("answers", []))),
                                           str(t.get("standalone") or t["question"]))
                          for t in d["turns"])
            if not turns:
                raise ValueError
            out.append(Conversation(str(d.get("id", n)), turns))
        except (ValueError, KeyError, TypeError, AttributeError):  # not an object of that shape
            raise PusherbotError(f"{path}:{n}: not a conversation object") from None
    if not out:
        raise PusherbotError(f"{path} holds no conversations")
    return out


def evaluate_conversations(engine: Any, conversations: list[Conversation]) -> dict[str, Any]:
    """quote@1, passage@3, MRR and wrong abstentions of the follow-up turns as asked in the
    conversation and as asked standalone, and of the first turns; plus per-turn details."""
    dialogue = Dialogue.of(engine)
    rows: dict[str, list[dict[str, Any]]] = {"first": [], "followup": [], "standalone": []}
    details = []
    for conv in conversations:
        previous: Turn | None = None
        for i, t in enumerate(conv.turns):
            exchange = dialogue.respond(t.question, previous, DEPTH)
            previous = exchange.turn or previous
            row = _score(exchange.answer, t.answers)
            if i == 0:
                rows["first"].append(row)
                continue
            alone = _score(engine.answer(t.standalone, DEPTH), t.answers)
            rows["followup"].append(row)
            rows["standalone"].append(alone)
            details.append({"id": conv.id, "turn": i + 1, "question": t.question,
                            "resolved_question": exchange.resolved,
                            "standalone": t.standalone, "quote1": row["quote1"],
                            "standalone_quote1": alone["quote1"], "top_quote": row["top"]})
    report: dict[str, Any] = {"conversations": len(conversations),
                              **{k: _figures(v) for k, v in rows.items()}}
    if rows["followup"]:
        report["gap"] = report["standalone"]["quote@1"] - report["followup"]["quote@1"]
    report["details"] = details
    return report


def _score(answer: Answer | None, answers: tuple[str, ...]) -> dict[str, Any]:
    results: tuple[Result, ...] = answer.results if answer is not None else ()
    hits = [contains_answer(r.passage.text, answers) for r in results] if answers else []
    return {
        "scored": bool(answers),
        "quote1": bool(answers) and bool(results) and contains_answer(results[0].quote, answers),
        "passage3": any(hits[:3]),
        "rr": next((1.0 / (i + 1) for i, h in enumerate(hits) if h), 0.0),
        "answered": bool(answer is not None and answer.answered),
        "top": results[0].quote if results else "",
    }


def _figures(rows: list[dict[str, Any]]) -> dict[str, Any]:
    scored = [r for r in rows if r["scored"]]
    oos = [r for r in rows if not r["scored"]]  # turns the documents do not answer
    n = max(1, len(scored))
    return {"n": len(scored),
            "quote@1": sum(r["quote1"] for r in scored) / n,
            "passage@3": sum(r["passage3"] for r in scored) / n,
            "mrr": sum(r["rr"] for r in scored) / n,
            "wrong_abstention": sum(not r["answered"] for r in scored) / n,
            "out_of_scope": len(oos),
            "oos_abstention": sum(not r["answered"] for r in oos) / max(1, len(oos))}


def format_conversation_report(report: dict[str, Any]) -> str:
    """A plain-text table: first turns, follow-ups as asked, the same follow-ups standalone."""
    cols = ("quote@1", "passage@3", "mrr", "wrong_abstention", "oos_abstention")
    lines = [f"{'turns':<22}{'n':>4}{'oos':>5}" + "".join(f"{c:>17}" for c in cols)]
    for key, label in (("first", "first turns"), ("followup", "follow-ups as asked"),
                       ("standalone", "follow-ups standalone")):
        f = report[key]
        lines.append(f"{label:<22}{f['n']:>4}{f['out_of_scope']:>5}"
                     + "".join(f"{f[c]:>17.3f}" for c in cols))
    if "gap" in report:
        lines.append(f"quote@1 gap (standalone − as asked): {report['gap']:.3f}")
    return "\n".join(lines)
