"""Calibrate: a fitted check on the verification's decision to answer or abstain.

The rules in verify.py each state a reason, but each reads one signal against a fixed bar
("not close enough", "none of its words in the closest passage"), and a question that fails one
bar narrowly can be clearly answerable on the rest. A logistic model over the same generic
signals (the rules' own verdict and confidence among them) weighs them together: it gives the
probability that the documents answer the question, and a refusal is overturned when that
probability reaches the fitted threshold. Nothing in it names a film: its inputs are shares, similarities,
scores and the answer type. The weights are fitted by `scripts/fit_calibration` on the labelled
question files and stored in calibration.json beside this module.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from retrieval.answer.analyse import Analysis
from retrieval.answer.verify import Anchor, Candidate, Verdict

CALIBRATION_FILE = Path(__file__).with_name("calibration.json")
# Refusals no weighing of signals should overturn: there is nothing to quote, nothing asked,
# or the question asks for something no quote has at all (a named place, a crew role, which
# kind of thing, a field the article leaves blank, a count of something never mentioned, a
# relative the graph knows the person has none of).
FIRM = ("no passage matched", "too short to be a question", "no candidate quote names",
        "the article leaves the", "the question counts something",
        "the closest passage speaks of", "the documents name no one", "the documents name no part",
        "no candidate quote says whether", "the documents tell no one how",
        "the question names", "no candidate quote names another work",
        "the question asks what happens after", "the documents never mention whom",
        "no candidate quote says what it is about", "no quote that holds a")


def firm(reason: str) -> bool:
    """Whether a refusal's reason is one the calibration never overturns."""
    return reason.startswith(FIRM)


@dataclass(frozen=True, slots=True)
class Signals:
    """What the calibration reads of one verified question, by name."""

    values: dict[str, float]
    answer_type: str


@dataclass(frozen=True, slots=True)
class Calibration:
    """A fitted logistic model: standardised signals, weights, bias and the answer threshold."""

    names: tuple[str, ...]
    types: tuple[str, ...]  # answer types with a weight of their own (one-hot)
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float

    def vector(self, s: Signals) -> list[float]:
        """The signals in the model's order, the answer type one-hot after them."""
        return [s.values[n] for n in self.names] + [float(s.answer_type == t) for t in self.types]

    def probability(self, s: Signals) -> float:
        """Probability that the documents answer the question."""
        z = self.bias + sum(w * (x - m) / sd for w, x, m, sd
                            in zip(self.weights, self.vector(s), self.mean, self.scale, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))

    def decide(self, verdict: Verdict, s: Signals, threshold: float) -> tuple[Verdict, float]:
        """The verdict, overturned into an answer when the rules refused but the probability
        reaches the fitted threshold (`threshold`: the rules' confidence bar, so that the
        confidence shown agrees with the decision); and the probability.

        It only ever answers more: on another film's documents (tests/data/invented) its
        refusals of what the rules answered were wrong, while its answers held."""
        p = self.probability(s)
        if verdict.answered or p < self.threshold or firm(verdict.reason):
            return verdict, p
        return replace(verdict, answered=True, confidence=max(verdict.confidence, threshold),
                       reason=f"answered: all signals weighed together outweigh the rule that "
                              f"refused ({verdict.reason})"), p

    def to_json(self) -> dict[str, object]:
        """The stored form (calibration.json)."""
        return {"names": list(self.names), "types": list(self.types), "mean": list(self.mean),
                "scale": list(self.scale), "weights": list(self.weights), "bias": self.bias,
                "threshold": self.threshold}


def load_calibration(path: Path = CALIBRATION_FILE) -> Calibration | None:
    """The fitted calibration, or None when the file is absent (the rules alone decide)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    return Calibration(tuple(raw["names"]), tuple(raw["types"]), tuple(raw["mean"]),
                       tuple(raw["scale"]), tuple(raw["weights"]), float(raw["bias"]),
                       float(raw["threshold"]))


def signals(analysis: Analysis, candidates: Sequence[Candidate], anchors: Sequence[Anchor],
            verdict: Verdict, base: float, scores: tuple[float, float]) -> Signals:
    """The generic signals of one verified question (`scores`: the fused scores of the quote
    that answers and of the next shown passage)."""
    first = candidates[verdict.first] if candidates else None
    total = sum(a.weight for a in anchors)
    values = {
        "semantic": base,
        "confidence": verdict.confidence,
        "rules_answer": float(verdict.answered),
        "foreign_word": float(any(a.foreign for a in anchors)),
        "foreign_weight": sum(a.weight for a in anchors if a.foreign) / total if total else 0.0,
        "has_names": float(any(a.name_like for a in anchors)),
        "has_proper": float(any(a.proper for a in anchors)),
        "entities": float(bool(analysis.entities)),
        "fields": float(bool(analysis.fields)),
        "graph_evidence": float(bool(analysis.evidence)),
        "share": first.share if first else 0.0,
        "passage_share": first.passage_share if first else 0.0,
        "name_share": first.name_share if first else 0.0,
        "is_evidence": float(first.is_evidence) if first else 0.0,
        "field_stated": float(first.field_stated) if first else 0.0,
        "best_share": max((c.share for c in candidates), default=0.0),
        "best_passage_share": max((c.passage_share for c in candidates), default=0.0),
        "other_film": float(bool(analysis.other_film)),
        "relation": float(bool(analysis.relation)),
        "pointed_reviews": float(bool(analysis.reviews)),
        "score": scores[0],
        "score_gap": scores[0] - scores[1],
        "anchors": min(len(anchors), 6) / 6,
    }
    return Signals(values, analysis.answer_type)


def fit(rows: Sequence[Signals], answerable: Sequence[bool], *, threshold: float,
        l2: float = 1.0, iterations: int = 50) -> Calibration:
    """Fit the logistic model by Newton's method (L2-regularised, bias free of it) on signals
    read with the rules alone and whether each question is one the documents answer."""
    names = tuple(rows[0].values)
    types = tuple(sorted({r.answer_type for r in rows}))
    x = np.array([[r.values[n] for n in names] + [float(r.answer_type == t) for t in types]
                  for r in rows], dtype=float)
    y = np.asarray(answerable, dtype=float)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0  # a signal constant in the data carries no weight either way
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    w = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ w, -40, 40)))
        gradient = z.T @ (p - y) + penalty * w
        hessian = (z * (p * (1 - p))[:, None]).T @ z + np.diag(penalty) + 1e-9 * np.eye(len(w))
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return Calibration(names, types, tuple(map(float, mean)), tuple(map(float, scale)),
                       tuple(map(float, w[:-1])), float(w[-1]), threshold)
