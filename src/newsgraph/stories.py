"""Stories: event mentions from different articles that describe the same real-world event.

Two event mentions are one story when they share the CAMEO root and the same source and
target actors (a joint act: the same set of parties), and their times and places are
compatible: one date contains the other (`2024-06` and `2024-06-19`), or, for events dated
only by their article, the articles are at most `WINDOW_DAYS` apart; places are equal or
one is unknown. Candidates are found by signature (an index lookup), so adding an article
costs the same whatever the size of the corpus.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date
from typing import Any

# How far apart two reports dated only by publication may be and still be one event.
WINDOW_DAYS = 3
# How many of the latest stories with the same signature a new event is compared with.
CANDIDATE_STORIES = 50
NEGATIVE = frozenset({"negated", "denied"})
# Statuses under which a report says the event happened (or is said to have happened).
POSITIVE = frozenset({"asserted", "reported", "alleged", "believed"})


def signature(root: str, sources: Sequence[int | str | None], targets: Sequence[int | str | None],
              reciprocal: bool) -> str | None:
    """The lookup key of an event: its root and its parties; None when no party is known."""
    src = sorted({str(s) for s in sources if s is not None})
    tgt = sorted({str(t) for t in targets if t is not None})
    if reciprocal:
        src, tgt = sorted(set(src) | set(tgt)), []
    if not src and not tgt:
        return None
    return f"{root}|{','.join(src)}|{','.join(tgt)}"


def assign(conn: sqlite3.Connection, event_ids: Sequence[str]) -> None:
    """Put each event of a newly stored article into a story (an existing one, or a new one)."""
    for event_id in event_ids:
        row = conn.execute(
            """SELECT e.cameo_root, e.reciprocal, e.time_value, e.time_source, e.place, a.published
               FROM events e JOIN articles a ON a.id = e.article_id WHERE e.id = ?""", (event_id,)).fetchone()
        parts = conn.execute("SELECT role, actor_id FROM participants WHERE event_id = ?", (event_id,)).fetchall()
        sig = signature(row[0], [p[1] for p in parts if p[0] == "source"],
                        [p[1] for p in parts if p[0] == "target"], bool(row[1]))
        if sig is None:
            continue
        story = _matching_story(conn, sig, row[2], row[3], row[4], row[5])
        if story is None:
            story = conn.execute("INSERT INTO stories (signature, cameo_root) VALUES (?, ?) RETURNING id",
                                 (sig, row[0])).fetchone()[0]
        conn.execute("INSERT OR REPLACE INTO story_events (story_id, event_id) VALUES (?, ?)", (story, event_id))


def _matching_story(conn, sig, time_value, time_source, place, published) -> int | None:
    # the latest stories of the same parties and root: a bounded lookup however long the archive
    for (story_id,) in conn.execute("SELECT id FROM stories WHERE signature = ? ORDER BY id DESC LIMIT ?",
                                    (sig, CANDIDATE_STORIES)).fetchall():
        members = conn.execute(
            """SELECT e.time_value, e.time_source, e.place, a.published FROM story_events s
               JOIN events e ON e.id = s.event_id JOIN articles a ON a.id = e.article_id
               WHERE s.story_id = ?""", (story_id,)).fetchall()
        if all(_compatible(time_value, time_source, place, published, *m) for m in members):
            return story_id
    return None


def _compatible(t1, s1, p1, pub1, t2, s2, p2, pub2) -> bool:
    if p1 and p2 and p1 != p2:
        return False
    if s1 == "text" and s2 == "text":
        return bool(t1 and t2 and (t1.startswith(t2) or t2.startswith(t1)))
    if s1 == "text" or s2 == "text":
        dated, other = (t1, pub2) if s1 == "text" else (t2, pub1)
        return bool(dated and other and (other[:len(dated)] == dated or _days(dated, other) <= WINDOW_DAYS))
    return _days(pub1, pub2) <= WINDOW_DAYS


def _days(a: str | None, b: str | None) -> int:
    da, db = _date(a), _date(b)
    if da is None or db is None:
        return 0 if a == b else WINDOW_DAYS + 1
    return abs((da - db).days)


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value and len(value) >= 10 else None
    except ValueError:
        return None


def restory(conn: sqlite3.Connection, event_ids: Sequence[str]) -> None:
    """Put events whose parties changed (an actor merge, split or undo) into the stories of
    their new signature, in the order they were reported; stories left empty go."""
    if not event_ids:
        return
    marks = ",".join("?" * len(event_ids))
    old = [r[0] for r in conn.execute(f"SELECT DISTINCT story_id FROM story_events WHERE event_id IN ({marks})",
                                      list(event_ids))]
    conn.execute(f"DELETE FROM story_events WHERE event_id IN ({marks})", list(event_ids))
    conn.executemany("DELETE FROM stories WHERE id = ? AND NOT EXISTS "
                     "(SELECT 1 FROM story_events s WHERE s.story_id = stories.id)", [(s,) for s in old])
    ordered = [r[0] for r in conn.execute(
        f"""SELECT e.id FROM events e JOIN articles a ON a.id = e.article_id WHERE e.id IN ({marks})
            ORDER BY a.seq, e.rowid""", list(event_ids))]
    assign(conn, ordered)


def of_article(conn: sqlite3.Connection, article_id: str) -> list[int]:
    """The stories an article's events are in."""
    return [r[0] for r in conn.execute(
        """SELECT DISTINCT s.story_id FROM events e JOIN story_events s ON s.event_id = e.id
           WHERE e.article_id = ?""", (article_id,))]


