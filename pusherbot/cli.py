"""`pusherbot`: ask, chat, index, eval, bench and discord, over the retrieval core.

Heavy modules (numpy, faiss, the encoder) are imported inside the commands that need them,
so `--help` and argument errors answer at once.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


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
        _err(str(e))
        return EXIT_USAGE
    except PusherbotError as e:
        _err(str(e))
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # stdout closed early (e.g. piped into head): not an error worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def _settings(args: argparse.Namespace):
    """The settings, read once: options over the environment over ./.env over the defaults."""
    from retrieval.settings import Settings, environment

    return Settings.from_env(
        environment(),
        seeds_dir=getattr(args, "seeds", None), index_dir=getattr(args, "index_dir", None),
        encoder=getattr(args, "encoder", None), top_k=getattr(args, "top_k", None),
        vector_index=getattr(args, "vector_index", None))


def _load_engine(settings, *, rebuild: bool = False):
    from pusherbot.output import ProgressBar
    from retrieval.startup import load_engine

    bar = ProgressBar("building index")
    try:
        return load_engine(settings, rebuild=rebuild, warn=lambda m: _err(f"warning: {m}"),
                           progress=bar)
    finally:
        bar.close()


def cmd_ask(args, settings, parser) -> int:
    """pusherbot ask."""
    from retrieval.errors import QuestionError

    if args.question == "-":
        return _ask_stream(args, settings)
    # Checked before the model loads (or an index builds) for a quick answer; the engine
    # validates again, and is the authority.
    if not args.question.strip():
        _err("usage: pusherbot ask QUESTION  (the question is empty)")
        return EXIT_USAGE
    if len(args.question.strip()) > settings.max_question_chars:
        _err(f"error: the question is too long ({len(args.question.strip())} characters; "
             f"the limit is {settings.max_question_chars})")
        return EXIT_USAGE
    if not _is_text(args.question):
        _err("error: the question is not valid text (invalid UTF-8 or a lone surrogate)")
        return EXIT_USAGE
    engine = _load_engine(settings)
    chat = _smalltalk(engine, args.question, args.json)
    if chat is not None:
        print(chat)
        return EXIT_OK
    try:
        answer = engine.answer(args.question, settings.top_k)
    except QuestionError as e:
        _err(f"error: {e}")
        return EXIT_USAGE
    ask_back = _clarify(engine, args.question, answer, args.json)
    if ask_back is not None:
        print(ask_back)
        return EXIT_OK
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False))
    else:
        from pusherbot.output import render_answer, render_explanation

        print(render_answer(answer, limit=settings.top_k))
        if args.explain:
            print("\n" + render_explanation(answer))
    return EXIT_OK


def _ask_stream(args, settings) -> int:
    """One answer (or, with --json, one object) per stdin line, a bad line included."""
    from pusherbot.output import printable, render_answer
    from retrieval.errors import QuestionError

    engine = _load_engine(settings)
    rejected = 0
    for raw, complete in read_lines(_stdin_bytes(), _line_limit(settings)):
        question = raw.decode("utf-8", "surrogateescape")
        try:
            if not complete:
                raise QuestionError(_too_long(settings))
            chat = _smalltalk(engine, question, args.json) if question.strip() else None
            if chat is not None:
                print(chat if args.json else f"Q: {printable(question)}\n{chat}\n", flush=True)
                continue
            answer = engine.answer(question, settings.top_k)
            ask_back = _clarify(engine, question, answer, args.json)
            if ask_back is not None:
                print(ask_back if args.json else f"Q: {printable(question)}\n{ask_back}\n",
                      flush=True)
                continue
        except QuestionError as e:
            rejected += 1
            if args.json:
                # Shown, not answered: undecodable bytes become U+FFFD so the line stays JSON.
                shown = printable(raw[:800].decode("utf-8", "replace"))[:200]
                print(json.dumps({"question": shown, "answered": False, "results": [],
                                  "error": str(e)}, ensure_ascii=False), flush=True)
            else:
                _err(f"error: {e}")
            continue
        if args.json:
            print(json.dumps(answer.to_dict(), ensure_ascii=False), flush=True)
        else:
            print(f"Q: {printable(answer.question)}\n{render_answer(answer)}\n", flush=True)
    return EXIT_USAGE if rejected else EXIT_OK


def _smalltalk(engine, question: str, as_json: bool) -> str | None:
    """The friendly reply to a greeting, thanks or "help" (as JSON with --json), else None."""
    from retrieval.conversation.smalltalk import is_smalltalk, smalltalk_message

    if not is_smalltalk(question):  # the usual case: the dialogue machinery is not imported
        return None
    from retrieval.conversation.dialogue import Exchange

    message = smalltalk_message(question, engine.knowledge)
    if as_json:
        return json.dumps(Exchange(question, smalltalk=message).to_dict(), ensure_ascii=False)
    return message


def _clarify(engine, question: str, answer, as_json: bool) -> str | None:
    """'Who do you mean by “him”?' for a pronoun nothing resolves (a one-shot question has no
    conversation to take it from), as JSON with --json; else None."""
    from retrieval.conversation.smalltalk import clarification, unresolved_pronoun

    pronoun = unresolved_pronoun(question, answer.analysis)
    if pronoun is None:
        return None
    message = clarification(pronoun, engine.knowledge)
    if as_json:
        return json.dumps({"question": question, "answered": False, "clarify": True,
                           "message": message, "results": []}, ensure_ascii=False)
    return message


def read_lines(stream: BinaryIO, limit: int) -> Iterator[tuple[bytes, bool]]:
    """(line without its newline, complete) for each line of a byte stream; a line longer than
    `limit` bytes is skipped to its end without being held, and yields its start and False."""
    while line := stream.readline(limit + 1):
        if line.endswith(b"\n"):
            yield line[:-1], True
        elif len(line) <= limit:
            yield line, True  # the last line, without a newline
        else:
            head = line[:1024]
            while line and not line.endswith(b"\n"):
                line = stream.readline(1 << 16)
            yield head, False


def _stdin_bytes() -> BinaryIO:
    """stdin as bytes (decoding is the reader's job: a bad byte must not end the stream)."""
    import io

    if sys.stdin is None:  # started with stdin closed: no questions
        return io.BytesIO()
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is not None:
        return buffer
    # A text stand-in for stdin (tests, embedding): its text is already decoded and in memory.
    return io.BytesIO(sys.stdin.read().encode("utf-8", "surrogateescape"))


def _line_limit(settings) -> int:
    """Bytes a question line may take: the character limit in 4-byte UTF-8, plus white space."""
    return 4 * settings.max_question_chars + 1024


def _too_long(settings) -> str:
    return (f"the question is too long (over {_line_limit(settings)} bytes; the limit is "
            f"{settings.max_question_chars} characters)")


def _is_text(question: str) -> bool:
    """False for lone surrogates: the bytes of an argument that is not UTF-8."""
    try:
        question.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def cmd_chat(args, settings, parser) -> int:
    """pusherbot chat: one conversation (pusherbot/chat.py)."""
    from pusherbot.chat import interactive, run_chat
    from retrieval.conversation.dialogue import Dialogue

    history = Path(os.environ.get("PUSHERBOT_HISTORY", Path.home() / ".pusherbot_history"))
    typed = interactive()
    try:
        import readline

        readline.set_history_length(1000)
        if typed and history.exists():
            readline.read_history_file(history)
    except (ImportError, OSError):
        readline = None  # type: ignore[assignment]
    engine = _load_engine(settings)
    if typed and not args.json:
        print("Ask about Pusher II; follow-ups work ('who plays him?'). "
              "'/new' starts over, Ctrl-D or 'quit' leaves.")
    try:
        return run_chat(Dialogue.of(engine), _chat_lines(typed, settings), settings.top_k,
                        as_json=args.json, err=_err, too_long=_too_long(settings))
    finally:
        if readline is not None and typed:
            with contextlib.suppress(OSError):
                readline.write_history_file(history)


def _chat_lines(interactive: bool, settings) -> Iterator[str | None]:
    """Questions typed at the prompt (line editing), or piped lines read with a bounded reader;
    None for a line too long to read."""
    if not interactive:
        for raw, complete in read_lines(_stdin_bytes(), _line_limit(settings)):
            yield raw.decode("utf-8", "surrogateescape") if complete else None
        return
    while True:
        try:
            yield input("pusherbot> ")
        except EOFError:
            return
        except UnicodeDecodeError:
            _err("error: the question is not valid text (invalid UTF-8)")


def cmd_index(args, settings, parser) -> int:
    """pusherbot index."""
    from retrieval.index.stats import corpus_stats
    from retrieval.index.store import StaleIndex, check_index

    started = time.perf_counter()
    checked = None
    if not args.rebuild:
        # A valid index is checked from its manifest and checksums: no model or faiss to load.
        with contextlib.suppress(StaleIndex):
            checked = check_index(settings)
    if checked is None:
        engine = _load_engine(settings, rebuild=args.rebuild)
        checked = engine.index.directory, engine.index.manifest
    directory, manifest = checked
    stats = corpus_stats(directory, manifest)
    summary = {
        "passages": stats.passages, "reviews": stats.reviews, "documents": list(stats.documents),
        "seconds": round(time.perf_counter() - started, 2), "path": str(directory),
        "index_kind": stats.index_kind, "model": stats.model, "built_at": stats.built_at,
        "encoder": manifest.get("encoder", "?"),
    }
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print(f"{stats.passages} passages from {len(stats.documents)} documents "
              f"({stats.reviews} reviews) in {summary['seconds']:.1f} s")
        print(f"index: {directory} ({stats.index_kind}, built {stats.built_at})")
    return EXIT_OK


def cmd_eval(args, settings, parser) -> int:
    """pusherbot eval."""
    from retrieval.conversation.score import is_conversation_file
    from retrieval.evaluate import evaluate, format_report, load_questions
    from retrieval.reviews.evaluate import (
        evaluate_opinions,
        evaluate_sentiment,
        format_review_report,
        load_labelled,
    )

    if is_conversation_file(args.file):
        return _eval_conversations(args, settings)
    kind, rows = load_labelled(args.file)
    if kind != "questions":  # a labelled file of the reviews' answers (retrieval/reviews/)
        if kind == "sentiment":
            report = evaluate_sentiment(rows)
        else:
            report = evaluate_opinions(_load_engine(settings), rows)
        print(json.dumps(report, ensure_ascii=False) if args.json
              else f"{args.file}: {len(rows)} lines\n{format_review_report(report)}")
        return EXIT_OK
    questions = load_questions(args.file)
    engine = _load_engine(settings)
    report = evaluate(engine, questions)
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        print(f"{args.file}: {len(questions)} questions")
        print(format_report(report))
    return EXIT_OK


def _eval_conversations(args, settings) -> int:
    """pusherbot eval on a conversations file: follow-ups as asked against standalone."""
    from retrieval.conversation.score import (
        evaluate_conversations,
        format_conversation_report,
        load_conversations,
    )

    conversations = load_conversations(args.file)
    report = evaluate_conversations(_load_engine(settings), conversations)
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        print(f"{args.file}: {len(conversations)} conversations")
        print(format_conversation_report(report))
    return EXIT_OK


def cmd_reviews(args, settings, parser) -> int:
    """pusherbot reviews."""
    aspect = " ".join((args.aspect or "").split())
    if len(aspect) > settings.max_question_chars or (args.aspect is not None and not aspect):
        _err("error: --aspect must be some text, at most "
             f"{settings.max_question_chars} characters")
        return EXIT_USAGE
    if aspect:
        engine = _load_engine(settings)
        desk, qvec = engine.reviews, engine.encoder.encode([aspect])[0]
    else:  # the film overall needs the index alone: the model is not even loaded
        desk, qvec = _review_desk(settings), None
    if not desk.records:
        from retrieval.errors import PusherbotError

        raise PusherbotError(f"no reviews page among the seeds in {settings.seeds_dir}")
    stance = desk.overview(qvec, aspect)
    answer = desk.stance_answer(aspect or "what do the reviews say?", stance)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False))
    else:
        from pusherbot.output import render_reviews

        print(render_reviews(answer, stance.summary))
    return EXIT_OK


