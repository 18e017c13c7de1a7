"""A question that points at one review: by its reviewer's name ("what did jdoe99 watch it on")
or by its rating ("what did the 4 star reviewer hate"). Those reviews' passages are where the
answer is, and the pointing words are no subject the quote must repeat."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from retrieval.passage import Passage
from retrieval.reviews.aspects import aspect_words
from retrieval.text import STOPWORDS, content_terms, fold, leading_names, one_edit, stem, term_set

# "the 4 star reviewer", "the 4/10 review", "the guy who gave it a 4", "rated it 9 out of 10"
_RATING = re.compile(
    r"\b(?P<n>10|[1-9])(?:/10| ?stars?\b| out of (?:10|ten)\b)"
    r"|\b(?:gave it|rated it|giving it) (?:an? )?(?P<m>10|[1-9])\b(?!/)")
# "what did jdoe say about X", "what does jdoe think of X": X is what the review must mention
_SAID_ABOUT = re.compile(r"\b(?:say|says|said|think|thinks|thought|write|writes|wrote|feel|feels|felt|"
                         r"reckon|reckons)\s+(?:about|of|on|regarding)\s+(.+)$")
SHARED_START = 5  # letters a review's word shares with an asked word's stem to be the same word


@dataclass(frozen=True, slots=True)
class Pointed:
    """The passages of the reviews a question points at, and the words that point."""

    passages: frozenset[int]
    words: frozenset[str]


class Reviewers:
    """The reviewers and ratings of an index's review passages."""

    def __init__(self, passages: Sequence[Passage]) -> None:
        self._by_name: dict[str, set[int]] = {}
        self._glued: dict[str, set[int]] = {}
        self._by_rating: dict[int, set[int]] = {}
        raters: dict[int, set[str]] = {}
        for p in passages:
            if p.source != "review":
                continue
            if p.reviewer:
                self._by_name.setdefault(_key(p.reviewer), set()).add(p.id)
                if p.date and re.match(r"\d\d ", p.date):
                    # the page glues the name to the day ("jdoe829 July"): "jdoe82" is a
                    # reading of it too
                    self._glued.setdefault(_key(p.reviewer + p.date[0]), set()).add(p.id)
            if p.rating is not None:
                self._by_rating.setdefault(int(p.rating), set()).add(p.id)
                raters.setdefault(int(p.rating), set()).add(p.reviewer or str(p.id))
        # a rating most reviewers gave points at no review in particular
        self._telling = {n for n, who in raters.items() if len(who) * 3 <= len(self._by_name)}
        self._long: dict[int, list[str]] = {}  # by length: one slip changes it by one at most
        for k in self._by_name:
            if len(k) >= 6:
                self._long.setdefault(len(k), []).append(k)
        # a handle's leading letters alone, as people type it ("jdoetaylor" for
        # "jdoetaylor-96-1380"), when long enough and no other handle begins with them
        self._by_stem = {lead: self._by_name[k]
                         for lead, k in leading_names(self._by_name, PARTIAL_NAME).items()}
        # each reviewer's words, to find "the 'some title' reviewer" by what the review says
        self._words: dict[str, set[str]] = {}
        for p in passages:
            if p.source == "review" and p.reviewer:
                self._words.setdefault(_key(p.reviewer), set()).update(
                    re.findall(r"[a-z0-9]+", fold(p.text)))

    def pointed(self, question: str) -> Pointed | None:
        """The reviews a question names or rates, if it points at any."""
        folded = fold(question)
        found: set[int] = set()
        words: set[str] = set()
        typed = _TYPED_WORD.findall(folded)
        for n in (3, 2):  # "jane doe reviews": a handle typed as separate words
            for i in range(len(typed) - n + 1):
                key = _typed_key("".join(typed[i:i + n]))
                hits = ((self._by_name.get(key) or self._by_stem.get(key))
                        if len(key) >= JOINED_NAME else None)
                if hits and not (set(typed[i:i + n]) & words):
                    found |= hits
                    words.update(typed[i:i + n])
        for word in typed:
            if word in words:
                continue
            key = _typed_key(word)
            # "jdoes review": a possessive typed without its apostrophe
            hits = (self._by_name.get(key) or self._by_stem.get(key)
                    or (self._by_name.get(key[:-1]) or self._by_stem.get(key[:-1])
                        if key.endswith("s") else None)
                    or (self._glued.get(key) if key not in self._by_name else None))
            if hits is None and len(key) >= 7:  # "martinjln": one slip in a long handle
                near = [k for n in (len(key) - 1, len(key), len(key) + 1)
                        for k in self._long.get(n, ()) if one_edit(key, k)]
                hits = self._by_name.get(near[0]) if len(near) == 1 else None
            if hits:
                found |= hits
                words.add(word)
        for m in _RATING.finditer(folded):
            n = int(m.group("n") or m.group("m"))
            if n in self._telling:
                found |= self._by_rating[n]
                words.update(re.findall(r"[a-z0-9]+", m.group(0)))
        for m in _BY_CONTENT.finditer(folded):
            said = [w for w in re.findall(r"[a-z0-9]+", m.group("what")) if w not in STOPWORDS]
            quoted = m.group("q") is not None
            if not said or not (quoted or len(m.group("what").split()) >= 2):
                continue
            who = [k for k, seen in self._words.items() if all(w in seen for w in said)]
            if len(who) == 1:  # what one review alone says points at it
                found |= self._by_name[who[0]]
                words.update(re.findall(r"[a-z0-9]+", m.group(0)))
        return Pointed(frozenset(found), frozenset(words)) if found else None

    def silent_on(self, q: str, pointed: Pointed, passages: Sequence[Passage],
                  title_words: frozenset[str]) -> bool:
        """Whether the reviews a question points at hold none of the words of what it asks
        them to have said something about ("what did jdoe think of the music": the words
        after "think of", less scaffolding, the title and the pointing words), by stem or by
        a long shared beginning ("violent" for "violence")."""
        m = _SAID_ABOUT.search(fold(q))
        if m is None:  # "what service did jdoe watch it on": the answer need not repeat it
            return False
        asked = [w for w in aspect_words(m.group(1), title_words)
                 if w not in pointed.words and not self.pointed(w)]
        if not asked:
            return False
        held = set().union(*(term_set(passages[i].text) for i in pointed.passages))
        stems = {stem(w.removesuffix("'s")) for w in asked}
        return not any(t in held or any(h.startswith(t[:SHARED_START]) for h in held)
                       for t in stems if len(t) > 2)


