"""End-to-end: the CLI over the real model, as a user runs it."""

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsgraph.cli import cli

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples" / "corpus"


def run(*args, db=None):
    argv = [*args, "--db", str(db)] if db else list(args)
    return CliRunner().invoke(cli, argv, catch_exceptions=False)


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory, seed_path):
    db = tmp_path_factory.mktemp("seed") / "s.db"
    result = run("ingest", str(seed_path), "--date", "2025-03-21", db=db)
    assert result.exit_code == 0, result.output
    return db


@pytest.mark.model
def test_cli_seed_actors_each_once_with_codes(seed_db):
    actors = json.loads(run("actors", "--json", "--limit", "100", db=seed_db).output)
    by_name = {}
    for a in actors:
        assert a["name"] not in by_name, f"{a['name']} listed twice"
        by_name[a["name"]] = a
        assert {"id", "name", "kind", "country", "sector", "aliases", "roles", "mentions"} <= a.keys()
    expect = {
        "Sergei Shoigu": ("person", "RUS", "GOV"),
        "Vladimir Putin": ("person", "RUS", "GOV"),
        "Kim Jong Un": ("person", "PRK", "GOV"),
        "TASS": ("organisation", "RUS", "MED"),
        "Russia": ("state", "RUS", None),
        "North Korea": ("state", "PRK", None),
        "Ukraine": ("state", "UKR", None),
        "Pyongyang": ("place", "PRK", None),
        "Kursk": ("place", "RUS", None),
    }
    for name, (kind, country, sector) in expect.items():
        a = by_name[name]
        assert (a["kind"], a["country"]) == (kind, country), name
        if sector:
            assert a["sector"] == sector, name
        assert a["mentions"] >= 1
    shoigu = by_name["Sergei Shoigu"]
    assert {"Shoigu", "Sergei Shoigu"} <= set(shoigu["aliases"])
    assert shoigu["mentions"] >= 3
    assert not any(a["name"] == "Shoigu" for a in actors)
    minister = [r for r in shoigu["roles"] if "minister" in r["title"]]
    assert minister and minister[0]["ended"] == "2024-05"


@pytest.mark.model
def test_cli_seed_original_source_recorded_and_reingest_adds_nothing(seed_db, seed_path):
    (article,) = json.loads(run("articles", "--json", db=seed_db).output)
    assert article["original_source"] == "www.independent.co.uk"
    assert article["published"] == "2025-03-21" and article["language"] == "en"
    before = json.loads(run("actors", "--json", db=seed_db).output)
    again = run("ingest", str(seed_path), "--date", "2025-03-21", "--json", db=seed_db)
    assert again.exit_code == 0
    assert json.loads(again.output)["stored"] == [] and json.loads(again.output)["duplicates"] == 1
    assert json.loads(run("actors", "--json", db=seed_db).output) == before


@pytest.mark.model
def test_cli_show_marks_actors_and_search_finds_the_article(seed_db):
    (article,) = json.loads(run("articles", "--json", db=seed_db).output)
    shown = run("show", article["id"][:8], db=seed_db).output
    assert "[Shoigu|Sergei Shoigu]" in shown
    assert "original source: www.independent.co.uk" in shown
    hits = json.loads(run("search", "Kursk troops", "--json", db=seed_db).output)
    assert [h["id"] for h in hits] == [article["id"]]


