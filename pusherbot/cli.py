"""`pusherbot`: ask, chat, index, eval, bench and discord, over the retrieval core: the
arguments of every command, the settings read once, and the dispatch to the commands
(`pusherbot/asking.py`: ask, chat; `pusherbot/reports.py`: index, eval, reviews, bench).

Heavy modules (numpy, faiss, the encoder) are imported inside the commands that need them,
so `--help` and argument errors answer at once.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path
from typing import NoReturn

from pusherbot.asking import cmd_ask, cmd_chat
from pusherbot.base import EXIT_ERROR, EXIT_OK, EXIT_USAGE, err
from pusherbot.reports import cmd_bench, cmd_eval, cmd_index, cmd_reviews


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--seeds", metavar="DIR", type=Path, default=argparse.SUPPRESS,
                        help="seed documents folder (env PUSHERBOT_SEEDS; default: repo seeds/)")
    common.add_argument("--index-dir", metavar="DIR", type=Path, default=argparse.SUPPRESS,
                        help="index folder (env PUSHERBOT_INDEX_DIR; default: repo embeddings/)")
    common.add_argument("--encoder", choices=("auto", "onnx", "torch"), default=argparse.SUPPRESS,
                        help="encoder (env PUSHERBOT_ENCODER; default auto: the ONNX export "
                             "made with the index; torch: sentence-transformers)")

    parser = argparse.ArgumentParser(
        prog="pusherbot", parents=[common],
        description="Answers questions about the film Pusher II (2004) by quoting its sources.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    ask = sub.add_parser("ask", parents=[common], help="answer one question (or '-' for stdin)",
                         description="Answer a question with a verbatim quote and its source. "
                                     "With '-', read one question per line from stdin and answer "
                                     "each line (with --json: one object per line, an error "
                                     "object for a bad one); the exit status is then 2 if any "
                                     "line was rejected.")
    ask.add_argument("question", help="the question, or '-' to read questions from stdin")
    ask.add_argument("--top-k", type=_positive, default=None, metavar="N",
                     help="how many passages to show (default 3, env PUSHERBOT_TOP_K)")
    ask.add_argument("--json", action="store_true", help="one JSON object per question")
    ask.add_argument("--explain", action="store_true",
                     help="also show how the question was read: answer type, names and "
                          "aliases, the chain of links used, and why it answered or abstained")

    chat = sub.add_parser("chat", parents=[common], help="a conversation, model loaded once",
                          description="Ask questions interactively (line editing and history), "
                                      "in one conversation: follow-ups such as 'who plays him?' "
                                      "or 'and Charlotte?' are read against the last question. "
                                      "'/new' starts over; Ctrl-D or 'quit' leaves. Piped lines "
                                      "are one conversation too.")
    chat.add_argument("--json", action="store_true",
                      help="one JSON object per line: ask --json's, plus resolved_question")

    index = sub.add_parser("index", parents=[common], help="build or validate the index",
                           description="Build the index if it is missing or stale, else validate it.")
    index.add_argument("--rebuild", action="store_true", help="build from scratch")
    index.add_argument("--vector-index", choices=("auto", "flat", "ivf"), default=None,
                       help="dense index type (env PUSHERBOT_VECTOR_INDEX; default auto: exact "
                            "up to 20,000 passages, then IVF)")
    index.add_argument("--json", action="store_true", help="machine-readable summary")

    ev = sub.add_parser("eval", parents=[common], help="score retrieval on a question file",
                        description="quote@1, passage@3, MRR and abstention rates for hybrid, "
                                    "BM25-only and dense-only rankings.")
    ev.add_argument("file", type=Path, help="JSONL: {id, question, answers, category} per line; "
                    "or conversations ({id, turns: [{question, answers, standalone}]}), "
                    "labelled opinions ({kind: stance|record, question, reviewers, answers}) "
                    "or sentiment ({sentence, label}) lines, recognised by their keys")
    ev.add_argument("--json", action="store_true", help="machine-readable report")

    rv = sub.add_parser("reviews", parents=[common], help="what the reviews say: ratings chart, "
                        "counts and quotes per side",
                        description="The rating distribution as a bar chart, how many reviews "
                                    "are positive, mixed and negative, and the best quote of "
                                    "each side; with --aspect, only the reviews that discuss it "
                                    "(highlighted in the chart).")
    rv.add_argument("--aspect", metavar="TEXT", default=None,
                    help="what the reviews should discuss, e.g. 'the ending' or 'the music'")
    rv.add_argument("--json", action="store_true",
                    help="one JSON object: the reviews summary and the quotes (as ask --json)")

    bench = sub.add_parser("bench", parents=[common], help="measure speed, memory and scale",
                           description="Cold start, warm latency and its split, build time, "
                                       "memory; --scale N measures the index at N passages.")
    bench.add_argument("--scale", type=_positive, default=None, metavar="N",
                       help="also measure a synthetic corpus of N passages")
    bench.add_argument("--questions", type=Path, default=None, metavar="FILE",
                       help="questions for warm latency (default: the dev questions)")
    bench.add_argument("--json", action="store_true", help="machine-readable results")

    sub.add_parser("discord", help="run the Discord bot (same as python -m bot)", add_help=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the process exit code."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["discord"]:
        from bot.__main__ import main as bot_main

        return bot_main(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    from retrieval.errors import PusherbotError, SettingsError

    try:
        settings = _settings(args)
        return COMMANDS[args.command](args, settings, parser)
    except SettingsError as e:  # from the environment, .env or an option alike: a usage error
        err(str(e))
        return EXIT_USAGE
    except PusherbotError as e:
        err(str(e))
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # stdout closed early (e.g. piped into head): not an error worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def run() -> NoReturn:
    """The `pusherbot` command: `main`, then an exit that skips the interpreter's teardown."""
    code = main()
    # By now every file is written and closed, and the encoder thread has been joined. What
    # the interpreter would still do is free the engine's objects one by one and unload its
    # modules: ~0.1 s of every one-shot `ask` (measured), for nothing the OS does not do at
    # exit anyway. An exception never gets here: it ends the usual way, with its traceback.
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(BrokenPipeError, ValueError):  # the reader left, or it is closed
            stream.flush()
    os._exit(code)


def _settings(args: argparse.Namespace):
    """The settings, read once: options over the environment over ./.env over the defaults."""
    from retrieval.settings import Settings, environment

    return Settings.from_env(
        environment(),
        seeds_dir=getattr(args, "seeds", None), index_dir=getattr(args, "index_dir", None),
        encoder=getattr(args, "encoder", None), top_k=getattr(args, "top_k", None),
        vector_index=getattr(args, "vector_index", None))


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


COMMANDS = {"ask": cmd_ask, "chat": cmd_chat, "index": cmd_index, "eval": cmd_eval,
            "bench": cmd_bench, "reviews": cmd_reviews}
