"""The HTTP API and the web app behind `newsgraph serve`: one ASGI app over the library.

    app = create_app(ServeConfig(db="newsgraph.db", token=os.environ.get("NEWSGRAPH_TOKEN")))
    uvicorn.run(app, host="127.0.0.1", port=8000)

JSON lives under `/api/` (listings take the CLI's filters as query parameters and page with
`?cursor=…&limit=…`); HTML pages live at stable URLs (`/articles/{id}`, `/actors/{id}`,
`/stories/{id}`, `/events`, `/search?q=`). Reads open a read-only connection per request;
writes (ingest, delete) need the bearer token and run one at a time on a single writer
thread. Every error an API client sees is the envelope of `error_body`. Query parameters,
pages and the per-request store come from `web/requests.py`, which the HTML pages share.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import os
import re
import sqlite3
import threading
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import __version__
from .errors import ApiError, BadParameter, NewsgraphError, NotFound, StoreUnreadable
from .identity import short_id, source_name
from .wording import factuality_label, readable_time
from .settings import ServeConfig, Settings
from .sources import read_json_articles
from .store import COUNT_CAP, MAX_LIMIT, Store
from .types import RawArticle
from .web.records import article_record, render_digest, story_listing
from .web.requests import (DATE_PATTERN, EVENT_PARAMS, KINDS, MAX_PARAM_CHARS, PAGE_PARAMS, STATUSES, STORY_PARAMS,
                           STORY_VIEW_PARAMS, Page, Param, config_of, decode_cursor, encode_cursor, page_of, paged, parse_params, reader)

LOGGER = logging.getLogger(__name__)

WEB_DIR = Path(__file__).resolve().parent / "web"
DIGEST_FORMATS = ("json", "markdown", "html")

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


def error_body(message: str, status: int, errors: list[Any] | None = None) -> dict[str, Any]:
    """The one JSON error envelope of the API.

    Shape: `{"ok": false, "error": "<one line for people>", "errors": [<details>], "status": <int>}`.
    `errors` lists per-item problems, e.g. `{"param": "limit", "message": "…"}` for a query
    parameter or `{"item": 3, "message": "…"}` for an article of an ingest body; it may be empty.
    """
    return {"ok": False, "error": message, "errors": list(errors or []), "status": status}


class SafeJSONResponse(JSONResponse):
    """JSON with `<`, `>` and `&` written as \\u escapes, so no byte of it can read as markup."""

    indent: int | None = None

    def render(self, content: Any) -> bytes:
        separators = (",", ": ") if self.indent else (",", ":")
        text = json.dumps(content, ensure_ascii=False, allow_nan=False, indent=self.indent, separators=separators,
                          default=str)
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").encode("utf-8")


CLAIM_PARAMS = (
    Param("source", "Source actor id, name or alias, or part of an unnamed source's description."),
    Param("status", "Plain factuality status.", choices=STATUSES),
    Param("event", "Only claims that carry this event id."),
    Param("article", "Article id or id prefix."),
)
ARTICLE_PARAMS = (
    Param("language", "Only articles in this language (ISO 639-1, e.g. en)."),
    Param("outlet", "Only articles from this outlet."),
)
ACTOR_PARAMS = (
    Param("kind", "Actor kind.", choices=KINDS),
    Param("country", "ISO 3166 alpha-3 code, e.g. RUS."),
    Param("name", "Part of a name or alias."),
    Param("article", "Only actors mentioned in this article (full id)."),
)
# The heaviest relations `/api/graph` gives when the request names no limit
GRAPH_LIMIT = 500
GRAPH_PARAMS = (
    Param("actor", "An actor's neighbourhood (id, name or alias); all actors if not given."),
    Param("since", "From this month on (YYYY or YYYY-MM).", type="date"),
    Param("until", "Up to this month.", type="date"),
    Param("limit", f"The heaviest relations to give (default {GRAPH_LIMIT}); `total_edges` says how many there are.",
          type="integer", minimum=1),
)
SEARCH_PARAMS = (Param("q", "Words that must all occur in the title or text.", required=True, target="query"),)
INGEST_PARAMS = (
    Param("published", "Publication date for articles that carry none (YYYY-MM-DD).", type="date"),
    Param("outlet", "Outlet for articles that name none."),
    Param("url", "URL for articles that carry none."),
)
DIGEST_PARAMS = (
    Param("article", "Digest of this article (id or prefix)."),
    Param("story", "Digest of this story.", type="integer", minimum=1),
    Param("actor", "Digest of this actor (id, name or alias)."),
    Param("since", "With actor: from this date on.", type="date"),
    Param("until", "With actor: up to this date.", type="date"),
    Param("format", "Output format.", choices=DIGEST_FORMATS, target="fmt"),
)


# -- the store: readers per request, one writer -----------------------------------------------


class Writer:
    """Runs write jobs one at a time on a single thread, each with its own write connection
    (STYLE §17): SQLite allows one writer, and a fresh `Store` sees what other processes wrote."""

    def __init__(self, db: str) -> None:
        self.db = db
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsgraph-writer")

    async def run(self, job: Callable[[Store], Any]) -> Any:
        return await asyncio.wrap_future(self._pool.submit(self._call, job))

    def _call(self, job: Callable[[Store], Any]) -> Any:
        with Store(self.db) as store:
            return job(store)

    def close(self) -> None:
        self._pool.shutdown(wait=True)


def require_token(request: Request, config: ServeConfig) -> None:
    """403 when the server has no token (read-only), 401 when the request lacks the right one."""
    if not config.token:
        raise ApiError(403, "this server is read-only: it accepts no writes")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), config.token.encode()):
        raise ApiError(401, "missing or wrong token: send `Authorization: Bearer <token>`",
                       headers={"WWW-Authenticate": 'Bearer realm="newsgraph"'})


# -- API endpoints ----------------------------------------------------------------------------


def _listing(params: tuple[Param, ...], method: str) -> Callable[[Request], Response]:
    """A paged endpoint that passes its filters to `Store.<method>`."""

    def endpoint(request: Request) -> Response:
        config = config_of(request)
        values = parse_params(request, params, paged=True)
        page = page_of(values, config)
        with reader(config) as store:
            counter = getattr(store, f"count_{method}", None)
            body = paged(lambda limit, offset: getattr(store, method)(limit=limit, offset=offset, **values), page,
                         total=counter(**values, cap=COUNT_CAP) if counter else None)
        return SafeJSONResponse(body)

    endpoint.__name__ = f"api_{method}"
    return endpoint


def api_stories(request: Request) -> Response:
    config = config_of(request)
    values = parse_params(request, STORY_PARAMS, paged=True)
    page = page_of(values, config)
    with reader(config) as store:
        body = story_listing(store, values, page)
    return SafeJSONResponse(body)


def api_article(request: Request) -> Response:
    with reader(config_of(request)) as store:
        return SafeJSONResponse(article_record(store, request.path_params["article_id"]))


def api_actor(request: Request) -> Response:
    with reader(config_of(request)) as store:
        return SafeJSONResponse(store.resolve_actor(request.path_params["actor"]))


def api_story(request: Request) -> Response:
    values = parse_params(request, STORY_VIEW_PARAMS)
    with reader(config_of(request)) as store:
        return SafeJSONResponse(store.story(request.path_params["story_id"], as_of=values.get("as_of")))


def api_timeline(request: Request) -> Response:
    config = config_of(request)
    values = parse_params(request, (), paged=True)
    page = page_of(values, config)
    found: dict[str, Any] = {}

    def fetch(limit: int, offset: int) -> list[Any]:
        # the store reads only the asked page, however many items the actor has
        found.update(store.timeline(request.path_params["actor"], limit=limit, offset=offset))
        items: list[Any] = found["items"]
        return items

    with reader(config) as store:
        body = paged(fetch, page)
    body.update({k: v for k, v in found.items() if k.startswith("total")})
    return SafeJSONResponse({"actor": found["actor"], **body})


def api_graph(request: Request) -> Response:
    values = parse_params(request, GRAPH_PARAMS)
    values["limit"] = min(values.get("limit", GRAPH_LIMIT), MAX_LIMIT)
    with reader(config_of(request)) as store:
        return SafeJSONResponse(store.graph(**values))


def api_search(request: Request) -> Response:
    config = config_of(request)
    values = parse_params(request, SEARCH_PARAMS, paged=True)
    page = page_of(values, config)
    with reader(config) as store:
        body = paged(lambda limit, offset: store.search(values["query"], limit=limit, offset=offset), page,
                     total=store.count_search(values["query"], cap=COUNT_CAP))
    return SafeJSONResponse(body)


def api_digest(request: Request) -> Response:
    values = parse_params(request, DIGEST_PARAMS)
    fmt = values.pop("fmt", "json")
    with reader(config_of(request)) as store:
        text = render_digest(store, fmt=fmt, **values)
    if fmt == "json":
        return SafeJSONResponse(json.loads(text))
    media = "text/markdown" if fmt == "markdown" else "text/html"
    return PlainTextResponse(text, media_type=f"{media}; charset=utf-8")


async def api_ingest(request: Request) -> Response:
    config = config_of(request)
    require_token(request, config)
    options = parse_params(request, INGEST_PARAMS)
    body = await read_body(request, config.max_body)
    articles = parse_articles(body, config.settings)
    result = await request.app.state.writer.run(lambda store: _ingest(store, articles, config, options))
    status = 201 if result["stored"] else 200
    return SafeJSONResponse(result, status_code=status)


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it passes `limit` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ApiError(413, f"request body larger than {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(413, f"request body larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


ARTICLE_FIELDS = ("text", "title", "url", "published", "outlet", "author")
# What the articles of a request body are called in reasons and stored as their source:
# "request:3" is the third line of a JSON Lines body, "request#3" the third item of an array.
BODY_SOURCE = "request"


def parse_articles(body: bytes, settings: Settings) -> list[RawArticle]:
    """The articles of a JSON array or JSON Lines body, read as the file reader reads a .json
    or .jsonl file (same field aliases, limits and reasons); 400 listing every bad item, so
    that a body is ingested whole or not at all."""
    articles: list[RawArticle] = []
    problems: list[dict[str, Any]] = []
    for read in read_json_articles(body, BODY_SOURCE, settings):
        if isinstance(read, RawArticle):
            articles.append(read)
            continue
        item = item_of(read.source)
        if item is None:  # the body as a whole cannot be read
            raise ApiError(400, f"the body cannot be read: {read.reason}")
        problems.append({"item": item, "message": read.reason})
    if problems:
        raise ApiError(400, f"{len(problems)} article(s) refused; nothing was ingested", problems)
    if not articles:
        raise ApiError(400, "empty body: send a JSON array of articles or JSON Lines, each with `text`")
    return articles


def item_of(source: str) -> int | None:
    """The item number in a body source (`request:3`, `request#3`), None for the body itself."""
    match = re.fullmatch(re.escape(BODY_SOURCE) + r"[:#](\d+)", source)
    return int(match.group(1)) if match else None


def _ingest(store: Store, articles: list[RawArticle], config: ServeConfig,
            options: dict[str, Any]) -> dict[str, Any]:
    """Run the library's ingest on the articles read from the request body."""
    from .pipeline import ingest

    # the reader passes articles it is given through as they are (sources.read_sources)
    result = ingest(articles, store=store, settings=config.settings,  # type: ignore[arg-type]  # typed for paths only
                    **options)
    return {"ok": result.ok, "stored": result.stored, "duplicates": result.duplicates, "copies": result.copies,
            "not_extracted": result.not_extracted,
            "failures": [{"item": item_of(f.source) or "request", "message": f.reason} for f in result.failures]}


