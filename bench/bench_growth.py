"""Flat cost per article as the store grows: per-article time and resident memory of the
normal write path at 10k, 50k, 100k and 200k articles.

    .venv/bin/python bench/bench_growth.py                 # the acceptance run (10k -> 200k)
    .venv/bin/python bench/bench_growth.py --quick         # a smoke test (2k -> 20k)
    .venv/bin/python bench/bench_growth.py --steps --dir D --reuse   # statements whose reads grow
    .venv/bin/python bench/bench_growth.py --pages --dir D --reuse   # B-trees whose written pages grow

Articles come from `growth_news.NewsStream`: distinct synthetic news (recombined sentences,
new people, organisations and dates, copies, rewrites and corrections at a few percent),
built as `ArticleRecords` with no parsing. Everything goes through the library's write path:
`Store.add_article` (families, actor resolution, stories, relations) or, for an exact copy,
`Store.add_copy`, as ingest does. Publication dates advance with the stream (150 articles a
day, as a news feed's would), so the duplicate families' LSH window of months
(`families.EPOCH_REACH`) holds about three months of news at every size.

1. Build: one process grows one store, in transactions of `--chunk` articles (the bulk path:
   the same calls, fewer commits). At each checkpoint the store file is copied aside, and the
   build process's resident memory is noted: a long ingest's memory as the store grows.
2. Time: for each round, for each checkpoint in turn (interleaved, so that the other work on
   a shared machine falls on all sizes alike), a fresh process opens a copy of that
   checkpoint's store, adds `--warm` articles untimed (filling SQLite's page cache), then times
   the next `--batch` articles, each in its own transaction as ingest writes them, and reports
   wall and CPU time per article and its resident memory.

Prints per checkpoint the median over rounds, and the ratio last/first (target <= 1.15).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import resource
import shutil
import sqlite3
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from growth_news import NewsStream  # noqa: E402

from newsgraph.store import Store  # noqa: E402

FULL = (10_000, 50_000, 100_000, 200_000)
# The figures of a timed batch besides its times and memory, with their column widths and
# decimals in the report (the call counts are missing where /proc/self/io is)
CALL_FIGURES = (("sys_ms_per_article", 10, 2), ("reads_per_article", 7, 0), ("writes_per_article", 7, 0))
QUICK = (2_000, 5_000, 10_000, 20_000)
# `--steps` counts virtual-machine steps in units of this many
STEP_GRAIN = 20
# what a diagnostic counts on a checkpoint store
T = TypeVar("T")


def rss_mib() -> float:
    """Resident memory of this process now, in MiB."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def feed(store: Store, items) -> dict[str, int]:
    """Write generated articles as ingest does; returns how many were stored and copied."""
    counts = {"stored": 0, "copies": 0}
    for item in items:
        if store.stored_id(item.article) is not None:
            counts["copies"] += int(store.add_copy(item.article))
        elif store.add_article(item.article, item.records):
            counts["stored"] += 1
    return counts


def build(path: Path, sizes: tuple[int, ...], *, seed: int, chunk: int, folder: Path,
          done: dict[int, dict] | None = None, log=print) -> dict[int, dict]:
    """Grow one store to each size in turn, copying it aside at each; returns per size the
    copy's path, the build's resident memory there and its articles per second. Sizes in
    `done` (an earlier build's, with their copies) are not built again: the build resumes
    from the largest of them (article `n` is a pure function of the seed and `n`), and
    `built.json` in `folder` is rewritten at each checkpoint, so that an interrupted build
    keeps what it finished."""
    done = dict(done or {})
    n = max((size for size in done if size <= max(sizes)), default=0)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    if n:
        shutil.copyfile(done[n]["snapshot"], path)
        log(f"resuming the build from {n:,} articles")
    # another process writes the articles while this one stores them
    with Store(path) as store, multiprocessing.get_context("spawn").Pool(1) as pool:
        for size in sizes:
            if size <= n:
                continue
            start = time.perf_counter()
            first = n
            spans = [(seed, k, min(size, k + chunk)) for k in range(n, size, chunk)]
            for items in _one_ahead(pool, spans):
                with store.atomic():
                    feed(store, items)
                n += len(items)
            seconds = time.perf_counter() - start
            store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            snapshot = folder / f"store-{size}.db"
            shutil.copyfile(path, snapshot)
            done[size] = {"snapshot": str(snapshot), "build_rss_mib": round(rss_mib(), 1),
                          "build_articles_per_s": round((n - first) / max(seconds, 1e-9), 1),
                          "store_mib": round(os.path.getsize(path) / 2**20, 1)}
            (folder / "built.json").write_text(json.dumps(done))
            log(f"built {size:,} articles ({done[size]['build_articles_per_s']} articles/s, "
                f"{done[size]['store_mib']} MiB, build process {done[size]['build_rss_mib']} MiB resident)")
    return done


