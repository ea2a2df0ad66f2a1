"""The Spark engine in local mode gives the local engine's records (skips without Java or PySpark)."""

from __future__ import annotations

import os
import shutil

import pytest

from newsgraph.pipeline import ingest
from newsgraph.settings import load_settings
from newsgraph.store import Store

from conftest import REPO
from test_rows import content

CORPUS = REPO / "samples" / "corpus"


def _spark_or_skip():
    pytest.importorskip("pyspark", reason="PySpark is not installed (pip install 'newsgraph[spark]')")
    pytest.importorskip("pyarrow", reason="PyArrow is not installed (pip install 'newsgraph[spark]')")
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        pytest.skip("Spark needs Java 17+ (no `java` on PATH and no JAVA_HOME)")


@pytest.fixture(scope="module")
def spark():
    _spark_or_skip()
    from newsgraph.spark import session

    spark = session("local[2]", app_name="newsgraph-test",
                    conf={"spark.ui.enabled": "false", "spark.sql.shuffle.partitions": "2"})
    spark.sparkContext.setLogLevel("ERROR")
    yield spark
    spark.stop()


@pytest.mark.model
def test_spark_local_mode_gives_the_local_engines_records(spark, tmp_path, nlp):
    from newsgraph.spark import load_parquet, run_spark

    settings = load_settings()
    # JSON Lines go line by line; the folders (text, HTML, RSS, WARC) file by file
    inputs = [str(CORPUS / "wire.jsonl"), *(str(CORPUS / d) for d in ("text", "html", "feeds", "crawl"))]
    counts = run_spark(inputs, str(tmp_path / "out"), settings=settings, spark=spark)

    local = Store(memory=True)
    ingest([str(CORPUS)], store=local, settings=settings)
    assert counts["articles"] == local.count("articles")
    assert counts["events"] == local.count("events") > 0

    import pyarrow.parquet as pq

    events = pq.read_table(tmp_path / "out" / "events").to_pylist()
    parts = pq.read_table(tmp_path / "out" / "participants").to_pylist()
    keys = {(p["event_id"], p["role"], p["position"]): p["actor_key"] for p in parts}

    def sides(event_id, role, rows):
        return tuple(v for (e, r, _), v in sorted(rows.items()) if e == event_id and r == role)

    spark_events = {(e["event_id"], e["cameo"], sides(e["event_id"], "source", keys),
                     sides(e["event_id"], "target", keys)) for e in events}
    local_keys = {(r[0], r[1], r[2]): r[3] for r in local.conn.execute(
        "SELECT event_id, role, position, actor_key FROM participants")}
    local_events = {(r[0], r[1], sides(r[0], "source", local_keys), sides(r[0], "target", local_keys))
                    for r in local.conn.execute("SELECT id, cameo FROM events")}
    assert spark_events == local_events
    assert {p.name for p in (tmp_path / "out" / "events").iterdir() if p.is_dir()} >= {"month=2025-03"}

    loaded = Store(memory=True)
    totals = load_parquet(tmp_path / "out", loaded)
    assert totals["stored"] == local.count("articles")
    assert content(loaded) == content(local)
