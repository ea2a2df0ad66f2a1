"""The web app of `newsgraph serve`: every page renders fast, escapes hostile article content,
sends a strict Content-Security-Policy, and the static route refuses path traversal."""

from __future__ import annotations

import re
import time
import warnings
from html.parser import HTMLParser

import pytest

pytest.importorskip("starlette")
with warnings.catch_warnings():  # Starlette 1.x prefers httpx2 for its test client; httpx works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from newsgraph.api import ServeConfig, create_app, http_url, local_url
from newsgraph.web.pages import highlight, snippet_segments

from test_api import HOSTILE_TEXT, HOSTILE_TITLE, MARKUP, hostile_id, web_db  # noqa: F401 - web_db is a fixture

pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx`")


@pytest.fixture(scope="module")
def client(web_db) -> TestClient:
    return TestClient(create_app(ServeConfig(db=str(web_db))), raise_server_exceptions=False)


def main_pages(client: TestClient) -> list[str]:
    article = hostile_id(client)
    actors = client.get("/api/actors", params={"article": article, "limit": 500}).json()["items"]
    stories = client.get("/api/stories", params={"limit": 500}).json()["items"]
    return (["/", "/search?q=alert", "/search?q=Kremlin", f"/articles/{article}", "/events", "/events?actor=Putin",
             "/stories", f"/digest/articles/{article}"]
            + [f"/actors/{a['id']}" for a in actors] + [f"/stories/{s['id']}" for s in stories[:5]])


OUR_SVG = ("activity-chart", "event-map")


class Elements(HTMLParser):
    """Every start tag of a page, with its attributes, as a browser's tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def assert_no_live_markup(html: str) -> None:
    for needle in MARKUP:
        assert needle not in html, needle
    parser = Elements()
    parser.feed(html)
    for tag, attrs in parser.tags:
        if tag == "svg":  # only the charts the server draws
            assert attrs.get("class") in OUR_SVG, attrs
            continue
        assert tag not in ("img", "iframe", "object", "embed", "image", "foreignobject", "use"), tag
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        assert not any((value or "").strip().lower().startswith("javascript:") for value in attrs.values()), attrs
        if tag == "script":  # only our static files and JSON data blocks
            assert attrs.get("src", "").startswith("/static/") or attrs.get("type") == "application/json", attrs


def test_web_main_pages_render_fast_and_escape_hostile_content(client):
    for path in main_pages(client):
        started = time.perf_counter()
        response = client.get(path)
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, (path, response.text[:300])
        assert response.headers["content-type"].startswith("text/html")
        assert elapsed < 1.0, f"{path} took {elapsed:.2f}s"
        assert_no_live_markup(response.text)


def test_web_hostile_article_is_shown_as_text(client):
    html = client.get(f"/articles/{hostile_id(client)}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Talks &#34;&gt;&lt;svg onload=alert(2)&gt;" in html
    assert "&lt;img src=x onerror=alert(3)&gt;" in html
    assert "&lt;b&gt;Evil&lt;/b&gt; Outlet" in html
    # the highlighted text, pieced back together, is the article text
    pieces = re.search(r'<div class="text" id="text">(.*?)</div>', html, re.S).group(1)
    import html as html_module

    plain = html_module.unescape(re.sub(r"<[^>]+>", "", pieces))
    assert plain == HOSTILE_TEXT
    # and the annotations data block cannot close its script element
    block = re.search(r'<script type="application/json" id="annotations">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block and "alert(5)" in block and "\\u003cscript\\u003e" in block


def test_web_article_highlights_actors_events_claims(client):
    html = client.get(f"/articles/{hostile_id(client)}").text
    for kind in ("hl-actor", "hl-event", "hl-claim", "hl-cue"):
        assert kind in html, kind
    assert re.search(r'data-ann="[^"]*m\d', html)
    assert re.search(r'<a class="anchor" id="span-\d+-\d+"></a>', html)


def test_web_pages_send_security_headers(client):
    for path in ("/", "/events", "/static/style.css", "/api/articles", "/no-such-page"):
        response = client.get(path)
        policy = response.headers["content-security-policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert response.headers["x-content-type-options"] == "nosniff"


def test_web_search_page_marks_matches(client):
    html = client.get("/search", params={"q": "Khartoum"}).text
    assert "<mark>Khartoum</mark>" in html
    assert "0 result(s)" in client.get("/search", params={"q": "zzzqqqxxx"}).text


def test_web_events_form_filters(client):
    html = client.get("/events", params={"country": "IND", "cameo": "", "status": ""}).text
    assert 'name="country" value="IND"' in html and "India" in html
    assert "Pakistan" in html and "Khartoum" not in html
    assert client.get("/events", params={"status": "gossip"}).status_code == 400


def test_web_events_next_page_keeps_filters(client):
    html = client.get("/events", params={"limit": 2, "since": "2025"}).text
    assert re.search(r"Showing 1–2 of \d+", html)
    link = re.search(r'<a href="(/events\?[^"]+)" rel="next">Next page', html).group(1)
    assert "since=2025" in link and "page=2" in link and "limit=2" in link
    second = client.get(link.replace("&amp;", "&"))
    assert second.status_code == 200 and "Showing 3–4 of" in second.text


def test_web_actor_page_ships_the_graph_library_locally(client):
    html = client.get("/actors/Putin").text
    assert '<script src="/static/vendor/cytoscape.min.js">' in html
    assert '<div id="graph"' in html and 'id="graph-data"' in html
    library = client.get("/static/vendor/cytoscape.min.js")
    assert library.status_code == 200 and "cytoscape" in library.text[:5000].lower()
    assert not re.search(r'<script[^>]+src="(https?:)?//', html)  # no CDN


def test_web_story_page_shows_outlets_and_agreement(client):
    story = client.get("/api/stories").json()["items"][0]
    html = client.get(f"/stories/{story['id']}").text
    assert story["agreement"] in html and "Independent sources" in html and "First report" in html
    for outlet in story["outlets"]:
        assert outlet in html


@pytest.mark.parametrize("path", ["/articles/ffffffffffff", "/actors/nobody-at-all", "/stories/99999",
                                  "/stories/abc", "/nowhere", "/digest/things/1"])
def test_web_missing_pages_are_404_html(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "Traceback" not in response.text


@pytest.mark.parametrize("path", [
    "/static/../api.py", "/static/%2e%2e/api.py", "/static/..%2fapi.py", "/static/vendor/../../api.py",
    "/static/%2e%2e/%2e%2e/store.py", "/static/..%5capi.py", "/static//etc/passwd", "/static/%2fetc%2fpasswd",
    "/static/vendor/%2e%2e%2f%2e%2e%2fapi.py",
])
def test_web_static_refuses_path_traversal(client, path):
    response = client.get(path)
    assert response.status_code in (400, 404)
    assert "def create_app" not in response.text and "root:" not in response.text


def test_web_templates_never_mark_data_safe():
    from pathlib import Path

    import newsgraph.web as web

    for template in (Path(web.__file__).parent / "templates").glob("*.html"):
        text = template.read_text("utf-8")
        assert "|safe" not in text.replace(" ", ""), template.name
        assert "autoescape false" not in text, template.name


def test_web_static_scripts_never_write_html():
    from pathlib import Path

    import newsgraph.web as web

    for script in (Path(web.__file__).parent / "static").glob("*.js"):
        text = script.read_text("utf-8")
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert sink not in text, (script.name, sink)


@pytest.mark.parametrize("text,spans,pieces", [
    ("abcdef", [], [("abcdef", "")]),
    ("abcdef", [{"id": "x", "type": "actor", "start": 1, "end": 3}], [("a", ""), ("bc", "x"), ("def", "")]),
    ("abcdef", [{"id": "c", "type": "claim", "start": 0, "end": 6}, {"id": "m", "type": "actor", "start": 2, "end": 4}],
     [("ab", "c"), ("cd", "c m"), ("ef", "c")]),
])
def test_web_highlight_cuts_at_every_boundary(text, spans, pieces):
    segments = highlight(text, spans)
    assert [(s["text"], s["ids"]) for s in segments] == pieces
    assert "".join(s["text"] for s in segments) == text


def test_web_snippet_segments_mark_matches_only():
    assert snippet_segments("a [b] c") == [{"text": "a ", "mark": False}, {"text": "b", "mark": True},
                                           {"text": " c", "mark": False}]


@pytest.mark.parametrize("value,expected", [
    ("https://example.org/a", "https://example.org/a"), ("javascript:alert(1)", None),
    ("JaVaScRiPt:alert(1)", None), ("data:text/html,x", None), ("//evil.example", None), (None, None),
])
def test_web_http_url_keeps_only_web_links(value, expected):
    assert http_url(value) == expected


@pytest.mark.parametrize("value,expected", [
    ("/articles/abc#span-1-2", "/articles/abc#span-1-2"), ("//evil.example/x", "#"), ("javascript:x", "#"),
    ("https://evil.example", "#"),
])
def test_web_local_url_keeps_only_site_paths(value, expected):
    assert local_url(value) == expected


def test_web_hostile_title_in_every_listing(client):
    for path in ("/", "/search?q=alert"):
        html = client.get(path).text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, path
    assert HOSTILE_TITLE not in client.get("/").text
