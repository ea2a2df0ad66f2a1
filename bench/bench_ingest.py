"""Ingest throughput and peak memory versus plain spaCy `nlp.pipe`, measured in one run.

    .venv/bin/python bench/bench_ingest.py --articles 1000 --rounds 3
    .venv/bin/python bench/bench_ingest.py --corpus polnear --articles 0 --rounds 3
    .venv/bin/python bench/bench_ingest.py --articles 1000 --rounds 3 --kinds plain,newsgraph

Each measurement runs in a fresh process (so peak memory is its own). In process, the
clock running from the model loaded to the last article:

- `plain` parses the texts with the same spaCy model and nothing else;
- `newsgraph` runs the whole ingest as `ingest` does by default (read JSON Lines, identity,
  language, parse, extract actors and events, write SQLite): on two cores or more one
  process parses while the other extracts and writes;
- `serial` is the same in one process (`--workers 1`), to show that path did not regress;
- `actors_only` is the default ingest with event coding off, so the report can say what
  coding adds.

As whole processes, the clock running from start to exit as a user times them (interpreter
start-up and model load included): `plain_process` is a `python -c` that loads the model and
pipes the texts of the same file; `newsgraph_process` is `newsgraph ingest FILE` into a
fresh store.

Rounds alternate the order, and the report gives medians and the ratios newsgraph / plain
(higher is better; the target is >= 0.95 both ways) and the share of ingest time event coding
adds (target <= 20%). A ratio is given as the median of each round's own ratio (plain and
newsgraph measured in the same round, so a machine that slows down or speeds up between
rounds moves both); on a shared machine that is the steadier figure. The overlap needs two
free cores to show: the report gives the cores this process may use and the load average.
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
from common import median, peak_rss_mb, polnear_records, reuters_records, write_jsonl  # noqa: E402


def run_plain(path: str, model: str, batch_size: int) -> dict:
    import spacy

    from newsgraph.nlp import resolve_model_name
    from newsgraph.sources import read_sources
    from newsgraph.settings import load_settings

    texts = [r.text for r in read_sources([path], settings=load_settings())]
    nlp = spacy.load(resolve_model_name(model))
    nlp("warm up")
    cpu = cpu_seconds()
    start = time.perf_counter()
    tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=batch_size))
    seconds = time.perf_counter() - start
    return {"articles": len(texts), "tokens": tokens, "seconds": seconds, "peak_mb": peak_rss_mb(),
            "cpu_s": cpu_seconds()[0] - cpu[0]}


def run_actors_only(path: str, model: str, batch_size: int) -> dict:
    return run_newsgraph(path, model, batch_size, events=False)


def run_newsgraph(path: str, model: str, batch_size: int, *, events: bool = True, workers: int | None = None) -> dict:
    from newsgraph.nlp import load_nlp
    from newsgraph.pipeline import ingest
    from newsgraph.settings import load_settings
    from newsgraph.store import Store

    settings = load_settings().with_overrides(model=model, batch_size=batch_size, extract_events=events,
                                              n_process=workers)
    load_nlp(settings.model)("warm up")
    with tempfile.TemporaryDirectory() as tmp:
        # warm up as plain spaCy is warmed up: the lexicons and gazetteers load on first use
        # (a second or two, once per process), which a long ingest never notices
        warm = Store(Path(tmp) / "warm.db")
        ingest([str(WARM_UP)], store=warm, settings=settings.with_overrides(n_process=1))
        warm.close()
        store = Store(Path(tmp) / "bench.db")
        cpu = cpu_seconds()
        start = time.perf_counter()
        result = ingest([path], store=store, settings=settings)
        seconds = time.perf_counter() - start
        spent = [now - before for now, before in zip(cpu_seconds(), cpu)]
        mentions = store.count("mentions")
        events_found = store.count("events")
        store.close()
    # throughput counts every article offered, as for plain: duplicates skipped before parsing
    # are part of what ingest does with the same input
    offered = len(result.stored) + result.duplicates + len(result.failures)
    return {"articles": offered, "stored": len(result.stored), "mentions": mentions,
            "cpu_s": spent[0], "parser_cpu_s": spent[1],
            "events": events_found, "seconds": seconds,
            "failures": len(result.failures), "peak_mb": peak_rss_mb()}


def cpu_seconds() -> tuple[float, float]:
    """CPU seconds (user and system) of this process, and of its child processes that ended."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def run_serial(path: str, model: str, batch_size: int) -> dict:
    return run_newsgraph(path, model, batch_size, workers=1)


def run_plain_process(path: str, model: str, batch_size: int) -> dict:
    from newsgraph.nlp import resolve_model_name

    code = PLAIN_PROCESS.format(model=resolve_model_name(model), path=path, batch_size=batch_size)
    return _timed_process([sys.executable, "-c", code], "plain")


