"""Crash safety: `newsgraph ingest` killed with SIGKILL at random points loses nothing it stored.

An article is *whole* when, for every table that holds its records, it has exactly as many
rows as the same article got in an uninterrupted reference run (sentences, mentions, roles,
aliases, actor facts, events with their participants, quantities, mentions and stories, claims with
their contents and events, time expressions, its family row and its full-text entry), and
*absent* when it has no row in any of them. After every kill each article is one or the
other; rerunning the same command stores exactly the missing ones, with no duplicates.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsgraph.store.backup import integrity_problems
from newsgraph.store import Store

if not hasattr(signal, "SIGKILL"):
    pytest.skip("SIGKILL is POSIX-only", allow_module_level=True)

ARTICLES = 40
CHAINS, KILLS_PER_CHAIN = 6, 4  # 24 kills; each chain ends with one run to completion
SEED = 20250301

PEOPLE = ["Antony Blinken", "Sergei Lavrov", "Wang Yi", "Annalena Baerbock", "Penny Wong", "Mauro Vieira",
          "Hakan Fidan", "Ahmed Attaf"]
COUNTRIES = ["France", "Japan", "Kenya", "Brazil", "Canada", "Egypt", "India", "Mexico", "Norway", "Turkey"]
CITIES = ["Geneva", "Nairobi", "Lima", "Oslo", "Hanoi", "Doha", "Vienna", "Rabat"]

# Records of one article, counted per article id: (table, SQL giving article_id per row).
PER_ARTICLE = {
    "sentences": "SELECT article_id FROM sentences",
    "mentions": "SELECT article_id FROM mentions",
    "roles": "SELECT article_id FROM roles",
    "aliases": "SELECT article_id FROM aliases",
    "actor_facts": "SELECT article_id FROM actor_facts",
    "events": "SELECT article_id FROM events",
    "participants": "SELECT e.article_id FROM participants p JOIN events e ON e.id = p.event_id",
    "quantities": "SELECT e.article_id FROM quantities q JOIN events e ON e.id = q.event_id",
    "event_mentions": "SELECT e.article_id FROM event_mentions m JOIN events e ON e.id = m.event_id",
    "story_events": "SELECT e.article_id FROM story_events s JOIN events e ON e.id = s.event_id",
    "claims": "SELECT article_id FROM claims",
    "claim_contents": "SELECT c.article_id FROM claim_contents x JOIN claims c ON c.id = x.claim_id",
    "claim_events": "SELECT c.article_id FROM claim_events x JOIN claims c ON c.id = x.claim_id",
    "timexes": "SELECT article_id FROM timexes",
    "family_members": "SELECT article_id FROM family_members",
    "fts": "SELECT a.id FROM articles_fts f JOIN articles a ON a.seq = f.rowid",
}
def article(i: int) -> dict[str, str]:
    p, q = PEOPLE[i % 8], PEOPLE[(i * 3 + 1) % 8]
    c, d = COUNTRIES[i % 10], COUNTRIES[(i * 7 + 3) % 10]
    city = CITIES[(i * 5) % 8]
    text = (f"{p} met {q} in {city} on Tuesday to discuss trade quota number {i}. "
            f"{c} accused {d} of breaking the accord signed in March, according to a statement. "
            f"Officials in {city} said the talks would continue next week, and {d} denied the claims.")
    return {"text": text, "title": f"Talks in {city} ({i})", "url": f"https://news.example/{i}",
            "published": f"2025-03-{1 + i % 28:02d}", "outlet": "Example Wire"}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("crash")
    (folder / "corpus.jsonl").write_text("".join(json.dumps(article(i)) + "\n" for i in range(ARTICLES)))
    # small batches: articles are stored one or two at a time between parses, so kills
    # land inside the writing phase, not only before or after it. One process: the kills'
    # spread is timed on it (the writer is the same in every engine; test_overlap.py kills
    # the default engine, whose parsing process must end with it)
    (folder / "settings.toml").write_text("[nlp]\nbatch_size = 2\nn_process = 1\n")
    return folder


def ingest_command(folder: Path, db: Path) -> list[str]:
    return [sys.executable, "-c", "from newsgraph.cli import cli; cli()", "ingest", str(folder / "corpus.jsonl"),
            "--db", str(db), "--settings", str(folder / "settings.toml"), "--json"]


def run_to_end(folder: Path, db: Path) -> dict:
    done = subprocess.run(ingest_command(folder, db), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def run_and_kill(folder: Path, db: Path, after: float) -> bool:
    """Start the ingest, SIGKILL it `after` seconds in; False if it finished first."""
    proc = subprocess.Popen(ingest_command(folder, db), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        proc.wait(timeout=after)
        return False
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        return True


def run_and_kill_while_writing(folder: Path, db: Path, delay: float) -> bool:
    """Start the ingest, SIGKILL it `delay` seconds after it stores its first new article: kills
    that land inside the writing phase however slow the machine is to load the model."""
    before = stored_count(db)
    proc = subprocess.Popen(ingest_command(folder, db), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline and stored_count(db) <= before:
        time.sleep(0.01)
    time.sleep(delay)
    if proc.poll() is not None:
        return False
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return True


def remove_store(db: Path) -> None:
    for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        path.unlink(missing_ok=True)


def stored_count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:  # the schema is still being created
        return 0


def per_article(conn: sqlite3.Connection) -> dict[str, dict[str, int]]:
    """Rows per article in each table of PER_ARTICLE; a record whose article is missing shows up
    under that missing id (and fails the comparison with the reference)."""
    counts = {aid: dict.fromkeys(PER_ARTICLE, 0) for (aid,) in conn.execute("SELECT id FROM articles")}
    for table, sql in PER_ARTICLE.items():
        select, rest = sql.split(" FROM ", 1)
        for aid, n in conn.execute(f"SELECT x, count(*) FROM ({select} AS x FROM {rest}) GROUP BY x"):
            counts.setdefault(aid, {**dict.fromkeys(PER_ARTICLE, 0), "orphan": 1})[table] = n
    return counts


def check_store(db: Path, reference: dict[str, dict[str, int]]) -> int:
    """Integrity, and every article whole or absent; returns how many articles are stored."""
    conn = sqlite3.connect(db)
    try:
        assert integrity_problems(conn) == []
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()
    # A kill between two schema migrations (each its own transaction) leaves an older, valid
    # schema; the next open completes it, as the next ingest would.
    Store(db).close()
    conn = sqlite3.connect(db)
    try:
        found = per_article(conn)
    finally:
        conn.close()
    for aid, counts in found.items():
        assert aid in reference, f"an article the reference run never stored: {aid}"
        assert counts == reference[aid], f"article {aid} is not whole: {counts} != {reference[aid]}"
    return len(found)


def test_sigkill_during_ingest_never_leaves_half_an_article(workdir):
    # the reference: one uninterrupted run, timed, to place the kills across its length
    ref_db = workdir / "reference.db"
    started = time.monotonic()
    first = run_to_end(workdir, ref_db)
    duration = time.monotonic() - started
    assert len(first["stored"]) == ARTICLES
    with sqlite3.connect(ref_db) as conn:
        reference = per_article(conn)
        ref_totals = {t: conn.execute(f"SELECT count(*) FROM ({sql})").fetchone()[0] for t, sql in PER_ARTICLE.items()}
    assert all(c["sentences"] and c["mentions"] and c["family_members"] == 1 for c in reference.values())

    rng = random.Random(SEED)
    killed = partial = 0
    for chain in range(CHAINS):
        db = workdir / f"chain{chain}.db"
        landed = 0
        # A run that finishes before its kill (few articles left, a quick machine) is retried,
        # and a store that a late kill left full is checked and started afresh, so that the
        # number of kills that land does not depend on the machine's speed or load.
        for k in range(KILLS_PER_CHAIN * 3):
            if landed == KILLS_PER_CHAIN:
                break
            if k % 2 == 0:  # anywhere from interpreter start-up and model load to the last commit
                landed += run_and_kill(workdir, db, rng.uniform(0.05, duration))
            else:  # while articles are being written
                landed += run_and_kill_while_writing(workdir, db, rng.uniform(0.0, 0.05))
            if db.exists():
                stored = check_store(db, reference)
                partial += 0 < stored < ARTICLES
                if stored == ARTICLES:
                    remove_store(db)
        killed += landed
        before = check_store(db, reference) if db.exists() else 0
        rerun = run_to_end(workdir, db)
        assert len(rerun["stored"]) == ARTICLES - before  # exactly the missing ones
        assert rerun["duplicates"] == before
        assert check_store(db, reference) == ARTICLES
        with sqlite3.connect(db) as conn:
            totals = {t: conn.execute(f"SELECT count(*) FROM ({sql})").fetchone()[0] for t, sql in PER_ARTICLE.items()}
        assert totals == ref_totals  # no duplicates anywhere
    print(f"crash trials: {killed} SIGKILLs over {CHAINS * KILLS_PER_CHAIN} runs, {partial} left a partial store; "
          f"reference run {duration:.1f}s")
    assert killed >= 20
    assert partial >= 3, "too few kills landed while articles were being written"
