"""Another film of the series: "pusher 3" or "the first pusher", asked of part 2's documents."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from retrieval.text import stem

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9,
          "x": 10}
_ORDINALS = {"first": 1, "1st": 1, "one": 1, "second": 2, "2nd": 2, "two": 2, "third": 3,
             "3rd": 3, "three": 3, "fourth": 4, "4th": 4, "four": 4, "fifth": 5, "5th": 5}
_NAMES = {1: ("first", "1st", "one"), 2: ("second", "2nd", "two"), 3: ("third", "3rd", "three"),
          4: ("fourth", "4th", "four"), 5: ("fifth", "5th", "five")}
# Words that place a film relative to this one: "the original", "the next one".
_RELATIVE = {"original": -99, "previous": -1, "earlier": -1, "prior": -1, "next": 1,
             "following": 1, "later": 1, "predecessor": -1, "prequel": -1}


def _number(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return _ROMAN.get(word) or _ORDINALS.get(word)


class Series:
    """Which words of a question name another part of this film's series, from its titles."""

    def __init__(self, titles: Iterable[str]) -> None:
        words: set[str] = set()
        self.part: int | None = None
        for title in titles:
            tokens = re.findall(r"[a-z0-9]+", title.lower())
            if len(tokens) >= 2 and _number(tokens[-1]) is not None:
                self.part = self.part or _number(tokens[-1])
            words.update(t for t in tokens if not t.isdigit() and t not in _ROMAN and len(t) > 2)
        title = "|".join(sorted(map(re.escape, words)))
        self._after = re.compile(rf"\b(?:{title}) (\d+|[ivx]+|one|two|three|four|five)\b"
                                 if title else r"(?!)")
        self._before = re.compile(
            rf"\b(first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|original|previous|earlier|"
            rf"prior|next|following|later) (?:(?:{title}) )*(?:{title})\b" if title else r"(?!)")
        # "was he in the first one", "what's the third film about": a part named by its place
        # alone, where that film is plainly what is asked about ("after the first film" says
        # when, "better than the first one" compares: both are about this one)
        self._alone = re.compile(
            r"(?:\b(?:in|of|about)|"
            r"^(?:what'?s|whats|what is|what was|how is|how was|how's|is|was|did you see)) "
            r"the (first|1st|third|3rd|fourth|4th|fifth|5th|original|previous|next) "
            r"(?:one|film|movie|part|installment|instalment|entry|flick)\b" if title else r"(?!)")

    def other_parts(self, folded_question: str) -> dict[str, frozenset[str]]:
        """The question's words that name another part, each with the stems a passage about
        that part may use instead ("original" for the first film, "3" for "third")."""
        return {word: stems for word, stems, _said in self._named(folded_question)}

    def _named(self, folded_question: str) -> Iterator[tuple[str, frozenset[str], str]]:
        """Each other part the question names: its word, the stems a passage may use for it,
        and the words naming it as the question writes them ("pusher 3", "the third one")."""
        for m in self._after.finditer(folded_question):
            n = _number(m.group(1))
            if n is not None and n != self.part:
                yield m.group(1), self._stems(n), m.group(0)
        if self.part is None:
            return  # without a number in the title, "the original X" may be this film
        for m in (*self._before.finditer(folded_question),
                  *self._alone.finditer(folded_question)):
            word = m.group(1)
            shift = _RELATIVE.get(word)
            n = 1 if shift == -99 else (self.part + shift if shift is not None
                                        else _ORDINALS.get(word))
            if n is not None and n >= 1 and n != self.part:
                # "in the first one": from "the", after whatever the match opened with
                said = (m.group(0) if m.re is self._before
                        else folded_question[m.start(1) - len("the "):m.end()])
                yield word, self._stems(n) | {stem(word)}, said

    def phrases(self, folded_question: str) -> list[str]:
        """The words that name another part, as the question writes them ("pusher 3", "the
        third one"), so that a later "it" can be said as that part."""
        return [said for _word, _stems, said in self._named(folded_question)]

    def part_stems(self, word: str) -> frozenset[str]:
        """For a word that alone points at another part ("first", "original", "predecessor"),
        the stems a text about that part may use; empty for any other word. Only where the
        series is already the subject (a comparison asked of reviews) is "the first" that."""
        if self.part is None:
            return frozenset()
        shift = _RELATIVE.get(word)
        n = 1 if shift == -99 else (self.part + shift if shift is not None else _ORDINALS.get(word))
        if n is None or n < 1 or n == self.part or word in ("one", "two", "three", "four"):
            return frozenset()
        stems = self._stems(n) | {stem(word)}
        # the part before this one is its predecessor, whatever its number
        return stems | ({stem("predecessor"), stem("prequel")} if n == self.part - 1 else set())

    @staticmethod
    def _stems(n: int) -> frozenset[str]:
        roman = next((r for r, v in _ROMAN.items() if v == n), "")
        # Not "one" or a lone "i": passages use those for everything else.
        words = {str(n), *_NAMES.get(n, ())[:2]} | ({roman} if len(roman) > 1 else set())
        words |= {"original"} if n == 1 else set()
        return frozenset(stem(w) for w in words)
