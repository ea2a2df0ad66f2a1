"""Backups and a lossless dump of the whole store.

    backup("news.db", "news-2025-03-01.db")       # SQLite online backup, safe while serving
    export_all("news.db", "dump/")                # every table as JSON Lines + manifest.json
    import_all("dump/", "restored.db")            # an identical store, schema migrated, FTS rebuilt

The dump is one `TABLE.jsonl` per table, one JSON object per row (column → value), in
rowid or primary-key order, and a `manifest.json` written last: a dump without its
manifest is incomplete and `import_all` refuses it. Values keep their SQLite type:
integers and floats stay numbers (`repr` round-trips floats exactly), text is any
Unicode, NULL is `null`, a blob is `{"$blob": "<base64>"}` and an infinite float is
`{"$float": "inf"}`. Full-text index tables are derived data: they are not dumped and
are rebuilt on import.
"""

from __future__ import annotations

import base64
import json
import logging
import math
import os
import re
import sqlite3
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..errors import BackupError, NotFound
from . import storyline
from .migrations import MIGRATIONS, READ_SUMMARIES, refill_read_summaries
from . import Store

LOGGER = logging.getLogger(__name__)

DUMP_FORMAT = "newsgraph-dump"
DUMP_VERSION = 1
MANIFEST = "manifest.json"
# Rows per executemany batch on import: bounded memory whatever the table's size.
_BATCH = 2000
# The migrations table belongs to the target store: it records its own schema history; the
# read summaries are counted afresh from the loaded rows (the triggers saw them in table order).
_NOT_IMPORTED = frozenset({"_migrations", *READ_SUMMARIES})


# -- online backup ------------------------------------------------------------------------------


def backup(db: str | os.PathLike[str], dest: str | os.PathLike[str], *, overwrite: bool = False) -> dict[str, Any]:
    """Copy the store at `db` into the single file `dest` with SQLite's online backup API.

    Safe while other processes read or write the store: the copy is one consistent
    snapshot (taken in a single step under a read transaction, which WAL lets writers
    run beside), checked with `PRAGMA integrity_check`, and moved into place only when
    complete, so `dest` is never a half-written file.

    Returns:
        {"path", "bytes", "articles", "integrity"} of the backup.

    Raises:
        NotFound: no store at `db`.
        BackupError: `dest` exists (without `overwrite`), or the copy failed its check.
    """
    src_path, dest_path = Path(db), Path(dest)
    if not src_path.is_file():
        raise NotFound(f"{src_path}: no newsgraph store here to back up")
    if dest_path.exists() and not overwrite:
        raise BackupError(f"{dest_path}: already exists; choose another name or pass --overwrite")
    if dest_path.resolve() == src_path.resolve():
        raise BackupError(f"{dest_path}: is the store itself; back up to another file")
    tmp = dest_path.with_name(f".{dest_path.name}.{os.getpid()}.partial")
    try:
        articles, check = _copy(src_path, tmp)
        if check != "ok":
            raise BackupError(f"{dest_path}: the copy failed its integrity check ({check}); nothing written")
        os.replace(tmp, dest_path)
    finally:
        tmp.unlink(missing_ok=True)
    return {"path": str(dest_path), "bytes": dest_path.stat().st_size, "articles": articles, "integrity": check}


def _copy(src_path: Path, tmp: Path) -> tuple[int, str]:
    tmp.unlink(missing_ok=True)
    try:
        src = sqlite3.connect(src_path, timeout=30)
        dst = sqlite3.connect(tmp)
    except sqlite3.Error as e:
        raise BackupError(f"{src_path}: cannot open the store ({e})") from e
    try:
        src.execute("PRAGMA busy_timeout = 30000")
        # pages=-1: one step under one read transaction, so concurrent writers can never
        # force the copy to restart (a stepwise copy restarts on every foreign write)
        src.backup(dst, pages=-1)
        # a self-contained file: no -wal beside it to lose when the backup is moved
        dst.execute("PRAGMA journal_mode = DELETE")
        problems = integrity_problems(dst)
        check = "ok" if not problems else "; ".join(problems[:3])
        articles = _count(dst, "articles")
    except sqlite3.Error as e:
        raise BackupError(f"{src_path}: backup failed ({e}); nothing written") from e
    finally:
        dst.close()
        src.close()
    return articles, check


