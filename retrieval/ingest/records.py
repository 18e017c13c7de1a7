"""Each review's whole record as one passage: its rating, title, byline and spoiler lines, its
body and its helpfulness line, verbatim from the page.

A question about the reviews as records ("who gave it the lowest score", "what did jdoe rate
it") is answered by a review as a record, and the record's header is where that answer stands;
a body passage alone never holds the rating or the name. These passages are cited by such
answers, never searched: they are kept apart from the retrievable passages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from retrieval.ingest.parse_reviews import parse_reviews
from retrieval.passage import Passage


def record_passages(texts: dict[str, str], passages: Sequence[Passage]) -> list[Passage]:
    """One passage per review that has body passages, numbered after `passages`; its sentences
    are its body passages' sentences (the header lines are never quoted)."""
    bodies: dict[tuple[str, int], list[Passage]] = {}
    for p in passages:
        if p.source == "review" and p.review_index is not None and not p.has_markup:
            bodies.setdefault((p.doc, p.review_index), []).append(p)
    out: list[Passage] = []
    for doc in sorted({doc for doc, _i in bodies}):
        text = texts[doc]
        for review in parse_reviews(text):
            mine = bodies.get((doc, review.index))
            if not mine:
                continue
            spans = sorted({(p.start - review.start + s, p.start - review.start + e)
                            for p in mine for s, e in p.sentences})
            first = min(mine, key=lambda p: p.start)
            out.append(replace(first, id=len(passages) + len(out), kind="record",
                               start=review.start, end=review.end,
                               text=text[review.start:review.end], sentences=tuple(spans)))
    return out

