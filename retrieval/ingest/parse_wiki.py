"""Parse a Wikipedia article dump: title line, {{Infobox}} facts, ==Section== headings, cast bullets."""

from __future__ import annotations

import re

from retrieval.ingest.segment import Segment

_HEADING = re.compile(r"^(={2,6})\s*(.+?)\s*\1\s*$")
_FIELD = re.compile(r"^\|\s*(?P<name>[\w ]+?)\s*=\s*(?P<value>.*?)\s*$")
_CAST = re.compile(r"^(?P<actor>[^:]+?) as (?P<role>[^:]+?)(?::\s*(?P<desc>.*))?$")
# A link remnant such as "Heat (film)|Heat": the target (often with a parenthesised
# disambiguator) and the pipe go, the label stays. Lowercase words before a target ("The
# original Heat (1995 film)|Heat") belong to the sentence: a target with lowercase words is
# only taken when the label echoes it, which the backreference checks.
_WORDS = r"[\w'’.-]+(?: [\w'’.-]+){0,3}"
_CAPS = r"[A-Z][\w'’.-]*(?: [A-Z0-9][\w'’.-]*){0,3}"
# "Heat (1995 film)|Heat", "Eurotrash (term)|eurotrashy": the label begins with the title.
_QUALIFIED_ECHO = re.compile(rf"\b({_WORDS}) \([^()|\n]+\)\|(?=\1)", re.I)
LINK_REMNANT = re.compile(rf"(?:{_CAPS} \([^()|\n]+\)|{_CAPS})\|(?=\w)")
# Media fields describe the page, not the film.
_SKIP_FIELDS = {"image", "caption", "alt", "image_size", "border"}
# The labels Wikipedia's {{Infobox film}} template renders for its fields: an infobox fact
# embeds as the sentence a reader sees on the page ("Cinematography: Jane Doe").
INFOBOX_LABELS = {
    "name": "Title", "director": "Directed by", "producer": "Produced by",
    "writer": "Written by", "screenplay": "Screenplay by", "story": "Story by",
    "based_on": "Based on", "starring": "Starring", "narrator": "Narrated by",
    "music": "Music by", "cinematography": "Cinematography", "editing": "Edited by",
    "studio": "Production company", "distributor": "Distributed by",
    "released": "Release date", "runtime": "Running time", "country": "Country",
    "language": "Language", "budget": "Budget", "gross": "Box office",
}


def looks_like_wiki(text: str) -> bool:
    """True for text with an infobox or ==Section== headings."""
    return "{{Infobox" in text or any(_HEADING.match(line) for line in text.splitlines()[:400])


def empty_infobox_fields(text: str) -> list[tuple[str, str]]:
    """(field, label) of infobox fields left blank: facts the article says it does not know."""
    out, inside = [], False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("{{Infobox"):
            inside = True
        elif inside and _ends_infobox(stripped):
            inside = False
        elif inside and (m := _FIELD.match(line)) and not m.group("value"):
            name = m.group("name").strip()
            if name not in _SKIP_FIELDS:
                out.append((name, INFOBOX_LABELS.get(name, name.replace("_", " "))))
    return out


# "Crime film|crime film": a target with lowercase words is still a remnant when the label
# repeats it (whatever the case).
_ECHOED_REMNANT = re.compile(r"\b([A-Z][\w'’.-]*(?: [\w'’.-]+){0,3})\|(?=\1\b)", re.I)


def unlink(text: str) -> str:
    """Turn `Target|Label` link remnants into their label."""
    text = _QUALIFIED_ECHO.sub("", text)
    return _ECHOED_REMNANT.sub("", LINK_REMNANT.sub("", text))


def parse_wiki(doc: str, text: str) -> list[Segment]:
    """Segments of a Wikipedia article: one per infobox field, cast line, and section paragraph."""
    lines = _lines_with_offsets(text)
    title = next((ln.strip() for _, ln in lines if ln.strip()), doc)
    segments: list[Segment] = []
    path: list[str] = []
    in_infobox = False
    para_start: int | None = None
    para_end = 0
    first_line_seen = False

    def flush() -> None:
        nonlocal para_start
        if para_start is not None:
            section = " › ".join(path) or None
            segments.append(Segment(
                doc=doc, doc_title=title, source="wiki", kind="prose" if path else "lead",
                section=section, start=para_start, end=para_end,
                spoiler=bool(path) and path[0].lower() == "plot",
                context=f"{title}. {section}." if section else f"{title}.",
            ))
        para_start = None

    for offset, line in lines:
        stripped = line.strip()
        if not first_line_seen:
            if stripped:
                first_line_seen = True
                continue  # the title line
            continue
        if stripped.startswith("{{Infobox"):
            flush()
            in_infobox = True
            continue
        if in_infobox:
            if stripped.startswith("}}"):
                in_infobox = False
                continue
            if _ends_infobox(stripped):
                in_infobox = False  # never closed: what follows is the article, not dropped
            else:
                seg = _infobox_field(doc, title, offset, line)
                if seg:
                    segments.append(seg)
                continue
        heading = _HEADING.match(stripped)
        if heading:
            flush()
            level = len(heading.group(1)) - 2
            path[:] = path[:level] + [unlink(heading.group(2))]
            continue
        if not stripped:
            flush()
            continue
        if stripped.startswith("*"):
            flush()
            seg = _bullet(doc, title, path, offset, line)
            if seg:
                segments.append(seg)
            continue
        lead = len(line) - len(line.lstrip())
        if para_start is None:
            para_start = offset + lead
        para_end = offset + len(line.rstrip())
    flush()
    return segments


def _ends_infobox(stripped: str) -> bool:
    """The infobox's closing braces, or a blank line or heading where a `}}` was forgotten."""
    return stripped.startswith("}}") or not stripped or bool(_HEADING.match(stripped))


def _lines_with_offsets(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


def _infobox_field(doc: str, title: str, offset: int, line: str) -> Segment | None:
    m = _FIELD.match(line)
    if not m or not m.group("value") or m.group("name").strip() in _SKIP_FIELDS:
        return None
    name = m.group("name").strip()
    label = INFOBOX_LABELS.get(name, name.replace("_", " ").capitalize())
    return Segment(
        doc=doc, doc_title=title, source="wiki", kind="infobox", section="Infobox",
        start=offset + m.start("name"), end=offset + m.end("value"),
        context=f"{title} ({label}):",
    )


def _bullet(doc: str, title: str, path: list[str], offset: int, line: str) -> Segment | None:
    body = line.lstrip()[1:]
    start = offset + (len(line) - len(line.lstrip())) + 1 + (len(body) - len(body.lstrip()))
    body = body.strip()
    if not body:
        return None
    section = " › ".join(path) or None
    cast = _CAST.match(body)
    if cast:
        return Segment(
            doc=doc, doc_title=title, source="wiki", kind="cast", section=section,
            start=start, end=start + len(body),
            context=f"{title} cast: actor {cast.group('actor')} plays the character "
                    f"{cast.group('role')}.",
        )
    if len(body.split()) < 4:
        return None  # a bullet whose link was lost ("drug lord."): no fact left to quote
    return Segment(
        doc=doc, doc_title=title, source="wiki", kind="prose", section=section,
        start=start, end=start + len(body), context=f"{title}. {section}.",
    )
