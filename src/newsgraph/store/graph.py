"""Relations between actors over time, and the actor graph in standard formats.

A relation is an ordered actor pair (source → target) with its events counted by PLOVER
type and CAMEO quad class, its cooperation and conflict (Goldstein scores), month by month,
and the number of articles that support it. A joint act (`Russia and North Korea signed a
treaty`) counts for both directions.
"""

from __future__ import annotations

import csv
import gc
import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# a busy actor's graph is megabytes of stored JSON: orjson reads it 4× faster than json
from orjson import loads as _loads

from ..errors import NewsgraphError
from . import resolution

GRAPH_FORMATS = ("graphml", "gexf", "json", "neo4j")


def _event_rows(conn: sqlite3.Connection, event_ids: list[str] | None, since: str | None,
                until: str | None, article_ids: list[str] | None = None) -> list[sqlite3.Row]:
    clauses, params = [], []
    for column, values in (("e.id", event_ids), ("e.article_id", article_ids)):
        if values is not None:
            if not values:
                return []
            clauses.append(f"{column} IN ({','.join('?' * len(values))})")
            params += values
    if since:
        clauses.append(f"{_MONTH} >= substr(?, 1, 7)")
        params.append(since)
    if until:
        clauses.append(f"{_MONTH} <= substr(?, 1, 7)")
        params.append(until)
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    return conn.execute(
        f"""SELECT e.id, e.article_id, e.cameo, e.cameo_root, e.quad_class, e.goldstein, e.plover_type,
                   e.reciprocal, e.negated, {_MONTH} AS month
            FROM events e JOIN articles a ON a.id = e.article_id {where}""", params).fetchall()


# An event's month: its own time when that names a month, else its article's publication.
_MONTH = ("COALESCE(CASE WHEN e.time_value GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]*' "
          "THEN substr(e.time_value, 1, 7) END, substr(a.published, 1, 7))")


def _dyads(conn: sqlite3.Connection, rows: list[sqlite3.Row]) -> Iterable[tuple[int, int, sqlite3.Row]]:
    by_event: dict[str, dict[str, list[int]]] = defaultdict(lambda: {"source": [], "target": []})
    ids = [r["id"] for r in rows]
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for event_id, role, actor_id in conn.execute(
                f"SELECT event_id, role, actor_id FROM participants WHERE event_id IN ({','.join('?' * len(chunk))}) "
                "AND actor_id IS NOT NULL", chunk):
            by_event[event_id][role].append(actor_id)
    for row in rows:
        if row["negated"]:
            continue  # "did not attack" is no relation
        parts = by_event.get(row["id"])
        if not parts:
            continue
        sources, targets = parts["source"], parts["target"]
        if row["reciprocal"] or not targets:
            pairs = [(a, b) for a in sources for b in sources if a != b]
        else:
            pairs = [(a, b) for a in sources for b in targets if a != b]
        for a, b in pairs:
            yield a, b, row


def relations(conn: sqlite3.Connection, *, actor_id: int | None = None, since: str | None = None,
              until: str | None = None, other_id: int | None = None) -> dict[tuple[int, int], dict[str, Any]]:
    """Relations keyed by (source actor id, target actor id); all of them, or one actor's
    (with `other_id` too: only the pair's two directions).

    Without a date range they are read from the stored `relation_pairs` aggregate (kept up
    to date as articles come and go and actors merge); with one, they are counted from the
    events, since an article's evidence cannot be split by month after the fact."""
    if since is None and until is None and has_relation_table(conn):
        return stored_relations(conn, actor_id=actor_id, other_id=other_id)
    return computed_relations(conn, actor_id=actor_id, since=since, until=until, other_id=other_id)


