"""Question analysis: the answer type, the infobox field, the people named and the relation
asked, resolved through the knowledge graph in as many hops as the documents need.

Cheap by construction (regular expressions and dictionary look-ups): it runs on every ask.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from retrieval.answer.relatives import described_by, follow_chain, follow_relation, kin_said
from retrieval.answer.reviewers import asks_who_wrote
from retrieval.answer.types import ASKS_LIFE, AnswerType, expected_type, says_its_type
from retrieval.knowledge.graph import (
    LEAD,
    PLOT_END,
    PLOT_START,
    PROSE_FIELD,
    Knowledge,
    Link,
)
from retrieval.knowledge.lexicon import (
    FIELD_TYPES,
    FIELD_WORDS,
    LEAD_ACTOR_WORDS,
    LEAD_FIELDS,
    LEAD_ROLE_WORDS,
    PRONOUNS,
    crew_role,
    fields_named,
    relation_groups,
    relation_surface,
    relation_tokens,
    relation_word,
)
from retrieval.text import STOPWORDS, fold, one_edit, stem

# "who plays X", "which actor", "X is played by": the question wants the actor of a character.
_ASKS_ACTOR = re.compile(r"\b(?:who (?:plays?|played|portrays?|portrayed|is playing|acts?|"
                         r"acted)|(?:which|what) (?:actor|actress)|actor|actress|played by|"
                         r"portrayed by|plays|played|cast as)\b")
_ASKS_ACTOR_STRICT = re.compile(r"\b(?:plays?|played|playing|portray\w*|actor|actress|cast as|"
                                r"acts?|acted)\b")
# "which character does X play", "who does X play": the character of an actor.
_ASKS_ROLE = re.compile(r"\b(?:which|what) (?:character|role|part)\b(?! of\b)|\bwho (?:does|did) .+ "
                        r"play\b|\b(?:plays?|played|playing) (?:who|whom|which (?:character|role|part))\b"
                        r"|\bhis role\b|\bher role\b"
                        # "x's character name", "xs role?": the part a named actor plays
                        r"|\w'?s (?:character|role|part)(?: name| called)?\W*$")
# Field types a question's expected answer type can take.
_COMPATIBLE = {
    "person": {"person"}, "organisation": {"person", "other"}, "date": {"year", "date"},
    "duration": {"duration"}, "amount": {"amount", "number"}, "place": {"place", "other"},
    "other": {"other", "name"},  # "the other name of it": the title, said in the lead
}
# Chat filler: words that carry no subject ("like runtime wise lol").
_FILLER = frozenset("like lol wise u ur ya yeah ok okay pls please hey guys someone anyone "
                    "people ppl actually basically kinda sorta mean exactly listed else besides "
                    "other another anything something everything nothing ever even still "
                    "already always never maybe perhaps probably btw tho though im anyway "
                    "thing things stuff lot lots bit kind sort way since ago until according "
                    "review reviews reviewer reviewers critic critics say said think thought "
                    "happen happens happened wanna gonna gotta dude dudes take takes taking "
                    "name called".split())
_TYPE_WORDS = frozenset("year years decade date day month when long much many old time "
                        "minutes hours money cash worth price city town country place location "
                        "set colour color number whose whom".split())


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


def analyse(question: str, knowledge: Knowledge, is_name: Callable[[str], bool],
            is_word: Callable[[str], bool] | None = None) -> Analysis:
    """Analyse one question; `is_name(word)` says whether the corpus writes a word as a name,
    `is_word(word)` whether it is an everyday English word (then no misspelt name)."""
    folded = fold(question)
    words = re.findall(r"[a-z0-9]+", folded.replace("'s ", " ").replace("’s ", " "))
    content = [w for w in words if w not in STOPWORDS]
    answer_type = expected_type(folded)
    relation = relation_tokens(folded)
    asks_actor = bool(_ASKS_ACTOR_STRICT.search(folded))
    entities, spans, mentions = _find_entities(question, words, knowledge, is_name,
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
    asked = [w for w in content if w not in titled]
    spelled = _field_spelling(folded)  # "languge" asks for the language
    strong = fields_named(spelled, strong_only=True)
    fields = tuple(f for f in fields_named(spelled, strong_only=someone)
                   if answer_type in _COMPATIBLE.get(FIELD_TYPES.get(f, "other"), set())
                   or (answer_type == "other" and f in strong
                       and len(content if FIELD_TYPES.get(f) == "person" else asked) <= 4
                       # "how did they pick the music" asks how, not who composed it
                       and not re.match(r"(?:how|why)\b", folded.strip())))
    who_wrote = asks_who_wrote(folded)
    cites_review = who_wrote or bool(_CITES_REVIEW.search(folded))
    if who_wrote:
        answer_type = "reviewer"  # the quote need hold no name: the review's record has it
    if cites_review:
        fields = ()  # "a review said it is dedicated to some writer": no infobox line says
    typed_by_words = answer_type != "other"
    if fields and answer_type == "other":
        # Only a field's own word sets the type: "what camera" is no question about a person.
        answer_type = {"date": "date", "duration": "duration", "amount": "amount",
                       "person": "person"}.get(FIELD_TYPES.get(fields[0], ""), "other")
    hops: list[Hop] = []
    evidence: list[int] = []
    targets = list(entities)
    notes: list[str] = []
    reached: list[int] = []  # entities found only through the graph

    unresolved = False
    in_clause = False  # every relation word inside a clause of when or of what is told
    if relation:
        owners = [e for e in entities if knowledge.entity(e).kind == "character"]
        if not owners and knowledge.protagonist is not None and PRONOUNS & set(words):
            owners = [knowledge.protagonist]  # "the mother of his kid": the lead's
            notes.append(f"taking the pronoun as {knowledge.entity(owners[0]).name}")
        elif (not owners and knowledge.protagonist is not None and _THE_RELATIVE.search(folded)
              and _chained(folded)):
            # "the dad's ex-wife", the dad said of no one: the lead's dad (a relation of
            # its own, "who does the dad actor look like", may be anyone's: the passages say)
            owners = [knowledge.protagonist]
            notes.append(f"taking the relation as {knowledge.entity(owners[0]).name}'s")
        # "x's father's ex-wife" chains relations; "his friend who gets married" does not.
        chain = follow_chain(knowledge, owners, relation, relation_groups(folded),
                              chained=_chained(folded))
        kin = kin_said(relation, relation_groups(folded))
        if chain and kin and not follow_relation(knowledge, owners, relation):
            # "x's uncle" read as x's father's brother: the links the graph followed are
            # the relation the quotes state ("the Dukes brother")
            relation = kin
        # "who is x's dad" and "x's dad?" ask for the person; "does x kill his dad" asks
        # about an event, where the relation only says whom to search for.
        surface = relation_surface(folded)
        # "who does x find after he kills his dad": the dad is when, not who
        in_clause = bool(_IN_CLAUSE.search(folded)) and all(
            _IN_CLAUSE.search(folded[:m.start()]) for m in re.finditer(r"[a-z]+", folded)
            if m.group(0) in surface)
        asks_person = (answer_type in ("person", "name") or asks_actor or _asks_identity(
            words, spans | {i for i, w in enumerate(words) if w in surface})) and not in_clause
        if chain:
            for step in chain:
                for link in step:
                    hops.append(_hop(knowledge, link))
            last = chain[-1]
            if asks_person:
                evidence.extend(link.passage for link in last)
                if answer_type == "other":
                    answer_type = "person"  # "tonys best mate": the mate is someone
            targets = list(dict.fromkeys(link.object for link in last))
            reached.extend(targets)
        elif len(owners) == 1 and _possessive_relation(words, spans):
            unresolved = True
            if asks_person and answer_type == "other":
                answer_type = "person"  # "x's grandfather?": someone, whom no line names
            targets = [e for e in targets if e not in owners]  # not the owner's own actor
            notes.append("the documents state no such relation")
        elif len(owners) == 1 and described_by(knowledge, owners[0], relation):
            # "ann, the mom of the baby": the relation says who the named one is (she
            # is someone's mother of a child), not whom to look for next.
            notes.append("reading the relation as a description of "
                         f"{knowledge.entity(owners[0]).name}")
    no_part = ""
    if _ASKS_ROLE.search(folded):
        for e in entities:
            links = _best_first(knowledge.links_to.get(e, ()), "played_by")
            if knowledge.entity(e).kind == "person" and links:
                hops.extend(_hop(knowledge, k) for k in links[:3])
                evidence.extend(k.passage for k in links[:3])
                targets = [links[0].subject]
                reached.append(links[0].subject)
                if answer_type == "other":
                    answer_type = "person"  # "what role does x play": the part, a character
        askees = [e for e in entities if knowledge.entity(e).kind != "film"]
        if (askees and not reached
                and all(knowledge.entity(e).kind == "person" for e in askees)):
            # "who does x play", of someone credited with no part (a name in the cast list
            # with no character, or crew): no passage says, whatever mentions x
            no_part = knowledge.entity(askees[0]).name
    elif answer_type in ("person", "other") and not _DESCRIBED.search(folded) and (asks_actor or (
            answer_type == "person" and not relation and bool(_ASKS_ACTOR.search(folded)))):
        for c in [t for t in targets if knowledge.entity(t).kind == "character"]:
            links = _best_first(knowledge.links_from.get(c, ()), "played_by")
            if links:
                # The cast line states the actor (and often the relation): it is quoted first.
                hops.extend(_hop(knowledge, k) for k in links[:3])
                evidence[:0] = [links[0].passage]
                evidence.extend(k.passage for k in links[1:3])
                targets = [links[0].object]
                reached.append(links[0].object)
                if asks_actor and answer_type == "other":
                    answer_type = "person"  # "x actor?": someone, whom the line names
    by_field = False
    for f in fields:
        line = LEAD if f in LEAD_FIELDS else f
        if line not in knowledge.fields and not someone:
            # a role only the prose credits ("Jon's soundtrack"), asked of no one in particular
            # ("whose scores did the director want to emulate" is about the director)
            line = PROSE_FIELD.format(f)
        if line in knowledge.fields and not evidence:
            evidence.append(knowledge.fields[line])
            by_field = True
            if knowledge.entities:
                hops.extend(_hop(knowledge, k) for k in knowledge.links_from.get(0, ())
                            if k.relation == f"field:{f}")
    people = [e for e in entities if knowledge.entity(e).kind != "film"]
    if answer_type in ("year", "date") and LEAD in knowledge.fields and (
            "released" in fields or not people):
        evidence.append(knowledge.fields[LEAD])  # the lead gives the film's year
    if (answer_type == "place" and LEAD in knowledge.fields and not people
            and not [e for e in entities if knowledge.entity(e).kind != "film"]
            and _SETTING.search(folded)):
        evidence.append(knowledge.fields[LEAD])  # "where is it set": the lead says where
    characters = [e for e in entities if knowledge.entity(e).kind == "character"]
    if not evidence and len(characters) == 2 and _BETWEEN.search(folded):
        # "what's the relationship between ann and jon": the links that join them, either way
        a, b = characters
        joined = [k for k in (*knowledge.links_from.get(a, ()), *knowledge.links_from.get(b, ()))
                  if k.relation.startswith("rel:") and {k.subject, k.object} == {a, b}]
        hops.extend(_hop(knowledge, k) for k in joined)
        evidence.extend(dict.fromkeys(k.passage for k in sorted(joined, key=lambda k: k.rank)))
    if not evidence and entities and _asks_identity(words, spans):
        # "who is x": the passages that say who someone is (cast line, relations).
        for e in entities:
            evidence.extend(k.passage for k in
                            _best_first(knowledge.links_from.get(e, ()), "played_by")[:1])
            evidence.extend(k.passage for k in knowledge.links_to.get(e, ())
                            if k.relation.startswith(("rel:", "field:")))
    position = _position(folded, knowledge)
    said_where = {w for m in (*_START.finditer(folded), *_END.finditer(folded))
                  for w in m.group(0).split()}  # "the last shot": all of it says where
    rest = [w for w in content if w not in said_where
            and w not in _FILLER and w not in ("happen", "happens", "does", "film", "movie")]
    film_words = {w for e, text in mentions if knowledge.entity(e).kind == "film"
                  for w in text.split()}
    if position is not None and not [w for w in rest if w not in film_words]:
        evidence.append(position)  # "how does it start?": the plot's first passage says
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
    consumed = set(_FILLER) | set(_TYPE_WORDS)
    if not unresolved:  # an unresolved relation's words must then stand in the quote itself
        consumed |= relation_surface(folded)
    consumed |= {w for f in fields for phrase in FIELD_WORDS[f] for w in phrase.split()}
    if asks_actor or answer_type == "person":
        # "who is the woman jon was sent to find": the answer is a woman; no quote need say so
        consumed |= {w for w in words if _ASKS_ACTOR_STRICT.fullmatch(w)} | _SOMEONE
    return Analysis(
        # a relation inside a clause is no relation asked ("who tells x he has a kid")
        answer_type=answer_type, fields=fields, relation=() if in_clause else relation,
        entities=tuple(entities),
        targets=tuple(dict.fromkeys(targets)), hops=tuple(hops),
        evidence=tuple(dict.fromkeys(evidence)), expansion=tuple(expansion),
        # "what year", "how long": short, but asking the film's year or length in so many words
        terse=_not_a_question(question, words, content, is_name) and not says_its_type(folded),
        notes=tuple(notes), mentions=tuple(mentions), consumed=frozenset(consumed),
        by_field=by_field, position=position, unresolved=unresolved, no_part=no_part,
        wants_actor=asks_actor and answer_type in ("person", "other"),
        typed_by_words=typed_by_words,
        kind_of=next(iter(_KIND_OF.findall(folded)), ""),
        cites_review=cites_review,
        who_wrote=who_wrote,
        role=crew_role(folded),
        clause=bool(_DESCRIBED.search(folded)),
    )


# How two people are related: "the relationship between ann and jon", "how is ann related to jon"
_BETWEEN = re.compile(r"\brelation(?:ship)? (?:between|of)\b|\brelated\b|\bconnection between\b"
                      r"|\bhow (?:do|does) \w+ know\b")
# A clause that says when or why, or what someone is told, not what is asked: relations inside
# it name no answer.
_IN_CLAUSE = re.compile(r"\b(?:after|before|when|while|since|because|once|until|till) "
                        r"(?:he|she|they|it|we|you|i|[a-z]+)\b"
                        # what someone is told or finds out: "who tells x he's got a kid"
                        r"|\b(?:tells?|told|says?|said|informs?|reveals?|learns?|learned|realizes?|"
                        r"realises?|discovers?|finds out|found out)\b(?: \w+)? (?:that|he|she|they|"
                        r"hes|shes|he's|she's|he is|she is)\b")
# "the dad", "the old man": a family relation said of no one is the lead's (not "the friend",
# "the boss": the film has many of those).
_THE_RELATIVE = re.compile(r"\bthe (?:dad|father|mom|mum|mother|old man|old lady|brother|"
                           r"sister|son|daughter|baby mama|baby momma)(?:'s|’s|s)?\b")
# "what kind of gun", "which type of car": a subtype of the thing is the answer.
_KIND_OF = re.compile(r"\b(?:what|which|wat|whats|what's)(?: \w+)? (?:kind|type|sort|variety) of "
                      r"(?:a |an )?([a-z]{3,})\b")
# A question that asks what one of the reviews says: its field words ("some writer") describe,
# they do not ask for the infobox line.
_CITES_REVIEW = re.compile(r"\b(?:a|one|some|that|this|another|the) (?:user |imdb )?(?:review|reviewer)"
                           r"\b|\baccording to (?:a |one |the )?(?:review|reviewer)s?\b"
                           r"|\b(?:someone|somebody|anyone|anybody) in the reviews\b"
                           r"|\bin (?:the|a|one) reviews?\b")
# Where a story takes place, not where something in it happens ("where is it set")
_SETTING = re.compile(r"^where (?:is|was|does|did) (?:it|this|the (?:film|movie|story|sequel))"
                      r"(?: \w+)? (?:set|takes? place|happen|located)\b")
_SHOT = r"(?:scene|scenes|shot|shots|image|images|frame|frames|line|lines|moment|moments|minutes)"
_START = re.compile(rf"\b(?:start|starts|begin|begins|beginning|opens|opening|first {_SHOT})\b")
_END = re.compile(rf"\b(?:end|ends|ending|finale|climax|(?:last|final|closing) {_SHOT})\b")
# The stems of the words that say where in the film ("at the start"), not what is asked.
POSITION_STEMS = frozenset(stem(w) for w in "start starts begin begins beginning opens opening "
                           "end ends ending finale climax".split())


def position_edge(folded: str) -> int | None:
    """Which sentence of the plot's edge passage a question points at: 0 for "at the start",
    -1 for "at the end", None for neither (the same order of tests as `_position`)."""
    return -1 if _END.search(folded) else 0 if _START.search(folded) else None


def _position(folded: str, knowledge: Knowledge) -> int | None:
    """The plot's first passage for "how does it start", its last for "how does it end"."""
    if _END.search(folded):
        return knowledge.fields.get(PLOT_END)
    if _START.search(folded):
        return knowledge.fields.get(PLOT_START)
    return None




