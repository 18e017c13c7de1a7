"""Errors the core raises for problems a user can fix; front ends turn them into one-line messages."""


class PusherbotError(Exception):
    """Base class for every error a user should see as a one-line message."""


class QuestionError(PusherbotError):
    """The question is empty, blank or too long."""


class SeedError(PusherbotError):
    """The seeds folder is missing or empty, or a seed file cannot be read as UTF-8 text."""


class SettingsError(PusherbotError):
    """A setting has a value that cannot work; the message starts with the variable's name.

    Front ends exit with status 2 on it (the bot before connecting), printing the message as is.
    """


class IndexError_(PusherbotError):
    """The index cannot be built or written (for example the index folder is not writable)."""
