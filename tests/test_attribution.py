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
)
from newsgraph.extract.quotes import quote_regions, single_quote_regions

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
        # a closing mark typed where a line's opening one belongs still opens it
        ("Intro.\n”Fear. I am afraid.” ― Ed Roe", ["”Fear. I am afraid.”"]),
        ("He won 5” of rain.", []),  # inches, not a quotation
        # double marks nested in double marks: one quotation
        ("“I’d rather live in what he calls “hell” than here.” ― Ana Ruiz",
         ["“I’d rather live in what he calls “hell” than here.”"]),
        # ...but a paragraph that closes only once left the first one open
        ("“We won, he said. “Absolutely.”", ["“We won, he said.", "“Absolutely.”"]),
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
        ([("John", "PROPN", "John"), ("McCain", "PROPN", "McCain")], "John McCain"),  # a capital inside
        ([("Ann", "PROPN", "Ann"), ("Lee", "PROPN", "Lee"), ("and", "CCONJ", "and"), ("Jon", "PROPN", "Jon"),
          ("Cohen", "PROPN", "Cohen")], "Ann Lee and Jon Cohen"),  # two names
        ([("Clinton", "PROPN", "Clinton"), ("aides", "NOUN", "aide")], "Clinton aides"),  # source noun
        ([("Campaign", "NOUN", "campaign"), ("funding", "NOUN", "funding")], None),  # a topic line
        ([("A", "NOUN", "a")], None),  # interview transcript marker
        ([("Breaking", "NOUN", "breaking")], None),
    ],
)
def test_attribution_line_labels_are_speakers_only_when_they_name_one(words, speaker):
    found = list(attributions(_label_doc(words, "Taxes rise")))
    assert [a.source.text for a in found] == ([speaker] if speaker else [])


@pytest.mark.parametrize(
    "text",
    [
        "Voters spoke.\n“The tax plan scares me and my family.”\u00a0― Rosa Vidal\n",  # no-break space
        "Voters spoke.\n”The tax plan scares me and my family.” ― Rosa Vidal\n",  # misturned opener
        "Voters spoke.\n“The plan is what he calls “fair” but it scares me.” ― Rosa Vidal\n",  # nested
    ],
)
def test_attribution_name_line_after_a_quote_is_its_source(nlp, text):
    found = [a for a in attributions(nlp(text)) if a.cue.text == "―"]
    assert [a.source.text for a in found] == ["Rosa Vidal"]
    assert "scares me" in found[0].contents[0].text


def test_attribution_quoted_transcript_labels_are_speakers(nlp):
    text = ('The transcript follows:\n\n"HOST: Will the senator attend the debate tomorrow?\n\n'
            '"GUEST: She will not attend, and the campaign has said so twice.\n')
    found = [a for a in attributions(nlp(text)) if a.cue.text == ":"]
    assert [a.source.text for a in found] == ["HOST", "GUEST"]
    assert found[1].contents[0].text.startswith("She will not attend")


def test_attribution_label_before_a_tally_is_no_speaker():
    # "Bill Clinton: 1,769."  a delegate count, not something said
    assert list(attributions(_label_doc([("Bill", "PROPN", "Bill"), ("Clinton", "PROPN", "Clinton")], "1,769"))) == []


# --------------------------------------------------------------------------- issue 15: the wire

# "Ships docked , the news agency Tass said ."  (the parser gives "said" two subjects)
WIRE_NAME = [
    ("Ships", 1, "nsubj", "NOUN", "NNS", "ship", True),
    ("docked", 7, "ccomp", "VERB", "VBD", "dock", False),
    (",", 7, "punct", "PUNCT", ",", ",", True),
    ("the", 5, "det", "DET", "DT", "the", True),
    ("news", 5, "compound", "NOUN", "NN", "news", True),
    ("agency", 7, "nsubj", "NOUN", "NN", "agency", True),
    ("Tass", 7, "nsubj", "PROPN", "NNP", "Tass", True),
    ("said", 7, "ROOT", "VERB", "VBD", "say", False),
    (".", 7, "punct", "PUNCT", ".", ".", False),
]

# "Ten soldiers died , lawmaker Lee said , citing the spy agency ."
CITING = [
    ("Ten", 1, "nummod", "NUM", "CD", "ten", True),
    ("soldiers", 2, "nsubj", "NOUN", "NNS", "soldier", True),
    ("died", 6, "ccomp", "VERB", "VBD", "die", False),
    (",", 6, "punct", "PUNCT", ",", ",", True),
    ("lawmaker", 5, "compound", "NOUN", "NN", "lawmaker", True),
    ("Lee", 6, "nsubj", "PROPN", "NNP", "Lee", True),
    ("said", 6, "ROOT", "VERB", "VBD", "say", False),
    (",", 6, "punct", "PUNCT", ",", ",", True),
    ("citing", 6, "advcl", "VERB", "VBG", "cite", True),
    ("the", 11, "det", "DET", "DT", "the", True),
    ("spy", 11, "compound", "NOUN", "NN", "spy", True),
    ("agency", 8, "dobj", "NOUN", "NN", "agency", False),
    (".", 6, "punct", "PUNCT", ".", ".", False),
]

# "Prices will rise , the governor told reporters ."  (the parser made "told" a conjunct)
TRAILING_CONJ = [
    ("Prices", 2, "nsubj", "NOUN", "NNS", "price", True),
    ("will", 2, "aux", "AUX", "MD", "will", True),
    ("rise", 2, "ROOT", "VERB", "VB", "rise", False),
    (",", 2, "punct", "PUNCT", ",", ",", True),
    ("the", 5, "det", "DET", "DT", "the", True),
    ("governor", 6, "nsubj", "NOUN", "NN", "governor", True),
    ("told", 2, "conj", "VERB", "VBD", "tell", True),
    ("reporters", 6, "dobj", "NOUN", "NNS", "reporter", False),
    (".", 2, "punct", "PUNCT", ".", ".", False),
]

# "He rose and told reporters ."  (a real conjunct: nothing is reported)
REAL_CONJ = [
    ("He", 1, "nsubj", "PRON", "PRP", "he", True),
    ("rose", 1, "ROOT", "VERB", "VBD", "rise", True),
    ("and", 1, "cc", "CCONJ", "CC", "and", True),
    ("told", 1, "conj", "VERB", "VBD", "tell", True),
    ("reporters", 3, "dobj", "NOUN", "NNS", "reporter", False),
    (".", 1, "punct", "PUNCT", ".", ".", False),
]


def test_attribution_trailing_wire_source_keeps_the_agency_name():
    found = one(make_doc(WIRE_NAME, ents=[(6, 7, "ORG")]))
    assert (found.source.text, found.cue.text) == ("the news agency Tass", "said")
    assert [c.text for c in found.contents] == ["Ships docked"]
    assert found.source_description.sector == "MED"


def test_attribution_citing_gives_the_speaker_a_cited_source():
    said, citing = sorted(attributions(make_doc(CITING, ents=[(5, 6, "PERSON")])), key=lambda a: a.cue.start)
    assert (said.source.text, said.cue.text) == ("lawmaker Lee", "said")
    assert [c.text for c in said.contents] == ["Ten soldiers died"]
    assert said.cited_source.text == "the spy agency"
    assert (said.citation, citing.citation) == (False, True)
    assert citing.cue_lemma == "cite"


@pytest.mark.parametrize(("rows", "expected"), [(TRAILING_CONJ, ["Prices will rise"]), (REAL_CONJ, None)])
def test_attribution_trailing_speech_verb_parsed_as_conjunct(rows, expected):
    found = list(attributions(make_doc(rows)))
    assert ([c.text for c in found[0].contents] if found else None) == expected


# "The ministry did not say how many died ."
NOT_SAY = [
    ("The", 1, "det", "DET", "DT", "the", True),
    ("ministry", 4, "nsubj", "NOUN", "NN", "ministry", True),
    ("did", 4, "aux", "AUX", "VBD", "do", True),
    ("not", 4, "neg", "PART", "RB", "not", True),
    ("say", 4, "ROOT", "VERB", "VB", "say", True),
    ("how", 6, "advmod", "SCONJ", "WRB", "how", True),
    ("many", 7, "nsubj", "ADJ", "JJ", "many", True),
    ("died", 4, "ccomp", "VERB", "VBD", "die", False),
    (".", 4, "punct", "PUNCT", ".", ".", False),
]

# "The aide declined to say whether troops left ."
DECLINED = [
    ("The", 1, "det", "DET", "DT", "the", True),
    ("aide", 2, "nsubj", "NOUN", "NN", "aide", True),
    ("declined", 2, "ROOT", "VERB", "VBD", "decline", True),
    ("to", 4, "aux", "PART", "TO", "to", True),
    ("say", 2, "xcomp", "VERB", "VB", "say", True),
    ("whether", 7, "mark", "SCONJ", "IN", "whether", True),
    ("troops", 7, "nsubj", "NOUN", "NNS", "troop", True),
    ("left", 4, "ccomp", "VERB", "VBD", "leave", False),
    (".", 2, "punct", "PUNCT", ".", ".", False),
]

# "The envoy left without saying why he came ."
WITHOUT = [
    ("The", 1, "det", "DET", "DT", "the", True),
    ("envoy", 2, "nsubj", "NOUN", "NN", "envoy", True),
    ("left", 2, "ROOT", "VERB", "VBD", "leave", True),
    ("without", 2, "prep", "ADP", "IN", "without", True),
    ("saying", 3, "pcomp", "VERB", "VBG", "say", True),
    ("why", 7, "advmod", "SCONJ", "WRB", "why", True),
    ("he", 7, "nsubj", "PRON", "PRP", "he", True),
    ("came", 4, "ccomp", "VERB", "VBD", "come", False),
    (".", 2, "punct", "PUNCT", ".", ".", False),
]


@pytest.mark.parametrize("rows", [NOT_SAY, DECLINED, WITHOUT])
def test_attribution_speech_that_asserts_nothing_is_marked(rows):
    found = list(attributions(make_doc(rows)))
    assert found and all(a.asserted is False for a in found)