def _chained(folded: str) -> bool:
    """A relation's relation: "fathers ex-wife", "father's wife", "the wife of his father"."""
    tokens = re.findall(r"[a-z][a-z'’-]*", folded)
    for i, w in enumerate(tokens):
        base = re.sub(r"(?:'s|’s)$", "", w).removeprefix("ex-")
        possessive = base != w or (w.endswith("s") and relation_word(w[:-1]) is not None)
        after = tokens[i + 1:i + 3]
        if relation_word(base) and possessive and any(relation_word(a.removeprefix("ex-"))
                                                      for a in after):
            return True
        if relation_word(base) and after[:1] == ["of"] and any(
                relation_word(a) for a in tokens[i + 2:i + 5]):
            return True
        # "the dad used to be married to": whom the relative was married to ("his friend
        # who gets married" asks for the friend)
        if relation_word(base) and re.match(r"(?:\w+ ){0,4}?(?:married to|divorced from)\b",
                                            " ".join(tokens[i + 1:i + 8])):
            return True
    return False


_SOMEONE = frozenset("guy called woman man girl boy lady dude person chick bloke fella".split())
# "who plays the guy who bashed x": the subject is described, not the person named in it.
# "the guy who…", "the woman with…", "the guy ann gets the gun from" (a clause without its
# "who"): a description of someone, whose names are not who is asked for.
_DESCRIBED = re.compile(r"\b(?:the|that|this) (?:guy|man|woman|girl|boy|person|one|dude|chick|"
                        r"lady|character|bloke|fella|kid) (?:who|that|with|from|in|(?!(?:lol|pls|"
                        r"please|btw|tho|though|again|exactly|then|here|there|is|was|in|of|"
                        r"and|or)\b)[a-z]+ \w)")
