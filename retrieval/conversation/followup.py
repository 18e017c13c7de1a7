"""Follow-up questions without a language model: a pronoun, an ellipsis ("and X?", "what
about the ending?"), "why?" or "more", read against the conversation's last turn.

Rules, generic by construction (English grammar words, the knowledge graph's names, and the
gender evidence of `gender.py`):
- A subject or possessive pronoun ("he", "his") keeps its own meaning when the question names
  someone it could mean; an object pronoun ("him") never means the question's own subject
  ("does X kill him"). Otherwise it is the most salient entity of the last turns whose gender
  fits: the person a relation led to first ("who is X's dad?" → the dad), then whom the
  question named, then whom the answer named.
- "and X?" / "what about X?" asks the last question again about X: X takes the place of the
  entity the last question named, or of the infobox field it asked for; a topic with no such
  place is added to the last question.
- "why?" asks why about what the last answer said; "more" asks for the passages not shown yet.
- "it" and "the film" are the film, as in any question. A question with nothing to resolve
  is never rewritten.
Pronouns are read in pronouns.py; the other kinds of follow-up, and the turn record, here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from retrieval.answer.analyse import Analysis, analyse
from retrieval.conversation.context import MAX_FOCUS, Resolution, Turn
from retrieval.conversation.names import named_entities, spoken_name
from retrieval.conversation.pronouns import Pronouns, owns_thing
from retrieval.knowledge.graph import Knowledge, alias_keys
from retrieval.knowledge.lexicon import FIELD_WORDS, fields_named
from retrieval.text import fold

_MORE = re.compile(r"^(?:(?:and |ok |okay |so )?(?:more|tell me more|more please|go on|continue|"
                   r"keep going|anything else|what else|and|and\?+|say more)[\s.!?]*)$")
_WHY = re.compile(r"^(?:and |but |so |ok |okay )?(?:why|how come|why so|for what reason|"
                  r"why is that|why's that|whys that|why did (?:he|she|they|it) do (?:that|it)|"
                  r"why would (?:he|she|they) do (?:that|it))[\s.!?]*$")
_ELLIPSIS = re.compile(r"^(?:(?:and|but|also|so|ok|okay)[, ]+)?(?:(?:what|how) about|what of|"
                       r"and|also|same for|same with)\s+(?P<x>.+?)[\s.!?]*$")
# A phrase that opens a question of its own: "and who's the boss's ex wife?" stands alone.
_OPENS_QUESTION = re.compile(r"^(?:who|whos|who's|what|whats|what's|when|where|which|why|how|"
                             r"is|was|are|were|does|did|do|can|could|has|have|had|will|would|"
                             r"should|tell|give|show|list|name)\b")
_START_WORDS = re.compile(r"\b(?:start|starts|beginning|begin|begins|opening|opens)\b")
_END_WORDS = re.compile(r"\b(?:end|ends|ending|finale|climax|last scene|final scene)\b")
_LEADING_WH = re.compile(r"^(?:what|who|whom|whose|which|how|when|where|why)(?:'s|’s|s)?\b\s*",
                         re.IGNORECASE)
_PREPOSITIONS = frozenset("of about with on for to by from in at".split())
MAX_ELLIPSIS_WORDS = 5


@dataclass(frozen=True, slots=True)
class _Reading:
    """What a turn needs of a question's analysis."""

    answer_type: str
    mentions: tuple[tuple[int, str], ...]
    entities: tuple[int, ...]
    targets: tuple[int, ...]


