"""Relations between actors over time, and the actor graph in standard formats.

A relation is an ordered actor pair (source → target) with its events counted by PLOVER
type and CAMEO quad class, its cooperation and conflict (Goldstein scores), month by month,
and the number of articles that support it. A joint act (`Russia and North Korea signed a
treaty`) counts for both directions.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .errors import NewsgraphError

GRAPH_FORMATS = ("graphml", "gexf", "json", "neo4j")


def _event_rows(conn: sqlite3.Connection, event_ids: list[str] | None, since: str | None,
                until: str | None) -> list[sqlite3.Row]:
    clauses, params = [], []
    if event_ids is not None:
        if not event_ids:
            return []
        clauses.append(f"e.id IN ({','.join('?' * len(event_ids))})")
        params += event_ids
    month = "COALESCE(CASE WHEN e.time_value GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]*' THEN substr(e.time_value, 1, 7) END, substr(a.published, 1, 7))"
    if since:
        clauses.append(f"{month} >= substr(?, 1, 7)")
        params.append(since)
    if until:
        clauses.append(f"{month} <= substr(?, 1, 7)")
        params.append(until)
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    return conn.execute(
        f"""SELECT e.id, e.article_id, e.cameo, e.cameo_root, e.quad_class, e.goldstein, e.plover_type,
                   e.reciprocal, e.negated, {month} AS month
            FROM events e JOIN articles a ON a.id = e.article_id {where}""", params).fetchall()


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
              until: str | None = None) -> dict[tuple[int, int], dict[str, Any]]:
    """Relations keyed by (source actor id, target actor id); all of them, or one actor's."""
    event_ids = None
    if actor_id is not None:
        event_ids = [r[0] for r in conn.execute(
            "SELECT DISTINCT event_id FROM participants WHERE actor_id = ?", (actor_id,))]
    edges: dict[tuple[int, int], dict[str, Any]] = {}
    for a, b, row in _dyads(conn, _event_rows(conn, event_ids, since, until)):
        if actor_id is not None and actor_id not in (a, b):
            continue
        edge = edges.setdefault((a, b), {"events": 0, "articles": set(), "goldstein_total": 0.0,
                                         "cooperation": 0, "conflict": 0, "quad_classes": defaultdict(int),
                                         "plover": defaultdict(int), "months": {}})
        goldstein = row["goldstein"] or 0.0
        edge["events"] += 1
        edge["articles"].add(row["article_id"])
        edge["goldstein_total"] += goldstein
        edge["cooperation" if (row["quad_class"] or 0) <= 2 else "conflict"] += 1
        edge["quad_classes"][str(row["quad_class"])] += 1
        edge["plover"][row["plover_type"] or "-"] += 1
        month = edge["months"].setdefault(row["month"] or "unknown", {"events": 0, "goldstein": 0.0,
                                                                       "cooperation": 0, "conflict": 0})
        month["events"] += 1
        month["goldstein"] = round(month["goldstein"] + goldstein, 2)
        month["cooperation" if (row["quad_class"] or 0) <= 2 else "conflict"] += 1
    for edge in edges.values():
        edge["evidence"] = len(edge.pop("articles"))
        edge["goldstein_total"] = round(edge["goldstein_total"], 2)
        edge["goldstein_mean"] = round(edge["goldstein_total"] / edge["events"], 2)
        edge["quad_classes"] = dict(edge["quad_classes"])
        edge["plover"] = dict(edge["plover"])
        edge["months"] = dict(sorted(edge["months"].items()))
    return edges


def _nodes(conn: sqlite3.Connection, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    ids = sorted(set(ids))
    out = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for row in conn.execute(
                f"""SELECT id, key, name, kind, country, sector FROM actors
                    WHERE id IN ({','.join('?' * len(chunk))})""", chunk):
            out[row[0]] = {"id": row[0], "key": row[1], "name": row[2], "kind": row[3], "country": row[4],
                           "sector": row[5]}
    return out


def graph(conn: sqlite3.Connection, *, actor_id: int | None = None, since: str | None = None,
          until: str | None = None) -> dict[str, Any]:
    """Node-link data: actors as nodes, relations as weighted edges with evidence counts."""
    edges = relations(conn, actor_id=actor_id, since=since, until=until)
    nodes = _nodes(conn, [i for pair in edges for i in pair] + ([actor_id] if actor_id else []))
    return {
        "directed": True,
        "nodes": list(nodes.values()),
        "edges": [{"source": a, "target": b, "weight": e["events"], **e}
                  for (a, b), e in sorted(edges.items(), key=lambda kv: (-kv[1]["events"], kv[0]))],
    }


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
