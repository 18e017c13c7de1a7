"""Text normalisation shared by lexical search and quoting: accent folding, tokens, light stemming."""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import Stemmer

# Letters NFKD does not decompose: without these "Ørsted" would never meet "Orsted".
_FOLD_EXTRA = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE",
                             "ß": "ss", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "þ": "th",
                             "ð": "d", "’": "'", "‘": "'"})

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
FOLDED_WORD = re.compile(r"[a-z0-9]+")  # a word of folded text, apostrophes and hyphens apart

STOPWORDS = frozenset(
    """a about above after again against all am an and any are aren't as at be because been before
    being below between both but by can could did didn't do does doesn't doing don't down during each
    few for from further had has have having he he'd he's her here hers herself him himself his how
    i i'd i'm i've if in into is isn't it it's its itself just let's me more most my myself no nor
    not of off on once only or other ought our ours ourselves out over own same she she's should so
    some such than that that's the their theirs them themselves then there there's these they they're
    this those through to too under until up very was wasn't we we're were what what's when where
    which while who who's whom why why's with won't would you you're your yours yourself also
    whats whos wheres hows does did tell know say says said get got really film movie
    s t d ll m re ve""".split()
)
# Chat drops the apostrophe ("how does he find out hes a dad"): the same function words, unless
# the bare spelling is a word of its own ("lets" him go).
STOPWORDS |= frozenset(w.replace("'", "") for w in STOPWORDS if "'" in w) - {"lets"}


def fold(text: str) -> str:
    """Lower-case and strip accents, so that 'Øster' and 'oster' compare equal."""
    if text.isascii():  # most text: nothing to fold, and NFKD per character is the slow part
        return text.lower()
    text = text.translate(_FOLD_EXTRA)
    text = unicodedata.normalize("NFKD", text)
    # Only characters from U+0300 on can be combining marks: the rest is never looked at
    # one by one (a passage's Danish names made this loop over every character measurable).
    return _ABOVE_LATIN.sub(_unless_combining, text).lower()


_ABOVE_LATIN = re.compile("[\u0300-\U0010ffff]")


def _unless_combining(m: re.Match[str]) -> str:
    c = m.group(0)
    return "" if unicodedata.combining(c) else c


def words(text: str) -> list[str]:
    """Folded word tokens, possessive 's dropped ("Anna's" → "anna"); a hyphenated word
    also gives its joined form, so "cellmate" meets "cell-mate"; "-ish" (about) is dropped."""
    folded = without_about(fold(text))
    out = []
    for tok in _TOKEN.findall(folded):
        if tok.endswith("'s"):
            tok = tok[:-2]
        out.append(tok.replace("'", ""))
    if "-" in folded:
        out.extend(m.replace("-", "") for m in _HYPHENATED.findall(folded))
    return out


_HYPHENATED = re.compile(r"\b[a-z]+(?:-[a-z]+)+\b")
_ABOUT = re.compile(r"(?<=[a-z0-9])-ish\b")


def without_about(folded: str) -> str:
    """A folded text without the "-ish" of "hours-ish" or "30-ish", which says "about"."""
    return _ABOUT.sub("", folded) if "-ish" in folded else folded


# Snowball stemmers keep per-call state: one per thread, since answers run concurrently.
_local = threading.local()


def _stemmer():
    st = getattr(_local, "stemmer", None)
    if st is None:
        st = _local.stemmer = Stemmer.Stemmer("english")
    return st