def computed_relations(conn: sqlite3.Connection, *, actor_id: int | None = None, since: str | None = None,
                       until: str | None = None, other_id: int | None = None) -> dict[tuple[int, int], dict[str, Any]]:
    """Relations counted from the events themselves (see `relations`)."""
    event_ids = None
    if actor_id is not None:
        event_ids = [r[0] for r in conn.execute(
            "SELECT DISTINCT event_id FROM participants WHERE actor_id = ?", (actor_id,))]
    tallies: dict[tuple[int, int], _Tally] = {}
    for a, b, row in _dyads(conn, _event_rows(conn, event_ids, since, until)):
        if actor_id is not None and actor_id not in (a, b):
            continue
        if other_id is not None and other_id not in (a, b):
            continue
        tallies.setdefault((a, b), _Tally()).add(row)
    return {pair: tally.edge() for pair, tally in tallies.items()}


class _Tally:
    """One relation's counts. Goldstein scores are kept in integer hundredths so that adding
    and later subtracting an article's share leaves exactly what was there (floats drift)."""

    __slots__ = ("events", "articles", "goldstein", "cooperation", "conflict", "quads", "plovers", "months")

    def __init__(self) -> None:
        self.events = self.goldstein = self.cooperation = self.conflict = 0
        self.articles: set[str] | int = set()
        self.quads: dict[str, int] = defaultdict(int)
        self.plovers: dict[str, int] = defaultdict(int)
        self.months: dict[str, list[int]] = {}

    def add(self, row: sqlite3.Row) -> None:
        goldstein = round((row["goldstein"] or 0.0) * 100)
        cooperative = (row["quad_class"] or 0) <= 2
        self.events += 1
        if isinstance(self.articles, set):  # counted from events; a stored relation holds a count
            self.articles.add(row["article_id"])
        self.goldstein += goldstein
        self.cooperation += cooperative
        self.conflict += not cooperative
        self.quads[str(row["quad_class"])] += 1
        self.plovers[row["plover_type"] or "-"] += 1
        month = self.months.setdefault(row["month"] or "unknown", [0, 0, 0, 0])
        month[0] += 1
        month[1] += goldstein
        month[2 if cooperative else 3] += 1

    def article_count(self) -> int:
        """How many articles report the relation: the set counted from events, or the count stored."""
        return self.articles if isinstance(self.articles, int) else len(self.articles)

    def edge(self) -> dict[str, Any]:
        """The public shape of a relation (the same whether counted or stored)."""
        articles = self.article_count()
        total = self.goldstein / 100
        return {
            "events": self.events, "goldstein_total": total, "cooperation": self.cooperation,
            "conflict": self.conflict, "quad_classes": dict(sorted(self.quads.items())),
            "plover": dict(sorted(self.plovers.items())),
            "months": {m: {"events": v[0], "goldstein": v[1] / 100, "cooperation": v[2], "conflict": v[3]}
                       for m, v in sorted(self.months.items())},
            "evidence": articles, "goldstein_mean": round(total / self.events, 2),
        }


# -- the stored aggregate ------------------------------------------------------------------------

# `edge` is the relation's graph edge as served (source, target, weight and the relation's
# counts); `goldstein` its exact total in hundredths
_PAIR_COLUMNS = "source_id, target_id, goldstein, edge"


def has_relation_table(conn: sqlite3.Connection) -> bool:
    # a read-only store opened before its migration has none yet: count from the events
    return conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'relation_pairs'").fetchone() is not None


def stored_relations(conn: sqlite3.Connection, *, actor_id: int | None = None,
                     other_id: int | None = None) -> dict[tuple[int, int], dict[str, Any]]:
    """Relations read from the `relation_pairs` aggregate (all dates)."""
    if actor_id is None:
        rows = conn.execute(f"SELECT {_PAIR_COLUMNS} FROM relation_pairs").fetchall()
    elif other_id is not None:
        rows = conn.execute(
            f"""SELECT {_PAIR_COLUMNS} FROM relation_pairs WHERE source_id = ? AND target_id = ?
                UNION ALL SELECT {_PAIR_COLUMNS} FROM relation_pairs WHERE source_id = ? AND target_id = ?""",
            (actor_id, other_id, other_id, actor_id)).fetchall()
    else:
        rows = conn.execute(
            f"""SELECT {_PAIR_COLUMNS} FROM relation_pairs WHERE source_id = ?
                UNION ALL SELECT {_PAIR_COLUMNS} FROM relation_pairs WHERE target_id = ?""",
            (actor_id, actor_id)).fetchall()
    relations = {}
    for row in rows:
        edge = _loads(row[3])
        del edge["source"], edge["target"], edge["weight"]
        relations[(row[0], row[1])] = edge
    return relations


