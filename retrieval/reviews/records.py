"""The reviews as records (rating, title, reviewer, date, spoiler flag, helpful votes), read from
the index's review passages, and the answers to the questions about them (read by
record_questions.py): lowest / highest / average / median rating, how many, the most helpful,
the earliest and latest, by reviewer, by year, by rating.

Answers come from the records alone; the only composed text is one line of counts, ratings and
dates, and each review it rests on is cited by a verbatim quote of its own text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from retrieval.passage import Passage
from retrieval.reviews.stance import side_of_rating

if TYPE_CHECKING:  # the question's reading imports these records, not the other way round
    from retrieval.reviews.record_questions import RecordQuestion


@dataclass(frozen=True, slots=True)
class ReviewRecord:
    """One review of a reviews page, as the parser read it."""

    key: tuple[str, int]  # (document, position in its page)
    title: str
    reviewer: str
    rating: int | None  # out of 10
    date: str  # as the page writes it, "11 March 2006"
    day: dt.date | None
    spoiler: bool
    helpful: tuple[int, int] | None  # (found it helpful, votes)
    passages: tuple[int, ...]  # its body's passage ids, in order
    said_rating: int | None = None  # the N/10 its own text states last ("…9/10"), if any

    def __hash__(self) -> int:
        # by its place in the page alone: the records key caches read on every question
        # (record_questions.py), and hashing every field of 25 records each time was measurable
        return hash(self.key)


def review_records(passages: Sequence[Passage]) -> tuple[ReviewRecord, ...]:
    """Every review of the corpus, in page order, from its passages."""
    grouped: dict[tuple[str, int], list[Passage]] = {}
    for p in passages:
        if p.source == "review" and p.review_index is not None:
            grouped.setdefault((p.doc, p.review_index), []).append(p)
    out = []
    for key, ps in grouped.items():
        first = ps[0]
        in_order = sorted(ps, key=lambda p: p.start)
        out.append(ReviewRecord(
            key=key, title=first.section or "", reviewer=first.reviewer or "",
            rating=first.rating, date=first.date or "", day=_day(first.date),
            spoiler=first.spoiler, helpful=first.helpful,
            passages=tuple(p.id for p in in_order), said_rating=_said_rating(in_order)))
    return tuple(sorted(out, key=lambda r: r.key))


# "9/10" written in a review's text: a rating the reviewer states in words
_SAID_RATING = re.compile(r"(?<![\w/.])(10|[1-9]) ?/ ?10(?!\d)")


def _said_rating(passages: Sequence[Passage]) -> int | None:
    """The last rating out of 10 a review's own text states (its passages in page order)."""
    found = [int(m.group(1)) for p in passages for m in _SAID_RATING.finditer(p.text)]
    return found[-1] if found else None