def test_attribution_plain_speech_is_asserted():
    assert one(make_doc(INDIRECT)).asserted is True


# "The plan seemed to stall ."
SEEMED = [
    ("The", 1, "det", "DET", "DT", "the", True),
    ("plan", 2, "nsubj", "NOUN", "NN", "plan", True),
    ("seemed", 2, "ROOT", "VERB", "VBD", "seem", True),
    ("to", 4, "aux", "PART", "TO", "to", True),
    ("stall", 2, "xcomp", "VERB", "VB", "stall", False),
    (".", 2, "punct", "PUNCT", ".", ".", False),
]

# "He appeared on television ."  (a showing-up, not a hedge)
APPEARED = [
    ("He", 1, "nsubj", "PRON", "PRP", "he", True),
    ("appeared", 1, "ROOT", "VERB", "VBD", "appear", True),
    ("on", 1, "prep", "ADP", "IN", "on", True),
    ("television", 2, "pobj", "NOUN", "NN", "television", False),
    (".", 1, "punct", "PUNCT", ".", ".", False),
]


def test_attribution_seem_is_a_sourceless_hedge_over_subject_and_complement():
    found = one(make_doc(SEEMED))
    assert (found.kind, found.source, found.cue.text) == ("hedge", None, "seemed")
    assert [c.text for c in found.contents] == ["The plan", "to stall"]
    assert list(attributions(make_doc(APPEARED))) == []


# "Ruiz leads in Ohio , where 80 delegates vote , according to a poll ."
ACCORDING_END = [
    ("Ruiz", 1, "nsubj", "PROPN", "NNP", "Ruiz", True),
    ("leads", 1, "ROOT", "VERB", "VBZ", "lead", True),
    ("in", 1, "prep", "ADP", "IN", "in", True),
    ("Ohio", 2, "pobj", "PROPN", "NNP", "Ohio", False),
    (",", 3, "punct", "PUNCT", ",", ",", True),
    ("where", 8, "advmod", "SCONJ", "WRB", "where", True),
    ("80", 7, "nummod", "NUM", "CD", "80", True),
    ("delegates", 8, "nsubj", "NOUN", "NNS", "delegate", True),
    ("vote", 3, "relcl", "VERB", "VBP", "vote", False),
    (",", 8, "punct", "PUNCT", ",", ",", True),
    ("according", 8, "prep", "VERB", "VBG", "accord", True),
    ("to", 10, "prep", "ADP", "IN", "to", True),
    ("a", 13, "det", "DET", "DT", "a", True),
    ("poll", 11, "pobj", "NOUN", "NN", "poll", False),
    (".", 1, "punct", "PUNCT", ".", ".", False),
]


def test_attribution_sentence_final_according_to_covers_the_main_clause():
    found = one(make_doc(ACCORDING_END))
    assert (found.kind, found.source.text) == ("according_to", "a poll")
    assert [c.text for c in found.contents] == ["Ruiz leads in Ohio, where 80 delegates vote"]


@pytest.mark.parametrize(
    ("sentence", "source", "content", "cited"),
    [
        ("The minister arrived in Pyongyang on Friday, the Russian state news agency TASS said in a short dispatch.",
         "the Russian state news agency TASS", "The minister arrived in Pyongyang on Friday", None),
        ("About 600 soldiers have been killed, South Korean lawmaker Lee said, citing the country's intelligence service.",
         "South Korean lawmaker Lee", "About 600 soldiers have been killed", "the country's intelligence service"),
    ],
)
def test_attribution_wire_sentences_end_to_end(nlp, sentence, source, content, cited):
    found = [a for a in attributions(nlp(sentence)) if not a.citation]
    assert [(a.source.text, [c.text for c in a.contents]) for a in found] == [(source, [content])]
    assert (found[0].cited_source.text if found[0].cited_source else None) == cited


# "The vote ends it , said Vos ."  (the parser gave "said" the reported clause as a subject)
TWO_SUBJECTS = [
    ("The", 1, "det", "DET", "DT", "the", True),
    ("vote", 5, "nsubj", "NOUN", "NN", "vote", True),
    ("ends", 1, "relcl", "VERB", "VBZ", "end", True),
    ("it", 2, "dobj", "PRON", "PRP", "it", False),
    (",", 5, "punct", "PUNCT", ",", ",", True),
    ("said", 5, "ROOT", "VERB", "VBD", "say", True),
    ("Vos", 5, "nsubj", "PROPN", "NNP", "Vos", False),
    (".", 5, "punct", "PUNCT", ".", ".", False),
]

# "Vos said in a statement that talks failed ."  (the clause hangs on "statement")
STRANDED_THAT = [
    ("Vos", 1, "nsubj", "PROPN", "NNP", "Vos", True),
    ("said", 1, "ROOT", "VERB", "VBD", "say", True),
    ("in", 1, "prep", "ADP", "IN", "in", True),
    ("a", 4, "det", "DET", "DT", "a", True),
    ("statement", 2, "pobj", "NOUN", "NN", "statement", True),
    ("that", 7, "mark", "SCONJ", "IN", "that", True),
    ("talks", 7, "nsubj", "NOUN", "NNS", "talk", True),
    ("failed", 4, "acl", "VERB", "VBD", "fail", False),
    (".", 1, "punct", "PUNCT", ".", ".", False),
]


def test_attribution_reported_clause_parsed_as_a_second_subject():
    found = one(make_doc(TWO_SUBJECTS, ents=[(6, 7, "PERSON")]))
    assert (found.source.text, found.cue.text) == ("Vos", "said")
    assert [c.text for c in found.contents] == ["The vote ends it"]


def test_attribution_that_clause_stranded_on_the_phrase_after_the_verb():
    found = one(make_doc(STRANDED_THAT, ents=[(0, 1, "PERSON")]))
    assert (found.source.text, [c.text for c in found.contents]) == ("Vos", ["that talks failed"])


# '“Yes, I back Cruz,” Ann Lee, a donor, tells the paper.'  The parser made the speaker an
# apposition of "Cruz", so the reported clause's subtree runs over her.
SPEAKER_INSIDE_CONTENT = [
    ("“", 4, "punct", "PUNCT", "``", "“", False),
    ("Yes", 4, "intj", "INTJ", "UH", "yes", False),
    (",", 4, "punct", "PUNCT", ",", ",", True),
    ("I", 4, "nsubj", "PRON", "PRP", "I", True),
    ("back", 14, "ccomp", "VERB", "VBP", "back", True),
    ("Cruz", 4, "dobj", "PROPN", "NNP", "Cruz", False),
    (",", 5, "punct", "PUNCT", ",", ",", False),
    ("”", 5, "punct", "PUNCT", "''", "”", True),
    ("Ann", 9, "compound", "PROPN", "NNP", "Ann", True),
    ("Lee", 5, "appos", "PROPN", "NNP", "Lee", False),
    (",", 9, "punct", "PUNCT", ",", ",", True),
    ("a", 12, "det", "DET", "DT", "a", True),
    ("donor", 9, "appos", "NOUN", "NN", "donor", False),
    (",", 9, "punct", "PUNCT", ",", ",", True),
    ("tells", 14, "ROOT", "VERB", "VBZ", "tell", True),
    ("the", 16, "det", "DET", "DT", "the", True),
    ("paper", 14, "dobj", "NOUN", "NN", "paper", False),
    (".", 14, "punct", "PUNCT", ".", ".", False),
]


def test_attribution_speaker_parsed_inside_the_quote_is_cut_out_of_the_content():
    found = one(make_doc(SPEAKER_INSIDE_CONTENT, ents=[(5, 6, "PERSON"), (8, 10, "PERSON")]))
    assert found.source.text.startswith("Ann Lee, a donor")
    assert [c.text for c in found.contents] == ["“Yes, I back Cruz,”"]
    assert found.kind == "direct"


ACCUSED_OF = [  # "The aide was accused of lying."
    ("The", 1, "det", "DET", "DT", "the", True),
    ("aide", 3, "nsubjpass", "NOUN", "NN", "aide", True),
    ("was", 3, "auxpass", "AUX", "VBD", "be", True),
    ("accused", 3, "ROOT", "VERB", "VBN", "accuse", True),
    ("of", 3, "prep", "ADP", "IN", "of", True),
    ("lying", 4, "pcomp", "VERB", "VBG", "lie", False),
    (".", 3, "punct", "PUNCT", ".", ".", False),
]

def _bare_passive(verb: str, lemma: str) -> Doc:
    """ "The plan was <verb>." """
    return make_doc([
        ("The", 1, "det", "DET", "DT", "the", True),
        ("plan", 3, "nsubjpass", "NOUN", "NN", "plan", True),
        ("was", 3, "auxpass", "AUX", "VBD", "be", True),
        (verb, 3, "ROOT", "VERB", "VBN", lemma, False),
        (".", 3, "punct", "PUNCT", ".", ".", False),
    ])


def test_attribution_agentless_passive_with_a_complement_is_a_hedge_over_subject_and_complement():
    found = one(make_doc(ACCUSED_OF))
    assert (found.kind, found.source, found.cue.text) == ("hedge", None, "was accused")
    assert [c.text for c in found.contents] == ["The aide", "of lying"]


@pytest.mark.parametrize(("verb", "lemma"), [("announced", "announce"), ("criticized", "criticize"),
                                             ("proposed", "propose")])
def test_attribution_agentless_passive_of_any_cue_verb_is_a_hedge_over_its_subject(verb, lemma):
    # PolNeAR marks "the price was not disclosed", "the deal was widely criticized", "two
    # marches are planned" as attributions to nobody, whatever kind of act the verb names
    found = one(_bare_passive(verb, lemma))
    assert (found.kind, found.source, found.cue.text) == ("hedge", None, f"was {verb}")
    assert [c.text for c in found.contents] == ["The plan"]