def _review_desk(settings):
    """The reviews of the index, without the query encoder (built first if need be)."""
    from pusherbot.output import ProgressBar
    from retrieval.embed.encoder import SentenceTransformerEncoder
    from retrieval.index.store import open_index
    from retrieval.reviews.desk import ReviewDesk

    bar = ProgressBar("building index")
    try:
        index, _ = open_index(settings, lambda: SentenceTransformerEncoder(
            settings.resolved_model_path), warn=lambda m: _err(f"warning: {m}"), progress=bar)
    finally:
        bar.close()
    return ReviewDesk.for_index(index)


def cmd_bench(args, settings, parser) -> int:
    """pusherbot bench."""
    try:
        from pusherbot.bench import format_table, run_bench
    except ImportError:
        from retrieval.errors import PusherbotError

        raise PusherbotError("pusherbot bench is not part of this build yet") from None

    questions = args.questions or _default_questions()
    result = run_bench(settings, scale=args.scale, questions_path=questions)
    print(json.dumps(result, ensure_ascii=False) if args.json else format_table(result))
    return EXIT_OK


def _default_questions() -> Path:
    from retrieval.settings import REPO_ROOT

    for candidate in (REPO_ROOT.parent / "shared" / "eval" / "dev.jsonl",
                      REPO_ROOT / "tests" / "data" / "validation.jsonl"):
        if candidate.is_file():
            return candidate
    from retrieval.errors import PusherbotError

    raise PusherbotError("no question file found; pass --questions FILE")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _err(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


COMMANDS = {"ask": cmd_ask, "chat": cmd_chat, "index": cmd_index, "eval": cmd_eval,
            "bench": cmd_bench, "reviews": cmd_reviews}
