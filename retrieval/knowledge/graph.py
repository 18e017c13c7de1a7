"""The film's people and their links, as read from the documents at index time.

Every link keeps its provenance (passage id and character offsets in that passage's text), so
the answer path can quote the very sentence a link was read from: the graph decides *which*
passage to quote, it never supplies words of its own.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from retrieval.text import FOLDED_WORD, fold

KNOWLEDGE_VERSION = 6
LEAD = "(lead)"  # the key of the article's lead paragraph among `Knowledge.fields`
PLOT_START, PLOT_END = "(plot start)", "(plot end)"  # the plot's first and last passages
# The key of a crew field the prose credits where the infobox has no line ("Jon's soundtrack")
PROSE_FIELD = "(prose) {}"
EntityKind = str  # "character" | "person" | "film"


@dataclass(frozen=True, slots=True)
class Entity:
    """A character, a real person (cast or crew) or the film, with every name it goes by."""

    id: int
    name: str  # the name the documents use most formally (a cast list's, an infobox's)
    kind: EntityKind
    aliases: tuple[str, ...]  # every surface name, the main one included


@dataclass(frozen=True, slots=True)
class Link:
    """subject —relation→ object, read from passage[start:end].

    Relations: "played_by" (character → actor), "field:<infobox field>" (film → person),
    "rel:<tokens>" (owner → the person who is the owner's <relation>, e.g. rel:father),
    "alias" (a name joined to an entity; object is the entity itself).
    """

    subject: int
    relation: str
    object: int
    passage: int
    start: int
    end: int
    rank: int = 3  # how explicit the source: 0 cast line, 1 infobox, 2 article prose, 3 review


@dataclass(frozen=True)  # no slots: the look-up tables are cached properties
class Knowledge:
    """Entities and links of one corpus, with a folded-alias lookup for questions."""

    entities: tuple[Entity, ...]
    links: tuple[Link, ...]
    fields: dict[str, int] = field(default_factory=dict)  # infobox field → its passage (filled)

    @cached_property
    def by_alias(self) -> dict[str, tuple[int, ...]]:
        """Folded alias (and its form without a leading "the") → entity ids."""
        out: dict[str, list[int]] = {}
        for e in self.entities:
            for a in e.aliases:
                for key in alias_keys(a):
                    ids = out.setdefault(key, [])
                    if e.id not in ids:
                        ids.append(e.id)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def alias_starts(self) -> frozenset[str]:
        """The first words of the aliases of several words: where a name of several words can
        begin in a question."""
        return frozenset(key.split(" ", 1)[0] for key in self.by_alias if " " in key)

    @cached_property
    def near_index(self) -> dict[str, tuple[str, ...]]:
        """One-word alias keys by each of their one-letter deletions (and themselves), so a
        misspelling one edit away is found without scanning every alias."""
        out: dict[str, set[str]] = {}
        for key in self.by_alias:
            if " " not in key and len(key) >= 3:
                for d in {key} | {key[:i] + key[i + 1:] for i in range(len(key))}:
                    out.setdefault(d, set()).add(key)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def links_from(self) -> dict[int, tuple[Link, ...]]:
        """Links by subject."""
        return _grouped(self.links, lambda link: link.subject)

    @cached_property
    def links_to(self) -> dict[int, tuple[Link, ...]]:
        """Links by object."""
        return _grouped(self.links, lambda link: link.object)

    @property
    def protagonist(self) -> int | None:
        """The first character of the cast list: whom "his" means when no one is named."""
        return next((e.id for e in self.entities if e.kind == "character"), None)

    def entity(self, entity_id: int) -> Entity:
        """The entity with this id."""
        return self.entities[entity_id]

    def to_json(self) -> str:
        """The stored form (plain JSON, no pickle)."""
        return json.dumps({
            "version": KNOWLEDGE_VERSION,
            "entities": [[e.name, e.kind, list(e.aliases)] for e in self.entities],
            "links": [[k.subject, k.relation, k.object, k.passage, k.start, k.end, k.rank]
                      for k in self.links],
            "fields": self.fields,
        }, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Knowledge:
        """Inverse of `to_json`; ValueError when the stored form is not this version's."""
        d = json.loads(text)
        if not isinstance(d, dict) or d.get("version") != KNOWLEDGE_VERSION:
            raise ValueError("knowledge file is of another version")
        entities = tuple(Entity(i, str(n), str(k), tuple(map(str, a)))
                         for i, (n, k, a) in enumerate(d["entities"]))
        links = tuple(Link(int(s), str(r), int(o), int(p), int(a), int(b), int(k))
                      for s, r, o, p, a, b, k in d["links"])
        if any(not (0 <= k.subject < len(entities) and 0 <= k.object < len(entities))
               for k in links):
            raise ValueError("knowledge links name unknown entities")
        fields = {str(f): int(p) for f, p in d.get("fields", {}).items()}
        return cls(entities, links, fields)


def _grouped(links: tuple[Link, ...], key: Callable[[Link], int]) -> dict[int, tuple[Link, ...]]:
    out: dict[int, list[Link]] = {}
    for link in links:
        out.setdefault(key(link), []).append(link)
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=1 << 14)  # the graph's aliases, asked for on every question
def alias_keys(alias: str) -> tuple[str, ...]:
    """The folded lookup keys of a name: itself, and without a leading article."""
    key = " ".join(FOLDED_WORD.findall(fold(alias)))
    if not key:
        return ()
    bare = _ARTICLE.sub("", key)
    return (key,) if bare == key else (key, bare)


_ARTICLE = re.compile(r"^(the|a|an) ")


EMPTY = Knowledge((), ())
