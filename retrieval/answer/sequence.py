"""Questions about what follows an event ("what does jon do after he sinks the boat", "ann
leaves the party and then what"): the event is told in one sentence and the answer in the next,
so the quote should reach the sentence after the one that tells the event."""

from __future__ import annotations

import re

# "after he sinks the boat", "after sinking the boat", "after the wedding": the event, up to
# the question's next clause or its end
_AFTER = re.compile(r"\bafter (?!(?:the |that |this )?(?:first|second|third|original|last|"
                    r"previous|other|credits|movie|film|story|sequel|end|ending|events)\b)"
                    r"(?!(?:pusher|part) )"
                    r"((?:he|she|they|it|[a-z]+) [a-z' ]{3,60}?|[a-z]+ing [a-z' ]{2,60}?)"
                    r"(?=,| (?:what|who|whom|where|how|why|when|which|does|did|do|is|was)\b|\W*$)")
# "jon sinks the boat and then what does ann do": the event first, then what follows
_AND_THEN = re.compile(r"^([a-z][a-z' ]{6,60}?),? (?:and )?then what\b")
EVENT_MIN = 0.45  # how near a sentence must come to the event to be taken as telling it
EVENT_MARGIN = 0.02  # and how much nearer than any other sentence of its passage


def event_clause(folded: str) -> str | None:
    """The event a (folded) question asks what follows, or None when it asks no such thing."""
    m = _AFTER.search(folded) or _AND_THEN.search(folded)
    return m.group(1).strip() if m else None