_IDENTITY_WORDS = frozenset("who whos is was are were the exactly again actually he she this "
                            "that character his her s really".split())


_DESCRIBING = frozenset("how what as in of does do did describe describes described description "
                        "cast list say says about".split())


def _asks_identity(words: list[str], spans: set[int]) -> bool:
    """"who is x", "whos x-y", "x?": nothing asked but who someone is."""
    rest = " ".join(w for i, w in enumerate(words) if i not in spans)
    rest = re.sub(r"\b(?:supposed|meant) to be\b", " ", rest)  # "who is x supposed to be"
    # "how is x described in the cast list", "describe x": the line that says who x is
    described = bool(re.search(r"\bdescri(?:be[sd]?|ption)\b", rest))
    return all(w in _IDENTITY_WORDS or (described and w in _DESCRIBING) for w in rest.split())


def _find_entities(question: str, words: list[str], knowledge: Knowledge,
                   is_name: Callable[[str], bool], *, lenient: bool = False,
                   is_word: Callable[[str], bool] | None = None
                   ) -> tuple[list[int], set[int], list[tuple[int, str]]]:
    """Entities named in the question (longest names first, near-miss spellings too), and the
    word positions they cover."""
    found: list[int] = []
    used: set[int] = set()
    mentions: list[tuple[int, str]] = []
    aliases = knowledge.by_alias
    capitalised = {fold(w) for w in re.findall(r"\b[A-ZÀ-ÖØ-Þ][\w’'-]*", question)}
    for n in (4, 3, 2, 1):
        for i in range(len(words) - n + 1):
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


