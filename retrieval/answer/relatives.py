"""Follow an asked relation through the knowledge graph: one link, a chain of them, or kin
that the documents state as two links ("x's uncle": the father's brother), either way round
where a relation goes both ways ("ann's boyfriend": "Ann: Jons girlfriend" says it)."""

from __future__ import annotations

from retrieval.knowledge.graph import Knowledge, Link
from retrieval.knowledge.lexicon import COMPOSED, COMPOSED_ALSO, REDUCED, relation_matches

_MUTUAL = frozenset({"partner", "spouse", "friend", "associate", "ex"})  # both ways alike


def follow_relation(knowledge: Knowledge, owners: list[int], relation: tuple[str, ...]
                     ) -> list[Link]:
    """Links from the first owner (in question order) that has the asked relation, best fit
    first; "does the boss have other children besides x" asks about the boss. A child is also
    found the other way round: Y's children are those whose father or mother is Y; and so is
    a partner, a spouse or a friend, when no owner has the relation stated its own way."""
    for o in owners:
        scored = [(k, fit(relation, k)) for k in knowledge.links_from.get(o, ())]
        best = max((s for _, s in scored), default=0.0)
        if best > 0:
            return sorted((k for k, s in scored if s == best), key=lambda k: (k.rank, k.passage))
        if set(relation) & {"child", "son", "daughter"} and len(relation) == 1:
            inverse = [Link(o, "rel:child", k.subject, k.passage, k.start, k.end, k.rank)
                       for k in knowledge.links_to.get(o, ())
                       if k.relation in ("rel:father", "rel:mother")]
            if inverse:
                return inverse
    co = _co_parents(knowledge, owners, relation)
    if co:
        return co
    for o in owners:
        # "ann's boyfriend": a partner, a spouse, a friend is the other's too ("Ann: Jon's
        # girlfriend" says Jon is hers), once no owner has the relation stated its own way
        mutual = [(k, fit(relation, k)) for k in knowledge.links_to.get(o, ())
                  if k.relation.startswith("rel:")
                  and set(k.relation[4:].split("+")) <= _MUTUAL]
        best = max((f for _, f in mutual), default=0.0)
        if best > 0:
            return [Link(o, k.relation, k.subject, k.passage, k.start, k.end, k.rank)
                    for k, f in mutual if f == best]
    return []


_PARENTS = frozenset({"father", "mother", "parent"})
_CHILDREN = frozenset({"child", "son", "daughter"})


def _co_parents(knowledge: Knowledge, owners: list[int], relation: tuple[str, ...]
                ) -> list[Link]:
    """"the dad of ann's baby": whoever's child's mother ann is ("Ann: the mother of Jon's
    child" says Jon is the father of hers), when no owner has the relation stated its own way.
    The other parent only: "the mother of ann's baby" is ann herself."""
    asked = set(relation)
    parent = asked & _PARENTS
    if len(relation) != 2 or not parent or not asked & _CHILDREN:
        return []
    for o in owners:
        found = []
        for k in knowledge.links_to.get(o, ()):
            said = set(k.relation[4:].split("+")) if k.relation.startswith("rel:") else set()
            if (len(said) == 2 and said & _CHILDREN and said & _PARENTS
                    and (parent == {"parent"} or said & _PARENTS == {"parent"}
                         or said & _PARENTS != parent)):
                found.append(Link(o, "rel:" + "+".join(relation), k.subject, k.passage,
                                  k.start, k.end, k.rank))
        if found:
            return found
    return []


def described_by(knowledge: Knowledge, entity: int, relation: tuple[str, ...]) -> bool:
    """Whether the documents state `relation` with `entity` as its target (she is someone's
    mother), so that a question naming her beside it describes her."""
    return any(fit(relation, k) >= 1.0 for k in knowledge.links_to.get(entity, ()))


def fit(relation: tuple[str, ...], link: Link) -> float:
    """How well an asked relation fits a link: 0 for a link that is no relation ("played_by")."""
    if not link.relation.startswith("rel:"):
        return 0.0
    return relation_matches(relation, tuple(link.relation[4:].split("+")))


def kin_said(relation: tuple[str, ...], groups: list[tuple[str, ...]]) -> tuple[str, ...]:
    """The links a relation no line states is read as ("uncle": father, brother), or ()."""
    said = tuple(g[0] for g in groups) if all(len(g) == 1 for g in groups) else ()
    reduced = REDUCED.get(said) or REDUCED.get(said[::-1])
    if reduced:
        return reduced
    if len(relation) == 1 and relation[0] in COMPOSED:
        up, then = COMPOSED[relation[0]]
        return (*up, *then)
    return ()


def follow_chain(knowledge: Knowledge, owners: list[int], relation: tuple[str, ...],
                  groups: list[tuple[str, ...]], *, chained: bool) -> list[list[Link]]:
    """Hops for the asked relation: all its words as one relation ("the mother of x's child"),
    else, when the question chains them, one after another ("x's father's ex-wife", either
    order); else the first one alone ("his friend who gets married": the friend)."""
    whole = follow_relation(knowledge, owners, relation)
    said = tuple(g[0] for g in groups) if all(len(g) == 1 for g in groups) else ()
    # either order: "x's kid's grandpa", "the grandpa of x's kid"
    reduced = REDUCED.get(said) or REDUCED.get(said[::-1])
    if not whole and reduced is not None:
        # "x's kid's grandpa": x's own father, whether or not the kid is anyone the graph knows
        back = follow_relation(knowledge, owners, reduced)
        if back:
            return [back]
    if not whole and len(relation) == 1 and relation[0] in COMPOSED:
        # "x's uncle", when no line says so: x's father's brother, or his mother's
        up, then = COMPOSED[relation[0]]
        for side in (up, tuple(COMPOSED_ALSO.get(w, w) for w in up)):
            parents = follow_relation(knowledge, owners, side)
            kin = follow_relation(knowledge, list(dict.fromkeys(k.object for k in parents)),
                                   then) if parents else []
            if kin:
                return [parents, kin]
    if whole or len(groups) < 2:
        return [whole] if whole else []
    if not chained:
        first = follow_relation(knowledge, owners, groups[0])
        return [first] if first else []
    for order in (groups, groups[::-1]):
        chain: list[list[Link]] = []
        current = owners
        for group in order:
            step = follow_relation(knowledge, current, group)
            if not step:
                break
            chain.append(step)
            current = list(dict.fromkeys(k.object for k in step))
        else:
            return chain
    return []
