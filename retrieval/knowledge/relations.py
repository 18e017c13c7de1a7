"""Relations as documents state them: "Xs estranged father", "the mother of Xs child",
"Xs father, the Boss,", "the Bosss ex-wife Ann", "son of X and Y".

Read as text first (owner name, relation tokens, target); builder.py resolves the names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from retrieval.knowledge.lexicon import PRONOUNS, relation_word
from retrieval.passage import Passage
from retrieval.text import fold

CAP = r"[A-ZÀ-ÖØ-ÞĀ-ŽƀəΑ-Ω][\w’'-]*"
NAME = rf"{CAP}(?: {CAP}){{0,3}}"


@dataclass(frozen=True, slots=True)
class Rel:
    """A relation read as text: `owner`'s <tokens> is `target` (an entity) or `target_name`."""

    owner: str
    tokens: tuple[str, ...]
    passage: int
    start: int
    end: int
    target: int | None = None
    target_name: str | None = None


CAP_LAZY = r"[A-ZÀ-ÖØ-ÞĀ-ŽƀəΑ-Ω][\w’'-]*?"
# An owner in the possessive, apostrophe or not ("Xs", "the Bosss", "Ann's", "Øs").
_POSS = re.compile(rf"(?P<owner>(?:[Tt]he )?(?:{CAP} )?{CAP_LAZY})(?:'s|’s|s|')(?= )")
# What follows a possessive owner: up to three words, then maybe a name (an appositive).
_AFTER = re.compile(rf" (?P<words>[a-z][a-z-]*(?: [a-z][a-z-]*){{0,2}})"
                    rf"(?P<tail>(?:,? (?:the )?[\"“]?{NAME}[\"”]?)?)")
# "the mother of Xs child", "the son of X and Y"
_OF_FORM = re.compile(
    rf"(?P<rel1>[a-z-]+) of (?:the )?(?:(?P<pron>his|her) (?P<rel2p>[a-z-]+)\b"
    rf"|(?P<owner>{CAP_LAZY})(?:(?:'s|’s|s|') (?P<rel2>[a-z-]+)\b|(?: and (?P<owner2>{CAP}))?\b))")


def possessives(text: str) -> list[tuple[str, tuple[str, ...], int, int, str | None]]:
    """(owner, relation tokens, start, end, appositive name) for each "Xs [mods] relation"."""
    out = []
    for m in _POSS.finditer(text):
        after = _AFTER.match(text, m.end())
        if not after:
            continue
        words = after.group("words").split()
        for i, w in enumerate(words):
            tokens = _relation_of(" ".join(words[:i]), w)
            if not tokens:
                continue
            found = [tokens]
            # "brother and partner", "girlfriend and later his wife": more of the same owner.
            rest = text[m.end() + 1 + len(" ".join(words[:i + 1])):]
            for more in re.finditer(r"^(?: and (?:later )?(?:his |her )?([a-z-]+))", rest):
                extra = _relation_of("", more.group(1))
                if extra:
                    found.append(extra)
            tail = after.group("tail") if i == len(words) - 1 else ""
            name = tail.lstrip(", ").strip() or None
            for tk in found:
                out.append((m.group("owner"), tk, m.start(), after.end(), name))
            break
    return out


def described(desc: str, p: Passage, target: int) -> list[Rel]:
    """Relations a cast description states about its character ("Xs estranged father")."""
    out = []
    for clause in re.finditer(r"[^,;.]+", desc):
        text = clause.group(0)
        covered: list[tuple[int, int]] = []
        for m in _OF_FORM.finditer(text):
            rel = [relation_word(fold(m.group("rel1")))]
            if m.group("rel2") or m.group("rel2p"):
                rel.append(relation_word(fold(m.group("rel2") or m.group("rel2p"))))
            tokens = _canonical(tuple(t for t in rel if t))
            if not tokens or not rel[0]:
                continue
            covered.append(m.span())
            for owner in (m.group("owner") or m.group("pron"), m.group("owner2")):
                if owner:
                    out.append(Rel(owner, tokens, p.id, 0, len(p.text), target=target))
        for owner, tokens, s, _e, _name in possessives(text):
            if not any(a <= s < b for a, b in covered):  # "the mother of Xs child"
                out.append(Rel(owner, tokens, p.id, 0, len(p.text), target=target))
    # "Xs ex-girlfriend and the mother of his son": "his" is the owner named before it.
    named = next((r.owner for r in out if fold(strip_article(r.owner)) not in PRONOUNS), None)
    return [Rel(named, r.tokens, r.passage, r.start, r.end, target=r.target)
            if named and fold(strip_article(r.owner)) in PRONOUNS else r for r in out]


# "X reveals that his financial backer is the Boss": the owner is the sentence's name before.
_PRONOUN_COPULA = re.compile(
    rf"\b(?:his|her) (?P<words>[a-z][a-z-]*(?: [a-z][a-z-]*)?) (?:is|was|turns out to be) "
    rf"(?:the |a )?[\"“]?(?P<name>{NAME})")


def _copulas(text: str, p: Passage) -> list[Rel]:
    out = []
    for m in _PRONOUN_COPULA.finditer(text):
        words = m.group("words").split()
        tokens = _relation_of(" ".join(words[:-1]), words[-1])
        if not tokens:
            continue
        s, e = _sentence_around(p, m.start(), m.end())
        before = [n for n in re.findall(NAME, text[s:m.start()])
                  if fold(n) not in PRONOUNS and n not in ("The", "A", "An")]
        target = m.group("name")
        if not before or looks_like_title(target) or fold(target) in PRONOUNS:
            continue
        out.append(Rel(before[-1], tokens, p.id, s, e, target_name=target))
    return out


def appositives(text: str, p: Passage) -> list[Rel]:
    """ "Xs father, the Boss,", "the Bosss ex-wife Ann" and "X says his backer is the Boss": a
    relation and a name."""
    out = _copulas(text, p)
    for owner, tokens, start, end, name in possessives(text):
        if not name:
            continue
        target = name.strip("\"“”")
        if fold(target.split()[-1]) in PRONOUNS or looks_like_title(target):
            continue
        s, e = _sentence_around(p, start, end)
        out.append(Rel(owner, tokens, p.id, s, e, target_name=target))
    return out


def _relation_of(mods: str | None, rel: str) -> tuple[str, ...]:
    rel = fold(rel)
    ex = rel.startswith("ex-")
    token = relation_word(rel[3:] if ex else rel)
    if not token:
        return ()
    tokens = [token]
    if ex or "ex" in (mods or "").split() or "former" in (mods or ""):
        tokens.insert(0, "ex")
    return _canonical(tuple(tokens))


def _canonical(tokens: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(set(tokens)))


def _sentence_around(p: Passage, start: int, end: int) -> tuple[int, int]:
    for s, e in p.sentences:
        if s <= start < e:
            return s, max(e, min(end, len(p.text)))
    return start, end


def strip_article(name: str) -> str:
    return re.sub(r"^(?:[Tt]he) ", "", name.strip().strip("\"“”"))


def looks_like_title(name: str) -> bool:
    """Film titles and the like in "Heat II (2004)"-style brackets are not characters."""
    return bool(re.search(r"\d", name)) or name.isupper() and len(name) > 3
