"""The HTML pages of `newsgraph serve`, rendered on the server with autoescaping Jinja2.

Article text is hostile: templates never mark user data safe. Highlights are built here as
plain segments (text plus the ids of the records covering it) and escaped by the template;
the details the page script shows come from a JSON data block (`|tojson` escapes `<`, `>`, `&`).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from ..store import browse
from ..errors import ApiError, NotFound
from ..store import COUNT_CAP, Store
from ..wording import factuality_label
from .charts import activity_chart, world_map
from .records import article_record, render_digest, story_listing
from .requests import EVENT_PARAMS, KINDS, STATUSES, STORY_PARAMS, Page, Param, config_of, parse_params, reader

RECENT_ARTICLES = 15
TOP_ACTORS = 20
# rows per page of every HTML list, unless the request asks for fewer (`limit`)
PER_PAGE = 50
# timeline items per page of an actor page
TIMELINE_PAGE = 40
# relations an actor page draws and lists; the graph page shows more on request
ACTOR_EDGES = 30
DEFAULT_TOP = 30
MAX_TOP = 500
PAGE_PARAMS = (Param("page", "Page number, from 1.", type="integer", minimum=1),
               Param("limit", "Rows per page.", type="integer", minimum=1))
SEARCH_FORM = (Param("q", "Words to find.", target="query"),)
ARTICLE_FORM = (Param("outlet", "Only articles from this outlet."),
                Param("language", "Only articles in this language (ISO 639-1)."))
ACTOR_FORM = (
    Param("name", "Part of a name or alias."),
    Param("kind", "Actor kind.", choices=KINDS),
    Param("country", "ISO 3166 alpha-3 code, e.g. RUS."),
    Param("sector", "CAMEO sector code, e.g. GOV, MIL."),
    Param("min_mentions", "At least this many mentions.", type="integer", minimum=0),
    Param("max_mentions", "At most this many mentions.", type="integer", minimum=0),
    Param("since", "Mentioned in articles published on or after this date.", type="date"),
    Param("until", "Mentioned in articles published on or before this date.", type="date"),
    Param("sort", "Order of the list.", choices=browse.ACTOR_SORTS),
)
GRAPH_FORM = (
    Param("actor", "Centre on this actor (id, name or alias)."),
    Param("story", "Centre on this story's parties.", type="integer", minimum=1),
    Param("since", "Events from this date on.", type="date"),
    Param("until", "Events up to this date.", type="date"),
    Param("plover", "Weigh edges by events of this PLOVER type only."),
    Param("top", f"How many of the strongest relations to show (at most {MAX_TOP}).", type="integer", minimum=1),
)
MAP_FORM = GRAPH_FORM[2:4]


def _render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, name, context, status_code=status)


def pager(request: Request, total: int, page: int, per_page: int) -> dict[str, Any]:
    """"Showing N–M of T" and the links to the pages around `page`, keeping the other
    query parameters of the request. A total past `COUNT_CAP` (a count that stopped there)
    reads "more than 10,000", and the pages go on past it."""
    capped = total > COUNT_CAP
    total = min(total, COUNT_CAP)
    pages = max(1, math.ceil(total / per_page))
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "page" and v != ""]

    def link(n: int) -> str:
        return request.url.path + "?" + urlencode(kept + [("page", n)])

    first = (page - 1) * per_page + 1
    return {"total": total, "total_label": f"more than {COUNT_CAP:,}" if capped else str(total),
            "page": page, "pages": pages, "first": first,
            "last": page * per_page if capped else min(page * per_page, total),
            "past_end": first > total > 0 and not capped,
            "prev": link(page - 1 if capped else min(page - 1, pages)) if page > 1 else None,
            "next": link(page + 1) if page < pages or capped else None}


def page_request(request: Request, params: tuple[Param, ...]) -> tuple[dict[str, Any], int, int]:
    """The checked filters of a list page, its page number and its rows per page."""
    values = parse_params(request, params + PAGE_PARAMS)
    per_page = min(values.pop("limit", PER_PAGE), config_of(request).max_page)
    return values, values.pop("page", 1), per_page


def home(request: Request) -> Response:
    with reader(config_of(request)) as store:
        recent = store.articles(order="published", limit=RECENT_ARTICLES)
        actors = browse.actor_index(store, limit=TOP_ACTORS)["items"]
        stories = browse.story_index(store, limit=8)["items"]
        counts = {t: store.count(t) for t in ("articles", "actors", "events", "claims")}
    return _render(request, "home.html", {"recent": recent, "actors": actors, "stories": stories,
                                          "counts": counts, "q": ""})


def articles(request: Request) -> Response:
    values, page, per_page = page_request(request, ARTICLE_FORM)
    with reader(config_of(request)) as store:
        rows = store.articles(order="published", limit=per_page, offset=(page - 1) * per_page, **values)
        total = store.count_articles(**values, cap=COUNT_CAP)
    return _render(request, "articles.html", {"rows": rows, "form": _form(ARTICLE_FORM, values),
                                              "pager": pager(request, total, page, per_page), "q": ""})


def search(request: Request) -> Response:
    values, page, per_page = page_request(request, SEARCH_FORM)
    query = values.get("query", "")
    results: list[dict[str, Any]] = []
    total = 0
    if query.strip():
        with reader(config_of(request)) as store:
            results = store.search(query, limit=per_page, offset=(page - 1) * per_page)
            total = store.count_search(query, cap=COUNT_CAP)
    for r in results:
        r["segments"] = snippet_segments(r.get("snippet") or "")
    return _render(request, "search.html", {"q": query, "results": results,
                                            "pager": pager(request, total, page, per_page)})


def _form(params: tuple[Param, ...], values: dict[str, Any]) -> dict[str, Any]:
    """What a filter form shows: each parameter's current value, or ""."""
    return {p.name: values.get(p.target or p.name, "") for p in params}


