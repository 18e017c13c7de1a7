"""Generic vocabulary the knowledge layer reads documents and questions with.

Two kinds of words live here, and neither is about one film: English words for family and
social relations (how descriptions like "X's estranged father" and questions like "x's dad"
name a relation), and the field vocabulary of Wikipedia's {{Infobox film}} template, which is
the same for every film article.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Surface word → canonical relation token. Several tokens can make one relation
# ("mother" + "child": the mother of someone's child).
_RELATION_WORDS = {
    "father": "father", "dad": "father", "daddy": "father", "pops": "father", "papa": "father",
    "pa": "father", "stepfather": "father",
    "mother": "mother", "mom": "mother", "mum": "mother", "mama": "mother", "mommy": "mother",
    "mummy": "mother", "ma": "mother", "mamma": "mother",
    "child": "child", "kid": "child", "kids": "child", "baby": "child", "children": "child",
    "son": "son", "sons": "son", "daughter": "daughter", "daughters": "daughter",
    "brother": "brother", "bro": "brother", "brothers": "brother",
    "sister": "sister", "sis": "sister", "sisters": "sister",
    "sibling": "sibling", "siblings": "sibling",
    "wife": "spouse", "husband": "spouse", "spouse": "spouse", "married": "spouse",
    "marry": "spouse", "marries": "spouse", "bride": "spouse", "groom": "spouse",
    "ex": "ex", "former": "ex",
    "girlfriend": "partner", "boyfriend": "partner", "fiancee": "partner", "fiance": "partner",
    "gf": "partner", "bf": "partner", "lover": "partner",
    "friend": "friend", "buddy": "friend", "pal": "friend", "mate": "friend", "bestie": "friend",
    "bff": "friend", "homie": "friend", "friends": "friend", "buddies": "friend",
    "uncle": "uncle", "aunt": "aunt", "cousin": "cousin", "nephew": "nephew", "niece": "niece",
    "grandfather": "grandfather", "grandpa": "grandfather", "grandmother": "grandmother",
    "grandma": "grandmother",
    "boss": "boss", "employer": "boss", "employee": "employee", "henchman": "employee",
    "enforcer": "employee", "bodyguard": "employee", "thug": "employee", "lackey": "employee",
    "partner": "associate", "associate": "associate", "sidekick": "associate",
    "backer": "backer", "backers": "backer", "financier": "backer", "investor": "backer",
    "lender": "backer", "creditor": "backer", "cellmate": "cellmate", "cell-mate": "cellmate",
    "bankrolling": "backer", "bankrolled": "backer", "bankrolls": "backer", "bankroller": "backer",
    "funding": "backer", "funded": "backer", "financing": "backer", "financed": "backer",
    "roommate": "roommate", "neighbour": "neighbour", "neighbor": "neighbour",
    "enemy": "enemy", "rival": "enemy",
}
# Kin the documents state as two links: an uncle is a parent's brother ("the Dukes brother",
# the Duke being the father).
COMPOSED: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "uncle": (("father",), ("brother",)), "aunt": (("father",), ("sister",)),
    "grandfather": (("father",), ("father",)), "grandmother": (("father",), ("mother",)),
    "nephew": (("brother",), ("son",)), "niece": (("brother",), ("daughter",)),
}
COMPOSED_ALSO = {"father": "mother", "brother": "sister"}  # the same kin through the other side


def restated(relation: tuple[str, ...]) -> tuple[str, ...]:
    """A kin word beside its own spelling-out ("x's uncle (his dad's brother)"): the kin word
    alone, since the two say one relation, not a chain of three."""
    for kin in relation:
        if kin in COMPOSED:
            up, then = COMPOSED[kin]
            rest = {t for t in relation if t != kin}
            if rest in ({*up, *then}, {*(COMPOSED_ALSO.get(w, w) for w in up), *then}):
                return (kin,)
    return relation


# Chains that come back to someone's own kin: the grandfather of x's child is x's father.
REDUCED: dict[tuple[str, ...], tuple[str, ...]] = {
    ("child", "grandfather"): ("father",), ("child", "grandmother"): ("mother",),
    ("son", "grandfather"): ("father",), ("son", "grandmother"): ("mother",),
    ("daughter", "grandfather"): ("father",), ("daughter", "grandmother"): ("mother",),
    ("child", "uncle"): ("brother",), ("child", "aunt"): ("sister",),
    # the other parent of x's child: x's wife or ex-wife, when no line names the child's mother
    ("child", "mother"): ("spouse",), ("son", "mother"): ("spouse",),
    ("daughter", "mother"): ("spouse",), ("child", "father"): ("spouse",),
    ("son", "father"): ("spouse",), ("daughter", "father"): ("spouse",),
}
# Multi-word surface forms, matched on folded text before single words.
_RELATION_PHRASES = {
    "old man": ("father",), "old lady": ("mother",), "baby mama": ("mother", "child"),
    "baby momma": ("mother", "child"), "baby daddy": ("father", "child"),
    "ex wife": ("ex", "spouse"), "ex-wife": ("ex", "spouse"), "ex husband": ("ex", "spouse"),
    "ex-husband": ("ex", "spouse"), "ex girlfriend": ("ex", "partner"),
    "ex-girlfriend": ("ex", "partner"), "half brother": ("brother",),
    "half-brother": ("brother",), "step brother": ("brother",), "married to": ("spouse",),
    "used to be married to": ("ex", "spouse"), "was once married to": ("ex", "spouse"),
    "divorced from": ("ex", "spouse"),
    "had a kid with": ("mother", "child"), "had a child with": ("mother", "child"),
    "had a baby with": ("mother", "child"), "knocked up": ("mother", "child"),
    "got pregnant": ("mother", "child"),
    "money guy": ("backer",), "money man": ("backer",), "borrowing from": ("backer",),
    "borrowed from": ("backer",), "borrows from": ("backer",), "owes money to": ("backer",),
    "best mate": ("friend",), "best friend": ("friend",),
}
# Relations a person has at most one of (by the documents' account): two names for the same
# owner's father are two names of one person.
FUNCTIONAL = frozenset({("father",), ("mother",), ("spouse",), ("ex", "spouse"),
                        ("mother", "child"), ("father", "child")})
# "his father" in a question about a known son says nothing of who the son is: these words
# never name an owner.
PRONOUNS = frozenset("he him his she her hers they them their its it".split())

_PHRASE_RE = re.compile(r"\b(" + "|".join(sorted((re.escape(p) for p in _RELATION_PHRASES),
                                                   key=len, reverse=True)) + r")\b")


_LETTER_RUN = re.compile(r"[a-z][a-z-]*")


def relation_tokens(folded: str) -> tuple[str, ...]:
    """Canonical relation tokens named in folded text, in order, phrases first."""
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for m in _PHRASE_RE.finditer(folded):
        taken.append(m.span())
        found.extend((m.start(), t) for t in _RELATION_PHRASES[m.group(1)])
    for m in _LETTER_RUN.finditer(folded):
        if any(a <= m.start() < b for a, b in taken):
            continue
        token = relation_word(m.group(0))
        if token:
            found.append((m.start(), token))
    out: list[str] = []
    for _, t in sorted(found):
        if t not in out:
            out.append(t)
    return tuple(out)


def relation_groups(folded: str) -> list[tuple[str, ...]]:
    """The relations named one after another: "x's father's ex-wife" → (father,), (ex, spouse)."""
    groups: list[list[str]] = []
    pending_ex = False
    skip_until = -1
    for m in re.finditer(r"[a-z][a-z-]*", folded):
        w = m.group(0)
        if m.start() < skip_until:
            continue
        if w in ("ex", "former"):
            pending_ex = True
            continue
        phrase = next((p for p in sorted(_RELATION_PHRASES, key=len, reverse=True)
                       if folded.startswith(p, m.start())), None)
        if phrase:
            skip_until = m.start() + len(phrase)
        tokens = _RELATION_PHRASES[phrase] if phrase else (
            (("ex",) if w.startswith("ex-") else ())
            + tuple(t for t in [relation_word(w.removeprefix("ex-"))] if t))
        if tokens and tokens != ("ex",):
            groups.append(sorted({*tokens, *(["ex"] if pending_ex else [])}))
        pending_ex = False
    return [tuple(g) for g in groups]


def relation_surface(folded: str) -> set[str]:
    """The words of folded text that name relations ("old", "man" in "x's old man")."""
    out = {w for p in _PHRASE_RE.findall(folded) for w in re.findall(r"[a-z]+", p)}
    return out | {w for w in re.findall(r"[a-z]+", folded) if relation_word(w)}


@lru_cache(maxsize=1 << 14)  # asked of the same question and passage words again and again
def relation_word(word: str) -> str | None:
    """The canonical relation of one folded word, or None; a possessive written without its
    apostrophe counts ("uncles enforcer" is the uncle's enforcer)."""
    found = _RELATION_WORDS.get(word)
    if found is None and len(word) > 3 and word.endswith("s"):
        found = _RELATION_WORDS.get(word[:-1])
    return found


def relation_surfaces(tokens: tuple[str, ...]) -> frozenset[str]:
    """Every single word that names one of these canonical relations ("partner": girlfriend,
    gf, lover…): a text may state the relation in other words than the question's."""
    wanted = set(tokens) - {"ex"}
    return frozenset(w for w, t in _RELATION_WORDS.items() if t in wanted)


_GRAIN = {"son": "child", "daughter": "child"}  # one relation at different grain


def relation_grain(relation: str) -> str:
    """A relation at the grain questions and links are compared at: a son is a child."""
    return _GRAIN.get(relation, relation)


def relation_matches(asked: tuple[str, ...], stated: tuple[str, ...]) -> float:
    """How well an asked relation fits a stated one: 1 exact, 0.5 when only "ex" differs.

    "children" never matches "the mother of his child": one token more is another relation.
    """
    a = frozenset(map(relation_grain, asked))
    s = frozenset(map(relation_grain, stated))
    if not a or not s:
        return 0.0
    if a == s:
        return 1.0 if frozenset(asked) == frozenset(stated) else 0.9
    if a ^ s == {"ex"} or (a == {"ex"} and s & {"spouse", "partner"}):
        return 0.5  # "the boss's ex" is his ex-wife
    if a - {"ex"} == {"spouse"} and s - {"ex"} == {"partner"}:
        return 0.4  # "who does x marry": the girlfriend he marries
    return 0.0


# {{Infobox film}} fields → words people use when they ask for them. The same for every film.
FIELD_WORDS: dict[str, tuple[str, ...]] = {
    "director": ("director", "directed", "direct", "directs", "directing", "helmed", "filmmaker"),
    "producer": ("producer", "producers", "produced", "produce", "producing"),
    "writer": ("writer", "writers", "wrote", "written", "write", "screenplay", "script",
               "screenwriter", "scriptwriter"),
    "screenplay": ("screenplay", "screenwriter", "script"),
    "story": ("story by",),
    "based_on": ("based on", "adapted", "adaptation", "novel"),
    "starring": ("starring", "stars", "star", "cast", "lead actors", "main actors", "leads",
                 "top billed", "top-billed", "billed", "who's in it", "whos in it", "who is in it",
                 "who was in it", "who are in it", "who's in the film", "who's in the movie",
                 "who is in the film", "who is in the movie", "cast list", "full cast", "cast members"),
    "narrator": ("narrator", "narrated", "narrates"),
    "music": ("music", "composer", "composed", "score", "soundtrack", "scored"),
    "cinematography": ("cinematography", "cinematographer", "dp", "dop", "photography",
                       "director of photography", "shot it", "camera", "lensed", "filmed it"),
    "editing": ("editing", "editor", "editors", "edited", "edit", "cut"),
    "studio": ("studio", "studios", "production company", "production companies",
               "company", "companies", "produced by which"),
    "distributor": ("distributor", "distributors", "distributed", "distribution"),
    "released": ("released", "release", "come out", "came out", "premiere", "premiered",
                 "release date", "out in cinemas", "came to cinemas"),
    "runtime": ("runtime", "running time", "how long", "length", "minutes", "long is",
                "duration", "lasts", "last", "hours long", "hour long", "hrs long"),
    "country": ("country", "countries", "nation", "where from", "made in", "where's it from",
                "where is it from", "where was it made", "where's the film from",
                "where is the film from", "co-production", "coproduction", "co production",
                "co-produced", "coproduced"),
    "language": ("language", "languages", "spoken", "speak"),
    "budget": ("budget", "cost", "costs", "spent", "spend", "money to make"),
    "gross": ("gross", "grossed", "box office", "earned", "earn", "made at the box office",
              "revenue", "takings", "how much did it make", "how much money did it make",
              "how much did the film make", "how much did the movie make"),
    # Not infobox lines: the lead states a film's genre ("is a 2004 Danish crime film") and
    # its other titles ("also known as …").
    "genre": ("genre", "genres", "what kind of film", "what kind of movie", "what type of film",
              "what type of movie"),
    "title": ("subtitle", "full title", "other title", "alternative title", "alternate title",
              "english title", "original title", "also known as", "aka", "other name",
              "alternative name", "working title", "long title"),
}
# The kind of value each field holds, for matching the question's expected answer type.
FIELD_TYPES: dict[str, str] = {
    "director": "person", "producer": "person", "writer": "person", "screenplay": "person",
    "story": "person", "starring": "person", "narrator": "person", "music": "person",
    "cinematography": "person", "editing": "person", "studio": "organisation",
    "distributor": "organisation", "released": "date", "runtime": "duration",
    "country": "place", "language": "other", "budget": "amount", "gross": "amount",
    "based_on": "other", "title": "other", "genre": "other",
}
# Fields an article states in its lead paragraph rather than on an infobox line of their own.
LEAD_FIELDS = frozenset({"title", "genre"})
# How people name the lead role (the cast list's first character, `Knowledge.protagonist`) and
# the actor who plays it, in any film.
LEAD_ROLE_WORDS = frozenset({"main character", "lead character", "leading character",
                             "central character", "protagonist", "main protagonist",
                             "title character", "lead role", "leading role", "main role",
                             "main guy"})
LEAD_ACTOR_WORDS = frozenset({"lead actor", "leading actor", "main actor", "lead actress",
                              "leading actress", "main actress", "leading man", "leading lady"})
# Fields whose value is a list of people: their infobox lines name crew and cast.
PERSON_FIELDS = frozenset(f for f, t in FIELD_TYPES.items() if t == "person")


# Field words that are everyday phrases too: "how long" asks for the runtime only when the
# question names nobody ("how long was X in prison" is about X).
WEAK_FIELD_WORDS = frozenset({"how long", "long is", "last", "lasts", "length", "minutes",
                              "duration", "cost", "costs", "spent", "spend", "earned", "earn",
                              "made in", "where from", "spoken", "speak", "star", "stars", "leads",
                              "camera", "cut", "edit", "company", "companies", "score",
                              "release", "direct", "write", "produce", "nation"})


# Crew roles the film infobox template has no line for, written with a field's own word.
_OTHER_ROLE = re.compile(r"\b(?:casting|art|assistant|second unit|set|costume|stunt|sound|"
                         r"production|line|executive|associate|co|makeup|make-up)[ -]$")
_ROLE_PHRASE = re.compile(r"\b(?:casting|art|assistant|second unit|set|costume|stunt|sound|"
                          r"executive|associate|makeup|make-up)[ -](?:director|producer|editor|"
                          r"designer|supervisor|coordinator|manager|mixer|artist|mixing|design|"
                          r"effects|recording)s?\b")


def crew_role(folded: str) -> str:
    """A crew role the infobox has no line for, as the question words it ("casting director"),
    or ""; a quote must then name it."""
    m = _ROLE_PHRASE.search(folded)
    return m.group(0).replace("-", " ") if m else ""


_BETWEEN_EVENTS = re.compile(r"\s+(?:after|before|since|ago|until|till|between|later|earlier)\b")

# One alternation over every field word, longest first, compiled once: a question is scanned
# once, not once per field.
_FIELD_OF: dict[str, list[str]] = {}
for _field, _words in FIELD_WORDS.items():
    for _w in _words:
        _FIELD_OF.setdefault(_w, []).append(_field)
_FIELD_RE = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(_FIELD_OF, key=len,
                                                                        reverse=True)) + r")\b")


