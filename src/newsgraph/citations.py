"""The citing parts of every digest: key facts told as sentences that cite their mentions and
claims, extracted sentences that cite their span, generated sentences that cite their records'
evidence, and the list of original sources. The article, actor and story digests share them,
so a fact reads and cites the same way in each.
"""

from __future__ import annotations

from typing import Any

from .facts import event_sentence, unconfirming_party

MAX_FACTS = 12


def key_facts(events: list[dict[str, Any]], claims: list[dict[str, Any]], *,
           texts: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """One sentence per distinct event (its best-sourced mention), with status and source;
    `texts` (article id → text) lets a sentence name who had not confirmed an event."""
    carried: dict[str, dict[str, Any]] = {}
    for claim in claims:
        for event_id in claim["events"]:
            # an event mentioned under several claims is told with its best-sourced one
            if event_id not in carried or _sourcing(claim) > _sourcing(carried[event_id]):
                carried[event_id] = claim
    chosen: dict[tuple, dict[str, Any]] = {}
    for event in events:
        if event.get("mirrored") or (not event["source"] and not event["target"]):
            continue  # the host's side of a visit repeats the visit
        identity = (event["cameo"]["root"], tuple(sorted(a["name"] for a in event["source"])),
                    tuple(sorted(a["name"] for a in event["target"])))
        best = chosen.get(identity)
        if best is None or _weight(event, carried.get(event["id"])) > _weight(best, carried.get(best["id"])):
            chosen[identity] = event  # the best-documented mention of the same act
    ranked = sorted(chosen.values(), key=lambda e: -_weight(e, carried.get(e["id"])))[:MAX_FACTS]
    ranked.sort(key=lambda e: (e["article"], e["evidence"]["trigger_span"][0]))
    return [fact(e, carried.get(e["id"]), (texts or {}).get(e["article"])) for e in ranked]


def _sourcing(claim: dict[str, Any]) -> int:
    """2 for a named source, 1 for an unnamed one, 0 for none."""
    source = claim["source"]
    return 0 if source is None else 1 + bool(source.get("named"))


def _weight(event: dict[str, Any], claim: dict[str, Any] | None) -> float:
    """What makes a fact worth a line: a named source, numbers, a date, a material act,
    both parties known, and being the sentence's main event."""
    weight = 0.0
    if claim is not None:
        weight += 2 if claim["source"] else 1
    dated = event["time"]["source"] == "text" and bool(event["time"]["value"])  # not "on prior occasions"
    weight += 2 * bool(event["quantities"]) + 2 * dated
    weight += (event["cameo"]["quad_class"] or 0) in (2, 4)
    weight += bool(event["target"]) or event["reciprocal"]
    weight += event.get("main", True)
    weight += len(event["time"]["value"] or "") / 100 if event["time"]["source"] == "text" else 0
    return weight


def fact(event: dict[str, Any], claim: dict[str, Any] | None, text: str | None) -> dict[str, Any]:
    """The event told as a sentence (facts.event_sentence) that cites its mentions and claim."""
    status = "negated" if event["factuality"]["negated"] else event["factuality"]["status"] or "asserted"
    source = claim["source"] if claim is not None else None
    unconfirmed_by = None
    if status == "unconfirmed" and text is not None:
        # the evidence sentence, else a later mention's ("state media had not confirmed the trip")
        spans = [event["evidence"]["sentence_span"], *(m["sentence_span"] for m in event.get("mentions") or [])]
        unconfirmed_by = next(filter(None, (unconfirming_party(text[a:b]) for a, b in spans)), None)
    sentence = event_sentence(event, reported_by=source["name"] if source else None,
                              reported_on=(claim or {}).get("published") or event["evidence"].get("published"),
                              status=status, unconfirmed_by=unconfirmed_by)
    mentions = event.get("mentions") or []
    trigger = event["evidence"]["trigger_span"]
    evidence = [span(event["evidence"]["article"], trigger[0], trigger[1], event["evidence"]["trigger"])]
    evidence += [span(event["article"], m["trigger_span"][0], m["trigger_span"][1], m["trigger"]) for m in mentions
                 if m["trigger_span"] != trigger]  # its other mentions
    if claim is not None:
        cue = claim["cue"]
        evidence.append(span(claim["article"], cue["span"][0], cue["span"][1], cue["text"]))
    return {"text": sentence, "status": status, "cameo": event["cameo"]["code"],
            "plover": event["plover"]["type"], "event": event["id"], "claim": claim["id"] if claim else None,
            "mentions": len(mentions) or 1, "evidence": evidence}


def original_sources(articles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for a in articles:
        out.append({"article": a["id"], "title": a["title"], "outlet": a["outlet"], "url": a["url"],
                    "published": a["published"], "original_source": a["original_source"]})
    return out


def extracted(article: dict[str, Any], start: int, end: int) -> dict[str, Any]:
    return {"text": article["text"][start:end].strip(), "extracted": True,
            "evidence": [span(article["id"], start, end, None)]}


def generated(text: str, evidence: list[dict[str, Any]]) -> dict[str, Any]:
    return {"text": text, "extracted": False, "evidence": evidence}


def span(article: str, start: int, end: int, text: str | None) -> dict[str, Any]:
    return {"article": article, "start": start, "end": end, "text": text,
            "link": f"/articles/{article}#span-{start}-{end}"}
