"""Deleting an article leaves the store as if it had never been ingested."""

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsgraph.cli import cli
from newsgraph.store import Store

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "corpus"


def snapshot(path):
    """Everything a user can see, keyed by content rather than by row ids."""
    store = Store(path, readonly=True)
    q = store.conn.execute
    key = {r[0]: r[1] for r in q("SELECT id, key FROM actors")}
    shot = {
        "articles": sorted(map(tuple, q("SELECT id, title, text, previous_version FROM articles"))),
        "actors": sorted(map(tuple, q("SELECT key, name, kind, country, sector, place_kind FROM actors"))),
        "aliases": sorted((key[a], b, c) for a, b, c in q("SELECT actor_id, article_id, alias FROM aliases")),
        "mentions": sorted((a, key[b], c, d) for a, b, c, d in q("SELECT article_id, actor_id, start, end FROM mentions")),
        "roles": sorted((key[a], *rest) for a, *rest in q("SELECT actor_id, article_id, title, began, ended FROM roles")),
        "events": sorted(map(tuple, q("SELECT id, cameo, status, time_value FROM events"))),
        "participants": sorted((e, r, key.get(a), n) for e, r, a, n in q(
            "SELECT event_id, role, actor_id, name FROM participants")),
        "claims": sorted(map(tuple, q("SELECT id, status, source_name FROM claims"))),
        "keys": sorted(map(tuple, q("SELECT actor_key, article_id FROM key_articles"))),
        "search": [r["id"] for r in store.search("minister")],
        "families": sorted(map(tuple, q("SELECT article_id, family_id FROM family_members"))),
        "stories": sorted(tuple(sorted(r[0].split(","))) for r in q(
            "SELECT group_concat(event_id) FROM story_events GROUP BY story_id")),
    }
    store.close()
    return shot


def ingest(db, *paths):
    result = CliRunner().invoke(cli, ["ingest", *map(str, paths), "--db", str(db)], catch_exceptions=False)
    assert result.exit_code == 0, result.output


@pytest.mark.model
def test_delete_equals_never_ingested(tmp_path):
    folder = tmp_path / "corpus"
    shutil.copytree(SAMPLES, folder)
    doomed = folder / "html" / "berlin-summit.html"
    full, without = tmp_path / "full.db", tmp_path / "without.db"
    ingest(full, folder)
    doomed_id = Store(full, readonly=True).conn.execute(
        "SELECT id FROM articles WHERE source LIKE ?", ("%berlin-summit.html",)).fetchone()[0]
    result = CliRunner().invoke(cli, ["delete", doomed_id[:8], "--db", str(full)], catch_exceptions=False)
    assert result.exit_code == 0 and "deleted" in result.output
    doomed.unlink()
    ingest(without, folder)
    assert snapshot(full) == snapshot(without)


@pytest.mark.model
def test_corrected_version_replaces_the_records_of_the_old_one(tmp_path):
    db = tmp_path / "s.db"
    first = tmp_path / "v1.jsonl"
    first.write_text('{"url": "http://x.org/a", "published": "2025-01-02", "text": '
                     '"Kenyan President William Ruto met Ethiopian Prime Minister Abiy Ahmed in Nairobi on Friday."}\n')
    second = tmp_path / "v2.jsonl"
    second.write_text('{"url": "http://x.org/a", "published": "2025-01-02", "text": '
                      '"Kenyan President William Ruto met Somali President Hassan Sheikh Mohamud in Nairobi on Friday."}\n')
    ingest(db, first)
    ingest(db, second)
    store = Store(db, readonly=True)
    old, new = store.articles(order="ingest")  # the default lists the latest first
    assert new["previous_version"] == old["id"] and old["superseded_by"] == new["id"]
    names = {a["name"] for a in store.actors(kind="person")}
    assert "Abiy Ahmed" not in names and "William Ruto" in names
    assert all(e["article"] == new["id"] for e in store.events())
