"""How a conversation names the entities it talks about, all read from the knowledge graph:
which entities a text names, the name to put in a question, and a short description for the
note that says how a pronoun was taken ("Sam, Ann's father")."""

from __future__ import annotations

import re

from retrieval.knowledge.graph import Knowledge, alias_keys
from retrieval.text import fold

_CAP_RUN = re.compile(r"[A-ZÀ-ÖØ-Þ][\w’'-]*(?: [A-ZÀ-ÖØ-Þ][\w’'-]*)*")

# Relation tokens as a note says them; spouse and partner follow the person's gender.
_SAID = {"child": "child", "ex+spouse": "ex-{spouse}", "spouse": "{spouse}",
         "partner": "{partner}", "ex+partner": "ex-{partner}", "associate": "partner"}
_BY_GENDER = {"m": {"spouse": "husband", "partner": "boyfriend"},
              "f": {"spouse": "wife", "partner": "girlfriend"}}


def named_entities(text: str, knowledge: Knowledge) -> list[int]:
    """Entities a text names by a capitalised name (possessives included), in order."""
    found: list[int] = []
    by_alias = knowledge.by_alias
    for m in _CAP_RUN.finditer(text):
        run = m.group(0)
        for key in alias_keys(run):
            ids = by_alias.get(key) or by_alias.get(key[:-1] if key.endswith("s") else "", ())
            found.extend(e for e in ids if e not in found)
            if ids:
                break
    return found


def spoken_name(entity: int, knowledge: Knowledge, used: str | None = None) -> str:
    """The name to write in a question: the alias matching the words the user used for it, if
    that alias names this entity alone, else its main name."""
    ent = knowledge.entity(entity)
    if used:
        wanted = {used, _unpossess(used)}
        for alias in ent.aliases:
            keys = alias_keys(alias)
            if wanted & set(keys) and all(knowledge.by_alias.get(k) == (entity,) for k in keys):
                return alias
    return ent.name


def describe(entity: int, knowledge: Knowledge, genders: dict[int, str]) -> str | None:
    """A few words saying who an entity is, from the graph: "Ann's father", "played by X",
    "who plays Y"; None when the graph says nothing."""
    ent = knowledge.entity(entity)
    if ent.kind == "character":
        rels = sorted((k for k in knowledge.links_to.get(entity, ())
                       if k.relation.startswith("rel:") and k.subject != entity),
                      key=lambda k: (k.rank, k.passage))
        if rels:
            link = rels[0]
            token = link.relation[4:]
            owner = knowledge.entity(link.subject).name
            words = _BY_GENDER.get(genders.get(entity, ""), {})
            parts = token.split("+")
            parent = [t for t in parts if t in ("mother", "father")]
            if len(parts) == 2 and len(parent) == 1:  # "the mother of X's son", either order
                other = next(t for t in parts if t != parent[0])
                said = f"the {parent[0]} of {{owner}}'s {other}"
            else:
                said = _SAID.get(token, token.replace("+", " "))
            said = said.format(owner=owner, spouse=words.get("spouse", "spouse"),
                               partner=words.get("partner", "partner"))
            return said if said.startswith("the ") else f"{owner}'s {said}"
        actors = sorted((k for k in knowledge.links_from.get(entity, ())
                         if k.relation == "played_by"), key=lambda k: (k.rank, k.passage))
        if actors:
            return f"played by {knowledge.entity(actors[0].object).name}"
        return None
    if ent.kind == "person":
        roles = sorted((k for k in knowledge.links_to.get(entity, ())
                        if k.relation == "played_by"), key=lambda k: (k.rank, k.passage))
        if roles:
            return f"who plays {knowledge.entity(roles[0].subject).name}"
        fields = [k.relation[6:] for k in knowledge.links_to.get(entity, ())
                  if k.relation.startswith("field:")]
        if fields:
            return f"the film's {fields[0]}"
    return None


def _unpossess(words: str) -> str:
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in fold(words).split())
