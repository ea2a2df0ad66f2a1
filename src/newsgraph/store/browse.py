"""Reading the store as an analyst browses it: indexes with facets, totals and pages,
weekly activity, event places and the strongest relations around an actor or a story.

    from newsgraph.store.browse import actor_index, story_index
    found = actor_index(store, kind="person", sort="name", limit=50, offset=100)
    found["total"], found["facets"]["country"], found["items"][0]["first_seen"]

Every function reads a bounded page or an aggregate; none returns a row per mention.
Every statement is parameterised; dates are checked before they reach SQL.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from . import graph as graph_module
from . import storyline
from ..errors import StoreError
from . import COUNT_CAP, EVENT_DAY, MAX_LIMIT, Store, bounded_total, check_dates, escape_like
from .clauses import code_range, only_filters
from .stories import roots_grouped_with

ACTOR_SORTS = ("mentions", "name", "first_seen", "last_seen")
STORY_SORTS = ("sources", "recent")
ACTOR_FACETS = ("kind", "country", "sector")
# How many values a facet lists: the most frequent ones
FACET_VALUES = 40
# The Monday that starts the week of a day (SQLite: `weekday 1` moves forward to a Monday)
# of a full day only: SQLite reads a bare year ("2024", a year-precision date) as a Julian day number
_WEEK = ("CASE WHEN {day} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' "
         "THEN date(substr({day}, 1, 10), '-6 days', 'weekday 1') END")


# Aggregates over the whole store (every story's sources, every actor's mentions) kept per
# process until the store changes: most requests of a browsing session read them unchanged
_CACHE: OrderedDict[tuple, tuple[tuple, Any]] = OrderedDict()
_CACHE_SIZE = 64
_CACHE_LOCK = threading.Lock()


def _store_state(store: Store) -> tuple:
    """What changes when anything writes to the store: the database and WAL files' sizes and
    modification times (every commit appends to the WAL; a checkpoint rewrites the database)."""
    state: list[tuple[int, int] | None] = []
    for path in (store.path, f"{store.path}-wal"):
        try:
            stat = os.stat(path)
            state.append((stat.st_size, stat.st_mtime_ns))
        except OSError:
            state.append(None)
    return tuple(state)


def _cached(store: Store, key: tuple, compute: Callable[[], Any]) -> Any:
    """`compute()`, or its last result for this store and `key` while the store is unchanged."""
    if store.path == ":memory:":
        return compute()
    full_key, state = (os.path.abspath(store.path), *key), _store_state(store)
    with _CACHE_LOCK:
        hit = _CACHE.get(full_key)
        if hit is not None and hit[0] == state:
            _CACHE.move_to_end(full_key)
            return hit[1]
    value = compute()
    with _CACHE_LOCK:
        _CACHE[full_key] = (state, value)
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return value


def _page(limit: int, offset: int) -> tuple[int, int]:
    return max(1, min(int(limit), MAX_LIMIT)), max(0, int(offset))


def _until(value: str) -> str:
    # everything that starts with `until` sorts below it + "~": 2024-06 includes 2024-06-30
    return value + "~"


def _date_range(day: str, since: str | None, until: str | None) -> tuple[list[str], list[Any]]:
    """Clauses and parameters that keep the rows whose `day` (an SQL expression giving a
    YYYY[-MM[-DD]] text) falls within `since` and `until`, both optional and inclusive."""
    clauses: list[str] = []
    params: list[Any] = []
    if since:
        clauses.append(f"{day} >= ?")
        params.append(since)
    if until:
        clauses.append(f"{day} < ?")
        params.append(_until(until))
    return clauses, params


# -- actors -------------------------------------------------------------------------------------


def actor_index(store: Store, *, kind: str | None = None, country: str | None = None, sector: str | None = None,
                name: str | None = None, min_mentions: int | None = None, max_mentions: int | None = None,
                since: str | None = None, until: str | None = None, sort: str = "mentions",
                limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """A page of actors with their mentions, articles and first and last dates seen.

    With `since`/`until` only mentions in articles published in that range count. Facets
    give, for kind, country and sector, how many actors each value has among those that
    pass every *other* filter, so a user sees what choosing another value would give.

    Returns:
        `{"items": [...], "total": int, "facets": {"kind": [(value, n), ...], ...}}`.
    """
    if sort not in ACTOR_SORTS:
        raise StoreError(f"unknown sort {sort!r}: use one of {', '.join(ACTOR_SORTS)}")
    check_dates(since=since, until=until)
    limit, offset = _page(limit, offset)
    rows = _cached(store, ("actors", name, since, until), lambda: _actor_rows(store, name=name, since=since,
                                                                                until=until))
    low, high = min_mentions or 0, max_mentions if max_mentions is not None else float("inf")
    rows = [r for r in rows if low <= r["mentions"] <= high]
    chosen = {"kind": kind, "country": country.upper() if country else None, "sector": sector}
    facets = {facet: _facet(rows, facet, chosen) for facet in ACTOR_FACETS}
    rows = [r for r in rows if all(v is None or r[f] == v for f, v in chosen.items())]
    _sort_actors(rows, sort)
    return {"items": rows[offset:offset + limit], "total": len(rows), "facets": facets}


def _sort_actors(rows: list[dict[str, Any]], sort: str) -> None:
    rows.sort(key=lambda r: (r["name"].casefold(), r["id"]))
    if sort == "mentions":
        rows.sort(key=lambda r: r["mentions"], reverse=True)
    elif sort == "first_seen":  # earliest first, never-dated last
        rows.sort(key=lambda r: (r["first_seen"] is None, r["first_seen"] or ""))
    elif sort == "last_seen":  # most recently seen first; never-dated ("") last
        rows.sort(key=lambda r: r["last_seen"] or "", reverse=True)


def _actor_rows(store: Store, *, name: str | None, since: str | None, until: str | None) -> list[dict[str, Any]]:
    clauses, params = _date_range("ar.published", since, until)
    if name:
        pattern = f"%{escape_like(name)}%"
        clauses.append("(a.name LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM aliases x WHERE x.actor_id = a.id "
                       "AND x.alias LIKE ? ESCAPE '\\'))")
        params += [pattern, pattern]
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    return store._dicts(
        f"""SELECT a.id, a.name, a.kind, a.country, a.sector, COUNT(*) AS mentions,
                   COUNT(DISTINCT m.article_id) AS articles,
                   substr(MIN(NULLIF(ar.published, '')), 1, 10) AS first_seen,
                   substr(MAX(NULLIF(ar.published, '')), 1, 10) AS last_seen
            FROM mentions m JOIN actors a ON a.id = m.actor_id JOIN articles ar ON ar.id = m.article_id
            {where} GROUP BY a.id""", params)


def _facet(rows: list[dict[str, Any]], facet: str, chosen: dict[str, str | None]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for r in rows:
        if all(v is None or r[f] == v for f, v in chosen.items() if f != facet):
            counts[r[facet] or ""] = counts.get(r[facet] or "", 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:FACET_VALUES]


# -- stories ------------------------------------------------------------------------------------


def stories(store: Store, *, actor: str | None = None, cameo: str | None = None, min_sources: int = 1,
            as_of: str | None = None, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    """Stories (one real-world event across articles), most independently reported first;
    `actor` by id, name or alias; with `as_of`, as known on that day."""
    actor_id = store.resolve_actor(actor)["id"] if actor else None
    return story_index(store, actor_id=actor_id, cameo=cameo, min_sources=min_sources, as_of=as_of,
                       limit=limit, offset=offset)["items"]


def count_stories(store: Store, *, actor: str | None = None, cameo: str | None = None, min_sources: int = 1,
                  cap: int | None = None, as_of: str | None = None) -> int:
    """How many stories `stories` pages through with these filters (with `cap`, counting stops past it)."""
    actor_id = store.resolve_actor(actor)["id"] if actor else None
    return story_count(store, actor_id=actor_id, cameo=cameo, min_sources=min_sources, cap=cap, as_of=as_of)


def story_index(store: Store, *, actor_id: int | None = None, plover: str | None = None, cameo: str | None = None,
                since: str | None = None, until: str | None = None, min_sources: int = 1,
                status: str | None = None, as_of: str | None = None, sort: str = "sources", limit: int = 50,
                offset: int = 0) -> dict[str, Any]:
    """A page of stories, most independently reported first (or most recent first).

    Filters keep a story when one of its event mentions matches (`status` is an event
    mention's factuality status; dates are event days, or publication days for undated
    events); the independent-source count is over all of the story's articles. Only the
    page's stories are described. With `as_of`, only reports published on or before that
    day count (stories nobody had reported then are left out) and each story is described as
    known on that day.

    Returns:
        `{"items": [story, ...], "total": int}` with each story's summary
        (`storyline.summary_of`); past `COUNT_CAP` stories the total is that cap, with
        `"total_capped": True`.
    """
    limit, offset = _page(limit, offset)
    filters = {"actor_id": actor_id, "plover": plover, "cameo": cameo, "since": since, "until": until,
               "status": status}
    if as_of or not store._has_table("story_stats"):
        # as known on a day, counted from the reports published by then (m019's counts are
        # today's); or a read-only store from before m019
        rows = _matching_stories(store, sort, min_sources, **filters, as_of=as_of)
        page = [r[0] for r in rows[offset:offset + limit]]
        return {"items": describe_stories(store, page, as_of=as_of), "total": len(rows)}
    _check_sort(sort)
    check_dates(since=since, until=until)
    total = _count_stories(store, min_sources, filters, cap=COUNT_CAP)
    page = _story_page(store, sort, min_sources, filters, walk=total > COUNT_CAP, limit=limit, offset=offset)
    return {"items": describe_stories(store, page), **bounded_total(total, COUNT_CAP)}


def describe_stories(store: Store, ids: list[int], *, as_of: str | None = None) -> list[dict[str, Any]]:
    """The stories with these ids as a listing shows them (`storyline.summary_of`): each
    with its parties, status and sources as known on `as_of`; its reports, events and claims
    over time are on its own page. Today's summaries are read as stored."""
    return storyline.summaries(store, ids, as_of=as_of)


