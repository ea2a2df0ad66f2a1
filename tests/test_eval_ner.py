"""`newsgraph eval ner`: reading CoNLL JSON Lines and scoring spans (no model needed)."""

from __future__ import annotations

import json

import pytest

from newsgraph.errors import EvalError
from newsgraph.evaluate.ner import (
    bio_spans,
    evaluate_ner,
    group_documents,
    read_conll_jsonl,
    score_spans,
)

# our own sentences, in the gold format
FIXTURE = [
    {"doc_id": "d1", "sent_id": 0, "tokens": ["Sergei", "Shoigu", "visited", "Pyongyang", "."], "tags": ["B-PER", "I-PER", "O", "B-LOC", "O"]},
    {"doc_id": "d1", "sent_id": 1, "tokens": ["TASS", "said", "Shoigu", "met", "Kim", "."], "tags": ["B-ORG", "O", "B-PER", "O", "B-PER", "O"]},
    {"doc_id": "d2", "sent_id": 0, "tokens": ["Russian", "troops", "left", "Kursk", "."], "tags": ["B-MISC", "O", "O", "B-LOC", "O"]},
]


@pytest.fixture
def gold_file(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in FIXTURE), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("tags", "spans"),
    [
        (["B-PER", "I-PER", "O", "B-LOC"], {(0, 2, "PER"), (3, 4, "LOC")}),
        (["I-ORG", "I-ORG", "B-ORG"], {(0, 2, "ORG"), (2, 3, "ORG")}),  # IOB1: I- opens a span
        (["B-PER", "I-LOC"], {(0, 1, "PER"), (1, 2, "LOC")}),  # a label change opens a span
        (["O", "O"], set()),
    ],
)
def test_eval_ner_bio_spans(tags, spans):
    assert bio_spans(tags) == spans


def test_eval_ner_score_spans_arithmetic():
    gold = [{(0, 2, "PER"), (3, 4, "LOC")}, {(0, 1, "ORG")}]
    pred = [{(0, 2, "PER"), (3, 4, "ORG")}, {(0, 1, "ORG"), (2, 3, "MISC")}]
    result = score_spans(gold, pred)
    # tp: PER, ORG; fp: ORG@3, MISC; fn: LOC
    assert (result["tp"], result["fp"], result["fn"]) == (2, 2, 1)
    assert result["precision"] == 0.5
    assert result["recall"] == pytest.approx(0.6667, abs=1e-4)
    assert result["f1"] == pytest.approx(0.5714, abs=1e-4)
    assert result["per_label"]["PER"]["f1"] == 1.0
    assert result["per_label"]["LOC"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "tp": 0, "fp": 0, "fn": 1}
    assert result["per_label"]["ORG"]["precision"] == 0.5


def test_eval_ner_reads_and_groups_documents(gold_file):
    sentences = read_conll_jsonl(gold_file)
    assert [len(d) for d in group_documents(sentences)] == [2, 1]


@pytest.mark.parametrize(
    ("content", "message"),
    [('{"tokens": ["a"], "tags": ["O", "O"]}\n', "1 tokens but 2 tags"), ("not json\n", "not a gold sentence")],
)
def test_eval_ner_rejects_malformed_gold(tmp_path, content, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(EvalError, match=message):
        read_conll_jsonl(path)


def test_eval_ner_missing_file(tmp_path):
    with pytest.raises(EvalError, match="not found"):
        read_conll_jsonl(tmp_path / "nope.jsonl")


def test_eval_ner_end_to_end_with_a_fake_pipeline(gold_file):
    """A blank pipeline plus an entity ruler: the evaluator's own plumbing, exactly."""
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "PERSON", "pattern": "Sergei Shoigu"},
            {"label": "GPE", "pattern": "Pyongyang"},
            {"label": "ORG", "pattern": "TASS"},
            {"label": "NORP", "pattern": "Russian"},
            {"label": "DATE", "pattern": "Kim"},  # a non-CoNLL label is ignored, so Kim is missed
        ]
    )
    result = evaluate_ner(gold_file, nlp=nlp)
    # found: Sergei Shoigu, Pyongyang, TASS, Russian (4 of 7); no false positives
    assert (result["tp"], result["fp"], result["fn"]) == (4, 0, 3)
    assert result["precision"] == 1.0
    assert result["sentences"] == 3 and result["documents"] == 2
    assert result["per_label"]["MISC"]["f1"] == 1.0
    assert result["label_map"]["GPE"] == "LOC" and result["label_map"]["DATE"] is None
    json.dumps(result)  # JSON-able


@pytest.mark.gold
@pytest.mark.model
def test_eval_ner_on_gold_beats_the_plain_model(nlp, bench_data):
    result = evaluate_ner(bench_data / "ner" / "conll2003_testb_dev.jsonl", nlp=nlp)
    assert result["f1"] >= 0.70
