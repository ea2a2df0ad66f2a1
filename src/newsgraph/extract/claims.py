"""Claims: what an article says someone says, how sure, and which events it carries.

A claim joins three extractors' output for one article:

- an `Attribution` (source, cue, content spans) from `extract.attribution`;
- the source resolved to one of the article's actors (`TASS` → the organisation, `he` →
  the person named before), or kept as an unnamed description (`American and South Korean
  intelligence sources` → countries USA and KOR, sector SPY);
- the events whose triggers lie inside the content, re-judged with the cue's commitment
  (`allege` → alleged, `report` → reported, `it is widely believed` → believed);
- whom the source cites (`…, the agency reported, citing a government source`).

Speech that asserts nothing (`declined to say`, `did not say how many`) makes no claim, and
a `citing X` attribution is folded into the claim it qualifies.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .attribution import Attribution, SpanRef, load_lexicon
from .events import ActorRef
from .factuality import Factuality, factuality

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from ..types import CodedEvent


@dataclass(frozen=True, slots=True)
class ClaimSource:
    """Who makes a claim: one of the article's actors, or an unnamed description."""

    name: str
    named: bool
    actor_key: str | None
    countries: tuple[str, ...]
    sector: str | None
    start: int
    end: int
    pronoun: bool = False


@dataclass(frozen=True, slots=True)
class Claim:
    """One attributed statement with its factuality and the events inside it."""

    kind: str  # direct | indirect | according_to | reported_by | hedge
    sentence: int
    cue: SpanRef
    cue_lemma: str
    source: ClaimSource | None
    contents: tuple[SpanRef, ...]
    factuality: Factuality
    events: tuple[int, ...]  # indices into the article's event list
    cited_source: SpanRef | None = None  # whom the source cites: "…, Lee said, citing the intelligence service"


Resolve = Callable[["Span"], Sequence[ActorRef]]


def build_claims(
    doc: "Doc", attributions: Sequence[Attribution], events: list["CodedEvent"], resolve: Resolve
) -> tuple[list[Claim], list["CodedEvent"]]:
    """Claims from attributions, and the events with the factuality their claims give them."""
    events = list(events)
    claims = []
    sources = {id(a): _source(doc, a, resolve) for a in attributions}
    attributions = [a for a in attributions if _is_claim(doc, a, sources[id(a)])]
    owner = _innermost_claim_of_events(attributions, events)
    for index, attribution in enumerate(attributions):
        source = sources[id(attribution)]
        inside = tuple(i for i, a in owner.items() if a == index)
        for i in inside:
            events[i] = _rejudged(doc, events[i], attribution, source)
        claims.append(Claim(
            kind=attribution.kind, sentence=attribution.sentence, cue=attribution.cue,
            cue_lemma=attribution.cue_lemma, source=source, contents=attribution.contents,
            factuality=_claim_factuality(doc, attribution, source), events=inside,
            cited_source=attribution.cited_source,
        ))
    return _restatements(claims, events, owner)


# Statuses that say someone other than the article vouches for an event.
ATTRIBUTED = frozenset({"reported", "alleged", "believed", "unconfirmed", "denied"})


def _restatements(claims: list[Claim], events: list["CodedEvent"], owner: dict[int, int]):
    """An article that reports an event with its source and restates it elsewhere as plain fact
    (a summary, a conclusion) still only reports it: the restatement takes the attributed
    mention's factuality and joins its claim. Two mentions are the same event when they share
    the CAMEO root and the same source and target actors."""
    def identity(coded: "CodedEvent") -> tuple | None:
        e = coded.event
        if not e.targets and len(e.sources) < 2:
            return None  # "he visited": too little to tell one visit from another
        return (e.cameo_root, frozenset(a.key for a in e.sources), frozenset(a.key for a in e.targets),
                coded.time.value if coded.time.source == "text" else None)

    attributed: dict[tuple, int] = {}
    for i, coded in enumerate(events):
        key = identity(coded)
        if key and i in owner and coded.factuality is not None and coded.factuality.status in ATTRIBUTED:
            attributed.setdefault(key, i)
    joined: dict[int, list[int]] = {}
    for i, coded in enumerate(events):
        key = identity(coded)
        source = attributed.get(key) if key else None
        if source is None or i in owner or coded.factuality is None or coded.factuality.status != "asserted":
            continue
        events[i] = replace(coded, factuality=events[source].factuality)
        joined.setdefault(owner[source], []).append(i)
    claims = [replace(c, events=tuple(sorted(c.events + tuple(joined.get(n, ()))))) for n, c in enumerate(claims)]
    return claims, events


