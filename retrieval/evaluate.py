"""Score the engine on questions with known answers: quote@1, passage@3, MRR, abstention."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from retrieval.errors import PusherbotError
from retrieval.text import fold

MODES = ("hybrid", "bm25", "dense")
DEPTH = 10  # MRR looks this deep


@dataclass(frozen=True, slots=True)
class EvalQuestion:
    """One line of an eval file; no answers means the engine must abstain."""

    id: str
    question: str
    answers: tuple[str, ...]
    category: str


def read_jsonl(path: Path, what: str) -> list[tuple[int, Any]]:
    """(line number, value) of each non-blank line of a JSONL file; raises PusherbotError
    naming the file, or the line that is not JSON ("not {what}")."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise PusherbotError(f"cannot read {path}: {e.strerror}") from None
    except UnicodeDecodeError:
        raise PusherbotError(f"{path} is not UTF-8 text") from None
    out = []
    for n, line in enumerate(lines, 1):
        if line.strip():
            try:
                out.append((n, json.loads(line)))
            except ValueError:
                raise PusherbotError(f"{path}:{n}: not {what}") from None
    return out


def load_questions(path: Path) -> list[EvalQuestion]:
    """Read an eval JSONL file; raises PusherbotError naming the bad line."""
    out = []
    for n, d in read_jsonl(path, "an eval question object"):
        try:
            out.append(EvalQuestion(str(d.get("id", n)), d["question"],
                                    tuple(d.get("answers", [])), d.get("category", "all")))
        except (ValueError, KeyError, TypeError, AttributeError):  # not an object of that shape
            raise PusherbotError(f"{path}:{n}: not an eval question object") from None
    if not out:
        raise PusherbotError(f"{path} holds no questions")
    return out


def contains_answer(text: str, answers: tuple[str, ...]) -> bool:
    """Case-insensitive, accent-folded containment of any acceptable answer."""
    folded = fold(text)
    return any(fold(a) in folded for a in answers)


def evaluate(engine, questions: list[EvalQuestion], modes: tuple[str, ...] = MODES) -> dict:
    """Figures per mode, per category and overall, plus the per-question outcomes."""
    report: dict = {"questions": len(questions), "modes": {}, "details": []}
    for mode in modes:
        rows = []
        for q in questions:
            a = engine.answer(q.question, top_k=DEPTH, mode=mode)
            row = {"id": q.id, "category": q.category, "question": q.question,
                   "answered": a.answered, "confidence": a.confidence, "oos": not q.answers}
            if q.answers:
                hits = [contains_answer(r.passage.text, q.answers) for r in a.results]
                row["quote1"] = bool(a.results) and contains_answer(a.results[0].quote, q.answers)
                if (a.analysis or {}).get("type") in ("record", "reviewer") and a.summary:
                    # A record question's answer is the line computed from the records (the
                    # lowest rating, who gave it), shown above the quotes that cite them; so
                    # is the author of the review that answers "which reviewer said…".
                    row["quote1"] = row["quote1"] or contains_answer(a.summary, q.answers)
                row["passage3"] = any(hits[:3])
                row["rr"] = next((1.0 / (i + 1) for i, h in enumerate(hits) if h), 0.0)
            row["top_quote"] = a.results[0].quote if a.results else ""
            row["decision"] = (a.analysis or {}).get("decision", "")
            rows.append(row)
        report["modes"][mode] = summarise(rows)
        if mode == modes[0]:
            report["details"] = rows
    return report


def summarise(rows: list[dict]) -> dict:
    """Aggregate per-question rows into per-category and overall figures."""
    by_cat: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_cat[r["category"]].append(r)
    out = {cat: _figures(rs) for cat, rs in sorted(by_cat.items())}
    out["overall"] = _figures(rows)
    return out


def _figures(rows: list[dict]) -> dict:
    ins = [r for r in rows if not r["oos"]]
    oos = [r for r in rows if r["oos"]]
    f: dict = {"n": len(rows), "in_scope": len(ins), "out_of_scope": len(oos)}
    if ins:
        f["quote@1"] = sum(r["quote1"] for r in ins) / len(ins)
        f["passage@3"] = sum(r["passage3"] for r in ins) / len(ins)
        f["mrr"] = sum(r["rr"] for r in ins) / len(ins)
        f["wrong_abstention"] = sum(not r["answered"] for r in ins) / len(ins)
    if oos:
        f["oos_abstention"] = sum(not r["answered"] for r in oos) / len(oos)
    return f


def format_report(report: dict) -> str:
    """A plain-text table of the figures."""
    cols = ("quote@1", "passage@3", "mrr", "wrong_abstention", "oos_abstention")
    heads = ("quote@1", "pass@3", "MRR", "wrongAbst", "oosAbst")
    lines = []
    for mode, cats in report["modes"].items():
        lines.append(f"[{mode}]")
        lines.append(f"{'category':<12}{'n':>4}" + "".join(f"{h:>10}" for h in heads))
        for cat, f in cats.items():
            cells = "".join(f"{f[c]:>10.3f}" if c in f else f"{'-':>10}" for c in cols)
            lines.append(f"{cat:<12}{f['n']:>4}{cells}")
        lines.append("")
    return "\n".join(lines).rstrip()
