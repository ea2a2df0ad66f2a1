"""Peak memory over an ingest of all Reuters-21578 stories, sampled along the way.

    .venv/bin/python bench/bench_memory.py [--articles 3000] [--workers 2] [--json]

Ingests the stories (JSON Lines) into a fresh SQLite store in this process and, through the
`progress` callback, samples memory at 1k, 2k, 3k, 5k, 10k, 15k, 20k articles and at the end (and the
workers' peaks every 250 articles, since they end with the ingest):

- `writer_peak_mb`: peak resident memory of this process (VmHWM, the kernel's high-water mark);
- `workers_peak_mb`: the sum of the worker processes' peaks (VmHWM), when there are workers;
- `total_pss_mb`: proportional set size of all of them now (shared pages counted once).

The figure that matters is `ratio_end_to_2000`: peak (writer + workers) at the end over the
peak at 2,000 articles; memory that does not grow with the input stays within 10% (<= 1.10).
Only the standard library is used (Linux /proc).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import reuters_records, write_jsonl  # noqa: E402

CHECKPOINTS = (1_000, 2_000, 3_000, 5_000, 10_000, 15_000, 20_000)
WORKER_SAMPLE_EVERY = 250  # articles between samples of the workers' peaks


def _status(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM of a process, in MiB (empty when it is gone)."""
    values: dict[str, float] = {}
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                key, _, rest = line.partition(":")
                if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
                    values[key] = int(rest.split()[0]) / 1024
    except OSError:
        pass
    return values


def _pss(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (workers, and with forkserver the server's children)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


class Sampler:
    """Counts articles through the progress callback and samples memory at checkpoints."""

    def __init__(self, checkpoints: tuple[int, ...]) -> None:
        self.checkpoints = list(checkpoints)
        self.count = 0
        self.start = time.perf_counter()
        self.workers_peak: dict[int, float] = {}  # pid -> VmHWM (kept after a worker ends)
        self.samples: list[dict] = []

    def __call__(self, n: int) -> None:
        self.count += n
        if self.checkpoints and self.count >= self.checkpoints[0]:
            self.checkpoints.pop(0)
            self.sample()
        elif self.count % WORKER_SAMPLE_EVERY == 0:
            self.sample_workers()  # workers end with the ingest: keep their latest peaks

    def sample_workers(self) -> list[int]:
        kids = descendants(os.getpid())
        for pid in kids:
            peak = _status(pid).get("VmHWM")
            if peak:
                self.workers_peak[pid] = max(peak, self.workers_peak.get(pid, 0.0))
        return kids

    def sample(self) -> dict:
        me = os.getpid()
        kids = self.sample_workers()
        writer = _status(me)
        row = {"articles": self.count, "seconds": round(time.perf_counter() - self.start, 1),
               "writer_rss_mb": round(writer["VmRSS"], 1), "writer_peak_mb": round(writer["VmHWM"], 1),
               # anonymous memory is what the program holds; file pages (the model's files,
               # the store's memory-mapped pages) are cache the kernel can drop
               "writer_anon_mb": round(writer.get("RssAnon", 0.0), 1),
               "writer_file_mb": round(writer.get("RssFile", 0.0), 1),
               "workers_peak_mb": round(sum(self.workers_peak.values()), 1),
               "total_pss_mb": round(_pss(me) + sum(_pss(pid) for pid in kids), 1)}
        row["peak_mb"] = round(row["writer_peak_mb"] + row["workers_peak_mb"], 1)
        self.samples.append(row)
        return row


def run(path: Path, workers: int, model: str) -> dict:
    from newsgraph.pipeline import ingest
    from newsgraph.settings import load_settings
    from newsgraph.store import Store

    settings = load_settings().with_overrides(model=model, n_process=workers)
    sampler = Sampler(CHECKPOINTS)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.db")
        result = ingest([str(path)], store=store, settings=settings, progress=sampler)
        end = sampler.samples[-1] if sampler.samples and sampler.samples[-1]["articles"] == sampler.count \
            else sampler.sample()
        db_mb = (Path(tmp) / "bench.db").stat().st_size / 2**20
        store.close()
    at_2000 = next((s for s in sampler.samples if s["articles"] >= 2_000), None)
    return {"benchmark": "peak memory over a Reuters-21578 ingest", "workers": workers,
            "articles": sampler.count, "stored": len(result.stored), "failures": len(result.failures),
            "seconds": end["seconds"], "db_mb": round(db_mb, 1), "samples": sampler.samples,
            "peak_mb_at_2000": at_2000 and at_2000["peak_mb"], "peak_mb_at_end": end["peak_mb"],
            "ratio_end_to_2000": at_2000 and round(end["peak_mb"] / at_2000["peak_mb"], 3),
            "writer_ratio_end_to_2000": at_2000 and round(end["writer_peak_mb"] / at_2000["writer_peak_mb"], 3)}


def print_table(report: dict) -> None:
    print(f"{'articles':>9} {'seconds':>8} {'writer RSS':>11} {'(anon':>7} {'file)':>6} {'writer peak':>12} "
          f"{'workers peak':>13} {'total PSS':>10} {'peak':>8}  (MiB)")
    for s in report["samples"]:
        print(f"{s['articles']:>9,} {s['seconds']:>8} {s['writer_rss_mb']:>11} {s['writer_anon_mb']:>7} "
              f"{s['writer_file_mb']:>6} {s['writer_peak_mb']:>12} {s['workers_peak_mb']:>13} "
              f"{s['total_pss_mb']:>10} {s['peak_mb']:>8}")
    print(f"\n{report['articles']:,} articles offered, {report['stored']:,} stored, {report['failures']} failed, "
          f"{report['workers']} worker(s); store {report['db_mb']} MiB")
    print(f"peak at 2,000: {report['peak_mb_at_2000']} MiB; at the end: {report['peak_mb_at_end']} MiB; "
          f"ratio {report['ratio_end_to_2000']} (target <= 1.10); the writer alone: "
          f"{report['writer_ratio_end_to_2000']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=0, help="Reuters stories to use (0 = all)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--model", default="auto")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args()
    path = write_jsonl(reuters_records(args.articles or None))
    try:
        report = run(path, args.workers, args.model)
    finally:
        path.unlink()
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_table(report)


if __name__ == "__main__":
    main()