class Resolver:
    """Reads follow-ups against a conversation's last turn; one per engine (it is stateless)."""

    def __init__(self, knowledge: Knowledge, is_name: Callable[[str], bool],
                 genders: dict[int, str],
                 passage_text: Callable[[int], str | None] = lambda _pid: None,
                 part_phrases: Callable[[str], list[str]] = lambda _q: []) -> None:
        self.knowledge = knowledge
        self.part_phrases = part_phrases  # another part of the series, as a question names it
        self.passage_text = passage_text  # a shown passage's text, by id
        self.common_names: dict[int, str] = {}  # set by `learn_names`
        self.is_name = is_name
        self.genders = genders
        self._ids: dict[str, int] = {}  # entity name → id, as `Answer.analysis` names them
        for e in knowledge.entities:
            self._ids.setdefault(e.name, e.id)
        self._pronouns = Pronouns(knowledge, genders, self.analyse, self.written_name,
                                  passage_text, part_phrases)

    def resolve(self, question: str, previous: Turn | None) -> Resolution:
        """The question as the engine should read it, given the last turn (None: a new talk)."""
        if previous is None or not self.knowledge.entities:
            return Resolution(question)
        folded = " ".join(fold(question).split())
        if _MORE.match(folded):
            return Resolution(previous.resolved, True, "(more passages for the last question)",
                              more=True)
        if _WHY.match(folded):
            return self._why(previous)
        ellipsis = _ELLIPSIS.match(folded)
        if ellipsis and not _OPENS_QUESTION.match(ellipsis["x"]) and len(
                ellipsis["x"].split()) <= MAX_ELLIPSIS_WORDS:
            tail = question.strip().rstrip("?.! ")
            x = tail[len(tail) - len(ellipsis["x"]):] if len(tail) >= len(ellipsis["x"]) else \
                ellipsis["x"]
            return self._ellipsis(x, previous)
        return self._pronouns.resolve(question, previous)

    def learn_names(self, texts: list[str]) -> None:
        """Count how often the documents write each name of each character (index-time
        evidence, read once): a rewritten question uses the most written one."""
        k = self.knowledge
        folded = "\n".join(fold(t) for t in texts)
        for e in k.entities:
            if e.kind != "character" or len(e.aliases) < 2:
                continue
            counts = {}
            for alias in e.aliases:
                keys = alias_keys(alias)
                if not keys or any(k.by_alias.get(key) != (e.id,) for key in keys):
                    continue  # a name shared with someone else would be ambiguous
                words = r"\s+".join(map(re.escape, keys[-1].split()))
                counts[alias] = len(re.findall(rf"\b{words}", folded))
            if counts:
                # Ties (the same words with and without "the") go to the article: "the Boss".
                best = max(counts, key=lambda a: (counts[a], fold(a).startswith("the "),
                                                  a == e.name))
                if counts[best] > counts.get(e.name, 0):
                    self.common_names[e.id] = best

    def turn(self, question: str, resolution: Resolution, previous: Turn | None,
             top_quote: str | None, shown: tuple[int, ...], answered: bool,
             explained: Mapping[str, Any] | None = None) -> Turn:
        """The record the next question is read against; `explained` is the engine's
        `Answer.analysis` of it (read again from the question when missing)."""
        read = self._reading(resolution.question, explained)
        k = self.knowledge
        named = [(e, words) for e, words in read.mentions if k.entity(e).kind != "film"]
        reached = [t for t in read.targets if t not in read.entities
                   and k.entity(t).kind != "film"]
        # Whom a relation led to is what a "who" question was about ("who is X's dad?": the
        # dad); otherwise who was named is ("what did X do to his dad": X). An actor looked
        # up for a named role comes after the role itself.
        focus: list[int] = []
        if read.answer_type in ("person", "name"):
            focus += [t for t in reached if k.entity(t).kind == "character"]
        # Who is named only as the owner of a thing ("what happens at X's wedding") is not
        # what the question is about: whom the answer names comes first.
        owners = {e for e, words in named if owns_thing(resolution.question, words)}
        focus += [e for e, _ in named if k.entity(e).kind == "character" and e not in owners]
        focus += [t for t in reached if k.entity(t).kind == "character"]
        focus += [*resolution.entities, *reached, *(e for e, _ in named if e not in owners)]
        if top_quote and answered:
            quoted = [e for e in named_entities(top_quote, k) if k.entity(e).kind != "film"]
            focus += sorted(quoted, key=lambda e: k.entity(e).kind != "character")
        focus += owners
        if previous is not None:
            focus += previous.focus  # older entities stay in mind, after the new ones
        if resolution.more and previous is not None:
            shown = (*previous.shown, *shown)
        folded = fold(resolution.question)
        aspect = ("end" if _END_WORDS.search(folded)
                  else "start" if _START_WORDS.search(folded) else None)
        parts = self.part_phrases(folded)
        return Turn(question=question, resolved=resolution.question,
                    focus=tuple(dict.fromkeys(focus))[:MAX_FOCUS], named=tuple(named),
                    answer_type=read.answer_type, aspect=aspect, shown=shown,
                    answered=answered, quote=top_quote if answered else None,
                    part=parts[0] if len(parts) == 1 else None)

    def analyse(self, question: str) -> Analysis:
        """The engine's own question analysis (cheap: regular expressions and look-ups)."""
        return analyse(question, self.knowledge, self.is_name)

    def written_name(self, entity: int) -> str:
        """The name the documents write an entity by most often (the plot's "the Boss" over
        the cast list's formal name), among those that name it alone."""
        return self.common_names.get(entity) or self.knowledge.entity(entity).name

    def _reading(self, question: str, explained: Mapping[str, Any] | None) -> _Reading:
        """Who a question named and reached, from the engine's explained analysis when there
        is one (no second analysis), else by analysing it."""
        ids = self._ids
        try:
            if explained is not None:
                return _Reading(
                    str(explained["type"]),
                    tuple((ids[n["entity"]], str(n["words"])) for n in explained["named"]),
                    tuple(ids[name] for name in explained["entities"]),
                    tuple(ids[name] for name in explained["resolved"]))
        except (KeyError, TypeError):
            pass  # another engine's analysis: read the question again
        a = self.analyse(question)
        return _Reading(a.answer_type, a.mentions, a.entities, a.targets)

    # -- the kinds of follow-up -------------------------------------------------------------

    def _why(self, previous: Turn) -> Resolution:
        # The reason for what the answer said sits in or beside the sentence that said it.
        body = previous.resolved.strip().rstrip("?.! ")
        asked = f"why {_LEADING_WH.sub('', body)}"
        if previous.quote and previous.answer_type != "opinion":
            # (after a stance the quote is one voice among many, no fact to explain: "why is
            # it good" asks the reviews again, their reasons in their quotes)
            asked = f"{asked}: {previous.quote}"
        asked = asked[:MAX_RESOLVED_CHARS]
        # The note names the user's own question, never the quote: a plot quote is a spoiler.
        return Resolution(asked, True,
                          f"(taking *why?* as asking why, after “{_short(previous.question)}”)")

    def _ellipsis(self, x: str, previous: Turn) -> Resolution:
        k = self.knowledge
        base = previous.resolved.strip().rstrip("?.! ")
        x_analysis = self.analyse(x)
        x_people = [e for e in x_analysis.entities if k.entity(e).kind != "film"]
        slot = self._entity_slot(base, previous)
        if len(x_people) == 1 and x_analysis.mentions and " ".join(
                x_analysis.mentions[0][1].split()) == " ".join(re.findall(r"[a-z0-9]+", fold(x))):
            x = k.entity(x_people[0]).name  # "and sam?" → "… Sam?", as the documents write it
        # X takes the named entity's place when it is someone too, or a topic where the
        # entity was an object ("what did people think of X" → "… of the ending").
        if slot is not None and (x_people or self._after_preposition(base, slot)):
            asked = base[:slot[0]] + x + base[slot[1]:]
        elif (field_slot := self._field_slot(base)) is not None and fields_named(fold(x)):
            asked = base[:field_slot[0]] + _bare(x) + base[field_slot[1]:]
        elif x_people:
            asked = x  # "and Sam?" after a question that named no one
        elif _END_WORDS.search(fold(x)) or _START_WORDS.search(fold(x)):
            part = "end" if _END_WORDS.search(fold(x)) else "start"
            if previous.focus and k.entity(previous.focus[0]).kind == "character":
                name = spoken_name(previous.focus[0], k)
                asked = f"what happens to {name} at the {part}"
            else:
                asked = f"how does the film {part}"
        else:
            asked = f"{base}, {x}"
        asked += "?"
        return Resolution(asked, True, f"(taking it as “{asked}”)", entities=tuple(x_people))

    # -- helpers ------------------------------------------------------------------------------

    def _entity_slot(self, base: str, previous: Turn) -> tuple[int, int] | None:
        """Where the last question named its first person or character, in its own text."""
        if not previous.named:
            return None
        _, words = previous.named[0]
        # The analysis reports folded words: find them in the folded text, then map back.
        folded, where = _folded(base)
        pattern = r"\b" + r"[\s'’]*".join(map(re.escape, words.split())) + r"(?:'s|’s|s)?\b"
        m = re.search(pattern, folded)
        if m is None:
            return None
        start = m.start()
        if folded[max(0, start - 4):start] == "the ":
            start -= 4
        return where[start], where[m.end()]

    @staticmethod
    def _after_preposition(base: str, slot: tuple[int, int]) -> bool:
        before = fold(base[:slot[0]]).split()
        return bool(before) and before[-1] in _PREPOSITIONS

    @staticmethod
    def _field_slot(base: str) -> tuple[int, int] | None:
        """Where the last question used an infobox field's word ("who did the cinematography")."""
        folded = fold(base)
        best: tuple[int, int] | None = None
        for field in fields_named(folded):
            for phrase in FIELD_WORDS[field]:
                m = re.search(rf"\b(?:the )?{re.escape(phrase)}\b", folded)
                if m and (best is None or m.end() - m.start() > best[1] - best[0]):
                    best = m.span()
        return best


MAX_RESOLVED_CHARS = 900  # under the engine's question limit


def _folded(text: str) -> tuple[str, list[int]]:
    """The folded text, and for each of its offsets (and its end) the offset in `text`."""
    parts: list[str] = []
    where: list[int] = []
    for i, c in enumerate(text):
        f = fold(c)
        parts.append(f)
        where.extend([i] * len(f))
    where.append(len(text))
    return "".join(parts), where


def _bare(x: str) -> str:
    return re.sub(r"^(?:the|a|an)\s+", "", x.strip(), flags=re.IGNORECASE)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"
