"""Every record of a store in a form two engines can be compared by: `record_differences(a, b)`.

Two stores built from the same articles by different paths (`newsgraph ingest`, or
`newsgraph spark` then `newsgraph load`, or more workers) should hold the same records.
They cannot be compared row for row as stored: integer ids (`actors.id`, `mentions.id`,
`stories.id`, `articles.seq`) are handed out in the order rows arrive, and some columns hold
the wall-clock time of the write. So each table is read from the schema itself (every
column of every table both stores have) and rewritten:

- a wall-clock column is left out (`WALL_CLOCK`);
- a table's own integer id is left out, and a reference to it (declared foreign key, or an
  undeclared one listed in `UNDECLARED_REFERENCES` / `JSON_REFERENCES`) is replaced by what
  the referenced row is: its UNIQUE natural key (`actors.key`, `articles.id`), or else all of
  its other values (a story is its signature and CAMEO root);
- a story's signature (`root|source ids|target ids`) names its parties by actor key;
- an order-of-arrival counter (`ARRIVAL_ORDER`) is left out: `newsgraph load` stores a
  month's articles sorted by date, `ingest` in the order it reads them, and what the order
  decides (which article names a duplicate family) is compared in `family_id`.

Rows are then counted as multisets per table. A new table or column is compared without a
change here; a new wall-clock column or undeclared id shows up as a difference until it is
listed. Used by tests/test_spark_cluster.py, tests/test_spark.py and bench/bench_spark.py.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Columns that record when a row was written, not what it says.
WALL_CLOCK = {"articles": {"ingested"}, "article_copies": {"seen"}, "key_links": {"created"},
              "actor_decisions": {"created"}}
# Counters of arrival, left out.
ARRIVAL_ORDER = {"family_members": {"seq"}, "family_keys": {"seq"}, "event_days": {"seq"}}
# Integer ids of another table held without a declared foreign key.
UNDECLARED_REFERENCES = {("relation_pairs", "source_id"): "actors", ("relation_pairs", "target_id"): "actors",
                         ("actor_fact_tally", "actor_id"): "actors", ("actor_stats", "actor_id"): "actors",
                         ("story_stats", "story_id"): "stories", ("story_keys", "actor_id"): "actors",
                         ("story_actors", "actor_id"): "actors", ("story_actors", "story_id"): "stories",
                         ("story_summaries", "story_id"): "stories", ("story_codes", "story_id"): "stories"}
# JSON columns whose fields hold integer ids of another table ("list.*.field": a field of
# each object of a list).
JSON_REFERENCES = {("relation_pairs", "edge"): {"source": "actors", "target": "actors"},
                   ("story_summaries", "summary"): {"id": "stories", "source.*.actor_id": "actors",
                                                    "target.*.actor_id": "actors"}}
# Space-separated lists whose items start with an actor id ("1 4 5", "1:person:RUS 4:state:PRK"):
# a story's parties and core parties (newsgraph.store.stories).
ID_LISTS = {("stories", "parties"): "actors", ("stories", "core"): "actors"}
# Story signatures: "root|id,id|id" with actor ids (newsgraph.store.stories.signature).
SIGNATURES = {("stories", "signature"): "actors"}
# Bookkeeping, not records: migration times, and the full-text index (derived from articles).
SKIPPED_PREFIXES = ("sqlite_", "_migrations", "articles_fts")

Records = dict[str, Counter]


def store_records(db: str | Path | sqlite3.Connection) -> Records:
    """Every table's rows, rewritten as the module docstring says, as a multiset per table."""
    conn = db if isinstance(db, sqlite3.Connection) else sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        tables = _tables(conn)
        identities: dict[str, dict[int, tuple]] = {}
        # a table whose id lists name another's rows (`ID_LISTS`) is read after that table
        later = {owner for (owner, _), target in ID_LISTS.items()}
        for table in sorted((t for t in tables if _surrogate(conn, t)), key=lambda t: t in later):
            identities[table] = _identities(conn, table, identities)
        return {table: Counter(_rows(conn, table, identities)) for table in tables}
    finally:
        if conn is not db:
            conn.close()


def record_differences(a: Records, b: Records, *, examples: int = 3) -> dict[str, dict[str, Any]]:
    """Per table that differs (of those both stores have): row counts and a few rows found on one side only."""
    differences = {}
    for table in sorted(a.keys() & b.keys()):
        only_a, only_b = a[table] - b[table], b[table] - a[table]
        if only_a or only_b:
            differences[table] = {"rows": (sum(a[table].values()), sum(b[table].values())),
                                  "only_first": sorted(only_a.elements(), key=repr)[:examples],
                                  "only_second": sorted(only_b.elements(), key=repr)[:examples]}
    return differences


def compared_tables(a: Records, b: Records) -> dict[str, int]:
    """Rows per table both stores have (the first store's count): what a comparison covered."""
    return {table: sum(a[table].values()) for table in sorted(a.keys() & b.keys())}


# -- reading the schema ------------------------------------------------------------------------


def _tables(conn: sqlite3.Connection) -> list[str]:
    names = [name for name, sql in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
             if not name.startswith(SKIPPED_PREFIXES) and not (sql or "").upper().startswith("CREATE VIRTUAL")]
    return sorted(names)


def _columns(conn: sqlite3.Connection, table: str) -> list[tuple[str, str, int]]:
    """(name, declared type, primary-key position) of each column."""
    return [(row[1], row[2].upper(), row[5]) for row in conn.execute(f'PRAGMA table_info("{table}")')]


