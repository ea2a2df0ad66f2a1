"""One actor per person across articles: automatic merges with a reason and a score, and the
user's merges, splits, renames and undo.

Every record keeps the key its extractor gave the actor (`person:hillary rodham clinton`,
`person:clinton`). `key_links` maps a key to the canonical key of the actor it belongs to:

- `Hillary Rodham Clinton` and `Donald J. Trump` join `Hillary Clinton` and `Donald Trump`
  (same first and last name, a middle name or initial dropped), unless that would join two
  people (`George W. Bush` is not `George H. W. Bush`: once one initial is joined to a name,
  another stays apart);
- a bare `Clinton` in an article that never gives the full name joins the person with that
  surname whom the article's context points to: the other actors it names, how the person is
  styled (`Mrs.`/`Mr.`), and how often each candidate is named — `Bill Clinton` stays apart
  from `Hillary Clinton`;
- the user's decisions (`newsgraph actors merge|split|rename|undo`) are links too, marked as
  not automatic; automatic resolution never overrides them, and they apply to articles
  ingested later.
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone

from ..errors import NotFound, StoreError

# How many of a candidate's articles are read to learn who it is usually named with.
CONTEXT_ARTICLES = 200
# Tables whose rows point at an actor, with the column holding the extraction key.
KEYED_TABLES = (("mentions", "actor_key"), ("roles", "actor_key"), ("aliases", "actor_key"),
                ("actor_facts", "actor_key"), ("participants", "actor_key"), ("claims", "source_actor_key"))
ID_COLUMN = {"claims": "source_actor_id"}
# No table keeps an index by key (a random write per row, spreading as the actors do):
# `key_articles` says which articles carry a key (m025), and a table's rows of the key are
# found among those articles' rows.
_ARTICLES_OF_KEY = "SELECT article_id FROM key_articles WHERE actor_key = :key"


def rows_of_key(table: str, column: str = "actor_key", *, alias: str = "") -> str:
    """A condition on `table` (named `alias` in the statement, if given) for its rows whose
    `column` is the extraction key bound as `:key`, served by the table's article index
    (participants reach theirs through their events)."""
    at = f"{alias}." if alias else ""
    if table == "participants":
        return (f"{at}{column} = :key AND {at}event_id IN "
                f"(SELECT id FROM events WHERE article_id IN ({_ARTICLES_OF_KEY}))")
    return f"{at}{column} = :key AND {at}article_id IN ({_ARTICLES_OF_KEY})"


FEMALE_STYLES = ("mrs", "ms", "miss", "madam", "mme", "lady", "dame")
MALE_STYLES = ("mr", "sir", "lord", "herr")


@dataclass(frozen=True, slots=True)
class Link:
    """Why a key belongs to another actor."""

    target: str
    reason: str
    score: float | None
    auto: bool


def canonical(conn: sqlite3.Connection, key: str) -> str:
    """The key of the actor `key` belongs to, following links (a self-link stops the walk)."""
    seen = {key}
    while True:
        row = conn.execute("SELECT target FROM key_links WHERE key = ?", (key,)).fetchone()
        if row is None or row[0] == key or row[0] in seen:
            return key
        key = row[0]
        seen.add(key)


def resolve_person(conn: sqlite3.Connection, key: str, name: str, *, context: Iterable[str] = (),
                   aliases: Iterable[str] = ()) -> Link | None:
    """An automatic link for a person key not seen before, or None to keep it its own actor."""
    if conn.execute("SELECT 1 FROM key_links WHERE key = ?", (key,)).fetchone():
        return None  # the user (or an earlier run) decided
    words = name.split()
    if len(words) >= 3:
        return _same_first_and_last(conn, key, words) or _epithet(conn, key, words)
    if len(words) == 1:
        return _surname(conn, key, words[0], set(context), list(aliases))
    return _fuller_name_known(conn, key, words)


def fold_name(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold().replace("’", "'")


def _is_initial(word: str) -> bool:
    return bool(re.fullmatch(r"\w\.?", word))


def name_parts(name: str) -> tuple[str, str]:
    """Folded first and last name as indexed in `actors` (`al-` dropped from the last)."""
    words = name.split() or [""]
    return fold_name(words[0]), fold_name(words[-1]).removeprefix("al-")


def _persons_named(conn: sqlite3.Connection, first: str | None, last: str) -> list[tuple[str, str]]:
    """Person actors whose name starts with `first` (if given) and ends with `last`: an index
    lookup on (last_name, first_name)."""
    last = fold_name(last).removeprefix("al-")
    # in arrival order (the first match wins in `_misspelt`); `+kind` keeps the planner on the
    # name index: on the index of kinds it read every person known, however many
    if first:
        rows = conn.execute("""SELECT key, name FROM actors WHERE last_name = ? AND first_name = ? AND +kind = 'person'
                               ORDER BY id""", (last, fold_name(first))).fetchall()
    else:
        rows = conn.execute("""SELECT key, name FROM actors WHERE last_name = ? AND +kind = 'person'
                               ORDER BY id""", (last,)).fetchall()
    return [(k, n) for k, n in rows]


def _same_first_and_last(conn: sqlite3.Connection, key: str, words: list[str]) -> Link | None:
    # "Hillary Rodham Clinton", "Donald J. Trump" -> "Hillary Clinton", "Donald Trump"; but
    # initials tell people apart, so not while another initial goes with the same name
    named = [(k, n) for k, n in _persons_named(conn, words[0], words[-1]) if k != key]
    # the forms already joined to each candidate count too: "George W. Bush" joined to
    # "George Bush" keeps "George H. W. Bush" out
    forms = [(k, m.split(":", 1)[-1]) for k, _ in named for m in member_keys(conn, k)]
    if _other_middle(named + forms, words):
        return None
    found = [k for k, n in named if len(n.split()) == 2]
    if len(found) == 1:
        return Link(found[0], "same first and last name (middle name or initial dropped)", 0.9, True)
    return None


def _other_middle(named: list[tuple[str, str]], words: list[str]) -> bool:
    """Is another person of this first and last name known by different middle initials
    (`George W. Bush` beside `George H. W. Bush`)?"""
    middle = [fold_name(w).rstrip(".") for w in words[1:-1]]
    for _, name in named:
        other = [fold_name(w).rstrip(".") for w in name.split()[1:-1]]
        if other and other != middle and (any(_is_initial(w) for w in words[1:-1])
                                          or any(_is_initial(w) for w in name.split()[1:-1])):
            return True
    return False


# How often a name must already be known before a word in front of it is taken for an
# epithet or title ("Crooked Hillary Clinton") rather than a first name.
EPITHET_MIN_MENTIONS = 5


def _epithet(conn: sqlite3.Connection, key: str, words: list[str]) -> Link | None:
    rest = "person:" + fold_name(" ".join(words[1:]))
    if rest != key and _named_at_least(conn, rest, EPITHET_MIN_MENTIONS):
        return Link(canonical(conn, rest), f"{words[0]!r} before a known name (an epithet or title)", 0.8, True)
    return None


def _fuller_name_known(conn: sqlite3.Connection, key: str, words: list[str]) -> Link | None:
    # "Hillary Clinton", "Donald Trump" arriving after "Hillary Rodham Clinton", "Donald J. Trump"
    # was stored alone; two fuller names (`George W.`, `George H. W. Bush`) leave it apart
    found = [k for k, n in _persons_named(conn, words[0], words[-1]) if len(n.split()) >= 3 and k != key]
    if len(found) == 1:
        return Link(found[0], "same first and last name (middle name or initial dropped)", 0.9, True)
    return _misspelt(conn, key, words)


# A first name one letter away from a much more often named person's ("Hilary Clinton")
# is taken for a misspelling of it.
MISSPELLING_MIN_MENTIONS = 20


def _misspelt(conn: sqlite3.Connection, key: str, words: list[str]) -> Link | None:
    if len(words[0]) < 5:
        return None
    for other, name in _persons_named(conn, None, words[-1]):
        first = name.split()[0]
        if (other != key and len(name.split()) == 2 and _one_edit(fold_name(first), fold_name(words[0]))
                and _named_at_least(conn, other, MISSPELLING_MIN_MENTIONS)):
            return Link(canonical(conn, other), f"first name {words[0]!r} one letter from {first!r}", 0.7, True)
    return None


def _one_edit(a: str, b: str) -> bool:
    """Exactly one insertion, deletion or substitution apart."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return a[i + (len(a) == len(b)):] == b[i + 1:]
    return True


