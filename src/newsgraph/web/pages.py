"""The HTML pages of `newsgraph serve`, rendered on the server with autoescaping Jinja2.

Article text is hostile: templates never mark user data safe. Highlights are built here as
plain segments (text plus the ids of the records covering it) and escaped by the template;
the details the page script shows come from a JSON data block (`|tojson` escapes `<`, `>`, `&`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..api import (EVENT_PARAMS, STATUSES, Param, _config, article_record, page_of, paged, parse_params,
                   reader, render_digest)
from ..errors import NotFound
from ..store import Store

RECENT_ARTICLES = 15
TOP_ACTORS = 20
SEARCH_FORM = (Param("q", "Words to find.", target="query"),)


def _render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    return request.app.state.templates.TemplateResponse(request, name, context, status_code=status)


def home(request: Request) -> Response:
    with reader(_config(request)) as store:
        total = store.count("articles")
        recent = store.articles(offset=max(0, total - RECENT_ARTICLES), limit=RECENT_ARTICLES)[::-1]
        actors = store.actors(limit=TOP_ACTORS)
        stories = store.stories(limit=8)
        counts = {t: store.count(t) for t in ("articles", "actors", "events", "claims")}
    return _render(request, "home.html", {"recent": recent, "actors": actors, "stories": stories,
                                          "counts": counts, "q": ""})


def search(request: Request) -> Response:
    query = parse_params(request, SEARCH_FORM).get("query", "")
    results: list[dict[str, Any]] = []
    if query.strip():
        with reader(_config(request)) as store:
            results = store.search(query, limit=50)
    for r in results:
        r["segments"] = snippet_segments(r.get("snippet") or "")
    return _render(request, "search.html", {"q": query, "results": results})


def snippet_segments(snippet: str) -> list[dict[str, Any]]:
    """FTS snippet text split into plain and matched parts (the store marks matches `[…]`)."""
    parts = re.split(r"\[([^\[\]]*)\]", snippet)
    return [{"text": part, "mark": i % 2 == 1} for i, part in enumerate(parts) if part]


def article(request: Request) -> Response:
    with reader(_config(request)) as store:
        record = article_record(store, request.path_params["article_id"])
        family = store.family(record["id"])
    annotations = article_annotations(record)
    segments = highlight(record["text"], annotations)
    return _render(request, "article.html", {
        "a": record, "segments": segments, "annotations": {a["id"]: a for a in annotations},
        "family": family, "q": ""})


def article_annotations(record: dict[str, Any]) -> list[dict[str, Any]]:
    """Every record of an article that has a span in its text, as the page script shows it."""
    text = record["text"]
    out: list[dict[str, Any]] = []
    for n, m in enumerate(record["mentions"]):
        code = "/".join(x for x in (m["country"], m["sector"]) if x)
        out.append({"id": f"m{n}", "type": "actor", "start": m["start"], "end": m["end"],
                    "title": m["actor"], "fields": {"kind": m["kind"], "code": code or None, "label": m["label"]},
                    "link": f"/actors/{m['actor_id']}", "evidence": text[m["start"]:m["end"]]})
    for e in record["events"]:
        start, end = e["evidence"]["trigger_span"]
        s_start, s_end = e["evidence"]["sentence_span"]
        status = ("NOT " if e["factuality"]["negated"] else "") + (e["factuality"]["status"] or "")
        event = {"id": e["id"], "type": "event", "start": start, "end": end,
                 "title": f"{e['cameo']['code']} {e['cameo']['name']}",
                 "fields": {"PLOVER": e["plover"]["type"], "status": status or None,
                            "source": _names(e["source"]), "target": _names(e["target"]),
                            "when": e["time"]["value"], "where": e["place"]["name"] if e["place"] else None,
                            "Goldstein": e["cameo"]["goldstein"], "mentions": len(e.get("mentions") or ()) or 1},
                 "link": f"/api/events?article={record['id']}", "evidence": text[s_start:s_end]}
        out.append(event)
        # the article's other mentions of the same event, marked as that event
        for k, m in enumerate(e.get("mentions") or ()):
            if m["trigger_span"] != [start, end]:
                m_start, m_end = m["sentence_span"]
                out.append({**event, "id": f"{e['id']}-m{k}", "start": m["trigger_span"][0],
                            "end": m["trigger_span"][1], "evidence": text[m_start:m_end]})
    for c in record["claims"]:
        source = c["source"]
        fields = {"status": c["status"], "source": source["name"] if source else "(no source)",
                  "cue": c["cue"]["text"], "certainty": c["factuality"]["certainty"],
                  "polarity": c["factuality"]["polarity"], "events": ", ".join(c["events"]) or None}
        base = {"title": f"claim {c['id'].rsplit('-', 1)[-1]}", "fields": fields, "link": None,
                "evidence": " … ".join(part["text"] for part in c["content"])}
        for k, part in enumerate(c["content"]):
            out.append({**base, "id": f"{c['id']}-p{k}", "type": "claim", "start": part["span"][0],
                        "end": part["span"][1]})
        out.append({**base, "id": f"{c['id']}-cue", "type": "cue", "start": c["cue"]["span"][0],
                    "end": c["cue"]["span"][1]})
        if source and source["span"][0] is not None:
            out.append({**base, "id": f"{c['id']}-src", "type": "source", "start": source["span"][0],
                        "end": source["span"][1]})
    return [a for a in out if 0 <= a["start"] < a["end"] <= len(text)]


def _names(actors: list[dict[str, Any]]) -> str | None:
    return " + ".join(a["name"] for a in actors) or None


def highlight(text: str, annotations: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The text cut at every annotation boundary; each piece lists the annotations covering it.

    Pieces are plain strings for the template to escape; an annotation's first piece also
    carries its `span-START-END` anchor, the target of digest evidence links.
    """
    spans = list(annotations)
    cuts = sorted({0, len(text)} | {a["start"] for a in spans} | {a["end"] for a in spans})
    starts: dict[int, list[str]] = {}
    for a in spans:
        anchor = f"span-{a['start']}-{a['end']}"
        if anchor not in starts.setdefault(a["start"], []):
            starts[a["start"]].append(anchor)
    segments = []
    for left, right in zip(cuts, cuts[1:]):
        covering = [a for a in spans if a["start"] <= left and a["end"] >= right]
        types = sorted({a["type"] for a in covering})
        segments.append({"text": text[left:right], "start": left, "anchors": starts.get(left, []),
                         "ids": " ".join(a["id"] for a in covering),
                         "classes": " ".join(f"hl-{t}" for t in types)})
    return segments


