"""The store's fast paths give the same answers as counting from the events.

The stored `relation_pairs` aggregate must equal relations counted on the fly after ingest,
delete, a corrected version, actor merges, splits and undo; the timeline reads only its
page and keeps time order. Stores are built from hand-made records (no model needed).
"""

import random
import sqlite3

import pytest

from newsgraph.store import browse
from newsgraph.store import graph as graph_module
from newsgraph.extract.attribution import SpanRef
from newsgraph.extract.claims import Claim, ClaimSource
from newsgraph.extract.events import ActorRef, Event
from newsgraph.extract.factuality import Factuality
from newsgraph.store import Store
from newsgraph.types import Actor, Article, ArticleRecords, CodedEvent, EventTime, Mention

CAST = [("state:RUS", "Russia", "state", "RUS"), ("state:PRK", "North Korea", "state", "PRK"),
        ("state:UKR", "Ukraine", "state", "UKR"), ("person:ana vela", "Ana Vela", "person", "ESP"),
        ("person:vela", "Vela", "person", None), ("organisation:un", "United Nations", "organisation", None)]
CODES = [("042", 1, "CONSULT", 1.9), ("190", 4, "FIGHT", -10.0), ("057", 2, "AGREE", 8.0),
         ("010", 1, "", 0.0), ("112", 3, "ACCUSE", -2.2), ("036", 1, None, 4.5)]
FACT = Factuality("certain", "positive", "past", "asserted", ())


def records(rng, n_events):
    """An article's records: four actors of CAST, mentions, events with varied times and claims."""
    cast = rng.sample(CAST, 4)
    refs = [ActorRef(k, name, country or "", country, None, i * 20, i * 20 + 5)
            for i, (k, name, _, country) in enumerate(cast)]
    events = []
    for n in range(n_events):
        code, quad, plover, goldstein = rng.choice(CODES)
        a, b = rng.sample(refs, 2)
        reciprocal = rng.random() < 0.15
        sources = (a, b) if reciprocal else (a,)
        targets = () if reciprocal or rng.random() < 0.1 else (b,)
        value = rng.choice(["2024-01-05", "2024-02", "2023", None, "2024-01-05", "2024-03-09T10:00"])
        events.append(CodedEvent(
            Event(sentence=0, trigger="met", trigger_start=100 + n, trigger_end=103 + n, cameo=code,
                  cameo_root=code[:2], cameo_name="X", goldstein=goldstein, quad_class=quad,
                  plover_type=plover, plover_mode=None, sources=sources, targets=targets,
                  negated=rng.random() < 0.1, reciprocal=reciprocal),
            EventTime(value, "day" if value else None, "text" if value else "article"), FACT))
    claims = []
    for n in range(2):
        who = rng.choice(refs)
        claims.append(Claim(kind="indirect", sentence=0, cue=SpanRef(150 + n, 154 + n, "said"), cue_lemma="say",
                            source=ClaimSource(who.name, True, who.key, (), None, who.start, who.end),
                            contents=(SpanRef(0, 10, "x"),), factuality=FACT, events=(0,) if events else ()))
    return ArticleRecords(
        sentences=[(0, 200)],
        actors=[Actor(k, name, kind, country) for k, name, kind, country in cast],
        mentions=[Mention(r.start, r.end, r.name, "GPE", 0, r.key) for r in refs],
        events=events, claims=claims)


def article(i, *, url=None, text=None):
    day = f"2024-0{1 + i % 3}-{10 + i % 9:02d}"
    return Article(id=f"{i:016x}", text=text or f"Article {i} " + "words " * 40, source="test", url=url,
                   published=day if i % 7 else None, published_precision="day", language="en")


def build(path, n_articles=24, seed=5):
    rng = random.Random(seed)
    store = Store(path)
    for i in range(n_articles):
        store.add_article(article(i), records(rng, rng.randrange(0, 7)))
    return store


def assert_aggregate_exact(store):
    computed = graph_module.computed_relations(store.conn)
    stored = graph_module.stored_relations(store.conn)
    assert stored == computed
    for actor_id in {a for pair in computed for a in pair}:
        assert graph_module.stored_relations(store.conn, actor_id=actor_id) == \
            graph_module.computed_relations(store.conn, actor_id=actor_id)


