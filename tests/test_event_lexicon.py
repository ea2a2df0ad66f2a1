"""The event lexicon's data: every CAMEO code coded by some pattern, the per-root files, the agent
list, and the `newsgraph lexicon` command; a few patterns on hand-built parses."""

from __future__ import annotations

import json
from importlib import resources

import pytest
import spacy
from click.testing import CliRunner
from spacy.tokens import Doc

from newsgraph.cli import cli
from newsgraph.errors import LexiconError
from newsgraph.extract.event_lexicon import DATA_PACKAGE, code_coverage, load_event_lexicon, packaged_files, parse_predicate
from newsgraph.extract.events import DictionaryResolver, EventCoder

VOCAB = spacy.blank("en").vocab
ACTORS = {"arnor": "ARN", "gondor": "GON"}


def make_doc(rows: str) -> Doc:
    """A Doc from 'word head dep pos lemma' lines; heads are absolute token indices."""
    parts = [line.split() for line in rows.strip().splitlines()]
    return Doc(VOCAB, words=[p[0] for p in parts], heads=[int(p[1]) for p in parts],
               deps=[p[2] for p in parts], pos=[p[3] for p in parts], lemmas=[p[4] for p in parts])


def codes(rows: str) -> list[tuple[str, str | None, str]]:
    resolve = DictionaryResolver(actors=ACTORS, use_geo=False)
    events = EventCoder().events(make_doc(rows), resolve)
    return sorted((s.code, t.code if t else None, e.cameo) for e in events for s, t in e.dyads())


def test_event_lexicon_every_code_has_a_pattern():
    missing = [c.code for c in code_coverage() if not c.covered]
    assert missing == [], f"CAMEO codes no pattern codes: {missing}"


def test_event_lexicon_per_root_files_hold_only_known_codes_of_their_root():
    lex = load_event_lexicon()
    folder = resources.files(DATA_PACKAGE)
    names = packaged_files("predicates.tsv")
    assert names[0] == "predicates.tsv" and names[1:] == sorted(names[1:]) and len(names) == 21
    for name in names[1:]:
        root = name[len("cameo"):len("cameo") + 2]
        for line in folder.joinpath(name).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                code = line.split("\t")[3]
                assert code[:2] == root and code in lex.codes, f"{name}: {line!r}"


def test_event_lexicon_every_code_but_statements_has_a_plover_type():
    untyped = [c.code for c in code_coverage() if not c.plover_type and c.code[:2] != "01"]
    assert untyped == []
    info = load_event_lexicon().info
    assert (info("0831").plover_type, info("0831").plover_mode) == ("RETREAT", "resign")  # an override row
    # a court's finding of guilt is PLOVER's SANCTION convict, not an accusation (the codebook's
    # ACCUSE covers bringing to trial, not convictions)
    assert (info("116").plover_type, info("116").plover_mode) == ("SANCTION", "convict")
    assert info("1952").plover_type == "ASSAULT" and info("190").goldstein == -10.0


@pytest.mark.parametrize(
    "words, sector",
    [
        ("riot police", "COP"), ("the defence minister", "GOVMIL"), ("opposition lawmakers", "OPP"),
        ("union leaders", "LAB"), ("catholic bishops", "REL"), ("islamist militants", "REB"),
        ("aid workers", "NGO"), ("asylum seekers", "REF"), ("striking miners", "OPPLAB"),
        ("a major power", None), ("private companies", "BUS"), ("nerve agent", None),
    ],
)
def test_event_lexicon_agent_sectors(words, sector):
    assert load_event_lexicon().agent_sector(words.split()) == sector


SUMMONED = """
Arnor 1 nsubj PROPN Arnor
summoned 1 ROOT VERB summon
Gondor 3 poss PROPN Gondor
ambassador 1 dobj NOUN ambassador
. 1 punct PUNCT .
"""
STRUCK_DEAL = """
Arnor 1 nsubj PROPN Arnor
struck 1 ROOT VERB strike
a 3 det DET a
deal 1 dobj NOUN deal
with 3 prep ADP with
Gondor 4 pobj PROPN Gondor
. 1 punct PUNCT .
"""
URGED_TALKS = """
Arnor 1 nsubj PROPN Arnor
urged 1 ROOT VERB urge
talks 1 dobj NOUN talk
with 2 prep ADP with
Gondor 3 pobj PROPN Gondor
. 1 punct PUNCT .
"""
TEAR_GAS = """
Arnor 1 nsubj PROPN Arnor
fired 1 ROOT VERB fire
tear 3 compound NOUN tear
gas 1 dobj NOUN gas
at 1 prep ADP at
Gondor 4 pobj PROPN Gondor
. 1 punct PUNCT .
"""


@pytest.mark.parametrize(
    "rows, expected",
    [
        (SUMMONED, [("ARN", "GONGOV", "114")]),  # summoning an envoy is a formal protest
        (STRUCK_DEAL, [("ARN", "GON", "057")]),  # "strike a deal" is no attack
        (URGED_TALKS, [("ARN", "GON", "026")]),
        (URGED_TALKS.replace("urged 1 ROOT VERB urge", "rejected 1 ROOT VERB reject"), [("ARN", "GON", "125")]),
        (URGED_TALKS.replace("urged 1 ROOT VERB urge", "offered 1 ROOT VERB offer"), [("ARN", "GON", "036")]),
        (TEAR_GAS, [("ARN", "GON", "175")]),
    ],
    ids=["summon", "strike-deal", "urge-talks", "reject-talks", "offer-talks", "tear-gas"],
)
def test_event_lexicon_patterns_code_their_sense(rows, expected):
    assert codes(rows) == expected


def test_cli_lexicon_lists_every_code_with_counts():
    runner = CliRunner()
    rows = json.loads(runner.invoke(cli, ["lexicon", "--json"], catch_exceptions=False).output)
    assert [r["code"] for r in rows] == sorted(load_event_lexicon().codes)
    fight = next(r for r in rows if r["code"] == "19")
    assert fight["plover_type"] == "ASSAULT" and fight["verb_patterns"] > 50 and fight["noun_patterns"] > 20
    text = runner.invoke(cli, ["lexicon"], catch_exceptions=False).output.splitlines()
    assert any(line.startswith("190") and "ASSAULT" in line and "-10.0" in line for line in text)
    missing = runner.invoke(cli, ["lexicon", "--missing"], catch_exceptions=False)
    assert (missing.exit_code, missing.output) == (0, "")


def test_event_lexicon_a_subject_constraint_is_read_and_counts_as_specific():
    (pred,) = parse_predicate(["V", "gather", "subj=protester|demonstrator", "141", "solo"], "x.tsv")
    assert pred.subj == {"protester", "demonstrator"} and pred.specificity == 1
    with pytest.raises(LexiconError, match="subj="):
        parse_predicate(["V", "gather", "who=protester", "141", "solo"], "x.tsv")
