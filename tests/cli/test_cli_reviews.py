"""`pusherbot reviews`, the summary line in `ask`, and `eval` on the labelled review files."""

from __future__ import annotations

import json
import re

import pytest

from tests.cli.test_cli import run  # noqa: F401 - the module's fixture, reused
from tests.conftest import REPO_ROOT

DATA = REPO_ROOT / "tests" / "data"


def test_reviews_prints_the_chart_the_counts_and_a_quote_per_side(run) -> None:  # noqa: F811
    out = run("reviews")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "Ratings:"
    assert lines[1].startswith("  10 ███") and lines[1].endswith(" 3")  # three 10/10 reviews
    assert "25 of the 25 reviews give a verdict on the film: 21 positive" in out.stdout
    for side in ("Positive:", "Mixed:", "Negative:"):
        assert side in lines
    assert "— IMDb review ‘Not Nearly as Good as the First Film’ by Uriah43, 4/10" in out.stdout


def test_reviews_aspect_highlights_the_discussing_reviews(run) -> None:  # noqa: F811
    out = run("reviews", "--aspect", "the ending")
    assert out.returncode == 0, out.stderr
    assert "Ratings (reviews discussing the ending highlighted):" in out.stdout
    assert "░" in out.stdout and "reviews discuss the ending:" in out.stdout
    assert "by gotchast, 10/10" in out.stdout


def test_reviews_json_is_the_ask_object_with_the_reviews_summary(run) -> None:  # noqa: F811
    out = run("reviews", "--json", "--aspect", "the music")
    obj = json.loads(out.stdout)
    assert obj["answered"] and obj["reviews"]["aspect"] == "the music"
    assert obj["reviews"]["discussing"] == len(obj["results"]) > 0
    assert all(r["quote"] in r["passage"] and r["source"] == "review" for r in obj["results"])


@pytest.mark.parametrize("aspect", ["", "   ", "x" * 1001])
def test_a_bad_aspect_is_a_usage_error(run, aspect: str) -> None:  # noqa: F811
    out = run("reviews", "--aspect", aspect)
    assert out.returncode == 2 and out.stderr.startswith("error: --aspect") and not out.stdout


def test_ask_shows_the_summary_line_above_the_quotes(run) -> None:  # noqa: F811
    out = run("ask", "--top-k", "2", "what did people think of the ending?")
    assert out.returncode == 0, out.stderr
    first = out.stdout.splitlines()[0]
    found = re.match(r"(\d+) of the 25 reviews discuss the ending: ", first)
    assert found and int(found.group(1)) > 2, first
    assert out.stdout.count("— IMDb review") == 2
    assert f"(and {int(found.group(1)) - 2} more reviews)" in out.stdout


def test_ask_json_carries_the_reviews_object(run) -> None:  # noqa: F811
    obj = json.loads(run("ask", "--json", "is it worth watching").stdout)
    r = obj["reviews"]
    assert set(r) == {"aspect", "total", "discussing", "positive", "mixed", "negative",
                      "unrated", "ratings", "average"}
    assert r["total"] == 25 and obj["summary"].startswith(f"{r['discussing']} of the 25")
    record = json.loads(run("ask", "--json", "who gave it 10/10?").stdout)
    assert "reviews" not in record and record["summary"].startswith("3 reviews of the 25 gave it")


def test_eval_recognises_the_labelled_review_files(run) -> None:  # noqa: F811
    sentiment = run("eval", "--json", str(DATA / "sentiment.jsonl"))
    assert sentiment.returncode == 0, sentiment.stderr
    assert json.loads(sentiment.stdout)["kind"] == "sentiment"
    opinions = run("eval", str(DATA / "opinions.jsonl"))
    assert opinions.returncode == 0, opinions.stderr
    assert "aspect recall" in opinions.stdout and "records: 39 questions" in opinions.stdout
