"""Parsing of both seed formats, on the real seed files."""

from __future__ import annotations

from retrieval.ingest.parse_reviews import parse_reviews
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


def test_seed_kinds_are_detected() -> None:
    kinds = {d.name: d.kind for d in read_seeds(SEEDS)}
    assert kinds == {WIKI.name: "wiki", REVIEWS.name: "review"}


def test_plain_text_paragraphs_follow_markdown_headings() -> None:
    text = "# Title\n\nFirst para.\n\n## Part\n\nSecond para\ncontinues.\n"
    segs = text_segments("x.md", "Title", text)
    assert [(s.section, text[s.start:s.end]) for s in segs] == [
        ("Title", "First para."), ("Title › Part", "Second para\ncontinues.")]