def snippet_segments(snippet: str) -> list[dict[str, Any]]:
    """FTS snippet text split into plain and matched parts (the store marks matches `[…]`)."""
    parts = re.split(r"\[([^\[\]]*)\]", snippet)
    return [{"text": part, "mark": i % 2 == 1} for i, part in enumerate(parts) if part]


def article(request: Request) -> Response:
    with reader(config_of(request)) as store:
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
        status = factuality_label(e["factuality"])
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
    values = parse_params(request, PAGE_PARAMS[:1])
    page = values.get("page", 1)
    with reader(config_of(request)) as store:
        who = store.resolve_actor(request.path_params["actor"])
        total = browse.timeline_total(store, who["id"])
        timeline = store.timeline(str(who["id"]), limit=TIMELINE_PAGE, offset=(page - 1) * TIMELINE_PAGE)
        graph = browse.top_graph(store, actor_id=who["id"], top=ACTOR_EDGES)
        roles = browse.roles(store, who["id"])
        chart = activity_chart(browse.activity(store, actor_id=who["id"]))
        geo = world_map(browse.places(store, actor_id=who["id"]))
    return _render(request, "actor.html", {
        "who": who, "items": timeline["items"], "roles": roles, "chart": chart, "geo": geo,
        "pager": pager(request, total, page, TIMELINE_PAGE), **graph_view(graph), "q": ""})


def graph_view(graph: dict[str, Any]) -> dict[str, Any]:
    """The Cytoscape elements and the table rows of a graph; the strongest edges first."""
    names = {n["id"]: n["name"] for n in graph["nodes"]}
    focus = set(graph.get("focus") or ([graph["actor"]] if graph.get("actor") else []))
    edges = sorted(graph["edges"], key=lambda e: -e["weight"])
    degree: dict[int, int] = {}
    for e in edges:
        for end in (e["source"], e["target"]):
            degree[end] = degree.get(end, 0) + e["weight"]
    elements = ([{"data": {"id": f"n{n['id']}", "label": n["name"], "kind": n["kind"], "actor": n["id"],
                           "focus": n["id"] in focus, "degree": degree.get(n["id"], 0)}} for n in graph["nodes"]]
                + [{"data": {"id": f"e{i}", "source": f"n{e['source']}", "target": f"n{e['target']}",
                             "weight": e["weight"], "tone": _tone(e)}} for i, e in enumerate(edges)])
    return {"edges": edges, "names": names, "elements": elements, "total_edges": graph.get("total_edges",
                                                                                          len(edges))}


def _tone(edge: dict[str, Any]) -> str:
    if edge["conflict"] > edge["cooperation"]:
        return "conflict"
    return "cooperation" if edge["cooperation"] else "neutral"


