"""The pieces of SQL the store's listings share: filters as WHERE clauses, page bounds,
safe LIKE and full-text patterns, and the expressions for an event's day.

Every value goes in as a parameter; only these fixed fragments become SQL text.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from collections.abc import Collection
from typing import Any

from ..dates import check_date
from ..errors import StoreError

# Hard ceiling on rows a listing returns, whatever the caller asks for.
MAX_LIMIT = 100_000
# How far the totals beside a page ("showing 50 of 8,412") count: past it a listing says
# "more than 10,000" instead of counting a million rows for every page it serves.
COUNT_CAP = 10_000


def bounded_total(n: int, cap: int | None = None) -> dict[str, Any]:
    """A listing's total as its answer gives it: `{"total": n}`, or for a count that stopped
    past `cap` (`COUNT_CAP`), `{"total": cap, "total_capped": True}` ("more than `cap`")."""
    cap = COUNT_CAP if cap is None else cap
    return {"total": n} if n <= cap else {"total": cap, "total_capped": True}


# An event's day: its own date when that names a day, else its article's publication day
EVENT_DAY = ("CASE WHEN e.time_value GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' "
              "THEN substr(e.time_value, 1, 10) ELSE substr(ar.published, 1, 10) END")


# How events sort by date: their own time value when it starts with a year ("2024-02" sorts
# between the days of February and March), else their article's publication day. Not a day
# for SQLite's date functions (a bare "2024" would read as a Julian day number).
EVENT_SORT_DAY = ("CASE WHEN e.time_value GLOB '[0-9][0-9][0-9][0-9]*' "
                  "THEN substr(e.time_value, 1, 10) ELSE substr(ar.published, 1, 10) END")


ARTICLE_COLUMNS = (
    "id, title, outlet, url, author, published, published_precision, ingested, language, "
    "extracted, note, original_source, source, previous_version, superseded_by, "
    "(SELECT family_id FROM family_members f WHERE f.article_id = articles.id) AS family"
)


def actor_where(*, kind: str | None = None, country: str | None = None, name: str | None = None,
                article: str | None = None, actor_id: int | None = None) -> tuple[str, list[Any]]:
    """The WHERE clause over actors `a` shared by the actor listing and its count."""
    where, params = where_clause({
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


def event_where(*, actor: str | None = None, country: str | None = None, cameo: str | None = None,
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
        parties(f"p.actor_id IN ({ACTORS_MATCHING})", actors_matching(actor))
    if country:
        parties("p.country = ?", [country.upper()])
    if cameo and (since or until) and not correlated:
        # each code of the prefix, then its dates: one range of (code, date) each
        clauses.append(f"e.cameo IN ({CODES_IN_RANGE})")
        low, high = code_range(cameo)
        params += [low, high, high]
    elif cameo:
        clauses.append(f"{e}cameo >= ? AND {e}cameo < ?")  # a code prefix: an index range
        params += code_range(cameo)
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
        params += prefix_range(article)
    if status:
        clauses.append(f"{e}status = ?")
        params.append(status)
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


# The distinct event codes in a range [?, ?), each found by one seek of the code index: a
# prefix (`04`) holds a few codes, and an index on (code, date) reads one date range per
# code instead of every event of the prefix
CODES_IN_RANGE = """WITH RECURSIVE codes(code) AS (
        SELECT MIN(cameo) FROM events WHERE cameo >= ? AND cameo < ?
        UNION ALL SELECT (SELECT MIN(cameo) FROM events WHERE cameo > codes.code AND cameo < ?)
        FROM codes WHERE codes.code IS NOT NULL)
    SELECT code FROM codes WHERE code IS NOT NULL"""


# The actors an `actor` filter means: its id, or a name or alias it is part of
ACTORS_MATCHING = ("SELECT a.id FROM actors a WHERE a.id = ? OR a.name LIKE ? ESCAPE '\\' "
                   "UNION SELECT actor_id FROM aliases WHERE alias LIKE ? ESCAPE '\\'")


def actors_matching(actor: str) -> list[Any]:
    pattern = f"%{escape_like(actor)}%"
    return [int(actor) if actor.isdigit() else -1, pattern, pattern]


# The claim sources (names and descriptions) that contain a pattern, among the distinct ones (m019)
CLAIM_SOURCES_LIKE = "SELECT value FROM filter_values WHERE kind = 'claim_source' AND value LIKE ? ESCAPE '\\'"


def claim_where(*, source: str | None = None, status: str | None = None, event: str | None = None,
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
        names = f"{c}source_name IN ({CLAIM_SOURCES_LIKE})" if lookups else f"{c}source_name LIKE ? ESCAPE '\\'"
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
        params += prefix_range(article)
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


def fts_query(query: str) -> str:
    """A safe FTS5 query from user words: each word quoted, so no FTS syntax can be injected."""
    words = re.findall(r"\w[\w'’-]*", query)
    return " ".join('"' + w.replace('"', '""') + '"' for w in words[:32])


def check_dates(**values: str | None) -> None:
    # dates compare as text: `' OR 1=1` would sort before every date and match everything
    for param, value in values.items():
        if value:
            check_date(value, param=param)


def only_filters(filters: dict[str, Any], keys: Collection[str]) -> bool:
    """Whether the filters that are set (neither None nor empty) are some of `keys`, and at
    least one is: the test for a plan that answers those filters alone."""
    given = {k for k, v in filters.items() if v is not None and v != ""}
    return bool(given) and given <= set(keys)


def code_range(cameo: str) -> list[str]:
    """The CAMEO codes that start with `cameo` (`04`: the CONSULT root), as a range of text
    that an index on the code reads."""
    return [cameo, cameo + "\U0010ffff"]


def prefix_range(prefix: str) -> list[str]:
    """The bounds of the ids that start with `prefix` (ids are lower case: a day, `-`, hex
    digits), so that a prefix filter reads an index range instead of testing LIKE on every row."""
    if "\x00" in prefix:
        raise StoreError("a filter value cannot contain a NUL character")
    low = prefix.lower()
    return [low, low + "\U0010ffff"]


def escape_like(text: str) -> str:
    # SQLite's LIKE ends a pattern at a NUL: `%\0%` would match every row
    if "\x00" in text:
        raise StoreError("a filter value cannot contain a NUL character")
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def where_clause(conditions: dict[str, Any]) -> tuple[str, list[Any]]:
    used = [(clause, value) for clause, value in conditions.items() if value is not None]
    if not used:
        return "", []
    return "WHERE " + " AND ".join(c for c, _ in used), [v for _, v in used]


def page_limit(limit: int) -> int:
    return max(1, min(int(limit), MAX_LIMIT))


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
