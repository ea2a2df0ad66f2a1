"""`newsgraph eval attribution`: span matching arithmetic on our own tiny fixtures."""

from __future__ import annotations

import json

import pytest

from newsgraph.errors import EvalError
from newsgraph.evaluate.attribution import (
    Scorer,
    Triple,
    evaluate_attribution,
    gold_triples,
    match_items,
    read_gold,
)


def item(*spans):
    return frozenset(spans)


@pytest.mark.parametrize(
    ("predicted", "gold", "exact", "overlap"),
    [
        ([item((0, 5))], [item((0, 5))], 1, 1),
        ([item((0, 5))], [item((3, 9))], 0, 1),
        ([item((0, 5))], [item((5, 9))], 0, 0),  # touching is not overlapping
        # one-to-one: a long prediction overlapping two gold items matches only one
        ([item((0, 20))], [item((0, 5)), item((10, 20))], 0, 1),
        # greedy by shared characters: (0,10) takes gold (2,12), leaving (9,11) for (10,30)
        ([item((0, 10)), item((9, 11))], [item((2, 12)), item((10, 30))], 0, 2),
        # discontinuous items: exact needs every piece
        ([item((0, 5), (8, 12))], [item((0, 5), (8, 13))], 0, 1),
    ],
)
def test_eval_attribution_match_items_exact_and_overlap(predicted, gold, exact, overlap):
    assert match_items(predicted, gold, "exact") == exact
    assert match_items(predicted, gold, "overlap") == overlap


def test_eval_attribution_scorer_figures_and_whole_attributions():
    gold = [
        Triple(source=item((0, 5)), cue=item((6, 10)), content=item((11, 30))),
        Triple(source=None, cue=item((40, 50)), content=item((51, 60))),  # source-less hedge
    ]
    predicted = [
        Triple(source=item((0, 5)), cue=item((6, 10)), content=item((11, 29))),  # content 1 char short
        Triple(source=item((35, 39)), cue=item((40, 50)), content=item((51, 60))),  # invented source
        Triple(source=item((70, 75)), cue=item((76, 80)), content=item((81, 90))),  # spurious
    ]
    scorer = Scorer()
    scorer.add(predicted, gold)
    result = scorer.result()
    assert result["documents"] == 1
    assert result["source"]["exact"] == {"precision": 0.3333, "recall": 1.0, "f1": 0.5,
                                              "predicted": 3, "gold": 1, "matched": 1}
    assert result["cue"]["exact"]["matched"] == 2
    assert result["content"]["exact"]["matched"] == 1
    assert result["content"]["overlap"]["matched"] == 2
    assert result["content"]["overlap"]["precision"] == pytest.approx(0.6667)
    # whole attribution: the first matches by overlap only; the second fails on its source
    assert result["attribution"]["exact"]["matched"] == 0
    assert result["attribution"]["overlap"]["matched"] == 1
    assert result["attribution"]["overlap"]["f1"] == pytest.approx(0.4)


def test_eval_attribution_gold_triples_trim_white_space_and_skip_empty_roles():
    record = {
        "text": "Aides said  it rained .",
        "attributions": [
            {"source": [{"start": 0, "end": 5}], "cue": [{"start": 6, "end": 11}],
             "content": [{"start": 10, "end": 19}]},
            {"source": [], "cue": [{"start": 6, "end": 10}], "content": []},
        ],
    }
    first, second = gold_triples(record)
    assert first.cue == item((6, 10)) and first.content == item((12, 19))
    assert second.source is None and second.content is None


def test_eval_attribution_read_gold_reports_bad_files(tmp_path):
    with pytest.raises(EvalError, match="not found"):
        list(read_gold(tmp_path / "missing.jsonl"))
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ok", "attributions": []}\n{oops\n', encoding="utf-8")
    with pytest.raises(EvalError, match="bad.jsonl:2"):
        list(read_gold(bad))


@pytest.mark.model
def test_eval_attribution_end_to_end_on_own_sentences(nlp, tmp_path):
    text = "Officials said the bridge was closed. The mayor denied that the tunnel leaked."
    said, denied = text.index("said"), text.index("denied")
    records = [{
        "text": text,
        "attributions": [
            {"source": [{"start": 0, "end": 9}], "cue": [{"start": said, "end": said + 4}],
             "content": [{"start": said + 5, "end": text.index(".")}]},
            {"source": [{"start": 38, "end": 47}], "cue": [{"start": denied, "end": denied + 6}],
             "content": [{"start": denied + 7, "end": len(text) - 1}]},
        ],
    }]
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result = evaluate_attribution(path, nlp=nlp)
    for role in ("source", "cue", "content"):
        assert result[role]["exact"]["f1"] == 1.0, (role, result[role])
    assert result["attribution"]["exact"]["f1"] == 1.0


@pytest.mark.gold
@pytest.mark.model
def test_eval_attribution_polnear_dev_floors(nlp, bench_data):
    """The issue's acceptance floors on PolNeAR dev (about 30 s: parses 84 articles)."""
    result = evaluate_attribution(bench_data / "attribution" / "polnear_dev.jsonl", nlp=nlp)
    assert result["content"]["overlap"]["f1"] >= 0.70
    assert result["source"]["overlap"]["f1"] >= 0.75