def pair(request: Request) -> Response:
    values = parse_params(request, PAGE_PARAMS[:1])
    page = values.get("page", 1)
    with reader(config_of(request)) as store:
        first = store.resolve_actor(request.path_params["first"])
        second = store.resolve_actor(request.path_params["second"])
        relation = store.relation(str(first["id"]), str(second["id"]))
        ids = (first["id"], second["id"])
        found = browse.pair_events(store, ids, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
        chart = activity_chart(browse.activity(store, pair=ids))
        geo = world_map(browse.places(store, pair=ids))
    return _render(request, "pair.html", {
        "first": first, "second": second, "relation": relation, "rows": found["items"], "chart": chart,
        "geo": geo, "pager": pager(request, found["total"], page, PER_PAGE), "q": ""})


def stories(request: Request) -> Response:
    values, page, per_page = page_request(request, STORY_PARAMS)
    with reader(config_of(request)) as store:
        found = story_listing(store, dict(values), Page(offset=(page - 1) * per_page, limit=per_page))
        plovers = browse.plover_types(store)
    return _render(request, "stories.html", {
        "stories": found["items"], "form": _form(STORY_PARAMS, values), "params": STORY_PARAMS,
        "plovers": plovers, "pager": pager(request, found["total"], page, per_page), "q": ""})


def story(request: Request) -> Response:
    with reader(config_of(request)) as store:
        st = store.story(request.path_params["story_id"])
        events = browse.events_in_order(store, st["events"])
        articles = {a: _article_head(store, a) for a in st["articles"]}
        chart = activity_chart(browse.activity(store, story_id=st["id"]))
        geo = world_map(browse.places(store, story_id=st["id"]))
    return _render(request, "story.html", {"st": st, "events": events, "articles": articles, "chart": chart,
                                           "geo": geo, "q": ""})


def _article_head(store: Store, article_id: str) -> dict[str, Any]:
    try:
        a = store.article(article_id)
    except NotFound:
        return {"id": article_id, "title": None, "outlet": None, "published": None}
    return {k: a[k] for k in ("id", "title", "outlet", "published", "url")}


def events(request: Request) -> Response:
    values, page, per_page = page_request(request, EVENT_PARAMS)
    with reader(config_of(request)) as store:
        rows = store.events(order="date", limit=per_page, offset=(page - 1) * per_page, **values)
        total = store.count_events(**values, cap=COUNT_CAP)
    return _render(request, "events.html", {"rows": rows, "form": _form(EVENT_PARAMS, values),
                                            "params": EVENT_PARAMS, "statuses": STATUSES,
                                            "pager": pager(request, total, page, per_page), "q": ""})


def actors(request: Request) -> Response:
    values, page, per_page = page_request(request, ACTOR_FORM)
    with reader(config_of(request)) as store:
        found = browse.actor_index(store, **values, limit=per_page, offset=(page - 1) * per_page)
    form = _form(ACTOR_FORM, values)
    return _render(request, "actors.html", {
        "rows": found["items"], "facets": found["facets"], "form": form, "params": ACTOR_FORM,
        "facet_links": _facet_links(request, found["facets"], form),
        "pager": pager(request, found["total"], page, per_page), "q": ""})


def _facet_links(request: Request, facets: dict[str, list[tuple[str, int]]],
                 form: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """For each facet value, the URL of this list with that value chosen (or unchosen)."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if v != "" and k != "page"]
    out: dict[str, list[dict[str, Any]]] = {}
    for facet, counts in facets.items():
        links = []
        for value, n in counts:
            if not value:
                continue
            chosen = str(form.get(facet, "")).upper() == value.upper()
            query = [(k, v) for k, v in kept if k != facet] + ([] if chosen else [(facet, value)])
            links.append({"value": value, "n": n, "chosen": chosen,
                          "url": request.url.path + ("?" + urlencode(query) if query else "")})
        out[facet] = links
    return out


def graph_page(request: Request) -> Response:
    values = parse_params(request, GRAPH_FORM)
    top = min(values.pop("top", DEFAULT_TOP), MAX_TOP)
    plover = values.get("plover")
    with reader(config_of(request)) as store:
        plovers = browse.plover_types(store)
        if plover and plover.upper() not in plovers:
            raise ApiError(400, f"no events of PLOVER type {plover[:40]!r}; choose one of {', '.join(plovers)}")
        actor_id = store.resolve_actor(values["actor"])["id"] if values.get("actor") else None
        graph = browse.top_graph(store, actor_id=actor_id, story_id=values.get("story"), since=values.get("since"),
                                 until=values.get("until"), plover=plover, top=top)
    form = {**_form(GRAPH_FORM, values), "top": top}
    return _render(request, "graph.html", {**graph_view(graph), "form": form, "plovers": plovers,
                                           "tops": sorted({10, 30, 100, 300, MAX_TOP, top}), "q": ""})


def map_page(request: Request) -> Response:
    values = parse_params(request, MAP_FORM)
    with reader(config_of(request)) as store:
        geo = world_map(browse.places(store, **values))
    return _render(request, "map.html", {"geo": geo, "form": _form(MAP_FORM, values), "q": ""})


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
    with reader(config_of(request)) as store:
        data = json.loads(render_digest(store, fmt="json", **what))
    return _render(request, "digest.html", {"d": data, "q": ""})


ROUTES = [
    Route("/", home),
    Route("/search", search),
    Route("/articles", articles),
    Route("/articles/{article_id}", article),
    Route("/actors", actors),
    Route("/actors/{actor}", actor),
    Route("/pairs/{first}/{second}", pair),
    Route("/stories", stories),
    Route("/stories/{story_id:int}", story),
    Route("/events", events),
    Route("/graph", graph_page),
    Route("/map", map_page),
    Route("/digest/{kind}/{key}", digest),
]
