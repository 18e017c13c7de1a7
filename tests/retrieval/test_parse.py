"""Parsing of both seed formats on the real seed files, format detection, and which files are read."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.errors import SeedError
from retrieval.ingest import ChunkSettings, build_passages, corpus_hash, seed_files
from retrieval.ingest.parse_reviews import (
    MIN_REVIEW_RECORDS,
    looks_like_reviews,
    parse_reviews,
    review_segments,
)
from retrieval.ingest.parse_wiki import empty_infobox_fields, parse_wiki, unlink
from retrieval.ingest.seeds import read_seeds, text_segments
from tests.conftest import REVIEWS, SEEDS, WIKI


def test_reviews_page_has_25_reviews_with_metadata() -> None:
    reviews = parse_reviews(REVIEWS.read_text(encoding="utf-8"))
    assert len(reviews) == 25
    first = reviews[0]
    assert (first.author, first.date, first.rating) == ("UlrikSander", "11 March 2006", 8)
    assert first.helpful == (54, 62)
    assert first.title == "Nicolas Winding Refn's Pusher 2 is even better than the first one"


def test_author_glued_to_date_is_split_on_valid_days() -> None:
    by_author = {r.author: r for r in parse_reviews(REVIEWS.read_text(encoding="utf-8"))}
    assert by_author["PAolo-10"].date == "8 February 2009"
    assert by_author["alke-2"].date == "3 January 2005"
    assert by_author["Pjtaylor-96-138044"].date == "26 April 2022"
    assert by_author["peterroeder34"].date == "8 October 2014"


def test_review_without_rating_and_spoiler_flags() -> None:
    reviews = parse_reviews(REVIEWS.read_text(encoding="utf-8"))
    unrated = [r for r in reviews if r.rating is None]
    assert [r.author for r in unrated] == ["Jack_Coen"]
    assert {r.author for r in reviews if r.spoiler} == {"kristianbk", "lastliberal"}


def test_review_bodies_exclude_page_chrome() -> None:
    text = REVIEWS.read_text(encoding="utf-8")
    for r in parse_reviews(text):
        body = text[r.body_start:r.body_end]
        for chrome in ("Permalink", "Was this review helpful", "found this helpful", "Sort by:"):
            assert chrome not in body


def test_wiki_infobox_director_and_blank_fields() -> None:
    text = WIKI.read_text(encoding="utf-8")
    facts = {text[s.start:s.end].split("=")[0].strip(): text[s.start:s.end]
             for s in parse_wiki(WIKI.name, text) if s.kind == "infobox"}
    assert facts["director"].endswith("Nicolas Winding Refn")
    assert "image" not in facts and "budget" not in facts  # media and empty fields dropped
    assert ("budget", "Budget") in empty_infobox_fields(text)


def test_wiki_sections_cast_and_spoilers() -> None:
    text = WIKI.read_text(encoding="utf-8")
    segs = parse_wiki(WIKI.name, text)
    sections = {s.section for s in segs}
    assert {"Plot", "Cast", "Production › Development", "Production › Filming",
            "Trilogy"} <= sections
    cast = [text[s.start:s.end] for s in segs if s.kind == "cast"]
    assert "Mads Mikkelsen as Tonny: A troubled hoodlum." in cast
    assert all(" as " in c for c in cast)  # the broken "*  drug lord." bullet is dropped
    assert all(s.spoiler == (s.section == "Plot") for s in segs)


def test_link_remnants_become_labels() -> None:
    assert unlink("the Pusher (film series)|Pusher trilogy") == "the Pusher trilogy"
    assert unlink('most "Eurotrash (term)|eurotrashy" music') == 'most "eurotrashy" music'
    # The sentence's own words before a link stay: only the link's target goes.
    assert (unlink("The original Heat (1995 film)|Heat was a success")
            == "The original Heat was a success")
    assert unlink("as in the Heat (film)|Heat remake") == "as in the Heat remake"


def test_seed_kinds_are_detected() -> None:
    kinds = {d.name: d.kind for d in read_seeds(SEEDS)}
    assert kinds == {WIKI.name: "wiki", REVIEWS.name: "review"}


def test_plain_text_paragraphs_follow_markdown_headings() -> None:
    text = "# Title\n\nFirst para.\n\n## Part\n\nSecond para\ncontinues.\n"
    segs = text_segments("x.md", "Title", text)
    assert [(s.section, text[s.start:s.end]) for s in segs] == [
        ("Title", "First para."), ("Title › Part", "Second para\ncontinues.")]


# A notes file with one "found this helpful" and a byline-shaped line: not a reviews page.
NOTES = (
    "My notes on Pusher II\n\n"
    "The ferry scene was filmed near the harbour in Copenhagen. I found this helpful when "
    "planning a visit.\n"
    "Brian Cox2 March 2004\n"
    "Peter Peter wrote the score, mostly synthesizers.\n\n"
    "Another paragraph about the tattoo that reads Respect on the back of Tonny's head.\n"
)


def test_a_notes_file_with_review_like_lines_stays_plain_text(tmp_path) -> None:
    (tmp_path / "notes.txt").write_text(NOTES, encoding="utf-8")
    assert [d.kind for d in read_seeds(tmp_path)] == ["text"]
    passages, _ = build_passages(tmp_path, ChunkSettings())
    assert all(p.source == "text" and p.reviewer is None for p in passages)
    shown = " ".join(p.text for p in passages)
    for words in ("ferry scene", "Peter Peter wrote the score", "reads Respect"):
        assert words in shown  # nothing dropped, no invented review


def test_reviews_need_several_complete_records() -> None:
    text = REVIEWS.read_text(encoding="utf-8")
    assert looks_like_reviews(text)
    assert not looks_like_reviews(NOTES)
    # One real, complete review record pasted into notes is still notes.
    reviews = parse_reviews(text)
    one = text[reviews[0].start:reviews[0].end]
    assert "8/10" in one and "found this helpful" in one
    assert not looks_like_reviews(NOTES + "\n" + one + "\n")
    # From MIN_REVIEW_RECORDS complete records on, it is a reviews page.
    some = text[reviews[0].start:reviews[MIN_REVIEW_RECORDS - 1].end]
    assert looks_like_reviews(some) and not looks_like_reviews(
        text[reviews[0].start:reviews[MIN_REVIEW_RECORDS - 2].end])


def test_text_outside_the_reviews_is_kept_as_plain_paragraphs() -> None:
    text = REVIEWS.read_text(encoding="utf-8")
    after = text.index("Permalink\n") + len("Permalink\n")
    note = "Saved from IMDb in 2024 for the Pusher II bot; the ratings are the reviewers' own."
    page = text[:after] + note + "\n" + text[after:] + "\nA closing remark that is no review.\n"
    segs = review_segments("page.txt", "Pusher II (2004)", page)
    assert len({s.review_index for s in segs if s.source == "review"}) == 25
    plain = [page[s.start:s.end] for s in segs if s.source == "text"]
    assert plain == [note, "A closing remark that is no review."]
    assert [s.start for s in segs] == sorted(s.start for s in segs)  # page order


def test_the_real_reviews_page_has_nothing_but_reviews_and_chrome() -> None:
    text = REVIEWS.read_text(encoding="utf-8")
    assert [s for s in review_segments(REVIEWS.name, "t", text) if s.source == "text"] == []


def test_an_unclosed_infobox_does_not_swallow_the_article() -> None:
    text = ("Film\n{{Infobox film\n| director = Ann Berg\n\nThe article goes on here. It is long."
            "\n\n==Plot==\nThings happen.\n")
    segs = [(s.kind, text[s.start:s.end]) for s in parse_wiki("f.txt", text)]
    assert segs == [("infobox", "director = Ann Berg"),
                    ("lead", "The article goes on here. It is long."), ("prose", "Things happen.")]


def _seeds_with_link(tmp_path: Path, target: Path | str) -> Path:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "notes.md").write_text("The film was shot in Copenhagen.\n", encoding="utf-8")
    (seeds / "linked.txt").symlink_to(target)
    return seeds


def test_a_symlink_out_of_the_seeds_folder_is_refused(tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("The vault password is swordfish.\n", encoding="utf-8")
    seeds = _seeds_with_link(tmp_path, secret)
    for read in (seed_files, corpus_hash, lambda d: build_passages(d, ChunkSettings())):
        with pytest.raises(SeedError, match="linked.txt.*outside the seeds folder"):
            read(seeds)
    # Allowed only when asked for.
    passages, _ = build_passages(seeds, ChunkSettings(), follow_external_links=True)
    assert any("swordfish" in p.text for p in passages)


def test_a_symlink_within_the_seeds_folder_is_read(tmp_path) -> None:
    seeds = _seeds_with_link(tmp_path, "notes.md")  # relative: seeds/linked.txt -> notes.md
    assert [p.name for p in seed_files(seeds)] == ["linked.txt", "notes.md"]
