"""bot/format.py: every string fits Discord's limits, cut at a word boundary, spoilers balanced."""

from __future__ import annotations

import re

import discord
import pytest
from bot_fakes import STATS, make_answer, make_result

from bot import format as fmt
from retrieval.answer.result import ABSTAIN_MESSAGE, Answer

LIMITS = [
    fmt.MESSAGE_LIMIT,
    fmt.TITLE_LIMIT,
    fmt.DESCRIPTION_LIMIT,
    fmt.FIELD_NAME_LIMIT,
    fmt.FIELD_VALUE_LIMIT,
    fmt.FOOTER_LIMIT,
    fmt.AUTHOR_NAME_LIMIT,
]
SPOILER_TAG = re.compile(r"(?<!\\)(?:\\\\)*\|\|")


def words(n: int) -> str:
    """Exactly n characters of words of varied length separated by single spaces."""
    vocab = ["pusher", "tonny", "duke", "copenhagen", "a", "respect", "of", "kurt"]
    out, i = "", 0
    while len(out) < n:
        out += vocab[i % len(vocab)] + " "
        i += 1
    return out[:n].rstrip(" ") + "x" * (n - len(out[:n].rstrip(" ")))


def unescaped_spoiler_tags(text: str) -> int:
    return len(SPOILER_TAG.findall(text))


def test_words_helper_is_exact() -> None:
    assert [len(words(n)) for n in (1, 255, 256, 257, 4097)] == [1, 255, 256, 257, 4097]


@pytest.mark.parametrize("limit", LIMITS)
@pytest.mark.parametrize("delta", [-1, 0, 1, 2, 50])
def test_fit_at_and_around_each_limit(limit: int, delta: int) -> None:
    text = words(limit + delta)
    out = fmt.fit(text, limit)
    assert len(out) <= limit
    if delta <= 0:
        assert out == text  # text that fits is never touched
    else:
        assert out.endswith(fmt.ELLIPSIS)
        head = out.removesuffix(fmt.ELLIPSIS)
        assert text.startswith(head)
        # cut at a word boundary: what follows the kept head in the original is a space
        assert text[len(head)] == " "
        assert len(out) >= limit - 12  # and not much earlier than needed (longest word 10)


def test_fit_keeps_a_cut_that_lands_exactly_on_a_space() -> None:
    assert fmt.fit("abcd efgh", 5) == "abcd…"


def test_fit_cuts_a_long_unbroken_run_hard() -> None:
    text = "a " + "x" * 300
    out = fmt.fit(text, 100)
    assert len(out) == 100 and out.endswith(fmt.ELLIPSIS) and out.startswith("a xxx")


def test_fit_drops_trailing_punctuation_before_the_ellipsis() -> None:
    assert fmt.fit("Tonny, the Duke, Kurt", 12) == "Tonny, the…"
    assert fmt.fit("one, two three", 6) == "one…"


def test_fit_rejects_a_limit_below_one() -> None:
    assert fmt.fit("abc", 1) == "…"
    with pytest.raises(ValueError):
        fmt.fit("abc", 0)


def test_escape_markdown_and_mentions() -> None:
    out = fmt.escape("**bold** @everyone <@123456789012345678> <@&123456789012345678> @here")
    assert "\\*\\*bold\\*\\*" in out
    assert "@everyone" not in out and "@here" not in out
    assert "<@123456789012345678>" not in out and "<@&123456789012345678>" not in out


def unescaped_markdown(text: str) -> list[str]:
    """Markdown characters in `text` without a backslash before them."""
    out, escaped = [], False
    for c in text:
        if escaped:
            escaped = False
        elif c == "\\":
            escaped = True
        elif c in "*_~`|[]":
            out.append(c)
    return out


@pytest.mark.parametrize(
    "text",
    [
        "see [x](http://a.b/c) *bold* and (y) _z_ end)",  # discord.py stops escaping at `[x](`
        "[a](b) **c** [d](e) __f__",
        "who plays [the duke](*Tonny*) in **Pusher II** (2004)?",
        "~~gone~~ `code` ||secret|| back\\slash",
    ],
)
def test_escape_shows_every_markdown_character_literally(text: str) -> None:
    out = fmt.escape(text)
    assert unescaped_markdown(out) == [], out
    assert out.replace("\\", "") == text.replace("\\", "")  # nothing but escapes added


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("> quoted", "\\> quoted"),
        ("# heading", "\\# heading"),
        ("-# subtext", "\\-# subtext"),
        ("- item", "\\- item"),
        ("1. item", "1\\. item"),  # a backslash before the digit would show
        ("12.5 seconds", "12.5 seconds"),
        ("a > b - c", "a > b - c"),  # only at the start of a line
    ],
)
def test_escape_handles_markdown_that_starts_a_line(text: str, shown: str) -> None:
    assert fmt.escape(text) == shown


# Discord's spoiler rule: the first `||` after the opening one closes it, escaped or not.
DISCORD_SPOILER = re.compile(r"\|\|([\s\S]+?)\|\|")


