"""`newsgraph spark` on a real Spark standalone cluster (a master and two workers on loopback)
gives the local engine's records, and the cluster leaves no process behind.

Slow (about 4 minutes with a machine load of 13 on 2 cores): JVM start-up, one model per
executor. Skips without Java, PySpark, PyArrow or the Reuters corpus in ../shared/bench-data.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsgraph.cli import cli

from spark_cluster import leftover_processes, missing_requirement, standalone_cluster
from store_records import compared_tables, record_differences, store_records

pytestmark = pytest.mark.slow

STORIES = 40  # Reuters stories with a body: enough for events, claims and a duplicate, few enough for CI
DRIVER_TIMEOUT_S = 900


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A standalone master and two 1-core, 1 GB workers; torn down, and checked with `ps`, after the module."""
    if reason := missing_requirement():
        pytest.skip(reason)
    with standalone_cluster(tmp_path_factory.mktemp("spark-cluster"), workers=2, cores=1, memory="1g") as running:
        sessions = running.session_ids()
        yield running
    if stray := leftover_processes(sessions):
        pytest.fail("the cluster left processes running:\n" + "\n".join(stray))


@pytest.fixture(scope="module")
def reuters(bench_data, tmp_path_factory) -> Path:
    """The first Reuters stories with a body, as a JSON Lines file in a temporary folder."""
    corpus = bench_data / "raw_corpus" / "reuters21578.jsonl.gz"
    if not corpus.is_file():
        pytest.skip(f"Reuters corpus not found at {corpus}")
    path = tmp_path_factory.mktemp("reuters") / "reuters.jsonl"
    with gzip.open(corpus, "rt", encoding="utf-8") as fh, open(path, "w", encoding="utf-8") as out:
        kept = 0
        for line in fh:
            if kept < STORIES and (json.loads(line).get("body") or "").strip():
                out.write(line)
                kept += 1
    return path


def _newsgraph_process(args: list[str], env: dict[str, str], cwd: Path) -> str:
    """Run `newsgraph ARGS` as a user would (its own process, so Spark's driver JVM is its own)."""
    out = subprocess.run([sys.executable, "-c", "from newsgraph.cli import cli; cli()", *args],
                         capture_output=True, text=True, env=env, cwd=cwd, timeout=DRIVER_TIMEOUT_S)
    assert out.returncode == 0, f"newsgraph {args[0]} failed:\n{out.stderr[-4000:]}"
    return out.stdout


def _newsgraph(args: list[str]) -> str:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.model
def test_newsgraph_spark_on_a_standalone_cluster_gives_the_local_engines_records(cluster, reuters, tmp_path, nlp):
    output = tmp_path / "parquet"
    written = json.loads(_newsgraph_process(
        ["spark", str(reuters), "--output", str(output), "--master", cluster.master_url, "--partitions", "2",
         "--json", *cluster.conf_args()], cluster.env, tmp_path))
    assert written["articles"] == STORIES and written["events"] > 0

    # the work ran on the cluster's executors, one on each worker
    for n in (1, 2):
        logs = list((cluster.root / "work" / f"worker-{n}").glob("app-*/*/stderr"))
        assert any("Finished task" in log.read_text("utf-8", "replace") for log in logs), f"worker {n} ran no task"

    _newsgraph(["load", str(output), "--db", str(tmp_path / "spark.db")])
    _newsgraph(["ingest", str(reuters), "--db", str(tmp_path / "local.db"), "--no-progress"])

    spark_records, local_records = store_records(tmp_path / "spark.db"), store_records(tmp_path / "local.db")
    assert record_differences(local_records, spark_records) == {}
    covered = compared_tables(local_records, spark_records)
    assert covered["articles"] > 0 and covered["events"] > 0 and covered["claims"] > 0 and covered["stories"] > 0


def test_without_java_the_cluster_tests_say_what_is_missing(monkeypatch):
    import spark_cluster

    pytest.importorskip("pyspark")
    pytest.importorskip("pyarrow")
    monkeypatch.setattr(spark_cluster.shutil, "which", lambda name: None)
    monkeypatch.delenv("JAVA_HOME", raising=False)
    assert spark_cluster.missing_requirement() == "Spark needs Java 17+ (no `java` on PATH and no JAVA_HOME)"
