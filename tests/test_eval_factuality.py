"""The MEANTIME factuality evaluator: arithmetic on a tiny fixture, then the real gold file."""

from __future__ import annotations

import json

import pytest
import spacy

from newsgraph.errors import EvalError
from spacy.tokens import Doc
from spacy.vocab import Vocab

from newsgraph.evaluate.factuality import evaluate_factuality, mention_head, score


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


def _doc(rows: str) -> Doc:
    """A Doc from lines of `word head dep pos` (head is a token index)."""
    table = [line.split() for line in rows.strip().splitlines()]
    return Doc(Vocab(), words=[r[0] for r in table], heads=[int(r[1]) for r in table],
               deps=[r[2] for r in table], pos=[r[3] for r in table])


def _event(doc: Doc, *pieces: str) -> dict:
    """A gold mention made of the given words of `doc`, as MEANTIME's converter writes it."""
    spans = [[t.idx, t.idx + len(t)] for t in doc if t.text in pieces]
    event = {"start": spans[0][0], "end": spans[-1][1]}
    if len(spans) > 1:
        event["token_spans"] = spans
    return event


# "Police are in possession of it ."
IN_POSSESSION = """
Police 1 nsubj PROPN
are 1 ROOT AUX
in 1 prep ADP
possession 2 pobj NOUN
of 3 prep ADP
it 4 pobj PRON
. 1 punct PUNCT
"""
# "sales , he said , rose" (a discontinuous mention: sales ... rose)
INTERRUPTED = """
sales 5 nsubj NOUN
, 3 punct PUNCT
he 3 nsubj PRON
said 3 ROOT VERB
, 3 punct PUNCT
rose 3 ccomp VERB
"""


def test_eval_factuality_mention_head_is_the_content_word_not_the_preposition():
    doc = _doc(IN_POSSESSION)
    assert mention_head(doc, _event(doc, "in", "possession")).text == "possession"


def test_eval_factuality_mention_head_ignores_words_between_the_pieces():
    doc = _doc(INTERRUPTED)
    # The whole stretch would be headed by "said", which is not part of the mention.
    assert mention_head(doc, _event(doc, "sales", "rose")).text == "rose"


def test_eval_factuality_mention_head_of_an_unalignable_mention_is_none():
    doc = _doc(IN_POSSESSION)
    assert mention_head(doc, {"start": 500, "end": 510}) is None


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
