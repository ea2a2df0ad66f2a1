"""The write path's cost stays flat as a store grows: the synthetic news the growth benchmark
writes, the benchmark's mechanics at toy sizes, and the indexed state that replaced scans of
a busy actor's facts, of every story, and a per-ingest set of names held in memory."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from newsgraph.identity import article_id
from newsgraph.store import Store
from newsgraph.types import Actor, Article, ArticleRecords, Mention

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from growth_news import NewsStream  # noqa: E402


@pytest.fixture(scope="module")
def stream_items():
    stream = NewsStream(seed=5)
    return [stream.generate(n) for n in range(1200)]


def test_generator_is_a_pure_function_of_seed_and_number(stream_items):
    again = NewsStream(seed=5).generate(700)
    assert again.article == stream_items[700].article
    assert again.records.events == stream_items[700].records.events
    assert NewsStream(seed=6).generate(700).article.text != again.article.text


def test_generator_articles_are_distinct_with_a_few_percent_repeats(stream_items):
    copies = [g for g in stream_items if g.copy]
    originals = [g for g in stream_items if not g.copy]
    assert len({g.article.id for g in originals}) == len(originals)
    assert 0.005 < len(copies) / len(stream_items) < 0.05
    for g in copies:  # a copy is an earlier article's text under another URL and day
        assert g.article.text in {o.article.text for o in stream_items[: g.n]}
    assert all(g.article.id == article_id(g.article.text, g.article.published) for g in stream_items)


def test_generator_spans_point_at_what_they_name(stream_items):
    for g in stream_items[:200]:
        text, records = g.article.text, g.records
        for m in records.mentions:
            assert text[m.start:m.end] == m.text
        for start, end in records.sentences:
            assert text[start:end].endswith(".")
        for coded in records.events:
            e = coded.event
            assert text[e.trigger_start:e.trigger_end] == e.trigger
            if coded.time.source == "text":
                assert text[coded.time.start:coded.time.end] == coded.time.text
        for claim in records.claims:
            assert text[claim.cue.start:claim.cue.end] == "said"
            assert text[claim.contents[0].start:claim.contents[0].end] == claim.contents[0].text
        for actor in records.actors:
            for role in actor.roles:
                assert text[role.start:role.end] == role.title


def test_generator_names_new_people_as_the_stream_goes_on(stream_items):
    early = {a.key for g in stream_items[:300] for a in g.records.actors if a.kind == "person"}
    late = {a.key for g in stream_items[900:] for a in g.records.actors if a.kind == "person"}
    assert len(late - early) > len(late) / 2


def test_benchmark_builds_times_and_reports_each_size(tmp_path):
    import bench_growth

    figures = bench_growth.measure((40, 80), batch=10, warm=5, rounds=1, seed=3, chunk=25, folder=tmp_path,
                                   log=lambda line: None)
    assert figures["sizes"] == [40, 80]
    for size in (40, 80):
        row = figures["table"][size]
        assert row["ms_per_article"] > 0 and row["rss_mib"] > 0 and row["build_rss_mib"] > 0
        if sys.platform.startswith("linux"):  # system calls from /proc: each article's commit writes its log
            assert row["writes_per_article"] >= 1 and row["reads_per_article"] >= 0
        with Store(tmp_path / f"store-{size}.db", readonly=True) as store:
            assert store.count_articles() + store.conn.execute(
                "SELECT COUNT(*) FROM articles WHERE superseded_by IS NOT NULL").fetchone()[0] >= size * 0.9
    assert set(figures["ratios"]) >= {"ms_per_article", "rss_mib", "build_rss_mib"}
    assert "last/first" in bench_growth.report(figures)
    # --reuse times the stores a build left behind without building them again
    again = bench_growth.measure((40, 80), batch=5, warm=0, rounds=1, seed=3, chunk=25, folder=tmp_path,
                                 reuse=True, log=lambda line: None)
    assert again["table"][80]["store_mib"] == figures["table"][80]["store_mib"]


def _recount(store: Store) -> set[tuple]:
    rows = set()
    for field in ("name", "country", "sector", "place_kind"):
        rows |= {tuple(r) for r in store.conn.execute(
            f"""SELECT actor_id, '{field}', {field}, COALESCE(actor_key, ''), COUNT(*) FROM actor_facts
                WHERE {field} IS NOT NULL GROUP BY actor_id, {field}, COALESCE(actor_key, '')""")}
    return rows


def _tally(store: Store) -> set[tuple]:
    return {tuple(r) for r in store.conn.execute("SELECT actor_id, field, value, actor_key, n FROM actor_fact_tally")}


def test_fact_tally_stays_exact_through_corrections_merges_splits_and_deletes(tmp_path):
    stream = NewsStream(seed=9)
    with Store(tmp_path / "s.db") as store:
        for n in range(700):  # corrections (same URL, new text) supersede earlier articles
            g = stream.generate(n)
            if store.has_article(g.article.id):
                store.add_copy(g.article)
            else:
                store.add_article(g.article, g.records)
        assert store.conn.execute("SELECT COUNT(*) FROM articles WHERE superseded_by IS NOT NULL").fetchone()[0]
        assert _tally(store) == _recount(store)
        people = store.conn.execute("SELECT id, key FROM actors WHERE kind = 'person' ORDER BY id LIMIT 2").fetchall()
        store.merge_actors(str(people[0][0]), str(people[1][0]))
        assert _tally(store) == _recount(store)
        store.split_actor(str(people[0][0]), people[1][1])
        assert _tally(store) == _recount(store)
        store.undo_decision()
        assert _tally(store) == _recount(store)
        for (article,) in store.conn.execute("SELECT id FROM articles ORDER BY seq LIMIT 5").fetchall():
            store.delete_article(article)
        assert _tally(store) == _recount(store)


def test_an_actor_named_two_ways_in_one_article_keeps_the_later_fact(tmp_path):
    # "Sergei Lavrov" and "Sergei V. Lavrov" in one article resolve to one actor: one fact stays
    with Store(tmp_path / "s.db") as store:
        text = "Sergei Lavrov met envoys. Sergei V. Lavrov spoke later."
        _add(store, "Sergei Lavrov arrived.", [Actor("person:sergei lavrov", "Sergei Lavrov", "person", country="RUS")])
        _add(store, text, [Actor("person:sergei lavrov", "Sergei Lavrov", "person", country="RUS"),
                           Actor("person:sergei v. lavrov", "Sergei V. Lavrov", "person", country="XKX")])
        facts = store.conn.execute("SELECT name, country FROM actor_facts WHERE article_id = ?",
                                   (article_id(text),)).fetchall()
        assert [tuple(f) for f in facts] == [("Sergei V. Lavrov", "XKX")]
        assert _tally(store) == _recount(store)
        assert {a["name"] for a in store.actors(kind="person")} == {"Sergei Lavrov"}


def test_surnames_noted_in_one_session_are_resolved_in_the_next(tmp_path):
    db = tmp_path / "s.db"
    with Store(db) as store:
        _add(store, "Lavrov spoke.", [Actor("person:lavrov", "Lavrov", "person")])
        _add(store, "Sergei Lavrov spoke again.", [Actor("person:sergei lavrov", "Sergei Lavrov", "person")])
    with Store(db) as store:  # the surname waits in the store, not in the first session's memory
        assert store.resolve_pending() == 1
        assert {a["name"] for a in store.actors(kind="person")} == {"Sergei Lavrov"}
        assert store.resolve_pending() == 0


def _add(store: Store, text: str, actors: list[Actor]) -> None:
    mentions = []
    for actor in actors:
        start = text.find(actor.name)
        mentions.append(Mention(start, start + len(actor.name), actor.name, "PERSON", 0, actor.key))
    store.add_article(Article(id=article_id(text), text=text, source="t", language="en"),
                      ArticleRecords(sentences=[(0, len(text))], actors=actors, mentions=mentions))


def _vm_steps(conn, call) -> int:
    """Virtual-machine steps the statements of `call()` take: what they read, whatever the
    machine's load."""
    steps = [0]

    def count() -> int:
        steps[0] += 1
        return 0

    conn.set_progress_handler(count, 1)
    try:
        call()
    finally:
        conn.set_progress_handler(None, 1)
    return steps[0]


