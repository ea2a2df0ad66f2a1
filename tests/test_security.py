"""Security: injection payloads in every filter, path traversal, tokens, bounds, CORS, inert
markup, and an ingest that never opens a network connection."""

from __future__ import annotations

import functools
import gzip
import http.client
import io
import json
import re
import socket
import sqlite3
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")
from starlette.testclient import TestClient  # noqa: E402

from newsgraph.store import browse  # noqa: E402
from newsgraph.api import API_ROUTES, ServeConfig, create_app  # noqa: E402
from newsgraph.errors import NewsgraphError  # noqa: E402
from newsgraph.settings import load_settings  # noqa: E402
from newsgraph.store import Store  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
TOKEN = "s3cret-token"

PAYLOADS = [
    "' OR '1'='1", "\" OR \"1\"=\"1", "1 OR 1=1", "1; DROP TABLE articles; --", "') OR 1=1 --",
    "%", "_", "%' --", "\\", "' UNION SELECT name, sql FROM sqlite_master --", "*", "NEAR(a b)",
    "title:x", "a AND", "\"unterminated", "^start", "(", "x' AND (SELECT count(*) FROM articles) > 0 --",
    "\x00", "☃\u202e", "a" * 5000, "%00", "..%2f..%2f", "${jndi:ldap://x}", "<script>alert(1)</script>",
]
# What an error must never show a client.
LEAKS = ("Traceback", "sqlite3", "OperationalError", "DatabaseError", "syntax error", "File \"", "no such table",
         "no such column", "unrecognized token", "fts5", "malformed MATCH", "internal error")


@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> Path:
    from newsgraph.pipeline import ingest

    folder = tmp_path_factory.mktemp("security")
    hostile = folder / "hostile.jsonl"
    hostile.write_text(json.dumps({
        "title": "<script>alert('title')</script><img src=x onerror=alert(1)>",
        "text": "The president of France met the chancellor of Germany in Paris on Monday. "
                "<script>alert('body')</script> <iframe src=\"http://evil.example/\"></iframe> "
                "Officials said the talks on <b onmouseover=alert(2)>energy</b> would continue.",
        "url": "javascript:alert(3)", "outlet": "<svg onload=alert(4)>",
    }) + "\n", encoding="utf-8")
    db = folder / "news.db"
    with Store(db) as store:
        ingest([str(REPO / "samples" / "corpus"), str(hostile)], store=store, settings=load_settings())
    return db


@pytest.fixture(scope="module")
def client(store_path) -> TestClient:
    with TestClient(create_app(ServeConfig(db=str(store_path), token=TOKEN)), raise_server_exceptions=False) as c:
        yield c


def _counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def _assert_safe(response, where: str, payload: str = "") -> None:
    assert response.status_code < 500, (where, response.status_code, response.text[:300])
    # an error may quote the client's own value back (JSON-escaped); anything else is a leak
    text = response.text
    for echoed in {payload, json.dumps(payload)[1:-1]} - {""}:
        text = text.replace(echoed, "")
    text = text.replace(json.dumps(payload[:40])[1:-1], "")
    for leak in LEAKS:
        assert leak not in text, (where, leak, response.text[:300])


def _get_routes():
    return [r for r in API_ROUTES if r.method == "GET" and r.params]


def test_injection_in_every_api_filter_returns_nothing_or_4xx(client, store_path):
    before = _counts(store_path)
    tried = 0
    for route in _get_routes():
        for param in route.params:
            for payload in PAYLOADS:
                response = client.get(route.path, params={param.name: payload})
                tried += 1
                where = f"{route.path}?{param.name}={payload[:40]!r}"
                _assert_safe(response, where, payload)
                if response.status_code != 200 or "items" not in response.json():
                    continue
                items = response.json()["items"]
                if route.path == "/api/search":
                    # a word search: every hit holds every word of the query, as words
                    for item in items:
                        article = client.get(f"/api/articles/{item['id']}").json()
                        haystack = f"{article['title']} {article['text']}".lower()
                        assert all(w in haystack for w in re.findall(r"\w+", payload.lower())), where
                else:
                    # no stored value contains these strings: a filter that matched rows was bypassed
                    assert items == [], where
    for path in ("/api/articles/{}", "/api/actors/{}", "/api/timeline/{}", "/api/stories/{}"):
        for payload in PAYLOADS:
            response = client.get(path.format(quote(payload, safe="")))
            tried += 1
            _assert_safe(response, f"{path} {payload[:40]!r}", payload)
            assert response.status_code in (200, 400, 404, 422), (path, payload, response.status_code)
    assert tried > 300
    assert _counts(store_path) == before  # nothing was dropped or changed


