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
from itertools import chain, islice
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TypeVar

from . import geo
from .store import storyline
from .core import EXTRACTED_LANGUAGES, WARM_UP_TEXT, Failed, Outcome, extract_one, failed, prepare_article
from .errors import IngestError, SettingsError
from .identity import text_key_of, with_defaults
from .lexicons import load_actor_lexicon
from .nlp import load_nlp, parse_batches
from .settings import Settings
from .sources import read_sources
from .store import Store
from .types import Article, Failure, RawArticle
from .workers import closing_components, extract_parallel, parse_ahead, store_outcomes

if TYPE_CHECKING:
    from spacy.tokens import Doc

LOGGER = logging.getLogger(__name__)



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


# Articles parsed in one spaCy memory zone: large enough that batches stay full.
ZONE_ARTICLES = 1024



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
        if store.stored_id(article) is not None:
            result.copies += int(store.add_copy(article))
    # people named only by surname in earlier articles may now have a fuller name to join
    store.resolve_pending()
    # the stories this run changed are summarised once each, for listings
    storyline.refresh_summaries(store)


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
        if text_key_of(article.id) in seen:  # the same text, perhaps under another day
            later.append(article)  # its twin is still on its way to the store
            result.duplicates += 1
            if progress:
                progress(1)
            continue
        if store.stored_id(article) is not None:
            # the same text again; at another URL or outlet it is a syndicated copy
            result.copies += int(store.add_copy(article))
            result.duplicates += 1
            if progress:
                progress(1)
            continue
        seen.add(text_key_of(article.id))
        yield article


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


