"""Questions about what follows an event ("what does jon do after he sinks the boat", "ann
leaves the party and then what"): the event is told in one sentence and the answer in the next,
so the quote should reach the sentence after the one that tells the event."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from retrieval.knowledge.lexicon import relation_surface

# "after he sinks the boat", "after sinking the boat", "after the wedding": the event, up to
# the question's next clause or its end
_AFTER = re.compile(r"\bafter (?!(?:the |that |this )?(?:first|second|third|original|last|"
                    r"previous|other|credits|movie|film|story|sequel|end|ending|events)\b)"
                    r"(?!part )"
                    r"((?:he|she|they|it|[a-z]+) [a-z' ]{3,60}?|[a-z]+ing [a-z' ]{2,60}?)"
                    r"(?=,| (?:what|who|whom|where|how|why|when|which|does|did|do|is|was)\b|\W*$)")
# "what sets ann off right before she hits jon": what leads to the event, told before it
_BEFORE = re.compile(r"\b(?:right |just |shortly )?before (?!(?:the |that |this )?(?:first|second|third|"
                     r"original|last|previous|other|credits|movie|film|story|sequel|end|ending|"
                     r"events)\b)(?!part )"
                     r"((?:he|she|they|it) [a-z' ]{3,60}?|[a-z]+ing [a-z' ]{2,60}?)"
                     r"(?=,| (?:what|who|whom|where|how|why|when|which|does|did|do|is|was)\b|\W*$)")
# "jon sinks the boat and then what does ann do": the event first, then what follows
_AND_THEN = re.compile(r"^([a-z][a-z' ]{6,60}?),? (?:and )?then what\b")
EVENT_MIN = 0.45  # how near a sentence must come to the event to be taken as telling it
EVENT_MARGIN = 0.02  # and how much nearer than any other sentence of its passage


def event_clause(folded: str) -> str | None:
    """The event a (folded) question asks what follows, or None when it asks no such thing."""
    m = _AFTER.search(folded) or _AND_THEN.search(folded)
    return m.group(1).strip() if m else None


def event_before(folded: str) -> str | None:
    """The event a (folded) question asks what comes right before, or None."""
    m = _BEFORE.search(folded)
    return m.group(1).strip() if m and not _AFTER.search(folded) else None


def said_of(clause: str, aliases: Sequence[str]) -> str:
    """The event with a relative said by name ("he kills his dad" → "he kills the Duke"): the
    passages tell it of the person, and "his dad" is nearer any sentence about a father."""
    said = max(aliases, key=lambda a: (len(a.split()), len(a)), default="")
    for word in relation_surface(clause) if said else ():
        clause = re.sub(rf"\b(?:his|her|their|its|[a-z]+'?s) {word}\b", said, clause)
    return clause


def following(passages: Sequence[int], told: Sequence[np.ndarray], step: int = 1
              ) -> dict[int, int]:
    """For each passage whose sentences (`told`: their similarity to the event) tell the event
    clearly, the position of the sentence after it (`step` -1: before it)."""
    out = {}
    for i, sims in zip(passages, told, strict=True):
        if len(sims) < 2:
            continue
        second, best = np.sort(sims)[-2:]
        # the sentence that tells it, clearly: "x kills y" is not "y tells x to kill z"
        at = int(sims.argmax())
        if best >= EVENT_MIN and best - second >= EVENT_MARGIN and 0 <= at + step < len(sims):
            out[i] = at + step
    return out
