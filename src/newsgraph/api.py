"""The HTTP API and the web app behind `newsgraph serve`: one ASGI app over the library.

    app = create_app(ServeConfig(db="newsgraph.db", token=os.environ.get("NEWSGRAPH_TOKEN")))
    uvicorn.run(app, host="127.0.0.1", port=8000)

JSON lives under `/api/` (listings take the CLI's filters as query parameters and page with
`?cursor=…&limit=…`); HTML pages live at stable URLs (`/articles/{id}`, `/actors/{id}`,
`/stories/{id}`, `/events`, `/search?q=`). Reads open a read-only connection per request;
writes (ingest, delete) need the bearer token and run one at a time on a single writer
thread. Every error an API client sees is the envelope of `error_body`.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hmac
import json
import logging
import os
import re
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from . import __version__
from .dates import check_date
from .errors import BadParameter, NewsgraphError, NotFound, StoreUnreadable
from .identity import source_name
from .wording import readable_time
from .settings import Settings, load_settings
from .store import Store

LOGGER = logging.getLogger(__name__)

TOKEN_ENV = "NEWSGRAPH_TOKEN"
CORS_ENV = "NEWSGRAPH_CORS_ORIGINS"
WEB_DIR = Path(__file__).resolve().parent / "web"
STATUSES = ("asserted", "reported", "alleged", "believed", "denied", "unconfirmed", "negated",
            "hypothetical", "future")
KINDS = ("person", "organisation", "state", "place", "group")
DIGEST_FORMATS = ("json", "markdown", "html")
# The longest value any query parameter may carry; longer ones are refused, not truncated.
MAX_PARAM_CHARS = 500

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


@dataclass(frozen=True, slots=True)
class ServeConfig:
    """What `newsgraph serve` needs: the store, the write token and the limits.

    Attributes:
        db: path of the SQLite store.
        token: bearer token that unlocks writes; None keeps the API read-only (writes get 403).
        default_page: rows a listing returns when `limit` is not given.
        max_page: the largest `limit` a client may ask for.
        max_body: the largest request body accepted, in bytes.
        cors_origins: origins allowed to call the API from a browser; empty means no CORS.
        settings: the settings used by ingest.
    """

    db: str
    token: str | None = None
    default_page: int = 50
    max_page: int = 500
    max_body: int = 5 * 1024 * 1024
    cors_origins: tuple[str, ...] = ()
    settings: Settings = field(default_factory=Settings)

    @classmethod
    def from_environment(cls, db: str, *, settings: Settings | None = None, **overrides: Any) -> "ServeConfig":
        """Token and CORS origins from `$NEWSGRAPH_TOKEN` / `$NEWSGRAPH_CORS_ORIGINS` (comma-separated),
        limits from settings when it carries `serve_*` values, then `overrides` (None values ignored)."""
        settings = settings or load_settings()
        values: dict[str, Any] = {
            "token": os.environ.get(TOKEN_ENV) or getattr(settings, "serve_token", None) or None,
            "cors_origins": tuple(o.strip() for o in os.environ.get(CORS_ENV, "").split(",") if o.strip())
            or tuple(getattr(settings, "serve_cors_origins", ()) or ()),
        }
        for name in ("default_page", "max_page", "max_body"):
            if getattr(settings, f"serve_{name}", None) is not None:
                values[name] = getattr(settings, f"serve_{name}")
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(db=db, settings=settings, **values)


class ApiError(NewsgraphError):
    """A request the API refuses; carries the HTTP status and per-field problems."""

    def __init__(self, status: int, message: str, errors: list[Any] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.errors = errors or []
        self.headers = headers or {}


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


# -- parameters and pagination ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Param:
    """One query parameter of an endpoint: how to check it and how to document it."""

    name: str
    help: str
    type: str = "string"  # string | integer | date (YYYY, YYYY-MM or YYYY-MM-DD, see dates.check_date)
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    required: bool = False
    target: str | None = None  # the library's keyword, when it differs from the name


# The shape of a date for the OpenAPI document; `check_date` also refuses month 13 or 30 February.
DATE_PATTERN = r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?"


EVENT_PARAMS = (
    Param("actor", "Actor id, or part of a name or alias, as source or target."),
    Param("country", "ISO 3166 alpha-3 code of a source or target, e.g. PRK."),
    Param("cameo", "CAMEO code or prefix: 04 (the CONSULT root), 042 (one code)."),
    Param("plover", "PLOVER event type, e.g. CONSULT, AID, ASSAULT."),
    Param("since", "Events dated on or after this (YYYY, YYYY-MM or YYYY-MM-DD).", type="date"),
    Param("until", "Events dated on or before this.", type="date"),
    Param("place", "Part of a place name, or a country code of the place."),
    Param("article", "Article id or id prefix."),
    Param("status", "Plain factuality status.", choices=STATUSES),
)
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
STORY_PARAMS = (
    Param("actor", "Only stories with this actor (id, name or alias)."),
    Param("plover", "Only stories with an event of this PLOVER type, e.g. ASSAULT."),
    Param("cameo", "CAMEO code or prefix."),
    Param("since", "Only stories with an event on or after this day (YYYY, YYYY-MM or YYYY-MM-DD).",
          type="date"),
    Param("until", "Only stories with an event on or before this day.", type="date"),
    Param("min_sources", "Only stories reported by at least this many independent sources.",
          type="integer", minimum=1),
    Param("status", "Only stories with an event mention of this factuality status.", choices=STATUSES),
    Param("sort", "Most independent sources first, or the most recent first.", choices=("sources", "recent")),
    Param("as_of", "What was known on this day: only reports published by then.", type="date"),
)
STORY_VIEW_PARAMS = (Param("as_of", "The story as known on this day: only reports published by then.",
                           type="date"),)
GRAPH_PARAMS = (
    Param("actor", "An actor's neighbourhood (id, name or alias); all actors if not given."),
    Param("since", "From this month on (YYYY or YYYY-MM).", type="date"),
    Param("until", "Up to this month.", type="date"),
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
PAGE_PARAMS = (
    Param("limit", "Rows per page.", type="integer", minimum=1),
    Param("cursor", "The `next` value of the previous page."),
)


def parse_params(request: Request, params: tuple[Param, ...], *, paged: bool = False,
                 config: ServeConfig | None = None) -> dict[str, Any]:
    """The checked query parameters of a request, keyed by the library's keyword names.

    Raises ApiError(400) listing every unknown, repeated, malformed or missing parameter.
    """
    known = {p.name: p for p in params + (PAGE_PARAMS if paged else ())}
    problems: list[dict[str, str]] = []
    values: dict[str, Any] = {}
    for name in set(request.query_params.keys()):
        raw = request.query_params.getlist(name)
        spec = known.get(name)
        if spec is None:
            problems.append({"param": name[:50], "message": f"unknown parameter; known: {', '.join(known) or 'none'}"})
        elif len(raw) > 1:
            problems.append({"param": name, "message": "give this parameter once"})
        elif raw[0] != "":
            try:
                values[spec.target or spec.name] = _check(spec, raw[0])
            except ValueError as e:
                problems.append({"param": name, "message": str(e)})
    problems += [{"param": p.name, "message": "required"} for p in params
                 if p.required and (p.target or p.name) not in values]
    if problems:
        said = "; ".join(f"{p['param']}: {p['message']}" for p in problems)
        raise ApiError(400, f"bad query parameter{'s' if len(problems) > 1 else ''}: {said}", problems)
    return values


def _check(spec: Param, raw: str) -> Any:
    if len(raw) > MAX_PARAM_CHARS:
        raise ValueError(f"longer than {MAX_PARAM_CHARS} characters")
    if "\x00" in raw:
        raise ValueError("contains a NUL character")
    if spec.choices and raw not in spec.choices:
        raise ValueError(f"must be one of {', '.join(spec.choices)}")
    if spec.type == "date":
        try:
            return check_date(raw, param=spec.name)
        except BadParameter as e:
            raise ValueError(e.reason) from e
    if spec.type == "integer":
        if not re.fullmatch(r"[0-9]{1,9}", raw):
            raise ValueError("must be a whole number")
        value = int(raw)
        if spec.minimum is not None and value < spec.minimum:
            raise ValueError(f"must be at least {spec.minimum}")
        return value
    return raw


@dataclass(frozen=True, slots=True)
class Page:
    offset: int
    limit: int


def page_of(values: dict[str, Any], config: ServeConfig) -> Page:
    """The page a request asks for; pops `limit` and `cursor` from `values`."""
    # `serve --max-page 20` must not make every listing without `limit` fail
    limit = values.pop("limit", min(config.default_page, config.max_page))
    if limit > config.max_page:
        raise ApiError(400, f"limit is at most {config.max_page}",
                       [{"param": "limit", "message": f"at most {config.max_page}"}])
    cursor = values.pop("cursor", None)
    return Page(offset=decode_cursor(cursor) if cursor else 0, limit=limit)


def encode_cursor(offset: int) -> str:
    """An opaque cursor for the page that starts at `offset`."""
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    match = re.fullmatch(r"o:([0-9]{1,9})", text)
    if not match:
        raise ApiError(400, "bad cursor: pass the `next` value of the previous page unchanged",
                       [{"param": "cursor", "message": "not a cursor this API issued"}])
    return int(match.group(1))


def paged(fetch: Callable[[int, int], list[Any]], page: Page, total: int | None = None) -> dict[str, Any]:
    """`{"items": [...], "next": cursor|null, "total": int}` from `fetch(limit, offset)`; asks
    for one row more than the page to learn whether another page follows. `total` (all rows
    the filters match) is left out when the caller cannot count them."""
    rows = fetch(page.limit + 1, page.offset)
    more = len(rows) > page.limit
    body = {"items": rows[:page.limit], "next": encode_cursor(page.offset + page.limit) if more else None}
    if total is not None:
        body["total"] = total
    return body


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


@contextmanager
def reader(config: ServeConfig) -> Iterator[Store]:
    """A read-only store for one request."""
    if not Path(config.db).exists():
        raise ApiError(503, "no articles have been ingested yet")
    store = Store(config.db, readonly=True)
    try:
        yield store
    finally:
        store.close()


def require_token(request: Request, config: ServeConfig) -> None:
    """403 when the server has no token (read-only), 401 when the request lacks the right one."""
    if not config.token:
        raise ApiError(403, "this server is read-only: it accepts no writes")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), config.token.encode()):
        raise ApiError(401, "missing or wrong token: send `Authorization: Bearer <token>`",
                       headers={"WWW-Authenticate": 'Bearer realm="newsgraph"'})


# -- API endpoints ----------------------------------------------------------------------------


def _config(request: Request) -> ServeConfig:
    return request.app.state.config


def _listing(params: tuple[Param, ...], method: str) -> Callable[[Request], Response]:
    """A paged endpoint that passes its filters to `Store.<method>`."""

    def endpoint(request: Request) -> Response:
        config = _config(request)
        values = parse_params(request, params, paged=True)
        page = page_of(values, config)
        with reader(config) as store:
            counter = getattr(store, f"count_{method}", None)
            body = paged(lambda limit, offset: getattr(store, method)(limit=limit, offset=offset, **values), page,
                         total=counter(**values) if counter else None)
        return SafeJSONResponse(body)

    endpoint.__name__ = f"api_{method}"
    return endpoint


def api_stories(request: Request) -> Response:
    config = _config(request)
    values = parse_params(request, STORY_PARAMS, paged=True)
    page = page_of(values, config)
    with reader(config) as store:
        body = story_listing(store, values, page)
    return SafeJSONResponse(body)


def story_listing(store: Store, values: dict[str, Any], page: Page) -> dict[str, Any]:
    """A page of `browse.story_index` for the checked parameters, with its total."""
    from .browse import story_index

    filters = dict(values)
    if filters.get("actor"):
        try:
            filters["actor_id"] = store.resolve_actor(filters["actor"])["id"]
        except NotFound:  # no such actor: no stories, not a missing page
            return {"items": [], "next": None, "total": 0}
    filters.pop("actor", None)
    found = story_index(store, **filters, limit=page.limit, offset=page.offset)
    more = page.offset + page.limit < found["total"]
    return {"items": found["items"], "next": encode_cursor(page.offset + page.limit) if more else None,
            "total": found["total"]}


def api_article(request: Request) -> Response:
    with reader(_config(request)) as store:
        return SafeJSONResponse(article_record(store, request.path_params["article_id"]))


def article_record(store: Store, article_id: str) -> dict[str, Any]:
    """An article with every record extracted from it."""
    article = store.article(article_id)
    return {**article, "mentions": store.mentions(article["id"]),
            "actors": store.actors(article=article["id"], limit=1000),
            "events": store.events(article=article["id"], limit=10_000),
            "claims": store.claims(article=article["id"], limit=10_000),
            "timexes": store.timexes(article["id"])}


def api_actor(request: Request) -> Response:
    with reader(_config(request)) as store:
        return SafeJSONResponse(store.resolve_actor(request.path_params["actor"]))


def api_story(request: Request) -> Response:
    values = parse_params(request, STORY_VIEW_PARAMS)
    with reader(_config(request)) as store:
        return SafeJSONResponse(store.story(request.path_params["story_id"], as_of=values.get("as_of")))


def api_timeline(request: Request) -> Response:
    config = _config(request)
    values = parse_params(request, (), paged=True)
    page = page_of(values, config)
    found: dict[str, Any] = {}

    def fetch(limit: int, offset: int) -> list[Any]:
        # the store reads only the asked page, however many items the actor has
        found.update(store.timeline(request.path_params["actor"], limit=limit, offset=offset))
        return found["items"]

    with reader(config) as store:
        body = paged(fetch, page)
    if "total" in found:
        body["total"] = found["total"]
    return SafeJSONResponse({"actor": found["actor"], **body})


def api_graph(request: Request) -> Response:
    values = parse_params(request, GRAPH_PARAMS)
    with reader(_config(request)) as store:
        return SafeJSONResponse(store.graph(**values))


def api_search(request: Request) -> Response:
    config = _config(request)
    values = parse_params(request, SEARCH_PARAMS, paged=True)
    page = page_of(values, config)
    with reader(config) as store:
        body = paged(lambda limit, offset: store.search(values["query"], limit=limit, offset=offset), page,
                     total=store.count_search(values["query"]))
    return SafeJSONResponse(body)


def api_digest(request: Request) -> Response:
    values = parse_params(request, DIGEST_PARAMS)
    fmt = values.pop("fmt", "json")
    with reader(_config(request)) as store:
        text = render_digest(store, fmt=fmt, **values)
    if fmt == "json":
        return SafeJSONResponse(json.loads(text))
    media = "text/markdown" if fmt == "markdown" else "text/html"
    return PlainTextResponse(text, media_type=f"{media}; charset=utf-8")


def render_digest(store: Store, **what: Any) -> str:
    """`newsgraph.digest.render_digest` when that module is installed; 501 otherwise."""
    try:
        from .digest import render_digest as render
    except ImportError as e:  # DIGEST: the digest module ships separately (issue 6 item 1)
        raise ApiError(501, "digests are not available in this installation") from e
    return render(store, **what)


async def api_ingest(request: Request) -> Response:
    config = _config(request)
    require_token(request, config)
    options = parse_params(request, INGEST_PARAMS)
    body = await read_body(request, config.max_body)
    articles = parse_articles(body)
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


def parse_articles(body: bytes) -> list[dict[str, str]]:
    """Articles from a JSON array or JSON Lines body; 400 listing every bad item."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ApiError(400, "the body is not UTF-8") from e
    stripped = text.strip()
    if not stripped:
        raise ApiError(400, "empty body: send a JSON array of articles or JSON Lines, each with `text`")
    items: list[Any] = []
    problems: list[dict[str, Any]] = []
    if stripped.startswith("["):
        try:
            items = json.loads(stripped)
        except ValueError as e:
            raise ApiError(400, f"the body is not valid JSON ({e})") from e
    else:
        for number, line in enumerate(stripped.splitlines(), 1):
            if not line.strip():
                continue
            try:
                items.append(json.loads(line))
            except ValueError as e:
                problems.append({"item": number, "message": f"line {number} is not valid JSON ({e})"})
    articles = []
    for number, item in enumerate(items, 1):
        problem = _article_problem(item)
        if problem:
            problems.append({"item": number, "message": problem})
        else:
            articles.append({k: item[k] for k in ARTICLE_FIELDS if item.get(k) is not None})
    if problems:
        raise ApiError(400, f"{len(problems)} article(s) refused; nothing was ingested", problems)
    return articles


