"""Hybrid ranking: dense and BM25 scores, normalised and fused with a question-intent prior."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from retrieval.passage import Passage
from retrieval.text import fold

# Words that ask for opinions, which live in the reviews rather than in the encyclopedia.
_OPINION = re.compile(
    r"\b(review\w*|critic\w*|viewers?|audiences?|opinions?|recommend\w*|worth|rat(ed|ing)|"
    r"prais\w*|people (say|think|said|thought)|fans?|overrated|underrated|good|bad|best|worst|"
    r"like[ds]?|love[ds]?|hate[ds]?|think|thought|feel|felt)\b"
)


@dataclass(frozen=True, slots=True)
class FusionWeights:
    """Fusion settings; defaults measured on the dev questions (README, Retrieval quality)."""

    dense: float = 0.5
    intent_prior: float = 0.3  # boost for the source kind the question asks about
    candidates: int = 100  # per ranking, before fusion


def wants_opinions(question: str) -> bool:
    """True when the question asks what people thought rather than a fact."""
    return bool(_OPINION.search(fold(question)))


def normalise(scores: np.ndarray) -> np.ndarray:
    """Scale scores into 0..1 by the best one (0 everywhere when nothing scored)."""
    top = float(scores.max()) if scores.size else 0.0
    if top <= 0:
        return np.zeros_like(scores)
    return np.clip(scores / top, 0.0, 1.0)


def normalise_dense(cos: np.ndarray) -> np.ndarray:
    """Min-max over the candidates, so the spread of cosines, not their level, decides."""
    if cos.size == 0:
        return cos
    lo, hi = float(cos.min()), float(cos.max())
    if hi - lo < 1e-6:
        return np.ones_like(cos)
    return (cos - lo) / (hi - lo)


def fuse(dense: np.ndarray, lexical: np.ndarray, is_review: np.ndarray, opinions: bool,
         w: FusionWeights) -> np.ndarray:
    """Fused score of candidate passages from their raw dense and lexical scores and their kind."""
    score = w.dense * normalise_dense(dense) + (1.0 - w.dense) * normalise(lexical)
    prior = np.where(is_review == opinions, 1.0 + w.intent_prior, 1.0).astype(np.float32)
    return score * prior


# Passages the knowledge graph resolved the question to, by how explicit their kind is: a cast
# line states "Actor as Character: Xs father" outright; a plot sentence or a review less so.
EVIDENCE_BOOST = {"cast": 0.6, "infobox": 0.6, "lead": 0.45, "prose": 0.45}
EVIDENCE_DECAY = 0.85  # each further evidence passage counts a little less
PRIMARY_EVIDENCE = 0.3  # extra for the first: the cast line or infobox line that states it all


def evidence_boost(idx: np.ndarray, evidence: Sequence[int], passages: Sequence[Passage]
                   ) -> np.ndarray:
    """Additive boosts for the candidates (rows `idx`) that are the graph's evidence."""
    boost = np.zeros(len(idx), dtype=np.float32)
    if not len(evidence):
        return boost
    # a handful of evidence passages among a hundred candidates: a scan for each beats
    # a map of every candidate
    rows = idx.tolist()
    for rank, pid in enumerate(evidence):
        if pid in rows:
            n = rows.index(pid)
            p = passages[pid]
            base = EVIDENCE_BOOST.get(p.kind, 0.45) * (0.8 if p.source == "review" else 1.0)
            boost[n] = max(boost[n], base * EVIDENCE_DECAY ** rank
                           + (PRIMARY_EVIDENCE if rank == 0 else 0.0))
    return boost


def dedupe(order: Iterable[int], quote_of: Callable[[int], str], k: int) -> list[int]:
    """The first k passages whose quotes are not near-duplicates of a better-ranked one.

    Quotes are asked for in rank order and only until k are kept: choosing one costs more
    than anything else in an answer."""
    kept: list[int] = []
    seen: list[set[str]] = []
    for i in order:
        words = set(fold(quote_of(i)).split())
        if any(len(words & s) / max(1, min(len(words), len(s))) > 0.8 for s in seen):
            continue
        kept.append(i)
        seen.append(words)
        if len(kept) == k:
            break
    return kept
