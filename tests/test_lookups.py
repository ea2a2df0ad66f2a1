"""The lookups give exactly what spaCy's attribute ruler and rule lemmatizer give."""

import pytest
import spacy
from spacy.attrs import DEP, LEMMA, MORPH, POS, TAG
from spacy.lookups import Lookups
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc

from newsgraph.lookups import AttributeLookup, LemmaLookup

COLUMNS = [TAG, POS, MORPH, LEMMA, DEP]

RULES = [
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN", "MORPH": "Number=Sing"}},
    {"patterns": [[{"TAG": "VBZ"}]], "attrs": {"POS": "VERB"}},
    {"patterns": [[{"TAG": "DT"}]], "attrs": {"POS": "DET"}},
    {"patterns": [[{"TAG": "RB"}]], "attrs": {"POS": "ADV"}},
    {"patterns": [[{"TAG": "JJ"}]], "attrs": {"POS": "ADJ"}},
    # a later rule wins over an earlier one for the attributes it sets
    {"patterns": [[{"TAG": "VBZ", "LOWER": {"IN": ["is", "'s"]}}]], "attrs": {"POS": "AUX", "LEMMA": "be"}},
    {"patterns": [[{"TAG": "RB", "LOWER": {"IN": ["not", "n't"]}}]], "attrs": {"POS": "PART", "LEMMA": "not"}},
    {"patterns": [[{"LOWER": {"REGEX": "^n[ou]thin'$"}}]], "attrs": {"LEMMA": "nothing"}},
    {"patterns": [[{"DEP": {"NOT_IN": ["det", ""]}, "TAG": {"IN": ["DT", "WDT"]}}]], "attrs": {"POS": "PRON"}},
    # two tokens, the second assigned: the residual matcher's share
    {"patterns": [[{"DEP": "expl"}, {"LOWER": {"IN": ["is", "are"]}}]], "attrs": {"POS": "VERB"}, "index": 1},
    # two alternatives for one rule
    {"patterns": [[{"TAG": "VBZ", "LOWER": "gets"}], [{"TAG": "VBD", "LOWER": "got"}]], "attrs": {"LEMMA": "get"}},
    {"patterns": [[{"IS_SPACE": True}]], "attrs": {"TAG": "_SP", "POS": "SPACE"}},
]

SENTENCES = [
    (["There", "is", "nothin'", "here"], ["EX", "VBZ", "NN", "RB"], ["expl", "ROOT", "attr", "advmod"], [1, 1, 1, 1]),
    (["That", "is", "not", "the", "point"], ["DT", "VBZ", "RB", "DT", "NN"],
     ["nsubj", "ROOT", "neg", "det", "attr"], [1, 1, 1, 4, 1]),
    (["She", "gets", "it", " ", "got", "it"], ["PRP", "VBZ", "PRP", "_SP", "VBD", "PRP"],
     ["nsubj", "ROOT", "dobj", "dep", "conj", "dobj"], [1, 1, 1, 1, 1, 4]),
    (["Nuthin'", "new", "'s", "coming"], ["NN", "JJ", "VBZ", "VBG"], ["nsubj", "amod", "aux", "ROOT"], [3, 0, 3, 3]),
]


def _docs(vocab):
    return [Doc(vocab, words=w, tags=t, deps=d, heads=h) for w, t, d, h in SENTENCES]


def test_lookup_assigns_what_the_ruler_assigns():
    nlp = spacy.blank("en")
    ruler = AttributeRuler(nlp.vocab)
    ruler.add_patterns(RULES)
    lookup = AttributeLookup(ruler)
    for _ in range(2):  # the second round answers from the cache
        for by_ruler, by_lookup in zip(_docs(nlp.vocab), _docs(nlp.vocab)):
            ruler(by_ruler)
            lookup(by_lookup)
            assert by_lookup.to_array(COLUMNS).tolist() == by_ruler.to_array(COLUMNS).tolist()
    # and the rules did something: later rules win, the two-token rule and the alternatives apply
    there, is_, nothing, here = lookup(_docs(nlp.vocab)[0])
    assert (is_.pos_, is_.lemma_, nothing.lemma_) == ("VERB", "be", "nothing")
    that, _, not_, the, _ = lookup(_docs(nlp.vocab)[1])
    assert (that.pos_, not_.pos_, not_.lemma_, the.pos_) == ("PRON", "PART", "not", "DET")
    assert [t.lemma_ for t in lookup(_docs(nlp.vocab)[2]) if t.text in ("gets", "got")] == ["get", "get"]


