"""Read the film's people, their names and their links out of the passages (index time).

Patterns, all generic to the two document formats:
- cast bullets "Actor as Character: description" (and `Name "nickname" Surname` roles);
- infobox people fields (director, starring, editing…), split into names;
- reviews' "Character (Actor)", "Actor as Character", "Character, played by Actor";
- relations in descriptions and appositives: "Xs estranged father", "the mother of Xs child",
  "Xs father, the Boss,", "the Boss's ex-wife Ann", "son of X and Y";
- quoted nicknames: "known as "Nick"", `"Nick" (Actor)`.
The names read here become entities in builder.py: two names of one owner's father (or
mother, spouse) are one person, and two character names played by one actor are one character:
that is how an epithet in the plot meets a cast name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from retrieval.knowledge.builder import Builder, freeze, merge_by_evidence
from retrieval.knowledge.graph import (
    LEAD,
    PLOT_END,
    PLOT_START,
    PROSE_FIELD,
    Knowledge,
)
from retrieval.knowledge.lexicon import PERSON_FIELDS
from retrieval.knowledge.relations import (
    CAP,
    NAME,
    appositives,
    described,
    looks_like_title,
    strip_article,
)
from retrieval.passage import Passage
from retrieval.text import STOPWORDS, fold

_CAST = re.compile(r"^(?P<actor>[^:]+?) as (?P<role>[^:]+?)(?::\s*(?P<desc>.*))?$", re.S)
_FIELD = re.compile(r"^(?P<name>\w+)\s*=\s*(?P<value>.+)$", re.S)
# "Vic (Jane Doe)", "“Boss” (John Doe)": a name, then an actor in brackets.
_NAME_ACTOR = re.compile(rf"(?P<q>[\"“]?)(?P<char>{NAME})(?P=q),? ?\((?P<actor>{CAP}(?: {CAP}){{0,3}})\)")
# "John Doe as Vic" (the actor has at least two names: "known as Van Dyke" is not it).
_ACTOR_AS = re.compile(rf"(?P<actor>{CAP} {CAP}(?: {CAP}){{0,2}}) as (?:the )?(?P<char>{NAME})")
# "Vic, wonderfully played by John Doe"
_PLAYED_BY = re.compile(rf"(?P<char>{NAME})(?:, [^,.;()]{{3,40}})?,? (?:\w+ly )?(?:played|portrayed) "
                        rf"by (?P<actor>{CAP} {CAP}(?: {CAP}){{0,2}})")
_QUOTED_IN_NAME = re.compile(r"^(?P<first>.*?)\s*[\"“](?P<nick>[^\"”]+)[\"”]\s*(?P<last>.*)$")


def extract(passages: Sequence[Passage]) -> Knowledge:
    """The knowledge graph of a corpus's passages."""
    b = Builder(passages)
    film_title = next((p.doc_title for p in passages if p.source == "wiki"), None)
    film = b.add(film_title, "film", *_title_variants(film_title)) if film_title else None
    for p in passages:
        if p.kind == "cast":
            _cast_line(b, p)
    for p in passages:
        if p.kind == "infobox" and film is not None:
            _infobox(b, p, film)
        if p.source == "wiki" and (p.section or "").split(" › ")[0].lower() in _PLOT_SECTIONS:
            b.fields.setdefault(PLOT_START, p.id)
            b.fields[PLOT_END] = p.id
        if p.kind == "lead":
            b.fields.setdefault(LEAD, p.id)  # "X is a 2004 Danish crime film": the film's year
            if film is not None and p.id == b.fields[LEAD]:
                for other in _other_titles(p.text):
                    b.alias(film, other)
    for p in passages:
        if p.kind in ("prose", "lead"):
            _played_by(b, p)
    for p in passages:
        if p.kind in ("prose", "lead"):
            _longer_names(b, p)
    if film is not None:
        for p in passages:
            if p.kind in ("prose", "lead"):
                _crew_in_prose(b, p, film)
    for p in passages:
        if p.kind in ("prose", "lead", "cast"):
            _relations(b, p)
    merge_by_evidence(b)
    return freeze(b)


def _cast_line(b: Builder, p: Passage) -> None:
    m = _CAST.match(p.text)
    if not m:
        return
    actor, role = m.group("actor").strip(), m.group("role").strip()
    aliases = list(_role_aliases(role))
    char = b.add(aliases[0], "character", *aliases[1:])
    person = b.add(actor, "person", *_person_aliases(actor))
    b.link(char, "played_by", person, p.id, 0, len(p.text))
    desc = m.group("desc") or ""
    if desc:
        b.relations.extend(described(desc, p, char))