@contextmanager
def quiet_gc() -> Iterator[None]:
    """No cycle collection while a block builds a large answer of plain dicts and lists: the
    collector would walk the growing heap several times (tens of ms) and find no cycle."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _stored_edges(conn: sqlite3.Connection, actor_id: int | None) -> list[dict[str, Any]]:
    """An actor's (or every) graph edge straight from `relation_pairs`, heaviest first."""
    if actor_id is None:
        rows = conn.execute("SELECT edge FROM relation_pairs").fetchall()
    else:
        rows = conn.execute("""SELECT edge FROM relation_pairs WHERE source_id = ?
                               UNION ALL SELECT edge FROM relation_pairs WHERE target_id = ?""",
                            (actor_id, actor_id)).fetchall()
    edges = [_loads(row[0]) for row in rows]
    edges.sort(key=lambda e: (-e["weight"], e["source"], e["target"]))
    return edges


def _tally_of(row: tuple) -> _Tally:
    edge = _loads(row[3])
    tally = _Tally()
    tally.events, tally.articles, tally.goldstein = edge["events"], edge["evidence"], row[2]
    tally.cooperation, tally.conflict = edge["cooperation"], edge["conflict"]
    tally.quads, tally.plovers = edge["quad_classes"], edge["plover"]
    # a month's goldstein is its hundredths / 100: times 100, rounded, gives them back exactly
    tally.months = {m: [v["events"], round(v["goldstein"] * 100), v["cooperation"], v["conflict"]]
                    for m, v in edge["months"].items()}
    return tally


def article_shares(conn: sqlite3.Connection, article_ids: Iterable[str]) -> dict[tuple[int, int], _Tally]:
    """What the events of `article_ids` add to each relation, as they stand now."""
    ids = sorted(set(article_ids))
    tallies: dict[tuple[int, int], _Tally] = {}
    for start in range(0, len(ids), 500):
        for a, b, row in _dyads(conn, _event_rows(conn, None, None, None, ids[start:start + 500])):
            tallies.setdefault((a, b), _Tally()).add(row)
    return tallies


def apply_shares(conn: sqlite3.Connection, shares: dict[tuple[int, int], _Tally], sign: int) -> None:
    """Add (`sign` 1) or take away (-1) articles' shares in the stored relations; a relation
    left with no events is removed."""
    for (a, b), share in shares.items():
        row = conn.execute(f"SELECT {_PAIR_COLUMNS} FROM relation_pairs WHERE source_id = ? AND target_id = ?",
                           (a, b)).fetchone()
        tally = _tally_of(row) if row else _Tally()
        if not row:
            tally.articles = 0
        tally.events += sign * share.events
        tally.articles = tally.article_count() + sign * share.article_count()
        tally.goldstein += sign * share.goldstein
        tally.cooperation += sign * share.cooperation
        tally.conflict += sign * share.conflict
        tally.quads = _merge(tally.quads, share.quads, sign)
        tally.plovers = _merge(tally.plovers, share.plovers, sign)
        months = {m: v for m, v in tally.months.items()}
        for month, values in share.months.items():
            now = [x + sign * y for x, y in zip(months.get(month, [0, 0, 0, 0]), values)]
            months[month] = now
            if now[0] == 0:
                del months[month]
        tally.months = months
        _store_tally(conn, (a, b), tally)


