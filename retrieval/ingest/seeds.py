"""Read the seeds folder and turn each file into segments with the parser its format needs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from retrieval.errors import SeedError
from retrieval.ingest.files import seed_files
from retrieval.ingest.parse_reviews import looks_like_reviews, review_segments
from retrieval.ingest.parse_wiki import looks_like_wiki, parse_wiki
from retrieval.ingest.segment import Segment

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")


@dataclass(frozen=True, slots=True)
class SeedDoc:
    """One seed file as read from disk."""

    name: str
    path: Path
    text: str
    kind: str  # wiki | review | text
    title: str


def read_seeds(seeds_dir: Path, *, follow_external_links: bool = False) -> list[SeedDoc]:
    """Read and classify every seed file."""
    docs = []
    for path in seed_files(seeds_dir, follow_external_links=follow_external_links):
        try:
            text = path.read_bytes().decode("utf-8")
        except OSError as e:
            raise SeedError(f"cannot read seed file {path}: {e.strerror}") from None
        except UnicodeDecodeError:
            raise SeedError(f"seed file is not UTF-8 text: {path}") from None
        if not text.strip():
            raise SeedError(f"seed file is empty: {path}")
        text = text.removeprefix("\ufeff")
        first = next((ln.strip() for ln in text.splitlines() if ln.strip()), path.stem)
        if looks_like_reviews(text):
            kind, title = "review", re.sub(r"\s+Poster$", "", first)
        elif looks_like_wiki(text):
            kind, title = "wiki", first
        else:
            kind, title = "text", first.lstrip("# ").strip() or path.stem
        docs.append(SeedDoc(name=path.name, path=path, text=text, kind=kind, title=title))
    return docs


def segments_of(doc: SeedDoc) -> list[Segment]:
    """Parse one seed document into segments."""
    if doc.kind == "wiki":
        return parse_wiki(doc.name, doc.text)
    if doc.kind == "review":
        return review_segments(doc.name, doc.title, doc.text)
    return text_segments(doc.name, doc.title, doc.text)


def text_segments(doc: str, title: str, text: str) -> list[Segment]:
    """Plain text or Markdown: blank-line paragraphs under `#` headings."""
    segments: list[Segment] = []
    path: list[str] = []
    pos = 0
    for block in re.split(r"(\n[ \t]*\n)", text):
        start = pos
        pos += len(block)
        if not block.strip() or block.startswith("\n") and not block.strip():
            continue
        lines = block.split("\n")
        offset = start
        body_start = None
        body_end = start
        for line in lines:
            m = _MD_HEADING.match(line.strip())
            if m:
                level = len(m.group(1)) - 1
                path[:] = path[:level] + [m.group(2)]
            elif line.strip():
                if body_start is None:
                    body_start = offset + len(line) - len(line.lstrip())
                body_end = offset + len(line.rstrip())
            offset += len(line) + 1
        if body_start is not None:
            section = " › ".join(path) or None
            segments.append(Segment(
                doc=doc, doc_title=title, source="text", kind="prose", section=section,
                start=body_start, end=body_end,
                context=f"{title}. {section}." if section else f"{title}.",
            ))
    return segments
