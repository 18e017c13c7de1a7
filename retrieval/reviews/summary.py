"""The count summary of a stance answer: the one line the bot composes, and its JSON object."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from retrieval.reviews.records import ReviewRecord, average_rating, rating_counts
from retrieval.reviews.stance import Voice, side_of_rating


@dataclass(frozen=True, slots=True)
class ReviewSummary:
    """How many reviews discuss an aspect and how they split; every figure is a count or rating."""

    aspect: str  # "" for the film overall
    total: int  # reviews in the corpus
    discussing: int
    positive: int
    mixed: int
    negative: int
    unrated: int  # of the discussing reviews, those without a rating (judged by their words)
    ratings: Mapping[str, int]  # the discussing reviews' ratings, "1".."10"
    average: float | None  # of the discussing reviews that are rated
    # Every review's rating: the chart shows these, with the discussing ones highlighted.
    all_ratings: Mapping[str, int] = field(default_factory=dict)
    sides: tuple[str, ...] = ()  # the side of each result, in the answer's order
    leaning: str | None = None  # "negative" when the question asks for that side ("hate it?")
    against_rating: int = 0  # rated reviews whose words on the aspect take the other side

    @property
    def line(self) -> str:
        """The summary line, e.g. "12 of the 25 reviews discuss the ending: 9 positive, …"."""
        what = f"discuss {self.aspect}" if self.aspect else "give a verdict on the film"
        parts = [f"{self.positive} positive (7–10/10)", f"{self.mixed} mixed (5–6/10)",
                 f"{self.negative} negative (1–4/10)"]
        line = f"{self.discussing} of the {self.total} reviews {what}: " + ", ".join(parts)
        if self.against_rating:
            # the ranges above are the ratings' sides: say when words moved a review off its own
            n = self.against_rating
            line += (f"; {n} rated review{'s' if n > 1 else ''} sided by {'their' if n > 1 else 'its'}"
                     " words on it, against the rating")
        if self.unrated:
            line += f"; {self.unrated} unrated, sided by {'its' if self.unrated == 1 else 'their'} words"
        if self.average is not None:
            line += f". {'Their average' if self.aspect else 'Average'} rating: {self.average:.1f}/10"
        return line + "."

    def to_dict(self) -> dict:
        """The `"reviews"` object of `ask --json`."""
        return {"aspect": self.aspect or "the film overall", "total": self.total,
                "discussing": self.discussing, "positive": self.positive, "mixed": self.mixed,
                "negative": self.negative, "unrated": self.unrated,
                "ratings": dict(self.ratings), "average": self.average}


def summarise(aspect: str, voices: tuple[Voice, ...], leaning: str | None,
              records: Sequence[ReviewRecord], all_ratings: Mapping[str, int]) -> ReviewSummary:
    """The count summary of the voices on an aspect: each voice's `record` indexes `records`
    (all the reviews), whose ratings `all_ratings` counts."""
    chosen = [records[v.record] for v in voices]
    return ReviewSummary(
        aspect=aspect, total=len(records), discussing=len(voices),
        positive=sum(v.side == "positive" for v in voices),
        mixed=sum(v.side == "mixed" for v in voices),
        negative=sum(v.side == "negative" for v in voices),
        unrated=sum(r.rating is None for r in chosen),
        ratings=rating_counts(chosen), average=average_rating(chosen),
        all_ratings=all_ratings, sides=tuple(v.side for v in voices), leaning=leaning,
        against_rating=sum(r.rating is not None and side_of_rating(r.rating) != v.side
                           for r, v in zip(chosen, voices, strict=True)))
