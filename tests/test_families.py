"""Duplicate families: copies, rewrites, declared sources and canonical URLs, added incrementally."""

from __future__ import annotations

import sqlite3

import pytest

from newsgraph.store.families import (
    DECLARED_JACCARD,
    REWRITE_CONTAINMENT,
    REWRITE_JACCARD,
    SCHEMA,
    FamilyError,
    FamilyIndex,
    canonical_url,
    create_tables,
    outlet_key,
    rebuild_bands,
    rebuild_keys,
    shingle_hashes,
    similarity,
)
from newsgraph.identity import split_trailer, text_key

ORIGINAL = (
    "The harbour authority of Port Elsa said on Tuesday that it would close the northern pier for "
    "six weeks from March 3 after engineers found cracks in two of its concrete supports. "
    "The closure will divert about 40 cargo ships a week to the southern terminal, the authority said. "
    "Local fishing crews, who use the pier every morning, will be given temporary berths at the marina. "
    "Repairs are expected to cost 12 million euros and will be paid from the port's reserve fund. "
    "Mayor Ana Ruiz said the city had asked the regional government for help with the bill and "
    "expected an answer before the end of the month."
)
# A lighter rewrite: sentences reworded and one dropped, declaring where it came from.
REWRITE = (
    "Port Elsa's harbour authority will shut the northern pier for six weeks from March 3, it said on "
    "Tuesday, after inspectors spotted cracks in two concrete supports. "
    "Some 40 cargo ships each week are to be sent to the southern terminal instead. "
    "Repairs are expected to cost 12 million euros, paid from the port's reserve fund. "
    "The city has asked the regional government to help pay, Mayor Ana Ruiz said.\n"
    "Original Source: www.example.org"
)
# Same event, written independently: same facts, different words.
UNRELATED = (
    "Engineers inspecting Port Elsa's north pier discovered cracked supports, prompting officials "
    "to shut it from 3 March. Shipping firms must now use the south terminal for roughly a month and "
    "a half. Fishermen get spare moorings in the marina. The bill, put at 12m euros, comes out of "
    "reserves, and Ruiz wants the region to chip in."
)
OTHER = (
    "Shares in the regional airline rose sharply on Wednesday after it reported a record number of "
    "passengers in the summer season and said it would add four new routes to southern Europe next "
    "spring, pending approval from the aviation authority."
)


def _add_fixture(index: FamilyIndex) -> dict[str, object]:
    body, declared = split_trailer(REWRITE)
    return {
        "original": index.add("original", ORIGINAL, url="https://www.example.org/news/port-elsa-pier",
                              outlet="Example News"),
        "rewrite": index.add("rewrite", body, url="https://rewrites.test/pier", original_source=declared),
        "copy": index.add("copy", ORIGINAL, url="https://syndicate.test/a/1", outlet="Syndicate"),
        "unrelated": index.add("unrelated", UNRELATED, url="https://another.test/pier-shut"),
    }


def test_families_fixture_gives_one_family_of_three_and_the_unrelated_alone():
    index = FamilyIndex()
    assigned = _add_fixture(index)
    assert index.families() == {"original": ["original", "rewrite", "copy"], "unrelated": ["unrelated"]}
    assert assigned["rewrite"].reason == "declared_source"
    assert assigned["rewrite"].matched_article == "original"
    assert assigned["copy"].reason == "exact" and assigned["copy"].score == 1.0
    assert assigned["unrelated"].reason == "new"
    assert index.independent_sources(["original", "rewrite", "copy", "unrelated"]) == 2


def test_families_rewrite_without_declaration_stays_apart():
    # The declaration is what lets the lower threshold apply; the same text alone is not close enough.
    body, _ = split_trailer(REWRITE)
    jaccard, containment = similarity(shingle_hashes(ORIGINAL), shingle_hashes(body))
    assert jaccard < REWRITE_JACCARD and containment < REWRITE_CONTAINMENT
    assert jaccard >= DECLARED_JACCARD
    index = FamilyIndex()
    index.add("original", ORIGINAL, url="https://www.example.org/news/port-elsa-pier")
    assert index.add("rewrite", body).reason == "new"


