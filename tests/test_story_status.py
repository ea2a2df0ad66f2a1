"""Stories as real-world events across outlets, what was known when, and the story digest.

Rule tests write records directly (no parsing); the end-to-end tests ingest the fixture of
one visit reported by four outlets on different days (tests/fixtures/stories/visit.jsonl).
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import pytest

from click.testing import CliRunner

from newsgraph.store import browse, storyline
from newsgraph.cli import cli
from newsgraph.extract.events import ActorRef, Event
from newsgraph.extract.factuality import Factuality
from newsgraph.identity import article_id
from newsgraph.store import Store
from newsgraph.types import Actor, Article, ArticleRecords, CodedEvent, EventTime, Mention

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "stories" / "visit.jsonl"
FACT = Factuality("certain", "positive", "past", "asserted", ())
VISITOR = ActorRef("person:ana vela", "Ana Vela", "PERGOV", "PER", "GOV", 0, 8)
HOST = ActorRef("state:CHL", "Chile", "CHL", "CHL", None, 0, 5)
LEADER = ActorRef("person:tomas ruiz", "Tomas Ruiz", "CHLGOV", "CHL", "GOV", 0, 10)
OTHER = ActorRef("state:ARG", "Argentina", "ARG", "ARG", None, 0, 9)
ACTORS = {VISITOR.key: Actor(VISITOR.key, "Ana Vela", "person", "PER", "GOV"),
          HOST.key: Actor(HOST.key, "Chile", "state", "CHL"),
          LEADER.key: Actor(LEADER.key, "Tomas Ruiz", "person", "CHL", "GOV"),
          OTHER.key: Actor(OTHER.key, "Argentina", "state", "ARG")}


def coded(source, target, *, cameo="042", day="2025-05-06", place=("Santiago", "CHL"), mirrored=False):
    event = Event(sentence=0, trigger="visited", trigger_start=9, trigger_end=16, cameo=cameo, cameo_root=cameo[:2],
                  cameo_name="visit", goldstein=1.9, quad_class=1, plover_type="CONSULT", plover_mode=None,
                  sources=(source,), targets=(target,), place=place[0], place_country=place[1],
                  place_start=20, place_end=28, mirrored=mirrored, sentence_end=40)
    return CodedEvent(event, EventTime(day, "day", "text", None, None, None), FACT)


def add(store: Store, text: str, published: str, events: list[CodedEvent], outlet: str) -> str:
    keys = {ref.key for e in events for ref in (*e.event.sources, *e.event.targets)}
    records = ArticleRecords(sentences=[(0, len(text))], actors=[ACTORS[k] for k in sorted(keys)],
                             mentions=[Mention(0, 5, ACTORS[k].name, "PERSON", 0, k) for k in sorted(keys)],
                             events=events, claims=[], timexes=[])
    article = Article(id=article_id(text), text=text, source="test", language="en", title=text[:20],
                      url=f"https://{outlet.lower()}.example/{article_id(text)}", outlet=outlet, published=published,
                      published_precision="day")
    store.add_article(article, records)
    return article.id


def story_articles(store: Store) -> list[set[str]]:
    return sorted((set(store.story(s["id"])["articles"]) for s in browse.stories(store)), key=len, reverse=True)


def test_a_visit_its_hosting_and_the_leader_met_are_one_story_across_outlets(tmp_path):
    with Store(tmp_path / "s.db") as store:
        a = add(store, "Ana Vela visited Chile on Tuesday.", "2025-05-06",
                [coded(VISITOR, HOST), coded(HOST, VISITOR, cameo="043", mirrored=True)], "Andes")
        # another outlet, two days later: the visitor met the country's leader in its capital
        b = add(store, "Ana Vela met Tomas Ruiz in Santiago.", "2025-05-08",
                [coded(VISITOR, LEADER, cameo="040", day="2025-05-08")], "Pacific")
        # a visit to another country the same week is another story
        c = add(store, "Ana Vela visited Argentina.", "2025-05-07",
                [coded(VISITOR, OTHER, day="2025-05-07", place=("Buenos Aires", "ARG"))], "Plata")
        # the same parties months later: another visit
        d = add(store, "Ana Vela visited Chile again.", "2025-09-01",
                [coded(VISITOR, HOST, day="2025-09-01")], "Andes")
        assert story_articles(store) == [{a, b}, {c}, {d}]
        (visit,) = [s for s in browse.stories(store) if a in store.story(s["id"])["articles"]]
        assert [p["name"] for p in visit["source"]] == ["Ana Vela"]  # the host's mirrored side is not a source
        assert visit["independent_sources"] == 2 and visit["status"]["text"] == "confirmed by Pacific, 2025-05-08"


def test_one_shared_party_at_home_does_not_make_one_story(tmp_path):
    # within one country, the same critic of two rivals on one day are two stories; the same
    # dyad reported again joins, and an event dated only "in 2025" joins none (its article may
    # still join by the wording of its lead, marked so)
    rival = ActorRef("person:luis paz", "Luis Paz", "CHLGOV", "CHL", "GOV", 0, 8)
    ACTORS[rival.key] = Actor(rival.key, "Luis Paz", "person", "CHL", "GOV")
    with Store(tmp_path / "s.db") as store:
        a = add(store, "Tomas Ruiz criticised Chile's senate.", "2025-05-06",
                [coded(LEADER, HOST, cameo="111")], "Andes")
        b = add(store, "Tomas Ruiz criticised Luis Paz.", "2025-05-06", [coded(LEADER, rival, cameo="111")], "Pacific")
        c = add(store, "Ruiz attacked Paz in a speech.", "2025-05-07",
                [coded(LEADER, rival, cameo="111", day="2025-05-07")], "Plata")
        d = add(store, "Ruiz criticised Paz often in 2025.", "2025-05-07",
                [coded(LEADER, rival, cameo="111", day="2025")], "Andes")
        by_event = sorted(({r["article"] for r in store.story(st["id"])["reports"] if r["joined"] == "event"}
                           for st in browse.stories(store)), key=len, reverse=True)
        assert by_event == [{b, c}, {a}, {d}]


def test_places_in_different_countries_are_different_stories(tmp_path):
    with Store(tmp_path / "s.db") as store:
        add(store, "Ana Vela visited Chile.", "2025-05-06", [coded(VISITOR, HOST)], "Andes")
        add(store, "Ana Vela met Chile's envoy in Lima.", "2025-05-06",
            [coded(VISITOR, HOST, place=("Lima", "PER"))], "Pacific")
        assert len(browse.stories(store)) == 2


def test_as_of_shows_only_what_was_reported_by_then(tmp_path):
    with Store(tmp_path / "s.db") as store:
        add(store, "Ana Vela visited Chile on Tuesday.", "2025-05-06", [coded(VISITOR, HOST)], "Andes")
        add(store, "Ana Vela met Tomas Ruiz in Santiago.", "2025-05-08",
            [coded(VISITOR, LEADER, cameo="040")], "Pacific")
        assert browse.stories(store, as_of="2025-05-05") == []
        (early,) = browse.stories(store, as_of="2025-05-07")
        assert early["independent_sources"] == 1 and early["status"]["text"] == "reported by Andes, 2025-05-06"
        assert [r["stance"] for r in store.story(early["id"])["reports"]] == ["first report", "confirms"]
        assert browse.count_stories(store, as_of="2025-05") == 1
        timeline = store.timeline("Ana Vela", as_of="2025-05-07")
        assert len(timeline["items"]) == timeline["total"] == 1


# -- the fixture: one visit, four outlets, four days --------------------------------------------


def run(*args):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("visit") / "v.db")
    run("ingest", str(FIXTURE), "--db", path)
    return path


def visit(db, *extra):
    """The story of the visit; no other story has a report of it from the outlets that
    confirmed it (the wire's "has visited twice before" is another, earlier occasion)."""
    articles = json.loads(run("articles", "--json", "--db", db))
    rail = next(a["id"] for a in articles if "rail" in (a["url"] or ""))
    listed = {s["id"]: s for s in json.loads(run("stories", "--json", "--db", db, *extra))
              if s["cameo"].startswith("04")}
    # a listing shows each story's summary; its reports and articles are on its own page
    stories = [json.loads(run("stories", str(i), "--json", "--db", db, *extra)) for i in listed]
    found = [s for s in stories if {r["outlet"] for r in s["reports"]} & {"KCNA", "Seoul Herald"}]
    assert len(found) <= 1, stories  # one story for the visit, whatever the wording
    assert all(rail not in s["articles"] for s in stories)
    if not found:  # before the confirmation: the first report's story
        (found,) = [[s] for s in stories if s["place"] == "Pyongyang"]
    story = found[0]
    assert listed[story["id"]] == storyline.summary_of(story) and "reports" not in listed[story["id"]]
    return story


@pytest.mark.model
def test_fixture_one_story_with_its_reports_in_order(db):
    story = visit(db)
    reports = [(r["published"], r["outlet"], r["stance"]) for r in story["reports"]]
    assert reports == [("2025-03-20", "Northern Wire", "first report"), ("2025-03-21", "Daily Courier", "repeats"),
                       ("2025-03-21", "KCNA", "confirms"), ("2025-03-23", "Seoul Herald", "confirms")]
    assert story["independent_sources"] == 3  # the wire and its rewrite count once
    kcna = story["reports"][2]
    assert kcna["joined"] == "similarity"  # its verbs went uncoded: its text matched the story
    assert story["reports"][0]["view"] == "unconfirmed"  # the wire keeps its own view
    assert story["status"]["text"] == "confirmed by KCNA, 2025-03-21"
    listed = run("stories", "--db", db)
    assert "confirmed by KCNA, 2025-03-21; 3 independent source(s), 4 article(s)" in listed


@pytest.mark.model
def test_fixture_as_of_each_day(db):
    first = visit(db, "--as-of", "2025-03-20")
    assert [r["outlet"] for r in first["reports"]] == ["Northern Wire"]
    assert first["status"]["value"] == "unconfirmed"
    assert first["status"]["text"].startswith("reported by Northern Wire citing TASS, 2025-03-20")
    second = visit(db, "--as-of", "2025-03-21")
    assert len(second["reports"]) == 3 and second["independent_sources"] == 2
    assert second["status"]["text"] == "confirmed by KCNA, 2025-03-21"
    assert not any(t["status"] == "disputed" for t in second["claims"])
    third = visit(db, "--as-of", "2025-03-23")
    assert third["independent_sources"] == 3
    # the Seoul report confirms the wire's claim through the spy agency, and brings a denial
    (wire,) = [t for t in third["claims"] if t["history"][0]["source"] == "TASS"]
    assert [(e["source"], e["stance"]) for e in wire["history"]][-1] == ("South Korea's spy agency", "confirms")
    (denial,) = [t for t in third["claims"] if t["status"] == "denied"]
    assert denial["history"][0]["source"] == "Dmitry Peskov"
    assert not any(t["status"] == "denied" for t in second["claims"])
    one = run("stories", str(third["id"]), "--as-of", "2025-03-20", "--db", db)
    assert "Northern Wire: first report (unconfirmed citing TASS)" in one and "KCNA" not in one
    before = json.loads(run("stories", "--json", "--as-of", "2025-03-19", "--db", db))
    assert not [s for s in before if s["cameo"].startswith("04")]


@pytest.mark.model
def test_fixture_timeline_as_of_is_report_time(db):
    known = json.loads(run("timeline", "Shoigu", "--as-of", "2025-03-20", "--json", "--db", db))
    everything = json.loads(run("timeline", "Shoigu", "--json", "--db", db))
    assert {i["record"]["article"] for i in known["items"]} == {"20250320-64bd7e9c3ccb8261"}
    assert known["total"] < everything["total"]
    # the Seoul report of 03-23 dates the visit itself on 03-20: event time, shown only once reported
    assert any(i["date"] == "2025-03-20" and i["record"]["article"] != "20250320-64bd7e9c3ccb8261" for i in everything["items"])


@pytest.mark.model
def test_fixture_story_digest_is_one_cited_text(db):
    story = visit(db)
    text = run("digest", "--story", str(story["id"]), "--db", db)
    assert text.count("\n# ") == 0 and text.startswith("# ")
    for heading in ("## Summary", "## Key facts", "## Sources", "## What changed", "## Conclusion",
                    "## Original sources"):
        assert heading in text
    for outlet in ("Northern Wire", "Daily Courier", "KCNA", "Seoul Herald"):
        assert outlet in text.split("## Original sources")[1]
    assert "3 independent source(s)" in text and "confirmed by KCNA, 2025-03-21" in text
    assert "Dmitry Peskov (Seoul Herald) denied" in text
    assert "rail" not in text.lower()
    # every sentence of the digest cites its evidence
    body = text.split("## Original sources")[0]
    lines = [line for line in body.splitlines() if line and not line.startswith("#")]
    assert lines and all(re.search(r"\]\(/articles/\d{8}-[0-9a-f]{16}#span-\d+-\d+\)", line) for line in lines)


@pytest.mark.model
def test_fixture_story_page_and_api(db):
    pytest.importorskip("starlette")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    from newsgraph.api import ServeConfig, create_app

    story = visit(db)
    with TestClient(create_app(ServeConfig(db=db))) as client:
        page = client.get(f"/stories/{story['id']}").text
        early = client.get(f"/api/stories/{story['id']}?as_of=2025-03-20").json()
        bad = client.get(f"/api/stories/{story['id']}?as_of=March")
    assert "Reports over time" in page and "confirmed by KCNA, 2025-03-21" in page
    assert "joined by similarity" in page and "Dmitry Peskov" in page
    assert early["status"]["value"] == "unconfirmed" and len(early["reports"]) == 1
    assert bad.status_code == 400


@pytest.mark.model
def test_fixture_an_uncoded_report_read_first_joins_the_story_that_comes_later(tmp_path):
    # KCNA's report (no coded event) arrives before any other: it waits, and joins the visit
    # once the wire's report makes the story and names "Shoigu" in full
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    kcna = next(n for n, line in enumerate(lines) if '"KCNA"' in line)
    corpus = tmp_path / "reordered.jsonl"
    corpus.write_text("\n".join([lines[kcna]] + lines[:kcna] + lines[kcna + 1:]) + "\n", encoding="utf-8")
    db = str(tmp_path / "r.db")
    run("ingest", str(corpus), "--db", db)
    story = visit(db)
    assert {r["outlet"]: r["joined"] for r in story["reports"]}["KCNA"] == "similarity"
    assert story["status"]["text"] == "confirmed by KCNA, 2025-03-21" and story["independent_sources"] == 3


def test_claims_saying_the_same_are_threaded_as_by_comparing_each_with_every_earlier_thread():
    # claims of many reports over a few topics, some with no content words: a story with
    # thousands of claims is threaded by the words claims share, and must group them as a
    # comparison with every thread in order does
    import random

    rng = random.Random(4)
    topics = [["troops", "border", "withdrew", "north"], ["ceasefire", "talks", "resume", "monday"],
              ["aid", "convoy", "reached", "city", "port"], ["minister", "resigned"], ["the", "of", "and"]]
    articles = [f"a{n}" for n in range(60)]
    heads = {a: {"outlet": f"Outlet {n % 7}", "published": f"2025-03-{1 + n % 28:02d}"} for n, a in enumerate(articles)}
    groups = {a: f"g{n % 9}" for n, a in enumerate(articles)}
    said = {}
    for a in articles:
        said[a] = []
        for c in range(rng.randrange(0, 5)):
            words = rng.sample(rng.choice(topics), k=2) + rng.sample(["today", "officials", "again", "said"], k=1)
            said[a].append({"id": f"{a}-c{c}", "content": [{"text": " ".join(words)}], "source": None,
                            "cited_source": None, "status": rng.choice(["asserted", "denied"]),
                            "cue": {"text": "said", "span": [c, c + 4]}})
    threads = storyline.claim_threads(articles, heads, groups, said)
    # the reference: each claim joins the first thread whose first claim shares enough words
    expected: list[list[str]] = []
    firsts: list[set[str]] = []
    for a in articles:
        for claim in said[a]:
            words = set(storyline.content_words(claim["content"][0]["text"]))
            for n, first in enumerate(firsts):
                shared = len(words & first)
                if shared >= storyline.SAME_CLAIM_WORDS and shared >= storyline.SAME_CLAIM * min(len(words), len(first)):
                    expected[n].append(claim["id"])
                    break
            else:
                firsts.append(words)
                expected.append([claim["id"]])
    assert [[e["claim"] for e in t["history"]] for t in threads] == expected
    assert 3 < len(expected) < sum(len(c) for c in said.values())  # some grouped, some apart