async def api_delete_article(request: Request) -> Response:
    config = config_of(request)
    require_token(request, config)
    article_id = request.path_params["article_id"]
    removed = await request.app.state.writer.run(lambda store: _delete(store, article_id))
    return SafeJSONResponse({"ok": True, **removed})


def _delete(store: Store, article_id: str) -> dict[str, Any]:
    """Delete an article; the stories it was in are summarised again for listings."""
    from .store.storyline import refresh_summaries

    removed = store.delete_article(article_id)
    refresh_summaries(store)
    return removed


def api_openapi(request: Request) -> Response:
    return SafeJSONResponse(openapi_schema(config_of(request)))


class IndentedJSONResponse(SafeJSONResponse):
    """Safe JSON laid out for people reading it in a browser."""

    indent = 2


def api_index(request: Request) -> Response:
    """What a person opening /api wants: every route with its method, parameters and purpose."""
    return IndentedJSONResponse({
        "name": "newsgraph", "version": __version__,
        "about": "Actors, events, claims and stories extracted from news, each with its evidence. "
                 "Listings return {\"items\": [...], \"next\": cursor}; pass that cursor as `cursor` "
                 "for the next page. Errors are {\"ok\": false, \"error\": ..., \"errors\": [...], "
                 "\"status\": ...}.",
        "openapi": "/api/openapi.json",
        "endpoints": [describe_route(route) for route in API_ROUTES],
    })


