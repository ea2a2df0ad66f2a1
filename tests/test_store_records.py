"""The store comparison the engine tests rely on (tests/store_records.py): ids and write times
do not matter, what a row says does."""

from __future__ import annotations

import sqlite3

from store_records import compared_tables, record_differences, store_records

# A small schema of the same shape as the store's: integer ids, a UNIQUE natural key, a
# declared foreign key, an undeclared one in JSON, story signatures made of actor ids.
SCHEMA = """
CREATE TABLE articles (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, ingested TEXT NOT NULL, title TEXT);
CREATE TABLE actors (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, name TEXT NOT NULL);
CREATE TABLE mentions (id INTEGER PRIMARY KEY, article_id TEXT REFERENCES articles(id),
                       actor_id INTEGER NOT NULL REFERENCES actors(id), start INTEGER, end INTEGER);
CREATE TABLE stories (id INTEGER PRIMARY KEY, signature TEXT NOT NULL, cameo_root TEXT NOT NULL);
CREATE TABLE story_events (story_id INTEGER NOT NULL REFERENCES stories(id), event_id TEXT PRIMARY KEY)
    WITHOUT ROWID;
CREATE TABLE relation_pairs (source_id INTEGER NOT NULL, target_id INTEGER NOT NULL, edge TEXT NOT NULL,
                             PRIMARY KEY (source_id, target_id)) WITHOUT ROWID;
"""
ACTORS = [("state:FRA", "France"), ("state:DEU", "Germany"), ("person:ada lovelace", "Ada Lovelace")]


def _store(actor_order: list[int], *, when: str = "2026-01-01T00:00:00", stories=None,
           mention_actor: str = "state:DEU") -> sqlite3.Connection:
    """A store whose actors arrive in `actor_order` (so their ids differ between stores)."""
    conn = sqlite3.connect(":memory:")
    conn.executescript(SCHEMA)
    for i in actor_order:
        conn.execute("INSERT INTO actors (key, name) VALUES (?, ?)", ACTORS[i])
    ids = dict(conn.execute("SELECT key, id FROM actors"))
    conn.execute("INSERT INTO articles (id, ingested, title) VALUES ('a1', ?, 'Talks in Berlin')", (when,))
    conn.execute("INSERT INTO mentions (article_id, actor_id, start, end) VALUES ('a1', ?, 10, 17)",
                 (ids[mention_actor],))
    fra, deu = ids["state:FRA"], ids["state:DEU"]
    conn.execute("INSERT INTO relation_pairs VALUES (?, ?, ?)", (fra, deu, f'{{"source": {fra}, "target": {deu}}}'))
    for events in stories or [["e1", "e2"]]:
        story = conn.execute("INSERT INTO stories (signature, cameo_root) VALUES (?, '04') RETURNING id",
                             (f"04|{deu},{fra}|",)).fetchone()[0]
        conn.executemany("INSERT INTO story_events VALUES (?, ?)", [(story, e) for e in events])
    return conn


def test_stores_written_in_another_order_at_another_time_hold_the_same_records():
    first = store_records(_store([0, 1, 2]))
    second = store_records(_store([2, 1, 0], when="2026-06-30T12:00:00"))
    assert record_differences(first, second) == {}
    assert compared_tables(first, second) == {"actors": 3, "articles": 1, "mentions": 1, "relation_pairs": 1,
                                              "stories": 1, "story_events": 2}


def test_a_mention_of_another_actor_is_a_difference_in_mentions_only():
    differences = record_differences(store_records(_store([0, 1, 2])),
                                     store_records(_store([2, 1, 0], mention_actor="state:FRA")))
    assert list(differences) == ["mentions"]
    assert differences["mentions"]["rows"] == (1, 1)
    assert differences["mentions"]["only_first"] == [("a1", ("actors", "state:DEU"), 10, 17)]
    assert differences["mentions"]["only_second"] == [("a1", ("actors", "state:FRA"), 10, 17)]


def test_the_same_events_grouped_into_other_stories_are_a_difference():
    differences = record_differences(store_records(_store([0, 1, 2])),
                                     store_records(_store([1, 0, 2], stories=[["e1"], ["e2"]])))
    assert differences["stories"]["rows"] == (1, 2)
    # the signature names its parties by key, so it matches across stores despite other ids
    assert differences["stories"]["only_second"] == [("04|state:DEU,state:FRA|", "04")]
