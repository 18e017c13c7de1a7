"""`pusherbot index`, `eval`, `reviews` and `bench`: the commands that report on the index, the
engine's quality and speed, and what the reviews say, rather than answer a question.

Heavy modules are imported inside the commands, as in `pusherbot/cli.py`.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable
from pathlib import Path

from pusherbot.base import EXIT_OK, EXIT_USAGE, err, open_engine


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
        engine = open_engine(settings, rebuild=args.rebuild)
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
            report = evaluate_opinions(open_engine(settings), rows)
        return _show(report, args.json, f"{args.file}: {len(rows)} lines", format_review_report)
    questions = load_questions(args.file)
    report = evaluate(open_engine(settings), questions)
    return _show(report, args.json, f"{args.file}: {len(questions)} questions", format_report)


def _show(report: dict, as_json: bool, header: str, text_of: Callable[[dict], str]) -> int:
    """An eval report as one JSON object, or as its header line and its text."""
    print(json.dumps(report, ensure_ascii=False) if as_json else f"{header}\n{text_of(report)}")
    return EXIT_OK


def _eval_conversations(args, settings) -> int:
    """pusherbot eval on a conversations file: follow-ups as asked against standalone."""
    from retrieval.conversation.score import (
        evaluate_conversations,
        format_conversation_report,
        load_conversations,
    )

    conversations = load_conversations(args.file)
    report = evaluate_conversations(open_engine(settings), conversations)
    return _show(report, args.json, f"{args.file}: {len(conversations)} conversations",
                 format_conversation_report)


def cmd_reviews(args, settings, parser) -> int:
    """pusherbot reviews."""
    aspect = " ".join((args.aspect or "").split())
    if len(aspect) > settings.max_question_chars or (args.aspect is not None and not aspect):
        err("error: --aspect must be some text, at most "
            f"{settings.max_question_chars} characters")
        return EXIT_USAGE
    if aspect:
        engine = open_engine(settings)
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
            settings.resolved_model_path), warn=lambda m: err(f"warning: {m}"), progress=bar)
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
