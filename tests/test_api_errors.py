"""What a remote client sees: errors that name no server path and no shell command, and an
/api index a person can read. Served over a small hand-made store (no model needed)."""

from __future__ import annotations

import re
import warnings

import pytest

pytest.importorskip("starlette")
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from newsgraph.api import API_ROUTES, ServeConfig, create_app  # noqa: E402
from newsgraph.store import Store  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx`")


def client_for(db) -> TestClient:
    return TestClient(create_app(ServeConfig(db=str(db))), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("api-errors")
    Store(folder / "s.db").close()
    return folder


@pytest.mark.parametrize("url,status", [
    ("/api/articles/ffff", 404), ("/api/actors/nobody", 404), ("/api/stories/999", 404),
    ("/api/timeline/nobody", 404), ("/api/graph?actor=nobody", 404), ("/api/events?since=2016-13", 400),
    ("/api/digest?article=ffff", 404), ("/api/ingest", 405), ("/api/nothing", 404),
])
def test_api_errors_name_no_server_path_or_cli_command(store_dir, url, status):
    response = client_for(store_dir / "s.db").get(url)
    assert response.status_code == status
    body = response.json()
    assert body["ok"] is False and body["error"]
    assert str(store_dir) not in response.text and "s.db" not in response.text
    assert "newsgraph " not in response.text and "--" not in response.text


@pytest.mark.parametrize("content,status", [(None, 503), (b"not a database " * 200, 503)])
def test_api_missing_or_unreadable_store_is_503_without_its_path(tmp_path, content, status):
    db = tmp_path / "secret-folder" / "store.db"
    if content is not None:
        db.parent.mkdir()
        db.write_bytes(content)
    response = client_for(db).get("/api/articles")
    assert response.status_code == status
    assert "secret-folder" not in response.text and "store.db" not in response.text


def test_api_index_lists_every_route_with_parameters_for_people(store_dir):
    index = client_for(store_dir / "s.db").get("/api").json()
    listed = {(e["method"], e["path"]) for e in index["endpoints"]}
    assert listed == {(r.method, re.sub(r"{(\w+):\w+}", r"{\1}", r.path)) for r in API_ROUTES}
    assert not any(":" in e["path"] for e in index["endpoints"])  # no `{story_id:int}` router syntax
    assert all(e["description"] for e in index["endpoints"])
    events = next(e for e in index["endpoints"] if e["path"] == "/api/events")
    since = next(p for p in events["parameters"] if p["name"] == "since")
    assert since["type"] == "date" and "on or after" in since["description"]
    story = next(e for e in index["endpoints"] if e["path"] == "/api/stories/{story_id}")
    assert story["parameters"][0] == {"name": "story_id", "in": "path", "type": "integer", "required": True,
                                      "description": "Story number, as the story listing gives it."}
    assert [(p["name"], p["type"]) for p in story["parameters"][1:]] == [("as_of", "date")]
    ingest = next(e for e in index["endpoints"] if e["path"] == "/api/ingest")
    assert ingest["method"] == "POST" and "Bearer" in ingest["needs"]
