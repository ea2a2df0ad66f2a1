"""The ROUGE scorer on a self-written fixture, and the summariser against Lead-3 on the gold data."""

from __future__ import annotations

import json

import pytest

from newsgraph.errors import EvalError
from newsgraph.evaluate.summary import evaluate_summary, read_summary_jsonl, score_summaries, split_reference

pytest.importorskip("rouge_score", reason="the ROUGE scorer needs: pip install rouge-score")

ARTICLE_LINES = [
    "By Sam Lee for MailOnline",
    "Scroll down for video",
    "Heavy rain flooded the market square in Eastport on Sunday night.",
    "Firefighters pumped water from 30 shops until the morning.",
    "The mayor said the town would ask the government for emergency funds.",
    "A shopkeeper sweeps water from her doorway (pictured)",
    "Forecasters expect more rain across the region this week.",
]
REFERENCE = "Heavy rain flooded the market square in Eastport . Firefighters pumped water from 30 shops . Mayor will ask for emergency funds ."


@pytest.mark.parametrize(
    ("summary", "sentences"),
    [
        ("Rain fell . Shops shut . The mayor spoke .", ("Rain fell .", "Shops shut .", "The mayor spoke .")),
        ("U.S. rain fell on 3 towns . Mayor ` worried '", ("U.S. rain fell on 3 towns .", "Mayor ` worried '")),
        ("One line\nAnother line", ("One line", "Another line")),
    ],
)
def test_eval_summary_splits_tokenised_highlights(summary, sentences):
    assert split_reference(summary) == sentences


def test_eval_summary_scores_identical_and_disjoint_summaries():
    same = score_summaries([(["the cat sat .", "a dog ran ."], ["the cat sat .", "a dog ran ."])])
    assert same == {"rouge1": 1.0, "rouge2": 1.0, "rougeL": 1.0, "rougeLsum": 1.0}
    disjoint = score_summaries([(["red green blue"], ["one two three"])])
    assert disjoint == {"rouge1": 0.0, "rouge2": 0.0, "rougeL": 0.0, "rougeLsum": 0.0}
    assert score_summaries([]) == {"rouge1": 0.0, "rouge2": 0.0, "rougeL": 0.0, "rougeLsum": 0.0}


def test_eval_summary_rougelsum_ignores_sentence_order_where_rougel_does_not():
    f = score_summaries([(["d e f", "a b c"], ["a b c", "d e f"])])
    assert f["rouge1"] == 1.0 and f["rougeLsum"] == 1.0
    assert f["rougeL"] == pytest.approx(0.5)


def test_eval_summary_stems_words():
    f = score_summaries([(["floods closed roads"], ["flooding closes road"])])
    assert f["rouge1"] == 1.0


def _write(tmp_path, rows):
    path = tmp_path / "cnndm.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_eval_summary_beats_lead3_on_a_page_with_furniture(tmp_path):
    path = _write(tmp_path, [{
        "doc_id": "t1",
        "article": " ".join(ARTICLE_LINES),
        "article_lines": ARTICLE_LINES,
        "reference": REFERENCE,
        "systems": {"copy": {"summary": REFERENCE.lower()}},
    }])
    figures = evaluate_summary(path, nlp=None)
    assert figures["articles"] == 1 and "rougeLsum" in figures["rouge_variant"]
    assert figures["systems"]["copy"]["rouge1"] == 1.0
    # Lead-3 spends two of its sentences on the byline and the video prompt.
    for key in ("rouge1", "rouge2", "rougeL", "rougeLsum"):
        assert figures["newsgraph"][key] > figures["lead3"][key]


def test_eval_summary_reports_bad_files(tmp_path):
    with pytest.raises(EvalError, match="not found"):
        read_summary_jsonl(tmp_path / "missing.jsonl")
    with pytest.raises(EvalError, match="not a summarisation record"):
        read_summary_jsonl(_write(tmp_path, [{"doc_id": "x", "article": "Text."}]))


# Pinned on the 125-article development file with the text splitter (no model); the parsed
# figures (`newsgraph eval summary`) are in the module's report. Floors sit just below them.
FLOOR = {"rouge1": 0.41, "rougeLsum": 0.37}


def test_eval_summary_gold_beats_lead3(bench_data):
    figures = evaluate_summary(bench_data / "summarisation" / "cnndm_dev.jsonl", nlp=None)
    assert figures["articles"] == 125
    ours, lead3 = figures["newsgraph"], figures["lead3"]
    for key in ("rouge1", "rougeL", "rougeLsum"):
        assert ours[key] >= lead3[key], (key, ours, lead3)
    for key, floor in FLOOR.items():
        assert ours[key] >= floor, (key, ours)