def _surname(conn: sqlite3.Connection, key: str, surname: str, context: set[str],
             aliases: list[str]) -> Link | None:
    candidates = [k for k, n in _persons_named(conn, None, surname) if len(n.split()) >= 2 and k != key]
    candidates = [canonical(conn, k) for k in candidates]
    candidates = sorted(set(candidates))
    if not candidates:
        return None
    styles = {a.split()[0].rstrip(".").lower() for a in aliases if len(a.split()) > 1}
    counts = {c: _mentions(conn, c) for c in candidates}  # once, not once per candidate
    scored = sorted(((_surname_score(conn, c, context, styles, counts), c) for c in candidates), reverse=True)
    best_score, best = scored[0]
    margin = best_score - (scored[1][0] if len(scored) > 1 else 0.0)
    reason = (f"surname {surname!r} in context: {len(candidates)} candidate(s), "
              f"best by {margin:.2f} over the next")
    return Link(best, reason, round(best_score, 3), True)


def _surname_score(conn: sqlite3.Connection, candidate: str, context: set[str], styles: set[str],
                   counts: dict[str, int]) -> float:
    """Context overlap (who else the article names), style agreement and how often each is named."""
    ids = conn.execute("SELECT id FROM actors WHERE key = ?", (candidate,)).fetchone()
    if ids is None:
        return 0.0
    actor_id = ids[0]
    articles = [r[0] for r in conn.execute(
        "SELECT DISTINCT article_id FROM mentions WHERE actor_id = ? ORDER BY article_id DESC LIMIT ?",
        (actor_id, CONTEXT_ARTICLES))]
    neighbours: set[str] = set()
    for start in range(0, len(articles), 500):
        chunk = articles[start:start + 500]
        marks = ",".join("?" * len(chunk))
        neighbours |= {r[0] for r in conn.execute(
            f"SELECT DISTINCT actor_key FROM mentions WHERE article_id IN ({marks})", chunk)}
    overlap = len(context & neighbours) / len(context) if context else 0.0
    prior = counts[candidate] / (sum(counts.values()) or 1)
    style = _style_agreement(conn, actor_id, styles)
    return 0.5 * overlap + 0.3 * prior + 0.2 * style


