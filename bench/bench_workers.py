"""Scaling of `newsgraph ingest` from 1 to 2 worker processes, measured in one run.

    .venv/bin/python bench/bench_workers.py --articles 600 --rounds 2 [--json]

Every measurement ingests the same Reuters-21578 stories (JSON Lines) into a fresh SQLite
store, in a fresh process: `--workers 1` is the in-process path (parse, extract and write in
one process), `--workers 2` parses and extracts in two worker processes while the calling
process reads and writes. Rounds alternate the order. The report gives medians of

- `wall`: the whole ingest call, model loading included (what a user waits for);
- `steady`: articles per second from the first stored article to the last (what a
  long-running firehose gets; model loading excluded),

their ratios 2 / 1 (target >= 1.7), tokens per second (tokens as the model's tokenizer counts
them) and what the steady rate means in articles per day on this machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_memory import descendants  # noqa: E402
from common import median, reuters_records, write_jsonl  # noqa: E402

SECONDS_PER_DAY = 86_400


def run_ingest(path: str, workers: int, model: str) -> dict:
    """One timed ingest of `path` into a fresh store (runs in its own process)."""
    from newsgraph.pipeline import ingest
    from newsgraph.settings import load_settings
    from newsgraph.store import Store

    settings = load_settings().with_overrides(model=model, n_process=workers)
    marks: list[float] = []
    cpu: dict[int, float] = {}  # worker pid -> CPU seconds, sampled while it runs

    def progress(n: int) -> None:
        marks.append(time.perf_counter())
        if workers > 1 and (len(marks) == 1 or marks[-1] - sample[0] > 0.5):
            sample[0] = marks[-1]
            cpu.update(_cpu_seconds(descendants(os.getpid())))

    sample = [0.0]

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.db")
        before = resource.getrusage(resource.RUSAGE_SELF)
        start = time.perf_counter()
        result = ingest([path], store=store, settings=settings, progress=progress)
        seconds = time.perf_counter() - start
        events = store.count("events")
        store.close()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    steady = (len(marks) - 1) / (marks[-1] - marks[0]) if len(marks) > 1 and marks[-1] > marks[0] else 0.0
    offered = len(result.stored) + result.duplicates + len(result.failures)
    return {"workers": workers, "articles": offered, "stored": len(result.stored), "events": events,
            "failures": len(result.failures), "seconds": seconds, "first_article_s": marks[0] - start,
            "steady_articles_per_s": steady, "writer_cpu_s": usage.ru_utime + usage.ru_stime - before.ru_utime - before.ru_stime,
            "workers_cpu_s": sorted(cpu.values(), reverse=True)[:workers]}


def _cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User + system CPU seconds of each process (from /proc/PID/stat)."""
    tick = os.sysconf("SC_CLK_TCK")
    found = {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            found[pid] = (int(fields[11]) + int(fields[12])) / tick
        except (OSError, ValueError, IndexError):
            continue
    return found


def count_tokens(path: Path, model: str) -> int:
    """Tokens of the stories as the model's tokenizer splits them (the unit of plain spaCy speed)."""
    from newsgraph.nlp import load_nlp
    from newsgraph.settings import load_settings
    from newsgraph.sources import read_sources

    tokenizer = load_nlp(model).tokenizer
    return sum(len(tokenizer(raw.text)) for raw in read_sources([str(path)], settings=load_settings())
               if hasattr(raw, "text"))


def measure(workers: int, path: Path, model: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--measure", str(workers), "--input", str(path), "--model", model],
        capture_output=True, text=True,
    )
    if out.returncode != 0:
        sys.exit(f"the {workers}-worker run failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def summarise(results: dict[int, list[dict]], tokens: int, n: int, load: float) -> dict:
    def rate(runs: list[dict]) -> float:
        return median([r["articles"] / r["seconds"] for r in runs])

    def steady(runs: list[dict]) -> float:
        return median([r["steady_articles_per_s"] for r in runs])

    one, two = results[1], results[2]
    tokens_per_article = tokens / max(1, one[0]["articles"])
    summary = {"benchmark": "ingest scaling 1 -> 2 workers (Reuters-21578)", "articles": n,
               "rounds": len(one), "cpus": os.cpu_count(), "load_average_before": load, "tokens": tokens}
    for workers, runs in results.items():
        summary[f"w{workers}_seconds"] = round(median([r["seconds"] for r in runs]), 2)
        summary[f"w{workers}_articles_per_s"] = round(rate(runs), 2)
        summary[f"w{workers}_tokens_per_s"] = round(rate(runs) * tokens_per_article)
        summary[f"w{workers}_steady_articles_per_s"] = round(steady(runs), 2)
        summary[f"w{workers}_first_article_s"] = round(median([r["first_article_s"] for r in runs]), 2)
        summary[f"w{workers}_articles_per_day"] = round(steady(runs) * SECONDS_PER_DAY)
    # What two idle cores would give, from the CPU time each process used (not the wall
    # clock, which other load on the machine distorts): three processes share two cores.
    one_cpu = median([r["writer_cpu_s"] for r in one])
    two_cpu = median([max(r["writer_cpu_s"], *r["workers_cpu_s"], (r["writer_cpu_s"] + sum(r["workers_cpu_s"])) / 2)
                      for r in two])
    summary["w1_cpu_s"] = round(one_cpu, 2)
    summary["w2_cpu_s_writer"] = round(median([r["writer_cpu_s"] for r in two]), 2)
    summary["w2_cpu_s_workers"] = round(median([sum(r["workers_cpu_s"]) for r in two]), 2)
    summary["ratio_2_to_1_cpu_model"] = round(one_cpu / two_cpu, 3)
    summary["ratio_2_to_1_wall"] = round(rate(two) / rate(one), 3)
    summary["ratio_2_to_1_steady"] = round(steady(two) / steady(one), 3)
    summary["same_results"] = all(r["stored"] == one[0]["stored"] and r["events"] == one[0]["events"]
                                  for r in one + two)
    summary["failures"] = one[0]["failures"]
    return summary


def print_table(summary: dict) -> None:
    rows = [("", "1 worker", "2 workers", "2 / 1")]
    for label, key in (("seconds (whole ingest)", "seconds"), ("articles/s (whole ingest)", "articles_per_s"),
                       ("tokens/s (whole ingest)", "tokens_per_s"), ("articles/s (steady)", "steady_articles_per_s"),
                       ("first article after (s)", "first_article_s"), ("articles/day (steady)", "articles_per_day")):
        one, two = summary[f"w1_{key}"], summary[f"w2_{key}"]
        ratio = {"articles_per_s": summary["ratio_2_to_1_wall"],
                 "steady_articles_per_s": summary["ratio_2_to_1_steady"]}.get(key, "")
        rows.append((label, f"{one:,}", f"{two:,}", str(ratio)))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for row in rows:
        print("  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths))))
    print(f"\nCPU seconds: 1 worker {summary['w1_cpu_s']}; 2 workers: writer {summary['w2_cpu_s_writer']} + "
          f"workers {summary['w2_cpu_s_workers']}; ratio 2 / 1 two idle cores would give: "
          f"{summary['ratio_2_to_1_cpu_model']}")
    print(f"{summary['articles']} Reuters stories, {summary['rounds']} round(s), medians; {summary['cpus']} CPUs; "
          f"same stored articles and events in every run: {summary['same_results']}; "
          f"load average before: {summary['load_average_before']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=600, help="Reuters stories to use (0 = all)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--model", default="auto")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--input", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(run_ingest(args.input, args.measure, args.model)))
        return
    records = reuters_records(args.articles or None)
    path = write_jsonl(records)
    try:
        load = os.getloadavg()[0]  # other work on the machine slows the wall-clock figures
        results: dict[int, list[dict]] = {1: [], 2: []}
        for round_ in range(args.rounds):
            for workers in ((1, 2) if round_ % 2 == 0 else (2, 1)):
                results[workers].append(measure(workers, path, args.model))
        summary = summarise(results, count_tokens(path, args.model), len(records), load)
    finally:
        path.unlink()
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        print_table(summary)


if __name__ == "__main__":
    main()
