"""Pure functions that turn answers into Discord messages and embeds that fit Discord's limits.

Every builder returns plain strings or embed dicts (`discord.Embed.from_dict` makes the object), so
all of it is testable without a client. Lengths are counted in characters (code points).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from discord.utils import escape_mentions

from retrieval.answer.result import ABSTAIN_MESSAGE, Answer, Result
from retrieval.index.stats import CorpusStats
from retrieval.reviews.chart import bar_chart, legend

MESSAGE_LIMIT = 2000
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
AUTHOR_NAME_LIMIT = 256
EMBED_TOTAL_LIMIT = 6000
MAX_FIELDS = 25

ELLIPSIS = "…"
COMPACT_QUOTE_CHARS = 300  # further passages are shorter than the main quote
EMBED_COLOUR = 0xC0392B
ZERO_WIDTH_SPACE = "\u200b"
BLANK = ZERO_WIDTH_SPACE  # Discord rejects empty field names and values

ERROR_TEXT = "Sorry, something went wrong while answering. Please try again in a moment."
ONLY_ASKER_TEXT = "Only the person who asked can page through these passages."
ALREADY_VOTED_TEXT = "You have already rated this answer."
THANKS_TEXT = "Thanks for the feedback!"
VOTE_NOT_SAVED_TEXT = "Sorry, your vote could not be saved. Please try again in a moment."

_SPACE = re.compile(r"\s")
# Characters that start or end inline markdown (bold, italics, underline, strike, code, spoilers,
# masked links, escapes) anywhere in a line; each is escaped on its own, so no pattern can span
# text and leave what lies between unescaped (discord.py's escape_markdown matches `[x](…)`
# greedily up to the last `)` and escapes only its first character).
_INLINE_MARKDOWN = re.compile(r"([\\*_~`|\[\]<])")
# Markdown that only counts at the start of a line: quotes, headings, subtext, bullet and
# numbered lists. The escape goes on the punctuation (a backslash before a digit would show).
_LINE_MARKDOWN = re.compile(r"^([ \t]*)(?:([>#+-])|(\d+)\.(?=\s))", re.MULTILINE)
_UNESCAPED_PIPE = re.compile(r"(?<!\\)((?:\\\\)*)\|")
_SPOILER_TAG = re.compile(r"(?<!\\)(?:\\\\)*\|\|")


def fit(text: str, limit: int) -> str:
    """`text` if it fits in `limit` characters, else cut at a word boundary and ended with `…`."""
    if limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    if len(text) <= limit:
        return text
    budget = limit - len(ELLIPSIS)
    # A space right after the budget still counts as a boundary, hence budget + 1.
    spaces = [m.start() for m in _SPACE.finditer(text, 0, budget + 1)]
    # A cut in the first half would throw away too much: a long unbroken run is cut hard.
    cut = spaces[-1] if spaces and spaces[-1] > budget // 2 else budget
    head = text[:cut].rstrip()
    if head.endswith((",", ";", ":")):
        head = head[:-1]
    return head + ELLIPSIS


def fit_markdown(text: str, limit: int) -> str:
    """Like `fit`, for markdown: a cut never leaves a spoiler open or an escape half done."""
    if len(text) <= limit:
        return text
    out = _cut_markdown(text, limit)
    if _spoiler_open(out):
        out = _cut_markdown(text, limit - 2)  # room to close the spoiler
        if _spoiler_open(out):
            out += "||"
    return out


def _cut_markdown(text: str, limit: int) -> str:
    head = fit(text, limit).removesuffix(ELLIPSIS)
    if (len(head) - len(head.rstrip("\\"))) % 2:
        head = head[:-1]  # an odd run of backslashes would escape the ellipsis
    return head + ELLIPSIS


def _spoiler_open(text: str) -> bool:
    return len(_SPOILER_TAG.findall(text)) % 2 == 1


def fit_with(text: str, limit: int, transform: Callable[[str], str]) -> str:
    """`transform(fit(text, n))` for the largest n that keeps the result within `limit`.

    Cutting happens on the raw text, so an escape sequence or spoiler tag that `transform` adds
    is never cut in half.
    """
    budget = limit
    while True:
        out = transform(fit(text, budget))
        if len(out) <= limit:
            return out
        budget -= len(out) - limit  # the budget shrinks every round, so this ends
        if budget < 1:
            raise ValueError(f"{limit} characters cannot hold any of this text once transformed")


def escape_markdown(text: str) -> str:
    """`text` with every markdown character escaped, so Discord shows it exactly as written."""
    text = _INLINE_MARKDOWN.sub(r"\\\1", text)
    return _LINE_MARKDOWN.sub(_escape_line_start, text)


def _escape_line_start(m: re.Match[str]) -> str:
    indent, mark, number = m.groups()
    return f"{indent}\\{mark}" if mark else f"{indent}{number}\\."


def escape(text: str) -> str:
    """Text shown literally: markdown and @mentions (users, roles, everyone, here) are escaped."""
    return escape_mentions(escape_markdown(text))


def spoiler(text: str) -> str:
    """Markdown hidden behind spoiler tags; any `|` inside is escaped so the tags stay balanced."""
    if not text:
        return text
    inner = _UNESCAPED_PIPE.sub(r"\1\\|", text)
    if inner.endswith("|"):
        # Discord closes a spoiler at the first `||` and ignores escapes while looking for it:
        # an escaped `|` right before the closing tag would close it one character early.
        inner += ZERO_WIDTH_SPACE
    return "||" + inner + "||"


def quote_markdown(text: str, *, hidden: bool) -> str:
    """A verbatim quote as literal markdown, wrapped in spoiler tags when `hidden`."""
    escaped = escape(" ".join(text.split()))  # passages keep line breaks that read oddly in embeds
    return spoiler(escaped) if hidden else escaped


def fit_quote(text: str, limit: int, *, hidden: bool) -> str:
    """A quote rendered with `quote_markdown` and cut (before escaping) to fit `limit`."""
    return fit_with(text, limit, lambda t: quote_markdown(t, hidden=hidden))


def fit_message(text: str) -> str:
    """A plain message fitted to Discord's 2,000 characters."""
    return fit(text, MESSAGE_LIMIT)