def test_a_storys_told_apart_check_reads_the_articles_own_events_not_every_event_of_its_code(tmp_path):
    from newsgraph.store import stories

    stream = NewsStream(seed=4)
    asked = []
    real = stories._told_apart

    def spy(conn, story_id, event_id):  # note what the check is asked, answer as before
        asked.append((story_id, event_id))
        return real(conn, story_id, event_id)

    stories._told_apart = spy
    try:
        with Store(tmp_path / "s.db") as store:
            def add(first: int, end: int) -> None:
                for n in range(first, end):
                    g = stream.generate(n)
                    if not store.has_article(g.article.id):
                        store.add_article(g.article, g.records)

            add(0, 300)
            story_id, event_id = asked[0]
            small = _vm_steps(store.conn, lambda: real(store.conn, story_id, event_id))
            add(300, 1200)  # four times as many events of every code
            assert _vm_steps(store.conn, lambda: real(store.conn, story_id, event_id)) <= small + 20
    finally:
        stories._told_apart = real


def test_texts_whose_names_and_figures_disagree_are_not_compared_word_by_word(monkeypatch):
    from newsgraph.store import families

    a = families.TextArrays(families.shingle_hashes("one two three four five six"),
                            families.key_hashes("Talks in Berlin with Anna Schmidt and 40 envoys"), None)
    b = families.TextArrays(families.shingle_hashes("one two three four five six"),
                            families.key_hashes("Talks in Lima with Jorge Ruiz and 12 envoys"), None)
    assert families._near_score(a, a) is not None
    monkeypatch.setattr(families, "similarity", lambda *_: pytest.fail("shingles compared"))
    assert families._near_score(a, b) is None  # LSH's chance candidates stop at the key tokens