# Cue classes that express a stance or read evidence rather than report speech: "support",
# "indicate". They make a claim only as a finite verb of a named actor ("Trump supports the
# ban"), not in "sending troops to support Russia" or "North Korea's support for Russia".
WEAK_CUE_CLASSES = frozenset({"stance", "evidence"})
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})


def _is_claim(doc: "Doc", attribution: Attribution, source: ClaimSource | None) -> bool:
    if not attribution.asserted or attribution.citation:
        # "declined to say", "did not say how many": nothing is claimed; "citing X" is
        # the cited source of the claim it qualifies, not a claim of its own
        return False
    lexicon = load_lexicon()
    cue = lexicon.verbs.get(attribution.cue_lemma) or lexicon.nouns.get(attribution.cue_lemma)
    if cue is None or cue.cls not in WEAK_CUE_CLASSES:
        return True
    if source is None or source.actor_key is None:
        return False
    span = doc.char_span(attribution.cue.start, attribution.cue.end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    return root.tag_ in FINITE_TAGS or any(c.dep_ in ("aux", "auxpass") and c.tag_ in FINITE_TAGS
                                           for c in root.children)


def _innermost_claim_of_events(attributions: Sequence[Attribution], events: list["CodedEvent"]) -> dict[int, int]:
    """Event index -> index of the attribution with the shortest content that holds its trigger."""
    owner: dict[int, int] = {}
    for i, coded in enumerate(events):
        start = coded.event.trigger_start
        best: tuple[int, int] | None = None
        for j, attribution in enumerate(attributions):
            for content in attribution.contents:
                if content.start <= start < content.end:
                    size = content.end - content.start
                    if best is None or size < best[0]:
                        best = (size, j)
        if best is not None:
            owner[i] = best[1]
    return owner


def _source(doc: "Doc", attribution: Attribution, resolve: Resolve) -> ClaimSource | None:
    ref = attribution.resolved_source if attribution.pronoun_source and attribution.resolved_source else attribution.source
    if ref is None:
        return None
    described = attribution.source_description
    span = doc.char_span(ref.start, ref.end, alignment_mode="expand")
    actors = list(resolve(span)) if span is not None and len(span) else []
    named = described.named if described is not None else bool(actors)
    referring = span is not None and len(span) and (span.root.pos_ == "PRON" or len(actors) > 1)
    if actors and (named or referring):
        # a named source, or one referred back to ("he", "both nations")
        actor = actors[0]
        return ClaimSource(name=" and ".join(a.name for a in actors), named=True, actor_key=actor.key,
                           countries=tuple(a.country for a in actors if a.country),
                           sector=actor.sector or (described.sector if described else None),
                           start=ref.start, end=ref.end, pronoun=attribution.pronoun_source)
    return ClaimSource(
        name=described.description if described else ref.text, named=named, actor_key=None,
        countries=described.countries if described else tuple(a.country for a in actors if a.country),
        sector=described.sector if described else None, start=ref.start, end=ref.end,
        pronoun=attribution.pronoun_source,
    )


def _cue_lemma(attribution: Attribution) -> str:
    # a hedge's lemma ("widely believed", "reportedly") is the cue factuality reads
    return attribution.cue_lemma or attribution.cue.text.lower()


def _rejudged(doc: "Doc", coded: "CodedEvent", attribution: Attribution, source: ClaimSource | None) -> "CodedEvent":
    span = doc.char_span(coded.event.trigger_start, coded.event.trigger_end, alignment_mode="expand")
    if span is None:
        return coded
    judged = factuality(span.root, attribution_cue=_cue_lemma(attribution),
                        source_named=source.named if source is not None else False)
    return replace(coded, factuality=judged)


def _claim_factuality(doc: "Doc", attribution: Attribution, source: ClaimSource | None) -> Factuality:
    content = attribution.contents[0] if attribution.contents else attribution.cue
    span = doc.char_span(content.start, content.end, alignment_mode="expand")
    token = span.root if span is not None and len(span) else None
    if token is None:
        cue = doc.char_span(attribution.cue.start, attribution.cue.end, alignment_mode="expand")
        if cue is None:  # a cue is made of tokens, so its span always aligns
            raise ValueError(f"attribution cue {attribution.cue} does not align with the document's tokens")
        token = cue.root
    return factuality(token, attribution_cue=_cue_lemma(attribution),
                      source_named=source.named if source is not None else False)
