import csv
import io
import json

import pytest

from newsgraph.exports import GDELT_COLUMNS, export_events, to_text


def event(**over):
    e = {
        "id": "abc-e1", "article": "abc",
        "cameo": {"code": "072", "root": "07", "name": "Provide military aid", "goldstein": 8.3, "quad_class": 2},
        "plover": {"type": "AID", "mode": "military", "context": None},
        "source": [{"actor_id": 1, "name": "North Korea", "code": "PRK", "country": "PRK", "sector": None,
                    "span": [0, 11]}],
        "target": [{"actor_id": 2, "name": "Russia", "code": "RUSMIL", "country": "RUS", "sector": "MIL",
                    "span": [30, 36]}],
        "reciprocal": False,
        "place": {"name": "Kursk", "country": "RUS", "span": [40, 45]},
        "time": {"value": "2024-06", "precision": "month", "source": "text", "text": "June 2024", "span": [50, 59]},
        "quantities": [{"value": 11000.0, "unit": "troops", "approximate": True, "text": "about 11,000 troops",
                        "span": [12, 30]}],
        "factuality": {"negated": False, "modality": "alleged", "certainty": "possible", "polarity": "positive",
                       "time": "past", "status": "alleged"},
        "evidence": {"article": "abc", "sentence": 0, "sentence_span": [0, 80], "trigger": "supplied",
                     "trigger_span": [20, 28], "url": "http://x.org/a\tb", "published": "2025-03-21"},
    }
    e.update(over)
    return e


def test_exports_gdelt_has_61_columns_in_order_and_codes():
    (line,) = to_text([event()], "gdelt").splitlines()
    cells = line.split("\t")
    assert len(cells) == len(GDELT_COLUMNS) == 61
    row = dict(zip(GDELT_COLUMNS, cells))
    assert row["SQLDATE"] == "20240601" and row["MonthYear"] == "202406" and row["Year"] == "2024"
    assert (row["Actor1Code"], row["Actor2Code"], row["Actor2Type1Code"]) == ("PRK", "RUSMIL", "MIL")
    assert (row["EventCode"], row["EventRootCode"], row["QuadClass"], row["GoldsteinScale"]) == ("072", "07", "2", "8.3")
    assert row["ActionGeo_FullName"] == "Kursk" and row["IsRootEvent"] == "1"
    assert row["SOURCEURL"] == "http://x.org/a b"  # a tab inside a field never splits the row


def test_exports_gdelt_compound_actor_gives_one_row_per_dyad():
    reciprocal = event(source=[event()["source"][0], event()["target"][0]], target=[], reciprocal=True)
    lines = to_text([reciprocal], "gdelt").splitlines()
    pairs = {(line.split("\t")[5], line.split("\t")[15]) for line in lines}
    assert pairs == {("PRK", "RUSMIL"), ("RUSMIL", "PRK")}


def test_exports_csv_and_jsonl_round_trip():
    rows = list(csv.DictReader(io.StringIO(to_text([event()], "csv"))))
    assert rows[0]["quantities"] == "11000 troops (approx.)" and rows[0]["status"] == "alleged"
    assert json.loads(to_text([event()], "jsonl")) == event()


def test_exports_parquet(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "e.parquet"
    assert export_events([event(), event(id="abc-e2")], "parquet", path=str(path)) == 2
    table = pq.read_table(path)
    assert table.column("cameo").to_pylist() == ["072", "072"]
    assert table.column("goldstein").to_pylist() == [8.3, 8.3]
