import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgraph.errors import NotFound
from newsgraph.store import Store, fts_query
from newsgraph.types import Actor, Article, ArticleRecords, Mention, Role


def _article(text="Sergei Shoigu met Kim Jong Un in Pyongyang.", **kw):
    from newsgraph.identity import article_id

    return Article(id=article_id(text, kw.get("published")), text=text, source="test", language="en", **kw)


def _records():
    shoigu = Actor("person:sergei shoigu", "Sergei Shoigu", "person", country="RUS", sector="GOV",
                   aliases={"Sergei Shoigu", "Shoigu"},
                   roles=[Role("security adviser", "RUS", "GOV", 0, 5, 0, ended=None)])
    prk = Actor("state:PRK", "North Korea", "state", country="PRK", aliases={"Pyongyang"})
    return ArticleRecords(
        sentences=[(0, 44)],
        actors=[shoigu, prk],
        mentions=[Mention(0, 13, "Sergei Shoigu", "PERSON", 0, shoigu.key),
                  Mention(34, 43, "Pyongyang", "GPE", 0, prk.key)],
    )


def test_store_article_round_trip_and_dedup(tmp_path):
    store = Store(tmp_path / "s.db")
    article = _article(title="Visit", url="http://example.org/a", published="2025-03-21")
    assert store.add_article(article, _records()) is True
    assert store.add_article(article, _records()) is False
    assert store.count("articles") == 1 and store.count("mentions") == 2
    got = store.article(article.id[:8])
    assert got["title"] == "Visit" and got["text"] == article.text and got["extracted"] == 1


def test_store_the_same_text_on_another_day_is_a_copy_of_the_stored_article_not_a_second_one(tmp_path):
    store = Store(tmp_path / "s.db")
    first = _article(url="http://example.org/a", outlet="Wire", published="2025-03-21")
    later = _article(url="http://other.example/b", outlet="Paper", published="2025-03-24")
    assert first.id != later.id  # ids begin with the day
    assert store.add_article(first, _records()) is True
    assert store.stored_id(later) == first.id
    assert store.add_article(later, _records()) is False
    assert store.add_copy(later) is True
    assert store.count("articles") == 1
    copies = store.conn.execute("SELECT article_id, url, published FROM article_copies").fetchall()
    assert [tuple(c) for c in copies] == [(first.id, "http://other.example/b", "2025-03-24")]


def test_store_a_text_stored_under_an_id_without_a_day_is_found_again_by_a_dated_one(tmp_path):
    from dataclasses import replace

    from newsgraph.identity import text_key_of

    store = Store(tmp_path / "s.db")
    dated = _article(url="http://example.org/a", published="2025-03-21")
    legacy = replace(dated, id=text_key_of(dated.id))  # as stores made before ids had a day hold it
    store.add_article(legacy, _records())
    assert store.stored_id(dated) == legacy.id
    assert store.add_article(dated, _records()) is False and store.count("articles") == 1


def test_store_an_article_is_found_by_its_id_or_by_the_text_hash_inside_it(tmp_path):
    store = Store(tmp_path / "s.db")
    article = _article(published="2025-03-21")
    store.add_article(article, _records())
    store.add_article(_article("A second story.", published="2025-03-21"), _records())
    hash_part = article.id.split("-", 1)[1]
    assert store.article(article.id)["id"] == store.article(hash_part[:6])["id"] == article.id
    with pytest.raises(NotFound, match="ambiguous"):
        store.article("20250321")
    with pytest.raises(NotFound, match="no article"):
        store.article("20250321-ffff")


def test_store_an_unknown_text_has_no_stored_id_and_no_copy_to_record(tmp_path):
    store = Store(tmp_path / "s.db")
    store.add_article(_article(published="2025-03-21"), _records())
    stranger = _article("Another story altogether.", published="2025-03-21")
    assert store.stored_id(stranger) is None
    with pytest.raises(NotFound):
        store.add_copy(stranger)


def test_store_actor_listing_has_aliases_roles_and_counts(tmp_path):
    store = Store(tmp_path / "s.db")
    store.add_article(_article(), _records())
    (shoigu,) = store.actors(kind="person")
    assert shoigu["name"] == "Sergei Shoigu"
    assert shoigu["aliases"] == ["Sergei Shoigu", "Shoigu"]
    assert shoigu["roles"][0]["title"] == "security adviser"
    assert shoigu["mentions"] == 1
    assert [a["name"] for a in store.actors(name="pyong")] == ["North Korea"]
    assert store.actors(country="prk")[0]["key"] == "state:PRK"


def test_store_same_actor_across_articles_is_one_row(tmp_path):
    store = Store(tmp_path / "s.db")
    store.add_article(_article(), _records())
    store.add_article(_article("Sergei Shoigu met Kim Jong Un again in Pyongyang today."), _records())
    (shoigu,) = store.actors(kind="person")
    assert shoigu["mentions"] == 2 and shoigu["articles"] == 2


