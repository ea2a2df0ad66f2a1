"""Spark local mode versus the local engine on the same corpus, measured in one run.

    .venv/bin/python bench/bench_spark.py --articles 300 --rounds 3
    .venv/bin/python bench/bench_spark.py --articles 50 --rounds 1 --json     # a quick one

The same N Reuters-21578 stories (../shared/bench-data/raw_corpus) go through
(1) `newsgraph ingest FILE --db STORE --workers W` (the local engine) and
(2) `newsgraph spark FILE --output DIR --master local[W] --partitions W` followed by
`newsgraph load DIR --db STORE` (the Spark engine and the load back into SQLite),
each as the user would run it: a fresh process, wall-clock time. Rounds alternate the order
and the report gives medians, articles per second, the ratio Spark / local (time: above 1
means Spark is slower), and Spark's fixed cost measured apart: the same commands on a
single article (JVM and Spark start-up, the model loaded by each Python worker). It checks
that both stores hold the same event set (event id, CAMEO code, source and target actor
keys) and prints the check. Needs PySpark and Java 17+ (`pip install 'newsgraph[spark]'`).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import median, reuters_records, write_jsonl  # noqa: E402

NEWSGRAPH = [sys.executable, "-c", "from newsgraph.cli import cli; cli()"]


def run(args: list[str], env: dict[str, str]) -> float:
    """Seconds one `newsgraph` command takes, start to exit; stops the benchmark if it fails."""
    start = time.perf_counter()
    out = subprocess.run([*NEWSGRAPH, *args], capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
    if out.returncode != 0:
        sys.exit(f"`newsgraph {' '.join(args)}` failed:\n{out.stderr[-3000:]}")
    return seconds


def local_engine(path: Path, work: Path, workers: int, env: dict[str, str]) -> dict:
    db = work / "local.db"
    seconds = run(["ingest", str(path), "--db", str(db), "--workers", str(workers), "--no-progress"], env)
    return {"seconds": seconds, "db": db}


def spark_engine(path: Path, work: Path, workers: int, env: dict[str, str]) -> dict:
    out, db = work / "parquet", work / "spark.db"
    spark_s = run(["spark", str(path), "--output", str(out), "--master", f"local[{workers}]",
                   "--partitions", str(workers)], env)
    load_s = run(["load", str(out), "--db", str(db)], env)
    return {"seconds": spark_s + load_s, "spark_seconds": spark_s, "load_seconds": load_s, "db": db}


def event_set(db: Path) -> set[tuple]:
    """(event id, CAMEO code, source actor keys, target actor keys) of every event in a store."""
    conn = sqlite3.connect(db)
    sides: dict[tuple[str, str], list[str]] = {}
    for event_id, role, key in conn.execute(
            "SELECT event_id, role, actor_key FROM participants ORDER BY event_id, role, position"):
        sides.setdefault((event_id, role), []).append(key)
    events = {(e, code, tuple(sides.get((e, "source"), ())), tuple(sides.get((e, "target"), ())))
              for e, code in conn.execute("SELECT id, cameo FROM events")}
    conn.close()
    return events


def fresh(work: Path) -> None:
    for child in work.iterdir():
        shutil.rmtree(child) if child.is_dir() else child.unlink()


def measure(path: Path, n: int, rounds: int, workers: int, env: dict[str, str], work: Path) -> dict:
    engines = {"local": local_engine, "spark": spark_engine}
    results: dict[str, list[dict]] = {name: [] for name in engines}
    check = None
    for round_ in range(rounds):
        order = list(engines) if round_ % 2 == 0 else list(reversed(engines))
        for name in order:
            fresh(work)
            results[name].append(engines[name](path, work, workers, env))
            results[name][-1]["events"] = event_set(results[name][-1].pop("db"))
        if check is None:  # the event sets of the first round's two stores
            local, spark = results["local"][-1]["events"], results["spark"][-1]["events"]
            check = {"equal": local == spark, "local_events": len(local), "spark_events": len(spark),
                     "only_local": len(local - spark), "only_spark": len(spark - local)}
    summary = {name: {"seconds": round(median([r["seconds"] for r in rs]), 2),
                      "articles_per_s": round(n / median([r["seconds"] for r in rs]), 2)}
               for name, rs in results.items()}
    summary["spark"]["spark_seconds"] = round(median([r["spark_seconds"] for r in results["spark"]]), 2)
    summary["spark"]["load_seconds"] = round(median([r["load_seconds"] for r in results["spark"]]), 2)
    return {"runs": summary, "events": check}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=300, help="Reuters stories to use")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="local --workers and Spark local[N]")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    try:
        import pyspark  # noqa: F401
    except ImportError:
        sys.exit("PySpark is not installed: pip install 'newsgraph[spark]'")
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        sys.exit("Spark needs Java 17+ (no `java` on PATH and no JAVA_HOME)")
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable, "PYSPARK_DRIVER_PYTHON": sys.executable}
    records = reuters_records(args.articles)
    with tempfile.TemporaryDirectory(prefix="ngspark-") as tmp:
        work = Path(tmp) / "work"
        work.mkdir()
        corpus, single = write_jsonl(records, tmp), write_jsonl(records[:1], tmp)
        full = measure(corpus, len(records), args.rounds, args.workers, env, work)
        one = measure(single, 1, args.rounds, args.workers, env, work)
    local, spark = full["runs"]["local"], full["runs"]["spark"]
    figures = {
        "benchmark": f"Spark local[{args.workers}] + load vs newsgraph ingest --workers {args.workers} (Reuters-21578)",
        "articles": len(records), "rounds": args.rounds,
        "local": local, "spark": spark,
        "ratio_spark_to_local_time": round(spark["seconds"] / local["seconds"], 2),
        "one_article": {"local_seconds": one["runs"]["local"]["seconds"],
                        "spark_seconds": one["runs"]["spark"]["spark_seconds"],
                        "load_seconds": one["runs"]["spark"]["load_seconds"]},
        # what each engine costs per article once started: (N − 1) articles over the extra time
        "marginal_articles_per_s": {
            name: round((len(records) - 1) / max(full["runs"][name]["seconds"] - one["runs"][name]["seconds"], 1e-9), 2)
            for name in ("local", "spark")},
        "event_sets": full["events"],
    }
    figures["spark_start_up_seconds"] = round(one["runs"]["spark"]["seconds"] - one["runs"]["local"]["seconds"], 2)
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(figures["benchmark"] + f": {len(records)} articles, median of {args.rounds} round(s)")
    print(f"local engine   {local['seconds']:>8.2f} s   {local['articles_per_s']:>7.2f} articles/s")
    print(f"spark + load   {spark['seconds']:>8.2f} s   {spark['articles_per_s']:>7.2f} articles/s   "
          f"(spark {spark['spark_seconds']:.2f} s, load {spark['load_seconds']:.2f} s)")
    print(f"ratio spark / local (time): {figures['ratio_spark_to_local_time']}")
    o = figures["one_article"]
    print(f"one article: local {o['local_seconds']:.2f} s, spark {o['spark_seconds']:.2f} s + load "
          f"{o['load_seconds']:.2f} s; Spark's start-up beyond the local engine's: "
          f"{figures['spark_start_up_seconds']:.2f} s")
    m = figures["marginal_articles_per_s"]
    print(f"once started: local {m['local']:.2f} articles/s, spark + load {m['spark']:.2f} articles/s")
    e = figures["event_sets"]
    print(f"event sets equal: {e['equal']} (local {e['local_events']}, spark {e['spark_events']}, "
          f"only local {e['only_local']}, only spark {e['only_spark']})")


if __name__ == "__main__":
    main()
