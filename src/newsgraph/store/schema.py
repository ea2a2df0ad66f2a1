"""The store's schema as data: every table and its columns, read from the migrations
themselves, and the flat rows `newsgraph spark` writes, derived from it.

The migrations are the one source of truth. `tables()` applies them once to an in-memory
database and reads each table's columns (`PRAGMA table_info`), in their order. The Spark
row tables (`newsgraph.rows.TABLES`) are derived from those columns by `ROW_TABLES`, which
says only how a row table differs from the store table it mirrors: a renamed id, the columns
the store fills in itself, and the values a row carries that the store keeps elsewhere. So
a column a new migration adds to a mirrored table reaches the Spark rows (and `newsgraph
export all`, which reads a store's own columns) without a second edit; `tests/test_schema.py`
fails until the row builder in `newsgraph.rows` fills it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from .migrations import MIGRATIONS

# The Spark SQL type of each SQLite declared type.
KINDS = {"TEXT": "string", "INTEGER": "long", "REAL": "double", "BLOB": "binary"}

# SQLite has no boolean type: these INTEGER columns hold 0 or 1, and a row holds a boolean.
BOOLEAN_COLUMNS: dict[str, frozenset[str]] = {
    "articles": frozenset({"extracted"}),
    "events": frozenset({"reciprocal", "negated", "main", "mirrored"}),
    "quantities": frozenset({"approximate"}),
    "event_mentions": frozenset({"main"}),
    "claims": frozenset({"source_named", "source_pronoun"}),
    "timexes": frozenset({"anchored"}),
}

# Every row of every row table starts with its article and its partition (publication month).
ROW_KEY: tuple[tuple[str, str], ...] = (("article_id", "string"), ("month", "string"))


@dataclass(frozen=True)
class Column:
    """One column of a store table: its name and declared SQLite type."""

    name: str
    type: str


@dataclass(frozen=True)
class RowTable:
    """How one table of flat rows mirrors a store table (`table`; None: rows only).

    `renamed`: a store column's name in the rows (`id` is `event_id`); `store_only`: columns
    the store fills in as it writes (its own ids, resolved actor ids, cross-article values);
    `retyped`: a column a row holds in another shape than the store (a list the store joins
    with commas); `extra`: what a row carries that the store keeps in another table or
    derives (a record's position, its aliases as a list), with its Spark type, after the
    mirrored columns.
    """

    table: str | None
    renamed: Mapping[str, str] = field(default_factory=dict)
    store_only: frozenset[str] = frozenset()
    retyped: Mapping[str, str] = field(default_factory=dict)
    extra: tuple[tuple[str, str], ...] = ()


_POSITION = (("position", "long"),)
_FACTUALITY_CUES = (("factuality_cues", "array<string>"),)

# The row tables of `newsgraph spark`, in the order they are written.
ROW_TABLES: dict[str, RowTable] = {
    "articles": RowTable("articles", renamed={"id": "article_id"}, store_only=frozenset({
        "seq", "ingested", "previous_version", "extractor_version", "superseded_by", "family_reason",
        "family_score", "family_match"})),
    "sentences": RowTable("sentences", renamed={"idx": "position"}),
    "actors": RowTable("actors", store_only=frozenset({"id", "first_name", "last_name"}),
                       extra=(*_POSITION, ("aliases", "array<string>"))),
    "roles": RowTable("roles", store_only=frozenset({"id", "actor_id"}), extra=_POSITION),
    "mentions": RowTable("mentions", store_only=frozenset({"id", "actor_id"}), extra=_POSITION),
    "events": RowTable("events", renamed={"id": "event_id"}, extra=(
        *_POSITION, ("event_time_text", "string"), ("event_time_start", "long"), ("event_time_end", "long"),
        *_FACTUALITY_CUES)),
    "participants": RowTable("participants", store_only=frozenset({"actor_id"})),
    "quantities": RowTable("quantities"),
    "event_mentions": RowTable("event_mentions"),
    "claims": RowTable("claims", renamed={"id": "claim_id"}, store_only=frozenset({"source_actor_id"}),
                       retyped={"source_countries": "array<string>"}, extra=(
        *_POSITION, ("has_source", "boolean"), *_FACTUALITY_CUES, ("event_ids", "array<string>"))),
    "claim_contents": RowTable("claim_contents", extra=(("text", "string"),)),
    "timexes": RowTable("timexes"),
    "failures": RowTable(None, extra=(("source", "string"), ("reason", "string"))),
}


@lru_cache(maxsize=1)
def tables() -> dict[str, tuple[Column, ...]]:
    """Every table of the current schema with its columns in order (migrated once, in memory)."""
    conn = sqlite3.connect(":memory:")
    try:
        MIGRATIONS.apply(conn)
        return {name: columns(conn, name) for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")}
    finally:
        conn.close()


def columns(conn: sqlite3.Connection, table: str) -> tuple[Column, ...]:
    """The columns of one table of a store, in order."""
    return tuple(Column(row[1], row[2].upper()) for row in conn.execute("SELECT * FROM pragma_table_info(?)",
                                                                        (table,)))


def row_columns(spec: RowTable) -> tuple[tuple[str, str], ...]:
    """A row table's (column, Spark type) pairs: the key, the mirrored columns, the extras."""
    mirrored: list[tuple[str, str]] = []
    if spec.table is not None:
        booleans = BOOLEAN_COLUMNS.get(spec.table, frozenset())
        for column in tables()[spec.table]:
            name = spec.renamed.get(column.name, column.name)
            if column.name in spec.store_only or name in dict(ROW_KEY):
                continue
            kind = "boolean" if column.name in booleans else KINDS[column.type]
            mirrored.append((name, spec.retyped.get(column.name, kind)))
    return (*ROW_KEY, *mirrored, *spec.extra)


def row_tables() -> dict[str, tuple[tuple[str, str], ...]]:
    """Every row table with its columns and Spark types, derived from the schema."""
    return {name: row_columns(spec) for name, spec in ROW_TABLES.items()}