def _surrogate(conn: sqlite3.Connection, table: str) -> str | None:
    """The table's integer id column (an alias of the rowid), if it has one."""
    keys = [(name, kind) for name, kind, pk in _columns(conn, table) if pk]
    if len(keys) == 1 and keys[0][1] == "INTEGER":
        without_rowid = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
        if "WITHOUT ROWID" not in without_rowid.upper():
            return keys[0][0]
    return None


def _unique_columns(conn: sqlite3.Connection, table: str) -> list[str] | None:
    """The columns of the table's first single-column UNIQUE constraint, if any."""
    for index in conn.execute(f'PRAGMA index_list("{table}")'):
        name, unique, origin = index[1], index[2], index[3]
        if unique and origin == "u":
            columns = [row[2] for row in conn.execute(f'PRAGMA index_info("{name}")')]
            if len(columns) == 1:
                return columns
    return None


def _identities(conn: sqlite3.Connection, table: str, known: dict[str, dict[int, tuple]]) -> dict[int, tuple]:
    """What each row of a table with an integer id is, by that id (see the module docstring)."""
    surrogate = _surrogate(conn, table)
    natural = _unique_columns(conn, table) or _compared_columns(conn, table)
    listed = ", ".join(f'"{name}"' for name in natural)
    rewrite: dict[str, Callable[[Any], Any]] = {}
    signature = _signature_lookup(conn, table)
    for column in signature.columns:
        rewrite[column] = signature
    for (owner, column), target in ID_LISTS.items():
        if owner == table and target in known:
            rewrite[column] = _id_list_lookup(known[target])
    return {row[0]: (table, *(rewrite[n](v) if n in rewrite else v for n, v in zip(natural, row[1:])))
            for row in conn.execute(f'SELECT "{surrogate}", {listed} FROM "{table}"')}


def _compared_columns(conn: sqlite3.Connection, table: str) -> list[str]:
    """Every column but the integer id, the wall-clock times and the arrival counters."""
    left_out = WALL_CLOCK.get(table, set()) | ARRIVAL_ORDER.get(table, set()) | {_surrogate(conn, table)}
    return [name for name, _, _ in _columns(conn, table) if name not in left_out]


def _references(conn: sqlite3.Connection, table: str) -> dict[str, str]:
    """Column → referenced table, for the columns that hold another table's integer id."""
    refs = {row[3]: row[2] for row in conn.execute(f'PRAGMA foreign_key_list("{table}")')
            if row[4] is None or row[4] == _surrogate(conn, row[2])}
    refs.update({column: target for (owner, column), target in UNDECLARED_REFERENCES.items() if owner == table})
    return refs


def _rows(conn: sqlite3.Connection, table: str, identities: dict[str, dict[int, tuple]]) -> list[tuple]:
    names = _compared_columns(conn, table)
    rewrite: dict[str, Callable[[Any], Any]] = {}
    for column, target in _references(conn, table).items():
        if column in names and target in identities:
            rewrite[column] = _lookup(identities[target])
    for (owner, column), fields in JSON_REFERENCES.items():
        if owner == table and column in names:
            rewrite[column] = _json_lookup({f: identities.get(t, {}) for f, t in fields.items()})
    signature = _signature_lookup(conn, table)
    for column in signature.columns & set(names):
        rewrite[column] = signature
    for (owner, column), target in ID_LISTS.items():
        if owner == table and column in names and target in identities:
            rewrite[column] = _id_list_lookup(identities[target])
    listed = ", ".join(f'"{name}"' for name in names)
    return [tuple(rewrite[n](v) if n in rewrite and v is not None else v for n, v in zip(names, row))
            for row in conn.execute(f'SELECT {listed} FROM "{table}"')]


def _lookup(identity: dict[int, tuple]) -> Callable[[Any], Any]:
    return lambda value: identity.get(value, ("missing", value))


def _id_list_lookup(identity: dict[int, tuple]) -> Callable[[Any], Any]:
    def rewrite(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        items = []
        for item in value.split():
            head, _, rest = item.partition(":")
            named = repr(identity.get(int(head), ("missing", head))) if head.isdigit() else head
            items.append(f"{named}:{rest}" if rest else named)
        return " ".join(sorted(items))
    return rewrite


class _SignatureLookup:
    """Rewrites `root|3,12|7` as `root|key,key|key` (keys sorted) for the listed columns."""

    def __init__(self, columns: set[str], identity: dict[int, str]):
        self.columns, self.identity = columns, identity

    def __call__(self, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        root, *sides = value.split("|")
        named = [sorted(self.identity.get(int(i), f"missing:{i}") if i.isdigit() else i
                        for i in side.split(",") if i) for side in sides]
        return "|".join([root, *(",".join(side) for side in named)])


def _signature_lookup(conn: sqlite3.Connection, table: str) -> _SignatureLookup:
    columns = {column for (owner, column) in SIGNATURES if owner == table}
    target = next((t for (owner, _), t in SIGNATURES.items() if owner == table), None)
    identity: dict[int, str] = {}
    if target:
        actor_key = _unique_columns(conn, target) or ["rowid"]
        identity = {row[0]: str(row[1]) for row in conn.execute(
            f'SELECT "{_surrogate(conn, target)}", "{actor_key[0]}" FROM "{target}"')}
    return _SignatureLookup(columns, identity)


def _json_lookup(fields: dict[str, dict[int, tuple]]) -> Callable[[Any], Any]:
    def rewrite(text: str) -> str:
        data = json.loads(text)
        for name, identity in fields.items():
            outer, _, inner = name.partition(".*.")
            for item in (data.get(outer) or []) if inner else [data]:
                key = inner or name
                if item.get(key) is not None:
                    item[key] = list(identity.get(item[key], ("missing", item[key])))
        return json.dumps(data, sort_keys=True)
    return rewrite
