"""One article's core: prepare a raw article, extract one parsed document into records, and
the one leniency boundary that turns a failure into a named reason.

    article = prepare_article(raw, settings)        # IngestError: too short, too long
    outcome = extract_one(doc, article, lexicon=lexicon, events=True)   # records or Failed

Every engine is a shell over these: `pipeline.ingest` in one process (with or without a
parsing process beside it), the worker pool (`workers`), Spark rows (`rows`) and
`newsgraph eval events`. `process_doc` is pure: it returns records and never writes.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from .errors import IngestError, NewsgraphError
from .extract.actors import extract_actors
from .extract.attribution import attributions
from .extract.claims import build_claims
from .extract.events import DictionaryResolver, Event, EventCoder
from .extract.eventtime import dated_sentences, event_factuality, event_time, phrase_time, time_normaliser
from .extract.mentions import another_occasion, earlier_occasion, group_mentions
from .extract.parsed import forget
from .extract.parsed import sentences as doc_sentences
from .extract.parsed import text as doc_text
from .extract.references import ArticleResolver
from .extract.timex import timexes
from .identity import make_article
from .language import detect_language
from .settings import Settings
from .types import Article, ArticleRecords, CodedEvent, EventTime, RawArticle

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from .extract.timex import Timex

# Languages the extractors handle; other articles are stored and listed, not extracted.
EXTRACTED_LANGUAGES = frozenset({"en"})
# A sentence every engine parses once before its first article: the tables spaCy's components
# build on first use join the vocabulary for good, outside any memory zone.
WARM_UP_TEXT = "The French president said on Monday that he met the prime minister of Japan in Paris."


@dataclass(frozen=True, slots=True)
class Failed:
    """What an engine gives for an article it could not extract: why, and the traceback of an internal error."""

    reason: str
    trace: str | None = None  # the traceback of an internal error, logged by the writer


Outcome = ArticleRecords | Failed


def failed(error: Exception) -> Failed:
    """The outcome of an article whose extraction or storing raised `error`.

    Every engine gives these reasons, in one process or many.
    """
    if isinstance(error, NewsgraphError):
        return Failed(f"extraction failed: {error}")
    return Failed(
        f"extraction failed with an internal error ({type(error).__name__}: {error}); "
        "nothing of this article was stored; please report it with the article",
        trace="".join(traceback.format_exception(error)),
    )


def prepare_article(raw: RawArticle, settings: Settings) -> Article:
    article = make_article(raw, language=None)
    if len(article.text) < settings.min_article_chars:
        raise IngestError(raw.source, f"article text too short ({len(article.text)} characters after cleaning)")
    if len(article.text) > settings.max_article_chars:
        raise IngestError(
            raw.source,
            f"article text has {len(article.text):,} characters, over the limit of "
            f"{settings.max_article_chars:,} (ingest.max_article_chars in settings)",
        )
    return replace(article, language=detect_language(article.text))


def extract_one(doc: "Doc", article: Article, *, lexicon, events: bool) -> Outcome:
    """The records of one parsed article, or why it failed (never raises): the one place
    where an article's failure to extract is turned into a reason, as in every engine."""
    try:
        return process_doc(doc, article, lexicon=lexicon, events=events)
    except Exception as e:  # noqa: BLE001 - one bad article must not end the batch
        return failed(e)


def process_doc(doc: "Doc", article: Article, *, lexicon=None, events: bool = True) -> ArticleRecords:
    """Everything newsgraph extracts from one parsed article; pure, writes nothing."""
    try:
        return _extract(doc, article, lexicon, events)
    finally:
        forget(doc)


def _extract(doc: "Doc", article: Article, lexicon, events: bool) -> ArticleRecords:
    sentences = [(s.start_char, s.end_char) for s in doc_sentences(doc)]
    found = extract_actors(doc, lexicon=lexicon, normalise_time=time_normaliser(article.published))
    if not events:
        return ArticleRecords(sentences=sentences, actors=found.actors, mentions=found.mentions)
    times = list(timexes(doc_text(doc), article.published, regions=dated_sentences(doc)))
    resolver = ArticleResolver(doc, found, fallback=_fallback_resolver())
    coded = [_coded(doc, event, article, times) for event in map(without_self_targets, _coder().events(doc, resolver))
             if event is not None]
    claims, coded = build_claims(doc, list(attributions(doc)), coded, resolver)
    # one event per real-world event: its repeated mentions (headline, lead, "his visit") join
    grouped = group_mentions(coded, separate=[another_occasion(doc, c.event) for c in coded])
    claims = [replace(c, events=tuple(sorted({grouped.index[i] for i in c.events}))) for c in claims]
    return ArticleRecords(sentences=sentences, actors=found.actors, mentions=found.mentions,
                          events=grouped.events, claims=claims, timexes=times)


def _coded(doc: "Doc", event: Event, article: Article, times: "list[Timex]") -> CodedEvent:
    """An event with its time and factuality; an undated future act ("Shoigu will meet Kim")
    is not dated to the day of the report that announces it. Only a verb's own future counts:
    an event noun inside a future clause ("to support Russia in its ongoing war") names
    something that is there already."""
    judged = event_factuality(doc, event)
    time = event_time(event, article, times, phrase_time=phrase_time(doc, event, times),
                      occasion=earlier_occasion(doc, event))
    if time.source == "article" and judged is not None and judged.time == "future" and _verbal(doc, event):
        time = EventTime(None, None, "article", mod="AFTER")
    return CodedEvent(event, time, judged)


def _verbal(doc: "Doc", event: Event) -> bool:
    span = doc.char_span(event.trigger_start, event.trigger_end, alignment_mode="expand")
    return span is not None and span.root.pos_ in ("VERB", "AUX")


@lru_cache(maxsize=1)
def _coder() -> EventCoder:
    return EventCoder()


@lru_cache(maxsize=1)
def _fallback_resolver() -> DictionaryResolver:
    return DictionaryResolver()


def without_self_targets(event: Event) -> Event | None:
    """No actor acts on itself: drop targets that are also sources; drop the event if none is left
    of a dyad that had only self-targets. Each actor appears once per side."""
    event = replace(event, sources=_unique_refs(event.sources), targets=_unique_refs(event.targets))
    sources = {ref.key for ref in event.sources}
    targets = tuple(ref for ref in event.targets if ref.key not in sources)
    if len(targets) == len(event.targets):
        return event
    if not targets and len(event.sources) < 2:
        return None
    return replace(event, targets=targets, reciprocal=event.reciprocal or not targets)


def _unique_refs(refs):
    seen: set[str] = set()
    kept = []
    for ref in refs:
        if ref.key not in seen:
            seen.add(ref.key)
            kept.append(ref)
    return tuple(kept)
