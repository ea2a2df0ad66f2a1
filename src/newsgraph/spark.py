"""The Spark engine: the per-article path over a cluster, Parquet tables out, SQLite in.

    newsgraph spark 's3a://news/2025/*.jsonl.gz' --output s3a://news/graph/
    newsgraph load ./graph --db newsgraph.db

JSON Lines inputs (`.jsonl`, `.ndjson`, gzip of them) are read line by line with
`spark.read.text`, so large files split across executors; any other input (WARC, HTML, RSS,
text, or a folder of them) is read whole per file with `binaryFiles` and handed to the
readers of `newsgraph.sources`. Each partition runs `rows.process_records` (the model is
loaded once per executor Python process) and every table of `rows.TABLES` is written as
Parquet, partitioned by publication month (`month=2025-03/`).

Needs the `spark` extra (PySpark, and PyArrow for `load`).
"""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .store import storyline
from .errors import NewsgraphError, SparkMissing
from .rows import TABLES, empty_rows, failure_rows, process_records, store_rows
from .settings import Settings

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

    from .store import Store

LOGGER = logging.getLogger(__name__)

LINE_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz", ".jsonl.bz2", ".ndjson.bz2")


def _require_pyspark():
    try:
        import pyspark  # noqa: F401
    except ImportError as e:
        raise SparkMissing("the Spark engine needs PySpark: pip install 'newsgraph[spark]'") from e


def is_line_input(path: str) -> bool:
    """True for inputs read line by line (JSON Lines); the rest are read whole per file."""
    return path.lower().rstrip("/").endswith(LINE_SUFFIXES)


# -- executor side (top-level, so they pickle by reference) ----------------------------------------


def jsonl_records(lines: Iterable[tuple[str, int, str]], settings: Settings) -> Iterator[dict[str, Any]]:
    """Article records (dicts) from (file, line number, line) rows; a bad line becomes a failure record.

    Each record's source is `file:LINE`, as `newsgraph ingest` names it.
    """
    from .errors import IngestError
    from .sources import article_from_json_line as _jsonl_build

    for file, number, line in lines:
        line = line.lstrip("\ufeff")
        if not line.strip():
            continue
        try:
            yield _as_record(_jsonl_build(line.encode("utf-8"), f"{file}:{number}", 0, settings))
        except IngestError as e:
            yield {"__failure__": (e.source, e.reason)}


def numbered_lines(rows: Iterable[Any], first_lines: dict[tuple[str, int], int],
                   names: list[tuple[str, str]]) -> Iterator[tuple[str, int, str]]:
    """(file as the user named it, line number, line) from (file URI, block start, line) rows.

    A large file is split into blocks read by different tasks; a block's rows arrive
    together and in order, and `first_lines` gives the number of its first line.
    """
    block, number, name = None, 0, ""
    for uri, start, line in rows:
        if (uri, start) != block:
            block, number, name = (uri, start), first_lines[(uri, start)], display_name(uri, names)
        yield name, number, line
        number += 1


def first_lines(block_sizes: Iterable[tuple[str, int, int]]) -> dict[tuple[str, int], int]:
    """The number of the first line of each (file, block start), from every block's line count."""
    firsts: dict[tuple[str, int], int] = {}
    before: dict[str, int] = {}
    for uri, start, count in sorted(block_sizes):
        firsts[(uri, start)] = before.get(uri, 0) + 1
        before[uri] = before.get(uri, 0) + count
    return firsts


def display_name(uri: str, names: list[tuple[str, str]]) -> str:
    """A file as `newsgraph ingest` would name it: a local file by the path the user gave
    (or its folder's path joined with the rest); any other URI as it is."""
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(uri)
    if parts.scheme != "file":
        return uri
    path = unquote(parts.path)
    for absolute, given in names:
        if path == absolute:
            return given
        if path.startswith(absolute.rstrip("/") + "/"):
            rest = path[len(absolute.rstrip("/")) + 1:]
            return rest if given == "." else os.path.join(given, rest)
    return path


