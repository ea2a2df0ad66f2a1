"""The store at scale: query latency with a million events, and ingest speed as the store grows.

    .venv/bin/python bench/bench_store.py --events 1000000          # the acceptance run
    .venv/bin/python bench/bench_store.py --events 100000 --db /tmp/s.db   # a quick one

Builds a synthetic but realistic store: `Store(path)` creates the schema, then articles
(with text, for full-text search), actors (Zipf-distributed popularity: a few states are
in most stories), mentions, events with 1-2 participants, CAMEO codes weighted like
GDELT's with their PLOVER types, statuses and places, dates over 3 years, event mentions,
stories (the same parties and root in one week), duplicate families, and claims are written
with `executemany` in big transactions straight through SQL into the migrated schema (its
triggers keep the read summaries as `Store` writes would). Then it times every listing the CLI and the
API offer (articles, actors, events with each filter, claims, stories and one story, timeline,
relation, graph, search, family) as `newsgraph serve` answers a request: a fresh read-only
`Store`, the page (50 rows, one more to learn whether another follows) and its total. It
prints the median, the p95 and the p95 of the CPU time of each, PASS/FAIL against the
target (p95 < 50 ms), and the events/s of `Store.add_article` (the normal write path) into
a 10k-event store versus into the big one (`--queries-only` skips that).

    .venv/bin/python bench/bench_store.py --db /tmp/q1m.db --keep --queries-only --only stories
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from newsgraph.api import GRAPH_LIMIT  # noqa: E402
from newsgraph.store.browse import top_graph  # noqa: E402
from newsgraph.store.clauses import CODES_IN_RANGE  # noqa: E402
from newsgraph.extract.events import ActorRef, Event  # noqa: E402
from newsgraph.store.graph import rebuild_relations  # noqa: E402
from newsgraph.store import COUNT_CAP, Store  # noqa: E402
from newsgraph.store.storyline import refresh_summaries  # noqa: E402
from newsgraph.types import Actor, Article, ArticleRecords, CodedEvent, EventTime, Mention  # noqa: E402

# CAMEO codes with rough GDELT frequencies: statements, consultations and cooperation dominate.
CAMEO = [("010", 14), ("020", 3), ("036", 4), ("040", 6), ("042", 7), ("043", 6), ("046", 3), ("051", 5),
         ("057", 2), ("061", 2), ("070", 2), ("071", 1), ("080", 2), ("090", 2), ("100", 1), ("111", 3),
         ("112", 5), ("120", 2), ("130", 2), ("138", 1), ("141", 2), ("145", 1), ("163", 1), ("173", 2),
         ("180", 2), ("190", 3), ("193", 2), ("194", 2), ("195", 1), ("200", 1)]
QUAD = {"01": 1, "02": 1, "03": 1, "04": 1, "05": 2, "06": 2, "07": 2, "08": 2, "09": 3, "10": 3, "11": 3,
        "12": 3, "13": 3, "14": 3, "15": 4, "16": 3, "17": 4, "18": 4, "19": 4, "20": 4}
# PLOVER event type of each CAMEO root (the standard's mapping, coarsened to roots)
PLOVER = {"02": "REQUEST", "03": "AGREE", "04": "CONSULT", "05": "COOPERATE", "06": "COOPERATE", "07": "AID",
          "08": "CONCEDE", "09": "INVESTIGATE", "10": "DEMAND", "11": "ACCUSE", "12": "REJECT", "13": "THREATEN",
          "14": "PROTEST", "15": "MOBILIZE", "16": "SANCTION", "17": "COERCE", "18": "ASSAULT", "19": "ASSAULT",
          "20": "ASSAULT"}
# Factuality statuses of events, most reports asserting what happened
STATUSES = [("asserted", 80), ("reported", 12), ("alleged", 3), ("negated", 2), ("denied", 1), ("uncertain", 2)]
SECTORS = [None, "GOV", "MIL", "BUS", "OPP", "MED", "CVL", "JUD", "SPY", "REB"]
OUTLETS = [f"{w} {kind}" for kind in ("Wire", "Times", "Post", "Herald") for w in
           ("Example", "Northern", "Coastal", "Capital", "Evening", "Daily", "Morning", "Global")]
SYLLABLES = "ka lo mi ra ven tor sa ni el do ru pa shi gor an bel ko tu mar zen ha li vo".split()
WORDS = ("government minister talks border troops sanctions election protest ceasefire agreement aid visit "
         "summit parliament court police army rebels oil gas trade tariffs refugees drought flood vaccine "
         "embassy treaty missile drone strike negotiation envoy council budget inflation bank reform").split()


def _name(rng: random.Random, parts: int) -> str:
    return " ".join("".join(rng.choice(SYLLABLES) for _ in range(2)).capitalize() for _ in range(parts))


def make_actors(rng: random.Random, n: int) -> list[tuple]:
    """(id, key, name, kind, country, sector, place_kind): ~5% states, the rest people and organisations."""
    countries = sorted({"".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(3)) for _ in range(400)})
    rows, names = [], set()
    for i in range(1, n + 1):
        kind = "state" if i <= max(1, n // 20) else rng.choice(["person", "person", "organisation", "group"])
        name = _name(rng, 1 if kind == "state" else 2)
        while name in names:
            name = _name(rng, 2)
        names.add(name)
        country = countries[i % len(countries)]
        sector = None if kind == "state" else rng.choice(SECTORS)
        rows.append((i, f"{kind}:{name.lower()}", name, kind, country, sector, None))
    return rows


def _zipf_weights(n: int) -> list[float]:
    return [1.0 / rank for rank in range(1, n + 1)]


def populate(store: Store, *, events: int, articles: int, actors: int, seed: int = 7) -> dict:
    """Write a synthetic store with `events` events; returns counts and the seconds it took."""
    rng = random.Random(seed)
    conn = store.conn
    t0 = time.perf_counter()
    actor_rows = make_actors(rng, actors)
    cum = list(_accumulate(_zipf_weights(actors)))
    codes, code_weights = zip(*CAMEO)
    code_cum = list(_accumulate(code_weights))
    statuses, status_weights = zip(*STATUSES)
    status_cum = list(_accumulate(status_weights))
    day0 = 738000  # proleptic ordinal, 2021-07-29
    from datetime import date

    per_article = max(1, events // articles)
    counts = {"articles": 0, "events": 0, "participants": 0, "mentions": 0, "claims": 0}
    conn.execute("PRAGMA cache_size = -262144")  # 256 MiB while writing
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO actors (id, key, name, kind, country, sector, place_kind) VALUES (?,?,?,?,?,?,?)",
                     actor_rows)
    conn.executemany("INSERT INTO aliases (actor_id, article_id, alias, actor_key) VALUES (?,?,?,?)", [])
    batch: dict[str, list] = {k: [] for k in ("articles", "events", "participants", "mentions", "facts",
                                              "claims", "aliases", "event_mentions", "family_members",
                                              "stories", "story_events")}
    stories: dict[tuple, int] = {}  # (signature, week) -> story id, as `stories.assign` groups reports
    event_no = 0
    for a in range(articles):
        article_id = f"{a:016x}"
        day = date.fromordinal(day0 + rng.randrange(3 * 365)).isoformat()
        n_events = per_article if a < articles - 1 else events - event_no
        n_events = max(0, min(n_events, events - event_no))
        cast = sorted({_pick(rng, cum) for _ in range(8)})
        words = [rng.choice(WORDS) for _ in range(80)]
        names = [actor_rows[i][2] for i in cast]
        text = " ".join(words[:40] + names + words[40:]) + "."
        outlet = OUTLETS[min(int(rng.paretovariate(1.2)) - 1, len(OUTLETS) - 1)]  # a few big wires
        batch["articles"].append((a + 1, article_id, f"https://example.org/{a}", outlet,
                                  " ".join(words[:6]).capitalize(), None, day, "day", day,
                                  "en" if rng.random() < 0.9 else rng.choice(["fr", "de", "es"]), 1, None, None,
                                  "bench", None, "bench", text))
        # one article in ten is a rewrite of a recent one: a duplicate family of two or more
        family = f"{rng.randrange(max(1, a - 200), a):016x}" if a and rng.random() < 0.1 else article_id
        batch["family_members"].append((article_id, family, f"t{a:015x}", a + 1, None, "example.org", ""))
        week = date.fromisoformat(day).toordinal() // 7
        for position, actor_index in enumerate(cast):
            actor = actor_rows[actor_index]
            batch["mentions"].append((article_id, actor[0], 0, position * 10, position * 10 + 5, actor[2],
                                      "GPE" if actor[3] == "state" else "PERSON", actor[1]))
            batch["facts"].append((actor[0], article_id, actor[2], actor[4], actor[5], None, actor[1]))
        for n in range(1, n_events + 1):
            event_id = f"{article_id}-e{n}"
            code = codes[_pick(rng, code_cum)]
            quad = QUAD[code[:2]]
            batch["events"].append((event_id, article_id, n, 0, 100, "met", 10, 13, code, code[:2], "CODE",
                                    round(rng.uniform(-10, 10), 1), quad, PLOVER.get(code[:2]), None, None, 0,
                                    *_place(rng, cast, actor_rows), day, "day", "article", None, None, None, 0,
                                    None, "certain", "positive", "past", statuses[_pick(rng, status_cum)], None, 1,
                                    0))
            batch["event_mentions"].append((event_id, 0, n, 0, 100, "met", 10, 13, code, 1))
            source = actor_rows[rng.choice(cast)]
            batch["participants"].append((event_id, "source", 0, source[0], source[2], source[4], source[4],
                                          source[5], 0, 5, source[1]))
            target = actor_rows[rng.choice(cast)] if rng.random() < 0.75 else None
            if target is not None and target[0] != source[0]:
                batch["participants"].append((event_id, "target", 0, target[0], target[2], target[4],
                                              target[4], target[5], 20, 25, target[1]))
            else:
                target = None
            # reports of the same parties and root in the same week make one story
            story_key = (code[:2], source[0], target[0] if target else None, week)
            story = stories.get(story_key)
            if story is None:
                story = stories[story_key] = len(stories) + 1
                batch["stories"].append((story, f"{code[:2]}|{source[0]}|{target[0] if target else ''}", code[:2]))
            batch["story_events"].append((story, event_id))
            event_no += 1
        for c in range(1, 6):
            speaker = actor_rows[rng.choice(cast)] if rng.random() < 0.6 else None
            batch["claims"].append((f"{article_id}-c{c}", article_id, c, "indirect", "said", "say", 50, 54,
                                    speaker[0] if speaker else None, speaker[2] if speaker else "officials",
                                    1 if speaker else 0, speaker[4] if speaker else None, None, 30, 40, 0,
                                    "certain", "positive", "past", "reported", speaker[1] if speaker else None))
        if len(batch["events"]) >= 100_000 or a == articles - 1:
            _flush(conn, batch, counts)
    _flush(conn, batch, counts)
    counts["stories"] = len(stories)
    conn.execute("COMMIT")
    # rows written around the library: its relation aggregate is counted once, as the
    # migration does for an existing store (Store.add_article keeps it up to date)
    t1 = time.perf_counter()
    conn.execute("BEGIN")
    rebuild_relations(conn)
    conn.execute("COMMIT")
    counts["relations_seconds"] = round(time.perf_counter() - t1, 1)
    # and each story's summary for listings, written as an ingest writes them when it ends
    t1 = time.perf_counter()
    counts["summaries"] = refresh_summaries(store)
    counts["summaries_seconds"] = round(time.perf_counter() - t1, 1)
    # no ANALYZE: the store never runs one, so the planner sees what it sees in a user's store
    counts["seconds"] = round(time.perf_counter() - t0, 1)
    counts["actors"] = len(actor_rows)
    return counts


def _place(rng: random.Random, cast: list[int], actor_rows: list[tuple]) -> tuple:
    """(place, country, start, end) of an event: a third name a place, most often a state of the story."""
    if rng.random() < 0.67:
        return (None, None, None, None)
    state = actor_rows[rng.choice(cast)]
    name = f"{state[2]} City" if rng.random() < 0.5 else state[2]
    return (name, state[4], 30, 30 + len(name))


def _accumulate(weights):
    total = 0.0
    for w in weights:
        total += w
        yield total


def _pick(rng: random.Random, cumulative: list[float]) -> int:
    from bisect import bisect_left

    return min(bisect_left(cumulative, rng.random() * cumulative[-1]), len(cumulative) - 1)


_SQL = {
    "articles": """INSERT INTO articles (seq, id, url, outlet, title, author, published, published_precision,
                     ingested, language, extracted, note, original_source, source, previous_version,
                     extractor_version, text) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
    "mentions": """INSERT INTO mentions (article_id, actor_id, sentence, start, end, text, label, actor_key)
                   VALUES (?,?,?,?,?,?,?,?)""",
    "facts": """INSERT OR IGNORE INTO actor_facts (actor_id, article_id, name, country, sector, place_kind, actor_key)
                VALUES (?,?,?,?,?,?,?)""",
    "events": """INSERT INTO events (id, article_id, sentence, sentence_start, sentence_end, trigger,
                   trigger_start, trigger_end, cameo, cameo_root, cameo_name, goldstein, quad_class,
                   plover_type, plover_mode, plover_context, reciprocal, place, place_country,
                   place_start, place_end, time_value, time_precision, time_source, time_text,
                   time_start, time_end, negated, modality, certainty, polarity, tense, status, time_mod,
                   main, mirrored) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
    "participants": """INSERT INTO participants (event_id, role, position, actor_id, name, code, country,
                         sector, start, end, actor_key) VALUES (?,?,?,?,?,?,?,?,?,?,?)""",
    "event_mentions": """INSERT INTO event_mentions (event_id, position, sentence, sentence_start, sentence_end,
                           trigger, trigger_start, trigger_end, cameo, main) VALUES (?,?,?,?,?,?,?,?,?,?)""",
    "family_members": """INSERT INTO family_members (article_id, family_id, text_key, seq, url_key, site_keys,
                           declared_keys) VALUES (?,?,?,?,?,?,?)""",
    "stories": "INSERT INTO stories (id, signature, cameo_root) VALUES (?, ?, ?)",
    "story_events": "INSERT INTO story_events (story_id, event_id) VALUES (?, ?)",
    "claims": """INSERT INTO claims (id, article_id, sentence, kind, cue, cue_lemma, cue_start, cue_end,
                   source_actor_id, source_name, source_named, source_countries, source_sector,
                   source_start, source_end, source_pronoun, certainty, polarity, tense, status,
                   source_actor_key) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
}


