"""The datasette metadata names only tables and columns the store has, and describes them all.

Checked against a fresh store's schema with sqlite3 alone (datasette is not a dependency)."""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner

from newsgraph.cli import cli
from newsgraph.metadata import datasette_metadata
from newsgraph.store import Store


@pytest.fixture(scope="module")
def schema(tmp_path_factory) -> dict[str, set[str]]:
    db = tmp_path_factory.mktemp("meta") / "newsgraph.db"
    Store(db).close()
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: {r[1] for r in conn.execute("SELECT * FROM pragma_table_info(?)", (t,))} for t in tables}


def described() -> dict[str, dict]:
    return datasette_metadata()["databases"]["newsgraph"]["tables"]


def test_metadata_names_only_tables_and_columns_that_exist(schema):
    for table, entry in described().items():
        assert table in schema, f"metadata describes a table the store lacks: {table}"
        assert set(entry["columns"]) <= schema[table], f"{table}: no columns {set(entry['columns']) - schema[table]}"
        for key in ("label_column", "sort_desc", "sort", "fts_pk"):
            if key in entry:
                assert entry[key] in schema[table], f"{table}.{key} names a missing column"
        if "fts_table" in entry:
            assert entry["fts_table"] in schema


def test_metadata_describes_every_table_and_column(schema):
    """A migration that adds a table or a column must say here what it holds."""
    full_text = {t for t in schema if t.startswith("articles_fts")}  # SQLite's own FTS5 tables
    tables = described()
    assert set(schema) - full_text - set(tables) == set()
    for table, entry in tables.items():
        missing = schema[table] - set(entry["columns"])
        assert not missing, f"describe {table}.{', '.join(sorted(missing))} in newsgraph/metadata.py"
        assert entry["description"] and all(entry["columns"].values())


def test_cli_datasette_metadata_names_the_database_after_the_file(tmp_path):
    out = tmp_path / "metadata.json"
    result = CliRunner().invoke(cli, ["datasette-metadata", "-o", str(out), "--db", str(tmp_path / "wire-2025.db")])
    assert result.exit_code == 0, result.output
    assert "datasette" in result.stderr and "-m" in result.stderr
    written = json.loads(out.read_text("utf-8"))
    assert list(written["databases"]) == ["wire-2025"]
    assert written["databases"]["wire-2025"] == datasette_metadata()["databases"]["newsgraph"]
