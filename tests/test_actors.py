"""Actor resolution rules, on documents built by hand (no model)."""

import pytest
import spacy
from spacy.tokens import Doc, Span

from newsgraph.extract.actors import actor_code, extract_actors, person_name

VOCAB = spacy.blank("en").vocab


def make_doc(rows, ents, sent_starts=None):
    """rows: (word, head index, dep, pos[, lemma]); ents: (start, end, label)."""
    words = [r[0] for r in rows]
    doc = Doc(
        VOCAB,
        words=words,
        heads=[r[1] for r in rows],
        deps=[r[2] for r in rows],
        pos=[r[3] for r in rows],
        lemmas=[r[4] if len(r) > 4 else r[0].lower() for r in rows],
        sent_starts=sent_starts,
    )
    doc.ents = [Span(doc, s, e, label=l) for s, e, l in ents]
    return doc


def by_key(found):
    return {a.key: a for a in found.actors}


def test_actors_apposition_gives_role_country_and_sector():
    # Sergei Shoigu , Russia 's security adviser , arrived in North Korea .
    doc = make_doc(
        [("Sergei", 1, "compound", "PROPN"), ("Shoigu", 9, "nsubj", "PROPN"), (",", 1, "punct", "PUNCT"),
         ("Russia", 6, "poss", "PROPN"), ("'s", 3, "case", "PART"), ("security", 6, "compound", "NOUN"),
         ("adviser", 1, "appos", "NOUN"), (",", 1, "punct", "PUNCT"), ("has", 9, "aux", "AUX"),
         ("arrived", 9, "ROOT", "VERB", "arrive"), ("in", 9, "prep", "ADP"), ("North", 12, "compound", "PROPN"),
         ("Korea", 10, "pobj", "PROPN"), (".", 9, "punct", "PUNCT")],
        [(0, 2, "PERSON"), (3, 4, "GPE"), (11, 13, "GPE")],
    )
    actors = by_key(extract_actors(doc))
    shoigu = actors["person:sergei shoigu"]
    assert (shoigu.country, shoigu.sector) == ("RUS", "GOV")
    assert shoigu.roles[0].title == "security adviser"
    assert doc.text[shoigu.roles[0].start : shoigu.roles[0].end] == "security adviser"
    assert actor_code(shoigu) == "RUSGOV"
    assert actors["state:PRK"].kind == "state" and actors["state:RUS"].name == "Russia"


def test_actors_short_form_and_possessive_are_the_same_person():
    # Vladimir Putin 's aide spoke . Putin agreed .
    doc = make_doc(
        [("Vladimir", 1, "compound", "PROPN"), ("Putin", 3, "poss", "PROPN"), ("'s", 1, "case", "PART"),
         ("aide", 4, "nsubj", "NOUN"), ("spoke", 4, "ROOT", "VERB"), (".", 4, "punct", "PUNCT"),
         ("Putin", 7, "nsubj", "PROPN"), ("agreed", 7, "ROOT", "VERB"), (".", 7, "punct", "PUNCT")],
        [(0, 2, "PERSON"), (6, 7, "PERSON")],
        sent_starts=[True, False, False, False, False, False, True, False, False],
    )
    found = extract_actors(doc)
    people = [a for a in found.actors if a.kind == "person"]
    assert [p.name for p in people] == ["Vladimir Putin"]
    assert {m.text for m in found.mentions} == {"Vladimir Putin", "Putin"}
    assert {m.sentence for m in found.mentions} == {0, 1}


def test_actors_surname_before_full_name_is_folded_in():
    # Shoigu spoke . Sergei Shoigu left .
    doc = make_doc(
        [("Shoigu", 1, "nsubj", "PROPN"), ("spoke", 1, "ROOT", "VERB"), (".", 1, "punct", "PUNCT"),
         ("Sergei", 4, "compound", "PROPN"), ("Shoigu", 5, "nsubj", "PROPN"), ("left", 5, "ROOT", "VERB"),
         (".", 5, "punct", "PUNCT")],
        [(0, 1, "PERSON"), (3, 5, "PERSON")],
        sent_starts=[True, False, False, True, False, False, False],
    )
    found = extract_actors(doc)
    assert [a.key for a in found.actors] == ["person:sergei shoigu"]
    assert len(found.mentions) == 2


