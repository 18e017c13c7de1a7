"""The terms an aspect is matched by, in the review sentences: the aspect's words with their
stems and close spellings (BM25's), the other parts of the series its words name, and each
person it names by every name the knowledge layer gives them; and each sentence's IDF-weighted
share of those terms."""

from __future__ import annotations

import bisect
import re
from collections.abc import Collection, Iterable, Mapping, Sequence

import numpy as np

from retrieval.answer.series import Series
from retrieval.index.bm25 import BM25
from retrieval.knowledge.graph import Knowledge
from retrieval.knowledge.lexicon import relation_surfaces, relation_word
from retrieval.text import STOPWORDS, fold, stem, term_set
from retrieval.text import words as words_of

PREFIX = 6  # letters two words must share at their start to count as one (see `lexical`)
Group = tuple[str, frozenset[str]]  # a word of the aspect, and the stems that stand for it


class AspectTerms:
    """The review sentences' terms, and the aspect's, for the lexical half of a stance."""

    def __init__(self, texts: Sequence[str], bm25: BM25, idf: Mapping[str, float], max_idf: float,
                 knowledge: Knowledge, series: Series) -> None:
        self._texts = texts
        self._bm25 = bm25
        self._idf = idf
        self._max_idf = max_idf
        self._knowledge = knowledge
        self.series = series
        # the film's own names are no aspect's term (of a film called "Drifter", "drifting" is no
        # "drifter")
        self._title_stems = {stem(w) for e in knowledge.entities if e.kind == "film"
                             for a in e.aliases for w in words_of(a)}
        self._classes: dict[str, frozenset[str]] = {}  # the cast's or characters' name stems
        self._term_rows: dict[str, np.ndarray] | None = None
        self._vocab: list[str] = []
        # Characters' and actors' folded names → their entities (aspects name people)
        people = {key: tuple(i for i in ids if knowledge.entity(i).kind in ("character", "person"))
                  for key, ids in knowledge.by_alias.items()}
        self._people = {k: v for k, v in people.items() if v}
        self._longest = max((len(k.split()) for k in self._people), default=0)

    def groups(self, question: str, said: str, *, given: bool,
               verdict: Collection[str] = (), alternatives: Sequence[frozenset[str]] = ()
               ) -> tuple[list[Group], dict[str, float]]:
        """The aspect's terms (`said`: its words) and the weights of those that stand for a
        person; the other parts the question names with the title ("part 1"), whose words the
        title filter took out, are terms too unless the aspect was `given` as it is. The
        `verdict` words (the judgement asked, not the topic) are none, unless nothing else
        is; words given as `alternatives` ("camerawork / cinematography") are one term."""
        groups = self._bm25.term_groups(said)
        # "any hope or redemption": a word given as the alternative of a topic is a topic too
        verdict = {w for w in verdict if not any(w in alt and alt - set(verdict) for alt in alternatives)}
        if any(g[0] not in verdict for g in groups):
            groups = [g for g in groups if g[0] not in verdict]
        for alt in alternatives:
            same = [g for g in groups if g[0] in alt]
            if len(same) > 1:
                at = groups.index(same[0])
                groups = [g for g in groups if g[0] not in alt]
                groups.insert(at, ("/".join(g[0] for g in same),
                                   frozenset().union(*(g[1] for g in same))))
        # "the first one": reviews write "the original", "Part 1", "its predecessor"; "his dad":
        # "his father", "the old man" (the knowledge layer's words for each relation)
        folded = fold(question)
        people = self._named(said)
        groups = [(w, stems | self.series.part_stems(w) | _relation_stems(w, folded))
                  for w, stems in groups if not self._names_again(w, folded, people)]
        if not given:
            named = {w for w, _s in groups}
            groups += [(w, stems) for w, stems in self.series.other_parts(fold(question)).items()
                       if w not in named]
        groups, weight_of = self._people_groups(groups, said)
        if len(groups) == 1 and groups[0][0] in _CLASSES and not weight_of:
            # the cast, or the characters, as a whole: a review discusses them when it names
            # any of them ("Jon Jonsson is superb in the starring role" speaks of the acting)
            w, stems = groups[0]
            groups = [(w, stems | self._class_stems(_CLASSES[w]))]
        return groups, weight_of

    def _class_stems(self, kind: str) -> frozenset[str]:
        """The stems of every name of the film's characters ("character") or of the actors
        who play them ("actor")."""
        if kind not in self._classes:
            k = self._knowledge
            chars = [e.id for e in k.entities if e.kind == "character"]
            ids = chars if kind == "character" else [
                link.object for i in chars for link in k.links_from.get(i, ())
                if link.relation == "played_by"]
            self._classes[kind] = frozenset(stem(w) for i in ids for a in k.entity(i).aliases
                                            for w in words_of(a) if w not in STOPWORDS and len(w) > 2)
        return self._classes[kind]

    def parts(self, groups: list[Group], question: str) -> list[Group]:
        """The terms that name another part of the series."""
        others = self.series.other_parts(fold(question))
        return [g for g in groups if self.series.part_stems(g[0]) or g[0].isdigit() or g[0] in others]

    def _people_groups(self, groups: list[Group], said: str
                       ) -> tuple[list[Group], dict[str, float]]:
        """The aspect's words that name a character or an actor become one term for that
        person by every name the knowledge layer gives them, a character's actor's included:
        reviews write a character's name, a nickname or the actor's for one part. Such a term weighs
        what the question's own words for the person weigh, not its rarest other name."""
        found = self._named(said)
        if not found:
            return groups, {}
        knowledge = self._knowledge
        # "the guy playing the thief's dad": the dad is the aspect, not the thief
        for owner, words in list(found.items()):
            for m in re.finditer(r"\b([a-z0-9]+?)(?:'s|s'|s)? (\w+)\b", fold(said)):
                relation = relation_word(m.group(2))
                if relation is None or not {m.group(1), m.group(1) + "s"} & words:
                    continue
                related = self._relatives((owner,), relation)
                if related:
                    del found[owner]
                    for r in related:
                        found.setdefault(r, set()).update(words | {m.group(2)})
                    break
        weight_of: dict[str, float] = {}
        named = set().union(*found.values())
        out = [g for g in groups if g[0] not in named]
        for i in found:
            # a character by its actor's names too; an actor not by the character's, which
            # reviews name in every plot summary, performance or not
            people = {i} | {link.object for link in knowledge.links_from.get(i, ())
                            if link.relation == "played_by"}
            stems = frozenset(stem(w) for p in people for a in knowledge.entity(p).aliases
                              for w in words_of(a) if w not in STOPWORDS)
            if stems:
                name = knowledge.entity(i).name
                out.append((name, stems))
                weight_of[name] = max(self._idf.get(stem(w), self._max_idf) for w in found[i])
        return out, weight_of

    def _named(self, said: str) -> dict[int, set[str]]:
        """The characters and actors the aspect's words name, each with those words."""
        tokens = re.findall(r"[a-z0-9]+", fold(said))
        found: dict[int, set[str]] = {}  # entity → the aspect's words that name it
        for n in range(1, min(len(tokens), self._longest) + 1):
            for at in range(len(tokens) - n + 1):
                key = " ".join(tokens[at:at + n])
                # "tonys dad": a possessive typed without its apostrophe names him too
                bare = key[:-1] if key.endswith("s") and len(key) > 3 else None
                ids = self._people.get(key) or (self._people.get(bare) if bare else None)
                if ids and any(self._is_name(w) or self._is_name(w[:-1])
                               for w in key.split()):
                    for i in ids:
                        found.setdefault(i, set()).update(key.split())
        return found

    def _names_again(self, word: str, question: str, named: Collection[int]) -> bool:
        """Whether a relation word is only another name for someone the aspect names ("jon
        jonsson as the old count, the thief's dad"): the knowledge layer's relation of its owner."""
        relation = relation_word(word)
        m = relation and re.search(rf"\b([a-z0-9]+)(?:'s|s') (?:\w+ )?{re.escape(word)}\b", question)
        if not m or relation is None:
            return False
        links = self._knowledge.links_from
        related = self._relatives(self._people.get(m.group(1), ()), relation)
        related |= {link.object for r in related for link in links.get(r, ())
                    if link.relation == "played_by"}
        return bool(related & set(named))

    def _relatives(self, owners: Iterable[int], relation: str) -> set[int]:
        """Whom the knowledge layer links to the owners by a relation ("father")."""
        links = self._knowledge.links_from
        return {link.object for o in owners for link in links.get(o, ())
                if link.relation == f"rel:{relation}"}

    def _is_name(self, word: str) -> bool:
        """Whether the corpus mostly writes a word capitalised (a name, not "frank" talk)."""
        seen = self._bm25.surface.get(word)
        return seen is not None and seen[1] >= 0.5

    def warm_up(self) -> None:
        """Build what the first aspect question would (the terms' sentence rows)."""
        self._inverted()

    def _inverted(self) -> tuple[dict[str, np.ndarray], list[str]]:
        """Each term's sentence rows, and the sorted vocabulary (built on first need: the
        film overall, all `pusherbot reviews` asks by default, needs no words)."""
        if self._term_rows is None:
            rows: dict[str, list[int]] = {}
            for i, text in enumerate(self._texts):
                for t in term_set(text):
                    rows.setdefault(t, []).append(i)
            self._term_rows = {t: np.asarray(r, dtype=np.int64) for t, r in rows.items()}
            self._vocab = sorted(self._term_rows)
        return self._term_rows, self._vocab

    def lexical(self, groups: list[Group],
                 weight_of: Mapping[str, float] | None = None) -> np.ndarray:
        """Per sentence: the IDF-weighted share of the aspect's words it holds. Stems and close
        spellings count, as in BM25, and so does a long shared beginning, which the stemmer
        misses between word classes ("violent" and "violence", "realistic" and "realism").
        A word no review uses ("is he just a scumbag") is no part of the share: it would
        only dilute the words the reviews do use."""
        out = np.zeros(len(self._texts), dtype=np.float32)
        if not groups:
            return out
        weights = np.asarray([(weight_of or {}).get(w) or max(self._idf.get(s, self._max_idf)
                                                              for s in stems)
                              for w, stems in groups], dtype=np.float32)
        term_rows, vocab = self._inverted()
        hits = np.zeros((len(self._texts), len(groups)), dtype=bool)
        for j, (w, stems) in enumerate(groups):
            terms = {t for t in stems | (_agents(w, stems) - self._title_stems) if t in term_rows}
            for pre in {t[:PREFIX] for t in stems if len(t) >= PREFIX}:
                at = bisect.bisect_left(vocab, pre)
                while at < len(vocab) and vocab[at].startswith(pre):
                    terms.add(vocab[at])
                    at += 1
            for t in terms:
                hits[term_rows[t], j] = True
        used = hits.any(axis=0)
        total = float(weights[used].sum())
        if total:
            out[:] = (hits[:, used] @ weights[used]) / total
        return out


