"""The analyst's workbench over a generated 5,000-article store: actor index with facets,
story filters, "showing N–M of T" paging on every list and totals in the API, bounded actor
pages, the activity chart, the event map and the top-N relation graph."""

from __future__ import annotations

import re
import sqlite3
import warnings
from html import unescape

import pytest

pytest.importorskip("starlette")
with warnings.catch_warnings():  # Starlette 1.x prefers httpx2 for its test client; httpx works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from newsgraph.store import browse
from newsgraph.api import ServeConfig, create_app
from newsgraph.store import COUNT_CAP, Store
from newsgraph.web.charts import activity_chart, world_map

pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx`")


@pytest.fixture(scope="module")
def client(big_store) -> TestClient:
    return TestClient(create_app(ServeConfig(db=str(big_store))), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def store(big_store):
    with Store(big_store, readonly=True) as s:
        yield s


@pytest.fixture(scope="module")
def busiest(store) -> int:
    return store.actors(limit=1)[0]["id"]


def showing(html: str) -> tuple[int, int, int]:
    """(first, last, total) of a list page's "Showing N–M of T"; a total past the count cap
    reads "more than 10,000" and comes back as 10,001."""
    first, last, more, total = re.search(r"Showing (\d+)–(\d+) of (more than )?([\d,]+)", html).groups()
    return int(first), int(last), int(total.replace(",", "")) + bool(more)


# -- the library ---------------------------------------------------------------------------


def test_browse_actor_facets_count_what_the_other_filters_leave(store):
    found = browse.actor_index(store, kind="person", country="FRA", limit=500)
    assert found["total"] == len(found["items"]) > 0
    assert all(a["kind"] == "person" and a["country"] == "FRA" for a in found["items"])
    kinds = dict(found["facets"]["kind"])
    assert kinds["person"] == found["total"] and kinds.get("organisation", 0) > 0  # other kinds in France
    countries = dict(found["facets"]["country"])
    assert countries["FRA"] == found["total"] and len(countries) > 5  # people of other countries


@pytest.mark.parametrize("sort, key, reverse", [("name", lambda a: a["name"].casefold(), False),
                                                ("mentions", lambda a: a["mentions"], True),
                                                ("last_seen", lambda a: a["last_seen"], True)])
def test_browse_actor_index_sorts_and_pages(store, sort, key, reverse):
    everyone = browse.actor_index(store, sort=sort, limit=10_000)["items"]
    assert [key(a) for a in everyone] == sorted((key(a) for a in everyone), reverse=reverse)
    third = browse.actor_index(store, sort=sort, limit=50, offset=100)["items"]
    assert [a["id"] for a in third] == [a["id"] for a in everyone[100:150]]


def test_browse_actor_date_range_counts_only_its_mentions(store):
    spring = browse.actor_index(store, since="2024-03", until="2024-05", limit=10_000)["items"]
    assert spring and all("2024-03-01" <= a["first_seen"] <= a["last_seen"] <= "2024-05-31" for a in spring)
    overall = {a["id"]: a["mentions"] for a in browse.actor_index(store, limit=10_000)["items"]}
    assert all(a["mentions"] <= overall[a["id"]] for a in spring)
    assert any(a["mentions"] < overall[a["id"]] for a in spring)


def test_browse_story_index_filters_and_totals(store):
    found = browse.story_index(store, since="2024-03", until="2024-04", min_sources=2, limit=1000)
    assert found["total"] == len(found["items"]) > 0
    for story in found["items"]:
        assert story["independent_sources"] >= 2
        # a story spans a few days, which may cross the range's edge: one of its events is in it
        events = store.story(story["id"])["events"]
        days = [e["time"]["value"] or e["evidence"]["published"] for e in browse.events_in_order(store, events)]
        assert any("2024-03" <= (day or "")[:7] <= "2024-04" for day in days)
    assaults = browse.story_index(store, plover="ASSAULT", limit=5)
    assert assaults["items"] and all(s["plover"] == "ASSAULT" for s in assaults["items"])
    ranked = [s["independent_sources"] for s in browse.story_index(store, limit=200)["items"]]
    assert ranked == sorted(ranked, reverse=True) and ranked[0] > 1


def test_browse_activity_counts_every_event_of_the_actor_once(store, busiest):
    weeks = browse.activity(store, actor_id=busiest)
    events = store.conn.execute("SELECT COUNT(DISTINCT event_id) FROM participants WHERE actor_id = ?",
                                (busiest,)).fetchone()[0]
    claims = store.conn.execute("SELECT COUNT(*) FROM claims WHERE source_actor_id = ?", (busiest,)).fetchone()[0]
    assert sum(sum(w["quads"].values()) for w in weeks) == events
    assert sum(w["claims"] for w in weeks) == claims
    assert [w["week"] for w in weeks] == sorted(w["week"] for w in weeks)


def test_browse_top_graph_keeps_the_heaviest_edges(store, busiest):
    full = browse.top_graph(store, actor_id=busiest, top=1000)
    top = browse.top_graph(store, actor_id=busiest, top=10)
    assert len(top["edges"]) == 10 and top["total_edges"] == len(full["edges"]) > 10
    assert [e["weight"] for e in top["edges"]] == sorted((e["weight"] for e in full["edges"]), reverse=True)[:10]
    assaults = browse.top_graph(store, actor_id=busiest, plover="ASSAULT", top=1000)
    assert all(e["weight"] == e["plover"]["ASSAULT"] for e in assaults["edges"])
    assert assaults["total_edges"] < full["total_edges"]


# -- the pictures --------------------------------------------------------------------------


def test_charts_activity_bars_stack_inside_the_plot():
    weeks = [{"week": "2024-01-01", "quads": {1: 2, 2: 0, 3: 1, 4: 1}, "claims": 3},
             {"week": "2024-01-22", "quads": {1: 0, 2: 0, 3: 0, 4: 2}, "claims": 0}]
    chart = activity_chart(weeks)
    assert {b["quad"] for b in chart["bars"]} == {1, 3, 4} and len(chart["claims"]) == 1
    first_week = [b for b in chart["bars"] if b["x"] == chart["left"]]
    assert sum(b["h"] for b in first_week) == pytest.approx(chart["bottom"] - chart["top"], abs=0.5)  # the tallest
    assert all(chart["top"] - 0.5 <= b["y"] and b["y"] + b["h"] <= chart["bottom"] + 0.5 for b in chart["bars"])
    assert activity_chart([]) is None


def test_charts_map_projects_known_places_and_lists_the_rest():
    geo = world_map([{"name": "Paris", "country": "FRA", "events": 4},
                     {"name": "Nowhere-on-earth", "country": None, "events": 1}])
    (paris,) = geo["markers"]
    assert paris["cx"] == pytest.approx((2.35 + 180) / 360 * geo["width"], abs=1)
    assert paris["cy"] == pytest.approx((90 - 48.86) / 180 * geo["height"], abs=1)
    assert geo["unplaced"] == ["Nowhere-on-earth"]


# -- pages and API routes ------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/articles", "/actors", "/stories", "/events", "/search?q=embassy"])
def test_web_list_pages_show_counts_and_reach_page_three(client, path):
    first = client.get(path).text
    assert showing(first)[:2] == (1, 50) and showing(first)[2] > 150
    page_three = client.get(path + ("&" if "?" in path else "?") + "page=3")
    assert page_three.status_code == 200
    assert showing(page_three.text) == (101, 150, showing(first)[2])
    assert 'rel="prev"' in page_three.text and 'rel="next"' in page_three.text


def test_web_a_page_past_the_end_says_so(client):
    html = client.get("/actors", params={"page": 999}).text
    assert "past the last page" in html


@pytest.mark.parametrize("route, count", [("/api/events", "SELECT COUNT(*) FROM events"),
                                          ("/api/articles", "SELECT COUNT(*) FROM articles"),
                                          ("/api/stories", "SELECT COUNT(*) FROM stories")])
def test_api_listings_report_the_total_and_the_next_page(client, big_store, route, count):
    body = client.get(route, params={"limit": 7}).json()
    with sqlite3.connect(big_store) as conn:
        total = conn.execute(count).fetchone()[0]
    # counted up to the cap, and past it said to be more
    assert (body["total"], body.get("total_capped", False)) == (min(total, COUNT_CAP), total > COUNT_CAP)
    assert len(body["items"]) == 7 and body["next"]


def test_api_search_pages_past_the_first_results(client):
    first = client.get("/api/search", params={"q": "embassy", "limit": 40}).json()
    assert first["total"] > 40 and first["next"]
    second = client.get("/api/search", params={"q": "embassy", "limit": 40, "cursor": first["next"]}).json()
    assert not {r["id"] for r in first["items"]} & {r["id"] for r in second["items"]}


def test_web_home_lists_recent_articles_by_publication_date(client):
    html = client.get("/").text
    recent = html.split("Recent articles")[1].split("</ul>")[0]
    dates = re.findall(r'<span class="meta">(\d{4}-\d{2}-\d{2})', recent)
    assert len(dates) == 15 and dates == sorted(dates, reverse=True)


def test_web_events_are_latest_first(client):
    dates = re.findall(r'<td class="nowrap">(\d{4}-\d{2}-\d{2})</td>', client.get("/events").text)
    assert len(dates) == 50 and dates == sorted(dates, reverse=True)


def test_web_actor_facet_links_apply_the_facet(client):
    html = client.get("/actors", params={"kind": "person"}).text
    link = unescape(re.search(r'<ul class="facet facet-country">\s*<li><a href="([^"]+)"', html).group(1))
    assert "kind=person" in link and "country=" in link
    filtered = client.get(link).text
    country = re.search(r"country=([A-Z]{3})", link).group(1)
    rows = re.findall(r"<td>([A-Z]{3})</td><td>", filtered)
    assert rows and set(rows) == {country}


def test_web_stories_filtered_by_date_and_sources(client):
    html = client.get("/stories", params={"since": "2024-03-01", "until": "2024-03-31", "min_sources": 2}).text
    times = re.findall(r'<td class="nowrap">([0-9-]+)</td>', html)
    assert times and all(t.startswith("2024-03") for t in times)
    assert 'name="since" value="2024-03-01"' in html


def test_web_actor_page_is_bounded_and_groups_roles(client, store, busiest):
    response = client.get(f"/actors/{busiest}")
    assert len(response.content) < 250_000
    html = response.text
    roles = html.split('<table class="grid roles">')[1].split("</table>")[0]
    raw_roles = store.conn.execute("SELECT COUNT(*) FROM roles WHERE actor_id = ?", (busiest,)).fetchone()[0]
    assert roles.count("<tr>") - 1 < raw_roles or raw_roles <= 1
    assert html.count('<li><span class="date">') == 40
    assert showing(client.get(f"/actors/{busiest}", params={"page": 3}).text)[:2] == (81, 120)
    assert html.count('<rect class="bar') > 10 and html.count('<circle class="place') > 5


def test_web_pair_and_story_pages_draw_their_pictures(client, store, busiest):
    partner = store.conn.execute("SELECT target_id FROM relation_pairs WHERE source_id = ? LIMIT 1",
                                 (busiest,)).fetchone()[0]
    pair = client.get(f"/pairs/{busiest}/{partner}").text
    assert '<svg class="activity-chart"' in pair and "Events between them" in pair and showing(pair)[2] > 0
    story = client.get("/api/stories", params={"limit": 1}).json()["items"][0]
    html = client.get(f"/stories/{story['id']}").text
    assert '<rect class="bar' in html and '<svg class="event-map"' in html


def test_web_graph_page_shows_the_top_n(client, busiest):
    html = client.get("/graph", params={"actor": busiest, "top": 10}).text
    assert html.count("<tr><td><a href=\"/actors/") == 10
    assert re.search(r"The 10 strongest of \d+ relation", html)
    assert client.get("/graph", params={"top": 100}).text.count("<tr><td><a href=\"/actors/") == 100
    assert client.get("/graph", params={"plover": "GOSSIP"}).status_code == 400
    assert client.get("/graph", params={"since": "last week"}).status_code == 400


@pytest.mark.parametrize("path, params", [
    ("/actors", {"country": "' OR 1=1 --", "sector": "%", "name": "_"}),
    ("/actors", {"min_mentions": "-1"}),
    ("/actors", {"sort": "id; DROP TABLE actors"}),
    ("/stories", {"actor": "x') UNION SELECT * FROM actors --", "plover": "\\"}),
    ("/graph", {"actor": "<script>alert(1)</script>"}),
    ("/map", {"since": "2024-13-99x"}),
    ("/pairs/1/<svg>", {}),
])
def test_web_new_pages_refuse_bad_input_cleanly(client, path, params):
    response = client.get(path, params=params)
    assert response.status_code in (200, 400, 404), response.text[:300]
    assert "<script>alert" not in response.text and "<svg>" not in response.text


def test_browse_cached_aggregates_follow_writes(tmp_path):
    from synthetic_store import build_synthetic_store
    from test_store_scale import article, records

    import random

    path = build_synthetic_store(tmp_path / "small.db", articles=60)
    with Store(path, readonly=True) as reader:
        stories_before = browse.story_index(reader, limit=1)["total"]
        actors_before = browse.actor_index(reader, limit=1)["total"]
    with Store(path) as writer:
        writer.add_article(article(10_000), records(random.Random(3), 4))
    with Store(path, readonly=True) as reader:
        assert browse.story_index(reader, limit=1)["total"] > stories_before
        assert browse.actor_index(reader, limit=1)["total"] > actors_before


@pytest.mark.parametrize("name", ['<script>alert(1)</script>', '"><svg onload=alert(2)>'])
def test_charts_escape_place_names(name):
    from newsgraph.api import _jinja_env

    env = _jinja_env()
    geo = world_map([{"name": name, "country": "FRA", "events": 2}, {"name": name + "x", "country": None, "events": 1}])
    assert geo["markers"][0]["label"] == name  # drawn at France's capital, labelled with the hostile name
    html = env.get_template("_map.html").render(geo=geo)
    assert "<script>" not in html and "<svg onload" not in html and "&lt;" in html
    weeks = [{"week": "2024-01-01", "quads": {1: 1, 2: 0, 3: 0, 4: 0}, "claims": 1}]
    assert "<svg" in env.get_template("_activity.html").render(chart=activity_chart(weeks))


def test_api_story_digest_reads_the_story_events(client):
    story = client.get("/api/stories", params={"limit": 1}).json()["items"][0]
    digest = client.get("/api/digest", params={"story": story["id"]})
    assert digest.status_code == 200, digest.text
    assert story["cameo_name"] in digest.json()["title"] and digest.json()["facts"]
