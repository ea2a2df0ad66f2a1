"""Input readers: files, folders and standard input in, `RawArticle`s (or `Failure`s) out.

`read_sources` is the one lenient boundary. Every reader below raises `IngestError`;
`read_sources` turns each into a `Failure` for that input (or that line / record of a
multi-record file) and carries on with the batch.

Formats, chosen by extension and otherwise by sniffing the first bytes:

    plain text   .txt .text .md                 one article, source "path"
    HTML         .html .htm                     one article (trafilatura), source "path"
    JSON Lines   .jsonl .ndjson .json           one article a line, source "path:LINE"
    RSS / Atom   .rss .atom .xml                one article an entry, source "path#N"
    WARC         .warc (CC-NEWS)                one article an HTML response, source "path#N"
    gzip         .gz of any of these            decompressed as a stream

JSON Lines fields: `text` (required) and `title`, `url`, `published`, `outlet`, `author`,
`original_source`; `_FIELD_ALIASES` lists the other names accepted (`body`, `date`,
`publisher`, …) so that common dumps (Reuters-21578, news-please, NewsAPI) read as they are.

Limits: `settings.max_file_bytes` bounds what is held in memory at once — a whole
single-article file or feed, one JSON line, one WARC payload — and a gzip stream that
expands past it at more than `_BOMB_RATIO` times its compressed size is refused as a
gzip bomb. JSON Lines and WARC files of any size stream in flat memory.
`settings.max_article_chars` bounds each article's text.

Nothing here touches the network: trafilatura and feedparser only ever get bytes.
"""

from __future__ import annotations

import codecs
import email.utils
import gzip
import io
import itertools
import json
import logging
import os
import re
import sys
import zlib
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from .errors import IngestError
from .settings import Settings
from .types import Failure, RawArticle

LOGGER = logging.getLogger(__name__)

__all__ = ["FORMATS_HELP", "article_from_json_line", "article_from_record", "format_from_name", "guarded_records",
           "html_to_text", "normalise_date", "read_json_articles", "read_sources", "records_from_stream"]

STDIN = "<stdin>"
FORMATS_HELP = "plain text (.txt, .md), HTML, JSON Lines, RSS/Atom, WARC, and gzip of these"

_EXTENSIONS = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".html": "html", ".htm": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
    ".rss": "feed", ".atom": "feed", ".xml": "feed",
    ".warc": "warc",
    ".gz": "gzip",
}
# Formats read whole into memory (so bounded by max_file_bytes); the others stream.
_WHOLE = {"text", "html", "feed"}
_HEAD = 64 * 1024  # bytes sniffed to tell the format
_BOMB_RATIO = 100  # text compresses 3-10x; bombs compress 1000x

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document; extract its text first, e.g. pdftotext"),
    (b"PK\x03\x04", "ZIP archive (also .docx, .xlsx, .epub); unzip it or export the text"),
    (b"PK\x05\x06", "ZIP archive (empty)"),
    (b"\x7fELF", "ELF executable"),
    (b"SQLite format 3\x00", "SQLite database"),
)
_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_GZIP_MAGIC = b"\x1f\x8b"
_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")
# WHATWG: browsers read these labels as windows-1252, and so do pages that declare them.
_CHARSET_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
                    "us-ascii": "cp1252", "ascii": "cp1252"}

# Canonical field -> names accepted in JSON records, in order of preference.
_FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "maintext", "content", "article"),
    "title": ("title", "headline"),
    "url": ("url", "link", "source_url"),
    "published": ("published", "publication_date", "date", "date_publish",
                  "published_at", "pubDate", "datetime"),
    "outlet": ("outlet", "publisher", "source", "source_domain", "site_name"),
    "author": ("author", "authors", "byline"),
    "original_source": ("original_source",),
}

Record = Callable[[], RawArticle]  # builds one article or raises IngestError
# Bytes to read: a file, standard input, or one of the wrappers below (peeked, gunzipped).
Stream = BinaryIO | io.RawIOBase


@dataclass(frozen=True, slots=True)
class _Input:
    """One thing to read: a file (path), standard input (path None), or a known problem."""

    source: str
    path: Path | None
    problem: str | None = None


# ---------------------------------------------------------------------------- boundary