@pytest.mark.parametrize("quote", ["a |", "a ||", "x | y |", "|", "ends in \\|"])
def test_a_hidden_quote_ending_in_a_pipe_leaves_no_stray_pipe(quote: str) -> None:
    out = fmt.quote_markdown(quote, hidden=True)
    m = DISCORD_SPOILER.match(out)
    assert m is not None and m.end() == len(out), f"{out!r}: Discord shows {out[m.end():]!r} after"
    assert m[1].replace("\\", "").rstrip(fmt.ZERO_WIDTH_SPACE) == quote.replace("\\", "")


def test_spoiler_escapes_pipes_inside_so_tags_stay_balanced() -> None:
    out = fmt.spoiler("a || b | c \\\\|| d")
    assert out.startswith("||") and out.endswith("||")
    assert unescaped_spoiler_tags(out) == 2
    assert fmt.spoiler("") == ""


@pytest.mark.parametrize("limit", [fmt.FIELD_VALUE_LIMIT, fmt.DESCRIPTION_LIMIT, 300])
@pytest.mark.parametrize("delta", [-5, -4, 0, 1, 100])
@pytest.mark.parametrize("hidden", [True, False])
def test_fit_quote_at_and_around_limits(limit: int, delta: int, hidden: bool) -> None:
    # markdown characters make the escaped text longer than the raw one
    raw = words(limit + delta).replace("duke", "d_k*")
    out = fmt.fit_quote(raw, limit, hidden=hidden)
    assert len(out) <= limit
    if hidden:
        assert out.startswith("||") and out.endswith("||")
        assert unescaped_spoiler_tags(out) == 2
    body = out.removeprefix("||").removesuffix("||") if hidden else out
    head = body.removesuffix(fmt.ELLIPSIS)
    trailing = len(head) - len(head.rstrip("\\"))
    assert trailing % 2 == 0  # no half escape sequence left at the cut
    # the kept words are the raw text's words, escaped, not mangled
    kept = body.removesuffix(fmt.ELLIPSIS).replace("\\", "")
    assert raw.startswith(kept)


def test_fit_markdown_closes_a_spoiler_it_cuts_into() -> None:
    text = "Before ||" + words(500) + "|| after"
    for limit in (20, 100, 255, 256, 257):
        out = fmt.fit_markdown(text, limit)
        assert len(out) <= limit
        assert unescaped_spoiler_tags(out) % 2 == 0


def test_fit_markdown_never_ends_on_a_lone_backslash() -> None:
    text = "x" * 10 + "\\*" * 100
    for limit in range(12, 40):
        out = fmt.fit_markdown(text, limit).removesuffix(fmt.ELLIPSIS)
        assert (len(out) - len(out.rstrip("\\"))) % 2 == 0


def embed_total(d: dict) -> int:
    return len(discord.Embed.from_dict(d))  # discord.py's own count of the 6,000 total


def test_fit_embed_enforces_every_limit_and_the_total() -> None:
    huge = {
        "title": words(300),
        "description": words(5000),
        "fields": [{"name": words(300), "value": words(1100)} for _ in range(30)],
        "footer": {"text": words(2100)},
        "author": {"name": words(300)},
    }
    out = fmt.fit_embed(huge)
    assert len(out["title"]) <= fmt.TITLE_LIMIT
    assert len(out["description"]) <= fmt.DESCRIPTION_LIMIT
    assert len(out["footer"]["text"]) <= fmt.FOOTER_LIMIT
    assert len(out["author"]["name"]) <= fmt.AUTHOR_NAME_LIMIT
    assert len(out["fields"]) <= fmt.MAX_FIELDS
    assert all(len(f["name"]) <= 256 and len(f["value"]) <= 1024 for f in out["fields"])
    assert fmt.embed_length(out) <= fmt.EMBED_TOTAL_LIMIT
    assert embed_total(out) <= fmt.EMBED_TOTAL_LIMIT
    assert huge["fields"][0]["value"] == words(1100)  # the input is not mutated


def test_fit_embed_keeps_at_most_25_fields_when_they_fit() -> None:
    d = {"fields": [{"name": str(i), "value": "v"} for i in range(30)]}
    assert [f["name"] for f in fmt.fit_embed(d)["fields"]] == [str(i) for i in range(25)]


def test_fit_embed_drops_trailing_fields_before_cutting_the_description() -> None:
    d = {
        "description": words(3990),
        "fields": [{"name": f"n{i}", "value": words(1000)} for i in range(5)],
    }
    out = fmt.fit_embed(d)
    assert out["description"] == d["description"]
    assert [f["name"] for f in out["fields"]] == ["n0", "n1"]  # 3990 + 2×1002 ≤ 6000
    assert fmt.embed_length(out) <= fmt.EMBED_TOTAL_LIMIT


def test_fit_embed_at_exactly_6000_is_untouched() -> None:
    d = {"title": "t" * 256, "description": words(4096), "footer": {"text": words(1648)}}
    assert fmt.embed_length(d) == 6000
    assert fmt.fit_embed(d) == d
    d["footer"]["text"] += "x"
    out = fmt.fit_embed(d)
    assert fmt.embed_length(out) <= 6000 and out["description"] == d["description"]


