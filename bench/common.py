"""Helpers shared by the benchmarks: the corpora in ../shared/bench-data and process timing."""

from __future__ import annotations

import gzip
import json
import os
import resource
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH_DATA = REPO.parent / "shared" / "bench-data"
REUTERS = BENCH_DATA / "raw_corpus" / "reuters21578.jsonl.gz"
POLNEAR = BENCH_DATA / "raw_corpus" / "polnear_articles.jsonl"


def require(path: Path) -> Path:
    if not path.exists():
        sys.exit(f"benchmark data not found: {path} (it lives in ../shared/bench-data beside the checkout)")
    return path


def reuters_records(limit: int | None = None) -> list[dict]:
    """Reuters stories that have a body, as JSON Lines records newsgraph reads."""
    with gzip.open(require(REUTERS), "rt", encoding="utf-8") as fh:
        return _records_with(fh, "body", limit)


def polnear_records(limit: int | None = None) -> list[dict]:
    """PolNeAR's political news articles (2016), as JSON Lines records newsgraph reads."""
    with open(require(POLNEAR), encoding="utf-8") as fh:
        return _records_with(fh, "text", limit)


def _records_with(lines, field: str, limit: int | None) -> list[dict]:
    """The first `limit` (all, when None) JSON Lines records whose `field` holds text."""
    rows = []
    for line in lines:
        record = json.loads(line)
        if (record.get(field) or "").strip():
            rows.append(record)
            if limit and len(rows) >= limit:
                break
    return rows


def write_jsonl(records: list[dict], folder: str | None = None) -> Path:
    fd, name = tempfile.mkstemp(suffix=".jsonl", dir=folder)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record) + "\n")
    return Path(name)


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
