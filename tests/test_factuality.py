"""Factuality of event mentions: rules on hand-built parses, one check on the real model."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc
from spacy.vocab import Vocab

from newsgraph.errors import LexiconError
from newsgraph.extract.factuality import Factuality, _parse_cue, factuality, load_cues

VOCAB = Vocab()


def parse(rows: str) -> Doc:
    """A Doc from lines of `word head dep pos tag lemma` (head is a token index)."""
    table = [line.split() for line in rows.strip().splitlines()]
    return Doc(
        VOCAB,
        words=[r[0] for r in table],
        heads=[int(r[1]) for r in table],
        deps=[r[2] for r in table],
        pos=[r[3] for r in table],
        tags=[r[4] for r in table],
        lemmas=[r[5] for r in table],
    )


def event(doc: Doc, word: str) -> Factuality:
    return factuality(next(t for t in doc if t.text == word))


# "Russia sent troops ."
PLAIN = """
Russia 1 nsubj PROPN NNP Russia
sent 1 ROOT VERB VBD send
troops 1 dobj NOUN NNS troop
. 1 punct PUNCT . .
"""
# "Russia did not send troops ."
NEGATED = """
Russia 3 nsubj PROPN NNP Russia
did 3 aux AUX VBD do
not 3 neg PART RB not
send 3 ROOT VERB VB send
troops 3 dobj NOUN NNS troop
. 3 punct PUNCT . .
"""
# "Russia may send troops ."
MODAL = """
Russia 2 nsubj PROPN NNP Russia
may 2 aux AUX MD may
send 2 ROOT VERB VB send
troops 2 dobj NOUN NNS troop
. 2 punct PUNCT . .
"""
# "North Korea has allegedly supplied missiles ."
HEDGED = """
Korea 3 nsubj PROPN NNP Korea
has 3 aux AUX VBZ have
allegedly 3 advmod ADV RB allegedly
supplied 3 ROOT VERB VBN supply
missiles 3 dobj NOUN NNS missile
. 3 punct PUNCT . .
"""
# "Russia will send troops ."
FUTURE = """
Russia 2 nsubj PROPN NNP Russia
will 2 aux AUX MD will
send 2 ROOT VERB VB send
troops 2 dobj NOUN NNS troop
. 2 punct PUNCT . .
"""
# "The union refused to meet the demands ."
REFUSED = """
The 1 det DET DT the
union 2 nsubj NOUN NN union
refused 2 ROOT VERB VBD refuse
to 4 aux PART TO to
meet 2 xcomp VERB VB meet
the 6 det DET DT the
demands 4 dobj NOUN NNS demand
. 2 punct PUNCT . .
"""
# "The union did not refuse to meet ."
DOUBLE_NEGATION = """
The 1 det DET DT the
union 4 nsubj NOUN NN union
did 4 aux AUX VBD do
not 4 neg PART RB not
refuse 4 ROOT VERB VB refuse
to 6 aux PART TO to
meet 4 xcomp VERB VB meet
. 4 punct PUNCT . .
"""
# "GM plans to close plants ."
PLANNED = """
GM 1 nsubj PROPN NNP GM
plans 1 ROOT VERB VBZ plan
to 3 aux PART TO to
close 1 xcomp VERB VB close
plants 3 dobj NOUN NNS plant
. 1 punct PUNCT . .
"""
# "Moscow denied that troops attacked ."
DENIED = """
Moscow 1 nsubj PROPN NNP Moscow
denied 1 ROOT VERB VBD deny
that 4 mark SCONJ IN that
troops 4 nsubj NOUN NNS troop
attacked 1 ccomp VERB VBD attack
. 1 punct PUNCT . .
"""
# "He will resign if the talks fail ."
CONDITIONAL = """
He 2 nsubj PRON PRP he
will 2 aux AUX MD will
resign 2 ROOT VERB VB resign
if 6 mark SCONJ IN if
the 5 det DET DT the
talks 6 nsubj NOUN NNS talk
fail 2 advcl VERB VBP fail
. 2 punct PUNCT . .
"""
# "It is widely believed that Korea has benefited ."
BELIEVED = """
It 3 nsubjpass PRON PRP it
is 3 auxpass AUX VBZ be
widely 3 advmod ADV RB widely
believed 3 ROOT VERB VBN believe
that 7 mark SCONJ IN that
Korea 7 nsubj PROPN NNP Korea
has 7 aux AUX VBZ have
benefited 3 ccomp VERB VBN benefit
. 3 punct PUNCT . .
"""
# "Media have not confirmed the visit ."
UNCONFIRMED = """
Media 3 nsubj NOUN NNS medium
have 3 aux AUX VBP have
not 3 neg PART RB not
confirmed 3 ROOT VERB VBN confirm
the 5 det DET DT the
visit 3 dobj NOUN NN visit
. 3 punct PUNCT . .
"""
# "Media have yet to confirm his arrival ."
PENDING = """
Media 1 nsubj NOUN NNS medium
have 1 ROOT VERB VBP have
yet 1 advmod ADV RB yet
to 4 aux PART TO to
confirm 1 xcomp VERB VB confirm
his 6 poss PRON PRP$ his
arrival 4 dobj NOUN NN arrival
. 1 punct PUNCT . .
"""
# "The company is going to cut jobs ."
GOING_TO = """
The 1 det DET DT the
company 3 nsubj NOUN NN company
is 3 aux AUX VBZ be
going 3 ROOT VERB VBG go
to 5 aux PART TO to
cut 3 xcomp VERB VB cut
jobs 5 dobj NOUN NNS job
. 3 punct PUNCT . .
"""
# "GM said it would cut jobs ."
REPORTED_WOULD = """
GM 1 nsubj PROPN NNP GM
said 1 ROOT VERB VBD say
it 4 nsubj PRON PRP it
would 4 aux AUX MD would
cut 1 ccomp VERB VB cut
jobs 4 dobj NOUN NNS job
. 1 punct PUNCT . .
"""
# "The plant would close ."
WOULD = """
The 1 det DET DT the
plant 3 nsubj NOUN NN plant
would 3 aux AUX MD would
close 3 ROOT VERB VB close
. 3 punct PUNCT . .
"""


@pytest.mark.parametrize(
    ("rows", "word", "certainty", "polarity", "time", "status"),
    [
        (PLAIN, "sent", "certain", "positive", "past", "asserted"),
        (NEGATED, "send", "certain", "negative", "past", "negated"),
        (MODAL, "send", "possible", "positive", "future", "hypothetical"),
        (MODAL, "troops", "possible", "positive", "future", "hypothetical"),
        (HEDGED, "supplied", "possible", "positive", "past", "alleged"),
        (FUTURE, "send", "certain", "positive", "future", "future"),
        (REFUSED, "meet", "certain", "negative", "past", "negated"),
        (DOUBLE_NEGATION, "meet", "certain", "positive", "past", "asserted"),
        (PLANNED, "close", "certain", "positive", "future", "future"),
        (DENIED, "attacked", "certain", "negative", "past", "denied"),
        (CONDITIONAL, "fail", "underspecified", "underspecified", "present", "hypothetical"),
        (CONDITIONAL, "resign", "certain", "positive", "future", "future"),
        (BELIEVED, "benefited", "possible", "positive", "past", "believed"),
        (UNCONFIRMED, "confirmed", "certain", "negative", "past", "negated"),
        (UNCONFIRMED, "visit", "underspecified", "underspecified", "past", "unconfirmed"),
        (PENDING, "confirm", "certain", "negative", "present", "negated"),
        (PENDING, "arrival", "underspecified", "underspecified", "present", "unconfirmed"),
        (GOING_TO, "cut", "certain", "positive", "future", "future"),
        # `would` marks the future without lowering the certainty, as MEANTIME annotates it.
        (REPORTED_WOULD, "cut", "certain", "positive", "future", "reported"),
        (REPORTED_WOULD, "jobs", "certain", "positive", "future", "future"),
        (WOULD, "close", "certain", "positive", "future", "hypothetical"),
    ],
)
def test_factuality_rules(rows, word, certainty, polarity, time, status):
    result = event(parse(rows), word)
    assert (result.certainty, result.polarity, result.time, result.status) == (
        certainty, polarity, time, status)


def test_factuality_gives_the_cue_words_as_evidence():
    assert event(parse(HEDGED), "supplied").cues == ("allegedly",)
    assert event(parse(REFUSED), "meet").cues == ("refused",)
    assert event(parse(PLAIN), "sent").cues == ()


def test_factuality_accepts_a_span():
    doc = parse(NEGATED)
    assert factuality(doc[2:4]).polarity == "negative"


@pytest.mark.parametrize(
    ("cue", "source_named", "certainty", "polarity", "status"),
    [
        ("say", True, "certain", "positive", "reported"),
        ("according to", True, "certain", "positive", "reported"),
        ("allege", True, "possible", "positive", "alleged"),
        ("claims", True, "possible", "positive", "alleged"),
        ("widely believed", None, "possible", "positive", "believed"),
        ("confirm", True, "certain", "positive", "asserted"),
        ("deny", True, "certain", "negative", "denied"),
        ("report", False, "probable", "positive", "reported"),
    ],
)
def test_factuality_attribution_cue(cue, source_named, certainty, polarity, status):
    result = factuality(parse(PLAIN)[1], attribution_cue=cue, source_named=source_named)
    assert (result.certainty, result.polarity, result.status) == (certainty, polarity, status)


def test_factuality_attribution_cue_already_in_the_parse_is_not_counted_twice():
    doc = parse(DENIED)
    assert factuality(doc[4], attribution_cue="deny").polarity == "negative"


def test_factuality_cue_files_load_with_every_kind():
    cues = load_cues()
    assert cues["aux"]["may"].certainty == "possible"
    assert cues["report"]["confirm"].certainty == "certain"
    assert cues["verb"]["refuse"].polarity == "negative"
    assert cues["mark"]["if"].status == "hypothetical"


@pytest.mark.parametrize(
    "line",
    ["may\taux\tpossible", "may\tmodal\tpossible\t-\t-\t-", "may\taux\tsure\t-\t-\t-"],
)
def test_factuality_malformed_cue_line_raises(line):
    with pytest.raises(LexiconError):
        _parse_cue(line, "test.tsv:1")


@pytest.mark.model
def test_factuality_on_real_parses(nlp):
    doc = nlp(
        "Officials have not confirmed the strikes. Moscow may send more troops. "
        "The army has allegedly shelled the town. "
        "It is widely believed that the ministry has profited from the deal."
    )
    by_word = {t.text: factuality(t) for t in doc}
    assert by_word["confirmed"].polarity == "negative"
    assert by_word["strikes"].status == "unconfirmed"
    assert by_word["send"].certainty == "possible"
    assert by_word["shelled"].status == "alleged"
    assert by_word["profited"].status == "believed"
