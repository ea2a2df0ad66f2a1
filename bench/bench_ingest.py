"""Ingest throughput and peak memory versus plain spaCy `nlp.pipe`, measured in one run.

    .venv/bin/python bench/bench_ingest.py --articles 2000 --rounds 3
    .venv/bin/python bench/bench_ingest.py --corpus polnear --articles 0 --rounds 3

Each measurement runs in a fresh process (so peak memory is its own): `plain` parses the
texts with the same spaCy model and nothing else; `newsgraph` runs the whole ingest (read
JSON Lines, identity, language, parse, extract actors and events, write SQLite);
`actors_only` is the same with event coding off, so the report can say what coding adds.
Rounds alternate the order, and the report gives medians and the ratio newsgraph / plain
(higher is better; the target is >= 0.85) and the share of ingest time event coding adds
(target <= 20%). The ratio is given two ways: of the medians, and the median of each round's
own ratio (plain and newsgraph measured in the same round, so a machine that slows down or speeds
up between rounds moves both); on a shared machine the second is the steadier.
"""

from __future__ import annotations

import argparse
import json
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
    start = time.perf_counter()
    tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=batch_size))
    seconds = time.perf_counter() - start
    return {"articles": len(texts), "tokens": tokens, "seconds": seconds, "peak_mb": peak_rss_mb()}


def run_actors_only(path: str, model: str, batch_size: int) -> dict:
    return run_newsgraph(path, model, batch_size, events=False)


def run_newsgraph(path: str, model: str, batch_size: int, *, events: bool = True) -> dict:
    from newsgraph.nlp import load_nlp
    from newsgraph.pipeline import ingest
    from newsgraph.settings import load_settings
    from newsgraph.store import Store

    settings = load_settings().with_overrides(model=model, batch_size=batch_size, extract_events=events)
    load_nlp(settings.model)("warm up")
    with tempfile.TemporaryDirectory() as tmp:
        # warm up as plain spaCy is warmed up: the lexicons and gazetteers load on first use
        # (a second or two, once per process), which a long ingest never notices
        warm = Store(Path(tmp) / "warm.db")
        ingest([str(WARM_UP)], store=warm, settings=settings)
        warm.close()
        store = Store(Path(tmp) / "bench.db")
        start = time.perf_counter()
        result = ingest([path], store=store, settings=settings)
        seconds = time.perf_counter() - start
        mentions = store.count("mentions")
        events_found = store.count("events")
        store.close()
    # throughput counts every article offered, as for plain: duplicates skipped before parsing
    # are part of what ingest does with the same input
    offered = len(result.stored) + result.duplicates + len(result.failures)
    return {"articles": offered, "stored": len(result.stored), "mentions": mentions,
            "events": events_found, "seconds": seconds,
            "failures": len(result.failures), "peak_mb": peak_rss_mb()}


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
    parser.add_argument("--worker", choices=list(WORKERS), help=argparse.SUPPRESS)
    parser.add_argument("--input", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(WORKERS[args.worker](args.input, args.model, args.batch_size)))
        return
    records = (reuters_records if args.corpus == "reuters" else polnear_records)(args.articles or None)
    path = write_jsonl(records)
    try:
        results: dict[str, list[dict]] = {kind: [] for kind in WORKERS}
        for round_ in range(args.rounds):
            order = list(WORKERS) if round_ % 2 == 0 else list(reversed(WORKERS))
            for kind in order:
                results[kind].append(measure(kind, path, args))
        report(results, len(records), args.corpus)
    finally:
        path.unlink()


def report(results: dict[str, list[dict]], n: int, corpus: str) -> None:
    plain = median([r["articles"] / r["seconds"] for r in results["plain"]])
    ours = median([r["articles"] / r["seconds"] for r in results["newsgraph"]])
    actors_only = median([r["articles"] / r["seconds"] for r in results["actors_only"]])
    tokens = median([r["tokens"] / r["seconds"] for r in results["plain"]])
    summary = {
        "benchmark": f"ingest vs plain nlp.pipe ({'Reuters-21578' if corpus == 'reuters' else 'PolNeAR'})",
        "articles": n,
        "rounds": len(results["plain"]),
        "plain_articles_per_s": round(plain, 1),
        "plain_tokens_per_s": round(tokens),
        "newsgraph_articles_per_s": round(ours, 1),
        "ratio_newsgraph_to_plain": round(ours / plain, 3),
        "ratio_per_round_median": round(median([
            (n["articles"] / n["seconds"]) / (p["articles"] / p["seconds"])
            for n, p in zip(results["newsgraph"], results["plain"])]), 3),
        "ratios_per_round": [round((n["articles"] / n["seconds"]) / (p["articles"] / p["seconds"]), 3)
                             for n, p in zip(results["newsgraph"], results["plain"])],
        "actors_only_articles_per_s": round(actors_only, 1),
        "event_coding_adds": f"{(actors_only / ours - 1) * 100:.1f}% to ingest time",
        "events": results["newsgraph"][0]["events"],
        "plain_peak_mb": round(median([r["peak_mb"] for r in results["plain"]])),
        "newsgraph_peak_mb": round(median([r["peak_mb"] for r in results["newsgraph"]])),
        "newsgraph_failures": results["newsgraph"][0]["failures"],
    }
    print(json.dumps(summary, indent=2))


WARM_UP = Path(__file__).resolve().parent.parent / "samples" / "corpus"

WORKERS = {"plain": run_plain, "actors_only": run_actors_only, "newsgraph": run_newsgraph}

if __name__ == "__main__":
    main()
