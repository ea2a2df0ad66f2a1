"""Attribution extraction: hand-built parses for the rules, the real model for the seed."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from newsgraph.errors import LexiconError
from newsgraph.extract.attribution import (
    attributions,
    describe_source,
    load_lexicon,
    quote_regions,
)

VOCAB = spacy.blank("en").vocab  # English lexical attributes (is_punct, is_alpha)


def make_doc(rows: list[tuple], ents: list[tuple[int, int, str]] = ()) -> Doc:
    """A parsed Doc from (word, head, dep, pos, tag, lemma, space_after) rows."""
    words, heads, deps, pos, tags, lemmas, spaces = zip(*rows)
    labels = ["O"] * len(words)
    for start, end, label in ents:
        labels[start] = f"B-{label}"
        for i in range(start + 1, end):
            labels[i] = f"I-{label}"
    return Doc(VOCAB, words=list(words), spaces=list(spaces), heads=list(heads), deps=list(deps),
               pos=list(pos), tags=list(tags), lemmas=list(lemmas), ents=labels)


def one(doc: Doc):
    found = list(attributions(doc))
    assert len(found) == 1, found
    return found[0]


INDIRECT = [  # "Officials said the talks failed."
    ("Officials", 1, "nsubj", "NOUN", "NNS", "official", True),
    ("said", 1, "ROOT", "VERB", "VBD", "say", True),
    ("the", 3, "det", "DET", "DT", "the", True),
    ("talks", 4, "nsubj", "NOUN", "NNS", "talk", True),
    ("failed", 1, "ccomp", "VERB", "VBD", "fail", False),
    (".", 1, "punct", "PUNCT", ".", ".", False),
]

THAT_CLAUSE = [  # "Reuters has reported that the plant closed."
    ("Reuters", 3, "nsubj", "PROPN", "NNP", "Reuters", True),
    ("has", 3, "aux", "AUX", "VBZ", "have", True),
    ("also", 3, "advmod", "ADV", "RB", "also", True),
    ("reported", 3, "ROOT", "VERB", "VBN", "report", True),
    ("that", 7, "mark", "SCONJ", "IN", "that", True),
    ("the", 6, "det", "DET", "DT", "the", True),
    ("plant", 7, "nsubj", "NOUN", "NN", "plant", True),
    ("closed", 3, "ccomp", "VERB", "VBD", "close", False),
    (".", 3, "punct", "PUNCT", ".", ".", False),
]


def test_attribution_indirect_speech_spans_source_cue_and_content():
    found = one(make_doc(INDIRECT))
    assert found.kind == "indirect"
    assert (found.source.text, found.cue.text) == ("Officials", "said")
    assert [c.text for c in found.contents] == ["the talks failed"]
    assert found.cue_lemma == "say"
    assert found.source_description.named is False
    assert found.source_description.sector == "GOV"


def test_attribution_that_clause_keeps_complementiser_and_auxiliaries():
    found = one(make_doc(THAT_CLAUSE, ents=[(0, 1, "ORG")]))
    assert found.kind == "reported_by"
    assert found.cue.text == "has also reported"
    assert [c.text for c in found.contents] == ["that the plant closed"]
    assert found.source_description.named is True


# “We will win,” he said. “It is close.”   (after "Smith spoke.")
QUOTE = [
    ("Smith", 1, "nsubj", "PROPN", "NNP", "Smith", True),
    ("spoke", 1, "ROOT", "VERB", "VBD", "speak", False),
    (".", 1, "punct", "PUNCT", ".", ".", True),
    ("“", 6, "punct", "PUNCT", "``", "“", False),
    ("We", 6, "nsubj", "PRON", "PRP", "we", True),
    ("will", 6, "aux", "AUX", "MD", "will", True),
    ("win", 10, "ccomp", "VERB", "VB", "win", False),
    (",", 10, "punct", "PUNCT", ",", ",", False),
    ("”", 10, "punct", "PUNCT", "''", "”", True),
    ("he", 10, "nsubj", "PRON", "PRP", "he", True),
    ("said", 10, "ROOT", "VERB", "VBD", "say", False),
    (".", 10, "punct", "PUNCT", ".", ".", True),
    ("“", 14, "punct", "PUNCT", "``", "“", False),
    ("It", 14, "nsubj", "PRON", "PRP", "it", True),
    ("is", 14, "ROOT", "AUX", "VBZ", "be", True),
    ("close", 14, "acomp", "ADJ", "JJ", "close", False),
    (".", 14, "punct", "PUNCT", ".", ".", False),
    ("”", 14, "punct", "PUNCT", "''", "”", False),
]


def test_attribution_direct_quote_keeps_marks_continues_and_resolves_pronoun():
    found = one(make_doc(QUOTE, ents=[(0, 1, "PERSON")]))
    assert found.kind == "direct"
    assert [c.text for c in found.contents] == ["“We will win,”", "“It is close.”"]
    assert found.source.text == "he"
    assert found.pronoun_source is True
    assert found.resolved_source.text == "Smith"
    assert found.sentence == 1


ACCORDING = [  # "The plant closed, according to Reuters."
    ("The", 1, "det", "DET", "DT", "the", True),
    ("plant", 2, "nsubj", "NOUN", "NN", "plant", True),
    ("closed", 2, "ROOT", "VERB", "VBD", "close", False),
    (",", 2, "punct", "PUNCT", ",", ",", True),
    ("according", 2, "prep", "VERB", "VBG", "accord", True),
    ("to", 4, "prep", "ADP", "IN", "to", True),
    ("Reuters", 5, "pobj", "PROPN", "NNP", "Reuters", False),
    (".", 2, "punct", "PUNCT", ".", ".", False),
]


def test_attribution_according_to_takes_the_clause_it_modifies():
    found = one(make_doc(ACCORDING, ents=[(6, 7, "ORG")]))
    assert (found.kind, found.cue.text, found.source.text) == ("according_to", "according to", "Reuters")
    assert [c.text for c in found.contents] == ["The plant closed"]


HEDGES = [
    (  # "The deal reportedly collapsed."
        [
            ("The", 1, "det", "DET", "DT", "the", True),
            ("deal", 3, "nsubj", "NOUN", "NN", "deal", True),
            ("reportedly", 3, "advmod", "ADV", "RB", "reportedly", True),
            ("collapsed", 3, "ROOT", "VERB", "VBD", "collapse", False),
            (".", 3, "punct", "PUNCT", ".", ".", False),
        ],
        "reportedly",
        ["The deal", "collapsed"],
    ),
    (  # "It is widely believed that talks failed."
        [
            ("It", 3, "nsubjpass", "PRON", "PRP", "it", True),
            ("is", 3, "auxpass", "AUX", "VBZ", "be", True),
            ("widely", 3, "advmod", "ADV", "RB", "widely", True),
            ("believed", 3, "ROOT", "VERB", "VBN", "believe", True),
            ("that", 6, "mark", "SCONJ", "IN", "that", True),
            ("talks", 6, "nsubj", "NOUN", "NNS", "talk", True),
            ("failed", 3, "ccomp", "VERB", "VBD", "fail", False),
            (".", 3, "punct", "PUNCT", ".", ".", False),
        ],
        "is widely believed",
        ["that talks failed"],
    ),
]


@pytest.mark.parametrize(("rows", "cue", "contents"), HEDGES)
def test_attribution_hedges_have_no_source(rows, cue, contents):
    found = one(make_doc(rows))
    assert (found.kind, found.cue.text, found.source) == ("hedge", cue, None)
    assert [c.text for c in found.contents] == contents
    assert found.source_description is None


def test_attribution_cue_inside_a_quote_is_left_to_the_outer_speaker():
    # “I think we won,” she said.  -> one attribution (said), not a second one for "think"
    rows = [
        ("“", 8, "punct", "PUNCT", "``", "“", False),
        ("I", 2, "nsubj", "PRON", "PRP", "I", True),
        ("think", 8, "ccomp", "VERB", "VBP", "think", True),
        ("we", 4, "nsubj", "PRON", "PRP", "we", True),
        ("won", 2, "ccomp", "VERB", "VBD", "win", False),
        (",", 8, "punct", "PUNCT", ",", ",", False),
        ("”", 8, "punct", "PUNCT", "''", "”", True),
        ("she", 8, "nsubj", "PRON", "PRP", "she", True),
        ("said", 8, "ROOT", "VERB", "VBD", "say", False),
        (".", 8, "punct", "PUNCT", ".", ".", False),
    ]
    found = one(make_doc(rows))
    assert found.cue.text == "said"
    assert found.contents[0].text == "“I think we won,”"
    assert found.pronoun_source is False  # no earlier woman named: left unresolved


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ('He said "yes," then left.', ['"yes,"']),
        ("“One.\n\n“Two,” she said.", ["“One.", "“Two,”"]),  # paragraph-spanning quote
        ("''Old wire style,'' he said.", ["''Old wire style,''"]),
        ("It's 5' tall, no quotes.", []),
    ],
)
def test_quote_regions_pairs_marks_and_closes_at_paragraph_end(text, quoted):
    assert [text[s:e] for s, e in quote_regions(text)] == quoted


def test_load_lexicon_extra_folder_overrides_and_rejects_bad_rows(tmp_path):
    good = tmp_path / "good"
    good.mkdir()
    (good / "reporting_verbs.tsv").write_text("# mine\nopine\tspeech\treported\t-\n", encoding="utf-8")
    lexicon = load_lexicon((str(good),))
    assert lexicon.verbs["opine"].cls == "speech"
    assert "say" in lexicon.verbs  # packaged rows are kept
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "phrase_cues.tsv").write_text("per\tsomething\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="phrase_cues.tsv:1"):
        load_lexicon((str(bad),))


@pytest.mark.model
def test_attribution_seed_article_claims(nlp, seed_path):
    doc = nlp(seed_path.read_text(encoding="utf-8"))
    found = list(attributions(doc))
    by_cue = {a.cue.text: a for a in found}

    tass = by_cue["as reported by"]
    assert (tass.kind, tass.source.text) == ("reported_by", "the TASS news agency")
    assert tass.source_description.named and tass.source_description.sector == "MED"
    assert "has recently arrived in North Korea" in tass.contents[0].text

    intel = by_cue["report"]
    assert intel.source.text == "American and South Korean intelligence sources"
    description = intel.source_description
    assert (description.named, description.countries, description.sector) == (False, ("USA", "KOR"), "SPY")
    assert intel.contents[0].text.startswith("that North Korea has deployed approximately 11,000 troops")
    assert "ballistic missiles" in intel.contents[0].text

    believed = by_cue["is widely believed"]
    assert (believed.kind, believed.source) == ("hedge", None)
    assert believed.contents[0].text.startswith("that North Korea has benefitted from Moscow")
    for adverb in ("allegedly", "purportedly"):
        assert by_cue[adverb].kind == "hedge" and by_cue[adverb].source is None

    sources = describe_source(doc.char_span(*_find(doc.text, "the TASS news agency")))
    assert sources.named is True


def _find(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)
