"""Latency of every page and API route of `newsgraph serve`: p50 and p95 per route.

    .venv/bin/python bench/bench_routes.py                      # a generated 5,000-article store
    .venv/bin/python bench/bench_routes.py --db newsgraph.db    # any store
    .venv/bin/python bench/bench_routes.py --articles 20000 --runs 20

Requests go through the ASGI app in-process (Starlette's test client), so the figures are the
app's own time: routing, store queries and rendering, without a network. Beside the wall-clock
p50/p95 it prints the CPU time per request (all of the process's threads): on a machine that
other jobs keep busy, wall time mostly measures waiting for a core, CPU time what a quiet
machine would take. The routes are
filled in from the store: its busiest actor and that actor's busiest partner, the story with
the most articles, the latest article, a word of a title. Target: every p95 under 200 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "src"), str(REPO / "tests")]

from newsgraph.api import ServeConfig, create_app  # noqa: E402
from newsgraph.store import Store  # noqa: E402

TARGET_MS = 200


def routes(db: str) -> list[str]:
    """The URLs to time, filled in with this store's busiest records."""
    with Store(db, readonly=True) as store:
        conn = store.conn
        actor = conn.execute("SELECT actor_id FROM mentions GROUP BY actor_id ORDER BY COUNT(*) DESC LIMIT 1"
                             ).fetchone()[0]
        partner = conn.execute(
            "SELECT target_id FROM relation_pairs WHERE source_id = ? ORDER BY json_extract(edge, '$.events') DESC "
            "LIMIT 1", (actor,)).fetchone()
        story = conn.execute("SELECT story_id FROM story_events GROUP BY story_id ORDER BY COUNT(*) DESC LIMIT 1"
                             ).fetchone()[0]
        article = conn.execute("SELECT id FROM articles ORDER BY seq DESC LIMIT 1").fetchone()[0]
        title = conn.execute("SELECT title FROM articles WHERE title IS NOT NULL ORDER BY seq LIMIT 1").fetchone()
        word = (title[0].split() or ["news"])[0] if title else "news"
    other = partner[0] if partner else actor
    return [
        "/", "/actors", "/actors?kind=person&sort=name&page=3", f"/actors/{actor}", f"/actors/{actor}?page=3",
        f"/pairs/{actor}/{other}", "/stories", "/stories?min_sources=2&page=3", f"/stories/{story}",
        "/events", "/events?page=3", f"/search?q={word}", f"/articles/{article}", f"/graph?actor={actor}",
        "/graph", f"/graph?story={story}", "/map", f"/digest/actors/{actor}",
        "/api/articles", "/api/actors", f"/api/actors/{actor}", "/api/events", "/api/claims", "/api/stories",
        f"/api/stories/{story}", f"/api/timeline/{actor}", f"/api/graph?actor={actor}", f"/api/search?q={word}",
        f"/api/digest?actor={actor}", f"/api/articles/{article}",
    ]


def measure(db: str, runs: int) -> list[tuple[str, int, float, float, float, float]]:
    """(route, status, p50 ms, p95 ms, CPU p50 ms, CPU p95 ms) for each route, after one
    warm-up request."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

        client = TestClient(create_app(ServeConfig(db=db)), raise_server_exceptions=False)
    out = []
    for url in routes(db):
        status = client.get(url).status_code
        times, cpu = [], []
        for _ in range(runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        out.append((url, status, *_p50_p95(times), *_p50_p95(cpu)))
    return out


def _p50_p95(values: list[float]) -> tuple[float, float]:
    values = sorted(values)
    return statistics.median(values), values[min(len(values) - 1, int(0.95 * len(values)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="the store to serve (default: a generated one)")
    parser.add_argument("--articles", type=int, default=5000, help="articles of the generated store")
    parser.add_argument("--runs", type=int, default=10, help="requests per route")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-routes-") as folder:
        db = args.db
        if db is None:
            from synthetic_store import build_synthetic_store

            db = str(build_synthetic_store(Path(folder) / "routes.db", articles=args.articles))
        results = measure(db, args.runs)
    width = max(len(r[0]) for r in results)
    print(f"{'route':<{width}}  status   p50 ms   p95 ms  CPU p50  CPU p95")
    for url, status, p50, p95, cpu50, cpu95 in results:
        flag = "" if p95 < TARGET_MS else "  SLOW"
        print(f"{url:<{width}}  {status:>6} {p50:8.1f} {p95:8.1f} {cpu50:8.1f} {cpu95:8.1f}{flag}")
    for column, label in ((3, "wall"), (5, "CPU")):
        fast = sum(r[column] < TARGET_MS for r in results)
        print(f"{fast}/{len(results)} routes with {label} p95 < {TARGET_MS} ms")


if __name__ == "__main__":
    main()
