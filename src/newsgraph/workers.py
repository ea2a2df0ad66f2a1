"""The local engine's worker processes: N processes parse and extract, this process writes;
or one process parses while this one extracts and writes.

    outcomes = extract_parallel(articles, settings=settings.with_overrides(n_process=2))
    store_outcomes(outcomes, store=store, result=result)

    for article, parsed in parse_ahead(articles, settings=settings):  # a Doc as a dict, or Failed
        ...

Each worker process loads the model, the actor lexicon and the extra geo files once (the
pool initializer), takes batches of articles, parses a batch with `nlp.pipe` and runs
`core.process_doc` on each article. It sends back one outcome per article: its
`ArticleRecords`, or a `Failed` with the reason (one bad article never ends its batch).

The calling process stays the only writer of the SQLite store and sees the articles in
input order. At most `window` batches are in flight at any time, so however long the input
is, memory holds at most `window * batch_size` articles and their records; the input
iterator is read only as fast as results come back (unlike `Pool.imap`, whose feeder
thread drains it).

`parse_ahead` is the overlap of the default ingest on two or more cores: one process runs
the spaCy model over the articles (tokenizer to `ner`) and sends each document back as
its arrays and strings; the calling process runs newsgraph's own closing components, extracts and writes
while the next batches are parsed. Extraction and writing cost a fraction of parsing, so
the whole ingest goes at the speed of the parse alone.

Worker processes end with the process that started them (Linux), and leave Ctrl-C to it:
it stops taking results and lets the batch in hand finish.
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import numpy

from . import core
from .core import WARM_UP_TEXT, Failed, Outcome, failed
from .errors import NewsgraphError, WorkerCrashed
from .extract.parsed import forget
from .extract.parsed import text as doc_text
from .nlp import parse_batches, resolve_model_name
from .settings import Settings
from .types import Article, ArticleRecords, Failure

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from .pipeline import IngestResult
    from .store import Store

LOGGER = logging.getLogger(__name__)

# Articles per task sent to a worker: enough for nlp.pipe to batch well, few enough that
# work spreads evenly and little is held in flight.
WORKER_BATCH = 32
# Batches in flight per worker: one being parsed, one queued so the worker never waits.
BATCHES_PER_WORKER = 2
# How worker processes start when the caller does not say: None chooses (see `_context`).
START_METHOD: str | None = None


# -- worker side (top level, so they pickle by reference) -------------------------------------------

_STATE: dict[str, object] = {}


def _init_worker(settings: Settings, log_level: int) -> None:
    """Load the model and lexicons once per worker process (a forked worker has them already).

    An error is kept and raised by the first task, so it reaches the caller as itself
    (a ModelError with its advice) instead of as a broken pool.
    """
    _leave_to_parent()
    logging.getLogger("newsgraph").setLevel(log_level)
    try:
        _load_state(settings)
    except NewsgraphError as e:
        _STATE["error"] = e


def _leave_to_parent() -> None:
    """End this worker when its parent ends, and leave Ctrl-C to the parent.

    A worker waits on a pipe that it holds both ends of itself, so it would wait forever
    after the parent was killed (SIGKILL, out of memory), keeping the model's memory.
    The parent handles Ctrl-C: it stops taking results and shuts the workers down.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # no prctl: nothing more to do
        return
    if os.getppid() != parent:  # the parent ended before the signal was asked for
        os._exit(1)


PR_SET_PDEATHSIG = 1  # from <sys/prctl.h>: the signal a process gets when its parent ends


def _load_state(settings: Settings) -> None:
    key = (settings.model, tuple(settings.extra_lexicons))
    if _STATE.get("key") != key:
        _STATE["resources"] = load_resources(settings)
        _STATE["key"] = key
    _STATE["events"] = settings.extract_events