def _article_problem(item: Any) -> str | None:
    if not isinstance(item, dict):
        return "an article is a JSON object"
    if not isinstance(item.get("text"), str) or not item["text"].strip():
        return "`text` is required and must be a non-empty string"
    wrong = [k for k in ARTICLE_FIELDS if item.get(k) is not None and not isinstance(item[k], str)]
    if wrong:
        return f"must be strings: {', '.join(wrong)}"
    return None


def _ingest(store: Store, articles: list[dict[str, str]], config: ServeConfig,
            options: dict[str, Any]) -> dict[str, Any]:
    """Run the library's ingest on `articles` through a temporary JSON Lines file."""
    from .pipeline import ingest

    with tempfile.TemporaryDirectory(prefix="newsgraph-ingest-") as folder:
        path = Path(folder) / "request.jsonl"
        path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), "utf-8")
        result = ingest([str(path)], store=store, settings=config.settings, **options)
    return {"ok": result.ok, "stored": result.stored, "duplicates": result.duplicates, "copies": result.copies,
            "not_extracted": result.not_extracted,
            "failures": [{"item": _line_of(f.source), "message": f.reason} for f in result.failures]}


def _line_of(source: str) -> int | str:
    match = re.search(r":(\d+)$", source)
    return int(match.group(1)) if match else "request"


async def api_delete_article(request: Request) -> Response:
    config = _config(request)
    require_token(request, config)
    article_id = request.path_params["article_id"]
    removed = await request.app.state.writer.run(lambda store: store.delete_article(article_id))
    return SafeJSONResponse({"ok": True, **removed})


def api_openapi(request: Request) -> Response:
    return SafeJSONResponse(openapi_schema(_config(request)))


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
    endpoint: Callable
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

    def __init__(self, app: Any, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict) -> None:
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
    routes = [Route(r.path, r.endpoint, methods=[r.method]) for r in API_ROUTES]
    routes += pages.ROUTES
    routes.append(Mount("/static", StaticFiles(directory=WEB_DIR / "static", follow_symlink=False), name="static"))
    middleware = [Middleware(SecurityHeaders, max_body=config.max_body)]
    if config.cors_origins:
        from starlette.middleware.cors import CORSMiddleware

        middleware.append(Middleware(CORSMiddleware, allow_origins=list(config.cors_origins),
                                     allow_methods=["GET", "POST", "DELETE"],
                                     allow_headers=["Authorization", "Content-Type"]))

    @asynccontextmanager
    async def lifespan(app: Starlette):
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
    env.filters["readable_time"] = readable_time
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
