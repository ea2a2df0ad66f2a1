"""A story's digest in the seed's form, written from all its reports: a summary, key facts
with their status, the named sources and how many independent sources there are, what
changed between reports, a conclusion, and the original sources with outlets and dates.

Every generated sentence cites the spans it rests on (the event's trigger, the claim's cue,
a report's lead); extracted sentences cite themselves. Key facts come from the article
digest's renderer (`citations.key_facts`), so both digests state a fact the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .citations import extracted, generated, key_facts, original_sources, span
from .store.browse import events_in_order
from .summarise import summarise

if TYPE_CHECKING:
    from .store import Store

STANCE_VERBS = {"first report": "first reported it", "repeats": "repeated it", "confirms": "confirmed it",
                "denies": "denied it", "contradicts": "contradicted it"}
VIEW_NOTES = {"unconfirmed": "saying it was not confirmed", "denied": "reporting a denial",
              "negated": "saying it did not happen"}


def story_digest(store: Store, story_id: int) -> dict[str, Any]:
    """The digest of one story as data, in the article digest's shape plus `sections`."""
    story = store.story(story_id)
    events = events_in_order(store, story["events"])
    articles = {a: store.article(a) for a in story["articles"]}
    claims = [c for a in story["articles"] for c in store.claims(article=a, limit=10_000)]
    reports = story["reports"]
    return {
        "kind": "story",
        "title": _title(story),
        "summary": _summary(story, articles),
        "facts": key_facts(events, claims, texts={a: r["text"] for a, r in articles.items()}),
        "sections": [
            {"heading": "Sources", "items": _named_sources(story)},
            {"heading": "What changed", "items": _changes(story)},
        ],
        "conclusion": [_conclusion(story)],
        "sources": original_sources([articles[r["article"]] for r in reports]),
        "status": story["status"],
    }


def _title(story: dict[str, Any]) -> str:
    who = " and ".join(a["name"] for a in story["source"]) or "Someone"
    whom = " and ".join(a["name"] for a in story["target"])
    what = story["cameo_name"] or "an event"
    return f"{who}: {what}" + (f" ({whom})" if whom else "")


def _cite(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [span(e["article"], e["start"], e["end"], e["text"]) for e in report["evidence"]]


def _summary(story: dict[str, Any], articles: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Who reported it, how widely and since when; then the first report's own lead."""
    reports = story["reports"]
    if not reports:
        return []
    first = reports[0]
    where = f" in {story['place']}" if story["place"] else ""
    when = f" on {story['time']}" if story["time"] else ""
    outlets = len({r["outlet"] for r in reports if r["outlet"]})
    opening = generated(
        f"{len(reports)} report(s) from {outlets} outlet(s), {story['independent_sources']} of them independent, "
        f"tell of one event{where}{when}, first reported by {first['outlet'] or 'an unnamed outlet'} "
        f"on {(first['published'] or 'an unknown day')[:10]}; its status: {story['status']['text']}.",
        _cite(first))
    lead = articles[first["article"]]
    sentences = summarise(lead["text"], sentences=1)
    quoted = [extracted(lead, s.start, s.end) for s in sentences]
    return [opening, *quoted]


def _named_sources(story: dict[str, Any]) -> list[dict[str, Any]]:
    """One sentence per source named in the reports (who cites it), and the independent count."""
    named: dict[str, dict[str, Any]] = {}
    for thread in story["claims"]:
        for entry in thread["history"]:
            if not entry["source"]:
                continue
            who = entry["source"] + (f", citing {entry['cited_source']}" if entry["cited_source"] else "")
            item = named.setdefault(who, {"outlets": [], "evidence": []})
            if entry["outlet"] and entry["outlet"] not in item["outlets"]:
                item["outlets"].append(entry["outlet"])
            item["evidence"].append(span(**entry["evidence"]))
    items = [generated(f"{who} (in {', '.join(item['outlets']) or 'an unnamed outlet'}).",
                                       item["evidence"][:3]) for who, item in named.items()]
    groups: dict[str, list[dict[str, Any]]] = {}
    for report in story["reports"]:
        groups.setdefault(report["source_group"], []).append(report)
    described = []
    for members in groups.values():
        names = [m["outlet"] or "an unnamed outlet" for m in members]
        described.append(names[0] + (f" (with {', '.join(names[1:])}, a copy or rewrite of it)" if names[1:] else ""))
    items.append(generated(
        f"{len(groups)} independent source(s): {'; '.join(described)}.",
        [e for r in story["reports"] for e in _cite(r)]))
    return items


def _changes(story: dict[str, Any]) -> list[dict[str, Any]]:
    """What each report added, in publication order, and what later reports did with each claim."""
    items = []
    for report in story["reports"]:
        who = report["outlet"] or "An unnamed outlet"
        text = f"{(report['published'] or 'Undated')[:10]}: {who} {STANCE_VERBS.get(report['stance'], report['stance'])}"
        if report["cites"]:
            text += f", citing {', '.join(report['cites'])}"
        if report["view"] in VIEW_NOTES:
            text += f", {VIEW_NOTES[report['view']]}"
        if report["joined"] == "similarity":
            text += " (its wording matched the story; no event was coded from it)"
        items.append(generated(text + ".", _cite(report)))
    for thread in story["claims"]:
        first, later = thread["history"][0], [e for e in thread["history"][1:] if e["stance"] != "repeats"]
        if first["status"] in ("denied", "negated"):
            # a denial that no earlier report's wording matched still changed what was known
            items.append(generated(
                f"{(first['published'] or 'Undated')[:10]}: {first['source'] or 'an unnamed source'} "
                f"({first['outlet'] or 'an unnamed outlet'}) denied {_clip(first['content'])}.",
                [span(**first["evidence"])]))
        for entry in later:
            who = entry["source"] or "an unnamed source"
            items.append(generated(
                f"{(entry['published'] or 'Undated')[:10]}: {who} ({entry['outlet'] or 'an unnamed outlet'}) "
                f"{STANCE_VERBS.get(entry['stance'], entry['stance']).removesuffix(' it')} what "
                f"{first['source'] or 'an unnamed source'} had said: \"{_clip(first['content'])}\".",
                [span(**first["evidence"]), span(**entry["evidence"])]))
    return items


def _conclusion(story: dict[str, Any]) -> dict[str, Any]:
    status = story["status"]
    disputed = [t for t in story["claims"] if t["status"] == "disputed"]
    text = (f"As the reports stand, the event is {status['text']}, on {story['independent_sources']} "
            f"independent source(s)")
    text += f"; {len(disputed)} claim(s) about it are disputed." if disputed else "."
    deciding = next((r for r in story["reports"] if r["article"] == status["article"]), None)
    evidence = _cite(deciding) if deciding else []
    evidence += [span(**e["evidence"]) for t in disputed for e in t["history"]]
    return generated(text, evidence)


def _clip(text: str, size: int = 90) -> str:
    return text if len(text) <= size else text[: size - 1].rsplit(" ", 1)[0] + "…"