def test_stored_relations_equal_counting_after_ingest_delete_and_correction(tmp_path):
    store = build(tmp_path / "s.db")
    assert graph_module.stored_relations(store.conn)  # not trivially empty
    assert_aggregate_exact(store)
    store.delete_article(f"{3:016x}")
    store.delete_article(f"{4:016x}")
    assert_aggregate_exact(store)
    rng = random.Random(9)
    store.add_article(article(100, url="http://x.org/a"), records(rng, 5))
    store.add_article(article(101, url="http://x.org/a", text="A corrected text " * 20), records(rng, 4))
    assert_aggregate_exact(store)


def test_stored_relations_follow_merge_split_and_undo(tmp_path):
    store = build(tmp_path / "s.db")
    store.merge_actors("Ana Vela", "Vela")
    assert_aggregate_exact(store)
    store.merge_actors("Russia", "Ukraine")
    assert_aggregate_exact(store)
    store.undo_decision()
    assert_aggregate_exact(store)
    store.split_actor("Ana Vela", "Vela")
    assert_aggregate_exact(store)


def test_graph_and_relation_read_the_aggregate_and_match_dated_counts(tmp_path):
    store = build(tmp_path / "s.db")
    russia = store.resolve_actor("Russia")["id"]
    data = store.graph(actor="Russia")
    assert data["edges"] and all(russia in (e["source"], e["target"]) for e in data["edges"])
    computed = graph_module.computed_relations(store.conn, actor_id=russia)
    assert {(e["source"], e["target"]): e["events"] for e in data["edges"]} == \
        {pair: e["events"] for pair, e in computed.items()}
    # a date range counts from the events: events of no known month drop out, the rest agree
    dated = store.graph(actor="Russia", since="2024-02", until="2024-03")
    assert dated["edges"] and all(set(e["months"]) <= {"2024-02", "2024-03"} for e in dated["edges"])
    both = store.relation("Russia", "North Korea")
    edges = graph_module.computed_relations(store.conn, actor_id=russia)
    korea = store.resolve_actor("North Korea")["id"]
    assert both["forward"] == edges.get((russia, korea)) and both["backward"] == edges.get((korea, russia))


def test_graph_from_the_aggregate_equals_the_counted_graph(tmp_path, monkeypatch):
    store = build(tmp_path / "s.db")
    stored = [store.graph(), store.graph(actor="Russia"), store.graph(actor="Ana Vela")]
    monkeypatch.setattr(graph_module, "has_relation_table", lambda conn: False)
    assert [store.graph(), store.graph(actor="Russia"), store.graph(actor="Ana Vela")] == stored
    assert stored[1]["edges"] == sorted(stored[1]["edges"], key=lambda e: (-e["weight"], e["source"], e["target"]))
    import gc

    assert gc.isenabled()  # the collector is paused only while the answer is built


def test_migration_fills_the_aggregate_of_an_existing_store(tmp_path):
    path = tmp_path / "s.db"
    build(path).close()
    conn = sqlite3.connect(path)  # the store as it was before the migration
    conn.execute("DROP TABLE relation_pairs")
    for index in ("events_id_time", "events_time_cover", "articles_id_published", "claims_source_cover",
                  "mentions_actor_article"):
        conn.execute(f"DROP INDEX {index}")
    conn.execute("DELETE FROM _migrations WHERE name = 'm011_scale'")
    conn.commit()
    conn.close()
    store = Store(path)
    assert "m011_scale" in {r[0] for r in store.conn.execute("SELECT name FROM _migrations")}
    assert_aggregate_exact(store)


def reference_timeline(store, actor_id):
    """The timeline as it was computed before: every record, sorted by date in Python."""
    events = store.events(actor_id=actor_id, limit=100_000)
    claims = store.claims(source_id=actor_id, limit=100_000)
    items = [(e["time"]["value"], "event", e["id"]) for e in events]
    items += [(c["published"][:10] if c["published"] else None, "claim", c["id"]) for c in claims]
    items.sort(key=lambda item: (item[0] is None, item[0] or ""))
    return items


def shape(timeline):
    return [(i["date"], i["type"], i["record"]["id"]) for i in timeline["items"]]


