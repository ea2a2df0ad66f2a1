"""The HTTP API (`newsgraph serve`, /api/…) against a store built from samples/corpus plus a
hostile article: pagination, filters, the error envelope, the token, limits, OpenAPI."""

from __future__ import annotations

import json
import sqlite3
import warnings
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")
with warnings.catch_warnings():  # Starlette 1.x prefers httpx2 for its test client; httpx works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient  # noqa: E402

from newsgraph.api import ServeConfig, create_app, decode_cursor, encode_cursor  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx`")

REPO = Path(__file__).resolve().parent.parent
HOSTILE_TITLE = '<script>alert(1)</script> Talks "><svg onload=alert(2)>'
HOSTILE_TEXT = (
    "Russian President Vladimir Putin met Chinese President Xi Jinping in Moscow on Tuesday, "
    "the Kremlin said. <img src=x onerror=alert(3)> The two leaders signed an energy agreement "
    "\"><svg onload=alert(4)> <script>alert(5)</script> in Moscow, officials said. "
    "Putin said Russia would send more gas to China next year."
)
MARKUP = ("<script>alert", "<img src=x", "<svg onload")
TOKEN = "test-token-123"
INJECTIONS = ["' OR '1'='1", "1; DROP TABLE articles; --", "\" OR 1=1 --", "%' --", "x') UNION SELECT * FROM actors --",
              "\\", "%%", "_", "NULL", "-1", "1e309", "😀' --", "a" * 400]


def build_store(folder: Path) -> Path:
    """The sample corpus and one hostile article, ingested with the real pipeline."""
    from newsgraph.pipeline import ingest
    from newsgraph.settings import load_settings
    from newsgraph.store import Store

    hostile = folder / "hostile.jsonl"
    hostile.write_text(json.dumps({"title": HOSTILE_TITLE, "text": HOSTILE_TEXT, "url": "javascript:alert(6)",
                                   "outlet": "<b>Evil</b> Outlet", "published": "2025-04-01"}) + "\n", "utf-8")
    db = folder / "web.db"
    with Store(db) as store:
        result = ingest([str(REPO / "samples" / "corpus"), str(hostile)], store=store, settings=load_settings())
    assert result.ok, result.failures
    return db


@pytest.fixture(scope="session")
def web_db(tmp_path_factory) -> Path:
    return build_store(tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="module")
def client(web_db) -> TestClient:
    return TestClient(create_app(ServeConfig(db=str(web_db))), raise_server_exceptions=False)


@pytest.fixture
def writable(web_db, tmp_path):
    """A copy of the store served with a token, so writes do not disturb the other tests."""
    copy = tmp_path / "copy.db"
    with sqlite3.connect(web_db) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    app = create_app(ServeConfig(db=str(copy), token=TOKEN))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def hostile_id(client: TestClient) -> str:
    found = client.get("/api/search", params={"q": "Kremlin energy agreement"}).json()["items"]
    return next(r["id"] for r in found if "alert" in (r["title"] or ""))


def assert_envelope(response, status: int) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["ok"] is False and body["status"] == status
    assert isinstance(body["error"], str) and body["error"]
    assert isinstance(body["errors"], list)
    assert "Traceback" not in response.text and "sqlite3" not in response.text
    return body


# -- listings and pagination ------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/articles", "/api/actors", "/api/events", "/api/claims", "/api/stories"])
def test_api_cursor_pages_cover_every_row_once(client, path):
    everything = client.get(path, params={"limit": 500}).json()
    assert everything["next"] is None and everything["items"]
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.get(path, params=params).json()
        assert len(page["items"]) <= 2
        seen += page["items"]
        cursor = page["next"]
        if cursor is None:
            break
    assert [r["id"] for r in seen] == [r["id"] for r in everything["items"]]


def test_api_page_size_is_bounded(client):
    body = assert_envelope(client.get("/api/events", params={"limit": 501}), 400)
    assert body["errors"][0]["param"] == "limit"
    assert_envelope(client.get("/api/events", params={"limit": 0}), 400)
    assert_envelope(client.get("/api/events", params={"limit": "ten"}), 400)
    assert len(client.get("/api/events").json()["items"]) <= 50  # the default page


@pytest.mark.parametrize("cursor", ["garbage", "bzox", encode_cursor(3) + "!!", "", "=="])
def test_api_bad_cursor_is_400_or_first_page(client, cursor):
    response = client.get("/api/articles", params={"cursor": cursor})
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert_envelope(response, 400)


def test_api_cursor_round_trip():
    assert decode_cursor(encode_cursor(12345)) == 12345


# -- filters ----------------------------------------------------------------------------------


def test_api_event_filters_match_the_cli(client):
    rows = client.get("/api/events", params={"country": "IND", "limit": 500}).json()["items"]
    assert rows and all("IND" in {a["country"] for a in e["source"] + e["target"]} for e in rows)
    root = rows[0]["cameo"]["code"][:2]
    coded = client.get("/api/events", params={"cameo": root, "limit": 500}).json()["items"]
    assert coded and all(e["cameo"]["code"].startswith(root) for e in coded)
    assert client.get("/api/events", params={"since": "2999"}).json()["items"] == []


def test_api_actor_and_article_filters(client):
    people = client.get("/api/actors", params={"kind": "person", "limit": 500}).json()["items"]
    assert people and {a["kind"] for a in people} == {"person"}
    german = client.get("/api/articles", params={"language": "de"}).json()["items"]
    assert german and {a["language"] for a in german} == {"de"}
    reported = client.get("/api/claims", params={"status": "reported", "limit": 500}).json()["items"]
    assert reported and {c["status"] for c in reported} == {"reported"}
    assert_envelope(client.get("/api/claims", params={"status": "gossip"}), 400)
    assert_envelope(client.get("/api/actors", params={"kind": "alien"}), 400)


def test_api_unknown_or_repeated_parameter_is_400(client):
    body = assert_envelope(client.get("/api/events", params={"colour": "red"}), 400)
    assert body["errors"][0]["param"] == "colour"
    assert_envelope(client.get("/api/events?country=IND&country=PAK"), 400)


@pytest.mark.parametrize("path,params", [
    ("/api/articles", ("language", "outlet")),
    ("/api/actors", ("country", "name", "article")),
    ("/api/events", ("actor", "country", "cameo", "plover", "since", "until", "place", "article")),
    ("/api/claims", ("source", "event", "article")),
    ("/api/stories", ("actor", "cameo")),
    ("/api/graph", ("actor", "since", "until", "limit")),
    ("/api/search", ("q",)),
])
def test_api_sql_injection_in_filters_is_inert(client, path, params):
    for name in params:
        for payload in INJECTIONS:
            response = client.get(path, params={name: payload})
            assert response.status_code in (200, 400, 404), (name, payload, response.text)
            if response.status_code != 200:
                assert_envelope(response, response.status_code)
    # the store is intact afterwards
    assert len(client.get("/api/articles", params={"limit": 500}).json()["items"]) == 10


# -- records ----------------------------------------------------------------------------------


def test_api_article_carries_its_records(client):
    article_id = hostile_id(client)
    body = client.get(f"/api/articles/{article_id[:8]}").json()
    assert body["id"] == article_id and body["text"] == HOSTILE_TEXT and body["title"] == HOSTILE_TITLE
    assert {"mentions", "actors", "events", "claims", "timexes"} <= set(body)
    assert any(m["text"] == "Xi Jinping" for m in body["mentions"])


def test_api_actor_timeline_story_graph(client):
    actor = client.get("/api/actors/Putin").json()
    assert actor["kind"] == "person"
    timeline = client.get(f"/api/timeline/{actor['id']}").json()
    assert timeline["actor"]["id"] == actor["id"] and "next" in timeline and timeline["items"]
    assert timeline["total"] >= len(timeline["items"])  # says how much there is beyond the page
    story = client.get("/api/stories").json()["items"][0]
    assert client.get(f"/api/stories/{story['id']}").json()["id"] == story["id"]
    graph = client.get("/api/graph", params={"actor": str(actor["id"])}).json()
    assert graph["actor"] == actor["id"] and any(n["id"] == actor["id"] for n in graph["nodes"])


def test_api_graph_gives_its_heaviest_edges_and_how_many_there_are(client):
    whole = client.get("/api/graph").json()
    two = client.get("/api/graph", params={"limit": 2}).json()
    assert len(whole["edges"]) == whole["total_edges"] > 2  # fewer than the default limit: all of them
    assert two["edges"] == whole["edges"][:2] and two["total_edges"] == whole["total_edges"]
    assert {n["id"] for n in two["nodes"]} == {i for e in two["edges"] for i in (e["source"], e["target"])}
    assert client.get("/api/graph", params={"limit": 0}).status_code == 400


def test_api_search_pages(client):
    first = client.get("/api/search", params={"q": "said", "limit": 1}).json()
    assert len(first["items"]) == 1 and first["next"]
    second = client.get("/api/search", params={"q": "said", "limit": 1, "cursor": first["next"]}).json()
    assert second["items"][0]["id"] != first["items"][0]["id"]
    assert_envelope(client.get("/api/search"), 400)  # q is required


@pytest.mark.parametrize("path,status", [
    ("/api/articles/ffffffffffff", 404), ("/api/actors/nobody-at-all", 404), ("/api/stories/99999", 404),
    ("/api/stories/abc", 404), ("/api/timeline/nobody-at-all", 404), ("/api/nothing-here", 404),
    ("/api/graph?actor=nobody-at-all", 404),
])
def test_api_errors_use_one_envelope(client, path, status):
    assert_envelope(client.get(path), status)


def test_api_wrong_method_is_405_envelope(client):
    assert_envelope(client.put("/api/articles"), 405)


# -- hostile content --------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/articles?limit=500", "/api/articles/{id}", "/api/events?limit=500",
                                  "/api/claims?limit=500", "/api/search?q=alert", "/api/actors?limit=500",
                                  "/api/stories?limit=500", "/api/graph", "/api/timeline/Putin"])
def test_api_json_never_carries_markup(client, path):
    response = client.get(path.format(id=hostile_id(client)))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "<" not in response.text and ">" not in response.text  # written as \\u003c / \\u003e
    assert "alert" in response.text or path.startswith(("/api/actors", "/api/stories", "/api/graph", "/api/timeline"))


# -- writes -----------------------------------------------------------------------------------


def test_api_writes_are_refused_without_a_configured_token(client):
    body = assert_envelope(client.post("/api/ingest", content=b'{"text": "x"}'), 403)
    assert "read-only" in body["error"]
    assert_envelope(client.delete(f"/api/articles/{hostile_id(client)}",
                                  headers={"Authorization": "Bearer anything"}), 403)


@pytest.mark.parametrize("header", [None, "Bearer wrong", "Basic dGVzdA==", "Bearer", f"bearer {TOKEN}x"])
def test_api_writes_need_the_right_token(writable, header):
    headers = {"Authorization": header} if header else {}
    response = writable.post("/api/ingest", content=b'{"text": "Some article text here."}', headers=headers)
    assert_envelope(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert_envelope(writable.delete("/api/articles/ffff", headers=headers), 401)


def test_api_ingest_and_delete_with_the_token(writable):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    body = "\n".join(json.dumps(a) for a in [
        {"title": "Envoy visits Kyiv", "text": "The French foreign minister visited Kyiv on Monday for talks "
                                               "with President Volodymyr Zelensky, officials said."},
        {"title": "Ministers meet", "text": "Japan and South Korea held talks in Tokyo on trade, the ministry said."},
    ])
    response = writable.post("/api/ingest", content=body.encode(), headers=auth)
    assert response.status_code == 201, response.text
    stored = response.json()["stored"]
    assert len(stored) == 2
    assert writable.get(f"/api/articles/{stored[0]}").json()["title"] == "Envoy visits Kyiv"
    again = writable.post("/api/ingest", content=body.encode(), headers=auth).json()
    assert again["stored"] == [] and again["duplicates"] == 2
    removed = writable.delete(f"/api/articles/{stored[0]}", headers=auth)
    assert removed.status_code == 200 and removed.json()["article"] == stored[0]
    assert_envelope(writable.get(f"/api/articles/{stored[0]}"), 404)


def test_api_ingest_accepts_a_json_array(writable):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    body = json.dumps([{"text": "Germany and Poland agreed on a new border policy in Berlin, officials said."}])
    response = writable.post("/api/ingest", content=body.encode(), headers=auth)
    assert response.status_code == 201 and len(response.json()["stored"]) == 1


@pytest.mark.parametrize("body,bad_items", [
    (b'{"title": "no text"}', [1]),
    (b'{"text": "fine text of an article"}\n{"text": true}\nnot json', [2, 3]),
    (b'[{"text": ""}, "a string"]', [1, 2]),
    (b"", []),
    (b"\xff\xfe", []),
    (b"[broken", []),
])
def test_api_ingest_refuses_bad_bodies_whole(writable, body, bad_items):
    before = len(writable.get("/api/articles", params={"limit": 500}).json()["items"])
    response = writable.post("/api/ingest", content=body, headers={"Authorization": f"Bearer {TOKEN}"})
    envelope = assert_envelope(response, 400)
    assert sorted(e["item"] for e in envelope["errors"] if "item" in e) == bad_items
    assert len(writable.get("/api/articles", params={"limit": 500}).json()["items"]) == before


def test_api_ingest_reads_the_body_as_the_file_reader_reads_json(writable):
    """Field aliases and date forms a .jsonl file may use work in a request too, and the stored
    source names the request's line, not a file on the server."""
    auth = {"Authorization": f"Bearer {TOKEN}"}
    body = json.dumps({"headline": "Border talks", "date": "18 June 2024", "publisher": "Example Wire",
                       "body": "Finland and Norway held talks in Oslo on border security, officials said."})
    response = writable.post("/api/ingest", content=body.encode(), headers=auth)
    assert response.status_code == 201, response.text
    article = writable.get(f"/api/articles/{response.json()['stored'][0]}").json()
    assert (article["title"], article["published"], article["outlet"]) == ("Border talks", "2024-06-18",
                                                                           "Example Wire")
    assert article["source"] == "request:1"


@pytest.mark.parametrize("body,reason", [
    (b'{"text": "fine text of an article"}\n{"text": ["a", 3]}', "field 'text' must be a string, found list"),
    (b'[{"title": "no text"}]', "no article text: field 'text'"),
])
def test_api_ingest_refusals_give_the_file_readers_reasons(writable, body, reason):
    response = writable.post("/api/ingest", content=body, headers={"Authorization": f"Bearer {TOKEN}"})
    envelope = assert_envelope(response, 400)
    assert len(envelope["errors"]) == 1 and envelope["errors"][0]["message"].startswith(reason)


def test_api_request_body_is_bounded(web_db):
    app = create_app(ServeConfig(db=str(web_db), token=TOKEN, max_body=200))
    client = TestClient(app, raise_server_exceptions=False)
    big = json.dumps({"text": "word " * 100}).encode()
    assert_envelope(client.post("/api/ingest", content=big, headers={"Authorization": f"Bearer {TOKEN}"}), 413)

    def chunks():  # no Content-Length: the limit still holds while reading
        yield big[:150]
        yield big[150:]

    response = client.post("/api/ingest", content=chunks(), headers={"Authorization": f"Bearer {TOKEN}"})
    assert_envelope(response, 413)


# -- CORS, OpenAPI ----------------------------------------------------------------------------


def test_api_no_cors_unless_configured(client, web_db):
    response = client.get("/api/articles", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in response.headers
    allowed = TestClient(create_app(ServeConfig(db=str(web_db), cors_origins=("https://ok.example",))))
    good = allowed.get("/api/articles", headers={"Origin": "https://ok.example"})
    assert good.headers["access-control-allow-origin"] == "https://ok.example"
    bad = allowed.get("/api/articles", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in bad.headers


def test_api_openapi_schema_validates(client):
    schema = client.get("/api/openapi.json").json()
    validator = pytest.importorskip("openapi_spec_validator")
    validator.validate(schema)
    assert {"/api/articles", "/api/events", "/api/ingest", "/api/stories/{story_id}"} <= set(schema["paths"])
    assert schema["paths"]["/api/ingest"]["post"]["security"] == [{"bearer": []}]


def test_api_openapi_lists_every_route(client):
    schema = client.get("/api/openapi.json").json()
    listed = {(path, method.upper()) for path, ops in schema["paths"].items() for method in ops}
    from newsgraph.api import API_ROUTES

    assert listed == {(r.path.replace(":int}", "}"), r.method) for r in API_ROUTES}


def test_api_index_and_missing_store(tmp_path):
    client = TestClient(create_app(ServeConfig(db=str(tmp_path / "absent.db"))), raise_server_exceptions=False)
    assert_envelope(client.get("/api/articles"), 503)
    assert "/api/events" in {e["path"] for e in client.get("/api").json()["endpoints"]}


def test_api_claims_listing_says_how_many_match(client):
    body = client.get("/api/claims", params={"limit": 1}).json()
    assert body["total"] >= len(body["items"]) and (body["next"] is None) == (body["total"] <= 1)
