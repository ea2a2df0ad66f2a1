"""The store's actor room: actor resolution as records are written (each extraction key to
one stored actor, new people resolved against those already known), re-keying records when
a key moves to another actor, and each actor's derived name, country, sector and place kind.

Resolution runs inside the write, not after it: an article's mentions, roles and events
need their actors' ids. What resolution can only decide later (a surname met before the
full name) `resolve_pending` joins after a batch.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..types import Actor, ArticleRecords
from . import graph as graph_module
from . import resolution, steps
from .timeline import Timelines


class ActorUpkeep(Timelines):
    """Stored actors kept in step with the records that name them."""

    def _actor_ids(self, records: ArticleRecords) -> dict[str, int]:
        """The store's actor id for each of an article's actor keys, resolving new people
        against the actors already known (see `newsgraph.store.resolution`)."""
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
        return int(row[0])

    def _reassign(self, keys: set[str], *, kind: str | None = None) -> None:
        """Point every record of the extraction keys `keys` at the actor each key belongs to now;
        the derivations follow (`steps.ON_REKEY`), then the actors left behind are settled."""
        touched: set[int] = set()
        with steps.rekeying(self, keys):
            for key in keys:
                row = self.conn.execute(f"SELECT actor_id FROM actor_facts WHERE {resolution.rows_of_key('actor_facts')}"
                                        " LIMIT 1", {"key": key}).fetchone()
                if row is None:
                    continue
                old = self.conn.execute("SELECT name, kind FROM actors WHERE id = ?", (row[0],)).fetchone()
                target = resolution.canonical(self.conn, key)
                new_id = self._upsert_actor(target, old[0] if old else key, kind or (old[1] if old else "person"))
                touched |= {row[0], new_id}
                for table, column in resolution.KEYED_TABLES:
                    id_column = resolution.ID_COLUMN.get(table, "actor_id")
                    of_key, params = resolution.rows_of_key(table, column), {"id": new_id, "key": key}
                    self.conn.execute(f"UPDATE OR IGNORE {table} SET {id_column} = :id WHERE {of_key}", params)
                    if table in ("aliases", "actor_facts"):  # rows that collided with the target's own
                        self.conn.execute(f"DELETE FROM {table} WHERE {of_key} AND actor_id != :id", params)
        self._settle_actors(touched)

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
                f"""SELECT DISTINCT m2.actor_key FROM mentions m1 JOIN mentions m2 ON m2.article_id = m1.article_id
                   WHERE {resolution.rows_of_key('mentions', alias='m1')} AND m2.actor_key != :key""", {"key": key})}
            aliases = [r[0] for r in self.conn.execute(
                f"SELECT alias FROM aliases WHERE {resolution.rows_of_key('aliases')}", {"key": key})]
            link = resolution.resolve_person(self.conn, key, name, context=context, aliases=aliases)
            if link is not None:
                with self.atomic():
                    resolution.add_link(self.conn, key, link)
                    self._reassign(resolution.member_keys(self.conn, key) | {key})
                joined += 1
        return joined

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

    def _derive_actors(self, actor_ids: Iterable[int]) -> None:
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
            with steps.RELATIONS.following(self.conn, graph_module.articles_of_actors(self.conn, actor_ids=[actor_id])):
                self.conn.execute("UPDATE participants SET actor_id = NULL WHERE actor_id = ?", (actor_id,))
            self.conn.execute("UPDATE claims SET source_actor_id = NULL WHERE source_actor_id = ?", (actor_id,))
            for table in ("actor_facts", "roles", "aliases"):
                self.conn.execute(f"DELETE FROM {table} WHERE actor_id = ?", (actor_id,))
            self.conn.execute("DELETE FROM actors WHERE id = ?", (actor_id,))
        self._derive_actors(actor_ids - set(gone))
        return len(gone)
