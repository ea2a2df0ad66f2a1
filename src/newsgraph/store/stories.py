"""Stories: the reports of one real-world event across articles and outlets.

An event joins a story when

- their roots describe one happening (`ROOT_GROUPS`: a visit, its hosting and the meeting
  during it are all CAMEO 04 consultations; an attack and the fighting it starts are 18/19);
- their parties are the story's own: each party of the event is one of the story's core
  parties (those of the event that began it) or, in an event between countries, of a
  country the other is (Kim Jong Un of North Korea), and each core party is met by one of
  the event's (an event with a single party need only be among them): "Shoigu -> North
  Korea", "North Korea -> Shoigu" (the host's mirrored side) and "Shoigu -> Kim Jong Un"
  (the leader visited) are one visit; "Trump criticised Cruz" and "Trump criticised
  Clinton" are two stories;
- the event's own day (its text date, else its article's publication day) lies within
  `WINDOW_DAYS` of the story's days, and the story would span at most `MAX_SPAN_DAYS`;
  a month-precise date agrees only with the same month; an event dated only by its year
  begins a story of its own (a year names no one happening);
- their places agree: a city lies in the country named (places are compared by country).

Articles none of whose events joined an existing story (the coder missed "received",
"held talks") join the story whose core parties they all name (a country party of an event
between countries also by someone or somewhere of it), published within `WINDOW_DAYS` of its
days, whose lead resembles theirs (`SIMILAR`, cosine of the content words of the first
sentences); they are marked as joined by similarity. An article that arrives before any
story it could join waits among the orphans (`story_orphans`, by day) until a story of its
days and parties appears.

Candidates are found in `story_keys` by actor and day, an index lookup: adding an article
costs the same whatever the size of the corpus.
"""

from __future__ import annotations

import math
import re
import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from . import resolution

# How far an event's day may lie from a story's days and still be the same happening.
WINDOW_DAYS = 3
# The most days one story spans: reports of a week-long crisis are not one event.
MAX_SPAN_DAYS = 7
# How many candidate stories a new event or article is compared with.
CANDIDATE_STORIES = 50
# Roots (CAMEO two-digit) that describe one happening, by the group's name.
ROOT_GROUPS = {"18": "18+19", "19": "18+19"}
# Cosine of the content words of two leads (`LEAD_SENTENCES`) from which an uncoded article
# reads as a report of a story: reports of one happening say it in their first sentences,
# while articles on one topic share words all through.
SIMILAR = 0.35
LEAD_SENTENCES = 2
# How many stories an uncoded article's text is compared with (those sharing most parties),
# and with how many of each story's articles (the earliest ones).
COMPARED_STORIES = 10
COMPARED_ARTICLES = 3
NEGATIVE = frozenset({"negated", "denied"})
# Statuses under which a report says the event happened (or is said to have happened).
POSITIVE = frozenset({"asserted", "reported", "alleged", "believed"})