@pytest.mark.parametrize(
    "rows, ent, expected_kind",
    [
        # visited Pyongyang -> a place
        ([("He", 1, "nsubj", "PRON"), ("visited", 1, "ROOT", "VERB", "visit"), ("Pyongyang", 1, "dobj", "PROPN"),
          (".", 1, "punct", "PUNCT")], 2, "place"),
        # Pyongyang denied it -> the government of North Korea
        ([("Pyongyang", 1, "nsubj", "PROPN"), ("denied", 1, "ROOT", "VERB", "deny"), ("it", 1, "dobj", "PRON"),
          (".", 1, "punct", "PUNCT")], 0, "state"),
        # talks in Moscow -> a place
        ([("talks", 0, "ROOT", "NOUN"), ("in", 0, "prep", "ADP"), ("Moscow", 1, "pobj", "PROPN"),
          (".", 0, "punct", "PUNCT")], 2, "place"),
        # aid from Moscow -> the government
        ([("aid", 0, "ROOT", "NOUN"), ("from", 0, "prep", "ADP"), ("Moscow", 1, "pobj", "PROPN"),
          (".", 0, "punct", "PUNCT")], 2, "state"),
    ],
)
def test_actors_capital_is_place_or_government_by_its_role(rows, ent, expected_kind):
    doc = make_doc(rows, [(ent, ent + 1, "GPE")])
    (actor,) = extract_actors(doc).actors
    assert actor.kind == expected_kind
    assert actor.country in ("PRK", "RUS")


def test_actors_demonym_is_the_state_and_news_agency_sector_from_lexicon():
    # American officials thanked the TASS news agency .
    doc = make_doc(
        [("American", 1, "amod", "ADJ"), ("officials", 2, "nsubj", "NOUN"), ("thanked", 2, "ROOT", "VERB"),
         ("the", 6, "det", "DET"), ("TASS", 6, "compound", "PROPN"), ("news", 6, "compound", "NOUN"),
         ("agency", 2, "dobj", "NOUN"), (".", 2, "punct", "PUNCT")],
        [(0, 1, "NORP"), (4, 5, "ORG")],
    )
    actors = by_key(extract_actors(doc))
    assert actors["state:USA"].aliases == {"American"}
    tass = actors["org:tass"]
    assert (tass.kind, tass.country, tass.sector) == ("organisation", "RUS", "MED")


def test_actors_unknown_org_gets_sector_from_head_noun_and_country_from_possessor():
    # Ruritania 's Ministry of Defence ... simplified: Ruritania 's defence ministry where Ruritania unknown
    doc = make_doc(
        [("France", 3, "poss", "PROPN"), ("'s", 0, "case", "PART"), ("Acme", 3, "compound", "PROPN"),
         ("Corporation", 4, "nsubj", "PROPN"), ("grew", 4, "ROOT", "VERB"), (".", 4, "punct", "PUNCT")],
        [(0, 1, "GPE"), (2, 4, "ORG")],
    )
    actors = by_key(extract_actors(doc))
    acme = actors["org:acme corporation"]
    assert (acme.country, acme.sector) == ("FRA", "BUS")


@pytest.mark.parametrize(
    "text, name",
    [("Vladimir Putin’s", "Vladimir Putin"), ("Mr. Smith", "Smith"), ("Dr Jane Goodall's", "Jane Goodall"),
     ("Kim Jong Un", "Kim Jong Un")],
)
def test_actors_person_name_trims_possessives_and_honorifics(text, name):
    assert person_name(text) == name