def read_sources(
    paths: Iterable[str | RawArticle], *, settings: Settings, stdin: BinaryIO | None = None
) -> Iterator[RawArticle | Failure]:
    """Read articles from files, folders and standard input, lazily.

    Args:
        paths: file paths, folder paths (read recursively, sorted, hidden entries
            skipped) or "-" for standard input; a `RawArticle` among them was read
            already (e.g. by `read_json_articles` from an API request) and passes as it is.
        settings: limits `max_file_bytes` and `max_article_chars` apply.
        stdin: the stream "-" stands for; defaults to `sys.stdin.buffer`.

    Yields:
        A `RawArticle` for each article read, or a `Failure` for each input, line or
        record that could not be read. The batch never stops on a bad input.
    """
    for arg in paths:
        if isinstance(arg, RawArticle):
            yield arg
            continue
        for item in _expand(str(arg)):
            yield from guarded_records(item.source, _records(item, settings, stdin))


def guarded_records(
    source: str, records: Generator[Record, None, None]
) -> Iterator[RawArticle | Failure]:
    """The one lenient place: failures of an input or of a record become `Failure`s.

    `records` are the builders a reader yields for the input `source` (e.g.
    `records_from_stream`); each is called here, so one bad record fails alone.
    """
    try:
        for build in records:
            try:
                yield build()
            except Exception as e:
                yield _failure(e, source)
    except Exception as e:
        yield _failure(e, source)
    finally:
        records.close()  # closes the file now if the caller stops early


def _failure(error: Exception, source: str) -> Failure:
    if isinstance(error, IngestError):
        LOGGER.info("skipping %s: %s", error.source, error.reason)
        return Failure(error.source, _one_line(error.reason))
    LOGGER.warning("unexpected error reading %s", source, exc_info=error)
    reason = f"unexpected {type(error).__name__}: {error}; please report it with this file"
    return Failure(source, _one_line(reason))


def _one_line(reason: str) -> str:
    """Library messages (feedparser, warcio) can span lines; a Failure reason does not."""
    return " ".join(reason.split())


def _raise(error: IngestError) -> RawArticle:
    raise error


# ---------------------------------------------------------------------------- inputs


def _expand(arg: str) -> Iterator[_Input]:
    """One `_Input` per file named by `arg`: itself, each file in a folder, or stdin."""
    if arg == "-":
        yield _Input(STDIN, None)
        return
    path = Path(arg)
    if not path.is_dir():
        yield _Input(arg, path)
        return
    found = False
    for file in _walk(path):
        found = True
        yield _Input(os.path.join(arg, file.relative_to(path)), file)
    if not found:
        yield _Input(arg, None, "folder holds no files to read (hidden files are skipped)")


def _walk(root: Path) -> Iterator[Path]:
    """Files under `root`, sorted, skipping hidden entries and symlinks out of `root`."""
    yield from _walk_in(root, root.resolve())


def _walk_in(folder: Path, real_root: Path) -> Iterator[Path]:
    # One sorted listing per folder, files and subfolders interleaved by name, so the
    # order is the same on every machine and nothing but names is held in memory.
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as e:
        LOGGER.warning("cannot list %s: %s", folder, e.strerror)
        return
    for entry in entries:
        path = Path(entry.path)
        if entry.name.startswith("."):
            continue
        if entry.is_symlink():
            if not path.resolve().is_relative_to(real_root):
                LOGGER.warning("skipping %s: symlink leads out of %s", path, real_root)
                continue
            if path.is_dir():  # a link to a folder inside root: read it there, not twice
                continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk_in(path, real_root)
        else:
            yield path


def _records(item: _Input, settings: Settings, stdin: BinaryIO | None) -> Generator[Record, None, None]:
    """Open one input and stream its records."""
    if item.problem:
        raise IngestError(item.source, item.problem)
    if item.path is None:
        stream = stdin if stdin is not None else getattr(sys.stdin, "buffer", None)
        if stream is None:
            raise IngestError(item.source, "no standard input to read; pipe the articles in")
        yield from records_from_stream(stream, item.source, "", None, settings)
        return
    try:
        handle = open(item.path, "rb")  # noqa: SIM115 - closed by the with below
    except FileNotFoundError as e:
        raise IngestError(item.source, "no such file or folder; check the path") from e
    except OSError as e:
        raise IngestError(item.source, f"cannot open it ({e.strerror})") from e
    with handle:
        size = os.fstat(handle.fileno()).st_size
        yield from records_from_stream(handle, item.source, item.path.name.lower(), size, settings)


