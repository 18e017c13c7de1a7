"""`pusherbot chat` transcripts: piped lines are one conversation; `--json` gives `ask --json`'s
object per line plus "resolved_question"; small talk has its own object, in `ask` too."""

from __future__ import annotations

import json
import os

import pytest

from tests.cli.test_cli import _check_schema, run  # noqa: F401 - `run` is a fixture

QUIET = {"PUSHERBOT_HISTORY": os.devnull}


def chat_json(run, *lines: str) -> list[dict]:  # noqa: F811 - the fixture, passed in
    out = run("chat", "--json", stdin="".join(f"{line}\n" for line in lines), env=QUIET)
    assert out.returncode == 0, out.stderr
    objs = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(objs) == len(lines)  # one object per line, in order
    return objs


def test_a_conversation_through_chat_json(run) -> None:  # noqa: F811
    dad, plays, ending, charlotte = chat_json(
        run, "who is tonnys dad", "who plays him?", "what happens to him at the end?",
        "and Charlotte?")
    for obj in (dad, plays, ending, charlotte):
        _check_schema(obj)
        assert "resolved_question" in obj
    assert dad["resolved_question"] is None and dad["question"] == "who is tonnys dad"
    assert plays["question"] == "who plays him?"
    assert plays["resolved_question"] == "who plays the Duke?"
    assert plays["note"] == "(taking *him* as Smeden, Tonny's father)"
    assert "Leif Sylvester" in plays["results"][0]["quote"]
    assert ending["resolved_question"] == "what happens to the Duke at the end?"
    assert charlotte["resolved_question"] == "what happens to Charlotte at the end?"


def test_new_starts_the_conversation_over(run) -> None:  # noqa: F811
    out = run("chat", "--json", stdin="who is tonnys dad\n/new\nwho plays him?\n", env=QUIET)
    first, again = [json.loads(line) for line in out.stdout.splitlines()]
    # nobody to take "him" as: the bot asks whom, it quotes no one
    assert again == {"question": "who plays him?", "answered": False, "clarify": True,
                     "message": again["message"], "results": []}
    assert again["message"].startswith("Who do you mean by “him”? Ask again with a name.")


def test_a_one_shot_ask_with_nobody_to_take_a_pronoun_as_asks_back(run) -> None:  # noqa: F811
    out = run("ask", "--json", "who plays him?")
    assert out.returncode == 0
    obj = json.loads(out.stdout)
    assert obj == {"question": "who plays him?", "answered": False, "clarify": True,
                   "message": obj["message"], "results": []}
    text = run("ask", "how does he die")
    assert text.stdout.startswith("Who do you mean by “he”?") and "—" not in text.stdout
    stream = run("ask", "--json", "-", stdin="who plays him?\nwho plays gry\n")
    first, second = [json.loads(line) for line in stream.stdout.splitlines()]
    assert first["clarify"] and second["answered"]


def test_a_pronoun_the_documents_resolve_themselves_needs_no_context(run) -> None:  # noqa: F811
    # "his kid" with no one named is the lead's (the analysis says so): answered, not asked
    (answer,) = chat_json(run, "who plays the mother of his kid")
    assert answer["answered"] and "Anne Sørensen" in answer["results"][0]["quote"]


def test_small_talk_in_chat_json_and_ask_json(run) -> None:  # noqa: F811
    hello, answer, thanks = chat_json(run, "hi", "who plays gry", "thanks!")
    assert hello == {"question": "hi", "answered": False, "smalltalk": True,
                     "message": hello["message"], "results": []}
    assert "Who plays Smeden?" in hello["message"] and "couldn't find" not in hello["message"]
    assert "Maria Erwolter" in answer["results"][0]["quote"]
    assert thanks["smalltalk"] and thanks["message"].startswith("You're welcome")
    out = run("ask", "--json", "are you a bot?")
    assert out.returncode == 0
    assert json.loads(out.stdout) == {"question": "are you a bot?", "answered": False,
                                      "smalltalk": True, "message": hello["message"],
                                      "results": []}
    stream = run("ask", "--json", "-", stdin="hello\nwho plays gry\n")
    first, second = [json.loads(line) for line in stream.stdout.splitlines()]
    assert first["smalltalk"] and second["answered"]


def test_chat_at_the_terminal_shows_how_a_follow_up_was_taken(run) -> None:  # noqa: F811
    out = run("chat", stdin="who is the mother of tonnys kid\nwho plays her\nhelp\n", env=QUIET)
    assert out.returncode == 0, out.stderr
    assert "(taking her as Charlotte, the mother of Tonny's child)" in out.stdout
    assert "Anne Sørensen" in out.stdout and "Try for example:" in out.stdout


@pytest.mark.parametrize("bad", [b"\n", b"\xff\xfe\n", b"y" * 5_000_000 + b"\n"])
def test_a_bad_line_in_chat_json_is_one_error_object(run, bad: bytes) -> None:  # noqa: F811
    out = run("chat", "--json", stdin=b"who is tonnys dad\n" + bad + b"who plays him?\n",
              env=QUIET)
    first, error, last = [json.loads(line) for line in out.stdout.splitlines()]
    assert error["answered"] is False and error["error"] and error["results"] == []
    assert last["resolved_question"] == "who plays the Duke?"  # the conversation goes on
    assert out.returncode == 2 and "Traceback" not in out.stderr
