"""Claims join attributions, sources and the events inside their content (no model)."""

import spacy
from spacy.tokens import Doc

from newsgraph.extract.attribution import Attribution, SourceDescription, SpanRef
from newsgraph.extract.claims import build_claims
from newsgraph.extract.events import ActorRef, Event
from newsgraph.types import CodedEvent, EventTime

VOCAB = spacy.blank("en").vocab
# Officials said Arnor attacked Gondor . Arnor attacked Gondor .
WORDS = ["Officials", "said", "Arnor", "attacked", "Gondor", ".", "Arnor", "attacked", "Gondor", "."]
HEADS = [1, 1, 3, 1, 3, 1, 7, 7, 7, 7]
DEPS = ["nsubj", "ROOT", "nsubj", "ccomp", "dobj", "punct", "nsubj", "ROOT", "dobj", "punct"]
POS = ["NOUN", "VERB", "PROPN", "VERB", "PROPN", "PUNCT", "PROPN", "VERB", "PROPN", "PUNCT"]
LEMMAS = ["official", "say", "Arnor", "attack", "Gondor", ".", "Arnor", "attack", "Gondor", "."]


def doc():
    return Doc(VOCAB, words=WORDS, heads=HEADS, deps=DEPS, pos=POS, lemmas=LEMMAS,
               sent_starts=[1, 0, 0, 0, 0, 0, 1, 0, 0, 0])


def ref(d, i, code):
    t = d[i]
    return ActorRef(key=f"state:{code}", name=t.text, code=code, country=code, sector=None,
                    start=t.idx, end=t.idx + len(t))


def attack(d, i, sentence):
    t = d[i]
    event = Event(sentence=sentence, trigger=t.text, trigger_start=t.idx, trigger_end=t.idx + len(t),
                  cameo="190", cameo_root="19", cameo_name="Use conventional military force", goldstein=-10.0,
                  quad_class=4, plover_type="ASSAULT", plover_mode=None,
                  sources=(ref(d, i - 1, "ARN"),), targets=(ref(d, i + 1, "GON"),))
    return CodedEvent(event, EventTime("2025-01-01", "day", "article"), None)


def test_claims_event_inside_content_is_reported_and_restatement_follows():
    d = doc()
    content_start = d[2].idx
    attribution = Attribution(
        kind="indirect", cue=SpanRef(d[1].idx, d[1].idx + 4, "said"),
        source=SpanRef(0, 9, "Officials"), contents=(SpanRef(content_start, d[4].idx + 6, "Arnor attacked Gondor"),),
        sentence=0, cue_lemma="say",
        source_description=SourceDescription(named=False, countries=(), sector="GOV", description="Officials"),
        pronoun_source=False, resolved_source=None,
    )
    events = [attack(d, 3, 0), attack(d, 7, 1)]
    from newsgraph.extract.factuality import factuality
    events = [CodedEvent(e.event, e.time, factuality(d[3 if n == 0 else 7])) for n, e in enumerate(events)]
    claims, judged = build_claims(d, [attribution], events, resolve=lambda span: [])
    (claim,) = claims
    assert claim.source.named is False and claim.source.sector == "GOV"
    assert judged[0].factuality.status == "reported"
    # the second sentence restates the reported attack as plain fact: it stays reported
    assert judged[1].factuality.status == "reported"
    assert claim.events == (0, 1)


def _said(d, **extra):
    return Attribution(
        kind="indirect", cue=SpanRef(d[1].idx, d[1].idx + 4, "said"),
        source=SpanRef(0, 9, "Officials"), contents=(SpanRef(d[2].idx, d[4].idx + 6, "Arnor attacked Gondor"),),
        sentence=0, cue_lemma="say",
        source_description=SourceDescription(named=False, countries=(), sector="GOV", description="Officials"),
        pronoun_source=False, resolved_source=None, **extra,
    )


def test_claims_keep_the_cited_source_and_drop_the_citation_and_unasserted_speech():
    d = doc()
    cited = SpanRef(d[6].idx, d[6].idx + 5, "Arnor")
    citing = Attribution(
        kind="indirect", cue=SpanRef(d[7].idx, d[7].idx + 8, "attacked"), source=SpanRef(0, 9, "Officials"),
        contents=(cited,), sentence=1, cue_lemma="cite", source_description=None, pronoun_source=False,
        resolved_source=None, citation=True,
    )
    claims, _ = build_claims(d, [_said(d, cited_source=cited), citing], [], resolve=lambda span: [])
    assert [(c.cue.text, c.cited_source) for c in claims] == [("said", cited)]
    claims, _ = build_claims(d, [_said(d, asserted=False)], [], resolve=lambda span: [])
    assert claims == []