def _flush(conn, batch: dict[str, list], counts: dict) -> None:
    for table in ("articles", "mentions", "facts", "events", "participants", "claims", "event_mentions",
                  "family_members", "stories", "story_events"):
        if batch[table]:
            conn.executemany(_SQL[table], batch[table])
            if table in counts:
                counts[table] += len(batch[table])
            batch[table].clear()


# -- the library's write path --------------------------------------------------------------------


def synthetic_records(rng: random.Random, actors: list[dict], n_events: int) -> ArticleRecords:
    """ArticleRecords as the extractors would give them: 6 actors, their mentions, `n_events` events."""
    cast = rng.sample(actors, 6)
    refs = [ActorRef(a["key"], a["name"], (a["country"] or "") + (a["sector"] or ""), a["country"], a["sector"],
                     i * 20, i * 20 + 8) for i, a in enumerate(cast)]
    events = []
    for n in range(n_events):
        code = rng.choice(CAMEO)[0]
        source, target = rng.sample(refs, 2)
        events.append(CodedEvent(
            Event(sentence=n, trigger="met", trigger_start=200 + n, trigger_end=203 + n, cameo=code,
                  cameo_root=code[:2], cameo_name="CODE", goldstein=1.0, quad_class=QUAD[code[:2]],
                  plover_type="CONSULT", plover_mode=None, sources=(source,), targets=(target,)),
            EventTime("2025-03-01", "day", "article")))
    return ArticleRecords(
        sentences=[(0, 100)],
        actors=[Actor(a["key"], a["name"], a["kind"], a["country"], a["sector"]) for a in cast],
        mentions=[Mention(r.start, r.end, r.name, "GPE", 0, r.key) for r in refs],
        events=events)


