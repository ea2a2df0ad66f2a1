"""The public JSON shapes of stored records (events, their mentions, claims), as the CLI,
the API and the web pages give them."""

from __future__ import annotations

from typing import Any


def event_json(row: dict[str, Any], parts: list[dict[str, Any]], quantities: list[dict[str, Any]],
               mentions: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The public JSON shape of an event: codes, actors, place, time, quantities, evidence, and
    every mention of it in its article (`mentions`, text order; the evidence is one of them)."""

    def actor(p: dict[str, Any]) -> dict[str, Any]:
        return {"actor_id": p["actor_id"], "name": p["name"], "code": p["code"], "country": p["country"],
                "sector": p["sector"], "span": [p["start"], p["end"]]}

    return {
        "id": row["id"],
        "article": row["article_id"],
        "cameo": {"code": row["cameo"], "root": row["cameo_root"], "name": row["cameo_name"],
                  "goldstein": row["goldstein"], "quad_class": row["quad_class"]},
        "plover": {"type": row["plover_type"], "mode": row["plover_mode"], "context": row["plover_context"]},
        "source": [actor(p) for p in parts if p["role"] == "source"],
        "target": [actor(p) for p in parts if p["role"] == "target"],
        "reciprocal": bool(row["reciprocal"]),
        "main": bool(row.get("main", 1)),
        "mirrored": bool(row.get("mirrored", 0)),
        "place": None if row["place"] is None else {
            "name": row["place"], "country": row["place_country"], "span": [row["place_start"], row["place_end"]]},
        "time": {"value": row["time_value"], "precision": row["time_precision"], "source": row["time_source"],
                 "text": row["time_text"], "mod": row.get("time_mod"),
                 "span": None if row["time_start"] is None else [row["time_start"], row["time_end"]]},
        "quantities": [{"value": q["value"], "unit": q["unit"], "approximate": bool(q["approximate"]),
                        "text": q["text"], "span": [q["start"], q["end"]]} for q in quantities],
        "factuality": {"negated": bool(row["negated"]), "modality": row["modality"],
                       "certainty": row["certainty"], "polarity": row["polarity"], "time": row["tense"],
                       "status": row["status"]},
        "evidence": {"article": row["article_id"], "sentence": row["sentence"],
                     "sentence_span": [row["sentence_start"], row["sentence_end"]],
                     "trigger": row["trigger"], "trigger_span": [row["trigger_start"], row["trigger_end"]],
                     "url": row.get("article_url"), "published": row.get("article_published")},
        "mentions": [mention_json(m) for m in mentions] if mentions else [mention_json(row)],
    }


def mention_json(m: dict[str, Any]) -> dict[str, Any]:
    return {"sentence": m["sentence"], "sentence_span": [m["sentence_start"], m["sentence_end"]],
            "trigger": m["trigger"], "trigger_span": [m["trigger_start"], m["trigger_end"]],
            "cameo": m["cameo"], "main": bool(m.get("main", 1))}


def claim_json(row: dict[str, Any], contents: list[dict[str, Any]], events: list[str]) -> dict[str, Any]:
    """The public JSON shape of a claim: its source, cue, content spans, status and evidence."""
    text = row.pop("article_text")
    source = None
    if row["source_name"] is not None:
        source = {
            "actor_id": row["source_actor_id"], "name": row["source_name"],
            "text": text[row["source_start"]:row["source_end"]], "named": bool(row["source_named"]),
            "countries": [c for c in (row["source_countries"] or "").split(",") if c],
            "sector": row["source_sector"], "pronoun": bool(row["source_pronoun"]),
            "span": [row["source_start"], row["source_end"]],
        }
    return {
        "id": row["id"], "article": row["article_id"], "kind": row["kind"],
        "source": source,
        "cue": {"text": row["cue"], "lemma": row["cue_lemma"], "span": [row["cue_start"], row["cue_end"]]},
        "cited_source": None if row.get("cited_source") is None else {
            "text": row["cited_source"], "span": [row["cited_start"], row["cited_end"]]},
        "content": [{"text": text[c["start"]:c["end"]], "span": [c["start"], c["end"]]} for c in contents],
        "status": row["status"],
        "factuality": {"certainty": row["certainty"], "polarity": row["polarity"], "time": row["tense"]},
        "events": events,
        "published": row["article_published"], "published_precision": row["article_precision"],
        "evidence": {"article": row["article_id"], "sentence": row["sentence"], "url": row["article_url"]},
    }
