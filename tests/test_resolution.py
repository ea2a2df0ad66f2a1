"""One actor per person across articles, and the user's decisions about actors."""

import json

import pytest
from click.testing import CliRunner

from newsgraph.cli import cli
from newsgraph.store import Store
from newsgraph.identity import article_id
from newsgraph.types import Actor, Article, ArticleRecords, Mention


def add(store, text, people, others=()):
    """An article naming `people` (name, styled alias or None) and other actors (keys)."""
    actors, mentions = [], []
    for i, (name, style) in enumerate(people):
        key = "person:" + name.lower()
        aliases = {name} | ({f"{style} {name.split()[-1]}"} if style else set())
        actors.append(Actor(key, name, "person", aliases=aliases))
        mentions.append(Mention(i, i + 1, name, "PERSON", 0, key))
    for key in others:
        actors.append(Actor(key, key.split(":")[1], "state", country=key.split(":")[1]))
        mentions.append(Mention(50, 51, key, "GPE", 0, key))
    article = Article(id=article_id(text), text=text, source="t", language="en")
    store.add_article(article, ArticleRecords(sentences=[(0, len(text))], actors=actors, mentions=mentions))


FULL_NAME_ARRIVES = "Sergei Lavrov arrived in Ankara on Monday for talks with his Turkish counterpart."


def ingest_text(path, text, db):
    """Write `text` to `path` and ingest it into the store `db` as an article of 21 March 2025."""
    path.write_text(text + "\n")
    result = CliRunner().invoke(cli, ["ingest", str(path), "--db", db, "--date", "2025-03-21"])
    assert result.exit_code == 0, result.output


def people(store):
    return {a["name"]: a for a in store.actors(kind="person", limit=100)}


def test_resolution_middle_name_and_surname_in_context_join_the_right_person(tmp_path):
    store = Store(tmp_path / "s.db")
    add(store, "a1", [("Hillary Clinton", None), ("Donald Trump", None)], ["state:USA"])
    add(store, "a2", [("Hillary Clinton", "Mrs."), ("Tim Kaine", None)])
    add(store, "a3", [("Bill Clinton", None), ("Monica Lewinsky", None)])
    add(store, "a4", [("Hillary Rodham Clinton", None)])
    add(store, "a5", [("Clinton", "Mrs."), ("Donald Trump", None)])
    found = people(store)
    assert "Clinton" not in found and "Hillary Rodham Clinton" not in found
    hillary, bill = found["Hillary Clinton"], found["Bill Clinton"]
    assert (hillary["mentions"], bill["mentions"]) == (4, 1)
    reasons = {m["key"]: m for m in hillary["merged"]}
    assert reasons["person:clinton"]["auto"] and reasons["person:clinton"]["score"] > 0
    assert "middle name" in reasons["person:hillary rodham clinton"]["reason"]


def test_resolution_different_initials_keep_people_apart(tmp_path):
    store = Store(tmp_path / "s.db")
    add(store, "b1", [("George Bush", None)])
    add(store, "b2", [("George W. Bush", None)])
    add(store, "b3", [("George H. W. Bush", None)])
    found = people(store)
    assert len(found) == 2 and "George H. W. Bush" in found  # one initial joins the bare name, not both


@pytest.mark.parametrize("order", [("Donald J. Trump", "Donald Trump"), ("Donald Trump", "Donald J. Trump")])
def test_resolution_a_middle_initial_is_the_same_person(tmp_path, order):
    store = Store(tmp_path / "s.db")
    add(store, "t1", [(order[0], None)])
    add(store, "t2", [(order[1], None)])
    (only,) = people(store).values()
    assert only["mentions"] == 2 and "initial" in only["merged"][0]["reason"]


def test_resolution_surname_before_full_name_is_joined_after_ingest(tmp_path):
    store = Store(tmp_path / "s.db")
    add(store, "c1", [("Lavrov", None)])
    add(store, "c2", [("Sergei Lavrov", None)])
    assert store.resolve_pending() == 1
    assert set(people(store)) == {"Sergei Lavrov"}