def run_newsgraph_process(path: str, model: str, batch_size: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Path(tmp) / "settings.toml"
        settings.write_text(f'[nlp]\nmodel = "{model}"\nbatch_size = {batch_size}\n', "utf-8")
        command = [str(Path(sys.executable).with_name("newsgraph")), "ingest", path, "--db", str(Path(tmp) / "n.db"),
                   "--settings", str(settings), "--no-progress", "--json"]
        return _timed_process(command, "newsgraph")


# What a user would write to parse a JSON Lines file with spaCy and nothing else.
PLAIN_PROCESS = """
import json, spacy
nlp = spacy.load("{model}")
with open("{path}", encoding="utf-8") as fh:
    texts = [r.get("text") or r.get("body") for r in map(json.loads, fh)]
tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size={batch_size}))
print(json.dumps({{"articles": len(texts), "tokens": tokens}}))
"""


def _timed_process(command: list[str], kind: str) -> dict:
    """Run `command` from start to exit; its wall time and what it printed last (JSON)."""
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{kind} process failed ({done.returncode}):\n{done.stderr[-3000:]}")
    printed = json.loads(done.stdout[done.stdout.index("{"):])
    if kind == "plain":
        return {"articles": printed["articles"], "seconds": seconds}
    offered = len(printed["stored"]) + printed["duplicates"] + len(printed["failures"])
    return {"articles": offered, "seconds": seconds, "failures": len(printed["failures"])}


def measure(kind: str, path: Path, args) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--worker", kind, "--input", str(path), "--model", args.model,
         "--batch-size", str(args.batch_size)],
        capture_output=True, text=True,
    )
    if out.returncode != 0:
        sys.exit(f"the {kind} run failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", choices=("reuters", "polnear"), default="reuters",
                        help="Reuters-21578 stories (short wire copy) or PolNeAR's political articles (long)")
    parser.add_argument("--articles", type=int, default=2000, help="articles to use (0 = all)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--model", default="auto")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--kinds", default=",".join(WORKERS),
                        help=f"measurements to make, comma-separated (default all: {','.join(WORKERS)})")
    parser.add_argument("--worker", choices=list(WORKERS), help=argparse.SUPPRESS)
    parser.add_argument("--input", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(WORKERS[args.worker](args.input, args.model, args.batch_size)))
        return
    kinds = [k for k in args.kinds.split(",") if k]
    unknown = sorted(set(kinds) - set(WORKERS))
    if unknown or not kinds:
        parser.error(f"unknown kinds {unknown}; choose among {', '.join(WORKERS)}")
    records = (reuters_records if args.corpus == "reuters" else polnear_records)(args.articles or None)
    path = write_jsonl(records)
    load_before = os.getloadavg()
    try:
        results: dict[str, list[dict]] = {kind: [] for kind in kinds}
        for round_ in range(args.rounds):
            order = kinds if round_ % 2 == 0 else list(reversed(kinds))
            for kind in order:
                results[kind].append(measure(kind, path, args))
                print(f"round {round_ + 1} {kind}: {results[kind][-1]['articles'] / results[kind][-1]['seconds']:.1f} "
                      f"articles/s, load {os.getloadavg()[0]:.1f}", file=sys.stderr, flush=True)
        report(results, len(records), args.corpus, load=(load_before, os.getloadavg()))
    finally:
        path.unlink()


def report(results: dict[str, list[dict]], n: int, corpus: str, *, load: tuple) -> None:
    from newsgraph.pipeline import choose_engine, usable_cores
    from newsgraph.settings import load_settings

    def rate(r: dict) -> float:
        return r["articles"] / r["seconds"]

    def ratio(ours: str, theirs: str) -> dict:
        if ours not in results or theirs not in results:
            return {}
        rounds = [rate(o) / rate(t) for o, t in zip(results[ours], results[theirs])]
        return {f"ratio_{ours}_to_{theirs}": round(median(rounds), 3),
                f"ratios_per_round_{ours}": [round(r, 3) for r in rounds]}

    summary: dict = {
        "benchmark": f"ingest vs plain nlp.pipe ({'Reuters-21578' if corpus == 'reuters' else 'PolNeAR'})",
        "articles": n,
        "rounds": len(next(iter(results.values()))),
        "cores": usable_cores(),
        "default_engine": choose_engine(load_settings()),
        "load_average_before_after": [round(load[0][0], 1), round(load[1][0], 1)],
    }
    for kind, runs in results.items():
        summary[f"{kind}_articles_per_s"] = round(median([rate(r) for r in runs]), 1)
    summary |= ratio("newsgraph", "plain") | ratio("serial", "plain")
    summary |= ratio("newsgraph_process", "plain_process")
    if "plain" in results:
        summary["plain_tokens_per_s"] = round(median([r["tokens"] / r["seconds"] for r in results["plain"]]))
    if "actors_only" in results and "newsgraph" in results:
        actors_only = median([rate(r) for r in results["actors_only"]])
        summary["event_coding_adds"] = f"{(actors_only / summary['newsgraph_articles_per_s'] - 1) * 100:.1f}% to ingest time"
    if "plain" in results and "newsgraph" in results and results["newsgraph"][0]["parser_cpu_s"]:
        # what the overlap reaches with two free cores: the parsing process is its bottleneck
        plain_cpu = median([r["cpu_s"] / r["articles"] for r in results["plain"]])
        parser_cpu = median([r["parser_cpu_s"] / r["articles"] for r in results["newsgraph"]])
        writer_cpu = median([r["cpu_s"] / r["articles"] for r in results["newsgraph"]])
        summary["cpu_ms_per_article"] = {"plain": round(plain_cpu * 1000, 2), "newsgraph_parser": round(parser_cpu * 1000, 2),
                                         "newsgraph_writer": round(writer_cpu * 1000, 2)}
        summary["ratio_with_two_free_cores"] = round(plain_cpu / max(parser_cpu, writer_cpu), 3)
    for kind in ("newsgraph", "serial"):
        if kind in results:
            summary[f"{kind}_events"] = results[kind][0]["events"]
            summary[f"{kind}_failures"] = results[kind][0]["failures"]
    for kind in ("plain", "newsgraph", "serial"):
        if kind in results:
            summary[f"{kind}_peak_mb"] = round(median([r["peak_mb"] for r in results[kind]]))
    print(json.dumps(summary, indent=2))


WARM_UP = Path(__file__).resolve().parent.parent / "samples" / "corpus"

WORKERS = {"plain": run_plain, "newsgraph": run_newsgraph, "serial": run_serial, "actors_only": run_actors_only,
           "plain_process": run_plain_process, "newsgraph_process": run_newsgraph_process}

if __name__ == "__main__":
    main()