def actor(request: Request) -> Response:
    with reader(_config(request)) as store:
        who = store.resolve_actor(request.path_params["actor"])
        timeline = store.timeline(str(who["id"]), limit=2000)
        graph = store.graph(actor=str(who["id"]))
    names = {n["id"]: n["name"] for n in graph["nodes"]}
    edges = sorted(graph["edges"], key=lambda e: -e["events"])
    elements = ([{"data": {"id": f"n{n['id']}", "label": n["name"], "kind": n["kind"], "actor": n["id"],
                           "focus": n["id"] == who["id"]}} for n in graph["nodes"]]
                + [{"data": {"id": f"e{i}", "source": f"n{e['source']}", "target": f"n{e['target']}",
                             "weight": e["events"], "tone": _tone(e)}} for i, e in enumerate(edges)])
    return _render(request, "actor.html", {"who": who, "items": timeline["items"], "edges": edges, "names": names,
                                           "elements": elements, "q": ""})


def _tone(edge: dict[str, Any]) -> str:
    if edge["conflict"] > edge["cooperation"]:
        return "conflict"
    return "cooperation" if edge["cooperation"] else "neutral"


def stories(request: Request) -> Response:
    with reader(_config(request)) as store:
        rows = store.stories(limit=200)
    return _render(request, "stories.html", {"stories": rows, "q": ""})


def story(request: Request) -> Response:
    with reader(_config(request)) as store:
        st = store.story(request.path_params["story_id"])
        wanted = set(st["events"])
        events = [e for a in st["articles"] for e in store.events(article=a, limit=10_000) if e["id"] in wanted]
        articles = {a: _article_head(store, a) for a in st["articles"]}
    return _render(request, "story.html", {"st": st, "events": events, "articles": articles, "q": ""})


def _article_head(store: Store, article_id: str) -> dict[str, Any]:
    try:
        a = store.article(article_id)
    except NotFound:
        return {"id": article_id, "title": None, "outlet": None, "published": None}
    return {k: a[k] for k in ("id", "title", "outlet", "published", "url")}


def events(request: Request) -> Response:
    config = _config(request)
    values = parse_params(request, EVENT_PARAMS, paged=True)
    form = {p.name: values.get(p.name, "") for p in EVENT_PARAMS}
    page = page_of(values, config)
    with reader(config) as store:
        result = paged(lambda limit, offset: store.events(limit=limit, offset=offset, **values), page)
    following = None
    if result["next"]:
        following = "/events?" + urlencode({**{k: v for k, v in form.items() if v}, "limit": page.limit,
                                            "cursor": result["next"]})
    return _render(request, "events.html", {"rows": result["items"], "form": form, "params": EVENT_PARAMS,
                                            "statuses": STATUSES, "next": following, "q": ""})


def digest(request: Request) -> Response:
    kind = request.path_params["kind"]
    key = request.path_params["key"]
    what: dict[str, Any] = {}
    if kind == "articles":
        what["article"] = key
    elif kind == "stories" and key.isdigit():
        what["story"] = int(key)
    elif kind == "actors":
        what.update(actor=key, **parse_params(request, EVENT_PARAMS[4:6]))
    else:
        raise NotFound(f"no digest of {kind}/{key}")
    with reader(_config(request)) as store:
        data = json.loads(render_digest(store, fmt="json", **what))
    return _render(request, "digest.html", {"d": data, "q": ""})


ROUTES = [
    Route("/", home),
    Route("/search", search),
    Route("/articles/{article_id}", article),
    Route("/actors/{actor}", actor),
    Route("/stories", stories),
    Route("/stories/{story_id:int}", story),
    Route("/events", events),
    Route("/digest/{kind}/{key}", digest),
]
