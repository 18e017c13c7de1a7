"""How a question is phrased: the regular expressions and word tests `analyse` reads a
question with (who plays whom, a relation asked of someone or told in a clause, a review cited,
"who is x" and nothing more, no question at all, the infobox fields its words ask for),
before the graph is consulted, and the question's words that the analysis accounts for.

Cheap by construction: every test is a regular expression or a set look-up.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from retrieval.answer.types import AnswerType
from retrieval.knowledge.lexicon import (
    FIELD_TYPES,
    FIELD_WORDS,
    PRONOUNS,
    fields_named,
    relation_surface,
    relation_word,
)
from retrieval.text import STOPWORDS, one_edit

# "who plays X", "which actor", "X is played by": the question wants the actor of a character.
ASKS_ACTOR = re.compile(r"\b(?:who (?:plays?|played|portrays?|portrayed|is playing|acts?|"
                        r"acted)|(?:which|what) (?:actor|actress)|actor|actress|played by|"
                        r"portrayed by|plays|played|cast as)\b")
ASKS_ACTOR_STRICT = re.compile(r"\b(?:plays?|played|playing|portray\w*|actor|actress|cast as|"
                               r"acts?|acted)\b")
# "which character does X play", "who does X play": the character of an actor.
ASKS_ROLE = re.compile(r"\b(?:which|what) (?:character|role|part)\b(?! of\b)|\bwho (?:does|did) .+ "
                       r"play\b|\b(?:plays?|played|playing) (?:who|whom|which (?:character|role|part))\b"
                       r"|\bhis role\b|\bher role\b"
                       # "who's x playing", "who is x playing in it"
                       r"|^(?:so |and )?who(?:'s|s| is| was) .+ playing"
                       r"(?: in (?:it|this|the (?:film|movie)))?\W*$"
                       # "x's character name", "xs role?": the part a named actor plays
                       r"|\w'?s (?:character|role|part)(?: name| called)?\W*$")
# Field types a question's expected answer type can take.
_COMPATIBLE = {
    "person": {"person"}, "organisation": {"person", "other"}, "date": {"year", "date"},
    "duration": {"duration", "yesno"}, "amount": {"amount", "number"}, "place": {"place", "other"},
    "other": {"other", "name"},  # "the other name of it": the title, said in the lead
}
# Chat filler: words that carry no subject ("like runtime wise lol").
FILLER = frozenset("like lol wise u ur ya yeah ok okay pls please hey guys someone anyone "
                   "people ppl actually basically kinda sorta mean exactly listed else besides "
                   "other another anything something everything nothing ever even still "
                   "already always never maybe perhaps probably btw tho though im anyway "
                   "thing things stuff lot lots bit kind sort way since ago until according "
                   "review reviews reviewer reviewers critic critics say said think thought "
                   "happen happens happened wanna gonna gotta dude dudes take takes taking "
                   "name called irl acc".split())  # "acc to one review": according to
TYPE_WORDS = frozenset("year years decade date day month when long much many old time "
                       "minutes hours money cash worth price city town country place location "
                       "set colour color number whose whom".split())
# How two people are related: "the relationship between ann and jon", "how is ann related to jon"
BETWEEN = re.compile(r"\brelation(?:ship)? (?:between|of)\b|\brelated\b|\bconnection between\b"
                     # "what's ann to jon", "who is ann to jon": what one is to the other
                     r"|^(?:so |and )?(?:what|who)(?:'s|s| is| was) [\w' -]{1,30} to [\w' -]{1,30}\W*$"
                     r"|\bhow (?:do|does) \w+ know\b")
# A clause that says when or why, or what someone is told, not what is asked: relations inside
# it name no answer.
IN_CLAUSE = re.compile(r"\b(?:after|before|when|while|since|because|once|until|till) "
                       r"(?:he|she|they|it|we|you|i|[a-z]+)\b"
                       # what someone is told or finds out: "who tells x he's got a kid"
                       r"|\b(?:tells?|told|says?|said|informs?|reveals?|learns?|learned|realizes?|"
                       r"realises?|discovers?|finds out|found out)\b(?: \w+)? (?:that|he|she|they|"
                       r"hes|shes|he's|she's|he is|she is)\b")
# "the dad", "the old man": a family relation said of no one is the lead's (not "the friend",
# "the boss": the film has many of those).
THE_RELATIVE = re.compile(r"\bthe (?:dad|father|mom|mum|mother|old man|old lady|brother|"
                          r"sister|son|daughter|baby mama|baby momma)(?:'s|’s|s)?\b")
# "what kind of gun", "which type of car": a subtype of the thing is the answer.
KIND_OF = re.compile(r"\b(?:what|which|wat|whats|what's)(?: \w+)? (?:kind|type|sort|variety) of "
                     r"(?:a |an )?([a-z]{3,})\b")
# A question that asks what one of the reviews says: its field words ("some writer") describe,
# they do not ask for the infobox line.
CITES_REVIEW = re.compile(r"\b(?:a|one|some|that|this|another|the) (?:user |imdb )?(?:review|reviewer)"
                          r"\b|\b(?:according|acc) to (?:a |one |the )?(?:review|reviewer)s?\b"
                          r"|\b(?:someone|somebody|anyone|anybody) in the reviews\b"
                          r"|\bin (?:the|a|one) reviews?\b")
# Where a story takes place, not where something in it happens ("where is it set")
SETTING = re.compile(r"^where (?:is|was|does|did) (?:it|this|the (?:film|movie|story|sequel))"
                     r"(?: \w+)? (?:set|takes? place|happen|located)\b")
SOMEONE = frozenset("guy called woman man girl boy lady dude person chick bloke fella".split())
# "who plays the guy who bashed x": the subject is described, not the person named in it.
# "the guy who…", "the woman with…", "the guy ann gets the gun from" (a clause without its
# "who"): a description of someone, whose names are not who is asked for.
DESCRIBED = re.compile(r"\b(?:the|that|this) (?:guy|man|woman|girl|boy|person|one|dude|chick|"
                       r"lady|character|bloke|fella|kid) "
                       # "the guy playing red" names the actor of a part, no description
                       r"(?!(?:who |that )?(?:plays|played|playing|portrays|portrayed|portraying)\b)"
                       r"(?:who|that|with|from|in|(?!(?:lol|pls|"
                       r"please|btw|tho|though|again|exactly|then|here|there|is|was|in|of|"
                       r"and|or)\b)[a-z]+ \w)")


def chains_relations(folded: str) -> bool:
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


_IDENTITY_WORDS = frozenset("who whos is was are were the exactly again actually he she this "
                            "that character his her s really".split())
_DESCRIBING = frozenset("how what as in of does do did describe describes described description "
                        "cast list say says about".split())


_LISTED = frozenset("what whats is in on the cast list credits name names named his her s "
                    "their character given".split())


def asks_identity(words: list[str], spans: set[int]) -> bool:
    """"who is x", "whos x-y", "x?": nothing asked but who someone is."""
    rest = " ".join(w for i, w in enumerate(words) if i not in spans)
    rest = re.sub(r"\b(?:supposed|meant) to be\b", " ", rest)  # "who is x supposed to be"
    # "how is x described in the cast list", "describe x": the line that says who x is
    described = bool(re.search(r"\bdescri(?:be[sd]?|ption)\b", rest))
    # "whats x's name in the cast list": the line that lists x under the name it gives
    listed = bool(re.search(r"\bname[ds]?\b.*\b(?:cast|credits)\b", rest))
    return all(w in _IDENTITY_WORDS or (described and w in _DESCRIBING)
               or (listed and w in _LISTED) for w in rest.split())


_CODE = re.compile(r"[;={}<>|`$\\]|--|\*/|/\*")


def not_a_question(question: str, words: list[str], content: list[str],
                   is_name: Callable[[str], bool]) -> bool:
    """Two words or fewer that are not names ("hey", "true"), no word with a letter
    ("{{7*7}}"), or code ("'; DROP TABLE films; --")."""
    if len(_CODE.findall(question)) >= 2 or not any(c.isalpha() for w in content for c in w):
        return True
    named = [w for w in content if any(c.isalpha() for c in w)]
    return len(words) <= 2 and not (named and all(is_name(w) for w in named))


def fields_asked(folded: str, content: list[str], titled: set[str], answer_type: AnswerType, *,
                 someone: bool) -> tuple[str, ...]:
    """The infobox fields the question asks for, of those its answer type can take; `titled`
    holds the words naming the film, `someone` whether it names anyone (then strong words only)."""
    asked = [w for w in content if w not in titled]
    spelled = _field_spelling(folded)  # "languge" asks for the language
    strong = fields_named(spelled, strong_only=True)
    return tuple(f for f in fields_named(spelled, strong_only=someone)
                 if answer_type in _COMPATIBLE.get(FIELD_TYPES.get(f, "other"), set())
                 or (answer_type == "other" and f in strong
                     and len(content if FIELD_TYPES.get(f) == "person" else asked) <= 4
                     # "how did they pick the music" asks how, not who composed it
                     and not re.match(r"(?:how|why)\b", folded.strip())))


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


def possessive_relation(words: list[str], spans: set[int]) -> bool:
    """Whether a relation is asked *of* someone ("x's mother", "the mother of x", "his son"),
    not just used to describe a named person ("the kid sam")."""
    for j, w in enumerate(words):
        if not relation_word(w):
            continue
        after = words[j + 2:j + 4]
        if (j - 1 in spans or (j - 2 in spans and words[j - 1] not in ("the", "a", "an"))
                # "x's little half brother": two words of description between
                or (j - 3 in spans and all(words[i] not in STOPWORDS and not relation_word(words[i])
                                           for i in (j - 2, j - 1)))
                or (j > 0 and words[j - 1] in PRONOUNS)
                # "the mother of x", "the mother of his kid"; not "x, the mom of the baby"
                or words[j + 1:j + 2] == ["of"] and (j + 2 in spans or j + 3 in spans
                                                     or bool(set(after) & PRONOUNS))):
            return True
    return False


def consumed_words(folded: str, words: list[str], fields: tuple[str, ...], *,
                   unresolved: bool, person: bool) -> set[str]:
    """The question's words the analysis itself accounts for (no quote need say them)."""
    consumed = set(FILLER) | set(TYPE_WORDS)
    if not unresolved:  # an unresolved relation's words must then stand in the quote itself
        consumed |= relation_surface(folded)
    consumed |= {w for f in fields for phrase in FIELD_WORDS[f] for w in phrase.split()}
    if person:
        # "who is the woman jon was sent to find": the answer is a woman; no quote need say so
        consumed |= {w for w in words if ASKS_ACTOR_STRICT.fullmatch(w)} | SOMEONE
    return consumed
