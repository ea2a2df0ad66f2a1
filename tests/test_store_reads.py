"""The read paths that stay fast at a million events give the answers the plain queries give.

Listings choose a plan by a bounded count (walk the listing order, or collect the few
matches and sort them): both plans must return the same pages. The summaries kept by
triggers (`story_stats`, `actor_stats`, `event_days`, `filter_values`, `story_actors`, `story_codes`) must
equal a recount
after ingest, delete, a corrected version, merges, splits and undo, and the migration must
fill them for an existing store. Totals past the cap say so. Stores are built from
hand-made records (no model needed).
"""

import dataclasses
import json
import random
import sqlite3
import warnings

import pytest
from click.testing import CliRunner

from newsgraph import api
from newsgraph import cli as cli_module
from newsgraph import store as store_module
from newsgraph.cli import cli
from newsgraph.errors import NotFound
from newsgraph.store import browse, clauses, storyline
from newsgraph.web import pages as web_pages
from newsgraph.web import requests as web_requests
from newsgraph.store.migrations import M019_TRIGGERS, M020_TRIGGERS, STORY_ACTOR_TRIGGERS, STORY_CODE_TRIGGERS
from newsgraph.store import Store
from test_store_scale import article, build, records

# caps that force each plan: 0 walks the listing order whatever the filter, a huge one
# always collects the matches and sorts them
PLANS = [0, 10**9]


def rows(conn, sql, params=()):
    return [tuple(r) for r in conn.execute(sql, params)]


def recount_story_stats(conn):
    # a story's articles: those of its events, and those joined by their text alone
    day = clauses.EVENT_DAY.replace("e.time_value", "m.time_value")
    return rows(conn,
        f"""SELECT m.story_id, s.cameo_root, COUNT(DISTINCT COALESCE(f.family_id, m.article_id)),
                   COUNT(DISTINCT m.article_id), MAX({day})
            FROM (SELECT se.story_id, e.article_id, e.time_value FROM story_events se
                  JOIN events e ON e.id = se.event_id
                  UNION ALL SELECT story_id, article_id, NULL FROM story_articles) m
            JOIN stories s ON s.id = m.story_id
            JOIN articles ar ON ar.id = m.article_id LEFT JOIN family_members f ON f.article_id = m.article_id
            GROUP BY m.story_id ORDER BY m.story_id""")


def assert_story_summaries_exact(store):
    """No stored story summary (m020) differs from the story's description: those a change
    touched are stale until ingest ends, and a listing describes them meanwhile; once
    refreshed, every story has its summary."""
    def described(i):
        return storyline.summary_of(store.story(i))

    stored = dict(rows(store.conn, "SELECT story_id, summary FROM story_summaries WHERE summary IS NOT NULL"))
    assert {i: json.loads(v) for i, v in stored.items()} == {i: described(i) for i in stored}
    ids = [r[0] for r in store.conn.execute("SELECT id FROM stories ORDER BY id")]
    assert browse.describe_stories(store, ids) == [described(i) for i in ids]
    storyline.refresh_summaries(store)
    assert rows(store.conn, "SELECT story_id FROM story_summaries WHERE summary IS NULL") == []
    stored = dict(rows(store.conn, "SELECT story_id, summary FROM story_summaries"))
    assert sorted(stored) == ids and {i: json.loads(v) for i, v in stored.items()} == {i: described(i) for i in ids}
    return len(ids)