def test_fit_embed_fills_empty_field_values() -> None:
    out = fmt.fit_embed({"fields": [{"name": "", "value": ""}]})
    assert out["fields"][0]["name"] and out["fields"][0]["value"]


def test_answer_embed_shows_quote_citation_and_further_passages() -> None:
    quotes = ["Leif Sylvester as the Duke.", "B two.", "C three."]
    answer = make_answer("who plays *the* duke?", quotes)
    d = fmt.answer_embed(answer, answer.results, 0, 1, show_spoilers=False)
    assert d["description"].startswith("Leif Sylvester as the Duke.")
    assert "Wikipedia — Pusher II › Cast" in d["description"]
    assert [f["name"] for f in d["fields"]] == [
        "2. Wikipedia — Pusher II › Cast",
        "3. Wikipedia — Pusher II › Cast",
    ]
    assert [f["value"] for f in d["fields"]] == ["B two.", "C three."]
    assert d["title"] == "who plays \\*the\\* duke?"  # the user's markdown is shown, not applied
    assert d["footer"]["text"] == "Passages 1–3 of 3"
    discord.Embed.from_dict(d)  # a valid embed


def test_answer_embed_hides_spoilers_unless_asked() -> None:
    quotes = ["Tonny | stabs the Duke.", "Plain.", "Also plot."]
    answer = make_answer("how does it end?", quotes, spoilers=(1, 3))
    hidden = fmt.answer_embed(answer, answer.results, 0, 1, show_spoilers=False)
    assert "||Tonny \\| stabs the Duke.||" in hidden["description"]
    assert hidden["description"].startswith("**Spoiler** ||")
    assert hidden["fields"][0]["value"] == "Plain."
    assert hidden["fields"][1]["value"] == "||Also plot.||"
    assert hidden["footer"]["text"].endswith("spoilers hidden")
    shown = fmt.answer_embed(answer, answer.results, 0, 1, show_spoilers=True)
    assert "||" not in shown["description"] and "||" not in shown["fields"][1]["value"]
    assert "spoilers" not in shown["footer"]["text"]


def test_answer_embed_fits_a_huge_quote_and_keeps_the_citation_whole() -> None:
    long_review = make_result(1, words(9000), spoiler=True, source="review", section="Title " * 60,
                              reviewer="r" * 300)
    answer = Answer("q" * 1000, True, (long_review, make_result(2, words(5000))), 0.9)
    d = fmt.answer_embed(answer, answer.results, 0, 1, show_spoilers=False)
    assert len(d["description"]) <= fmt.DESCRIPTION_LIMIT
    assert fmt.escape(long_review.citation) in d["description"]
    assert unescaped_spoiler_tags(d["description"]) == 2
    assert len(d["title"]) <= fmt.TITLE_LIMIT and d["title"].endswith(fmt.ELLIPSIS)
    assert len(d["fields"][0]["value"]) <= fmt.COMPACT_QUOTE_CHARS
    assert embed_total(d) <= fmt.EMBED_TOTAL_LIMIT


def test_answer_embed_pages() -> None:
    answer = make_answer("q", [f"quote {i}" for i in range(1, 8)])
    pages = fmt.pages(answer.results, 3)
    assert [[r.rank for r in p] for p in pages] == [[1, 2, 3], [4, 5, 6], [7]]
    d = fmt.answer_embed(answer, pages[2], 2, 3, show_spoilers=False)
    assert d["description"].startswith("quote 7") and d["fields"] == []
    assert d["footer"]["text"] == "Passages 7–7 of 7 · page 3/3"


def test_abstain_text_is_short_and_polite() -> None:
    silent = Answer("q", False, (), 0.1, None)
    assert fmt.abstain_text(silent) == ABSTAIN_MESSAGE
    custom = Answer("q", False, (), 0.1, "Not in my documents.")
    assert fmt.abstain_text(custom) == "Not in my documents."


def test_question_error_text_escapes_and_fits() -> None:
    out = fmt.question_error_text(ValueError("@everyone " + "x " * 2000))
    assert len(out) <= fmt.MESSAGE_LIMIT and "@everyone" not in out


def test_cooldown_text_rounds_up_to_whole_seconds() -> None:
    assert fmt.cooldown_text(0.2).endswith("in 1 s.")
    assert fmt.cooldown_text(12.4).endswith("in 12 s.")


def test_about_embed_lists_what_the_corpus_holds() -> None:
    d = fmt.about_embed(STATS)
    values = {f["name"]: f["value"] for f in d["fields"]}
    assert "wikipedia\\_pusher\\_ii.txt" in values["Documents"]
    assert values["Passages"] == "131" and values["Reviews"] == "25"
    assert values["Model"] == "all-MiniLM-L6-v2"
    assert "8622502ceb4ea01d" in values["Index"]
    assert embed_total(d) <= fmt.EMBED_TOTAL_LIMIT