def story_count(store: Store, *, actor_id: int | None = None, cameo: str | None = None,
                min_sources: int = 1, cap: int | None = None, as_of: str | None = None) -> int:
    """How many stories `story_index` pages through with these filters, describing none
    (with `cap`, counting stops past `cap`)."""
    filters = {"actor_id": actor_id, "plover": None, "cameo": cameo, "since": None, "until": None, "status": None}
    if as_of or not store._has_table("story_stats"):
        return len(_matching_stories(store, "sources", min_sources, **filters, as_of=as_of))
    return _count_stories(store, min_sources, filters, cap=cap)


# Stories in each listing order, from the counts kept on write (m019)
_STORY_ORDER = {"sources": "st.sources DESC, st.articles DESC, st.story_id",
                "recent": "st.day DESC, st.sources DESC, st.story_id"}


def _count_stories(store: Store, min_sources: int, filters: dict[str, Any], *, cap: int | None) -> int:
    """How many stories with `min_sources` independent sources have an event that passes `filters`."""
    inner, params = _story_event_filters(**filters, correlated=False, driven=True)
    bound = "" if cap is None else f"LIMIT {int(cap) + 1}"
    if _actor_only(store, filters):
        sql = f"""SELECT 1 FROM story_actors sa JOIN story_stats st ON st.story_id = sa.story_id
                  WHERE sa.actor_id = ? AND st.sources >= ? {bound}"""
        return store.conn.execute(f"SELECT COUNT(*) FROM ({sql})",
                                  (filters["actor_id"], max(1, min_sources))).fetchone()[0]
    if _code_only(store, filters):  # a code's stories, each once (a prefix spans several codes)
        sources = "" if min_sources <= 1 else "JOIN story_stats st ON st.story_id = sc.story_id AND st.sources >= ?"
        sql = f"""SELECT DISTINCT sc.story_id FROM story_codes sc {sources}
                  WHERE sc.cameo >= ? AND sc.cameo < ? {bound}"""
        params = ([] if min_sources <= 1 else [min_sources]) + code_range(filters["cameo"])
        return store.conn.execute(f"SELECT COUNT(*) FROM ({sql})", params).fetchone()[0]
    if not inner:
        sql = f"SELECT 1 FROM story_stats st WHERE st.sources >= ? {bound}"
        return store.conn.execute(f"SELECT COUNT(*) FROM ({sql})", (max(1, min_sources),)).fetchone()[0]
    # from the matching events (an actor's participations, or their filter's index) to their
    # stories, each once, stopping past the cap
    if min_sources <= 1:  # every story has a source: its sources need not be read
        sql = f"SELECT DISTINCT s2.story_id FROM {_story_events_from(filters)} WHERE {' AND '.join(inner)} {bound}"
        return store.conn.execute(f"SELECT COUNT(*) FROM ({sql})", params).fetchone()[0]
    sql = f"""SELECT DISTINCT s2.story_id FROM {_story_events_from(filters)}
              JOIN story_stats st ON st.story_id = s2.story_id
              WHERE {' AND '.join(inner)} AND st.sources >= ? {bound}"""
    return store.conn.execute(f"SELECT COUNT(*) FROM ({sql})", (*params, max(1, min_sources))).fetchone()[0]


