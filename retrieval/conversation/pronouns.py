"""Pronouns in a follow-up question ("who plays him?", "why does she hate her dad?"), read
against the conversation's last turn without a language model (the rest of the follow-ups:
followup.py).

- A subject or possessive pronoun ("he", "his") keeps its own meaning when the question names
  someone it could mean; an object pronoun ("him") never means the question's own subject
  ("does X kill him"). Otherwise it is the most salient entity of the last turns whose gender
  fits (the gender evidence of `gender.py`): first whom the last answer's passage names doing
  what the question asks, then the last turn's focus.
- "it" is the film, as in any question, unless the last question asked about a thing someone
  has ("X's tattoo") or about another part of the series ("the third one").
"""

from __future__ import annotations

import re
from collections.abc import Callable

from retrieval.answer.analyse import Analysis
from retrieval.conversation.context import Resolution, Turn
from retrieval.conversation.names import describe, named_entities
from retrieval.knowledge.graph import Knowledge
from retrieval.knowledge.lexicon import relation_word
from retrieval.text import STOPWORDS, content_terms, fold, sentences

_MALE = {"he": "subject", "him": "object", "his": "possessive", "himself": "object"}
_FEMALE = {"she": "subject", "her": "object", "hers": "possessive", "herself": "object"}
_PLURAL = {"they": "subject", "them": "object", "their": "possessive", "theirs": "possessive"}
_IT = re.compile(r"\b(it|its)\b", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(he|him|his|himself|she|her|hers|herself|they|them|their|theirs)\b",
                      re.IGNORECASE)
# Words that say nothing of what happened ("why does he …", "when he gets out"): everyday
# verbs and the film's own vocabulary, as stems.
_PRONOUN_STEMS = frozenset(content_terms("happen happens happened do does did why what who "
                                         "where when how want wants get gets got getting out "
                                         "go goes went come comes came make makes made take "
                                         "takes took give gives gave put say says said tell "
                                         "tells told see sees saw know knows knew think thinks "
                                         "like likes need needs end ending start beginning "
                                         "film movie scene"))