def test_families_declaration_before_the_original_arrives_links_both_ways():
    body, declared = split_trailer(REWRITE)
    index = FamilyIndex()
    index.add("rewrite", body, original_source=declared)
    assigned = index.add("original", ORIGINAL, url="http://example.org/news/port-elsa-pier/")
    assert assigned.reason == "declared_source"
    assert index.family_of("original") == index.family_of("rewrite") == "rewrite"


def test_families_declared_source_does_not_link_a_dissimilar_article_from_that_outlet():
    index = FamilyIndex()
    index.add("other", OTHER, url="https://www.example.org/business/airline")
    body, declared = split_trailer(REWRITE)
    assert index.add("rewrite", body, original_source=declared).reason == "new"


def test_families_near_duplicate_with_edits_joins_without_metadata():
    index = FamilyIndex()
    index.add("a", ORIGINAL)
    edited = ORIGINAL.replace("on Tuesday", "on Tuesday evening").replace("six weeks", "6 weeks")
    assigned = index.add("b", edited + " Reuters")
    assert (assigned.family_id, assigned.reason) == ("a", "near_duplicate")
    assert 0.5 <= assigned.score < 1.0


def test_families_template_story_with_other_figures_stays_apart():
    # Daily wire templates repeat their wording; the figures tell the days apart.
    day = ("The central bank said it forecast a shortage of around {} mln in the money market today. "
           "Among the main factors, bills maturing in official hands will drain some {} mln while "
           "balances below target will take out around {} mln and a rise in the note circulation "
           "will take out {} mln.")
    index = FamilyIndex()
    index.add("monday", day.format(350, 525, 175, 90))
    assert index.add("tuesday", day.format(300, 338, 25, 45)).reason == "new"
    assert index.add("monday-again", day.format(350, 525, 175, 90) + " Reuter").reason == "near_duplicate"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.example.org/news/story/?utm_source=feed&utm_medium=rss", "example.org/news/story"),
        ("http://example.org/news/story", "example.org/news/story"),
        ("HTTPS://WWW.Example.ORG:443/news//story#comments", "example.org/news/story"),
        ("https://example.org/story?id=7&fbclid=abc&page=2", "example.org/story?id=7&page=2"),
        ("https://example.org/story?page=2&id=7", "example.org/story?id=7&page=2"),
        ("example.org:8080/x/", "example.org:8080/x"),
        ("www.independent.co.uk", "independent.co.uk"),
        ("not a url", None),
        ("", None),
    ],
)
def test_families_canonical_url(url, expected):
    assert canonical_url(url) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [("www.independent.co.uk", "independent"), ("https://news.bbc.co.uk/1/hi", "bbc"),
     ("The Independent", "independent"), ("Reuters", "reuters"), ("", None)],
)
def test_families_outlet_key(name, expected):
    assert outlet_key(name) == expected


def test_families_same_canonical_url_is_one_family_even_when_the_text_changed():
    index = FamilyIndex()
    index.add("v1", ORIGINAL, url="https://www.example.org/news/pier?utm_campaign=x")
    assigned = index.add("v2", OTHER, url="http://example.org/news/pier/")
    assert (assigned.family_id, assigned.reason, assigned.score) == ("v1", "canonical_url", 1.0)


def test_families_add_merges_families_and_reports_the_absorbed_one():
    index = FamilyIndex()
    index.add("a", ORIGINAL, url="https://example.org/a")
    index.add("b", OTHER, url="https://example.org/b")
    assigned = index.add("c", OTHER, url="https://example.org/a")  # same page as a, same text as b
    assert assigned.family_id == "a"
    assert assigned.absorbed == ("b",)
    assert index.families() == {"a": ["a", "b", "c"]}