def _role_aliases(role: str) -> Iterable[str]:
    """A role's names: `Otto "the Count" Berg` → itself unquoted, the nickname, the
    plain name, the first name."""
    q = _QUOTED_IN_NAME.match(role)
    if q:
        plain = f"{q.group('first')} {q.group('last')}".strip()
        yield plain
        yield q.group("nick")
        yield f"{q.group('first')} {q.group('nick')} {q.group('last')}".strip()
        if q.group("first"):
            yield q.group("first")
        return
    yield role
    words = role.split()
    if len(words) >= 2 and words[0][:1].isupper() and words[0].isalpha():
        yield words[0]  # "Ola Berg" is "Ola" in the plot, "Nick the Nail" is "Nick"


_PLOT_SECTIONS = {"plot", "synopsis", "story", "plot summary", "summary"}
# "Title (also known as Other Title) is", "Title (English: Other Title; …) is"
_AKA = re.compile(r"^[^(]{1,80}\((?:also known as|a\.k\.a\.|aka|english:|english title:|"
                  r"original title:|released as)\s*(?P<titles>[^)]+)\)", re.I)


def _other_titles(lead: str) -> list[str]:
    """Other titles the lead gives the film."""
    m = _AKA.match(lead)
    if not m:
        return []
    return [t.strip() for t in re.split(r";| or ", m.group("titles")) if t.strip()]


_ROMAN = {"II": "2", "III": "3", "IV": "4", "V": "5", "VI": "6"}


def _title_variants(title: str) -> Iterable[str]:
    """"Heat II" is also written "Heat 2"."""
    words = title.split()
    if words and words[-1] in _ROMAN:
        yield " ".join([*words[:-1], _ROMAN[words[-1]]])


def _person_aliases(name: str) -> Iterable[str]:
    words = name.split()
    if len(words) >= 2 and len(words[-1]) >= 4:
        yield words[-1]  # reviews say "Doe", "Smith"
    if len(words) >= 3 and all(w[:1].isalpha() for w in words):
        # Three or more initials name one person ("JFK"); two letters would name many.
        yield "".join(w[0] for w in words).upper()


def _infobox(b: Builder, p: Passage, film: int) -> None:
    m = _FIELD.match(p.text)
    if not m:
        return
    b.fields.setdefault(m.group("name"), p.id)
    if m.group("name") not in PERSON_FIELDS:
        return
    value, offset = m.group("value"), m.start("value")
    for start, end in _split_names(b, value):
        name = value[start:end]
        person = b.add(name, "person", *_person_aliases(name))
        b.link(film, f"field:{m.group('name')}", person, p.id, offset + start, offset + end)


def _split_names(b: Builder, value: str) -> list[tuple[int, int]]:
    """Spans of the names in an infobox list whose separators were lost ("A B C D E F").

    Names already known (from the cast list, or reviews) are taken first. The rest is cut
    before every word that is some known person's first name, then into two-word names, the
    commonest length ("Jan Berg Lund Ada Moe": "Ada" starts a name).
    """
    tokens = [(m.start(), m.end()) for m in re.finditer(r"\S+", value)]
    firsts = {k.split()[0] for (kind, k) in b.keys if kind == "person" and " " in k}
    spans: list[tuple[int, int]] = []
    run: list[tuple[int, int]] = []

    def flush() -> None:
        pieces: list[list[tuple[int, int]]] = [[]]
        for tok in run:
            if pieces[-1] and fold(value[tok[0]:tok[1]]) in firsts and len(pieces[-1]) >= 2:
                pieces.append([])
            pieces[-1].append(tok)
        for piece in pieces:
            i = 0
            while i < len(piece):
                n = 3 if len(piece) - i == 3 else min(2, len(piece) - i)
                spans.append((piece[i][0], piece[i + n - 1][1]))
                i += n
        run.clear()

    i = 0
    while i < len(tokens):
        for n in (4, 3, 2):
            if i + n <= len(tokens) and b.lookup(
                    value[tokens[i][0]:tokens[i + n - 1][1]], "person") is not None:
                flush()
                spans.append((tokens[i][0], tokens[i + n - 1][1]))
                i += n
                break
        else:
            run.append(tokens[i])
            i += 1
    flush()
    return sorted(spans)


