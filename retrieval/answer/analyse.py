"""Question analysis: the answer type, the infobox field, the people named and the relation
asked, resolved through the knowledge graph in as many hops as the documents need.

Cheap by construction (regular expressions and dictionary look-ups): it runs on every ask. How
the question is phrased is read by `wording.py`, the names in it found by `entities.py`, where
in the film it points by `position.py`; this module resolves them in the graph, step by step.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from retrieval.answer.entities import find_entities
from retrieval.answer.position import plot_position, position_words
from retrieval.answer.relatives import described_by, follow_chain, follow_relation, kin_said
from retrieval.answer.reviewers import asks_who_wrote
from retrieval.answer.types import ASKS_LIFE, AnswerType, expected_type, says_its_type
from retrieval.answer.wording import (
    ASKS_ACTOR,
    ASKS_ACTOR_STRICT,
    ASKS_ROLE,
    BETWEEN,
    CITES_REVIEW,
    DESCRIBED,
    FILLER,
    IN_CLAUSE,
    KIND_OF,
    SETTING,
    THE_RELATIVE,
    asks_identity,
    chains_relations,
    consumed_words,
    fields_asked,
    not_a_question,
    possessive_relation,
)
from retrieval.knowledge.graph import LEAD, PROSE_FIELD, Knowledge, Link
from retrieval.knowledge.lexicon import (
    FIELD_TYPES,
    LEAD_FIELDS,
    PRONOUNS,
    crew_role,
    relation_groups,
    relation_surface,
    relation_tokens,
    restated,
)
from retrieval.text import FOLDED_WORD, STOPWORDS, fold


@dataclass(frozen=True, slots=True)
class Hop:
    """One step of a resolution: subject —relation→ object, read from a passage span."""

    subject: str
    relation: str
    object: str
    passage: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Analysis:
    """What a question asks, as far as the documents let it be understood."""

    answer_type: AnswerType
    fields: tuple[str, ...] = ()  # infobox fields asked for ("editing")
    relation: tuple[str, ...] = ()  # relation tokens asked ("father"), canonical
    entities: tuple[int, ...] = ()  # entity ids named in the question
    targets: tuple[int, ...] = ()  # entity ids the question resolves to
    hops: tuple[Hop, ...] = ()
    evidence: tuple[int, ...] = ()  # passages the resolution was read from, best first
    expansion: tuple[str, ...] = ()  # names to add to the lexical query
    # words the question means without writing them: "is x in it" asks whether x appears
    implied: tuple[str, ...] = ()
    terse: bool = False  # two words or fewer, or no word with a letter
    notes: tuple[str, ...] = field(default=())
    mentions: tuple[tuple[int, str], ...] = ()  # (entity, the question's words naming it)
    consumed: frozenset[str] = frozenset()  # question words the analysis itself accounts for
    position: int | None = None  # the plot passage a "how does it start / end" points at
    by_field: bool = False  # the evidence is an infobox line the question asks for
    unresolved: bool = False  # a relation was asked of someone known, and no link states it
    no_part: str = ""  # the actor whose part is asked ("who does x play"), when no link names it
    wants_actor: bool = False  # "who plays …": the answer is an actor
    described: bool = False  # the character was found by the question's description of them
    stated: bool = False  # the graph's evidence states the answer itself (another name)
    # "pusher 3" asked of the documents of "pusher 2": each word naming another part of the
    # series, with the stems a passage about that part may use instead
    other_parts: tuple[tuple[str, frozenset[str]], ...] = ()
    typed_by_words: bool = True  # the question's own words set the type, not a field it names
    reviews: frozenset[int] = frozenset()  # passages of the reviews the question points at
    kind_of: str = ""  # "what kind of gun": the thing whose kind is asked ("gun")
    real_life: bool = False  # "what does x do in real life": the actor, not the part a line lists
    asks_job: bool = False  # "what does x do for a living": an occupation, not a relation
    cites_review: bool = False  # "a review said…", "according to the reviews": a review says
    who_wrote: bool = False  # "which reviewer said…": the answer is a review's author
    role: str = ""  # "the casting director": a crew role no infobox line holds, as written
    clause: bool = False  # "the guy who works for x": who is asked for is described by a clause

    @property
    def other_film(self) -> bool:
        """Whether the question is about another film of the series."""
        return bool(self.other_parts)

    def to_dict(self, knowledge: Knowledge) -> dict:
        """The `"analysis"` object of `ask --json`."""
        name = knowledge.entity
        return {
            "type": self.answer_type,
            "fields": list(self.fields),
            "relation": list(self.relation),
            "entities": [name(e).name for e in self.entities],
            "named": [{"words": words, "entity": name(e).name, "kind": name(e).kind}
                      for e, words in self.mentions],
            "resolved": [name(e).name for e in self.targets],
            "hops": [{"from": h.subject, "relation": h.relation, "to": h.object,
                      "passage": h.passage, "start": h.start, "end": h.end} for h in self.hops],
            "notes": list(self.notes),
            "evidence": list(self.evidence),
        }


@dataclass(slots=True)
class _Resolution:
    """What the steps of `analyse` find as they go (mutable: each step adds to it, inside this
    one stage): the answer type they settle, the links followed and the passages that state
    them, and whom the question resolves to."""

    answer_type: AnswerType
    relation: tuple[str, ...]
    targets: list[int]
    hops: list[Hop] = field(default_factory=list)
    evidence: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    reached: list[int] = field(default_factory=list)  # entities found only through the graph
    unresolved: bool = False  # a relation was asked of someone known, and no link states it
    in_clause: bool = False  # every relation word inside a clause of when or of what is told


def analyse(question: str, knowledge: Knowledge, is_name: Callable[[str], bool],
            is_word: Callable[[str], bool] | None = None) -> Analysis:
    """Analyse one question; `is_name(word)` says whether the corpus writes a word as a name,
    `is_word(word)` whether it is an everyday English word (then no misspelt name)."""
    folded = fold(question)
    words = FOLDED_WORD.findall(folded.replace("'s ", " ").replace("’s ", " "))
    content = [w for w in words if w not in STOPWORDS]
    answer_type = expected_type(folded)
    # "who does he say is like a son to him": a likeness, no relation asked
    relation = restated(relation_tokens(_SIMILE.sub(" ", folded)))
    asks_actor = bool(ASKS_ACTOR_STRICT.search(folded))
    entities, spans, mentions = find_entities(question, words, knowledge, is_name,
                                              lenient=asks_actor or answer_type == "person",
                                              is_word=is_word)
    someone = any(knowledge.entity(e).kind != "film" for e in entities)
    if answer_type == "howto" and (entities or mentions):
        answer_type = "other"  # about someone or something of the film, not for the asker
    if (answer_type in ("yesno", "other") and ASKS_LIFE.search(folded) and entities
            and all(knowledge.entity(e).kind == "person" for e in entities)):
        answer_type = "life"  # "is the lead actor still alive": a real person's life
    # The film's own title is no part of what is asked of it ("the box office of pusher 2"),
    # when the field's value is a thing; a person field keeps it ("compare it to, the music").
    titled = {w for e, text in mentions if knowledge.entity(e).kind == "film" for w in text.split()}
    fields = fields_asked(folded, content, titled, answer_type, someone=someone)
    who_wrote = asks_who_wrote(folded)
    cites_review = who_wrote or bool(CITES_REVIEW.search(folded))
    if who_wrote:
        answer_type = "reviewer"  # the quote need hold no name: the review's record has it
    if cites_review:
        fields = ()  # "a review said it is dedicated to some writer": no infobox line says
    typed_by_words = answer_type != "other"
    if fields and answer_type == "other":
        # Only a field's own word sets the type: "what camera" is no question about a person.
        answer_type = {"date": "date", "duration": "duration", "amount": "amount",
                       "person": "person"}.get(FIELD_TYPES.get(fields[0], ""), "other")
    r = _Resolution(answer_type, relation, list(entities))
    if relation:
        _follow_relation(r, knowledge, folded, words, entities, spans, asks_actor)
    no_part = _follow_part(r, knowledge, folded, entities, asks_actor)
    by_field = _field_evidence(r, knowledge, fields, someone)
    _evidence_by_form(r, knowledge, folded, words, entities, spans, fields)
    position = plot_position(folded, knowledge)
    said_where = position_words(folded)  # "the last shot": all of it says where
    rest = [w for w in content if w not in said_where
            and w not in FILLER and w not in ("happen", "happens", "does", "film", "movie")]
    film_words = {w for e, text in mentions if knowledge.entity(e).kind == "film"
                  for w in text.split()}
    if position is not None and not [w for w in rest if w not in film_words]:
        r.evidence.append(position)  # "how does it start?": the plot's first passage says
    expansion = _expansion(knowledge, entities, r.reached, mentions, words, is_name)
    consumed = consumed_words(folded, words, fields, unresolved=r.unresolved,
                              person=asks_actor or r.answer_type == "person")
    return Analysis(
        # a relation inside a clause is no relation asked ("who tells x he has a kid")
        answer_type=r.answer_type, fields=fields, relation=() if r.in_clause else r.relation,
        entities=tuple(entities),
        targets=tuple(dict.fromkeys(r.targets)), hops=tuple(r.hops),
        evidence=tuple(dict.fromkeys(r.evidence)), expansion=tuple(expansion),
        implied=PRESENCE_WORDS if _asks_presence(knowledge, folded, entities) else (),
        # "what year", "how long": short, but asking the film's year or length in so many words
        terse=not_a_question(question, words, content, is_name) and not says_its_type(folded),
        notes=tuple(r.notes), mentions=tuple(mentions), consumed=frozenset(consumed),
        by_field=by_field, position=position, unresolved=r.unresolved, no_part=no_part,
        wants_actor=asks_actor and r.answer_type in ("person", "other"),
        typed_by_words=typed_by_words,
        kind_of=next(iter(KIND_OF.findall(folded) or _WHICH_THING.findall(folded)), ""),
        real_life=bool(_REAL_LIFE.search(folded)),
        asks_job=bool(_ASKS_JOB.search(folded)),
        cites_review=cites_review,
        who_wrote=who_wrote,
        role=crew_role(folded),
        clause=bool(DESCRIBED.search(folded)),
    )


# "is x in it", "does x show up in this one", "is x back": whether someone appears at all,
# which the documents say in words of appearing ("x does not appear", "a small appearance")
_ASKS_PRESENCE = re.compile(r"^(?:so |and )?(?:is|was|are|were|does|did)\b(?: \w+){1,3} (?:in (?:it|this|"
                            r"this one|the (?:movie|film|sequel))|(?:show|turn) up|appear|back|"
                            r"return)\W*$")
PRESENCE_WORDS = ("appear", "appears", "appearance", "mentioned", "returns", "absence")


def _asks_presence(knowledge: Knowledge, folded: str, entities: list[int]) -> bool:
    """Whether a question asks if someone appears in the film at all, of someone whom the
    infobox does not list as starring (whose line would say so outright)."""
    return bool(entities) and bool(_ASKS_PRESENCE.search(folded)) and not any(
        k.relation == "field:starring" for e in entities for k in knowledge.links_to.get(e, ()))
_REAL_LIFE = re.compile(r"\b(?:irl|in real life|real[- ]life|in reality|off[- ]?screen"
                        r"|an? (?:actual|real))\b")
# "what gun does he buy": which one, as "what kind of gun" asks
_WHICH_THING = re.compile(r"^(?:what|which) ([a-z]{3,}) (?:does|did|do)\b")
_ASKS_JOB = re.compile(r"\b(?:for a living|(?:line of|kind of|type of) work|job|jobs|occupation|"
                       r"profession|trade|work as|works as|worked as)\b")
_SIMILE = re.compile(r"\blike (?:a|an) (?:\w+ )?\w+")


def _follow_relation(r: _Resolution, knowledge: Knowledge, folded: str, words: list[str],
                     entities: list[int], spans: set[int], asks_actor: bool) -> None:
    """The relation asked, followed from its owner through the graph in as many hops as the
    documents need; or why it cannot be (no link states it, or it describes the one named)."""
    owners = [e for e in entities if knowledge.entity(e).kind == "character"]
    if not owners and not _REAL_LIFE.search(folded):
        # "who plays jon smith's dad", "the actor's brother": an actor's relatives in the film are
        # his part's; the documents state the relations of the parts, not of the cast
        for e in entities:
            played = _best_first(knowledge.links_to.get(e, ()), "played_by")
            if knowledge.entity(e).kind == "person" and played:
                owners.append(played[0].subject)
                r.hops.append(_hop(knowledge, played[0]))
                r.notes.append(f"taking the relation as that of {knowledge.entity(e).name}'s "
                               f"part, {knowledge.entity(played[0].subject).name}")
    if not owners and knowledge.protagonist is not None and PRONOUNS & set(words):
        owners = [knowledge.protagonist]  # "the mother of his kid": the lead's
        r.notes.append(f"taking the pronoun as {knowledge.entity(owners[0]).name}")
    elif (not owners and knowledge.protagonist is not None and THE_RELATIVE.search(folded)
          and chains_relations(folded)):
        # "the dad's ex-wife", the dad said of no one: the lead's dad (a relation of
        # its own, "who does the dad actor look like", may be anyone's: the passages say)
        owners = [knowledge.protagonist]
        r.notes.append(f"taking the relation as {knowledge.entity(owners[0]).name}'s")
    # "x's father's ex-wife" chains relations; "his friend who gets married" does not.
    groups = relation_groups(folded)
    chained = chains_relations(folded)
    if len(groups) > len(r.relation) == 1:
        groups, chained = [r.relation], False  # "x's uncle (his dad's brother)": one relation
    chain = follow_chain(knowledge, owners, r.relation, groups, chained=chained)
    kin = kin_said(r.relation, groups)
    if chain and kin and not follow_relation(knowledge, owners, r.relation):
        # "x's uncle" read as x's father's brother: the links the graph followed are
        # the relation the quotes state ("the Dukes brother")
        r.relation = kin
    # "who is x's dad" and "x's dad?" ask for the person; "does x kill his dad" asks
    # about an event, where the relation only says whom to search for.
    surface = relation_surface(folded)
    # "who does x find after he kills his dad": the dad is when, not who
    r.in_clause = bool(IN_CLAUSE.search(folded)) and all(
        IN_CLAUSE.search(folded[:m.start()]) for m in re.finditer(r"[a-z]+", folded)
        if m.group(0) in surface)
    asks_person = (r.answer_type in ("person", "name") or asks_actor or asks_identity(
        words, spans | {i for i, w in enumerate(words) if w in surface})) and not r.in_clause
    if chain:
        for step in chain:
            for link in step:
                r.hops.append(_hop(knowledge, link))
        last = chain[-1]
        if asks_person:
            r.evidence.extend(link.passage for link in last)
            if r.answer_type == "other":
                r.answer_type = "person"  # "tonys best mate": the mate is someone
        r.targets = list(dict.fromkeys(link.object for link in last))
        r.reached.extend(r.targets)
    elif len(owners) == 1 and possessive_relation(words, spans):
        r.unresolved = True
        if asks_person and r.answer_type == "other":
            r.answer_type = "person"  # "x's grandfather?": someone, whom no line names
        r.targets = [e for e in r.targets if e not in owners]  # not the owner's own actor
        r.notes.append("the documents state no such relation")
    elif len(owners) == 1 and described_by(knowledge, owners[0], r.relation):
        # "ann, the mom of the baby": the relation says who the named one is (she
        # is someone's mother of a child), not whom to look for next.
        r.notes.append("reading the relation as a description of "
                       f"{knowledge.entity(owners[0]).name}")


def _follow_part(r: _Resolution, knowledge: Knowledge, folded: str, entities: list[int],
                 asks_actor: bool) -> str:
    """"What role does x play": the actor's part; "who plays x": the character's actor. The
    actor whose part is asked when no link names one, else ""."""
    no_part = ""
    if ASKS_ROLE.search(folded):
        for e in entities:
            links = _best_first(knowledge.links_to.get(e, ()), "played_by")
            if knowledge.entity(e).kind == "person" and links:
                r.hops.extend(_hop(knowledge, k) for k in links[:3])
                r.evidence.extend(k.passage for k in links[:3])
                r.targets = [links[0].subject]
                r.reached.append(links[0].subject)
                if r.answer_type == "other":
                    r.answer_type = "person"  # "what role does x play": the part, a character
        askees = [e for e in entities if knowledge.entity(e).kind != "film"]
        if (askees and not r.reached
                and all(knowledge.entity(e).kind == "person" for e in askees)):
            # "who does x play", of someone credited with no part (a name in the cast list
            # with no character, or crew): no passage says, whatever mentions x
            no_part = knowledge.entity(askees[0]).name
    elif r.answer_type in ("person", "other", "name") and not DESCRIBED.search(folded) and (asks_actor or (
            r.answer_type == "person" and not r.relation and bool(ASKS_ACTOR.search(folded)))):
        for c in [t for t in r.targets if knowledge.entity(t).kind == "character"]:
            links = _best_first(knowledge.links_from.get(c, ()), "played_by")
            if links:
                # The cast line states the actor (and often the relation): it is quoted first.
                r.hops.extend(_hop(knowledge, k) for k in links[:3])
                r.evidence[:0] = [links[0].passage]
                r.evidence.extend(k.passage for k in links[1:3])
                r.targets = [links[0].object]
                r.reached.append(links[0].object)
                if asks_actor and r.answer_type == "other":
                    r.answer_type = "person"  # "x actor?": someone, whom the line names
    return no_part


def _field_evidence(r: _Resolution, knowledge: Knowledge, fields: tuple[str, ...],
                    someone: bool) -> bool:
    """The infobox line of the first field asked that the documents have, unless the graph
    already gave the evidence; whether it did."""
    by_field = False
    for f in fields:
        line = LEAD if f in LEAD_FIELDS else f
        if line not in knowledge.fields and not someone:
            # a role only the prose credits ("Jon's soundtrack"), asked of no one in particular
            # ("whose scores did the director want to emulate" is about the director)
            line = PROSE_FIELD.format(f)
        if line in knowledge.fields and not r.evidence:
            r.evidence.append(knowledge.fields[line])
            by_field = True
            if knowledge.entities:
                r.hops.extend(_hop(knowledge, k) for k in knowledge.links_from.get(0, ())
                              if k.relation == f"field:{f}")
    return by_field


def _evidence_by_form(r: _Resolution, knowledge: Knowledge, folded: str, words: list[str],
                      entities: list[int], spans: set[int], fields: tuple[str, ...]) -> None:
    """The passages a question's form points at: the lead for the film's year or setting, the
    links between two characters, the lines that say who someone is."""
    people = [e for e in entities if knowledge.entity(e).kind != "film"]
    if r.answer_type in ("year", "date") and LEAD in knowledge.fields and (
            "released" in fields or not people):
        r.evidence.append(knowledge.fields[LEAD])  # the lead gives the film's year
    if (r.answer_type == "place" and LEAD in knowledge.fields and not people
            and not [e for e in entities if knowledge.entity(e).kind != "film"]
            and SETTING.search(folded)):
        r.evidence.append(knowledge.fields[LEAD])  # "where is it set": the lead says where
    characters = [e for e in entities if knowledge.entity(e).kind == "character"]
    if not r.evidence and len(characters) == 2 and BETWEEN.search(folded):
        # "what's the relationship between ann and jon": the links that join them, either way
        a, b = characters
        joined = [k for k in (*knowledge.links_from.get(a, ()), *knowledge.links_from.get(b, ()))
                  if k.relation.startswith("rel:") and {k.subject, k.object} == {a, b}]
        r.hops.extend(_hop(knowledge, k) for k in joined)
        r.evidence.extend(dict.fromkeys(k.passage for k in sorted(joined, key=lambda k: k.rank)))
    if not r.evidence and entities and asks_identity(words, spans):
        # "who is x": the passages that say who someone is (cast line, relations).
        if r.answer_type == "name":
            r.answer_type = "person"  # "whats x's name in the cast list": x's line says who
        for e in entities:
            r.evidence.extend(k.passage for k in
                              _best_first(knowledge.links_from.get(e, ()), "played_by")[:1])
            r.evidence.extend(k.passage for k in knowledge.links_to.get(e, ())
                              if k.relation.startswith(("rel:", "field:")))


def _expansion(knowledge: Knowledge, entities: list[int], reached: list[int],
               mentions: list[tuple[int, str]], words: list[str],
               is_name: Callable[[str], bool]) -> list[str]:
    """Names to add to the lexical query: the other names of the characters named or reached."""
    expansion: list[str] = []
    named_text = " ".join(words)
    for e in [*entities, *reached]:
        ent = knowledge.entity(e)
        if ent.kind == "film" or (e in entities and ent.kind != "character"):
            said = [w for m, text in mentions if m == e for w in text.split()]
            if ent.kind != "film" and said and not any(map(is_name, said)):
                # initials the passages never write ("jfk"): search for the name itself
                expansion.append(ent.name)
            continue  # a crew name's other forms would pull in every infobox line
        expansion.extend(a for a in ent.aliases
                         if a not in expansion and fold(a) not in named_text)
    return expansion


def by_description(analysis: Analysis, knowledge: Knowledge, character: int,
                   passage: int) -> Analysis:
    """The analysis of "who plays <description>" once retrieval found the character the
    description fits: its actor links become the evidence, as if the character were named."""
    links = _best_first(knowledge.links_from.get(character, ()), "played_by")
    if not links:
        return analysis
    name = knowledge.entity(character).name
    hops = (Hop("(the description)", "fits", name, passage, 0, 0),
            *(_hop(knowledge, k) for k in links[:3]))
    return replace(analysis, targets=(links[0].object,), hops=hops,
                   evidence=tuple(dict.fromkeys(k.passage for k in links[:3])),
                   expansion=tuple(knowledge.entity(character).aliases),
                   notes=(*analysis.notes, f"the description fits {name}"), described=True)


def _best_first(links: tuple[Link, ...], relation: str) -> list[Link]:
    # Cast lines state it most explicitly, then the infobox, the article, the reviews.
    return sorted((k for k in links if k.relation == relation), key=lambda k: (k.rank, k.passage))


def _hop(knowledge: Knowledge, link: Link) -> Hop:
    rel = link.relation.removeprefix("rel:").replace("+", " ").replace("_", " ")
    return Hop(knowledge.entity(link.subject).name, rel, knowledge.entity(link.object).name,
               link.passage, link.start, link.end)
