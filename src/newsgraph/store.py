"""The embedded SQLite store: one file, WAL mode, one transaction per article.

    store = Store("newsgraph.db")
    with store.atomic():
        store.add_article(article, records)
    store.actors(kind="person")

Every statement is parameterised; user text never becomes SQL.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import graph as graph_module
from . import resolution, stories
from .dates import check_date
from .errors import NotFound, StoreError, StoreUnreadable
from .migrations import MIGRATIONS
from .extract.mentions import mentions_of
from .types import Actor, Article, ArticleRecords, CodedEvent
from .wording import group_roles

if TYPE_CHECKING:
    # Both pull in spaCy, numpy and datasketch (2 s); reading a store needs neither.
    from .extract.claims import Claim
    from .families import FamilyIndex

LOGGER = logging.getLogger(__name__)

DB_ENV = "NEWSGRAPH_DB"
DEFAULT_DB = "newsgraph.db"
EXTRACTOR_VERSION = "newsgraph-0.1"
# Hard ceiling on rows a listing returns, whatever the caller asks for.
MAX_LIMIT = 100_000
# How far the totals beside a page ("showing 50 of 8,412") count: past it a listing says
# "more than 10,000" instead of counting a million rows for every page it serves.
COUNT_CAP = 10_000
# A timeline walks all events in time order rather than sorting the actor's own when
# (its events)² > this × (page size) × (all events): sorting costs about 4× more per row
# than stepping through the covering time index (measured at 100k and 1M events).
_WALK_FACTOR = 0.25


def default_db_path() -> str:
    return os.environ.get(DB_ENV) or DEFAULT_DB


# SQLite page cache per connection, in KiB.
READER_CACHE_KIB = 65_536
WRITER_CACHE_KIB = 16_384


class Store:
    """A newsgraph database: articles, their sentences, actors, mentions and roles."""

    def __init__(
        self,
        path: str | os.PathLike = DEFAULT_DB,
        *,
        memory: bool = False,
        tracer: Callable[[str], Any] | None = None,
        readonly: bool = False,
    ) -> None:
        self.path = ":memory:" if memory else str(path)
        try:
            if readonly:
                if not Path(self.path).exists():
                    raise NotFound("no newsgraph store yet",
                                   hint=f"{self.path} does not exist: run `newsgraph ingest` first, or pass --db")
                uri = f"file:{Path(self.path).absolute()}?mode=ro"
                self.conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
            else:
                self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as e:
            raise StoreUnreadable(f"cannot open the store ({e})", hint=f"check {self.path}") from e
        self.conn.row_factory = sqlite3.Row
        if tracer is not None:
            self.conn.set_trace_callback(tracer)
        self._depth = 0
        self._family_index: FamilyIndex | None = None
        # bounded counts already made on a read-only store (a listing counts to choose its
        # plan, and again for its total): nothing changes them while it is open
        self._counts: dict[tuple, int] | None = {} if readonly else None
        self._configure(readonly)
        if not readonly:
            self.migrate()

    def _configure(self, readonly: bool) -> None:
        try:
            self.conn.execute("PRAGMA busy_timeout = 10000")
            self.conn.execute("PRAGMA foreign_keys = ON")
            if not readonly and self.path != ":memory:":
                self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute("PRAGMA synchronous = NORMAL")
                # fewer, larger checkpoints: a commit per article stays cheap
                self.conn.execute("PRAGMA wal_autocheckpoint = 10000")
            # a reader's page cache serves queries over the whole store; a writer's mostly holds
            # the index pages it is adding to, and counts in an ingest's memory as it fills
            self.conn.execute(f"PRAGMA cache_size = -{READER_CACHE_KIB if readonly else WRITER_CACHE_KIB}")
            self.conn.execute("PRAGMA temp_store = MEMORY")
            if readonly:
                # reads of pages the OS already caches skip a system call each: a busy actor's
                # timeline or graph touches thousands of scattered pages. Not for the writer:
                # mapped pages would count in an ingest's memory as the store grows
                self.conn.execute("PRAGMA mmap_size = 1073741824")
                # a request's statements can never write, whatever the file's permissions
                self.conn.execute("PRAGMA query_only = 1")
        except sqlite3.DatabaseError as e:
            raise StoreUnreadable(f"not a newsgraph store, or a corrupt one ({e})", hint=f"check {self.path}") from e

    def migrate(self) -> list[str]:
        """Bring the schema up to date; returns the migrations that ran."""
        return MIGRATIONS.apply(self.conn)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """A transaction; nested calls become savepoints."""
        if self._depth == 0:
            self.conn.execute("BEGIN IMMEDIATE")
        else:
            self.conn.execute(f"SAVEPOINT sp{self._depth}")
        self._depth += 1
        try:
            yield
        except BaseException:
            self._depth -= 1
            if self._depth == 0:
                self.conn.execute("ROLLBACK")
            else:
                self.conn.execute(f"ROLLBACK TO sp{self._depth}")
                self.conn.execute(f"RELEASE sp{self._depth}")
            raise
        else:
            self._depth -= 1
            if self._depth == 0:
                self.conn.execute("COMMIT")
            else:
                self.conn.execute(f"RELEASE sp{self._depth}")

    # -- writing -----------------------------------------------------------------

    def has_article(self, article_id: str) -> bool:
        row = self.conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row is not None

    def add_article(
        self, article: Article, records: ArticleRecords | None = None, *, note: str | None = None
    ) -> bool:
        """Store an article and its records in one transaction; False if it was already there."""
        with self.atomic():
            if self.has_article(article.id):
                return False
            previous = self._previous_version(article)
            self._insert_article(article, previous, extracted=records is not None, note=note)
            if records is not None:
                self._insert_records(article.id, records)
            if previous is not None:
                self._supersede(previous, article.id)
            self._add_to_family(article)
        return True

    def add_copy(self, article: Article) -> bool:
        """Record the same text seen at another URL or outlet; False if nothing new was seen."""
        stored = self.conn.execute("SELECT url, outlet FROM articles WHERE id = ?", (article.id,)).fetchone()
        if stored is None:
            raise NotFound(f"no article {article.id} to record a copy of")
        if (article.url or None, article.outlet or None) in ((stored[0], stored[1]), (None, None)):
            return False
        with self.atomic():
            cursor = self.conn.execute(
                """INSERT OR IGNORE INTO article_copies (article_id, url, outlet, published, source, seen)
                   VALUES (?, ?, ?, ?, ?, ?)""",
                (article.id, article.url or "", article.outlet or "", article.published, article.source, _now()),
            )
        return cursor.rowcount > 0

    def _previous_version(self, article: Article) -> str | None:
        # A different text under the same URL is a corrected version of that article.
        if not article.url:
            return None
        row = self.conn.execute(
            "SELECT id FROM articles WHERE url = ? ORDER BY seq DESC LIMIT 1", (article.url,)
        ).fetchone()
        return row["id"] if row else None

    def _insert_article(self, a: Article, previous: str | None, *, extracted: bool, note: str | None) -> None:
        self.conn.execute(
            """INSERT INTO articles (id, url, outlet, title, author, published, published_precision,
                ingested, language, extracted, note, original_source, source, previous_version,
                extractor_version, text)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (a.id, a.url, a.outlet, a.title, a.author, a.published, a.published_precision,
             _now(), a.language, int(extracted), note, a.original_source, a.source, previous,
             EXTRACTOR_VERSION, a.text),
        )

    def _insert_records(self, article_id: str, records: ArticleRecords) -> None:
        self.conn.executemany(
            "INSERT INTO sentences (article_id, idx, start, end) VALUES (?, ?, ?, ?)",
            [(article_id, i, s, e) for i, (s, e) in enumerate(records.sentences)],
        )
        ids = self._actor_ids(records)
        # one fact per actor and article: of two keys that resolved to one actor, the later
        # one's (as a REPLACE would leave it, but counted by the tally's triggers)
        facts = {ids[a.key]: (ids[a.key], article_id, a.name, a.country, a.sector, a.place_kind, a.key)
                 for a in records.actors}
        self.conn.executemany(
            """INSERT INTO actor_facts (actor_id, article_id, name, country, sector, place_kind, actor_key)
               VALUES (?, ?, ?, ?, ?, ?, ?)""",
            list(facts.values()),
        )
        self._derive_actors(self._changed_by(records.actors, ids))
        self.conn.executemany(
            """INSERT INTO mentions (article_id, actor_id, sentence, start, end, text, label, actor_key)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            [(article_id, ids[m.actor], m.sentence, m.start, m.end, m.text, m.label, m.actor)
             for m in records.mentions if m.actor in ids],
        )
        self.conn.executemany(
            """INSERT INTO roles (actor_id, article_id, title, country, sector, began, ended,
                sentence, start, end, actor_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [(ids[a.key], article_id, r.title, r.country, r.sector, r.began, r.ended,
              r.sentence, r.start, r.end, a.key) for a in records.actors for r in a.roles],
        )
        self.conn.executemany(
            "INSERT OR IGNORE INTO aliases (actor_id, article_id, alias, actor_key) VALUES (?, ?, ?, ?)",
            [(ids[a.key], article_id, alias, a.key) for a in records.actors for alias in sorted(a.aliases)],
        )
        event_ids = [f"{article_id}-e{n}" for n in range(1, len(records.events) + 1)]
        for event_id, coded in zip(event_ids, records.events):
            self._insert_event(event_id, article_id, coded, ids)
        for number, claim in enumerate(records.claims, 1):
            self._insert_claim(f"{article_id}-c{number}", article_id, claim, ids, event_ids)
        graph_module.apply_shares(self.conn, graph_module.article_shares(self.conn, [article_id]), 1)
        stories.assign(self.conn, event_ids, article_id)
        self.conn.executemany(
            """INSERT INTO timexes (article_id, position, start, end, text, type, value, precision, mod,
                 anchored, range_start, range_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [(article_id, i, t.start, t.end, t.text, t.type, t.value, t.precision, t.mod, int(t.anchored),
              t.range_start, t.range_end) for i, t in enumerate(records.timexes)],
        )

    def _insert_claim(self, claim_id: str, article_id: str, claim: Claim, ids: dict[str, int],
                      event_ids: list[str]) -> None:
        src, f = claim.source, claim.factuality
        self.conn.execute(
            """INSERT INTO claims (id, article_id, sentence, kind, cue, cue_lemma, cue_start, cue_end,
                 source_actor_id, source_name, source_named, source_countries, source_sector,
                 source_start, source_end, source_pronoun, certainty, polarity, tense, status,
                 source_actor_key, cited_source, cited_start, cited_end)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (claim_id, article_id, claim.sentence, claim.kind, claim.cue.text, claim.cue_lemma,
             claim.cue.start, claim.cue.end,
             ids.get(src.actor_key) if src and src.actor_key else None,
             src.name if src else None, None if src is None else int(src.named),
             ",".join(src.countries) if src else None, src.sector if src else None,
             src.start if src else None, src.end if src else None, int(bool(src and src.pronoun)),
             f.certainty, f.polarity, f.time, f.status, src.actor_key if src else None,
             *_cited_columns(claim)),
        )
        self.conn.executemany(
            "INSERT INTO claim_contents (claim_id, position, start, end) VALUES (?, ?, ?, ?)",
            [(claim_id, i, c.start, c.end) for i, c in enumerate(claim.contents)],
        )
        self.conn.executemany(
            "INSERT INTO claim_events (claim_id, event_id) VALUES (?, ?)",
            [(claim_id, event_ids[i]) for i in claim.events],
        )

    def _insert_event(self, event_id: str, article_id: str, coded: CodedEvent, ids: dict[str, int]) -> None:
        e, t, f = coded.event, coded.time, coded.factuality
        self.conn.execute(
            """INSERT INTO events (id, article_id, sentence, sentence_start, sentence_end, trigger,
                 trigger_start, trigger_end, cameo, cameo_root, cameo_name, goldstein, quad_class,
                 plover_type, plover_mode, plover_context, reciprocal, place, place_country,
                 place_start, place_end, time_value, time_precision, time_source, time_text,
                 time_start, time_end, negated, modality, certainty, polarity, tense, status, time_mod,
                 main, mirrored)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                       ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (event_id, article_id, e.sentence, e.sentence_start, e.sentence_end, e.trigger,
             e.trigger_start, e.trigger_end, e.cameo, e.cameo_root, e.cameo_name, e.goldstein,
             e.quad_class, e.plover_type or None, e.plover_mode, e.plover_context, int(e.reciprocal),
             e.place, e.place_country, e.place_start, e.place_end, t.value, t.precision, t.source,
             t.text, t.start, t.end, int(e.negated), e.modality,
             f.certainty if f else None, f.polarity if f else None, f.time if f else None,
             f.status if f else None, t.mod, int(getattr(e, "main", True)), int(getattr(e, "mirrored", False))),
        )
        rows = []
        for role, refs in (("source", e.sources), ("target", e.targets)):
            for position, ref in enumerate(refs):
                rows.append((event_id, role, position, ids.get(ref.key), ref.name, ref.code or None,
                             ref.country, ref.sector, ref.start, ref.end, ref.key))
        self.conn.executemany(
            """INSERT INTO participants (event_id, role, position, actor_id, name, code, country,
                 sector, start, end, actor_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            rows,
        )
        self.conn.executemany(
            """INSERT INTO quantities (event_id, position, value, unit, approximate, text, start, end)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            [(event_id, i, q.value, q.unit, int(q.approximate), q.text, q.start, q.end)
             for i, q in enumerate(e.quantities)],
        )
        self.conn.executemany(
            """INSERT INTO event_mentions (event_id, position, sentence, sentence_start, sentence_end, trigger,
                 trigger_start, trigger_end, cameo, main) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [(event_id, i, m.sentence, m.sentence_start, m.sentence_end, m.trigger, m.trigger_start,
              m.trigger_end, m.cameo, int(m.main)) for i, m in enumerate(mentions_of(coded))],
        )

    def _actor_ids(self, records: ArticleRecords) -> dict[str, int]:
        """The store's actor id for each of an article's actor keys, resolving new people
        against the actors already known (see `newsgraph.resolution`)."""
        context = {a.key for a in records.actors}
        ids = {}
        for actor in records.actors:
            key = resolution.canonical(self.conn, actor.key)
            if key == actor.key and actor.kind == "person" and not self._has_actor_key(key):
                link = resolution.resolve_person(self.conn, key, actor.name, context=context - {key},
                                                 aliases=actor.aliases)
                if link is not None:
                    resolution.add_link(self.conn, key, link)
                    key = resolution.canonical(self.conn, key)
            ids[actor.key] = self._upsert_actor(key, actor.name, actor.kind)
        return ids

    def _has_actor_key(self, key: str) -> bool:
        return self.conn.execute("SELECT 1 FROM actors WHERE key = ?", (key,)).fetchone() is not None

    def _upsert_actor(self, key: str, name: str, kind: str) -> int:
        first, last = resolution.name_parts(name) if kind == "person" else (None, None)
        if kind == "person" and " " in name.strip():
            # a fuller name a surname-only actor may now join (in a table: an ingest of any
            # length holds nothing per name in memory)
            self.conn.execute("INSERT OR IGNORE INTO pending_surnames (surname) VALUES (?)", (last,))
        row = self.conn.execute(
            """INSERT INTO actors (key, name, kind, first_name, last_name) VALUES (?, ?, ?, ?, ?)
               ON CONFLICT(key) DO UPDATE SET kind = actors.kind
               RETURNING id""",
            (key, name, kind, first, last),
        ).fetchone()
        return row[0]

    def _reassign(self, keys: set[str], *, kind: str | None = None) -> None:
        """Point every record of the extraction keys `keys` at the actor each key belongs to now."""
        touched: set[int] = set()
        marks = ",".join("?" * len(keys))
        moved_events = [r[0] for r in self.conn.execute(
            f"SELECT DISTINCT event_id FROM participants WHERE actor_key IN ({marks})", list(keys))] if keys else []
        with self._relations_follow(graph_module.articles_of_actors(self.conn, actor_keys=keys)):
            for key in keys:
                row = self.conn.execute("SELECT actor_id FROM actor_facts WHERE actor_key = ? LIMIT 1",
                                        (key,)).fetchone()
                if row is None:
                    continue
                old = self.conn.execute("SELECT name, kind FROM actors WHERE id = ?", (row[0],)).fetchone()
                target = resolution.canonical(self.conn, key)
                new_id = self._upsert_actor(target, old[0] if old else key, kind or (old[1] if old else "person"))
                touched |= {row[0], new_id}
                for table, column in resolution.KEYED_TABLES:
                    id_column = resolution.ID_COLUMN.get(table, "actor_id")
                    self.conn.execute(f"UPDATE OR IGNORE {table} SET {id_column} = ? WHERE {column} = ?",
                                      (new_id, key))
                    if table in ("aliases", "actor_facts"):  # rows that collided with the target's own
                        self.conn.execute(f"DELETE FROM {table} WHERE {column} = ? AND actor_id != ?", (key, new_id))
        stories.restory(self.conn, moved_events)  # stories are keyed on the parties' actor ids
        stories.reconsider(self.conn, keys)  # articles in no story may now name a story's parties
        self._settle_actors(touched)

    @contextmanager
    def _relations_follow(self, article_ids: set[str]) -> Iterator[None]:
        """Keep the stored relations exact while the block re-keys these articles' participants:
        their shares come out before and go back in, as they then stand, after."""
        if article_ids:
            graph_module.apply_shares(self.conn, graph_module.article_shares(self.conn, article_ids), -1)
        yield
        if article_ids:
            graph_module.apply_shares(self.conn, graph_module.article_shares(self.conn, article_ids), 1)

    def resolve_pending(self) -> int:
        """Re-resolve people known only by a surname once fuller names have arrived; returns
        how many were joined to another actor."""
        # only surnames that gained a fuller name since the last call: an index lookup each
        with self.atomic():
            surnames = [r[0] for r in self.conn.execute("SELECT surname FROM pending_surnames ORDER BY surname")]
            self.conn.execute("DELETE FROM pending_surnames")
        rows = [row for surname in surnames for row in self.conn.execute(
            """SELECT a.key, a.name FROM actors a WHERE a.last_name = ? AND +a.kind = 'person'
               AND a.name NOT LIKE '% %' AND NOT EXISTS (SELECT 1 FROM key_links k WHERE k.key = a.key)
               ORDER BY a.id""",
            (surname,))]
        joined = 0
        for key, name in rows:
            context = {r[0] for r in self.conn.execute(
                """SELECT DISTINCT m2.actor_key FROM mentions m1 JOIN mentions m2 ON m2.article_id = m1.article_id
                   WHERE m1.actor_key = ? AND m2.actor_key != ?""", (key, key))}
            aliases = [r[0] for r in self.conn.execute("SELECT alias FROM aliases WHERE actor_key = ?", (key,))]
            link = resolution.resolve_person(self.conn, key, name, context=context, aliases=aliases)
            if link is not None:
                with self.atomic():
                    resolution.add_link(self.conn, key, link)
                    self._reassign(resolution.member_keys(self.conn, key) | {key})
                joined += 1
        return joined

    # -- the user's decisions about actors -------------------------------------------

    def merge_actors(self, keep: str, other: str) -> dict[str, Any]:
        """Merge actor `other` into `keep` (ids, names or aliases); recorded and undoable."""
        a, b = self.resolve_actor(keep), self.resolve_actor(other)
        resolution.check_not_same(a["key"], b["key"])
        with self.atomic():
            keys = resolution.member_keys(self.conn, b["key"])
            before = resolution.snapshot_links(self.conn, keys)
            for key in keys:
                resolution.add_link(self.conn, key, resolution.Link(a["key"], "merged by user", None, False))
            self._decide("merge", b["key"], a["key"], None, before)
            self._reassign(keys)
        return self.resolve_actor(str(a["id"]))

    def split_actor(self, actor: str, part: str) -> dict[str, Any]:
        """Split the mentions that came in as `part` (a key, or a name or alias form) off `actor`."""
        a = self.resolve_actor(actor)
        members = resolution.member_keys(self.conn, a["key"]) - {a["key"]}
        wanted = {k for k in members if k == part or k.split(":", 1)[-1] == resolution.fold_name(part)}
        wanted |= {r[0] for r in self.conn.execute(
            "SELECT DISTINCT actor_key FROM mentions WHERE actor_id = ? AND text = ?", (a["id"], part))
            if r[0] in members}
        if not wanted:
            forms = ", ".join(sorted(members)) or "none: nothing was merged into it"
            raise StoreError(f"{part!r} did not come into {a['name']!r} by a merge; merged keys: {forms}")
        with self.atomic():
            keys = set().union(*(resolution.member_keys(self.conn, k) for k in wanted))
            before = resolution.snapshot_links(self.conn, keys)
            for key in wanted:
                resolution.add_link(self.conn, key, resolution.Link(key, "split by user", None, False))
            self._decide("split", a["key"], ",".join(sorted(wanted)), None, before)
            self._reassign(keys, kind=a["kind"])
        return {"actor": self.resolve_actor(str(a["id"])), "split": sorted(wanted)}

    def rename_actor(self, actor: str, name: str) -> dict[str, Any]:
        a = self.resolve_actor(actor)
        with self.atomic():
            self._decide("rename", a["key"], None, name, "{}")
            self._derive_actors([a["id"]])
        return self.resolve_actor(str(a["id"]))

    def undo_decision(self) -> dict[str, Any]:
        """Undo the most recent merge, split or rename that is not undone yet."""
        row = self.conn.execute(
            "SELECT seq, kind, key, other, name, before FROM actor_decisions WHERE undone = 0 ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        if row is None:
            raise NotFound("no decision to undo")
        with self.atomic():
            self.conn.execute("UPDATE actor_decisions SET undone = 1 WHERE seq = ?", (row["seq"],))
            keys = set(resolution.restore_links(self.conn, row["before"]))
            if keys:
                self._reassign(keys)
            ids = [r[0] for r in self.conn.execute("SELECT id FROM actors WHERE key = ?", (row["key"],))]
            self._derive_actors(ids)
        return {"undone": row["kind"], "key": row["key"], "other": row["other"], "name": row["name"]}

    def decisions(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute(
            "SELECT seq, kind, key, other, name, created, undone FROM actor_decisions ORDER BY seq")]

    def _decide(self, kind: str, key: str, other: str | None, name: str | None, before: str) -> None:
        self.conn.execute(
            "INSERT INTO actor_decisions (kind, key, other, name, before, created) VALUES (?, ?, ?, ?, ?, ?)",
            (kind, key, other, name, before, _now()),
        )

    def _changed_by(self, actors: list[Actor], ids: dict[str, int]) -> set[int]:
        """The actors whose derived values this article's facts may change. A fact that agrees
        with an actor's current values only adds a vote to the winners, so the majority stays,
        and the work per article does not grow with how often an actor is named."""
        changed = set()
        for actor in actors:
            row = self.conn.execute("SELECT name, country, sector, place_kind FROM actors WHERE id = ?",
                                    (ids[actor.key],)).fetchone()
            said = (actor.name, actor.country, actor.sector, actor.place_kind)
            if row is None or any(value is not None and value != current for value, current in zip(said, row)):
                changed.add(ids[actor.key])
        return changed

    def _derive_actors(self, actor_ids) -> None:
        """Each actor's name, country, sector and place kind: what most articles say (ties to
        the smallest value), so the result does not depend on the order of ingestion."""
        for actor_id in set(actor_ids):
            # votes from the tally the triggers of migration m018 keep: a few rows per actor
            # however many articles name it
            own = self.conn.execute(
                """SELECT t.value FROM actor_fact_tally t JOIN actors a ON a.id = t.actor_id AND a.key = t.actor_key
                   WHERE t.actor_id = ? AND t.field = 'name'
                   GROUP BY t.value ORDER BY SUM(t.n) DESC, length(t.value) DESC, t.value LIMIT 1""",
                (actor_id,)).fetchone()  # the name the canonical key itself was given
            values = {}
            for column in ("name", "country", "sector", "place_kind"):
                row = self.conn.execute(
                    """SELECT value FROM actor_fact_tally WHERE actor_id = ? AND field = ?
                       GROUP BY value ORDER BY SUM(n) DESC, length(value) DESC, value LIMIT 1""",
                    (actor_id, column)).fetchone()
                values[column] = row[0] if row else None
            if values["name"] is None:
                continue
            if own:
                values["name"] = own[0]
            renamed = self.conn.execute(
                """SELECT d.name FROM actor_decisions d JOIN actors a ON a.key = d.key
                   WHERE a.id = ? AND d.kind = 'rename' AND d.undone = 0 ORDER BY d.seq DESC LIMIT 1""",
                (actor_id,)).fetchone()
            if renamed:
                values["name"] = renamed[0]
            self.conn.execute(
                "UPDATE actors SET name = ?, country = ?, sector = ?, place_kind = ? WHERE id = ?",
                (values["name"], values["country"], values["sector"], values["place_kind"], actor_id),
            )
            self.conn.execute(
                """UPDATE actors SET first_name = ?, last_name = ? WHERE id = ? AND kind = 'person'""",
                (*resolution.name_parts(values["name"]), actor_id),
            )

    # -- duplicate families ---------------------------------------------------------

    @property
    def families(self) -> FamilyIndex:
        """The duplicate-family index: this store's family tables, on its connection."""
        if self._family_index is None:
            from .families import FamilyIndex

            self._family_index = FamilyIndex.from_store(self.conn)
        return self._family_index

    def _add_to_family(self, article: Article) -> None:
        assignment = self.families.add(article.id, article.text, url=article.url, outlet=article.outlet,
                                       original_source=article.original_source, text_key=article.id)
        self.conn.execute("UPDATE articles SET family_reason = ?, family_score = ?, family_match = ? WHERE id = ?",
                          (assignment.reason, assignment.score, assignment.matched_article, article.id))

    def _remove_from_family(self, article_id: str) -> None:
        if article_id in self.families:
            self.families.remove(article_id)

    def family(self, article_id: str) -> dict[str, Any]:
        """An article's duplicate family: its members, and why the article joined it."""
        article = self.article(article_id)
        row = self.conn.execute("SELECT family_id FROM family_members WHERE article_id = ?", (article["id"],)).fetchone()
        members = [dict(r) for r in self.conn.execute(
            """SELECT a.id, a.outlet, a.url, a.published, a.original_source, a.family_reason AS reason,
                      a.family_score AS score, a.family_match AS matched
               FROM family_members f JOIN articles a ON a.id = f.article_id
               WHERE f.family_id = ? ORDER BY f.seq""", (row[0] if row else None,))]
        for member in list(members):
            members += [{"id": member["id"], "outlet": c["outlet"] or None, "url": c["url"] or None,
                         "published": c["published"], "original_source": member["original_source"],
                         "reason": "exact_copy", "score": 1.0, "matched": member["id"]}
                        for c in self.conn.execute(
                            "SELECT url, outlet, published FROM article_copies WHERE article_id = ? ORDER BY seen",
                            (member["id"],))]
        return {"family": row[0] if row else None, "size": len(members), "articles": members}

    # -- deleting and superseding -----------------------------------------------------

    _ARTICLE_RECORD_TABLES = ("mentions", "roles", "aliases", "events", "claims", "timexes", "sentences",
                              "actor_facts")

    def delete_article(self, article_id: str) -> dict[str, Any]:
        """Remove an article and whatever only it supported; returns what was removed.

        Actors, events and claims other articles support keep their other evidence; an actor
        no article mentions any more is removed; later versions of the article stay.
        """
        article = self.article(article_id)
        with self.atomic():
            touched = self._touched_actors(article["id"])
            counts = {t: self._count_for(t, article["id"]) for t in ("mentions", "events", "claims")}
            self.conn.execute(
                "UPDATE articles SET previous_version = ? WHERE previous_version = ?",
                (article["previous_version"], article["id"]),
            )
            graph_module.apply_shares(self.conn, graph_module.article_shares(self.conn, [article["id"]]), -1)
            its_stories = stories.of_article(self.conn, article["id"])
            self.conn.execute("DELETE FROM articles WHERE id = ?", (article["id"],))
            self._remove_from_family(article["id"])
            stories.drop_empty(self.conn, its_stories)
            removed = self._settle_actors(touched)
        return {"article": article["id"], **counts, "actors_removed": removed}

    def _supersede(self, old_id: str, new_id: str) -> None:
        """A corrected version replaces the records of the one before; its text stays."""
        touched = self._touched_actors(old_id)
        graph_module.apply_shares(self.conn, graph_module.article_shares(self.conn, [old_id]), -1)
        its_stories = stories.of_article(self.conn, old_id)
        for table in self._ARTICLE_RECORD_TABLES:
            self.conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (old_id,))
        self.conn.execute("DELETE FROM story_articles WHERE article_id = ?", (old_id,))  # joined by its old text
        stories.drop_empty(self.conn, its_stories)
        self.conn.execute(
            "UPDATE articles SET superseded_by = ?, extracted = 0, note = ? WHERE id = ?",
            (new_id, f"superseded by corrected version {new_id}", old_id),
        )
        self._settle_actors(touched)

    def _touched_actors(self, article_id: str) -> set[int]:
        rows = self.conn.execute(
            """SELECT actor_id FROM mentions WHERE article_id = ?
               UNION SELECT actor_id FROM actor_facts WHERE article_id = ?
               UNION SELECT actor_id FROM roles WHERE article_id = ?""",
            (article_id, article_id, article_id),
        ).fetchall()
        return {r[0] for r in rows}

    def _settle_actors(self, actor_ids: set[int]) -> int:
        """Drop actors nothing mentions any more; re-derive the others. Returns how many went."""
        gone = [a for a in actor_ids if self.conn.execute(
            "SELECT 1 FROM mentions WHERE actor_id = ? LIMIT 1", (a,)).fetchone() is None]
        for actor_id in gone:
            with self._relations_follow(graph_module.articles_of_actors(self.conn, actor_ids=[actor_id])):
                self.conn.execute("UPDATE participants SET actor_id = NULL WHERE actor_id = ?", (actor_id,))
            self.conn.execute("UPDATE claims SET source_actor_id = NULL WHERE source_actor_id = ?", (actor_id,))
            for table in ("actor_facts", "roles", "aliases"):
                self.conn.execute(f"DELETE FROM {table} WHERE actor_id = ?", (actor_id,))
            self.conn.execute("DELETE FROM actors WHERE id = ?", (actor_id,))
        self._derive_actors(actor_ids - set(gone))
        return len(gone)

    def _count_for(self, table: str, article_id: str) -> int:
        return self.conn.execute(f"SELECT COUNT(*) FROM {table} WHERE article_id = ?", (article_id,)).fetchone()[0]

    # -- reading -----------------------------------------------------------------

    def article(self, article_id: str) -> dict[str, Any]:
        """One article with its text and metadata; accepts a unique id prefix."""
        # ids are lower-case hex: a prefix is an index range (LIKE would read every article)
        rows = self.conn.execute(
            f"SELECT {_ARTICLE_COLUMNS}, text FROM articles WHERE id >= ? AND id < ? LIMIT 2",
            _prefix_range(article_id),
        ).fetchall()
        if not rows:
            raise NotFound(f"no article {article_id!r}", hint=f"list those in {self.path} with `newsgraph articles`")
        if len(rows) > 1:
            raise NotFound(f"{article_id!r} is ambiguous: give more of the article id")
        return dict(rows[0])

    def articles(self, *, language: str | None = None, outlet: str | None = None, order: str = "published",
                 limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        """Articles, latest published first (undated last), or with `order="ingest"` in ingest order."""
        where, params = _where({"language = ?": language, "outlet = ?": outlet})
        if order not in ("ingest", "published"):
            raise StoreError(f"unknown order {order!r}: use ingest or published")
        # undated articles sort last in DESC anyway (NULL is smallest): the published index serves it
        by = "seq" if order == "ingest" else "published DESC, seq DESC"
        rows = self.conn.execute(
            f"""SELECT {_ARTICLE_COLUMNS},
                  (SELECT COUNT(*) FROM mentions m WHERE m.article_id = articles.id) AS mentions
                FROM articles {where} ORDER BY {by} LIMIT ? OFFSET ?""",
            (*params, _limit(limit), max(0, offset)),
        ).fetchall()
        return [dict(row) for row in rows]

    def count_articles(self, *, language: str | None = None, outlet: str | None = None,
                       cap: int | None = None) -> int:
        """How many articles `articles` pages through with these filters (see `_count` for `cap`)."""
        where, params = _where({"language = ?": language, "outlet = ?": outlet})
        return self._count(f"FROM articles {where}", params, cap)

    def _count(self, rows: str, params: list[Any], cap: int | None, *, each: str = "1") -> int:
        """`SELECT COUNT(*) {rows}`; with `cap`, counting stops past `cap` rows, so a result
        above `cap` means "more than `cap`" (see `COUNT_CAP`). `each`: what one counted row
        is (`DISTINCT e.id` where a row of `rows` is one of several per event)."""
        key = (rows, tuple(params), cap)
        if self._counts is not None and key in self._counts:
            return self._counts[key]
        if cap is None:
            n = self.conn.execute(f"SELECT COUNT(*) {rows}", params).fetchone()[0]
        else:
            n = self.conn.execute(f"SELECT COUNT(*) FROM (SELECT {each} {rows} LIMIT ?)",
                                  [*params, max(0, cap) + 1]).fetchone()[0]
        if self._counts is not None:
            self._counts[key] = n
        return n

    def count(self, table: str) -> int:
        if table not in {"articles", "actors", "mentions", "roles", "sentences", "events", "claims", "timexes",
                         "stories"}:
            raise StoreError(f"unknown table {table!r}")
        return self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]

    def actors(self, *, kind: str | None = None, country: str | None = None,
               name: str | None = None, article: str | None = None, actor_id: int | None = None,
               limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        """Actors with their mention counts, most mentioned first."""
        where, params = _actor_where(kind=kind, country=country, name=name, article=article, actor_id=actor_id)
        if self._has_table("actor_stats"):  # counts kept on write (m019): no count over every mention
            sql = f"""SELECT a.id, a.key, a.name, a.kind, a.country, a.sector, a.place_kind, s.mentions, s.articles
                      FROM actor_stats s JOIN actors a ON a.id = s.actor_id {where}
                      ORDER BY s.mentions DESC, a.name LIMIT ? OFFSET ?"""
        else:
            sql = f"""SELECT a.id, a.key, a.name, a.kind, a.country, a.sector, a.place_kind,
                        COUNT(m.id) AS mentions, COUNT(DISTINCT m.article_id) AS articles
                      FROM actors a JOIN mentions m ON m.actor_id = a.id {where}
                      GROUP BY a.id ORDER BY mentions DESC, a.name LIMIT ? OFFSET ?"""
        rows = self.conn.execute(sql, (*params, _limit(limit), max(0, offset))).fetchall()
        return [self._actor_details(dict(row)) for row in rows]

    def count_actors(self, *, cap: int | None = None, **filters: Any) -> int:
        """How many actors `actors(**filters)` pages through (those with a mention)."""
        where, params = _actor_where(**filters)
        if self._has_table("actor_stats"):
            return self._count(f"FROM actor_stats s JOIN actors a ON a.id = s.actor_id {where}", params, cap)
        exists = "EXISTS (SELECT 1 FROM mentions m WHERE m.actor_id = a.id)"
        where = f"{where} AND {exists}" if where else f"WHERE {exists}"
        return self._count(f"FROM actors a {where}", params, cap)



    def _actor_details(self, actor: dict[str, Any]) -> dict[str, Any]:
        actor["merged"] = resolution.links_of(self.conn, actor["key"])
        actor["aliases"] = [
            r[0] for r in self.conn.execute(
                "SELECT DISTINCT alias FROM aliases WHERE actor_id = ? ORDER BY alias", (actor["id"],)
            )
        ]
        # one record per title however many sentences state it, with readable dates
        actor["roles"] = group_roles(
            dict(r) for r in self.conn.execute(
                """SELECT r.title, r.country, r.sector, r.began, r.ended, r.article_id AS article, r.sentence,
                          r.start, r.end FROM roles r JOIN articles a ON a.id = r.article_id
                   WHERE r.actor_id = ? ORDER BY a.seq, r.start""",
                (actor["id"],),
            )
        )
        return actor

    def mentions(self, article_id: str) -> list[dict[str, Any]]:
        """The actor mentions in one article, in text order."""
        rows = self.conn.execute(
            """SELECT m.start, m.end, m.text, m.label, m.sentence, a.id AS actor_id, a.name AS actor,
                      a.kind, a.country, a.sector
               FROM mentions m JOIN actors a ON a.id = m.actor_id
               WHERE m.article_id = ? ORDER BY m.start""",
            (article_id,),
        ).fetchall()
        return [dict(row) for row in rows]

    def events(self, *, actor: str | None = None, country: str | None = None, cameo: str | None = None,
               plover: str | None = None, since: str | None = None, until: str | None = None,
               place: str | None = None, article: str | None = None, status: str | None = None,
               actor_id: int | None = None, order: str = "article", limit: int = 100,
               offset: int = 0) -> list[dict[str, Any]]:
        """Events matching every given filter, with participants and quantities: in article
        order, or with `order="date"` latest first (by the event's own day, else its article's).

        `actor` matches an actor id, or a name or alias (case-insensitive substring); `cameo`
        matches a code prefix (`04` is the whole CONSULT root, `042` one code); `since` and
        `until` compare TIMEX3 values as text, so `2024` includes `2024-06`.
        """
        filters: dict[str, Any] = {"actor": actor, "country": country, "cameo": cameo, "plover": plover,
                                   "since": since, "until": until, "place": place, "article": article,
                                   "status": status, "actor_id": actor_id}
        if order not in ("article", "date"):
            raise StoreError(f"unknown order {order!r}: use article or date")
        where, params = _event_where(**filters, lookups=self._has_table("filter_values"))
        # a filter that matches many events: step through them in the listing's order until the
        # page is full; one that matches few: read those by index and sort them
        walk = not where or self._count_events(filters, COUNT_CAP) > COUNT_CAP
        if walk and where:
            where, params = _event_where(**filters, lookups=self._has_table("filter_values"), correlated=True)
        page = (_limit(limit), max(0, offset))
        # the page's ids first (the sort holds ids, not rows), then the page's rows
        if order == "date" and walk and self._has_table("event_days"):
            days = "event_days d" + (" CROSS JOIN events e ON e.id = d.event_id" if where else "")
            sql = f"""SELECT d.event_id FROM {days} {where}
                      ORDER BY d.day DESC, d.seq DESC, d.trigger_start LIMIT ? OFFSET ?"""
        else:
            joined = "articles ar CROSS JOIN events e" if walk else "events e CROSS JOIN articles ar"
            by = "ar.seq, e.trigger_start" if order == "article" else \
                f"{_EVENT_SORT_DAY} DESC, ar.seq DESC, e.trigger_start"
            sql = f"SELECT e.id FROM {joined} ON ar.id = e.article_id {where} ORDER BY {by} LIMIT ? OFFSET ?"
        ids = [r[0] for r in self.conn.execute(sql, (*params, *page))]
        found = {e["id"]: e for e in self._events_by_id(ids)}
        return [found[i] for i in ids]

    def count_events(self, *, cap: int | None = None, **filters: Any) -> int:
        """How many events `events(**filters)` pages through (see `_count` for `cap`)."""
        filters.pop("order", None)
        return self._count_events(filters, cap)

    def _count_events(self, filters: dict[str, Any], cap: int | None) -> int:
        rows, params, each = self._event_rows(filters, cap=cap)
        return self._count(rows, params, cap, each=each)

    def _event_rows(self, filters: dict[str, Any], *, cap: int | None) -> tuple[str, list[Any], str]:
        """`FROM … WHERE …` of the events that pass `filters` for a count, its parameters, and
        what one counted row is. A bounded count of an actor's or a country's events reads its
        participations (`p0`, one or two an event) until the cap, where `e.id IN (…)` would
        first collect every one of them."""
        lookups = self._has_table("filter_values")
        party = next((k for k in ("actor_id", "actor", "country") if filters.get(k)), None)
        if cap is None or party is None:
            where, params = _event_where(**filters, lookups=lookups)
            return f"FROM events e {where}", params, "1"
        if party == "actor_id":
            lead, lead_params = "p0.actor_id = ?", [filters["actor_id"]]
        elif party == "actor":
            lead, lead_params = f"p0.actor_id IN ({_ACTORS_MATCHING})", _actors_matching(filters["actor"])
        else:
            lead, lead_params = "p0.country = ?", [filters["country"].upper()]
        where, params = _event_where(**{**filters, party: None}, lookups=lookups, correlated=True)
        if not where:  # the participations alone: their index holds the event ids
            return f"FROM participants p0 WHERE {lead}", lead_params, "DISTINCT p0.event_id"
        where = f"WHERE {lead} AND {where[len('WHERE '):]}"
        return (f"FROM participants p0 CROSS JOIN events e ON e.id = p0.event_id {where}", [*lead_params, *params],
                "DISTINCT e.id")



    def _event_details(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Events in their public shape; participants and quantities come in one query each."""
        ids = [row["id"] for row in rows]
        parts = self._children(
            """SELECT event_id, role, actor_id, name, code, country, sector, start, end FROM participants
               WHERE event_id IN ({marks}) ORDER BY event_id, role, position""", ids)
        quantities = self._children(
            """SELECT event_id, value, unit, approximate, text, start, end FROM quantities
               WHERE event_id IN ({marks}) ORDER BY event_id, position""", ids)
        mentions = self._children(
            """SELECT event_id, sentence, sentence_start, sentence_end, trigger, trigger_start, trigger_end,
                      cameo, main FROM event_mentions WHERE event_id IN ({marks}) ORDER BY event_id, position""",
            ids) if self._has_table("event_mentions") else {}
        return [event_json(row, parts.get(row["id"], []), quantities.get(row["id"], []), mentions.get(row["id"]))
                for row in rows]

    def _has_table(self, name: str) -> bool:
        # a read-only store opened before the m015 migration has no event_mentions
        return self.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                                 (name,)).fetchone() is not None

    def _children(self, sql: str, ids: list[str]) -> dict[str, list[dict[str, Any]]]:
        """Rows of a child table grouped by their parent id (the first column), in the
        statement's order; `{marks}` in `sql` becomes the placeholders of a chunk of `ids`."""
        out: dict[str, list[dict[str, Any]]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for record in self._dicts(sql.format(marks=",".join("?" * len(chunk))), chunk):
                out.setdefault(record.pop(next(iter(record))), []).append(record)
        return out

    def _dicts(self, sql: str, params: Any) -> list[dict[str, Any]]:
        # plain tuples zipped with the column names: half the cost of dict(sqlite3.Row)
        cursor = self.conn.cursor()
        cursor.row_factory = None
        cursor.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor]

    def claims(self, *, source: str | None = None, status: str | None = None, event: str | None = None,
               article: str | None = None, source_id: int | None = None, limit: int = 100,
               offset: int = 0) -> list[dict[str, Any]]:
        """Claims matching every given filter, newest article first (undated last).

        `source` matches the source actor's id, name or alias, or the unnamed description
        (`intelligence`); `event` is an event id the claim carries.
        """
        where, params = _claim_where(source=source, status=status, event=event, article=article,
                                     source_id=source_id, lookups=self._has_table("filter_values"))
        # as for events: walk the articles newest first when the filters match many claims
        walk = not where or self._count(f"FROM claims c {where}", params, COUNT_CAP) > COUNT_CAP
        if walk and where:
            where, params = _claim_where(source=source, status=status, event=event, article=article,
                                         source_id=source_id, lookups=self._has_table("filter_values"), walk=True)
        joined = "articles ar CROSS JOIN claims c" if walk else "claims c CROSS JOIN articles ar"
        # the page's ids first (the sort holds ids, not claims with their article's text)
        ids = [r[0] for r in self.conn.execute(
            f"""SELECT c.id FROM {joined} ON ar.id = c.article_id
                {where} ORDER BY ar.published DESC, ar.seq, c.cue_start LIMIT ? OFFSET ?""",
            (*params, _limit(limit), max(0, offset)))]
        found = {c["id"]: c for c in self._claims_by_id(ids)}
        return [found[i] for i in ids]

    def count_claims(self, *, cap: int | None = None, **filters: Any) -> int:
        """How many claims `claims` pages through with these filters (the same keywords)."""
        where, params = _claim_where(**filters, lookups=self._has_table("filter_values"))
        return self._count(f"FROM claims c {where}", params, cap)

    def _claim_details(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Claims in their public shape; contents and events come in one query each."""
        ids = [row["id"] for row in rows]
        contents = self._children(
            "SELECT claim_id, start, end FROM claim_contents WHERE claim_id IN ({marks}) ORDER BY claim_id, position",
            ids)
        events = self._children(
            "SELECT claim_id, event_id FROM claim_events WHERE claim_id IN ({marks}) ORDER BY claim_id, event_id", ids)
        return [self._claim_json(row, contents.get(row["id"], []), [e["event_id"] for e in events.get(row["id"], [])])
                for row in rows]

    @staticmethod
    def _claim_json(row: dict[str, Any], contents: list[dict[str, Any]], events: list[str]) -> dict[str, Any]:
        text = row.pop("article_text")
        source = None
        if row["source_name"] is not None:
            source = {
                "actor_id": row["source_actor_id"], "name": row["source_name"],
                "text": text[row["source_start"]:row["source_end"]], "named": bool(row["source_named"]),
                "countries": [c for c in (row["source_countries"] or "").split(",") if c],
                "sector": row["source_sector"], "pronoun": bool(row["source_pronoun"]),
                "span": [row["source_start"], row["source_end"]],
            }
        return {
            "id": row["id"], "article": row["article_id"], "kind": row["kind"],
            "source": source,
            "cue": {"text": row["cue"], "lemma": row["cue_lemma"], "span": [row["cue_start"], row["cue_end"]]},
            "cited_source": None if row.get("cited_source") is None else {
                "text": row["cited_source"], "span": [row["cited_start"], row["cited_end"]]},
            "content": [{"text": text[c["start"]:c["end"]], "span": [c["start"], c["end"]]} for c in contents],
            "status": row["status"],
            "factuality": {"certainty": row["certainty"], "polarity": row["polarity"], "time": row["tense"]},
            "events": events,
            "published": row["article_published"], "published_precision": row["article_precision"],
            "evidence": {"article": row["article_id"], "sentence": row["sentence"], "url": row["article_url"]},
        }

    def timexes(self, article_id: str) -> list[dict[str, Any]]:
        """The time expressions of one article with their TIMEX3 values."""
        rows = self.conn.execute(
            """SELECT start, end, text, type, value, precision, mod, anchored, range_start, range_end
               FROM timexes WHERE article_id = ? ORDER BY position""", (article_id,)
        ).fetchall()
        return [dict(r) for r in rows]

    def resolve_actor(self, name_or_id: str) -> dict[str, Any]:
        """The one actor a user means by an id, a name or an alias; the most mentioned wins."""
        found = self.actors(name=name_or_id, limit=20)
        if name_or_id.isdigit():
            found = self.actors(actor_id=int(name_or_id), limit=1) or found
        exact = [a for a in found if a["name"].casefold() == name_or_id.casefold()
                 or name_or_id.casefold() in (x.casefold() for x in a["aliases"])]
        chosen = (exact or found)[:1]
        if not chosen:
            raise NotFound(f"no actor matches {name_or_id!r}", hint="list them with `newsgraph actors --name …`")
        return chosen[0]

    def timeline(self, actor: str, *, limit: int = 1000, offset: int = 0, as_of: str | None = None) -> dict[str, Any]:
        """An actor's events (as source or target) and claims (as source), in time order;
        with `as_of`, only those reported (published) on or before that day.

        Undated items come last; on one date, events come before claims, each in article
        order. `limit` and `offset` page through that order: the first page is the earliest
        `limit` items, however many the actor has. Only the page's records are read.
        """
        who = self.resolve_actor(actor)
        check_dates(as_of=as_of)
        offset, limit = max(0, offset), _limit(limit)
        wanted = offset + limit
        keyed = [((date is None, date or "", 0, n), "event", ref)
                 for n, (ref, date) in enumerate(self._timeline_events(who["id"], wanted, as_of))]
        keyed += [((date is None, date or "", 1, n), "claim", ref)
                  for n, (ref, date) in enumerate(self._timeline_claims(who["id"], wanted, as_of))]
        page = [(kind, ref) for _, kind, ref in sorted(keyed)[offset:wanted]]
        with graph_module.quiet_gc():
            records = {("event", e["id"]): e for e in self._events_by_id([r for k, r in page if k == "event"])}
            records |= {("claim", c["id"]): c for c in self._claims_by_id([r for k, r in page if k == "claim"])}
        items = []
        for kind, ref in page:
            r = records[(kind, ref)]
            if kind == "event":
                items.append({"date": r["time"]["value"], "precision": r["time"]["precision"],
                              "date_source": r["time"]["source"], "type": "event",
                              "status": r["factuality"]["status"], "record": r})
            else:
                items.append({"date": r["published"][:10] if r["published"] else None,
                              "precision": "day" if r["published"] else None, "date_source": "article",
                              "type": "claim", "status": r["status"], "record": r})
        return {"actor": who, "items": items, "as_of": as_of,
                **bounded_total(self._timeline_total(who["id"], COUNT_CAP, as_of))}

    def _timeline_total(self, actor_id: int, cap: int | None, as_of: str | None = None) -> int:
        """How many items the actor's whole timeline has: its events and its claims; with
        `as_of`, only those published by that day; with `cap`, each is counted no further
        than `cap` + 1 (a result above `cap` means "more than")."""
        bound = "" if cap is None else f"LIMIT {int(cap) + 1}"
        if as_of:
            return self.conn.execute(
                f"""SELECT (SELECT COUNT(*) FROM (SELECT DISTINCT p.event_id FROM participants p
                            JOIN events e ON e.id = p.event_id JOIN articles ar ON ar.id = e.article_id
                            WHERE p.actor_id = ? AND ar.published < ? {bound}))
                        + (SELECT COUNT(*) FROM (SELECT 1 FROM claims c JOIN articles ar ON ar.id = c.article_id
                           WHERE c.source_actor_id = ? AND ar.published < ? {bound}))""",
                (actor_id, as_of + "~", actor_id, as_of + "~")).fetchone()[0]
        return self.conn.execute(
            f"""SELECT (SELECT COUNT(*) FROM (SELECT DISTINCT event_id FROM participants WHERE actor_id = ? {bound}))
                    + (SELECT COUNT(*) FROM (SELECT 1 FROM claims WHERE source_actor_id = ? {bound}))""",
            (actor_id, actor_id)).fetchone()[0]

    def _timeline_events(self, actor_id: int, n: int, as_of: str | None = None) -> list[tuple[str, str | None]]:
        """The first `n` (event id, time value) of an actor in timeline order.

        Two plans: sort the actor's own events (work grows with how many it has), or walk all
        events in time order until `n` of the actor's turn up (work grows with n over the
        share of events it takes part in). The busiest actors take the walk."""
        total = self.conn.execute("SELECT MAX(rowid) FROM events").fetchone()[0] or 0
        enough = int((_WALK_FACTOR * n * total) ** 0.5) + 1  # counting further would only cost time
        mine = self.conn.execute("SELECT COUNT(*) FROM (SELECT 1 FROM participants WHERE actor_id = ? LIMIT ?)",
                                 (actor_id, enough)).fetchone()[0]
        walk = self._has_index("events_time_cover") and mine * mine > _WALK_FACTOR * n * total and not as_of
        order = "ORDER BY e.time_value, ar.seq, e.trigger_start LIMIT ?"
        if not walk:  # with `as_of`, only what was reported by then (report time, not event time)
            known = "AND ar.published < ?" if as_of else ""
            return [tuple(r) for r in self.conn.execute(
                f"""SELECT e.id, e.time_value FROM events e JOIN articles ar ON ar.id = e.article_id
                   WHERE e.id IN (SELECT event_id FROM participants WHERE actor_id = ?) {known}
                   ORDER BY e.time_value IS NULL, e.time_value, ar.seq, e.trigger_start LIMIT ?""",
                (actor_id, *([as_of + "~"] if as_of else []), n))]
        mine_only = "EXISTS (SELECT 1 FROM participants p WHERE p.event_id = e.id AND p.actor_id = ?)"
        rows = [tuple(r) for r in self.conn.execute(
            f"""SELECT e.id, e.time_value FROM events e INDEXED BY events_time_cover
                JOIN articles ar ON ar.id = e.article_id
                WHERE e.time_value IS NOT NULL AND {mine_only} {order}""", (actor_id, n))]
        if len(rows) < n:  # undated events last
            rows += [tuple(r) for r in self.conn.execute(
                f"""SELECT e.id, e.time_value FROM events e INDEXED BY events_time_cover
                    JOIN articles ar ON ar.id = e.article_id
                    WHERE e.time_value IS NULL AND {mine_only} {order}""", (actor_id, n - len(rows)))]
        return rows

    def _timeline_claims(self, actor_id: int, n: int, as_of: str | None = None) -> list[tuple[str, str | None]]:
        """The first `n` (claim id, publication day) of an actor's claims in timeline order."""
        known = "AND ar.published < ?" if as_of else ""
        return [tuple(r) for r in self.conn.execute(
            f"""SELECT c.id, CASE WHEN ar.published != '' THEN substr(ar.published, 1, 10) END AS day
               FROM claims c JOIN articles ar ON ar.id = c.article_id WHERE c.source_actor_id = ? {known}
               ORDER BY day IS NULL, day, ar.seq, c.cue_start LIMIT ?""",
            (actor_id, *([as_of + "~"] if as_of else []), n))]

    def _events_by_id(self, ids: list[str]) -> list[dict[str, Any]]:
        return self._event_details(self._dicts_in(
            """SELECT e.*, ar.published AS article_published, ar.url AS article_url,
                      ar.outlet AS article_outlet
               FROM events e JOIN articles ar ON ar.id = e.article_id
               WHERE e.id IN ({marks})""", ids))

    def _claims_by_id(self, ids: list[str]) -> list[dict[str, Any]]:
        return self._claim_details(self._dicts_in(
            """SELECT c.*, ar.text AS article_text, ar.published AS article_published,
                      ar.published_precision AS article_precision, ar.url AS article_url,
                      a.name AS actor_name, a.country AS actor_country, a.sector AS actor_sector
               FROM claims c JOIN articles ar ON ar.id = c.article_id
               LEFT JOIN actors a ON a.id = c.source_actor_id
               WHERE c.id IN ({marks})""", ids))

    def _dicts_in(self, sql: str, ids: list[str], chunk: int = 500) -> list[dict[str, Any]]:
        """Rows of `sql` whose `{marks}` is filled with placeholders for `ids`, a chunk at a time
        (SQLite bounds the parameters of one statement)."""
        rows: list[dict[str, Any]] = []
        for start in range(0, len(ids), chunk):
            part = ids[start:start + chunk]
            rows += self._dicts(sql.format(marks=",".join("?" * len(part))), part)
        return rows

    def _has_index(self, name: str) -> bool:
        # a read-only store opened before the m011 migration lacks the covering indexes
        return self.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?",
                                 (name,)).fetchone() is not None

    def story(self, story_id: int, *, as_of: str | None = None, claims: bool = True) -> dict[str, Any]:
        """One story with its reports in order, their stances and its status, as known on
        `as_of` (reports published on or before it; all reports when None); with its claims
        over time unless `claims` is False."""
        from .storyline import describe

        if not self.conn.execute("SELECT 1 FROM stories WHERE id = ?", (story_id,)).fetchone():
            raise NotFound(f"no story {story_id}", hint="list them with `newsgraph stories`")
        if as_of:
            check_dates(as_of=as_of)
        return describe(self, story_id, as_of=as_of, claims=claims)

    def graph(self, *, actor: str | None = None, since: str | None = None, until: str | None = None,
              limit: int | None = None) -> dict[str, Any]:
        """The actor graph (or one actor's neighbourhood) as node-link data with weights; with
        `limit`, its heaviest edges and `total_edges`."""
        check_dates(since=since, until=until)
        actor_id = self.resolve_actor(actor)["id"] if actor else None
        data = graph_module.graph(self.conn, actor_id=actor_id, since=since, until=until, limit=limit)
        if actor_id is not None:
            data["actor"] = actor_id
        return data

    def relation(self, a: str, b: str, *, since: str | None = None, until: str | None = None) -> dict[str, Any]:
        """Both directions of one actor pair, month by month."""
        check_dates(since=since, until=until)
        first, second = self.resolve_actor(a), self.resolve_actor(b)
        edges = graph_module.relations(self.conn, actor_id=first["id"], other_id=second["id"], since=since,
                                       until=until)
        return {"actors": [first["name"], second["name"]],
                "forward": edges.get((first["id"], second["id"])),
                "backward": edges.get((second["id"], first["id"]))}

    def _family_id(self, article_id: str) -> str:
        row = self.conn.execute("SELECT family_id FROM family_members WHERE article_id = ?", (article_id,)).fetchone()
        return row[0] if row else article_id

    def search(self, query: str, *, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
        """Full-text search over titles and texts, best match first; every word of `query` must occur."""
        match = fts_query(query)
        if not match:
            return []
        # the page is chosen by rank alone (`rank` is bm25), and only its rows are read and
        # get a snippet: a common word matches most of the store
        rows = self.conn.execute(
            """WITH page AS (SELECT rowid, rank FROM articles_fts WHERE articles_fts MATCH ?
                             ORDER BY rank, rowid LIMIT ? OFFSET ?)
               SELECT a.id, a.title, a.outlet, a.published,
                      snippet(articles_fts, 1, '[', ']', '…', 12) AS snippet, page.rank AS score
               FROM page CROSS JOIN articles_fts ON articles_fts.rowid = page.rowid
               CROSS JOIN articles a ON a.seq = page.rowid
               WHERE articles_fts MATCH ? ORDER BY page.rank, page.rowid""",
            (match, _limit(limit), max(0, offset), match),
        ).fetchall()
        return [dict(row) for row in rows]

    def count_search(self, query: str, *, cap: int | None = None) -> int:
        """How many articles `search` pages through for `query` (see `_count` for `cap`)."""
        match = fts_query(query)
        if not match:
            return 0
        return self._count("FROM articles_fts WHERE articles_fts MATCH ?", [match], cap)


def bounded_total(n: int, cap: int | None = None) -> dict[str, Any]:
    """A listing's total as its answer gives it: `{"total": n}`, or for a count that stopped
    past `cap` (`COUNT_CAP`), `{"total": cap, "total_capped": True}` ("more than `cap`")."""
    cap = COUNT_CAP if cap is None else cap
    return {"total": n} if n <= cap else {"total": cap, "total_capped": True}


def event_json(row: dict[str, Any], parts: list[dict[str, Any]], quantities: list[dict[str, Any]],
               mentions: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The public JSON shape of an event: codes, actors, place, time, quantities, evidence, and
    every mention of it in its article (`mentions`, text order; the evidence is one of them)."""

    def actor(p: dict[str, Any]) -> dict[str, Any]:
        return {"actor_id": p["actor_id"], "name": p["name"], "code": p["code"], "country": p["country"],
                "sector": p["sector"], "span": [p["start"], p["end"]]}

    return {
        "id": row["id"],
        "article": row["article_id"],
        "cameo": {"code": row["cameo"], "root": row["cameo_root"], "name": row["cameo_name"],
                  "goldstein": row["goldstein"], "quad_class": row["quad_class"]},
        "plover": {"type": row["plover_type"], "mode": row["plover_mode"], "context": row["plover_context"]},
        "source": [actor(p) for p in parts if p["role"] == "source"],
        "target": [actor(p) for p in parts if p["role"] == "target"],
        "reciprocal": bool(row["reciprocal"]),
        "main": bool(row.get("main", 1)),
        "mirrored": bool(row.get("mirrored", 0)),
        "place": None if row["place"] is None else {
            "name": row["place"], "country": row["place_country"], "span": [row["place_start"], row["place_end"]]},
        "time": {"value": row["time_value"], "precision": row["time_precision"], "source": row["time_source"],
                 "text": row["time_text"], "mod": row.get("time_mod"),
                 "span": None if row["time_start"] is None else [row["time_start"], row["time_end"]]},
        "quantities": [{"value": q["value"], "unit": q["unit"], "approximate": bool(q["approximate"]),
                        "text": q["text"], "span": [q["start"], q["end"]]} for q in quantities],
        "factuality": {"negated": bool(row["negated"]), "modality": row["modality"],
                       "certainty": row["certainty"], "polarity": row["polarity"], "time": row["tense"],
                       "status": row["status"]},
        "evidence": {"article": row["article_id"], "sentence": row["sentence"],
                     "sentence_span": [row["sentence_start"], row["sentence_end"]],
                     "trigger": row["trigger"], "trigger_span": [row["trigger_start"], row["trigger_end"]],
                     "url": row.get("article_url"), "published": row.get("article_published")},
        "mentions": [_mention_json(m) for m in mentions] if mentions else [_mention_json(row)],
    }


# An event's day: its own date when that names a day, else its article's publication day
EVENT_DAY = ("CASE WHEN e.time_value GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' "
              "THEN substr(e.time_value, 1, 10) ELSE substr(ar.published, 1, 10) END")
# How events sort by date: their own time value when it starts with a year ("2024-02" sorts
# between the days of February and March), else their article's publication day. Not a day
# for SQLite's date functions (a bare "2024" would read as a Julian day number).
_EVENT_SORT_DAY = ("CASE WHEN e.time_value GLOB '[0-9][0-9][0-9][0-9]*' "
                   "THEN substr(e.time_value, 1, 10) ELSE substr(ar.published, 1, 10) END")


def _mention_json(m: dict[str, Any]) -> dict[str, Any]:
    return {"sentence": m["sentence"], "sentence_span": [m["sentence_start"], m["sentence_end"]],
            "trigger": m["trigger"], "trigger_span": [m["trigger_start"], m["trigger_end"]],
            "cameo": m["cameo"], "main": bool(m.get("main", 1))}


_ARTICLE_COLUMNS = (
    "id, title, outlet, url, author, published, published_precision, ingested, language, "
    "extracted, note, original_source, source, previous_version, superseded_by, "
    "(SELECT family_id FROM family_members f WHERE f.article_id = articles.id) AS family"
)


def _actor_where(*, kind: str | None = None, country: str | None = None, name: str | None = None,
                 article: str | None = None, actor_id: int | None = None) -> tuple[str, list[Any]]:
    """The WHERE clause over actors `a` shared by the actor listing and its count."""
    where, params = _where({
        "a.id = ?": actor_id,
        "a.kind = ?": kind,
        "a.country = ?": country.upper() if country else None,
        "a.id IN (SELECT y.actor_id FROM mentions y WHERE y.article_id = ?)": article,
    })
    if name:
        pattern = f"%{escape_like(name)}%"
        where = (where + " AND " if where else "WHERE ") + (
            "(a.name LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM aliases x WHERE x.actor_id = a.id "
            "AND x.alias LIKE ? ESCAPE '\\'))"
        )
        params = [*params, pattern, pattern]
    return where, params


def _event_where(*, actor: str | None = None, country: str | None = None, cameo: str | None = None,
                 plover: str | None = None, since: str | None = None, until: str | None = None,
                 place: str | None = None, article: str | None = None, status: str | None = None,
                 actor_id: int | None = None, lookups: bool = False,
                 correlated: bool = False) -> tuple[str, list[Any]]:
    """The WHERE clause over events `e` shared by the event listing and its count.

    `lookups`: the store has `filter_values` (m019) to find places by substring. `correlated`:
    test each event's participants where it is read (for a walk through events in listing
    order) instead of collecting every event of the matching actors first (for a count)."""
    clauses: list[str] = []
    params: list[Any] = []
    # in a walk, the events' own columns only test each event read: none may pick an index
    e = "+e." if correlated else "e."

    def parties(condition: str, values: list[Any]) -> None:
        if correlated:
            clauses.append(f"EXISTS (SELECT 1 FROM participants p WHERE p.event_id = e.id AND {condition})")
        else:
            clauses.append(f"e.id IN (SELECT p.event_id FROM participants p WHERE {condition})")
        params.extend(values)

    if actor_id is not None:
        parties("p.actor_id = ?", [actor_id])
    if actor:
        parties(f"p.actor_id IN ({_ACTORS_MATCHING})", _actors_matching(actor))
    if country:
        parties("p.country = ?", [country.upper()])
    if cameo:
        clauses.append(f"{e}cameo >= ? AND {e}cameo < ?")  # a code prefix: an index range
        params += [cameo, cameo + "\U0010ffff"]
    if plover:
        clauses.append(f"{e}plover_type = ?")
        params.append(plover.upper())
    check_dates(since=since, until=until)
    if since:
        clauses.append(f"{e}time_value >= ?")  # "2024" sorts before "2024-06": prefixes included
        params.append(since)
    if until:
        clauses.append(f"{e}time_value < ?")  # everything that starts with `until` sorts below it + "~"
        params.append(until + "~")
    if place:
        names = (f"{e}place IN (SELECT value FROM filter_values WHERE kind = 'place' AND value LIKE ? ESCAPE '\\')"
                 if lookups else f"{e}place LIKE ? ESCAPE '\\'")
        clauses.append(f"({names} OR {e}place_country = ?)")
        params += [f"%{escape_like(place)}%", place.upper()]
    if article:
        clauses.append("e.article_id >= ? AND e.article_id < ?")  # a prefix: an index range
        params += _prefix_range(article)
    if status:
        clauses.append(f"{e}status = ?")
        params.append(status)
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


# The actors an `actor` filter means: its id, or a name or alias it is part of
_ACTORS_MATCHING = ("SELECT a.id FROM actors a WHERE a.id = ? OR a.name LIKE ? ESCAPE '\\' "
                    "UNION SELECT actor_id FROM aliases WHERE alias LIKE ? ESCAPE '\\'")


def _actors_matching(actor: str) -> list[Any]:
    pattern = f"%{escape_like(actor)}%"
    return [int(actor) if actor.isdigit() else -1, pattern, pattern]


def _claim_where(*, source: str | None = None, status: str | None = None, event: str | None = None,
                 article: str | None = None, source_id: int | None = None,
                 lookups: bool = False, walk: bool = False) -> tuple[str, list[Any]]:
    """The WHERE clause over claims `c` shared by the claim listing and its count; with
    `lookups` (m019), source descriptions are found by substring among the distinct ones;
    with `walk`, the source and status only test claims read in listing order."""
    clauses: list[str] = []
    params: list[Any] = []
    c = "+c." if walk else "c."
    if source_id is not None:
        clauses.append(f"{c}source_actor_id = ?")
        params.append(source_id)
    if source:
        pattern = f"%{escape_like(source)}%"
        names = (f"{c}source_name IN (SELECT value FROM filter_values WHERE kind = 'claim_source' "
                 "AND value LIKE ? ESCAPE '\\')" if lookups else f"{c}source_name LIKE ? ESCAPE '\\'")
        clauses.append(
            f"({c}source_actor_id = ? OR {names} OR {c}source_actor_id IN "
            "(SELECT actor_id FROM aliases WHERE alias LIKE ? ESCAPE '\\'))"
        )
        params += [int(source) if source.isdigit() else -1, pattern, pattern]
    if status:
        clauses.append(f"{c}status = ?")
        params.append(status)
    if event:
        clauses.append("c.id IN (SELECT claim_id FROM claim_events WHERE event_id = ?)")
        params.append(event)
    if article:
        clauses.append("c.article_id >= ? AND c.article_id < ?")  # a prefix: an index range
        params += _prefix_range(article)
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params
def _cited_columns(claim: Claim) -> tuple[str | None, int | None, int | None]:
    """The cited source's text and span for the claims table (m016), or three NULLs."""
    cited = claim.cited_source
    return (None, None, None) if cited is None else (cited.text, cited.start, cited.end)


def fts_query(query: str) -> str:
    """A safe FTS5 query from user words: each word quoted, so no FTS syntax can be injected."""
    words = re.findall(r"\w[\w'’-]*", query)
    return " ".join('"' + w.replace('"', '""') + '"' for w in words[:32])


def check_dates(**values: str | None) -> None:
    # dates compare as text: `' OR 1=1` would sort before every date and match everything
    for param, value in values.items():
        if value:
            check_date(value, param=param)


def _prefix_range(prefix: str) -> list[str]:
    """The bounds of the ids that start with `prefix` (ids are lower-case hex), so that a
    prefix filter reads an index range instead of testing LIKE on every row."""
    if "\x00" in prefix:
        raise StoreError("a filter value cannot contain a NUL character")
    low = prefix.lower()
    return [low, low + "\U0010ffff"]


def escape_like(text: str) -> str:
    # SQLite's LIKE ends a pattern at a NUL: `%\0%` would match every row
    if "\x00" in text:
        raise StoreError("a filter value cannot contain a NUL character")
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _where(conditions: dict[str, Any]) -> tuple[str, list[Any]]:
    used = [(clause, value) for clause, value in conditions.items() if value is not None]
    if not used:
        return "", []
    return "WHERE " + " AND ".join(c for c, _ in used), [v for _, v in used]


def _limit(limit: int) -> int:
    return max(1, min(int(limit), MAX_LIMIT))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
