"""Term proximity: the question's words said close together in one sentence.

Bag-of-words overlap scores "Ann attacks Bo … meets Jon" as high as "Jon attacks a guard" for
"who does jon attack": both hold both words. Who does what is said by words
next to each other, so a sentence that says two neighbouring question words next to each other
(stopwords aside), in the question's order, is credited with the pair: the ordered-bigram
feature of sequential-dependence retrieval models, without their fitted weights.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from retrieval.text import content_terms

# Content words apart, in the question's order: "jon attacks a guard" says "jon attack"; "the
# boss insists that jon kill her" does not say "killing the boss". Wider or unordered windows
# credited incidental neighbours ("a different mother now and receives jon" for "the mother of
# jon's kid") and fixed fewer questions (README, What the latest session added).
WINDOW = 1


@dataclass(frozen=True, slots=True)
class Pairs:
    """The question's neighbouring content-word pairs and their weights."""

    pairs: tuple[tuple[str, str, float], ...]
    total: float
    said: frozenset[tuple[str, str]] = frozenset()  # the pairs without their weights

    def __bool__(self) -> bool:
        return bool(self.pairs)


def question_pairs(q: str, weights: Mapping[str, float]) -> Pairs:
    """Neighbouring weighted content words of the question, each pair weighing its lighter
    word (a pair is as telling as its commoner word)."""
    terms = [t for t in content_terms(q) if weights.get(t, 0.0) > 0]
    pairs: list[tuple[str, str, float]] = []
    seen: set[frozenset[str]] = set()
    for a, b in zip(terms, terms[1:], strict=False):
        key = frozenset((a, b))
        if a == b or key in seen:
            continue
        seen.add(key)
        pairs.append((a, b, min(weights[a], weights[b])))
    return Pairs(tuple(pairs), sum(w for _, _, w in pairs), frozenset((a, b) for a, b, _ in pairs))


@lru_cache(maxsize=1 << 14)
def said_pairs(sentence: str) -> frozenset[tuple[str, str]]:
    """Every ordered pair of the sentence's content words at most WINDOW words apart (cached:
    the same sentences are read question after question)."""
    terms = content_terms(sentence)
    return frozenset((terms[i], terms[j]) for i in range(len(terms))
                     for j in range(i + 1, min(len(terms), i + WINDOW + 1)))


def sentence_proximity(sentence: str, pairs: Pairs) -> float:
    """Share (0..1) of the pairs' weight that the sentence says in order, WINDOW words apart."""
    if not pairs or pairs.total <= 0:
        return 0.0
    said = said_pairs(sentence)
    got = 0.0
    for a, b, w in pairs.pairs:
        if (a, b) in said:
            got += w
    return got / pairs.total
