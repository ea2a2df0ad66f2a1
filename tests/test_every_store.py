"""Every command survives every store: listings, digests, exports, pages and API routes run
without an exception (or a 500) on stores built from random article metadata.

Articles come with or without dates, outlets, URLs and titles, and often share them (two
reports of one story on the same day, one with no outlet, is what once broke `stories`).
Records are written directly (no parsing), so a store takes milliseconds to build.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from tempfile import TemporaryDirectory

import pytest

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgraph.store import browse
from newsgraph.cli import cli
from newsgraph.extract.attribution import SpanRef
from newsgraph.extract.claims import Claim, ClaimSource
from newsgraph.extract.events import ActorRef, Event
from newsgraph.extract.factuality import Factuality
from newsgraph.extract.timex import Timex
from newsgraph.identity import article_id
from newsgraph.store import Store
from newsgraph.types import Actor, Article, ArticleRecords, CodedEvent, EventTime, Mention, Role

pytest.importorskip("starlette")
pytest.importorskip("httpx")
with warnings.catch_warnings():  # Starlette 1.x prefers httpx2 for its test client; httpx works
    warnings.simplefilter("ignore")
    from starlette.routing import Route  # noqa: E402
    from starlette.testclient import TestClient  # noqa: E402

from newsgraph.api import ServeConfig, create_app  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx`")

TEXT = "Ana Vela met officials of Russia in Lima on {n} March and said the talks went well."
FACT = Factuality("certain", "positive", "past", "asserted", ())
VELA = ActorRef("person:ana vela", "Ana Vela", "ESPGOV", "ESP", "GOV", 0, 8)
RUSSIA = ActorRef("state:RUS", "Russia", "RUS", "RUS", None, 26, 32)
# values as the extractors store them, internal codes included: the reading side must cope
ROLE_TIMES = [None, "2015-12-30TMO", "PAST_REF", "2019", "2021-05-04"]

maybe_date = st.sampled_from([None, "", "2025-03-01", "2025-03-01T08:30:00+00:00", "2025-03", "2025"])
maybe_outlet = st.sampled_from([None, "", "Wire", "Daily <b>News</b>"])
maybe_url = st.sampled_from([None, "", "https://news.example/a", "https://news.example/b"])
maybe_title = st.sampled_from([None, "", "Talks in Lima", "<script>x</script>"])
event_time = st.sampled_from([(None, None, "article"), ("2025-03-01", "day", "text"), ("2025-03", "month", "text"),
                              ("2025-03-01", "day", "article")])
metadata = st.fixed_dictionaries({
    "published": maybe_date, "outlet": maybe_outlet, "url": maybe_url, "title": maybe_title,
    "time": event_time, "negated": st.booleans(), "named_source": st.booleans(), "target": st.booleans(),
    "place": st.booleans(), "language": st.sampled_from([None, "en"]),
    "began": st.sampled_from(ROLE_TIMES), "ended": st.sampled_from(ROLE_TIMES),
    "copy": st.none() | st.fixed_dictionaries({"outlet": maybe_outlet, "url": maybe_url, "published": maybe_date}),
})


def records(text: str, meta: dict) -> ArticleRecords:
    """One article's records: Ana Vela and Russia, a meeting between them, a claim about it."""
    value, precision, source = meta["time"]
    event = Event(sentence=0, trigger="met", trigger_start=9, trigger_end=12, cameo="042", cameo_root="04",
                  cameo_name="Make a visit", goldstein=1.9, quad_class=1, plover_type="CONSULT", plover_mode=None,
                  sources=(VELA,), targets=(RUSSIA,) if meta["target"] else (),
                  **({"place": "Lima", "place_start": 36, "place_end": 40} if meta["place"] else {}),
                  negated=meta["negated"], sentence_end=len(text))
    speaker = ClaimSource("Ana Vela", True, VELA.key, ("ESP",), "GOV", 0, 8) if meta["named_source"] else None
    claim = Claim(kind="indirect", sentence=0, cue=SpanRef(58, 62, "said"), cue_lemma="say", source=speaker,
                  contents=(SpanRef(63, len(text) - 1, "the talks went well"),), factuality=FACT, events=(0,))
    role = Role("foreign minister", "ESP", "GOV", 0, 8, 0, began=meta["began"], ended=meta["ended"])
    return ArticleRecords(
        sentences=[(0, len(text))],
        actors=[Actor(VELA.key, "Ana Vela", "person", "ESP", "GOV", aliases={"Ana Vela", "Vela"}, roles=[role]),
                Actor(RUSSIA.key, "Russia", "state", "RUS", aliases={"Russia"})],
        mentions=[Mention(0, 8, "Ana Vela", "PERSON", 0, VELA.key), Mention(26, 32, "Russia", "GPE", 0, RUSSIA.key)],
        events=[CodedEvent(event, EventTime(value, precision, source, None, None, None), FACT)],
        claims=[claim],
        timexes=[Timex(36, 44, "March", "DATE", "2025-03", "month", True)] if value else [],
    )


def build(path: Path, metas: list[dict]) -> Store:
    store = Store(path)
    for n, meta in enumerate(metas, 1):
        text = TEXT.format(n=n)
        article = Article(id=article_id(text), text=text, source=f"/tmp/feed/{n}.txt", language=meta["language"],
                          title=meta["title"], url=meta["url"], outlet=meta["outlet"], published=meta["published"],
                          published_precision="day" if meta["published"] else None)
        store.add_article(article, records(text, meta))
        if meta["copy"]:
            store.add_copy(Article(id=article.id, text=text, source="copy", **meta["copy"]))
    return store


