"""What every `pusherbot` command shares: the exit codes, one error line on stderr, and the
engine loaded (or its index built) behind a progress bar."""

from __future__ import annotations

import sys

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


def open_engine(settings, *, rebuild: bool = False):
    """The engine of the settings, its index built first if need be (a progress bar)."""
    from pusherbot.output import ProgressBar
    from retrieval.startup import load_engine

    bar = ProgressBar("building index")
    try:
        return load_engine(settings, rebuild=rebuild, warn=lambda m: err(f"warning: {m}"),
                           progress=bar)
    finally:
        bar.close()


def err(message: str) -> None:
    """One line on stderr, at once."""
    print(message, file=sys.stderr, flush=True)
