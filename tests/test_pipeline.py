"""The ingest pipeline's boundary: a failing article is recorded, the batch goes on."""

import pytest

from newsgraph import pipeline
from newsgraph.settings import load_settings
from newsgraph.store import Store


@pytest.mark.model
def test_pipeline_internal_error_in_one_article_does_not_stop_the_batch(tmp_path, monkeypatch):
    source = tmp_path / "two.jsonl"
    source.write_text(
        '{"text": "Kenyan President William Ruto visited Addis Ababa on Friday for talks.", "url": "u1"}\n'
        '{"text": "Chilean officials met Peruvian diplomats in Lima on Tuesday to discuss trade.", "url": "u2"}\n'
    )
    real = pipeline.process_doc

    def flaky(doc, article, **kw):
        if "Ruto" in article.text:
            raise ValueError("boom")
        return real(doc, article, **kw)

    monkeypatch.setattr(pipeline, "process_doc", flaky)
    store = Store(tmp_path / "s.db")
    result = pipeline.ingest([str(source)], store=store, settings=load_settings())
    assert len(result.stored) == 1 and store.count("articles") == 1
    (failure,) = result.failures
    assert failure.source.endswith("two.jsonl:1") and "ValueError: boom" in failure.reason


@pytest.mark.model
def test_pipeline_memory_zones_give_the_same_store(tmp_path, monkeypatch):
    # each chunk of articles is parsed in its own spaCy memory zone, whose new strings go when
    # it ends: a zone per article must store exactly what one zone for the whole corpus does
    from test_rows import CORPUS, content

    whole = Store(tmp_path / "whole.db")
    pipeline.ingest([str(CORPUS)], store=whole, settings=load_settings())
    monkeypatch.setattr(pipeline, "ZONE_ARTICLES", 1)
    zoned = Store(tmp_path / "zoned.db")
    pipeline.ingest([str(CORPUS)], store=zoned, settings=load_settings())
    assert content(zoned) == content(whole)
    for table in ("events", "mentions", "claims", "timexes", "roles", "actors"):
        assert zoned.count(table) == whole.count(table), table


def test_pipeline_parse_batches_are_bounded_in_articles_and_characters(monkeypatch):
    from newsgraph.types import Article

    monkeypatch.setattr(pipeline, "BATCH_CHARACTERS", 100)
    articles = [Article(id=str(i), text="x" * n, source="s") for i, n in enumerate([30, 30, 30, 30, 250, 10, 10, 10])]
    batches = [[a.id for a in b] for b in pipeline._parse_batches(articles, 2)]
    assert batches == [["0", "1"], ["2", "3"], ["4"], ["5", "6"], ["7"]]