def integrity_problems(conn: sqlite3.Connection) -> list[str]:
    """What `PRAGMA integrity_check` finds wrong, less its false alarms; empty when the file is sound.

    SQLite 3.40 reports "NULL value in T.C" for every row of a WITHOUT ROWID table whose
    NOT NULL column comes before its primary key (story_events, timexes, …) although no
    such NULL exists; each of those claims is checked with a direct query instead.
    """
    problems = []
    for (message,) in conn.execute("PRAGMA integrity_check").fetchall():
        if message == "ok":
            continue
        match = re.fullmatch(r"NULL value in ([\w$]+)\.([\w$]+)", message)
        if match and _no_nulls(conn, *match.groups()):
            continue
        problems.append(message)
    return problems


def _no_nulls(conn: sqlite3.Connection, table: str, column: str) -> bool:
    try:
        sql = f'SELECT 1 FROM "{_ident(table)}" WHERE "{_ident(column)}" IS NULL LIMIT 1'
        return conn.execute(sql).fetchone() is None
    except sqlite3.Error:
        return False


def _count(conn: sqlite3.Connection, table: str) -> int:
    try:
        count: int = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        return count
    except sqlite3.OperationalError:
        return 0


# -- the dump ---------------------------------------------------------------------------------


# Tables that triggers fill from other tables' rows: an import rebuilds them as it loads those.
TRIGGER_KEPT = frozenset({"actor_fact_tally"})