# "the 'grey harbour' reviewer", "the cold harbour guy": a reviewer by what the
# review says (quoted, or two words or more, so that "the negative reviewer" is no pointer)
_BY_CONTENT = re.compile(
    r"\bthe (?P<q>['\"‘“])?(?P<what>[a-z0-9](?:(?!\bthe\b)[a-z0-9 '-]){2,40}?)(?(q)['\"’”]) "
    r"(?:reviewer|review|guy|dude|person|one|girl|woman|man|user)\b")


PARTIAL_NAME = 5  # letters a handle's leading part needs to name its reviewer on its own
JOINED_NAME = 8  # letters a handle typed as several words needs, so that no phrase is one


def _key(name: str) -> str:
    """A handle as people type it: folded, without punctuation ("PAolo-10" → "paolo10")."""
    return _PUNCTUATION.sub("", fold(name))


_PUNCTUATION = re.compile(r"[^a-z0-9]")


_TYPED_WORD = re.compile(r"[a-z0-9_-]+")  # a word of a folded question, as handles are typed


def _typed_key(word: str) -> str:
    """`_key` of a word already folded to [a-z0-9_-] (the question's words)."""
    return word.replace("-", "").replace("_", "")


# "which reviewer said…", "whose review…", "who wrote that… in a review", "someone compared x
# to y, who?": the answer is the review's author, which its record holds, not its text.
_WHICH_REVIEWER = re.compile(
    r"\bwhich (?:imdb |user )?(?:reviewer|review|user|critic)s?\b|\bwhose reviews?\b"
    r"|\bwhat (?:imdb )?(?:reviewer|user|critic)\b")
# The verbs of saying both "who said…" readings share ("who said", "who compared it to…").
_SAYING = (r"said|says|wrote|writes|called|calls|compared|compares|mentioned|mentions|claimed|"
           r"likened|described|argued|met|saw|watched")
_WHO_SAID = re.compile(
    rf"\bwho (?:\w+ )?(?:{_SAYING}|thought|thinks|sign(?:s|ed)|reviewed|complained|noticed|praised|"
    r"felt)\b")
_REVIEW_CUE = re.compile(r"\b(?:reviews?|reviewers?|users?|critics?|imdb|someone|somebody|"
                         r"anyone|anybody)\b")
_TRAILING_WHO = re.compile(r"\b(?:someone|somebody|one review|a review|one reviewer|a reviewer|"
                           r"one user|a user)\b.*\b(?:who|which one)\W*$")


def asks_who_wrote(folded: str) -> bool:
    """Whether a (folded) question asks which reviewer wrote something."""
    return bool(_WHICH_REVIEWER.search(folded) or _TRAILING_WHO.search(folded)
                or (_WHO_SAID.search(folded) and _REVIEW_CUE.search(folded)))


# "which reviewer said…", "whose review…": one review, the one that says it best
_ONE_REVIEWER = re.compile(r"\b(?:which|what) (?:imdb |user )?(?:reviewer|review|user|critic)\b(?!s)"
                           r"|\bwhose review\b(?!s)")


def asks_one_reviewer(folded: str) -> bool:
    """Whether a (folded) question asks which one reviewer wrote something (not which ones
    think so: "which reviewers liked it" asks for all of them)."""
    return bool(_ONE_REVIEWER.search(folded)) and asks_who_wrote(folded)


# asked of nobody in particular ("who said it should be taught…"), from the question's start
_WHO_SAYS = re.compile(rf"who (?:\w+ )?(?:{_SAYING}|claims|describes)\b")


def asks_who_said(folded: str) -> bool:
    """Whether a (folded) question asks who said something, naming no review ("who said it
    should be taught in film school"): a review's author when a review says it best, else
    someone in the film (the engine decides, by where the best passage is)."""
    return bool(_WHO_SAYS.match(folded)) and not asks_who_wrote(folded)


def said_by(p: Passage) -> str:
    """The line naming a review's author, from its record: “From jdoe99's review (7/10, …).”"""
    facts = ", ".join(x for x in (f"{p.rating}/10" if p.rating is not None else "", p.date or "")
                      if x)
    return f"From {p.reviewer}'s review" + (f" ({facts})." if facts else ".")


def without_words(q: str, words: frozenset[str]) -> str:
    """The question without the given (folded) words, or "" when no content word is left."""
    kept = [w for w in q.split() if not (set(re.findall(r"[a-z0-9]+", fold(w))) & words)]
    return " ".join(kept) if any(content_terms(w) for w in kept) else ""