def test_attribution_passive_of_a_verb_that_is_no_cue_is_nothing():
    assert list(attributions(_bare_passive("painted", "paint"))) == []


# "Lee is upbeat, because he sees Cruz as a uniter."  The parser hung the main clause on the
# subordinate verb as its ccomp.
MAIN_CLAUSE_UNDER_BECAUSE = [
    ("Lee", 1, "nsubj", "PROPN", "NNP", "Lee", True),
    ("is", 6, "ccomp", "AUX", "VBZ", "be", True),
    ("upbeat", 1, "acomp", "ADJ", "JJ", "upbeat", False),
    (",", 6, "punct", "PUNCT", ",", ",", True),
    ("because", 6, "mark", "SCONJ", "IN", "because", True),
    ("he", 6, "nsubj", "PRON", "PRP", "he", True),
    ("sees", 6, "ROOT", "VERB", "VBZ", "see", True),
    ("Cruz", 6, "dobj", "PROPN", "NNP", "Cruz", True),
    ("as", 6, "prep", "ADP", "IN", "as", True),
    ("a", 10, "det", "DET", "DT", "a", True),
    ("uniter", 8, "pobj", "NOUN", "NN", "uniter", False),
    (".", 6, "punct", "PUNCT", ".", ".", False),
]


def test_attribution_subordinate_clause_does_not_report_the_clause_before_it():
    found = one(make_doc(MAIN_CLAUSE_UNDER_BECAUSE, ents=[(0, 1, "PERSON"), (7, 8, "PERSON")]))
    assert (found.source.text, found.cue.text) == ("he", "sees")
    assert [c.text for c in found.contents] == ["Cruz as a uniter"]


AS_WHILE = [  # "Cruz spoke as he urged voters to unite."
    ("Cruz", 1, "nsubj", "PROPN", "NNP", "Cruz", True),
    ("spoke", 1, "ROOT", "VERB", "VBD", "speak", True),
    ("as", 4, "mark", "SCONJ", "IN", "as", True),
    ("he", 4, "nsubj", "PRON", "PRP", "he", True),
    ("urged", 1, "advcl", "VERB", "VBD", "urge", True),
    ("voters", 4, "dobj", "NOUN", "NNS", "voter", True),
    ("to", 7, "aux", "PART", "TO", "to", True),
    ("unite", 4, "xcomp", "VERB", "VB", "unite", False),
    (".", 1, "punct", "PUNCT", ".", ".", False),
]


def test_attribution_as_clause_with_its_own_complement_is_not_as_x_said():
    found = one(make_doc(AS_WHILE, ents=[(0, 1, "PERSON")]))
    assert (found.source.text, found.cue.text) == ("he", "urged")
    assert "spoke" not in " ".join(c.text for c in found.contents)
    assert found.contents[-1].text.endswith("to unite")


# '“It is fair,” Ann Lee told CNN.'  The parser hung the quotation on the speaker's name.
QUOTE_UNDER_THE_NAME = [
    ("“", 8, "punct", "PUNCT", "``", "“", False),
    ("It", 2, "nsubj", "PRON", "PRP", "it", True),
    ("is", 7, "ccomp", "AUX", "VBZ", "be", True),
    ("fair", 2, "acomp", "ADJ", "JJ", "fair", False),
    (",", 2, "punct", "PUNCT", ",", ",", False),
    ("”", 7, "punct", "PUNCT", "''", "”", True),
    ("Ann", 7, "compound", "PROPN", "NNP", "Ann", True),
    ("Lee", 8, "nsubj", "PROPN", "NNP", "Lee", True),
    ("told", 8, "ROOT", "VERB", "VBD", "tell", True),
    ("CNN", 8, "dobj", "PROPN", "NNP", "CNN", False),
    (".", 8, "punct", "PUNCT", ".", ".", False),
]


def test_attribution_quote_the_parser_hung_on_the_speaker_stays_out_of_the_source():
    found = one(make_doc(QUOTE_UNDER_THE_NAME, ents=[(6, 8, "PERSON"), (9, 10, "ORG")]))
    assert (found.kind, found.source.text, found.cue.text) == ("direct", "Ann Lee", "told")
    assert [c.text for c in found.contents] == ["“It is fair,”"]


TALKED_OF = [  # "He talked of reforms."
    ("He", 1, "nsubj", "PRON", "PRP", "he", True),
    ("talked", 1, "ROOT", "VERB", "VBD", "talk", True),
    ("of", 1, "prep", "ADP", "IN", "of", True),
    ("reforms", 2, "pobj", "NOUN", "NNS", "reform", False),
    (".", 1, "punct", "PUNCT", ".", ".", False),
]


def test_attribution_topic_of_speech_after_its_preposition():
    found = one(make_doc(TALKED_OF))
    assert (found.source.text, found.cue.text, [c.text for c in found.contents]) == ("He", "talked of", ["reforms"])


# 'He left, telling reporters, “We won.”'  The quote follows the listener, not the verb.
TELLING_LISTENER = [
    ("He", 1, "nsubj", "PRON", "PRP", "he", True),
    ("left", 1, "ROOT", "VERB", "VBD", "leave", False),
    (",", 1, "punct", "PUNCT", ",", ",", True),
    ("telling", 1, "advcl", "VERB", "VBG", "tell", True),
    ("reporters", 3, "dobj", "NOUN", "NNS", "reporter", False),
    (",", 3, "punct", "PUNCT", ",", ",", True),
    ("“", 8, "punct", "PUNCT", "``", "“", False),
    ("We", 8, "nsubj", "PRON", "PRP", "we", True),
    ("won", 1, "parataxis", "VERB", "VBD", "win", False),
    (".", 8, "punct", "PUNCT", ".", ".", False),
    ("”", 8, "punct", "PUNCT", "''", "”", False),
]


def test_attribution_quote_after_the_listener_is_the_content():
    found = one(make_doc(TELLING_LISTENER))
    assert (found.source.text, found.cue.text) == ("He", "telling")
    assert [c.text for c in found.contents] == ["“We won.”"]


def _verb_that_clause(verb: str, lemma: str) -> Doc:
    """ "Lee <verb> that the ship sank." """
    return make_doc([
        ("Lee", 1, "nsubj", "PROPN", "NNP", "Lee", True),
        (verb, 1, "ROOT", "VERB", "VBD", lemma, True),
        ("that", 5, "mark", "SCONJ", "IN", "that", True),
        ("the", 4, "det", "DET", "DT", "the", True),
        ("ship", 5, "nsubj", "NOUN", "NN", "ship", True),
        ("sank", 1, "ccomp", "VERB", "VBD", "sink", False),
        (".", 1, "punct", "PUNCT", ".", ".", False),
    ], ents=[(0, 1, "PERSON")])


@pytest.mark.parametrize(("verb", "lemma"), [("recounted", "recount"), ("speculated", "speculate"),
                                             ("bemoaned", "bemoan"), ("reaffirmed", "reaffirm")])
def test_attribution_verbs_of_saying_and_supposing_are_cues(verb, lemma):
    found = one(_verb_that_clause(verb, lemma))
    assert (found.source.text, found.cue.text, [c.text for c in found.contents]) == ("Lee", verb, ["that the ship sank"])


@pytest.mark.parametrize(("verb", "lemma"), [("interjected", "interject"), ("foresaw", "foresee"),
                                             ("contemplated", "contemplate"), ("documented", "document")])
def test_attribution_verbs_of_voicing_and_pondering_are_cues(verb, lemma):
    found = one(_verb_that_clause(verb, lemma))
    assert (found.cue.text, [c.text for c in found.contents]) == (verb, ["that the ship sank"])


@pytest.mark.parametrize(("verb", "lemma", "particle"), [("shrugged", "shrug", "off"), ("brushed", "brush", "aside"),
                                                         ("singled", "single", "out")])
def test_attribution_phrasal_verbs_of_dismissing_and_blaming_are_cues(verb, lemma, particle):
    found = one(make_doc([
        ("Lee", 1, "nsubj", "PROPN", "NNP", "Lee", True),
        (verb, 1, "ROOT", "VERB", "VBD", lemma, True),
        (particle, 1, "prt", "ADP", "RP", particle, True),
        ("the", 4, "det", "DET", "DT", "the", True),
        ("charge", 1, "dobj", "NOUN", "NN", "charge", False),
        (".", 1, "punct", "PUNCT", ".", ".", False),
    ], ents=[(0, 1, "PERSON")]))
    assert (found.source.text, found.cue.text, [c.text for c in found.contents]) == (
        "Lee", f"{verb} {particle}", ["the charge"])


def test_attribution_verbs_that_rarely_report_are_no_cues():
    # "determine" mostly settles an outcome ("determined that the ship sank" is a finding
    # PolNeAR marks less than half the time): left out of the lexicon
    assert list(attributions(_verb_that_clause("determined", "determine"))) == []


def _copula_adjective(adjective: str, complement: bool) -> Doc:
    """ "She is <adjective> of the deal." (or without "of the deal")"""
    rows = [
        ("She", 1, "nsubj", "PRON", "PRP", "she", True),
        ("is", 1, "ROOT", "AUX", "VBZ", "be", True),
        (adjective, 1, "acomp", "ADJ", "JJ", adjective, complement),
    ]
    if complement:
        rows += [("of", 2, "prep", "ADP", "IN", "of", True), ("the", 5, "det", "DET", "DT", "the", True),
                 ("deal", 3, "pobj", "NOUN", "NN", "deal", False)]
    return make_doc(rows + [(".", 1, "punct", "PUNCT", ".", ".", False)])


def test_attribution_attitude_adjective_with_a_complement():
    found = one(_copula_adjective("wary", complement=True))
    assert (found.source.text, found.cue.text, [c.text for c in found.contents]) == ("She", "is wary of", ["the deal"])


@pytest.mark.parametrize(("adjective", "complement"), [("wary", False), ("tall", True)])
def test_attribution_adjective_without_attitude_or_complement_is_no_cue(adjective, complement):
    assert list(attributions(_copula_adjective(adjective, complement))) == []


