"""The local engine's worker processes: same store as one process, bounded, failures kept apart."""

from __future__ import annotations

import gzip
import json
import os
import signal
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsgraph import core
from newsgraph.cli import cli
from newsgraph.errors import ModelError
from newsgraph.pipeline import IngestResult, ingest
from newsgraph.settings import load_settings
from newsgraph import workers
from newsgraph.store import Store
from newsgraph.types import Article
from newsgraph.workers import WorkerCrashed, estimate_articles, extract_parallel, store_outcomes

from conftest import REPO
from test_rows import content

CORPUS = REPO / "samples" / "corpus"

# Short articles of our own; each names actors and an event or a claim.
STORIES = [
    "Germany and France signed a trade agreement in Berlin on Monday, officials said.",
    "The Japanese prime minister met the president of South Korea in Seoul on Tuesday.",
    "Police arrested three protesters outside the parliament in Nairobi, witnesses said.",
    "Brazil accused Argentina of violating the border treaty, the foreign ministry said.",
    "The United Nations envoy visited Khartoum and called for a ceasefire on Friday.",
    "India and Pakistan agreed to resume talks next month, a spokesman said on Sunday.",
    "The European Union imposed sanctions on Russian banks, diplomats said on Wednesday.",
    "Canada's foreign minister criticised China over the detention of two journalists.",
]
POISON = "POISON"


def _settings(workers: int):
    return load_settings().with_overrides(n_process=workers)


def _articles(texts: list[str]) -> list[Article]:
    return [Article(id=f"a{i}", text=t, source=f"story-{i}", published="2024-05-06", language="en")
            for i, t in enumerate(texts)]


def _jsonl(folder: Path, texts: list[str]) -> Path:
    path = folder / "stories.jsonl"
    path.write_text("".join(json.dumps({"text": t, "published": "2024-05-06", "url": f"https://example.org/{i}"})
                            + "\n" for i, t in enumerate(texts)), "utf-8")
    return path


@pytest.fixture(scope="module")
def both(nlp):
    """The sample corpus ingested with one worker and with two."""
    stores = {}
    for workers in (1, 2):
        store = Store(memory=True)
        result = ingest([str(CORPUS)], store=store, settings=_settings(workers))
        again = ingest([str(CORPUS)], store=store, settings=_settings(workers))
        stores[workers] = (store, result, again)
    return stores


@pytest.mark.model
def test_workers_two_give_the_same_store_as_one(both):
    (one, r1, _), (two, r2, _) = both[1], both[2]
    assert content(one) == content(two)
    assert content(one)["events"] and content(one)["claims"]
    assert (r2.stored, r2.duplicates, r2.not_extracted, r2.failures) == \
        (r1.stored, r1.duplicates, r1.not_extracted, r1.failures)


@pytest.mark.model
def test_workers_skip_stored_articles_on_a_second_run(both):
    _, first, again = both[2]
    assert again.stored == [] and again.duplicates == len(first.stored)


@pytest.mark.model
def test_workers_record_a_failing_article_and_store_the_rest(both, monkeypatch, tmp_path):
    real = core.process_doc

    def flaky(doc, article, **kwargs):
        if POISON in article.text:
            raise ValueError("boom")
        return real(doc, article, **kwargs)

    monkeypatch.setattr(core, "process_doc", flaky)  # forked workers inherit the patch
    monkeypatch.setattr(workers, "START_METHOD", "fork")  # even where other tests left threads
    texts = STORIES[:4] + [f"{POISON}: the minister resigned on Monday."] + STORIES[4:]
    store = Store(memory=True)
    result = ingest([str(_jsonl(tmp_path, texts))], store=store, settings=_settings(2))
    assert len(result.stored) == len(STORIES) == store.count("articles")
    [failure] = result.failures
    assert failure.source.endswith(":5")
    assert "internal error (ValueError: boom)" in failure.reason


@pytest.mark.model
def test_workers_read_at_most_a_window_of_batches_ahead(both):
    consumed = 0

    def feed():
        nonlocal consumed
        for article in _articles(STORIES * 3):
            consumed += 1
            yield article

    ahead = []
    for done, _ in enumerate(extract_parallel(feed(), settings=_settings(2), batch_size=2, window=2), 1):
        ahead.append(consumed - done)
    assert max(ahead) <= 2 * 2
    assert done == len(STORIES) * 3


@pytest.mark.model
def test_workers_crash_raises_and_keeps_what_was_stored(both, monkeypatch):
    parent, real = os.getpid(), core.process_doc

    def killed(doc, article, **kwargs):
        if POISON in article.text and os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(doc, article, **kwargs)

    monkeypatch.setattr(core, "process_doc", killed)
    texts = STORIES[:4] + [f"{POISON}: the minister resigned on Monday."] + STORIES[4:]
    store, result = Store(memory=True), IngestResult()
    outcomes = extract_parallel(_articles(texts), settings=_settings(2), batch_size=2, window=1,
                                start_method="fork")
    with pytest.raises(WorkerCrashed, match="worker process ended abruptly") as crash:
        store_outcomes(outcomes, store=store, result=result)
    assert crash.value.source == "story-4"
    assert store.count("articles") == len(result.stored) == 4  # the batches before the crash


