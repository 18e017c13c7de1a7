"""`pusherbot bench` end to end on a small corpus: every figure it promises is there and sane.

Timings are what the benchmark reports, not what tests assert; this checks that it measures.
"""

from __future__ import annotations

import json
from pathlib import Path

from pusherbot.bench import format_table, run_bench
from retrieval.settings import Settings
from tests.conftest import SEEDS


def test_bench_measures_the_corpus_and_an_ivf_index_at_scale(tmp_path: Path) -> None:
    questions = tmp_path / "q.jsonl"
    questions.write_text("".join(json.dumps({"id": str(i), "question": q, "answers": []}) + "\n"
                                 for i, q in enumerate(["Who was the cinematographer?",
                                                        "Who plays the Duke?",
                                                        "What happens to Tonny's baby?"])))
    settings = Settings(seeds_dir=SEEDS, index_dir=tmp_path / "index", vector_index="ivf")
    logs: list[str] = []
    r = run_bench(settings, scale=3000, questions_path=questions, min_questions=12, cold_runs=1,
                  build=False, max_encoded=300, log=logs.append)

    assert r["cold_ask"]["runs"] == 1 and r["cold_ask"]["wall_s_median"] > 0
    w = r["warm"]
    assert w["questions"] == 12 and w["distinct_questions"] == 3
    assert set(w["split_ms_median"]) == {"encode", "analyse", "retrieve", "fusion", "quote", "verify"}
    assert w["answer_ms"]["median"] >= w["split_ms_median"]["encode"] > 0
    assert r["vector_index"]["kind"] == "ivf" and r["peak_rss_mb"] > 0

    s = r["scale"]
    assert s["n"] == 3000 and s["spec"]["kind"] == "ivf"
    assert s["vectors"]["encoded"] == 300  # the rest synthesised, and the report says so
    assert "300" in s["vectors"]["how"]
    assert s["recall_at_10"]["real_questions"] >= 0.9  # IVF against exact on the same vectors
    assert s["size_on_disk_mb"] > 0 and "exact_search_ms" in s
    assert s["end_to_end"]["excluding_encoding_ms"]["n"] >= 200

    table = format_table(r)
    for row in ("one-shot ask", "warm median / bare encoding", "scale: recall@10 vs exact",
                "scale: exact search (anchor)", "peak memory"):
        assert row in table
    assert logs  # progress goes to the log, not into the results
