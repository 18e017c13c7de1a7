"""Chat spellings of the words a question is asked with, read as the words they stand for.

"wat year did it come out" asks "what year"; "who plyas jon" asks who plays him. Only words the
corpus never writes are read again, so a real word is never changed: a chat shorthand for a
question word, or a slip of one letter in a word that says what is asked (plays, director…).
Plain English, the same for every film.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from retrieval.text import one_edit, stem

# Shorthands for question words, as typed in a channel
_SHORTHAND = {"wat": "what", "wut": "what", "wot": "what", "wht": "what", "wen": "when",
              "whn": "when", "wich": "which", "whic": "which", "wer": "where", "hw": "how",
              "wats": "what's", "wuts": "what's"}
# Words that say what kind of answer is asked: a one-letter slip in one of them ("plyas",
# "directer") hides the question's kind from every rule that reads it
_CUES = ("plays", "played", "playing", "play", "actor", "actress", "director", "directed",
         "wrote", "written", "writer", "character", "release", "released", "runtime", "ending",
         "happens", "happened", "produced", "producer", "composed", "composer", "music")
_WORD = re.compile(r"[A-Za-z']+")


def respell(question: str, known: Callable[[str], bool]) -> str:
    """The question with chat shorthands and one-letter slips of cue words read as meant;
    `known` says whether the corpus writes a (lowercase) word, which is then left alone."""
    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        low = word.lower()
        if low in _SHORTHAND and not known(low):
            return _SHORTHAND[low]
        if len(low) >= 4 and low not in _CUES and not known(low):
            near = [c for c in _CUES if c[0] == low[0] and one_edit(low, c)]
            stems = {stem(c) for c in near}
            # one meaning ("directer": director, directed), and not a form of the word itself
            # ("happen" is no slip of "happens")
            if len(stems) == 1 and stem(low) not in stems:
                return near[0]
        return word
    return _WORD.sub(fix, question)