def test_workers_missing_model_fails_before_any_worker_starts():
    settings = load_settings().with_overrides(model="no_such_model_pkg", n_process=2)
    with pytest.raises(ModelError, match="no_such_model_pkg"):
        list(extract_parallel(_articles(STORIES[:1]), settings=settings))


@pytest.mark.model
def test_workers_forkserver_workers_load_the_model_themselves(both):
    settings = _settings(2)
    # batches of 2: what a worker builds on first use must serve its later batches too
    forked = list(extract_parallel(_articles(STORIES), settings=settings, batch_size=2, start_method="fork"))
    served = list(extract_parallel(_articles(STORIES), settings=settings, batch_size=2,
                                   start_method="forkserver"))
    assert not [r for _, r in served if isinstance(r, workers.Failed)]
    assert [(a.id, r.events) for a, r in served] == [(a.id, r.events) for a, r in forked]


@pytest.mark.model
def test_cli_ingest_workers_shows_rate_and_eta_on_stderr_only(both, tmp_path):
    path = _jsonl(tmp_path, STORIES[:3])
    result = CliRunner().invoke(cli, ["ingest", str(path), "--db", str(tmp_path / "n.db"), "--workers", "2",
                                      "--progress", "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert len(json.loads(result.stdout)["stored"]) == 3
    assert "3/3 articles" in result.stderr
    assert "articles/s" in result.stderr or "s/article" in result.stderr  # fast or slow, in words
    assert "s/ articles" not in result.stderr


@pytest.mark.parametrize("files, expected", [
    ({"a.jsonl": "{}\n{}\n{}\n"}, 3),
    ({"a.jsonl": "{}\n{}"}, 2),  # no newline after the last line
    ({"a.jsonl.gz": "{}\n{}\n", "b.txt": "x", "c.html": "<p>x</p>", ".hidden.txt": "x"}, 4),
    ({"a.jsonl": "{}\n", "feed.rss": "<rss/>"}, None),  # a feed's entries are not counted
    ({"crawl.warc.gz": ""}, None),
])
def test_workers_estimate_articles_for_the_eta(tmp_path, files, expected):
    for name, text in files.items():
        data = text.encode()
        (tmp_path / name).write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    assert estimate_articles([str(tmp_path)]) == expected


def test_workers_estimate_articles_of_stdin_is_unknown():
    assert estimate_articles(["-"]) is None


class _FussyNlp:
    """A stand-in pipeline whose batch parse fails, and which cannot parse one text."""

    def pipe(self, texts):
        raise RuntimeError("batch failed")

    def __call__(self, text):
        if POISON in text:
            raise RuntimeError("cannot parse")
        return text

    def memory_zone(self):
        from contextlib import nullcontext

        return nullcontext()


def test_workers_batch_parse_failure_fails_only_the_article_at_fault(monkeypatch):
    from newsgraph.types import ArticleRecords

    monkeypatch.setattr(workers, "_STATE", {"resources": (_FussyNlp(), None), "events": True})
    monkeypatch.setattr(core, "process_doc", lambda doc, article, **kw: ArticleRecords(sentences=[(0, 1)]))
    outcomes = workers.extract_batch(_articles([STORIES[0], POISON, STORIES[1]]))
    assert [type(o).__name__ for o in outcomes] == ["ArticleRecords", "Failed", "ArticleRecords"]
    assert "internal error (RuntimeError: cannot parse)" in outcomes[1].reason


def test_workers_inputs_too_large_to_count_cheaply_have_no_eta(tmp_path, monkeypatch):
    import newsgraph.workers as workers

    (tmp_path / "a.jsonl").write_text('{"text": "x"}\n' * 50)
    assert estimate_articles([str(tmp_path)]) == 50
    monkeypatch.setattr(workers, "COUNT_LIMIT_BYTES", 100)
    assert estimate_articles([str(tmp_path)]) is None


def test_a_parser_found_crashed_when_sending_a_batch_is_reported_as_a_crash():
    # the parsing process may die of a batch still in flight before the next is sent: the pool
    # then refuses the next one, and the crash must still reach the user as WorkerCrashed, not
    # as the pool's own exception
    from concurrent.futures.process import BrokenProcessPool

    class BrokenPool:
        def submit(self, *args, **kwargs):
            raise BrokenProcessPool("a child process terminated abruptly")

    batch = [Article(id="a1", text="Text.", source="story-1.txt", language="en")]
    refused = workers._submit_parse(BrokenPool(), batch)
    with pytest.raises(WorkerCrashed, match="ended abruptly") as crash:
        list(workers._collect(batch, refused))
    assert "story-1.txt" in str(crash.value)