def test_injection_in_every_library_filter(store_path):
    before = _counts(store_path)
    calls = {
        "articles": ("language", "outlet"), "actors": ("country", "name", "article"),
        "events": ("actor", "country", "cameo", "plover", "since", "until", "place", "article"),
        "claims": ("source", "event", "article"), "stories": ("actor", "cameo"),
    }
    with Store(store_path, readonly=True) as store:
        for method, params in calls.items():
            # the story listing lives in browse, over the store
            listing = functools.partial(browse.stories, store) if method == "stories" else getattr(store, method)
            for param in params:
                for payload in PAYLOADS:
                    try:
                        assert listing(**{param: payload}) == [], (method, param, payload)
                    except NewsgraphError:
                        pass  # a clear refusal (e.g. an unknown actor) is fine; sqlite3.Error is not
        for payload in PAYLOADS:
            for call in (lambda p: store.search(p), lambda p: store.timeline(p), lambda p: store.resolve_actor(p),
                         lambda p: store.graph(actor=p), lambda p: store.article(p)):
                try:
                    result = call(payload)
                except NewsgraphError:
                    continue
                if isinstance(result, list):  # search: a word search, each hit holds every word
                    for hit in result:
                        text = f"{hit['title']} {store.article(hit['id'])['text']}".lower()
                        assert all(w in text for w in re.findall(r"\w+", payload.lower())), payload
    assert _counts(store_path) == before


def test_static_routes_refuse_path_traversal(client):
    for path in ("/static/../../pyproject.toml", "/static/%2e%2e/%2e%2e/pyproject.toml",
                 "/static/..%2f..%2fapi.py", "/static/%2e%2e%2f%2e%2e%2f%2e%2e%2fpyproject.toml",
                 "/static//etc/passwd", "/static/%2fetc%2fpasswd", "/static/..\\..\\api.py",
                 "/static/....//....//api.py", "/static/%252e%252e/api.py"):
        response = client.get(path)
        _assert_safe(response, path)
        assert response.status_code in (400, 404), (path, response.status_code)
        assert "[project]" not in response.text and "root:" not in response.text
        assert "def create_app" not in response.text


