"""Conversations: follow-up questions read against the last turn, small talk, and the bounded
in-memory store of turns (context, followup, gender, names, smalltalk, dialogue)."""
