"""The CLI as a user runs it: exit codes, one-line errors, the JSON schema."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SEEDS

RESULT_KEYS = {"rank": int, "score": float, "quote": str, "passage": str, "citation": str,
               "source": str, "spoiler": bool}


@pytest.fixture(scope="module")
def run(engine, index_dir):
    """Run `python -m pusherbot …` against the session's (already built) index."""

    def _run(*args: str, stdin: str | None = None, env: dict | None = None,
             python_args: bool = False):
        full_env = {**os.environ, "PUSHERBOT_INDEX_DIR": str(index_dir),
                    "PUSHERBOT_SEEDS": str(SEEDS), **(env or {})}
        cmd = [sys.executable, *args] if python_args else [sys.executable, "-m", "pusherbot", *args]
        return subprocess.run(cmd, input=stdin,
                              capture_output=True, text=True, env=full_env, timeout=300)

    return _run


def _check_schema(obj: dict) -> None:
    assert isinstance(obj["question"], str) and isinstance(obj["answered"], bool)
    for r in obj["results"]:
        for key, typ in RESULT_KEYS.items():
            assert isinstance(r[key], typ), key
        assert r["section"] is None or isinstance(r["section"], str)


def test_ask_prints_quote_and_citation(run) -> None:
    out = run("ask", "Who was the cinematographer?")
    assert out.returncode == 0, out.stderr
    assert "Morten Søborg" in out.stdout and "— Wikipedia — Pusher II › Infobox" in out.stdout
    assert "Also relevant:" in out.stdout


def test_ask_json_schema_and_top_k(run) -> None:
    out = run("ask", "--json", "--top-k", "2", "who plays charlotte")
    obj = json.loads(out.stdout)
    _check_schema(obj)
    assert obj["answered"] and len(obj["results"]) == 2
    assert [r["rank"] for r in obj["results"]] == [1, 2]


def test_ask_stdin_streams_one_object_per_line_in_order(run) -> None:
    questions = ["Who directed Pusher II?", "", "x" * 1500, "Who directed Titanic?"]
    out = run("ask", "--json", "-", stdin="\n".join(questions) + "\n")
    assert out.returncode == 0, out.stderr
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(lines) == 3  # the blank line is skipped
    assert lines[0]["answered"] and "Refn" in lines[0]["results"][0]["quote"]
    assert "too long" in lines[1]["error"] and lines[1]["answered"] is False
    assert lines[2]["answered"] is False
    for obj in (lines[0], lines[2]):
        _check_schema(obj)


@pytest.mark.parametrize(("args", "code", "needle"), [
    (("ask", "   "), 2, "empty"),
    (("ask", "y" * 1001), 2, "too long"),
    (("ask", "--top-k", "0", "hi"), 2, "at least 1"),
    (("ask", "--seeds", "/nonexistent/seeds", "hi"), 1, "/nonexistent/seeds"),
    (("eval", "/nonexistent.jsonl"), 1, "/nonexistent.jsonl"),
])
def test_bad_input_gives_one_line_and_exit_code(run, args, code, needle) -> None:
    out = run(*args)
    assert out.returncode == code
    assert needle in out.stderr
    assert "Traceback" not in out.stderr


def test_empty_or_undecodable_seeds_are_one_line_errors(run, tmp_path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    out = run("ask", "--seeds", str(empty), "--index-dir", str(tmp_path / "i"), "hi")
    assert out.returncode == 1 and str(empty) in out.stderr
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "latin1.txt").write_bytes("Søborg".encode("latin-1"))
    out = run("ask", "--seeds", str(bad), "--index-dir", str(tmp_path / "i"), "hi")
    assert out.returncode == 1 and "latin1.txt" in out.stderr and "UTF-8" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_help_on_every_command(run) -> None:
    for cmd in ("ask", "chat", "index", "eval", "bench"):
        out = run(cmd, "--help")
        assert out.returncode == 0 and "usage: pusherbot" in out.stdout


def test_index_reports_passages_and_path(run, index_dir) -> None:
    out = run("index", "--json")
    obj = json.loads(out.stdout)
    assert obj["passages"] > 100 and obj["reviews"] == 25
    assert Path(obj["path"]).parent == index_dir


HEAVY = ("torch", "sentence_transformers", "faiss", "onnxruntime", "transformers")


@pytest.mark.parametrize("args", [["--help"], ["ask", "--top-k", "0", "q"], ["ask", ""],
                                  ["index", "--json"]])
def test_no_heavy_import_for_help_bad_arguments_or_a_valid_index(run, args) -> None:
    probe = ("import runpy, sys\n"
             f"sys.argv = ['pusherbot', *{args!r}]\n"
             "try:\n    runpy.run_module('pusherbot', run_name='__main__')\n"
             "except SystemExit:\n    pass\n"
             f"print('HEAVY', sorted(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)")
    out = run("-c", probe, python_args=True)
    assert "HEAVY []" in out.stderr, out.stderr[-500:]


def test_eval_json_has_all_modes_and_metrics(run, tmp_path) -> None:
    f = tmp_path / "q.jsonl"
    f.write_text(
        json.dumps({"id": "1", "question": "Who plays Gry?", "answers": ["Maria Erwolter"],
                    "category": "cast"}) + "\n" +
        json.dumps({"id": "2", "question": "How do I bake bread?", "answers": [],
                    "category": "oos"}) + "\n", encoding="utf-8")
    out = run("eval", "--json", str(f))
    report = json.loads(out.stdout)
    for mode in ("hybrid", "bm25", "dense"):
        overall = report["modes"][mode]["overall"]
        assert {"quote@1", "passage@3", "mrr", "oos_abstention", "wrong_abstention"} <= set(overall)
    assert report["modes"]["hybrid"]["cast"]["quote@1"] == 1.0
    assert report["modes"]["hybrid"]["oos"]["oos_abstention"] == 1.0


def test_chat_answers_lines_until_quit(run) -> None:
    out = run("chat", stdin="who plays gry\nquit\nnot asked\n",
              env={"PUSHERBOT_HISTORY": os.devnull})
    assert out.returncode == 0, out.stderr
    assert "Maria Erwolter" in out.stdout and "not asked" not in out.stdout
