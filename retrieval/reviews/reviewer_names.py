"""Which reviewer a question names: by their whole (folded) handle, the handle with the day the
page glued to it, its leading letters alone, or its letters typed as separate words ("what does
jdoe say about the dad")."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from retrieval.answer.reviewers import JOINED_NAME, PARTIAL_NAME
from retrieval.reviews.records import ReviewRecord
from retrieval.text import fold, leading_names


def names_reviewer(question: str, records: Sequence[ReviewRecord]) -> bool:
    """Whether a question names one of the reviewers ("what does jdoe say about the dad")."""
    return reviewer_named(fold(question), records) is not None


def reviewer_named(q: str, records: Sequence[ReviewRecord]) -> ReviewRecord | None:
    """The review whose reviewer the question names, by their whole (folded) name."""
    records = tuple(records)
    joined = re.sub(r"[^a-z0-9]", "", q)
    if not any(key in joined for key in _name_keys(records)):
        return None  # most questions name no reviewer: their letters alone tell
    for pattern, r in _name_patterns(records):
        if pattern.search(q):
            return r
    return None


@lru_cache(maxsize=4)
def _name_keys(records: tuple[ReviewRecord, ...]) -> tuple[str, ...]:
    """The letters and digits of every name and leading name the patterns below look for: a
    question none of them is in (its own punctuation and spaces taken out) names no one."""
    first = {fold(r.reviewer) for r in records}
    keys = {re.sub(r"[^a-z0-9]", "", n) for n in [*first, *leading_names(first, PARTIAL_NAME)]}
    return tuple(sorted(k for k in keys if k))


@lru_cache(maxsize=4)
def _name_patterns(records: tuple[ReviewRecord, ...]) -> list[tuple[re.Pattern[str], ReviewRecord]]:
    """Each reviewer's name as a whole-word pattern, compiled once per set of records; then the
    name's leading letters alone ("jdoe" for "jdoe-96-1380"), when they are long enough and
    begin no other reviewer's name, as people type a handle partially."""
    # "jdoes review": a possessive typed without its apostrophe
    whole = [(re.compile(rf"(?<![\w-]){re.escape(fold(r.reviewer))}s?(?![\w-])"), r)
             for r in records if len(fold(r.reviewer)) >= 3]
    # The page glues the name to the day ("jdoe829 July"): "jdoe8" could be read "jdoe82"
    # with the 9th, so the name with the day's first digit is the same reviewer.
    whole += [(re.compile(rf"(?<![\w-]){re.escape(fold(r.reviewer) + r.date[0])}s?(?![\w-])"), r)
              for r in records if len(fold(r.reviewer)) >= 3 and r.date
              and re.match(r"\d\d ", r.date)]
    first: dict[str, ReviewRecord] = {}
    for r in records:
        first.setdefault(fold(r.reviewer), r)
    partial = [(re.compile(rf"(?<![\w-]){re.escape(lead)}s?(?![\w-])"), first[name])
               for lead, name in leading_names(first, PARTIAL_NAME).items()]
    # "evil eye reviews" for "evileyereviews": a long handle (or its leading letters) typed
    # as separate words
    typed = [(re.sub(r"[^a-z0-9]", "", name), name) for name in first]
    typed += list(leading_names(first, PARTIAL_NAME).items())
    spaced = [(re.compile(r"(?<![\w-])" + "[ -]?".join(map(re.escape, key)) + r"s?(?![\w-])"),
               first[name])
              for key, name in typed if len(key) >= JOINED_NAME]
    return whole + partial + spaced
