"""The store's connection room: opening the SQLite file (WAL mode, or read-only), its
pragmas, the schema (`migrate`), transactions (`atomic`, savepoints when nested), and the
small helpers every other room reads rows with."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from ..errors import NotFound, StoreUnreadable
from .migrations import MIGRATIONS

if TYPE_CHECKING:
    # pulls in numpy and datasketch (2 s); reading a store needs neither
    from .families import FamilyIndex

DB_ENV = "NEWSGRAPH_DB"
DEFAULT_DB = "newsgraph.db"


def default_db_path() -> str:
    return os.environ.get(DB_ENV) or DEFAULT_DB


# SQLite page cache per connection, in KiB.
READER_CACHE_KIB = 65_536
WRITER_CACHE_KIB = 16_384


class Connection:
    """A newsgraph database: one SQLite connection, its schema and its transactions."""

    def __init__(
        self,
        path: str | os.PathLike[str] = DEFAULT_DB,
        *,
        memory: bool = False,
        tracer: Callable[[str], Any] | None = None,
        readonly: bool = False,
    ) -> None:
        self.path = ":memory:" if memory else str(path)
        try:
            if readonly:
                if not Path(self.path).exists():
                    raise NotFound("no newsgraph store yet",
                                   hint=f"{self.path} does not exist: run `newsgraph ingest` first, or pass --db")
                uri = f"file:{Path(self.path).absolute()}?mode=ro"
                self.conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
            else:
                self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as e:
            raise StoreUnreadable(f"cannot open the store ({e})", hint=f"check {self.path}") from e
        self.conn.row_factory = sqlite3.Row
        if tracer is not None:
            self.conn.set_trace_callback(tracer)
        self._depth = 0
        self._family_index: FamilyIndex | None = None
        # bounded counts already made on a read-only store (a listing counts to choose its
        # plan, and again for its total): nothing changes them while it is open
        self._counts: dict[tuple[Any, ...], int] | None = {} if readonly else None
        self._configure(readonly)
        if not readonly:
            self.migrate()

    def _configure(self, readonly: bool) -> None:
        try:
            self.conn.execute("PRAGMA busy_timeout = 10000")
            self.conn.execute("PRAGMA foreign_keys = ON")
            if not readonly and self.path != ":memory:":
                self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute("PRAGMA synchronous = NORMAL")
                # fewer, larger checkpoints: a commit per article stays cheap
                self.conn.execute("PRAGMA wal_autocheckpoint = 10000")
            # a reader's page cache serves queries over the whole store; a writer's mostly holds
            # the index pages it is adding to, and counts in an ingest's memory as it fills
            self.conn.execute(f"PRAGMA cache_size = -{READER_CACHE_KIB if readonly else WRITER_CACHE_KIB}")
            self.conn.execute("PRAGMA temp_store = MEMORY")
            if readonly:
                # reads of pages the OS already caches skip a system call each: a busy actor's
                # timeline or graph touches thousands of scattered pages. Not for the writer:
                # mapped pages would count in an ingest's memory as the store grows
                self.conn.execute("PRAGMA mmap_size = 1073741824")
                # a request's statements can never write, whatever the file's permissions
                self.conn.execute("PRAGMA query_only = 1")
        except sqlite3.DatabaseError as e:
            raise StoreUnreadable(f"not a newsgraph store, or a corrupt one ({e})", hint=f"check {self.path}") from e

    def migrate(self) -> list[str]:
        """Bring the schema up to date; returns the migrations that ran."""
        return MIGRATIONS.apply(self.conn)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """A transaction; nested calls become savepoints."""
        if self._depth == 0:
            self.conn.execute("BEGIN IMMEDIATE")
        else:
            self.conn.execute(f"SAVEPOINT sp{self._depth}")
        self._depth += 1
        try:
            yield
        except BaseException:
            self._depth -= 1
            if self._depth == 0:
                self.conn.execute("ROLLBACK")
            else:
                self.conn.execute(f"ROLLBACK TO sp{self._depth}")
                self.conn.execute(f"RELEASE sp{self._depth}")
            raise
        else:
            self._depth -= 1
            if self._depth == 0:
                self.conn.execute("COMMIT")
            else:
                self.conn.execute(f"RELEASE sp{self._depth}")

    def _has_table(self, name: str) -> bool:
        # a read-only store opened before the m015 migration has no event_mentions
        return self.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                                 (name,)).fetchone() is not None

    def _has_index(self, name: str) -> bool:
        # a read-only store opened before the m011 migration lacks the covering indexes
        return self.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?",
                                 (name,)).fetchone() is not None

    def _count(self, rows: str, params: list[Any], cap: int | None, *, each: str = "1") -> int:
        """`SELECT COUNT(*) {rows}`; with `cap`, counting stops past `cap` rows, so a result
        above `cap` means "more than `cap`" (see `COUNT_CAP`). `each`: what one counted row
        is (`DISTINCT e.id` where a row of `rows` is one of several per event)."""
        key = (rows, tuple(params), cap)
        if self._counts is not None and key in self._counts:
            return self._counts[key]
        n: int
        if cap is None:
            n = self.conn.execute(f"SELECT COUNT(*) {rows}", params).fetchone()[0]
        else:
            n = self.conn.execute(f"SELECT COUNT(*) FROM (SELECT {each} {rows} LIMIT ?)",
                                  [*params, max(0, cap) + 1]).fetchone()[0]
        if self._counts is not None:
            self._counts[key] = n
        return n

    def _children(self, sql: str, ids: list[str]) -> dict[str, list[dict[str, Any]]]:
        """Rows of a child table grouped by their parent id (the first column), in the
        statement's order; `{marks}` in `sql` becomes the placeholders of a chunk of `ids`."""
        out: dict[str, list[dict[str, Any]]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for record in self._dicts(sql.format(marks=",".join("?" * len(chunk))), chunk):
                out.setdefault(record.pop(next(iter(record))), []).append(record)
        return out

    def _dicts(self, sql: str, params: Any) -> list[dict[str, Any]]:
        # plain tuples zipped with the column names: half the cost of dict(sqlite3.Row)
        cursor = self.conn.cursor()
        cursor.row_factory = None
        cursor.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor]

    def _dicts_in(self, sql: str, ids: list[str], chunk: int = 500) -> list[dict[str, Any]]:
        """Rows of `sql` whose `{marks}` is filled with placeholders for `ids`, a chunk at a time
        (SQLite bounds the parameters of one statement)."""
        rows: list[dict[str, Any]] = []
        for start in range(0, len(ids), chunk):
            part = ids[start:start + chunk]
            rows += self._dicts(sql.format(marks=",".join("?" * len(part))), part)
        return rows

    @property
    def families(self) -> FamilyIndex:
        """The duplicate-family index: this store's family tables, on its connection."""
        if self._family_index is None:
            from .families import FamilyIndex

            self._family_index = FamilyIndex.from_store(self.conn)
        return self._family_index
