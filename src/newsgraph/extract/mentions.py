"""One event per real-world event in an article: repeated mentions grouped.

A news article names its main event several times: in the headline ("X arrives in
Pyongyang"), in the lead ("X has arrived in North Korea") and later in passing ("his visit",
"the arrival of X"). The coder finds each mention on its own; `group_mentions` joins those
that describe the same act into one event that keeps every mention's sentence and trigger.

Two mentions are one event when they share the CAMEO root, the mirror side (a host's 043
pairs with other 043s, its visit with other visits), joint-act status and source actors;
their targets are equal or one names none ("his visit"); their times are equal or one is
less precise or only the article's date; their places are equal, one is unknown or one is
the country the other lies in; and neither is negated where the other is not. A mention
with one party and no target ("he urged") joins only an event that names its target. A mention
that points at another occasion ("has visited Pyongyang on prior occasions", "his visits")
stays an event of its own. The grouped event keeps the most specific code, time and place
of its mentions, and the first main mention as its evidence.

    grouped = group_mentions(coded, separate=[another_occasion(doc, c.event) for c in coded])
    grouped.events      # one CodedEvent per real-world event, with `mentions`
    grouped.index[i]    # where the i-th input mention went
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..types import CodedEvent, EventMention, EventTime

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from .events import ActorRef

    from .events import Event
    from .factuality import Factuality

# Words that put a mention on another occasion than the article's event: "previously",
# "on prior occasions", "in the past", "several times". ("Again" marks this occasion as a
# repeat: "visits Pyongyang again" is the article's visit.)
OTHER_OCCASION_WORDS = frozenset({
    "previously", "prior", "repeatedly", "formerly", "frequently", "often", "regularly",
    "occasionally", "once", "previous", "past", "former", "occasions", "times", "twice", "routinely",
    "sometimes",
})
# Words that do so only in one role: "an earlier visit" (not "arrived earlier on Tuesday"),
# "had visited before" (not "arrived before the talks", nor "arrived earlier", often the same day).
EARLIER_ADJECTIVES = frozenset({"earlier"})
BARE_ADVERBS = frozenset({"before"})
# Noun tags of a plural event noun: "his visits" are several events, not this one.
PLURAL_NOUN_TAGS = frozenset({"NNS", "NNPS"})
# Event nouns whose plural names one event: "the talks", "joint drills", "sanctions".
PLURAL_SINGLE_EVENTS = frozenset({
    "talks", "negotiations", "consultations", "discussions", "deliberations", "hostilities", "elections",
    "sanctions", "relations", "ties", "drills", "exercises", "manoeuvres", "maneuvers", "operations",
    "protests", "demonstrations", "hearings", "proceedings", "celebrations", "commemorations",
})
# Statuses that deny an event happened; a denial is never one event with an assertion.
NEGATIVE_STATUSES = frozenset({"negated", "denied"})
# Statuses of a mention that refers back ("had not confirmed the trip") that are the article's
# view of the whole event: said to have happened (the base's "reported"/"asserted"), not confirmed.
CARRIED_STATUSES = frozenset({"unconfirmed"})
POSITIVE_STATUSES = frozenset({"asserted", "reported"})
# TIMEX3 precision from coarsest to finest, to keep the most precise time of the mentions.
PRECISION_RANK = {None: 0, "century": 1, "decade": 2, "year": 3, "quarter": 4, "season": 4, "month": 5,
                  "week": 6, "day": 7, "hour": 8, "minute": 9, "second": 10}


@dataclass(frozen=True, slots=True)
class Grouped:
    """Events after grouping, and for each input mention the index of its event."""

    events: list[CodedEvent]
    index: list[int]


@dataclass(slots=True)
class _Group:
    members: list[int]  # input positions, text order
    merged: CodedEvent  # the members as one event so far
    alone: bool = False  # about another occasion: joins nothing


def group_mentions(coded: Sequence[CodedEvent], *, separate: Sequence[bool] = ()) -> Grouped:
    """Join mentions of the same event; `separate[i]` keeps mention i an event of its own.

    Mentions that tell their act apart (a target, or several parties) group first, each
    joining the first group it is compatible with as merged so far. A mention with one party
    and no target ("he urged", "his visit") says too little to found an event with another
    such mention; it joins the first compatible group of the first kind, or stays alone. So
    a vague mention cannot join two different acts into one.
    """
    groups: list[_Group] = []
    for identified in (True, False):
        for i, mention in enumerate(coded):
            if _identified(mention.event) is not identified:
                continue
            alone = i < len(separate) and separate[i]
            home = None if alone else next(
                (g for g in groups if not g.alone and _identified(g.merged.event) and _compatible(g.merged, mention)),
                None)
            if home is None:
                groups.append(_Group([i], mention, alone))
                continue
            home.members.append(i)
            home.members.sort()
            home.merged = merged([coded[m] for m in home.members])
    groups.sort(key=lambda g: g.members[0])
    index = [0] * len(coded)
    for n, group in enumerate(groups):
        for m in group.members:
            index[m] = n
    events = [_with_mentions(g.merged, [coded[m] for m in g.members]) for g in groups]
    return Grouped(events, index)


def _identified(event: "Event") -> bool:
    # as in `claims._restatements`: "he visited" alone is too little to tell one act from another
    return bool(event.targets) or len(event.sources) > 1


def merged(mentions: Sequence[CodedEvent]) -> CodedEvent:
    """One event from compatible mentions: the first main mention's evidence and factuality,
    with the most specific code, time, place and targets any mention gives."""
    base = next((m for m in mentions if m.event.main), mentions[0])
    event = base.event
    coded_by = max(mentions, key=lambda m: len(m.event.cameo))  # first of the longest codes
    if len(coded_by.event.cameo) > len(event.cameo):
        event = _with_code(event, coded_by.event)
    placed = _most_specific_place(mentions)
    if placed is not None and placed is not event:
        event = replace(event, place=placed.place, place_start=placed.place_start, place_end=placed.place_end,
                        place_country=placed.place_country)
    if not event.targets:
        targeted = next((m.event for m in mentions if m.event.targets), None)
        if targeted is not None:
            event = replace(event, targets=targeted.targets)
    if not event.quantities:
        event = replace(event, quantities=next((m.event.quantities for m in mentions if m.event.quantities), ()))
    timed = max(mentions, key=lambda m: _time_rank(m.time))
    time = base.time
    if _time_rank(timed.time) > _time_rank(time):
        time = timed.time
        event = replace(event, time_text=timed.event.time_text, time_start=timed.event.time_start,
                        time_end=timed.event.time_end)
    return replace(base, event=event, time=time, factuality=_carried_view(base, mentions))


def _carried_view(base: CodedEvent, mentions: Sequence[CodedEvent]) -> "Factuality | None":
    """The base mention's factuality, or the view a mention that refers back to it takes ("state
    media had not confirmed the trip" leaves the reported arrival unconfirmed), with its cues."""
    own = base.factuality
    if own is None or own.status not in POSITIVE_STATUSES:
        return own
    view = next((m.factuality for m in mentions if m.event.refers_back and m.factuality is not None
                 and m.factuality.status in CARRIED_STATUSES), None)
    if view is None:
        return own
    return replace(own, certainty=view.certainty, status=view.status, cues=(*own.cues, *view.cues))


