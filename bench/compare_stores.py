"""Are two stores the same? Every table's rows compared, wall-clock columns aside.

    .venv/bin/python bench/compare_stores.py before.db after.db

Used to show that a change to how ingest runs (serial, one parsing process, worker
processes) leaves the records exactly as they were: ingest the same input into two fresh
stores and compare them. Columns that hold the time of the run (when an article was
ingested, a migration applied, a copy seen) differ between any two runs and are left out;
everything else, ids and row order included, must match. Exits 1 when anything differs.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

# Columns that record when the run happened, not what it found.
CLOCK_COLUMNS = frozenset({"ingested", "applied_at", "created", "seen"})
# Where full-text search keeps its index: derived from `articles`, compared through it.
SKIPPED_PREFIX = ("sqlite_", "articles_fts")


def tables(conn: sqlite3.Connection) -> list[str]:
    names = [n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return [n for n in names if not n.startswith(SKIPPED_PREFIX)]


def rows(conn: sqlite3.Connection, table: str) -> list[tuple]:
    """The table's rows in a stable order, without the clock columns."""
    columns = [c[1] for c in conn.execute(f'PRAGMA table_info("{table}")') if c[1] not in CLOCK_COLUMNS]
    listed = ", ".join(f'"{c}"' for c in columns)
    return conn.execute(f'SELECT {listed} FROM "{table}" ORDER BY {listed}').fetchall()


def differences(a: Path, b: Path) -> tuple[dict[str, int], list[str]]:
    """Rows per table of `a`, and a line per table that differs between `a` and `b`."""
    with sqlite3.connect(f"file:{a}?mode=ro", uri=True) as left, sqlite3.connect(f"file:{b}?mode=ro", uri=True) as right:
        names = tables(left)
        found = [f"table {t} only in {b}" for t in sorted(set(tables(right)) - set(names))]
        counts: dict[str, int] = {}
        for table in names:
            mine = rows(left, table)
            counts[table] = len(mine)
            try:
                theirs = rows(right, table)
            except sqlite3.OperationalError:
                found.append(f"table {table} missing from {b}")
                continue
            if mine != theirs:
                extra, missing = set(theirs) - set(mine), set(mine) - set(theirs)
                found.append(f"{table}: {len(mine)} vs {len(theirs)} rows, {len(missing)} only in the first "
                             f"(e.g. {sorted(missing, key=repr)[:1]}), {len(extra)} only in the second "
                             f"(e.g. {sorted(extra, key=repr)[:1]})")
    return counts, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("first", type=Path)
    parser.add_argument("second", type=Path)
    args = parser.parse_args()
    for path in (args.first, args.second):
        if not path.is_file():
            sys.exit(f"no such store: {path}")
    counts, found = differences(args.first, args.second)
    print(f"{len(counts)} tables, {sum(counts.values()):,} rows: " + ", ".join(f"{t} {n}" for t, n in counts.items() if n))
    for line in found:
        print("DIFFERS", line)
    print("identical" if not found else f"{len(found)} table(s) differ")
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