def _light_verb_rows(subject: str, verb: str, lemma: str, noun: str, noun_lemma: str, prep: str,
                     prep_head: int) -> list[tuple]:
    # "<subject> <verb> a <noun> <prep> the tariffs ." with the preposition on the noun (2)
    # or on the verb (1)
    return [
        (subject, 1, "nsubj", "PROPN", "NNP", subject, True),
        (verb, 1, "ROOT", "VERB", "VBD", lemma, True),
        ("a", 3, "det", "DET", "DT", "a", True),
        (noun, 1, "dobj", "NOUN", "NN", noun_lemma, True),
        (prep, prep_head, "prep", "ADP", "IN", prep, True),
        ("the", 6, "det", "DET", "DT", "the", True),
        ("tariffs", 4, "pobj", "NOUN", "NNS", "tariff", False),
        (".", 1, "punct", "PUNCT", ".", ".", False),
    ]


@pytest.mark.parametrize(
    "verb, lemma, noun, noun_lemma, prep, prep_head, cue",
    [
        ("made", "make", "call", "call", "for", 3, "made a call for"),
        ("delivered", "deliver", "warning", "warning", "about", 3, "delivered a warning about"),
        ("leveled", "level", "charge", "charge", "at", 1, "leveled a charge at"),
    ],
)
def test_attribution_light_verb_with_speech_noun_gives_the_subject_as_source(
    verb, lemma, noun, noun_lemma, prep, prep_head, cue
):
    rows = _light_verb_rows("Ortega", verb, lemma, noun, noun_lemma, prep, prep_head)
    found = one(make_doc(rows, ents=[(0, 1, "PERSON")]))
    assert (found.source.text, found.cue.text) == ("Ortega", cue)
    assert [c.text for c in found.contents] == ["the tariffs"]


def test_attribution_noun_the_subject_receives_is_no_cue():
    # "Ortega faced a warning about the tariffs.": Ortega is warned, and nobody is named
    rows = _light_verb_rows("Ortega", "faced", "face", "warning", "warning", "about", 3)
    assert list(attributions(make_doc(rows, ents=[(0, 1, "PERSON")]))) == []


def test_attribution_participle_after_the_content_is_the_speakers_own_cue():
    # "Mills said the deal failed, arguing that prices rose." with "arguing" hung on "failed"
    rows = [
        ("Mills", 1, "nsubj", "PROPN", "NNP", "Mills", True),
        ("said", 1, "ROOT", "VERB", "VBD", "say", True),
        ("the", 3, "det", "DET", "DT", "the", True),
        ("deal", 4, "nsubj", "NOUN", "NN", "deal", True),
        ("failed", 1, "ccomp", "VERB", "VBD", "fail", False),
        (",", 4, "punct", "PUNCT", ",", ",", True),
        ("arguing", 4, "advcl", "VERB", "VBG", "argue", True),
        ("that", 9, "mark", "SCONJ", "IN", "that", True),
        ("prices", 9, "nsubj", "NOUN", "NNS", "price", True),
        ("rose", 6, "ccomp", "VERB", "VBD", "rise", False),
        (".", 1, "punct", "PUNCT", ".", ".", False),
    ]
    found = list(attributions(make_doc(rows, ents=[(0, 1, "PERSON")])))
    assert [(a.source.text, a.cue.text, [c.text for c in a.contents]) for a in found] == [
        ("Mills", "said", ["the deal failed"]),
        ("Mills", "arguing", ["that prices rose"]),
    ]


def test_attribution_gerund_after_a_predicate_noun_shares_the_clause_subject():
    # "Ortega took the unusual step of criticizing the plan."
    rows = [
        ("Ortega", 1, "nsubj", "PROPN", "NNP", "Ortega", True),
        ("took", 1, "ROOT", "VERB", "VBD", "take", True),
        ("the", 4, "det", "DET", "DT", "the", True),
        ("unusual", 4, "amod", "ADJ", "JJ", "unusual", True),
        ("step", 1, "dobj", "NOUN", "NN", "step", True),
        ("of", 4, "prep", "ADP", "IN", "of", True),
        ("criticizing", 5, "pcomp", "VERB", "VBG", "criticize", True),
        ("the", 8, "det", "DET", "DT", "the", True),
        ("plan", 6, "dobj", "NOUN", "NN", "plan", False),
        (".", 1, "punct", "PUNCT", ".", ".", False),
    ]
    found = one(make_doc(rows, ents=[(0, 1, "PERSON")]))
    assert (found.source.text, found.cue.text) == ("Ortega", "criticizing")
    assert [c.text for c in found.contents] == ["the plan"]


def test_attribution_verb_of_seeming_inside_reported_speech_belongs_to_the_content():
    # "Officials said the plan seemed to stall."
    rows = [
        ("Officials", 1, "nsubj", "NOUN", "NNS", "official", True),
        ("said", 1, "ROOT", "VERB", "VBD", "say", True),
        ("the", 3, "det", "DET", "DT", "the", True),
        ("plan", 4, "nsubj", "NOUN", "NN", "plan", True),
        ("seemed", 1, "ccomp", "VERB", "VBD", "seem", True),
        ("to", 6, "aux", "PART", "TO", "to", True),
        ("stall", 4, "xcomp", "VERB", "VB", "stall", False),
        (".", 1, "punct", "PUNCT", ".", ".", False),
    ]
    found = one(make_doc(rows))
    assert (found.source.text, found.cue.text) == ("Officials", "said")
    assert [c.text for c in found.contents] == ["the plan seemed to stall"]
    # on its own the same clause is a source-less hedge
    alone = one(make_doc([
        ("The", 1, "det", "DET", "DT", "the", True),
        ("plan", 2, "nsubj", "NOUN", "NN", "plan", True),
        ("seemed", 2, "ROOT", "VERB", "VBD", "seem", True),
        ("to", 4, "aux", "PART", "TO", "to", True),
        ("stall", 2, "xcomp", "VERB", "VB", "stall", False),
        (".", 2, "punct", "PUNCT", ".", ".", False),
    ]))
    assert (alone.kind, alone.source) == ("hedge", None)


def test_attribution_question_reported_inside_speech_belongs_to_the_content():
    # "Officials said voters asked about jobs."
    rows = [
        ("Officials", 1, "nsubj", "NOUN", "NNS", "official", True),
        ("said", 1, "ROOT", "VERB", "VBD", "say", True),
        ("voters", 3, "nsubj", "NOUN", "NNS", "voter", True),
        ("asked", 1, "ccomp", "VERB", "VBD", "ask", True),
        ("about", 3, "prep", "ADP", "IN", "about", True),
        ("jobs", 4, "pobj", "NOUN", "NNS", "job", False),
        (".", 1, "punct", "PUNCT", ".", ".", False),
    ]
    found = one(make_doc(rows))
    assert (found.cue.text, [c.text for c in found.contents]) == ("said", ["voters asked about jobs"])


# "Ivo arrived in Oslo , the news agency NTB said ." with the parser's misreading: the
# describing noun hung on the verb as a loose phrase, and "said" as a clause modifying it
DESCRIBED_SPEAKER_AS_HEAD = [
    ("Ivo", 1, "nsubj", "PROPN", "NNP", "Ivo", True),
    ("arrived", 1, "ROOT", "VERB", "VBD", "arrive", True),
    ("in", 1, "prep", "ADP", "IN", "in", True),
    ("Oslo", 2, "pobj", "PROPN", "NNP", "Oslo", False),
    (",", 1, "punct", "PUNCT", ",", ",", True),
    ("the", 7, "det", "DET", "DT", "the", True),
    ("news", 7, "compound", "NOUN", "NN", "news", True),
    ("agency", 1, "npadvmod", "NOUN", "NN", "agency", True),
    ("NTB", 9, "nsubj", "PROPN", "NNP", "NTB", True),
    ("said", 7, "relcl", "VERB", "VBD", "say", False),
    (".", 1, "punct", "PUNCT", ".", ".", False),
]


def test_attribution_speaker_description_misread_as_a_clause_head_is_not_the_content():
    found = one(make_doc(DESCRIBED_SPEAKER_AS_HEAD))
    assert found.source.text == "NTB"
    assert [c.text for c in found.contents] == ["Ivo arrived in Oslo"]


def test_attribution_imperative_to_the_reader_is_no_cue():
    # "Read the rest of the story here."  The writer addresses the reader; nobody is reported.
    doc = make_doc([
        ("Read", 0, "ROOT", "VERB", "VB", "read", True),
        ("the", 2, "det", "DET", "DT", "the", True),
        ("story", 0, "dobj", "NOUN", "NN", "story", True),
        ("here", 0, "advmod", "ADV", "RB", "here", False),
        (".", 0, "punct", "PUNCT", ".", ".", False),
    ])
    assert list(attributions(doc)) == []
    # with a subject the same verb reports: "They read the story."
    reported = one(make_doc([
        ("They", 1, "nsubj", "PRON", "PRP", "they", True),
        ("read", 1, "ROOT", "VERB", "VBD", "read", True),
        ("the", 3, "det", "DET", "DT", "the", True),
        ("story", 1, "dobj", "NOUN", "NN", "story", False),
        (".", 1, "punct", "PUNCT", ".", ".", False),
    ]))
    assert (reported.source.text, [c.text for c in reported.contents]) == ("They", ["the story"])


def _made_clear(*object_words: tuple) -> Doc:
    """ "Ms. Vos made <object_words> clear that the talks failed." """
    n = len(object_words)
    return make_doc([
        ("Ms.", 1, "compound", "PROPN", "NNP", "Ms.", True),
        ("Vos", 2, "nsubj", "PROPN", "NNP", "Vos", True),
        ("made", 2, "ROOT", "VERB", "VBD", "make", True),
        *object_words,
        ("clear", 2, "ccomp", "ADJ", "JJ", "clear", True),
        ("that", 7 + n, "mark", "SCONJ", "IN", "that", True),
        ("the", 6 + n, "det", "DET", "DT", "the", True),
        ("talks", 7 + n, "nsubj", "NOUN", "NNS", "talk", True),
        ("failed", 3 + n, "advcl", "VERB", "VBD", "fail", False),
        (".", 2, "punct", "PUNCT", ".", ".", False),
    ], ents=[(0, 2, "PERSON")])


