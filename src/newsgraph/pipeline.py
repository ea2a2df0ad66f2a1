"""The ingest pipeline: sources → articles → one parse each → records → store.

    result = ingest(["news/"], store=Store("newsgraph.db"), settings=load_settings())

`process_doc` is the per-article function every engine (in process, with a parsing
process beside it, with worker processes, and the distributed runner) applies to a parsed
document; it returns records and never writes. `extract_one` wraps it with the failure
policy: an article that fails becomes a `Failed` with its reason, and the batch goes on.
"""

from __future__ import annotations

import ctypes
import logging
import os
from functools import lru_cache
from itertools import chain, islice
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TypeVar

from . import geo
from .errors import IngestError, SettingsError
from .extract.actors import extract_actors
from .extract.events import DictionaryResolver, Event, EventCoder
from .extract.factuality import Factuality, factuality
from .extract.mentions import another_occasion, group_mentions
from .extract.references import ArticleResolver
from .extract.parsed import entities, forget, lowers, sentence_index
from .extract.parsed import sentences as doc_sentences
from .extract.parsed import text as doc_text
from .extract.attribution import attributions
from .extract.claims import build_claims
from .extract.timex import Timex, normalise, timexes
from .identity import make_article, with_defaults
from .language import detect_language
from .lexicons import load_actor_lexicon
from .nlp import load_nlp, parse_batches
from .settings import Settings
from .sources import read_sources
from .store import Store
from .types import Article, ArticleRecords, CodedEvent, EventTime, Failure, RawArticle
from .workers import Failed, Outcome, closing_components, extract_parallel, failed, parse_ahead, store_outcomes

if TYPE_CHECKING:
    from spacy.tokens import Doc

LOGGER = logging.getLogger(__name__)

# Languages the extractors handle; other articles are stored and listed, not extracted.
EXTRACTED_LANGUAGES = frozenset({"en"})


