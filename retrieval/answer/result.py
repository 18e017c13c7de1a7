"""What the core returns for a question: ranked results with verbatim quotes and citations."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from retrieval.passage import Passage, citation
from retrieval.reviews.summary import ReviewSummary

ABSTAIN_MESSAGE = "I couldn't find that in the documents."


def abstain_message(title: str | None) -> str:
    """The one abstention message, naming the film the documents are about."""
    return f"I couldn't find that in the {title} documents." if title else ABSTAIN_MESSAGE


@dataclass(frozen=True, slots=True)
class Result:
    """One ranked passage with the 1–3 sentences of it that best answer the question."""

    rank: int
    score: float
    quote: str  # verbatim sentences of passage.text
    passage: Passage

    @property
    def citation(self) -> str:
        """Human citation of the passage's source."""
        return citation(self.passage)

    def to_dict(self) -> dict:
        """The JSON object of `pusherbot ask --json` for one result."""
        p = self.passage
        return {
            "rank": self.rank,
            "score": round(float(self.score), 4),
            "quote": self.quote,
            "passage": p.text,
            "citation": self.citation,
            "source": p.source,
            "section": p.section,
            "spoiler": p.spoiler,
            "document": p.doc,
            "start": p.start,
            "end": p.end,
            "reviewer": p.reviewer,
            "rating": p.rating,
            "date": p.date,
        }


@dataclass(frozen=True, slots=True)
class Answer:
    """The answer to one question; when `answered` is false, `results` are only candidates."""

    question: str
    answered: bool
    results: tuple[Result, ...]
    confidence: float = 0.0
    message: str | None = None  # the abstention text when not answered
    # How the question was understood and why it was answered or not (`ask --explain`).
    analysis: Mapping[str, Any] | None = None
    # Questions about the reviews: the one composed line of counts and ratings shown above the
    # quotes, and for an opinion question the stance summary it was made from.
    summary: str | None = None
    reviews: ReviewSummary | None = None

    def to_dict(self) -> dict:
        """The JSON object of `pusherbot ask --json`."""
        d = {
            "question": self.question,
            "answered": self.answered,
            "confidence": round(float(self.confidence), 4),
            "results": [r.to_dict() for r in self.results],
        }
        if not self.answered:
            d["message"] = self.message or ABSTAIN_MESSAGE
        if self.analysis is not None:
            d["analysis"] = dict(self.analysis)
        if self.summary is not None:
            d["summary"] = self.summary
        if self.reviews is not None:
            d["reviews"] = self.reviews.to_dict()
        return d