@pytest.mark.parametrize(("object_words", "cue"), [((), "made clear"),
                                                   ((("it", 4, "nsubj", "PRON", "PRP", "it", True),), "made it clear")])
def test_attribution_make_clear_states_the_clause_after_it(object_words, cue):
    found = one(_made_clear(*object_words))
    assert (found.source.text, found.cue.text) == ("Ms. Vos", cue)
    assert [c.text for c in found.contents] == ["that the talks failed"]


def test_attribution_make_with_an_adjective_of_state_is_no_cue():
    # "The rain made the road clear."
    doc = make_doc([
        ("The", 1, "det", "DET", "DT", "the", True),
        ("rain", 2, "nsubj", "NOUN", "NN", "rain", True),
        ("made", 2, "ROOT", "VERB", "VBD", "make", True),
        ("the", 4, "det", "DET", "DT", "the", True),
        ("road", 5, "nsubj", "NOUN", "NN", "road", True),
        ("clear", 2, "ccomp", "ADJ", "JJ", "clear", False),
        (".", 2, "punct", "PUNCT", ".", ".", False),
    ])
    assert list(attributions(doc)) == []


# '“We will win,” boomed Ann Lee.'  A verb outside the lexicon after a quotation that ends in a
# comma inside its marks is the speaker's verb of speech.
BOOMED_AFTER_QUOTE = [
    ("“", 6, "punct", "PUNCT", "``", "“", False),
    ("We", 3, "nsubj", "PRON", "PRP", "we", True),
    ("will", 3, "aux", "AUX", "MD", "will", True),
    ("win", 6, "ccomp", "VERB", "VB", "win", False),
    (",", 3, "punct", "PUNCT", ",", ",", False),
    ("”", 6, "punct", "PUNCT", "''", "”", True),
    ("boomed", 6, "ROOT", "VERB", "VBD", "boom", True),
    ("Ann", 8, "compound", "PROPN", "NNP", "Ann", True),
    ("Lee", 6, "nsubj", "PROPN", "NNP", "Lee", False),
    (".", 6, "punct", "PUNCT", ".", ".", False),
]

# 'Lee leaned in and boomed: “We will win.”'
BOOMED_BEFORE_COLON = [
    ("Lee", 1, "nsubj", "PROPN", "NNP", "Lee", True),
    ("leaned", 1, "ROOT", "VERB", "VBD", "lean", True),
    ("in", 1, "prt", "ADP", "RP", "in", True),
    ("and", 1, "cc", "CCONJ", "CC", "and", True),
    ("boomed", 1, "conj", "VERB", "VBD", "boom", False),
    (":", 4, "punct", "PUNCT", ":", ":", True),
    ("“", 4, "punct", "PUNCT", "``", "“", False),
    ("We", 9, "nsubj", "PRON", "PRP", "we", True),
    ("will", 9, "aux", "AUX", "MD", "will", True),
    ("win", 4, "ccomp", "VERB", "VB", "win", False),
    (".", 4, "punct", "PUNCT", ".", ".", False),
    ("”", 4, "punct", "PUNCT", "''", "”", False),
]

# 'The show “Mercy Street,” returns tonight.'  A title quoted inside a sentence frames nothing.
TITLE_IN_SENTENCE = [
    ("The", 1, "det", "DET", "DT", "the", True),
    ("show", 7, "nsubj", "NOUN", "NN", "show", True),
    ("“", 4, "punct", "PUNCT", "``", "“", False),
    ("Mercy", 4, "compound", "PROPN", "NNP", "Mercy", True),
    ("Street", 1, "appos", "PROPN", "NNP", "Street", False),
    (",", 4, "punct", "PUNCT", ",", ",", False),
    ("”", 4, "punct", "PUNCT", "''", "”", True),
    ("returns", 7, "ROOT", "VERB", "VBZ", "return", True),
    ("tonight", 7, "npadvmod", "NOUN", "NN", "tonight", False),
    (".", 7, "punct", "PUNCT", ".", ".", False),
]


def test_attribution_verb_after_a_quote_ending_in_a_comma_is_speech():
    found = one(make_doc(BOOMED_AFTER_QUOTE, ents=[(7, 9, "PERSON")]))
    assert (found.kind, found.source.text, found.cue.text) == ("direct", "Ann Lee", "boomed")
    assert [c.text for c in found.contents] == ["“We will win,”"]


def test_attribution_verb_whose_clause_ends_in_a_colon_before_a_quote_is_speech():
    found = [a for a in attributions(make_doc(BOOMED_BEFORE_COLON, ents=[(0, 1, "PERSON")]))]
    assert [(a.source.text, a.cue.text, [c.text for c in a.contents]) for a in found] == [
        ("Lee", "boomed:", ["“We will win.”"])]


def test_attribution_title_quoted_inside_a_sentence_frames_no_speech():
    assert list(attributions(make_doc(TITLE_IN_SENTENCE))) == []


# 'Lee said, “as long as we win.”'  The parser hung the quotation on an adverb of the verb.
QUOTE_UNDER_AN_ADVERB = [
    ("Lee", 1, "nsubj", "PROPN", "NNP", "Lee", True),
    ("said", 1, "ROOT", "VERB", "VBD", "say", False),
    (",", 1, "punct", "PUNCT", ",", ",", True),
    ("“", 1, "punct", "PUNCT", "``", "“", False),
    ("as", 5, "advmod", "ADV", "RB", "as", True),
    ("long", 1, "advmod", "ADV", "RB", "long", True),
    ("as", 8, "mark", "SCONJ", "IN", "as", True),
    ("we", 8, "nsubj", "PRON", "PRP", "we", True),
    ("win", 5, "advcl", "VERB", "VBP", "win", False),
    (".", 1, "punct", "PUNCT", ".", ".", False),
    ("”", 1, "punct", "PUNCT", "''", "”", False),
]


def test_attribution_quote_hung_on_a_phrase_after_the_verb_is_still_adjacent():
    found = one(make_doc(QUOTE_UNDER_AN_ADVERB, ents=[(0, 1, "PERSON")]))
    assert (found.kind, found.source.text, found.cue.text) == ("direct", "Lee", "said")
    assert [c.text for c in found.contents] == ["“as long as we win.”"]


def _verb_prep(verb: str, lemma: str, prep: str, noun: str, ents=()) -> Doc:
    """ "Lee <verb> <prep> <noun>." """
    return make_doc([
        ("Lee", 1, "nsubj", "PROPN", "NNP", "Lee", True),
        (verb, 1, "ROOT", "VERB", "VBD", lemma, True),
        (prep, 1, "prep", "ADP", "IN", prep, True),
        (noun, 2, "pobj", "NOUN" if noun.islower() else "PROPN", "NN", noun, False),
        (".", 1, "punct", "PUNCT", ".", ".", False),
    ], ents=[(0, 1, "PERSON"), *ents])


def test_attribution_topic_preposition_gives_any_verb_of_speech_its_content():
    # "complain" lists about/of; "over" still names the topic of the complaint
    found = one(_verb_prep("complained", "complain", "over", "taxes"))
    assert (found.cue.text, [c.text for c in found.contents]) == ("complained over", ["taxes"])


def test_attribution_preposition_naming_the_occasion_is_no_content():
    assert list(attributions(_verb_prep("complained", "complain", "on", "Tuesday", ents=[(3, 4, "DATE")]))) == []


def test_attribution_date_after_a_preposition_the_verb_takes_its_topic_with_is_the_occasion():
    # "speak" takes its topic with "on" ("spoke on immigration"), but not "on Tuesday"
    assert list(attributions(_verb_prep("spoke", "speak", "on", "Tuesday", ents=[(3, 4, "DATE")]))) == []
    found = one(_verb_prep("spoke", "speak", "on", "immigration"))
    assert [c.text for c in found.contents] == ["immigration"]
    # a time after "about" is what the talk was about
    found = one(_verb_prep("talked", "talk", "about", "decades", ents=[(3, 4, "DATE")]))
    assert [c.text for c in found.contents] == ["decades"]


def test_attribution_poll_in_the_subject_of_a_reporting_verb_is_part_of_the_source():
    # "Half of voters in the poll said taxes rose."
    doc = make_doc([
        ("Half", 6, "nsubj", "NOUN", "NN", "half", True),
        ("of", 0, "prep", "ADP", "IN", "of", True),
        ("voters", 1, "pobj", "NOUN", "NNS", "voter", True),
        ("in", 2, "prep", "ADP", "IN", "in", True),
        ("the", 5, "det", "DET", "DT", "the", True),
        ("poll", 3, "pobj", "NOUN", "NN", "poll", True),
        ("said", 6, "ROOT", "VERB", "VBD", "say", True),
        ("taxes", 8, "nsubj", "NOUN", "NNS", "tax", True),
        ("rose", 6, "ccomp", "VERB", "VBD", "rise", False),
        (".", 6, "punct", "PUNCT", ".", ".", False),
    ])
    found = one(doc)
    assert (found.source.text, found.cue.text, [c.text for c in found.contents]) == (
        "Half of voters in the poll", "said", ["taxes rose"])