def load_resources(settings: Settings) -> tuple:
    """The spaCy pipeline and actor lexicon of `settings`, extra geo files loaded."""
    from . import geo
    from .lexicons import load_actor_lexicon
    from .nlp import load_nlp

    geo_files = [p for p in settings.extra_lexicons if Path(p).name.startswith(("countries", "places"))]
    if geo_files:
        geo.load_extra(geo_files)

    nlp = load_nlp(settings.model)
    nlp(WARM_UP_TEXT)  # outside any memory zone: see `extract_batch`
    return nlp, load_actor_lexicon(tuple(settings.extra_lexicons))


def _resources() -> tuple[Any, Any]:
    """This worker's pipeline and actor lexicon (see `_load_state`)."""
    return _STATE["resources"]  # type: ignore[return-value]


def extract_batch(articles: list[Article]) -> list[Outcome]:
    """Parse a batch of articles in this worker and extract each; never raises for one article."""

    if "error" in _STATE:
        raise _STATE["error"]  # type: ignore[misc]
    nlp, lexicon = _resources()
    events = bool(_STATE["events"])
    outcomes: list[Outcome] = []
    # The strings a batch adds to the vocabulary go when it is done (records hold plain
    # values); `load_resources` ran the pipeline once outside any zone, so that tables the
    # components build on first use (the gazetteer's phrase matcher) keep their strings.
    with nlp.memory_zone():
        for doc, article in zip(_parse(nlp, [a.text for a in articles]), articles):
            try:
                if isinstance(doc, Exception):
                    raise doc
                outcomes.append(core.process_doc(doc, article, lexicon=lexicon, events=events))
            except Exception as e:  # noqa: BLE001 - one bad article must not end the batch
                outcomes.append(failed(e))
    return outcomes


def _parse(nlp, texts: list[str]) -> list:
    """The batch's docs from `nlp.pipe`; if that fails, each text alone, so only the
    article at fault fails (its slot holds the exception)."""
    try:
        return [doc for batch in parse_batches(nlp, texts, max_items=len(texts), text=str)
                for doc, _ in nlp.pipe(batch, as_tuples=True, batch_size=len(batch))]
    except Exception:  # noqa: BLE001 - find the article at fault below
        LOGGER.debug("parsing a batch failed; parsing its articles one by one", exc_info=True)
    docs: list = []
    for text in texts:
        try:
            docs.append(nlp(text))
        except Exception as e:  # noqa: BLE001 - recorded as this article's failure
            docs.append(e)
    return docs


# -- the writer's side ----------------------------------------------------------------------------


def extract_parallel(
    articles: Iterable[Article],
    *,
    settings: Settings,
    workers: int | None = None,
    batch_size: int = WORKER_BATCH,
    window: int | None = None,
    start_method: str | None = None,
) -> Iterator[tuple[Article, Outcome]]:
    """Each article with its outcome, in input order, extracted by `workers` processes.

    Args:
        articles: read lazily, at most `window` batches ahead of what was yielded.
        settings: model, lexicons and whether to code events; `n_process` is the default
            number of workers.
        workers: worker processes (each loads the model once).
        batch_size: articles per task.
        window: batches in flight (default `BATCHES_PER_WORKER` per worker).
        start_method: `fork`, `forkserver` or `spawn`; by default fork where it is safe
            (see `_context`).

    Raises:
        ModelError: the model cannot be loaded (checked here before any worker starts).
        WorkerCrashed: a worker process ended abruptly; what was yielded before stays valid.
    """
    workers = max(1, workers or settings.n_process)
    window = max(1, window or BATCHES_PER_WORKER * workers)
    resolve_model_name(settings.model)  # a missing model fails now, with its advice
    context = _context(settings, start_method)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker,
                               initargs=(settings, logging.getLogger("newsgraph").getEffectiveLevel()))
    inflight: deque[tuple[list[Article], Future]] = deque()
    try:
        for batch in _batches(articles, batch_size):
            inflight.append((batch, pool.submit(extract_batch, batch)))
            if len(inflight) >= window:
                yield from _collect(*inflight.popleft())
        while inflight:
            yield from _collect(*inflight.popleft())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _context(settings: Settings, start_method: str | None) -> multiprocessing.context.BaseContext:
    """Fork workers from this process once it holds the warmed-up model, where that is safe.

    Forked workers share the model's pages and start at once. Fork is safe only from a
    single-threaded process (a lock held by another thread stays held in the child) and
    only on Linux (macOS system libraries break after fork); otherwise forkserver (or
    spawn), where each worker loads the model itself.
    """
    start_method = start_method or START_METHOD
    if start_method is None:
        single = threading.active_count() == 1
        start_method = "fork" if sys.platform.startswith("linux") and single else (
            "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn")
    if start_method == "fork":
        _load_state(settings)
        try:
            _warm_up(settings)
        except Exception:  # noqa: BLE001 - only a head start: each worker warms up on its own
            LOGGER.debug("warm-up before forking workers failed", exc_info=True)
    return multiprocessing.get_context(start_method)


