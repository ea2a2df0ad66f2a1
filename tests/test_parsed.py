"""What the extractors read of a parsed document, built once per document."""

import spacy
from spacy.tokens import Doc

from newsgraph.extract.parsed import forget, lemmas, pos_tags, sentences


def _doc():
    nlp = spacy.blank("en")
    words = ["Talks", "were", "held", "in", "Paris", "."]
    return Doc(nlp.vocab, words=words, pos=["NOUN", "AUX", "VERB", "ADP", "PROPN", "PUNCT"],
               lemmas=["Talk", "be", "hold", "in", "Paris", "."], sent_starts=[True] + [False] * 5)


def test_lemmas_and_parts_of_speech_read_as_the_tokens_give_them():
    doc = _doc()
    assert lemmas(doc) == [t.lemma_.lower() for t in doc] == ["talk", "be", "hold", "in", "paris", "."]
    assert pos_tags(doc) == [t.pos_ for t in doc]


def test_forget_drops_what_was_cached_on_the_document():
    doc = _doc()
    sentences(doc), lemmas(doc)
    assert any(key[0] == "newsgraph" for key in doc.user_data)
    forget(doc)
    assert not any(key[0] == "newsgraph" for key in doc.user_data)
    assert lemmas(doc)[0] == "talk"  # built again on demand