def _relation_stems(word: str, question: str) -> frozenset[str]:
    """The stems of every word for the relation a word names, when the question names it as
    someone's ("his dad", "x's dad": father, daddy, pops); "becoming a dad" names no one."""
    relation = relation_word(word)
    if relation is None or not re.search(
            rf"(?:\b(?:his|her|their|my|your)|'s|s') (?:\w+ )?{re.escape(word)}\b", question):
        return frozenset()
    return frozenset(stem(w) for w in relation_surfaces((relation,)) if len(w) > 2)


# Words for the cast or the characters as a whole, and which of them they mean
_CLASSES = {"acting": "actor", "actors": "actor", "cast": "actor", "performances": "actor",
            "performance": "actor", "characters": "character", "character": "character"}

# The doer's ending the stemmer keeps ("actor" of "act", "writer" of "write", "player")
_AGENT = ("or", "er", "r", "ian")


def _agents(word: str, stems: frozenset[str]) -> set[str]:
    """The doer's stems of a deed named as an activity ("acting" → "actor", "writing" →
    "writer"), and the deed's of a doer ("actors" → "act"): reviews praise the acting in the
    actors."""
    out: set[str] = set()
    for s in stems:
        if len(s) < 3:
            continue
        if word.endswith("ing"):
            out.update(s + a for a in _AGENT)
        out.update(s[:-len(a)] for a in _AGENT if s.endswith(a) and len(s) - len(a) >= 3)
    # an adjective's noun: "funny" → "fun", "bloody" → "blood", "hopeful" → "hope"
    for a in _ADJECTIVE:
        base = word[:-len(a)]
        if word.endswith(a) and len(base) >= 3:
            out.update((stem(base), stem(base + "e")))
    return out


_ADJECTIVE = ("ny", "y", "ful", "ous", "ic", "ish", "less")