def _merge(counts: dict[str, int], delta: dict[str, int], sign: int) -> dict[str, int]:
    out = dict(counts)
    for key, n in delta.items():
        out[key] = out.get(key, 0) + sign * n
        if out[key] == 0:
            del out[key]
    return out


def articles_of_actors(conn: sqlite3.Connection, *, actor_ids: Iterable[int] = (),
                       actor_keys: Iterable[str] = ()) -> set[str]:
    """The articles with an event in which one of these actors (ids or extraction keys) takes part."""
    found: set[str] = set()
    for actor_id in sorted(set(actor_ids)):
        found |= {r[0] for r in conn.execute(
            """SELECT DISTINCT e.article_id FROM participants p JOIN events e ON e.id = p.event_id
               WHERE p.actor_id = ?""", (actor_id,))}
    for key in sorted(set(actor_keys)):
        found |= {r[0] for r in conn.execute(
            f"""SELECT DISTINCT e.article_id FROM participants p JOIN events e ON e.id = p.event_id
                WHERE {resolution.rows_of_key('participants', alias='p')}""", {"key": key})}
    return found


def rebuild_relations(conn: sqlite3.Connection) -> int:
    """Recount the whole `relation_pairs` aggregate from the events in one pass of SQL (the
    same dyads as `_dyads`: sources × targets, or sources × sources for a joint act or an
    event with no target; negated events and unknown actors left out); returns the relations."""
    conn.execute("DELETE FROM relation_pairs")
    cells = conn.execute(f"""
        WITH ev AS (
            SELECT e.id, e.article_id, e.quad_class,
                   CAST(round(COALESCE(e.goldstein, 0) * 100) AS INTEGER) AS g,
                   COALESCE(NULLIF(e.plover_type, ''), '-') AS plover,
                   COALESCE(NULLIF({_MONTH}, ''), 'unknown') AS month,
                   CASE WHEN e.reciprocal OR NOT EXISTS (SELECT 1 FROM participants t WHERE t.event_id = e.id
                        AND t.role = 'target' AND t.actor_id IS NOT NULL) THEN 'source' ELSE 'target' END AS other
            FROM events e JOIN articles a ON a.id = e.article_id WHERE NOT e.negated),
        dyads AS (
            SELECT s.actor_id AS a, o.actor_id AS b, ev.* FROM ev
            JOIN participants s ON s.event_id = ev.id AND s.role = 'source' AND s.actor_id IS NOT NULL
            JOIN participants o ON o.event_id = ev.id AND o.role = ev.other AND o.actor_id IS NOT NULL
                 AND o.actor_id != s.actor_id)
        SELECT a, b, 'article', article_id, COUNT(*), 0, 0 FROM dyads GROUP BY a, b, article_id
        UNION ALL SELECT a, b, 'month', month, COUNT(*), SUM(g), SUM(COALESCE(quad_class, 0) <= 2)
            FROM dyads GROUP BY a, b, month
        UNION ALL SELECT a, b, 'quad', COALESCE(CAST(quad_class AS TEXT), 'None'), COUNT(*), 0, 0
            FROM dyads GROUP BY a, b, quad_class
        UNION ALL SELECT a, b, 'plover', plover, COUNT(*), 0, 0 FROM dyads GROUP BY a, b, plover
        ORDER BY 1, 2""")
    pair, tally = None, _Tally()
    for a, b, kind, key, n, goldstein, cooperative in cells:
        if (a, b) != pair:
            _store_tally(conn, pair, tally)
            pair, tally = (a, b), _Tally()
            tally.articles = 0
        if kind == "article":
            tally.articles = tally.article_count() + 1
        elif kind == "month":
            tally.events += n
            tally.goldstein += goldstein
            tally.cooperation += cooperative
            tally.conflict += n - cooperative
            tally.months[key] = [n, goldstein, cooperative, n - cooperative]
        else:
            (tally.quads if kind == "quad" else tally.plovers)[key] = n
    _store_tally(conn, pair, tally)
    return conn.execute("SELECT COUNT(*) FROM relation_pairs").fetchone()[0]