def test_families_remove_splits_a_family_bridged_only_by_the_removed_article():
    index = FamilyIndex()
    index.add("a", ORIGINAL, url="https://example.org/a")
    index.add("b", OTHER, url="https://example.org/b")
    index.add("bridge", OTHER, url="https://example.org/a")
    changed = index.remove("bridge")
    assert changed == {"b": "b"}
    assert index.families() == {"a": ["a"], "b": ["b"]}


def test_families_remove_keeps_a_family_linked_elsewhere_and_renames_it_after_its_first():
    index = FamilyIndex()
    _add_fixture(index)
    changed = index.remove("original")
    # the copy carries the same text, so the declared link to the rewrite survives
    assert index.families() == {"rewrite": ["rewrite", "copy"], "unrelated": ["unrelated"]}
    assert changed == {"rewrite": "rewrite", "copy": "rewrite"}
    index.remove("copy")
    assert index.families() == {"rewrite": ["rewrite"], "unrelated": ["unrelated"]}


def test_families_remove_then_add_again_restores_the_family():
    index = FamilyIndex()
    _add_fixture(index)
    index.remove("copy")
    assert index.add("copy", ORIGINAL).reason == "exact"
    assert index.family_of("copy") == "original"


def test_families_refuses_duplicate_ids_and_unknown_removals():
    index = FamilyIndex()
    index.add("a", ORIGINAL)
    with pytest.raises(FamilyError):
        index.add("a", OTHER)
    with pytest.raises(FamilyError):
        index.remove("missing")


def test_families_rows_round_trip_through_sqlite():
    index = FamilyIndex()
    _add_fixture(index)
    index.add("other", OTHER)
    rows = index.to_rows()
    db = sqlite3.connect(":memory:")
    db.executescript(SCHEMA)
    db.executemany("INSERT INTO family_members VALUES (?,?,?,?,?,?,?)", rows.members)
    db.executemany("INSERT INTO family_texts VALUES (?,?,?,?,?,?)", rows.texts)
    db.executemany("INSERT INTO family_links VALUES (?,?,?,?)", rows.links)
    loaded = FamilyIndex.from_rows((
        db.execute("SELECT * FROM family_members").fetchall(),
        db.execute("SELECT * FROM family_texts").fetchall(),
        db.execute("SELECT * FROM family_links").fetchall(),
    ))
    assert loaded.families() == index.families()
    assert loaded.to_rows() == rows
    # the loaded index keeps working: LSH buckets and declarations were rebuilt
    edited = ORIGINAL.replace("on Tuesday", "late on Tuesday")
    assert loaded.add("late", edited).family_id == "original"
    body, declared = split_trailer(REWRITE)
    assert loaded.add("rewrite-2", body + " More to come.", original_source=declared).family_id == "original"


def _stored_db() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    create_tables(db)
    return db


def test_families_reopened_from_the_store_go_on_holding_nothing_in_memory():
    db = _stored_db()
    index = FamilyIndex.from_store(db)
    body, declared = split_trailer(REWRITE)
    edited = ORIGINAL.replace("on Tuesday", "late on Tuesday")
    articles = [("original", ORIGINAL, {"url": "https://www.example.org/news/port-elsa-pier"}),
                ("rewrite", body, {"original_source": declared}), ("unrelated", UNRELATED, {}),
                ("other", OTHER, {}), ("late", edited, {})]
    for article_id, text, meta in articles:
        index.add(article_id, text, **meta)
    expected = {"original": ["original", "rewrite", "late"], "unrelated": ["unrelated"], "other": ["other"]}
    assert index.families() == expected
    assert db.execute("SELECT COUNT(DISTINCT text_key) FROM family_bands").fetchone()[0] == 5
    # a store opened again (a new index over the same tables) finds near-duplicates and declared
    # sources of what earlier sessions stored: everything it needs is in the tables
    reopened = FamilyIndex.from_store(db)
    assert reopened.families() == expected
    assert reopened.add("late-2", edited + " Officials declined to comment.").family_id == "original"
    assert FamilyIndex.from_store(db).add(
        "rewrite-2", body + " More to come.", original_source=declared).family_id == "original"
    assert vars(reopened).keys() == {"conn", "_template"}  # no per-article state
    # removing the last article of a text takes its text, buckets and keys out of the store
    FamilyIndex.from_store(db).remove("other")
    other = text_key(OTHER)
    assert not db.execute("SELECT 1 FROM family_bands WHERE text_key = ?", (other,)).fetchone()
    assert not db.execute("SELECT 1 FROM family_texts WHERE text_key = ?", (other,)).fetchone()
    assert db.execute("SELECT COUNT(*) FROM family_texts").fetchone()[0] == 6
    FamilyIndex.from_store(db).remove("rewrite")
    assert not db.execute("SELECT 1 FROM family_keys WHERE article_id = 'rewrite'").fetchone()


