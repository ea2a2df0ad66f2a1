"""Records as flat rows: the per-article path as one pure, picklable function.

    rows = process_record({"text": "...", "source": "a.jsonl:1", "published": "2025-03-01"}, settings)
    rows["events"]      # [{"article_id": ..., "month": "2025-03", "event_id": ..., "cameo": ...}, ...]

Distributed engines (see `newsgraph.spark`) map `process_record` (or `process_records` over a
partition) across their workers and write each table; `records_from_rows` turns the rows back
into an `Article` and its `ArticleRecords`, so `Store.add_article` stores them exactly as a
local ingest would. Every row carries its article id and its publication month (`YYYY-MM`, or
`unknown`), the partition key of the Parquet output.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import fields
from typing import TYPE_CHECKING, Any

from .errors import IngestError, NewsgraphError
from .extract.attribution import SpanRef
from .extract.claims import Claim, ClaimSource
from .extract.events import ActorRef, Event, Quantity
from .extract.factuality import Factuality
from .extract.timex import Timex
from .settings import Settings
from .store.schema import row_tables
from .extract.mentions import mentions_of
from .types import Actor, Article, ArticleRecords, CodedEvent, EventMention, EventTime, Mention, RawArticle, Role

if TYPE_CHECKING:
    from .store import Store

LOGGER = logging.getLogger(__name__)

Rows = dict[str, list[dict[str, Any]]]

UNKNOWN_MONTH = "unknown"
# The note a local ingest stores on an article it does not extract (kept identical).
NOT_EXTRACTED_NOTE = "language {}: stored, not extracted (newsgraph extracts English)"

# Every table with its columns and types (Spark SQL type names), the row order: derived from
# the store's schema (`newsgraph.store.schema`), so a migration's new column reaches the rows.
TABLES: dict[str, tuple[tuple[str, str], ...]] = row_tables()


def empty_rows() -> Rows:
    return {table: [] for table in TABLES}


def publication_month(published: str | None) -> str:
    """The partition key: `YYYY-MM` of the publication date, `unknown` without a month."""
    if published and len(published) >= 7 and published[:4].isdigit() and published[5:7].isdigit():
        return published[:7]
    return UNKNOWN_MONTH


# -- the per-article path ------------------------------------------------------------------


def process_record(record: dict[str, Any], settings: Settings | None = None) -> Rows:
    """Rows of every table for one article given as a `RawArticle`-shaped dict.

    Runs what a local ingest runs for one new article: identity, language, one parse (the
    model is loaded once per process), `process_doc`. A failure becomes a `failures` row;
    nothing raises for a bad article. Pure apart from the per-process model cache.
    """
    return next(iter(process_records([record], settings)))


def process_records(records: Iterable[dict[str, Any]], settings: Settings | None = None,
                    ) -> Iterator[Rows]:
    """`process_record` over many records, parsing in batches with `nlp.pipe` (a partition)."""
    from .core import EXTRACTED_LANGUAGES

    settings = settings or _default_settings()
    pending: list[Article] = []
    for record in records:
        prepared = _prepared(record, settings)
        if isinstance(prepared, dict):
            yield prepared
        elif prepared.language in EXTRACTED_LANGUAGES:
            pending.append(prepared)
            if len(pending) >= settings.batch_size:
                yield from _extract(pending, settings)
                pending = []
        else:
            yield article_rows(prepared, None, note=NOT_EXTRACTED_NOTE.format(prepared.language or "unknown"))
    yield from _extract(pending, settings)


def _default_settings() -> Settings:
    from .settings import load_settings

    return load_settings()


def _prepared(record: dict[str, Any], settings: Settings) -> Article | Rows:
    from .core import prepare_article

    source = str(record.get("source") or "<record>")
    try:
        values: dict[str, Any] = {f.name: record.get(f.name) for f in fields(RawArticle)} | {"source": source}
        raw = RawArticle(**values)
        return prepare_article(raw, settings)
    except IngestError as e:
        return failure_rows(e.source, e.reason)
    except (TypeError, ValueError, AttributeError) as e:  # a record of the wrong shape
        return failure_rows(source, f"not an article record ({type(e).__name__}: {e})")


def _extract(articles: list[Article], settings: Settings) -> Iterator[Rows]:
    if not articles:
        return
    from .core import process_doc

    nlp, lexicon = _resources(settings)
    docs = nlp.pipe((a.text for a in articles), batch_size=settings.batch_size)
    for doc, article in zip(docs, articles):
        try:
            records = process_doc(doc, article, lexicon=lexicon, events=settings.extract_events)
        except NewsgraphError as e:
            yield failure_rows(article.source, f"extraction failed: {e}")
            continue
        except Exception as e:  # noqa: BLE001 - one bad article must not end the partition
            LOGGER.exception("discarding article %s after an internal error", article.source)
            yield failure_rows(article.source, f"extraction failed with an internal error "
                                               f"({type(e).__name__}: {e})")
            continue
        yield article_rows(article, records)


_RESOURCES: dict[tuple, tuple] = {}


def _resources(settings: Settings) -> tuple:
    """The model and actor lexicon, loaded once per process (per Spark executor worker)."""
    key = (settings.model, tuple(settings.extra_lexicons))
    if key not in _RESOURCES:
        from pathlib import Path

        from . import geo
        from .lexicons import load_actor_lexicon
        from .nlp import load_nlp

        geo_files = [p for p in settings.extra_lexicons if Path(p).name.startswith(("countries", "places"))]
        if geo_files:
            geo.load_extra(geo_files)
        _RESOURCES[key] = (load_nlp(settings.model), load_actor_lexicon(tuple(settings.extra_lexicons)))
    return _RESOURCES[key]


# -- records to rows -------------------------------------------------------------------------


def failure_rows(source: str, reason: str) -> Rows:
    rows = empty_rows()
    rows["failures"].append({"article_id": None, "month": UNKNOWN_MONTH, "source": source, "reason": reason})
    return rows


def article_rows(article: Article, records: ArticleRecords | None, *, note: str | None = None) -> Rows:
    """Flat rows of every table for one article and its records (None: stored, not extracted)."""
    key = {"article_id": article.id, "month": publication_month(article.published)}
    rows = empty_rows()
    rows["articles"].append({
        **key, "source": article.source, "title": article.title, "url": article.url, "outlet": article.outlet,
        "author": article.author, "published": article.published,
        "published_precision": article.published_precision, "language": article.language,
        "original_source": article.original_source, "extracted": records is not None, "note": note,
        "text": article.text})
    if records is None:
        return rows
    rows["sentences"] = [{**key, "position": i, "start": s, "end": e} for i, (s, e) in enumerate(records.sentences)]
    _actor_rows(key, records.actors, rows)
    rows["mentions"] = [{**key, "position": i, "start": m.start, "end": m.end, "text": m.text, "label": m.label,
                         "sentence": m.sentence, "actor_key": m.actor} for i, m in enumerate(records.mentions)]
    event_ids = [f"{article.id}-e{n}" for n in range(1, len(records.events) + 1)]
    for position, (event_id, coded) in enumerate(zip(event_ids, records.events)):
        _event_rows(key, event_id, position, coded, rows)
    for position, claim in enumerate(records.claims):
        _claim_rows(key, f"{article.id}-c{position + 1}", position, claim, event_ids, rows)
    rows["timexes"] = [{**key, "position": i, "start": t.start, "end": t.end, "text": t.text, "type": t.type,
                        "value": t.value, "precision": t.precision, "anchored": t.anchored, "mod": t.mod,
                        "range_start": t.range_start, "range_end": t.range_end}
                       for i, t in enumerate(records.timexes)]
    return rows


def _actor_rows(key: dict[str, Any], actors: list[Actor], rows: Rows) -> None:
    for position, a in enumerate(actors):
        rows["actors"].append({**key, "position": position, "key": a.key, "name": a.name, "kind": a.kind,
                               "country": a.country, "sector": a.sector, "place_kind": a.place_kind,
                               "aliases": sorted(a.aliases)})
        rows["roles"] += [{**key, "actor_key": a.key, "position": i, "title": r.title, "country": r.country,
                           "sector": r.sector, "start": r.start, "end": r.end, "sentence": r.sentence,
                           "began": r.began, "ended": r.ended} for i, r in enumerate(a.roles)]


def _factuality(f: Factuality | None) -> dict[str, Any]:
    if f is None:
        return {"certainty": None, "polarity": None, "tense": None, "status": None, "factuality_cues": None}
    return {"certainty": f.certainty, "polarity": f.polarity, "tense": f.time, "status": f.status,
            "factuality_cues": list(f.cues)}


def _event_rows(key: dict[str, Any], event_id: str, position: int, coded: CodedEvent, rows: Rows) -> None:
    e, t = coded.event, coded.time
    rows["events"].append({
        **key, "event_id": event_id, "position": position, "sentence": e.sentence,
        "sentence_start": e.sentence_start, "sentence_end": e.sentence_end, "trigger": e.trigger,
        "trigger_start": e.trigger_start, "trigger_end": e.trigger_end, "cameo": e.cameo,
        "cameo_root": e.cameo_root, "cameo_name": e.cameo_name, "goldstein": float(e.goldstein),
        "quad_class": e.quad_class, "plover_type": e.plover_type, "plover_mode": e.plover_mode,
        "plover_context": e.plover_context, "reciprocal": e.reciprocal, "place": e.place,
        "place_country": e.place_country, "place_start": e.place_start, "place_end": e.place_end,
        "negated": e.negated, "modality": e.modality, "main": e.main, "mirrored": e.mirrored,
        "event_time_text": e.time_text, "event_time_start": e.time_start, "event_time_end": e.time_end,
        "time_value": t.value, "time_precision": t.precision, "time_source": t.source, "time_text": t.text,
        "time_start": t.start, "time_end": t.end, "time_mod": t.mod, **_factuality(coded.factuality)})
    for role, refs in (("source", e.sources), ("target", e.targets)):
        rows["participants"] += [{**key, "event_id": event_id, "role": role, "position": i, "actor_key": r.key,
                                  "name": r.name, "code": r.code, "country": r.country, "sector": r.sector,
                                  "start": r.start, "end": r.end} for i, r in enumerate(refs)]
    rows["quantities"] += [{**key, "event_id": event_id, "position": i, "value": float(q.value), "unit": q.unit,
                            "approximate": q.approximate, "text": q.text, "start": q.start, "end": q.end}
                           for i, q in enumerate(e.quantities)]
    rows["event_mentions"] += [{**key, "event_id": event_id, "position": i, "sentence": m.sentence,
                                "sentence_start": m.sentence_start, "sentence_end": m.sentence_end,
                                "trigger": m.trigger, "trigger_start": m.trigger_start, "trigger_end": m.trigger_end,
                                "cameo": m.cameo, "main": m.main} for i, m in enumerate(mentions_of(coded))]


def _claim_rows(key: dict[str, Any], claim_id: str, position: int, claim: Claim, event_ids: list[str],
                rows: Rows) -> None:
    s = claim.source
    rows["claims"].append({
        **key, "claim_id": claim_id, "position": position, "kind": claim.kind, "sentence": claim.sentence,
        "cue": claim.cue.text, "cue_lemma": claim.cue_lemma, "cue_start": claim.cue.start,
        "cue_end": claim.cue.end, "has_source": s is not None, "source_name": s.name if s else None,
        "source_named": s.named if s else None, "source_actor_key": s.actor_key if s else None,
        "source_countries": list(s.countries) if s else None, "source_sector": s.sector if s else None,
        "source_start": s.start if s else None, "source_end": s.end if s else None,
        "source_pronoun": s.pronoun if s else None, **_factuality(claim.factuality),
        "event_ids": [event_ids[i] for i in claim.events],
        "cited_source": claim.cited_source.text if claim.cited_source else None,
        "cited_start": claim.cited_source.start if claim.cited_source else None,
        "cited_end": claim.cited_source.end if claim.cited_source else None})
    rows["claim_contents"] += [{**key, "claim_id": claim_id, "position": i, "start": c.start, "end": c.end,
                                "text": c.text} for i, c in enumerate(claim.contents)]


def merge_rows(parts: Iterable[Rows]) -> Rows:
    """The rows of many articles as one set of tables."""
    merged = empty_rows()
    for part in parts:
        for table, rows in part.items():
            merged[table] += rows
    return merged


# -- rows back to records ----------------------------------------------------------------------


def records_from_rows(tables: Rows) -> Iterator[tuple[Article, ArticleRecords | None, str | None]]:
    """(article, records or None, note) for each article in `tables`, in the articles' order.

    The inverse of `article_rows`: `Store.add_article(article, records, note=note)` stores
    them exactly as a local ingest does.
    """
    by_article: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    seen: set[tuple[str, str]] = set()
    for table, rows in tables.items():
        if table in ("articles", "failures"):
            continue
        for row in rows:
            # an input holding the same text twice gives each copy's rows under one article id
            # (at another URL, or in another month): keep one set
            identity = (table, json.dumps({k: v for k, v in row.items() if k != "month"}, sort_keys=True, default=str))
            if identity in seen:
                continue
            seen.add(identity)
            by_article[row["article_id"]][table].append(row)
    for row in tables.get("articles", []):
        children = by_article.pop(row["article_id"], {})
        article = _article(row)
        records = _records(children) if row["extracted"] else None
        yield article, records, row.get("note")


def _article(row: dict[str, Any]) -> Article:
    return Article(id=row["article_id"], text=row["text"], source=row["source"], title=row["title"],
                   url=row["url"], outlet=row["outlet"], author=row["author"], published=row["published"],
                   published_precision=row["published_precision"], language=row["language"],
                   original_source=row["original_source"])


def _ordered(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: r["position"])


def _records(children: dict[str, list[dict[str, Any]]]) -> ArticleRecords:
    roles: dict[str, list[Role]] = defaultdict(list)
    for r in _ordered(children.get("roles", [])):
        roles[r["actor_key"]].append(Role(r["title"], r["country"], r["sector"], r["start"], r["end"],
                                          r["sentence"], r["began"], r["ended"]))
    actors = [Actor(a["key"], a["name"], a["kind"], a["country"], a["sector"], a["place_kind"],
                    set(a["aliases"] or ()), roles.get(a["key"], []))
              for a in _ordered(children.get("actors", []))]
    mentions = [Mention(m["start"], m["end"], m["text"], m["label"], m["sentence"], m["actor_key"])
                for m in _ordered(children.get("mentions", []))]
    events = _events(children)
    position_of = {e["event_id"]: e["position"] for e in children.get("events", [])}
    return ArticleRecords(
        sentences=[(s["start"], s["end"]) for s in _ordered(children.get("sentences", []))],
        actors=actors, mentions=mentions, events=events, claims=_claims(children, position_of),
        timexes=[Timex(t["start"], t["end"], t["text"], t["type"], t["value"], t["precision"], bool(t["anchored"]),
                       t["mod"], t["range_start"], t["range_end"]) for t in _ordered(children.get("timexes", []))])


def _fact(row: dict[str, Any]) -> Factuality | None:
    if row["certainty"] is None:
        return None
    return Factuality(row["certainty"], row["polarity"], row["tense"], row["status"],
                      tuple(row["factuality_cues"] or ()))


def _claim_fact(row: dict[str, Any]) -> Factuality:
    fact = _fact(row)
    if fact is None:  # a claim is always written with its factuality (`_factuality` of its Claim)
        raise ValueError(f"claim row {row.get('claim_id')!r} has no factuality")
    return fact


def _events(children: dict[str, list[dict[str, Any]]]) -> list[CodedEvent]:
    refs: dict[tuple[str, str], list[ActorRef]] = defaultdict(list)
    for p in _ordered(children.get("participants", [])):
        refs[(p["event_id"], p["role"])].append(
            ActorRef(p["actor_key"], p["name"], p["code"], p["country"], p["sector"], p["start"], p["end"]))
    quantities: dict[str, list[Quantity]] = defaultdict(list)
    for q in _ordered(children.get("quantities", [])):
        quantities[q["event_id"]].append(Quantity(q["value"], q["unit"], bool(q["approximate"]), q["text"],
                                                  q["start"], q["end"]))
    mentions: dict[str, list[EventMention]] = defaultdict(list)
    for m in _ordered(children.get("event_mentions", [])):
        mentions[m["event_id"]].append(EventMention(m["sentence"], m["sentence_start"], m["sentence_end"], m["trigger"],
                                                    m["trigger_start"], m["trigger_end"], m["cameo"], bool(m["main"])))
    coded = []
    for r in _ordered(children.get("events", [])):
        eid = r["event_id"]
        event = Event(
            sentence=r["sentence"], trigger=r["trigger"], trigger_start=r["trigger_start"],
            trigger_end=r["trigger_end"], cameo=r["cameo"], cameo_root=r["cameo_root"],
            cameo_name=r["cameo_name"], goldstein=r["goldstein"], quad_class=r["quad_class"],
            plover_type=r["plover_type"], plover_mode=r["plover_mode"],
            sources=tuple(refs[(eid, "source")]), targets=tuple(refs[(eid, "target")]),
            place=r["place"], place_start=r["place_start"], place_end=r["place_end"],
            place_country=r["place_country"], time_text=r["event_time_text"], time_start=r["event_time_start"],
            time_end=r["event_time_end"], quantities=tuple(quantities[eid]), negated=bool(r["negated"]),
            modality=r["modality"], reciprocal=bool(r["reciprocal"]), plover_context=r["plover_context"],
            sentence_start=r["sentence_start"], sentence_end=r["sentence_end"], main=bool(r["main"]),
            mirrored=bool(r["mirrored"]))
        time = EventTime(r["time_value"], r["time_precision"], r["time_source"], r["time_text"], r["time_start"],
                         r["time_end"], r["time_mod"])
        coded.append(CodedEvent(event, time, _fact(r), tuple(mentions[eid])))
    return coded


def _cited(row: dict[str, Any]) -> SpanRef | None:
    if row.get("cited_source") is None:
        return None
    return SpanRef(row["cited_start"], row["cited_end"], row["cited_source"])


def _claims(children: dict[str, list[dict[str, Any]]], position_of: dict[str, int]) -> list[Claim]:
    contents: dict[str, list[SpanRef]] = defaultdict(list)
    for c in _ordered(children.get("claim_contents", [])):
        contents[c["claim_id"]].append(SpanRef(c["start"], c["end"], c["text"]))
    claims = []
    for r in _ordered(children.get("claims", [])):
        source = None
        if r["has_source"]:
            source = ClaimSource(r["source_name"], bool(r["source_named"]), r["source_actor_key"],
                                 tuple(r["source_countries"] or ()), r["source_sector"], r["source_start"],
                                 r["source_end"], bool(r["source_pronoun"]))
        claims.append(Claim(kind=r["kind"], sentence=r["sentence"], cue=SpanRef(r["cue_start"], r["cue_end"], r["cue"]),
                            cue_lemma=r["cue_lemma"], source=source, contents=tuple(contents[r["claim_id"]]),
                            factuality=_claim_fact(r), events=tuple(position_of[e] for e in (r["event_ids"] or ())),
                            cited_source=_cited(r)))
    return claims


# -- rows into the store -----------------------------------------------------------------------


def store_rows(store: "Store", tables: Rows) -> dict[str, int]:
    """Write the articles in `tables` through the store's per-article path.

    Identity, duplicate families, corrected versions, stories and actor resolution work as in
    a local ingest: an article already stored is recorded as a copy (another URL or outlet)
    or counted as a duplicate. Call `store.resolve_pending()` once after the last batch.
    """
    counts = {"stored": 0, "duplicates": 0, "copies": 0, "not_extracted": 0,
              "failures": len(tables.get("failures", []))}
    for article, records, note in records_from_rows(tables):
        if store.stored_id(article) is not None:
            counts["copies"] += int(store.add_copy(article))
            counts["duplicates"] += 1
        elif store.add_article(article, records, note=note):
            counts["stored"] += 1
            counts["not_extracted"] += int(records is None)
        else:
            counts["duplicates"] += 1
    return counts
