"""Reading a request: checked query parameters, pages and cursors, the server's
configuration and a read-only store per request. The HTTP API (`api.py`) and the HTML
pages (`pages.py`) share it, so neither imports the other.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.requests import Request

from ..dates import check_date
from ..errors import ApiError, BadParameter
from ..settings import ServeConfig
from ..store import COUNT_CAP, Store, bounded_total

STATUSES = ("asserted", "reported", "alleged", "believed", "denied", "unconfirmed", "negated",
            "hypothetical", "future")
KINDS = ("person", "organisation", "state", "place", "group")
# The longest value any query parameter may carry; longer ones are refused, not truncated.
MAX_PARAM_CHARS = 500


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
    """The rows a listing asks for: `limit` of them from `offset` on."""

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
    """The offset `cursor` stands for; ApiError(400) for anything `encode_cursor` did not make."""
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
    the filters match, counted up to `COUNT_CAP`: past it the body says `"total": COUNT_CAP,
    "total_capped": true`) is left out when the caller cannot count them."""
    rows = fetch(page.limit + 1, page.offset)
    more = len(rows) > page.limit
    body: dict[str, Any] = {"items": rows[:page.limit], "next": encode_cursor(page.offset + page.limit) if more else None}
    if total is not None:
        body.update(bounded_total(total, COUNT_CAP))
    return body


def config_of(request: Request) -> ServeConfig:
    """The configuration of the server the request came to."""
    config: ServeConfig = request.app.state.config
    return config


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