def _warm_up(settings: Settings) -> None:
    # The gazetteers and event dictionaries load on first use; do it once, before forking.

    nlp, lexicon = _resources()
    article = Article(id="warm-up", text=WARM_UP_TEXT, source="<warm-up>", published="2020-01-06", language="en")
    core.process_doc(nlp(WARM_UP_TEXT), article, lexicon=lexicon, events=settings.extract_events)


def _batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    iterator = iter(articles)
    while batch := list(islice(iterator, size)):
        yield batch


def _collect(batch: list[Article], future: Future) -> Iterator[tuple[Article, Any]]:
    try:
        outcomes = future.result()
    except NewsgraphError:
        raise  # the worker could not start (the model, a lexicon): nothing can be extracted
    except BrokenProcessPool as e:
        raise WorkerCrashed(
            batch[0].source,
            f"a worker process ended abruptly (killed, or out of memory?) while extracting this "
            f"and the next {len(batch) - 1} article(s); articles stored before them stay stored. "
            "Run the same command again to go on: stored articles are skipped before parsing",
        ) from e
    except Exception as e:  # noqa: BLE001 - e.g. a result that would not pickle: fail this batch only
        outcomes = [failed(e)] * len(batch)
    yield from zip(batch, outcomes)


# -- one parsing process beside the writer ---------------------------------------------------------

# Batches the parsing process may be ahead of the writer: one being parsed, two queued, so
# that it never waits while the writer extracts (or, at the start, loads its lexicons).
PARSE_WINDOW = 3


def parse_ahead(
    articles: Iterable[Article],
    *,
    settings: Settings,
    window: int = PARSE_WINDOW,
    meanwhile: Callable[[], None] | None = None,
    start_method: str | None = None,
) -> Iterator[tuple[Article, dict | Failed]]:
    """Each article with its parsed document, in input order, parsed in one other process.

    The document comes as `doc_message` from the pipeline up to its closing components
    (see `closing_components`), which the caller runs on `Doc(vocab).from_dict`; an
    article the parser failed on comes as `Failed`. `meanwhile()` is called once the first
    batches are on their way, so the caller's own preparation overlaps their parsing.

    Raises:
        ModelError: the model cannot be loaded.
        WorkerCrashed: the parsing process ended abruptly; what was yielded before stays valid.
    """
    resolve_model_name(settings.model)  # a missing model fails now, with its advice
    context = _context_for_parsing(start_method)
    pool = ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_init_parser,
                               initargs=(settings, logging.getLogger("newsgraph").getEffectiveLevel()))
    inflight: deque[tuple[list[Article], Future]] = deque()
    batches = _batches(articles, settings.batch_size)
    try:
        for batch in islice(batches, window):
            inflight.append((batch, _submit_parse(pool, batch)))
        if meanwhile:
            meanwhile()
        while inflight:
            batch, future = inflight.popleft()
            done = list(_collect(batch, future))  # before the next is sent: it may be a crash
            following = next(batches, None)
            if following is not None:
                inflight.append((following, _submit_parse(pool, following)))
            yield from done
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _submit_parse(pool: ProcessPoolExecutor, batch: list[Article]) -> Future:
    """Send a batch to the parsing process. If a batch still in flight has already crashed it,
    the pool refuses: the refusal waits in this batch's place, so that the crashed batch, met
    first in input order, reports the crash (`WorkerCrashed`) and what came before is kept."""
    try:
        return pool.submit(parse_batch, [a.text for a in batch])
    except BrokenProcessPool as e:
        refused: Future = Future()
        refused.set_exception(e)
        return refused