def drop_empty(conn: sqlite3.Connection, story_ids: Sequence[int] | None = None) -> None:
    """Remove stories left without events: those of `story_ids` (an index lookup each), or
    when None, all of them (a scan of every story)."""
    empty = "NOT EXISTS (SELECT 1 FROM story_events s WHERE s.story_id = stories.id)"
    if story_ids is None:
        conn.execute(f"DELETE FROM stories WHERE {empty}")
    else:
        conn.executemany(f"DELETE FROM stories WHERE id = ? AND {empty}", [(s,) for s in story_ids])


def describe(conn: sqlite3.Connection, story_id: int, family_of) -> dict[str, Any]:
    """A story as users see it: its events, outlets, first report, independent sources and
    whether the reports agree."""
    rows = conn.execute(
        """SELECT e.id, e.article_id, e.cameo, e.cameo_name, e.plover_type, e.status, e.negated, e.time_value,
                  e.place, a.published, a.outlet, a.url
           FROM story_events s JOIN events e ON e.id = s.event_id JOIN articles a ON a.id = e.article_id
           WHERE s.story_id = ? ORDER BY a.published, e.id""", (story_id,)).fetchall()
    articles = sorted({r[1] for r in rows})
    copies = conn.execute(
        f"""SELECT article_id, outlet, url, published FROM article_copies
            WHERE article_id IN ({','.join('?' * len(articles))})""", articles).fetchall() if articles else []
    outlets = sorted({r[10] for r in rows if r[10]} | {c[1] for c in copies if c[1]})
    dated = [(r[9], r[10] or None, r[1]) for r in rows if r[9]] + [(c[3], c[1] or None, c[0]) for c in copies if c[3]]
    # reports of one day tie on the date: a named outlet first, and None never meets `<`
    first = min(dated, key=lambda d: (d[0], d[1] is None, d[1] or "", d[2]), default=None)
    families = {family_of(a) for a in articles}
    by_family: dict[str, set[str]] = {}
    for r in rows:
        status = "negated" if r[6] else (r[5] or "asserted")
        by_family.setdefault(family_of(r[1]), set()).add(status)
    says_yes = {f for f, s in by_family.items() if s & POSITIVE}
    says_no = {f for f, s in by_family.items() if s & NEGATIVE}
    agreement = "contradiction" if says_yes and says_no and says_yes != says_no else (
        "negated" if says_no and not says_yes else "agreement")
    parts = conn.execute(
        """SELECT p.role, p.actor_id, MIN(p.name), MIN(p.code) FROM participants p
           JOIN story_events s ON s.event_id = p.event_id WHERE s.story_id = ?
           GROUP BY p.role, COALESCE(p.actor_id, p.name) ORDER BY p.role, MIN(p.name)""",
        (story_id,)).fetchall()
    head = rows[0] if rows else None
    return {
        "id": story_id,
        "cameo": head[2] if head else None, "cameo_name": head[3] if head else None,
        "plover": head[4] if head else None,
        "source": [{"actor_id": p[1], "name": p[2], "code": p[3]} for p in parts if p[0] == "source"],
        "target": [{"actor_id": p[1], "name": p[2], "code": p[3]} for p in parts if p[0] == "target"],
        "time": next((r[7] for r in rows if r[7]), None),
        "place": next((r[8] for r in rows if r[8]), None),
        "first_reported": None if first is None else {"published": first[0], "outlet": first[1], "article": first[2]},
        "outlets": outlets,
        "articles": articles,
        "mentions": len(rows),
        "independent_sources": len(families),
        "statuses": {f: sorted(s) for f, s in by_family.items()},
        "agreement": agreement,
        "events": [r[0] for r in rows],
    }