def assert_summaries_exact(store):
    assert_story_summaries_exact(store)
    conn = store.conn
    assert rows(conn, "SELECT actor_id, story_id, n FROM story_actors ORDER BY actor_id, story_id") == rows(
        conn, """SELECT p.actor_id, se.story_id, COUNT(*) FROM participants p JOIN story_events se
                 ON se.event_id = p.event_id WHERE p.actor_id IS NOT NULL
                 GROUP BY p.actor_id, se.story_id ORDER BY p.actor_id, se.story_id""")
    assert rows(conn, "SELECT story_id, cameo_root, sources, articles, day FROM story_stats ORDER BY story_id"
                ) == recount_story_stats(conn)
    assert rows(conn, "SELECT cameo, story_root, story_id, n FROM story_codes ORDER BY cameo, story_id") == rows(
        conn, """SELECT e.cameo, s.cameo_root, se.story_id, COUNT(*) FROM story_events se
                 JOIN events e ON e.id = se.event_id JOIN stories s ON s.id = se.story_id
                 WHERE e.cameo IS NOT NULL GROUP BY e.cameo, se.story_id ORDER BY e.cameo, se.story_id""")
    assert rows(conn, "SELECT actor_id, mentions, articles FROM actor_stats ORDER BY actor_id") == \
        rows(conn, """SELECT actor_id, COUNT(*), COUNT(DISTINCT article_id) FROM mentions
                      GROUP BY actor_id ORDER BY actor_id""")
    assert rows(conn, "SELECT event_id, day, seq, trigger_start FROM event_days ORDER BY event_id") == \
        rows(conn, f"""SELECT e.id, {clauses.EVENT_SORT_DAY}, ar.seq, e.trigger_start
                       FROM events e JOIN articles ar ON ar.id = e.article_id ORDER BY e.id""")
    values = set(rows(conn, "SELECT kind, value FROM filter_values"))
    assert {("place", r[0]) for r in conn.execute("SELECT place FROM events WHERE place IS NOT NULL")} <= values
    assert {("claim_source", r[0]) for r in conn.execute(
        "SELECT source_name FROM claims WHERE source_name IS NOT NULL")} <= values


def test_store_reads_summaries_equal_a_recount_through_every_change(tmp_path):
    store = build(tmp_path / "s.db", n_articles=30)
    assert store.conn.execute("SELECT COUNT(*) FROM story_stats").fetchone()[0] > 5  # not trivially empty
    assert_summaries_exact(store)
    store.delete_article(f"{3:016x}")
    rng = random.Random(9)
    store.add_article(article(100, url="http://x.org/a"), records(rng, 5))
    store.add_article(article(101, url="http://x.org/a", text="A corrected text " * 20), records(rng, 4))
    # a rewrite of article 100's text joins its family: their stories count one source less
    store.add_article(article(102, text=store.article(f"{100:016x}")["text"] + " Updated."), records(rng, 3))
    assert_summaries_exact(store)
    store.merge_actors("Ana Vela", "Vela")
    assert_summaries_exact(store)
    store.split_actor("Ana Vela", "person:vela")
    assert_summaries_exact(store)
    store.undo_decision()
    assert_summaries_exact(store)
    # an event recoded, an event and a story deleted around the write path (cascades)
    event_id, story_id = store.conn.execute("SELECT event_id, story_id FROM story_events LIMIT 1").fetchone()
    store.conn.execute("UPDATE events SET cameo = '0451' WHERE id = ?", (event_id,))
    assert ("0451", story_id) in rows(store.conn, "SELECT cameo, story_id FROM story_codes")
    assert_summaries_exact(store)
    store.conn.execute("DELETE FROM events WHERE id = ?", (event_id,))
    store.conn.execute("DELETE FROM stories WHERE id = (SELECT MAX(story_id) FROM story_events)")
    assert_summaries_exact(store)
    # a story summary shows its articles' outlets (and their copies'), claims and parties
    reported = apart(store)
    claimed = [a for a in reported if store.conn.execute("SELECT 1 FROM claims WHERE article_id = ?", (a,)).fetchone()]
    reported = [a for a in reported if a != claimed[0]]
    assert int(reported[0], 16) < 30  # one of the articles `build` wrote: `article` gives it again
    changes = [
        (reported[0], lambda: store.add_copy(dataclasses.replace(article(int(reported[0], 16)),
                                                                 url="http://copy.example/1", outlet="Copy Post"))),
        (reported[1], lambda: store.conn.execute("UPDATE articles SET outlet = 'Renamed Wire' WHERE id = ?",
                                                 (reported[1],))),
        (claimed[0], lambda: store.conn.execute("UPDATE claims SET status = 'denied' WHERE article_id = ?",
                                                (claimed[0],))),
        (reported[3], lambda: store.conn.execute("UPDATE participants SET name = 'Someone Else' WHERE event_id IN "
                                                 "(SELECT id FROM events WHERE article_id = ?)", (reported[3],))),
    ]
    for article_id, change in changes:
        before = shown(store, article_id)
        change()
        assert shown(store, article_id) != before  # the change shows in its stories' summaries
    assert_summaries_exact(store)