# What the path parameters of API_ROUTES mean, for the index and the OpenAPI document.
PATH_PARAMS = {
    "article_id": ("string", "Article id, or a unique prefix of it."),
    "actor": ("string", "Actor id, name or alias."),
    "story_id": ("integer", "Story number, as the story listing gives it."),
}


def plain_path(path: str) -> str:
    """A route path without the router's converters: `/api/stories/{story_id}`."""
    return re.sub(r"{(\w+):\w+}", r"{\1}", path)


def describe_route(route: "Endpoint") -> dict[str, Any]:
    """One route as the /api index lists it."""
    path = plain_path(route.path)
    params = [{"name": name, "in": "path", "type": PATH_PARAMS[name][0], "required": True,
               "description": PATH_PARAMS[name][1]} for name in re.findall(r"{(\w+)}", path)]
    for p in route.params + (PAGE_PARAMS if route.paged else ()):
        param = {"name": p.name, "in": "query", "type": p.type, "required": p.required, "description": p.help}
        if p.choices:
            param["choices"] = list(p.choices)
        params.append(param)
    described = {"method": route.method, "path": path, "description": route.summary, "parameters": params,
                 "returns": RETURNS[route.result]}
    if route.write:
        described["needs"] = "Authorization: Bearer <token>"
    if route.body:
        optional = ", ".join(f"`{name}`" for name in ARTICLE_FIELDS[1:])
        described["body"] = f"a JSON array of articles, or JSON Lines: objects with `text` and optionally {optional}"
    return described


