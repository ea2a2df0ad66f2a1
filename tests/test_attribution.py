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
        # an opening mark typed where the closing one belongs still closes the quote
        ("“It hurts her,“ said Jim. “Yes.”", ["“It hurts her,“", "“Yes.”"]),
    ],
)
def test_quote_regions_pairs_marks_and_closes_at_paragraph_end(text, quoted):
    assert [text[s:e] for s, e in quote_regions(text)] == quoted


def test_load_lexicon_extra_folder_overrides_and_rejects_bad_rows(tmp_path):
    good = tmp_path / "good"
    good.mkdir()
    (good / "reporting_verbs.tsv").write_text("# mine\nopine\tspeech\treported\t-\n", encoding="utf-8")
    (good / "nominal_cues.tsv").write_text("verdict\tstance\treported\ton\n", encoding="utf-8")
    (good / "source_nouns.tsv").write_text("reckoning\t-\tframe\n", encoding="utf-8")
    lexicon = load_lexicon((str(good),))
    assert lexicon.verbs["opine"].cls == "speech"
    assert "say" in lexicon.verbs  # packaged rows are kept
    assert lexicon.nouns["verdict"].preps == frozenset({"on"}) and "claim" in lexicon.nouns
    assert "reckoning" in lexicon.frames and "view" in lexicon.frames
    odd = tmp_path / "odd"
    odd.mkdir()
    (odd / "source_nouns.tsv").write_text("pundit\tMED\tspeaker\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="unknown role"):
        load_lexicon((str(odd),))
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


# "Officials said the minister believes the talks failed and the envoy said they resumed."
NESTED = [
    ("Officials", 1, "nsubj", "NOUN", "NNS", "official", True),
    ("said", 1, "ROOT", "VERB", "VBD", "say", True),
    ("the", 3, "det", "DET", "DT", "the", True),
    ("minister", 4, "nsubj", "NOUN", "NN", "minister", True),
    ("believes", 1, "ccomp", "VERB", "VBZ", "believe", True),
    ("the", 6, "det", "DET", "DT", "the", True),
    ("talks", 7, "nsubj", "NOUN", "NNS", "talk", True),
    ("failed", 4, "ccomp", "VERB", "VBD", "fail", True),
    ("and", 4, "cc", "CCONJ", "CC", "and", True),
    ("the", 10, "det", "DET", "DT", "the", True),
    ("envoy", 11, "nsubj", "NOUN", "NN", "envoy", True),
    ("said", 4, "conj", "VERB", "VBD", "say", True),
    ("they", 13, "nsubj", "PRON", "PRP", "they", True),
    ("resumed", 11, "ccomp", "VERB", "VBD", "resume", False),
    (".", 1, "punct", "PUNCT", ".", ".", False),
]


def test_attribution_cues_inside_reported_content_count_only_for_speech():
    found = list(attributions(make_doc(NESTED)))
    # "believes" is part of what the officials said; a further "said" is a report of its own
    assert [(a.source.text, a.cue.text) for a in found] == [("Officials", "said"), ("the envoy", "said")]
    assert found[0].contents[0].text.startswith("the minister believes the talks failed")


def test_attribution_speaker_the_parser_left_outside_the_clause():
    # “We won,” said Skelly.   (the small model tags the inverted name as an adverb)
    rows = [
        ("“", 3, "punct", "PUNCT", "``", "“", False),
        ("We", 2, "nsubj", "PRON", "PRP", "we", True),
        ("won", 5, "ccomp", "VERB", "VBD", "win", False),
        (",", 5, "punct", "PUNCT", ",", ",", False),
        ("”", 5, "punct", "PUNCT", "''", "”", True),
        ("said", 5, "ROOT", "VERB", "VBD", "say", True),
        ("Skelly", 5, "advmod", "ADV", "RB", "skelly", False),
        (".", 5, "punct", "PUNCT", ".", ".", False),
    ]
    found = one(make_doc(rows, ents=[(6, 7, "PERSON")]))
    assert (found.kind, found.source.text, found.cue.text) == ("direct", "Skelly", "said")
    # Alarmed, Senator Reid, the leader, said he spoke.  (the name hangs on "Alarmed")
    rows = [
        ("Alarmed", 9, "advcl", "VERB", "VBN", "alarm", False),
        (",", 0, "punct", "PUNCT", ",", ",", True),
        ("Senator", 3, "compound", "PROPN", "NNP", "Senator", True),
        ("Reid", 0, "conj", "PROPN", "NNP", "Reid", False),
        (",", 3, "punct", "PUNCT", ",", ",", True),
        ("the", 6, "det", "DET", "DT", "the", True),
        ("leader", 3, "appos", "NOUN", "NN", "leader", False),
        (",", 9, "punct", "PUNCT", ",", ",", True),
        ("also", 9, "advmod", "ADV", "RB", "also", True),
        ("said", 9, "ROOT", "VERB", "VBD", "say", True),
        ("he", 11, "nsubj", "PRON", "PRP", "he", True),
        ("spoke", 9, "ccomp", "VERB", "VBD", "speak", False),
        (".", 9, "punct", "PUNCT", ".", ".", False),
    ]
    found = one(make_doc(rows, ents=[(3, 4, "PERSON")]))
    assert found.source.text == "Senator Reid, the leader"
    assert found.cue.text == "also said"  # an adverb before the verb belongs to the cue


def test_attribution_nominal_cue_needs_owner_and_content():
    # "Trump's claim that the vote was rigged spread."  and  "The claim spread."
    rows = [
        ("Trump", 2, "poss", "PROPN", "NNP", "Trump", False),
        ("'s", 0, "case", "PART", "POS", "'s", True),
        ("claim", 8, "nsubj", "NOUN", "NN", "claim", True),
        ("that", 7, "mark", "SCONJ", "IN", "that", True),
        ("the", 5, "det", "DET", "DT", "the", True),
        ("vote", 7, "nsubjpass", "NOUN", "NN", "vote", True),
        ("was", 7, "auxpass", "AUX", "VBD", "be", True),
        ("rigged", 2, "acl", "VERB", "VBN", "rig", True),
        ("spread", 8, "ROOT", "VERB", "VBD", "spread", False),
        (".", 8, "punct", "PUNCT", ".", ".", False),
    ]
    found = one(make_doc(rows, ents=[(0, 1, "PERSON")]))
    assert (found.source.text, found.cue.text) == ("Trump's", "claim")
    assert [c.text for c in found.contents] == ["that the vote was rigged"]
    assert found.stance == "alleged"
    bare = [
        ("The", 1, "det", "DET", "DT", "the", True),
        ("claim", 2, "nsubj", "NOUN", "NN", "claim", True),
        ("spread", 2, "ROOT", "VERB", "VBD", "spread", False),
        (".", 2, "punct", "PUNCT", ".", ".", False),
    ]
    assert list(attributions(make_doc(bare))) == []


def test_attribution_owned_view_frames_the_clause():
    # "In Bolton's view, the policy failed."
    rows = [
        ("In", 7, "prep", "ADP", "IN", "in", True),
        ("Bolton", 3, "poss", "PROPN", "NNP", "Bolton", False),
        ("'s", 1, "case", "PART", "POS", "'s", True),
        ("view", 0, "pobj", "NOUN", "NN", "view", False),
        (",", 7, "punct", "PUNCT", ",", ",", True),
        ("the", 6, "det", "DET", "DT", "the", True),
        ("policy", 7, "nsubj", "NOUN", "NN", "policy", True),
        ("failed", 7, "ROOT", "VERB", "VBD", "fail", False),
        (".", 7, "punct", "PUNCT", ".", ".", False),
    ]
    found = one(make_doc(rows, ents=[(1, 2, "PERSON")]))
    assert (found.source.text, found.cue.text) == ("Bolton's", "view")
    assert [c.text for c in found.contents] == ["the policy failed"]


def test_attribution_question_after_ask_is_the_content():
    # "He asked workers if they planned to vote."
    rows = [
        ("He", 1, "nsubj", "PRON", "PRP", "he", True),
        ("asked", 1, "ROOT", "VERB", "VBD", "ask", True),
        ("workers", 1, "dobj", "NOUN", "NNS", "worker", True),
        ("if", 5, "mark", "SCONJ", "IN", "if", True),
        ("they", 5, "nsubj", "PRON", "PRP", "they", True),
        ("planned", 1, "advcl", "VERB", "VBD", "plan", True),
        ("to", 7, "aux", "PART", "TO", "to", True),
        ("vote", 5, "xcomp", "VERB", "VB", "vote", False),
        (".", 1, "punct", "PUNCT", ".", ".", False),
    ]
    found = list(attributions(make_doc(rows)))
    asked = next(a for a in found if a.cue_lemma == "ask")
    assert [c.text for c in asked.contents] == ["if they planned to vote"]


def _label_doc(words: list[tuple[str, str, str]], rest: str) -> Doc:
    """`LABEL: rest.` on one line, every word its own head (only tags matter here)."""
    rows = [(w, i, "dep", pos, "NNP" if pos == "PROPN" else "NN", lemma, True)
            for i, (w, pos, lemma) in enumerate(words)]
    rows[-1] = rows[-1][:6] + (False,)
    n = len(rows)
    rows.append((":", n, "punct", "PUNCT", ":", ":", True))
    for k, word in enumerate(rest.split()):
        rows.append((word, n + 1 + k, "dep", "NOUN", "NN", word.lower(), True))
    rows[-1] = rows[-1][:6] + (False,)
    rows.append((".", len(rows), "punct", "PUNCT", ".", ".", False))
    return make_doc(rows)


@pytest.mark.parametrize(
    ("words", "speaker"),
    [
        ([("Bill", "PROPN", "Bill"), ("Clinton", "PROPN", "Clinton")], "Bill Clinton"),
        ([("Clinton", "PROPN", "Clinton"), ("aides", "NOUN", "aide")], "Clinton aides"),  # source noun
        ([("Campaign", "NOUN", "campaign"), ("funding", "NOUN", "funding")], None),  # a topic line
        ([("A", "NOUN", "a")], None),  # interview transcript marker
        ([("Breaking", "NOUN", "breaking")], None),
    ],
)
def test_attribution_line_labels_are_speakers_only_when_they_name_one(words, speaker):
    found = list(attributions(_label_doc(words, "Taxes rise")))
    assert [a.source.text for a in found] == ([speaker] if speaker else [])