def mention_of(coded: CodedEvent) -> EventMention:
    """The mention a coded event was found at (its evidence)."""
    e = coded.event
    return EventMention(e.sentence, e.sentence_start, e.sentence_end, e.trigger, e.trigger_start, e.trigger_end,
                        e.cameo, e.main)


def mentions_of(coded: CodedEvent) -> tuple[EventMention, ...]:
    """Every mention of an event; one made before grouping has its evidence as its only one."""
    return coded.mentions or (mention_of(coded),)


def another_occasion(doc: "Doc", event: "Event") -> bool:
    """Whether a mention is about another occasion than the article's event: a plural event
    noun ("his visits") or a modifier such as "previously", "in the past", "on prior occasions"."""
    span = doc.char_span(event.trigger_start, event.trigger_end, alignment_mode="expand")
    if span is None:
        return False
    trigger = span.root
    if trigger.tag_ in PLURAL_NOUN_TAGS and trigger.lower_ not in PLURAL_SINGLE_EVENTS:
        return True
    for child in trigger.children:
        if child.dep_ == "amod" and child.lower_ in EARLIER_ADJECTIVES and trigger.pos_ in ("NOUN", "PROPN"):
            return True
        if child.dep_ == "advmod" and child.lower_ in BARE_ADVERBS and not any(child.children):
            return True
    return any(word.lower_ in OTHER_OCCASION_WORDS for word in _occasion_modifiers(trigger))


# Occasion words that place an event before the report ("has visited on prior occasions",
# "previously served"), as against habitual ones ("often", "regularly").
EARLIER_WORDS = frozenset({"previously", "prior", "formerly", "once", "previous", "past", "former",
                           "before", "earlier"})