def _context_for_parsing(start_method: str | None) -> multiprocessing.context.BaseContext:
    """Fork the parser from this process, which holds the loaded model, where that is safe
    (see `_context`); elsewhere it loads the model itself."""
    start_method = start_method or START_METHOD
    if start_method is None:
        single = threading.active_count() == 1
        start_method = "fork" if sys.platform.startswith("linux") and single else (
            "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn")
    return multiprocessing.get_context(start_method)


def _init_parser(settings: Settings, log_level: int) -> None:
    """Get the parsing process's pipeline ready (a forked parser has the model already)."""
    from .nlp import load_nlp

    _leave_to_parent()
    logging.getLogger("newsgraph").setLevel(log_level)
    try:
        nlp = load_nlp(settings.model)
    except NewsgraphError as e:
        _STATE["error"] = e
        return
    _STATE["parser"] = nlp
    with nlp.select_pipes(disable=[name for name, _ in closing_components(nlp)]):
        nlp(WARM_UP_TEXT)  # outside any memory zone: tables built on first use keep their strings


def parse_batch(texts: list[str]) -> list[dict | Failed]:
    """Parse a batch in the parsing process: each document as `doc_message`, or why it failed."""
    if "error" in _STATE:
        raise _STATE["error"]  # type: ignore[misc]
    nlp = _STATE["parser"]
    parsed: list[dict | Failed] = []
    closing = [name for name, _ in closing_components(nlp)]
    with nlp.select_pipes(disable=closing), nlp.memory_zone():  # type: ignore[attr-defined]
        for doc in _parse(nlp, texts):
            try:
                if isinstance(doc, Exception):
                    raise doc
                parsed.append(doc_message(doc))
            except Exception as e:  # noqa: BLE001 - one bad article must not end the batch
                parsed.append(failed(e))
    return parsed


def doc_message(doc: "Doc") -> dict:
    """`doc.to_dict()` without the tensor, for `Doc(vocab).from_dict` in another process.

    `Doc.to_dict` reads eight strings from every token to learn which strings the arrays
    refer to; the distinct values of the arrays' string columns say the same for a fraction
    of the cost (it was a twentieth of what parsing costs, on wire copy). A document with
    something else to carry (user data, span groups, categories) goes through `to_dict`.
    """
    from spacy.attrs import DEP, ENT_ID, ENT_KB_ID, ENT_TYPE, LEMMA, MORPH, NORM, TAG
    from spacy.tokens import Doc

    text = doc_text(doc)
    forget(doc)  # what newsgraph cached on the document is rebuilt where it is read
    if doc.user_data or doc.spans or doc.cats or doc.has_unknown_spaces:
        return doc.to_dict(exclude=["tensor"])
    attrs: list[int | str] = list(Doc._get_array_attrs())
    body = doc.to_array(attrs)
    strings = doc.vocab.strings
    # the attributes whose values are hashes of strings, of those `Doc.to_dict` writes
    named = {TAG, LEMMA, ENT_TYPE, ENT_ID, NORM, ENT_KB_ID, MORPH, DEP}
    columns = [i for i, attr in enumerate(attrs) if attr in named]
    try:
        found = [strings[int(key)] for key in numpy.unique(body[:, columns]) if key]
    except KeyError:  # a value that is not a string's hash: let spaCy gather them
        return doc.to_dict(exclude=["tensor"])
    return {"text": text, "array_head": tuple(attrs), "array_body": body, "strings": found,
            "has_unknown_spaces": False}