def add_articles_speed(store: Store, *, articles: int, events_per_article: int, seed: int) -> dict[str, int]:
    """Events per second of `Store.add_article` (one transaction per article, as ingest does),
    alone and with the story summaries an ingest writes when it ends."""
    rng = random.Random(seed)
    # new ids each run: with --keep the store already holds the last run's articles
    nonce = f"{seed:03d}{time.time_ns() % 16**5:05x}"
    actors = [dict(r) for r in store.conn.execute(
        "SELECT key, name, kind, country, sector FROM actors ORDER BY id LIMIT 2000")]
    prepared = []
    for i in range(articles):
        words = " ".join(rng.choice(WORDS) for _ in range(120))
        text = f"Bench article {seed}-{i}: {words}."
        article = Article(id=f"b{nonce}{i:08x}", text=text, source="bench", published="2025-03-01",
                          published_precision="day", language="en")
        prepared.append((article, synthetic_records(rng, actors, events_per_article)))
    start = time.perf_counter()
    for article, records in prepared:
        store.add_article(article, records)
    wrote = time.perf_counter()
    # as an ingest ends: the stories these articles changed are summarised for listings
    refresh_summaries(store)
    events = articles * events_per_article
    return {"add_article": round(events / (wrote - start)),
            "add_article + summaries": round(events / (time.perf_counter() - start))}


