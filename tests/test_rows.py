"""Records as rows: `process_record` gives what the local engine stores, and loads back the same."""

from __future__ import annotations

import pickle
from dataclasses import asdict

import pytest

from newsgraph.pipeline import ingest
from newsgraph.rows import (TABLES, article_rows, empty_rows, merge_rows, process_record, process_records,
                            publication_month, records_from_rows, store_rows)
from newsgraph.settings import load_settings
from newsgraph.sources import read_sources
from newsgraph.store import Store
from newsgraph.types import Article, ArticleRecords, Failure

from conftest import REPO

CORPUS = REPO / "samples" / "corpus"


def content(store: Store) -> dict[str, set]:
    """What a user would compare between two stores: ids, codes, spans and actor keys."""
    q = store.conn.execute
    events = {(r[0], r[1], r[2], r[3], r[4], r[5]) for r in q(
        "SELECT id, article_id, cameo, trigger_start, trigger_end, time_value FROM events")}
    parts = {(r[0], r[1], r[2], r[3]) for r in q("SELECT event_id, role, position, actor_key FROM participants")}
    return {
        "articles": {tuple(r) for r in q("SELECT id, language, extracted, note, published FROM articles")},
        "events": events,
        "participants": parts,
        "mentions": {tuple(r) for r in q("SELECT article_id, start, end, label, actor_key FROM mentions")},
        "actors": {tuple(r) for r in q("SELECT article_id, actor_key, name, country, sector FROM actor_facts")},
        "claims": {tuple(r) for r in q(
            "SELECT id, cue_start, cue_end, status, source_actor_key, source_name FROM claims")},
        "claim_events": {tuple(r) for r in q("SELECT claim_id, event_id FROM claim_events")},
        "timexes": {tuple(r) for r in q("SELECT article_id, start, end, value FROM timexes")},
    }


def rows_content(rows) -> dict[str, set]:
    """The same view, taken from the rows."""
    return {
        "events": {(e["event_id"], e["article_id"], e["cameo"], e["trigger_start"], e["trigger_end"],
                    e["time_value"]) for e in rows["events"]},
        "participants": {(p["event_id"], p["role"], p["position"], p["actor_key"]) for p in rows["participants"]},
        "mentions": {(m["article_id"], m["start"], m["end"], m["label"], m["actor_key"]) for m in rows["mentions"]},
        "actors": {(a["article_id"], a["key"], a["name"], a["country"], a["sector"]) for a in rows["actors"]},
        "claims": {(c["claim_id"], c["cue_start"], c["cue_end"], c["status"], c["source_actor_key"],
                    c["source_name"]) for c in rows["claims"]},
        "claim_events": {(c["claim_id"], e) for c in rows["claims"] for e in c["event_ids"]},
        "timexes": {(t["article_id"], t["start"], t["end"], t["value"]) for t in rows["timexes"]},
    }


@pytest.fixture(scope="module")
def corpus_rows(nlp):
    settings = load_settings()
    raws = [asdict(r) for r in read_sources([str(CORPUS)], settings=settings) if not isinstance(r, Failure)]
    return merge_rows(process_records(raws, settings))


@pytest.fixture(scope="module")
def local_store(nlp):
    store = Store(memory=True)
    ingest([str(CORPUS)], store=store, settings=load_settings())
    return store


@pytest.mark.model
def test_rows_equal_what_the_local_engine_stores(corpus_rows, local_store):
    expected = content(local_store)
    got = rows_content(corpus_rows)
    assert got["events"], "the sample corpus has events"
    for table, values in got.items():
        assert values == expected[table], table
    assert {r["article_id"] for r in corpus_rows["articles"]} == {a[0] for a in expected["articles"]}


@pytest.mark.model
def test_rows_loaded_into_a_store_equal_a_local_ingest(corpus_rows, local_store):
    loaded = Store(memory=True)
    counts = store_rows(loaded, corpus_rows)
    loaded.resolve_pending()
    assert counts["stored"] == len(corpus_rows["articles"])
    assert counts["not_extracted"] == 1  # the German wire story
    assert content(loaded) == content(local_store)
    # loading again stores nothing twice
    assert store_rows(loaded, corpus_rows)["stored"] == 0


@pytest.mark.model
def test_rows_round_trip_to_records(corpus_rows):
    for article, records, note in records_from_rows(corpus_rows):
        again = article_rows(article, records, note=note)
        for table, rows in again.items():
            original = [r for r in corpus_rows[table] if r["article_id"] == article.id]
            assert rows == original, (article.id, table)


def test_every_row_has_the_table_columns_and_month():
    article = Article(id="a1", text="Text.", source="x", published="2025-03-04T10:00:00", language="en")
    rows = article_rows(article, ArticleRecords(sentences=[(0, 5)]))
    for table, values in rows.items():
        for row in values:
            # the columns are read by name (Spark's schema and `newsgraph load`): their order is the schema's
            assert sorted(row) == sorted(name for name, _ in TABLES[table])
            assert row["month"] == "2025-03"


def test_publication_month():
    assert publication_month("2025-03-04") == "2025-03"
    assert publication_month("2025") == "unknown"
    assert publication_month(None) == "unknown"


def test_a_bad_record_becomes_a_failure_row_not_an_error():
    rows = process_record({"text": "short", "source": "in.jsonl:3"}, load_settings())
    assert rows["articles"] == []
    assert rows["failures"][0]["source"] == "in.jsonl:3"
    assert "too short" in rows["failures"][0]["reason"]


def test_a_foreign_language_article_is_a_row_without_records():
    text = ("Die Bundesregierung hat am Montag in Berlin ein neues Hilfspaket für die Landwirtschaft "
            "angekündigt, teilte das Ministerium mit.")
    rows = process_record({"text": text, "source": "de.txt", "published": "2025-02-10"})
    assert rows["articles"][0]["language"] == "de"
    assert rows["articles"][0]["extracted"] is False
    assert rows["articles"][0]["note"].startswith("language de")
    assert rows["mentions"] == [] and rows["events"] == []


def test_settings_and_rows_pickle():
    settings = load_settings()
    assert pickle.loads(pickle.dumps(settings)) == settings
    assert pickle.loads(pickle.dumps(empty_rows())) == empty_rows()


def test_the_same_text_twice_in_the_input_loads_as_one_article_and_a_copy(corpus_rows, local_store):
    # a distributed run processes both copies: their rows share the article id
    first_id = corpus_rows["events"][0]["article_id"]
    # (the copy published in another month, so its rows land in another partition)
    doubled = {table: list(rows) + [dict(r, url="https://mirror.example/copy", month="2001-01", published="2001-01-02")
                                    if table == "articles" else dict(r, month="2001-01")
                                    for r in rows if r["article_id"] == first_id]
               for table, rows in corpus_rows.items()}
    store = Store(memory=True)
    counts = store_rows(store, doubled)
    assert counts["copies"] == 1 and content(store) == content(local_store)
    for table in ("events", "mentions", "claims", "timexes", "roles"):
        assert store.count(table) == local_store.count(table), table
