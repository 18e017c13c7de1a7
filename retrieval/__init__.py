"""Retrieval core of pusherbot: seeds → parse → chunk → embed → index → search → quote."""

from retrieval.errors import PusherbotError, QuestionError, SeedError
from retrieval.passage import Passage
from retrieval.settings import Settings

__all__ = ["Passage", "PusherbotError", "QuestionError", "SeedError", "Settings"]