def test_lookup_raises_like_the_ruler_for_an_index_outside_the_match():
    nlp = spacy.blank("en")
    ruler = AttributeRuler(nlp.vocab)
    ruler.add_patterns([{"patterns": [[{"LOWER": "is"}]], "attrs": {"LEMMA": "be"}, "index": 2}])
    lookup = AttributeLookup(ruler)
    for component in (ruler, lookup):
        with pytest.raises(ValueError):
            component(_docs(nlp.vocab)[0])


def _rule_lemmatizer(vocab) -> Lemmatizer:
    lookups = Lookups()
    lookups.add_table("lemma_rules", {"noun": [["s", ""], ["ies", "y"]], "verb": [["ing", ""], ["ed", ""], ["s", ""]]})
    lookups.add_table("lemma_index", {"noun": ["minister", "party"], "verb": ["meet", "talk"]})
    lookups.add_table("lemma_exc", {"verb": {"were": ["be"]}})
    lemmatizer = Lemmatizer(vocab, None, mode="rule")
    lemmatizer.initialize(lookups=lookups)
    return lemmatizer


def test_lemma_lookup_gives_what_the_rule_lemmatizer_gives():
    nlp = spacy.blank("en")
    lemmatizer = _rule_lemmatizer(nlp.vocab)
    lookup = LemmaLookup(_rule_lemmatizer(nlp.vocab))

    def doc():
        words = ["Ministers", "were", "meeting", "parties", "Talks", "ministers", "Paris", "talked"]
        pos = ["NOUN", "VERB", "VERB", "NOUN", "NOUN", "NOUN", "PROPN", "VERB"]
        morphs = ["Number=Plur", "Tense=Past", "VerbForm=Ger", "Number=Plur", "Number=Plur", "Number=Sing",
                  "Number=Sing", "Tense=Past"]
        made = Doc(nlp.vocab, words=words, pos=pos, morphs=morphs)
        made[1].lemma_ = "BE"  # set by an earlier component: kept
        return made

    for _ in range(2):  # the second round answers from the cache
        by_lemmatizer, by_lookup = lemmatizer(doc()), lookup(doc())
        assert [t.lemma_ for t in by_lookup] == [t.lemma_ for t in by_lemmatizer]
    assert [t.lemma_ for t in by_lookup] == ["minister", "BE", "meet", "party", "talk", "minister", "Paris", "talk"]


@pytest.mark.model
def test_the_pipeline_uses_the_lookups_and_parses_as_with_spacys_components(nlp):
    texts = [
        "There's nothin' y'all can do, ain't it? Let's go, I'm gonna win. I'd have done it if you'd asked.",
        "The minister did not say whether he had met them.  He gets what he wants; they got nothing.",
        "Those who were there said it was over. Which is it? I told you, and you told it to me.",
    ]
    ours, spacys = ["newsgraph_attribute_lookup", "newsgraph_lemma_lookup"], ["attribute_ruler", "lemmatizer"]
    assert set(ours) <= set(nlp.pipe_names) and not set(spacys) & set(nlp.pipe_names)
    with_lookups = [doc.to_array(COLUMNS).tolist() for doc in nlp.pipe(texts)]
    for theirs, mine in zip(spacys, ours):
        nlp.enable_pipe(theirs)
        nlp.disable_pipe(mine)
    try:
        with_spacy = [doc.to_array(COLUMNS).tolist() for doc in nlp.pipe(texts)]
    finally:
        for theirs, mine in zip(spacys, ours):
            nlp.disable_pipe(theirs)
            nlp.enable_pipe(mine)
    assert with_lookups == with_spacy
