"""Entities under construction (index time): each name read is added as a node, nodes are
merged with a union-find as evidence joins names, and the result is frozen into the knowledge
graph. Where the names are read: extract.py.

Two names of one owner's father (or mother, spouse) are one person, and two character names
played by one actor are one character: that is how an epithet in the plot meets a cast name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from retrieval.knowledge.graph import Entity, Knowledge, Link, alias_keys
from retrieval.knowledge.lexicon import FUNCTIONAL, PRONOUNS
from retrieval.knowledge.relations import Rel, strip_article
from retrieval.passage import Passage
from retrieval.text import fold


@dataclass
class _Node:
    name: str
    kind: str
    aliases: list[str] = field(default_factory=list)


class Builder:
    """Entities under construction, merged with a union-find as evidence joins names."""

    def __init__(self, passages: Sequence[Passage]) -> None:
        self.passages = passages
        self.nodes: list[_Node] = []
        self.parent: list[int] = []
        self.keys: dict[tuple[str, str], int] = {}  # (kind, folded alias) → node
        self.links: list[Link] = []
        self.relations: list[Rel] = []
        self.fields: dict[str, int] = {}

    def find(self, i: int) -> int:
        """The node standing for `i`'s entity (path halving)."""
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        """Join two nodes' entities into one."""
        a, b = self.find(a), self.find(b)
        if a != b:
            # The earlier node (cast list, infobox) keeps its name as the entity's name.
            a, b = min(a, b), max(a, b)
            self.parent[b] = a

    def lookup(self, name: str, kind: str | None = None) -> int | None:
        """The entity a name already names (of `kind`, else of any kind), if any."""
        for key in alias_keys(name):
            for k in ((kind,) if kind else ("character", "person", "film")):
                if (k, key) in self.keys:
                    return self.find(self.keys[(k, key)])
        return None

    def add(self, name: str, kind: str, *aliases: str) -> int:
        """The entity of a name (new unless the name is known), with more names for it."""
        name = _tidy(name)
        found = self.lookup(name, kind)
        if found is None and kind == "person":
            found = self.person_by_prefix(name)
        if found is None:
            found = len(self.nodes)
            self.nodes.append(_Node(name, kind))
            self.parent.append(found)
        for a in (name, *aliases):
            self.alias(found, a)
        return self.find(found)

    def alias(self, node: int, alias: str) -> None:
        """Another name for a node's entity (a name another entity has keeps naming that one)."""
        alias = _tidy(alias)
        if not alias or not any(c.isalpha() for c in alias):
            return
        root = self.find(node)
        self.nodes[root].aliases.append(alias)
        for key in alias_keys(alias):
            other = self.keys.get((self.nodes[root].kind, key))
            if other is None:
                self.keys[(self.nodes[root].kind, key)] = root

    def person_by_prefix(self, name: str) -> int | None:
        """"John Doe Smith" is the "John Doe" already known, and the reverse."""
        key = alias_keys(name)[0] if alias_keys(name) else ""
        if key.count(" ") < 1:
            return None
        for (kind, k), node in self.keys.items():
            if kind == "person" and k.count(" ") >= 1 and (k.startswith(key + " ")
                                                             or key.startswith(k + " ")):
                return self.find(node)
        return None

    def link(self, subject: int, relation: str, obj: int, passage: int, start: int, end: int
             ) -> None:
        """A link read at passage[start:end], ranked by where it was read (cast list first)."""
        p = self.passages[passage]
        rank = {"cast": 0, "infobox": 1}.get(p.kind, 2 if p.source == "wiki" else 3)
        self.links.append(Link(subject, relation, obj, passage, start, end, rank))


def merge_by_evidence(b: Builder) -> None:
    """Resolve the relations read as text, and join names the evidence says are one entity."""
    pending: list[tuple[Rel, int]] = []
    for r in b.relations:
        target = r.target
        if target is None and r.target_name:
            target = b.lookup(r.target_name, "character")
            if target is None:
                target = b.add(strip_article(r.target_name), "character", r.target_name)
        if target is not None:
            pending.append((r, target))
    # An actor plays one character in a film: two role names with one actor are one role.
    by_actor: dict[int, int] = {}
    for link in b.links:
        if link.relation == "played_by":
            actor = b.find(link.object)
            if actor in by_actor:
                b.union(by_actor[actor], link.subject)
            else:
                by_actor[actor] = b.find(link.subject)
    # Two names for one owner's father are one person ("Xs father, the Boss" and
    # "Big Olaf: Xs estranged father").
    for _ in range(2):  # owners themselves may be joined by the first round
        seen: dict[tuple[int, tuple[str, ...]], int] = {}
        for r, target in pending:
            o = _owner_node(b, r.owner)
            if o is None or r.tokens not in FUNCTIONAL:
                continue
            key = (b.find(o), r.tokens)
            if key in seen and b.find(seen[key]) != b.find(target):
                b.union(seen[key], target)
            seen.setdefault(key, target)
    for r, target in pending:
        o = _owner_node(b, r.owner)
        if o is not None and b.find(o) != b.find(target):
            b.link(o, "rel:" + "+".join(r.tokens), target, r.passage, r.start, r.end)


def _owner_node(b: Builder, owner: str) -> int | None:
    name = strip_article(owner)
    if fold(name) in PRONOUNS:
        return None
    return b.lookup(name, "character") or b.lookup(name)


def freeze(b: Builder) -> Knowledge:
    """The knowledge graph of the built entities: one entity per merged node, links deduplicated."""
    roots = sorted({b.find(i) for i in range(len(b.nodes))})
    new_id = {r: n for n, r in enumerate(roots)}
    aliases: dict[int, list[str]] = {r: [] for r in roots}
    for i, node in enumerate(b.nodes):
        for a in [node.name, *node.aliases]:
            if a not in aliases[b.find(i)]:
                aliases[b.find(i)].append(a)
    entities = tuple(Entity(new_id[r], b.nodes[r].name, b.nodes[r].kind, tuple(aliases[r]))
                     for r in roots)
    links = []
    seen = set()
    for k in b.links:
        link = Link(new_id[b.find(k.subject)], k.relation, new_id[b.find(k.object)], k.passage,
                    k.start, k.end, k.rank)
        if link not in seen:
            seen.add(link)
            links.append(link)
    return Knowledge(entities, tuple(links), dict(b.fields))


def _tidy(name: str) -> str:
    """A name without surrounding quotes and punctuation, its white space single."""
    return " ".join(name.strip().strip("\"“”,.:;").split())