def test_a_resumed_build_holds_the_records_of_a_build_in_one_go(tmp_path):
    import bench_growth
    from store_records import record_differences, store_records

    whole, resumed = tmp_path / "whole", tmp_path / "resumed"
    whole.mkdir(), resumed.mkdir()
    bench_growth.checkpoints(whole, (30, 70), seed=2, chunk=20, reuse=False, log=lambda line: None)
    bench_growth.checkpoints(resumed, (30,), seed=2, chunk=20, reuse=False, log=lambda line: None)
    lines: list[str] = []
    built = bench_growth.checkpoints(resumed, (30, 70), seed=2, chunk=20, reuse=True, log=lines.append)
    assert lines[0] == "resuming the build from 30 articles" and set(built) == {30, 70}
    assert record_differences(store_records(whole / "store-70.db"), store_records(resumed / "store-70.db")) == {}


def test_steps_per_statement_finds_what_the_write_path_reads(tmp_path):
    import bench_growth

    built = bench_growth.checkpoints(tmp_path, (30,), seed=2, chunk=30, reuse=False, log=lambda line: None)
    counted = bench_growth.steps_per_statement(built[30]["snapshot"], start=30, count=10, seed=2)
    mentions = [steps for shape, (steps, _) in counted.items() if shape.startswith("INSERT INTO mentions ")]
    assert sum(mentions) > 0 and sum(steps for steps, _ in counted.values()) > sum(mentions)
    grown = bench_growth.steps_growth({"a": (10.0, 1.0), "b": (5.0, 1.0)}, {"a": (12.0, 1.0), "b": (50.0, 1.0)})
    assert [row[3] for row in grown] == ["b", "a"] and grown[0][0] == 45.0