def test_families_buckets_and_keys_are_rebuilt_from_stored_rows():
    db = _stored_db()
    index = FamilyIndex.from_store(db)
    body, declared = split_trailer(REWRITE)
    index.add("original", ORIGINAL, url="https://www.example.org/news/port-elsa-pier", outlet="Example News")
    index.add("other", OTHER)
    index.add("rewrite", body, original_source=declared)
    bands = sorted(db.execute("SELECT band_hash, text_key FROM family_bands"))
    keys = sorted(db.execute("SELECT key, seq, article_id FROM family_keys"))
    assert any(k.startswith("declared:") for k, _, _ in keys) and any(k.startswith("site:") for k, _, _ in keys)
    assert rebuild_bands(db) == 3
    assert rebuild_keys(db) == len(keys)
    assert sorted(db.execute("SELECT band_hash, text_key FROM family_bands")) == bands
    assert sorted(db.execute("SELECT key, seq, article_id FROM family_keys")) == keys


def test_a_store_from_before_the_stored_family_keys_is_upgraded(tmp_path):
    # a store written when the index held its members in memory (no family_keys) and kept its
    # LSH buckets in a table with two indexes: migrations m013 and m014 bring both up to date
    from newsgraph.store import Store

    body, declared = split_trailer(REWRITE)
    with Store(tmp_path / "s.db") as store:
        index = store.families
        index.add("original", ORIGINAL, url="https://www.example.org/news/port-elsa-pier", outlet="Example")
        index.add("other", OTHER)
        bands = sorted(tuple(r) for r in store.conn.execute("SELECT band_hash, text_key FROM family_bands"))
        conn = store.conn
        conn.execute("DROP TABLE family_keys")
        for name in ("family_members_text", "family_members_url", "family_members_seq", "family_links_b"):
            conn.execute(f"DROP INDEX {name}")
        conn.execute("ALTER TABLE family_bands RENAME TO bands")
        conn.execute("CREATE TABLE family_bands (band_hash INTEGER NOT NULL, text_key TEXT NOT NULL)")
        conn.execute("INSERT INTO family_bands SELECT band_hash, text_key FROM bands")
        conn.execute("DROP TABLE bands")
        conn.execute("CREATE INDEX family_bands_hash ON family_bands(band_hash)")
        conn.execute("DELETE FROM _migrations WHERE name IN ('m013_family_keys', 'm014_family_bands_one_tree')")
    with Store(tmp_path / "s.db") as store:
        layout = store.conn.execute("SELECT sql FROM sqlite_master WHERE name = 'family_bands'").fetchone()[0]
        assert "WITHOUT ROWID" in layout
        assert sorted(tuple(r) for r in store.conn.execute("SELECT band_hash, text_key FROM family_bands")) == bands
        assert store.conn.execute("SELECT COUNT(*) FROM family_keys WHERE key = 'site:example'").fetchone()[0] >= 1
        # the upgraded index finds the rewrite that declares the original's site
        assert store.families.add("rewrite", body, original_source=declared).family_id == "original"