def test_attribution_of_two_subjects_before_the_verb_the_nearer_is_the_speaker():
    # "In Salem, Maine, Lee went on, calling taxes a theft." (the place's end read as a subject)
    doc = make_doc([
        ("In", 6, "prep", "ADP", "IN", "in", True),
        ("Salem", 0, "pobj", "PROPN", "NNP", "Salem", False),
        (",", 6, "punct", "PUNCT", ",", ",", True),
        ("Maine", 6, "nsubj", "PROPN", "NNP", "Maine", False),
        (",", 6, "punct", "PUNCT", ",", ",", True),
        ("Lee", 6, "nsubj", "PROPN", "NNP", "Lee", True),
        ("went", 6, "ROOT", "VERB", "VBD", "go", True),
        ("on", 6, "prt", "ADP", "RP", "on", False),
        (",", 6, "punct", "PUNCT", ",", ",", True),
        ("calling", 6, "advcl", "VERB", "VBG", "call", True),
        ("taxes", 9, "dobj", "NOUN", "NNS", "tax", True),
        ("a", 12, "det", "DET", "DT", "a", True),
        ("theft", 9, "oprd", "NOUN", "NN", "theft", False),
        (".", 6, "punct", "PUNCT", ".", ".", False),
    ], ents=[(1, 2, "GPE"), (3, 4, "GPE"), (5, 6, "PERSON")])
    found = one(doc)
    assert (found.source.text, found.cue.text) == ("Lee", "calling")


def test_attribution_contracted_has_read_as_passive_is_still_the_speakers_act():
    # "He's always denied it." ("'s" is "has": a passive "is denied" would take no object)
    found = one(make_doc([
        ("He", 3, "nsubjpass", "PRON", "PRP", "he", False),
        ("'s", 3, "auxpass", "AUX", "VBZ", "be", True),
        ("always", 3, "advmod", "ADV", "RB", "always", True),
        ("denied", 3, "ROOT", "VERB", "VBN", "deny", True),
        ("it", 3, "dobj", "PRON", "PRP", "it", False),
        (".", 3, "punct", "PUNCT", ".", ".", False),
    ]))
    assert found.source.text == "He"
    # "It's said that he never sleeps.": an expletive subject, a real passive, nobody speaks
    found = one(make_doc([
        ("It", 2, "nsubjpass", "PRON", "PRP", "it", False),
        ("'s", 2, "auxpass", "AUX", "VBZ", "be", True),
        ("said", 2, "ROOT", "VERB", "VBN", "say", True),
        ("that", 6, "mark", "SCONJ", "IN", "that", True),
        ("he", 6, "nsubj", "PRON", "PRP", "he", True),
        ("never", 6, "neg", "PART", "RB", "never", True),
        ("sleeps", 2, "ccomp", "VERB", "VBZ", "sleep", False),
        (".", 2, "punct", "PUNCT", ".", ".", False),
    ]))
    assert found.source is None


def test_attribution_contracted_has_read_as_a_subject_leaves_the_speaker_alone():
    # "he ’s said taxes rose": the parser made "’s" the subject and "he" its subject
    found = one(make_doc([
        ("he", 1, "nsubj", "PRON", "PRP", "he", False),
        ("’s", 2, "nsubj", "VERB", "VBP", "’s", True),
        ("said", 2, "ROOT", "VERB", "VBD", "say", True),
        ("taxes", 4, "nsubj", "NOUN", "NNS", "tax", True),
        ("rose", 2, "ccomp", "VERB", "VBD", "rise", False),
        (".", 2, "punct", "PUNCT", ".", ".", False),
    ]))
    assert (found.source.text, [c.text for c in found.contents]) == ("he", ["taxes rose"])


def test_attribution_loose_verb_after_a_comma_goes_on_with_the_clause_before():
    # "Lee paused, then revealed why taxes rose." (the parser left "revealed" loose)
    found = one(make_doc([
        ("Lee", 1, "nsubj", "PROPN", "NNP", "Lee", True),
        ("paused", 1, "ROOT", "VERB", "VBD", "pause", False),
        (",", 1, "punct", "PUNCT", ",", ",", True),
        ("then", 4, "advmod", "ADV", "RB", "then", True),
        ("revealed", 1, "dep", "VERB", "VBD", "reveal", True),
        ("why", 7, "advmod", "SCONJ", "WRB", "why", True),
        ("taxes", 7, "nsubj", "NOUN", "NNS", "tax", True),
        ("rose", 4, "ccomp", "VERB", "VBD", "rise", False),
        (".", 1, "punct", "PUNCT", ".", ".", False),
    ], ents=[(0, 1, "PERSON")]))
    assert (found.source.text, found.cue.text, [c.text for c in found.contents]) == (
        "Lee", "then revealed", ["why taxes rose"])


def test_attribution_main_verb_read_as_a_modifier_of_the_speaker_still_speaks():
    # "Lee, a senator, called the plan weak." (the parser made "Lee" the root)
    found = one(make_doc([
        ("Lee", 0, "ROOT", "PROPN", "NNP", "Lee", False),
        (",", 0, "punct", "PUNCT", ",", ",", True),
        ("a", 3, "det", "DET", "DT", "a", True),
        ("senator", 0, "appos", "NOUN", "NN", "senator", False),
        (",", 0, "punct", "PUNCT", ",", ",", True),
        ("called", 0, "acl", "VERB", "VBN", "call", True),
        ("the", 7, "det", "DET", "DT", "the", True),
        ("plan", 5, "oprd", "NOUN", "NN", "plan", True),
        ("weak", 0, "amod", "ADJ", "JJ", "weak", False),
        (".", 0, "punct", "PUNCT", ".", ".", False),
    ], ents=[(0, 1, "PERSON")]))
    assert (found.source.text, found.cue.text, [c.text for c in found.contents]) == (
        "Lee, a senator,", "called", ["the plan"])


def test_attribution_a_reports_gerund_is_what_it_reports():
    # "Lee reported raising money."
    found = one(make_doc([
        ("Lee", 1, "nsubj", "PROPN", "NNP", "Lee", True),
        ("reported", 1, "ROOT", "VERB", "VBD", "report", True),
        ("raising", 1, "xcomp", "VERB", "VBG", "raise", True),
        ("money", 2, "dobj", "NOUN", "NN", "money", False),
        (".", 1, "punct", "PUNCT", ".", ".", False),
    ], ents=[(0, 1, "PERSON")]))
    assert (found.source.text, [c.text for c in found.contents]) == ("Lee", ["raising money"])


def test_attribution_being_asked_reports_the_question_with_nobody_named_as_asking():
    # "Asked whether taxes rose, Lee replied." (the one asked answers in the main clause)
    found = one(make_doc([
        ("Asked", 6, "advcl", "VERB", "VBN", "ask", True),
        ("whether", 3, "mark", "SCONJ", "IN", "whether", True),
        ("taxes", 3, "nsubj", "NOUN", "NNS", "tax", True),
        ("rose", 0, "ccomp", "VERB", "VBD", "rise", False),
        (",", 6, "punct", "PUNCT", ",", ",", True),
        ("Lee", 6, "nsubj", "PROPN", "NNP", "Lee", True),
        ("replied", 6, "ROOT", "VERB", "VBD", "reply", False),
        (".", 6, "punct", "PUNCT", ".", ".", False),
    ], ents=[(5, 6, "PERSON")]))
    assert (found.source, found.cue.text, [c.text for c in found.contents]) == (None, "Asked", ["whether taxes rose"])


def test_attribution_as_someone_told_a_paper_reports_the_main_clause():
    # "As Lee told the Post, taxes rose." (the paper is addressed: "as" is "as she said")
    found = one(make_doc([
        ("As", 2, "mark", "SCONJ", "IN", "as", True),
        ("Lee", 2, "nsubj", "PROPN", "NNP", "Lee", True),
        ("told", 7, "advcl", "VERB", "VBD", "tell", True),
        ("the", 4, "det", "DET", "DT", "the", True),
        ("Post", 2, "dobj", "PROPN", "NNP", "Post", False),
        (",", 7, "punct", "PUNCT", ",", ",", True),
        ("taxes", 7, "nsubj", "NOUN", "NNS", "tax", True),
        ("rose", 7, "ROOT", "VERB", "VBD", "rise", False),
        (".", 7, "punct", "PUNCT", ".", ".", False),
    ], ents=[(1, 2, "PERSON"), (3, 5, "ORG")]))
    assert (found.source.text, found.cue.text, [c.text for c in found.contents]) == ("Lee", "told", ["taxes rose"])


def test_attribution_report_the_parser_made_the_head_of_tell_is_its_content():
    # "Kim left after Lee told the Post he quit."
    found = one(make_doc([
        ("Kim", 1, "nsubj", "PROPN", "NNP", "Kim", True),
        ("left", 1, "ROOT", "VERB", "VBD", "leave", True),
        ("after", 4, "mark", "SCONJ", "IN", "after", True),
        ("Lee", 4, "nsubj", "PROPN", "NNP", "Lee", True),
        ("told", 8, "advcl", "VERB", "VBD", "tell", True),
        ("the", 6, "det", "DET", "DT", "the", True),
        ("Post", 4, "dobj", "PROPN", "NNP", "Post", True),
        ("he", 8, "nsubj", "PRON", "PRP", "he", True),
        ("quit", 1, "ccomp", "VERB", "VBD", "quit", False),
        (".", 1, "punct", "PUNCT", ".", ".", False),
    ], ents=[(0, 1, "PERSON"), (3, 4, "PERSON"), (5, 7, "ORG")]))
    assert (found.source.text, found.cue.text, [c.text for c in found.contents]) == ("Lee", "told", ["he quit"])


def test_attribution_trailing_speaker_reports_the_clauses_the_parser_hung_on_an_adverbial():
    # "As Kim left, a girl was hurt, police said."
    doc = make_doc([
        ("As", 2, "mark", "SCONJ", "IN", "as", True),
        ("Kim", 2, "nsubj", "PROPN", "NNP", "Kim", True),
        ("left", 10, "advcl", "VERB", "VBD", "leave", False),
        (",", 2, "punct", "PUNCT", ",", ",", True),
        ("a", 5, "det", "DET", "DT", "a", True),
        ("girl", 7, "nsubjpass", "NOUN", "NN", "girl", True),
        ("was", 7, "auxpass", "AUX", "VBD", "be", True),
        ("hurt", 2, "advcl", "VERB", "VBN", "hurt", False),
        (",", 10, "punct", "PUNCT", ",", ",", True),
        ("police", 10, "nsubj", "NOUN", "NNS", "police", True),
        ("said", 10, "ROOT", "VERB", "VBD", "say", False),
        (".", 10, "punct", "PUNCT", ".", ".", False),
    ], ents=[(1, 2, "PERSON")])
    found = one(doc)
    assert (found.source.text, found.cue.text, [c.text for c in found.contents]) == (
        "police", "said", ["As Kim left, a girl was hurt"])


