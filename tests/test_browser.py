"""End-to-end tests of the web app in headless Chromium (Debian's /usr/bin/chromium driven by
Playwright): search → article → actor → story, a digest, and a hostile article whose markup
must show as text with no script run; over a generated 5,000-article store, the workbench:
actor index with a facet, stories by date, paging to page 3, activity chart and map, graph top-N. Screenshots of the main pages are taken on every run; they
replace the README's (docs/screenshots/) only with NEWSGRAPH_UPDATE_SCREENSHOTS=1, so that a test
run leaves the working tree clean.

Skips when Playwright or /usr/bin/chromium is missing (`apt-get install chromium`,
`pip install playwright`; never `playwright install`).
"""

from __future__ import annotations

import os
import re
import socket
import sqlite3
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
DOC_SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"

if not CHROMIUM.exists():
    pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)",
                allow_module_level=True)
playwright_api = pytest.importorskip("playwright.sync_api", reason="browser tests need `pip install playwright`")
uvicorn = pytest.importorskip("uvicorn")

from newsgraph.api import ServeConfig, create_app  # noqa: E402

from test_api import HOSTILE_TEXT, HOSTILE_TITLE, web_db  # noqa: E402,F401 - web_db is a fixture


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def base_url(web_db):
    """`newsgraph serve` over the sample store, on a loopback port, in a thread, for the module."""
    yield from _serve(web_db)


@pytest.fixture(scope="module")
def big_url(big_store):
    """`newsgraph serve` over the generated 5,000-article store."""
    yield from _serve(big_store)


def _serve(db):
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(ServeConfig(db=str(db))), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                     args=["--headless", "--no-sandbox", "--disable-gpu"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh page that records every dialog (alert, confirm, prompt), page error and CSP report."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.dialogs, page.errors, page.console_errors = [], [], []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    yield page
    context.close()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory) -> Path:
    if os.environ.get("NEWSGRAPH_UPDATE_SCREENSHOTS") == "1":
        DOC_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        return DOC_SCREENSHOTS
    return tmp_path_factory.mktemp("screenshots")


def shot(page, folder: Path, name: str) -> None:
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    assert path.stat().st_size > 0


def assert_clean(page) -> None:
    assert page.dialogs == [], f"a script ran: {page.dialogs}"
    assert page.errors == [], page.errors
    assert page.console_errors == [], page.console_errors  # includes CSP violations


def test_browser_search_article_actor_story(page, base_url, screenshots):
    page.goto(base_url + "/")
    shot(page, screenshots, "home")
    page.fill("form.search-big input[name=q]", "Khartoum")
    page.press("form.search-big input[name=q]", "Enter")
    page.wait_for_url("**/search?q=Khartoum")
    assert page.locator("mark", has_text="Khartoum").count() >= 1
    shot(page, screenshots, "search")

    page.locator("a.result-title").first.click()
    page.wait_for_url("**/articles/*")
    highlight = page.locator("#text .hl-actor").first
    highlight.hover()
    assert page.locator("#details .card").count() >= 1
    highlight.click()
    assert page.locator("#details dl").first.inner_text().strip()
    event = page.locator("#text .hl-event").first
    event.click()
    assert "status" in page.locator("#details").inner_text()
    shot(page, screenshots, "article")

    page.locator("ul.chips a").first.click()
    page.wait_for_url("**/actors/*")
    page.wait_for_selector("#graph[data-ready=true] canvas", timeout=5000)
    page.goto(base_url + "/actors/India")  # one with relations, for the screenshot
    page.wait_for_selector("#graph[data-ready=true] canvas", timeout=5000)
    assert page.locator("table.grid", has_text="Pakistan").count() >= 1
    assert page.locator("svg.activity-chart rect.bar").count() >= 1
    shot(page, screenshots, "actor")

    page.goto(base_url + "/stories")
    page.locator("table.grid a").first.click()
    page.wait_for_url("**/stories/*")
    assert page.locator("dl.facts").inner_text().count("Independent sources") == 1
    shot(page, screenshots, "story")

    page.goto(base_url + "/events?since=2025")
    assert page.locator("table.events tbody tr").count() >= 1
    shot(page, screenshots, "events")
    assert_clean(page)


def test_browser_hostile_article_runs_no_script(page, base_url, screenshots):
    page.goto(base_url + "/search?q=Kremlin+energy")
    link = page.locator("a.result-title", has_text="alert(1)")
    assert link.inner_text() == HOSTILE_TITLE.strip().replace("  ", " ")
    link.click()
    page.wait_for_url("**/articles/*")
    assert page.locator("h1").inner_text() == HOSTILE_TITLE
    assert page.locator("#text").inner_text() == HOSTILE_TEXT
    assert page.locator("#text img, #text svg, #text script, h1 script, h1 svg").count() == 0
    for span in page.locator("#text [data-ann]").all()[:40]:  # every card is built from the data as text
        span.click()
    assert page.locator("#details img, #details svg, #details script").count() == 0
    shot(page, screenshots, "hostile-article")
    page.goto(page.url.replace("/articles/", "/digest/articles/"))
    assert "alert(1)" in page.locator("h1").inner_text()
    shot(page, screenshots, "digest")
    assert page.evaluate("document.querySelectorAll('img, svg, iframe').length") == 0
    assert_clean(page)


