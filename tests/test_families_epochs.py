"""LSH looks for near-duplicates within about a month of an article's publication (m023):
buckets filed by month, lookups probing the month and its neighbours, whatever the order of
arrival; exact copies are found whatever their dates."""

from __future__ import annotations

import json
import sqlite3

import pytest

from newsgraph.identity import article_id
from newsgraph.store import Store
from newsgraph.store.families import UNDATED_EPOCH, FamilyIndex, epoch_of
from newsgraph.types import Article, ArticleRecords

REPORT = (
    "The water board of Caldera Bay said on Friday that it would replace the old pumping station on "
    "the eastern shore by next summer after two breakdowns left forty thousand homes without water. "
    "The new station will cost 30 million dollars and will be built by a consortium of three local "
    "firms, the board said. Board chairman Tomas Reyes told reporters that rates would not rise to pay "
    "for it and that a temporary pump would run until the work is finished in July."
)
# the same report lightly edited, as a second outlet runs it
EDITED = (REPORT.replace("on Friday", "on Friday afternoon").replace("told reporters", "said")
          + " Residents had complained for years.")
UNRELATED = (
    "A new ferry line between the two largest islands will start in the spring, the transport "
    "ministry said, cutting the crossing from five hours to under three and adding a night sailing."
)


@pytest.mark.parametrize(("published", "epoch"), [
    ("2024-03-15", 2024 * 12 + 2), ("2024-12-31T23:59:00+02:00", 2024 * 12 + 11), ("1987-02", 1987 * 12 + 1),
    ("2024", UNDATED_EPOCH), (None, UNDATED_EPOCH), ("", UNDATED_EPOCH), ("2024-13-01", UNDATED_EPOCH),
    ("15 March 2024", UNDATED_EPOCH), ("0000-01-01", UNDATED_EPOCH),
])
def test_epoch_of_is_the_publication_month_or_undated(published, epoch):
    assert epoch_of(published) == epoch


@pytest.mark.parametrize(("first", "second"), [("2024-03-30", "2024-04-02"), ("2024-04-02", "2024-03-30"),
                                               ("2024-12-20", "2025-01-25"), ("2024-05-01", "2024-05-31")])
def test_near_duplicates_a_month_apart_join_whichever_arrives_first(first, second):
    index = FamilyIndex()
    index.add("a", REPORT, published=first)
    assigned = index.add("b", EDITED, published=second)
    assert (assigned.family_id, assigned.reason) == ("a", "near_duplicate")


def test_a_rewrite_published_months_later_is_a_new_family_but_an_exact_copy_is_not():
    index = FamilyIndex()
    index.add("a", REPORT, published="2024-01-10")
    assert index.add("b", EDITED, published="2024-03-10").reason == "new"
    copy = index.add("c", REPORT, published="2024-09-01")
    assert (copy.family_id, copy.reason) == ("a", "exact")


def test_undated_articles_are_compared_with_one_another_not_with_dated_ones():
    index = FamilyIndex()
    index.add("a", REPORT)
    assert index.add("b", EDITED).family_id == "a"
    assert index.add("c", EDITED + " More later.", published="2024-02-02").reason == "new"


def test_removing_a_dated_text_removes_its_buckets_from_its_month():
    index = FamilyIndex()
    index.add("a", REPORT, published="2024-06-03")
    index.add("b", UNRELATED, published="2024-07-03")
    epochs = dict(index.conn.execute("SELECT text_key, epoch FROM family_texts"))
    assert sorted(epochs.values()) == [2024 * 12 + 5, 2024 * 12 + 6]
    assert {e for (e,) in index.conn.execute("SELECT DISTINCT epoch FROM family_bands")} == set(epochs.values())
    index.remove("a")
    index.remove("b")
    assert index.conn.execute("SELECT COUNT(*) FROM family_bands").fetchone()[0] == 0


