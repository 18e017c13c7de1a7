"""What a built index holds, for `/about` and `pusherbot index`: read from its manifest."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class CorpusStats:
    """What the loaded corpus holds, for `/about` and `pusherbot index`."""

    documents: tuple[str, ...]
    passages: int
    reviews: int
    model: str
    index_version: str
    index_kind: str
    built_at: str
    ratings: Mapping[str, int] | None = None  # reviews per rating "1".."10", when there are reviews


def corpus_stats(directory: Path, manifest: dict) -> CorpusStats:
    """What a build holds, from its manifest."""
    return CorpusStats(
        documents=tuple(manifest.get("documents", ())), passages=manifest["passage_count"],
        reviews=manifest.get("reviews", 0), model=Path(manifest.get("model", "")).name or "?",
        index_version=directory.name.split("-")[1],
        index_kind=manifest.get("vector_index", {}).get("kind", "flat"),
        built_at=manifest.get("built_at", ""),
    )
