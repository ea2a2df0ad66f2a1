"""Backup and the lossless dump: `newsgraph backup`, `export all`, `import`."""

from __future__ import annotations

import json
import sqlite3
import tempfile
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from newsgraph.store.backup import (BackupError, backup, decode_value, dump_tables, encode_value, export_all,
                              import_all, integrity_problems)
from newsgraph.cli import cli
from newsgraph.errors import NotFound
from newsgraph.identity import make_article
from newsgraph.store import Store
from newsgraph.types import RawArticle

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "samples" / "corpus"

# Text a store must give back exactly: joiners, bidi controls, combining marks, astral
# characters, line and paragraph separators, quotes and backslashes, text that looks
# like the dump's own encodings.
HOSTILE = [
    "Officials in Geneva said on Monday the talks \u202egnirts desrever\u202c would resume; "
    "the envoy 👩\u200d👩\u200d👧 arrived with Zo\u00eb and Zoe\u0308.",
    "The minister said the plan \u2028was \u2029final, citing \"quotes\", back\\slashes and "
    "{\"$blob\": \"AAAA\"} in the statement from 北京 and القاهرة.",
    "Ukraine's president thanked 𝔊𝔢𝔯𝔪𝔞𝔫𝔶 for the aid \U0001F1FA\U0001F1E6 while \u200fRTL\u200f and "
    "\ufeffBOM-like marks and a tab\tstayed in the text.",
]


def _ingest(db: Path, paths: list[str]) -> None:
    from newsgraph.pipeline import ingest
    from newsgraph.settings import load_settings

    with Store(db) as store:
        ingest(paths, store=store, settings=load_settings())


def table_rows(conn: sqlite3.Connection, table: str) -> list[tuple]:
    """Every row with its rowid (when it has one) and each value's SQLite type, in a fixed order."""
    cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
    select = ", ".join(f'"{c}", typeof("{c}")' for c in cols)
    try:
        return [tuple(r) for r in conn.execute(f'SELECT _rowid_, {select} FROM "{table}" ORDER BY _rowid_')]
    except sqlite3.OperationalError:  # WITHOUT ROWID
        return sorted(tuple(r) for r in conn.execute(f'SELECT {select} FROM "{table}"'))


@pytest.fixture(scope="module")
def populated(tmp_path_factory) -> Path:
    """The sample corpus plus hostile Unicode, ingested for real, plus odd values put in by hand."""
    folder = tmp_path_factory.mktemp("populated")
    hostile = folder / "hostile.jsonl"
    hostile.write_text("".join(json.dumps({"text": t, "title": f"Hostile ☃ {i} \u202e", "url": f"http://x.test/{i}"},
                                          ensure_ascii=i % 2 == 0) + "\n" for i, t in enumerate(HOSTILE)),
                       encoding="utf-8")
    db = folder / "news.db"
    _ingest(db, [str(CORPUS), str(hostile)])
    with Store(db) as store:
        # values the pipeline never writes but a store may hold: floats at the edges,
        # a blob in a text column, NULLs, an emoji key
        store.conn.executemany(
            "INSERT INTO key_links (key, target, reason, score, auto, created) VALUES (?, ?, ?, ?, ?, ?)",
            [("person:a\U0001F600", "person:b", "edge", float("inf"), 0, "2025-01-01"),
             ("person:c", "person:d", "edge", -0.0, 1, "2025-01-01"),
             ("person:e", "person:f", "edge", 0.1 + 0.2, 1, "2025-01-01"),
             ("person:g", "person:h", "edge", 5e-324, 1, "2025-01-01"),
             ("person:i", "person:j", "edge", None, 1, "2025-01-01")],
        )
        store.conn.execute("UPDATE articles SET note = ? WHERE seq = 1", (b"\x00\xff\xfe raw",))
    return db


