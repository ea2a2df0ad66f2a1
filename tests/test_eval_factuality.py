"""The MEANTIME factuality evaluator: arithmetic on a tiny fixture, then the real gold file."""

from __future__ import annotations

import json

import pytest
import spacy

from newsgraph.errors import EvalError
from newsgraph.evaluate.factuality import evaluate_factuality, score


def test_eval_factuality_score_arithmetic():
    pairs = [("a", "a"), ("a", "a"), ("a", "b"), ("b", "b")]
    result = score(pairs)
    assert result["accuracy"] == 0.75
    assert result["baseline"] == 0.75 and result["baseline_class"] == "a"
    assert result["classes"]["a"] == {"precision": 1.0, "recall": 0.6667, "f1": 0.8,
                                      "support": 3, "predicted": 2}
    assert result["classes"]["b"]["precision"] == 0.5
    assert result["classes"]["b"]["f1"] == 0.6667
    assert result["macro_f1"] == round((0.8 + 0.6667) / 2, 4)


def test_eval_factuality_score_empty():
    assert score([])["n"] == 0


def _parser():
    """A blank English pipeline whose parse makes every token its own root, verb tagged."""
    nlp = spacy.blank("en")

    @spacy.Language.component("flat_parse_for_test")
    def flat(doc):
        for token in doc:
            token.pos_, token.tag_ = "VERB", "VBD"
        return doc

    if "flat_parse_for_test" not in nlp.pipe_names:
        nlp.add_pipe("flat_parse_for_test")
    return nlp


def test_eval_factuality_on_a_fixture(tmp_path):
    gold = tmp_path / "gold.jsonl"
    record = {
        "text": "Troops left . Talks failed",
        "events": [
            {"start": 7, "end": 11, "certainty": "CERTAIN", "polarity": "POS",
             "time": "NON_FUTURE"},
            {"start": 14, "end": 19, "certainty": "POSSIBLE", "polarity": "NEG",
             "time": "FUTURE"},
            {"start": 20, "end": 26, "certainty": "", "polarity": "", "time": ""},
        ],
    }
    gold.write_text(json.dumps(record) + "\n", encoding="utf-8")
    report = evaluate_factuality(gold, nlp=_parser())
    assert report["events"] == 3 and report["documents"] == 1
    assert report["certainty"]["n"] == 2 and report["certainty"]["unannotated"] == 1
    # Every token is a past-tense verb with no cue: certain, positive, non-future.
    assert report["certainty"]["accuracy"] == 0.5
    assert report["polarity"]["accuracy"] == 0.5
    assert report["time"]["accuracy"] == 0.5
    assert report["certainty"]["baseline"] == 0.5


def test_eval_factuality_missing_file(tmp_path):
    with pytest.raises(EvalError):
        evaluate_factuality(tmp_path / "absent.jsonl", nlp=_parser())


@pytest.mark.model
@pytest.mark.gold
def test_eval_factuality_meantime_beats_majority_baseline(bench_data, nlp):
    report = evaluate_factuality(bench_data / "factuality" / "meantime_en.jsonl", nlp=nlp)
    assert report["documents"] == 120
    for attribute in ("certainty", "polarity", "time"):
        assert report[attribute]["accuracy"] > report[attribute]["baseline"]