def file_records(files: Iterable[tuple[str, bytes]], settings: Settings,
                 names: list[tuple[str, str]] | None = None) -> Iterator[dict[str, Any]]:
    """Article records from whole files of any format newsgraph reads (WARC, HTML, RSS, …)."""
    from .sources import guarded_records as _guarded, records_from_stream as _from_stream
    from .types import Failure

    for uri, data in files:
        source = display_name(uri, names or [])
        name = uri.rstrip("/").rsplit("/", 1)[-1].lower()
        stream = _from_stream(io.BytesIO(data), source, name, len(data), settings)
        for raw in _guarded(source, stream):
            if isinstance(raw, Failure):
                yield {"__failure__": (raw.source, raw.reason)}
            else:
                yield _as_record(raw)


def _as_record(raw) -> dict[str, Any]:
    from dataclasses import asdict

    return asdict(raw)


def rows_partition(records: Iterable[dict[str, Any]], settings: Settings) -> Iterator[tuple[str, tuple]]:
    """(table, row values in `TABLES` order) for every row of every article of a partition."""
    def articles() -> Iterator[dict[str, Any]]:
        for record in records:
            if "__failure__" in record:
                failures.append(failure_rows(*record["__failure__"]))
            else:
                yield record

    failures: list = []
    for rows in process_records(articles(), settings):
        for part in (*failures, rows):
            yield from _flatten(part)
        failures.clear()
    for part in failures:
        yield from _flatten(part)


def _flatten(rows: dict[str, list[dict[str, Any]]]) -> Iterator[tuple[str, tuple]]:
    for table, values in rows.items():
        names = [name for name, _ in TABLES[table]]
        for row in values:
            yield table, tuple(row[name] for name in names)


# -- driver side -------------------------------------------------------------------------------


def parse_conf(pairs: Iterable[str]) -> dict[str, str]:
    """Spark settings from `KEY=VALUE` strings (`--conf`), as `spark-submit --conf` takes them."""
    conf: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise NewsgraphError(f"--conf {pair!r}: give a Spark setting as KEY=VALUE, "
                                 "e.g. --conf spark.executor.memory=2g")
        conf[key.strip()] = value
    return conf


def spark_schema(table: str):
    """The Spark schema of one table of `rows.TABLES`."""
    from pyspark.sql.types import (ArrayType, BooleanType, DoubleType, LongType, StringType, StructField,
                                   StructType)

    types = {"string": StringType(), "long": LongType(), "double": DoubleType(), "boolean": BooleanType(),
             "array<string>": ArrayType(StringType())}
    return StructType([StructField(name, types[kind], True) for name, kind in TABLES[table]])


def session(master: str | None = None, app_name: str = "newsgraph",
            conf: dict[str, str] | None = None) -> "SparkSession":
    """The active Spark session, or a new one (`master` for local runs: `local[4]`).

    Under `spark-submit` the master and every setting come from the command line; give
    none here.
    """
    _require_pyspark()
    import sys

    from pyspark.sql import SparkSession

    # local workers run this interpreter (with newsgraph and the model) unless told otherwise
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app_name)
    if master:
        builder = builder.master(master)
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def run_spark(inputs: list[str], output: str, *, settings: Settings, spark: "SparkSession | None" = None,
              partitions: int | None = None, mode: str = "overwrite") -> dict[str, int]:
    """Extract every article of `inputs` on Spark and write Parquet tables under `output`.

    Returns the number of rows written per table.
    """
    _require_pyspark()
    from pyspark import StorageLevel

    spark = spark or session()
    records = _record_rdd(spark, inputs, settings)
    if partitions:
        records = records.repartition(partitions)
    rows = records.mapPartitions(partial(rows_partition, settings=settings))
    rows.persist(StorageLevel.MEMORY_AND_DISK)  # parsed once, written as many tables
    try:
        counts = dict(rows.map(lambda item: item[0]).countByValue())
        for table in TABLES:
            table_rows = rows.filter(partial(_is_table, table)).map(_values)
            frame = spark.createDataFrame(table_rows, spark_schema(table))
            frame.write.mode(mode).partitionBy("month").parquet(f"{output.rstrip('/')}/{table}")
    finally:
        rows.unpersist()
    return {table: int(counts.get(table, 0)) for table in TABLES}


def _is_table(table: str, item: tuple[str, tuple]) -> bool:
    return item[0] == table


def _values(item: tuple[str, tuple]) -> tuple:
    return item[1]


