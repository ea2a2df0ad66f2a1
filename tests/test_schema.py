"""One schema: the Spark rows (`rows.TABLES`) are derived from the migrated store schema, and
the row builder fills every column the schema gives them."""

import dataclasses
import random
import sqlite3

import pytest

from newsgraph.extract.events import Quantity
from newsgraph.extract.timex import Timex
from newsgraph.rows import TABLES, article_rows, records_from_rows
from newsgraph.store import Store
from newsgraph.store.migrations import MIGRATIONS
from newsgraph.store.schema import BOOLEAN_COLUMNS, ROW_TABLES, columns, row_columns, row_tables, tables
from newsgraph.types import Role
from test_store_scale import article, records


def full_records():
    """Hand-made records with a row for every row table (roles, quantities, timexes too)."""
    made = records(random.Random(3), 3)
    made.actors[0].roles.append(Role("defence minister", "RUS", "GOV", 20, 35, 0, began="2024"))
    made.actors[0].aliases.add("the minister")
    event = made.events[0]
    quantity = Quantity(11000.0, "troops", True, "about 11,000 troops", 40, 59)
    made.events[0] = dataclasses.replace(event, event=dataclasses.replace(event.event, quantities=(quantity,)))
    made.timexes = [Timex(60, 67, "Tuesday", "DATE", "2024-01-09", "day", True)]
    return made


def test_schema_rows_tables_are_the_derived_ones():
    assert TABLES == row_tables()
    assert list(TABLES) == list(ROW_TABLES)


@pytest.mark.parametrize("name", [n for n, spec in ROW_TABLES.items() if spec.table])
def test_schema_row_table_names_only_real_columns(name):
    """A spec that names a column the schema lost (renamed, dropped) fails here, not in Spark."""
    spec = ROW_TABLES[name]
    have = {c.name for c in tables()[spec.table]}
    assert set(spec.renamed) | spec.store_only | set(spec.retyped) <= have
    assert not {n for n, _ in spec.extra} & {spec.renamed.get(c, c) for c in have - spec.store_only}


def test_schema_boolean_columns_are_integer_columns():
    for table, names in BOOLEAN_COLUMNS.items():
        types = {c.name: c.type for c in tables()[table]}
        assert {types[n] for n in names} == {"INTEGER"}, table


def test_schema_every_store_column_of_a_mirrored_table_reaches_the_rows():
    for name, spec in ROW_TABLES.items():
        if spec.table is None:
            continue
        row_names = {n for n, _ in TABLES[name]}
        for column in tables()[spec.table]:
            if column.name not in spec.store_only:
                assert spec.renamed.get(column.name, column.name) in row_names, (name, column.name)


def test_schema_a_new_column_of_a_migration_reaches_the_rows(monkeypatch):
    conn = sqlite3.connect(":memory:")
    MIGRATIONS.apply(conn)
    conn.execute("ALTER TABLE events ADD COLUMN wind_speed REAL")
    schema = {**tables(), "events": columns(conn, "events")}
    monkeypatch.setattr("newsgraph.store.schema.tables", lambda: schema)
    assert ("wind_speed", "double") in row_columns(ROW_TABLES["events"])
    assert ("wind_speed", "double") not in TABLES["events"]


def test_schema_the_row_builder_fills_every_column_of_every_table():
    rows = article_rows(article(1), full_records())
    for table in TABLES:
        if table == "failures":
            continue
        assert rows[table], f"no {table} rows: the sample records should cover every table"
        for row in rows[table]:
            assert set(row) == {name for name, _ in TABLES[table]}, table


def test_schema_rows_store_the_same_records_as_a_direct_write(tmp_path):
    made = full_records()
    direct, via_rows = Store(tmp_path / "a.db"), Store(tmp_path / "b.db")
    direct.add_article(article(1), made)
    for again, again_records, note in records_from_rows(article_rows(article(1), made)):
        via_rows.add_article(again, again_records, note=note)
    for table in ("events", "participants", "quantities", "claims", "roles", "timexes", "aliases"):
        sql = f"SELECT * FROM {table} ORDER BY 1, 2"
        assert direct.conn.execute(sql).fetchall() == via_rows.conn.execute(sql).fetchall(), table
