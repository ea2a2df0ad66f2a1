"""End-to-end tests of the web app in headless Chromium (Debian's /usr/bin/chromium driven by
Playwright): search → article → actor → story, a digest, and a hostile article whose markup
must show as text with no script run. Screenshots of the main pages are taken on every run; they
replace the README's (docs/screenshots/) only with NEWSGRAPH_UPDATE_SCREENSHOTS=1, so that a test
run leaves the working tree clean.

Skips when Playwright or /usr/bin/chromium is missing (`apt-get install chromium`,
`pip install playwright`; never `playwright install`).
"""

from __future__ import annotations

import os
import socket
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
    """`newsgraph serve` on a loopback port, in a thread, for the module."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(ServeConfig(db=str(web_db))), host="127.0.0.1", port=port,
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
