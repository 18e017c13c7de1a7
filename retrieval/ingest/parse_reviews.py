"""Parse an IMDb user-reviews page: one record per review, page chrome dropped, any other text kept
as plain paragraphs."""

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
# Chrome that is not a fixed phrase: "(2004)" under the title, "44 Reviews", and navigation rows
# of short links ("Awards | FAQ | User Ratings | …").
_CHROME_LINE = re.compile(r"^\(\d{4}\)$|^[\d,]+ Reviews?$|^[^|]{1,30}(?: \| [^|]{1,30}){2,}$")
# A page is a reviews page only when several complete records (rating, title, byline, body,
# helpfulness line) are found: one stray "found this helpful" and a byline-shaped line in a
# notes file must not turn it into invented reviews.
MIN_REVIEW_RECORDS = 3


@dataclass(frozen=True, slots=True)
class Review:
    """One user review, with offsets of its body, and of its whole record, in the page text."""

    index: int
    title: str
    author: str
    date: str
    rating: int | None
    spoiler: bool
    helpful: tuple[int, int] | None
    body_start: int
    body_end: int
    start: int  # the rating line (or the title when unrated)
    end: int  # the end of the helpfulness line (or of the body)


def page_total(text: str) -> int | None:
    """How many reviews the page's header says it has ("44 Reviews"), before the first record;
    None when it does not say."""
    reviews = parse_reviews(text)
    head = text[:reviews[0].start] if reviews else text
    m = _TOTAL.search(head)
    return int(m.group(1).replace(",", "")) if m else None


_TOTAL = re.compile(r"^([\d,]+) Reviews?$", re.MULTILINE)


def looks_like_reviews(text: str) -> bool:
    """True for a page with several complete review records (rating, title, byline, helpful)."""
    if "found this helpful" not in text:
        return False
    complete = sum(r.rating is not None and r.helpful is not None for r in parse_reviews(text))
    return complete >= MIN_REVIEW_RECORDS


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
        record_start = lines[title_i][0]
        if rating_i is not None and (m := _RATING.match(lines[rating_i][1].strip())):
            rating = int(m.group("rating"))
            record_start = lines[rating_i][0]
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
            record_end = lines[j][0] + len(lines[j][1]) if helpful is not None else end
            reviews.append(Review(
                index=len(reviews), title=title, author=byline.group("author"),
                date=f"{byline.group('day')} {byline.group('month')} {byline.group('year')}",
                rating=rating, spoiler=spoiler, helpful=helpful, body_start=start, body_end=end,
                start=record_start, end=record_end,
            ))
        i = j + 1
    return reviews


def review_segments(doc: str, doc_title: str, text: str) -> list[Segment]:
    """Segments of a reviews page: each review's body paragraphs, tagged with the review's
    metadata, and any other text that is not page chrome as plain paragraphs, in page order."""
    reviews = parse_reviews(text)
    segments = _other_text(doc, doc_title, text, reviews)
    for r in reviews:
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
    return sorted(segments, key=lambda s: s.start)


def _other_text(doc: str, doc_title: str, text: str, reviews: list[Review]) -> list[Segment]:
    """Paragraphs outside every review record that are not chrome (nor the title line): text
    the parser does not understand is kept as plain text rather than dropped."""
    records = iter(sorted((r.start, r.end) for r in reviews))
    record = next(records, None)
    segments: list[Segment] = []
    para: list[int] = []  # [start, end] of the paragraph being gathered

    def flush() -> None:
        if para:
            segments.append(Segment(doc=doc, doc_title=doc_title, source="text", kind="prose",
                                    section=None, start=para[0], end=para[1],
                                    context=f"{doc_title}."))
            para.clear()

    pos = 0
    title_seen = False
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        while record is not None and record[1] <= start:
            record = next(records, None)
        stripped = line.strip()
        if not stripped:
            flush()
            continue
        if not title_seen:
            title_seen = True  # the page title: the document's title in every citation
            continue
        if (record is not None and record[0] <= start) or _is_chrome(stripped) \
                or _CHROME_LINE.match(stripped) or stripped == _SPOILER:
            flush()
            continue
        lead = len(line) - len(line.lstrip())
        if not para:
            para.extend((start + lead, start + len(line.rstrip())))
        else:
            para[1] = start + len(line.rstrip())
    flush()
    return segments


def _prev_nonblank(lines: list[tuple[int, str]], i: int) -> int | None:
    j = i - 1
    while j >= 0 and not lines[j][1].strip():
        j -= 1
    return j if j >= 0 else None


def _is_chrome(line: str) -> bool:
    s = line.strip()
    return s.startswith(_CHROME_PREFIXES) or bool(_HELPFUL.match(s)) or bool(_RATING.match(s))
