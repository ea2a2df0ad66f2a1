"""The duplicate-family scorer: its arithmetic, the rewrite generator, and a small run on Reuters."""

from __future__ import annotations

import gzip
import json
import random

import pytest

from newsgraph.errors import EvalError
from newsgraph.evaluate.dedup import (
    Story,
    evaluate_dedup,
    exact_duplicate_report,
    read_stories,
    rewrite,
    score_families,
    split_sentences,
)
from newsgraph.store.families import FamilyIndex

TEXT = ("Alpha rose on Monday. Beta fell by two points. Gamma was unchanged at noon. "
        "Delta traders waited for the report. Epsilon closed the week higher.")


def test_eval_dedup_scores_pairs_within_families():
    # o1 + its rewrite r1 are gold; o2's rewrite r2 was missed; d1 was wrongly put with o1.
    label = {"o1": "o1", "r1": "o1", "o2": "o2", "r2": "o2", "d1": "d1", "d2": "d2"}
    families = [["o1", "r1", "d1"], ["o2"], ["r2"], ["d2"]]
    f = score_families(families, label, rewrites=["r1", "r2"], corpus={"o1", "o2", "d1", "d2"})
    # predicted pairs: (o1,r1) right, (o1,d1) wrong, (r1,d1) wrong
    assert (f["predicted_pairs"], f["true_pairs"], f["gold_pairs"]) == (3, 1, 2)
    assert f["precision"] == pytest.approx(1 / 3, abs=1e-4)
    assert f["recall"] == 0.5
    assert f["f1"] == pytest.approx(0.4, abs=1e-4)
    assert f["corpus_pairs"] == 1  # (o1, d1): two corpus stories put together


def test_eval_dedup_no_predictions_is_precise_but_recalls_nothing():
    f = score_families([], {"o": "o", "r": "o"}, rewrites=["r"], corpus={"o"})
    assert (f["precision"], f["recall"], f["f1"]) == (1.0, 0.0, 0.0)


def test_eval_dedup_split_sentences():
    assert len(split_sentences(TEXT)) == 5
    assert split_sentences("One line\n   wrapped here. Two.") == ["One line wrapped here.", "Two."]


@pytest.mark.parametrize("rate", [0.05, 0.2, 0.5])
def test_eval_dedup_rewrites_are_deterministic_and_do_what_they_say(rate):
    vocab = ["zeta", "eta", "theta"]
    dropped = rewrite(TEXT, "drop", rate, random.Random(0), vocab)
    assert dropped == rewrite(TEXT, "drop", rate, random.Random(0), vocab)
    assert 1 <= len(split_sentences(TEXT)) - len(split_sentences(dropped)) <= max(1, round(rate * 5))
    reordered = rewrite(TEXT, "reorder", rate, random.Random(0), vocab)
    assert sorted(split_sentences(reordered)) == sorted(split_sentences(TEXT))
    assert reordered != " ".join(split_sentences(TEXT))
    substituted = rewrite(TEXT, "substitute", rate, random.Random(0), vocab).split()
    changed = sum(a != b for a, b in zip(TEXT.split(), substituted))
    assert changed == max(1, round(rate * len(TEXT.split())))


def test_eval_dedup_unknown_kind_is_refused():
    with pytest.raises(EvalError):
        rewrite(TEXT, "paraphrase", 0.1, random.Random(0), ["x"])


def test_eval_dedup_exact_duplicates_counts_groups_pairs_and_copies():
    stories = [Story("a", TEXT, TEXT), Story("b", TEXT, TEXT), Story("c", TEXT, TEXT),
               Story("d", TEXT + " ", TEXT), Story("e", "Other text here.", "Other text here.")]
    index = FamilyIndex()
    for s in stories:
        index.add(s.id, s.text)
    report = exact_duplicate_report(stories, index)
    assert report["byte_identical"] == {"groups": 1, "pairs": 3, "redundant_copies": 2, "pairs_in_one_family": 3}
    assert report["normalised"] == {"groups": 1, "pairs": 6, "redundant_copies": 3, "pairs_in_one_family": 6}


def test_eval_dedup_missing_corpus_is_an_eval_error(tmp_path):
    with pytest.raises(EvalError):
        read_stories(tmp_path / "missing.jsonl.gz")


def test_eval_dedup_runs_end_to_end_on_a_self_written_corpus(tmp_path):
    rng = random.Random(3)
    words = [f"w{i}" for i in range(400)]
    path = tmp_path / "corpus.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for i in range(40):
            sentences = [" ".join(rng.choice(words) for _ in range(12)).capitalize() + f" {i}{j}."
                         for j in range(8)]
            fh.write(json.dumps({"body": " ".join(sentences)}) + "\n")
        fh.write(json.dumps({"body": "Copy of a story. Copy of a story."}) + "\n")
        fh.write(json.dumps({"body": "Copy of a story. Copy of a story."}) + "\n")
    report = evaluate_dedup(path, sample=10, seed=0, kinds=("drop", "substitute"), rates=(0.1,))
    assert report["exact_duplicates"]["byte_identical"]["pairs_in_one_family"] == 1
    drop = report["rewrites"][0]
    assert (drop["kind"], drop["rewrites"], drop["recall"], drop["precision"]) == ("drop", 10, 1.0, 1.0)


def test_eval_dedup_reuters_finds_every_exact_duplicate_pair(bench_data):
    # The byte-identical bodies the acceptance counts as 265 (redundant copies; 268 pairs).
    # To stay fast the index holds every story of a duplicate group plus 1,000 others.
    path = bench_data / "raw_corpus" / "reuters21578.jsonl.gz"
    stories = read_stories(path)
    seen: dict[str, int] = {}
    for s in stories:
        seen[s.raw] = seen.get(s.raw, 0) + 1
    chosen = [s for s in stories if seen[s.raw] > 1] + [s for s in stories if seen[s.raw] == 1][:1000]
    index = FamilyIndex()
    for s in chosen:
        index.add(s.id, s.text)
    report = exact_duplicate_report(chosen, index)["byte_identical"]
    assert report["redundant_copies"] == 265
    assert report["pairs_in_one_family"] == report["pairs"] == 268
