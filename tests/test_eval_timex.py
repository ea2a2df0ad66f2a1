"""The TempEval-3-style scorer: its arithmetic on a self-written fixture, and the gold floor."""

from __future__ import annotations

import json

import pytest

from newsgraph.errors import EvalError
from newsgraph.evaluate.timex import GoldDocument, GoldTimex, evaluate_timex, read_timex_jsonl, score_documents

TEXT = "He left on Friday. Talks lasted three years. It rained."
#       0123456789012345678901234567890123456789012345
# "Friday" 11-17; "three years" 32-43


def _doc(*gold: GoldTimex, text: str = TEXT, dct: str = "1998-01-09") -> GoldDocument:
    return GoldDocument("d1", dct, text, tuple(gold))


def test_eval_timex_perfect_document_scores_one():
    doc = _doc(GoldTimex(11, 17, "DATE", "1998-01-09"), GoldTimex(32, 43, "DURATION", "P3Y"))
    figures = score_documents([doc])
    assert (figures["gold"], figures["system"]) == (2, 2)
    for key in ("strict_f1", "relaxed_f1", "type_f1", "value_f1", "type_accuracy", "value_accuracy"):
        assert figures[key] == 1.0, key


def test_eval_timex_relaxed_match_counts_value_only_when_correct():
    # Gold spans differ from the system's ("on Friday" overlaps "Friday"); one gold value is wrong
    # for the system; one gold expression ("It") is never found.
    doc = _doc(
        GoldTimex(8, 17, "DATE", "1998-01-09"),   # "on Friday": relaxed match, value right
        GoldTimex(32, 43, "DURATION", "P2Y"),      # "three years": strict match, value wrong
        GoldTimex(45, 47, "DATE", "PRESENT_REF"),  # missed
    )
    f = score_documents([doc])
    assert (f["gold"], f["system"]) == (3, 2)
    assert f["strict_precision"] == 0.5 and f["strict_recall"] == pytest.approx(1 / 3, abs=1e-4)
    assert f["relaxed_precision"] == 1.0 and f["relaxed_recall"] == pytest.approx(2 / 3, abs=1e-4)
    assert f["value_precision"] == 0.5 and f["value_recall"] == pytest.approx(1 / 3, abs=1e-4)
    assert f["value_f1"] == pytest.approx(0.4, abs=1e-4)
    assert f["type_accuracy"] == 1.0 and f["value_accuracy"] == 0.5


def test_eval_timex_each_expression_matches_once():
    # two gold expressions inside one system span: only one of them is matched
    doc = _doc(GoldTimex(32, 37, "DURATION", "P3Y"), GoldTimex(38, 43, "DURATION", "P3Y"))
    f = score_documents([doc])
    assert f["relaxed_recall"] == 0.5
    assert f["relaxed_precision"] == 0.5  # "Friday" is spurious, "three years" matched once


def test_eval_timex_reads_jsonl_and_skips_creation_time(tmp_path):
    path = tmp_path / "gold.jsonl"
    rows = [{
        "doc_id": "x", "dct": "1998-01-09", "text": TEXT,
        "dct_timex": {"type": "DATE", "value": "1998-01-09", "functionInDocument": "CREATION_TIME"},
        "timexes": [
            {"start": 11, "end": 17, "type": "DATE", "value": "1998-01-09", "functionInDocument": "NONE"},
            {"start": 32, "end": 43, "type": "DURATION", "value": "P3Y"},
            {"start": 0, "end": 2, "type": "DATE", "value": "1998-01-09", "functionInDocument": "CREATION_TIME"},
        ],
    }]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    docs = read_timex_jsonl(path)
    assert len(docs[0].timexes) == 2
    figures = evaluate_timex(path)
    assert figures["documents"] == 1 and figures["value_f1"] == 1.0
    json.dumps(figures)  # JSON-able


def test_eval_timex_missing_or_bad_file(tmp_path):
    with pytest.raises(EvalError):
        evaluate_timex(tmp_path / "absent.jsonl")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x"}\n', encoding="utf-8")
    with pytest.raises(EvalError):
        read_timex_jsonl(bad)


@pytest.mark.gold
def test_eval_timex_tempeval3_value_f1_floor(bench_data):
    path = bench_data / "timex" / "te3_tbaq_train_timebank_aquaint.jsonl"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    figures = evaluate_timex(path)
    assert figures["documents"] == 256
    assert figures["value_f1"] >= 0.78
    assert figures["relaxed_f1"] >= 0.90