INDEX_SCHEMA = (
    """CREATE TABLE story_keys (
        actor_id INTEGER NOT NULL,
        day TEXT NOT NULL,
        story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
        PRIMARY KEY (actor_id, day, story_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX story_keys_story ON story_keys(story_id)",
    """CREATE TABLE story_articles (
        story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        score REAL NOT NULL,
        PRIMARY KEY (article_id, story_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX story_articles_story ON story_articles(story_id)",
    """CREATE TABLE story_orphans (
        article_id TEXT NOT NULL PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        day TEXT NOT NULL
    ) WITHOUT ROWID""",
    "CREATE INDEX story_orphans_day ON story_orphans(day)",
)


@dataclass(frozen=True, slots=True)
class Occurrence:
    """What an event contributes to story matching."""

    group: str
    parties: frozenset[int]
    members: frozenset[tuple[int, str, str]]  # (actor id, kind, country or "") of each party
    unresolved: int  # parties named but not resolved to an actor ("journalists")
    countries: frozenset[str]
    day: str  # YYYY-MM-DD, YYYY-MM or YYYY; "" when neither the text nor the article dates it
    place_country: str | None


def root_group(root: str) -> str:
    return ROOT_GROUPS.get(root, root)


def roots_grouped_with(root: str) -> list[str]:
    """The CAMEO roots whose events can share a story with events of `root` (itself included)."""
    group = root_group(root)
    return sorted({root} | {r for r, g in ROOT_GROUPS.items() if g == group})


# -- assigning events -----------------------------------------------------------------------


def assign(conn: sqlite3.Connection, event_ids: Sequence[str], article_id: str | None = None) -> None:
    """Put each event of a newly stored article into a story (an existing one, or a new one);
    then, if none of the article's events joined another article's story, let the article
    (`article_id`, when given) join one by its text."""
    articles: dict[str, bool] = {}
    original: int | None = None  # the story of the article's last event that is not a mirror
    created: list[int] = []
    for event_id in event_ids:
        found = _occurrence(conn, event_id)
        if found is None:
            continue
        event_article, occ = found
        mirrored = _is_mirror(conn, event_id)
        # a host's side of a visit goes with the visit it mirrors (coded just before it)
        story = original if mirrored and original is not None else _matching_story(conn, occ, event_id)
        joined = story is not None
        if story is None:
            story = conn.execute("INSERT INTO stories (signature, cameo_root) VALUES (?, ?) RETURNING id",
                                 (occ.group, occ.group.split("+")[0])).fetchone()[0]
            created.append(story)
        elif not articles.get(event_article):  # its own earlier event's story does not count
            joined = bool(conn.execute(
                """SELECT 1 FROM story_events s JOIN events e ON e.id = s.event_id
                   WHERE s.story_id = ? AND e.article_id != ? LIMIT 1""", (story, event_article)).fetchone())
        articles[event_article] = articles.get(event_article, False) or joined
        conn.execute("INSERT OR REPLACE INTO story_events (story_id, event_id) VALUES (?, ?)", (story, event_id))
        _absorb(conn, story, occ)
        if not mirrored:
            original = story
    if article_id is not None:
        conn.execute("DELETE FROM story_orphans WHERE article_id = ?", (article_id,))
        if not articles.get(article_id):
            attach(conn, article_id)
    for story in created:
        adopt(conn, story)


def _occurrence(conn: sqlite3.Connection, event_id: str) -> tuple[str, Occurrence] | None:
    row = conn.execute(
        """SELECT e.article_id, e.cameo_root, e.time_value, e.place_country, a.published
           FROM events e JOIN articles a ON a.id = e.article_id WHERE e.id = ?""", (event_id,)).fetchone()
    if row is None:
        return None
    everyone = conn.execute(
        """SELECT p.actor_id, a.country, a.kind FROM participants p LEFT JOIN actors a ON a.id = p.actor_id
           WHERE p.event_id = ?""", (event_id,)).fetchall()
    parts = [p for p in everyone if p[0] is not None]
    if not parts:
        return None
    return row[0], Occurrence(root_group(row[1]), frozenset(p[0] for p in parts),
                              frozenset((p[0], p[2] or "", p[1] or "") for p in parts), len(everyone) - len(parts),
                              frozenset(p[1] for p in parts if p[1]), event_day(row[2], row[4]), row[3] or None)


def event_day(time_value: str | None, published: str | None) -> str:
    """The day an event is placed on: its own date, else its article's publication day."""
    for value in (time_value, published):
        if value and re.match(r"\d{4}(-\d\d){0,2}", value):
            return value[:10] if _date(value) else re.match(r"\d{4}(-\d\d)?", value).group(0)  # type: ignore[union-attr]
    return ""


def _is_mirror(conn: sqlite3.Connection, event_id: str) -> bool:
    row = conn.execute("SELECT mirrored FROM events WHERE id = ?", (event_id,)).fetchone()
    return bool(row and row[0])


def _matching_story(conn: sqlite3.Connection, occ: Occurrence, event_id: str) -> int | None:
    """The story the event reports: of the compatible ones, the one sharing most parties, in
    the same place, nearest in time, earliest."""
    if len(occ.day) == 4:
        return None  # a year names no one happening: "met several times in 2016"
    best: tuple[tuple, int] | None = None
    for story_id in _candidates(conn, occ.parties, occ.day, occ.group):
        story = _summary(conn, story_id)
        if story is None or not _compatible(occ, story) or _told_apart(conn, story_id, event_id):
            continue
        shared = len(occ.parties & story["parties"])
        rank = (shared, occ.place_country is not None and occ.place_country == story["place_country"],
                -_gap(occ.day, story), -story_id)
        if best is None or rank > best[0]:
            best = (rank, story_id)
    return None if best is None else best[1]


def _told_apart(conn: sqlite3.Connection, story_id: int, event_id: str) -> bool:
    """Whether the story holds another event of the same article with the same code and
    parties: the article's own grouping (extract.mentions) found them to be two occasions
    ("arrived on Tuesday" and "has visited twice before")."""
    # the article's own few events are read (`+o.cameo`: on the index of codes the planner
    # read every event of that code in the store)
    return conn.execute(
        """SELECT 1 FROM story_events s JOIN events o ON o.id = s.event_id JOIN events e ON e.id = ?
           WHERE s.story_id = ? AND o.article_id = e.article_id AND +o.cameo = e.cameo AND o.mirrored = 0
             AND o.id != e.id
             AND (SELECT group_concat(actor_id) FROM (SELECT actor_id FROM participants WHERE event_id = o.id
                                                       ORDER BY role, actor_id))
               IS (SELECT group_concat(actor_id) FROM (SELECT actor_id FROM participants WHERE event_id = e.id
                                                       ORDER BY role, actor_id))
           LIMIT 1""", (event_id, story_id)).fetchone() is not None


def _candidates(conn: sqlite3.Connection, actors: Iterable[int], day: str, group: str | None) -> list[int]:
    """The latest stories (at most `CANDIDATE_STORIES`) with one of `actors` on a day near `day`."""
    actors = sorted(actors)
    if not actors:
        return []
    low, high = _day_range(day)
    marks = ",".join("?" * len(actors))
    where = "AND s.signature = ?" if group is not None else ""
    return [r[0] for r in conn.execute(
        f"""SELECT DISTINCT k.story_id FROM story_keys k JOIN stories s ON s.id = k.story_id
            WHERE k.actor_id IN ({marks}) AND k.day BETWEEN ? AND ? {where}
            ORDER BY k.story_id DESC LIMIT ?""",
        (*actors, low, high, *([group] if group is not None else []), CANDIDATE_STORIES))]


def _day_range(day: str) -> tuple[str, str]:
    """The keys a story near `day` may be filed under ("" for undated: only undated stories)."""
    exact = _date(day)
    if exact is not None:
        return (exact - timedelta(days=WINDOW_DAYS)).isoformat(), (exact + timedelta(days=WINDOW_DAYS)).isoformat()
    return day, day


def _summary(conn: sqlite3.Connection, story_id: int) -> dict[str, Any] | None:
    row = conn.execute("SELECT first_day, last_day, place_country, countries, parties, core FROM stories WHERE id = ?",
                       (story_id,)).fetchone()
    if row is None:
        return None
    core = frozenset((int(i), kind, country) for i, kind, country in (m.split(":") for m in row[5].split()))
    return {"first": row[0] or "", "last": row[1] or "", "place_country": row[2],
            "countries": frozenset(row[3].split()), "parties": frozenset(int(p) for p in row[4].split()),
            "core": core}


def _compatible(occ: Occurrence, story: dict[str, Any]) -> bool:
    if occ.place_country and story["place_country"] and occ.place_country != story["place_country"]:
        return False
    if occ.countries and story["countries"] and not (occ.countries <= story["countries"]
                                                      or story["countries"] <= occ.countries):
        return False
    return (_same_parties(occ.members, story["core"], single=len(occ.members) == 1 and not occ.unresolved)
            and _days_agree(occ.day, story["first"], story["last"]))


def _same_parties(members: frozenset[tuple[int, str, str]], core: frozenset[tuple[int, str, str]], *,
                  single: bool) -> bool:
    """Whether an event's parties are the story's core parties: each party is one of them
    (or, between countries, of a country that is one of them, or the country one is of),
    and each core party is met, unless the event names a `single` party and no other."""
    international = len({c for _, _, c in members | core if c}) > 1

    def same(a: tuple[int, str, str], b: tuple[int, str, str]) -> bool:
        if a[0] == b[0]:
            return True
        return international and bool(a[2]) and a[2] == b[2] and "state" in (a[1], b[1])

    if not core:
        return True
    if not all(any(same(m, c) for c in core) for m in members):
        return False
    return single or all(any(same(c, m) for m in members) for c in core)


def _days_agree(day: str, first: str, last: str) -> bool:
    exact, start, end = _date(day), _date(first), _date(last)
    if exact and start and end:
        span = (max(exact, end) - min(exact, start)).days
        return span <= MAX_SPAN_DAYS and (start - timedelta(days=WINDOW_DAYS) <= exact <= end + timedelta(days=WINDOW_DAYS))
    # undated with undated only; a month or a year with the same month or year only: "in 2016"
    # would agree with every day of the year, and the story would drift with it
    return day == first == last


def _gap(day: str, story: dict[str, Any]) -> int:
    exact, start = _date(day), _date(story["first"])
    return abs((exact - start).days) if exact and start else 0


def _absorb(conn: sqlite3.Connection, story_id: int, occ: Occurrence) -> None:
    """Widen a story's parties, countries, days and place by one event, and file its keys."""
    story = _summary(conn, story_id)
    assert story is not None  # noqa: S101 - inserted or found just before
    days = [d for d in (story["first"], story["last"], occ.day) if d]
    core = story["core"] or occ.members  # the parties of the event that began the story
    conn.execute(
        """UPDATE stories SET first_day = ?, last_day = ?, place_country = COALESCE(place_country, ?),
                  countries = ?, parties = ?, core = ? WHERE id = ?""",
        (min(days) if days else None, max(days) if days else None, occ.place_country,
         " ".join(sorted(story["countries"] | occ.countries)),
         " ".join(str(p) for p in sorted(story["parties"] | occ.parties)),
         " ".join(f"{i}:{kind}:{country}" for i, kind, country in sorted(core)), story_id))
    conn.executemany("INSERT OR IGNORE INTO story_keys (actor_id, day, story_id) VALUES (?, ?, ?)",
                     [(actor, occ.day, story_id) for actor in sorted(occ.parties)])


# -- articles the coder missed -------------------------------------------------------------


def attach(conn: sqlite3.Connection, article_id: str) -> int | None:
    """Join an article to the story its text reports, if one matches; returns the story.
    An article that joins none, and none of whose events is in a story, waits among the
    orphans until a story of its days appears (`adopt`)."""
    row = conn.execute("SELECT published FROM articles WHERE id = ?", (article_id,)).fetchone()
    day = _date(row[0]) if row and row[0] else None
    if day is None:
        return None  # an undated article cannot be placed near a story's days
    actors, countries = _named(conn, article_id)
    own = {r[0] for r in conn.execute(
        """SELECT s.story_id FROM story_events s JOIN events e ON e.id = s.event_id WHERE e.article_id = ?""",
        (article_id,))}
    plausible = []
    for story_id in _candidates(conn, actors, day.isoformat(), None):
        story = _summary(conn, story_id)
        if story_id not in own and story is not None and _may_report(day.isoformat(), actors, countries, story):
            plausible.append((-len(story["parties"] & actors), story_id))
    words = content_words(lead(conn, article_id)) if plausible else Counter()
    best: tuple[float, int] | None = None
    for _, story_id in sorted(plausible)[:COMPARED_STORIES]:  # the texts are read for the likeliest only
        score = _resemblance(conn, words, story_id, article_id)
        if score >= SIMILAR and (best is None or score > best[0]):
            best = (score, story_id)
    if best is None:
        if not own:
            conn.execute("INSERT OR REPLACE INTO story_orphans (article_id, day) VALUES (?, ?)",
                         (article_id, day.isoformat()))
        return None
    _join(conn, best[1], article_id, best[0])
    return best[1]


def adopt(conn: sqlite3.Connection, story_id: int) -> None:
    """Let a new story take the orphan articles published near its days that name its
    parties and whose text resembles it (they arrived before any report the coder read)."""
    story = _summary(conn, story_id)
    start = _date(story["first"]) if story else None
    if story is None or start is None or not story["parties"]:
        return
    end = _date(story["last"]) or start
    low, high = (start - timedelta(days=WINDOW_DAYS)).isoformat(), (end + timedelta(days=WINDOW_DAYS)).isoformat()
    marks = ",".join("?" * len(story["parties"]))
    orphans = [r[0] for r in conn.execute(
        f"""SELECT o.article_id FROM story_orphans o WHERE o.day BETWEEN ? AND ? AND EXISTS
                (SELECT 1 FROM mentions m WHERE m.article_id = o.article_id AND m.actor_id IN ({marks}))
            ORDER BY o.day LIMIT ?""", (low, high, *sorted(story["parties"]), CANDIDATE_STORIES))]
    for article_id in orphans:
        row = conn.execute("SELECT published FROM articles WHERE id = ?", (article_id,)).fetchone()
        actors, countries = _named(conn, article_id)
        if row is None or not row[0] or not _may_report(row[0][:10], actors, countries, story):
            continue
        score = _resemblance(conn, content_words(lead(conn, article_id)), story_id, article_id)
        if score >= SIMILAR:
            _join(conn, story_id, article_id, score)


def reconsider(conn: sqlite3.Connection, actor_keys: Iterable[str]) -> None:
    """Try again to place the articles in no story that mention these (re-resolved) actor
    keys: "Shoigu" is now known to be Sergei Shoigu, a party of a story."""
    orphans = {r[0] for key in set(actor_keys) for r in conn.execute(
        f"""SELECT m.article_id FROM mentions m JOIN story_orphans o ON o.article_id = m.article_id
            WHERE {resolution.rows_of_key('mentions', alias='m')}""", {"key": key})}
    for article_id in sorted(orphans):
        attach(conn, article_id)


def _named(conn: sqlite3.Connection, article_id: str) -> tuple[set[int], set[str]]:
    """The actors an article names, and their countries."""
    named = conn.execute("""SELECT DISTINCT m.actor_id, a.country FROM mentions m JOIN actors a ON a.id = m.actor_id
                            WHERE m.article_id = ?""", (article_id,)).fetchall()
    return {r[0] for r in named}, {r[1] for r in named if r[1]}


def _may_report(day: str, actors: set[int], countries: set[str], story: dict[str, Any]) -> bool:
    """Whether an article of that day naming these actors may report the story: it names each
    of its core parties (a country party between countries also by someone or somewhere of
    that country: KCNA names Kim Jong Un and Pyongyang, not North Korea), near its days."""
    international = len({c for _, _, c in story["core"] if c}) > 1
    named = all(i in actors or (international and kind == "state" and country in countries)
                for i, kind, country in story["core"])
    return named and bool(story["core"]) and _days_agree(day, story["first"], story["last"])


def _resemblance(conn: sqlite3.Connection, words: Counter[str], story_id: int, article_id: str) -> float:
    """How much an article's lead resembles the leads of the story's first reports."""
    return max((cosine(words, content_words(lead(conn, other))) for other in _story_reports(conn, story_id, article_id)),
               default=0.0)


def lead(conn: sqlite3.Connection, article_id: str) -> str:
    """An article's first `LEAD_SENTENCES` sentences (its opening when it has no sentences)."""
    spans = conn.execute("SELECT start, end FROM sentences WHERE article_id = ? ORDER BY idx LIMIT ?",
                         (article_id, LEAD_SENTENCES)).fetchall()
    if spans:
        row = conn.execute("SELECT substr(text, ?, ?) FROM articles WHERE id = ?",
                           (spans[0][0] + 1, spans[-1][1] - spans[0][0], article_id)).fetchone()
    else:
        row = conn.execute("SELECT substr(text, 1, 500) FROM articles WHERE id = ?", (article_id,)).fetchone()
    return row[0] if row else ""


def _join(conn: sqlite3.Connection, story_id: int, article_id: str, score: float) -> None:
    conn.execute("INSERT OR REPLACE INTO story_articles (story_id, article_id, score) VALUES (?, ?, ?)",
                 (story_id, article_id, round(score, 3)))
    conn.execute("DELETE FROM story_orphans WHERE article_id = ?", (article_id,))


def _story_reports(conn: sqlite3.Connection, story_id: int, article_id: str) -> list[str]:
    """The story's first `COMPARED_ARTICLES` articles with a coded event (other than this one)."""
    return [r[0] for r in conn.execute(
        """SELECT a.id FROM articles a WHERE a.id IN (
               SELECT e.article_id FROM story_events s JOIN events e ON e.id = s.event_id WHERE s.story_id = ?)
             AND a.id != ? ORDER BY a.seq LIMIT ?""", (story_id, article_id, COMPARED_ARTICLES))]


# Words that say nothing about what happened: left out of text similarity and claim matching.
STOPWORDS = frozenset("""
a about above after again against all already also an and any are as at be been before being between both but
by can could did do does during each for from had has have he her here him his how i if in into is it its
just more most no nor not now of off on once only or other our out over own said same say says she should so
some such than that the their them then there these they this those through to too under until up very was we
were what when where which while who whom why will with would you your told according
""".split())


def content_words(text: str) -> Counter[str]:
    """The words of a text that carry its content, crudely stemmed, with their counts."""
    words: Counter[str] = Counter()
    for word in re.findall(r"[^\W_][\w'’-]*", text.lower()):
        word = word.replace("’", "'").removesuffix("'s")
        if word not in STOPWORDS and len(word) > 1:
            words[stem(word)] += 1
    return words


def stem(word: str) -> str:
    """Plural and tense endings off: "troops", "discussed" and "discussing" meet their stems."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4 and not word.endswith("ss"):
            return word[: -len(suffix)]
    return word


def cosine(a: Counter[str], b: Counter[str]) -> float:
    if not a or not b:
        return 0.0
    # counts dampened: a name repeated ten times is not ten times the evidence
    wa = {w: 1 + math.log(n) for w, n in a.items()}
    wb = {w: 1 + math.log(n) for w, n in b.items()}
    dot = sum(v * wb[w] for w, v in wa.items() if w in wb)
    return dot / (math.sqrt(sum(v * v for v in wa.values())) * math.sqrt(sum(v * v for v in wb.values())))


# -- upkeep ---------------------------------------------------------------------------------


def restory(conn: sqlite3.Connection, event_ids: Sequence[str]) -> None:
    """Put events whose parties changed (an actor merge, split or undo) into the stories their
    parties now give, in the order they were reported; stories left empty go, the others
    are summarised again from their remaining events."""
    if not event_ids:
        return
    marks = ",".join("?" * len(event_ids))
    old = [r[0] for r in conn.execute(f"SELECT DISTINCT story_id FROM story_events WHERE event_id IN ({marks})",
                                      list(event_ids))]
    conn.execute(f"DELETE FROM story_events WHERE event_id IN ({marks})", list(event_ids))
    drop_empty(conn, old)
    for story_id in old:
        _resummarise(conn, story_id)
    by_article: dict[str, list[str]] = {}
    for event_id, article_id in conn.execute(
            f"""SELECT e.id, e.article_id FROM events e JOIN articles a ON a.id = e.article_id WHERE e.id IN ({marks})
                ORDER BY a.seq, e.rowid""", list(event_ids)):
        by_article.setdefault(article_id, []).append(event_id)
    for events in by_article.values():
        assign(conn, events)


def _resummarise(conn: sqlite3.Connection, story_id: int) -> None:
    if not conn.execute("SELECT 1 FROM stories WHERE id = ?", (story_id,)).fetchone():
        return
    conn.execute("UPDATE stories SET first_day = NULL, last_day = NULL, place_country = NULL, countries = '', "
                 "parties = '', core = '' WHERE id = ?", (story_id,))
    conn.execute("DELETE FROM story_keys WHERE story_id = ?", (story_id,))
    for (event_id,) in conn.execute("SELECT event_id FROM story_events WHERE story_id = ?", (story_id,)).fetchall():
        found = _occurrence(conn, event_id)
        if found is not None:
            _absorb(conn, story_id, found[1])


def drop_empty(conn: sqlite3.Connection, story_ids: Sequence[int] | None = None) -> None:
    """Remove stories no event reports any more (all of them, or among `story_ids`); articles
    joined to them by similarity alone go with them."""
    orphan = "NOT EXISTS (SELECT 1 FROM story_events s WHERE s.story_id = stories.id)"
    if story_ids is None:
        conn.execute(f"DELETE FROM stories WHERE {orphan}")
    else:
        conn.executemany(f"DELETE FROM stories WHERE id = ? AND {orphan}", [(s,) for s in story_ids])


def rebuild(conn: sqlite3.Connection) -> None:
    """Every story again from the events, article by article in order of arrival."""
    conn.execute("DELETE FROM story_articles")
    conn.execute("DELETE FROM story_orphans")
    conn.execute("DELETE FROM story_keys")
    conn.execute("DELETE FROM story_events")
    conn.execute("DELETE FROM stories")
    article_events: dict[str, list[str]] = {}
    for event_id, article_id in conn.execute(
            "SELECT e.id, e.article_id FROM events e JOIN articles a ON a.id = e.article_id ORDER BY a.seq, e.rowid"):
        article_events.setdefault(article_id, []).append(event_id)
    for article_id, in conn.execute("SELECT id FROM articles ORDER BY seq").fetchall():
        assign(conn, article_events.get(article_id, []), article_id)


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value and len(value) >= 10 else None
    except ValueError:
        return None


def story_articles(conn: sqlite3.Connection, story_id: int) -> list[tuple[str, str, float | None]]:
    """(article id, how it joined: "event" or "similarity", similarity score) of a story."""
    rows: list[tuple[str, str, float | None]] = [(r[0], "event", None) for r in conn.execute(
        """SELECT DISTINCT e.article_id FROM story_events s JOIN events e ON e.id = s.event_id
           WHERE s.story_id = ?""", (story_id,))]
    seen = {r[0] for r in rows}
    try:
        joined = conn.execute("SELECT article_id, score FROM story_articles WHERE story_id = ?", (story_id,)).fetchall()
    except sqlite3.OperationalError:  # a store read before the m017 migration: none joined by text
        joined = []
    return rows + [(r[0], "similarity", r[1]) for r in joined if r[0] not in seen]


def of_article(conn: sqlite3.Connection, article_id: str) -> list[int]:
    """The stories an article's events are in."""
    return [r[0] for r in conn.execute(
        """SELECT DISTINCT s.story_id FROM events e JOIN story_events s ON s.event_id = e.id
           WHERE e.article_id = ?""", (article_id,))]