_LISTS = frozenset({"cast list", "full cast", "cast members"})
_IN_THE_LIST = re.compile(r"\b(?:in|on|from) the $")
_JUST_WHO = re.compile(r"^\W*(?:so |and )?(?:who(?:'s|s| is| are| else is)?|whos all|what(?:'s|s| is)?"
                       r"|anyone|everyone|everybody)?\W*$")


# "is it over 2 hrs", "is the movie less than 90 minutes": the runtime, compared with a length
_LONGER_THAN = re.compile(r"^(?:so |and )?(?:is|was|isnt|isn't|is it not) (?:it|this|the (?:film|movie))"
                          r"(?: \w+)? (?:over|under|more than|less than|longer than|shorter than|at least|"
                          r"at most|about|around|like|nearly|almost|roughly|close to) (?:an? |half an? |"
                          r"\d+(?:[.,]\d+)? ?|one |two |three )?(?:hours?|hrs?|h|minutes|mins?)\b")


def fields_named(folded: str, *, strong_only: bool = False) -> list[str]:
    """Infobox fields whose vocabulary appears in folded question text, the longest match first."""
    best: dict[str, int] = {}
    if m := _LONGER_THAN.search(folded):
        best["runtime"] = len(m.group(0))  # "is it over 2 hrs": the film's length, compared
    for m in _FIELD_RE.finditer(folded):
        word = m.group(0)
        if strong_only and word in WEAK_FIELD_WORDS:
            continue
        if word == "how long" and _BETWEEN_EVENTS.match(folded, m.end()):
            continue  # "how long after the first film": time between events, not the runtime
        if _OTHER_ROLE.search(folded[:m.start()]):
            continue  # "the casting director", "the art director": crew no infobox line names
        where = _IN_THE_LIST.search(folded[:m.start()])
        if word in _LISTS and where and not _JUST_WHO.match(folded[:where.start()]):
            continue  # "the pimp in the cast list": where to look for someone, not the list
        for field in _FIELD_OF[word]:
            best[field] = max(best.get(field, 0), len(word))
    return [f for f, _ in sorted(best.items(), key=lambda fw: -fw[1])]