def fit_embed(embed: dict[str, Any]) -> dict[str, Any]:
    """A copy of an embed dict with every string within its limit and the total within 6,000.

    When the total is too long, trailing fields go first, then footer, author and description
    are shortened in that order.
    """
    out = dict(embed)
    if "title" in out:
        out["title"] = fit_markdown(out["title"], TITLE_LIMIT)
    if "description" in out:
        out["description"] = fit_markdown(out["description"], DESCRIPTION_LIMIT)
    if "footer" in out:
        out["footer"] = {**out["footer"], "text": fit(out["footer"]["text"], FOOTER_LIMIT)}
    if "author" in out:
        out["author"] = {**out["author"], "name": fit(out["author"]["name"], AUTHOR_NAME_LIMIT)}
    if "fields" in out:
        out["fields"] = [
            {
                **f,
                "name": fit_markdown(f["name"] or BLANK, FIELD_NAME_LIMIT),
                "value": fit_markdown(f["value"] or BLANK, FIELD_VALUE_LIMIT),
            }
            for f in out["fields"][:MAX_FIELDS]
        ]
    while embed_length(out) > EMBED_TOTAL_LIMIT and out.get("fields"):
        out["fields"] = out["fields"][:-1]
    # Then the least important text gives way first; the description (the answer) last.
    for key, part in (("footer", "text"), ("author", "name"), ("description", None)):
        excess = embed_length(out) - EMBED_TOTAL_LIMIT
        if excess <= 0:
            break
        text = out[key][part] if part else out.get(key, "")
        if not text:
            continue
        cut = fit_markdown(text, max(3, len(text) - excess))
        out[key] = {**out[key], part: cut} if part else cut
    return out


def embed_length(embed: dict[str, Any]) -> int:
    """Characters Discord counts towards an embed's 6,000 total."""
    n = len(embed.get("title", "")) + len(embed.get("description", ""))
    n += sum(len(f["name"]) + len(f["value"]) for f in embed.get("fields", ()))
    n += len(embed.get("footer", {}).get("text", "")) + len(embed.get("author", {}).get("name", ""))
    return n


def pages(results: Sequence[Result], per_page: int) -> list[tuple[Result, ...]]:
    """Results grouped into pages of `per_page`."""
    return [tuple(results[i : i + per_page]) for i in range(0, len(results), per_page)]