def _named_at_least(conn: sqlite3.Connection, key: str, times: int) -> bool:
    """Is the actor of `key` mentioned `times` times or more? Counts no further than that, so
    the answer costs the same for the busiest actor."""
    row = conn.execute("""SELECT COUNT(*) FROM (SELECT 1 FROM mentions m JOIN actors a ON a.id = m.actor_id
                          WHERE a.key = ? LIMIT ?)""", (key, times)).fetchone()
    return row[0] >= times


def _mentions(conn: sqlite3.Connection, key: str) -> int:
    """How many mentions the actor of `key` has: the count the triggers of m019 keep in
    `actor_stats`, one row however often a leader has been named."""
    row = conn.execute("SELECT s.mentions FROM actors a JOIN actor_stats s ON s.actor_id = a.id WHERE a.key = ?",
                       (key,)).fetchone()
    return row[0] if row else 0


def _style_agreement(conn: sqlite3.Connection, actor_id: int, styles: set[str]) -> float:
    """1 when the article styles the person as the candidate has been styled, 0 when opposite."""
    if not styles:
        return 0.5
    known = {r[0].split()[0].rstrip(".").lower() for r in conn.execute(
        "SELECT DISTINCT alias FROM aliases WHERE actor_id = ? AND alias LIKE '% %'", (actor_id,))}
    female = bool(styles & set(FEMALE_STYLES))
    male = bool(styles & set(MALE_STYLES))
    if (female and known & set(FEMALE_STYLES)) or (male and known & set(MALE_STYLES)):
        return 1.0
    if (female and known & set(MALE_STYLES)) or (male and known & set(FEMALE_STYLES)):
        return 0.0
    return 0.5


def add_link(conn: sqlite3.Connection, key: str, link: Link) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO key_links (key, target, reason, score, auto, created) VALUES (?, ?, ?, ?, ?, ?)",
        (key, link.target, link.reason, link.score, int(link.auto), _now()),
    )


def links_of(conn: sqlite3.Connection, key: str) -> list[dict]:
    """The links that brought other keys into the actor with canonical `key`."""
    rows = conn.execute(
        "SELECT key, target, reason, score, auto, created FROM key_links WHERE target = ? AND key != target",
        (key,)).fetchall()
    return [{"key": r[0], "target": r[1], "reason": r[2], "score": r[3], "auto": bool(r[4]), "created": r[5]}
            for r in rows]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def snapshot_links(conn: sqlite3.Connection, keys: Iterable[str]) -> str:
    """The current links of `keys`, as JSON, so a decision can be undone."""
    rows = {}
    for key in keys:
        row = conn.execute("SELECT target, reason, score, auto FROM key_links WHERE key = ?", (key,)).fetchone()
        rows[key] = None if row is None else list(row)
    return json.dumps(rows)


def restore_links(conn: sqlite3.Connection, before: str) -> list[str]:
    keys = []
    for key, row in json.loads(before).items():
        keys.append(key)
        if row is None:
            conn.execute("DELETE FROM key_links WHERE key = ?", (key,))
        else:
            conn.execute(
                "INSERT OR REPLACE INTO key_links (key, target, reason, score, auto, created) VALUES (?, ?, ?, ?, ?, ?)",
                (key, *row, _now()))
    return keys


def member_keys(conn: sqlite3.Connection, key: str) -> set[str]:
    """Every extraction key whose canonical actor is `key`."""
    keys = {key}
    frontier = [key]
    while frontier:
        current = frontier.pop()
        for (member,) in conn.execute("SELECT key FROM key_links WHERE target = ? AND key != target", (current,)):
            if member not in keys:
                keys.add(member)
                frontier.append(member)
    return keys


def require_actor(conn: sqlite3.Connection, actor_id: int) -> tuple[str, str]:
    row = conn.execute("SELECT key, name FROM actors WHERE id = ?", (actor_id,)).fetchone()
    if row is None:
        raise NotFound(f"no actor {actor_id}")
    return row[0], row[1]


def check_not_same(a: str, b: str) -> None:
    if a == b:
        raise StoreError("those are the same actor; nothing to merge")