def test_attribution_trailing_speech_verb_after_a_subordinate_clause_alone_reports_nothing():
    # "After Kim left, Lee spoke."
    doc = make_doc([
        ("After", 2, "mark", "SCONJ", "IN", "after", True),
        ("Kim", 2, "nsubj", "PROPN", "NNP", "Kim", False),
        ("left", 5, "advcl", "VERB", "VBD", "leave", False),
        (",", 5, "punct", "PUNCT", ",", ",", True),
        ("Lee", 5, "nsubj", "PROPN", "NNP", "Lee", True),
        ("spoke", 5, "ROOT", "VERB", "VBD", "speak", False),
        (".", 5, "punct", "PUNCT", ".", ".", False),
    ], ents=[(1, 2, "PERSON"), (4, 5, "PERSON")])
    assert list(attributions(doc)) == []


def test_attribution_medium_after_on_is_where_the_act_happened_not_its_topic():
    assert list(attributions(_verb_prep("spoke", "speak", "on", "show"))) == []


def test_attribution_participle_opening_a_frame_takes_no_quotation_from_the_sentence_before():
    # "“We won.” Speaking at a rally, Lee smiled."
    doc = make_doc([
        ("“", 2, "punct", "PUNCT", "``", "“", False),
        ("We", 2, "nsubj", "PRON", "PRP", "we", True),
        ("won", 2, "ROOT", "VERB", "VBD", "win", False),
        (".", 2, "punct", "PUNCT", ".", ".", False),
        ("”", 2, "punct", "PUNCT", "''", "”", True),
        ("Speaking", 11, "advcl", "VERB", "VBG", "speak", True),
        ("at", 5, "prep", "ADP", "IN", "at", True),
        ("a", 8, "det", "DET", "DT", "a", True),
        ("rally", 6, "pobj", "NOUN", "NN", "rally", False),
        (",", 11, "punct", "PUNCT", ",", ",", True),
        ("Lee", 11, "nsubj", "PROPN", "NNP", "Lee", True),
        ("smiled", 11, "ROOT", "VERB", "VBD", "smile", False),
        (".", 11, "punct", "PUNCT", ".", ".", False),
    ], ents=[(10, 11, "PERSON")])
    assert [a.cue.text for a in attributions(doc)] == []


def test_attribution_that_said_joins_sentences_and_reports_nothing():
    # "That said, taxes rose."
    doc = make_doc([
        ("That", 1, "nsubj", "PRON", "DT", "that", False),
        ("said", 1, "ROOT", "VERB", "VBD", "say", False),
        (",", 1, "punct", "PUNCT", ",", ",", True),
        ("taxes", 4, "nsubj", "NOUN", "NNS", "tax", True),
        ("rose", 1, "ccomp", "VERB", "VBD", "rise", False),
        (".", 1, "punct", "PUNCT", ".", ".", False),
    ])
    assert list(attributions(doc)) == []


def test_attribution_proportion_the_parser_hung_on_the_verb_is_its_subject():
    # "About 4 in 10 say taxes rose."
    found = one(make_doc([
        ("About", 1, "advmod", "ADV", "RB", "about", True),
        ("4", 3, "quantmod", "NUM", "CD", "4", True),
        ("in", 3, "quantmod", "ADP", "IN", "in", True),
        ("10", 4, "nummod", "NUM", "CD", "10", True),
        ("say", 4, "ROOT", "VERB", "VBP", "say", True),
        ("taxes", 6, "nsubj", "NOUN", "NNS", "tax", True),
        ("rose", 4, "ccomp", "VERB", "VBD", "rise", False),
        (".", 4, "punct", "PUNCT", ".", ".", False),
    ]))
    assert (found.source.text, [c.text for c in found.contents]) == ("About 4 in 10", ["taxes rose"])


def _put_it(*rows: tuple) -> Doc:
    return make_doc(list(rows), ents=[(1, 2, "PERSON")])


def test_attribution_as_x_put_it_is_speech_but_putting_it_somewhere_is_not():
    # "As Lee put it, taxes will rise."
    found = one(_put_it(
        ("As", 2, "mark", "SCONJ", "IN", "as", True),
        ("Lee", 2, "nsubj", "PROPN", "NNP", "Lee", True),
        ("put", 7, "advcl", "VERB", "VBD", "put", True),
        ("it", 2, "dobj", "PRON", "PRP", "it", False),
        (",", 7, "punct", "PUNCT", ",", ",", True),
        ("taxes", 7, "nsubj", "NOUN", "NNS", "tax", True),
        ("will", 7, "aux", "AUX", "MD", "will", True),
        ("rise", 7, "ROOT", "VERB", "VB", "rise", False),
        (".", 7, "punct", "PUNCT", ".", ".", False),
    ))
    assert (found.source.text, found.cue.text, [c.text for c in found.contents]) == (
        "Lee", "put it", ["taxes will rise"])
    # "Lee put it on the table."
    assert list(attributions(make_doc([
        ("Lee", 1, "nsubj", "PROPN", "NNP", "Lee", True),
        ("put", 1, "ROOT", "VERB", "VBD", "put", True),
        ("it", 1, "dobj", "PRON", "PRP", "it", True),
        ("on", 1, "prep", "ADP", "IN", "on", True),
        ("the", 5, "det", "DET", "DT", "the", True),
        ("table", 3, "pobj", "NOUN", "NN", "table", False),
        (".", 1, "punct", "PUNCT", ".", ".", False),
    ]))) == []


# "A new poll found that taxes rise."  The parser took the finite verb for a modifier of the
# noun before it, its real subject.
FINITE_VERB_AS_MODIFIER = [
    ("A", 2, "det", "DET", "DT", "a", True),
    ("new", 2, "amod", "ADJ", "JJ", "new", True),
    ("poll", 2, "ROOT", "NOUN", "NN", "poll", True),
    ("found", 2, "acl", "VERB", "VBD", "find", True),
    ("that", 6, "mark", "SCONJ", "IN", "that", True),
    ("taxes", 6, "nsubj", "NOUN", "NNS", "tax", True),
    ("rise", 3, "ccomp", "VERB", "VBP", "rise", False),
    (".", 2, "punct", "PUNCT", ".", ".", False),
]


def test_attribution_finite_verb_parsed_as_a_modifier_takes_the_noun_as_source():
    found = one(make_doc(FINITE_VERB_AS_MODIFIER))
    assert (found.source.text, found.cue.text, [c.text for c in found.contents]) == (
        "A new poll", "found", ["that taxes rise"])


# "Lee is calling for the city to act."  The parser reads `for NP to VP` as a clause marked by
# `for`.
CALLING_FOR_CLAUSE = [
    ("Lee", 2, "nsubj", "PROPN", "NNP", "Lee", True),
    ("is", 2, "aux", "AUX", "VBZ", "be", True),
    ("calling", 2, "ROOT", "VERB", "VBG", "call", True),
    ("for", 7, "mark", "SCONJ", "IN", "for", True),
    ("the", 5, "det", "DET", "DT", "the", True),
    ("city", 7, "nsubj", "NOUN", "NN", "city", True),
    ("to", 7, "aux", "PART", "TO", "to", True),
    ("act", 2, "advcl", "VERB", "VB", "act", False),
    (".", 2, "punct", "PUNCT", ".", ".", False),
]


def test_attribution_for_clause_after_call_is_the_content_and_for_joins_the_cue():
    found = one(make_doc(CALLING_FOR_CLAUSE, ents=[(0, 1, "PERSON")]))
    assert (found.source.text, found.cue.text, [c.text for c in found.contents]) == (
        "Lee", "is calling for", ["the city to act"])


@pytest.mark.parametrize(("verb", "lemma", "answer", "dep"), [("said", "say", "no", "intj"),
                                                             ("thinks", "think", "so", "advmod"),
                                                             ("would not say", "say", "when", "advmod")])
def test_attribution_one_word_answer_is_the_content(verb, lemma, answer, dep):
    words = verb.split()
    rows = [("Lee", len(words), "nsubj", "PROPN", "NNP", "Lee", True)]
    for word in words[:-1]:
        rows.append((word, len(words), "neg" if word == "not" else "aux", "PART" if word == "not" else "AUX",
                     "RB" if word == "not" else "MD", word, True))
    rows += [(words[-1], len(words), "ROOT", "VERB", "VBD", lemma, True),
             (answer, len(words), dep, "INTJ" if dep == "intj" else "ADV", "UH" if dep == "intj" else "RB", answer, False),
             (".", len(words), "punct", "PUNCT", ".", ".", False)]
    found = one(make_doc(rows, ents=[(0, 1, "PERSON")]))
    assert (found.source.text, found.cue.text, [c.text for c in found.contents]) == ("Lee", verb, [answer])


def test_attribution_seems_like_is_a_hedge_with_like_in_the_cue():
    # "The plan seems like a fair idea."
    found = one(make_doc([
        ("The", 1, "det", "DET", "DT", "the", True),
        ("plan", 2, "nsubj", "NOUN", "NN", "plan", True),
        ("seems", 2, "ROOT", "VERB", "VBZ", "seem", True),
        ("like", 2, "prep", "ADP", "IN", "like", True),
        ("a", 6, "det", "DET", "DT", "a", True),
        ("fair", 6, "amod", "ADJ", "JJ", "fair", True),
        ("idea", 3, "pobj", "NOUN", "NN", "idea", False),
        (".", 2, "punct", "PUNCT", ".", ".", False),
    ]))
    assert (found.kind, found.source, found.cue.text) == ("hedge", None, "seems like")
    assert [c.text for c in found.contents] == ["The plan", "a fair idea"]