def shown(store, article_id):
    """The summaries of an article's stories, as described now."""
    return [storyline.summary_of(store.story(r[0])) for r in store.conn.execute(
        "SELECT DISTINCT se.story_id FROM story_events se JOIN events e ON e.id = se.event_id WHERE e.article_id = ?",
        (article_id,))]


def apart(store):
    """Articles in stories, no two in one story: a change to one marks only its own stories stale."""
    stories_of: dict[str, set[int]] = {}
    for article_id, story_id in store.conn.execute(
            "SELECT e.article_id, se.story_id FROM story_events se JOIN events e ON e.id = se.event_id ORDER BY 1"):
        stories_of.setdefault(article_id, set()).add(story_id)
    chosen: list[str] = []
    for article_id, stories in stories_of.items():
        if all(not stories & stories_of[c] for c in chosen):
            chosen.append(article_id)
    assert len(chosen) >= 5
    return chosen


def test_store_reads_migration_fills_the_summaries_of_an_existing_store(tmp_path):
    path = tmp_path / "s.db"
    build(path).close()
    conn = sqlite3.connect(path)  # the store as it was before m019
    for sql in M019_TRIGGERS:
        conn.execute(f"DROP TRIGGER {sql.split()[2]}")
    for table in ("filter_values", "event_days", "story_stats", "actor_stats"):
        conn.execute(f"DROP TABLE {table}")
    for index in ("articles_outlet", "articles_language", "events_status", "events_cameo_time", "events_place",
                  "events_place_country",
                  "claims_source_name", "claims_status_order"):
        conn.execute(f"DROP INDEX IF EXISTS {index}")  # m021 replaced one
    conn.execute("DELETE FROM _migrations WHERE name = 'm019_read_paths'")
    conn.commit()
    conn.close()
    store = Store(path)
    assert_summaries_exact(store)


def test_store_reads_m020_fills_story_summaries_and_actors_of_an_existing_store(tmp_path):
    path = tmp_path / "s.db"
    build(path).close()
    conn = sqlite3.connect(path)  # the store as it was before m020
    for sql in (*M020_TRIGGERS, *STORY_ACTOR_TRIGGERS):
        conn.execute(f"DROP TRIGGER {sql.split()[2]}")
    for index in ("relation_pairs_out_weight", "relation_pairs_in_weight", "relation_pairs_weight"):
        conn.execute(f"DROP INDEX {index}")
    conn.execute("DROP TABLE story_summaries")
    conn.execute("DROP TABLE story_actors")
    conn.execute("DELETE FROM _migrations WHERE name = 'm020_story_summaries'")
    conn.commit()
    conn.close()
    with Store(path, readonly=True) as old:  # read before the migration: listings describe every story
        listed = browse.story_index(old, limit=500)["items"]
        assert listed == [storyline.summary_of(old.story(s["id"])) for s in listed] and listed
        assert old.graph(actor="Russia", limit=2)["edges"] == old.graph(actor="Russia")["edges"][:2]
    store = Store(path)
    assert store.conn.execute("SELECT COUNT(*) FROM story_summaries WHERE summary IS NOT NULL").fetchone()[0] == 0
    assert assert_story_summaries_exact(store) == store.count("stories")
    assert_summaries_exact(store)
    store.close()


