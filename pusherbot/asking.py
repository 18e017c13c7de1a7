"""`pusherbot ask` and `pusherbot chat`: questions from an argument, from stdin or typed at the
prompt, each line read with a bounded reader.

Heavy modules are imported inside the commands, as in `pusherbot/cli.py`.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from pusherbot.base import EXIT_OK, EXIT_USAGE, err, open_engine


def cmd_ask(args, settings, parser) -> int:
    """pusherbot ask."""
    from retrieval.errors import QuestionError

    if args.question == "-":
        return _ask_stream(args, settings)
    # Checked before the model loads (or an index builds) for a quick answer; the engine
    # validates again, and is the authority.
    if not args.question.strip():
        err("usage: pusherbot ask QUESTION  (the question is empty)")
        return EXIT_USAGE
    if len(args.question.strip()) > settings.max_question_chars:
        err(f"error: the question is too long ({len(args.question.strip())} characters; "
            f"the limit is {settings.max_question_chars})")
        return EXIT_USAGE
    if not _is_text(args.question):
        err("error: the question is not valid text (invalid UTF-8 or a lone surrogate)")
        return EXIT_USAGE
    engine = open_engine(settings)
    chat = _smalltalk(engine, args.question, args.json)
    if chat is not None:
        print(chat)
        return EXIT_OK
    try:
        answer = engine.answer(args.question, settings.top_k)
    except QuestionError as e:
        err(f"error: {e}")
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

    engine = open_engine(settings)
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
                err(f"error: {e}")
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
    engine = open_engine(settings)
    if typed and not args.json:
        print("Ask about Pusher II; follow-ups work ('who plays him?'). "
              "'/new' starts over, Ctrl-D or 'quit' leaves.")
    try:
        return run_chat(Dialogue.of(engine), _chat_lines(typed, settings), settings.top_k,
                        as_json=args.json, err=err, too_long=_too_long(settings))
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
            err("error: the question is not valid text (invalid UTF-8)")
