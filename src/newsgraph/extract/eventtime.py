"""When and how surely an event happened, read from its own document: the time expression
that governs it (or its noun phrase's own date) before the article's publication date, and
its factuality from the words around its trigger; plus the stretches of text worth a time
search. Rules over one parsed article, used by `newsgraph.core`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ..types import Article, EventTime
from .events import Event
from .factuality import Factuality, factuality
from .parsed import entities, lowers, sentence_index
from .parsed import sentences as doc_sentences
from .timex import Timex, normalise

if TYPE_CHECKING:
    from spacy.tokens import Doc


def dated_sentences(doc: "Doc") -> list[tuple[int, int]]:
    """The stretches of text worth a time-expression search: around what the parser took for
    a date or a time, a few words either side for `since`, `last`, `ago` (and around `then`,
    which refers back to one). Scanning every rule over the whole text costs more than the
    rest of the extraction together."""
    sents, number = doc_sentences(doc), sentence_index(doc)
    spans = [(e.start, e.end, sents[number[e.start]]) for e in entities(doc) if e.label_ in ("DATE", "TIME")]
    spans += [(i, i + 1, sents[number[i]]) for i, word in enumerate(lowers(doc)) if word == "then"]
    regions: list[tuple[int, int]] = []
    for start, end, sent in sorted(spans, key=lambda s: s[0]):
        lo = doc[max(sent.start, start - TIME_CONTEXT_TOKENS)].idx
        last = doc[min(sent.end, end + TIME_CONTEXT_TOKENS) - 1]
        hi = last.idx + len(last)
        if regions and regions[-1][1] >= lo:
            regions[-1] = (regions[-1][0], max(regions[-1][1], hi))
        else:
            regions.append((lo, hi))
    return regions


# Words either side of a date the time-expression rules may need ("since last", "ago").
TIME_CONTEXT_TOKENS = 4


def event_time(event: Event, article: Article, times: Sequence[Timex] = (), *,
               phrase_time: Timex | None = None, occasion: EventTime | None = None) -> EventTime:
    """The event's time from the expression that governs it, else the article's date, marked so.

    The article's own time expressions come first: they were resolved in context
    (`since then` takes the date named before it). `phrase_time` is the time expression of
    a nominal event's own phrase ("a visit last year"), used when the coder found none.
    `occasion` is the undated time of words that put the event before the report ("on prior
    occasions", `mentions.earlier_occasion`): it stands in for the article's date, which
    would date an earlier visit to the day of the report.
    """
    if not event.time_text and phrase_time is not None and _calendar(phrase_time):
        return EventTime(phrase_time.value, phrase_time.precision, "text", phrase_time.text,
                         phrase_time.start, phrase_time.end, phrase_time.mod)
    if event.time_text:
        found = next((t for t in times if t.start < (event.time_end or 0) and (event.time_start or 0) < t.end),
                     None) or normalise(event.time_text, article.published)
        if found is not None and _calendar(found):
            return EventTime(found.value, found.precision, "text", event.time_text,
                             event.time_start, event.time_end, found.mod)
    if occasion is not None:
        return occasion
    if not article.published:
        return EventTime(None, None, "article")
    precision = article.published_precision if article.published_precision in ("year", "month") else "day"
    return EventTime(article.published[:10], precision, "article")


def _calendar(found: Timex) -> bool:
    # only a calendar value dates an event; PAST_REF ("recently") does not
    return found.type in ("DATE", "TIME") and found.value[:1].isdigit()


def phrase_time(doc: "Doc", event: Event, times: Sequence[Timex]) -> Timex | None:
    """The time expression of a nominal event's own phrase: inside it ("the visit of last
    year") or right after it as its sister ("recalled a visit to Beijing last year", "his
    visit to Pyongyang in July 2023 strengthened ties"), where the parser hangs the date on
    the verb. None for a verbal event (the coder reads its modifiers) or without such a date."""
    span = doc.char_span(event.trigger_start, event.trigger_end, alignment_mode="expand")
    if span is None or span.root.pos_ not in ("NOUN", "PROPN"):
        return None
    noun = span.root
    phrase = list(noun.subtree)
    lo, hi = phrase[0].idx, phrase[-1].idx + len(phrase[-1])
    for found in times:
        if lo <= found.start and found.end <= hi and _attached_to(doc, found, noun):
            return found
        if found.start >= hi and _follows(doc, phrase[-1].i + 1, found, noun):
            return found
    return None


def _attached_to(doc: "Doc", found: Timex, noun) -> bool:
    """A date inside the noun's phrase that hangs from the noun through no verb (not the date
    of a relative clause: "the visit, which was announced on Monday") and no preposition
    other than a time one (not a goal: "her march toward Election Day")."""
    token = _token_at(doc, found.start)
    while token is not None and token.i != noun.i:
        if token.pos_ in ("VERB", "AUX") or (token.dep_ == "prep" and token.lower_ not in PHRASE_TIME_PREPS):
            return False
        token = token.head if token.head.i != token.i else None
    return token is not None


def _follows(doc: "Doc", after: int, found: Timex, noun) -> bool:
    """A date that starts right after the noun's phrase, bare or after a time preposition,
    and hangs from the same head as the noun."""
    if after >= len(doc):
        return False
    first = doc[after]
    if first.idx != found.start:
        if first.lower_ not in PHRASE_TIME_PREPS or after + 1 >= len(doc) or doc[after + 1].idx != found.start:
            return False
        return first.head.i in (noun.head.i, noun.i)
    head = _token_at(doc, found.start)
    while head is not None and found.start <= head.idx < found.end and head.head.i != head.i:
        head = head.head
    return head is not None and head.i in (noun.head.i, noun.i)


# Prepositions that introduce a date after an event noun: "his visit in July 2023".
PHRASE_TIME_PREPS = frozenset({"in", "on", "during", "at"})


def _token_at(doc: "Doc", char: int):
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def event_factuality(doc: "Doc", event: Event) -> Factuality | None:
    span = doc.char_span(event.trigger_start, event.trigger_end, alignment_mode="expand")
    if span is None:
        return None
    return factuality(span.root)


def time_normaliser(published: str | None) -> Callable[[str], str | None]:
    """A function from a time phrase (`until May`) to its TIMEX3 value against `published`."""
    def value(phrase: str) -> str | None:
        found = normalise(phrase, published)
        return found.value if found is not None else None

    return value