def test_rows_round_trip_keeps_the_months():
    index = FamilyIndex()
    index.add("a", REPORT, published="2024-06-03")
    copy = FamilyIndex.from_rows(index.to_rows())
    assert sorted(copy.conn.execute("SELECT * FROM family_bands")) == sorted(index.conn.execute("SELECT * FROM family_bands"))
    assert copy.add("b", EDITED, published="2024-07-01").family_id == "a"
    assert copy.add("c", EDITED + " Again.", published="2024-09-01").reason == "new"


def _article(n: int, text: str, published: str | None) -> Article:
    return Article(id=article_id(text), text=text, source="test", url=f"https://news.test/{n}",
                   published=published, published_precision="day" if published else None, language="en")


def _stored(path) -> Store:
    store = Store(path)
    empty = ArticleRecords()
    for n, (text, day) in enumerate([(REPORT, "2024-02-27"), (UNRELATED, None), (EDITED, "2024-03-02")]):
        store.add_article(_article(n, text, day), empty)
    return store


def test_a_store_files_each_text_under_its_articles_month(tmp_path):
    with _stored(tmp_path / "s.db") as store:
        months = dict(store.conn.execute(
            "SELECT a.published, t.epoch FROM family_texts t JOIN articles a ON a.id = t.text_key"))
        assert store.conn.execute("SELECT COUNT(DISTINCT family_id) FROM family_members").fetchone()[0] == 2
    assert months == {"2024-02-27": 2024 * 12 + 1, None: UNDATED_EPOCH, "2024-03-02": 2024 * 12 + 2}


def test_migration_files_an_existing_stores_buckets_by_month(tmp_path):
    path = tmp_path / "s.db"
    with _stored(path) as store:
        before = sorted(map(tuple, store.conn.execute("SELECT epoch, band_hash, text_key FROM family_bands")))
    conn = sqlite3.connect(path)
    # the store as it was before m023: texts without a month, buckets keyed on the bucket
    conn.execute("ALTER TABLE family_texts DROP COLUMN epoch")
    conn.execute("DROP TABLE family_bands")
    conn.execute("""CREATE TABLE family_bands (band_hash INTEGER NOT NULL, text_key TEXT NOT NULL,
                    PRIMARY KEY (band_hash, text_key)) WITHOUT ROWID""")
    conn.executemany("INSERT INTO family_bands VALUES (?, ?)", [(b, k) for _, b, k in before])
    conn.execute("DELETE FROM _migrations WHERE name = 'm023_flat_write_cost'")
    conn.commit()
    conn.close()
    with Store(path) as store:
        assert sorted(map(tuple, store.conn.execute("SELECT epoch, band_hash, text_key FROM family_bands"))) == before
        # the upgraded index finds a late edit of the February report within a month
        late = _article(9, EDITED + " The board meets again in April.", "2024-03-20")
        store.add_article(late, ArticleRecords())
        family = store.conn.execute("SELECT family_id FROM family_members WHERE article_id = ?", (late.id,)).fetchone()
        assert family[0] == _article(0, REPORT, None).id


def test_a_dump_from_before_m023_is_imported_with_its_buckets_filed_by_month(tmp_path):
    from newsgraph.store.backup import export_all, import_all

    path, dump, restored = tmp_path / "s.db", tmp_path / "dump", tmp_path / "r.db"
    with _stored(path) as store:
        bands = sorted(map(tuple, store.conn.execute("SELECT epoch, band_hash, text_key FROM family_bands")))
    export_all(path, dump)
    # the dump as a store before m023 wrote it: no epochs, the migration not in its history
    manifest = json.loads((dump / "manifest.json").read_text())
    manifest["migrations"].remove("m023_flat_write_cost")
    for table in ("family_texts", "family_bands"):
        manifest["tables"][table]["columns"].remove("epoch")
        lines = [json.loads(line) for line in (dump / f"{table}.jsonl").read_text().splitlines()]
        (dump / f"{table}.jsonl").write_text("".join(
            json.dumps({k: v for k, v in row.items() if k != "epoch"}) + "\n" for row in lines))
    (dump / "manifest.json").write_text(json.dumps(manifest))
    import_all(dump, restored)
    with Store(restored) as store:
        assert sorted(map(tuple, store.conn.execute("SELECT epoch, band_hash, text_key FROM family_bands"))) == bands
