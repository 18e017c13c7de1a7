"""`pusherbot bench`: cold start, warm latency and its split, build, memory; `--scale N` too.

Everything is measured in one run on this machine, so ratios (warm answer / bare query encoding,
approximate / exact search) are meaningful even when absolute times move with load. Progress
goes to stderr so that `--json` output stays clean.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from retrieval.fsutil import usable_cpus
from retrieval.settings import Settings

Log = Callable[[str], None]
STAGES = ("encode", "analyse", "retrieve", "fusion", "quote", "verify")
COLD_QUESTION = "Who was the cinematographer of Pusher II?"


def run_bench(settings: Settings, *, scale: int | None, questions_path: Path,
              min_questions: int = 200, cold_runs: int = 3, build: bool = True,
              max_encoded: int = 4000, log: Log | None = None) -> dict:
    """Measure the current corpus (and a synthetic one of `scale` passages); JSON-ready dict."""
    log = log or _stderr
    result: dict = {"machine": _machine(), "settings": {"encoder": settings.encoder,
                                                        "index_dir": str(settings.index_dir)}}
    log("bench: making sure the index is built")
    result["index"] = _run_cli(["index", "--json"], settings, parse_json=True)
    result["cold_ask"] = _cold_ask(settings, cold_runs, log)
    log("bench: loading the engine in this process (cached index)")
    from retrieval.engine import Engine  # after the subprocesses: keep their timing clean

    t0 = time.perf_counter()
    engine = Engine.load(settings)
    result["startup_cached_s"] = round(time.perf_counter() - t0, 3)
    result["encoder"] = engine.encoder.name
    result["passages"] = engine.index.manifest["passage_count"]
    result["vector_index"] = engine.index.manifest.get("vector_index", {"kind": "flat"})
    questions = _questions(questions_path)
    result["warm"] = _warm(engine, questions, min_questions, log)
    if build:
        result["build"] = _build_from_scratch(settings, log)
    result["peak_rss_mb"] = _peak_rss_mb()
    if scale:
        result["scale"] = measure_scale(settings.seeds_dir, scale, engine.encoder, questions,
                                        max_encoded=max_encoded, settings=settings, log=log)
        result["peak_rss_mb"] = _peak_rss_mb()
    return result


def _warm(engine, questions: list[str], min_questions: int, log: Log) -> dict:
    """Answer latency over >= min_questions (the file repeated), beside bare query encoding."""
    reps = -(-min_questions // max(1, len(questions)))
    qs = questions * reps
    log(f"bench: warm latency over {len(qs)} questions")
    for q in questions[:5]:  # first calls allocate; not what a warm answer costs
        engine.answer(q)
    totals, bare = [], []
    stages: dict[str, list[float]] = {s: [] for s in STAGES}
    for q in qs:
        # Bare encoding and the answer alternate, so any load on the machine hits both alike.
        t0 = time.perf_counter()
        engine.encoder.encode([q])
        t1 = time.perf_counter()
        split: dict[str, float] = {}
        engine.answer(q, timings=split)
        t2 = time.perf_counter()
        bare.append(t1 - t0)
        totals.append(t2 - t1)
        for s in STAGES:
            stages[s].append(split.get(s, 0.0))
    total_ms = _stats_ms(totals)
    bare_ms = _stats_ms(bare)
    return {
        "questions": len(qs), "distinct_questions": len(questions),
        "answer_ms": total_ms, "bare_encode_ms": bare_ms,
        "ratio_median_to_bare_encode": round(total_ms["median"] / bare_ms["median"], 2),
        "split_ms_median": {s: round(float(np.median(v)) * 1000, 3) for s, v in stages.items()},
        "split_share": {s: round(float(np.sum(v) / np.sum(totals)), 3)
                        for s, v in stages.items()},
    }


def _cold_ask(settings: Settings, runs: int, log: Log) -> dict:
    """Wall time and peak memory of one-shot `pusherbot ask` processes (cached index)."""
    log(f"bench: cold one-shot ask x{runs + 1} (first run warms the page cache, not counted)")
    _run_cli(["ask", COLD_QUESTION], settings)
    walls, rss = [], []
    for _ in range(runs):
        r = _run_cli(["ask", COLD_QUESTION], settings)
        walls.append(r["wall_s"])
        rss.append(r["peak_rss_mb"])
    return {"runs": runs, "wall_s": [round(w, 3) for w in walls],
            "wall_s_median": round(float(np.median(walls)), 3),
            "peak_rss_mb": round(max(rss), 1), "command": f"pusherbot ask {COLD_QUESTION!r}"}


def _build_from_scratch(settings: Settings, log: Log) -> dict:
    """`pusherbot index --rebuild` into a scratch folder, then its cached start-up."""
    log("bench: index build from scratch (scratch folder; the live index is untouched)")
    scratch = Path(tempfile.mkdtemp(prefix="pusherbot-bench-index-"))
    try:
        s = settings.with_(index_dir=scratch)
        built = _run_cli(["index", "--rebuild", "--json"], s, parse_json=True)
        cached = _run_cli(["index", "--json"], s, parse_json=True)
        manifest = _live_manifest(scratch)
        texts = manifest.get("passage_count", 0) + manifest.get("sentence_count", 0)
        return {
            "wall_s": round(built["wall_s"], 2), "peak_rss_mb": built["peak_rss_mb"],
            "passages": manifest.get("passage_count"), "texts_encoded": texts,
            "passages_per_s": round(manifest.get("passage_count", 0) / built["wall_s"], 1),
            "texts_per_s": round(texts / built["wall_s"], 1),
            "build_seconds_in_manifest": manifest.get("build_seconds"),
            "cached_index_command_s": round(cached["wall_s"], 3),
        }
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _run_cli(args: list[str], settings: Settings, *, parse_json: bool = False) -> dict:
    """Run `pusherbot ARGS` in a fresh process; wall time, its own peak RSS, output."""
    exe = Path(sys.executable).with_name("pusherbot")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "pusherbot"]
    env = dict(os.environ, PUSHERBOT_SEEDS=str(settings.seeds_dir),
               PUSHERBOT_INDEX_DIR=str(settings.index_dir), PUSHERBOT_ENCODER=settings.encoder)
    if settings.model_path is not None:
        env["PUSHERBOT_MODEL"] = str(settings.model_path)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd + args, stdout=out, stderr=err, env=env)
        # wait4 rather than wait: it returns this child's own resource usage (peak RSS).
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if proc.returncode != 0:
        raise RuntimeError(f"`pusherbot {' '.join(args)}` failed ({proc.returncode}): "
                           f"{stderr.strip()[-500:]}")
    r = {"wall_s": wall, "peak_rss_mb": round(usage.ru_maxrss / 1024, 1)}
    if parse_json:
        r.update(json.loads(stdout.strip().splitlines()[-1]))
    return r


def _live_manifest(root: Path) -> dict:
    from retrieval.index.store import StaleIndex, live_build

    try:
        return json.loads((live_build(root) / "manifest.json").read_text(encoding="utf-8"))
    except (StaleIndex, OSError, ValueError):
        return {}


def _questions(path: Path) -> list[str]:
    qs = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            qs.append(json.loads(line)["question"])
    if not qs:
        raise ValueError(f"no questions in {path}")
    return qs


def _stats_ms(seconds: list[float]) -> dict:
    a = np.asarray(seconds) * 1000
    return {"median": round(float(np.median(a)), 3), "p95": round(float(np.percentile(a, 95)), 3),
            "max": round(float(a.max()), 3), "n": len(a)}


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _machine() -> dict:
    return {"cores": usable_cpus(), "python": platform.python_version(), "platform": platform.platform(),
            "load_avg_1m_at_start": round(os.getloadavg()[0], 2),
            "note": "other processes may share these cores; re-run to compare"}


def _stderr(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def format_table(result: dict) -> str:
    """The benchmark as a human-readable table."""
    w, rows = result["warm"], list[tuple[str, str]]()
    add = rows.append
    m = result["machine"]
    add(("machine", f"{m['cores']} cores, Python {m['python']}, load avg {m['load_avg_1m_at_start']}"))
    add(("corpus", f"{result['passages']} passages, {result['vector_index'].get('kind')} index, "
                   f"query encoder {result['encoder']}"))
    c = result["cold_ask"]
    add(("one-shot ask, cached index", f"{c['wall_s_median']:.2f} s median of {c['runs']} "
                                       f"({', '.join(f'{x:.2f}' for x in c['wall_s'])}); "
                                       f"peak {c['peak_rss_mb']:.0f} MB"))
    add(("start-up, cached index (in-process)", f"{result['startup_cached_s']:.2f} s"))
    a, b = w["answer_ms"], w["bare_encode_ms"]
    add((f"warm answer ({w['questions']} questions)",
         f"median {a['median']:.2f} ms, p95 {a['p95']:.2f} ms, max {a['max']:.2f} ms"))
    add(("bare query encoding", f"median {b['median']:.2f} ms, p95 {b['p95']:.2f} ms"))
    add(("warm median / bare encoding", f"{w['ratio_median_to_bare_encode']:.2f}x"))
    add(("split (median ms)", ", ".join(f"{s} {v:.2f}" for s, v in w["split_ms_median"].items())))
    if "build" in result:
        bl = result["build"]
        add(("index build from scratch", f"{bl['wall_s']:.1f} s: {bl['passages']} passages "
                                         f"({bl['passages_per_s']:.1f}/s), {bl['texts_encoded']} "
                                         f"texts encoded ({bl['texts_per_s']:.1f}/s); peak "
                                         f"{bl['peak_rss_mb']:.0f} MB"))
        add(("`pusherbot index`, cached", f"{bl['cached_index_command_s']:.2f} s"))
    add(("peak memory (this process)", f"{result['peak_rss_mb']:.0f} MB"))
    if "scale" in result:
        rows += _scale_rows(result["scale"])
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"{k.ljust(width)}  {v}" for k, v in rows)


def measure_scale(seeds_dir: Path, n: int, encoder, questions: list[str], *,
                  max_encoded: int = 4000, seed: int = 0, end_to_end: bool = True,
                  settings: Settings | None = None, log: Log | None = None) -> dict:
    """The index choose_spec picks for n synthetic passages: build, size, memory, latency,
    recall@10 against exact search on the same vectors (and BM25 build/query at n)."""
    import faiss

    from pusherbot.synthetic import build_synthetic, exact_topk
    from retrieval.index import ann

    log = log or _stderr
    out: dict = {"n": n}
    log(f"bench --scale: encoding up to {max_encoded:,} synthetic passages with {encoder.name}")
    t0 = time.perf_counter()
    sample, vectors = build_synthetic(seeds_dir, n, encoder, seed=seed, max_encoded=max_encoded)
    out["encode_s"] = round(time.perf_counter() - t0, 1)
    out["encoded_per_s"] = round(len(sample) / max(out["encode_s"], 1e-9), 1)
    out["vectors"] = vectors.plan.to_dict() | {"how": vectors.plan.describe()}
    x = vectors.array()
    real_q = encoder.encode(list(dict.fromkeys(questions)))
    queries = np.vstack([real_q, vectors.queries(300)])
    log("bench --scale: exact ground truth (streamed)")
    truth = exact_topk(x, queries, 10)
    spec = ann.choose_spec(n, settings.vector_index if settings else "auto")
    out["spec"] = spec.to_dict()
    log(f"bench --scale: building {spec.describe()} over {n:,} vectors")
    rss0, t0 = _rss_mb(), time.perf_counter()
    built = ann.build_vector_index(x, spec)
    out["build_s"] = round(time.perf_counter() - t0, 1)
    out["index_rss_mb"] = round(_rss_mb() - rss0, 1)
    with tempfile.TemporaryDirectory(prefix="pusherbot-scale-") as tmp:
        path = Path(tmp) / "dense.faiss"
        faiss.write_index(built, str(path))
        del built
        out["size_on_disk_mb"] = round(path.stat().st_size / 2**20, 1)
        t0 = time.perf_counter()
        index = ann.load_vector_index(str(path), spec)  # what a server starts with
        out["load_s"] = round(time.perf_counter() - t0, 2)
    out["search_ms"] = _search_latency(index, queries, 600)
    nr = len(real_q)
    out["recall_at_10"] = {
        "real_questions": round(ann.recall_at_k(index, truth[:nr], queries[:nr]), 4),
        "synthetic_queries": round(ann.recall_at_k(index, truth[nr:], queries[nr:]), 4),
        "n_real": nr, "n_synthetic": len(queries) - nr}
    if not spec.exact:  # the anchor: exact search over the same vectors
        exact = ann.build_vector_index(x, ann.VectorIndexSpec("flat"))
        out["exact_search_ms"] = _search_latency(exact, queries, 60)
        del exact
    if end_to_end:
        out["end_to_end"] = _engine_at_scale(settings or Settings(), n, seed, x, index, encoder,
                                             questions, log)
    out["peak_rss_mb"] = _peak_rss_mb()
    return out


def _engine_at_scale(settings: Settings, n: int, seed: int, x: np.ndarray, dense, encoder,
                     questions: list[str], log: Log) -> dict:
    """The real Engine over the synthetic corpus: BM25 build, then warm answers and their split.

    Synthetic passages are made of seed sentences, so sentence vectors are real encodings."""
    from pusherbot.synthetic import seed_sentences, synthetic_sentence_ids
    from retrieval.answer.calibrate import load_calibration
    from retrieval.engine import Engine
    from retrieval.index.bm25 import BM25
    from retrieval.index.store import LoadedIndex
    from retrieval.knowledge.graph import EMPTY
    from retrieval.passage import Passage

    log(f"bench --scale: BM25 and the engine over {n:,} synthetic passages")
    sentences = seed_sentences(settings.seeds_dir)
    passages, rows = [], []
    for i, ids in enumerate(synthetic_sentence_ids(sentences, n, seed)):
        spans, pos = [], 0
        for j in ids:
            spans.append((pos, pos + len(sentences[j])))
            pos += len(sentences[j]) + 1
        text = " ".join(sentences[j] for j in ids)
        passages.append(Passage(id=i, doc="synthetic.txt", doc_title="Synthetic", source="text",
                                kind="prose", section=None, start=0, end=len(text), text=text,
                                sentences=tuple(spans)))
        rows.extend(ids)
    rss0, t0 = _rss_mb(), time.perf_counter()
    bm25 = BM25.build([p.text for p in passages])
    out: dict[str, Any] = {"bm25_build_s": round(time.perf_counter() - t0, 1),
           "bm25_rss_mb": round(_rss_mb() - rss0, 1)}
    counts = np.fromiter((len(p.sentences) for p in passages), dtype=np.int64, count=n)
    loaded = LoadedIndex(Path(tempfile.gettempdir()), {"passage_count": n, "blank_fields": []},
                         passages, x, encoder.encode(sentences), np.asarray(rows, np.int64),
                         np.concatenate([[0], np.cumsum(counts)]), dense, bm25,
                         EMPTY)  # shuffled sentences state no cast or relations
    engine = Engine(settings, loaded, encoder, calibration=load_calibration())
    for q in questions[:5]:
        engine.answer(q)
    totals: list[float] = []
    rest: list[float] = []
    split: dict[str, list[float]] = {s: [] for s in STAGES}
    for q in (questions * (-(-200 // len(questions))))[:max(200, len(questions))]:
        t: dict[str, float] = {}
        t0 = time.perf_counter()
        engine.answer(q, timings=t)
        totals.append(time.perf_counter() - t0)
        rest.append(totals[-1] - t.get("encode", 0.0))
        for s in STAGES:
            split[s].append(t.get(s, 0.0))
    out |= {"answer_ms": _stats_ms(totals), "excluding_encoding_ms": _stats_ms(rest),
            "split_ms_median": {s: round(float(np.median(v)) * 1000, 3)
                                for s, v in split.items()}}
    return out


def _search_latency(index, queries: np.ndarray, count: int) -> dict:
    from retrieval.index import ann

    times = []
    for i in range(count):
        t = time.perf_counter()
        ann.search(index, queries[i % len(queries)], 10)
        times.append(time.perf_counter() - t)
    return _stats_ms(times)


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _scale_rows(s: dict) -> list[tuple[str, str]]:
    r, lat = s["recall_at_10"], s["search_ms"]
    rows = [
        (f"scale: {s['n']:,} passages", s["vectors"]["how"]),
        ("scale: index", f"{_describe(s['spec'])}; build {s['build_s']:.1f} s, "
                         f"{s['size_on_disk_mb']:.0f} MB on disk, +{s['index_rss_mb']:.0f} MB "
                         f"in memory, load {s['load_s']:.2f} s"),
        ("scale: search (excl. encoding)", f"median {lat['median']:.2f} ms, p95 "
                                           f"{lat['p95']:.2f} ms"),
        ("scale: recall@10 vs exact", f"{r['real_questions']:.4f} real questions "
                                      f"({r['n_real']}), {r['synthetic_queries']:.4f} "
                                      f"synthetic ({r['n_synthetic']})"),
    ]
    if "exact_search_ms" in s:
        e = s["exact_search_ms"]["median"]
        rows.append(("scale: exact search (anchor)",
                     f"median {e:.1f} ms = {e / max(lat['median'], 1e-9):.0f}x the index"))
    if "end_to_end" in s:
        e = s["end_to_end"]
        rows.append(("scale: BM25 build", f"{e['bm25_build_s']:.0f} s, +{e['bm25_rss_mb']:.0f} MB"))
        x, a = e["excluding_encoding_ms"], e["answer_ms"]
        rows.append(("scale: answer excl. encoding", f"median {x['median']:.2f} ms, p95 "
                                                     f"{x['p95']:.2f} ms ({x['n']} questions)"))
        rows.append(("scale: answer incl. encoding", f"median {a['median']:.2f} ms"))
        rows.append(("scale: split (median ms)", ", ".join(
            f"{k} {v:.2f}" for k, v in e["split_ms_median"].items())))
    rows.append(("scale: peak memory", f"{s['peak_rss_mb']:.0f} MB"))
    return rows


def _describe(spec: dict) -> str:
    from retrieval.index.ann import VectorIndexSpec

    return VectorIndexSpec.from_dict(spec).describe()