def _day(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.datetime.strptime(text, "%d %B %Y").date()
    except ValueError:
        return None


def rating_counts(records: Sequence[ReviewRecord]) -> dict[str, int]:
    """How many reviews gave each rating, "1" to "10" (unrated reviews are not counted)."""
    counts = {str(n): 0 for n in range(1, 11)}
    for r in records:
        if r.rating is not None:
            counts[str(r.rating)] += 1
    return counts


def average_rating(records: Sequence[ReviewRecord]) -> float | None:
    """The mean rating of the rated reviews, to two decimals; None when none is rated."""
    rated = [r.rating for r in records if r.rating is not None]
    return round(sum(rated) / len(rated), 2) if rated else None


OPEN_END = 9999  # "since 2021": no last year


@dataclass(frozen=True, slots=True)
class RecordAnswer:
    """The records that answer, best first, and the one composed line about them."""

    question: RecordQuestion
    line: str
    records: tuple[ReviewRecord, ...]


def describe(r: ReviewRecord) -> str:
    """A review's record in a few words: "UlrikSander, 8/10, 11 March 2006"."""
    parts = [r.reviewer, f"{r.rating}/10" if r.rating is not None else "unrated"]
    if r.date:
        parts.append(r.date)
    return ", ".join(parts)


_NTH = {2: "second", 3: "third", 4: "fourth", 5: "fifth"}


def answer_records(rq: RecordQuestion, records: Sequence[ReviewRecord],
                   page_total: int | None = None) -> RecordAnswer:
    """The reviews that answer a record question, best first, and its one line of figures.

    `page_total` is how many reviews the page's header says it has (it may show fewer)."""
    if rq.rating is not None or rq.years is not None:
        low, high = rq.years or (0, OPEN_END)
        among = [r for r in records if (rq.rating is None or r.rating == rq.rating)
                 and (rq.years is None or (r.day is not None and low <= r.day.year <= high))]
        which = " and ".join(x for x in (
            f"gave it {rq.rating}/10" if rq.rating is not None else "",
            _said_years(rq.years) if rq.years is not None else "") if x)
        if not among:
            return RecordAnswer(rq, f"None of the {len(records)} reviews {which}.", ())
        inner = answer_records(replace(rq, rating=None, years=None), among, None)
        return replace(inner, line=f"Among the reviews that {which}: {inner.line[0].lower()}"
                                   f"{inner.line[1:]}")
    n = len(records)
    rated = [r for r in records if r.rating is not None]
    values = [r.rating for r in rated if r.rating is not None]
    dated = sorted((r for r in records if r.day is not None), key=lambda r: (r.day or dt.date.min, r.key))
    kind, value = rq.kind, rq.value
    if kind in ("lowest", "highest", "average", "median", "mode", "rated") and not values:
        return RecordAnswer(rq, f"None of the {n} reviews gives a rating.", ())
    chosen: list[ReviewRecord]
    if kind in ("lowest", "highest"):
        # "the second highest rating": the second of the ratings given, not of the reviews
        ladder = sorted(set(values), reverse=kind == "highest")
        step = min(int(value), len(ladder)) if isinstance(value, int) else 1
        best = ladder[step - 1]
        chosen = [r for r in rated if r.rating == best]
        nth = f"{_NTH.get(step, f'{step}th')} " if step > 1 else ""
        line = (f"The {nth}{kind} rating is {best}/10, given by {len(chosen)} of the {len(rated)} "
                "rated reviews")
    elif kind == "average":
        chosen = sorted(rated, key=lambda r: (-(r.rating or 0), r.key))
        mean = sum(values) / len(values)
        line = (f"The average rating is {mean:.2f}/10 ({mean:.1f} to one decimal), over "
                f"{len(values)} rated reviews")
    elif kind == "median":
        med = _median(values)
        chosen = sorted(rated, key=lambda r: (abs((r.rating or 0) - med), r.key))
        line = f"The median rating is {med:g}/10, over {len(values)} rated reviews"
    elif kind == "mode":
        counts = {v: values.count(v) for v in set(values)}
        top = max(counts.values())
        modes = sorted((v for v, c in counts.items() if c == top), reverse=True)
        chosen = [r for r in rated if r.rating in modes]
        shown = " and ".join(f"{v}/10" for v in modes)
        line = f"The most common rating is {shown}, given by {top} of the {len(rated)} rated reviews"
    elif kind == "distribution":
        chosen = sorted(rated, key=lambda r: (-(r.rating or 0), r.key))
        shown = ", ".join(f"{v}/10 ×{values.count(v)}" for v in sorted(set(values), reverse=True))
        line = f"The {len(rated)} rated reviews: {shown}"
        if len(rated) < n:
            line += f"; {n - len(rated)} unrated"
    elif kind == "mismatch":
        chosen = [r for r in rated if r.said_rating is not None and r.said_rating != r.rating]
        line = (f"{_counted(chosen, n)} {_verb(chosen, 'state', 'states')} a rating in "
                f"{'its' if len(chosen) == 1 else 'their'} text other than the star rating"
                + "".join(f" ({r.reviewer}: {r.said_rating}/10 in the text, {r.rating}/10 in "
                          "stars)" for r in chosen))
    elif kind == "count":
        chosen = list(records)
        shown = (f"The page shows {n} reviews (its header counts {page_total} in total)"
                 if page_total is not None and page_total != n else f"There are {n} reviews")
        line = (f"{shown}: {len(rated)} rated, {n - len(rated)} unrated, "
                f"{sum(r.spoiler for r in records)} with a spoiler warning")
    elif kind == "rated":
        chosen = rated
        line = f"{_counted(rated, n)} give a rating"
    elif kind == "unrated":
        chosen = [r for r in records if r.rating is None]
        line = f"{_counted(chosen, n)} {_verb(chosen, 'give', 'gives')} no rating"
    elif kind == "spoiler":
        chosen = [r for r in records if r.spoiler]
        line = f"{_counted(chosen, n)} carry a spoiler warning"
    elif kind == "helpful":
        voted = sorted((r for r in records if r.helpful),
                       key=lambda r: (-(r.helpful or (0, 0))[0], (r.helpful or (0, 0))[1], r.key))
        if not voted:
            return RecordAnswer(rq, f"None of the {n} reviews has helpful votes.", ())
        rank = value if isinstance(value, int) else 1
        if rank > len(voted):
            return RecordAnswer(rq, f"Only {len(voted)} of the {n} reviews have helpful votes.", ())
        chosen = [voted[rank - 1]]
        up, total = chosen[0].helpful or (0, 0)
        line = f"The {_ordinal(rank)}most helpful review: {up} out of {total} found it helpful"
    elif kind == "votes_total":
        chosen = [r for r in records if r.helpful]
        up = sum((r.helpful or (0, 0))[0] for r in chosen)
        total = sum((r.helpful or (0, 0))[1] for r in chosen)
        line = (f"The {n} reviews got {up} helpful votes in all, of {total} votes cast "
                f"({len(chosen)} reviews had votes)")
    elif kind == "unhelpful":
        voted = sorted((r for r in records if r.helpful),
                       key=lambda r: (-_unhelpful(r), r.key))
        if not voted:
            return RecordAnswer(rq, f"None of the {n} reviews has helpful votes.", ())
        most = _unhelpful(voted[0])
        chosen = [r for r in voted if _unhelpful(r) == most]
        line = f"The most ‘not helpful’ votes: {most}, for {_counted(chosen, n)}"
    elif kind == "votes":
        found, _, cast = str(value).partition("/")
        chosen = [r for r in records if r.helpful == (int(found), int(cast))]
        line = f"{_counted(chosen, n)} were found helpful by {found} out of {cast}"
    elif kind == "unvoted":
        chosen = [r for r in records if r.helpful is not None and r.helpful[0] == 0]
        line = f"{_counted(chosen, n)} were found helpful by nobody"
    elif kind in ("earliest", "latest"):
        if not dated:
            return RecordAnswer(rq, f"None of the {n} reviews is dated.", ())
        days = sorted({r.day for r in dated if r.day is not None}, reverse=kind == "latest")
        rank = value if isinstance(value, int) else 1
        if rank > len(days):
            return RecordAnswer(rq, f"Only {len(days)} of the {n} reviews have distinct dates.", ())
        chosen = [r for r in dated if r.day == days[rank - 1]]
        line = f"The {_ordinal(rank)}{kind} of the {n} reviews is from {chosen[0].date}"
    elif kind in ("reviewer", "title"):
        chosen = [r for r in records if (r.reviewer if kind == "reviewer" else r.title) == value]
        line = f"{len(chosen)} review{'s' if len(chosen) != 1 else ''} " + (
            f"by {value}" if kind == "reviewer" else f"titled ‘{value}’")
    elif kind in ("year_before", "year_after"):
        assert isinstance(value, int)
        later = kind == "year_after"
        chosen = [r for r in dated if r.day is not None
                  and (r.day.year > value if later else r.day.year < value)]
        side = "after" if later else "before"
        line = f"{_counted(chosen, n)} {_verb(chosen, 'are', 'is')} from {side} {value}"
    elif kind == "side":
        chosen = [r for r in rated if side_of_rating(r.rating) == value]
        share = 100 * len(chosen) / len(rated) if rated else 0.0
        span = {"positive": "7–10/10", "mixed": "5–6/10", "negative": "1–4/10"}[str(value)]
        line = (f"{len(chosen)} of the {len(rated)} rated reviews are {value} ({span}), "
                f"{share:.0f}%")
    elif kind == "least_helpful":
        voted = sorted((r for r in records if r.helpful),
                       key=lambda r: ((r.helpful or (0, 0))[0], -(r.helpful or (0, 0))[1], r.key))
        if not voted:
            return RecordAnswer(rq, f"None of the {n} reviews has helpful votes.", ())
        fewest = voted[0].helpful or (0, 0)
        chosen = [r for r in voted if r.helpful == fewest]
        line = f"The least helpful review: {fewest[0]} out of {fewest[1]} found it helpful"
    elif kind == "years":
        first, _, last = str(value).partition("-")
        chosen = [r for r in dated if r.day is not None and int(first) <= r.day.year <= int(last)]
        line = f"{_counted(chosen, n)} {_verb(chosen, 'are', 'is')} from {first} to {last}"
    elif kind == "date":
        # "2024-03-30": that day; "2024-03": that month
        chosen = [r for r in dated if r.day is not None and r.day.isoformat().startswith(str(value))]
        year, month, *day = (int(x) for x in str(value).split("-"))
        said = dt.date(year, month, day[0] if day else 1).strftime("%d %B %Y" if day else "%B %Y")
        line = f"{_counted(chosen, n)} {_verb(chosen, 'are', 'is')} from {said.lstrip('0')}"
    elif kind == "year":
        chosen = [r for r in dated if r.day is not None and r.day.year == value]
        line = f"{_counted(chosen, n)} {_verb(chosen, 'are', 'is')} from {value}"
    elif kind in ("rating", "below", "above", "at_least", "at_most"):
        assert isinstance(value, int)
        test = {"rating": value.__eq__, "below": value.__gt__, "above": value.__lt__,
                "at_least": value.__le__, "at_most": value.__ge__}[kind]
        chosen = [r for r in rated if r.rating is not None and test(r.rating)]
        said = {"rating": "gave it", "below": "rated it below", "above": "rated it above",
                "at_least": "rated it at least", "at_most": "rated it at most"}[kind]
        line = f"{_counted(chosen, n)} {said} {value}/10"
    else:
        raise ValueError(f"unknown record question {kind!r}")
    if 0 < len(chosen) <= LISTED and kind not in ("count", "distribution", "votes_total"):
        line += ": " + "; ".join(_listed(r) for r in chosen)
    elif LISTED < len(chosen) <= NAMED and kind not in ("count", "distribution", "votes_total"):
        # too many for each record in full, few enough to say who ("who gave it 7/10")
        line += ": " + ", ".join(r.reviewer for r in chosen)
    return RecordAnswer(rq, line + ".", tuple(chosen))


def _verb(chosen: Sequence[ReviewRecord], plural: str, singular: str) -> str:
    """The verb agreeing with "1 review of the 25" (one) or "3 reviews of the 25"."""
    return singular if len(chosen) == 1 else plural


def _counted(chosen: Sequence[ReviewRecord], n: int) -> str:
    """"3 reviews of the 25": the count beside its noun, as a count is asked for."""
    return f"{len(chosen)} review{'' if len(chosen) == 1 else 's'} of the {n}"


def _said_years(years: tuple[int, int]) -> str:
    low, high = years
    if low == high:
        return f"are from {low}"
    if low <= 0:
        return f"are from before {high + 1}"
    return f"are from {low} on" if high >= OPEN_END else f"are from {low} to {high}"

LISTED = 6  # up to this many answering reviews are named in the line, each with its record
NAMED = 12  # up to this many, by their reviewers' names alone


def _listed(r: ReviewRecord) -> str:
    votes = f", {r.helpful[0]} out of {r.helpful[1]} found it helpful" if r.helpful else ""
    spoiler = ", spoiler warning" if r.spoiler else ""
    title = f", ‘{r.title}’" if r.title else ""
    return f"{describe(r)}{title}{votes}{spoiler}"


def _unhelpful(r: ReviewRecord) -> int:
    """How many voted that a review was not helpful."""
    up, total = r.helpful or (0, 0)
    return total - up


def _ordinal(rank: int) -> str:
    """"" for the first, else "second " … (the superlative's rank, as the line says it)."""
    return "" if rank == 1 else {2: "second ", 3: "third ", 4: "fourth ", 5: "fifth "}.get(
        rank, f"{rank}th ")


def _median(values: list[int]) -> float:
    """The median (statistics.median's, without importing statistics: ~0.01 s of a start)."""
    ordered = sorted(values)
    mid = len(ordered) // 2
    return float(ordered[mid]) if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
