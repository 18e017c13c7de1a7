"""Where in the film a question points: "how does it start" at the plot's first passage,
"the last shot" at its last, and the words that say so (no subject of their own)."""

from __future__ import annotations

import re

from retrieval.knowledge.graph import PLOT_END, PLOT_START, Knowledge
from retrieval.text import stem

_SHOT = r"(?:scene|scenes|shot|shots|image|images|frame|frames|line|lines|moment|moments|minutes)"
_START = re.compile(rf"\b(?:start|starts|begin|begins|beginning|opens|opening|first {_SHOT})\b")
_END = re.compile(rf"\b(?:end|ends|ending|finale|climax|(?:last|final|closing) {_SHOT})\b")
# The stems of the words that say where in the film ("at the start"), not what is asked.
POSITION_STEMS = frozenset(stem(w) for w in "start starts begin begins beginning opens opening "
                           "end ends ending finale climax".split())


def position_edge(folded: str) -> int | None:
    """Which sentence of the plot's edge passage a question points at: 0 for "at the start",
    -1 for "at the end", None for neither (the same order of tests as `plot_position`)."""
    return -1 if _END.search(folded) else 0 if _START.search(folded) else None


def plot_position(folded: str, knowledge: Knowledge) -> int | None:
    """The plot's first passage for "how does it start", its last for "how does it end"."""
    if _END.search(folded):
        return knowledge.fields.get(PLOT_END)
    if _START.search(folded):
        return knowledge.fields.get(PLOT_START)
    return None


def position_words(folded: str) -> set[str]:
    """The words of a question that say where in the film it points ("the last shot": all of
    them)."""
    return {w for m in (*_START.finditer(folded), *_END.finditer(folded))
            for w in m.group(0).split()}
