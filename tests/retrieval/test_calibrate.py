"""The fitted calibration (retrieval/answer/calibrate.py): the logistic fit itself, that it only
ever overturns a refusal, and, on the real seeds, a refusal it overturns and one it keeps; the
fit script end to end on a small file."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from retrieval.answer.calibrate import (
    CALIBRATION_FILE,
    Calibration,
    Signals,
    fit,
    load_calibration,
)
from retrieval.answer.verify import Verdict
from retrieval.settings import REPO_ROOT


def _rows(n: int = 200, seed: int = 7) -> tuple[list[Signals], list[bool]]:
    """Signals where `share` predicts the label (with noise) and `noise` does not."""
    rng = np.random.default_rng(seed)
    rows, labels = [], []
    for _ in range(n):
        y = bool(rng.random() < 0.5)
        share = float(rng.normal(0.7 if y else 0.3, 0.15))
        rows.append(Signals({"share": share, "noise": float(rng.normal())},
                            "person" if rng.random() < 0.5 else "other"))
        labels.append(y)
    return rows, labels


def test_fit_reaches_the_optimum_of_the_penalised_likelihood() -> None:
    rows, labels = _rows()
    model = fit(rows, labels, threshold=0.5, l2=1.0)
    # At the optimum the gradient of the penalised log-loss is zero: checked independently of
    # the Newton steps that found it.
    z = np.array([[(v - m) / sd for v, m, sd in zip(model.vector(r), model.mean, model.scale,
                                                    strict=True)] + [1.0] for r in rows])
    w = np.array([*model.weights, model.bias])
    p = 1 / (1 + np.exp(-z @ w))
    gradient = z.T @ (p - np.asarray(labels, float)) + np.r_[w[:-1] * 1.0, 0.0]
    assert np.abs(gradient).max() < 1e-6
    assert model.weights[model.names.index("share")] > 1.0  # the informative signal counts
    assert abs(model.weights[model.names.index("noise")]) < 0.5
    assert model.types == ("other", "person")


def test_probability_orders_by_the_informative_signal_and_round_trips(tmp_path: Path) -> None:
    rows, labels = _rows()
    model = fit(rows, labels, threshold=0.6)
    low = model.probability(Signals({"share": 0.1, "noise": 0.0}, "person"))
    high = model.probability(Signals({"share": 0.9, "noise": 0.0}, "person"))
    assert 0.0 < low < 0.2 < 0.8 < high < 1.0
    stored = tmp_path / "c.json"
    stored.write_text(json.dumps(model.to_json()))
    again = load_calibration(stored)
    assert again == model
    assert load_calibration(tmp_path / "absent.json") is None  # the rules alone then decide


def _constant(p: float) -> Calibration:
    """A model that gives probability p whatever it reads."""
    return Calibration(("x",), (), (0.0,), (1.0,), (0.0,), math.log(p / (1 - p)), 0.7)


def test_decide_only_overturns_a_refusal_and_never_a_firm_one() -> None:
    s = Signals({"x": 0.0}, "other")
    refused = Verdict(False, 0.2, 1, "the closest passages are not close enough")
    answered = Verdict(True, 0.5, 0, "answered: the quote matches the question")
    overturned, p = _constant(0.9).decide(refused, s, 0.32)
    assert overturned.answered and overturned.first == 1 and overturned.confidence == 0.32
    assert "not close enough" in overturned.reason and p == pytest.approx(0.9)
    assert _constant(0.6).decide(refused, s, 0.32)[0] == refused  # below the fitted threshold
    assert _constant(0.01).decide(answered, s, 0.32)[0] == answered  # it never refuses more
    firm = Verdict(False, 0.1, 0, "too short to be a question about the documents (…)")
    assert _constant(0.99).decide(firm, s, 0.32)[0] == firm


def test_shipped_calibration_loads_with_the_engine(engine) -> None:
    assert engine.calibration is not None and engine.calibration == load_calibration()
    assert CALIBRATION_FILE.is_file()


def test_a_refusal_the_signals_outweigh_is_answered_from_the_pointed_review(engine) -> None:
    from retrieval.engine import Engine

    question = "what service did the r96sk guy watch it on"
    rules_only = Engine(engine.settings, engine.index, engine.encoder)  # no calibration
    refused = rules_only.answer(question)
    assert not refused.answered
    assert refused.analysis["calibration"]["rules_answer"] is False
    answer = engine.answer(question)
    assert answer.answered and "Viaplay" in answer.results[0].quote
    assert answer.analysis["calibration"]["probability"] >= engine.calibration.threshold
    assert "outweigh the rule that refused" in answer.analysis["decision"]


@pytest.mark.parametrize("question", [
    "how much did pusher 2 make at the box office",  # a blank field
    "who won the 2018 world cup",
    "what's a good recipe for lasagna",
])
def test_refusals_with_weak_signals_stay_refused(engine, question) -> None:
    answer = engine.answer(question)
    assert not answer.answered, answer.analysis["decision"]
    assert answer.analysis["calibration"]["probability"] < engine.calibration.threshold


def test_fit_script_reports_files_left_out_and_writes_weights(settings, engine, tmp_path) -> None:
    questions = tmp_path / "q.jsonl"
    rows = [("who directed pusher 2", ["Refn"]), ("who plays tonny", ["Mads Mikkelsen"]),
            ("what year did it come out", ["2004"]), ("who won the 2018 world cup", []),
            ("how do i bake sourdough bread", [])]
    questions.write_text("".join(json.dumps({"question": q, "answers": a}) + "\n"
                                 for q, a in rows))
    other = tmp_path / "r.jsonl"
    other.write_text("".join(json.dumps({"question": q, "answers": a}) + "\n"
                             for q, a in [("who was the cinematographer", ["Søborg"]),
                                          ("whats the capital of peru", [])]))
    out = tmp_path / "calibration.json"
    env = os.environ | {"PUSHERBOT_INDEX_DIR": str(settings.index_dir),
                        "PUSHERBOT_SEEDS": str(settings.seeds_dir)}
    done = subprocess.run([sys.executable, str(REPO_ROOT / "scripts" / "fit_calibration"),
                           str(questions), str(other), "--out", str(out)],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "q.jsonl" in done.stdout and "r.jsonl" in done.stdout and "threshold" in done.stdout
    model = load_calibration(out)
    assert model is not None and len(model.weights) == len(model.names) + len(model.types)


@pytest.mark.parametrize(("reason", "is_firm"), [
    ("no candidate quote names the place or work asked for (a proper noun that is nobody's)", True),
    ("the article leaves the budget blank", True),
    ("the closest passages are not close enough", False),
    ("no candidate quote holds a duration about what was asked", False),
    ("no candidate quote says whether the person asked about lives", True),
    ("the documents tell no one how to do things (the question asks for instructions)", True),
    ("the question names Grey Harbour, which no passage mentions", True),
])
def test_firm_refusals_are_never_overturned(reason, is_firm) -> None:
    from retrieval.answer.calibrate import firm

    assert firm(reason) is is_firm
    refused = Verdict(False, 0.1, 0, reason)
    decided, _ = _constant(0.99).decide(refused, Signals({"x": 0.0}, "other"), 0.32)
    assert decided.answered is not is_firm