@pytest.mark.model
def test_cli_bad_inputs_are_named_and_good_ones_stored(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLES / "text" / "seoul-talks.txt", folder / "good.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (folder / "latin1.txt").write_bytes("Caf\xe9 owners in Montr\xe9al protested on Monday.".encode("latin-1"))
    (folder / "wire.jsonl").write_text(
        '{"text": "Kenyan President William Ruto visited Addis Ababa on Friday for talks.", "published": "2025-01-10"}\n'
        '{"text": "broken line\n'
        '{"text": "Chilean officials met Peruvian diplomats in Lima on Tuesday to discuss trade."}\n',
        encoding="utf-8",
    )
    db = tmp_path / "s.db"
    result = CliRunner().invoke(cli, ["ingest", str(folder), "--db", str(db), "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert len(report["stored"]) == 3
    failed = {Path(f["source"].split(":")[0]).name: f["reason"] for f in report["failures"]}
    assert set(failed) == {"empty.txt", "image.png", "latin1.txt", "wire.jsonl"}
    assert any(f["source"].endswith("wire.jsonl:2") for f in report["failures"])
    assert "PNG" in failed["image.png"] and "UTF-8" in failed["latin1.txt"]
    for line in result.stderr.splitlines():
        assert line.startswith("error: ")
    # a second run stores nothing new and loses nothing
    again = json.loads(CliRunner().invoke(cli, ["ingest", str(folder), "--db", str(db), "--json"]).stdout)
    assert again["stored"] == [] and again["store"]["articles"] == 3


@pytest.mark.parametrize("command", [
    "ingest", "articles", "show", "actors", "search", "migrate", "eval", "events", "claims", "timeline",
    "export", "delete", "stories", "family", "graph", "relations", "lexicon", "datasette-metadata",
])
def test_cli_every_command_has_help(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_cli_missing_store_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(cli, ["actors", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1
    assert "newsgraph ingest" in result.output


@pytest.mark.model
def test_cli_seed_events_have_codes_actors_and_evidence(seed_db):
    events = json.loads(run("events", "--json", "--limit", "500", db=seed_db).output)
    assert events
    for e in events:
        assert {"id", "cameo", "plover", "source", "target", "place", "time", "quantities", "factuality",
                "evidence"} <= e.keys()
        sources = {a["actor_id"] for a in e["source"]}
        assert not sources & {a["actor_id"] for a in e["target"] if a["actor_id"]}, e["id"]

    def find(root, src, tgt=None):
        return [e for e in events if e["cameo"]["root"] == root
                and src in {a["country"] for a in e["source"]}
                and (tgt is None or tgt in {a["country"] for a in e["target"] + e["source"]})]

    meetings = [e for e in find("04", "RUS", "PRK") if any(a["name"] == "Kim Jong Un" for a in e["target"])]
    assert meetings and meetings[0]["plover"]["type"] == "CONSULT"
    troops = [e for e in events if any(q["value"] == 11000 and q["approximate"] for q in e["quantities"])]
    assert troops and troops[0]["source"][0]["country"] == "PRK"
    assert find("07", "PRK", "RUS"), "North Korea's supply of weapons to Russia"
    assert find("07", "RUS", "PRK"), "Russia's support to North Korea"
    treaty = [e for e in find("05", "RUS", "PRK") if e["time"]["value"] == "2024-06"]
    assert treaty and treaty[0]["time"]["source"] == "text"
    assert any(e["factuality"]["negated"] for e in find("01", "RUS", "PRK"))
    listing = run("events", "--limit", "500", db=seed_db).output
    assert "(negated;" in listing and "NOT negated" not in listing
    # "support Russia in its ongoing war with Ukraine": the war is Russia's
    war = [e for e in events if e["evidence"]["trigger"] == "war"]
    assert war and {a["country"] for a in war[0]["source"]} == {"RUS"}
    # North Korea's troops fight in Russia's Kursk region, not against Russia
    assert not [e for e in find("19", "PRK", "RUS") if "RUS" in {a["country"] for a in e["target"]}]
    first = events[0]["evidence"]
    text = json.loads(run("show", first["article"], "--json", db=seed_db).output)["text"]
    assert text[first["trigger_span"][0]:first["trigger_span"][1]] == first["trigger"]


@pytest.mark.model
def test_cli_events_filters_and_gdelt_export(seed_db, tmp_path):
    aid = json.loads(run("events", "--json", "--cameo", "07", db=seed_db).output)
    assert aid and all(e["cameo"]["code"].startswith("07") for e in aid)
    by_actor = json.loads(run("events", "--json", "--actor", "Shoigu", db=seed_db).output)
    assert by_actor and all(any("Shoigu" in a["name"] for a in e["source"] + e["target"]) for e in by_actor)
    assert json.loads(run("events", "--json", "--since", "2030", db=seed_db).output) == []
    out = tmp_path / "events.tsv"
    result = run("export", "events", "--format", "gdelt", "--output", str(out), db=seed_db)
    assert result.exit_code == 0
    rows = out.read_text().splitlines()
    assert rows and all(len(r.split("\t")) == 61 for r in rows)


@pytest.mark.model
def test_cli_seed_claims_sources_and_statuses(seed_db):
    claims = json.loads(run("claims", "--json", "--limit", "500", db=seed_db).output)
    events = {e["id"]: e for e in json.loads(run("events", "--json", "--limit", "500", db=seed_db).output)}
    for c in claims:
        assert {"id", "source", "cue", "content", "status", "factuality", "events", "evidence"} <= c.keys()

    def claims_with(event_filter):
        return [c for c in claims if any(event_filter(events[e]) for e in c["events"])]

    # the visit, reported by TASS (an organisation of Russia, media)
    tass = [c for c in claims if c["source"] and c["source"]["name"] == "TASS"]
    assert tass and tass[0]["status"] == "reported"
    assert any(events[e]["cameo"]["root"] == "04" for e in tass[0]["events"])
    tass_actor = json.loads(run("actors", "--json", "--name", "TASS", db=seed_db).output)[0]
    assert (tass_actor["country"], tass_actor["sector"]) == ("RUS", "MED")
    # North Korean state media have not confirmed it
    assert any(c["status"] == "unconfirmed" and c["source"] and "PRK" in c["source"]["countries"] for c in claims)
    # troops and weapons: unnamed US and South Korean intelligence; never asserted
    intel = [c for c in claims if c["source"] and not c["source"]["named"]
             and {"USA", "KOR"} <= set(c["source"]["countries"]) and c["source"]["sector"] == "SPY"]
    assert intel and intel[0]["status"] in ("reported", "alleged")
    deployment = [e for e in events.values() if any(q["value"] == 11000 for q in e["quantities"])]
    supply = [e for e in events.values() if e["cameo"]["code"].startswith("07") and e["evidence"]["trigger"] == "supplied"]
    assert deployment and supply
    for e in deployment + supply:
        assert e["factuality"]["status"] in ("reported", "alleged"), e["id"]
    assert not [e for e in events.values() if e["cameo"]["code"].startswith("072")
                and e["factuality"]["status"] == "asserted"]
    # the benefit to North Korea is believed, with no named source
    believed = [c for c in claims if c["status"] == "believed"]
    assert believed and believed[0]["source"] is None
    assert any(events[e]["cameo"]["root"] == "07" for e in believed[0]["events"])


@pytest.mark.model
def test_cli_timeline_and_graphrag_claims(seed_db):
    result = json.loads(run("timeline", "Shoigu", "--json", db=seed_db).output)
    assert result["actor"]["name"] == "Sergei Shoigu"
    dates = [i["date"] for i in result["items"] if i["date"]]
    assert dates == sorted(dates) and result["items"]
    assert all(i["status"] and (i["precision"] or not i["date"]) for i in result["items"])
    # "has visited Pyongyang on prior occasions": no date, and not the day of the report
    earlier = [i for i in result["items"] if i["type"] == "event" and i["record"]["time"]["mod"] == "BEFORE"]
    assert earlier and all(i["date"] is None and "prior occasions" in i["record"]["time"]["text"] for i in earlier)
    out = run("export", "claims", "--format", "graphrag", db=seed_db).output.splitlines()
    assert out[0].split(",")[:4] == ["id", "human_readable_id", "covariate_type", "type"]
    assert any(",SUSPECTED," in line for line in out[1:])


def test_cli_every_command_is_documented_in_the_readme():
    readme = (REPO / "README.md").read_text()
    for name in cli.commands:
        assert f"newsgraph {name}" in readme, f"README does not mention `newsgraph {name}`"


@pytest.mark.model
def test_cli_digest_of_the_seed_names_sources_and_links_every_fact(seed_db):
    (article,) = json.loads(run("articles", "--json", db=seed_db).output)
    text = run("digest", article["id"], db=seed_db).output
    facts = text.split("## Key facts")[1].split("## ")[0].strip().splitlines()
    assert facts and all(f"](/articles/{article['id']}#span-" in line for line in facts)
    assert any(line.startswith("- Sergei Shoigu visited North Korea, TASS reported") for line in facts)
    assert any("11,000 troops" in line and "intelligence" in line and ("reported" in line or "alleged" in line)
               for line in facts)
    assert any("signed an agreement in June 2024" in line for line in facts)
    assert "Original source: www.independent.co.uk" in text
    data = json.loads(run("digest", article["id"], "--format", "json", db=seed_db).output)
    full = text_of = json.loads(run("show", article["id"], "--json", db=seed_db).output)["text"]
    for sentence in data["summary"] + data["conclusion"]:  # extracted sentences are the article's own
        (span,) = sentence["evidence"]
        assert full[span["start"]:span["end"]].strip() == sentence["text"]
    html = run("digest", article["id"], "--format", "html", db=seed_db).output
    assert html.count('class="evidence"') >= len(facts) and "<script" not in html
