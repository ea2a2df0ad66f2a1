"""What the CLI prints: listings say when they print only part of what matched, page with
--offset/--page, and list events, claims and articles newest first; `family` and
`relations` print text unless asked for JSON. The store is built from hand-made records."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from newsgraph.cli import cli
from newsgraph.extract.attribution import SpanRef
from newsgraph.extract.claims import Claim, ClaimSource
from newsgraph.extract.events import ActorRef, Event
from newsgraph.extract.factuality import Factuality
from newsgraph.store import Store
from newsgraph.types import Actor, Article, ArticleRecords, CodedEvent, EventTime, Mention

FACT = Factuality("certain", "positive", "past", "asserted", ())
# (publication day, the date the event text gives) of each article, in ingest order
DAYS = [("2024-03-02", "2024-03-01"), ("2024-01-15", "2024-01-14"), (None, None), ("2024-02-20", "2024-02"),
        ("2023-12-31", "2023-12-30"), ("2024-03-09", None), ("2024-02-01", "2024-01-31")]


def records(day: str | None) -> ArticleRecords:
    """Two states meet; one of them says so."""
    mira = ActorRef("state:MRA", "Miravia", "MRA", "MRA", None, 0, 7)
    tolen = ActorRef("state:TLN", "Tolen", "TLN", "TLN", None, 12, 17)
    event = Event(sentence=0, trigger="met", trigger_start=8, trigger_end=11, cameo="042", cameo_root="04",
                  cameo_name="Make a visit", goldstein=1.9, quad_class=1, plover_type="CONSULT", plover_mode=None,
                  sources=(mira,), targets=(tolen,))
    claim = Claim(kind="indirect", sentence=0, cue=SpanRef(30, 34, "said"), cue_lemma="say",
                  source=ClaimSource("Miravia", True, mira.key, (), None, 0, 7), contents=(SpanRef(0, 17, "x"),),
                  factuality=FACT, events=(0,))
    return ArticleRecords(
        sentences=[(0, 40)],
        actors=[Actor(mira.key, "Miravia", "state", "MRA"), Actor(tolen.key, "Tolen", "state", "TLN")],
        mentions=[Mention(0, 7, "Miravia", "GPE", 0, mira.key), Mention(12, 17, "Tolen", "GPE", 0, tolen.key)],
        events=[CodedEvent(event, EventTime(day, "day" if day else None, "text" if day else "article"), FACT)],
        claims=[claim])


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("lists") / "s.db"
    with Store(path) as store:
        for n, (published, event_day) in enumerate(DAYS):
            text = f"Miravia met Tolen, officials said. Report {n} of the talks between the two."
            store.add_article(Article(id=f"{n:016x}", text=text, source="test", title=f"Talks {n}",
                                      published=published, outlet=f"Outlet {n}", language="en"),
                              records(event_day))
    return path


def run(db, *args):
    return CliRunner().invoke(cli, [*args, "--db", str(db)], catch_exceptions=False)


@pytest.mark.parametrize("command,noun,total", [
    (["events"], "events", 7), (["claims"], "claims", 7), (["articles"], "articles", 7),
    (["search", "talks"], "articles", 7), (["timeline", "Tolen"], "events and claims", 7),
    (["timeline", "Miravia"], "events and claims", 14),
])
def test_cli_lists_say_when_they_are_cut_and_page_on(db, command, noun, total):
    first = run(db, *command, "--limit", "3", "--json")
    assert f"showing 3 of {total} {noun} (1–3); next: --page 2" in first.stderr
    second = run(db, *command, "--limit", "3", "--page", "2", "--json")
    assert f"showing 3 of {total} {noun} (4–6)" in second.stderr

    def ids(result):
        body = json.loads(result.stdout)
        return [r.get("id") or r["record"]["id"] for r in (body["items"] if "items" in body else body)]

    assert not set(ids(first)) & set(ids(second))
    assert ids(run(db, *command, "--limit", "3", "--offset", "3", "--json")) == ids(second)


def test_cli_lists_say_nothing_when_everything_is_shown(db):
    result = run(db, "events", "--limit", "7")
    assert len(result.stdout.splitlines()) == 7 and "showing" not in result.stderr
    last = run(db, "actors", "--limit", "1", "--page", "2")
    assert "showing 1 of 2 actors (2–2)" in last.stderr and "next" not in last.stderr


def test_cli_lists_refuse_page_and_offset_together(db):
    result = CliRunner().invoke(cli, ["events", "--page", "2", "--offset", "4", "--db", str(db)])
    assert result.exit_code == 2 and "give --page or --offset, not both" in result.output


def test_cli_lists_events_claims_and_articles_newest_first(db):
    events = json.loads(run(db, "events", "--json").stdout)
    # an undated event sorts by its article's publication day; dated ones by their own
    assert [e["time"]["value"] for e in events if e["time"]["value"]] == [
        "2024-03-01", "2024-02", "2024-01-31", "2024-01-14", "2023-12-30"]
    claims = json.loads(run(db, "claims", "--json").stdout)
    assert [c["published"] for c in claims] == [
        "2024-03-09", "2024-03-02", "2024-02-20", "2024-02-01", "2024-01-15", "2023-12-31", None]
    articles = json.loads(run(db, "articles", "--json").stdout)
    assert [a["published"] for a in articles] == [c["published"] for c in claims]


def test_cli_timeline_pages_past_its_first_page(db):
    """The timeline used to stop at 1,000 items without a word; it now says how many there are."""
    body = json.loads(run(db, "timeline", "Miravia", "--limit", "10", "--page", "2", "--json").stdout)
    assert body["total"] == 14 and len(body["items"]) == 4


def test_cli_family_prints_each_member_and_why_it_joined(db):
    text = run(db, "family", "0000000000000003").stdout.splitlines()
    as_json = json.loads(run(db, "family", "0000000000000003", "--json").stdout)
    assert text[0] == f"family {as_json['family']}: {as_json['size']} article(s)"
    assert len(text) == 1 + as_json["size"]
    line = next(x for x in text if x.strip().startswith("0000000000000003"))
    member = next(m for m in as_json["articles"] if m["id"] == "0000000000000003")
    assert "2024-02-20" in line and "Outlet 3" in line and member["reason"] in line
    if member["matched"] != member["id"]:
        assert f"of {member['matched']}" in line


def test_cli_relations_prints_both_directions_by_month(db):
    lines = run(db, "relations", "Miravia", "Tolen").stdout.splitlines()
    assert lines[0] == ("Miravia -> Tolen: 7 event(s) in 7 article(s), Goldstein +13.3 (mean +1.9), "
                        "7 cooperation, 0 conflict; CONSULT 7")
    assert [x.split()[0] for x in lines[1:-1]] == ["2023-12", "2024-01", "2024-02", "2024-03", "unknown"]
    assert lines[-1] == "Tolen -> Miravia: no events"
    assert json.loads(run(db, "relations", "Miravia", "Tolen", "--json").stdout)["forward"]["events"] == 7


@pytest.mark.model
def test_cli_ingest_summary_says_what_was_added(tmp_path):
    story = tmp_path / "talks.txt"
    story.write_text("Germany's foreign minister met his French counterpart in Paris on Monday, officials said. "
                     "The two ministers signed an agreement on energy cooperation, the ministry said.", "utf-8")
    db = tmp_path / "n.db"
    text = CliRunner().invoke(cli, ["ingest", str(story), "--db", str(db)], catch_exceptions=False).stdout
    events, claims = json.loads(run(db, "events", "--json").stdout), json.loads(run(db, "claims", "--json").stdout)
    stories = json.loads(run(db, "stories", "--json").stdout)
    assert events and claims
    assert (f"added {len(events)} event(s), {len(claims)} claim(s), {len(stories)} "
            f"stor{'y' if len(stories) == 1 else 'ies'}") in text
    again = json.loads(CliRunner().invoke(cli, ["ingest", str(story), "--db", str(db), "--json"]).stdout)
    assert again["added"] == {"events": 0, "claims": 0, "stories": 0} and again["duplicates"] == 1
