"""Questions about what happens after the story ends ("what happens to ann after the film
ends", "what happens to jon after he boards the ferry", when boarding the ferry is the plot's
last event): the plot tells nothing after its end, so no quote answers them, however many of
their words the last plot passage shares."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence, Set

import numpy as np

from retrieval.passage import Passage

# "after the movie ends", "after it's over": the story's end itself (not "after the credits",
# which is the viewer's world: "which app suggested the next one after the credits")
_AFTER_THE_END = re.compile(
    r"\bafter (?:the (?:movie|film|story)|it|it's|its|the whole thing) (?:ends|ended|is over|"
    r"was over|over|finishes|finished|is done)\b"
    r"|\bafter the (?:end|ending|final scene|last scene)\b(?! of\b)"
    # "does ann end up in jail after the movie": after it, said last
    r"|\b(?:after|once) the (?:movie|film|story)\W*$")
# "what happens to ann after she boards the ferry": the fate of someone after an event
_AFTER_EVENT = re.compile(r"\bwhat (?:happens|happened|becomes|became) (?:to|of) "
                          r"(?P<who>[\w'-]+(?: [\w'-]+){0,3}) after (?P<event>.{6,}?)\W*$")
TAIL = 2  # the plot's last sentences: the last event and the closing shot, which follow no other
# "what happens to ann at the end", "what becomes of jon in the end": someone's fate at the end
_AT_THE_END = re.compile(r"\bwhat (?:happens|happened|becomes|became) (?:to|of|with) "
                         r"(?P<who>[\w'-]+(?: [\w'-]+){0,3}?) (?:in|at|by) the (?:end|ending)\b")
END = 4  # the plot's last sentences that tell how it ends for everyone still in it
# a film, not an event of its plot: "after the first film", "after part 1"
_A_FILM = re.compile(r"\b(?:films?|movies?|ones?|parts?|installments?|sequels?|prequels?|originals?|"
                     r"\d)\b")


class Aftermath:
    """Whether a question asks what happens after the plot's last event."""

    def __init__(self, passages: Sequence[Passage], plot: range | None,
                 sentence_rows: Callable[[int], np.ndarray], vectors: np.ndarray) -> None:
        texts: list[str] = []
        rows: list[int] = []
        for i in plot or ():
            p = passages[i]
            for (start, end), row in zip(p.sentences, sentence_rows(i), strict=False):
                text = p.text[start:end].strip()
                if text not in texts:  # passages overlap by a sentence
                    texts.append(text)
                    rows.append(int(row))
        self._texts = texts
        self._rows = np.asarray(rows, dtype=np.int64)
        self._tail = frozenset(range(max(0, len(rows) - TAIL), len(rows)))
        self._vectors = vectors

    def asks(self, folded: str, encode: Callable[[str], np.ndarray]) -> bool:
        """Whether a folded question asks what happens after the story's end, or to someone
        after the event that its plot's last sentences tell (`encode` embeds that event)."""
        if _AFTER_THE_END.search(folded):
            return True
        m = _AFTER_EVENT.search(folded)
        if m is None or not len(self._rows):
            return False
        sims = self._vectors[self._rows] @ encode(m.group("event"))
        return int(np.argmax(sims)) in self._tail

    def untold_fate(self, folded: str, asked: Callable[[str], set[int]],
                    named: Callable[[str], set[int]], encode: Callable[[str], np.ndarray],
                    titles: Set[str] = frozenset()) -> bool:
        """Whether a folded question asks what becomes of someone at the end, or after an event
        of the plot, when no plot sentence from there on names them ("what happens to ann
        after jon leaves": the plot goes on with jon alone). `asked`: whom some of the
        question's words name; `named`: whom a plot sentence names; `titles`: the words of
        the film's titles."""
        if not self._texts:
            return False
        if m := _AT_THE_END.search(folded):
            after = self._texts[-END:]
        elif m := _AFTER_EVENT.search(folded):
            event = m.group("event")
            if _A_FILM.search(event) or titles & set(re.findall(r"[a-z0-9]+", event)):
                return False  # "after the first film", "after part 1": no event of this plot
            sims = self._vectors[self._rows] @ encode(event)
            after = self._texts[int(np.argmax(sims)) + 1:]
        else:
            return False
        # whom: the words up to the first that says when ("jon at the party after…": jon)
        who = asked(re.split(r" (?:after|in|at|by) ", m.group("who"), maxsplit=1)[0])
        return bool(who) and not any(who & named(text) for text in after)
