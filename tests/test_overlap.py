"""The default ingest on two cores: one process parses while this one extracts and writes.

Same store as the serial engine and the worker processes, failures named and the batch going
on, a crash of the parser reported, and the parser ending with its parent (SIGKILL, Ctrl-C).
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsgraph import core
from newsgraph import pipeline, workers
from newsgraph.store.backup import integrity_problems
from newsgraph.errors import SettingsError
from newsgraph.pipeline import choose_engine, ingest
from newsgraph.settings import load_settings
from newsgraph.store import Store
from newsgraph.workers import WorkerCrashed

from conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
from compare_stores import differences  # noqa: E402
from test_workers import STORIES  # noqa: E402

# Short articles of our own: English ones name actors and an event or a claim (the worker
# pool's tests' stories and two more).
ENGLISH = [
    *STORIES,
    "Kenya's president hosted the leaders of Uganda and Tanzania in Mombasa on Thursday.",
    "Mexico recalled its ambassador from Peru after a dispute over the election, a minister said.",
]
OTHER = [
    "Die Regierung hat am Dienstag in Wien ein neues Gesetz für die Bauern vorgestellt.",
    "Le ministre a annoncé mercredi à Lyon un nouveau plan pour les écoles de la région.",
    "Der Bürgermeister sagte, die Brücke werde im Sommer für den Verkehr gesperrt.",
]
POISON = "POISON"


def _corpus(folder: Path, texts: list[str], name: str = "corpus.jsonl") -> Path:
    path = folder / name
    path.write_text("".join(
        json.dumps({"text": t, "published": "2024-05-06", "url": f"https://example.org/{i}", "outlet": "Example"})
        + "\n" for i, t in enumerate(texts)), "utf-8")
    return path


def _mixed() -> list[str]:
    """English articles with others between them, and one text twice (at another URL)."""
    texts = list(ENGLISH)
    for at, other in zip((0, 4, 9), OTHER):
        texts.insert(at, other)
    return texts + [ENGLISH[2]]


def _settings(n_process: int):
    return load_settings().with_overrides(n_process=n_process, batch_size=2)


@pytest.fixture
def two_cores(monkeypatch):
    """Choose as on a machine with two cores, whatever this one has."""
    monkeypatch.setattr(pipeline, "usable_cores", lambda: 2)


def test_overlap_is_the_default_on_two_cores_for_more_than_a_batch():
    settings = load_settings()
    assert settings.n_process == 0
    assert choose_engine(settings, cores=2) == "overlap"
    assert choose_engine(settings, cores=1) == "serial"
    assert choose_engine(settings, articles=settings.batch_size, cores=2) == "serial"  # nothing to overlap
    assert choose_engine(settings, articles=settings.batch_size + 1, cores=2) == "overlap"
    assert choose_engine(settings.with_overrides(n_process=1), cores=8) == "serial"
    assert choose_engine(settings.with_overrides(n_process=3), cores=1) == "workers"
    with pytest.raises(SettingsError, match="n_process"):
        choose_engine(settings.with_overrides(n_process=-1))


@pytest.mark.model
def test_overlap_closing_components_are_newsgraphs_own_after_the_model(nlp):
    assert [name for name, _ in workers.closing_components(nlp)] == ["newsgraph_headlines", "newsgraph_entity_fixes"]


@pytest.mark.model
def test_overlap_every_engine_gives_the_same_store(tmp_path, monkeypatch, two_cores):
    # chunks of three articles to extract: the articles in other languages are stored at the
    # start of their chunk whichever engine reads ahead how far
    monkeypatch.setattr(pipeline, "ZONE_ARTICLES", 3)
    path = _corpus(tmp_path, _mixed())
    results = {}
    for engine, n_process in (("serial", 1), ("overlap", 0), ("workers", 2)):
        store = Store(tmp_path / f"{engine}.db")
        results[engine] = ingest([str(path)], store=store, settings=_settings(n_process))
        store.close()
    serial = results["serial"]
    assert len(serial.stored) == len(ENGLISH) + len(OTHER) and serial.not_extracted == len(OTHER)
    assert serial.duplicates == 1 and serial.copies == 1 and serial.ok
    for engine in ("overlap", "workers"):
        found = results[engine]
        assert (found.stored, found.duplicates, found.copies, found.not_extracted) == (
            serial.stored, serial.duplicates, serial.copies, serial.not_extracted), engine
        counts, differ = differences(tmp_path / "serial.db", tmp_path / f"{engine}.db")
        assert differ == [], engine
    assert counts["events"] and counts["claims"] and counts["mentions"] and counts["article_copies"] == 1


@pytest.mark.model
def test_overlap_compare_stores_sees_a_missing_record(tmp_path, monkeypatch, two_cores):
    path = _corpus(tmp_path, ENGLISH[:4])
    for name in ("a", "b"):
        store = Store(tmp_path / f"{name}.db")
        ingest([str(path)], store=store, settings=_settings(0))
        store.close()
    with sqlite3.connect(tmp_path / "b.db") as conn:
        conn.execute("DELETE FROM timexes WHERE (article_id, position) = (SELECT article_id, position FROM timexes)")
    _, differ = differences(tmp_path / "a.db", tmp_path / "b.db")
    assert len(differ) == 1 and differ[0].startswith("timexes:")


@pytest.mark.model
def test_overlap_failures_are_named_and_the_batch_goes_on(tmp_path, monkeypatch, two_cores):
    real_extract, real_parse = core.process_doc, workers._parse

    def extraction_fails(doc, article, **kwargs):
        if "Nairobi" in article.text:
            raise ValueError("boom")
        return real_extract(doc, article, **kwargs)

    def parsing_fails(nlp, texts):  # runs in the parsing process (forked after this patch)
        return [RuntimeError("cannot parse") if POISON in t else doc for t, doc in zip(texts, real_parse(nlp, texts))]

    monkeypatch.setattr(core, "process_doc", extraction_fails)
    monkeypatch.setattr(workers, "_parse", parsing_fails)
    monkeypatch.setattr(workers, "START_METHOD", "fork")
    texts = ENGLISH[:5] + [f"{POISON}: the minister resigned on Monday in Lima."] + ENGLISH[5:]
    store = Store(memory=True)
    result = ingest([str(_corpus(tmp_path, texts))], store=store, settings=_settings(0))
    assert len(result.stored) == len(texts) - 2 == store.count("articles")
    by_line = {f.source.rsplit(":", 1)[1]: f.reason for f in result.failures}
    assert "internal error (ValueError: boom)" in by_line["3"]
    assert "internal error (RuntimeError: cannot parse)" in by_line["6"]


@pytest.mark.model
def test_overlap_parser_crash_raises_and_keeps_what_was_stored(tmp_path, monkeypatch, two_cores):
    parent, real = os.getpid(), workers._parse

    def killed(nlp, texts):
        if os.getpid() != parent and any(POISON in t for t in texts):
            os.kill(os.getpid(), signal.SIGKILL)
        return real(nlp, texts)

    monkeypatch.setattr(workers, "_parse", killed)
    monkeypatch.setattr(workers, "START_METHOD", "fork")
    texts = ENGLISH[:4] + [f"{POISON}: the minister resigned on Monday in Lima."] + ENGLISH[4:]
    store = Store(memory=True)
    with pytest.raises(WorkerCrashed, match="ended abruptly") as crash:
        ingest([str(_corpus(tmp_path, texts))], store=store, settings=_settings(0))
    assert crash.value.source.endswith(":5")  # the batch of two that held it: lines 5 and 6
    assert store.count("articles") == 4


# -- the parser ends with the ingest ---------------------------------------------------------------


def _command(folder: Path, db: Path) -> list[str]:
    (folder / "settings.toml").write_text("[nlp]\nbatch_size = 2\nn_process = 0\n")
    # Ctrl-C reaches the ingest as it would in a terminal even when this test run was started in
    # the background (a shell starts background jobs with SIGINT ignored, and children inherit it)
    start = "import signal; signal.signal(signal.SIGINT, signal.default_int_handler); from newsgraph.cli import cli; cli()"
    return [sys.executable, "-c", start, "ingest", str(folder / "corpus.jsonl"),
            "--db", str(db), "--settings", str(folder / "settings.toml"), "--json"]


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as fh:
            return [int(p) for p in fh.read().split()]
    except OSError:
        return []


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _stored(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def _interrupt_while_writing(folder: Path, db: Path, sig: int) -> tuple[int, list[int]]:
    """Start the ingest, send `sig` once it has a parser and has stored an article; its exit
    status and the parser's pid."""
    texts = [f"{t} Report number {n}." for n in range(6) for t in ENGLISH]
    _corpus(folder, texts)
    proc = subprocess.Popen(_command(folder, db), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.monotonic() + 240
    children: list[int] = []
    while time.monotonic() < deadline and proc.poll() is None:
        children = children or _children(proc.pid)
        if children and _stored(db) > 0:
            break
        time.sleep(0.05)
    assert proc.poll() is None and children, "the ingest ended before it could be interrupted"
    if sig == signal.SIGINT:
        os.killpg(proc.pid, sig)  # as Ctrl-C in a terminal: the whole foreground group
    else:
        os.kill(proc.pid, sig)
    proc.communicate(timeout=120)
    return proc.returncode, children


def _rerun_completes(folder: Path, db: Path) -> None:
    with sqlite3.connect(db) as conn:
        assert integrity_problems(conn) == []
    before = _stored(db)
    done = subprocess.run(_command(folder, db), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["stored"]) == 6 * len(ENGLISH) - before


def _gone(pids: list[int], seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any(_alive(p) for p in pids):
            return True
        time.sleep(0.05)
    return False


@pytest.mark.slow
@pytest.mark.model
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; the parser's end is Linux's")
def test_overlap_sigkill_of_the_ingest_ends_its_parser(tmp_path):
    db = tmp_path / "n.db"
    status, parser = _interrupt_while_writing(tmp_path, db, signal.SIGKILL)
    assert status == -signal.SIGKILL
    assert _gone(parser), "the parsing process outlived the killed ingest"
    _rerun_completes(tmp_path, db)


@pytest.mark.slow
@pytest.mark.model
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_overlap_ctrl_c_stops_the_ingest_and_its_parser(tmp_path):
    db = tmp_path / "n.db"
    status, parser = _interrupt_while_writing(tmp_path, db, signal.SIGINT)
    assert status != 0
    assert _gone(parser), "the parsing process outlived the interrupted ingest"
    _rerun_completes(tmp_path, db)
