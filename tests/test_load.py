"""Concurrent load on loopback: `newsgraph serve` answers a fixed number of read requests
while `newsgraph ingest` writes to the same store — zero 5xx, no `database is locked`."""

from __future__ import annotations

import http.client
import json
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

uvicorn = pytest.importorskip("uvicorn")
pytest.importorskip("starlette")

from newsgraph.api import ServeConfig, create_app  # noqa: E402
from newsgraph.settings import load_settings  # noqa: E402
from newsgraph.store import Store  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
REQUESTS = 600
CLIENTS = 4
WRITER_ARTICLES = 60
ENDPOINTS = ["/api/articles", "/api/actors", "/api/events", "/api/claims", "/api/search?q=minister",
             "/api/stories", "/api/graph", "/api/actors?name=a", "/api/events?cameo=04", "/api"]


def _writer_corpus(path: Path) -> None:
    countries = ["France", "Japan", "Kenya", "Brazil", "Canada", "Egypt", "India", "Mexico", "Norway", "Peru"]
    with path.open("w", encoding="utf-8") as fh:
        for i in range(WRITER_ARTICLES):
            a, b = countries[i % 10], countries[(i * 3 + 1) % 10]
            fh.write(json.dumps({"text": f"The foreign minister of {a} met the ambassador of {b} in Geneva on "
                                         f"Monday to discuss tariff schedule {i}. {b} denied breaking the accord.",
                                 "url": f"https://load.example/{i}"}) + "\n")


@pytest.fixture
def server(tmp_path):
    from newsgraph.pipeline import ingest

    db = tmp_path / "load.db"
    with Store(db) as store:
        ingest([str(REPO / "samples" / "corpus")], store=store, settings=load_settings())
    config = uvicorn.Config(create_app(ServeConfig(db=str(db))), host="127.0.0.1", port=0,
                            log_level="warning", lifespan="on")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "the server did not start"
    port = srv.servers[0].sockets[0].getsockname()[1]
    yield db, port
    srv.should_exit = True
    thread.join(10)


def test_reads_under_a_concurrent_ingest(server, tmp_path):
    db, port = server
    corpus = tmp_path / "writer.jsonl"
    _writer_corpus(corpus)
    settings = tmp_path / "settings.toml"
    settings.write_text("[nlp]\nbatch_size = 2\n")  # commits spread over the run, not one burst at its end
    with Store(db, readonly=True) as store:
        before = store.count("articles")
    writer = subprocess.Popen([sys.executable, "-c", "from newsgraph.cli import cli; cli()", "ingest", str(corpus),
                               "--db", str(db), "--settings", str(settings)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while _count(db) == before and writer.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)  # the load starts once the writer is writing
    at_start = _count(db)
    results: list[tuple[float, int, str]] = []
    lock = threading.Lock()

    def client(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for i in range(n, REQUESTS, CLIENTS):
            path = ENDPOINTS[i % len(ENDPOINTS)]
            start = time.perf_counter()
            conn.request("GET", path)
            response = conn.getresponse()
            body = response.read().decode("utf-8", "replace")
            elapsed = time.perf_counter() - start
            with lock:
                results.append((elapsed, response.status, body if response.status != 200 else ""))
                if "locked" in body.lower():
                    results.append((elapsed, 599, body))
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    wall = time.perf_counter() - started
    at_end = _count(db)
    writer_running_at_end = writer.poll() is None
    out, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err
    with Store(db, readonly=True) as store:
        after = store.count("articles")

    latencies = sorted(r[0] for r in results)
    statuses = [r[1] for r in results]
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[int(0.99 * (len(latencies) - 1))] * 1000
    print(f"\nload: {len(results)} requests by {CLIENTS} clients in {wall:.1f}s while ingesting "
          f"(articles {at_start - before}->{at_end - before} of {WRITER_ARTICLES} during the load); p50 {p50:.1f} ms, p99 {p99:.1f} ms, "
          f"non-200: {[s for s in statuses if s != 200]}; writer still running at the end: {writer_running_at_end}")
    assert len(results) == REQUESTS
    assert not [r for r in results if r[1] >= 500], [r[2][:200] for r in results if r[1] >= 500][:3]
    assert not any("locked" in r[2].lower() for r in results)
    assert all(s == 200 for s in statuses)
    assert after - before == WRITER_ARTICLES
    assert p99 < 5000
    assert at_end > at_start, "the load did not overlap the writes"


def _count(db: Path) -> int:
    with Store(db, readonly=True) as store:
        return store.count("articles")
