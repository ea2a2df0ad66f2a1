"""The store's timeline room: an actor's events and claims in time order (paged without
reading the rest), one story as known on a day, and the actor graph and its relations."""

from __future__ import annotations

from typing import Any

from ..errors import NotFound
from . import clauses
from . import graph as graph_module
from .clauses import bounded_total, check_dates, page_limit
from .queries import Queries

# A timeline walks all events in time order rather than sorting the actor's own when
# (its events)² > this × (page size) × (all events): sorting costs about 4× more per row
# than stepping through the covering time index (measured at 100k and 1M events).
WALK_FACTOR = 0.25


class Timelines(Queries):
    """Reads in time order, and the graph over actors."""

    def timeline(self, actor: str, *, limit: int = 1000, offset: int = 0, as_of: str | None = None) -> dict[str, Any]:
        """An actor's events (as source or target) and claims (as source), in time order;
        with `as_of`, only those reported (published) on or before that day.

        Undated items come last; on one date, events come before claims, each in article
        order. `limit` and `offset` page through that order: the first page is the earliest
        `limit` items, however many the actor has. Only the page's records are read.
        """
        who = self.resolve_actor(actor)
        check_dates(as_of=as_of)
        offset, limit = max(0, offset), page_limit(limit)
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
                **bounded_total(self._timeline_total(who["id"], clauses.COUNT_CAP, as_of))}

    def _timeline_total(self, actor_id: int, cap: int | None, as_of: str | None = None) -> int:
        """How many items the actor's whole timeline has: its events and its claims; with
        `as_of`, only those published by that day; with `cap`, each is counted no further
        than `cap` + 1 (a result above `cap` means "more than")."""
        bound = "" if cap is None else f"LIMIT {int(cap) + 1}"
        if as_of:
            return int(self.conn.execute(
                f"""SELECT (SELECT COUNT(*) FROM (SELECT DISTINCT p.event_id FROM participants p
                            JOIN events e ON e.id = p.event_id JOIN articles ar ON ar.id = e.article_id
                            WHERE p.actor_id = ? AND ar.published < ? {bound}))
                        + (SELECT COUNT(*) FROM (SELECT 1 FROM claims c JOIN articles ar ON ar.id = c.article_id
                           WHERE c.source_actor_id = ? AND ar.published < ? {bound}))""",
                (actor_id, as_of + "~", actor_id, as_of + "~")).fetchone()[0])
        return int(self.conn.execute(
            f"""SELECT (SELECT COUNT(*) FROM (SELECT DISTINCT event_id FROM participants WHERE actor_id = ? {bound}))
                    + (SELECT COUNT(*) FROM (SELECT 1 FROM claims WHERE source_actor_id = ? {bound}))""",
            (actor_id, actor_id)).fetchone()[0])

    def _timeline_events(self, actor_id: int, n: int, as_of: str | None = None) -> list[tuple[str, str | None]]:
        """The first `n` (event id, time value) of an actor in timeline order.

        Two plans: sort the actor's own events (work grows with how many it has), or walk all
        events in time order until `n` of the actor's turn up (work grows with n over the
        share of events it takes part in). The busiest actors take the walk."""
        total = self.conn.execute("SELECT MAX(rowid) FROM events").fetchone()[0] or 0
        enough = int((WALK_FACTOR * n * total) ** 0.5) + 1  # counting further would only cost time
        mine = self.conn.execute("SELECT COUNT(*) FROM (SELECT 1 FROM participants WHERE actor_id = ? LIMIT ?)",
                                 (actor_id, enough)).fetchone()[0]
        walk = self._has_index("events_time_cover") and mine * mine > WALK_FACTOR * n * total and not as_of
        order = "ORDER BY e.time_value, ar.seq, e.trigger_start LIMIT ?"
        if not walk:  # with `as_of`, only what was reported by then (report time, not event time)
            known = "AND ar.published < ?" if as_of else ""
            # the events' times, articles and positions from an index that holds them
            events = "events e INDEXED BY events_id_time" if self._has_index("events_id_time") else "events e"
            return [tuple(r) for r in self.conn.execute(
                f"""SELECT e.id, e.time_value FROM {events} CROSS JOIN articles ar ON ar.id = e.article_id
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
        # each claim's article date and order from the index that holds them, not its row
        articles = ("articles ar INDEXED BY articles_id_published" if self._has_index("articles_id_published")
                    else "articles ar")
        return [tuple(r) for r in self.conn.execute(
            f"""SELECT c.id, CASE WHEN ar.published != '' THEN substr(ar.published, 1, 10) END AS day
               FROM claims c CROSS JOIN {articles} ON ar.id = c.article_id WHERE c.source_actor_id = ? {known}
               ORDER BY day IS NULL, day, ar.seq, c.cue_start LIMIT ?""",
            (actor_id, *([as_of + "~"] if as_of else []), n))]

    def story(self, story_id: int, *, as_of: str | None = None, claims: bool = True) -> dict[str, Any]:
        """One story with its reports in order, their stances and its status, as known on
        `as_of` (reports published on or before it; all reports when None); with its claims
        over time unless `claims` is False."""
        from .storyline import describe

        if not self.conn.execute("SELECT 1 FROM stories WHERE id = ?", (story_id,)).fetchone():
            raise NotFound(f"no story {story_id}", hint="list them with `newsgraph stories`")
        if as_of:
            check_dates(as_of=as_of)
        with graph_module.quiet_gc():  # a busy story's reports and claims are thousands of dicts
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