def _store_tally(conn: sqlite3.Connection, pair: tuple[int, int] | None, tally: _Tally) -> None:
    if pair is None or tally.events <= 0:
        if pair is not None:
            conn.execute("DELETE FROM relation_pairs WHERE source_id = ? AND target_id = ?", pair)
        return
    edge = {"source": pair[0], "target": pair[1], "weight": tally.events, **tally.edge()}
    conn.execute(f"INSERT OR REPLACE INTO relation_pairs ({_PAIR_COLUMNS}) VALUES (?, ?, ?, ?)",
                 (*pair, tally.goldstein, json.dumps(edge, ensure_ascii=False, separators=(",", ":"))))


def nodes_of(conn: sqlite3.Connection, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    ids = sorted(set(ids))
    out = {}
    cursor = conn.cursor()
    cursor.row_factory = None  # plain tuples: a busy actor has thousands of neighbours
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        for row in cursor.execute(
                f"""SELECT id, key, name, kind, country, sector FROM actors
                    WHERE id IN ({','.join('?' * len(chunk))})""", chunk):
            out[row[0]] = {"id": row[0], "key": row[1], "name": row[2], "kind": row[3], "country": row[4],
                           "sector": row[5]}
    return out


# ids per IN (…) list: SQLite allows 32,766 parameters since 3.32; older ones 999
_CHUNK = 5000 if sqlite3.sqlite_version_info >= (3, 32) else 900


def graph(conn: sqlite3.Connection, *, actor_id: int | None = None, since: str | None = None,
          until: str | None = None, limit: int | None = None) -> dict[str, Any]:
    """Node-link data: actors as nodes, relations as weighted edges with evidence counts,
    heaviest first. With `limit`, only that many of the heaviest edges, their actors, and
    `total_edges` (how many there were before the cut)."""
    total = None
    if since is None and until is None and limit is not None and has_weight_index(conn):
        with quiet_gc():
            edges, total = heaviest_edges(conn, [actor_id] if actor_id is not None else [], limit)
    elif since is None and until is None and has_relation_table(conn):
        with quiet_gc():
            edges = _stored_edges(conn, actor_id)
    else:
        edges = [{"source": a, "target": b, "weight": e["events"], **e}
                 for (a, b), e in sorted(computed_relations(conn, actor_id=actor_id, since=since, until=until).items(),
                                         key=lambda kv: (-kv[1]["events"], kv[0]))]
    if limit is not None and total is None:
        total, edges = len(edges), edges[:max(0, limit)]
    nodes = nodes_of(conn, [i for e in edges for i in (e["source"], e["target"])] + ([actor_id] if actor_id else []))
    data = {"directed": True, "nodes": list(nodes.values()), "edges": edges}
    return data if limit is None else {**data, "total_edges": total}


# A relation's weight as the m020 indexes hold it (`migrations.RELATION_WEIGHT`)
_WEIGHT = "json_extract(edge, '$.weight')"


def has_weight_index(conn: sqlite3.Connection) -> bool:
    # a read-only store opened before m020 has none: its relations are read whole and cut
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'relation_pairs_weight'"
                        ).fetchone() is not None