def _one_ahead(pool, spans: list[tuple[int, int, int]]) -> Iterator[list]:
    """Each span's articles, the next span's made in the pool while these are stored. One
    ahead only: `Pool.imap` would make them all at once (generating is far faster than
    storing) and hold every article not yet stored in this process's memory, which the
    build's resident memory would then report as the store's."""
    if not spans:
        return
    pending = pool.apply_async(_generate, (spans[0],))
    for following in spans[1:]:
        items = pending.get()
        pending = pool.apply_async(_generate, (following,))
        yield items
    yield pending.get()


def _generate(span: tuple[int, int, int]) -> list:
    seed, first, end = span
    stream = NewsStream(seed)
    return [stream.generate(k) for k in range(first, end)]


def time_batch(path: str, *, start: int, batch: int, warm: int, seed: int) -> dict:
    """In this process: add `warm` articles untimed, then time `batch` more, one transaction each."""
    stream = NewsStream(seed)
    warm_items = [stream.generate(k) for k in range(start, start + warm)]
    items = [stream.generate(k) for k in range(start + warm, start + warm + batch)]
    with Store(path) as store:
        feed(store, warm_items)
        rss_before = rss_mib()
        usage, io = resource.getrusage(resource.RUSAGE_SELF), io_calls()
        wall, cpu = time.perf_counter(), time.process_time()
        counts = feed(store, items)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        usage_after, io_after = resource.getrusage(resource.RUSAGE_SELF), io_calls()
        rss_after = rss_mib()
    return {"ms_per_article": 1000 * wall / batch, "cpu_ms_per_article": 1000 * cpu / batch,
            "sys_ms_per_article": 1000 * (usage_after.ru_stime - usage.ru_stime) / batch,
            **{f"{k}_per_article": (io_after[k] - io[k]) / batch for k in io},
            "rss_mib": rss_after, "rss_growth_mib": rss_after - rss_before, **counts}


def io_calls() -> dict[str, int]:
    """This process's read and write system calls so far (Linux's /proc/self/io; empty elsewhere).
    Unlike times, they do not depend on the machine's load: SQLite reads a page with one call
    when its page cache lacks it, and writes one to the log with two."""
    try:
        with open("/proc/self/io") as fh:
            fields = dict(line.split(":") for line in fh if ":" in line)
    except OSError:
        return {}
    return {"reads": int(fields["syscr"]), "writes": int(fields["syscw"])}


def explain_write_path(path: str, *, start: int, count: int, seed: int) -> list[dict]:
    """Add `count` articles to the store at `path` with SQL tracing on, and return the query
    plan of every distinct statement the write path ran; `scan` marks those that read a whole
    table or sort in a temporary B-tree (work that may grow with the store)."""
    stream = NewsStream(seed)
    items = [stream.generate(k) for k in range(start, start + count)]
    statements: dict[str, str] = {}

    def trace(sql: str) -> None:
        statements.setdefault(_shape(sql), sql)

    plans = []
    with Store(path) as store:
        store.conn.set_trace_callback(trace)
        feed(store, items)
        store.conn.set_trace_callback(None)
        for shape, sql in statements.items():
            if not re.match(r"\s*(SELECT|INSERT|UPDATE|DELETE|WITH)", sql, re.IGNORECASE):
                continue
            plan = [row[3] for row in store.conn.execute("EXPLAIN QUERY PLAN " + sql)]
            scan = any(re.match(r"SCAN (?!CONSTANT|\(subquery)", p) or "TEMP B-TREE" in p for p in plan)
            plans.append({"statement": shape, "plan": plan, "scan": scan})
    return plans


def _shape(sql: str) -> str:
    """The shape of a statement: literals and lists of them folded, so that one statement run
    with other values counts as one."""
    return re.sub(r"\s+", " ", re.sub(r"(\?\s*,\s*)+\?", "?", re.sub(r"'[^']*'|\b\d+(\.\d+)?\b", "?", sql)))


