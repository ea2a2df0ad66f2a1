"""The store's query room: articles, actors, mentions, events, claims, time expressions,
duplicate families and full-text search, as listings with bounded counts.

A listing whose filters match many rows walks them in its own order until the page is
full; one that matches few reads those by index and sorts them (`clauses.COUNT_CAP` decides).
"""

from __future__ import annotations

from typing import Any

from ..errors import NotFound, StoreError
from ..wording import group_roles
from . import clauses, resolution
from .clauses import (ACTORS_MATCHING, ARTICLE_COLUMNS, CLAIM_SOURCES_LIKE, EVENT_SORT_DAY, actor_where,
                      actors_matching, claim_where, escape_like, event_where, fts_query, page_limit, prefix_range,
                      where_clause)
from .connection import Connection
from .shapes import claim_json, event_json


# How many matches a search ranks at most: the newest ones (in ingest order). Ranking costs
# about a microsecond a match, and a query of common words matches most of a large store;
# its total then reads "more than" this (`clauses.COUNT_CAP`), and its pages end here.
SEARCH_POOL = clauses.COUNT_CAP


# The events at a place (a name that contains the filter, among the distinct ones, or a
# country code), with the same parameters as `event_where`'s place filter: the ids come from
# the two indexes alone, where one OR would read every such event's row
PLACE_IDS = """SELECT id FROM events WHERE place IS NOT NULL AND place IN (
        SELECT value FROM filter_values WHERE kind = 'place' AND value LIKE ? ESCAPE '\\')
    UNION SELECT id FROM events WHERE place_country IS NOT NULL AND place_country = ?"""
# The event filters that `event_where` tests on an event's participants alone
PARTY_FILTERS = ("actor", "actor_id", "country")


def _parties_only(filters: dict[str, Any]) -> bool:
    """Whether every event filter given is one on the event's participants."""
    return clauses.only_filters(filters, PARTY_FILTERS)