def _story_events_from(filters: dict[str, Any]) -> str:
    """The FROM clause of story events `s2`, their events `e2` and articles `ar2` that
    `_story_event_filters` tests: led by an actor's participations when it names one."""
    events = "events e2 JOIN story_events s2 ON s2.event_id = e2.id"
    if filters["actor_id"] is not None:  # pa.actor_id = ? is the first condition
        events = ("participants pa CROSS JOIN events e2 ON e2.id = pa.event_id "
                  "JOIN story_events s2 ON s2.event_id = e2.id")
    return events + (" JOIN articles ar2 ON ar2.id = e2.article_id" if filters["since"] or filters["until"] else "")


def _story_page(store: Store, sort: str, min_sources: int, filters: dict[str, Any], *, walk: bool,
                limit: int, offset: int) -> list[int]:
    """The ids of a page of stories. When the filters match many stories (`walk`), the stories
    are read in listing order and each tested until the page is full; else the few that match
    are collected by the filters' indexes and sorted."""
    roots = roots_grouped_with(filters["cameo"][:2]) if filters["cameo"] and len(filters["cameo"]) >= 2 else []
    if walk and sort == "sources" and (len(roots) > 1 or roots and _code_only(store, filters)):
        return _story_page_by_root(store, min_sources, filters, roots, limit=limit, offset=offset)
    inner, params = _story_event_filters(**filters, correlated=walk, driven=not walk)
    where: list[str] = ["st.sources >= ?"]
    first: list[Any] = [max(1, min_sources)]
    if roots:  # only stories of the code's root group can match
        where.append(f"st.cameo_root IN ({', '.join('?' * len(roots))})")
        first += roots
    if _actor_only(store, filters):  # one index entry per story tells whether the actor is in it
        where.append("EXISTS (SELECT 1 FROM story_actors sa WHERE sa.actor_id = ? AND sa.story_id = st.story_id)"
                     if walk else "st.story_id IN (SELECT sa.story_id FROM story_actors sa WHERE sa.actor_id = ?)")
        params = [filters["actor_id"]]
    elif _code_only(store, filters):  # and so do the story's codes
        where.append(_CODE_TEST if walk else "st.story_id IN (SELECT sc.story_id FROM story_codes sc "
                                             "WHERE sc.cameo >= ? AND sc.cameo < ?)")
        params = code_range(filters["cameo"])
    elif inner and walk:
        dated = " JOIN articles ar2 ON ar2.id = e2.article_id" if filters["since"] or filters["until"] else ""
        where.append(f"""EXISTS (SELECT 1 FROM story_events s2 JOIN events e2 ON e2.id = s2.event_id{dated}
                         WHERE s2.story_id = st.story_id AND {' AND '.join(inner)})""")
    elif inner:
        where.append(f"st.story_id IN (SELECT s2.story_id FROM {_story_events_from(filters)} "
                     f"WHERE {' AND '.join(inner)})")
    return [r[0] for r in store.conn.execute(
        f"""SELECT st.story_id FROM story_stats st WHERE {' AND '.join(where)}
            ORDER BY {_STORY_ORDER[sort]} LIMIT ? OFFSET ?""", (*first, *params, limit, offset))]