def _played_by(b: Builder, p: Passage) -> None:
    text = p.text
    for m in _NAME_ACTOR.finditer(text):
        char, actor = m.group("char"), m.group("actor")
        if looks_like_title(char) or fold(char) == fold(actor):
            continue
        person = b.lookup(actor, "person") or b.person_by_prefix(actor)
        if person is None:
            # "Vic (Doe)": a surname of someone known is that person.
            person = b.lookup(actor.split()[-1], "person")
        if person is None and len(actor.split()) < 2:
            continue
        person = b.add(b.nodes[person].name if person is not None else actor, "person",
                       actor, *_person_aliases(actor))
        role = b.add(strip_article(char), "character")
        b.link(role, "played_by", person, p.id, m.start(), m.end())
    for rx in (_ACTOR_AS, _PLAYED_BY):
        for m in rx.finditer(text):
            char, actor = m.group("char"), m.group("actor")
            c = b.lookup(char, "character")
            person = b.lookup(actor, "person")
            if rx is _PLAYED_BY and c is None and not looks_like_title(char):
                # "Vic, the Dutch captain, played by John Doe Smith": explicit
                # enough to name a character the cast list lost.
                c = b.add(strip_article(char), "character")
                person = person if person is not None else b.add(actor, "person",
                                                                 *_person_aliases(actor))
            if c is None or person is None:
                continue  # "as" alone is too common a word: it only joins names already known
            b.link(c, "played_by", person, p.id, m.start(), m.end())


# Three capitalised words in a row: a known two-word name and one more ("Jon Holm Berg").
_THREE_CAPS = re.compile(rf"(?<![\w’'-])({CAP} {CAP}) ({CAP})(?![\w’'-]| {CAP})")


def _longer_names(b: Builder, p: Passage) -> None:
    """A person's known two-word name followed by a surname the documents use for no one
    else ("Jon Holm Berg is the standout"): the person's full name, another of their names."""
    for m in _THREE_CAPS.finditer(p.text):
        person = b.lookup(m.group(1), "person")
        last = m.group(2)
        if person is None or last.endswith(("'s", "’s", "s'")) or any(
                b.lookup(last, kind) is not None for kind in ("character", "person", "film")):
            continue
        if any(fold(last) in fold(a).split() for n in b.nodes if n.kind == "film"
               for a in (n.name, *n.aliases)):
            continue  # "Jon Holm Heist": the film's title, not a surname
        b.alias(person, m.group(0))


# A crew role the prose credits by name where the infobox has no line for it: "Jon Holm's
# moody synth soundtrack" (a possessive, then up to three words that are no function word),
# "the score by Jon Holm", "music composed by Jon Holm". The role's noun is the infobox
# field's own word ("soundtrack": music); "score" only after "by", which a rating never takes.
_CREW_NOUNS = {"soundtrack": "music", "music": "music", "score": "music",
               "cinematography": "cinematography", "camerawork": "cinematography",
               "editing": "editing", "screenplay": "writer", "script": "writer"}
_POSSESSIVE_CREW = re.compile(
    rf"(?<![\w’'-])(?P<name>{CAP}(?: {CAP}){{0,2}})['’]s (?P<between>(?:[\w/'’-]+ ){{0,3}}?)"
    r"(?P<noun>soundtrack|music|cinematography|camerawork|editing|screenplay|script)\b")
_CREW_BY = re.compile(
    r"\b(?P<noun>soundtrack|music|score|cinematography|camerawork|editing|screenplay|script)"
    r"(?: (?:is|was))?(?: (?:composed|written|shot|edited|performed|done))? by "
    rf"(?P<name>{CAP}(?: {CAP}){{0,2}})")


def _crew_in_prose(b: Builder, p: Passage, film: int) -> None:
    """Crew roles the infobox lacks, credited by name in the prose or a review: the passage
    becomes that field's line, and the person is linked to the film by the field."""
    for m in (*_POSSESSIVE_CREW.finditer(p.text), *_CREW_BY.finditer(p.text)):
        field = _CREW_NOUNS[m.group("noun").lower()]
        between = (m.groupdict().get("between") or "").split()
        if ({field, PROSE_FIELD.format(field)} & b.fields.keys()
                or any(fold(w) in STOPWORDS for w in between)):
            continue  # the infobox says it, or "Ann's choice of music" credits no one
        name = m.group("name")
        if any(b.lookup(name, kind) is not None for kind in ("character", "film")):
            continue  # "Jon's music" of a character is what he listens to
        person = b.add(name, "person", *_person_aliases(name))
        b.fields[PROSE_FIELD.format(field)] = p.id
        b.link(film, f"field:{field}", person, p.id, m.start("name"), m.end("name"))


def _relations(b: Builder, p: Passage) -> None:
    text = p.text
    if p.kind == "cast":
        return  # descriptions were read with their cast line
    b.relations.extend(appositives(text, p))
