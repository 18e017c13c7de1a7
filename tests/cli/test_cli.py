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

    def _run(*args: str, stdin: str | bytes | None = None, env: dict | None = None,
             python_args: bool = False):
        full_env = {**os.environ, "PUSHERBOT_INDEX_DIR": str(index_dir),
                    "PUSHERBOT_SEEDS": str(SEEDS), **(env or {})}
        cmd = [sys.executable, *args] if python_args else [sys.executable, "-m", "pusherbot", *args]
        data = stdin.encode() if isinstance(stdin, str) else stdin
        out = subprocess.run(cmd, input=data, capture_output=True, env=full_env, timeout=300)
        # Decoded strictly: whatever the CLI writes must itself be valid UTF-8.
        return subprocess.CompletedProcess(out.args, out.returncode, out.stdout.decode(),
                                           out.stderr.decode())

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


def test_ask_leaves_no_runtime_telemetry_behind(index_dir, tmp_path) -> None:
    # onnxruntime's own telemetry writes a device id and an upload queue under the home folder
    # unless it is turned off; the test process itself has the variable set, so drop it here.
    env = {k: v for k, v in os.environ.items()
           if k not in ("ORT_DISABLE_TELEMETRY", "XDG_CACHE_HOME")}
    env.update(HOME=str(tmp_path), PUSHERBOT_INDEX_DIR=str(index_dir), PUSHERBOT_SEEDS=str(SEEDS))
    out = subprocess.run([sys.executable, "-m", "pusherbot", "ask", "Who was the cinematographer?"],
                         capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0 and "Søborg" in out.stdout, out.stderr
    assert list(tmp_path.rglob("*")) == []


def test_ask_json_schema_and_top_k(run) -> None:
    out = run("ask", "--json", "--top-k", "2", "who plays charlotte")
    obj = json.loads(out.stdout)
    _check_schema(obj)
    assert obj["answered"] and len(obj["results"]) == 2
    assert [r["rank"] for r in obj["results"]] == [1, 2]


def test_ask_stdin_streams_one_object_per_line_in_order(run) -> None:
    questions = ["Who directed Pusher II?", "", "x" * 1500, "   ", "Who directed Titanic?"]
    out = run("ask", "--json", "-", stdin="\n".join(questions) + "\n")
    assert out.returncode == 2, out.stderr  # some lines were rejected
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(lines) == len(questions)  # a blank line gets its error object too
    assert lines[0]["answered"] and "Refn" in lines[0]["results"][0]["quote"]
    assert "empty" in lines[1]["error"] and lines[1]["answered"] is False
    assert "too long" in lines[2]["error"] and lines[2]["answered"] is False
    assert "empty" in lines[3]["error"]
    assert lines[4]["answered"] is False and "error" not in lines[4]
    for obj in lines:
        _check_schema(obj)


def test_stdin_of_good_questions_exits_0(run) -> None:
    out = run("ask", "--json", "-", stdin="who plays gry\nWho was the cinematographer?")
    assert out.returncode == 0, out.stderr
    assert [json.loads(line)["answered"] for line in out.stdout.splitlines()] == [True, True]


# Bytes that are not UTF-8 (a lone continuation byte, an encoded surrogate) and a NUL.
BAD_LINES = [b"who \xff directed", b"\xed\xa0\x80 who plays gry", b"\xc3"]


def test_undecodable_lines_give_one_error_each_and_the_stream_goes_on(run) -> None:
    lines = [b"Who directed Pusher II?", *BAD_LINES, b"who plays gry", b"who\x00 plays gry"]
    out = run("ask", "--json", "-", stdin=b"\n".join(lines) + b"\n")
    assert out.returncode == 2 and "Traceback" not in out.stderr, out.stderr
    objs = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(objs) == len(lines)
    assert objs[0]["answered"]
    for obj in objs[1:4]:
        assert "not valid text" in obj["error"] and obj["answered"] is False
    assert objs[1]["question"] == "who \ufffd directed"  # shown, replaced, still JSON
    assert "Maria Erwolter" in objs[4]["results"][0]["quote"]
    assert objs[5]["question"] == "who  plays gry" and objs[5]["answered"]  # NUL blanked


def test_undecodable_argument_is_a_usage_error(run) -> None:
    # A str with a lone surrogate reaches the child as the raw byte 0xff (os.fsencode).
    out = run("ask", "who \udcff directed")
    assert out.returncode == 2 and "not valid text" in out.stderr
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_chat_reports_an_undecodable_line_and_goes_on(run) -> None:
    out = run("chat", stdin=b"\xff\xfe\nwho plays gry\nquit\n",
              env={"PUSHERBOT_HISTORY": os.devnull})
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr
    assert "not valid text" in out.stderr and "Maria Erwolter" in out.stdout


def test_core_rejects_text_that_is_not_text_and_blanks_control_characters(engine) -> None:
    from retrieval.errors import QuestionError

    for bad in ("who \udcff directed", "\ud800", "\x1b\x07 \x00"):
        with pytest.raises(QuestionError):
            engine.answer(bad)
    assert engine.validate("who\x1b[2J plays gry\x9b") == "who [2J plays gry"
    assert engine.answer("who\x1b[31m plays gry").question == "who [31m plays gry"


def test_text_stream_echo_has_no_control_characters(run) -> None:
    out = run("ask", "-", stdin="who plays gry\x1b[2J\x1b]0;owned\x07\x9b6n\n")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("Q: who plays gry")
    assert not any(c < " " and c != "\n" or "\x7f" <= c <= "\x9f" for c in out.stdout)
    assert "Maria Erwolter" in out.stdout


def test_an_overlong_line_is_one_error_and_the_stream_goes_on(run) -> None:
    stdin = b"who plays gry\n" + b"y" * 5_000_000 + b"\nWho directed Pusher II?\n"
    out = run("ask", "--json", "-", stdin=stdin)
    objs = [json.loads(line) for line in out.stdout.splitlines()]
    assert [o["answered"] for o in objs] == [True, False, True]
    assert "too long" in objs[1]["error"] and len(objs[1]["question"]) <= 200
    assert out.returncode == 2


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("command", [["ask", "--json", "-"], ["chat"]])
def test_an_overlong_line_is_not_held_in_memory(run, command) -> None:
    """Peak memory with a 64 MB line is that of a short one (it was ~2.5× the line)."""
    # VmHWM, not ru_maxrss: the latter counts the (test) parent's memory at the fork.
    # `main`, not the `pusherbot` command: that one ends with os._exit, before a probe could run.
    probe = ("import re, sys\n"
             "from pusherbot.cli import main\n"
             f"main({command!r})\n"
             "status = open('/proc/self/status').read()\n"
             "print('PEAK', re.search(r'VmHWM:\\s*(\\d+)', status).group(1), file=sys.stderr)")

    def peak_kib(stdin: bytes) -> int:
        out = run("-c", probe, python_args=True, stdin=stdin,
                  env={"PUSHERBOT_HISTORY": os.devnull})
        assert "too long" in out.stdout + out.stderr or len(stdin) < 100, out.stderr[-500:]
        return int(out.stderr.rsplit("PEAK", 1)[1])

    small = peak_kib(b"x\n")
    big = peak_kib(b"z" * (64 << 20) + b"\n")
    assert big - small < 24 << 10, (small, big)


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


def test_index_text_mode_on_a_valid_index(run, index_dir) -> None:
    out = run("index")
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr
    first, second = out.stdout.splitlines()
    assert " passages from 2 documents (25 reviews) in " in first
    assert second.startswith(f"index: {index_dir}{os.sep}index-")


def test_a_corpus_without_passages_is_one_line(run, tmp_path) -> None:
    seeds = tmp_path / "headings"
    seeds.mkdir()
    (seeds / "notes.md").write_text("# Only\n\n## Headings\n", encoding="utf-8")
    for args in (("ask", "hi"), ("index",)):
        out = run(*args, "--seeds", str(seeds), "--index-dir", str(tmp_path / "i"))
        assert out.returncode == 1 and str(seeds) in out.stderr, out.stderr
        assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_a_seeds_folder_that_cannot_be_listed_is_one_line(tmp_path, monkeypatch, capsys) -> None:
    from pusherbot.cli import main

    seeds = tmp_path / "locked"
    seeds.mkdir()
    (seeds / "notes.md").write_text("Some text about the film.\n", encoding="utf-8")
    real_iterdir = Path.iterdir

    def iterdir(self: Path):
        if self == seeds:  # as chmod 000 does for anyone but root (the tests may run as root)
            raise PermissionError(13, "Permission denied", str(self))
        return real_iterdir(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    code = main(["ask", "--seeds", str(seeds), "--index-dir", str(tmp_path / "i"), "hi"])
    err = capsys.readouterr().err
    assert code == 1 and str(seeds) in err and "Permission denied" in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root lists any folder")
def test_a_seeds_folder_without_permissions_is_one_line(run, tmp_path) -> None:
    seeds = tmp_path / "locked"
    seeds.mkdir()
    (seeds / "notes.md").write_text("Some text about the film.\n", encoding="utf-8")
    seeds.chmod(0)
    try:
        out = run("ask", "--seeds", str(seeds), "--index-dir", str(tmp_path / "i"), "hi")
    finally:
        seeds.chmod(0o755)
    assert out.returncode == 1 and str(seeds) in out.stderr and "Traceback" not in out.stderr


def test_a_seed_symlinked_out_of_the_seeds_folder_is_refused(run, tmp_path) -> None:
    outside = tmp_path / "private"
    outside.mkdir()
    (outside / "secret.txt").write_text("The vault password is swordfish.\n", encoding="utf-8")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "notes.md").write_text("The film was shot in Copenhagen.\n", encoding="utf-8")
    (seeds / "passwd.txt").symlink_to(outside / "secret.txt")
    out = run("ask", "--json", "--seeds", str(seeds), "--index-dir", str(tmp_path / "i"),
              "what is the vault password")
    assert out.returncode == 1 and "swordfish" not in out.stdout, out.stdout
    assert "passwd.txt" in out.stderr and "outside the seeds folder" in out.stderr
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1


HEAVY = ("torch", "sentence_transformers", "faiss", "onnxruntime", "transformers")


@pytest.mark.parametrize("args", [["--help"], ["ask", "--top-k", "0", "q"], ["ask", ""],
                                  ["index", "--json"]])
def test_no_heavy_import_for_help_bad_arguments_or_a_valid_index(run, args) -> None:
    # These probes call `main`: the `pusherbot` command itself ends with os._exit.
    probe = ("import sys\n"
             "from pusherbot.cli import main\n"
             f"try:\n    main({args!r})\n"
             "except SystemExit:\n    pass\n"
             f"print('HEAVY', sorted(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)")
    out = run("-c", probe, python_args=True)
    assert "HEAVY []" in out.stderr, out.stderr[-500:]


def test_one_shot_ask_on_an_exact_index_loads_neither_faiss_nor_torch(run) -> None:
    # The flat index is searched with numpy (retrieval/index/ann.FlatVectors), the question
    # encoded with onnxruntime; numpy.ma (np.unique) and importlib.metadata (the library
    # versions a build records) are not needed either: what `ask` imports is its start-up.
    probe = ("import sys\n"
             "from pusherbot.cli import main\n"
             "main(['ask', '--json', 'who was the cinematographer'])\n"
             "print('LOADED', sorted(m for m in ('faiss', 'torch', 'sentence_transformers', "
             "'numpy.ma', 'importlib.metadata') if m in sys.modules), file=sys.stderr)")
    out = run("-c", probe, python_args=True)
    assert "Søborg" in out.stdout and "LOADED []" in out.stderr, out.stderr[-500:]


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


@pytest.mark.parametrize(("line", "what"), [
    ("[1, 2]", "not an eval question object"),  # JSON, but not an object
    ("{not json", "not a JSON object"),
    ('{"turns": [{"answers": []}]}', "not a conversation object"),
    ('{"turns": ["who plays him?"]}', "not a conversation object"),
])
def test_a_bad_line_of_an_eval_file_is_one_line_naming_it(run, tmp_path, line, what) -> None:
    f = tmp_path / "q.jsonl"
    f.write_text(line + "\n", encoding="utf-8")
    out = run("eval", str(f))
    assert out.returncode == 1
    assert out.stderr.strip().splitlines() == [f"{f}:1: {what}"], out.stderr[-500:]


def test_chat_answers_lines_until_quit(run) -> None:
    out = run("chat", stdin="who plays gry\nquit\nnot asked\n",
              env={"PUSHERBOT_HISTORY": os.devnull})
    assert out.returncode == 0, out.stderr
    assert "Maria Erwolter" in out.stdout and "not asked" not in out.stdout


def test_which_reviewer_said_it_prints_the_author_above_the_quote(run) -> None:
    out = run("ask", "which reviewer said it was as powerful as once were warriors")
    assert out.returncode == 0, out.stderr
    head, _, rest = out.stdout.partition("\n")
    assert head.startswith("From gotchast's review (10/10") and "once were warriors" in rest
