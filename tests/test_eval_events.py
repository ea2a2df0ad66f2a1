"""`newsgraph eval events`: gold readers, PETRARCH dictionaries, and a small run on the bench data."""

from __future__ import annotations

import json

import pytest

from newsgraph.errors import EvalError
from newsgraph.evaluate.events import _plover_gold, dictionary_actors, evaluate_events


def test_eval_events_dated_dictionary_codes_follow_record_date():
    dictionary = {"actors": [
        {"phrase": "SHIRE HERO", "code": None, "synonyms": ["HERO"],
         "dated_codes": ["HOB < 950601", "HOBGOV 19950601 - 19990815", "HOBREB > 990816"]},
        {"phrase": "NORTH ANGMAR", "code": "ANG"},
    ]}
    assert dictionary_actors(dictionary, "19940101")["hero"] == "HOB"
    assert dictionary_actors(dictionary, "19970101")["shire hero"] == "HOBGOV"
    assert dictionary_actors(dictionary, "20010101")["hero"] == "HOBREB"
    assert dictionary_actors(dictionary, "20010101")["north angmar"] == "ANG"


def test_eval_events_plover_gold_normalises_legacy_labels_and_joint_actors():
    record = {"event_type": "FIGHT", "source": [{"code": "AAA"}, {"code": "BBB"}], "target": []}
    gold = _plover_gold(record)
    assert gold["plover"] == {"ASSAULT"}
    assert gold["dyad"] == {("AAA", "BBB"), ("BBB", "AAA")}


def test_eval_events_rejects_unknown_format(tmp_path, nlp):
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps({"text": "Hello."}) + "\n", encoding="utf-8")
    with pytest.raises(EvalError, match="E404"):
        evaluate_events(path, nlp=nlp)


@pytest.mark.parametrize("name, fmt", [("ud_petrarch_validate_2_02.jsonl", "petrarch"),
                                       ("plover_examples_dev.jsonl", "plover")])
def test_eval_events_runs_on_bench_data(bench_data, nlp, name, fmt):
    report = evaluate_events(bench_data / "events" / name, nlp=nlp, limit=25)
    assert report["format"] == fmt and report["records"] > 0
    json.dumps(report)  # JSON-able
    metric = "root_dyad" if fmt == "petrarch" else "plover"
    assert report["metrics"][metric]["recall"] > 0.1


def test_eval_events_negated_events_are_not_scored():
    from newsgraph.evaluate.events import _predicted
    from newsgraph.extract.events import ActorRef, Event

    arn = ActorRef("actor:ARN", "Arnor", "ARN", "ARN", None, 0, 5)
    gon = ActorRef("actor:GON", "Gondor", "GON", "GON", None, 15, 21)
    base = dict(sentence=0, trigger="attacked", trigger_start=6, trigger_end=14, cameo="190",
                cameo_root="19", cameo_name="Use conventional military force", goldstein=-10.0,
                quad_class=4, plover_type="ASSAULT", plover_mode=None, sources=(arn,), targets=(gon,))
    items, count = _predicted([Event(**base)], require_dyad=True)
    assert items["root_dyad"] == {("19", "ARN", "GON")} and count == 1
    items, count = _predicted([Event(**base, negated=True)], require_dyad=True)
    assert not items["root_dyad"] and count == 0


def _event(sources, targets, **extra):
    from newsgraph.extract.events import Event

    return Event(sentence=0, trigger="attacked", trigger_start=6, trigger_end=14, cameo="190",
                 cameo_root="19", cameo_name="Use conventional military force", goldstein=-10.0,
                 quad_class=4, plover_type="ASSAULT", plover_mode=None, sources=sources, targets=targets,
                 **extra)


def test_eval_events_background_events_are_not_scored():
    from newsgraph.evaluate.events import _predicted
    from newsgraph.extract.events import ActorRef

    arn = ActorRef("actor:ARN", "Arnor", "ARN", "ARN", None, 0, 5)
    gon = ActorRef("actor:GON", "Gondor", "GON", "GON", None, 15, 21)
    items, _ = _predicted([_event((arn,), (gon,), main=False)], require_dyad=True)
    assert not items["root_dyad"]


def test_eval_events_international_organisation_counts_as_igo():
    from newsgraph.evaluate.events import _predicted
    from newsgraph.extract.events import ActorRef

    un = ActorRef("org:united nations", "United Nations", "IGO", None, "IGO", 0, 3)
    officials = ActorRef("agent:GOV:10", "officials", "GOV", None, "GOV", 10, 19)
    gon = ActorRef("state:GON", "Gondor", "GON", "GON", None, 25, 31)
    items, _ = _predicted([_event((un, officials), (gon,))], require_dyad=True)
    assert items["dyad"] == {("IGO", "GON"), ("---", "GON")}


def test_eval_events_rejects_unknown_resolution(tmp_path, nlp):
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps({"text": "Hello.", "event_type": "AGREE"}) + "\n", encoding="utf-8")
    with pytest.raises(EvalError, match="E406"):
        evaluate_events(path, nlp=nlp, resolution="guess")


def test_eval_events_headline_templates_are_filled_with_stable_distinct_names():
    from newsgraph.evaluate.events import fill_placeholders

    record = {"id": "h-1", "text": "{country_1} Leader Condemns {country_2} Strike on {city}",
              "event_type": "ACCUSE"}
    filled = fill_placeholders(record)
    assert "{" not in filled["text"] and filled["event_type"] == "ACCUSE"
    assert fill_placeholders(record) == filled  # the same sentence on every run
    words = filled["text"].split()
    assert words[0] != words[3]  # two placeholders, two countries


def test_eval_events_headline_format_scores_plover_type_only(tmp_path, nlp):
    path = tmp_path / "headlines.jsonl"
    rows = [{"id": "a", "text": "{country_1} troops attack {country_2} border posts",
             "event_type": "ASSAULT", "templated": True}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    report = evaluate_events(path, nlp=nlp)
    assert report["format"] == "headlines" and set(report["metrics"]) == {"plover"}


def test_eval_events_counts_records_whose_gold_is_no_cameo_code(tmp_path, nlp):
    # a validation suite's own dictionary may code acts with codes the CAMEO codebook lacks
    # (a root above 20): those records are counted, and root + dyad is also given without them
    records = [
        {"id": "own-1", "text": "France accused Spain of spying.", "date": "20200101",
         "expected": [{"source": "FRA", "target": "ESP", "code": "212"}]},
        {"id": "cameo-1", "text": "France accused Spain of spying.", "date": "20200101",
         "expected": [{"source": "FRA", "target": "ESP", "code": "112"}]},
    ]
    path = tmp_path / "suite.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    report = evaluate_events(path, nlp=nlp)
    book = report["codebook"]
    assert book["off_codebook_records"] == 1 and book["off_codebook_ids"] == ["own-1"]
    assert book["root_dyad_on_codebook_records"]["gold"] == 1
    assert report["metrics"]["root_dyad"]["gold"] == 2
    # the record coded 21 by the suite is one where the suite and the coder code one dyad differently
    assert "own-1" in book["code_disagreement_ids"] and "cameo-1" not in book["code_disagreement_ids"]