# Whether a story has an event whose code starts with a prefix: one probe of `story_codes` (m021)
_CODE_TEST = ("EXISTS (SELECT 1 FROM story_codes sc WHERE sc.story_id = st.story_id "
              "AND sc.cameo >= ? AND sc.cameo < ?)")


def _code_only(store: Store, filters: dict[str, Any]) -> bool:
    """Whether a CAMEO code is the only filter on a story's events, so that the stories'
    codes (`story_codes`, m021) answer it."""
    return only_filters(filters, ("cameo",)) and store._has_table("story_codes")


def _actor_only(store: Store, filters: dict[str, Any]) -> bool:
    """Whether an actor is the only filter on a story's events, so that the stories it is in
    (`story_actors`, m020) answer it; with another filter, one event must pass both."""
    return only_filters(filters, ("actor_id",)) and store._has_table("story_actors")


def _story_page_by_root(store: Store, min_sources: int, filters: dict[str, Any], roots: list[str], *,
                        limit: int, offset: int) -> list[int]:
    """A walk of the stories of several CAMEO roots (18 and 19 share stories), most sources
    first: one walk per root in its index's order, merged. A walk of them all at once would
    sort every story of the roots first. Once one root fills the page, a later root's walk
    stops below the page's fewest sources."""
    inner, params = _story_event_filters(**filters, correlated=True)
    test = ("" if not inner else
            f"""AND EXISTS (SELECT 1 FROM story_events s2 JOIN events e2 ON e2.id = s2.event_id
                {' JOIN articles ar2 ON ar2.id = e2.article_id' if filters['since'] or filters['until'] else ''}
                WHERE s2.story_id = st.story_id AND {' AND '.join(inner)})""")
    if _code_only(store, filters):
        test, params = f"AND {_CODE_TEST}", code_range(filters["cameo"])
    wanted, fewest = offset + limit, max(1, min_sources)
    rows: list[tuple[int, int, int]] = []
    for root in roots:
        found = _few_of_root(store, filters, root, fewest) if _code_only(store, filters) else None
        if found is None:
            found = store.conn.execute(
                f"""SELECT st.story_id, st.sources, st.articles FROM story_stats st
                    WHERE st.cameo_root = ? AND st.sources >= ? {test}
                    ORDER BY {_STORY_ORDER['sources']} LIMIT ?""", (root, fewest, *params, wanted)).fetchall()
        found = found[:wanted]
        rows += [tuple(r) for r in found]
        if len(found) == wanted:
            fewest = max(fewest, found[-1][1])
    rows.sort(key=lambda r: (-r[1], -r[2], r[0]))
    return [r[0] for r in rows[offset:offset + limit]]