def earlier_occasion(doc: "Doc", event: "Event") -> EventTime | None:
    """The time of an event its own words place on an earlier occasion than the report (`has
    visited Pyongyang on prior occasions`, `previously met`): no date, before the report, in
    those words. None when no such words modify the trigger."""
    span = doc.char_span(event.trigger_start, event.trigger_end, alignment_mode="expand")
    if span is None:
        return None
    for child, words in _modifier_phrases(span.root):
        if any(w.lower_ in EARLIER_WORDS for w in words):
            if child.dep_ == "advmod" and child.lower_ in BARE_ADVERBS and any(child.children):
                continue  # "before the talks": another event's time, not an earlier occasion
            phrase = list(child.subtree)
            start, end = phrase[0].idx, phrase[-1].idx + len(phrase[-1])
            return EventTime(None, None, "text", doc.text[start:end], start, end, "BEFORE")
    return None


def _occasion_modifiers(trigger: "Token") -> list["Token"]:
    """The words of the trigger's own adverbs, adjectives and prepositional phrases (less the
    preposition: "past the border"); not its arguments, whose modifiers describe them ("the
    former minister visited")."""
    return [word for _, words in _modifier_phrases(trigger) for word in words]


def _modifier_phrases(trigger: "Token") -> list[tuple["Token", list["Token"]]]:
    """Each of the trigger's own adverbs, adjectives and prepositional phrases (not `of`),
    with its words, a preposition's own word left out."""
    phrases = []
    for child in trigger.children:
        if child.dep_ in ("advmod", "npadvmod", "amod", "tmod"):
            phrases.append((child, list(child.subtree)))
        elif child.dep_ == "prep" and child.lower_ != "of":
            phrases.append((child, [t for t in child.subtree if t.i != child.i]))
    return phrases


def _compatible(group: CodedEvent, other: CodedEvent) -> bool:
    a, b = group.event, other.event
    if (a.cameo_root, a.mirrored, a.reciprocal) != (b.cameo_root, b.mirrored, b.reciprocal):
        return False
    if _negative(group) != _negative(other):
        return False
    if _keys(a.sources) != _keys(b.sources):
        return False
    if a.targets and b.targets and _keys(a.targets) != _keys(b.targets):
        return False
    return _times_agree(group.time, other.time) and _places_agree(a, b)


def _negative(coded: CodedEvent) -> bool:
    status = coded.factuality.status if coded.factuality is not None else None
    return coded.event.negated or status in NEGATIVE_STATUSES


def _keys(refs: Sequence[ActorRef]) -> frozenset[str]:
    return frozenset(ref.key for ref in refs)


def _times_agree(a: EventTime, b: EventTime) -> bool:
    """Equal, or one less precise than the other ("2024" and "2024-06"), or one only the
    article's date (which says nothing of when the event was)."""
    if a.source != "text" or b.source != "text" or not a.value or not b.value:
        return True
    return a.value.startswith(b.value) or b.value.startswith(a.value)


def _places_agree(a: "Event", b: "Event") -> bool:
    if not a.place or not b.place or a.place.casefold() == b.place.casefold():
        return True
    # "in Pyongyang" and "in North Korea": the city lies in the country the other names
    if a.place_country and a.place_country == b.place_country:
        return _is_country(a) or _is_country(b)
    return False


def _is_country(e: "Event") -> bool:
    from ..geo import match_place

    found = match_place(e.place or "")
    return found is not None and found.kind == "country"


def _most_specific_place(mentions: Sequence[CodedEvent]) -> "Event | None":
    placed = [m.event for m in mentions if m.event.place]
    if not placed:
        return None
    return next((e for e in placed if not _is_country(e)), placed[0])


def _time_rank(time: EventTime) -> int:
    if time.source != "text" or not time.value:
        return 0
    return 1 + PRECISION_RANK.get(time.precision, 0)


def _with_code(event: "Event", coded_by: "Event") -> "Event":
    return replace(event, cameo=coded_by.cameo, cameo_name=coded_by.cameo_name, goldstein=coded_by.goldstein,
                   quad_class=coded_by.quad_class, plover_type=coded_by.plover_type,
                   plover_mode=coded_by.plover_mode, plover_context=coded_by.plover_context)


def _with_mentions(event: CodedEvent, mentions: Sequence[CodedEvent]) -> CodedEvent:
    spans = sorted((mention_of(m) for m in mentions), key=lambda m: (m.trigger_start, m.trigger_end))
    return replace(event, mentions=tuple(spans))