def steps_per_statement(path: str, *, start: int, count: int, seed: int) -> dict[str, tuple[float, float]]:
    """Add `count` articles to the store at `path` and return, per statement shape the write
    path ran, its SQLite virtual machine steps and the times the trace saw it start, per
    article (the triggers a statement fires count in it, and each trigger's start again;
    the full-text index's own statements count apart). Steps count the rows and index entries a
    statement visits whatever the machine's load, so a statement whose steps grow between two
    sizes of store reads more as the store grows (a scan, or a search on an index that does
    not serve its lookup)."""
    stream = NewsStream(seed)
    items = [stream.generate(k) for k in range(start, start + count)]
    steps: dict[str, int] = {}
    runs: dict[str, int] = {}
    current = [""]

    def trace(sql: str) -> None:
        current[0] = _shape(sql)
        runs[current[0]] = runs.get(current[0], 0) + 1

    def step() -> int:
        steps[current[0]] = steps.get(current[0], 0) + 1
        return 0

    with Store(path) as store:
        store.conn.set_trace_callback(trace)
        store.conn.set_progress_handler(step, STEP_GRAIN)
        feed(store, items)
        store.conn.set_progress_handler(None, STEP_GRAIN)
        store.conn.set_trace_callback(None)
    return {shape: (STEP_GRAIN * steps.get(shape, 0) / count, n / count) for shape, n in runs.items()}


def pages_per_btree(path: str, *, start: int, count: int, seed: int, warm: int = 0) -> dict[str, tuple[float, float]]:
    """Add `warm` articles, then `count` more, each in its own transaction as ingest writes
    them, with checkpoints held back; returns per table and index the pages its commits wrote
    to the write-ahead log per article, and how many distinct pages those were per article:
    what a checkpoint copies into the store's file, and what the page cache had to hold. A
    B-tree that gains rows at random places dirties about one page per row once it is larger
    than what `count` articles touch, so its distinct pages grow with the store until then
    (page counts, unlike times, do not depend on the machine's load)."""
    stream = NewsStream(seed)
    warm_items = [stream.generate(k) for k in range(start, start + warm)]
    items = [stream.generate(k) for k in range(start + warm, start + warm + count)]
    with Store(path) as store:
        feed(store, warm_items)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.conn.execute("PRAGMA wal_autocheckpoint = 0")
        feed(store, items)
        try:
            owner = {page: name for name, page in store.conn.execute("SELECT name, pageno FROM dbstat")}
        except sqlite3.OperationalError as e:
            raise SystemExit(f"--pages needs SQLite's dbstat table, which this SQLite lacks ({e})") from e
        frames = _wal_pages(Path(f"{path}-wal"))
    written = Counter(owner.get(page, "(new pages)") for page in frames)
    distinct = Counter(owner.get(page, "(new pages)") for page in set(frames))
    return {name: (written[name] / count, distinct[name] / count) for name in written}


def _wal_pages(wal: Path) -> list[int]:
    """The page number of each frame of a write-ahead log, in order (the WAL file format:
    a 32-byte header, then per frame a 24-byte header, whose first field is the page number,
    and the page)."""
    data = wal.read_bytes()
    if len(data) < 32:
        return []
    page_size = struct.unpack(">I", data[8:12])[0]
    return [struct.unpack(">I", data[at:at + 4])[0] for at in range(32, len(data) - 23, 24 + page_size)]


def steps_growth(first: dict, last: dict) -> list[tuple[float, float, float, str]]:
    """(growth, steps at the first size, at the last, statement) per statement, most grown first."""
    rows = [(last.get(k, (0.0, 0.0))[0] - first.get(k, (0.0, 0.0))[0], first.get(k, (0.0, 0.0))[0],
             last.get(k, (0.0, 0.0))[0], k) for k in first.keys() | last.keys()]
    return sorted(rows, reverse=True)