def test_the_build_makes_articles_one_chunk_ahead_of_the_store():
    import bench_growth

    class Pool:  # made chunks not yet taken are what the build process would hold in memory
        def __init__(self):
            self.made, self.taken, self.most = 0, 0, 0

        def apply_async(self, fn, args):
            self.made += 1
            self.most = max(self.most, self.made - self.taken)
            pool = self

            class Result:
                def get(self):
                    pool.taken += 1
                    return fn(*args)

            return Result()

    pool = Pool()
    chunks = list(bench_growth._one_ahead(pool, [(1, k, k + 2) for k in range(0, 10, 2)]))
    assert [g.n for chunk in chunks for g in chunk] == list(range(10))
    assert pool.most == 1 and pool.made == 5


def test_pages_per_btree_names_what_an_article_dirties(tmp_path):
    import bench_growth

    built = bench_growth.checkpoints(tmp_path, (30,), seed=2, chunk=30, reuse=False, log=lambda line: None)
    copy = tmp_path / "paged.db"
    bench_growth.copy_store(built[30]["snapshot"], copy)
    paged = bench_growth.pages_per_btree(str(copy), start=30, count=10, seed=2)
    # every text adds its LSH buckets; each page written at least once, some many times
    assert paged["family_bands"][1] > 0 and paged["articles"][1] > 0
    assert all(written >= distinct > 0 for written, distinct in paged.values())
    assert sum(w for w, _ in paged.values()) > sum(d for _, d in paged.values())


def test_the_full_text_index_merges_eight_segments_at_a_time_old_stores_too(tmp_path):
    import sqlite3

    def automerge(path) -> int:
        with sqlite3.connect(path) as conn:
            return conn.execute("SELECT v FROM articles_fts_config WHERE k = 'automerge'").fetchone()[0]

    stream = NewsStream(seed=3)
    path = tmp_path / "s.db"
    with Store(path) as store:
        for n in range(40):  # one segment per article, merged as they gather
            g = stream.generate(n)
            if not store.has_article(g.article.id):
                store.add_article(g.article, g.records)
        title = g.article.title
    assert automerge(path) == 8
    with sqlite3.connect(path) as conn:  # a store as it was before m022
        conn.execute("INSERT INTO articles_fts (articles_fts, rank) VALUES ('automerge', 4)")
        conn.execute("DROP INDEX story_actors_story")
        conn.execute("DELETE FROM _migrations WHERE name = 'm022_flat_write_cost'")
    with Store(path) as store:
        assert any(hit["title"] == title for hit in store.search(f'"{title}"'))
    assert automerge(path) == 8


def test_no_trigger_statement_reads_a_whole_table(tmp_path):
    """Every statement of every trigger finds its rows through an index: a trigger runs for
    each row written, so a scan in one costs more per article the larger the store (m020's
    drop of a story's emptied actor counts read all of `story_actors`: 61,000 SQLite steps
    per article at 200k articles, against 600 at 10k)."""
    import re

    with Store(tmp_path / "s.db") as store:
        tables = {row[0] for row in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        triggers = store.conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
        scans = []
        for name, sql in triggers:
            body = sql[sql.upper().index(" BEGIN") + len(" BEGIN"): sql.upper().rindex("END")]
            for statement in filter(str.strip, body.split(";")):
                query = re.sub(r"\b(NEW|OLD)\.\w+", "?", statement, flags=re.IGNORECASE)
                for row in store.conn.execute("EXPLAIN QUERY PLAN " + query, [None] * query.count("?")):
                    scanned = re.match(r"SCAN (\w+)", row[3])
                    if scanned and scanned.group(1) in tables:
                        scans.append((name, row[3]))
    assert len(triggers) > 20 and scans == []