# What each kind of route result is, in the words of the /api index.
RETURNS = {"Page": "a page: {items: [...], next: cursor or null}", "Object": "a JSON object",
           "Text": "JSON, Markdown or HTML, as `format` asks"}


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One API route and what its OpenAPI entry says about it."""

    path: str
    method: str
    endpoint: Callable[[Request], Any]  # a Response, or an awaitable one
    summary: str
    params: tuple[Param, ...] = ()
    paged: bool = False
    write: bool = False
    body: bool = False
    result: str = "Object"  # the response schema: Object, Page or Text


API_ROUTES: list[Endpoint] = [
    Endpoint("/api", "GET", api_index, "This list of the endpoints: methods, parameters, what each returns."),
    Endpoint("/api/openapi.json", "GET", api_openapi, "This OpenAPI document."),
    Endpoint("/api/articles", "GET", _listing(ARTICLE_PARAMS, "articles"), "List articles, newest first.",
             ARTICLE_PARAMS, paged=True, result="Page"),
    Endpoint("/api/articles/{article_id}", "GET", api_article,
             "One article (id or unique prefix) with its mentions, actors, events, claims and time expressions."),
    Endpoint("/api/articles/{article_id}", "DELETE", api_delete_article,
             "Delete an article and whatever only it supported.", write=True),
    Endpoint("/api/actors", "GET", _listing(ACTOR_PARAMS, "actors"), "List actors, most mentioned first.",
             ACTOR_PARAMS, paged=True, result="Page"),
    Endpoint("/api/actors/{actor}", "GET", api_actor, "One actor by id, name or alias, with roles and aliases."),
    Endpoint("/api/events", "GET", _listing(EVENT_PARAMS, "events"), "List coded events, newest first.",
             EVENT_PARAMS, paged=True, result="Page"),
    Endpoint("/api/claims", "GET", _listing(CLAIM_PARAMS, "claims"),
             "List claims: who says what, how sure, and the events inside.", CLAIM_PARAMS, paged=True, result="Page"),
    Endpoint("/api/stories", "GET", api_stories, "List stories, most independently reported first.",
             STORY_PARAMS, paged=True, result="Page"),
    Endpoint("/api/stories/{story_id:int}", "GET", api_story,
             "One story: its reports in order with their stance, status, independent sources, claims.",
             STORY_VIEW_PARAMS),
    Endpoint("/api/timeline/{actor}", "GET", api_timeline, "An actor's events and claims in time order.",
             paged=True, result="Page"),
    Endpoint("/api/graph", "GET", api_graph, "The actor graph (or a neighbourhood) as node-link JSON.", GRAPH_PARAMS),
    Endpoint("/api/search", "GET", api_search, "Full-text search over titles and texts.", SEARCH_PARAMS,
             paged=True, result="Page"),
    Endpoint("/api/digest", "GET", api_digest, "A digest of one article, story or actor.", DIGEST_PARAMS,
             result="Text"),
    Endpoint("/api/ingest", "POST", api_ingest,
             "Ingest articles sent as a JSON array or JSON Lines (each an object with `text`).",
             INGEST_PARAMS, write=True, body=True),
]


def openapi_schema(config: ServeConfig) -> dict[str, Any]:
    """The OpenAPI 3.1 document of the API, built from `API_ROUTES`."""
    paths: dict[str, dict[str, Any]] = {}
    for route in API_ROUTES:
        path = plain_path(route.path)
        operation: dict[str, Any] = {
            "operationId": f"{route.method.lower()}_{re.sub(r'[^a-z0-9]+', '_', path.lower()).strip('_')}",
            "summary": route.summary,
            "parameters": [_path_param(name) for name in re.findall(r"{(\w+)", path)]
            + [_query_param(p, config) for p in route.params + (PAGE_PARAMS if route.paged else ())],
            "responses": {
                "200": {"description": "OK", "content": _result_content(route.result)},
                "400": _error_response("Bad parameters or body"),
                "404": _error_response("Not found"),
            },
        }
        if route.write:
            operation["security"] = [{"bearer": []}]
            operation["responses"]["401"] = _error_response("Missing or wrong token")
            operation["responses"]["403"] = _error_response("The server is read-only (no token configured)")
        if route.body:
            operation["requestBody"] = {"required": True, "content": {
                "application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/ArticleIn"}}},
                "application/x-ndjson": {"schema": {"$ref": "#/components/schemas/ArticleIn"}}}}
            operation["responses"]["201"] = {"description": "Articles stored",
                                             "content": _result_content("Object")}
            operation["responses"]["413"] = _error_response(f"Body larger than {config.max_body} bytes")
        paths.setdefault(path, {})[route.method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": "newsgraph", "version": __version__,
                 "description": "Actors, events, claims and stories extracted from news, with evidence."},
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Object": {"type": "object"},
                "Page": {"type": "object", "required": ["items", "next"], "properties": {
                    "items": {"type": "array", "items": {"type": "object"}},
                    "next": {"type": ["string", "null"], "description": "Cursor of the next page; null on the last."},
                    "total": {"type": "integer", "description": "How many rows the filters match in all."}}},
                "Error": {"type": "object", "required": ["ok", "error", "errors", "status"], "properties": {
                    "ok": {"const": False}, "error": {"type": "string"},
                    "errors": {"type": "array"}, "status": {"type": "integer"}}},
                "ArticleIn": {"type": "object", "required": ["text"], "properties": {
                    name: {"type": "string"} for name in ARTICLE_FIELDS}},
            },
        },
    }


def _path_param(name: str) -> dict[str, Any]:
    kind, help = PATH_PARAMS[name]
    return {"name": name, "in": "path", "required": True, "description": help, "schema": {"type": kind}}


def _query_param(p: Param, config: ServeConfig) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "integer" if p.type == "integer" else "string"}
    if p.type == "string":
        schema["maxLength"] = MAX_PARAM_CHARS
    if p.type == "date":
        schema["pattern"] = f"^{DATE_PATTERN}$"
    if p.choices:
        schema["enum"] = list(p.choices)
    if p.minimum is not None:
        schema["minimum"] = p.minimum
    if p.name == "limit":
        schema.update(maximum=config.max_page, default=config.default_page)
    return {"name": p.name, "in": "query", "required": p.required, "description": p.help, "schema": schema}


def _result_content(result: str) -> dict[str, Any]:
    if result == "Text":
        return {"application/json": {"schema": {"$ref": "#/components/schemas/Object"}},
                "text/markdown": {"schema": {"type": "string"}}, "text/html": {"schema": {"type": "string"}}}
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{result}"}}}


def _error_response(description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


# -- errors ---------------------------------------------------------------------------------


def _status_of(exc: Exception) -> tuple[int, str, list[Any], dict[str, str]]:
    if isinstance(exc, ApiError):
        return exc.status, str(exc), exc.errors, exc.headers
    if isinstance(exc, HTTPException):
        message = {404: "not found: see /api for the endpoints",
                   405: "method not allowed"}.get(exc.status_code, str(exc.detail))
        return exc.status_code, message, [], dict(exc.headers or {})
    # `message` only: an error's hint names server paths and shell commands, not for clients
    if isinstance(exc, NotFound):
        return 404, exc.message, [], {}
    if isinstance(exc, StoreUnreadable):
        LOGGER.error("%s", exc)
        return 503, "the store cannot be read; the server log has the details", [], {}
    if isinstance(exc, BadParameter):
        return 400, exc.message, [{"param": exc.param, "message": exc.reason}], {}
    if isinstance(exc, NewsgraphError):
        return 400, exc.message, [], {}
    if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
        return 503, "the store is busy; retry shortly", [], {"Retry-After": "1"}
    LOGGER.exception("unexpected error serving a request", exc_info=exc)
    return 500, "internal error; the server log has the details", [], {}


def handle_error(request: Request, exc: Exception) -> Response:
    """The app's one exception handler: the JSON envelope under /api/, an HTML page elsewhere."""
    status, message, errors, headers = _status_of(exc)
    if request.url.path.startswith("/api"):
        return SafeJSONResponse(error_body(message, status, errors), status_code=status, headers=headers)
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, "error.html", {"status": status, "message": message},
                                      status_code=status, headers=headers)