def test_export_import_round_trip_is_identical(populated, tmp_path):
    runner = CliRunner()
    dump, restored = tmp_path / "dump", tmp_path / "restored.db"
    out = runner.invoke(cli, ["export", "all", str(dump), "--db", str(populated), "--json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["articles"] == 12  # 9 samples + 3 hostile
    out = runner.invoke(cli, ["import", str(dump), "--db", str(restored)])
    assert out.exit_code == 0, out.output
    assert "imported" in out.output

    with sqlite3.connect(populated) as a, sqlite3.connect(restored) as b:
        tables = dump_tables(a)
        assert tables == dump_tables(b)
        assert {"articles", "sentences", "mentions", "events", "claims", "family_texts"} <= set(tables)
        for table in tables:
            if table == "_migrations":  # the restored store's own schema history
                assert [r[0] for r in a.execute("SELECT name FROM _migrations ORDER BY name")] == \
                       [r[0] for r in b.execute("SELECT name FROM _migrations ORDER BY name")]
                continue
            assert table_rows(a, table) == table_rows(b, table), table
        assert integrity_problems(b) == []
        # the full-text index was rebuilt: the same searches find the same articles
        for word in ("Baltic", "北京", "Germany", "Khartoum"):
            query = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid"
            assert a.execute(query, (f'"{word}"',)).fetchall() == b.execute(query, (f'"{word}"',)).fetchall()
    with Store(restored, readonly=True) as store:
        assert store.search("Baltic")
        assert any("Hostile" in (a["title"] or "") for a in store.articles(limit=50))


def test_backup_is_a_whole_checked_copy(populated, tmp_path):
    dest = tmp_path / "copy.db"
    out = CliRunner().invoke(cli, ["backup", str(dest), "--db", str(populated), "--json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["integrity"] == "ok"
    assert not Path(f"{dest}-wal").exists()  # self-contained
    with sqlite3.connect(populated) as a, sqlite3.connect(dest) as b:
        for table in dump_tables(a):
            assert table_rows(a, table) == table_rows(b, table), table
    again = CliRunner().invoke(cli, ["backup", str(dest), "--db", str(populated)])
    assert again.exit_code != 0 and "already exists" in again.output


def _raw(i: int) -> RawArticle:
    return RawArticle(text=f"Article number {i} says the council met on day {i} to discuss item {i * 7}.",
                      source=f"gen:{i}", title=f"Item {i}")


def test_backup_while_another_thread_writes(tmp_path):
    db = tmp_path / "busy.db"
    with Store(db) as store:
        for i in range(20):
            store.add_article(make_article(_raw(i), language="en"), None)
    started, done = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            with Store(db) as store:
                for i in range(20, 400):
                    store.add_article(make_article(_raw(i), language="en"), None)
                    if i == 60:
                        started.set()
        except BaseException as e:  # noqa: BLE001 - reported by the test below
            errors.append(e)
        finally:
            started.set()
            done.set()

    thread = threading.Thread(target=writer)
    thread.start()
    started.wait(30)
    copies = []
    for n in range(3):
        result = backup(db, tmp_path / f"b{n}.db")
        copies.append(result)
    thread.join(60)
    assert not errors and done.is_set()
    with Store(db, readonly=True) as store:
        final = {a["id"] for a in store.articles(limit=1000)}
    assert len(final) == 400
    for result in copies:
        assert result["integrity"] == "ok" and 20 <= result["articles"] <= 400
        with sqlite3.connect(result["path"]) as conn:
            ids = {r[0] for r in conn.execute("SELECT id FROM articles")}
            assert ids <= final
            # every article in the copy is whole: its family row and its index entry came with it
            assert conn.execute("SELECT count(*) FROM family_members").fetchone()[0] == len(ids)
            assert conn.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'council'").fetchone()[0] \
                == len(ids)


def test_import_refuses_incomplete_dumps_and_full_stores(populated, tmp_path):
    dump = tmp_path / "dump"
    export_all(populated, dump)
    with pytest.raises(BackupError, match="already holds articles"):
        import_all(dump, populated)
    (dump / "manifest.json").unlink()
    with pytest.raises(NotFound, match="manifest"):
        import_all(dump, tmp_path / "new.db")
    with pytest.raises(BackupError, match="not an empty folder"):
        export_all(populated, dump)


def test_import_of_a_truncated_table_changes_nothing(populated, tmp_path):
    dump = tmp_path / "dump"
    export_all(populated, dump)
    lines = (dump / "mentions.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    (dump / "mentions.jsonl").write_text("".join(lines[:-3]), encoding="utf-8")
    target = tmp_path / "new.db"
    with pytest.raises(BackupError, match="incomplete dump"):
        import_all(dump, target)
    with Store(target, readonly=True) as store:
        assert store.count("articles") == 0  # all or nothing


_VALUES = st.one_of(st.none(), st.integers(-2**63, 2**63 - 1), st.floats(allow_nan=False),
                    st.text(st.characters(blacklist_categories=("Cs",))), st.binary(max_size=64))


@given(values=st.lists(_VALUES, max_size=8))
def test_value_encoding_round_trips_through_json_lines(values):
    line = json.dumps([encode_value(v) for v in values], ensure_ascii=False, allow_nan=False)
    assert "\n" not in line
    back = [decode_value(v) for v in json.loads(line)]
    assert [(type(v), v) for v in back] == [(type(v), v) for v in values]


@hsettings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1),
                               st.text(st.characters(blacklist_categories=("Cs",))),
                               st.one_of(st.none(), st.floats(allow_nan=False))),
                     max_size=5, unique_by=lambda r: r[0]))
def test_any_unicode_and_float_survive_a_store_round_trip(rows):
    with tempfile.TemporaryDirectory() as tmp:
        db, dump, new = Path(tmp, "a.db"), Path(tmp, "dump"), Path(tmp, "b.db")
        with Store(db) as store:
            store.conn.executemany(
                "INSERT INTO key_links (key, target, reason, score, auto, created) VALUES (?, ?, 'r', ?, 0, 'c')",
                rows)
        export_all(db, dump)
        import_all(dump, new)
        with sqlite3.connect(db) as a, sqlite3.connect(new) as b:
            assert table_rows(a, "key_links") == table_rows(b, "key_links")