def closing_components(nlp) -> list[tuple[str, Callable]]:
    """newsgraph's own components at the end of the pipeline (after the model's last one):
    rules over the finished parse, which `parse_ahead`'s caller runs itself, overlapping
    the parse of the next batches. They are the same in either place: each reads only
    the document (the headline re-reading also runs the model's components, on one short
    line of it)."""
    pipes = list(nlp.pipeline)
    closing: list[tuple[str, Callable]] = []
    while pipes and pipes[-1][0].startswith(OWN_COMPONENTS):
        closing.insert(0, pipes.pop())
    return closing


OWN_COMPONENTS = "newsgraph_"


def store_outcomes(
    outcomes: Iterable[tuple[Article, Outcome]],
    *,
    store: "Store",
    result: "IngestResult",
    progress: Callable[[int], None] | None = None,
) -> None:
    """Write each extracted article (one transaction each), count failures, as `ingest` does."""
    for article, outcome in outcomes:
        if not isinstance(outcome, Failed):
            try:
                if store.add_article(article, outcome):
                    result.stored.append(article.id)
                else:
                    result.duplicates += 1
            except Exception as e:  # noqa: BLE001 - one bad article must not end the batch
                outcome = failed(e)
        if isinstance(outcome, Failed):
            _discard(article, outcome, result)
        if progress:
            progress(1)


def _discard(article: Article, outcome: Failed, result: "IngestResult") -> None:
    if outcome.trace:
        LOGGER.error("discarding article %s after an internal error\n%s", article.source, outcome.trace)
    else:
        LOGGER.warning("discarding article %s (%s)", article.source, outcome.reason)
    result.failures.append(Failure(article.source, outcome.reason))


# -- progress --------------------------------------------------------------------------------------

# Inputs larger than this are not counted for the ETA (a pass over them would delay the start).
COUNT_LIMIT_BYTES = 256 * 2**20
# Inputs whose articles can be counted without parsing them (a line, or a file, each).
_LINE_FORMATS = {"jsonl"}
_FILE_FORMATS = {"text", "html"}


def estimate_articles(paths: Iterable[str]) -> int | None:
    """How many articles `paths` hold, counted cheaply, for a progress bar's ETA.

    A JSON Lines file counts its lines (read, and decompressed when gzipped, but not
    parsed); a text or HTML file counts one. None when any input cannot be counted without
    parsing it (WARC, RSS/Atom, a JSON document, standard input), or when the inputs are
    over `COUNT_LIMIT_BYTES`: counting would delay the start by a pass over all of them.
    """
    total = 0
    inputs: list[Path] = []
    for arg in paths:
        if arg == "-":
            return None
        path = Path(arg)
        inputs += sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p, path)) if path.is_dir() else [path]
    try:
        if sum(file.stat().st_size for file in inputs) > COUNT_LIMIT_BYTES:
            return None
    except OSError:
        return None  # the reader will report it; the bar just has no total
    for file in inputs:
        count = _count_file(file)
        if count is None:
            return None
        total += count
    return total


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _count_file(path: Path) -> int | None:
    from .sources import format_from_name as _format_from_name

    name = path.name.lower()
    fmt, inner = _format_from_name(name)
    compressed = fmt == "gzip"
    if compressed:
        fmt, _ = _format_from_name(inner)
    if fmt in _FILE_FORMATS:
        return 1
    if fmt not in _LINE_FORMATS or name.endswith((".json", ".json.gz")):
        return None
    return _count_lines(path, compressed=compressed)


def _count_lines(path: Path, *, compressed: bool) -> int | None:
    import gzip

    opener = gzip.open if compressed else open
    lines = 0
    last = b"\n"
    try:
        with opener(path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                lines += chunk.count(b"\n")
                last = chunk[-1:]
    except (OSError, EOFError):
        return None  # the reader will report it; the bar just has no total
    return lines + (last != b"\n")
