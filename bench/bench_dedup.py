"""Duplicate families over Reuters-21578: build time, and how the cost per article grows with size.

    .venv/bin/python bench/bench_dedup.py --rounds 3

Each round adds every Reuters story that has a body (19,779 of the 21,578 records; the
other 1,799 are title-only and have no text to compare) to a fresh `FamilyIndex`, one at a
time in corpus order with its publication date (as ingest passes it: LSH looks for
near-duplicates within a month of it; `--undated` leaves the dates out, every story then in
one window), and notes the clock at each checkpoint (5k, 10k and all stories).
Reading and cleaning the texts is outside the timing; the clock covers `FamilyIndex.add`
only (normalise, shingle, MinHash, LSH lookup, checks, union).

Reported, as medians over rounds: seconds to reach each size, the mean cost per article up
to that size, and the *marginal* cost per article over the last `--window` adds before it
(what one more article costs at that size). The ratios marginal(largest) / marginal(5k) and
mean(largest) / mean(5k) should stay near 1 if an add costs an index lookup, not a scan.
Also: the time to write the index as rows and read it back (`to_rows` / `from_rows`).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REUTERS, median, peak_rss_mb, require  # noqa: E402


def load_texts(*, dated: bool = True) -> list[tuple[str, str, str | None]]:
    """(id, cleaned body, publication date or None) of every Reuters story with a body, as the
    pipeline would store it."""
    from newsgraph.identity import make_article
    from newsgraph.settings import load_settings
    from newsgraph.sources import read_sources
    from newsgraph.types import RawArticle

    texts = []
    for item in read_sources([str(require(REUTERS))], settings=load_settings()):
        if isinstance(item, RawArticle):
            article = make_article(item)
            texts.append((item.source, article.text, article.published if dated else None))
    return texts


def one_round(texts: list[tuple[str, str, str | None]], sizes: list[int], window: int) -> dict:
    from newsgraph.store.families import FamilyIndex

    index = FamilyIndex()
    marks: dict[int, float] = {}
    wanted = set(sizes) | {max(n - window, 0) for n in sizes}
    start = time.perf_counter()
    for n, (article_id, text, published) in enumerate(texts, 1):
        index.add(article_id, text, published=published)
        if n in wanted:
            marks[n] = time.perf_counter() - start
    marks[0] = 0.0
    rows_start = time.perf_counter()
    rows = index.to_rows()
    to_rows = time.perf_counter() - rows_start
    load_start = time.perf_counter()
    FamilyIndex.from_rows(rows)
    from_rows = time.perf_counter() - load_start
    families = index.families()
    return {
        "seconds": {n: marks[n] for n in sizes},
        "marginal_ms": {n: (marks[n] - marks[max(n - window, 0)]) / min(window, n) * 1000 for n in sizes},
        "families": len(families),
        "families_with_copies": sum(len(f) > 1 for f in families.values()),
        "to_rows_s": to_rows, "from_rows_s": from_rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sizes", default="5000,10000,0", help="checkpoints; 0 = all stories")
    parser.add_argument("--window", type=int, default=1000, help="adds over which the marginal cost is taken")
    parser.add_argument("--undated", action="store_true", help="add the stories without their publication dates")
    args = parser.parse_args()
    texts = load_texts(dated=not args.undated)
    sizes = sorted({int(s) or len(texts) for s in args.sizes.split(",")})
    sizes = [n for n in sizes if n <= len(texts)]
    rounds = [one_round(texts, sizes, args.window) for _ in range(args.rounds)]
    report(rounds, sizes, len(texts), args)


def report(rounds: list[dict], sizes: list[int], n: int, args) -> None:
    per_size = {}
    for size in sizes:
        seconds = median([r["seconds"][size] for r in rounds])
        per_size[str(size)] = {
            "seconds": round(seconds, 2),
            "mean_ms_per_article": round(seconds / size * 1000, 3),
            "marginal_ms_per_article": round(median([r["marginal_ms"][size] for r in rounds]), 3),
        }
    first, last = per_size[str(sizes[0])], per_size[str(sizes[-1])]
    summary = {
        "benchmark": "duplicate families (FamilyIndex.add) on Reuters-21578",
        "stories": n,
        "rounds": len(rounds),
        "dated": not args.undated,
        "window": args.window,
        "sizes": per_size,
        "ratio_mean_cost_largest_to_smallest": round(last["mean_ms_per_article"] / first["mean_ms_per_article"], 3),
        "ratio_marginal_cost_largest_to_smallest": round(
            last["marginal_ms_per_article"] / first["marginal_ms_per_article"], 3),
        "families": rounds[0]["families"],
        "families_with_copies": rounds[0]["families_with_copies"],
        "to_rows_s": round(median([r["to_rows_s"] for r in rounds]), 2),
        "from_rows_s": round(median([r["from_rows_s"] for r in rounds]), 2),
        "peak_mb": round(peak_rss_mb()),
    }
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