class Queries(Connection):
    """Listings and single records, read on the store's connection."""

    def article(self, article_id: str) -> dict[str, Any]:
        """One article with its text and metadata; accepts a unique id prefix."""
        # ids are lower case: a prefix is an index range (LIKE would read every article)
        rows = self.conn.execute(
            f"SELECT {ARTICLE_COLUMNS}, text FROM articles WHERE id >= ? AND id < ? LIMIT 2",
            prefix_range(article_id),
        ).fetchall()
        if not rows and "-" not in article_id and self._has_table("family_members"):
            # the hash part alone (an id quoted from a store made before ids had a day)
            rows = self.conn.execute(
                f"""SELECT {ARTICLE_COLUMNS}, text FROM articles WHERE id IN (
                      SELECT DISTINCT article_id FROM family_members WHERE text_key >= ? AND text_key < ? LIMIT 2)""",
                prefix_range(article_id),
            ).fetchall()
        if not rows:
            raise NotFound(f"no article {article_id!r}", hint=f"list those in {self.path} with `newsgraph articles`")
        if len(rows) > 1:
            raise NotFound(f"{article_id!r} is ambiguous: give more of the article id")
        return dict(rows[0])

    def articles(self, *, language: str | None = None, outlet: str | None = None, order: str = "published",
                 limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        """Articles, latest published first (undated last), or with `order="ingest"` in ingest order."""
        where, params = where_clause({"language = ?": language, "outlet = ?": outlet})
        if order not in ("ingest", "published"):
            raise StoreError(f"unknown order {order!r}: use ingest or published")
        # undated articles sort last in DESC anyway (NULL is smallest): the published index serves it
        by = "seq" if order == "ingest" else "published DESC, seq DESC"
        rows = self.conn.execute(
            f"""SELECT {ARTICLE_COLUMNS},
                  (SELECT COUNT(*) FROM mentions m WHERE m.article_id = articles.id) AS mentions
                FROM articles {where} ORDER BY {by} LIMIT ? OFFSET ?""",
            (*params, page_limit(limit), max(0, offset)),
        ).fetchall()
        return [dict(row) for row in rows]

    def count_articles(self, *, language: str | None = None, outlet: str | None = None,
                       cap: int | None = None) -> int:
        """How many articles `articles` pages through with these filters (see `_count` for `cap`)."""
        where, params = where_clause({"language = ?": language, "outlet = ?": outlet})
        return self._count(f"FROM articles {where}", params, cap)

    def count(self, table: str) -> int:
        if table not in {"articles", "actors", "mentions", "roles", "sentences", "events", "claims", "timexes",
                         "stories"}:
            raise StoreError(f"unknown table {table!r}")
        return int(self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])

    def actors(self, *, kind: str | None = None, country: str | None = None,
               name: str | None = None, article: str | None = None, actor_id: int | None = None,
               limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        """Actors with their mention counts, most mentioned first."""
        where, params = actor_where(kind=kind, country=country, name=name, article=article, actor_id=actor_id)
        if self._has_table("actor_stats"):  # counts kept on write (m019): no count over every mention
            sql = f"""SELECT a.id, a.key, a.name, a.kind, a.country, a.sector, a.place_kind, s.mentions, s.articles
                      FROM actor_stats s JOIN actors a ON a.id = s.actor_id {where}
                      ORDER BY s.mentions DESC, a.name LIMIT ? OFFSET ?"""
        else:
            sql = f"""SELECT a.id, a.key, a.name, a.kind, a.country, a.sector, a.place_kind,
                        COUNT(m.id) AS mentions, COUNT(DISTINCT m.article_id) AS articles
                      FROM actors a JOIN mentions m ON m.actor_id = a.id {where}
                      GROUP BY a.id ORDER BY mentions DESC, a.name LIMIT ? OFFSET ?"""
        rows = self.conn.execute(sql, (*params, page_limit(limit), max(0, offset))).fetchall()
        return [self._actor_details(dict(row)) for row in rows]

    def count_actors(self, *, cap: int | None = None, **filters: Any) -> int:
        """How many actors `actors(**filters)` pages through (those with a mention)."""
        where, params = actor_where(**filters)
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
        where, params = event_where(**filters, lookups=self._has_table("filter_values"))
        # a filter that matches many events: step through them in the listing's order until the
        # page is full; one that matches few: read those by index and sort them
        walk = not where or self._count_events(filters, clauses.COUNT_CAP) > clauses.COUNT_CAP
        if walk and where:
            where, params = event_where(**filters, lookups=self._has_table("filter_values"), correlated=True)
        page = (page_limit(limit), max(0, offset))
        # the page's ids first (the sort holds ids, not rows), then the page's rows
        if order == "date" and walk and self._has_table("event_days"):
            days = "event_days d" + (" CROSS JOIN events e ON e.id = d.event_id" if where else "")
            sql = f"""SELECT d.event_id FROM {days} {where}
                      ORDER BY d.day DESC, d.seq DESC, d.trigger_start LIMIT ? OFFSET ?"""
        elif not walk and self._has_table("event_days") and (_parties_only(filters) or self._place_only(filters)):
            # the matching events' places in either order are in `event_days`, one probe each:
            # neither the events nor their articles are read
            by = "e.seq, e.trigger_start" if order == "article" else "e.day DESC, e.seq DESC, e.trigger_start"
            days = "(SELECT event_id AS id, day, seq, trigger_start FROM event_days) e"
            sql = (f"SELECT e.id FROM ({PLACE_IDS}) u CROSS JOIN {days} ON e.id = u.id" if self._place_only(filters)
                   else f"SELECT e.id FROM {days} {where}") + f" ORDER BY {by} LIMIT ? OFFSET ?"
        else:
            joined = "articles ar CROSS JOIN events e" if walk else "events e CROSS JOIN articles ar"
            by = "ar.seq, e.trigger_start" if order == "article" else \
                f"{EVENT_SORT_DAY} DESC, ar.seq DESC, e.trigger_start"
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
        if self._place_only(filters):
            return f"FROM ({PLACE_IDS}) e", event_where(**filters, lookups=lookups)[1], "1"
        party = next((k for k in ("actor_id", "actor", "country") if filters.get(k)), None)
        if cap is None or party is None:
            where, params = event_where(**filters, lookups=lookups)
            return f"FROM events e {where}", params, "1"
        if party == "actor_id":
            lead, lead_params = "p0.actor_id = ?", [filters["actor_id"]]
        elif party == "actor":
            lead, lead_params = f"p0.actor_id IN ({ACTORS_MATCHING})", actors_matching(filters["actor"])
        else:
            lead, lead_params = "p0.country = ?", [filters["country"].upper()]
        where, params = event_where(**{**filters, party: None}, lookups=lookups, correlated=True)
        if not where:  # the participations alone: their index holds the event ids
            return f"FROM participants p0 WHERE {lead}", lead_params, "DISTINCT p0.event_id"
        where = f"WHERE {lead} AND {where[len('WHERE '):]}"
        return (f"FROM participants p0 CROSS JOIN events e ON e.id = p0.event_id {where}", [*lead_params, *params],
                "DISTINCT e.id")

    def _place_only(self, filters: dict[str, Any]) -> bool:
        """Whether a place is the only event filter, on a store that lists the distinct places
        (m019): its events are a union of two index reads (`PLACE_IDS`)."""
        return clauses.only_filters(filters, ("place",)) and self._has_table("filter_values")

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

    def _events_by_id(self, ids: list[str]) -> list[dict[str, Any]]:
        return self._event_details(self._dicts_in(
            """SELECT e.*, ar.published AS article_published, ar.url AS article_url,
                      ar.outlet AS article_outlet
               FROM events e JOIN articles ar ON ar.id = e.article_id
               WHERE e.id IN ({marks})""", ids))

    def claims(self, *, source: str | None = None, status: str | None = None, event: str | None = None,
               article: str | None = None, source_id: int | None = None, limit: int = 100,
               offset: int = 0) -> list[dict[str, Any]]:
        """Claims matching every given filter, newest article first (undated last).

        `source` matches the source actor's id, name or alias, or the unnamed description
        (`intelligence`); `event` is an event id the claim carries.
        """
        filters: dict[str, Any] = {"source": source, "status": status, "event": event, "article": article,
                                   "source_id": source_id}
        rows, params = self._claim_rows(filters)
        # as for events: walk the articles newest first when the filters match many claims
        given = any(v is not None for v in filters.values())
        walk = not given or self._count(rows, params, clauses.COUNT_CAP) > clauses.COUNT_CAP
        page = (page_limit(limit), max(0, offset))
        if not walk and rows.startswith("FROM (") and self._has_index("articles_id_published"):
            # the source's claims from covering indexes, each article's date from its index
            sql = f"""SELECT c.id {rows} CROSS JOIN articles ar INDEXED BY articles_id_published
                      ON ar.id = c.article_id ORDER BY ar.published DESC, ar.seq, c.cue_start LIMIT ? OFFSET ?"""
        else:
            lookups = self._has_table("filter_values")
            where, params = claim_where(**filters, lookups=lookups, walk=walk and given)
            joined = "articles ar CROSS JOIN claims c" if walk else "claims c CROSS JOIN articles ar"
            # the page's ids first (the sort holds ids, not claims with their article's text)
            sql = f"""SELECT c.id FROM {joined} ON ar.id = c.article_id
                      {where} ORDER BY ar.published DESC, ar.seq, c.cue_start LIMIT ? OFFSET ?"""
        ids = [r[0] for r in self.conn.execute(sql, (*params, *page))]
        found = {c["id"]: c for c in self._claims_by_id(ids)}
        return [found[i] for i in ids]

    def count_claims(self, *, cap: int | None = None, **filters: Any) -> int:
        """How many claims `claims` pages through with these filters (the same keywords)."""
        rows, params = self._claim_rows(filters)
        return self._count(rows, params, cap)

    def _claim_rows(self, filters: dict[str, Any]) -> tuple[str, list[Any]]:
        """`FROM … WHERE …` of the claims `c` that pass `filters`, and its parameters. A source
        alone (by name, description or alias) is a union of three index reads that hold each
        claim's article and position, where one OR would read every claim's row."""
        lookups = self._has_table("filter_values")
        source = str(filters.get("source") or "")
        if not (lookups and clauses.only_filters(filters, ("source",))):
            where, params = claim_where(**filters, lookups=lookups)
            return f"FROM claims c {where}", params
        pattern = f"%{escape_like(source)}%"
        rows = f"""FROM (SELECT id, article_id, cue_start FROM claims WHERE source_actor_id = ?
                         UNION SELECT id, article_id, cue_start FROM claims WHERE source_name IS NOT NULL
                               AND source_name IN ({CLAIM_SOURCES_LIKE})
                         UNION SELECT id, article_id, cue_start FROM claims
                               WHERE source_actor_id IN (SELECT actor_id FROM aliases WHERE alias LIKE ? ESCAPE '\\')) c"""
        return rows, [int(source) if source.isdigit() else -1, pattern, pattern]

    def _claim_details(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Claims in their public shape; contents and events come in one query each."""
        ids = [row["id"] for row in rows]
        contents = self._children(
            "SELECT claim_id, start, end FROM claim_contents WHERE claim_id IN ({marks}) ORDER BY claim_id, position",
            ids)
        events = self._children(
            "SELECT claim_id, event_id FROM claim_events WHERE claim_id IN ({marks}) ORDER BY claim_id, event_id", ids)
        return [claim_json(row, contents.get(row["id"], []), [e["event_id"] for e in events.get(row["id"], [])])
                for row in rows]

    def _claims_by_id(self, ids: list[str]) -> list[dict[str, Any]]:
        return self._claim_details(self._dicts_in(
            """SELECT c.*, ar.text AS article_text, ar.published AS article_published,
                      ar.published_precision AS article_precision, ar.url AS article_url,
                      a.name AS actor_name, a.country AS actor_country, a.sector AS actor_sector
               FROM claims c JOIN articles ar ON ar.id = c.article_id
               LEFT JOIN actors a ON a.id = c.source_actor_id
               WHERE c.id IN ({marks})""", ids))

    def timexes(self, article_id: str) -> list[dict[str, Any]]:
        """The time expressions of one article with their TIMEX3 values."""
        rows = self.conn.execute(
            """SELECT start, end, text, type, value, precision, mod, anchored, range_start, range_end
               FROM timexes WHERE article_id = ? ORDER BY position""", (article_id,)
        ).fetchall()
        return [dict(r) for r in rows]

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

    def _family_id(self, article_id: str) -> str:
        row = self.conn.execute("SELECT family_id FROM family_members WHERE article_id = ?", (article_id,)).fetchone()
        return row[0] if row else article_id

    def search(self, query: str, *, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
        """Full-text search over titles and texts, best match first; every word of `query` must
        occur. Of a query that matches more than `SEARCH_POOL` articles, the newest
        `SEARCH_POOL` matches are ranked (and paged through)."""
        match = fts_query(query)
        if not match:
            return []
        # the newest matches' lowest rowid: one step back through the doclist, no ranking
        floor = self.conn.execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?",
            (match, max(1, SEARCH_POOL) - 1)).fetchone()
        # the page is chosen by rank alone (`rank` is bm25), and only its rows are read and
        # get a snippet: a common word matches most of the store
        rows = self.conn.execute(
            """WITH page AS (SELECT rowid, rank FROM articles_fts WHERE articles_fts MATCH ? AND rowid >= ?
                             ORDER BY rank, rowid LIMIT ? OFFSET ?)
               SELECT a.id, a.title, a.outlet, a.published,
                      snippet(articles_fts, 1, '[', ']', '…', 12) AS snippet, page.rank AS score
               FROM page CROSS JOIN articles_fts ON articles_fts.rowid = page.rowid
               CROSS JOIN articles a ON a.seq = page.rowid
               WHERE articles_fts MATCH ? ORDER BY page.rank, page.rowid""",
            (match, floor[0] if floor else 0, page_limit(limit), max(0, offset), match),
        ).fetchall()
        return [dict(row) for row in rows]

    def count_search(self, query: str, *, cap: int | None = None) -> int:
        """How many articles `search` pages through for `query` (see `_count` for `cap`)."""
        match = fts_query(query)
        if not match:
            return 0
        return self._count("FROM articles_fts WHERE articles_fts MATCH ?", [match], cap)