# -- query latency -----------------------------------------------------------------------------------


def timed(fn, args_list) -> dict:
    """Wall-clock median and p95 (the target), and the p95 of the CPU time this process
    spent, which does not count time the machine gave to other processes."""
    times, cpu = [], []
    for args in args_list:
        start, start_cpu = time.perf_counter(), time.process_time()
        fn(*args)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return {"median_ms": round(statistics.median(times), 2), "p95_ms": round(_p95(times), 2),
            "max_ms": round(max(times), 2), "cpu_p95_ms": round(_p95(cpu), 2), "runs": len(times)}


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


TARGET_MS = 50
PAGE = 50  # the page `newsgraph serve` returns when a request gives no limit


def measure_queries(path: str, *, runs: int, seed: int, only: str | None = None) -> dict:
    """Every listing, timeline, graph, stories and search query as `newsgraph serve` answers
    a request: a fresh read-only `Store` per request, the page (one row more, to learn whether
    another follows) and the total the listing shows."""
    with Store(path, readonly=True) as store:
        cases = query_cases(store, runs=runs, seed=seed)
        store.search("warm up")
    # the arguments drawn above (every article id...) are this benchmark's, not a server's:
    # out of the collector's sight, so that its full collections cost a request what they
    # would cost in `newsgraph serve`
    gc.freeze()
    figures = {}
    for name, (fn, args_list) in cases.items():
        if only and only not in name:
            continue
        figures[name] = timed(_as_request(path, fn), args_list)
    return figures