def test_store_corrected_version_under_same_url_is_linked(tmp_path):
    store = Store(tmp_path / "s.db")
    first = _article("Ten people were hurt in the blast.", url="http://x.org/1")
    fixed = _article("Twelve people were hurt in the blast.", url="http://x.org/1")
    store.add_article(first)
    store.add_article(fixed)
    assert store.article(fixed.id)["previous_version"] == first.id
    assert store.article(first.id)["previous_version"] is None


def test_store_deleting_a_middle_version_links_the_next_to_the_one_before_without_reading_every_article(tmp_path):
    store = Store(tmp_path / "s.db")
    versions = [_article(f"{n} people were hurt in the blast.", url="http://x.org/1") for n in ("Ten", "Eleven", "Twelve")]
    for version in versions:
        store.add_article(version)
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    store.delete_article(versions[1].id)
    store.conn.set_trace_callback(None)
    assert store.article(versions[2].id)["previous_version"] == versions[0].id
    relink = next(sql for sql in statements if sql.startswith("UPDATE articles SET previous_version"))
    plan = " | ".join(row[3] for row in store.conn.execute("EXPLAIN QUERY PLAN " + relink))
    assert "articles_previous_version" in plan and "SCAN" not in plan


def test_store_failed_article_leaves_nothing_behind(tmp_path, monkeypatch):
    store = Store(tmp_path / "s.db")
    upsert = Store._upsert_actor
    calls = []

    def failing_second_actor(self, key, name, kind):
        calls.append(key)
        if len(calls) == 2:
            raise sqlite3.OperationalError("disk I/O error")
        return upsert(self, key, name, kind)

    monkeypatch.setattr(Store, "_upsert_actor", failing_second_actor)
    with pytest.raises(sqlite3.OperationalError):
        store.add_article(_article(), _records())
    assert store.count("articles") == 0 and store.count("mentions") == 0
    assert store.count("actors") == 0


def test_store_search_is_safe_from_fts_syntax(tmp_path):
    store = Store(tmp_path / "s.db")
    store.add_article(_article(), _records())
    assert [r["id"] for r in store.search("pyongyang shoigu")] == [_article().id]
    for hostile in ['"', "NEAR(", "a OR", "*", "') DROP TABLE articles; --", ""]:
        store.search(hostile)  # no exception
    assert fts_query('x" OR y') == '"x" "OR" "y"'
    assert store.count("articles") == 1


def test_store_unknown_article_names_what_to_do(tmp_path):
    store = Store(tmp_path / "s.db")
    with pytest.raises(NotFound, match="newsgraph articles"):
        store.article("deadbeef")


def test_store_readonly_refuses_missing_file(tmp_path):
    with pytest.raises(NotFound, match="newsgraph ingest"):
        Store(tmp_path / "missing.db", readonly=True)


def test_store_migrations_are_recorded_and_idempotent(tmp_path):
    path = tmp_path / "s.db"
    Store(path).close()
    store = Store(path)
    assert store.migrate() == []
    names = [r[0] for r in store.conn.execute("SELECT name FROM _migrations")]
    assert names[0] == "m001_articles"
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(min_size=1, max_size=400).filter(lambda t: t.strip()),
    title=st.one_of(st.none(), st.text(max_size=80)),
    published=st.one_of(st.none(), st.dates().map(lambda d: d.isoformat())),
)
def test_store_round_trip_any_unicode(text, title, published):
    store = Store(memory=True)
    article = _article(text, title=title, published=published)
    store.add_article(article)
    got = store.article(article.id)
    assert (got["text"], got["title"], got["published"]) == (text, title, published)


def test_store_claim_keeps_its_cited_source(tmp_path):
    from newsgraph.extract.attribution import SpanRef
    from newsgraph.extract.claims import Claim, ClaimSource
    from newsgraph.extract.factuality import Factuality

    text = "Ten soldiers died, Lee said, citing the spy agency."
    lee = text.index("Lee")
    claim = Claim(kind="indirect", sentence=0, cue=SpanRef(lee + 4, lee + 8, "said"), cue_lemma="say",
                  source=ClaimSource("Lee", True, None, (), None, lee, lee + 3),
                  contents=(SpanRef(0, 17, "Ten soldiers died"),),
                  factuality=Factuality("certain", "positive", "past", "reported", ("said",)), events=(),
                  cited_source=SpanRef(text.index("the spy"), len(text) - 1, "the spy agency"))
    store = Store(tmp_path / "s.db")
    article = _article(text)
    store.add_article(article, ArticleRecords(sentences=[(0, len(text))], claims=[claim]))
    (stored,) = store.claims()
    assert stored["cited_source"] == {"text": "the spy agency", "span": [text.index("the spy"), len(text) - 1]}
    assert stored["content"][0]["text"] == "Ten soldiers died"