# Up to how many stories of one root with a code are read and sorted; past it, a walk
# through the root's stories in listing order finds the page sooner
FEW_OF_ROOT = 500


def _few_of_root(store: Store, filters: dict[str, Any], root: str, fewest: int) -> list[tuple] | None:
    """The stories of `root` with the filter's code (and `fewest` sources), most sources
    first, when there are at most `FEW_OF_ROOT` of them; else None. A root that shares
    stories with the code's root (18 and 19) mostly has none or few: no walk through all its
    stories to find them."""
    low, high = code_range(filters["cameo"])
    # the codes in the range, each found by one seek; then each code's stories of this root
    ids = [r[0] for r in store.conn.execute(
        """WITH RECURSIVE codes(cameo) AS (
               SELECT MIN(cameo) FROM story_codes WHERE cameo >= ? AND cameo < ?
               UNION ALL SELECT (SELECT MIN(cameo) FROM story_codes WHERE cameo > codes.cameo AND cameo < ?)
               FROM codes WHERE codes.cameo IS NOT NULL)
           SELECT DISTINCT sc.story_id FROM codes CROSS JOIN story_codes sc
           ON sc.cameo = codes.cameo AND sc.story_root = ? LIMIT ?""", (low, high, high, root, FEW_OF_ROOT + 1))]
    if len(ids) > FEW_OF_ROOT:
        return None
    found = store._dicts_in("SELECT story_id, sources, articles FROM story_stats WHERE story_id IN ({marks})", ids)
    return sorted(((r["story_id"], r["sources"], r["articles"]) for r in found if r["sources"] >= fewest),
                  key=lambda r: (-r[1], -r[2], r[0]))


def _story_event_filters(*, actor_id, plover, cameo, since, until, status, correlated: bool,
                         driven: bool = False) -> tuple[list[str], list[Any]]:
    """Conditions on a story's event `e2` (of article `ar2`) that every filter given holds:
    `correlated` tests each event read (a walk through stories), `driven` reads the events
    from the actor's participations `pa` (see `_story_events_from`)."""
    inner, params = [], []
    if actor_id is not None:
        inner.append("pa.actor_id = ?" if driven else
                     "EXISTS (SELECT 1 FROM participants p WHERE p.event_id = e2.id AND p.actor_id = ?)")
        params.append(actor_id)
    e = "+e2." if correlated else "e2."  # in a walk the event's columns test it, never pick an index
    if plover:
        inner.append(f"{e}plover_type = ?")
        params.append(plover.upper())
    if cameo:
        inner.append(f"{e}cameo >= ? AND {e}cameo < ?")  # a code prefix: an index range
        params += code_range(cameo)
    if status:
        inner.append(f"{e}status = ?")
        params.append(status)
    dated, dates = _date_range(EVENT_DAY.replace("e.", "e2.").replace("ar.", "ar2."), since, until)
    return inner + dated, params + dates