@pytest.mark.parametrize("walk_factor", [0.25, 0.0, 1e12])  # both plans: walk the time index, sort own events
def test_timeline_is_time_ordered_and_pages_by_time(tmp_path, monkeypatch, walk_factor):
    import newsgraph.store.timeline as timeline_module

    monkeypatch.setattr(timeline_module, "WALK_FACTOR", walk_factor)
    store = build(tmp_path / "s.db", n_articles=30)
    for name in ("Russia", "Ana Vela", "United Nations"):
        actor_id = store.resolve_actor(name)["id"]
        expected = reference_timeline(store, actor_id)
        assert len(expected) > 8
        assert shape(store.timeline(name)) == expected
        # a limit gives the earliest items, not the first ones in article order
        assert shape(store.timeline(name, limit=5)) == expected[:5]
        assert shape(store.timeline(name, limit=5, offset=5)) == expected[5:10]
        undated = [i for i in expected if i[0] is None]
        assert shape(store.timeline(name, limit=len(undated), offset=len(expected) - len(undated))) == undated


def test_timeline_records_equal_the_listing_records(tmp_path):
    store = build(tmp_path / "s.db")
    who = store.resolve_actor("Russia")
    events = {e["id"]: e for e in store.events(actor_id=who["id"], limit=1000)}
    claims = {c["id"]: c for c in store.claims(source_id=who["id"], limit=1000)}
    for item in store.timeline("Russia")["items"]:
        assert item["record"] == (events if item["type"] == "event" else claims)[item["record"]["id"]]


def test_a_full_recount_gives_the_rows_kept_along_the_way(tmp_path):
    store = build(tmp_path / "s.db")
    store.delete_article(f"{2:016x}")
    store.merge_actors("Ana Vela", "Vela")
    kept = sorted(map(tuple, store.conn.execute("SELECT * FROM relation_pairs")))
    graph_module.rebuild_relations(store.conn)
    assert sorted(map(tuple, store.conn.execute("SELECT * FROM relation_pairs"))) == kept


def test_migration_fills_the_family_buckets_of_an_existing_store(tmp_path):
    path = tmp_path / "s.db"
    build(path).close()
    conn = sqlite3.connect(path)
    before = sorted(conn.execute("SELECT band_hash, text_key FROM family_bands"))
    assert before
    conn.execute("DROP TABLE family_bands")  # the store as it was before the migration
    conn.execute("DELETE FROM _migrations WHERE name = 'm012_family_bands'")
    conn.commit()
    conn.close()
    store = Store(path)
    assert sorted(map(tuple, store.conn.execute("SELECT band_hash, text_key FROM family_bands"))) == before


@pytest.mark.parametrize("limit", [1, 3, 10, 10_000])
def test_graph_limited_to_its_heaviest_edges_equals_the_whole_graph_cut(tmp_path, limit):
    # read in weight order from the indexes (m020): the same edges, order, nodes and total as
    # the whole neighbourhood sorted and cut
    store = build(tmp_path / "s.db")
    for actor in (None, "Russia", "Ana Vela"):
        whole = store.graph(actor=actor)
        cut = store.graph(actor=actor, limit=limit)
        assert cut["edges"] == whole["edges"][:limit] and cut["total_edges"] == len(whole["edges"])
        ends = {i for e in cut["edges"] for i in (e["source"], e["target"])} | ({whole["actor"]} if actor else set())
        assert cut["nodes"] == [n for n in whole["nodes"] if n["id"] in ends]
    # without the indexes (a store read before m020) the same answer, cut from the whole graph
    limited = store.graph(actor="Russia", limit=limit)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(graph_module, "has_weight_index", lambda conn: False)
        assert store.graph(actor="Russia", limit=limit) == limited


@pytest.mark.parametrize("top", [1, 5, 1000])
def test_top_graph_of_an_actor_and_a_story_reads_the_heaviest_edges(tmp_path, monkeypatch, top):
    store = build(tmp_path / "s.db")
    russia = store.resolve_actor("Russia")["id"]
    story = store.conn.execute("SELECT story_id FROM story_events GROUP BY story_id ORDER BY COUNT(*) DESC LIMIT 1"
                               ).fetchone()[0]
    scopes = [{"actor_id": russia}, {"story_id": story}, {}]
    indexed = [browse.top_graph(store, top=top, **scope) for scope in scopes]
    monkeypatch.setattr(graph_module, "has_weight_index", lambda conn: False)
    monkeypatch.setattr(graph_module, "has_relation_table", lambda conn: False)  # counted from the events
    assert [browse.top_graph(store, top=top, **scope) for scope in scopes] == indexed
    assert len(indexed[1]["focus"]) >= 2  # a story's parties: relations between two of them counted once
    assert indexed[0]["total_edges"] > len(indexed[0]["edges"]) or top == 1000