def copy_store(snapshot: str | Path, copy: Path) -> None:
    """Copy a checkpoint's store and wait until the copy is on disk: otherwise the kernel
    writes the copy back (gigabytes at 200k articles) while the next batch is timed, and
    throttles that batch's own writes, a cost that grows with the store's file, not with
    its write path."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(snapshot, copy)
    with open(copy, "rb+") as fh:
        os.fsync(fh.fileno())


def run_batch_process(snapshot: str, work: Path, *, start: int, batch: int, warm: int, seed: int) -> dict:
    """`time_batch` in a fresh process, on a fresh copy of a checkpoint's store."""
    copy = work / "timed.db"
    copy_store(snapshot, copy)
    out = subprocess.run([sys.executable, __file__, "--time-batch", str(copy), "--start", str(start),
                          "--batch", str(batch), "--warm", str(warm), "--seed", str(seed)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def at_both_ends(built: dict, copy: Path, count: Callable[[str, int], T]) -> tuple[T, T]:
    """`count(path, size)` on a fresh copy of the smallest and of the largest checkpoint's store."""
    found = []
    for size in (min(built), max(built)):
        copy_store(built[size]["snapshot"], copy)
        found.append(count(str(copy), size))
    return found[0], found[1]


def checkpoints(folder: Path, sizes: tuple[int, ...], *, seed: int, chunk: int, reuse: bool, log=print) -> dict:
    """`build`'s checkpoint stores; with `reuse`, those an earlier build left in `folder`
    (building only the sizes it did not reach, from the largest it did)."""
    built_file = folder / "built.json"
    earlier = ({int(k): v for k, v in json.loads(built_file.read_text()).items()}
               if reuse and built_file.exists() else {})
    earlier = {size: row for size, row in earlier.items() if Path(row["snapshot"]).exists()}
    if all(size in earlier for size in sizes):
        return earlier
    return build(folder / "growing.db", sizes, seed=seed, chunk=chunk, folder=folder, done=earlier, log=log)


def measure(sizes: tuple[int, ...], *, batch: int, warm: int, rounds: int, seed: int, chunk: int,
            folder: Path, reuse: bool = False, log=print) -> dict:
    """Build (or, with `reuse`, take the checkpoint stores a `build` left in `folder`), then
    time interleaved rounds; returns per-size medians and the ratios last/first."""
    built = checkpoints(folder, sizes, seed=seed, chunk=chunk, reuse=reuse, log=log)
    if rounds == 0:
        return {"built": built}
    runs: dict[int, list[dict]] = {size: [] for size in sizes}
    for r in range(rounds):
        for size in sizes:
            result = run_batch_process(built[size]["snapshot"], folder, start=size, batch=batch, warm=warm,
                                       seed=seed)
            runs[size].append(result)
            log(f"round {r + 1}, {size:,}: {result['ms_per_article']:.2f} ms/article "
                f"(CPU {result['cpu_ms_per_article']:.2f}), {result['rss_mib']:.0f} MiB resident")
    table = {}
    for size in sizes:
        table[size] = {key: round(statistics.median(run[key] for run in runs[size]), 3)
                       for key in ("ms_per_article", "cpu_ms_per_article", *(k for k, _, _ in CALL_FIGURES),
                                   "rss_mib", "rss_growth_mib") if key in runs[size][0]}
        table[size].update({k: built[size][k] for k in ("build_rss_mib", "build_articles_per_s", "store_mib")})
    first, last = table[sizes[0]], table[sizes[-1]]
    ratios = {key: round(last[key] / first[key], 3) for key in
              ("ms_per_article", "cpu_ms_per_article", *(k for k, _, _ in CALL_FIGURES), "rss_mib", "build_rss_mib")
              if first.get(key)}
    return {"sizes": list(sizes), "batch": batch, "rounds": rounds, "table": table, "ratios": ratios,
            "runs": {size: runs[size] for size in sizes}, "load_average": [round(x, 2) for x in os.getloadavg()]}


def report(figures: dict) -> str:
    lines = [f"{'articles':>9} {'ms/article':>11} {'CPU ms':>8} {'of it sys':>10} {'reads':>7} {'writes':>7} "
             f"{'resident MiB':>13} {'build MiB':>10} {'store MiB':>10}"]
    for size in figures["sizes"]:
        row = figures["table"][size]
        calls = "".join(f" {row[k]:>{w}.{p}f}" if k in row else f" {'-':>{w}}" for k, w, p in CALL_FIGURES)
        lines.append(f"{size:>9,} {row['ms_per_article']:>11.2f} {row['cpu_ms_per_article']:>8.2f}{calls} "
                     f"{row['rss_mib']:>13.1f} {row['build_rss_mib']:>10.1f} {row['store_mib']:>10.1f}")
    ratios = figures["ratios"]
    verdict = "ok" if max(ratios["ms_per_article"], ratios["rss_mib"], ratios["build_rss_mib"]) <= 1.15 else "OVER 1.15"
    lines.append(f"last/first: time {ratios['ms_per_article']} (CPU {ratios['cpu_ms_per_article']}), "
                 f"resident {ratios['rss_mib']} (timed process) / {ratios['build_rss_mib']} (build process): "
                 f"{verdict}; system calls per article: reads {ratios.get('reads_per_article', '-')}, writes "
                 f"{ratios.get('writes_per_article', '-')}; medians of {figures['rounds']} rounds of "
                 f"{figures['batch']} articles; load average "
                 f"{', '.join(map(str, figures['load_average']))} on {os.cpu_count()} CPUs")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="2k, 5k, 10k, 20k articles, smaller batches")
    parser.add_argument("--sizes", help="comma-separated checkpoint sizes (default 10k,50k,100k,200k)")
    parser.add_argument("--batch", type=int, help="articles timed per batch (default 1000; 300 with --quick)")
    parser.add_argument("--warm", type=int, default=200, help="articles added untimed before each batch")
    parser.add_argument("--rounds", type=int, default=3, help="timed batches per checkpoint (median taken)")
    parser.add_argument("--chunk", type=int, default=1000, help="articles per transaction while building")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", help="folder for the stores (default: a temporary one, removed after)")
    parser.add_argument("--reuse", action="store_true",
                        help="time the checkpoint stores an earlier run left in --dir instead of building them "
                             "(a build it did not finish resumes from its largest checkpoint)")
    parser.add_argument("--explain", action="store_true",
                        help="print the query plans of the write path's statements at the largest size, "
                             "those that scan or sort first")
    parser.add_argument("--steps", action="store_true",
                        help="count the SQLite steps of each statement of the write path at the smallest and the "
                             "largest size, and print those that grew most (what reads more as the store grows)")
    parser.add_argument("--pages", action="store_true",
                        help="count the pages each table and index of the write path dirties per article at the "
                             "smallest and the largest size (--batch articles, at most 300: the log is kept whole), "
                             "those that grew most first (what checkpoints write and the page cache holds)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--time-batch", help=argparse.SUPPRESS)  # internal: one timed batch
    parser.add_argument("--start", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.time_batch:
        print(json.dumps(time_batch(args.time_batch, start=args.start, batch=args.batch, warm=args.warm,
                                    seed=args.seed)))
        return
    sizes = tuple(int(s) for s in args.sizes.split(",")) if args.sizes else (QUICK if args.quick else FULL)
    batch = args.batch or (300 if args.quick else 1000)
    folder = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="nggrowth-"))
    folder.mkdir(parents=True, exist_ok=True)
    log = lambda line: print(line, file=sys.stderr, flush=True)  # noqa: E731 - progress, apart from the figures
    try:
        if args.explain or args.steps or args.pages:
            built = checkpoints(folder, sizes, seed=args.seed, chunk=args.chunk, reuse=args.reuse, log=log)
        if args.explain:
            largest = max(built)
            copy = folder / "explain.db"
            copy_store(built[largest]["snapshot"], copy)
            plans = explain_write_path(str(copy), start=largest, count=batch, seed=args.seed)
            for plan in sorted(plans, key=lambda p: not p["scan"]):
                print(("SCAN/SORT " if plan["scan"] else "indexed   ") + plan["statement"][:160])
                print("          " + " | ".join(plan["plan"]))
            return
        if args.steps:
            first, last = at_both_ends(built, folder / "steps.db", lambda path, size: steps_per_statement(
                path, start=size, count=batch, seed=args.seed))
            print(f"VM steps per article: {sum(v[0] for v in first.values()):.0f} at {min(built):,}, "
                  f"{sum(v[0] for v in last.values()):.0f} at {max(built):,}; the statements that grew most:")
            for grown, a, b, shape in steps_growth(first, last)[:25]:
                print(f"{grown:+9.0f} {a:9.0f} {b:9.0f}  {shape[:140]}")
            return
        if args.pages:
            first, last = at_both_ends(built, folder / "pages.db", lambda path, size: pages_per_btree(
                path, start=size, count=min(batch, 300), warm=args.warm, seed=args.seed))
            print(f"pages per article (written to the log / distinct): {sum(v[0] for v in first.values()):.0f} / "
                  f"{sum(v[1] for v in first.values()):.0f} at {min(built):,}, {sum(v[0] for v in last.values()):.0f} / "
                  f"{sum(v[1] for v in last.values()):.0f} at {max(built):,}; distinct pages by table or index:")
            rows = sorted(((last.get(k, (0.0, 0.0))[1] - first.get(k, (0.0, 0.0))[1], k) for k in first.keys() | last.keys()),
                          reverse=True)
            for grown, name in rows[:25]:
                print(f"{grown:+7.1f} {first.get(name, (0.0, 0.0))[1]:7.1f} {last.get(name, (0.0, 0.0))[1]:7.1f}  {name}")
            return
        figures = measure(sizes, batch=batch, warm=args.warm, rounds=args.rounds, seed=args.seed, chunk=args.chunk,
                          folder=folder, reuse=args.reuse, log=log)
    finally:
        if not args.dir:
            shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps(figures, indent=2) if args.json or "table" not in figures else report(figures))


if __name__ == "__main__":
    main()
