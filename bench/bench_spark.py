"""The Spark engine (local mode, or a real standalone cluster) versus the local engine, in one run.

    .venv/bin/python bench/bench_spark.py --articles 300 --rounds 3
    .venv/bin/python bench/bench_spark.py --cluster --articles 200 --rounds 1   # standalone cluster
    .venv/bin/python bench/bench_spark.py --articles 50 --rounds 1 --json       # a quick one

The same N Reuters-21578 stories (../shared/bench-data/raw_corpus) go through
(1) `newsgraph ingest FILE --db STORE --workers W` (the local engine) and
(2) `newsgraph spark FILE --output DIR --master local[W] --partitions W` followed by
`newsgraph load DIR --db STORE` (the Spark engine and the load back into SQLite),
each as the user would run it: a fresh process, wall-clock time. With `--cluster`, (2) runs
against a Spark standalone master and W one-core workers started on 127.0.0.1 from the
PySpark package (tests/spark_cluster.py: free ports, files in a temporary folder, every
process stopped at the end), `--master spark://127.0.0.1:PORT`; the cluster's start-up is
timed apart. Rounds alternate the order and the report gives medians, articles per second,
the ratio Spark / local (time: above 1 means Spark is slower), and Spark's fixed cost
measured apart: the same commands on a single article (JVM and Spark start-up, the model
loaded by each Python worker). It checks that both stores hold the same records, every
table (tests/store_records.py), and prints the check. Needs PySpark and Java 17+
(`pip install 'newsgraph[spark]'`).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent / "tests"))
from common import median, reuters_records, write_jsonl  # noqa: E402
from spark_cluster import Cluster, cluster_env, missing_requirement, standalone_cluster  # noqa: E402
from store_records import compared_tables, record_differences, store_records  # noqa: E402

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


def spark_engine(path: Path, work: Path, workers: int, env: dict[str, str], cluster: Cluster | None) -> dict:
    out, db = work / "parquet", work / "spark.db"
    master = ["--master", cluster.master_url, *cluster.conf_args()] if cluster else ["--master", f"local[{workers}]"]
    spark_s = run(["spark", str(path), "--output", str(out), *master, "--partitions", str(workers)], env)
    load_s = run(["load", str(out), "--db", str(db)], env)
    return {"seconds": spark_s + load_s, "spark_seconds": spark_s, "load_seconds": load_s, "db": db}


def fresh(work: Path) -> None:
    for child in work.iterdir():
        shutil.rmtree(child) if child.is_dir() else child.unlink()


def measure(path: Path, n: int, rounds: int, workers: int, env: dict[str, str], work: Path,
            cluster: Cluster | None) -> dict:
    engines = {"local": lambda: local_engine(path, work, workers, env),
               "spark": lambda: spark_engine(path, work, workers, env, cluster)}
    results: dict[str, list[dict]] = {name: [] for name in engines}
    records: dict[str, dict] = {}
    for round_ in range(rounds):
        order = list(engines) if round_ % 2 == 0 else list(reversed(engines))
        for name in order:
            fresh(work)
            results[name].append(engines[name]())
            db = results[name][-1].pop("db")
            records.setdefault(name, store_records(db))  # the first round's store of each engine
    differences = record_differences(records["local"], records["spark"])
    check = {"equal": not differences, "tables_differing": sorted(differences),
             "rows_compared": sum(compared_tables(records["local"], records["spark"]).values()),
             "local_events": sum(records["local"]["events"].values()),
             "spark_events": sum(records["spark"]["events"].values())}
    summary = {name: {"seconds": round(median([r["seconds"] for r in rs]), 2),
                      "articles_per_s": round(n / median([r["seconds"] for r in rs]), 2)}
               for name, rs in results.items()}
    summary["spark"]["spark_seconds"] = round(median([r["spark_seconds"] for r in results["spark"]]), 2)
    summary["spark"]["load_seconds"] = round(median([r["load_seconds"] for r in results["spark"]]), 2)
    return {"runs": summary, "records": check}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=300, help="Reuters stories to use")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2,
                        help="local --workers, and Spark local[N] or N one-core workers of the cluster")
    parser.add_argument("--cluster", action="store_true",
                        help="run Spark on a standalone master and --workers workers on 127.0.0.1")
    parser.add_argument("--executor-memory", default="1g", help="JVM memory of each cluster executor")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    if reason := missing_requirement():
        sys.exit(reason)
    records = reuters_records(args.articles)
    with tempfile.TemporaryDirectory(prefix="ngspark-") as tmp, ExitStack() as stack:
        work = Path(tmp) / "work"
        work.mkdir()
        cluster, env, cluster_start = None, cluster_env(Path(tmp) / "cluster"), 0.0
        if args.cluster:
            start = time.perf_counter()
            cluster = stack.enter_context(standalone_cluster(Path(tmp) / "cluster", workers=args.workers,
                                                             memory=args.executor_memory))
            cluster_start, env = time.perf_counter() - start, cluster.env
        corpus, single = write_jsonl(records, tmp), write_jsonl(records[:1], tmp)
        full = measure(corpus, len(records), args.rounds, args.workers, env, work, cluster)
        one = measure(single, 1, args.rounds, args.workers, env, work, cluster)
    local, spark = full["runs"]["local"], full["runs"]["spark"]
    where = (f"a standalone cluster (master + {args.workers} one-core workers, {args.executor_memory} each)"
             if args.cluster else f"local[{args.workers}]")
    figures = {
        "benchmark": f"Spark on {where} + load vs newsgraph ingest --workers {args.workers} (Reuters-21578)",
        "articles": len(records), "rounds": args.rounds,
        "cluster_start_seconds": round(cluster_start, 2) if args.cluster else None,
        "local": local, "spark": spark,
        "ratio_spark_to_local_time": round(spark["seconds"] / local["seconds"], 2),
        "one_article": {"local_seconds": one["runs"]["local"]["seconds"],
                        "spark_seconds": one["runs"]["spark"]["spark_seconds"],
                        "load_seconds": one["runs"]["spark"]["load_seconds"]},
        # what each engine costs per article once started: (N − 1) articles over the extra time
        "marginal_articles_per_s": {
            name: round((len(records) - 1) / max(full["runs"][name]["seconds"] - one["runs"][name]["seconds"], 1e-9), 2)
            for name in ("local", "spark")},
        "records": full["records"],
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
    if args.cluster:
        print(f"cluster start-up (master and workers registered): {figures['cluster_start_seconds']:.2f} s")
    e = figures["records"]
    print(f"records equal: {e['equal']} ({e['rows_compared']:,} rows compared in every table; events local "
          f"{e['local_events']}, spark {e['spark_events']}; tables differing: {', '.join(e['tables_differing']) or 'none'})")


if __name__ == "__main__":
    main()