def _record_rdd(spark: "SparkSession", inputs: list[str], settings: Settings):
    lines = [p for p in inputs if is_line_input(p)]
    files = [p for p in inputs if not is_line_input(p)]
    names = local_names(inputs)
    parts = []
    if lines:
        parts.append(_line_rdd(spark, lines, names).mapPartitions(partial(jsonl_records, settings=settings)))
    if files:
        binary = spark.sparkContext.binaryFiles(",".join(_as_uri(p) for p in files))
        parts.append(binary.mapPartitions(partial(file_records, settings=settings, names=names)))
    if not parts:
        raise NewsgraphError("no input given: name JSON Lines files, WARC files or folders")
    return parts[0] if len(parts) == 1 else spark.sparkContext.union(parts)


def _line_rdd(spark: "SparkSession", paths: list[str], names: list[tuple[str, str]]):
    """(file, line number, line) of every line of the JSON Lines inputs, split across tasks.

    Line numbers take one extra pass that counts the lines of each block of each file.
    """
    from pyspark.sql.functions import col

    # only "\n" ends a line, as for `newsgraph ingest` (Spark's default also splits at "\r")
    frame = spark.read.option("lineSep", "\n").text(paths).select(
        col("_metadata.file_path").alias("file"), col("_metadata.file_block_start").alias("block"), "value")
    sizes = [(r["file"], r["block"], r["count"]) for r in frame.groupBy("file", "block").count().collect()]
    return frame.rdd.mapPartitions(partial(numbered_lines, first_lines=first_lines(sizes), names=names))


def local_names(inputs: list[str]) -> list[tuple[str, str]]:
    """(absolute path, path as given) of each local input, longest first; a glob by its folder."""
    names = []
    for given in inputs:
        if "://" in given or given.startswith("file:"):
            continue
        if any(c in given for c in "*?[{"):
            head = given[:min(given.index(c) for c in "*?[{" if c in given)]
            given = head.rsplit("/", 1)[0] if "/" in head else "."
        names.append((os.path.abspath(given), given))
    return sorted(names, key=lambda pair: -len(pair[0]))


def _as_uri(path: str) -> str:
    # binaryFiles reads folders recursively only with a glob; a local path needs no scheme
    if "://" not in path and os.path.isdir(path):
        return str(Path(path).absolute()) + "/*"
    return path


# -- Parquet into the store -------------------------------------------------------------------


def load_parquet(directory: str | os.PathLike, store: "Store") -> dict[str, int]:
    """Bring the Parquet tables of a `run_spark` output into `store`, month by month.

    Articles go through `Store.add_article` (identity, duplicate families, corrected
    versions, stories, actor resolution); memory holds one month's rows at a time.
    """
    try:
        import pyarrow.parquet as pq
    except ImportError as e:
        raise SparkMissing("loading Parquet needs PyArrow: pip install 'newsgraph[spark]'") from e
    root = Path(directory)
    if not (root / "articles").is_dir():
        raise NewsgraphError(f"{root}: no articles/ table here; is this the --output of `newsgraph spark`?")
    totals = {"stored": 0, "duplicates": 0, "copies": 0, "not_extracted": 0, "failures": 0}
    for month in _months(root):
        tables = {table: _read_month(pq, root / table / f"month={month}", month) for table in TABLES}
        tables["articles"].sort(key=lambda r: (r["published"] or "", r["source"] or "", r["article_id"]))
        for key, value in store_rows(store, tables).items():
            totals[key] += value
    store.resolve_pending()
    storyline.refresh_summaries(store)
    return totals


def _months(root: Path) -> list[str]:
    months = {p.name.split("=", 1)[1] for table in TABLES if (root / table).is_dir()
              for p in (root / table).iterdir() if p.is_dir() and p.name.startswith("month=")}
    return sorted(months)


def _read_month(pq, folder: Path, month: str) -> list[dict[str, Any]]:
    files = sorted(folder.glob("*.parquet")) if folder.is_dir() else []
    rows: list[dict[str, Any]] = []
    for file in files:
        for row in pq.read_table(file).to_pylist():
            row["month"] = month
            rows.append(row)
    return rows


__all__ = ["SparkMissing", "empty_rows", "is_line_input", "load_parquet", "parse_conf", "run_spark",
           "rows_partition", "session", "spark_schema"]