def _drew_criticism(*giver: tuple) -> Doc:
    """ "The plan drew criticism <giver>." """
    return make_doc([
        ("The", 1, "det", "DET", "DT", "the", True),
        ("plan", 2, "nsubj", "NOUN", "NN", "plan", True),
        ("drew", 2, "ROOT", "VERB", "VBD", "draw", True),
        ("criticism", 2, "dobj", "NOUN", "NN", "criticism", bool(giver)),
        *giver,
        (".", 2, "punct", "PUNCT", ".", ".", False),
    ])


def test_attribution_receiving_a_stance_makes_the_giver_the_source_and_the_receiver_the_content():
    found = one(_drew_criticism(("from", 3, "prep", "ADP", "IN", "from", True),
                                ("senators", 4, "pobj", "NOUN", "NNS", "senator", False)))
    assert (found.source.text, found.cue.text, [c.text for c in found.contents]) == (
        "senators", "drew criticism from", ["The plan"])


def test_attribution_receiving_a_stance_from_nobody_named_is_no_cue():
    assert list(attributions(_drew_criticism())) == []


# --------------------------------------------------------------------------- sources: datelines, issuers, `it`

# "WASHINGTON ( AP ) — Lopez pledged to cut taxes ."  read with the dateline as the subject
DATELINE_AS_SUBJECT = [
    ("WASHINGTON", 6, "nsubj", "PROPN", "NNP", "WASHINGTON", True),
    ("(", 0, "punct", "PUNCT", "-LRB-", "(", False),
    ("AP", 0, "appos", "PROPN", "NNP", "AP", False),
    (")", 0, "punct", "PUNCT", "-RRB-", ")", True),
    ("—", 0, "punct", "PUNCT", ":", "—", True),
    ("Lopez", 0, "appos", "PROPN", "NNP", "Lopez", True),
    ("pledged", 6, "ROOT", "VERB", "VBD", "pledge", True),
    ("to", 8, "aux", "PART", "TO", "to", True),
    ("cut", 6, "xcomp", "VERB", "VB", "cut", True),
    ("taxes", 8, "dobj", "NOUN", "NNS", "tax", False),
    (".", 6, "punct", "PUNCT", ".", ".", False),
]


def test_attribution_source_is_never_the_dateline():
    found = one(make_doc(DATELINE_AS_SUBJECT))
    assert found.cue.text == "pledged"
    assert found.source.text == "Lopez"


def sources_of(nlp, text, cue):
    """The source of each attribution whose cue is `cue` (None for a source-less one)."""
    return [a.source.text if a.source else None for a in attributions(nlp(text)) if a.cue.text == cue]


@pytest.mark.parametrize(
    ("text", "cue", "source"),
    [
        ("The mayor's office put out a statement saying the bridge would reopen next week.", "saying",
         "The mayor's office"),
        ("The senator emailed supporters saying the campaign would go on.", "saying", "The senator"),
        # a statement named as the frame of another verb speaks for itself
        ("In a statement announcing the pick, the union called the mayor a champion of workers.", "announcing",
         "a statement"),
        ("Polls showing the mayor ahead were published on Monday.", "showing", "Polls"),
    ],
)
def test_attribution_participle_after_a_message_speaks_for_its_issuer(nlp, text, cue, source):
    assert sources_of(nlp, text, cue) == [source]


def test_attribution_extraposed_it_names_no_source(nlp):
    found = [a for a in attributions(nlp("It is hard to know whether the mayor will win the vote.")) if "know" in a.cue.text]
    assert [a.source for a in found] == [None]
    found = [a for a in attributions(nlp("It wants to know whether the mayor will win the vote."))]
    assert [a.source.text for a in found if a.source] == ["It"]


@pytest.mark.parametrize(
    ("text", "cue", "source"),
    [
        # a possessive pronoun that refers back to its clause's subject: the subject speaks
        ("The mayor is doubling down on his support for the new bridge tax.", "support for", "The mayor"),
        ("Members of the council are not mincing words in their opposition to the plan.", "opposition to",
         "Members of the council"),
        # an infinitive on a verb's object: that verb's subject would act
        ("The local paper has done nothing to explain the delay to its readers.", "to explain", "The local paper"),
    ],
)
def test_attribution_source_found_through_the_clause(nlp, text, cue, source):
    assert sources_of(nlp, text, cue) == [source]


def test_attribution_clause_on_a_time_noun_reports_nothing(nlp):
    # "the first time the two men spoke": when they spoke, not what they said
    text = "The senator told reporters that he had met the mayor, the first time the two men spoke since May."
    found = list(attributions(nlp(text)))
    assert [a.cue.text for a in found] == ["told"]
    assert found[0].source.text == "The senator"


@pytest.mark.parametrize(
    ("text", "cues"),
    [
        ("A recent state survey found broad support for the bridge tax.", ["found"]),
        ("A federal judge found the new bridge tax unconstitutional.", ["found"]),
        ("The mayor found a way to pay for the bridge.", []),  # locating, not reporting
        ("The mayor found himself in trouble over the bridge.", []),
        ("The mayor found that the bridge was unsafe.", ["found"]),  # a clause: always
    ],
)
def test_attribution_finding_an_object_reports_only_an_inquiry(nlp, text, cues):
    assert [a.cue.text for a in attributions(nlp(text))] == cues


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("Mayor Speaks ‘Directly To Voters’ After Vote.", ["‘Directly To Voters’"]),  # a headline
        ("‘We will win,’ she said. It’s the mayor’s ‘deal’.", ["‘We will win,’", "‘deal’"]),  # single-mark style
        ("Workers’ rights and the ’90s.", []),  # apostrophes
        ('He said "the ‘deal’ is off".', []),  # a quote inside a quote: the double marks cover it
    ],
)
def test_single_quote_regions_are_quotations_outside_double_marks(text, quoted):
    assert [text[s:e] for s, e in single_quote_regions(text)] == quoted


def test_attribution_quotes_in_single_marks(nlp):
    found = list(attributions(nlp("‘The bridge will reopen on Monday,’ the mayor said.")))
    assert [(a.kind, a.source.text, a.contents[0].text) for a in found] == [
        ("direct", "the mayor", "‘The bridge will reopen on Monday,’")]


def test_attribution_court_ruling_against_something(nlp):
    found = list(attributions(nlp("A federal appeals court ruled on Friday against the state's purge of voter rolls.")))
    assert [(a.source.text, a.cue.text, a.contents[0].text) for a in found] == [
        ("A federal appeals court", "ruled on Friday against", "the state's purge of voter rolls")]


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("The Latest: Mayor Lopez urges voters to monitor polling places.", "Mayor Lopez"),  # a layout label
        ("City council member Ana Ruiz-Lee said the bridge would reopen.", "City council member Ana Ruiz-Lee"),
        ("Senator Tom Reed (D-Ohio) said the bridge would reopen.", "Senator Tom Reed (D-Ohio)"),
        ("BOSTON, May 3 (UPI) — A spokesman for the mayor said the bridge would reopen.",
         "A spokesman for the mayor"),
    ],
)
def test_attribution_source_skips_datelines_and_layout_labels_only(nlp, text, source):
    found = list(attributions(nlp(text)))
    assert [a.source.text for a in found] == [source]


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("The ad uses footage of Mayor Ana Lopez asking, “Why are we not ahead?”", "Mayor Ana Lopez"),
        ("The mayor was on CNN asking voters to turn out.", "The mayor"),  # a medium
    ],
)
def test_attribution_participle_after_a_person_is_theirs(nlp, text, source):
    found = [a for a in attributions(nlp(text)) if a.cue.text.startswith("asking")]
    assert [a.source.text for a in found] == [source]


def test_attribution_object_and_participle_after_a_verb_of_leaving_or_seeing(nlp):
    text = "The war left many small nations feeling that they faced a new threat."
    found = [a for a in attributions(nlp(text)) if a.cue.text == "feeling"]
    assert [a.source.text for a in found] == ["many small nations"]


# '“ Go , ” Lee said on “ Fox Talk . ”'  with the parser's misreading: the show's name as the subject
QUOTED_TITLE_AS_SUBJECT = [
    ("“", 1, "punct", "PUNCT", "``", "“", False),
    ("Go", 5, "ccomp", "VERB", "VB", "go", False),
    (",", 1, "punct", "PUNCT", ",", ",", False),
    ("”", 1, "punct", "PUNCT", "''", "”", True),
    ("Lee", 1, "appos", "PROPN", "NNP", "Lee", True),
    ("said", 5, "ROOT", "VERB", "VBD", "say", True),
    ("on", 5, "prep", "ADP", "IN", "on", True),
    ("“", 5, "punct", "PUNCT", "``", "“", False),
    ("Fox", 5, "nsubj", "PROPN", "NNP", "Fox", True),
    ("Talk", 8, "flat", "PROPN", "NNP", "Talk", False),
    (".", 5, "punct", "PUNCT", ".", ".", False),
    ("”", 5, "punct", "PUNCT", "''", "”", False),
]


def test_attribution_quoted_title_after_the_verb_is_no_speaker():
    found = one(make_doc(QUOTED_TITLE_AS_SUBJECT))
    assert found.source.text == "Lee"


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("“There are more candidates in the state this year,” added another local Republican.",
         "another local Republican"),  # the parser makes the speaker the verb's object
        ("“The bridge is safe,” said Rep. Ana Lopez (D-Ohio), a member of the transport committee.",
         "Rep. Ana Lopez (D-Ohio), a member of the transport committee"),  # brackets inside the name
        ("“How big is that wall?” asked the boy.", "the boy"),
    ],
)
def test_attribution_inverted_speaker_after_a_quotation(nlp, text, source):
    found = list(attributions(nlp(text)))
    assert [(a.kind, a.source.text) for a in found] == [("direct", source)]
