"""Article identity: cleaned body text, declared original source, and a stable id.

An article's id is its publication day followed by a hash of its *normalised* text
(`20240105-3f2a9c0d1e2f3a4b`), so the same story ingested twice, from a file or a feed, with
different whitespace or quote styles, is found again, and a store's records of one day lie
together on disk (see `article_id`).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import replace

from .types import Article, RawArticle

# A trailer line that declares where a rewritten or syndicated article came from, e.g.
# "Original Source: www.independent.co.uk" or "Originally published by Reuters".
_TRAILER = re.compile(
    r"^\s*(?:original(?:ly)?\s+(?:source|published\s+(?:at|by|in|on)|appeared\s+(?:at|in|on))"
    r"|source\s+article|originally\s+from)\s*[:\-–]?\s*(?P<source>\S.{0,300}?)\s*$",
    re.IGNORECASE,
)
# How many trailing lines may hold such a trailer (it closes the article).
_TRAILER_LINES = 3

_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "´": "'"})
_DASHES = re.compile(r"[‐‑‒–—―]")
_SPACE = re.compile(r"\s+")
# Longest title made from an untitled article's text; longer first lines are cut to their first sentence.
HEADLINE_CHARS = 100
_FIRST_SENTENCE = re.compile(r".+?[.!?](?=\s|$)")
# Digits of the text hash that ends every article id
TEXT_KEY_DIGITS = 16
# The day (or month) of a publication date that opens an article's id; a year alone is too
# coarse to order by and counts as no date
_ID_DAY = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?(?!\d)")
# Where a reader says a record came from: a path, with ":LINE" (JSON Lines) or "#N" (feeds, WARC).
_RECORD_SUFFIX = re.compile(r"(?::\d+|#\d+)$")


def clean_text(text: str) -> str:
    """Body text as stored: newlines normalised, trailing blanks stripped, no NULs."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    lines = [line.rstrip() for line in text.split("\n")]
    text = "\n".join(lines).strip("\n ")
    return re.sub(r"\n{3,}", "\n\n", text)


def split_trailer(text: str) -> tuple[str, str | None]:
    """Separate an `Original Source: …` trailer from the body; returns (body, source)."""
    lines = text.split("\n")
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    for i in reversed(nonblank[-_TRAILER_LINES:]):
        match = _TRAILER.match(lines[i])
        if match:
            body = "\n".join(lines[:i] + lines[i + 1 :])
            return clean_text(body), match.group("source").strip().rstrip(".")
    return text, None


def normalise_for_identity(text: str) -> str:
    """The text an id is computed from: NFKC, straight quotes, one kind of dash and space, lowercase."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = _DASHES.sub("-", text)
    return _SPACE.sub(" ", text).strip().casefold()


def article_id(text: str, published: str | None = None) -> str:
    """Stable id of an article: its publication day (`YYYYMMDD-`, or `YYYYMM-` when only the
    month is known) and then `text_key(text)`; an undated article's id is its text key alone.

    The day comes first so that ids follow time. Every record table is keyed by article id
    (events and claims by `<article id>-eN`), and a new article's rows then land at the end of
    each index, beside the day's other articles, instead of on a random page of an index as
    large as the store: the cost of writing an article grows far less with the store."""
    key = text_key(text)
    day = _ID_DAY.match(published or "")
    if day is None:
        return key
    return f"{day.group(1)}{day.group(2)}{day.group(3) or ''}-{key}"


def text_key(text: str) -> str:
    """16 hex digits of the SHA-256 of the normalised text: equal for exact copies."""
    return hashlib.sha256(normalise_for_identity(text).encode("utf-8")).hexdigest()[:TEXT_KEY_DIGITS]


def text_key_of(article_id: str) -> str:
    """The text key inside an article id (an id made before ids had a day is all text key)."""
    return article_id[-TEXT_KEY_DIGITS:]


def short_id(article_id: str) -> str:
    """The start of an id that tells articles apart in a citation: the day and 8 digits of
    the text key. A prefix of the id, so that filters by id prefix find it; an id of another
    shape (a caller's own) is kept whole."""
    cut = len(article_id) - TEXT_KEY_DIGITS + 8
    return article_id[:cut] if cut >= 8 else article_id


def date_precision(value: str | None) -> str | None:
    """Precision of an ISO 8601 date or datetime string: year, month, day, minute or second."""
    if not value:
        return None
    if re.fullmatch(r"\d{4}", value):
        return "year"
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return "month"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return "day"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", value):
        return "minute"
    return "second"


def make_article(raw: RawArticle, *, language: str | None = None) -> Article:
    """Turn what a reader found into an Article: clean body, trailer split off, id computed."""
    body, declared = split_trailer(clean_text(raw.text))
    return Article(
        id=article_id(body, raw.published),
        text=body,
        source=raw.source,
        title=raw.title or headline(body) or source_name(raw.source),
        url=raw.url,
        outlet=raw.outlet,
        author=raw.author,
        published=raw.published,
        published_precision=date_precision(raw.published),
        language=language,
        original_source=raw.original_source or declared,
    )


def headline(text: str) -> str | None:
    """A title for an article that came without one: its first line when that is short
    enough to be a headline, else the first sentence of it, clipped at a word."""
    line = next((part.strip() for part in text.split("\n") if part.strip()), "")
    if len(line) > HEADLINE_CHARS:
        sentence = _FIRST_SENTENCE.match(line)
        line = sentence.group(0) if sentence else line
    if len(line) > HEADLINE_CHARS:
        line = line[: HEADLINE_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return line or None


def source_name(source: str | None) -> str | None:
    """What to call an article by its source when it has no title: the file name, with its
    line or record number, never the folders above it (an absolute path says nothing to a reader
    and shows where the server keeps its files)."""
    if not source:
        return None
    suffix = _RECORD_SUFFIX.search(source)
    path = source[: suffix.start()] if suffix else source
    name = path.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    return (name + (suffix.group(0) if suffix else "")) or None


def with_defaults(raw: RawArticle, *, published: str | None = None, outlet: str | None = None,
                  url: str | None = None) -> RawArticle:
    """Fill metadata the input did not carry from command-line defaults."""
    return replace(
        raw,
        published=raw.published or published,
        outlet=raw.outlet or outlet,
        url=raw.url or url,
    )