def test_store_reads_m021_fills_story_codes_of_an_existing_store(tmp_path):
    path = tmp_path / "s.db"
    build(path).close()
    conn = sqlite3.connect(path)  # the store as it was before m021
    for sql in STORY_CODE_TRIGGERS:
        conn.execute(f"DROP TRIGGER {sql.split()[2]}")
    conn.execute("DROP TABLE story_codes")
    conn.execute("DELETE FROM _migrations WHERE name = 'm021_story_codes'")
    conn.commit()
    conn.close()
    with Store(path, readonly=True) as old:  # read before the migration: the events say it
        before = browse.story_index(old, cameo="04", limit=500)
    store = Store(path)
    assert store.conn.execute("SELECT COUNT(*) FROM story_codes").fetchone()[0] > 5
    assert_summaries_exact(store)
    assert browse.story_index(store, cameo="04", limit=500) == before and before["items"]
    store.close()


@pytest.fixture(scope="module")
def varied(tmp_path_factory):
    """A store with places, outlets, languages and a duplicate family, opened read-only."""
    path = tmp_path_factory.mktemp("reads") / "s.db"
    rng = random.Random(11)
    with Store(path) as store:
        for i in range(40):
            store.add_article(article(i), records(rng, rng.randrange(0, 7)))
        store.add_article(article(40, text=store.article(f"{5:016x}")["text"] + " More."), records(rng, 3))
        store.conn.execute("UPDATE events SET place = 'Kyiv', place_country = 'UKR' WHERE rowid % 3 = 0")
        store.conn.execute("UPDATE events SET place = 'Port Vela', place_country = 'ESP' WHERE rowid % 5 = 0")
        store.conn.execute("INSERT OR IGNORE INTO filter_values SELECT DISTINCT 'place', place FROM events "
                           "WHERE place IS NOT NULL")  # rows changed around the store's write path
        storyline.refresh_summaries(store)  # as ingest does when it ends: listings read them
    return path


def reference_events(store, order, **filters):
    """Every matching event's id in listing order, by the plain query (no plan, no summary)."""
    where, params = clauses.event_where(**filters)
    by = "ar.seq, e.trigger_start" if order == "article" else \
        f"{clauses.EVENT_SORT_DAY} DESC, ar.seq DESC, e.trigger_start"
    return [r[0] for r in store.conn.execute(
        f"SELECT e.id FROM events e JOIN articles ar ON ar.id = e.article_id {where} ORDER BY {by}", params)]


EVENT_FILTERS = [{}, {"actor": "Vela"}, {"actor": "Russia"}, {"country": "ukr"}, {"cameo": "04"}, {"cameo": "1"},
                 {"plover": "consult"}, {"since": "2024-01", "until": "2024-02"}, {"since": "2024"},
                 {"place": "vela"}, {"place": "UKR"}, {"status": "asserted"}, {"article": "000000000000000"},
                 {"actor": "Russia", "cameo": "19", "since": "2023"}, {"country": "RUS", "actor": "Ana"},
                 # a code prefix's codes, each with its date range
                 {"cameo": "04", "since": "2024-01", "until": "2024-02"}, {"cameo": "1", "until": "2024"}]


@pytest.mark.parametrize("cap", PLANS)
@pytest.mark.parametrize("order", ["article", "date"])
@pytest.mark.parametrize("filters", EVENT_FILTERS, ids=str)
def test_store_reads_event_pages_are_the_same_whichever_plan(varied, monkeypatch, cap, order, filters):
    monkeypatch.setattr(clauses, "COUNT_CAP", cap)
    with Store(varied, readonly=True) as store:
        expected = reference_events(store, order, **filters)
        pages = [[e["id"] for e in store.events(order=order, limit=7, offset=offset, **filters)]
                 for offset in range(0, len(expected) + 7, 7)]
        assert [i for page in pages for i in page] == expected
        assert store.count_events(**filters) == len(expected)
        assert store.count_events(cap=3, **filters) == min(len(expected), 4)  # 4: "more than 3"
    assert expected  # every filter here matches something


@pytest.mark.parametrize("cap", PLANS)
@pytest.mark.parametrize("filters", [{}, {"source": "Russia"}, {"source": "vela"}, {"status": "asserted"},
                                     {"article": "00000000000000"}, {"source": "vela", "status": "asserted"}], ids=str)
