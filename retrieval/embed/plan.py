"""What the encoder sees at build time: one text per passage (with its context), then each sentence."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from retrieval.passage import Passage


@dataclass(frozen=True, slots=True)
class EmbedPlan:
    """What to encode: one text per passage, then one per distinct sentence."""

    passage_texts: list[str]
    sentence_texts: list[str]
    passage_sentence_rows: np.ndarray  # int32, the sentence rows of passage i, concatenated

    @property
    def texts(self) -> list[str]:
        """Everything to encode, passages first."""
        return self.passage_texts + self.sentence_texts


def embed_plan(passages: list[Passage], with_context: bool = True) -> EmbedPlan:
    """Texts for the encoder; overlapping chunks share their sentence rows."""
    passage_texts = [f"{p.context} {p.text}" if with_context and p.context else p.text
                     for p in passages]
    rows: list[int] = []
    keys: dict[tuple[str, str], int] = {}
    sentence_texts: list[str] = []
    for p in passages:
        for s, e in p.sentences:
            sentence = p.text[s:e]
            # Facts (infobox, cast) keep their context: "Jane Doe" alone says nothing.
            text = f"{p.context} {sentence}" if p.kind in ("infobox", "cast") else sentence
            key = (p.doc, text)
            if key not in keys:
                keys[key] = len(sentence_texts)
                sentence_texts.append(text)
            rows.append(keys[key])
    return EmbedPlan(passage_texts, sentence_texts, np.asarray(rows, dtype=np.int32))