class Pronouns:
    """Whom a question's pronouns mean; one per `Resolver` (it is stateless)."""

    def __init__(self, knowledge: Knowledge, genders: dict[int, str],
                 analyse: Callable[[str], Analysis], written_name: Callable[[int], str],
                 passage_text: Callable[[int], str | None],
                 part_phrases: Callable[[str], list[str]]) -> None:
        self.knowledge = knowledge
        self.genders = genders
        self.analyse = analyse  # the engine's own question analysis
        self.written_name = written_name  # the name the documents write an entity by most
        self.passage_text = passage_text  # a shown passage's text, by id
        self.part_phrases = part_phrases  # another part of the series, as a question names it

    def resolve(self, question: str, previous: Turn) -> Resolution:
        """The question with each pronoun it has replaced by whom it means (the question
        itself when none can be taken), read against the last turn."""
        if not _PRONOUN.search(question) and not _IT.search(question):
            return Resolution(question)  # nothing to resolve: no analysis needed
        k = self.knowledge
        analysis = self.analyse(question)
        own = [e for e in analysis.entities if k.entity(e).kind != "film"]
        named_terms = {t for _, words in analysis.mentions for t in content_terms(words)}
        actors = self._doing(question, previous, named_terms)
        out: list[str] = []
        taken: list[tuple[str, int]] = []
        cursor = 0
        for m in _PRONOUN.finditer(question):
            word = m.group(1).lower()
            role, gender = _role(word, question, m.end())
            if role in ("subject", "possessive") and any(
                    self._fits(e, gender) for e in own):
                continue  # "what does X do to his father": his is X
            other = {e for w, e in taken if _gender_of(w) != gender}
            candidates = [e for e in (*actors, *previous.focus)
                          if e not in own and e not in other and self._fits(e, gender)]
            candidates = list(dict.fromkeys(candidates))
            if not candidates:
                continue
            if gender == "plural":
                chosen = candidates[:2] if len(candidates) > 1 else candidates
            else:
                chosen = candidates[:1]
            names = " and ".join(self.written_name(e) for e in chosen)
            out.append(question[cursor:m.start()])
            out.append(names + ("'s" if role == "possessive" else ""))
            cursor = m.end()
            taken.extend((m.group(1), e) for e in chosen)
        thing = None if own else self._possessed_thing(previous)
        if thing is None and previous.part and not self.part_phrases(fold(question)) and not any(
                self.knowledge.entity(e).kind == "film" for e in analysis.entities):
            # "what's the third one about?" → "is the lead in it": the third one, not this film
            thing = previous.part
        if thing is not None:
            # "what does X's tattoo say?" → "where is it?": the tattoo, not the film.
            for m in _IT.finditer(question):
                if m.start() < cursor:
                    continue
                out.append(question[cursor:m.start()])
                out.append(thing + ("'s" if m.group(1).lower() == "its" else ""))
                cursor = m.end()
                taken.append((m.group(1), -1))
        if not taken:
            return Resolution(question)
        out.append(question[cursor:])
        asked = "".join(out)
        notes = []
        for word, e in dict.fromkeys(taken):
            if e < 0:
                notes.append(f"*{word}* as {thing}")
                continue
            said = describe(e, k, self.genders)
            name = k.entity(e).name
            notes.append(f"*{word}* as {name}" + (f", {said}" if said else ""))
        return Resolution(asked, True, f"(taking {'; '.join(notes)})",
                          entities=tuple(dict.fromkeys(e for _, e in taken if e >= 0)))

    # -- helpers ------------------------------------------------------------------------------

    def _fits(self, entity: int, gender: str) -> bool:
        if self.knowledge.entity(entity).kind == "film":
            return False
        if gender == "plural":
            return True
        known = self.genders.get(entity)
        return known is None or known == gender

    def _doing(self, question: str, previous: Turn, named_terms: set[str]) -> list[int]:
        """Who the last answer's passage names in the sentences about what the question asks
        ("why does he attack her?" → the sentence that says who attacks whom), in order."""
        text = self.passage_text(previous.shown[0]) if previous.shown else previous.quote
        if not text:
            return []
        wanted = {t for t in content_terms(question)
                  if t not in _PRONOUN_STEMS and t not in named_terms}  # the deed, not names
        if not wanted:
            return []
        found: list[int] = []
        for sentence in sentences(text):
            if wanted & set(content_terms(sentence)):
                found.extend(e for e in named_entities(sentence, self.knowledge)
                             if e not in found and self.knowledge.entity(e).kind == "character")
        return found

    def _possessed_thing(self, previous: Turn) -> str | None:
        """"Ann's tattoo" when the last question asked about a thing someone has."""
        for e, words in previous.named:
            if self.knowledge.entity(e).kind not in ("character", "person"):
                continue
            thing = owns_thing(previous.resolved, words)
            if thing:
                return f"{self.knowledge.entity(e).name}'s {thing}"
        return None


def _role(word: str, question: str, end: int) -> tuple[str, str]:
    """(subject | object | possessive, m | f | plural) of a pronoun; "her" is possessive when a
    content word follows it ("her dad"), an object otherwise ("who plays her")."""
    if word in _MALE:
        return _MALE[word], "m"
    if word in _PLURAL:
        return _PLURAL[word], "plural"
    role = _FEMALE[word]
    if word == "her":
        nxt = re.match(r"\s+([\w’'-]+)", question[end:])
        if nxt and fold(nxt.group(1)) not in STOPWORDS:
            role = "possessive"
    return role, "f"


def owns_thing(question: str, words: str) -> str | None:
    """The noun after a possessive name in a question ("anns tattoo" → "tattoo"), unless
    it is a relation ("anns dad" is a person) or a grammar word."""
    name = r"[\s'’]*".join(map(re.escape, words.split()))
    m = re.search(rf"\b{name}(?:'s|’s|s)\s+([a-z][a-z-]+)\b", fold(question))
    if m and m.group(1) not in STOPWORDS and relation_word(m.group(1)) is None:
        return m.group(1)
    return None


def _gender_of(word: str) -> str:
    w = word.lower()
    return "m" if w in _MALE else ("f" if w in _FEMALE else "plural")
