"""The Passage: one retrievable unit of a seed document, flowing unchanged through the pipeline."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

SourceKind = Literal["wiki", "review", "text"]
# "record": a review's whole record, header lines included (ingest/records.py), cited by
# answers about the reviews as records and never searched
PassageKind = Literal["prose", "infobox", "cast", "lead", "record"]


@dataclass(frozen=True, slots=True)
class Passage:
    """A chunk of one seed file.

    `text` is `seed_text[start:end]` verbatim, except that Wikipedia link remnants
    (`Target|Label`) are shown as their label (`has_markup` is then true).
    `sentences` are (start, end) spans relative to `text`.
    """

    id: int
    doc: str  # seed file name
    doc_title: str
    source: SourceKind
    kind: PassageKind
    section: str | None  # "Production › Filming", "Infobox", "Cast"; a review's title
    start: int
    end: int
    text: str
    sentences: tuple[tuple[int, int], ...]
    spoiler: bool = False
    has_markup: bool = False
    reviewer: str | None = None
    rating: int | None = None  # out of 10
    date: str | None = None  # "11 March 2006"
    helpful: tuple[int, int] | None = None  # (found helpful, votes)
    review_index: int | None = None  # the review's position in its page, for dedup and tests
    context: str = ""  # header prepended when embedding (title, section, reviewer)

    def to_dict(self) -> dict:
        """A JSON-ready dict (tuples become lists)."""
        d = asdict(self)
        d["sentences"] = [list(s) for s in self.sentences]
        d["helpful"] = list(self.helpful) if self.helpful else None
        return d

    @classmethod
    def from_dict(cls, d: dict) -> Passage:
        """Inverse of `to_dict`."""
        d = dict(d)
        d["sentences"] = tuple(tuple(s) for s in d["sentences"])
        d["helpful"] = tuple(d["helpful"]) if d.get("helpful") else None
        return cls(**d)


def citation(p: Passage) -> str:
    """A citation a person understands, e.g. “IMDb review ‘Title’ by X, 8/10, 8 February 2009”."""
    if p.source == "review":
        parts = [f"IMDb review ‘{p.section}’" if p.section else "IMDb review"]
        if p.reviewer:
            parts[0] += f" by {p.reviewer}"
        if p.rating is not None:
            parts.append(f"{p.rating}/10")
        if p.date:
            parts.append(p.date)
        return ", ".join(parts)
    if p.source == "wiki":
        path = " › ".join(x for x in (p.doc_title, p.section) if x)
        return f"Wikipedia — {path}"
    return " — ".join(x for x in (p.doc_title, p.section) if x)


def span_within(outer: Passage, inner: Passage, start: int, end: int) -> tuple[int, int] | None:
    """Where `inner.text[start:end]` stands in `outer` (a passage whose seed span holds
    `inner`'s, as a review's record holds its body passages); None unless verbatim there."""
    if outer.doc != inner.doc or outer.has_markup or inner.has_markup:
        return None
    at = inner.start + start - outer.start
    if at < 0 or outer.text[at:at + end - start] != inner.text[start:end]:
        return None
    return at, at + end - start