def test_store_reads_claim_pages_are_the_same_whichever_plan(varied, monkeypatch, cap, filters):
    monkeypatch.setattr(clauses, "COUNT_CAP", cap)
    with Store(varied, readonly=True) as store:
        where, params = clauses.claim_where(**filters)
        expected = [r[0] for r in store.conn.execute(
            f"""SELECT c.id FROM claims c JOIN articles ar ON ar.id = c.article_id {where}
                ORDER BY ar.published DESC, ar.seq, c.cue_start""", params)]
        got = [c["id"] for offset in range(0, len(expected) + 5, 5)
               for c in store.claims(limit=5, offset=offset, **filters)]
        assert got == expected and expected
        assert store.count_claims(**filters) == len(expected)
        assert store.count_claims(cap=2, **filters) == min(len(expected), 3)  # 3: "more than 2"


STORY_FILTERS = [{}, {"min_sources": 2}, {"sort": "recent"}, {"cameo": "04"}, {"cameo": "042"}, {"cameo": "1"},
                 {"plover": "CONSULT"}, {"status": "asserted"}, {"since": "2024-02", "until": "2024-03"},
                 {"actor": "Russia"}, {"actor": "Russia", "cameo": "19", "sort": "recent"},
                 # roots 18 and 19 share stories: a walk of each root's stories, merged
                 {"cameo": "19"}, {"cameo": "190", "actor": "Russia"}, {"cameo": "19", "min_sources": 2},
                 {"cameo": "190", "sort": "recent"},
                 # an actor alone: the stories it is in (`story_actors`)
                 {"actor": "Ana Vela", "min_sources": 2}, {"actor": "Vela", "sort": "recent"}]


@pytest.mark.parametrize("few", [0, 500])  # a root's stories with a code: walked, or read and sorted
@pytest.mark.parametrize("cap", PLANS)
@pytest.mark.parametrize("filters", STORY_FILTERS, ids=str)
def test_store_reads_story_pages_equal_the_recounted_listing(varied, monkeypatch, cap, few, filters):
    monkeypatch.setattr(browse, "COUNT_CAP", cap)
    monkeypatch.setattr(browse, "FEW_OF_ROOT", few)
    with Store(varied, readonly=True) as store:
        values = dict(filters)
        if "actor" in values:
            values["actor_id"] = store.resolve_actor(values.pop("actor"))["id"]
        sort, min_sources = values.pop("sort", "sources"), values.pop("min_sources", 1)
        full = {"actor_id": None, "plover": None, "cameo": None, "since": None, "until": None, "status": None,
                "as_of": None, **values}
        expected = [r[0] for r in browse._story_rows(store, sort, **full) if r[1] >= min_sources]
        got = [s["id"] for offset in range(0, len(expected) + 4, 4)
               for s in browse.story_index(store, sort=sort, min_sources=min_sources, limit=4, offset=offset,
                                           **values)["items"]]
        assert got == expected and expected
        found = browse.story_index(store, sort=sort, min_sources=min_sources, **values)
        # each story's summary, as its own page describes it
        assert found["items"] == [storyline.summary_of(store.story(i)) for i in expected[:50]]
        total = len(expected)
        assert (found["total"], found.get("total_capped", False)) == ((0, True) if cap == 0 else (total, False))


def test_store_reads_actor_listing_counts_equal_a_recount(varied):
    with Store(varied, readonly=True) as store:
        expected = [tuple(r) for r in store.conn.execute(
            """SELECT a.id, COUNT(m.id), COUNT(DISTINCT m.article_id) FROM actors a JOIN mentions m
               ON m.actor_id = a.id GROUP BY a.id ORDER BY COUNT(m.id) DESC, a.name""")]
        assert [(a["id"], a["mentions"], a["articles"]) for a in store.actors()] == expected
        one = store.actors(article=f"{2:016x}")
        assert {a["id"] for a in one} == {r[0] for r in store.conn.execute(
            "SELECT actor_id FROM mentions WHERE article_id = ?", (f"{2:016x}",))}
        assert store.count_actors() == len(expected) and store.count_actors(cap=1) == 2