# Words that pick one of several relatives ("the little son", "his older brother"): a link
# answers only if its own words pick the same one. Grouped by what they mean.
_WHICH_ONE = {w: group for group, words in (
    # not "baby" ("baby mama") nor "new" ("his new wife" is the one he just married)
    ("younger", "little younger youngest small"), ("older", "older oldest elder eldest big"),
    ("other", "other second another"), ("half", "half"), ("step", "step"))
    for w in words.split()}


def relation_modifiers(folded: str, of: frozenset[str] | None = None) -> set[str]:
    """The groups of the words in folded text that pick one relative: "little son" → younger.
    With `of`, only those picking one of these relations: in "the mother of x's younger
    kid", "younger" picks the kid, not the mother asked for."""
    words = re.findall(r"[a-z]+", folded)
    return {_WHICH_ONE[w] for w, nxt in zip(words, words[1:], strict=False)
            if w in _WHICH_ONE and (nxt in _WHICH_ONE or (
                (rel := relation_word(nxt)) and (of is None or relation_grain(rel) in of)))}


def picks_same_relative(folded_evidence: str, groups: set[str]) -> bool:
    """Whether a link's own text picks the relative the question picks (every group asked)."""
    said = {_WHICH_ONE[w] for w in re.findall(r"[a-z]+", folded_evidence) if w in _WHICH_ONE}
    return groups <= said
