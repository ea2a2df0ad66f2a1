"""Input readers: every format, every documented failure, and round-trip properties."""

from __future__ import annotations

import gzip
import io
import json
import os
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings as hsettings, strategies as st

from newsgraph.settings import Settings
from newsgraph.sources import html_to_text, normalise_date, read_json_articles, read_sources
from newsgraph.types import Failure, RawArticle

SETTINGS = Settings()

BODY = (
    "The foreign ministers of Norway and Finland met in Oslo on Tuesday to discuss border "
    "security and energy cooperation, officials said. According to a statement from the "
    "Norwegian foreign ministry, the two sides agreed to share more information about "
    "shipping in the Baltic Sea and the Arctic."
)
PAGE = f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Ministers meet in Oslo | Example News</title>
<meta property="og:site_name" content="Example News">
<meta name="author" content="Jane Roe">
<meta property="article:published_time" content="2024-06-18T09:30:00+02:00">
</head><body><nav>Home | World | Sport</nav>
<article><h1>Ministers meet in Oslo</h1><p>{BODY}</p>
<p>Critics in parliament said the agreement did not go far enough and called for a vote.</p>
</article><footer>Contact us</footer></body></html>"""

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Example Wire</title><link>https://wire.example.org/</link>
<item><title>Talks in Oslo</title><link>https://wire.example.org/oslo</link>
<pubDate>Tue, 18 Jun 2024 09:30:00 +0200</pubDate><author>desk@example.org (Jane Roe)</author>
<description>&lt;p&gt;Ministers &lt;b&gt;met&lt;/b&gt; in Oslo.&lt;/p&gt;
&lt;p&gt;They agreed.&lt;/p&gt;</description>
</item>
<item><title>No body here</title><link>https://wire.example.org/empty</link></item>
<item><title>Vote in Helsinki</title><link>https://wire.example.org/helsinki</link>
<pubDate>Wed, 19 Jun 2024 10:00:00 GMT</pubDate>
<description>Parliament voted on Wednesday.</description>
</item></channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Example Atom</title>
<id>urn:example:feed</id><updated>2024-06-18T10:00:00Z</updated>
<entry><title>Ministers meet</title><link href="https://atom.example.org/a1"/>
<id>urn:example:a1</id><published>2024-06-18T09:30:00Z</published><updated>2024-06-18T09:30:00Z</updated>
<author><name>Jane Roe</name></author>
<summary>Short summary.</summary>
<content type="html">&lt;p&gt;Full text of the meeting.&lt;/p&gt;
&lt;p&gt;Second paragraph.&lt;/p&gt;</content>
</entry></feed>"""


def read(paths, settings: Settings = SETTINGS, **kw) -> list[RawArticle | Failure]:
    return list(read_sources([str(p) for p in paths], settings=settings, **kw))


def articles(items) -> list[RawArticle]:
    return [i for i in items if isinstance(i, RawArticle)]