def _lead(key: str, knowledge: Knowledge) -> tuple[int, ...]:
    """"the main character": the cast list's first character; "the lead actor": its actor."""
    lead = knowledge.protagonist
    if lead is None:
        return ()
    if key in LEAD_ROLE_WORDS:
        return (lead,)
    if key in LEAD_ACTOR_WORDS:
        return tuple(k.object for k in knowledge.links_from.get(lead, ())
                     if k.relation == "played_by")
    return ()


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


_CODE = re.compile(r"[;={}<>|`$\\]|--|\*/|/\*")


def _not_a_question(question: str, words: list[str], content: list[str],
                    is_name: Callable[[str], bool]) -> bool:
    """Two words or fewer that are not names ("hey", "true"), no word with a letter
    ("{{7*7}}"), or code ("'; DROP TABLE films; --")."""
    if len(_CODE.findall(question)) >= 2 or not any(c.isalpha() for w in content for c in w):
        return True
    named = [w for w in content if any(c.isalpha() for c in w)]
    return len(words) <= 2 and not (named and all(is_name(w) for w in named))


def _field_spelling(folded: str) -> str:
    """The question with words one letter away from a field word (7+ letters) corrected."""
    out = []
    for w in folded.split(" "):
        core = w.strip("?.,!")
        if len(core) >= 7 and core not in _FIELD_SINGLE:
            fix = next((f for f in _FIELD_SINGLE if f[0] == core[0] and one_edit(core, f)), None)
            if fix:
                w = w.replace(core, fix)
        out.append(w)
    return " ".join(out)


