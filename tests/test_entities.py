"""Entity fixes on top of spaCy's NER: hand-built Docs for each rule, one end-to-end check."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc, Span

from newsgraph.extract.entities import (
    COMPONENT,
    CONLL_LABEL_MAP,
    add_entity_components,
    add_appositive_people,
    document_consistency,
    is_english_word,
    is_shouted,
    recase_text,
    recase_words,
    recut_names,
    split_entity,
    to_conll,
    trim_entity,
)


@pytest.fixture(scope="module")
def blank():
    return spacy.blank("en")


@pytest.fixture(scope="module")
def fixes(blank):
    """The component on a blank pipeline: rules only, no statistical model."""
    return blank.add_pipe(COMPONENT)


def make_doc(vocab, text: str, ents: list[tuple[int, int, str]] = (), sent_starts: list[int] = (0,)) -> Doc:
    words = text.split()
    starts = [i in sent_starts for i in range(len(words))]
    ents_iob = ["O"] * len(words)
    for start, end, label in ents:
        ents_iob[start] = f"B-{label}"
        for i in range(start + 1, end):
            ents_iob[i] = f"I-{label}"
    return Doc(vocab, words=words, sent_starts=starts, ents=ents_iob)


def ents(doc: Doc) -> list[tuple[str, str]]:
    return [(e.text, e.label_) for e in doc.ents]


@pytest.mark.parametrize(
    ("text", "ent", "expected"),
    [
        ("He said the Kremlin 's plan failed", (2, 5, "ORG"), ("Kremlin", "ORG")),
        ("Russia 's army moved", (0, 2, "GPE"), ("Russia", "GPE")),
        ("Striker Ivan Petrov scored", (0, 3, "PERSON"), ("Ivan Petrov", "PERSON")),
        ("President Vladimir Putin spoke", (0, 3, "PERSON"), ("Vladimir Putin", "PERSON")),
        ("Phoenix 3 Dallas 0", (0, 2, "ORG"), ("Phoenix", "ORG")),
        ('" Pyongyang , he said', (0, 3, "GPE"), ("Pyongyang", "GPE")),
    ],
)
def test_entities_trim_entity(blank, text, ent, expected):
    doc = make_doc(blank.vocab, text, [ent])
    trimmed = trim_entity(doc.ents[0])
    assert (trimmed.text, trimmed.label_) == expected


@pytest.mark.parametrize("text", ["12 - 4", "1:18.81"])
def test_entities_trim_entity_drops_letterless_names(blank, text):
    doc = make_doc(blank.vocab, text, [(0, len(text.split()), "PERSON")])
    assert trim_entity(doc.ents[0]) is None


@pytest.mark.parametrize(
    ("text", "label", "expected"),
    [
        ("Forwards - Ivan Petrov", "PERSON", "Ivan Petrov"),
        ("Anna Berg ( Sweden", "PERSON", "Anna Berg"),
        ("Bank of North Korea", "ORG", "Bank of North Korea"),
    ],
)
def test_entities_split_entity_at_free_standing_punctuation(blank, text, label, expected):
    doc = make_doc(blank.vocab, text, [(0, len(text.split()), label)])
    assert [p.text for p in split_entity(doc.ents[0])] == [expected]


def test_entities_gazetteer_adds_what_the_model_missed(fixes, blank):
    doc = make_doc(blank.vocab, "Shoigu met North Korean officials in Pyongyang and Kursk .", [(0, 1, "PERSON")])
    assert ents(fixes(doc)) == [("Shoigu", "PERSON"), ("North Korean", "NORP"), ("Pyongyang", "GPE"), ("Kursk", "GPE")]


def test_entities_gazetteer_relabels_identical_spans(fixes, blank):
    doc = make_doc(blank.vocab, "Ukraine and Russian officials met in Riyadh .", [(0, 1, "PERSON"), (2, 3, "ORG")])
    assert ents(fixes(doc)) == [("Ukraine", "GPE"), ("Russian", "NORP"), ("Riyadh", "GPE")]


def test_entities_gazetteer_keeps_longer_model_entities(fixes, blank):
    doc = make_doc(blank.vocab, "The Bank of Japan raised rates .", [(1, 4, "ORG")])
    assert ents(fixes(doc)) == [("Bank of Japan", "ORG")]


def test_entities_results_table_cities_are_teams(fixes, blank):
    doc = make_doc(blank.vocab, "Leeds 2 Liverpool 1", [(0, 1, "GPE")])
    assert ents(fixes(doc)) == [("Leeds", "ORG"), ("Liverpool", "ORG")]


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("MOSCOW 2024-06-19 Officials said", "MOSCOW"),
        ("KURSK , Russia 2024-08-07 Troops", "KURSK"),
        ("WASHINGTON ( Reuters ) - The", "WASHINGTON"),
    ],
)
def test_entities_datelines(fixes, blank, text, place):
    doc = fixes(make_doc(blank.vocab, text))
    assert (place, "GPE") in ents(doc)


def test_entities_hyphenated_nationalities(fixes, blank):
    doc = fixes(make_doc(blank.vocab, "the Syrian-backed government and a well-known man"))
    assert ents(doc) == [("Syrian-backed", "NORP")]


def _parsed(vocab, rows, ents):
    """A Doc from (word, head, dep, pos) rows, with entities (start, end, label)."""
    doc = Doc(vocab, words=[r[0] for r in rows], heads=[r[1] for r in rows], deps=[r[2] for r in rows],
              pos=[r[3] for r in rows], lemmas=[r[0].lower() for r in rows])
    doc.ents = [Span(doc, s, e, label=label) for s, e, label in ents]
    return doc


@pytest.mark.parametrize("office, person", [("envoy", True), ("capital", False)])
def test_entities_a_name_set_off_after_an_office_is_a_person(blank, office, person):
    # The envoy for Sudan , Ramtane Lamamra , arrived .  (the parser hung the name on "Sudan")
    rows = [("The", 1, "det", "DET"), (office, 8, "nsubj", "NOUN"), ("for", 1, "prep", "ADP"),
            ("Sudan", 2, "pobj", "PROPN"), (",", 3, "punct", "PUNCT"), ("Ramtane", 6, "compound", "PROPN"),
            ("Lamamra", 3, "appos", "PROPN"), (",", 1, "punct", "PUNCT"), ("arrived", 8, "ROOT", "VERB"),
            (".", 8, "punct", "PUNCT")]
    doc = _parsed(blank.vocab, rows, [(3, 4, "GPE")])
    found = [(e.text, e.label_) for e in add_appositive_people(doc, list(doc.ents))]
    assert found == [("Sudan", "GPE")] + ([("Ramtane Lamamra", "PERSON")] if person else [])


def test_entities_event_names(fixes, blank):
    doc = make_doc(blank.vocab, "He won the Asian Cup final", [(3, 4, "NORP")])
    assert ents(fixes(doc)) == [("Asian Cup", "EVENT")]


@pytest.mark.parametrize("surname", ["Shoigu", "McCain"])  # a capital inside a name too
def test_entities_document_consistency_surname_is_person(blank, surname):
    doc = make_doc(
        blank.vocab,
        f"Sergei {surname} arrived . {surname} met Kim . Later {surname} left .",
        [(0, 2, "PERSON"), (4, 5, "ORG")],
        sent_starts=[0, 4, 8],
    )
    fixed = document_consistency(doc, list(doc.ents))
    # the mislabelled surname becomes PERSON, and the unlabelled repeat is found
    assert [(e.text, e.label_) for e in fixed] == [(f"Sergei {surname}", "PERSON"), (surname, "PERSON"),
                                                    (surname, "PERSON")]


def test_entities_document_consistency_a_titled_name_is_a_person_and_so_is_its_surname(blank):
    doc = make_doc(
        blank.vocab,
        "German Chancellor Olaf Scholz spoke . Scholz promised aid .",
        [(0, 1, "NORP"), (2, 4, "ORG"), (6, 7, "GPE")],
        sent_starts=[0, 6],
    )
    fixed = document_consistency(doc, list(doc.ents))
    assert ents_of(fixed) == [("German", "NORP"), ("Olaf Scholz", "PERSON"), ("Scholz", "PERSON")]


@pytest.mark.parametrize("text", ["the President Hotel Group said", "President Barack Obama Foundation said"])
def test_entities_document_consistency_an_organisation_after_a_title_word_stays_one(blank, text):
    words = text.split()
    start = words.index("President") + 1
    end = next(i for i in range(start, len(words)) if not words[i][:1].isupper())
    doc = make_doc(blank.vocab, text, [(start, end, "ORG")])
    assert [e.label_ for e in document_consistency(doc, list(doc.ents))] == ["ORG"]


def ents_of(spans) -> list[tuple[str, str]]:
    return [(e.text, e.label_) for e in spans]


def test_entities_document_consistency_majority_label(blank):
    doc = make_doc(
        blank.vocab,
        "Zenit won . Zenit lost . Zenit drew .",
        [(0, 1, "ORG"), (3, 4, "ORG"), (6, 7, "PERSON")],
        sent_starts=[0, 3, 6],
    )
    assert {e.label_ for e in document_consistency(doc, list(doc.ents))} == {"ORG"}


def test_entities_entities_never_cross_sentences(fixes, blank):
    doc = make_doc(blank.vocab, "They met Ivan Petrov . Maria Ivanova left", [(2, 7, "PERSON")], sent_starts=[0, 5])
    assert ents(fixes(doc)) == [("Ivan Petrov", "PERSON"), ("Maria Ivanova", "PERSON")]


@pytest.mark.parametrize(
    ("words", "shouted"),
    [("SHOIGU ARRIVES IN PYONGYANG".split(), True), ("NATO and the UN met".split(), False), (["REUTERS"], True), (["UN"], False)],
)
def test_entities_is_shouted(words, shouted):
    assert is_shouted(words) is shouted


def test_entities_recase_words_learns_from_the_document():
    headline = "SHOIGU ARRIVES IN NORTH KOREA FOR TALKS WITH KIM".split()
    body = ["Sergei Shoigu met Kim Jong Un .".split(), "The visit was reported by TASS .".split()]
    assert recase_words(headline, reference=body) == "Shoigu arrives in North Korea for talks with Kim".split()
    assert recase_words(["Not", "shouted"], reference=body) == ["Not", "shouted"]


def test_entities_recase_text_keeps_punctuation():
    assert recase_text("RIO DE JANEIRO: TALKS END", reference="Talks ended.") == "Rio de Janeiro: Talks end"


def test_entities_to_conll_mapping():
    assert [to_conll(x) for x in ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "DATE", "CARDINAL", "CUSTOM")] == [
        "PER", "ORG", "LOC", "LOC", "LOC", "MISC", "MISC", None, None, None,
    ]
    assert set(CONLL_LABEL_MAP.values()) == {"PER", "ORG", "LOC", "MISC", None}


def test_entities_add_entity_components_once_after_ner():
    nlp = spacy.blank("en")
    nlp.add_pipe("ner")
    add_entity_components(nlp)
    add_entity_components(nlp)
    assert nlp.pipe_names == ["ner", COMPONENT]


@pytest.mark.model
def test_entities_end_to_end_on_news_prose(nlp):
    doc = nlp(
        "Russia's security chief Sergei Shoigu met Kim Jong Un in Pyongyang, the Kremlin said. "
        "American and South Korean intelligence say North Korean troops are in the Kursk region. "
        "Shoigu, a former defence minister, left on Friday."
    )
    found = ents(doc)
    for expected in [("Russia", "GPE"), ("Sergei Shoigu", "PERSON"), ("Pyongyang", "GPE"), ("American", "NORP"),
                     ("South Korean", "NORP"), ("North Korean", "NORP"), ("Kursk", "GPE"), ("Shoigu", "PERSON")]:
        assert expected in found


def test_entities_hyphenated_names_are_not_cut(nlp):
    doc = nlp("South Korea's foreign minister Cho Tae-yul met army chief Abdel Fattah al-Burhan in Seoul.")
    people = {e.text for e in doc.ents if e.label_ == "PERSON"}
    assert {"Cho Tae-yul", "Abdel Fattah al-Burhan"} <= people


# ---------------------------------------------------------------- names glued to other words

ENGLISH = frozenset({"combine", "classic", "inject", "win", "move", "wade"})


def tagged_doc(vocab, text: str, tags: list[str], ents: list[tuple[int, int, str]], sent_starts: list[int]) -> Doc:
    """A Doc with tags and coarse parts of speech, as the tagger and attribute ruler leave them."""
    pos = {"NNP": "PROPN", "NNPS": "PROPN", "NN": "NOUN", "NNS": "NOUN", "VBZ": "VERB", "VBD": "VERB",
           "IN": "ADP", "CC": "CCONJ", ".": "PUNCT", ",": "PUNCT", "JJ": "ADJ", "DT": "DET", "CD": "NUM"}
    doc = make_doc(vocab, text, ents, sent_starts)
    for token, tag in zip(doc, tags):
        token.tag_, token.pos_ = tag, pos.get(tag, "X")
    return doc


def recut(doc: Doc) -> list[tuple[str, str]]:
    return [(e.text, e.label_) for e in recut_names(doc, list(doc.ents), english_words=ENGLISH)]


def test_entities_headline_names_are_cut_to_the_names_the_article_uses(blank):
    text = "Hillary Clinton Wins Nevada Primary . Yesterday Hillary Clinton won the vote ."
    tags = "NNP NNP VBZ NNP NNP . NN NNP NNP VBD DT NN .".split()
    doc = tagged_doc(blank.vocab, text, tags, [(0, 3, "PERSON"), (3, 4, "GPE"), (7, 9, "PERSON")], [0, 6])
    assert recut(doc) == [("Hillary Clinton", "PERSON"), ("Nevada", "GPE"), ("Hillary Clinton", "PERSON")]


def test_entities_prose_full_of_names_is_not_a_headline(blank):
    # every longer word is capitalised, but none that prose would write in lower case
    text = "Yesterday Hillary Clinton Wins met Bernie Sanders . Hillary Clinton spoke ."
    tags = "NN NNP NNP NNP VBD NNP NNP . NNP NNP VBD .".split()
    doc = tagged_doc(blank.vocab, text, tags, [(1, 4, "PERSON"), (5, 7, "PERSON"), (8, 10, "PERSON")], [0, 8])
    assert ("Hillary Clinton Wins", "PERSON") in recut(doc)


def test_entities_sentence_initial_english_word_is_not_a_first_name(blank):
    text = "Hillary Clinton won . Combine Clinton and Sanders numbers . Bill Clinton smiled ."
    tags = "NNP NNP VBD . NNP NNP CC NNP NNS . NNP NNP VBD .".split()
    ents = [(0, 2, "PERSON"), (4, 6, "PERSON"), (7, 8, "PERSON"), (10, 12, "PERSON")]
    doc = tagged_doc(blank.vocab, text, tags, ents, [0, 4, 10])
    # "Combine" goes; "Bill" is an English word too, but also a given name, so it stays
    assert recut(doc) == [("Hillary Clinton", "PERSON"), ("Clinton", "PERSON"), ("Sanders", "PERSON"),
                          ("Bill Clinton", "PERSON")]


def test_entities_glued_word_stays_when_nothing_else_names_the_person(blank):
    # no other mention of "Clinton": nothing says "Classic" is not her first name
    doc = tagged_doc(blank.vocab, "Classic Clinton : optimistic .", "NNP NNP : JJ .".split(), [(0, 2, "PERSON")], [0])
    assert recut(doc) == [("Classic Clinton", "PERSON")]


def test_entities_preposition_never_opens_a_name(blank):
    doc = tagged_doc(blank.vocab, "For Hillary Clinton , it hurts .", "IN NNP NNP , PRP VBZ .".split(),
                     [(0, 3, "GPE")], [0])
    assert recut(doc) == [("Hillary Clinton", "GPE")]


def test_entities_hyphen_joining_two_known_people_is_two_people(blank):
    # the hyphen is its own token, written without spaces, as spaCy tokenises it
    words = "Donald Trump met Hillary Clinton . The Trump - Clinton fight went on .".split()
    spaces = [True] * len(words)
    spaces[7] = spaces[8] = False
    doc = Doc(blank.vocab, words=words, spaces=spaces, sent_starts=[i in (0, 6) for i in range(len(words))],
              ents=["B-PERSON", "I-PERSON", "O", "B-PERSON", "I-PERSON", "O", "O", "B-ORG", "I-ORG", "I-ORG",
                    "O", "O", "O", "O"])
    assert recut(doc)[2:] == [("Trump", "PERSON"), ("Clinton", "PERSON")]


def test_entities_lowercase_word_glued_to_a_name_is_trimmed(blank):
    doc = make_doc(blank.vocab, "the paranoia Clinton said", [(1, 3, "ORG")])
    assert trim_entity(doc.ents[0]).text == "Clinton"
    doc = make_doc(blank.vocab, "Mohammed bin Salman said", [(0, 3, "PERSON")])
    assert trim_entity(doc.ents[0]).text == "Mohammed bin Salman"


@pytest.mark.parametrize(("word", "english"), [("injecting", True), ("combines", True), ("waded", True),
                                               ("moving", True), ("hillary", False), ("against", True)])
def test_entities_is_english_word_knows_regular_inflections(word, english):
    assert is_english_word(word, ENGLISH) is english


def test_entities_name_of_a_person_named_elsewhere_is_a_person(blank):
    doc = make_doc(blank.vocab, "Hillary Clinton won . Hillary Clinton , it hurts .",
                   [(0, 2, "PERSON"), (4, 6, "GPE")], sent_starts=[0, 4])
    assert [e.label_ for e in document_consistency(doc, list(doc.ents))] == ["PERSON", "PERSON"]


@pytest.mark.parametrize(("text", "label"), [("Hillary Clinton", "PERSON"), ("Grace Bay", "GPE"),
                                             ("Charlotte", "GPE"), ("Alice Springs", "GPE")])
def test_entities_a_given_name_and_an_unknown_word_is_a_person_not_a_place(blank, text, label):
    doc = make_doc(blank.vocab, f"For {text} , it hurts .", [(1, 1 + len(text.split()), "GPE")])
    assert [e.label_ for e in document_consistency(doc, list(doc.ents))] == [label]
