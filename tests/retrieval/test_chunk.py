"""Chunk invariants on the real seeds: offsets round-trip, sizes, boundaries."""

from __future__ import annotations

import pytest

from retrieval.ingest import ChunkSettings, build_passages
from retrieval.ingest.parse_wiki import unlink
from retrieval.ingest.seeds import read_seeds
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def passages():
    return build_passages(SEEDS, ChunkSettings())[0]


@pytest.fixture(scope="module")
def texts():
    return {d.name: d.text for d in read_seeds(SEEDS)}


def test_offsets_round_trip_for_every_passage(passages, texts) -> None:
    for p in passages:
        raw = texts[p.doc][p.start:p.end]
        if p.has_markup:
            # Only link remnants and infobox padding are rewritten.
            assert " ".join(unlink(raw).split()) == " ".join(p.text.split())
        else:
            assert raw == p.text
    assert sum(not p.has_markup for p in passages) > 100


def test_sentence_spans_lie_inside_the_passage(passages) -> None:
    for p in passages:
        assert p.sentences
        for s, e in p.sentences:
            assert 0 <= s < e <= len(p.text)
            assert p.text[s:e].strip() == p.text[s:e]


def test_prose_chunks_respect_the_size(passages) -> None:
    cfg = ChunkSettings()
    for p in passages:
        if p.kind in ("prose", "lead") and len(p.sentences) > 1:
            assert len(p.text) <= cfg.chars + 10  # a link remnant may shrink, never grow much


def test_chunks_never_cross_a_review_or_section(passages, texts) -> None:
    for p in passages:
        raw = texts[p.doc][p.start:p.end]
        assert "Permalink" not in raw and "found this helpful" not in raw
        assert "==" not in raw


def test_facts_are_their_own_passages(passages) -> None:
    facts = {p.text for p in passages if p.kind in ("infobox", "cast")}
    assert "cinematography = Morten Søborg" in facts
    assert "Anne Sørensen as Charlotte: A prostitute and the mother of Tonnys child." in facts


def test_reviews_carry_their_metadata(passages) -> None:
    reviews = [p for p in passages if p.source == "review"]
    assert len({p.review_index for p in reviews}) == 25
    assert all(p.reviewer and p.date and p.section for p in reviews)
    spoilers = {p.reviewer for p in reviews if p.spoiler}
    assert spoilers == {"kristianbk", "lastliberal"}


def test_each_review_record_is_one_verbatim_passage_after_the_searchable_ones(passages, texts
                                                                              ) -> None:
    from retrieval.ingest import build_records

    records = build_records(SEEDS, passages)
    reviews = {(p.doc, p.review_index) for p in passages if p.review_index is not None}
    assert len(records) == len(reviews) == 25
    assert [r.id for r in records] == list(range(len(passages), len(passages) + 25))
    for r in records:
        assert r.kind == "record" and texts[r.doc][r.start:r.end] == r.text
        # the header lines open it, the helpfulness line closes it; quotes are body sentences
        assert r.text.startswith((f"{r.rating}/10\n" if r.rating else "", r.section or ""))
        assert r.reviewer in r.text.split("\n")[2 if r.rating else 1]
        last = r.text.rsplit("\n", 1)[-1]
        assert (f"{r.helpful[0]} out of {r.helpful[1]} found this helpful." in last
                if r.helpful else "found this helpful" not in r.text)
        body = [p for p in passages if (p.doc, p.review_index) == (r.doc, r.review_index)]
        said = {p.text[s:e] for p in body for s, e in p.sentences}
        assert {r.text[s:e] for s, e in r.sentences} == said