def _check_sort(sort: str) -> None:
    if sort not in STORY_SORTS:
        raise StoreError(f"unknown sort {sort!r}: use one of {', '.join(STORY_SORTS)}")


def _matching_stories(store: Store, sort: str, min_sources: int, **filters: Any) -> list[tuple]:
    """The rows of `_story_rows` (cached until the store changes) with enough independent sources."""
    _check_sort(sort)
    check_dates(since=filters["since"], until=filters["until"], as_of=filters["as_of"])
    key = ("stories", *(filters[k] for k in ("actor_id", "plover", "cameo", "since", "until", "status", "as_of")),
           sort)
    rows = _cached(store, key, lambda: _story_rows(store, sort, **filters))
    return [r for r in rows if r[1] >= max(1, min_sources)]


def _story_rows(store: Store, sort: str, **filters: Any) -> list[tuple]:
    """(story id, independent sources, articles[, latest day]) of every story that passes
    `filters`, in the order of `sort`."""
    as_of = filters.pop("as_of")
    clauses, params = _story_filters(**filters)
    if as_of:  # reports nobody had published by then do not count
        clauses.append("ar.published < ?")
        params.append(_until(as_of))
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    if sort == "sources":
        day, order = "", "sources DESC, articles DESC, se.story_id"
    else:  # the latest day needs each event's article: only this order pays for it
        day, order = f", MAX({EVENT_DAY}) AS day", "day DESC, sources DESC, se.story_id"
    join = "JOIN articles ar ON ar.id = e.article_id" if day or as_of else ""
    sql = f"""SELECT se.story_id, COUNT(DISTINCT COALESCE(f.family_id, e.article_id)) AS sources,
                     COUNT(DISTINCT e.article_id) AS articles {day}
              FROM story_events se JOIN events e ON e.id = se.event_id {join}
              LEFT JOIN family_members f ON f.article_id = e.article_id
              {where} GROUP BY se.story_id ORDER BY {order}"""
    if _has_joined_articles(store):
        # the story's articles: those of its events, and those joined by their text alone
        members = """(SELECT se.story_id, e.article_id, e.time_value FROM story_events se
                      JOIN events e ON e.id = se.event_id
                      UNION ALL SELECT story_id, article_id, NULL FROM story_articles) m"""
        sql = (sql.replace("story_events se JOIN events e ON e.id = se.event_id", "{members}")
               .replace("se.story_id", "m.story_id").replace("e.article_id", "m.article_id")
               .replace("e.time_value", "m.time_value").replace("{members}", members))
    return [tuple(r) for r in store.conn.execute(sql, params)]


def _has_joined_articles(store: Store) -> bool:
    """Whether any article joined a story by its text (a store before m017 has none)."""
    try:
        return store.conn.execute("SELECT 1 FROM story_articles LIMIT 1").fetchone() is not None
    except sqlite3.OperationalError:
        return False


def _story_filters(*, actor_id, plover, cameo, since, until, status) -> tuple[list[str], list[Any]]:
    """Clauses that keep a story when one of its events passes every filter."""
    inner, params = _story_event_filters(actor_id=actor_id, plover=plover, cameo=cameo, since=since, until=until,
                                         status=status, correlated=False)
    if not inner:
        return [], []
    return [f"""se.story_id IN (SELECT s2.story_id FROM story_events s2 JOIN events e2 ON e2.id = s2.event_id
                JOIN articles ar2 ON ar2.id = e2.article_id WHERE {' AND '.join(inner)})"""], params


# -- activity and places ------------------------------------------------------------------------


def _scope(*, actor_id: int | None = None, pair: tuple[int, int] | None = None,
           story_id: int | None = None) -> tuple[str, list[Any]]:
    """The clause that picks the events of an actor, an actor pair (either direction) or a story."""
    if pair is not None:
        return ("""e.id IN (SELECT s.event_id FROM participants s JOIN participants t ON t.event_id = s.event_id
                   WHERE s.actor_id = ? AND t.actor_id = ? AND s.role != t.role)""", list(pair))
    if story_id is not None:
        return "e.id IN (SELECT event_id FROM story_events WHERE story_id = ?)", [story_id]
    if actor_id is not None:
        return "e.id IN (SELECT event_id FROM participants WHERE actor_id = ?)", [actor_id]
    raise StoreError("give an actor, an actor pair or a story")