_FIELD_SINGLE = sorted({w for ws in FIELD_WORDS.values() for w in ws
                        if " " not in w and len(w) >= 7})


def _possessive_relation(words: list[str], spans: set[int]) -> bool:
    """Whether a relation is asked *of* someone ("x's mother", "the mother of x", "his son"),
    not just used to describe a named person ("the kid sam")."""
    for j, w in enumerate(words):
        if not relation_word(w):
            continue
        after = words[j + 2:j + 4]
        if (j - 1 in spans or (j - 2 in spans and words[j - 1] not in ("the", "a", "an"))
                or (j > 0 and words[j - 1] in PRONOUNS)
                # "the mother of x", "the mother of his kid"; not "x, the mom of the baby"
                or words[j + 1:j + 2] == ["of"] and (j + 2 in spans or j + 3 in spans
                                                     or bool(set(after) & PRONOUNS))):
            return True
    return False


def _written_as_alias(question: str, ids: tuple[int, ...], knowledge: Knowledge) -> bool:
    """A one-letter name counts only as the documents write it (a capital "Ø", not "o"), or
    in lowercase when the letter is no English word ("ø", not "a")."""
    return any(len(a) == 1 and re.search(rf"(?<!\w){re.escape(a)}", question,
                                         0 if a.isascii() else re.IGNORECASE)
               for e in ids for a in knowledge.entity(e).aliases)


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


def _best_first(links: tuple[Link, ...], relation: str) -> list[Link]:
    # Cast lines state it most explicitly, then the infobox, the article, the reviews.
    return sorted((k for k in links if k.relation == relation), key=lambda k: (k.rank, k.passage))


def _hop(knowledge: Knowledge, link: Link) -> Hop:
    rel = link.relation.removeprefix("rel:").replace("+", " ").replace("_", " ")
    return Hop(knowledge.entity(link.subject).name, rel, knowledge.entity(link.object).name,
               link.passage, link.start, link.end)
