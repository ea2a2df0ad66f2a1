"""Event arguments resolved to the article's actors (hand-built documents, no model)."""

import spacy
from spacy.tokens import Doc, Span

from newsgraph.extract.actors import extract_actors
from newsgraph.extract.references import ArticleResolver

VOCAB = spacy.blank("en").vocab


def make_doc(rows, ents, sent_starts=None):
    doc = Doc(VOCAB, words=[r[0] for r in rows], heads=[r[1] for r in rows], deps=[r[2] for r in rows],
              pos=[r[3] for r in rows], lemmas=[r[4] if len(r) > 4 else r[0].lower() for r in rows],
              sent_starts=sent_starts)
    doc.ents = [Span(doc, s, e, label=l) for s, e, l in ents]
    return doc


def resolver(doc):
    return ArticleResolver(doc, extract_actors(doc))


def test_references_named_person_carries_country_and_sector_code():
    # President Lula of Brazil spoke . -> simplified: Brazilian President Lula spoke .
    doc = make_doc(
        [("Brazilian", 2, "amod", "ADJ"), ("President", 2, "compound", "PROPN"), ("Lula", 3, "nsubj", "PROPN"),
         ("spoke", 3, "ROOT", "VERB"), (".", 3, "punct", "PUNCT")],
        [(0, 1, "NORP"), (2, 3, "PERSON")],
    )
    (ref,) = resolver(doc)(doc[0:3])
    assert (ref.name, ref.code) == ("Lula", "BRAGOV")


def test_references_state_adjective_with_agent_noun_gives_sector():
    # North Korean troops arrived .
    doc = make_doc(
        [("North", 1, "compound", "PROPN"), ("Korean", 2, "amod", "ADJ"), ("troops", 3, "nsubj", "NOUN"),
         ("arrived", 3, "ROOT", "VERB"), (".", 3, "punct", "PUNCT")],
        [(0, 2, "NORP")],
    )
    (ref,) = resolver(doc)(doc[0:3])
    assert (ref.key, ref.code) == ("state:PRK", "PRKMIL")


def test_references_both_nations_are_the_two_most_salient_states():
    # Russia helped North Korea in Ukraine . Both nations denied it .
    rows = [("Russia", 1, "nsubj", "PROPN"), ("helped", 1, "ROOT", "VERB"), ("North", 3, "compound", "PROPN"),
            ("Korea", 1, "dobj", "PROPN"), ("in", 1, "prep", "ADP"), ("Ukraine", 4, "pobj", "PROPN"),
            (".", 1, "punct", "PUNCT"),
            ("Both", 8, "det", "DET"), ("nations", 9, "nsubj", "NOUN", "nation"), ("denied", 9, "ROOT", "VERB"),
            ("it", 9, "dobj", "PRON"), (".", 9, "punct", "PUNCT")]
    doc = make_doc(rows, [(0, 1, "GPE"), (2, 4, "GPE"), (5, 6, "GPE")],
                   sent_starts=[1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0])
    refs = resolver(doc)(doc[7:9])
    assert {r.country for r in refs} == {"RUS", "PRK"}


def test_references_his_is_the_subject_of_the_previous_sentence():
    # Shoigu met Kim . His visit ended .
    rows = [("Shoigu", 1, "nsubj", "PROPN"), ("met", 1, "ROOT", "VERB"), ("Kim", 1, "dobj", "PROPN"),
            (".", 1, "punct", "PUNCT"), ("His", 5, "poss", "PRON"), ("visit", 6, "nsubj", "NOUN"),
            ("ended", 6, "ROOT", "VERB"), (".", 6, "punct", "PUNCT")]
    doc = make_doc(rows, [(0, 1, "PERSON"), (2, 3, "PERSON")], sent_starts=[1, 0, 0, 0, 1, 0, 0, 0])
    (ref,) = resolver(doc)(doc[4:5])
    assert ref.name == "Shoigu"


def test_references_unknown_phrase_falls_back_to_agents():
    # Officials said .
    doc = make_doc([("Officials", 1, "nsubj", "NOUN", "official"), ("said", 1, "ROOT", "VERB", "say"),
                    (".", 1, "punct", "PUNCT")], [])
    refs = resolver(doc)(doc[0:1])
    assert refs and refs[0].sector == "GOV" and refs[0].country is None


def test_references_coordinated_people_hidden_in_one_phrase_are_all_returned():
    # President Lula and President Milei signed  (parsed with Lula as a modifier of Milei)
    rows = [("President", 1, "compound", "PROPN"), ("Lula", 4, "nmod", "PROPN"), ("and", 1, "cc", "CCONJ"),
            ("President", 1, "conj", "PROPN"), ("Milei", 5, "nsubj", "PROPN"), ("signed", 5, "ROOT", "VERB"),
            (".", 5, "punct", "PUNCT")]
    doc = make_doc(rows, [(1, 2, "PERSON"), (4, 5, "PERSON")])
    refs = resolver(doc)(doc[0:5])
    assert [r.name for r in refs] == ["Lula", "Milei"]
    # a title parsed apart from its name stands for the person after it
    (ref,) = resolver(doc)(doc[3:4])
    assert ref.name == "Milei"


def test_references_place_in_a_phrase_is_not_an_actor_but_a_visited_place_is_its_state():
    # They signed an agreement in Brasilia . He visited Pyongyang .
    rows = [("They", 1, "nsubj", "PRON"), ("signed", 1, "ROOT", "VERB", "sign"), ("an", 3, "det", "DET"),
            ("agreement", 1, "dobj", "NOUN"), ("in", 3, "prep", "ADP"), ("Brasilia", 4, "pobj", "PROPN"),
            (".", 1, "punct", "PUNCT"),
            ("He", 8, "nsubj", "PRON"), ("visited", 8, "ROOT", "VERB", "visit"), ("Pyongyang", 8, "dobj", "PROPN"),
            (".", 8, "punct", "PUNCT")]
    doc = make_doc(rows, [(5, 6, "GPE"), (9, 10, "GPE")], sent_starts=[1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0])
    r = resolver(doc)
    assert r(doc[2:6]) == []
    assert r(doc[5:6]) == []
    (host,) = r(doc[9:10])
    assert (host.key, host.code) == ("state:PRK", "PRK")
