"""Duplicate families and stories across articles, on a fixture we wrote."""

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsgraph.cli import cli

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "families" / "story.jsonl"


def run(*args):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("stories") / "s.db"
    report = json.loads(run("ingest", str(FIXTURE), "--db", str(path), "--json").stdout)
    assert len(report["stored"]) == 3 and report["copies"] == 1
    return path


@pytest.mark.model
def test_stories_original_rewrite_and_copy_are_one_family_of_three(db):
    articles = json.loads(run("articles", "--json", "--db", str(db)).stdout)
    original = next(a for a in articles if a["outlet"] == "Example Post")
    family = json.loads(run("family", original["id"], "--json", "--db", str(db)).stdout)
    assert family["size"] == 3
    outlets = {a["outlet"] for a in family["articles"]}
    assert outlets == {"Example Post", "Example Digest", "Example Wire"}
    reasons = {a["outlet"]: a["reason"] for a in family["articles"]}
    assert reasons["Example Wire"] == "exact_copy" and reasons["Example Digest"] != "new"
    unrelated = next(a for a in articles if a["outlet"] == "Example Independent")
    assert unrelated["family"] != original["family"]


@pytest.mark.model
def test_stories_the_signing_has_two_independent_sources(db):
    stories = json.loads(run("stories", "--json", "--db", str(db)).stdout)
    signing = [s for s in stories if s["cameo"].startswith("05") and s["independent_sources"] == 2]
    assert signing, stories
    story = signing[0]
    assert {"outlets", "first_reported", "independent_sources", "agreement"} <= story.keys()
    assert {"Example Post", "Example Wire", "Example Independent"} <= set(story["outlets"])
    assert story["first_reported"]["published"] == "2025-04-02"
    assert story["agreement"] == "agreement"
    assert {a["name"] for a in story["source"]} == {"Chile", "Peru"}


@pytest.mark.model
def test_graph_neighbourhood_and_exports(db, tmp_path):
    data = json.loads(run("graph", "--actor", "Chile", "--json", "--db", str(db)).stdout)
    names = {n["id"]: n["name"] for n in data["nodes"]}
    edge = next(e for e in data["edges"] if names[e["source"]] == "Chile" and names[e["target"]] == "Peru")
    assert edge["events"] >= 2 and edge["evidence"] >= 2 and edge["cooperation"] == edge["events"]
    assert "2025-04" in edge["months"]
    assert json.loads(run("graph", "--actor", "Chile", "--since", "2026", "--json", "--db", str(db)).stdout)["edges"] == []
    import networkx as nx

    run("export", "graph", "--format", "graphml", "-o", str(tmp_path / "g.graphml"), "--db", str(db))
    g = nx.read_graphml(tmp_path / "g.graphml")
    assert g.number_of_edges() == len(json.loads(run("graph", "--json", "--db", str(db)).stdout)["edges"])
    run("export", "graph", "--format", "neo4j", "-o", str(tmp_path / "neo"), "--db", str(db))
    header = (tmp_path / "neo" / "relations.csv").read_text().splitlines()[0]
    assert header.startswith(":START_ID(Actor),:END_ID(Actor),:TYPE")
    pair = json.loads(run("relations", "Chile", "Peru", "--json", "--db", str(db)).stdout)
    assert pair["forward"]["events"] == edge["events"]


@pytest.mark.model
def test_stories_follow_a_manual_merge_and_its_undo(tmp_path):
    # two outlets report one visit; the visitor's name is written two ways the resolver keeps apart
    # (the near-identical texts are one family: one independent source, two articles)
    corpus = tmp_path / "visit.jsonl"
    texts = [("Example Post", "Kwame Mensah-Boateng visited Kenya on 3 March 2025 and met President William Ruto."),
             ("Example Wire", "Mensah-Boateng Kwame visited Kenya on 3 March 2025 and met President William Ruto.")]
    corpus.write_text("".join(json.dumps({"text": t, "outlet": o, "published": "2025-03-03",
                                          "url": f"https://{o.split()[1].lower()}.example/visit"}) + "\n"
                              for o, t in texts))
    db = str(tmp_path / "v.db")
    run("ingest", str(corpus), "--db", db)

    def visits():
        return [s for s in json.loads(run("stories", "--json", "--db", db).stdout) if s["cameo"].startswith("042")]

    assert sorted(s["article_count"] for s in visits()) == [1, 1]
    people = json.loads(run("actors", "--json", "--name", "Mensah", "--db", db).stdout)
    assert len(people) == 2
    run("actors", "--db", db, "merge", str(people[0]["id"]), str(people[1]["id"]))
    with sqlite3.connect(db) as conn:  # the merge wrote the summaries of the stories it changed
        assert conn.execute("SELECT COUNT(*) FROM story_summaries WHERE summary IS NULL").fetchone()[0] == 0
    (visit,) = visits()
    assert visit["article_count"] == 2 and set(visit["outlets"]) == {"Example Post", "Example Wire"}
    assert visit["first_reported"]["outlet"] == "Example Post"
    run("actors", "--db", db, "undo")
    assert sorted(s["article_count"] for s in visits()) == [1, 1]