def _as_request(path: str, fn):
    def request(*args):
        with Store(path, readonly=True) as store:  # as `newsgraph.api.reader` opens it
            return fn(store, *args)
    return request


def _listing(method: str, count: str | None = None, **fixed):
    """A page of `Store.<method>` and its total (counted up to `COUNT_CAP`), as the API's listings answer."""
    def fetch(store: Store, filters: dict, offset: int = 0):
        rows = getattr(store, method)(limit=PAGE + 1, offset=offset, **fixed, **filters)
        return rows, getattr(store, count)(**filters, cap=COUNT_CAP) if count else None
    return fetch


def query_cases(store: Store, *, runs: int, seed: int) -> dict:
    """name -> (fn(store, *args), [args, ...]): the queries timed, with arguments drawn from the store."""
    rng = random.Random(seed)
    conn = store.conn
    # actors that take part in events: a random one is typical, the Zipf top ten are the worst case
    ids = [r[0] for r in conn.execute("SELECT DISTINCT actor_id FROM participants WHERE actor_id IS NOT NULL")]
    names = {r[0]: r[1] for r in conn.execute("SELECT id, name FROM actors")}
    ordered = sorted(ids)
    top = [names[i] for i in ordered[:10]]
    typical = [names[i] for i in rng.sample(ordered, min(runs, len(ordered)))]
    months = sorted({r[0] for r in conn.execute("SELECT DISTINCT substr(time_value, 1, 7) FROM events")})
    codes, dates = [], []
    for _ in range(runs):
        code = rng.choice(CAMEO)[0]
        codes.append(code[:2] if rng.random() < 0.5 else code)
        first = rng.randrange(max(1, len(months) - 1))
        dates.append((months[first], months[min(first + 1, len(months) - 1)]))
    articles = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY seq")]
    some_articles = rng.sample(articles, min(runs, len(articles)))
    outlets = [r[0] for r in conn.execute("SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL")]
    countries = [r[0] for r in conn.execute("SELECT country FROM actors WHERE kind = 'state' LIMIT 200")]
    state_names = [r[0] for r in conn.execute("SELECT name FROM actors WHERE kind = 'state' LIMIT 200")]
    words = [" ".join(rng.sample(WORDS, 2)) for _ in range(runs)]
    stories = [r[0] for r in conn.execute("SELECT id FROM stories ORDER BY id LIMIT 20000")]
    some_stories = rng.sample(stories, min(runs, len(stories))) if stories else []
    busy_story = conn.execute("SELECT story_id FROM story_events GROUP BY story_id ORDER BY COUNT(*) DESC LIMIT 1"
                              ).fetchone()
    families = [r[0] for r in conn.execute(
        "SELECT article_id FROM family_members WHERE family_id != article_id LIMIT 2000")] or articles
    pick = lambda values: [rng.choice(values) for _ in range(runs)]  # noqa: E731
    articles_page, actors_page = _listing("articles", "count_articles"), _listing("actors", "count_actors")
    events_page, claims_page = _listing("events", "count_events"), _listing("claims", "count_claims")
    dated_events = _listing("events", "count_events", order="date")
    page = [({}, 0)] * runs
    cases = {
        "articles": (articles_page, page),
        "articles by outlet": (articles_page, [({"outlet": o}, 0) for o in pick(outlets)]),
        "articles by language": (articles_page, [({"language": lang}, 0) for lang in pick(["en", "fr"])]),
        "articles page 100": (articles_page, [({}, 99 * PAGE)] * runs),
        "actors": (actors_page, page),
        "actors by kind": (actors_page, [({"kind": k}, 0) for k in pick(["person", "state", "organisation"])]),
        "actors by country": (actors_page, [({"country": c}, 0) for c in pick(countries)]),
        "actors by name": (actors_page, [({"name": n.split()[0][:4]}, 0) for n in typical]),
        "actors of article": (actors_page, [({"article": a}, 0) for a in some_articles]),
        "events": (events_page, page),
        "events by date order": (dated_events, page),
        "events page 100": (events_page, [({}, 99 * PAGE)] * runs),
        "events by actor (typical)": (events_page, [({"actor": n}, 0) for n in typical]),
        "events by actor (top-10)": (events_page, [({"actor": n}, 0) for n in pick(top)]),
        "events by country": (events_page, [({"country": c}, 0) for c in pick(countries)]),
        "events by cameo": (events_page, [({"cameo": c}, 0) for c in codes]),
        "events by plover": (events_page, [({"plover": p}, 0) for p in pick(["CONSULT", "AID", "ASSAULT"])]),
        "events by code+dates": (events_page, [({"cameo": c, "since": s, "until": u}, 0)
                                               for c, (s, u) in zip(codes, dates)]),
        "events by dates": (events_page, [({"since": s, "until": u}, 0) for s, u in dates]),
        "events by place country": (events_page, [({"place": c}, 0) for c in pick(countries)]),
        "events by place name": (events_page, [({"place": n[:4]}, 0) for n in pick(state_names)]),
        "events by status": (events_page, [({"status": s}, 0) for s in pick(["asserted", "negated"])]),
        "events of article": (events_page, [({"article": a}, 0) for a in some_articles]),
        "claims": (claims_page, page),
        "claims by source (typical)": (claims_page, [({"source": n}, 0) for n in typical]),
        "claims by source (top-10)": (claims_page, [({"source": n}, 0) for n in pick(top)]),
        "claims by status": (claims_page, [({"status": s}, 0) for s in pick(["reported", "denied"])]),
        "claims of event": (claims_page, [({"event": f"{a}-e1"}, 0) for a in some_articles]),
        "claims of article": (claims_page, [({"article": a}, 0) for a in some_articles]),
        "stories": (_stories, [({},)] * runs),
        "stories, 2+ sources": (_stories, [({"min_sources": 2},)] * runs),
        "stories, most recent": (_stories, [({"sort": "recent"},)] * runs),
        "stories by actor (typical)": (_stories, [({"actor": n},) for n in typical]),
        "stories by actor (top-10)": (_stories, [({"actor": n},) for n in pick(top)]),
        "stories by cameo": (_stories, [({"cameo": c},) for c in codes]),
        "story (one)": (lambda st, i: st.story(i), [(i,) for i in some_stories]),
        "story (busiest)": (lambda st, i: st.story(i), [(busy_story[0],)] * runs if busy_story else []),
        "timeline (typical actor)": (lambda st, n: st.timeline(n, limit=PAGE + 1), [(n,) for n in typical]),
        "timeline (top-10 actor)": (lambda st, n: st.timeline(n, limit=PAGE + 1), [(n,) for n in pick(top)]),
        # as /api/graph answers: the heaviest relations (GRAPH_LIMIT) and how many there are
        "graph (typical actor)": (lambda st, n: st.graph(actor=n, limit=GRAPH_LIMIT), [(n,) for n in typical]),
        "graph (top-10 actor)": (lambda st, n: st.graph(actor=n, limit=GRAPH_LIMIT), [(n,) for n in pick(top)]),
        "graph (actor, one year)": (lambda st, n, y: st.graph(actor=n, since=y, until=y, limit=GRAPH_LIMIT),
                                    [(n, s[:4]) for n, (s, _) in zip(typical, dates)]),
        "graph (whole store)": (lambda st: st.graph(limit=GRAPH_LIMIT), [()] * runs),
        # the graph page: the 30 strongest relations around an actor
        "graph page (top-10 actor)": (lambda st, n: top_graph(st, actor_id=st.resolve_actor(n)["id"], top=30),
                                      [(n,) for n in pick(top)]),
        "relation (top-10 pairs)": (lambda st, a, b: st.relation(a, b), list(zip(top, top[1:] + top[:1]))),
        "search": (_search, [(w,) for w in words]),
        "family": (lambda st, a: st.family(a), [(a,) for a in rng.sample(families, min(runs, len(families)))]),
    }
    return {name: case for name, case in cases.items() if case[1]}


