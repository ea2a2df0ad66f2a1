"""The Spark engine in local mode gives the local engine's records (skips without Java or PySpark)."""

from __future__ import annotations

import os
import shutil

import pytest

from newsgraph.pipeline import ingest
from newsgraph.settings import load_settings
from newsgraph.store import Store

from conftest import REPO
from store_records import compared_tables, record_differences, store_records
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
    # every record of every table, sources (file:LINE, folder/file) included
    a, b = store_records(local.conn), store_records(loaded.conn)
    assert record_differences(a, b) == {}
    assert compared_tables(a, b)["timexes"] > 0


# -- the driver's helpers, without Spark ------------------------------------------------------


def test_conf_pairs_become_spark_settings_and_a_bad_one_says_how_to_write_it():
    from newsgraph.errors import NewsgraphError
    from newsgraph.spark import parse_conf

    assert parse_conf(["spark.executor.memory=1g", "spark.executorEnv.PYTHONPATH=/a:/b=c"]) == {
        "spark.executor.memory": "1g", "spark.executorEnv.PYTHONPATH": "/a:/b=c"}
    with pytest.raises(NewsgraphError, match="KEY=VALUE"):
        parse_conf(["spark.executor.memory"])


def test_spark_command_rejects_a_conf_without_an_equals_sign(tmp_path):
    from click.testing import CliRunner

    from newsgraph.cli import cli

    result = CliRunner().invoke(cli, ["spark", str(CORPUS / "wire.jsonl"), "--output", str(tmp_path / "out"),
                                      "--conf", "no-equals-sign"])
    assert result.exit_code != 0
    assert "KEY=VALUE" in result.output and "Traceback" not in result.output


def test_lines_of_a_file_split_into_blocks_are_numbered_as_in_the_file():
    from newsgraph.spark import first_lines, numbered_lines

    # blocks listed out of order, as Spark's count comes back; a second file starts at 1
    sizes = [("file:/d/a.jsonl", 200, 2), ("file:/d/a.jsonl", 0, 3), ("file:/d/b.jsonl", 0, 1)]
    firsts = first_lines(sizes)
    assert firsts == {("file:/d/a.jsonl", 0): 1, ("file:/d/a.jsonl", 200): 4, ("file:/d/b.jsonl", 0): 1}
    # one task reads the second block of a.jsonl, then b.jsonl
    rows = [("file:/d/a.jsonl", 200, "{4}"), ("file:/d/a.jsonl", 200, "{5}"), ("file:/d/b.jsonl", 0, "{1}")]
    assert list(numbered_lines(rows, firsts, [("/d", "data")])) == [
        ("data/a.jsonl", 4, "{4}"), ("data/a.jsonl", 5, "{5}"), ("data/b.jsonl", 1, "{1}")]


def test_files_are_named_by_the_path_the_user_gave(tmp_path, monkeypatch):
    from newsgraph.spark import display_name, local_names

    monkeypatch.chdir(tmp_path)
    names = local_names(["news", "more/*.jsonl", "*.jsonl", "s3a://bucket/x.jsonl", str(tmp_path / "one.jsonl")])
    uri = (tmp_path / "news" / "2025 03" / "a.jsonl").as_uri()  # percent-encoded, as Spark gives it
    assert display_name(uri, names) == "news/2025 03/a.jsonl"
    assert display_name((tmp_path / "more" / "b.jsonl").as_uri(), names) == "more/b.jsonl"
    assert display_name((tmp_path / "c.jsonl").as_uri(), names) == "c.jsonl"
    assert display_name((tmp_path / "one.jsonl").as_uri(), names) == str(tmp_path / "one.jsonl")
    assert display_name("s3a://bucket/x.jsonl", names) == "s3a://bucket/x.jsonl"
    assert display_name("file:/elsewhere/d.jsonl", names) == "/elsewhere/d.jsonl"


def test_bad_json_line_fails_with_its_line_number_like_the_local_engine():
    from newsgraph.spark import jsonl_records

    rows = [("w.jsonl", 1, '{"text": "The minister visited Paris on Monday."}'), ("w.jsonl", 2, ""),
            ("w.jsonl", 3, "{not json")]
    records = list(jsonl_records(rows, load_settings()))
    assert records[0]["source"] == "w.jsonl:1"
    assert records[1]["__failure__"][0] == "w.jsonl:3"
    assert len(records) == 2