def cli_runs(db: str, out: Path, article: str, actor: str, story: int | None) -> list[list[str]]:
    """Every reading command of the CLI, in each of its output forms, on this store."""
    runs = [["articles"], ["actors"], ["events"], ["claims"], ["stories"], ["graph"], ["search", "talks"],
            ["show", article], ["timeline", actor], ["relations", "Ana Vela", "Russia"], ["family", article]]
    runs += [[*r, "--json"] for r in runs[:8] + runs[8:9]]
    # what was known on a day, and one story's reports over time
    runs += [[*r, "--as-of", day] for r in (["stories"], ["timeline", actor]) for day in ("2025", "2025-03-01")]
    runs += [["stories", str(story), *extra] for extra in ([], ["--json"], ["--as-of", "2025-02"])] if story else []
    digests = [[article], ["--actor", actor]] + ([["--story", str(story)]] if story else [])
    runs += [["digest", *d, "--format", f] for d in digests for f in ("markdown", "html", "json")]
    runs += [["export", "events", "--format", f, "-o", str(out / f"events.{f}")]
             for f in ("gdelt", "csv", "jsonl", "parquet")]
    runs += [["export", "claims", "--format", f, "-o", str(out / f"claims.{f}")] for f in ("graphrag", "jsonl", "csv")]
    runs += [["export", "graph", "--format", f, "-o", str(out / f"graph.{f}")] for f in ("graphml", "gexf", "json",
                                                                                          "neo4j")]
    return [[*r, "--db", db] for r in runs]


def web_paths(app, article: str, actor: str, story: int | None) -> list[str]:
    """Every GET route of the app with its path parameters filled from the store."""
    values = {"article_id": article, "actor": actor, "story_id": str(story or 1), "kind": "articles",
              "key": article}
    paths = []
    for route in app.routes:
        if isinstance(route, Route) and "GET" in (route.methods or ()):
            paths.append(re.sub(r"\{(\w+)(:\w+)?\}", lambda m: values.get(m.group(1), "1"), route.path))
    paths += [f"/digest/stories/{story or 1}", f"/digest/actors/{actor}", "/search?q=talks", "/api/search?q=talks",
              "/api/events?limit=1", "/api/stories?limit=1", f"/api/timeline/{actor}?limit=1",
              "/api/stories?as_of=2025-03-01", f"/api/stories/{story or 1}?as_of=2025-03"]
    paths += [f"/api/digest?{what}&format={f}" for what in (f"article={article}", f"actor={actor}", f"story={story or 1}")
              for f in ("markdown", "html", "json")]
    return paths


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(metadata, min_size=1, max_size=4))
def test_every_command_page_and_route_survives_random_metadata(metas):
    with TemporaryDirectory() as folder:
        db = Path(folder) / "s.db"
        with build(db, metas) as store:
            article = store.articles(limit=1)[0]["id"]
            actor = str(store.resolve_actor("Ana Vela")["id"])
            story = next((s["id"] for s in browse.stories(store)), None)
        runner = CliRunner()
        for args in cli_runs(str(db), Path(folder), article, actor, story):
            result = runner.invoke(cli, args)
            assert result.exception is None or isinstance(result.exception, SystemExit), (args, result.output)
            assert result.exit_code == 0, (args, result.output)
        app = create_app(ServeConfig(db=str(db)))
        with TestClient(app, raise_server_exceptions=False) as client:
            for path in web_paths(app, article, actor, story):
                response = client.get(path)
                assert response.status_code < 500, (path, response.text[:500])


BASE = {"published": "2025-03-01", "outlet": None, "url": None, "title": "Talks", "time": (None, None, "article"),
        "negated": False, "named_source": True, "target": True, "place": True, "language": "en",
        "began": None, "ended": None, "copy": None}


@pytest.mark.parametrize("outlets", [(None, "Wire"), ("Wire", None), ("", "Wire")])
def test_stories_two_reports_of_one_day_one_without_outlet(tmp_path, outlets):
    with build(tmp_path / "s.db", [{**BASE, "outlet": o} for o in outlets]) as store:
        (story,) = browse.stories(store)
    assert story["first_reported"]["published"] == "2025-03-01"
    assert story["first_reported"]["outlet"] == "Wire"  # of two reports that day, the one that names its outlet
    assert story["outlets"] == ["Wire"] and story["mentions"] == 2


def test_untitled_article_is_listed_by_file_name_not_absolute_path(tmp_path):
    # a store written before untitled articles got a title from their text
    with build(tmp_path / "s.db", [{**BASE, "title": None}]):
        pass
    listed = CliRunner().invoke(cli, ["articles", "--db", str(tmp_path / "s.db")]).output
    assert "1.txt" in listed and "/tmp/feed" not in listed
    app = create_app(ServeConfig(db=str(tmp_path / "s.db")))
    with TestClient(app) as client:
        home = client.get("/").text
    assert "1.txt" in home and "/tmp/feed" not in home


def test_actor_roles_are_listed_once_with_readable_dates(tmp_path):
    db = tmp_path / "s.db"
    with build(db, [{**BASE, "began": "2015-12-30TMO", "ended": "PAST_REF"}, {**BASE, "published": "2025-03-02"}]):
        pass
    listed = CliRunner().invoke(cli, ["actors", "--db", str(db), "--name", "Vela"]).output
    assert listed.count("foreign minister") == 1 and "foreign minister (from 30 December 2015)" in listed
    app = create_app(ServeConfig(db=str(db)))
    with TestClient(app) as client:
        page = client.get("/actors/Ana Vela").text
    assert page.count("<td>foreign minister</td>") == 1 and "30 December 2015" in page
    assert "TMO" not in page and "PAST_REF" not in page and "TMO" not in listed