def _stories(store: Store, filters: dict):
    from newsgraph.api import Page, story_listing

    return story_listing(store, filters, Page(offset=0, limit=PAGE))


def _search(store: Store, words: str):
    return store.search(words, limit=PAGE + 1), store.count_search(words, cap=COUNT_CAP)


def explain(store: Store) -> dict:
    """The plans of the statements behind three listings (for the report): events newest first
    (a walk of `event_days`), a code prefix and dates (each code's date range in a covering
    index, then a sort) and the stories page."""
    plans = {}
    statements = {
        "events by date": ("""SELECT d.event_id FROM event_days d ORDER BY d.day DESC, d.seq DESC, d.trigger_start
                              LIMIT 51""", ()),
        "events by code+dates (few)": (
            f"""SELECT e.id FROM events e CROSS JOIN articles ar ON ar.id = e.article_id
                WHERE e.cameo IN ({CODES_IN_RANGE}) AND e.time_value >= ? AND e.time_value < ?
                ORDER BY ar.seq, e.trigger_start LIMIT 51""",
            ("19", "19\U0010ffff", "19\U0010ffff", "2023-01", "2023-02~")),
        "stories by sources": ("""SELECT st.story_id FROM story_stats st WHERE st.sources >= 1
                                  ORDER BY st.sources DESC, st.articles DESC, st.story_id LIMIT 50""", ()),
    }
    for name, (sql, params) in statements.items():
        plans[name] = [row[3] for row in store.conn.execute("EXPLAIN QUERY PLAN " + sql, params)]
    return plans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1_000_000, help="events in the big store")
    parser.add_argument("--articles", type=int, help="articles (default: events / 20)")
    parser.add_argument("--actors", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=40, help="queries timed per kind")
    parser.add_argument("--db", help="store file to build (default: a temporary file, removed after)")
    parser.add_argument("--keep", action="store_true", help="keep an existing --db instead of rebuilding it")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--queries-only", action="store_true", help="skip the write-speed figures")
    parser.add_argument("--only", help="time only the queries whose name contains this")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="ngbench-")
    path = args.db or os.path.join(tmp, "big.db")
    figures: dict = {"events": args.events, "path": path}
    if not (args.keep and os.path.exists(path)):
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        with Store(path) as store:
            figures["populate"] = populate(store, events=args.events, articles=args.articles or max(1, args.events // 20),
                                           actors=args.actors)
    small_path = os.path.join(tmp, "small.db")
    with Store(path):  # a kept store gets the schema's newest migrations (indexes) first
        pass
    figures["queries"] = measure_queries(path, runs=args.runs, seed=3, only=args.only)
    with Store(path, readonly=True) as reader:  # as `newsgraph serve` and the query commands open it
        figures["explain"] = explain(reader)
    if not args.queries_only:
        _write_speeds(figures, path, small_path, args)
    _report(figures, args)


def _write_speeds(figures: dict, path: str, small_path: str, args: argparse.Namespace) -> None:
    with Store(small_path) as small:
        populate(small, events=10_000, articles=500, actors=min(args.actors, 2000))
        for how, speed in add_articles_speed(small, articles=200, events_per_article=20, seed=1).items():
            figures[f"{how} events/s at 10k"] = speed
    with Store(path) as store:
        for how, speed in add_articles_speed(store, articles=200, events_per_article=20, seed=2).items():
            figures[f"{how} events/s at {args.events // 1000}k"] = speed


def _report(figures: dict, args: argparse.Namespace) -> None:
    path = figures["path"]
    figures["store_mb"] = round(os.path.getsize(path) / 2**20, 1)
    figures["load_average"] = [round(x, 2) for x in os.getloadavg()]  # other work on the machine
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"store: {args.events:,} events, {figures['store_mb']} MB; load average at the end "
          f"{', '.join(map(str, figures['load_average']))} on {os.cpu_count()} CPUs")
    if "populate" in figures:
        p = figures["populate"]
        print(f"bulk write: {p['events']:,} events, {p['participants']:,} participants, {p['mentions']:,} mentions, "
              f"{p['claims']:,} claims in {p['seconds']} s ({p['events'] / max(p['seconds'], 1e-9):,.0f} events/s; "
              f"relation aggregate counted in {p['relations_seconds']} s and {p['summaries']:,} story summaries "
              f"written in {p['summaries_seconds']} s of that)")
    print(f"{'query (one request each)':<30} {'median ms':>10} {'p95 ms':>9} {'CPU p95':>9}  vs {TARGET_MS} ms")
    for name, q in figures["queries"].items():
        flag = "PASS" if q["p95_ms"] < TARGET_MS else "FAIL"
        print(f"{name:<30} {q['median_ms']:>10.1f} {q['p95_ms']:>9.1f} {q['cpu_p95_ms']:>9.1f}  {flag}")
    passed = sum(q["p95_ms"] < TARGET_MS for q in figures["queries"].values())
    print(f"{passed}/{len(figures['queries'])} queries with p95 < {TARGET_MS} ms")
    for key, value in figures.items():
        if key.startswith("add_article"):
            print(f"{key:<34} {value:,}")
    for name, plan in figures["explain"].items():
        print(f"plan of {name}: " + " | ".join(plan))


if __name__ == "__main__":
    main()