# -- middleware -----------------------------------------------------------------------------


class SecurityHeaders:
    """Adds the Content-Security-Policy and friends to every response; refuses request
    bodies whose declared size passes the limit before anything reads them."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (n, v) for n, v in SECURITY_HEADERS if n not in names]
            await send(message)

        declared = dict(scope.get("headers", [])).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_body:
            body = error_body(f"request body larger than {self.max_body} bytes", 413)
            await SafeJSONResponse(body, status_code=413)(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)


# -- the app --------------------------------------------------------------------------------


def create_app(config: ServeConfig) -> Starlette:
    """The ASGI app: API, pages and static files over the store at `config.db`."""
    from .web import pages

    templates = Jinja2Templates(env=_jinja_env())
    routes: list[BaseRoute] = [Route(r.path, r.endpoint, methods=[r.method]) for r in API_ROUTES]
    routes += pages.ROUTES
    routes.append(Mount("/static", StaticFiles(directory=WEB_DIR / "static", follow_symlink=False), name="static"))
    middleware = [Middleware(SecurityHeaders, max_body=config.max_body)]
    if config.cors_origins:
        from starlette.middleware.cors import CORSMiddleware

        middleware.append(Middleware(CORSMiddleware, allow_origins=list(config.cors_origins),
                                     allow_methods=["GET", "POST", "DELETE"],
                                     allow_headers=["Authorization", "Content-Type"]))

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        app.state.writer.close()

    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan,
                    exception_handlers={Exception: handle_error, HTTPException: handle_error,
                                        NewsgraphError: handle_error, sqlite3.Error: handle_error})
    app.state.config = config
    app.state.writer = Writer(config.db)
    # the maps' place coordinates take a second to read: load them before the first map is asked for
    threading.Thread(target=_warm_places, name="newsgraph-warm-places", daemon=True).start()
    app.state.templates = templates
    return app


def _warm_places() -> None:
    from .geo import coordinates

    coordinates("")


def _jinja_env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(WEB_DIR / "templates"),
        autoescape=True,  # every template, whatever its name: article text is hostile
        undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True,
    )
    env.filters["http_url"] = http_url
    env.filters["local_url"] = local_url
    env.filters["source_name"] = source_name
    env.filters["short_id"] = short_id
    env.filters["readable_time"] = readable_time
    env.filters["factuality_label"] = factuality_label
    return env


def http_url(value: Any) -> str | None:
    """`value` if it is an http(s) URL, else None: a stored URL may say `javascript:`."""
    text = str(value or "").strip()
    return text if re.match(r"https?://[^\s]+$", text, re.IGNORECASE) else None


def local_url(value: Any) -> str:
    """`value` if it is a path on this site, else `#`."""
    text = str(value or "")
    return text if text.startswith("/") and not text.startswith("//") and "\\" not in text else "#"


def serve(config: ServeConfig, *, host: str = "127.0.0.1", port: int = 8000, log_level: str = "info") -> None:
    """Run the app with uvicorn until interrupted."""
    import uvicorn

    uvicorn.run(create_app(config), host=host, port=port, log_level=log_level, server_header=False)