def activity(store: Store, **scope: Any) -> list[dict[str, Any]]:
    """Events per week by CAMEO quad class, and the claims of the same scope per week.

    Scope: `actor_id=` (its events, and claims it makes), `pair=(a, b)` (events between
    them, and claims either makes about an event between them) or `story_id=` (the story's
    events, and claims that carry one of them).

    Returns:
        Weeks in time order: `{"week": "YYYY-MM-DD" (a Monday), "quads": {1: n, ... 4: n},
        "claims": n}`; weeks with nothing are left out.
    """
    clause, params = _scope(**scope)
    week = _WEEK.format(day=EVENT_DAY)
    weeks: dict[str, dict[str, Any]] = {}
    for when, quad, n in store.conn.execute(
            f"""SELECT {week} AS week, e.quad_class, COUNT(*) FROM events e
                JOIN articles ar ON ar.id = e.article_id WHERE {clause} AND week IS NOT NULL
                GROUP BY week, e.quad_class""", params):
        weeks.setdefault(when, {"week": when, "quads": {1: 0, 2: 0, 3: 0, 4: 0}, "claims": 0})
        if quad in (1, 2, 3, 4):
            weeks[when]["quads"][quad] += n
    claim_sql, claim_params = _claims_scope(clause, params, scope)
    for when, n in store.conn.execute(claim_sql, claim_params):
        weeks.setdefault(when, {"week": when, "quads": {1: 0, 2: 0, 3: 0, 4: 0}, "claims": 0})["claims"] += n
    return [weeks[w] for w in sorted(weeks)]


def _claims_scope(clause: str, params: list[Any], scope: dict[str, Any]) -> tuple[str, list[Any]]:
    week = _WEEK.format(day="substr(ar.published, 1, 10)")
    if scope.get("actor_id") is not None and scope.get("pair") is None:
        where, values = "c.source_actor_id = ?", [scope["actor_id"]]
    else:
        where, values = f"c.id IN (SELECT ce.claim_id FROM claim_events ce JOIN events e ON e.id = ce.event_id " \
                        f"WHERE {clause})", params
    return (f"""SELECT {week} AS week, COUNT(*) FROM claims c JOIN articles ar ON ar.id = c.article_id
                WHERE {where} AND week IS NOT NULL GROUP BY week""", values)


def places(store: Store, *, actor_id: int | None = None, pair: tuple[int, int] | None = None,
           story_id: int | None = None, since: str | None = None, until: str | None = None,
           limit: int = 200) -> list[dict[str, Any]]:
    """Where events took place: place name, country and event count, busiest first.

    Without a scope, over all events (optionally in a date range)."""
    check_dates(since=since, until=until)
    clauses: list[str] = ["e.place IS NOT NULL"]
    params: list[Any] = []
    if any(v is not None for v in (actor_id, pair, story_id)):
        clause, params = _scope(actor_id=actor_id, pair=pair, story_id=story_id)
        clauses.append(clause)
    dated, dates = _date_range(EVENT_DAY, since, until)
    clauses += dated
    params += dates
    return store._dicts(
        f"""SELECT e.place AS name, e.place_country AS country, COUNT(*) AS events FROM events e
            JOIN articles ar ON ar.id = e.article_id WHERE {' AND '.join(clauses)}
            GROUP BY e.place, e.place_country ORDER BY events DESC, e.place LIMIT ?""",
        (*params, _page(limit, 0)[0]))


# -- the strongest relations ------------------------------------------------------------------


def top_graph(store: Store, *, actor_id: int | None = None, story_id: int | None = None, since: str | None = None,
              until: str | None = None, plover: str | None = None, top: int = 30) -> dict[str, Any]:
    """The `top` heaviest relations around an actor, a story's parties, or the whole store.

    With `plover`, an edge weighs its events of that PLOVER type (edges without any go);
    dates restrict the events counted, as in `Store.graph`.

    Returns:
        Node-link data as `Store.graph` gives it, with `focus` (the actor ids in the centre)
        and `total_edges` (how many relations there were before the cut).
    """
    check_dates(since=since, until=until)
    focus: list[int | None] = list(_story_parties(store, story_id)) if story_id is not None else (
        [actor_id] if actor_id else [])
    if not (since or until or plover) and graph_module.has_weight_index(store.conn) and (focus or story_id is None):
        return _top_stored(store, [i for i in focus if i is not None], max(1, min(int(top), 1000)))
    edges: dict[tuple[int, int], dict[str, Any]] = {}
    for centre in focus or [None]:
        data = graph_module.graph(store.conn, actor_id=centre, since=since, until=until)
        for edge in data["edges"]:
            edges[(edge["source"], edge["target"])] = edge
    ranked = []
    for edge in edges.values():
        weight = edge["plover"].get(plover.upper(), 0) if plover else edge["events"]
        if weight:
            ranked.append({**edge, "weight": weight})
    ranked.sort(key=lambda e: (-e["weight"], e["source"], e["target"]))
    kept = ranked[:max(1, min(int(top), 1000))]
    nodes = graph_module.nodes_of(store.conn, [i for e in kept for i in (e["source"], e["target"])] + focus)
    return {"directed": True, "nodes": list(nodes.values()), "edges": kept, "focus": focus,
            "total_edges": len(ranked)}