def format_from_name(name: str) -> tuple[str | None, str]:
    """(format, name without a .gz suffix) from a lower-case file name."""
    suffix = os.path.splitext(name)[1]
    fmt = _EXTENSIONS.get(suffix)
    return fmt, (name[: -len(suffix)] if fmt == "gzip" else name)


def records_from_stream(
    stream: Stream, source: str, name: str, size: int | None, settings: Settings,
    *, compressed: bool = False,
) -> Generator[Record, None, None]:
    """The article builders of one input: tell the format of `stream` (by the file `name`,
    else by its content) and hand it to its reader. Pass them to `guarded_records`, which
    turns each failure into a `Failure`; called alone, a builder raises `IngestError`."""
    fmt, inner = format_from_name(name)
    limit = settings.max_file_bytes
    if fmt in _WHOLE and size is not None and size > limit:
        raise IngestError(source, _too_big(size, limit))  # before reading a byte
    peek = _Peek(stream)
    head = peek.head
    if fmt == "gzip" or head.startswith(_GZIP_MAGIC):
        if compressed:
            raise IngestError(source, "gzip inside gzip; decompress the outer layer first")
        gz = _GzipStream(peek, source, limit)
        yield from records_from_stream(gz, source, inner, None, settings, compressed=True)
        return
    if peek.complete and not head.strip():
        raise IngestError(source, "empty file (nothing but whitespace)")
    if fmt is None and head.lstrip().startswith(b"WARC/"):
        fmt = "warc"  # before the binary check: WARCs carry images and such
    if fmt != "warc":
        _check_binary(head, source)
    fmt = fmt or _sniff(head)
    if fmt in _WHOLE and size is not None and size > limit:
        raise IngestError(source, _too_big(size, limit))
    yield from _dispatch(fmt, peek, source, settings, compressed=compressed)


def _dispatch(
    fmt: str, peek: _Peek, source: str, settings: Settings, *, compressed: bool
) -> Iterator[Record]:
    """Stream multi-record formats; read the others whole (bounded) first."""
    if fmt == "warc":
        yield from _warc_records(peek, source, settings)
    elif fmt == "jsonl":
        yield from _json_records(peek, source, settings, compressed=compressed)
    else:
        data = _read_bounded(peek, settings.max_file_bytes, source, compressed=compressed)
        if fmt == "feed":
            yield from _feed_records(data, source, settings)
        elif fmt == "html":
            yield partial(_html_build, data, source, settings)
        else:
            yield partial(_text_build, data, source, settings)


def _sniff(head: bytes) -> str:
    """Format of content with no telling extension, from its first bytes."""
    for bom, codec in _BOMS:
        if head.startswith(bom):
            head = head.decode(codec, "ignore").encode("utf-8")
            break
    start = head.lstrip()[:1024].lower()
    if start.startswith(b"warc/"):
        return "warc"
    if start.startswith((b"{", b"[")):
        return "jsonl"
    if start.startswith(b"<"):
        if re.search(rb"<(rss|feed|rdf:rdf)[\s>]", start):
            return "feed"
        return "html"
    return "text"


# ---------------------------------------------------------------------------- bytes


class _Peek(io.RawIOBase):
    """A read-only stream whose first bytes (`head`) were read ahead for sniffing."""

    def __init__(self, raw: Stream) -> None:
        self._raw = raw
        self._error: IngestError | None = None
        chunks: list[bytes] = []
        n = 0
        try:
            while n < _HEAD:
                chunk = raw.read(_HEAD - n)
                if not chunk:
                    break
                chunks.append(chunk)
                n += len(chunk)
        except IngestError as e:  # a cut-short gzip: keep what came, fail after it
            self._error = e
        self.head = b"".join(chunks)
        self.complete = n < _HEAD and self._error is None  # head holds the whole stream
        self._pos = 0
        self.consumed = 0  # bytes handed out so far, for the gzip bomb ratio

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._pos < len(self.head):
            n = min(len(buffer), len(self.head) - self._pos)
            buffer[:n] = self.head[self._pos : self._pos + n]
            self._pos += n
        elif self._error is not None:
            raise self._error
        else:
            data = self._raw.read(len(buffer))
            n = len(data)
            buffer[:n] = data
        self.consumed += n
        return n


