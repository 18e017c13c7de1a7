"""Sentence polarity from VADER's lexicon (offline: the lexicon ships in the package).

Imported lazily: only an opinion question needs it, and a one-shot `ask` of a fact must not
pay for loading the lexicon.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any, Literal

Polarity = Literal["positive", "mixed", "negative"]
# VADER's own convention: a compound score beyond ±0.05 leans one way.
LEAN = 0.05

_lock = threading.Lock()
_analyzer: Any = None


def _vader() -> Any:
    global _analyzer
    with _lock:
        if _analyzer is None:
            from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

            _analyzer = SentimentIntensityAnalyzer()
        return _analyzer


@lru_cache(maxsize=1 << 14)
def compound(sentence: str) -> float:
    """VADER's compound score of a sentence, from -1 (negative) to 1 (positive)."""
    return float(_vader().polarity_scores(sentence)["compound"])


def valence(word: str) -> float:
    """A word's own weight in VADER's lexicon, -4 to 4 (0 for a word it does not hold)."""
    return float(_vader().lexicon.get(word.lower(), 0.0))


def polarity(sentence: str) -> Polarity:
    """Which way a sentence leans on its own words."""
    c = compound(sentence)
    return "positive" if c >= LEAN else "negative" if c <= -LEAN else "mixed"
