"""Versioned, transactional schema migrations, recorded in the `_migrations` table.

Each migration is a function registered in order with `@MIGRATIONS()`; `apply(conn)` runs
the ones not yet recorded, each inside its own transaction, so a failure leaves the
schema at the previous version.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime, timezone

from ..errors import MigrationError

Migration = Callable[[sqlite3.Connection], None]


class Migrations:
    """An ordered registry of named migrations."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._steps: list[tuple[str, Migration]] = []

    def __call__(self) -> Callable[[Migration], Migration]:
        def register(fn: Migration) -> Migration:
            self._steps.append((fn.__name__, fn))
            return fn

        return register

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self._steps]

    def pending(self, conn: sqlite3.Connection) -> list[str]:
        done = applied(conn)
        return [name for name in self.names if name not in done]

    def apply(self, conn: sqlite3.Connection) -> list[str]:
        """Run every pending migration; returns the names that ran."""
        conn.execute(
            "CREATE TABLE IF NOT EXISTS _migrations "
            "(name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
        ran = []
        for name, fn in self._steps:
            if name in applied(conn):
                continue
            try:
                conn.execute("BEGIN IMMEDIATE")
                fn(conn)
                conn.execute(
                    "INSERT INTO _migrations (name, applied_at) VALUES (?, ?)",
                    (name, datetime.now(timezone.utc).isoformat(timespec="seconds")),
                )
                conn.execute("COMMIT")
            except sqlite3.Error as e:
                conn.execute("ROLLBACK")
                raise MigrationError(f"migration {name} failed: {e}; the store is unchanged") from e
            ran.append(name)
        return ran


def applied(conn: sqlite3.Connection) -> set[str]:
    """Names of the migrations already applied to this database."""
    try:
        rows = conn.execute("SELECT name FROM _migrations").fetchall()
    except sqlite3.OperationalError:
        return set()
    return {row[0] for row in rows}


MIGRATIONS = Migrations("newsgraph")


@MIGRATIONS()
def m001_articles(conn: sqlite3.Connection) -> None:
    # `seq` is the rowid the full-text index points at; `id` is the content hash users see.
    # executescript() would COMMIT mid-migration; run the statements one by one instead
    for sql in _M001:
        conn.execute(sql)


_M001 = [
    """CREATE TABLE articles (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        url TEXT,
        outlet TEXT,
        title TEXT,
        author TEXT,
        published TEXT,
        published_precision TEXT,
        ingested TEXT NOT NULL,
        language TEXT,
        extracted INTEGER NOT NULL DEFAULT 0,
        note TEXT,
        original_source TEXT,
        source TEXT,
        previous_version TEXT,
        extractor_version TEXT,
        text TEXT NOT NULL
    )""",
    "CREATE INDEX articles_url ON articles(url)",
    "CREATE INDEX articles_published ON articles(published)",
    """CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='seq', tokenize='unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
    END""",
    """CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.seq, old.title, old.text);
    END""",
    """CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.seq, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
    END""",
    """CREATE TABLE sentences (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        PRIMARY KEY (article_id, idx)
    ) WITHOUT ROWID""",
    """CREATE TABLE actors (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        country TEXT,
        sector TEXT,
        place_kind TEXT
    )""",
    "CREATE INDEX actors_kind ON actors(kind)",
    "CREATE INDEX actors_country ON actors(country)",
    """CREATE TABLE mentions (
        id INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        actor_id INTEGER NOT NULL REFERENCES actors(id),
        sentence INTEGER NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        text TEXT NOT NULL,
        label TEXT NOT NULL
    )""",
    "CREATE INDEX mentions_article ON mentions(article_id)",
    "CREATE INDEX mentions_actor ON mentions(actor_id)",
    """CREATE TABLE roles (
        id INTEGER PRIMARY KEY,
        actor_id INTEGER NOT NULL REFERENCES actors(id),
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        title TEXT NOT NULL,
        country TEXT,
        sector TEXT,
        began TEXT,
        ended TEXT,
        sentence INTEGER NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL
    )""",
    "CREATE INDEX roles_actor ON roles(actor_id)",
    "CREATE INDEX roles_article ON roles(article_id)",
    """CREATE TABLE aliases (
        actor_id INTEGER NOT NULL REFERENCES actors(id),
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        alias TEXT NOT NULL,
        PRIMARY KEY (actor_id, article_id, alias)
    ) WITHOUT ROWID""",
    "CREATE INDEX aliases_article ON aliases(article_id)",
]


@MIGRATIONS()
def m002_events(conn: sqlite3.Connection) -> None:
    for sql in _M002:
        conn.execute(sql)


_M002 = [
    """CREATE TABLE events (
        id TEXT PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        sentence INTEGER NOT NULL,
        sentence_start INTEGER NOT NULL,
        sentence_end INTEGER NOT NULL,
        trigger TEXT NOT NULL,
        trigger_start INTEGER NOT NULL,
        trigger_end INTEGER NOT NULL,
        cameo TEXT NOT NULL,
        cameo_root TEXT NOT NULL,
        cameo_name TEXT,
        goldstein REAL,
        quad_class INTEGER,
        plover_type TEXT,
        plover_mode TEXT,
        plover_context TEXT,
        reciprocal INTEGER NOT NULL DEFAULT 0,
        place TEXT,
        place_country TEXT,
        place_start INTEGER,
        place_end INTEGER,
        time_value TEXT,
        time_precision TEXT,
        time_source TEXT,
        time_text TEXT,
        time_start INTEGER,
        time_end INTEGER,
        negated INTEGER NOT NULL DEFAULT 0,
        modality TEXT,
        certainty TEXT,
        polarity TEXT,
        tense TEXT,
        status TEXT
    )""",
    "CREATE INDEX events_article ON events(article_id)",
    "CREATE INDEX events_cameo ON events(cameo)",
    "CREATE INDEX events_root_time ON events(cameo_root, time_value)",
    "CREATE INDEX events_plover ON events(plover_type)",
    "CREATE INDEX events_time ON events(time_value)",
    """CREATE TABLE participants (
        event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('source', 'target')),
        position INTEGER NOT NULL,
        actor_id INTEGER REFERENCES actors(id),
        name TEXT NOT NULL,
        code TEXT,
        country TEXT,
        sector TEXT,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        PRIMARY KEY (event_id, role, position)
    ) WITHOUT ROWID""",
    "CREATE INDEX participants_actor ON participants(actor_id)",
    "CREATE INDEX participants_country ON participants(country)",
    """CREATE TABLE quantities (
        event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        value REAL NOT NULL,
        unit TEXT NOT NULL,
        approximate INTEGER NOT NULL,
        text TEXT NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        PRIMARY KEY (event_id, position)
    ) WITHOUT ROWID""",
]


@MIGRATIONS()
def m003_claims_and_timexes(conn: sqlite3.Connection) -> None:
    for sql in _M003:
        conn.execute(sql)


_M003 = [
    """CREATE TABLE claims (
        id TEXT PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        sentence INTEGER NOT NULL,
        kind TEXT NOT NULL,
        cue TEXT NOT NULL,
        cue_lemma TEXT,
        cue_start INTEGER NOT NULL,
        cue_end INTEGER NOT NULL,
        source_actor_id INTEGER REFERENCES actors(id),
        source_name TEXT,
        source_named INTEGER,
        source_countries TEXT,
        source_sector TEXT,
        source_start INTEGER,
        source_end INTEGER,
        source_pronoun INTEGER NOT NULL DEFAULT 0,
        certainty TEXT,
        polarity TEXT,
        tense TEXT,
        status TEXT
    )""",
    "ALTER TABLE events ADD COLUMN time_mod TEXT",
    "CREATE INDEX claims_article ON claims(article_id)",
    "CREATE INDEX claims_source ON claims(source_actor_id)",
    "CREATE INDEX claims_status ON claims(status)",
    """CREATE TABLE claim_contents (
        claim_id TEXT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        PRIMARY KEY (claim_id, position)
    ) WITHOUT ROWID""",
    """CREATE TABLE claim_events (
        claim_id TEXT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
        event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        PRIMARY KEY (claim_id, event_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX claim_events_event ON claim_events(event_id)",
    """CREATE TABLE timexes (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        text TEXT NOT NULL,
        type TEXT NOT NULL,
        value TEXT,
        precision TEXT,
        mod TEXT,
        anchored INTEGER NOT NULL,
        range_start TEXT,
        range_end TEXT,
        PRIMARY KEY (article_id, position)
    ) WITHOUT ROWID""",
]


@MIGRATIONS()
def m004_actor_facts_and_versions(conn: sqlite3.Connection) -> None:
    # What each article says about an actor; the actors row is derived from these, so that
    # deleting an article (or ingesting in another order) gives the same store.
    for sql in _M004:
        conn.execute(sql)


_M004 = [
    """CREATE TABLE actor_facts (
        actor_id INTEGER NOT NULL REFERENCES actors(id),
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        country TEXT,
        sector TEXT,
        place_kind TEXT,
        PRIMARY KEY (actor_id, article_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX actor_facts_article ON actor_facts(article_id)",
    "ALTER TABLE articles ADD COLUMN superseded_by TEXT",
    # actors ingested before this migration: their current values become one fact each
    """INSERT INTO actor_facts (actor_id, article_id, name, country, sector, place_kind)
       SELECT a.id, m.article_id, a.name, a.country, a.sector, a.place_kind
       FROM actors a JOIN (SELECT DISTINCT actor_id, article_id FROM mentions) m ON m.actor_id = a.id""",
]


@MIGRATIONS()
def m005_actor_resolution(conn: sqlite3.Connection) -> None:
    # Every record keeps the key the extractor gave its actor; `key_links` says which
    # canonical actor a key belongs to (automatic merges with reason and score, and the
    # user's merges and splits), so decisions survive re-ingestion and can be undone.
    for sql in _M005:
        conn.execute(sql)


_M005 = [
    *[f"ALTER TABLE {table} ADD COLUMN actor_key TEXT" for table in ("mentions", "roles", "aliases", "actor_facts",
                                                                    "participants")],
    "ALTER TABLE claims ADD COLUMN source_actor_key TEXT",
    *[f"UPDATE {table} SET actor_key = (SELECT key FROM actors WHERE actors.id = {table}.actor_id)"
      for table in ("mentions", "roles", "aliases", "actor_facts", "participants")],
    "UPDATE claims SET source_actor_key = (SELECT key FROM actors WHERE actors.id = claims.source_actor_id)",
    *[f"CREATE INDEX {table}_actor_key ON {table}(actor_key)" for table in ("mentions", "roles", "aliases",
                                                                          "actor_facts", "participants")],
    """CREATE TABLE key_links (
        key TEXT PRIMARY KEY,
        target TEXT NOT NULL,
        reason TEXT NOT NULL,
        score REAL,
        auto INTEGER NOT NULL,
        created TEXT NOT NULL
    )""",
    "CREATE INDEX key_links_target ON key_links(target)",
    """CREATE TABLE actor_decisions (
        seq INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('merge', 'split', 'rename')),
        key TEXT NOT NULL,
        other TEXT,
        name TEXT,
        before TEXT NOT NULL,
        created TEXT NOT NULL,
        undone INTEGER NOT NULL DEFAULT 0
    )""",
]


@MIGRATIONS()
def m006_families(conn: sqlite3.Connection) -> None:
    # Duplicate families (newsgraph.store.families): members, their texts' MinHash data, links.
    from .families import SCHEMA

    statement = ""
    for line in SCHEMA.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""
    for column in ("family_reason TEXT", "family_score REAL", "family_match TEXT"):
        conn.execute(f"ALTER TABLE articles ADD COLUMN {column}")


@MIGRATIONS()
def m007_copies(conn: sqlite3.Connection) -> None:
    # The same text seen again at another URL or outlet (a syndicated copy): one article,
    # several sightings, all in the article's family.
    conn.execute("""CREATE TABLE article_copies (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        url TEXT NOT NULL DEFAULT '',
        outlet TEXT NOT NULL DEFAULT '',
        published TEXT,
        source TEXT,
        seen TEXT NOT NULL,
        PRIMARY KEY (article_id, url, outlet)
    ) WITHOUT ROWID""")


@MIGRATIONS()
def m008_stories(conn: sqlite3.Connection) -> None:
    # A story is one real-world event reported across articles: the event mentions that
    # share their actors and CAMEO root with compatible time and place.
    for sql in (
        """CREATE TABLE stories (
            id INTEGER PRIMARY KEY,
            signature TEXT NOT NULL,
            cameo_root TEXT NOT NULL
        )""",
        "CREATE INDEX stories_signature ON stories(signature)",
        """CREATE TABLE story_events (
            story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
            event_id TEXT NOT NULL PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE
        ) WITHOUT ROWID""",
        "CREATE INDEX story_events_story ON story_events(story_id)",
    ):
        conn.execute(sql)


@MIGRATIONS()
def m009_event_roles(conn: sqlite3.Connection) -> None:
    # `main`: the sentence's own event, not background; `mirrored`: the other side of a
    # visit or meeting, added for CAMEO (043 for 042) and counted once elsewhere.
    conn.execute("ALTER TABLE events ADD COLUMN main INTEGER NOT NULL DEFAULT 1")
    conn.execute("ALTER TABLE events ADD COLUMN mirrored INTEGER NOT NULL DEFAULT 0")


@MIGRATIONS()
def m010_person_names(conn: sqlite3.Connection) -> None:
    # First and last names of people, indexed, so resolving a new name is an index lookup
    # however many people the store knows.
    from .resolution import name_parts

    conn.execute("ALTER TABLE actors ADD COLUMN first_name TEXT")
    conn.execute("ALTER TABLE actors ADD COLUMN last_name TEXT")
    rows = conn.execute("SELECT id, name FROM actors WHERE kind = 'person'").fetchall()
    conn.executemany("UPDATE actors SET first_name = ?, last_name = ? WHERE id = ?",
                     [(*name_parts(name), actor_id) for actor_id, name in rows])
    conn.execute("CREATE INDEX actors_last_name ON actors(last_name, first_name)")


@MIGRATIONS()
def m011_scale(conn: sqlite3.Connection) -> None:
    # Queries that stay fast with a million events. Covering indexes let an actor's timeline
    # sort its events and claims by time without reading their rows; `relation_pairs` holds
    # each actor pair's relation as served (events by quad class, PLOVER type and month, the
    # supporting articles; the Goldstein total also in exact integer hundredths), kept by the store as articles come and go
    # and actors merge, so a busy actor's graph is one index read instead of a count over
    # every event it took part in. Existing stores are filled here.
    from .graph import rebuild_relations

    for sql in (
        "CREATE INDEX events_id_time ON events(id, time_value, article_id, trigger_start)",
        "CREATE INDEX events_time_cover ON events(time_value, article_id, trigger_start, id)",
        "CREATE INDEX articles_id_published ON articles(id, published)",
        "CREATE INDEX claims_source_cover ON claims(source_actor_id, article_id, cue_start, id)",
        # an actor's mention and article counts (`Store.actors`, `resolve_actor`) from the index alone
        "CREATE INDEX mentions_actor_article ON mentions(actor_id, article_id)",
        """CREATE TABLE relation_pairs (
            source_id INTEGER NOT NULL,
            target_id INTEGER NOT NULL,
            goldstein INTEGER NOT NULL,
            edge TEXT NOT NULL,
            PRIMARY KEY (source_id, target_id)
        ) WITHOUT ROWID""",
        # covering: an actor's relations as target read in index order, like those as source
        "CREATE INDEX relation_pairs_target ON relation_pairs(target_id, source_id, goldstein, edge)",
    ):
        conn.execute(sql)
    rebuild_relations(conn)


@MIGRATIONS()
def m012_family_bands(conn: sqlite3.Connection) -> None:
    # The duplicate-family index keeps its texts' LSH buckets in the store (`family_bands`) and
    # reads texts per candidate, instead of holding every text and bucket in memory: memory
    # stays flat however many articles a store has. Existing stores get their buckets here.
    from .families import BANDS_SCHEMA, fill_text_epochs, rebuild_bands

    for sql in BANDS_SCHEMA:
        conn.execute(sql)
    fill_text_epochs(conn)  # today's buckets are filed by month (m023)
    rebuild_bands(conn)


@MIGRATIONS()
def m013_family_keys(conn: sqlite3.Connection) -> None:
    # The duplicate-family index reads its members from the store through these indexes
    # instead of holding them in memory (~1.3 KB an article): memory stays flat however
    # many articles a store has. Existing stores get their outlet and declaration keys here.
    from .families import KEYS_SCHEMA, rebuild_keys

    for sql in KEYS_SCHEMA:
        conn.execute(sql)
    rebuild_keys(conn)


@MIGRATIONS()
def m014_family_bands_one_tree(conn: sqlite3.Connection) -> None:
    # LSH buckets in one B-tree keyed on (bucket, text) instead of a table and two indexes:
    # inserting a text's 42 buckets got slower as a store grew. (A store that m012 created
    # after this change has the new table already.)
    from .families import BANDS_SCHEMA

    sql = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'family_bands'").fetchone()
    if sql is not None and "WITHOUT ROWID" in sql[0].upper():
        return
    conn.execute("ALTER TABLE family_bands RENAME TO family_bands_old")
    conn.execute("DROP INDEX IF EXISTS family_bands_hash")
    conn.execute("DROP INDEX IF EXISTS family_bands_text")
    for statement in BANDS_SCHEMA:
        conn.execute(statement)
    conn.execute("INSERT OR IGNORE INTO family_bands (band_hash, text_key) SELECT band_hash, text_key FROM family_bands_old")
    conn.execute("DROP TABLE family_bands_old")


@MIGRATIONS()
def m015_event_mentions(conn: sqlite3.Connection) -> None:
    # An event is one real-world event in its article, with every place the article mentions
    # it (headline, lead, "his visit"); the event's own sentence and trigger stay its evidence.
    # Events of an existing store were coded one per mention: each gets itself as its mention.
    conn.execute(
        """CREATE TABLE event_mentions (
            event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            sentence INTEGER NOT NULL,
            sentence_start INTEGER NOT NULL,
            sentence_end INTEGER NOT NULL,
            trigger TEXT NOT NULL,
            trigger_start INTEGER NOT NULL,
            trigger_end INTEGER NOT NULL,
            cameo TEXT NOT NULL,
            main INTEGER NOT NULL DEFAULT 1,
            PRIMARY KEY (event_id, position)
        ) WITHOUT ROWID""")
    conn.execute(
        """INSERT INTO event_mentions (event_id, position, sentence, sentence_start, sentence_end, trigger,
             trigger_start, trigger_end, cameo, main)
           SELECT id, 0, sentence, sentence_start, sentence_end, trigger, trigger_start, trigger_end, cameo, main
           FROM events""")


@MIGRATIONS()
def m016_claim_cited_source(conn: sqlite3.Connection) -> None:
    # The source a claim's speaker cites ("…, Lee said, citing the intelligence service"),
    # as text and character span of the article. (m015 is reserved for the events tables.)
    for column in ("cited_source TEXT", "cited_start INTEGER", "cited_end INTEGER"):
        conn.execute(f"ALTER TABLE claims ADD COLUMN {column}")


@MIGRATIONS()
def m017_story_index(conn: sqlite3.Connection) -> None:
    # Stories are real-world events across outlets: the events of one visit (its host's side,
    # the capital or the leader visited) and articles whose wording the coder missed are one
    # story. Each story keeps its parties, their countries, its days and place for matching;
    # `story_keys` finds a new event's candidate stories by actor and day (an index lookup);
    # `story_articles` holds the articles joined by their text alone. Existing stories are
    # rebuilt under these rules, in the order the articles arrived.
    from . import stories

    for column in ("first_day TEXT", "last_day TEXT", "place_country TEXT", "countries TEXT NOT NULL DEFAULT ''",
                   "parties TEXT NOT NULL DEFAULT ''", "core TEXT NOT NULL DEFAULT ''"):
        conn.execute(f"ALTER TABLE stories ADD COLUMN {column}")
    for sql in stories.INDEX_SCHEMA:
        conn.execute(sql)
    stories.rebuild(conn)


# The fields an actor's derived values are voted from (see `Store._derive_actors`).
_TALLIED = ("name", "country", "sector", "place_kind")


@MIGRATIONS()
def m018_flat_write_cost(conn: sqlite3.Connection) -> None:
    # What the write path looked up by scanning a busy actor's every fact, or held in memory
    # for the whole of an ingest, kept in indexed rows so that an article costs the same at
    # 200,000 articles as at 10,000:
    # - `actor_fact_tally`: how many of an actor's facts give each value of each field, per
    #   extraction key, kept exact by triggers (inserts, deletes, cascades and re-keying alike);
    #   the majority vote reads a few rows instead of grouping all the actor's facts;
    # - `pending_surnames`: surnames that gained a fuller name since `resolve_pending` last ran;
    # - `actor_decisions_key`: the rename lookup that runs on every derivation;
    # - `actors_person_names`: people by last (and first) name with their keys and names in
    #   the index itself, so that the many people of a common surname are read from adjacent
    #   index entries, not from as many scattered table rows (it replaces `actors_last_name`).
    conn.execute("""CREATE TABLE actor_fact_tally (
        actor_id INTEGER NOT NULL,
        field TEXT NOT NULL,
        value TEXT NOT NULL,
        actor_key TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (actor_id, field, value, actor_key)
    ) WITHOUT ROWID""")
    for event, sign, row in (("INSERT", 1, "NEW"), ("DELETE", -1, "OLD")):
        conn.execute(f"""CREATE TRIGGER actor_facts_tally_{event.lower()} AFTER {event} ON actor_facts BEGIN
            {_tally_sql(sign, row)} END""")
    conn.execute(f"""CREATE TRIGGER actor_facts_tally_update AFTER UPDATE ON actor_facts BEGIN
        {_tally_sql(-1, "OLD")} {_tally_sql(1, "NEW")} END""")
    for field in _TALLIED:
        conn.execute(f"""INSERT INTO actor_fact_tally (actor_id, field, value, actor_key, n)
                         SELECT actor_id, '{field}', {field}, COALESCE(actor_key, ''), COUNT(*) FROM actor_facts
                         WHERE {field} IS NOT NULL GROUP BY actor_id, {field}, COALESCE(actor_key, '')""")
    conn.execute("CREATE TABLE pending_surnames (surname TEXT PRIMARY KEY) WITHOUT ROWID")
    conn.execute("CREATE INDEX actor_decisions_key ON actor_decisions(key, kind, undone)")
    conn.execute("CREATE INDEX actors_person_names ON actors(last_name, first_name, kind, key, name)")
    conn.execute("DROP INDEX actors_last_name")


def _tally_sql(sign: int, row: str) -> str:
    """Statements of a trigger that count `row`'s non-null fields in (1) or out (-1) of the tally."""
    sql = []
    for field in _TALLIED:
        if sign > 0:
            sql.append(f"""INSERT INTO actor_fact_tally (actor_id, field, value, actor_key, n)
                SELECT {row}.actor_id, '{field}', {row}.{field}, COALESCE({row}.actor_key, ''), 1
                WHERE {row}.{field} IS NOT NULL
                ON CONFLICT (actor_id, field, value, actor_key) DO UPDATE SET n = n + 1;""")
        else:
            where = (f"actor_id = {row}.actor_id AND field = '{field}' AND value = {row}.{field} "
                     f"AND actor_key = COALESCE({row}.actor_key, '')")
            sql.append(f"UPDATE actor_fact_tally SET n = n - 1 WHERE {where};")
            sql.append(f"DELETE FROM actor_fact_tally WHERE {where} AND n <= 0;")
    return "\n".join(sql)


# The day an event sorts and filters by: its own date when that starts with a year, else its
# article's publication day (`store._EVENT_SORT_DAY`, for one event `NEW` and its article).
_NEW_EVENT_DAY = ("CASE WHEN NEW.time_value GLOB '[0-9][0-9][0-9][0-9]*' THEN substr(NEW.time_value, 1, 10) "
                  "ELSE (SELECT substr(published, 1, 10) FROM articles WHERE id = NEW.article_id) END")
# One story's row of `story_stats`, recounted from its articles: those of its events and those
# joined by their text alone (`story_articles`, m017) (`browse._story_rows`)
_STORY_STATS = """INSERT OR REPLACE INTO story_stats (story_id, cameo_root, sources, articles, day)
    SELECT m.story_id, (SELECT cameo_root FROM stories WHERE id = m.story_id),
           COUNT(DISTINCT COALESCE(f.family_id, m.article_id)), COUNT(DISTINCT m.article_id),
           MAX(CASE WHEN m.time_value GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*'
                    THEN substr(m.time_value, 1, 10) ELSE substr(ar.published, 1, 10) END)
    FROM (SELECT se.story_id, e.article_id, e.time_value FROM story_events se JOIN events e ON e.id = se.event_id
          WHERE se.story_id {which}
          UNION ALL SELECT sa.story_id, sa.article_id, NULL FROM story_articles sa WHERE sa.story_id {which}) m
    JOIN articles ar ON ar.id = m.article_id
    LEFT JOIN family_members f ON f.article_id = m.article_id
    GROUP BY m.story_id"""
# Stories an article belongs to, by its events or by its text
_STORIES_OF_ARTICLE = ("IN (SELECT se2.story_id FROM events e2 JOIN story_events se2 ON se2.event_id = e2.id "
                       "WHERE e2.article_id = {article} "
                       "UNION SELECT sa2.story_id FROM story_articles sa2 WHERE sa2.article_id = {article})")
# A mention of an actor came (+1) or went (-1): its counts move by one, and its article count
# when no other mention of it in that article remains; an index probe, however busy the actor
_MENTION_IN = """INSERT INTO actor_stats (actor_id, mentions, articles) VALUES (NEW.actor_id, 1, 1)
    ON CONFLICT (actor_id) DO UPDATE SET mentions = mentions + 1, articles = articles + NOT EXISTS (
        SELECT 1 FROM mentions WHERE actor_id = NEW.actor_id AND article_id = NEW.article_id AND id != NEW.id)"""
_MENTION_OUT = """UPDATE actor_stats SET mentions = mentions - 1, articles = articles - NOT EXISTS (
        SELECT 1 FROM mentions WHERE actor_id = OLD.actor_id AND article_id = OLD.article_id)
    WHERE actor_id = OLD.actor_id;
    DELETE FROM actor_stats WHERE actor_id = OLD.actor_id AND mentions <= 0"""

M019_TRIGGERS = (
    # an event's place and a claim's source description as values a substring filter can
    # look up (a few thousand) before it reads events or claims through their index
    """CREATE TRIGGER events_place_value AFTER INSERT ON events WHEN NEW.place IS NOT NULL BEGIN
        INSERT OR IGNORE INTO filter_values (kind, value) VALUES ('place', NEW.place); END""",
    """CREATE TRIGGER claims_source_value AFTER INSERT ON claims WHEN NEW.source_name IS NOT NULL BEGIN
        INSERT OR IGNORE INTO filter_values (kind, value) VALUES ('claim_source', NEW.source_name); END""",
    f"""CREATE TRIGGER events_day_in AFTER INSERT ON events BEGIN
        INSERT OR REPLACE INTO event_days (event_id, day, seq, trigger_start)
        VALUES (NEW.id, {_NEW_EVENT_DAY}, (SELECT seq FROM articles WHERE id = NEW.article_id), NEW.trigger_start);
        END""",
    """CREATE TRIGGER events_day_out AFTER DELETE ON events BEGIN
        DELETE FROM event_days WHERE event_id = OLD.id; END""",
    f"""CREATE TRIGGER story_events_in AFTER INSERT ON story_events BEGIN
        {_STORY_STATS.format(which="= NEW.story_id")}; END""",
    f"""CREATE TRIGGER story_events_out AFTER DELETE ON story_events BEGIN
        DELETE FROM story_stats WHERE story_id = OLD.story_id;
        {_STORY_STATS.format(which="= OLD.story_id")}; END""",
    f"""CREATE TRIGGER story_articles_in AFTER INSERT ON story_articles BEGIN
        {_STORY_STATS.format(which="= NEW.story_id")}; END""",
    f"""CREATE TRIGGER story_articles_out AFTER DELETE ON story_articles BEGIN
        DELETE FROM story_stats WHERE story_id = OLD.story_id;
        {_STORY_STATS.format(which="= OLD.story_id")}; END""",
    # an article's family decides how many independent sources its stories have; one that is
    # its own family counts as the article itself (COALESCE above): nothing to recount
    f"""CREATE TRIGGER family_members_in AFTER INSERT ON family_members
        WHEN NEW.family_id != NEW.article_id BEGIN
        {_STORY_STATS.format(which=_STORIES_OF_ARTICLE.format(article="NEW.article_id"))}; END""",
    f"""CREATE TRIGGER family_members_moved AFTER UPDATE OF family_id ON family_members
        WHEN NEW.family_id IS NOT OLD.family_id BEGIN
        {_STORY_STATS.format(which=_STORIES_OF_ARTICLE.format(article="NEW.article_id"))}; END""",
    f"""CREATE TRIGGER family_members_out AFTER DELETE ON family_members
        WHEN OLD.family_id != OLD.article_id BEGIN
        {_STORY_STATS.format(which=_STORIES_OF_ARTICLE.format(article="OLD.article_id"))}; END""",
    f"""CREATE TRIGGER mentions_in AFTER INSERT ON mentions BEGIN {_MENTION_IN}; END""",
    f"""CREATE TRIGGER mentions_out AFTER DELETE ON mentions BEGIN {_MENTION_OUT}; END""",
    f"""CREATE TRIGGER mentions_moved AFTER UPDATE OF actor_id ON mentions BEGIN
        {_MENTION_OUT}; {_MENTION_IN}; END""",
)


@MIGRATIONS()
def m019_read_paths(conn: sqlite3.Connection) -> None:
    # Every listing's page and bounded total within 50 ms at a million events (issue 16):
    # indexes for the filters that had none; `event_days`, the events in date order (the
    # day is the event's or its article's, so no index on `events` can hold it); and
    # summaries kept by triggers as rows come and go: each story's independent sources,
    # articles and latest day (`story_stats`), each actor's mentions and articles
    # (`actor_stats`), and the distinct places and claim sources (`filter_values`) that
    # substring filters search before they read events or claims by index.
    for sql in (
        "CREATE INDEX articles_outlet ON articles(outlet, published)",
        "CREATE INDEX articles_language ON articles(language, published)",
        "CREATE INDEX events_status ON events(status)",
        # a code prefix and a date range both tested in the index, without reading the events
        "CREATE INDEX events_cameo_time ON events(cameo, time_value)",
        "CREATE INDEX events_place ON events(place) WHERE place IS NOT NULL",
        "CREATE INDEX events_place_country ON events(place_country) WHERE place_country IS NOT NULL",
        "CREATE INDEX claims_source_name ON claims(source_name) WHERE source_name IS NOT NULL",
        "CREATE INDEX claims_status_order ON claims(status, article_id)",
        """CREATE TABLE filter_values (
            kind TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (kind, value)
        ) WITHOUT ROWID""",
        """CREATE TABLE event_days (
            event_id TEXT PRIMARY KEY,
            day TEXT,
            seq INTEGER NOT NULL,
            trigger_start INTEGER NOT NULL
        ) WITHOUT ROWID""",
        # the events in date order, read backwards; an index holds NULL days, which sort first
        "CREATE INDEX event_days_order ON event_days(day, seq, trigger_start)",
        """CREATE TABLE story_stats (
            story_id INTEGER PRIMARY KEY,
            cameo_root TEXT,
            sources INTEGER NOT NULL,
            articles INTEGER NOT NULL,
            day TEXT
        )""",
        "CREATE INDEX story_stats_sources ON story_stats(sources, articles)",
        "CREATE INDEX story_stats_day ON story_stats(day, sources)",
        # a story's events share its CAMEO root (its signature): a code filter reads one root's stories
        "CREATE INDEX story_stats_root ON story_stats(cameo_root, sources, articles)",
        """CREATE TABLE actor_stats (
            actor_id INTEGER PRIMARY KEY,
            mentions INTEGER NOT NULL,
            articles INTEGER NOT NULL
        )""",
        "CREATE INDEX actor_stats_mentions ON actor_stats(mentions)",
        *M019_TRIGGERS,
    ):
        conn.execute(sql)
    _fill_read_summaries(conn)


# Tables m019 derives from the others (kept by triggers): a dump need not carry them.
READ_SUMMARIES = ("filter_values", "event_days", "story_stats", "actor_stats", "story_summaries", "story_actors",
                  "story_codes")


def refill_read_summaries(conn: sqlite3.Connection) -> None:
    """Count the m019 summaries afresh, e.g. after rows were loaded in an arbitrary order,
    and mark every story's summary (m020) stale."""
    for table in READ_SUMMARIES:
        conn.execute(f"DELETE FROM {table}")
    _fill_read_summaries(conn)
    _all_stories_stale(conn)
    _fill_story_codes(conn)


def _fill_read_summaries(conn: sqlite3.Connection) -> None:
    """The m019 summaries of an existing store, counted in one pass each."""
    conn.execute("INSERT INTO filter_values SELECT DISTINCT 'place', place FROM events WHERE place IS NOT NULL")
    conn.execute("""INSERT OR IGNORE INTO filter_values SELECT DISTINCT 'claim_source', source_name FROM claims
                    WHERE source_name IS NOT NULL""")
    conn.execute(
        """INSERT INTO event_days (event_id, day, seq, trigger_start)
           SELECT e.id, CASE WHEN e.time_value GLOB '[0-9][0-9][0-9][0-9]*' THEN substr(e.time_value, 1, 10)
                             ELSE substr(ar.published, 1, 10) END, ar.seq, e.trigger_start
           FROM events e JOIN articles ar ON ar.id = e.article_id""")
    conn.execute(_STORY_STATS.format(which="IS NOT NULL"))
    conn.execute("""INSERT INTO actor_stats (actor_id, mentions, articles)
                    SELECT actor_id, COUNT(*), COUNT(DISTINCT article_id) FROM mentions GROUP BY actor_id""")


# The stories an article is part of, as a SELECT of story ids (its events' and its text's)
_STORY_IDS_OF_ARTICLE = ("SELECT se2.story_id FROM events e2 JOIN story_events se2 ON se2.event_id = e2.id "
                         "WHERE e2.article_id = {article} "
                         "UNION SELECT sa2.story_id FROM story_articles sa2 WHERE sa2.article_id = {article}")
# Mark stories' summaries stale: a row with a NULL summary, written again when ingest ends
# (`storyline.refresh_summaries`); a listing describes a stale story in full meanwhile
_STALE = ("INSERT INTO story_summaries (story_id, summary) SELECT story_id, NULL FROM ({ids}) WHERE true "
          "ON CONFLICT (story_id) DO UPDATE SET summary = NULL")


def _stale_of_article(article: str) -> str:
    return _STALE.format(ids=_STORY_IDS_OF_ARTICLE.format(article=article))


def _stale_story(story: str) -> str:
    return _STALE.format(ids=f"SELECT {story} AS story_id")


# `story_actors`: how many participations of each actor a story's events hold, moved by both
# sides of the join, so that each pair counts once whichever row goes first in a cascade
_STORY_ACTORS_IN = """INSERT INTO story_actors (actor_id, story_id, n)
    SELECT actor_id, {story}, COUNT(*) FROM participants WHERE event_id = {event} AND actor_id IS NOT NULL
    GROUP BY actor_id ON CONFLICT (actor_id, story_id) DO UPDATE SET n = n + excluded.n"""
_STORY_ACTORS_OUT = """UPDATE story_actors SET n = n - (SELECT COUNT(*) FROM participants p
        WHERE p.event_id = {event} AND p.actor_id = story_actors.actor_id)
    WHERE story_id = {story} AND actor_id IN (SELECT actor_id FROM participants WHERE event_id = {event});
    DELETE FROM story_actors WHERE story_id = {story} AND n <= 0"""
_PARTICIPANT_IN = """INSERT INTO story_actors (actor_id, story_id, n)
    SELECT {row}.actor_id, story_id, 1 FROM story_events WHERE event_id = {row}.event_id AND {row}.actor_id IS NOT NULL
    ON CONFLICT (actor_id, story_id) DO UPDATE SET n = n + 1"""
_PARTICIPANT_OUT = """UPDATE story_actors SET n = n - 1 WHERE actor_id = {row}.actor_id
        AND story_id IN (SELECT story_id FROM story_events WHERE event_id = {row}.event_id);
    DELETE FROM story_actors WHERE actor_id = {row}.actor_id AND n <= 0
        AND story_id IN (SELECT story_id FROM story_events WHERE event_id = {row}.event_id)"""
STORY_ACTOR_TRIGGERS = (
    f"""CREATE TRIGGER story_actors_event_in AFTER INSERT ON story_events BEGIN
        {_STORY_ACTORS_IN.format(story='NEW.story_id', event='NEW.event_id')}; END""",
    # INSERT OR REPLACE deletes the row it replaces without firing a delete trigger
    f"""CREATE TRIGGER story_actors_event_replaced BEFORE INSERT ON story_events
        WHEN EXISTS (SELECT 1 FROM story_events WHERE event_id = NEW.event_id) BEGIN
        {_STORY_ACTORS_OUT.format(story='(SELECT story_id FROM story_events WHERE event_id = NEW.event_id)',
                                  event='NEW.event_id')}; END""",
    f"""CREATE TRIGGER story_actors_event_out AFTER DELETE ON story_events BEGIN
        {_STORY_ACTORS_OUT.format(story='OLD.story_id', event='OLD.event_id')}; END""",
    f"""CREATE TRIGGER story_actors_event_moved AFTER UPDATE ON story_events BEGIN
        {_STORY_ACTORS_OUT.format(story='OLD.story_id', event='OLD.event_id')};
        {_STORY_ACTORS_IN.format(story='NEW.story_id', event='NEW.event_id')}; END""",
    f"""CREATE TRIGGER story_actors_participant_in AFTER INSERT ON participants WHEN NEW.actor_id IS NOT NULL BEGIN
        {_PARTICIPANT_IN.format(row='NEW')}; END""",
    f"""CREATE TRIGGER story_actors_participant_out AFTER DELETE ON participants WHEN OLD.actor_id IS NOT NULL BEGIN
        {_PARTICIPANT_OUT.format(row='OLD')}; END""",
    f"""CREATE TRIGGER story_actors_participant_moved AFTER UPDATE OF actor_id, event_id ON participants BEGIN
        {_PARTICIPANT_OUT.format(row='OLD')}; {_PARTICIPANT_IN.format(row='NEW')}; END""",
)

# What a story's description reads, and the triggers that mark its summary stale when it changes
M020_TRIGGERS = (
    f"CREATE TRIGGER story_summary_event_in AFTER INSERT ON story_events BEGIN {_stale_story('NEW.story_id')}; END",
    f"CREATE TRIGGER story_summary_event_out AFTER DELETE ON story_events BEGIN {_stale_story('OLD.story_id')}; END",
    f"""CREATE TRIGGER story_summary_event_moved AFTER UPDATE ON story_events BEGIN
        {_stale_story('OLD.story_id')}; {_stale_story('NEW.story_id')}; END""",
    f"CREATE TRIGGER story_summary_text_in AFTER INSERT ON story_articles BEGIN {_stale_story('NEW.story_id')}; END",
    f"CREATE TRIGGER story_summary_text_out AFTER DELETE ON story_articles BEGIN {_stale_story('OLD.story_id')}; END",
    f"""CREATE TRIGGER story_summary_text_moved AFTER UPDATE ON story_articles BEGIN
        {_stale_story('OLD.story_id')}; {_stale_story('NEW.story_id')}; END""",
    "CREATE TRIGGER story_summary_gone AFTER DELETE ON stories BEGIN "
    "DELETE FROM story_summaries WHERE story_id = OLD.id; END",
    # an event's code, status, time or place; a party's actor
    f"""CREATE TRIGGER story_summary_event_changed AFTER UPDATE ON events BEGIN
        {_STALE.format(ids='SELECT story_id FROM story_events WHERE event_id = NEW.id')}; END""",
    f"""CREATE TRIGGER story_summary_party_changed AFTER UPDATE OF actor_id, name, role ON participants BEGIN
        {_STALE.format(ids='SELECT story_id FROM story_events WHERE event_id = NEW.event_id')}; END""",
    # an article's reports: its outlet and date, its copies, its claims, its duplicate family
    f"""CREATE TRIGGER story_summary_article_changed
        AFTER UPDATE OF outlet, published, title, url, original_source ON articles BEGIN
        {_stale_of_article('NEW.id')}; END""",
    *(f"""CREATE TRIGGER story_summary_{name}_{when.lower()} AFTER {when} ON {table} BEGIN
          {_stale_of_article(f'{row}.article_id')}; END"""
      for name, table in (("copy", "article_copies"), ("claim", "claims"), ("family", "family_members"))
      for when, row in (("INSERT", "NEW"), ("DELETE", "OLD"))),
    f"""CREATE TRIGGER story_summary_claim_changed AFTER UPDATE OF status, source_name, cited_source, cue
        ON claims BEGIN {_stale_of_article('NEW.article_id')}; END""",
    f"""CREATE TRIGGER story_summary_family_moved AFTER UPDATE OF family_id ON family_members BEGIN
        {_stale_of_article('NEW.article_id')}; END""",
)


@MIGRATIONS()
def m020_story_summaries(conn: sqlite3.Connection) -> None:
    # Every query within 50 ms at a million events (issue 16): a story listing shows each
    # story's summary (parties, status, sources), kept as JSON per story instead of describing
    # its thousands of reports per request. Triggers mark a summary stale (NULL) whenever
    # anything it is made of changes; ingest writes the stale ones again when it ends. The
    # actor graph is read heaviest relation first, from indexes on each relation's weight.
    conn.execute("""CREATE TABLE story_summaries (
        story_id INTEGER PRIMARY KEY,
        summary TEXT
    )""")
    conn.execute("CREATE INDEX story_summaries_stale ON story_summaries(story_id) WHERE summary IS NULL")
    # the stories an actor takes part in, for the story listing's actor filter: its count and
    # its walk in listing order test one index entry per story, not each story's events
    conn.execute("""CREATE TABLE story_actors (
        actor_id INTEGER NOT NULL,
        story_id INTEGER NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (actor_id, story_id)
    ) WITHOUT ROWID""")
    for sql in (*M020_TRIGGERS, *STORY_ACTOR_TRIGGERS):
        conn.execute(sql)
    _all_stories_stale(conn)
    for sql in (f"CREATE INDEX relation_pairs_out_weight ON relation_pairs(source_id, {RELATION_WEIGHT} DESC, "
                "target_id)",
                f"CREATE INDEX relation_pairs_in_weight ON relation_pairs(target_id, {RELATION_WEIGHT} DESC, "
                "source_id)",
                f"CREATE INDEX relation_pairs_weight ON relation_pairs({RELATION_WEIGHT} DESC, source_id, target_id)"):
        conn.execute(sql)


# A relation's weight (its events) in the indexes above; a query must spell it the same way
RELATION_WEIGHT = "json_extract(edge, '$.weight')"


def _all_stories_stale(conn: sqlite3.Connection) -> None:
    """Every story is summarised again when the next ingest ends (listings describe it until
    then); each story's actors are counted afresh."""
    conn.execute("INSERT OR REPLACE INTO story_summaries (story_id, summary) SELECT id, NULL FROM stories")
    conn.execute("DELETE FROM story_actors")
    conn.execute("""INSERT INTO story_actors (actor_id, story_id, n)
                    SELECT p.actor_id, se.story_id, COUNT(*) FROM participants p
                    JOIN story_events se ON se.event_id = p.event_id
                    WHERE p.actor_id IS NOT NULL GROUP BY p.actor_id, se.story_id""")


# `story_codes`: how many of a story's events have each CAMEO code. An event's code is read
# from `events`, so a row of `story_events` moves its story's count only while its event
# exists; an event deleted first (a cascade deletes its `story_events` row after it) is
# counted out by the event's own trigger, before it goes
_CODE_IN = """INSERT INTO story_codes (cameo, story_root, story_id, n)
    SELECT cameo, (SELECT cameo_root FROM stories WHERE id = {story}), {story}, 1 FROM events
    WHERE id = {event} AND cameo IS NOT NULL
    ON CONFLICT (cameo, story_root, story_id) DO UPDATE SET n = n + 1"""
_CODE_OUT = """UPDATE story_codes SET n = n - 1
        WHERE story_id = {story} AND cameo = (SELECT cameo FROM events WHERE id = {event});
    DELETE FROM story_codes WHERE story_id = {story} AND n <= 0"""
_EVENT_CODE_OUT = """UPDATE story_codes SET n = n - 1 WHERE cameo = OLD.cameo
        AND story_id IN (SELECT story_id FROM story_events WHERE event_id = OLD.id);
    DELETE FROM story_codes WHERE cameo = OLD.cameo AND n <= 0
        AND story_id IN (SELECT story_id FROM story_events WHERE event_id = OLD.id)"""
STORY_CODE_TRIGGERS = (
    f"""CREATE TRIGGER story_codes_event_in AFTER INSERT ON story_events BEGIN
        {_CODE_IN.format(story='NEW.story_id', event='NEW.event_id')}; END""",
    # INSERT OR REPLACE deletes the row it replaces without firing a delete trigger
    f"""CREATE TRIGGER story_codes_event_replaced BEFORE INSERT ON story_events
        WHEN EXISTS (SELECT 1 FROM story_events WHERE event_id = NEW.event_id) BEGIN
        {_CODE_OUT.format(story='(SELECT story_id FROM story_events WHERE event_id = NEW.event_id)',
                          event='NEW.event_id')}; END""",
    f"""CREATE TRIGGER story_codes_event_out AFTER DELETE ON story_events BEGIN
        {_CODE_OUT.format(story='OLD.story_id', event='OLD.event_id')}; END""",
    f"""CREATE TRIGGER story_codes_event_moved AFTER UPDATE OF story_id, event_id ON story_events BEGIN
        {_CODE_OUT.format(story='OLD.story_id', event='OLD.event_id')};
        {_CODE_IN.format(story='NEW.story_id', event='NEW.event_id')}; END""",
    f"""CREATE TRIGGER story_codes_code_gone BEFORE DELETE ON events WHEN OLD.cameo IS NOT NULL BEGIN
        {_EVENT_CODE_OUT}; END""",
    f"""CREATE TRIGGER story_codes_code_changed AFTER UPDATE OF cameo ON events
        WHEN NEW.cameo IS NOT OLD.cameo BEGIN
        {_EVENT_CODE_OUT};
        INSERT INTO story_codes (cameo, story_root, story_id, n)
        SELECT NEW.cameo, st.cameo_root, st.id, 1 FROM story_events se JOIN stories st ON st.id = se.story_id
        WHERE se.event_id = NEW.id AND NEW.cameo IS NOT NULL
        ON CONFLICT (cameo, story_root, story_id) DO UPDATE SET n = n + 1; END""",
)


@MIGRATIONS()
def m021_story_codes(conn: sqlite3.Connection) -> None:
    # Every query within 50 ms at a million events (issue 16): the story listing's code
    # filter reads the stories of a code (a prefix: a range of this table's key) instead of
    # every event of that code and its story, and tests a story in a walk with one probe
    # instead of reading its events. With the story's root (`stories.cameo_root`, fixed when
    # it is made), the stories of one root that have a code are a range of the key: a walk
    # through a root's stories is only taken where the code is common among them.
    conn.execute("""CREATE TABLE story_codes (
        cameo TEXT NOT NULL,
        story_root TEXT NOT NULL,
        story_id INTEGER NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (cameo, story_root, story_id)
    ) WITHOUT ROWID""")
    conn.execute("CREATE INDEX story_codes_story ON story_codes(story_id, cameo)")
    for sql in STORY_CODE_TRIGGERS:
        conn.execute(sql)
    _fill_story_codes(conn)
    # a code prefix and a date range, a claim source's name and an event's place answered
    # from the index alone, the page's order or the event's id included (they replace m019's
    # `events_cameo_time`, `claims_source_name`, `events_place` and `events_place_country`);
    # `claims_status` is left to `claims_status_order`, which starts with it: no plan read it
    for sql in ("CREATE INDEX IF NOT EXISTS events_cameo_time_cover "
                "ON events(cameo, time_value, article_id, trigger_start, id)",
                "CREATE INDEX IF NOT EXISTS claims_source_name_cover ON claims(source_name, article_id, cue_start, id) "
                "WHERE source_name IS NOT NULL",
                "CREATE INDEX IF NOT EXISTS events_place_ids ON events(place, id) WHERE place IS NOT NULL",
                "CREATE INDEX IF NOT EXISTS events_place_country_ids ON events(place_country, id) "
                "WHERE place_country IS NOT NULL",
                "DROP INDEX IF EXISTS events_place",
                "DROP INDEX IF EXISTS events_place_country",
                "DROP INDEX IF EXISTS events_cameo_time",
                "DROP INDEX IF EXISTS claims_source_name",
                "DROP INDEX IF EXISTS claims_status"):
        conn.execute(sql)


def _fill_story_codes(conn: sqlite3.Connection) -> None:
    """Each story's events per CAMEO code, counted in one pass."""
    conn.execute("""INSERT INTO story_codes (cameo, story_root, story_id, n)
                    SELECT e.cameo, st.cameo_root, se.story_id, COUNT(*) FROM story_events se
                    JOIN events e ON e.id = se.event_id JOIN stories st ON st.id = se.story_id
                    WHERE e.cameo IS NOT NULL GROUP BY e.cameo, se.story_id""")


# Segments of one size the full-text index gathers before merging them into one of the next
# size (FTS5's default is 4)
FTS_AUTOMERGE = 8


@MIGRATIONS()
def m022_flat_write_cost(conn: sqlite3.Connection) -> None:
    # Flat cost per article at 200,000 articles (issue 16). Ingest commits each article, so
    # the full-text index gains a tiny segment per article and FTS5 merges segments as they
    # gather: with 4 to a merge, an article's postings are rewritten once per level, log4 of
    # the store's size, and merging reads the large old segments from disk. With 8 to a
    # merge, a third fewer rewrites (log8) and the per-article merge cost stayed flat from
    # 10k to 50k articles (0.43 ms at 50k with 4); a search reads at most 7 segments a
    # level instead of 3, a few more index probes. Searches and their ranks are unchanged.
    conn.execute("INSERT INTO articles_fts (articles_fts, rank) VALUES ('automerge', ?)", (FTS_AUTOMERGE,))
    # m020's trigger that drops a story's emptied actor counts when an event leaves it looks
    # them up by story, which `story_actors`' key (actor, story) cannot serve: it read the
    # whole table, a correction's deletes 2 million rows at 200k articles (61,000 SQLite
    # steps per article on average, against 600 at 10k)
    conn.execute("CREATE INDEX story_actors_story ON story_actors(story_id)")


@MIGRATIONS()
def m023_flat_write_cost(conn: sqlite3.Connection) -> None:
    # Flat cost per article at 200,000 articles (issue 16): `family_bands` was one B-tree
    # keyed on the bucket, and each new text's 42 rows landed on random pages of it, a tree
    # the size of the whole store (12 distinct pages written per article at 10k, 45 at 200k).
    # Keyed on the text's publication month first, a text's rows go to its month's part of
    # the tree, and a lookup probes its month and the two beside it: near-duplicates are
    # looked for among about three months of news. Texts take the month of their earliest
    # article; m014's old table is replaced, its rows refiled from the texts' signatures.
    from .families import BANDS_SCHEMA, fill_text_epochs, rebuild_bands

    fill_text_epochs(conn)
    conn.execute("DROP TABLE family_bands")
    for sql in BANDS_SCHEMA:
        conn.execute(sql)
    rebuild_bands(conn)
    # Indexes that are a prefix of a covering index m021 added on the same table: every plan
    # that read one reads the covering index with the same search instead (the write path's
    # and the 1M-event queries' plans were compared), and each cost a random page write per
    # row, growing with the store (mentions_actor 0.9 -> 2.4 distinct pages per article
    # from 10k to 200k articles).
    for name in ("events_cameo", "events_time", "claims_source", "mentions_actor"):
        conn.execute(f"DROP INDEX IF EXISTS {name}")


@MIGRATIONS()
def m024_previous_version_index(conn: sqlite3.Connection) -> None:
    # Deleting an article relinks the later version that names it as its previous one
    # (`delete_article`): without an index that update read every article (200,000 rows in
    # the growth benchmark's store). Only corrections have a previous version, so a partial
    # index costs nothing on the write path of other articles.
    conn.execute("""CREATE INDEX IF NOT EXISTS articles_previous_version ON articles(previous_version)
                    WHERE previous_version IS NOT NULL""")


@MIGRATIONS()
def m025_key_articles(conn: sqlite3.Connection) -> None:
    # Flat cost per article (issue 16): five indexes on the extraction key (m005: mentions,
    # roles, aliases, actor_facts, participants) took a row at a random place for each
    # mention, role, alias, fact and party, and the places spread as the actors do (about
    # 13 distinct pages written per article at 200k articles, 5 at 10k). Only re-resolution
    # and curation look records up by key, so one narrow table now says which articles name
    # a key (a row per key and article, what `actor_facts` has per actor and article), and
    # those lookups read the records of those articles through each table's article index.
    conn.execute("""CREATE TABLE key_articles (
        actor_key  TEXT NOT NULL,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        PRIMARY KEY (actor_key, article_id)
    ) WITHOUT ROWID""")
    conn.execute("CREATE INDEX key_articles_article ON key_articles(article_id)")
    for table in ("mentions", "roles", "aliases", "actor_facts"):
        conn.execute(f"""INSERT OR IGNORE INTO key_articles (actor_key, article_id)
                         SELECT actor_key, article_id FROM {table} WHERE actor_key IS NOT NULL""")
    conn.execute("""INSERT OR IGNORE INTO key_articles (actor_key, article_id)
                    SELECT p.actor_key, e.article_id FROM participants p JOIN events e ON e.id = p.event_id
                    WHERE p.actor_id IS NOT NULL""")  # a party with no stored actor is never looked up by key
    conn.execute("""INSERT OR IGNORE INTO key_articles (actor_key, article_id)
                    SELECT source_actor_key, article_id FROM claims WHERE source_actor_key IS NOT NULL""")
    for table in ("mentions", "roles", "aliases", "actor_facts", "participants"):
        conn.execute(f"DROP INDEX IF EXISTS {table}_actor_key")