def test_writes_need_the_token(client, store_path):
    article = json.dumps([{"text": "The minister of Peru met the envoy of Chile in Lima on Friday."}])
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN},
                    {"Authorization": f"Basic {TOKEN}"}, {"Authorization": f"Bearer {TOKEN}x"}):
        assert client.post("/api/ingest", content=article, headers=headers).status_code == 401
        assert client.delete("/api/articles/0000", headers=headers).status_code == 401
    with TestClient(create_app(ServeConfig(db=str(store_path)))) as readonly:  # no token configured
        assert readonly.post("/api/ingest", content=article,
                             headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 403
        assert readonly.delete("/api/articles/0000", headers={"Authorization": "Bearer "}).status_code == 403
    assert client.delete("/api/articles/0000", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 404


def test_bodies_and_pages_are_bounded(store_path):
    config = ServeConfig(db=str(store_path), token=TOKEN, max_body=1000, max_page=20)
    with TestClient(create_app(config)) as c:
        auth = {"Authorization": f"Bearer {TOKEN}"}
        big = json.dumps([{"text": "x" * 5000}])
        assert c.post("/api/ingest", content=big, headers=auth).status_code == 413
        # a body without a declared length is counted as it streams in
        chunks = (b"x" * 400 for _ in range(10))
        assert c.post("/api/ingest", content=chunks, headers=auth).status_code == 413
        assert c.get("/api/articles", params={"limit": 10**9}).status_code == 400
        assert c.get("/api/articles", params={"limit": -1}).status_code == 400
        assert c.get("/api/articles", params={"cursor": "b286OTk5OTk5OTk5OTk5"}).status_code == 400
        page = c.get("/api/articles", params={"limit": 20}).json()
        assert len(page["items"]) <= 20
        assert len(c.get("/api/articles").json()["items"]) <= 20


def test_no_cors_unless_configured(client, store_path):
    origin = {"Origin": "https://evil.example"}
    for response in (client.get("/api/articles", headers=origin),
                     client.options("/api/articles", headers={**origin, "Access-Control-Request-Method": "GET"})):
        assert not any(h.lower().startswith("access-control-") for h in response.headers)
    config = ServeConfig(db=str(store_path), cors_origins=("https://good.example",))
    with TestClient(create_app(config)) as c:
        good = c.get("/api/articles", headers={"Origin": "https://good.example"})
        assert good.headers.get("access-control-allow-origin") == "https://good.example"
        evil = c.get("/api/articles", headers=origin)
        assert evil.headers.get("access-control-allow-origin") in (None, "")


def test_markup_in_articles_is_inert_in_pages_and_html_digests(client, store_path):
    with Store(store_path, readonly=True) as store:
        [hostile] = [a for a in store.articles(limit=100) if "<script>" in (a["title"] or "")]
    pages = [client.get(f"/articles/{hostile['id']}"), client.get("/search", params={"q": "chancellor"}),
             client.get(f"/digest/articles/{hostile['id']}"),
             client.get("/api/digest", params={"article": hostile["id"], "format": "html"})]
    for response in pages:
        assert response.status_code == 200, response.url
        body = response.text if "html" in response.headers["content-type"] else response.json().get("text", "")
        body = body if isinstance(body, str) else json.dumps(body)
        assert "<script>alert" not in body and "<img src=x" not in body and "<svg onload" not in body
        assert "<b onmouseover" not in body and "<iframe" not in body and 'href="javascript:' not in body
    assert "script-src 'self'" in pages[0].headers["content-security-policy"]


# -- ingest never opens a connection --------------------------------------------------------------

HOSTILE_HTML = """<!DOCTYPE html><html><head><title>Summit in Rome</title>
<link rel="stylesheet" href="http://203.0.113.1/style.css"><link rel="preload" href="https://203.0.113.1/font">
<script src="http://203.0.113.1/track.js"></script><base href="http://203.0.113.1/">
<meta http-equiv="refresh" content="0; url=http://203.0.113.1/"></head>
<body><article><h1>Summit in Rome</h1><img src="http://203.0.113.1/pixel.gif" srcset="http://203.0.113.2/a.png 2x">
<p>The prime minister of Italy met the president of Kenya in Rome on Thursday to discuss migration.</p>
<iframe src="https://203.0.113.1/embed"></iframe><object data="http://203.0.113.1/x.swf"></object>
<video src="http://203.0.113.1/v.mp4"></video><p>Both leaders said they would meet again in Nairobi next year.</p>
<svg><image href="http://203.0.113.1/i.svg"/></svg></article></body></html>"""

HOSTILE_FEED = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE rss SYSTEM "http://203.0.113.1/rss.dtd" [
  <!ENTITY remote SYSTEM "http://203.0.113.1/entity.txt">
  <!ENTITY % param SYSTEM "http://203.0.113.1/param.dtd">
  %param;
]>
<rss version="2.0" xmlns:xi="http://www.w3.org/2001/XInclude"><channel><title>Feed</title>
<item><title>Talks in Accra &remote;</title><link>https://news.example/accra</link>
<description>&lt;p&gt;The foreign minister of Ghana met the envoy of Norway in Accra on Monday.&lt;/p&gt;
&lt;img src="http://203.0.113.1/p.gif"&gt;</description>
<xi:include href="http://203.0.113.1/inc.xml"/><enclosure url="http://203.0.113.1/a.mp3" type="audio/mpeg"/>
</item></channel></rss>"""


def _warc(html: bytes) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("http://203.0.113.1/page", "response",
                                                  payload=io.BytesIO(html), http_headers=headers))
    return buffer.getvalue()


@pytest.fixture
def no_network(monkeypatch):
    """Every way out of the process fails the test, and is recorded."""
    attempts: list[str] = []

    def refuse(name):
        def blocked(*args, **kwargs):
            attempts.append(f"{name}{args[1:2] if name.startswith('socket.') else args[:1]}")
            raise AssertionError(f"outbound network access during ingest: {name} {args!r}")
        return blocked

    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("socket.connect_ex"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    monkeypatch.setattr(http.client.HTTPConnection, "connect", refuse("HTTPConnection.connect"))
    monkeypatch.setattr(urllib.request, "urlopen", refuse("urlopen"))
    return attempts


def test_ingest_never_fetches_a_remote_resource(no_network, tmp_path):
    from newsgraph.pipeline import ingest

    folder = tmp_path / "inputs"
    folder.mkdir()
    (folder / "page.html").write_text(HOSTILE_HTML, encoding="utf-8")
    (folder / "feed.rss").write_text(HOSTILE_FEED, encoding="utf-8")
    (folder / "crawl.warc.gz").write_bytes(_warc(HOSTILE_HTML.replace("Rome", "Turin").encode()))
    (folder / "page.html.gz").write_bytes(gzip.compress(HOSTILE_HTML.replace("Rome", "Milan").encode()))
    with Store(tmp_path / "n.db") as store:
        result = ingest([str(folder)], store=store, settings=load_settings())
        texts = [r[0] for r in store.conn.execute("SELECT text FROM articles")]
    assert no_network == [], no_network
    assert len(result.stored) == 4, result.failures
    assert any("Ghana" in t for t in texts) and any("Turin" in t for t in texts)
    assert not any("203.0.113" in t for t in texts)