def _top_stored(store: Store, focus: list[int], top: int) -> dict[str, Any]:
    """The heaviest relations around `focus` (or of the whole store), read in weight order
    from the stored aggregate's indexes (m020)."""
    edges, total = graph_module.heaviest_edges(store.conn, focus, top)
    nodes = graph_module.nodes_of(store.conn, [i for e in edges for i in (e["source"], e["target"])] + focus)
    return {"directed": True, "nodes": list(nodes.values()), "edges": edges, "focus": focus, "total_edges": total}


def _story_parties(store: Store, story_id: int) -> list[int]:
    story = store.story(story_id)
    return sorted({p["actor_id"] for p in story["source"] + story["target"] if p["actor_id"] is not None})


def plover_types(store: Store) -> list[str]:
    """The PLOVER event types the store has events of, for a choice list."""
    return [r[0] for r in store.conn.execute(
        "SELECT DISTINCT plover_type FROM events WHERE plover_type IS NOT NULL AND plover_type != '' "
        "ORDER BY plover_type")]



# -- an actor's page --------------------------------------------------------------------------


def timeline_total(store: Store, actor_id: int) -> int:
    """How many items `Store.timeline` pages through: the actor's events and its claims,
    each counted up to `COUNT_CAP` (a result above it means "more than")."""
    return store._timeline_total(actor_id, COUNT_CAP)


def roles(store: Store, actor_id: int, *, limit: int = 50) -> list[dict[str, Any]]:
    """An actor's roles grouped by title and country: how many articles say so, when first
    and last, and the earliest evidence (most attested first)."""
    rows = store._dicts(
        """SELECT r.title, r.country, COUNT(DISTINCT r.article_id) AS articles,
                  substr(MIN(ar.published), 1, 10) AS first_seen, substr(MAX(ar.published), 1, 10) AS last_seen,
                  MIN(r.began) AS began, MAX(r.ended) AS ended,
                  (SELECT r2.article_id || ' ' || r2.start || ' ' || r2.end FROM roles r2
                   WHERE r2.actor_id = r.actor_id AND r2.title = r.title AND r2.country IS r.country
                   ORDER BY r2.id LIMIT 1) AS evidence
           FROM roles r JOIN articles ar ON ar.id = r.article_id WHERE r.actor_id = ?
           GROUP BY lower(r.title), r.country ORDER BY articles DESC, r.title LIMIT ?""",
        (actor_id, _page(limit, 0)[0]))
    for row in rows:  # article ids are hex: the three parts split on spaces
        article, start, end = (row.pop("evidence") or "  ").split(" ")
        row["evidence"] = {"article": article, "start": start, "end": end} if article else None
    return rows


def pair_events(store: Store, pair: tuple[int, int], *, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """A page of the events between two actors (either direction), latest first, and the total."""
    limit, offset = _page(limit, offset)
    clause, params = _scope(pair=pair)
    total = store.conn.execute(f"SELECT COUNT(*) FROM events e WHERE {clause}", params).fetchone()[0]
    ids = [r[0] for r in store.conn.execute(
        f"""SELECT e.id FROM events e JOIN articles ar ON ar.id = e.article_id WHERE {clause}
            ORDER BY {EVENT_DAY} DESC, ar.seq DESC, e.trigger_start LIMIT ? OFFSET ?""", (*params, limit, offset))]
    return {"items": events_in_order(store, ids), "total": total}


def events_in_order(store: Store, ids: list[str]) -> list[dict[str, Any]]:
    """The events with these ids, in the order given (a story's: first published first)."""
    found = {e["id"]: e for e in store._events_by_id(ids)}
    return [found[i] for i in ids if i in found]
