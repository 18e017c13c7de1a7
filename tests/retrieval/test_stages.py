"""The answer path as named stages (retrieval/answer/ranker.py, quoter.py, judge.py), each
with a typed result, on the real model and seeds: run by hand, they give what `answer` gives."""

from __future__ import annotations

from retrieval.answer.analyse import Analysis, analyse
from retrieval.answer.retrieve import Found, Ranking, Shown
from retrieval.answer.verify import Verdict


def stages(engine, q: str) -> tuple[Analysis, Found, Ranking, Shown, Verdict, dict]:
    """analyse → retrieve → fuse → quote → verify, one call each, as `Engine.answer` wires them
    for a question with no reviewer, review or other part named."""
    qvec = engine.encoder.encode([q])[0]
    analysis = analyse(q, engine.knowledge, engine._is_name, engine._is_everyday)
    found = engine._ranker.retrieve(q, qvec, analysis)
    ranking = engine._ranker.fuse(q, found, analysis, "hybrid", qvec)
    shown = engine._quoter(ranking, qvec, found.weights, analysis, 3, q)
    verdict, read = engine._judge(q, analysis, shown, found.weights, ranking.score)
    return analysis, found, ranking, shown, verdict, read


def test_the_stages_run_by_hand_give_the_engines_answer(engine) -> None:
    q = "who is the cinematographer"
    analysis, found, ranking, shown, verdict, read = stages(engine, q)
    assert isinstance(found, Found) and set(analysis.evidence) <= set(found.idx.tolist())
    assert isinstance(ranking, Ranking) and sorted(ranking.order) == sorted(found.idx.tolist())
    assert ranking.order[0] == analysis.evidence[0]  # the infobox line the graph read
    assert isinstance(shown, Shown) and len(shown.top) == 3
    for i in shown.top:  # verbatim
        assert shown.quotes[i] in engine.index.passages[i].text
    assert isinstance(verdict, Verdict) and verdict.answered and read["rules_answer"] is True
    answer = engine.answer(q)
    assert answer.results[0].quote == shown.quotes[shown.top[verdict.first]]
    assert "Morten Søborg" in answer.results[0].quote


def test_the_judge_refuses_what_the_documents_do_not_say(engine) -> None:
    # capitalised: a title no passage writes
    *_, verdict, _read = stages(engine, "Who directed Reservoir Dogs?")
    assert not verdict.answered and "reservoir dogs" in verdict.reason.lower()


def test_proximity_pairs_reach_the_quote_stage(engine) -> None:
    # the quoter credits "kurt attacks": the window holding it is quoted
    answer = engine.answer("who does kurt attack at his place")
    assert "After Kurt attacks a prostitute" in answer.results[0].quote
