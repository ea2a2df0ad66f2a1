"""Article identity: cleaned body text, declared original source, and a stable id.

An article's id is a hash of its *normalised* text, so the same story ingested twice,
from a file or a feed, with different whitespace or quote styles, is stored once.
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


def article_id(text: str) -> str:
    """Stable 16-hex-digit id of an article body."""
    digest = hashlib.sha256(normalise_for_identity(text).encode("utf-8")).hexdigest()
    return digest[:16]


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
        id=article_id(body),
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
