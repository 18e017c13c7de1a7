"""Parse an IMDb user-reviews page: drop page chrome, return one record per review."""

from __future__ import annotations

import re
from dataclasses import dataclass

from retrieval.ingest.segment import Segment

_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|"
           "December")
# The author is glued to the date ("UlrikSander11 March 2006", "PAolo-108 February 2009"): days
# are never zero-padded and never above 31, and IMDb names do not end in a hyphen, which
# decides the split ("alke-23 January 2005" is alke-2 on the 3rd).
_BYLINE = re.compile(
    rf"^(?P<author>\S.*?)(?<!-)(?P<day>[12]\d|3[01]|[1-9]) (?P<month>{_MONTHS}) (?P<year>\d{{4}})$"
)
_RATING = re.compile(r"^(?P<rating>10|[1-9])/10$")
_HELPFUL = re.compile(r"^(?P<up>\d[\d,]*) out of (?P<total>\d[\d,]*) found this helpful\.")
_SPOILER = "Warning: Spoilers"
_CHROME_PREFIXES = ("Was this review helpful?", "Permalink", "Review this title", "Sort by:",
                    "Filter by Rating:", "An error has occured", "An error has occurred",
                    "See also", "Recently Viewed", "User Reviews")


@dataclass(frozen=True, slots=True)
class Review:
    """One user review, with offsets of its body in the page text."""

    index: int
    title: str
    author: str
    date: str
    rating: int | None
    spoiler: bool
    helpful: tuple[int, int] | None
    body_start: int
    body_end: int


def looks_like_reviews(text: str) -> bool:
    """True for a page with at least one review byline followed by a helpfulness line."""
    return "found this helpful" in text and any(
        _BYLINE.match(line.strip()) for line in text.splitlines()
    )


def parse_reviews(text: str) -> list[Review]:
    """Every review of the page, in page order."""
    lines: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, line.rstrip()))
        pos += len(line) + 1

    reviews: list[Review] = []
    i = 0
    while i < len(lines):
        byline = _BYLINE.match(lines[i][1].strip())
        title_i = _prev_nonblank(lines, i)
        if not byline or title_i is None or _is_chrome(lines[title_i][1]):
            i += 1
            continue
        title = lines[title_i][1].strip()
        rating_i = _prev_nonblank(lines, title_i)
        rating = None
        if rating_i is not None and (m := _RATING.match(lines[rating_i][1].strip())):
            rating = int(m.group("rating"))
        j = i + 1
        spoiler = False
        while j < len(lines) and not lines[j][1].strip():
            j += 1
        if j < len(lines) and lines[j][1].strip() == _SPOILER:
            spoiler = True
            j += 1
        body_first = j
        helpful = None
        while j < len(lines):
            stripped = lines[j][1].strip()
            if (m := _HELPFUL.match(stripped)) or stripped.startswith("Permalink"):
                if m:
                    helpful = (int(m.group("up").replace(",", "")),
                               int(m.group("total").replace(",", "")))
                break
            if _BYLINE.match(stripped) and _RATING.match(lines[j - 1][1].strip() or "x"):
                break
            j += 1
        body_lines = [(o, ln) for o, ln in lines[body_first:j] if ln.strip()]
        if body_lines:
            start = body_lines[0][0] + len(body_lines[0][1]) - len(body_lines[0][1].lstrip())
            end = body_lines[-1][0] + len(body_lines[-1][1])
            reviews.append(Review(
                index=len(reviews), title=title, author=byline.group("author"),
                date=f"{byline.group('day')} {byline.group('month')} {byline.group('year')}",
                rating=rating, spoiler=spoiler, helpful=helpful, body_start=start, body_end=end,
            ))
        i = j + 1
    return reviews


def review_segments(doc: str, doc_title: str, text: str) -> list[Segment]:
    """Segments of a reviews page: each review's body paragraphs, tagged with the review's metadata."""
    segments = []
    for r in parse_reviews(text):
        rating = f", {r.rating}/10" if r.rating is not None else ""
        context = f"Review of {doc_title} by {r.author}{rating}: {r.title}."
        pos = r.body_start
        for para in text[r.body_start:r.body_end].split("\n"):
            p_start = pos + len(para) - len(para.lstrip())
            p_end = pos + len(para.rstrip())
            pos += len(para) + 1
            if p_end <= p_start:
                continue
            segments.append(Segment(
                doc=doc, doc_title=doc_title, source="review", kind="prose", section=r.title,
                start=p_start, end=p_end, spoiler=r.spoiler, reviewer=r.author, rating=r.rating,
                date=r.date, helpful=r.helpful, review_index=r.index, context=context,
            ))
    return segments


def _prev_nonblank(lines: list[tuple[int, str]], i: int) -> int | None:
    j = i - 1
    while j >= 0 and not lines[j][1].strip():
        j -= 1
    return j if j >= 0 else None


def _is_chrome(line: str) -> bool:
    s = line.strip()
    return s.startswith(_CHROME_PREFIXES) or bool(_HELPFUL.match(s)) or bool(_RATING.match(s))