def dump_tables(conn: sqlite3.Connection) -> list[str]:
    """Tables that hold data, in creation order: not full-text indexes nor their shadow tables,
    nor tables triggers keep (`TRIGGER_KEPT`)."""
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY rowid").fetchall()
    virtual = [name for name, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL TABLE")]
    return [name for name, _ in rows
            if name not in virtual and name not in TRIGGER_KEPT and not any(name.startswith(f"{v}_") for v in virtual)]


def table_shape(conn: sqlite3.Connection, table: str) -> dict[str, Any]:
    """A table's columns, primary key, and whether it has a rowid of its own to keep.

    `rowid` is True for a rowid table without an INTEGER PRIMARY KEY: its rowids are
    not in any column, yet they order its rows, so the dump carries them as `$rowid`.
    """
    info = conn.execute(f'PRAGMA table_info("{_ident(table)}")').fetchall()
    columns = [row[1] for row in info]
    pk = [row[1] for row in sorted((r for r in info if r[5]), key=lambda r: r[5])]
    try:
        conn.execute(f'SELECT _rowid_ FROM "{_ident(table)}" LIMIT 0')
        has_rowid = True
    except sqlite3.OperationalError:
        has_rowid = False
    aliased = len(pk) == 1 and next(r[2] for r in info if r[1] == pk[0]).upper() == "INTEGER"
    return {"columns": columns, "pk": pk, "rowid": has_rowid and not aliased, "rowid_table": has_rowid}


def encode_value(value: Any) -> Any:
    """A SQLite value as JSON, losslessly (see the module's docstring)."""
    if isinstance(value, bytes):
        return {"$blob": base64.b64encode(value).decode("ascii")}
    if isinstance(value, float) and not math.isfinite(value):
        return {"$float": repr(value)}
    return value


def decode_value(value: Any) -> Any:
    """The inverse of `encode_value`."""
    if isinstance(value, dict):
        if "$blob" in value:
            return base64.b64decode(value["$blob"], validate=True)
        if "$float" in value:
            return float(value["$float"])
        raise BackupError(f"unknown encoded value {sorted(value)!r} in the dump")
    return value


def export_all(db: str | os.PathLike[str] | Store, directory: str | os.PathLike[str]) -> dict[str, int]:
    """Write every table of the store to `directory` as JSON Lines; returns rows per table.

    The whole dump is read inside one read transaction: it is a consistent snapshot even
    while an ingest writes. `directory` must be new or empty.
    """
    out = Path(directory)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BackupError(f"{out}: exists and is not an empty folder; export into a new one")
    out.mkdir(parents=True, exist_ok=True)
    store = db if isinstance(db, Store) else Store(db, readonly=True)
    conn = store.conn
    counts: dict[str, int] = {}
    shapes: dict[str, Any] = {}
    try:
        conn.execute("BEGIN")
        try:
            for table in dump_tables(conn):
                shapes[table] = table_shape(conn, table)
                counts[table] = _write_table(conn, table, shapes[table], out / f"{table}.jsonl")
            migrations = [r[0] for r in conn.execute("SELECT name FROM _migrations ORDER BY rowid")]
        finally:
            conn.execute("COMMIT")
    finally:
        if not isinstance(db, Store):
            store.close()
    manifest = {
        "format": DUMP_FORMAT, "version": DUMP_VERSION,
        "exported": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "migrations": migrations,
        "tables": {t: {"rows": counts[t], "columns": shapes[t]["columns"], "rowid": shapes[t]["rowid"]}
                   for t in counts},
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return counts


def _write_table(conn: sqlite3.Connection, table: str, shape: dict[str, Any], path: Path) -> int:
    n = 0
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for row in _rows(conn, table, shape):
            fh.write(json.dumps(row, ensure_ascii=False, allow_nan=False, separators=(",", ":")))
            fh.write("\n")
            n += 1
    return n


def _rows(conn: sqlite3.Connection, table: str, shape: dict[str, Any]) -> Iterator[dict[str, Any]]:
    columns = shape["columns"]
    select = ", ".join(f'"{_ident(c)}"' for c in columns)
    if shape["rowid"]:
        select = "_rowid_, " + select
    order = "_rowid_" if shape["rowid_table"] else ", ".join(f'"{_ident(c)}"' for c in shape["pk"]) or "1"
    cursor = conn.cursor()
    cursor.row_factory = None
    for values in cursor.execute(f'SELECT {select} FROM "{_ident(table)}" ORDER BY {order}'):
        row = {}
        if shape["rowid"]:
            row["$rowid"] = values[0]
            values = values[1:]
        row.update((c, encode_value(v)) for c, v in zip(columns, values))
        yield row


# -- restore ----------------------------------------------------------------------------------


def import_all(directory: str | os.PathLike[str], db: str | os.PathLike[str]) -> dict[str, int]:
    """Rebuild a store at `db` from a dump made by `export_all`; returns rows per table.

    The new store gets this version's schema (the dump's columns must exist in it), the
    rows in one transaction (all or nothing), foreign keys checked at the end, and its
    full-text index rebuilt. `db` must be new or an empty store.
    """
    src = Path(directory)
    manifest = _manifest(src)
    target = Path(db)
    if target.exists() and target.stat().st_size > 0:
        with Store(target) as existing:
            if existing.count("articles"):
                raise BackupError(f"{target}: already holds articles; import into a new file")
    with Store(target) as store:
        conn = store.conn
        known = set(dump_tables(conn))
        tables = [t for t in manifest["tables"] if t not in _NOT_IMPORTED]
        for table in tables:
            if table not in known:
                raise BackupError(f"{src}: table {table!r} is not in this version's schema")
        conn.execute("PRAGMA foreign_keys = OFF")  # tables load in any order; checked below
        try:
            counts = _load(conn, src, tables, manifest)
        finally:
            conn.execute("PRAGMA foreign_keys = ON")
        storyline.refresh_summaries(store)  # the stories' listing summaries, as an ingest ends
    return counts


def _manifest(src: Path) -> dict[str, Any]:
    path = src / MANIFEST
    if not path.is_file():
        raise NotFound(f"{src}: no {MANIFEST}: not a newsgraph dump, or an unfinished one")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise BackupError(f"{path}: unreadable manifest ({e})") from e
    if not isinstance(manifest, dict) or manifest.get("format") != DUMP_FORMAT:
        raise BackupError(f"{path}: not a newsgraph dump manifest")
    if manifest.get("version") != DUMP_VERSION:
        raise BackupError(f"{path}: dump version {manifest.get('version')!r}; this newsgraph reads {DUMP_VERSION}")
    newer = [m for m in manifest.get("migrations", []) if m not in MIGRATIONS.names]
    if newer:
        raise BackupError(f"{path}: made by a newer newsgraph (schema {', '.join(newer)}); upgrade to import it")
    return manifest


def _load(conn: sqlite3.Connection, src: Path, tables: list[str], manifest: dict[str, Any]) -> dict[str, int]:
    counts: dict[str, int] = {}
    conn.execute("BEGIN IMMEDIATE")
    try:
        for table in tables:
            if _count(conn, table):
                raise BackupError(f"table {table} of the new store is not empty")
            counts[table] = _load_table(conn, table, src / f"{table}.jsonl", manifest["tables"][table])
        for vt in _fts_tables(conn):
            conn.execute(f'INSERT INTO "{_ident(vt)}"("{_ident(vt)}") VALUES (\'rebuild\')')
        if "relation_pairs" not in tables:  # a dump from before the stored relation aggregate
            from .graph import rebuild_relations

            rebuild_relations(conn)
        if "m023_flat_write_cost" not in manifest.get("migrations", []):
            # a dump from before LSH buckets were filed by month (or stored at all)
            from .families import fill_text_epochs, rebuild_bands

            fill_text_epochs(conn)
            rebuild_bands(conn)
        refill_read_summaries(conn)
        if "family_keys" not in tables:  # a dump from before the index read its members from the store
            from .families import rebuild_keys

            rebuild_keys(conn)
        problems = conn.execute("PRAGMA foreign_key_check").fetchmany(5)
        if problems:
            raise BackupError(f"{src}: rows point at missing rows ({[tuple(p) for p in problems]}); nothing imported")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return counts


def _load_table(conn: sqlite3.Connection, table: str, path: Path, meta: dict[str, Any]) -> int:
    shape = table_shape(conn, table)
    columns = list(meta.get("columns") or [])
    missing = [c for c in columns if c not in shape["columns"]]
    if missing:
        raise BackupError(f"{path}: columns {missing} are not in table {table} of this version's schema")
    keys = (["$rowid"] if meta.get("rowid") and shape["rowid_table"] else []) + columns
    names = ", ".join(["_rowid_" if k == "$rowid" else f'"{_ident(k)}"' for k in keys])
    sql = f'INSERT INTO "{_ident(table)}" ({names}) VALUES ({", ".join("?" * len(keys))})'
    n, batch = 0, []
    for lineno, row in _read_jsonl(path):
        try:
            batch.append([decode_value(row[k]) for k in keys])
        except (KeyError, TypeError, ValueError) as e:
            raise BackupError(f"{path}:{lineno}: malformed row ({e})") from e
        if len(batch) >= _BATCH:
            n += _insert(conn, sql, batch, path)
            batch = []
    n += _insert(conn, sql, batch, path)
    if n != meta.get("rows", n):
        raise BackupError(f"{path}: {n} rows, the manifest says {meta['rows']}: an incomplete dump")
    return n


def _insert(conn: sqlite3.Connection, sql: str, batch: list[list[Any]], path: Path) -> int:
    try:
        conn.executemany(sql, batch)
    except sqlite3.Error as e:
        raise BackupError(f"{path}: cannot load a row ({e})") from e
    return len(batch)


def _read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    if not path.is_file():
        raise BackupError(f"{path}: missing from the dump")
    with path.open(encoding="utf-8", newline="\n") as fh:
        for lineno, line in enumerate(fh, 1):
            try:
                row = json.loads(line)
            except ValueError as e:
                raise BackupError(f"{path}:{lineno}: not valid JSON ({e})") from e
            if not isinstance(row, dict):
                raise BackupError(f"{path}:{lineno}: a row must be a JSON object")
            yield lineno, row


def _fts_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
    return [name for name, sql in rows if "USING FTS" in (sql or "").upper()]


def _ident(name: str) -> str:
    """An identifier safe inside double quotes (names come from sqlite_master or were checked against it)."""
    return name.replace('"', '""')