# English verbs whose past forms no suffix rule reaches: "did anyone meet x" is answered by
# "i met x", "who told him" by "he tells him". Plain English, the same for every film.
_IRREGULAR = {past: base for base, pasts in (
    ("meet", "met"), ("tell", "told"), ("say", "said"), ("think", "thought"),
    ("bring", "brought"), ("buy", "bought"), ("catch", "caught"), ("fight", "fought"),
    ("teach", "taught"), ("seek", "sought"), ("sell", "sold"), ("send", "sent"),
    ("spend", "spent"), ("steal", "stole stolen"), ("hide", "hid hidden"), ("flee", "fled"),
    ("know", "knew known"), ("become", "became"), ("begin", "began begun"),
    ("break", "broke broken"), ("choose", "chose chosen"), ("drive", "drove driven"),
    ("forget", "forgot forgotten"), ("give", "gave given"), ("take", "took taken"),
    ("go", "went gone"), ("run", "ran"), ("write", "wrote written"), ("speak", "spoke spoken"),
    ("eat", "ate eaten"), ("drink", "drank"), ("keep", "kept"), ("sleep", "slept"),
    ("pay", "paid"), ("make", "made"), ("hold", "held"), ("win", "won"), ("lose", "lost"),
    ("sit", "sat"), ("stand", "stood"), ("understand", "understood"), ("grow", "grew grown"),
    ("throw", "threw thrown"), ("fly", "flew flown"), ("swear", "swore sworn"),
    ("wear", "wore worn"), ("bite", "bitten"), ("get", "got gotten"), ("shoot", "shot"),
    ("find", "found"), ("leave", "left"), ("feel", "felt"), ("see", "saw seen"),
    ("lead", "led"), ("fall", "fell fallen"), ("hang", "hung"), ("mean", "meant"),
    ("hear", "heard"), ("build", "built"), ("deal", "dealt"), ("sing", "sang sung"),
    ("swim", "swam swum"), ("wake", "woke woken"), ("rise", "risen"),
    ("ride", "rode ridden"), ("shake", "shook shaken"), ("blow", "blew blown"),
    ("draw", "drew drawn"), ("lie", "lain"), ("feed", "fed"), ("bleed", "bled"),
    ("shine", "shone"), ("strike", "struck"), ("stick", "stuck"), ("sink", "sank sunk"),
) for past in pasts.split()}


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball stem, then a lighter agent/adjective fold so cinematographer meets cinematography."""
    s = _stemmer().stemWord(_IRREGULAR.get(word, word))
    # Snowball leaves -y as -i and keeps agent nouns: fold both so "cinematographer",
    # "cinematography" and "director"/"directed" share a stem.
    if len(s) > 5 and s.endswith("i"):
        s = s[:-1]
    if len(s) > 6 and s.endswith(("er", "or")):
        s = s[:-2]
    return s


def content_terms(text: str) -> list[str]:
    """Stemmed, folded tokens without stopwords: what BM25 and overlap scoring compare."""
    return [stem(w) for w in words(text) if w not in STOPWORDS]


_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")


def sentences(text: str) -> list[str]:
    """A quote's sentences, split after . ! or ? (a passage's own spans are finer)."""
    return _SENTENCE_BREAK.split(text)


@lru_cache(maxsize=1 << 17)
def term_set(text: str) -> frozenset[str]:
    """The content terms of a text as a set, cached: passages' sentences recur across questions."""
    return frozenset(content_terms(text))


def one_edit(a: str, b: str) -> bool:
    """Whether two words are equal or one edit apart: a substitution, an insertion or deletion,
    or two neighbouring letters swapped."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    # Deleting the first letter where they differ is as good as deleting any: if some
    # deletion gives the shorter word, the letters from there to the first difference are
    # all the same letter. One comparison instead of one per position.
    for i, (x, y) in enumerate(zip(short, long_, strict=False)):
        if x != y:
            return long_[i + 1:] == short[i:]
    return True  # the longer one is the shorter with a letter added at the end


def leading_names(names: Iterable[str], min_letters: int) -> dict[str, str]:
    """Each (folded) name's leading letters ("jdoe" for "jdoe-96-1380"), when at least
    `min_letters` long, not the whole name, and beginning no other name: how people type a
    handle partially. Maps those letters to the name."""
    distinct = set(names)
    out: dict[str, str] = {}
    for name in distinct:
        m = re.match(r"[a-z]*", name)
        lead = m.group() if m else ""
        if len(lead) >= min_letters and lead != name and not any(
                other.startswith(lead) for other in distinct if other != name):
            out[lead] = name
    return out


_QUOTED = re.compile(r"(?<![\w])[\"“‘'](?P<q>[^\"“”‘’']{3,60}?)[\"”’'](?![\w])")


def quoted_phrases(question: str) -> tuple[str, ...]:
    """The phrases a question quotes ("who's the 'big-time pusher'"), folded to their words,
    single-spaced; a phrase of one short word is none."""
    out = []
    for m in _QUOTED.finditer(question):
        said = plain_words(m.group("q"))
        if len(said) >= 5:
            out.append(said)
    return tuple(out)


def plain_words(text: str) -> str:
    """A text's folded letters and digits, one space between words ("Big-time" → "big time"):
    a phrase is found in a text by this form of both."""
    return " ".join(FOLDED_WORD.findall(fold(text)))


def without_quotes(text: str) -> str:
    """A text with the phrases it quotes taken out ("who signed 'eye reviews'" → "who signed")."""
    return _QUOTED.sub(" ", text)
