"""The entities a question names: its words matched against the aliases the documents give
(longest names first), possessives written without an apostrophe ("annas"), near-miss spellings
("annna"), one-letter names as the documents write them, and "the main character" or "the lead
actor" for the cast list's first character and its actor."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from retrieval.knowledge.graph import Knowledge
from retrieval.knowledge.lexicon import LEAD_ACTOR_WORDS, LEAD_ROLE_WORDS, relation_word
from retrieval.text import STOPWORDS, fold, one_edit


def find_entities(question: str, words: list[str], knowledge: Knowledge,
                  is_name: Callable[[str], bool], *, lenient: bool = False,
                  is_word: Callable[[str], bool] | None = None
                  ) -> tuple[list[int], set[int], list[tuple[int, str]]]:
    """Entities named in the question (longest names first, near-miss spellings too), and the
    word positions they cover."""
    found: list[int] = []
    used: set[int] = set()
    mentions: list[tuple[int, str]] = []
    aliases = knowledge.by_alias
    capitalised = {fold(w) for w in _CAPITALISED.findall(question)}
    starts = knowledge.alias_starts
    # where a name of several words may begin, read once for the three lengths tried
    may_start = [any(w in starts or w in _LEAD_STARTS for w in (word, _unpossess(word)))
                 for word in words]
    for n in (4, 3, 2, 1):
        for i in range(len(words) - n + 1):
            if n > 1 and not may_start[i]:
                continue  # no name of several words begins here (the lookups below say so too)
            if any(j in used for j in range(i, i + n)):
                continue
            key = " ".join(words[i:i + n])
            # "øs gf": a one-letter name's possessive, its letter written as the documents do
            letter = (n == 1 and len(key) == 2 and key.endswith("s") and key[0] in aliases
                      and _written_as_alias(question, aliases[key[0]], knowledge))
            ids = (aliases.get(key) or aliases.get(_unpossess(key))
                   or (aliases[key[0]] if letter else ()))
            led = () if ids else _lead(_unpossess(key), knowledge)
            ids = ids or led
            if not ids and n == 1:
                # "dude" is a word of its own, not "duke" misspelt; "annna" is a misspelling,
                # and "tony" a name the corpus writes (as a name, so no everyday word here)
                typo = (key in capitalised or is_name(key) or is_word is None
                        or not is_word(key))
                ids = _near(key, knowledge) if typo else ()
            if not ids:
                continue
            if n == 1 and not led and not letter and (key in STOPWORDS or relation_word(key)
                           or (len(key) < 2 and not _written_as_alias(question, ids, knowledge))
                           or not (is_name(key) or is_name(_unpossess(key))
                                   or key in capitalised or lenient)):
                continue  # "red" in "why is it red" is a colour, not the character Red
            found.extend(e for e in ids if e not in found)
            mentions.extend((e, key) for e in ids)
            used.update(range(i, i + n))
    return found, used, mentions


_LEAD_WORDS = LEAD_ROLE_WORDS | LEAD_ACTOR_WORDS
_CAPITALISED = re.compile(r"\b[A-ZÀ-ÖØ-Þ][\w’'-]*")
# Where "the main character" or "the lead actor" can begin (after its "the").
_LEAD_STARTS = frozenset(w.split(" ", 1)[0] for w in LEAD_ROLE_WORDS | LEAD_ACTOR_WORDS if " " in w)


def _lead(key: str, knowledge: Knowledge) -> tuple[int, ...]:
    """"the main character": the cast list's first character; "the lead actor": its actor."""
    if key not in _LEAD_WORDS:
        return ()  # most word runs: no need to look for the protagonist (a scan of entities)
    lead = knowledge.protagonist
    if lead is None:
        return ()
    if key in LEAD_ROLE_WORDS:
        return (lead,)
    if key in LEAD_ACTOR_WORDS:
        # once each: several lines (the cast list, reviews) link the same actor
        return tuple(dict.fromkeys(k.object for k in knowledge.links_from.get(lead, ())
                                   if k.relation == "played_by"))
    return ()


def _written_as_alias(question: str, ids: tuple[int, ...], knowledge: Knowledge) -> bool:
    """A one-letter name counts only as the documents write it (a capital "Ø", not "o"), or
    in lowercase when the letter is no English word ("ø", not "a")."""
    return any(len(a) == 1 and re.search(rf"(?<!\w){re.escape(a)}", question,
                                         0 if a.isascii() else re.IGNORECASE)
               for e in ids for a in knowledge.entity(e).aliases)


@lru_cache(maxsize=1 << 12)  # a question's word runs are read several times, and recur
def _unpossess(key: str) -> str:
    """'annas' → 'anna' (possessives written without an apostrophe)."""
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in key.split())


def _near(word: str, knowledge: Knowledge) -> tuple[int, ...]:
    """Entities whose one-word alias is one edit from a word of 4+ letters (jon ~ jonn)."""
    if len(word) < 4:
        return ()
    aliases, index = knowledge.by_alias, knowledge.near_index
    out: list[int] = []
    for cand in dict.fromkeys((word, _unpossess(word))):
        keys = {k for d in {cand} | {cand[:i] + cand[i + 1:] for i in range(len(cand))}
                for k in index.get(d, ())}
        for key in sorted(keys):
            if key[0] == cand[0] and one_edit(cand, key):
                out.extend(i for i in aliases[key] if i not in out)
    return tuple(out)
