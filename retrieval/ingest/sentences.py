"""Offline sentence splitting with character offsets (syntok; nltk's punkt data cannot be fetched here)."""

from __future__ import annotations

from syntok import segmenter  # type: ignore[import-untyped]


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences of `text`, in order, trimmed of white space."""
    spans: list[tuple[int, int]] = []
    for paragraph in segmenter.analyze(text):
        for sentence in paragraph:
            if not sentence:
                continue
            start = sentence[0].offset
            end = sentence[-1].offset + len(sentence[-1].value)
            if text[start:end].strip():
                spans.append((start, end))
    return spans