class _GzipStream(io.RawIOBase):
    """Streaming gunzip that turns corruption and bombs into `IngestError`."""

    def __init__(self, raw: _Peek, source: str, limit: int) -> None:
        self._raw = raw
        self._gz = gzip.GzipFile(fileobj=raw, mode="rb")
        self._source = source
        self._limit = limit
        self._out = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            # read1: one decompression step at a time, so a cut-short file still hands
            # out everything before the cut (readinto would lose a partly filled buffer)
            data = self._gz.read1(len(buffer))
        except (EOFError, OSError, zlib.error) as e:
            raise IngestError(
                self._source,
                f"gzip data is truncated or corrupt ({e}); what came before it was read",
            ) from e
        n = len(data)
        buffer[:n] = data
        self._out += n
        if self._out > self._limit and self._out > _BOMB_RATIO * max(self._raw.consumed, 1):
            raise IngestError(
                self._source,
                f"gzip bomb: expands past max_file_bytes ({self._limit} bytes) at more than "
                f"{_BOMB_RATIO}x its compressed size; refused",
            )
        return n


def _read_bounded(stream: Stream, limit: int, source: str, *, compressed: bool) -> bytes:
    """All of `stream`, or `IngestError` once it passes `limit` bytes."""
    data = stream.read(limit + 1) or b""  # a raw stream says None for "nothing yet": at the end here
    while len(data) <= limit:  # raw streams may return short reads
        more = stream.read(limit + 1 - len(data))
        if not more:
            break
        data += more
    if len(data) > limit:
        if compressed:
            raise IngestError(
                source,
                f"decompresses to more than max_file_bytes ({limit} bytes): a gzip bomb, or "
                "a file too big for one article; raise ingest.max_file_bytes if it is genuine",
            )
        raise IngestError(source, _too_big(None, limit))
    return data


def _too_big(size: int | None, limit: int) -> str:
    found = f"{size} bytes, " if size is not None else ""
    return (
        f"file is too big ({found}max_file_bytes is {limit}); split it, use JSON Lines "
        "(which streams), or raise ingest.max_file_bytes"
    )


def _check_binary(head: bytes, source: str) -> None:
    """Refuse images, PDFs, archives and other binary data with a reason that says which."""
    if head.startswith(tuple(bom for bom, _ in _BOMS)):
        return  # UTF-16/32 text holds NUL bytes by design
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            raise IngestError(
                source, f"binary file ({kind}), not text; newsgraph reads {FORMATS_HELP}"
            )
    if b"\x00" in head:
        sample = head[:4096]
        if sample[1::2].count(0) > len(sample) // 4 and not sample[0::2].count(0):
            raise IngestError(source, "looks like UTF-16 without a byte-order mark; convert "
                              "it, e.g. iconv -f utf-16le -t utf-8")
        raise IngestError(
            source, f"binary file (NUL bytes; unknown format); newsgraph reads {FORMATS_HELP}"
        )