def failures(items) -> list[Failure]:
    return [i for i in items if isinstance(i, Failure)]


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def make_warc(path: Path, *, truncate: int | None = None) -> Path:
    """A CC-NEWS-like WARC: warcinfo, two HTML responses and an image response."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=path.name.endswith(".gz"))
    writer.write_record(writer.create_warcinfo_record("cc-news-test", {"software": "test"}))

    def response(url: str, body: bytes, ctype: str, date: str) -> None:
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), http_headers=headers,
            warc_headers_dict={"WARC-Date": date},
        )
        writer.write_record(record)
        record.raw_stream.close()  # warcio buffers it in a temporary file

    response("https://www.example.org/news/oslo", PAGE.encode(), "text/html; charset=utf-8",
             "2024-06-20T01:02:03Z")
    response("https://img.example.org/logo.png", b"\x89PNG\r\n\x1a\n....", "image/png",
             "2024-06-20T01:02:04Z")
    undated = PAGE.replace('<meta property="article:published_time" '
                           'content="2024-06-18T09:30:00+02:00">', "")
    response("https://news.example.net/helsinki", undated.encode(), "text/html",
             "2024-06-21T05:06:07Z")
    data = buffer.getvalue()
    return write(path, data[:truncate] if truncate else data)


# ---------------------------------------------------------------------------- formats


def test_sources_plain_text_keeps_text_and_normalises_newlines(tmp_path):
    path = write(tmp_path / "a.txt", "Line one.\r\nLine two.\rOriginal Source: x.org\n")
    [item] = read([path])
    expected = "Line one.\nLine two.\nOriginal Source: x.org\n"
    assert item == RawArticle(text=expected, source=str(path))


@pytest.mark.parametrize("encoded", [
    "Zürich talks.".encode("utf-8-sig"),
    "Zürich talks.".encode("utf-16"),  # BOM included
])
def test_sources_text_accepts_boms(tmp_path, encoded):
    [item] = read([write(tmp_path / "bom.txt", encoded)])
    assert item.text == "Zürich talks."


def test_sources_html_extracts_text_and_metadata(tmp_path):
    [item] = read([write(tmp_path / "page.html", PAGE)])
    assert isinstance(item, RawArticle), item
    assert item.title == "Ministers meet in Oslo"
    assert item.author == "Jane Roe"
    assert item.published == "2024-06-18"
    assert item.outlet == "Example News"
    assert "Baltic Sea" in item.text and "Contact us" not in item.text


def test_sources_html_honours_declared_charset(tmp_path):
    page = PAGE.replace('charset="utf-8"', 'charset="iso-8859-1"').replace("Oslo", "Tromsø")
    [item] = read([write(tmp_path / "latin.htm", page.encode("latin-1"))])
    assert isinstance(item, RawArticle), item
    assert "Tromsø" in item.text


def test_sources_html_without_text_fails(tmp_path):
    page = "<html><head><script>var a=1;</script></head><body><div>"
    path = write(tmp_path / "broken.html", page)
    [item] = read([path])
    assert isinstance(item, Failure) and item.source == str(path)
    assert "no article text found in the HTML" in item.reason


def test_sources_rss_entries(tmp_path):
    path = write(tmp_path / "wire.rss", RSS)
    first, empty, third = read([path])
    assert first == RawArticle(
        text="Ministers met in Oslo.\n\nThey agreed.", source=f"{path}#1", title="Talks in Oslo",
        url="https://wire.example.org/oslo", published="2024-06-18T09:30:00+02:00",
        outlet="Example Wire", author="Jane Roe",
    )
    assert empty == Failure(f"{path}#2", "feed entry has no content or summary")
    assert third.text == "Parliament voted on Wednesday."
    assert third.published == "2024-06-19T10:00:00+00:00"


def test_sources_atom_prefers_content_over_summary(tmp_path):
    [item] = read([write(tmp_path / "feed.atom", ATOM)])
    assert item.text == "Full text of the meeting.\n\nSecond paragraph."
    assert (item.title, item.url, item.author, item.outlet) == (
        "Ministers meet", "https://atom.example.org/a1", "Jane Roe", "Example Atom")
    assert item.published == "2024-06-18T09:30:00+00:00"


def test_sources_feed_never_resolves_external_entities(tmp_path):
    secret = write(tmp_path / "secret.txt", "TOP-SECRET-VALUE")
    feed = RSS.replace('<?xml version="1.0" encoding="utf-8"?>',
                       f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>'
                       ).replace("Parliament voted", "&x; Parliament voted")
    items = read([write(tmp_path / "xxe.xml", feed)])
    assert all("TOP-SECRET" not in getattr(i, "text", "") for i in items)


@pytest.mark.parametrize("name", ["cc.warc", "cc.warc.gz"])
def test_sources_warc_reads_html_responses(tmp_path, name):
    path = make_warc(tmp_path / name)
    first, second = read([path])
    assert first.source == f"{path}#2" and second.source == f"{path}#4"  # warcinfo is #1
    assert first.url == "https://www.example.org/news/oslo"
    assert first.outlet == "www.example.org"
    assert first.published == "2024-06-18"  # from the page
    assert second.published == "2024-06-21T05:06:07+00:00"  # from WARC-Date
    assert "Baltic Sea" in first.text


@pytest.mark.parametrize("name", ["cut.warc", "cut.warc.gz"])
def test_sources_truncated_warc_yields_what_came_before(tmp_path, name):
    whole = make_warc(tmp_path / f"whole-{name}").stat().st_size
    path = make_warc(tmp_path / name, truncate=whole - 300)
    first, last = read([path])
    assert first.source == f"{path}#2"
    assert isinstance(last, Failure) and last.source.startswith(str(path))
    assert "truncated or corrupt" in last.reason


def test_sources_jsonl_aliases_dates_and_bad_lines(tmp_path):
    lines = [
        json.dumps({"body": "Reuters story.", "title": "COCOA", "date": "26-FEB-1987 15:01:01.79"}),
        "{not json",
        "",
        json.dumps({"title": "no text"}),
        json.dumps({"text": "Polnear story.", "publisher": "breitbart",
                    "publication_date": "2016-03-11", "author": "A. Writer", "url": "https://x.org/1"}),
        json.dumps({"text": "Undated.", "published": "sometime soon"}),
        json.dumps(["a list"]),
    ]
    path = write(tmp_path / "dump.jsonl", "\n".join(lines) + "\n")
    items = read([path])
    assert [i.source for i in items] == [f"{path}:{n}" for n in (1, 2, 4, 5, 6, 7)]
    reuters, bad, no_text, polnear, undated, not_object = items
    assert (reuters.text, reuters.title, reuters.published) == (
        "Reuters story.", "COCOA", "1987-02-26T15:01:01")
    assert "not valid JSON" in bad.reason
    assert "field 'text'" in no_text.reason
    assert (polnear.outlet, polnear.published, polnear.author, polnear.url) == (
        "breitbart", "2016-03-11", "A. Writer", "https://x.org/1")
    assert undated.text == "Undated." and undated.published is None
    assert "JSON object" in not_object.reason


def test_sources_json_documents(tmp_path):
    records = [{"text": "One."}, 3, {"body": "Two."}]
    array = write(tmp_path / "arr.json", json.dumps(records, indent=2))
    pretty = write(tmp_path / "one.json", json.dumps({"text": "Solo.", "title": "T"}, indent=2))
    items = read([array, pretty])
    assert [(i.source, getattr(i, "text", None)) for i in items] == [
        (f"{array}#1", "One."), (f"{array}#2", None), (f"{array}#3", "Two."),
        (str(pretty), "Solo."),
    ]


def test_sources_jsonl_line_over_limit_fails_alone(tmp_path):
    lines = [json.dumps({"text": t}) for t in ("Short.", "x" * 500, "End.")]
    path = write(tmp_path / "long.jsonl", "\n".join(lines))  # no final newline either
    first, long, last = read([path], Settings(max_file_bytes=100))
    assert (first.text, last.text, last.source) == ("Short.", "End.", f"{path}:3")
    assert long.source == f"{path}:2" and "over max_file_bytes (100" in long.reason


def test_sources_jsonl_bad_utf8_line_names_offset(tmp_path):
    path = write(tmp_path / "mixed.jsonl", b'{"text": "ok"}\n{"text": "caf\xe9"}\n')
    ok, bad = read([path])
    assert ok.text == "ok"
    assert bad == Failure(f"{path}:2", "not valid UTF-8 (byte 0xE9 at offset 28); "
                                       "convert it, e.g. iconv -f latin1 -t utf-8")


def test_sources_jsonl_list_fields(tmp_path):
    record = {"text": ["First paragraph.", "Second."], "authors": ["A. One", "B. Two"],
              "source": {"id": "x", "name": "Example Wire"}}
    [item] = read([write(tmp_path / "newsapi.ndjson", json.dumps(record) + "\n")])
    assert (item.text, item.author, item.outlet) == (
        "First paragraph.\n\nSecond.", "A. One, B. Two", "Example Wire")


def test_sources_not_a_feed(tmp_path):
    path = write(tmp_path / "junk.rss", "<html><body>This is no feed at all</body>")
    [item] = read([path])
    assert item.source == str(path) and "feed" in item.reason and "\n" not in item.reason


def test_sources_jsonl_gz_streams(tmp_path):
    lines = "".join(json.dumps({"text": f"Story {n}."}) + "\n" for n in range(50))
    path = write(tmp_path / "many.jsonl.gz", gzip.compress(lines.encode()))
    items = read([path])
    assert [i.text for i in items] == [f"Story {n}." for n in range(50)]
    assert items[-1].source == f"{path}:50"


def test_sources_truncated_gzip_yields_then_fails(tmp_path):
    lines = "".join(json.dumps({"text": f"Story {n} " + "x" * n}) + "\n" for n in range(2000))
    data = gzip.compress(lines.encode())
    path = write(tmp_path / "cut.jsonl.gz", data[: len(data) // 2])
    items = read([path])
    assert len(articles(items)) > 100
    assert items[-1] == failures(items)[0]
    assert "gzip data is truncated or corrupt" in items[-1].reason


def test_sources_gzip_bomb_refused(tmp_path):
    path = write(tmp_path / "bomb.txt.gz", gzip.compress(b"a" * 200_000))
    [item] = read([path], Settings(max_file_bytes=10_000))
    assert isinstance(item, Failure) and "gzip bomb" in item.reason


def test_sources_gzip_bomb_in_a_stream_refused(tmp_path):
    path = write(tmp_path / "bomb.jsonl.gz", gzip.compress(b" " * 5_000_000))
    [item] = read([path], Settings(max_file_bytes=10_000))
    assert "gzip bomb" in item.reason


# ---------------------------------------------------------------------------- failures


@pytest.mark.parametrize("data, expected", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (PNG image)"),
    (b"%PDF-1.7\n%\xe2\xe3", "binary file (PDF document"),
    (b"GIF89a\x01\x00", "binary file (GIF image)"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "binary file (JPEG image)"),
    (b"PK\x03\x04\x14\x00", "binary file (ZIP archive"),
    (b"abc\x00\x01\x02", "binary file (NUL bytes"),
    ("Plain words".encode("utf-16-le"), "looks like UTF-16 without a byte-order mark"),
])
def test_sources_binary_files_fail_with_kind(tmp_path, data, expected):
    path = write(tmp_path / "story.txt", data)
    [item] = read([path])
    assert item.source == str(path)
    assert item.reason.startswith(expected)
    assert "JSON Lines" in item.reason or "iconv" in item.reason  # says what to do


def test_sources_invalid_utf8_names_byte_and_fix(tmp_path):
    path = write(tmp_path / "latin.txt", b"Caf" + "é au lait".encode("latin-1"))
    [item] = read([path])
    assert item == Failure(str(path), "not valid UTF-8 (byte 0xE9 at offset 3); convert it, "
                                      "e.g. iconv -f latin1 -t utf-8")


@pytest.mark.parametrize("data", [b"", b"  \n\t\r\n "])
def test_sources_empty_file_fails(tmp_path, data):
    [item] = read([write(tmp_path / "empty.txt", data)])
    assert isinstance(item, Failure) and "empty file" in item.reason


def test_sources_missing_path_fails_and_batch_goes_on(tmp_path):
    good = write(tmp_path / "good.txt", "Fine.")
    missing, found = read([tmp_path / "nope.txt", good])
    assert missing == Failure(str(tmp_path / "nope.txt"), "no such file or folder; check the path")
    assert found.text == "Fine."


def test_sources_oversize_file_and_article(tmp_path):
    path = write(tmp_path / "big.txt", "word " * 100)
    [item] = read([path], Settings(max_file_bytes=100))
    assert isinstance(item, Failure) and "too big (500 bytes" in item.reason
    [item] = read([path], Settings(max_article_chars=50))
    assert isinstance(item, Failure) and "over max_article_chars (50)" in item.reason


def test_sources_folder_recursive_sorted_skips_hidden(tmp_path):
    root = tmp_path / "corpus"
    write(root / "b.txt", "Second.")
    write(root / "a" / "z.md", "First.")
    write(root / ".hidden.txt", "Hidden.")
    write(root / ".git" / "x.txt", "Hidden too.")
    write(root / "c.png", b"\x89PNG\r\n\x1a\n\x00")
    write(root / "d.jsonl", '{"text": "Line."}\n')
    outside = write(tmp_path / "outside.txt", "Outside.")
    os.symlink(outside, root / "link.txt")
    items = read([root])
    assert [i.source for i in items] == [
        str(root / "a" / "z.md"), str(root / "b.txt"), str(root / "c.png"), f"{root / 'd.jsonl'}:1"]
    assert isinstance(items[2], Failure) and "PNG" in items[2].reason
    assert [i.text for i in articles(items)] == ["First.", "Second.", "Line."]


@pytest.mark.parametrize("data, expected", [
    (b"Plain words from a pipe.\r\n", "Plain words from a pipe.\n"),
    (PAGE.encode(), "Baltic Sea"),
    (b'{"text": "From JSONL."}\n', "From JSONL."),
    (gzip.compress(b'{"text": "Gzipped."}\n'), "Gzipped."),
])
def test_sources_stdin_sniffs_format(data, expected):
    [item] = read(["-"], stdin=io.BytesIO(data))
    assert isinstance(item, RawArticle), item
    assert item.source.startswith("<stdin>")
    assert expected in item.text


def test_sources_empty_folder_fails(tmp_path):
    write(tmp_path / "only" / ".hidden", "x")
    [item] = read([tmp_path / "only"])
    assert item.source == str(tmp_path / "only") and "no files" in item.reason


def test_sources_symlink_inside_folder_is_read(tmp_path):
    root = tmp_path / "corpus"
    write(root / "real" / "a.txt", "Inside.")
    os.symlink(root / "real" / "a.txt", root / "z-link.txt")
    assert [i.text for i in read([root])] == ["Inside.", "Inside."]


def test_sources_sniffed_warc_from_stdin(tmp_path):
    data = make_warc(tmp_path / "cc.warc").read_bytes()
    items = read(["-"], stdin=io.BytesIO(data))
    assert [i.source for i in items] == ["<stdin>#2", "<stdin>#4"]


def test_sources_unknown_extension_is_sniffed(tmp_path):
    item = read([write(tmp_path / "feed.dat", RSS)])[0]
    assert item.source == f"{tmp_path / 'feed.dat'}#1" and item.outlet == "Example Wire"


def test_sources_streams_lazily(tmp_path):
    """A reader yields its first article before reading the rest of the file."""
    lines = "".join(json.dumps({"text": f"Story {n}."}) + "\n" for n in range(20_000))
    stream = io.BytesIO(lines.encode())
    first = next(read_sources(["-"], settings=SETTINGS, stdin=stream))
    assert first.text == "Story 0."
    assert stream.tell() < len(lines) // 2


# ---------------------------------------------------------------------------- helpers


@pytest.mark.parametrize("value, expected", [
    ("26-FEB-1987 15:01:01.79", "1987-02-26T15:01:01"),
    ("31-MAR-1987 605:12:19.12", "1987-03-31"),
    ("2016-03-11", "2016-03-11"),
    ("2016-03", "2016-03"),
    ("March 2016", "2016-03"),
    ("Tue, 18 Jun 2024 09:30:00 +0200", "2024-06-18T09:30:00+02:00"),
    ("2016-08-24T04:03:33Z", "2016-08-24T04:03:33+00:00"),
    ("yesterday", None),
    ("2016-02-30", None),
])
def test_sources_normalise_date(value, expected):
    assert normalise_date(value) == expected


def test_sources_html_to_text_paragraphs():
    assert html_to_text("<p>One <i>two</i></p><p>Three<br>four</p><script>x</script>") == (
        "One two\n\nThree\nfour")


# ---------------------------------------------------------------------------- properties

_TEXT = st.text(alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)),
                min_size=1)
_MAGIC_PREFIXES = ("%PDF-", "GIF87a", "GIF89a", "PK\x03\x04", "PK\x05\x06", "\x7fELF", "SQLite")


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


@hsettings(max_examples=60, deadline=None,
           suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_TEXT)
def test_sources_property_text_round_trip(tmp_path, text):
    assume(text.strip() and not text.startswith("\ufeff") and not text.startswith(_MAGIC_PREFIXES))
    path = write(tmp_path / "p.txt", text)
    [item] = read([path])
    assert item == RawArticle(text=_newlines(text), source=str(path))


_FIELDS = st.fixed_dictionaries(
    {"text": _TEXT},
    optional={k: _TEXT for k in ("title", "url", "outlet", "author")},
)


@hsettings(max_examples=60, deadline=None,
           suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(record=_FIELDS, ensure_ascii=st.booleans())
def test_sources_property_jsonl_round_trip(tmp_path, record, ensure_ascii):
    assume(all(v.strip() for v in record.values()))
    path = write(tmp_path / "p.jsonl", json.dumps(record, ensure_ascii=ensure_ascii) + "\n")
    [item] = read([path])
    assert isinstance(item, RawArticle), item
    got = {k: getattr(item, k) for k in record}
    assert got == {**record, "text": _newlines(record["text"])}


# -- JSON bytes (the HTTP API's ingest body) read as a .jsonl / .json file is --------------------

JSON_BODIES = [
    b'{"headline": "Talks in Oslo", "body": "Ministers met in Oslo.", "date": "18 June 2024"}\n'
    b'{"text": true}\n\nnot json\n{"title": "no text"}\n',
    b'[{"text": "Ministers met in Oslo.", "publisher": {"name": "Example Wire"}}, "a string", {"text": "  "}]',
    b'{"text": "One article,\\n over two lines."}',
    b"[broken",
    b"\xff\xfe{}",
]


@pytest.mark.parametrize("body", JSON_BODIES)
def test_sources_json_bytes_read_as_the_same_file_would_be(tmp_path, body):
    """Same articles, same reasons, whether the bytes come in a request or in a file."""
    file = tmp_path / "request.jsonl"
    file.write_bytes(body)
    from_file = list(read_sources([str(file)], settings=SETTINGS))
    from_bytes = list(read_json_articles(body, "request", SETTINGS))
    renamed = [replace(r, source=r.source.replace(str(file), "request")) for r in from_file]
    assert from_bytes == renamed
    assert from_bytes  # every body above yields an article or a named failure


def test_sources_json_bytes_accept_the_readers_aliases_and_name_bad_lines():
    read = list(read_json_articles(JSON_BODIES[0], "request", SETTINGS))
    article, *failures = read
    assert article == RawArticle(text="Ministers met in Oslo.", source="request:1", title="Talks in Oslo",
                                 published="2024-06-18")
    assert [f.source for f in failures] == ["request:2", "request:4", "request:5"]
    assert "must be a string" in failures[0].reason and "not valid JSON" in failures[1].reason


def test_sources_read_sources_passes_articles_already_read():
    given = RawArticle(text="Ministers met in Oslo.", source="request:1")
    assert list(read_sources([given], settings=SETTINGS)) == [given]