def heaviest_edges(conn: sqlite3.Connection, focus: list[int], limit: int) -> tuple[list[dict[str, Any]], int]:
    """The `limit` heaviest stored relations (ties by source, then target) of the actors in
    `focus`, or of the whole store when it is empty, read in weight order from the m020
    indexes (each actor's relations as source, then as target); and how many there are."""
    limit = max(0, int(limit))
    if not focus:
        rows = conn.execute(f"SELECT edge FROM relation_pairs ORDER BY {_WEIGHT} DESC, source_id, target_id LIMIT ?",
                            (limit,)).fetchall()
        return [_loads(r[0]) for r in rows], conn.execute("SELECT COUNT(*) FROM relation_pairs").fetchone()[0]
    # (weight, source, target) of each candidate in the indexes' order, and its JSON: the row is
    # read for the weight anyway (this SQLite does not read an indexed expression from the
    # index), so a kept edge needs no second read; only the kept ones are parsed
    ranked: dict[tuple[int, int], int] = {}
    texts: dict[tuple[int, int], str] = {}
    total = 0
    for actor_id in sorted(set(focus)):
        for column, other in (("source_id", "target_id"), ("target_id", "source_id")):
            for weight, source, target, edge in conn.execute(
                    f"""SELECT {_WEIGHT}, source_id, target_id, edge FROM relation_pairs WHERE {column} = ?
                        ORDER BY {_WEIGHT} DESC, {other} LIMIT ?""", (actor_id, limit)):
                ranked[(source, target)] = weight
                texts[(source, target)] = edge
            total += conn.execute(f"SELECT COUNT(*) FROM relation_pairs WHERE {column} = ?", (actor_id,)).fetchone()[0]
    if len(set(focus)) > 1:  # a relation between two actors in focus was counted from both ends
        marks = ",".join("?" * len(set(focus)))
        total -= conn.execute(f"SELECT COUNT(*) FROM relation_pairs WHERE source_id IN ({marks}) AND target_id IN "
                              f"({marks})", (*set(focus), *set(focus))).fetchone()[0]
    kept = sorted(ranked, key=lambda pair: (-ranked[pair], pair))[:limit]
    return [_loads(texts[pair]) for pair in kept], total


def write_graph(data: dict[str, Any], fmt: str, path: str) -> list[str]:
    """Write node-link data as GraphML, GEXF, node-link JSON, or the CSV files that
    `neo4j-admin database import full --nodes=actors.csv --relationships=relations.csv` takes
    (`path` is then a folder). Returns the files written."""
    if fmt == "json":
        Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        return [path]
    if fmt == "neo4j":
        return _write_neo4j(data, Path(path))
    if fmt not in GRAPH_FORMATS:
        raise NewsgraphError(f"unknown graph format {fmt!r}; choose one of {', '.join(GRAPH_FORMATS)}")
    import networkx as nx

    g = nx.DiGraph()
    for node in data["nodes"]:
        g.add_node(node["id"], **{k: v if v is not None else "" for k, v in node.items() if k != "id"})
    for edge in data["edges"]:
        g.add_edge(edge["source"], edge["target"], weight=edge["events"], evidence=edge["evidence"],
                   goldstein_total=edge["goldstein_total"], goldstein_mean=edge["goldstein_mean"],
                   cooperation=edge["cooperation"], conflict=edge["conflict"],
                   plover=json.dumps(edge["plover"]), months=json.dumps(edge["months"]))
    (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(g, path)
    return [path]


def _write_neo4j(data: dict[str, Any], folder: Path) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    nodes, rels = folder / "actors.csv", folder / "relations.csv"
    with nodes.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["actorId:ID(Actor)", "key", "name", "kind", "country", "sector", ":LABEL"])
        for n in data["nodes"]:
            label = {"person": "Person", "state": "State", "organisation": "Organisation",
                     "place": "Place"}.get(n["kind"], "Group")
            w.writerow([n["id"], n["key"], n["name"], n["kind"], n["country"] or "", n["sector"] or "",
                        f"Actor;{label}"])
    with rels.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow([":START_ID(Actor)", ":END_ID(Actor)", ":TYPE", "events:int", "evidence:int",
                    "goldsteinTotal:float", "goldsteinMean:float", "cooperation:int", "conflict:int"])
        for e in data["edges"]:
            w.writerow([e["source"], e["target"], "RELATES_TO", e["events"], e["evidence"], e["goldstein_total"],
                        e["goldstein_mean"], e["cooperation"], e["conflict"]])
    return [str(nodes), str(rels)]
