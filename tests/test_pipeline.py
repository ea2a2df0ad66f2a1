"""The ingest pipeline's boundary: a failing article is recorded, the batch goes on."""

import pytest

from newsgraph import core
from newsgraph.extract import eventtime
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
    real = core.process_doc

    def flaky(doc, article, **kw):
        if "Ruto" in article.text:
            raise ValueError("boom")
        return real(doc, article, **kw)

    monkeypatch.setattr(core, "process_doc", flaky)
    store = Store(tmp_path / "s.db")
    result = pipeline.ingest([str(source)], store=store, settings=load_settings())
    assert len(result.stored) == 1 and store.count("articles") == 1
    (failure,) = result.failures
    assert failure.source.endswith("two.jsonl:1") and "ValueError: boom" in failure.reason


@pytest.mark.model
def test_pipeline_the_same_text_on_later_days_is_one_article_with_copies(tmp_path):
    # ids begin with the publication day: the text, not the id, says a story is already in
    text = "Chilean officials met Peruvian diplomats in Lima on Tuesday to discuss trade."
    first = tmp_path / "first.jsonl"
    first.write_text(f'{{"text": "{text}", "url": "u1", "published": "2025-03-21"}}\n'
                     f'{{"text": "{text}", "url": "u2", "published": "2025-03-22"}}\n')
    again = tmp_path / "again.jsonl"
    again.write_text(f'{{"text": "{text}", "url": "u3", "published": "2025-04-01"}}\n')
    store = Store(tmp_path / "s.db")
    one = pipeline.ingest([str(first)], store=store, settings=load_settings())
    two = pipeline.ingest([str(again)], store=store, settings=load_settings())
    assert (len(one.stored), one.duplicates, one.copies) == (1, 1, 1)
    assert (len(two.stored), two.duplicates, two.copies) == (0, 1, 1)
    assert one.stored[0].startswith("20250321-") and store.count("articles") == 1
    copies = store.conn.execute("SELECT article_id, url FROM article_copies ORDER BY url").fetchall()
    assert [tuple(c) for c in copies] == [(one.stored[0], "u2"), (one.stored[0], "u3")]


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


def test_parse_batches_are_bounded_in_articles_and_tokens():
    import spacy

    from newsgraph.nlp import parse_batches
    from newsgraph.types import Article

    nlp = spacy.blank("en")
    words = [3, 3, 3, 3, 25, 1, 1, 1]  # an article over the token limit is a batch of its own
    articles = [Article(id=str(i), text=" ".join(["word"] * n), source="s") for i, n in enumerate(words)]
    batches = list(parse_batches(nlp, articles, max_items=2, max_tokens=10))
    assert [[a.id for _, a in b] for b in batches] == [["0", "1"], ["2", "3"], ["4"], ["5", "6"], ["7"]]
    assert [len(doc) for b in batches for doc, _ in b] == words  # tokenized once, in order




@pytest.mark.model
def test_a_processed_doc_is_freed_without_the_cycle_collector(nlp):
    # a parsed document holds megabytes of arrays: if extraction left a reference cycle on it,
    # a long ingest would keep hundreds of them until Python's cycle collector happened to run
    import gc
    import weakref

    from newsgraph.types import Article

    text = "Kenyan President William Ruto met Ethiopian officials in Addis Ababa on Friday, his office said."
    doc = nlp(text)
    records = core.process_doc(doc, Article(id="a", text=text, source="s", published="2024-05-03"))
    assert records.events and records.mentions  # the extractors ran
    freed = weakref.ref(doc)
    gc.disable()
    try:
        del doc
        assert freed() is None
    finally:
        gc.enable()


@pytest.mark.model
@pytest.mark.parametrize("text, value, source", [
    # a nominal event's own date, which the parser hangs on the verb after it
    ("Chile's foreign minister recalled a visit to Peru last year.", "2024", "text"),
    ("The Chilean foreign minister's visit to Peru in July 2023 eased tensions.", "2023-07", "text"),
    # a day whose year is named relative to the article's
    ("Chile's foreign minister visited Peru on September 13 last year.", "2024-09-13", "text"),
    ("The Chilean foreign minister's 2023 visit to Peru eased tensions.", "2023", "text"),
    # the date of a relative clause is not the visit's
    ("The Chilean foreign minister's visit to Peru, which was announced last year, begins soon.",
     "2025-10-01", "article"),
    ("Chile's foreign minister visited Peru.", "2025-10-01", "article"),
])
def test_pipeline_an_event_takes_its_own_time_before_the_article_date(nlp, text, value, source):
    from newsgraph.core import process_doc
    from newsgraph.types import Article

    article = Article(id="t", text=text, source="test", published="2025-10-01", published_precision="day")
    records = process_doc(nlp(text), article)
    visits = [c for c in records.events if c.event.cameo == "042"]
    assert visits and {(c.time.value, c.time.source) for c in visits} == {(value, source)}


@pytest.mark.parametrize("words, heads, deps, pos, date, dated", [
    # "her visit in July": a time preposition inside the noun's phrase
    (["her", "visit", "in", "July"], [1, 1, 1, 2], ["poss", "ROOT", "prep", "pobj"],
     ["PRON", "NOUN", "ADP", "PROPN"], "July", True),
    # "her march toward Christmas": a goal, not the event's time
    (["her", "march", "toward", "Christmas"], [1, 1, 1, 2], ["poss", "ROOT", "prep", "pobj"],
     ["PRON", "NOUN", "ADP", "PROPN"], "Christmas", False),
    # "the visit that ended in July": the relative clause's date
    (["the", "visit", "that", "ended", "in", "July"], [1, 1, 3, 1, 3, 4],
     ["det", "ROOT", "nsubj", "relcl", "prep", "pobj"], ["DET", "NOUN", "PRON", "VERB", "ADP", "PROPN"],
     "July", False),
])
def test_pipeline_phrase_time_is_the_nouns_own_date(words, heads, deps, pos, date, dated):
    import spacy
    from spacy.tokens import Doc

    from newsgraph.extract.timex import Timex

    doc = Doc(spacy.blank("en").vocab, words=words, heads=heads, deps=deps, pos=pos)
    trigger = doc[1]
    at = doc.text.index(date)
    found = Timex(at, at + len(date), date, "DATE", "2025-07", "month", True)
    event = type("Trigger", (), {"trigger_start": trigger.idx, "trigger_end": trigger.idx + len(trigger)})()
    assert (eventtime.phrase_time(doc, event, [found]) is found) is dated
