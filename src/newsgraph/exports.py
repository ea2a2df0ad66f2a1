"""Event exports: GDELT 2.0 event table, CSV, JSON Lines and Parquet.

GDELT users get the 61 columns of the GDELT 2.0 Events table in its order, tab-separated,
one row per dyad (a compound actor gives one row per source–target pair, as GDELT does).
Columns newsgraph fills, and the ones it leaves blank on purpose, are listed in
`GDELT_BLANK_COLUMNS` with the reason. `NumMentions` is how many times the event's article
mentions it (one event per real-world event in an article; see `extract.mentions`); the
flat formats carry that count and the mentions' trigger spans.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any, TextIO

from .errors import NewsgraphError

GDELT_COLUMNS = [
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code", "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code", "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code", "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code", "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
]

GDELT_BLANK_COLUMNS = {
    "Actor*KnownGroupCode, EthnicCode, Religion*Code, Type2Code, Type3Code":
        "newsgraph codes one sector per actor (Type1Code) and no group, ethnic or religion codes",
    "AvgTone": "newsgraph does not score tone",
    "Actor1Geo_*, Actor2Geo_*": "newsgraph places the event (ActionGeo), not each actor",
    "*Geo_CountryCode, *Geo_ADM1Code, *Geo_ADM2Code, *Geo_FeatureID":
        "GDELT uses FIPS 10-4 and GNS identifiers; newsgraph keeps ISO 3166 alpha-3 in its own exports",
    "*Geo_Lat, *Geo_Long": "no coordinates are stored",
}

FORMATS = ("gdelt", "csv", "jsonl", "parquet")


def export_events(events: Iterable[dict[str, Any]], fmt: str, out: TextIO | None = None,
                  *, path: str | None = None) -> int:
    """Write events (the store's JSON shape) in `fmt`; returns the number of rows written.

    Parquet needs a file `path`; the text formats write to `out`.
    """
    if fmt == "parquet":
        if not path:
            raise NewsgraphError("parquet export needs an output file: use --output FILE.parquet")
        return _write_parquet(flat_rows(events), path)
    if fmt not in FORMATS:
        raise NewsgraphError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if out is None:
        raise NewsgraphError(f"{fmt} export writes text: give it a stream to write to (out)")
    if fmt == "jsonl":
        return _write_jsonl(events, out)
    if fmt == "csv":
        return _write_csv(flat_rows(events), out, delimiter=",", header=True)
    return _write_csv(gdelt_rows(events), out, delimiter="\t", header=False)


def _write_jsonl(events: Iterable[dict[str, Any]], out: TextIO) -> int:
    count = 0
    for event in events:
        out.write(json.dumps(event, ensure_ascii=False) + "\n")
        count += 1
    return count


def _write_csv(rows: Iterable[dict[str, Any]], out: TextIO, *, delimiter: str, header: bool) -> int:
    writer = None
    count = 0
    for row in rows:
        if writer is None:
            writer = csv.DictWriter(out, fieldnames=list(row), delimiter=delimiter,
                                    lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
            if header:
                writer.writeheader()
        writer.writerow({k: _cell(v) for k, v in row.items()})
        count += 1
    return count


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        # a tab or newline inside a field would break GDELT's line-per-event format
        return " ".join(value.split())
    return value


def flat_rows(events: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """One flat row per event: codes, actors joined with `;`, place, time, evidence."""
    for e in events:
        yield {
            "id": e["id"], "article": e["article"],
            "cameo": e["cameo"]["code"], "cameo_root": e["cameo"]["root"], "cameo_name": e["cameo"]["name"],
            "goldstein": e["cameo"]["goldstein"], "quad_class": e["cameo"]["quad_class"],
            "plover_type": e["plover"]["type"], "plover_mode": e["plover"]["mode"],
            "source": ";".join(a["name"] for a in e["source"]),
            "source_code": ";".join(a["code"] or "" for a in e["source"]),
            "target": ";".join(a["name"] for a in e["target"]),
            "target_code": ";".join(a["code"] or "" for a in e["target"]),
            "reciprocal": e["reciprocal"],
            "place": e["place"]["name"] if e["place"] else None,
            "place_country": e["place"]["country"] if e["place"] else None,
            "time": e["time"]["value"], "time_precision": e["time"]["precision"],
            "time_source": e["time"]["source"],
            "quantities": ";".join(f"{q['value']:g} {q['unit']}{' (approx.)' if q['approximate'] else ''}"
                                   for q in e["quantities"]),
            "negated": e["factuality"]["negated"], "modality": e["factuality"]["modality"],
            "status": e["factuality"]["status"],
            "trigger": e["evidence"]["trigger"],
            "trigger_start": e["evidence"]["trigger_span"][0], "trigger_end": e["evidence"]["trigger_span"][1],
            "sentence": e["evidence"]["sentence"],
            "url": e["evidence"]["url"],
            "mentions": _mention_count(e),
            "mention_spans": ";".join(f"{m['trigger_span'][0]}-{m['trigger_span'][1]}" for m in e.get("mentions") or ()),
        }


def _mention_count(e: dict[str, Any]) -> int:
    """How many times the event's article mentions it (at least its evidence)."""
    return len(e.get("mentions") or ()) or 1


def gdelt_rows(events: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Rows of the GDELT 2.0 Events table, one per dyad."""
    number = 0
    for e in events:
        for actor1, actor2 in _dyads(e):
            number += 1
            row = dict.fromkeys(GDELT_COLUMNS)
            day = _day(e["time"]["value"]) or _day(e["evidence"]["published"])
            if day:
                row.update(SQLDATE=day.strftime("%Y%m%d"), MonthYear=day.strftime("%Y%m"), Year=day.year,
                           FractionDate=round(day.year + (day.timetuple().tm_yday - 1) / 365, 4))
            row.update(_gdelt_actor("Actor1", actor1))
            row.update(_gdelt_actor("Actor2", actor2))
            code = e["cameo"]["code"]
            row.update(
                GLOBALEVENTID=number, IsRootEvent=int(e["evidence"]["sentence"] == 0),
                EventCode=code, EventBaseCode=code[:3], EventRootCode=e["cameo"]["root"],
                QuadClass=e["cameo"]["quad_class"], GoldsteinScale=e["cameo"]["goldstein"],
                NumMentions=_mention_count(e), NumSources=1, NumArticles=1,
                SOURCEURL=e["evidence"]["url"] or f"newsgraph:{e['article']}",
            )
            if e["place"]:
                row.update(ActionGeo_Type=4 if e["place"]["name"] else 1,
                           ActionGeo_FullName=e["place"]["name"])
            yield row


def _dyads(e: dict[str, Any]) -> list[tuple[dict[str, Any] | None, dict[str, Any] | None]]:
    sources, targets = e["source"] or [None], e["target"] or [None]
    if e["reciprocal"] and len(e["source"]) > 1:
        return [(a, b) for a in e["source"] for b in e["source"] if a is not b]
    return [(s, t) for s in sources for t in targets]


def _gdelt_actor(prefix: str, actor: dict[str, Any] | None) -> dict[str, Any]:
    if actor is None:
        return {}
    return {f"{prefix}Code": actor["code"], f"{prefix}Name": (actor["name"] or "").upper(),
            f"{prefix}CountryCode": actor["country"], f"{prefix}Type1Code": actor["sector"]}


def _day(value: str | None) -> date | None:
    if not value or not value[:4].isdigit():
        return None
    parts = value[:10].split("-")
    try:
        return date(int(parts[0]), int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 1,
                    int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else 1)
    except ValueError:
        return None


_PARQUET_TYPES = {
    "goldstein": "float64", "quad_class": "int64", "reciprocal": "bool", "negated": "bool",
    "trigger_start": "int64", "trigger_end": "int64", "sentence": "int64", "mentions": "int64",
}
_PARQUET_BATCH = 10_000


def _write_parquet(rows: Iterable[dict[str, Any]], path: str) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as e:
        raise NewsgraphError("parquet export needs pyarrow: pip install 'newsgraph[parquet]'") from e
    names = list(next(flat_rows([_EMPTY_EVENT])))
    schema = pa.schema([(n, pa.type_for_alias(_PARQUET_TYPES.get(n, "string"))) for n in names])
    count = 0
    with pq.ParquetWriter(path, schema) as writer:
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) == _PARQUET_BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                count += len(batch)
                batch = []
        if batch:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            count += len(batch)
    return count


_EMPTY_EVENT = {
    "id": "", "article": "", "cameo": {"code": "", "root": "", "name": "", "goldstein": 0.0, "quad_class": 0},
    "plover": {"type": None, "mode": None}, "source": [], "target": [], "reciprocal": False, "place": None,
    "time": {"value": None, "precision": None, "source": None}, "quantities": [],
    "factuality": {"negated": False, "modality": None, "status": None},
    "evidence": {"trigger": "", "trigger_span": [0, 0], "sentence": 0, "url": None}, "mentions": [],
}


def to_text(events: Iterable[dict[str, Any]], fmt: str) -> str:
    """An export as a string (text formats only); handy in tests and the HTTP API."""
    buffer = io.StringIO()
    export_events(events, fmt, buffer)
    return buffer.getvalue()


# GraphRAG's claim (covariate) table columns, in its order.
GRAPHRAG_CLAIM_COLUMNS = [
    "id", "human_readable_id", "covariate_type", "type", "description", "subject_id", "object_id",
    "status", "start_date", "end_date", "source_text", "text_unit_id", "document_ids",
]
# Our plain statuses mapped to GraphRAG's TRUE / FALSE / SUSPECTED.
GRAPHRAG_STATUS = {"asserted": "TRUE", "negated": "FALSE", "denied": "FALSE"}


def export_claims(claims: Iterable[dict[str, Any]], fmt: str, out: TextIO, *,
                  events: Iterable[dict[str, Any]] = ()) -> int:
    """Write claims as JSON Lines or CSV (our shape), or GraphRAG claim rows.

    GraphRAG's claims are statements about a subject and an object; every newsgraph event is
    one, so `graphrag` writes a row per event, with the claim that carries it (if any) in the
    description and the event's factuality as the status.
    """
    if fmt == "jsonl":
        return _write_jsonl(claims, out)
    if fmt == "csv":
        return _write_csv(_flat_claims(claims), out, delimiter=",", header=True)
    if fmt == "graphrag":
        return _write_csv(graphrag_claims(claims, events), out, delimiter=",", header=True)
    raise NewsgraphError(f"unknown claims format {fmt!r}; choose graphrag, jsonl or csv")


def _flat_claims(claims: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for c in claims:
        source = c["source"] or {}
        yield {
            "id": c["id"], "article": c["article"], "kind": c["kind"],
            "source": source.get("name"), "source_named": source.get("named"),
            "source_countries": ";".join(source.get("countries") or []), "source_sector": source.get("sector"),
            "cue": c["cue"]["text"], "content": " … ".join(p["text"] for p in c["content"]),
            "cited_source": (c.get("cited_source") or {}).get("text"),
            "status": c["status"], "certainty": c["factuality"]["certainty"],
            "polarity": c["factuality"]["polarity"], "time": c["factuality"]["time"],
            "events": ";".join(c["events"]), "published": c["published"],
        }


def graphrag_claims(claims: Iterable[dict[str, Any]], events: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    carrier: dict[str, dict[str, Any]] = {}
    for c in claims:
        for event_id in c["events"]:
            carrier.setdefault(event_id, c)
    for number, e in enumerate(events):
        claim = carrier.get(e["id"])
        status = e["factuality"]["status"] or "asserted"
        subject = "; ".join(a["name"] for a in e["source"]) or "UNKNOWN"
        target = "; ".join(a["name"] for a in e["target"]) or "NONE"
        said = ""
        if claim is not None:
            who = claim["source"]["name"] if claim["source"] else "unnamed sources"
            said = f" According to {who} ({claim['cue']['text']}; {claim['status']})."
        time = e["time"]
        yield {
            "id": e["id"], "human_readable_id": number, "covariate_type": "claim",
            "type": (e["plover"]["type"] or e["cameo"]["name"] or "").upper(),
            "description": f"{subject} → {target}: {e['cameo']['name']} (CAMEO {e['cameo']['code']}, "
                           f"{status}).{said}",
            "subject_id": subject.upper(), "object_id": target.upper(),
            "status": GRAPHRAG_STATUS.get(status, "SUSPECTED"),
            "start_date": time["value"] if time["source"] == "text" else None,
            "end_date": time["value"] if time["source"] == "text" and not time.get("mod") else None,
            "source_text": e["evidence"]["trigger"] if not claim else " … ".join(p["text"] for p in claim["content"]),
            "text_unit_id": f"{e['article']}:s{e['evidence']['sentence']}",
            "document_ids": e["article"],
        }