def test_store_reads_article_accepts_an_id_prefix_in_either_case(varied):
    with Store(varied, readonly=True) as store:
        assert store.article("000000000000001F")["id"] == f"{31:016x}"
        with pytest.raises(NotFound):
            store.article("00000000000000")  # ambiguous
        with pytest.raises(NotFound):
            store.article("ffff")


def test_store_reads_totals_past_the_cap_say_more_than(varied, monkeypatch):
    # every module that reads the cap, imported above: a module first imported while the cap is
    # patched would keep 5 for the tests after this one
    for module in (clauses, api, web_requests, web_pages, cli_module):
        monkeypatch.setattr(module, "COUNT_CAP", 5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    client = TestClient(api.create_app(api.ServeConfig(db=str(varied))))
    body = client.get("/api/events", params={"limit": 3}).json()
    assert (body["total"], body["total_capped"], len(body["items"])) == (5, True, 3) and body["next"]
    with Store(varied, readonly=True) as store:
        few = store.conn.execute("SELECT article_id FROM events GROUP BY article_id HAVING COUNT(*) BETWEEN 1 AND 4 "
                                 "LIMIT 1").fetchone()[0]
    small = client.get("/api/events", params={"article": few}).json()
    assert "total_capped" not in small and small["total"] == len(small["items"])
    timeline = client.get("/api/timeline/Russia", params={"limit": 2}).json()
    assert (timeline["total"], timeline["total_capped"]) == (5, True)
    result = CliRunner().invoke(cli, ["events", "--db", str(varied), "--limit", "2"], catch_exceptions=False)
    assert "showing 2 of more than 5 events (1–2)" in result.stderr


@pytest.mark.parametrize("query", ["words", "article words", "Article 3", "nothing-like-it"])
def test_store_reads_search_pages_equal_the_plain_ranked_query(varied, query):
    # the page is chosen from the full-text index alone; snippets and rows for its rows only
    with Store(varied, readonly=True) as store:
        expected = [dict(r) for r in store.conn.execute(
            """SELECT a.id, a.title, a.outlet, a.published, snippet(articles_fts, 1, '[', ']', '…', 12) AS snippet,
                      bm25(articles_fts) AS score
               FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid
               WHERE articles_fts MATCH ? ORDER BY score, a.seq""", (store_module.fts_query(query),))]
        pages = [store.search(query, limit=7, offset=offset) for offset in range(0, len(expected) + 7, 7)]
        assert [row for page in pages for row in page] == expected
        assert store.count_search(query, cap=5) == min(len(expected), 6)
    assert len(expected) > 7 or query in ("Article 3", "nothing-like-it")


def test_store_reads_search_ranks_every_match_up_to_the_pool_then_the_newest(tmp_path, monkeypatch):
    from newsgraph.store import queries
    from newsgraph.types import ArticleRecords

    rng = random.Random(3)
    with Store(tmp_path / "s.db") as store:
        for i in range(40):  # the word more or less often, in texts of different lengths
            words = ["harbour"] * rng.randrange(0, 4) + [rng.choice(["quay", "tide", "ferry"]) for _ in range(30)]
            rng.shuffle(words)
            store.add_article(article(i, text=" ".join(words) + "."), ArticleRecords())

        # the plain query: every match ranked
        everything = [r[0] for r in store.conn.execute(
            """SELECT a.id FROM articles_fts f JOIN articles a ON a.seq = f.rowid
               WHERE articles_fts MATCH 'harbour' ORDER BY f.rank, f.rowid""")]

        def pages(limit=4):
            return [r["id"] for offset in range(0, 60, limit)
                    for r in store.search("harbour", limit=limit, offset=offset)]

        assert 15 < len(everything) < 40 and pages() == everything  # fewer matches than the pool: all of them
        monkeypatch.setattr(queries, "SEARCH_POOL", 10)
        seq = dict(rows(store.conn, "SELECT id, seq FROM articles"))
        newest = sorted(everything, key=seq.get)[-10:]
        assert pages() == [i for i in everything if i in newest]  # the newest ten, in rank order
        assert store.count_search("harbour") == len(everything)  # the total still counts every match