def answer_embed(
    answer: Answer, page: Sequence[Result], page_no: int, page_count: int, *, show_spoilers: bool
) -> dict[str, Any]:
    """One page of an answer: the first result's quote and citation, then the rest as fields."""
    first, *rest = page
    hide = first.passage.spoiler and not show_spoilers
    label = "**Spoiler** " if hide else ""
    # An answer about the reviews leads with its one line of counts and ratings.
    if answer.summary:
        label = f"**{fit_with(answer.summary, 600, escape)}**\n\n" + label
    citation = f"\n\n— *{escape(first.citation)}*"
    # The citation always shows in full, so the quote gets what the description has left.
    room = DESCRIPTION_LIMIT - len(label) - len(citation)
    description = label + fit_quote(first.quote, room, hidden=hide) + citation
    fields = []
    if answer.reviews is not None:
        fields.append(ratings_field(answer.reviews.all_ratings,
                                    answer.reviews.ratings if answer.reviews.aspect else None))
    for r in rest:
        hidden = r.passage.spoiler and not show_spoilers
        fields.append(
            {
                "name": f"{r.rank}. " + fit_with(r.citation, FIELD_NAME_LIMIT - 8, escape),
                "value": fit_quote(r.quote, COMPACT_QUOTE_CHARS, hidden=hidden),
                "inline": False,
            }
        )
    footer = f"Passages {page[0].rank}–{page[-1].rank} of {len(answer.results)}"
    if page_count > 1:
        footer += f" · page {page_no + 1}/{page_count}"
    if any(r.passage.spoiler for r in page) and not show_spoilers:
        footer += " · spoilers hidden"
    return fit_embed(
        {
            "title": fit_with(answer.question, TITLE_LIMIT, escape),
            "description": description,
            "fields": fields,
            "footer": {"text": footer},
            "color": EMBED_COLOUR,
            "type": "rich",
        }
    )


def ratings_field(ratings: Mapping[str, int], highlight: Mapping[str, int] | None = None
                  ) -> dict[str, Any]:
    """The rating distribution as an embed field: a bar chart of block characters in a code
    block (monospaced, and nothing in it is read as markdown), the discussing reviews solid."""
    chart = "\n".join([*bar_chart(ratings, highlight, width=CHART_WIDTH), legend(highlight is not None)])
    return {"name": "Ratings", "value": f"```\n{chart}\n```", "inline": False}


CHART_WIDTH = 12  # bar characters at most: the chart must fit a phone's embed width


def summary_text(summary: str) -> str:
    """An answer about the reviews that has no review to quote: its summary line alone."""
    return fit_with(summary, MESSAGE_LIMIT, escape)


def abstain_text(answer: Answer) -> str:
    """The short polite reply when the core abstains."""
    return fit_message(answer.message or ABSTAIN_MESSAGE)


def note_text(note: str, content: str | None = None) -> str:
    """How a follow-up was taken, above the answer: "(taking *him* as Smeden, …)". The note's
    own *emphasis* stays; everything else in it is escaped."""
    shown = "*".join(escape(part) for part in note.split("*"))
    text = fit_markdown(shown, MESSAGE_LIMIT // 2)
    return fit_message(f"{text}\n{content}") if content else text


def question_error_text(error: Exception) -> str:
    """A core QuestionError as a one-line reply (its text may echo the question, so escaped)."""
    return fit_with(f"Sorry, I can't answer that: {error}", MESSAGE_LIMIT, escape)


def cooldown_text(retry_after: float) -> str:
    """The short "slow down" reply."""
    return f"Slow down a little, please: you can ask again in {max(1, round(retry_after))} s."


def about_embed(stats: CorpusStats) -> dict[str, Any]:
    """What the corpus holds, for `/about`."""
    documents = "\n".join(f"• {escape(d)}" for d in stats.documents) or "none"
    return fit_embed(
        {
            "title": "About pusherbot",
            "description": (
                "I answer questions about the film *Pusher II* (2004) by quoting my source "
                "documents word for word, with a citation for every quote."
            ),
            "fields": [
                {"name": "Documents", "value": documents, "inline": False},
                {"name": "Passages", "value": str(stats.passages), "inline": True},
                {"name": "Reviews", "value": str(stats.reviews), "inline": True},
                {"name": "Model", "value": escape(stats.model), "inline": False},
                {
                    "name": "Index",
                    "value": escape(f"{stats.index_kind} · version {stats.index_version}"),
                    "inline": True,
                },
                {"name": "Built", "value": escape(stats.built_at), "inline": True},
                *([ratings_field(stats.ratings)] if stats.ratings else []),
            ],
            "color": EMBED_COLOUR,
            "type": "rich",
        }
    )