def _decode(data: bytes, source: str, *, declared: str | None = None, offset: int = 0) -> str:
    """Text from bytes: a BOM wins, then a declared charset, else strict UTF-8."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _strict(data, codec, source, offset)
    if declared:
        codec = _CHARSET_ALIASES.get(declared.lower(), declared)
        try:
            codecs.lookup(codec)
        except LookupError:
            LOGGER.warning("%s: unknown charset %r declared; reading it as UTF-8", source, declared)
        else:
            return _strict(data, codec, source, offset)
    return _strict(data, "utf-8", source, offset)


def _strict(data: bytes, codec: str, source: str, offset: int) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as e:
        byte = data[e.start]
        where = f"byte 0x{byte:02X} at offset {offset + e.start}"
        if codec in ("utf-8", "utf-8-sig"):
            reason = f"not valid UTF-8 ({where}); convert it, e.g. iconv -f latin1 -t utf-8"
        else:
            reason = f"not valid {codec} as declared ({where}); fix the declared charset"
        raise IngestError(source, reason) from e


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _declared_charset(data: bytes) -> str | None:
    """The charset an HTML or XML document declares in its first bytes, if any."""
    head = data[:4096]
    match = _XML_ENCODING.match(head.lstrip()) or _CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None


# ---------------------------------------------------------------------------- articles


def _article(text: str, source: str, settings: Settings, **meta: str | None) -> RawArticle:
    """The one place every reader builds a `RawArticle`, so limits apply alike."""
    if not text.strip():
        raise IngestError(source, "no article text (empty or whitespace only)")
    if len(text) > settings.max_article_chars:
        raise IngestError(
            source,
            f"article text is {len(text)} characters, over max_article_chars "
            f"({settings.max_article_chars}); split it or raise ingest.max_article_chars",
        )
    return RawArticle(text=text, source=source, **{k: v or None for k, v in meta.items()})


def _text_build(data: bytes, source: str, settings: Settings) -> RawArticle:
    text = _newlines(_decode(data, source))
    if not text.strip():
        raise IngestError(source, "empty file (nothing but whitespace)")
    return _article(text, source, settings)


def _html_build(
    data: bytes, source: str, settings: Settings, *, http_charset: str | None = None,
    url: str | None = None, outlet: str | None = None, fallback_date: str | None = None,
) -> RawArticle:
    """One article from an HTML page: main text and metadata via trafilatura."""
    import trafilatura  # slow to import; only HTML needs it
    from trafilatura.settings import Document

    html = _newlines(_decode(data, source, declared=http_charset or _declared_charset(data)))
    if not html.strip():
        raise IngestError(source, "empty HTML page")
    try:
        doc = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=True
        )
    except (ValueError, TypeError) as e:  # lxml gives up on some broken pages
        raise IngestError(source, f"HTML cannot be parsed ({e})") from e
    # a Document: trafilatura returns a dict only when asked (as_dict=True), None for no text
    text = doc.text if isinstance(doc, Document) else None
    if not isinstance(doc, Document) or not text or not text.strip():
        raise IngestError(
            source,
            "no article text found in the HTML; is it an article page (not an index, "
            "a script-only page or a fragment)? Save it as .txt to read it as plain text",
        )
    return _article(
        _newlines(text), source, settings, title=doc.title, url=url or doc.url,
        published=normalise_date(doc.date) or fallback_date,
        outlet=outlet or doc.sitename, author=doc.author,
    )


# ---------------------------------------------------------------------------- JSON Lines


def read_json_articles(data: bytes, source: str, settings: Settings) -> Iterator[RawArticle | Failure]:
    """Articles from bytes that hold what a .json or .jsonl file may: JSON Lines, one JSON
    object, or an array of them — read as such a file is, with the same field aliases, limits
    and reasons (the HTTP API's ingest body goes through here).

    Yields:
        A `RawArticle` for each good record, a `Failure` for each bad one (its source is
        `source:LINE` for JSON Lines, `source#N` for an array), or one `Failure` named
        `source` when the bytes as a whole cannot be read.
    """
    return guarded_records(source, _json_records(_Peek(io.BytesIO(data)), source, settings, compressed=False))


def _json_records(peek: _Peek, source: str, settings: Settings, *, compressed: bool) -> Generator[Record, None, None]:
    """JSON Lines stream line by line; one JSON document (an array, a multi-line object) is read whole."""
    if not _is_json_document(peek.head):
        yield from _jsonl_records(peek, source, settings)
        return
    data = _read_bounded(peek, settings.max_file_bytes, source, compressed=compressed)
    yield from _json_document_records(data, source, settings)


def _jsonl_records(stream: _Peek, source: str, settings: Settings) -> Iterator[Record]:
    """One record per line, read line by line so memory stays flat on any file size."""
    if stream.head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise IngestError(source, "JSON Lines must be UTF-8, this is UTF-16; "
                          "convert it, e.g. iconv -f utf-16 -t utf-8")
    reader = io.BufferedReader(stream, buffer_size=1 << 16)
    limit = settings.max_file_bytes
    offset = 0
    for lineno in itertools.count(1):
        line = reader.readline(limit + 1)
        if not line:
            return
        start, offset = offset, offset + len(line)
        where = f"{source}:{lineno}"
        if len(line) > limit and not line.endswith(b"\n"):
            offset += _skip_line(reader)
            yield partial(_raise, IngestError(where, f"line is over max_file_bytes ({limit} "
                                              "bytes); split the record or raise the limit"))
        elif line.strip():
            if lineno == 1 and line.startswith(codecs.BOM_UTF8):
                line, start = line[len(codecs.BOM_UTF8):], start + len(codecs.BOM_UTF8)
            yield partial(article_from_json_line, line, where, start, settings)


def _is_json_document(head: bytes) -> bool:
    """True for one JSON document (an array, or an object over several lines), not JSONL."""
    start = head.lstrip(codecs.BOM_UTF8).lstrip()
    first_line = start.split(b"\n", 1)[0].rstrip()
    return start.startswith(b"[") or (start.startswith(b"{") and not first_line.endswith(b"}"))


def _json_document_records(data: bytes, source: str, settings: Settings) -> Iterator[Record]:
    """A .json file holding one object (source "path") or an array of them ("path#N")."""
    try:
        doc = json.loads(_decode(data, source))
    except json.JSONDecodeError as e:
        raise IngestError(source, f"not valid JSON ({e.msg} at line {e.lineno} column "
                          f"{e.colno}); fix it, or write one object per line (JSON Lines)") from e
    except RecursionError as e:  # [[[[…]]]] deeper than Python's stack: hostile, not a bug
        raise IngestError(source, "JSON nested too deeply to read; an article is a flat object") from e
    if isinstance(doc, dict):
        yield partial(article_from_record, doc, source, settings)
        return
    if not isinstance(doc, list):
        raise IngestError(source, f"expected a JSON object or array, found {type(doc).__name__}")
    for n, item in enumerate(doc, 1):
        where = f"{source}#{n}"
        if isinstance(item, dict):
            yield partial(article_from_record, item, where, settings)
        else:
            yield partial(_raise, IngestError(where, f"expected a JSON object, found "
                                              f"{type(item).__name__}"))


def _skip_line(reader: io.BufferedReader[Any]) -> int:
    """Read past the rest of an over-long line; return how many bytes that was."""
    skipped = 0
    while True:
        chunk = reader.readline(1 << 20)
        skipped += len(chunk)
        if not chunk or chunk.endswith(b"\n"):
            return skipped


def article_from_json_line(line: bytes, source: str, offset: int, settings: Settings) -> RawArticle:
    """The article of one JSON Lines line (`offset`: where the line starts in its file, for
    messages); `IngestError` when it is not a JSON object or holds no article text."""
    text = _decode(line, source, offset=offset)
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as e:
        raise IngestError(
            source, f"not valid JSON ({e.msg} at column {e.colno}); fix or remove this line"
        ) from e
    except RecursionError as e:  # [[[[…]]]] deeper than Python's stack: hostile, not a bug
        raise IngestError(source, "JSON nested too deeply to read; an article is a flat object") from e
    if not isinstance(obj, dict):
        raise IngestError(source, f"expected a JSON object, found {type(obj).__name__}; "
                          "each line must be one {...} article")
    return article_from_record(obj, source, settings)


def article_from_record(obj: dict[str, Any], source: str, settings: Settings) -> RawArticle:
    """An article from a JSON object, accepting the aliases in `_FIELD_ALIASES`."""
    values = {name: _field(obj, name, source) for name in _FIELD_ALIASES}
    text = values.pop("text")
    if not text or not text.strip():
        names = ", ".join(_FIELD_ALIASES["text"][1:])
        raise IngestError(
            source, f"no article text: field 'text' (or {names}) is missing or empty"
        )
    raw_date = values.pop("published")
    published = normalise_date(raw_date) if raw_date else None
    if raw_date and not published:
        LOGGER.warning("%s: cannot read date %r; published left empty", source, raw_date)
    return _article(_newlines(text), source, settings, published=published, **values)


def _field(obj: dict[str, Any], name: str, source: str) -> str | None:
    """The first non-empty alias of `name` in `obj`, as a string."""
    for key in _FIELD_ALIASES[name]:
        value = obj.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            value = _as_string(value, key, source, sep="\n\n" if name == "text" else ", ")
        if value and value.strip():
            return value
    return None


def _as_string(value: Any, key: str, source: str, *, sep: str) -> str | None:
    """Strings from the other shapes dumps use; `IngestError` for anything else."""
    if isinstance(value, dict):  # NewsAPI: "source": {"id": ..., "name": ...}
        value = value.get("name")
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return sep.join(v for v in value if v.strip())  # "authors": [...], paragraphs
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if value is None or isinstance(value, str):
        return value
    raise IngestError(source, f"field '{key}' must be a string, found {type(value).__name__}")


# ---------------------------------------------------------------------------- feeds


def _feed_records(data: bytes, source: str, settings: Settings) -> Iterator[Record]:
    """A feed is read whole (feedparser needs it), then each entry becomes a record."""
    import feedparser  # only feeds need it

    # Bytes in a stream: feedparser never treats them as a URL or path to fetch,
    # and its SAX parser does not resolve external entities.
    feed = feedparser.parse(io.BytesIO(data), resolve_relative_uris=False, sanitize_html=False)
    if not feed.entries:
        problem = feed.get("bozo_exception")
        why = (f"not a valid RSS/Atom feed ({problem})" if problem
               else "no RSS/Atom entries found (.xml, .rss and .atom files are read as feeds)")
        raise IngestError(source, why)
    outlet = feed.feed.get("title")
    for n, entry in enumerate(feed.entries, 1):
        yield partial(_entry_build, entry, f"{source}#{n}", outlet, settings)


def _entry_build(entry: Any, source: str, outlet: str | None, settings: Settings) -> RawArticle:
    body = _entry_body(entry)
    if body is None:
        raise IngestError(source, "feed entry has no content or summary")
    raw_date = entry.get("published") or entry.get("updated")
    published = normalise_date(raw_date) if raw_date else None
    if raw_date and not published:
        LOGGER.warning("%s: cannot read date %r; published left empty", source, raw_date)
    author = entry.get("author_detail", {}).get("name") or entry.get("author")
    return _article(
        body, source, settings, title=entry.get("title"), url=entry.get("link"),
        published=published, outlet=outlet, author=author,
    )


def _entry_body(entry: Any) -> str | None:
    """Plain text of an entry's content (the longest part), else of its summary."""
    parts = [c for c in entry.get("content", []) if c.get("value", "").strip()]
    if parts:
        part = max(parts, key=lambda c: len(c["value"]))
        return _detail_text(part["value"], part.get("type", ""))
    summary = entry.get("summary")
    if summary and summary.strip():
        kind = entry.get("summary_detail", {}).get("type", "text/html")
        return _detail_text(summary, kind)
    return None


def _detail_text(value: str, kind: str) -> str:
    if "html" in kind:
        return html_to_text(value)
    return _newlines(value).strip()


_BLOCK_TAGS = frozenset((
    "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
    "table", "tr", "section", "article", "header", "footer", "figure", "figcaption", "aside",
    "dd", "dt", "dl", "hr", "main", "nav", "address",
))


def html_to_text(fragment: str) -> str:
    """Readable text from an HTML fragment: blocks become paragraphs, tags go."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return _newlines(fragment).strip()
    for el in list(root.iter("script", "style", "noscript")):
        el.drop_tree()
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag == "br":
            el.tail = "\n" + (el.tail or "")
        elif el.tag in _BLOCK_TAGS:
            el.text = "\n\n" + (el.text or "")
            el.tail = "\n\n" + (el.tail or "")
    lines = (" ".join(line.split()) for line in _newlines(root.text_content()).split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# ---------------------------------------------------------------------------- WARC


def _warc_records(stream: Stream, source: str, settings: Settings) -> Iterator[Record]:
    """Each HTML `response` record of a WARC (e.g. CC-NEWS) becomes one article."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    n = 0
    try:
        for n, record in enumerate(ArchiveIterator(stream), 1):
            built = _warc_record(record, f"{source}#{n}", settings)
            if built is not None:
                yield built
    except (ArchiveLoadFailed, EOFError, OSError, zlib.error, ValueError) as e:
        raise IngestError(
            source, f"WARC is truncated or corrupt after record {n} ({e}); "
            "the records before it were read",
        ) from e


def _warc_record(record: Any, source: str, settings: Settings) -> Record | None:
    """The builder for one WARC record, or None for records that are not HTML pages."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    content_type = record.http_headers.get_header("Content-Type") or ""
    if "html" not in content_type.lower():
        LOGGER.debug("%s: skipping %s record", source, content_type or "untyped")
        return None
    limit = settings.max_file_bytes
    payload = _read_bounded(record.content_stream(), limit, source, compressed=False)
    missing = getattr(record.raw_stream, "limit", 0)  # warcio reads short records silently
    if missing:
        raise IngestError(source, f"WARC record is cut short ({missing} bytes missing): the "
                          "file is truncated or corrupt; the records before it were read")
    url = record.rec_headers.get_header("WARC-Target-URI")
    charset = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type, re.I)
    return partial(
        _html_build, payload, source, settings, url=url,
        http_charset=charset.group(1) if charset else None,
        outlet=urlsplit(url).hostname if url else None,
        fallback_date=normalise_date(record.rec_headers.get_header("WARC-Date") or ""),
    )


# ---------------------------------------------------------------------------- dates

_PARTIAL_ISO = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
# Reuters-21578 and other wire dumps: "26-FEB-1987 15:01:01.79", at times with a bad
# time ("605:12:19") or trailing codes ("…01.79RM"); the date part is still good.
_DAY_MON_YEAR = re.compile(
    r"(\d{1,2})-([A-Za-z]{3})-(\d{4})(?:\s+(\d{1,3}):(\d{2}):(\d{2}))?")
_MONTHS = {
    m: n for n, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)
}
_FORMATS = ("%Y-%m-%d %H:%M:%S.%f", "%Y/%m/%d")


@lru_cache(maxsize=4096)  # dumps repeat dates; dateparser is slow
def normalise_date(value: str | None) -> str | None:
    """An ISO 8601 date or datetime from a date string, or None when it cannot be read.

    Keeps the precision given: "2016-03-11" stays a date, "March 2016" becomes
    "2016-03"; times keep their UTC offset when they have one and drop fractions.
    Relative dates ("yesterday") are refused: there is no reference date here.
    """
    text = (value or "").strip()
    if not text:
        return None
    if _PARTIAL_ISO.fullmatch(text):
        return text if _valid_partial(text) else None
    try:
        return _iso(datetime.fromisoformat(text))
    except ValueError:
        pass
    wire = _day_mon_year(text)
    if wire:
        return wire
    for fmt in _FORMATS:
        try:
            return _iso(datetime.strptime(text, fmt))
        except ValueError:
            continue
    try:
        return _iso(email.utils.parsedate_to_datetime(text))  # RSS: RFC 822 dates
    except (TypeError, ValueError, IndexError):
        pass
    return _dateparser(text)


def _day_mon_year(text: str) -> str | None:
    """"26-FEB-1987 15:01:01.79" -> "1987-02-26T15:01:01"; the date alone if the time is bad."""
    match = _DAY_MON_YEAR.match(text)
    month = _MONTHS.get(match.group(2).lower()) if match else None
    if match is None or month is None:
        return None
    day, _, year, hour, minute, second = match.groups()
    try:
        date = datetime(int(year), month, int(day))
    except ValueError:
        return None
    try:  # strptime would cost more than all the rest of a JSON line
        return _iso(date.replace(hour=int(hour), minute=int(minute), second=int(second)))
    except (TypeError, ValueError):  # no time, or an impossible one
        return date.date().isoformat()


def _valid_partial(text: str) -> bool:
    year, month, day = ([int(p) for p in text.split("-")] + [1, 1])[:3]
    try:
        datetime(year, month, day)
    except ValueError:
        return False
    return True


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _dateparser(text: str) -> str | None:
    data = _date_parser().get_date_data(text)
    moment: datetime | None = data["date_obj"]
    period: str | None = data["period"]
    if moment is None:
        return None
    if period == "year":
        return f"{moment.year:04d}"
    if period == "month":
        return f"{moment.year:04d}-{moment.month:02d}"
    if period == "day":
        return moment.date().isoformat()
    return _iso(moment)


@lru_cache(maxsize=1)
def _date_parser() -> Any:
    from dateparser.date import DateDataParser

    # English only: newsgraph reads English news, and loading every locale takes seconds.
    return DateDataParser(languages=["en"], settings={
        "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_TIME_AS_PERIOD": True,
    })

