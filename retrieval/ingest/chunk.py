"""Cut segments into passages: sentence windows that never cross a section or a review."""

from __future__ import annotations

import re
from itertools import groupby

from retrieval.ingest import ChunkSettings
from retrieval.ingest.parse_wiki import unlink
from retrieval.ingest.segment import Segment
from retrieval.ingest.sentences import split_sentences
from retrieval.passage import Passage

_SPACES = re.compile(r"[ \t]{2,}")


def chunk(segments: list[Segment], texts: dict[str, str], cfg: ChunkSettings) -> list[Passage]:
    """Passages for all segments; `texts` maps a seed file name to its text. Ids are sequential."""
    passages: list[Passage] = []

    def key(s: Segment) -> tuple:
        # Consecutive paragraphs of one section or one review form a single unit, so a chunk
        # may join short paragraphs but never crosses into the next section or review.
        if s.kind in ("infobox", "cast"):
            return (s.doc, s.kind, s.start)
        return (s.doc, s.kind, s.section, s.review_index)

    for _, run in groupby(segments, key=key):
        group = list(run)
        head = group[0]
        text = texts[head.doc]
        if head.kind in ("infobox", "cast"):
            raw = text[head.start:head.end]
            shown = _SPACES.sub(" ", raw) if head.kind == "infobox" else raw
            passages.append(_passage(len(passages), head, head.start, head.end, shown,
                                     ((0, len(shown)),), shown != raw))
            continue
        sentences = [
            (seg.start + s, seg.start + e)
            for seg in group
            for s, e in split_sentences(text[seg.start:seg.end])
        ]
        for first, last in _windows(sentences, cfg):
            start, end = sentences[first][0], sentences[last][1]
            rel = [(s - start, e - start) for s, e in sentences[first:last + 1]]
            shown, spans = _clean(text[start:end], rel, head.source == "wiki")
            passages.append(_passage(len(passages), head, start, end, shown, spans,
                                     shown != text[start:end]))
    return passages


def _windows(sentences: list[tuple[int, int]], cfg: ChunkSettings) -> list[tuple[int, int]]:
    """Inclusive (first, last) sentence indexes of each chunk."""
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(sentences):
        j = i
        while j + 1 < len(sentences) and sentences[j + 1][1] - sentences[i][0] <= cfg.chars:
            j += 1
        out.append((i, j))
        if j == len(sentences) - 1:
            break
        i = max(i + 1, j + 1 - cfg.overlap)
    return out


def _clean(raw: str, spans: list[tuple[int, int]], wiki: bool
           ) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Passage text shown to users, with sentence spans re-based onto it."""
    if not wiki:
        return raw, tuple(spans)
    out: list[str] = []
    new_spans = []
    pos = 0
    length = 0
    for s, e in spans:
        gap = unlink(raw[pos:s])
        out.append(gap)
        length += len(gap)
        sentence = unlink(raw[s:e])
        out.append(sentence)
        new_spans.append((length, length + len(sentence)))
        length += len(sentence)
        pos = e
    out.append(unlink(raw[pos:]))
    return "".join(out), tuple(new_spans)


def _passage(pid: int, seg: Segment, start: int, end: int, text: str,
             sentences: tuple[tuple[int, int], ...], has_markup: bool) -> Passage:
    return Passage(
        id=pid, doc=seg.doc, doc_title=seg.doc_title, source=seg.source, kind=seg.kind,
        section=seg.section, start=start, end=end, text=text, sentences=sentences,
        spoiler=seg.spoiler, has_markup=has_markup, reviewer=seg.reviewer, rating=seg.rating,
        date=seg.date, helpful=seg.helpful, review_index=seg.review_index, context=seg.context,
    )
