"""Segments: stretches of a seed file that chunking must never cross (a section's paragraphs, a review)."""

from __future__ import annotations

from dataclasses import dataclass

from retrieval.passage import PassageKind, SourceKind


@dataclass(frozen=True, slots=True)
class Segment:
    """A unit produced by a parser; the chunker cuts it into passages along sentence bounds.

    `start`/`end` are offsets into the seed text. Small facts (an infobox field, a cast line)
    are segments of their own and become exactly one passage each.
    """

    doc: str
    doc_title: str
    source: SourceKind
    kind: PassageKind
    section: str | None
    start: int
    end: int
    spoiler: bool = False
    reviewer: str | None = None
    rating: int | None = None
    date: str | None = None
    helpful: tuple[int, int] | None = None
    review_index: int | None = None
    context: str = ""  # what the embedding sees before the text: title, section, reviewer