def test_browser_digest_evidence_link_marks_the_span(page, base_url):
    page.goto(base_url + "/search?q=Khartoum")
    href = page.locator("a.result-title").first.get_attribute("href")
    page.goto(base_url + href.replace("/articles/", "/digest/articles/"))
    evidence = page.locator("a.evidence").first
    if evidence.count() == 0:
        pytest.skip("this digest cites no spans")
    evidence.click()
    page.wait_for_url("**#span-*")
    assert page.locator("#text .target").count() >= 1
    assert_clean(page)


# -- the workbench over a generated 5,000-article store ---------------------------------------


def busiest_actor(db) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT actor_id FROM mentions GROUP BY actor_id ORDER BY COUNT(*) DESC LIMIT 1"
                            ).fetchone()[0]


def showing(page) -> tuple[int, int, int]:
    text = page.locator("p.pager").first.inner_text()
    return tuple(int(n) for n in re.search(r"Showing (\d+)–(\d+) of (\d+)", text).groups())


def test_browser_actor_index_facet_and_paging_to_page_three(page, big_url, screenshots):
    page.goto(big_url + "/actors")
    assert showing(page)[:2] == (1, 50)
    page.locator("ul.facet-kind a", has_text="person").click()
    page.wait_for_url("**/actors?*kind=person*")
    kinds = page.locator("table.actor-index td .kind").all_inner_texts()
    assert kinds and {k.lower() for k in kinds} == {"person"}
    assert page.locator("ul.facet-kind li.chosen").inner_text().startswith("person")
    for _ in range(2):
        page.locator("p.pager a[rel=next]").first.click()
        page.wait_for_load_state()
    assert "page=3" in page.url and "kind=person" in page.url
    assert showing(page)[:2] == (101, 150)
    shot(page, screenshots, "actors")
    assert_clean(page)


def test_browser_stories_filtered_by_date(page, big_url, screenshots):
    page.goto(big_url + "/stories")
    page.fill("form.filters input[name=since]", "2024-05-01")
    page.fill("form.filters input[name=until]", "2024-05-31")
    page.fill("form.filters input[name=min_sources]", "2")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url("**/stories?*since=2024-05-01*")
    times = page.locator("table.stories td.nowrap").all_inner_texts()
    assert times and all(t.startswith("2024-05") for t in times)
    sources = [int(t) for t in page.locator("table.stories tbody tr td:nth-child(4)").all_inner_texts()]
    assert min(sources) >= 2
    shot(page, screenshots, "stories")
    assert_clean(page)


def test_browser_actor_page_draws_activity_and_map(page, big_url, big_store, screenshots):
    actor = busiest_actor(big_store)
    page.goto(f"{big_url}/actors/{actor}")
    assert page.locator("svg.activity-chart rect.bar").count() > 10
    assert page.locator("svg.event-map circle.place").count() > 5
    box = page.locator("svg.event-map").bounding_box()
    assert box["width"] > 200 and box["height"] > 100
    page.wait_for_selector("#graph[data-ready=true] canvas", timeout=10000)
    assert page.locator("ol.timeline > li").count() == 40
    shot(page, screenshots, "actor-workbench")
    page.goto(big_url + page.locator("table.grid td a[href^='/pairs/']").first.get_attribute("href"))
    assert page.locator("svg.activity-chart rect.bar").count() >= 1
    shot(page, screenshots, "pair")
    assert_clean(page)


def test_browser_graph_page_top_n(page, big_url, big_store, screenshots):
    actor = busiest_actor(big_store)
    page.goto(f"{big_url}/graph?actor={actor}")
    page.wait_for_selector("#graph[data-ready=true] canvas", timeout=10000)
    assert page.locator("table.graph-edges tbody tr").count() == 30
    page.select_option("select[name=top]", "100")
    page.locator("form.graph-controls button[type=submit]").click()
    page.wait_for_url("**/graph?*top=100*")
    page.wait_for_selector("#graph[data-ready=true] canvas", timeout=20000)
    assert page.locator("table.graph-edges tbody tr").count() == 100
    assert int(page.locator("#graph").get_attribute("data-nodes")) > 30
    shot(page, screenshots, "graph")
    page.goto(big_url + "/graph?top=300")  # the whole store: hundreds of nodes
    page.wait_for_selector("#graph[data-ready=true] canvas", timeout=30000)
    assert int(page.locator("#graph").get_attribute("data-nodes")) > 100
    page.goto(big_url + "/map")
    assert page.locator("svg.event-map circle.place").count() > 50
    shot(page, screenshots, "map")
    assert_clean(page)