def test_resolution_user_merge_split_rename_undo_survive_reingest(tmp_path):
    db = tmp_path / "s.db"
    store = Store(db)
    add(store, "d1", [("Hillary Clinton", None)])
    add(store, "d2", [("Mrs. Robinson", None)])
    store.close()

    def run(*args):
        result = CliRunner().invoke(cli, ["actors", "--db", str(db), *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    assert "merged into" in run("merge", "Hillary Clinton", "Mrs. Robinson")
    store = Store(db)
    assert set(people(store)) == {"Hillary Clinton"}
    # a later article naming the merged form goes to the merged actor
    add(store, "d3", [("Mrs. Robinson", None)])
    assert people(store)["Hillary Clinton"]["mentions"] == 3
    store.close()
    run("rename", "Hillary Clinton", "Hillary Rodham Clinton")
    store = Store(db)
    assert set(people(store)) == {"Hillary Rodham Clinton"}
    store.close()
    run("undo")
    run("split", "Hillary Clinton", "Mrs. Robinson")
    store = Store(db)
    assert {n: a["mentions"] for n, a in people(store).items()} == {"Hillary Clinton": 1, "Mrs. Robinson": 2}
    store.close()
    run("undo")
    store = Store(db)
    assert set(people(store)) == {"Hillary Clinton"}
    decisions = json.loads(run("decisions"))
    assert [d["kind"] for d in decisions] == ["merge", "rename", "split"]
    assert [d["undone"] for d in decisions] == [0, 1, 1]


def test_resolution_merge_refuses_the_same_actor(tmp_path):
    db = tmp_path / "s.db"
    store = Store(db)
    add(store, "e1", [("Hillary Clinton", None)])
    with pytest.raises(Exception, match="same actor"):
        store.merge_actors("Hillary Clinton", "Hillary Clinton")


def test_resolution_misspelt_first_name_joins_the_well_known_person(tmp_path):
    store = Store(tmp_path / "s.db")
    for n in range(20):
        add(store, f"f{n}", [("Hillary Clinton", None)])
    add(store, "g1", [("Hilary Clinton", None)])
    add(store, "g2", [("Hillery Clinton", None)])
    add(store, "g3", [("Hill Clinton", None)])  # too short to judge: kept apart
    names = set(people(store))
    assert names == {"Hillary Clinton", "Hill Clinton"}


@pytest.mark.model
def test_resolution_joining_a_surname_moves_its_claims_too(tmp_path):
    # "Lavrov said …" before anyone wrote his full name: the claim's source follows the join
    db = str(tmp_path / "s.db")
    ingest_text(tmp_path / "first.txt", "Lavrov said the talks in Ankara had failed because of the sanctions.", db)
    ingest_text(tmp_path / "second.txt", FULL_NAME_ARRIVES, db)
    store = Store(db)
    lavrov = [a for a in store.actors(kind="person", limit=10) if a["name"] == "Sergei Lavrov"]
    assert len(lavrov) == 1 and lavrov[0]["mentions"] == 2
    sources = {r[0] for r in store.conn.execute("SELECT source_actor_id FROM claims WHERE source_actor_key IS NOT NULL")}
    assert sources == {lavrov[0]["id"]}


@pytest.mark.model
def test_resolution_a_store_from_before_key_articles_still_moves_every_record_of_a_joined_key(tmp_path):
    # m025 replaced the indexes by extraction key with `key_articles`, filled from the records
    # already stored: a surname stored before it still takes its mentions, event parties and
    # claims along when a fuller name arrives afterwards
    db = str(tmp_path / "s.db")
    ingest_text(tmp_path / "first.txt",
                "Lavrov met Cavusoglu in Ankara. Lavrov said the talks had failed because of the sanctions.", db)
    with Store(db) as store:  # back to the shape of a store made before m025
        store.conn.execute("DROP TABLE key_articles")
        store.conn.execute("DELETE FROM _migrations WHERE name = 'm025_key_articles'")
        store.conn.execute("CREATE INDEX mentions_actor_key ON mentions(actor_key)")
    ingest_text(tmp_path / "second.txt", FULL_NAME_ARRIVES, db)
    with Store(db) as store:
        lavrov = [a for a in store.actors(kind="person", limit=10) if "Lavrov" in a["name"]]
        assert [a["name"] for a in lavrov] == ["Sergei Lavrov"]
        moved = {table: {r[0] for r in store.conn.execute(f"SELECT {column} FROM {table} WHERE {key} = 'person:lavrov'")}
                 for table, column, key in (("mentions", "actor_id", "actor_key"),
                                            ("participants", "actor_id", "actor_key"),
                                            ("claims", "source_actor_id", "source_actor_key"))}
        assert moved == {"mentions": {lavrov[0]["id"]}, "participants": {lavrov[0]["id"]},
                         "claims": {lavrov[0]["id"]}}
        indexes = {r[0] for r in store.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '%(actor_key)%'")}
        assert indexes == set()  # each cost a random write per record
