"""What a page and an API endpoint both show: records assembled from the store."""

from __future__ import annotations

from typing import Any

from ..errors import ApiError, NotFound
from ..store import Store
from .requests import Page, encode_cursor


def story_listing(store: Store, values: dict[str, Any], page: Page) -> dict[str, Any]:
    """A page of `browse.story_index` for the checked parameters, with its total."""
    from ..store.browse import story_index

    filters = dict(values)
    if filters.get("actor"):
        try:
            filters["actor_id"] = store.resolve_actor(filters["actor"])["id"]
        except NotFound:  # no such actor: no stories, not a missing page
            return {"items": [], "next": None, "total": 0}
    filters.pop("actor", None)
    found = story_index(store, **filters, limit=page.limit, offset=page.offset)
    more = page.offset + page.limit < found["total"] or found.get("total_capped", False)
    return {"items": found["items"], "next": encode_cursor(page.offset + page.limit) if more else None,
            **{k: v for k, v in found.items() if k.startswith("total")}}


def article_record(store: Store, article_id: str) -> dict[str, Any]:
    """An article with every record extracted from it."""
    article = store.article(article_id)
    return {**article, "mentions": store.mentions(article["id"]),
            "actors": store.actors(article=article["id"], limit=1000),
            "events": store.events(article=article["id"], limit=10_000),
            "claims": store.claims(article=article["id"], limit=10_000),
            "timexes": store.timexes(article["id"])}


def render_digest(store: Store, **what: Any) -> str:
    """`newsgraph.digest.render_digest` when that module is installed; 501 otherwise."""
    try:
        from ..digest import render_digest as render
    except ImportError as e:  # DIGEST: the digest module ships separately (issue 6 item 1)
        raise ApiError(501, "digests are not available in this installation") from e
    return render(store, **what)
