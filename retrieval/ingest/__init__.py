"""The build side: seed files → parsed segments → passages. Only index builds import the parsers.

`build_passages` is the one entry point; the seed listing and hash (`files`) stay light
because every `ask` needs them to check that the index matches the seeds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from retrieval.ingest.files import SEED_SUFFIXES, corpus_hash, seed_files

if TYPE_CHECKING:
    from retrieval.passage import Passage

CHUNKER_VERSION = "6"  # bump whenever chunk boundaries or passage text can change

__all__ = ["CHUNKER_VERSION", "SEED_SUFFIXES", "ChunkSettings", "build_passages", "build_records",
           "corpus_hash", "seed_files"]


@dataclass(frozen=True, slots=True)
class ChunkSettings:
    """How prose is cut: a window of whole sentences up to `chars`, sharing `overlap` sentences."""

    chars: int = 550
    overlap: int = 1

    def __post_init__(self) -> None:
        if self.chars < 100 or self.overlap < 0:
            raise ValueError("chunk size must be ≥ 100 characters and overlap ≥ 0")


def build_passages(seeds_dir: Path, cfg: ChunkSettings, *, follow_external_links: bool = False
                   ) -> tuple[list[Passage], list[list[str]]]:
    """Parse and chunk every seed file; also the (field, label) pairs infoboxes leave blank."""
    from retrieval.errors import SeedError
    from retrieval.ingest.chunk import chunk
    from retrieval.ingest.parse_wiki import empty_infobox_fields
    from retrieval.ingest.seeds import read_seeds, segments_of

    docs = read_seeds(seeds_dir, follow_external_links=follow_external_links)
    texts = {d.name: d.text for d in docs}
    segments = [s for d in docs for s in segments_of(d)]
    blanks = [[f, label] for d in docs if d.kind == "wiki"
              for f, label in empty_infobox_fields(d.text)]
    passages = chunk(segments, texts, cfg)
    if not passages:
        # An index of nothing would only ever abstain (and search code assumes rows exist).
        raise SeedError(f"the seed files in {seeds_dir} have no text to quote (headings only?)")
    return passages, blanks


def build_records(seeds_dir: Path, passages: list[Passage], *,
                  follow_external_links: bool = False) -> list[Passage]:
    """Each review's whole record (header, body, helpfulness line) as a passage, numbered after
    `passages` (ingest/records.py): what record questions cite, never searched."""
    from retrieval.ingest.records import record_passages
    from retrieval.ingest.seeds import read_seeds

    docs = read_seeds(seeds_dir, follow_external_links=follow_external_links)
    return record_passages({d.name: d.text for d in docs if d.kind == "review"}, passages)


def review_totals(seeds_dir: Path) -> dict[str, int]:
    """How many reviews each reviews page's header says it has ("44 Reviews"), by document: a
    page may show only some of them."""
    from retrieval.ingest.parse_reviews import page_total
    from retrieval.ingest.seeds import read_seeds

    totals = {d.name: page_total(d.text) for d in read_seeds(seeds_dir) if d.kind == "review"}
    return {name: n for name, n in totals.items() if n is not None}