@dataclass(slots=True)
class IngestResult:
    """What one ingest run did."""

    stored: list[str] = field(default_factory=list)  # ids of new articles
    duplicates: int = 0
    copies: int = 0  # of the duplicates, those seen at another URL or outlet (syndicated copies)
    not_extracted: int = 0  # stored, but in a language we do not extract yet
    failures: list[Failure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


Progress = Callable[[int], None]
T = TypeVar("T")


def ingest(
    paths: Iterable[str],
    *,
    store: Store,
    settings: Settings,
    published: str | None = None,
    outlet: str | None = None,
    url: str | None = None,
    stdin: BinaryIO | None = None,
    progress: Progress | None = None,
    ready: Callable[[], None] | None = None,
) -> IngestResult:
    """Read every input, extract what each new English article says, store it.

    One transaction per article: a crash never leaves half an article, and a bad input
    is recorded in `result.failures` while the batch goes on. `progress(n)` is called as
    articles are settled; `ready()` once parsing starts (the model is loaded; with other
    processes parsing, when the first extracted article comes back), so a progress bar can
    start its clock there rather than count the seconds the model takes to load.

    This process is the only one that writes, whichever engine runs (`choose_engine`):
    on two cores or more another process parses while this one extracts and writes.
    """
    result = IngestResult()
    raws = read_sources(paths, settings=settings, stdin=stdin)
    later: list[Article] = []
    articles = _new_articles(raws, store, settings, result, published, outlet, url, progress, later)
    english = _Arrivals(articles)
    # a look ahead of one batch and one article: whether there is more than one batch to parse
    head = list(islice(english, settings.batch_size + 1))
    outcomes: Iterable[tuple[Article, Outcome]] = ()
    if head:
        stream = chain(head, english)
        engine = choose_engine(settings, articles=len(head))
        LOGGER.info("ingest engine: %s (see pipeline.choose_engine)", engine)
        if engine == "workers":
            # worker processes parse and extract; this process stays the single writer
            outcomes = _calling_first(ready, extract_parallel(stream, settings=settings))
        elif engine == "overlap":
            outcomes = _calling_first(ready, _extract_overlapped(stream, settings))
        else:
            outcomes = _extract_here(stream, settings, ready)
    store_outcomes(_storing_waiting(outcomes, english, store, result, progress), store=store, result=result,
                   progress=progress)
    _finish(store, result, later)
    return result


def choose_engine(settings: Settings, *, articles: int | None = None, cores: int | None = None) -> str:
    """How an ingest runs: `serial` (one process parses, extracts and writes), `overlap` (one
    process parses while this one extracts and writes) or `workers` (`n_process` processes
    parse and extract, this one writes).

    `n_process` 0 (the default) chooses: the overlap with two cores or more and more than one
    batch of articles (`articles`, when known) to parse, else serial; 1 is serial.
    """
    if settings.n_process < 0:
        raise SettingsError(f"nlp.n_process must be 0 (choose), 1 (one process) or more, not {settings.n_process}")
    if settings.n_process > 1:
        return "workers"
    if settings.n_process == 1:
        return "serial"
    one_batch = articles is not None and articles <= settings.batch_size
    return "overlap" if (cores or usable_cores()) >= 2 and not one_batch else "serial"


def usable_cores() -> int:
    """The CPU cores this process may run on (its affinity, where the system tells)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _resources(settings: Settings):
    """The pipeline and the actor lexicon, extra geo files loaded."""
    geo_files = [p for p in settings.extra_lexicons if Path(p).name.startswith(("countries", "places"))]
    if geo_files:
        geo.load_extra(geo_files)
    return load_nlp(settings.model), load_actor_lexicon(tuple(settings.extra_lexicons))


def _extract_here(stream: Iterator[Article], settings: Settings,
                  ready: Callable[[], None] | None) -> Iterator[tuple[Article, Outcome]]:
    """Each article with its outcome, parsed and extracted in this process."""
    nlp, lexicon = _resources(settings)
    nlp(WARM_UP_TEXT)  # tables the components build on first use join the vocabulary for good
    if ready:
        ready()
    for chunk in _chunks(stream, ZONE_ARTICLES):
        # the strings each chunk adds to the vocabulary go when it is done, so a long ingest
        # does not grow the vocabulary with every new word and number; records hold plain values
        with nlp.memory_zone():
            for batch in parse_batches(nlp, chunk, max_items=settings.batch_size):
                for doc, article in nlp.pipe(batch, as_tuples=True, batch_size=len(batch)):
                    yield article, extract_one(doc, article, lexicon=lexicon, events=settings.extract_events)
        _release_free_memory()


def _extract_overlapped(stream: Iterator[Article], settings: Settings) -> Iterator[tuple[Article, Outcome]]:
    """Each article with its outcome: parsed in another process (`parse_ahead`) while this
    one runs the closing components and extracts the batches parsed before."""
    from spacy.tokens import Doc

    nlp = load_nlp(settings.model)  # before the parser is forked, which then shares it
    resources: list = []

    def warm_up() -> None:  # while the first batches are parsed
        resources.extend(_resources(settings))
        nlp(WARM_UP_TEXT)

    closing = [component for _, component in closing_components(nlp)]
    parsed = parse_ahead(stream, settings=settings, meanwhile=warm_up)
    # the parser is forked and the warm-up runs at the first item, outside any memory zone
    first = next(parsed)
    for article, message in _in_zones(nlp, chain([first], parsed), ZONE_ARTICLES):
        if isinstance(message, Failed):
            yield article, message
            continue
        try:
            doc = Doc(nlp.vocab).from_dict(message)
            for component in closing:
                doc = component(doc)
        except Exception as e:  # noqa: BLE001 - one bad article must not end the batch
            yield article, failed(e)
            continue
        yield article, extract_one(doc, article, lexicon=resources[1], events=settings.extract_events)


def _in_zones(nlp, items: Iterable[T], size: int) -> Iterator[T]:
    """`items`, each handed on inside a spaCy memory zone that ends after `size` of them: the
    strings their documents add to the vocabulary go with it (see `_extract_here`)."""
    iterator = iter(items)
    while True:
        with nlp.memory_zone():
            handed = 0
            for item in iterator:
                yield item
                handed += 1
                if handed == size:
                    break
            else:
                return
        _release_free_memory()


def extract_one(doc: "Doc", article: Article, *, lexicon, events: bool) -> Outcome:
    """The records of one parsed article, or why it failed (never raises): the one place
    where an article's failure to extract is turned into a reason, as in every engine."""
    try:
        return process_doc(doc, article, lexicon=lexicon, events=events)
    except Exception as e:  # noqa: BLE001 - one bad article must not end the batch
        return failed(e)


# Articles parsed in one spaCy memory zone: large enough that batches stay full.
ZONE_ARTICLES = 1024
WARM_UP_TEXT = "The French president said on Monday that he met the prime minister of Japan in Paris."


def _chunks(articles: Iterator[Article], size: int) -> Iterator[list[Article]]:
    while chunk := list(islice(articles, size)):
        yield chunk


def _release_free_memory() -> None:
    """Give the C heap's free pages back to the system (glibc only): without it, the space a
    batch of long articles needed stays with the process for good."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


def _finish(store: Store, result: IngestResult, later: list[Article]) -> None:
    for article in later:  # copies of articles stored in this same run
        if store.has_article(article.id):
            result.copies += int(store.add_copy(article))
    # people named only by surname in earlier articles may now have a fuller name to join
    store.resolve_pending()


def _calling_first(call: Callable[[], None] | None, items: Iterable[T]) -> Iterator[T]:
    """`items`, with `call()` made just before the first one is handed on."""
    for n, item in enumerate(items):
        if n == 0 and call:
            call()
        yield item


def _new_articles(
    raws: Iterable[RawArticle | Failure],
    store: Store,
    settings: Settings,
    result: IngestResult,
    published: str | None,
    outlet: str | None,
    url: str | None,
    progress: Progress | None,
    later: list[Article],
) -> Iterator[Article]:
    """Articles not yet in the store; failures and duplicates are counted, not raised."""
    seen: set[str] = set()
    for raw in raws:
        if isinstance(raw, Failure):
            LOGGER.warning("skipping %s", raw)
            result.failures.append(raw)
            continue
        try:
            article = prepare_article(with_defaults(raw, published=published, outlet=outlet, url=url), settings)
        except IngestError as e:
            result.failures.append(Failure(e.source, e.reason))
            continue
        if article.id in seen:
            later.append(article)  # its twin is still on its way to the store
            result.duplicates += 1
            if progress:
                progress(1)
            continue
        if store.has_article(article.id):
            # the same text again; at another URL or outlet it is a syndicated copy
            result.copies += int(store.add_copy(article))
            result.duplicates += 1
            if progress:
                progress(1)
            continue
        seen.add(article.id)
        yield article


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


class _Arrivals:
    """The articles to extract, read as the engine asks for them; the others (not in
    English) wait, each with the number of articles to extract read before it, until
    `_store_waiting` stores them."""

    def __init__(self, articles: Iterable[Article]) -> None:
        self._articles = iter(articles)
        self._read: deque[Article] = deque()  # to extract, read but not yet handed on
        self.passed = 0  # articles to extract read so far
        self.waiting: deque[tuple[int, Article]] = deque()

    def __iter__(self) -> "_Arrivals":
        return self

    def __next__(self) -> Article:
        if not self._read and not self._read_one():
            raise StopIteration
        return self._read.popleft()

    def read_through(self, count: int | None) -> None:
        """Read on until `count` articles to extract are read (None: to the end)."""
        while (count is None or self.passed < count) and self._read_one():
            pass

    def _read_one(self) -> bool:
        for article in self._articles:
            if article.language in EXTRACTED_LANGUAGES:
                self.passed += 1
                self._read.append(article)
                return True
            self.waiting.append((self.passed, article))
        return False


def _storing_waiting(outcomes: Iterable[tuple[Article, Outcome]], arrivals: _Arrivals, store: Store,
                     result: IngestResult, progress: Progress | None) -> Iterator[tuple[Article, Outcome]]:
    """`outcomes`, with the articles not extracted stored between them (see `_store_waiting`)."""
    written = 0
    for item in outcomes:
        _store_waiting(arrivals, store, result, progress, written=written)
        yield item
        written += 1
    _store_waiting(arrivals, store, result, progress, written=None)


def _store_waiting(arrivals: _Arrivals, store: Store, result: IngestResult, progress: Progress | None,
                   *, written: int | None) -> None:
    """Store the articles not extracted whose turn has come, `written` extracted ones after
    the start (None: at the end).

    Their turn is the start of the chunk of `ZONE_ARTICLES` articles to extract that they
    were read with: where the serial engine, which reads a chunk ahead, stores them. Other
    engines read ahead as far as they need, and the store sees the same order of arrival
    (which decides, for one, which earlier version a corrected article follows).
    """
    if written is None or written % ZONE_ARTICLES == 0:
        arrivals.read_through(None if written is None else written + ZONE_ARTICLES)
    waiting = arrivals.waiting
    while waiting and (written is None or waiting[0][0] - waiting[0][0] % ZONE_ARTICLES <= written):
        article = waiting.popleft()[1]
        note = f"language {article.language or 'unknown'}: stored, not extracted (newsgraph extracts English)"
        if store.add_article(article, None, note=note):
            result.stored.append(article.id)
            result.not_extracted += 1
        if progress:
            progress(1)


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
    times = list(timexes(doc_text(doc), article.published, regions=_dated_sentences(doc)))
    resolver = ArticleResolver(doc, found, fallback=_fallback_resolver())
    coded = [
        CodedEvent(event, event_time(event, article, times, phrase_time=phrase_time(doc, event, times)),
                   _event_factuality(doc, event))
        for event in map(without_self_targets, _coder().events(doc, resolver))
        if event is not None
    ]
    claims, coded = build_claims(doc, list(attributions(doc)), coded, resolver)
    # one event per real-world event: its repeated mentions (headline, lead, "his visit") join
    grouped = group_mentions(coded, separate=[another_occasion(doc, c.event) for c in coded])
    claims = [replace(c, events=tuple(sorted({grouped.index[i] for i in c.events}))) for c in claims]
    return ArticleRecords(sentences=sentences, actors=found.actors, mentions=found.mentions,
                          events=grouped.events, claims=claims, timexes=times)


def _dated_sentences(doc: "Doc") -> list[tuple[int, int]]:
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


def event_time(event: Event, article: Article, times: Sequence[Timex] = (), *,
               phrase_time: Timex | None = None) -> EventTime:
    """The event's time from the expression that governs it, else the article's date, marked so.

    The article's own time expressions come first: they were resolved in context
    (`since then` takes the date named before it). `phrase_time` is the time expression of
    a nominal event's own phrase ("a visit last year"), used when the coder found none.
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


def _event_factuality(doc: "Doc", event: Event) -> Factuality | None:
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
