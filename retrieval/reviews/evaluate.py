"""Score the review answers on labelled files: opinions (stance and record questions, with the
reviewers that discuss each aspect) and sentiment (review sentences with their polarity)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from retrieval.evaluate import read_jsonl
from retrieval.reviews import sentiment
from retrieval.text import fold


def load_labelled(path: Path) -> tuple[str, list[dict]]:
    """("opinions" | "sentiment", rows) of a labelled JSONL file; None kind if it is neither."""
    rows = [d for _n, d in read_jsonl(path, "a JSON object")]
    return kind_of(rows), rows


def kind_of(rows: list[Any]) -> str:
    """What a labelled file holds: "opinions", "sentiment", or "questions" (the ordinary eval)."""
    first = rows[0] if rows and isinstance(rows[0], dict) else {}
    if "sentence" in first and "label" in first:
        return "sentiment"
    if first.get("kind") in ("stance", "record"):
        return "opinions"
    return "questions"


def evaluate_sentiment(rows: list[dict]) -> dict:
    """Accuracy of the sentence polarity against the labels (positive / mixed / negative)."""
    details = []
    for r in rows:
        got = sentiment.polarity(r["sentence"])
        details.append({"sentence": r["sentence"], "label": r["label"], "got": got,
                        "compound": sentiment.compound(r["sentence"]), "ok": got == r["label"]})
    polar = [d for d in details if d["label"] != "mixed"]
    return {"kind": "sentiment", "n": len(details),
            "accuracy": sum(d["ok"] for d in details) / max(1, len(details)),
            "polar_n": len(polar),
            "polar_accuracy": sum(d["ok"] for d in polar) / max(1, len(polar)),
            "details": details}


def evaluate_opinions(engine: Any, rows: list[dict]) -> dict:
    """Aspect recall and precision of the stance answers, and record questions answered right."""
    stance_rows, record_rows = [], []
    for r in rows:
        a = engine.answer(r["question"], top_k=10)
        gold = set(r.get("reviewers", []))
        if r.get("kind") == "stance":
            found = ({x.passage.reviewer for x in a.results} if a.reviews is not None else set())
            if a.reviews is not None and not a.reviews.aspect and a.reviews.leaning:
                # "did anyone hate it?": of the film overall, the answer is the side it asks
                found = {x.passage.reviewer for x, s in zip(a.results, a.reviews.sides, strict=False)
                         if s == a.reviews.leaning}
            found.discard(None)
            hit = len(found & gold)
            stance_rows.append({"id": r.get("id"), "question": r["question"], "gold": len(gold),
                                "found": len(found), "hit": hit,
                                "missed": sorted(gold - found), "extra": sorted(found - gold),
                                "routed": a.reviews is not None, "summary": a.summary})
        else:
            shown = " ".join([a.summary or "", *(x.citation for x in a.results),
                              *(x.quote for x in a.results)])
            got = {x.passage.reviewer for x in a.results}
            has_answer = any(fold(ans) in fold(shown) for ans in r.get("answers", []))
            same = not gold or got == gold
            record_rows.append({"id": r.get("id"), "question": r["question"],
                                "ok": bool(a.summary) and has_answer and same,
                                "routed": (a.analysis or {}).get("type") == "record",
                                "summary": a.summary, "answer_found": has_answer,
                                "reviewers_match": same})
    gold_n = sum(r["gold"] for r in stance_rows)
    found_n = sum(r["found"] for r in stance_rows)
    hits = sum(r["hit"] for r in stance_rows)
    return {
        "kind": "opinions",
        "stance_questions": len(stance_rows),
        "stance_routed": sum(r["routed"] for r in stance_rows) / max(1, len(stance_rows)),
        "aspect_recall": hits / max(1, gold_n),
        "aspect_precision": hits / max(1, found_n),
        "record_questions": len(record_rows),
        "record_correct": sum(r["ok"] for r in record_rows) / max(1, len(record_rows)),
        "stance": stance_rows, "records": record_rows,
    }


def format_review_report(report: dict) -> str:
    """The figures as a few lines of text, with the misses."""
    if report["kind"] == "sentiment":
        lines = [f"sentiment: {report['n']} sentences, accuracy {report['accuracy']:.3f} "
                 f"(positive/negative only: {report['polar_accuracy']:.3f} of {report['polar_n']})"]
        lines += [f"  ✗ {d['label']:>8} got {d['got']:<8} {d['compound']:+.2f}  {d['sentence'][:80]}"
                  for d in report["details"] if not d["ok"]]
        return "\n".join(lines)
    lines = [f"stance: {report['stance_questions']} questions, routed {report['stance_routed']:.3f}, "
             f"aspect recall {report['aspect_recall']:.3f}, precision {report['aspect_precision']:.3f}",
             f"records: {report['record_questions']} questions, correct {report['record_correct']:.3f}"]
    for r in report["stance"]:
        lines.append(f"  {r['id']}: {r['hit']}/{r['gold']} found of {r['found']} counted"
                     f"{'' if r['routed'] else ' (not routed)'}  {r['question']}")
    for r in report["records"]:
        if not r["ok"]:
            lines.append(f"  ✗ {r['id']}: {r['question']} → {r['summary']}")
    return "\n".join(lines)
