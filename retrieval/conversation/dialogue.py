"""One step of a conversation, shared by `pusherbot chat` and the Discord bot: small talk gets
its friendly reply; a question is read against the last turn, answered by the engine, and
becomes the turn the next question is read against."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Protocol

from retrieval.answer.result import Answer
from retrieval.conversation.context import Resolution, Turn
from retrieval.conversation.followup import Resolver
from retrieval.conversation.gender import genders
from retrieval.conversation.smalltalk import (
    clarification,
    is_smalltalk,
    smalltalk_message,
    unresolved_pronoun,
)
from retrieval.knowledge.graph import EMPTY, Knowledge

MORE_DEPTH = 12  # passages fetched for "more", of which those already shown are dropped


class Answers(Protocol):
    """What a dialogue needs from the engine."""

    def answer(self, question: str, top_k: int | None = None) -> Answer: ...


@dataclass(frozen=True, slots=True)
class Exchange:
    """The reply to one message: small talk, or an answer (with how a follow-up was taken)."""

    question: str  # as the user wrote it
    answer: Answer | None = None  # None for small talk
    resolved: str | None = None  # the question the engine was asked, when it was rewritten
    note: str | None = None  # "(taking *him* as Sam, Ann's father)"
    smalltalk: str | None = None  # the friendly reply, for small talk
    turn: Turn | None = None  # what the next question is read against (None: keep the last)
    clarify: str | None = None  # "Who do you mean by “him”? …": a pronoun nothing resolves

    @property
    def message(self) -> str:
        """The text of a reply that is not an answer (small talk or a request to clarify)."""
        return self.clarify or self.smalltalk or ""

    def to_dict(self) -> dict[str, Any]:
        """`ask --json`'s object, plus "resolved_question"; small talk and a request to
        clarify have their own shapes."""
        if self.clarify is not None:
            return {"question": self.question, "answered": False, "clarify": True,
                    "message": self.clarify, "results": []}
        if self.answer is None:
            return {"question": self.question, "answered": False, "smalltalk": True,
                    "message": self.smalltalk, "results": []}
        d = self.answer.to_dict()
        d["question"] = self.question
        d["resolved_question"] = self.resolved
        if self.note:
            d["note"] = self.note
        return d


class Dialogue:
    """Answers messages in context; holds no conversation itself (callers keep the turns)."""

    def __init__(self, engine: Answers, knowledge: Knowledge | None = None,
                 passages: Any = ()) -> None:
        self.engine = engine
        self.knowledge = knowledge if knowledge is not None else EMPTY
        surface = getattr(getattr(getattr(engine, "index", None), "bm25", None), "surface", {})
        texts = [p.text for p in passages]
        series = getattr(engine, "series", None)
        self.resolver = Resolver(self.knowledge, lambda w: _is_name(surface, w),
                                 genders(self.knowledge, passages),
                                 lambda pid: texts[pid] if 0 <= pid < len(texts) else None,
                                 series.phrases if series is not None else lambda _q: [])
        self.resolver.learn_names(texts)

    @classmethod
    def of(cls, engine: Any) -> Dialogue:
        """A dialogue over a loaded `Engine` (its knowledge graph and passages)."""
        index = getattr(engine, "index", None)
        return cls(engine, getattr(engine, "knowledge", None),
                   getattr(index, "passages", ()) if index is not None else ())

    def smalltalk(self, text: str) -> str | None:
        """The friendly reply when `text` is small talk (or empty), else None."""
        return smalltalk_message(text, self.knowledge) if is_smalltalk(text) else None

    def respond(self, question: str, previous: Turn | None, top_k: int | None = None,
                *, fresh: bool = False) -> Exchange:
        """The reply to `question` after `previous` (None or `fresh`: a new conversation).
        Raises the engine's QuestionError for a question it cannot take."""
        chat = self.smalltalk(question)
        if chat is not None:
            return Exchange(question, smalltalk=chat)
        validate = getattr(self.engine, "validate", None)
        if validate is not None:  # not text, empty or too long: refused before any reading
            question = validate(question)
        resolution = self.resolver.resolve(question, None if fresh else previous)
        if resolution.more and previous is not None:
            answer = self._more(resolution, previous, top_k)
        else:
            answer = self.engine.answer(resolution.question, top_k)
            pronoun = None if resolution.resolved else unresolved_pronoun(question,
                                                                          answer.analysis)
            if pronoun is not None:
                # "who plays him?" with nobody to take "him" as: the passages would be about
                # whoever fits the rest of the words, so the bot asks instead.
                return Exchange(question, clarify=clarification(pronoun, self.knowledge))
        shown = tuple(r.passage.id for r in answer.results) if answer.answered else ()
        top = answer.results[0].quote if answer.results else None
        turn = self.resolver.turn(question, resolution, None if fresh else previous, top,
                                  shown, answer.answered, answer.analysis)
        return Exchange(question, answer,
                        resolution.question if resolution.resolved else None,
                        resolution.note if resolution.resolved else None, turn=turn)

    def _more(self, resolution: Resolution, previous: Turn, top_k: int | None) -> Answer:
        """The previous question's next passages: those not shown yet, ranked anew."""
        answer = self.engine.answer(resolution.question, max(MORE_DEPTH, (top_k or 3) * 3))
        seen = set(previous.shown)
        rest = [r for r in answer.results if r.passage.id not in seen]
        keep = tuple(replace(r, rank=i + 1) for i, r in enumerate(rest[:top_k or 3]))
        return replace(answer, results=keep, answered=answer.answered and bool(keep))


def _is_name(surface: Any, word: str) -> bool:
    """Whether the corpus mostly writes a word capitalised (as the engine decides it)."""
    seen = surface.get(word) if hasattr(surface, "get") else None
    return seen is not None and seen[1] >= 0.5
