"""One event per real-world event in an article: grouping rules on hand-built records, the
other-occasion test on hand-built parses, and the stored result end to end with the model.
Every sentence here is our own."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace

import pytest
import spacy
from click.testing import CliRunner
from spacy.tokens import Doc

from newsgraph.cli import cli
from newsgraph.extract.events import ActorRef, Event
from newsgraph.extract.factuality import Factuality
from newsgraph.extract.mentions import another_occasion, group_mentions, mentions_of
from newsgraph.types import CodedEvent, EventTime

VOCAB = spacy.blank("en").vocab
ARTICLE = """Chilean foreign minister Ana Torres arrives in Lima
Chilean foreign minister Ana Torres arrived in Peru on Tuesday for talks on fishing rights. \
Torres's visit comes after months of tension over the maritime border. \
Torres has visited Lima on two previous occasions. \
The arrival of Torres in Lima was welcomed by business leaders.
"""


def ref(key: str, start: int = 0) -> ActorRef:
    return ActorRef(key=key, name=key, code=key[-3:].upper(), country=None, sector=None, start=start, end=start + 3)


def coded(trigger_start: int, *, code: str = "042", sources=("a",), targets=("b",), place=None, country=None,
          time: str | None = None, precision: str | None = None, negated: bool = False, mirrored: bool = False,
          main: bool = True) -> CodedEvent:
    event = Event(
        sentence=trigger_start // 100, trigger="visit", trigger_start=trigger_start, trigger_end=trigger_start + 5,
        cameo=code, cameo_root=code[:2], cameo_name="Make a visit", goldstein=1.9, quad_class=1,
        plover_type="CONSULT", plover_mode=None, sources=tuple(ref(s) for s in sources),
        targets=tuple(ref(t) for t in targets), place=place, place_start=None if place is None else trigger_start + 9,
        place_end=None if place is None else trigger_start + 9 + len(place), place_country=country,
        negated=negated, mirrored=mirrored, main=main,
        sentence_start=trigger_start - trigger_start % 100, sentence_end=trigger_start - trigger_start % 100 + 99)
    when = EventTime(time, precision, "text", time) if time else EventTime("2025-03-14", "day", "article")
    return CodedEvent(event, when, Factuality("certain", "positive", "past", "asserted", ()))


@pytest.mark.parametrize("mentions, groups", [
    # headline, lead and "his visit" (no target): one visit
    ([coded(10), coded(120), coded(250, targets=())], [0, 0, 0]),
    # "his visit" before the mention that names where: still one
    ([coded(10, targets=()), coded(120, targets=()), coded(250)], [0, 0, 0]),
    # one party and no target, twice ("he urged", "he asked"): too little to call them one act
    ([coded(10, code="020", targets=()), coded(120, code="020", targets=())], [0, 1]),
    # a date and a vaguer one ("in 2024", "in June 2024") agree; the article's own date says nothing
    ([coded(10, time="2024", precision="year"), coded(120, time="2024-06", precision="month"), coded(250)],
     [0, 0, 0]),
    # two different dates are two visits
    ([coded(10, time="2023-07", precision="month"), coded(120, time="2024", precision="year")], [0, 1]),
    # a denial is not the same report as the assertion
    ([coded(10), coded(120, negated=True)], [0, 1]),
    # another root, other parties, the host's mirrored side: other events
    ([coded(10), coded(120, code="190"), coded(200, sources=("c",)), coded(300, mirrored=True)], [0, 1, 2, 3]),
    # the city and the country it lies in agree; two cities do not
    ([coded(10, place="Lima", country="PER"), coded(120, place="Peru", country="PER"),
      coded(250, place="Cusco", country="PER")], [0, 0, 1]),
])
def test_mentions_group_by_root_parties_time_and_place(mentions, groups):
    assert group_mentions(mentions).index == groups


def test_mentions_a_vague_mention_joins_one_act_only():
    # "his visit" could be either; it joins the first, and the two visits stay apart
    grouped = group_mentions([coded(10), coded(120, targets=()), coded(250, targets=("c",))])
    assert grouped.index == [0, 0, 1]


def test_mentions_keep_the_most_specific_code_time_place_and_every_span():
    grouped = group_mentions([
        coded(10, code="04", place="Peru", country="PER", main=False),
        coded(120, code="042", time="2025-03", precision="month"),
        coded(250, code="042", place="Lima", country="PER", time="2025-03-11", precision="day", targets=()),
    ])
    (event,) = grouped.events
    assert event.event.trigger_start == 120  # the first main mention is the evidence
    assert (event.event.cameo, event.event.place, event.time.value) == ("042", "Lima", "2025-03-11")
    assert [m.trigger_start for m in event.mentions] == [10, 120, 250]
    assert [m.cameo for m in event.mentions] == ["04", "042", "042"]


def test_mentions_separate_ones_stay_alone_and_ungrouped_events_have_their_evidence():
    grouped = group_mentions([coded(10), coded(120), coded(250)], separate=[False, True, False])
    assert grouped.index == [0, 1, 0]
    lone = coded(10)
    assert [m.trigger_start for m in mentions_of(lone)] == [10]


def make_doc(rows: str) -> Doc:
    """A Doc from 'word head dep pos tag' lines; heads are absolute token indices."""
    parts = [line.split() for line in rows.strip().splitlines()]
    return Doc(VOCAB, words=[p[0] for p in parts], heads=[int(p[1]) for p in parts],
               deps=[p[2] for p in parts], pos=[p[3] for p in parts], tags=[p[4] for p in parts])


PREVIOUS_OCCASIONS = """
Torres 2 nsubj PROPN NNP
has 2 aux AUX VBZ
visited 2 ROOT VERB VBN
Lima 2 dobj PROPN NNP
on 2 prep ADP IN
previous 6 amod ADJ JJ
occasions 4 pobj NOUN NNS
"""
VISITS = """
Her 1 poss PRON PRP$
visits 2 nsubj NOUN NNS
coincided 2 ROOT VERB VBD
"""
TALKS = """
The 1 det DET DT
talks 2 nsubj NOUN NNS
ended 2 ROOT VERB VBD
"""
FORMER_MINISTER = """
The 2 det DET DT
former 2 amod ADJ JJ
minister 3 nsubj NOUN NN
visited 3 ROOT VERB VBD
Lima 3 dobj PROPN NNP
"""

ARRIVED_EARLIER = """
Torres 1 nsubj PROPN NNP
arrived 1 ROOT VERB VBD
earlier 1 advmod ADV RBR
on 1 prep ADP IN
Tuesday 3 pobj PROPN NNP
"""
WALKED_PAST = """
Troops 1 nsubj NOUN NNS
moved 1 ROOT VERB VBD
past 1 prep ADP IN
the 4 det DET DT
border 2 pobj NOUN NN
"""
AN_EARLIER_VISIT = """
an 2 det DET DT
earlier 2 amod ADJ JJR
visit 2 ROOT NOUN NN
"""


@pytest.mark.parametrize("rows, trigger, expected", [
    (PREVIOUS_OCCASIONS, "visited", True),
    (VISITS, "visits", True),  # several visits, not this one
    (AN_EARLIER_VISIT, "visit", True),
    (TALKS, "talks", False),  # a plural that names one event
    (FORMER_MINISTER, "visited", False),  # "former" describes the minister, not the visit
    (ARRIVED_EARLIER, "arrived", False),  # earlier the same day: this arrival
    (WALKED_PAST, "moved", False),  # "past" the preposition is a place
])
def test_mentions_another_occasion(rows, trigger, expected):
    doc = make_doc(rows)
    token = next(t for t in doc if t.text == trigger)
    event = coded(0).event
    event = replace(event, trigger_start=token.idx, trigger_end=token.idx + len(token))
    assert another_occasion(doc, event) is expected


# ---- end to end, with the model


def run(*args):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def db(tmp_path_factory, nlp):
    folder = tmp_path_factory.mktemp("mentions")
    (folder / "visit.txt").write_text(ARTICLE, encoding="utf-8")
    path = folder / "m.db"
    run("ingest", str(folder / "visit.txt"), "--db", str(path), "--date", "2025-03-14")
    return path


def visits(db):
    events = json.loads(run("events", "--json", "--cameo", "042", "--db", str(db)).stdout)
    return sorted(events, key=lambda e: -len(e["mentions"]))


@pytest.mark.model
def test_mentions_headline_lead_and_later_mentions_are_one_visit(db):
    main, *others = visits(db)
    triggers = [m["trigger"] for m in main["mentions"]]
    assert triggers == ["arrives", "arrived", "visit", "arrival"]
    assert main["evidence"]["trigger"] == "arrives"
    assert main["time"]["value"] == "2025-03-11"  # "on Tuesday" in the lead dates the whole visit
    # "has visited Lima on two previous occasions" is another visit
    assert [len(e["mentions"]) for e in others] == [1]


@pytest.mark.model
def test_mentions_show_marks_every_mention_and_events_counts_them(db):
    listing = run("events", "--cameo", "042", "--db", str(db)).stdout
    assert " 4x " in listing and " 1x " in listing
    article = json.loads(run("articles", "--json", "--db", str(db)).stdout)[0]
    shown = run("show", article["id"], "--db", str(db)).stdout
    for n, word in enumerate(["arrives", "arrived", "visit", "arrival"], 1):
        assert f"{{{word}|042 CONSULT e1 {n}/4}}" in shown


@pytest.mark.model
def test_mentions_exports_carry_the_count(db):
    gdelt = run("export", "events", "--format", "gdelt", "--cameo", "042", "--db", str(db)).stdout.splitlines()
    counts = sorted(int(line.split("\t")[31]) for line in gdelt)  # NumMentions
    assert counts == [1, 4]
    csv_rows = run("export", "events", "--format", "csv", "--cameo", "042", "--db", str(db)).stdout.splitlines()
    header = csv_rows[0].split(",")
    assert "mentions" in header and "mention_spans" in header
    assert sorted(int(r.split(",")[header.index("mentions")]) for r in csv_rows[1:]) == [1, 4]


@pytest.mark.model
def test_mentions_a_story_counts_the_visit_once(db):
    stories = json.loads(run("stories", "--json", "--db", str(db)).stdout)
    listed = next(s for s in stories if s["cameo"] == "042")
    visit = json.loads(run("stories", str(listed["id"]), "--json", "--db", str(db)).stdout)
    # the visit (four mentions) once, and the earlier visits the article recalls
    assert len(visit["articles"]) == listed["article_count"] == 1
    assert visit["mentions"] == listed["mentions"] == len(visit["events"]) == 2
    digest = run("digest", visit["articles"][0], "--db", str(db)).stdout
    assert "(mentioned 4 times)" in digest


@pytest.mark.model
def test_mentions_go_with_their_article(db, tmp_path):
    copy = tmp_path / "copy.db"
    copy.write_bytes(db.read_bytes())
    article = json.loads(run("articles", "--json", "--db", str(copy)).stdout)[0]
    run("delete", article["id"], "--db", str(copy))
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT COUNT(*) FROM event_mentions").fetchone()[0] == 0


def test_mentions_a_store_from_before_m015_is_upgraded(tmp_path):
    from newsgraph.store import Store
    from newsgraph.types import Article, ArticleRecords

    path = tmp_path / "old.db"
    store = Store(path)
    text = "Ana Torres visited Lima."
    article = Article(id="old-article", text=text, source="test", language="en")
    visit = replace(coded(11).event, trigger="visited", trigger_start=11, trigger_end=18, sentence=0,
                    sentence_start=0, sentence_end=len(text), sources=(), targets=())
    store.add_article(article, ArticleRecords(sentences=[(0, len(text))], events=[replace(coded(11), event=visit)]))
    store.conn.execute("DROP TABLE event_mentions")
    store.conn.execute("DELETE FROM _migrations WHERE name = 'm015_event_mentions'")
    store.conn.commit()
    store.close()
    upgraded = Store(path)
    (event,) = upgraded.events()
    assert [(m["trigger"], m["trigger_span"]) for m in event["mentions"]] == [("visited", [11, 18])]


@pytest.mark.model
def test_mentions_the_seed_visit_is_one_event_with_its_mentions(seed_path, tmp_path):
    db = tmp_path / "seed.db"
    run("ingest", str(seed_path), "--db", str(db))
    events = json.loads(run("events", "--json", "--cameo", "042", "--db", str(db)).stdout)
    arrival = next(e for e in events if e["evidence"]["trigger"] == "arrived")
    assert len(arrival["mentions"]) >= 3
    assert {"arrived", "arrival"} <= {m["trigger"] for m in arrival["mentions"]}
    assert [a["name"] for a in arrival["source"]] == ["Sergei Shoigu"]
    # "has visited Pyongyang on prior occasions" is not this visit
    assert all(len(e["mentions"]) == 1 for e in events if e is not arrival)


def test_mentions_a_mention_that_refers_back_carries_its_unconfirmed_view():
    arrival = coded(10)
    reported = replace(arrival, factuality=Factuality("certain", "positive", "past", "reported", ("said",)))
    trip = coded(250)
    trip = replace(trip, event=replace(trip.event, refers_back=True),
                   factuality=Factuality("possible", "positive", "past", "unconfirmed", ("confirmed", "not")))
    (event,) = group_mentions([reported, trip]).events
    assert event.factuality is not None and event.factuality.status == "unconfirmed"
    assert event.factuality.cues == ("said", "confirmed", "not")
    # a later mention that merely repeats the event does not change the view the article gives
    again = replace(coded(250), factuality=Factuality("possible", "positive", "past", "unconfirmed", ()))
    (plain,) = group_mentions([reported, again]).events
    assert plain.factuality is not None and plain.factuality.status == "reported"


UNCONFIRMED_TRIP = ("Chilean foreign minister Ana Torres arrived in Peru on Tuesday for talks, the state news agency "
                    "said. Peruvian state media had not confirmed the trip by Tuesday evening.")


@pytest.mark.model
def test_mentions_the_trip_state_media_did_not_confirm_is_the_articles_visit(nlp):
    from newsgraph.core import process_doc
    from newsgraph.types import Article

    records = process_doc(nlp(UNCONFIRMED_TRIP), Article(id="t", text=UNCONFIRMED_TRIP, source="test",
                                                         published="2025-03-14"))
    visits = [c for c in records.events if c.event.cameo_root == "04" and not c.event.mirrored]
    (visit,) = visits  # no second visit with Peru's media as the traveller
    assert [m.trigger for m in visit.mentions] == ["arrived", "trip"]
    assert {a.country for a in visit.event.sources} == {"CHL"}
    assert visit.factuality is not None and visit.factuality.status == "unconfirmed"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Shoigu has visited Pyongyang on prior occasions.", "on prior occasions"),
        ("Shoigu previously visited Pyongyang.", "previously"),
        ("Shoigu had visited Pyongyang before.", "before"),
        ("Shoigu visited Pyongyang before the talks.", None),  # another event's time, not an earlier occasion
        ("Shoigu recently visited Pyongyang.", None),  # just before the report: its day stands
    ],
)
def test_earlier_occasion_is_undated_and_before_the_report(nlp, text, words):
    from newsgraph.core import process_doc
    from newsgraph.types import Article

    article = Article(id="a", text=text, source="t", published="2025-03-21", published_precision="day")
    times = {e.time for e in process_doc(nlp(text), article).events}
    if words is None:
        assert {(t.value, t.mod) for t in times} == {("2025-03-21", None)}
    else:
        assert {(t.value, t.text, t.mod) for t in times} == {(None, words, "BEFORE")}


def test_undated_future_act_is_not_dated_to_the_report(nlp):
    from newsgraph.core import process_doc
    from newsgraph.types import Article

    text = "Shoigu will visit Pyongyang. Shoigu will visit Beijing next week."
    article = Article(id="a", text=text, source="t", published="2025-03-21", published_precision="day")
    times = {(e.time.value, e.time.mod) for e in process_doc(nlp(text), article).events}
    assert (None, "AFTER") in times  # after the report, day unknown
    assert ("2025-W13", None) in times  # its own date stands
    assert not any(value == "2025-03-21" for value, _ in times)


def test_event_noun_inside_a_future_clause_keeps_the_report_day(nlp):
    # "to support Russia in its ongoing war": the war is there already; only a verb's own future counts
    from newsgraph.core import process_doc
    from newsgraph.types import Article

    text = "North Korea sent troops to support Russia in its ongoing war with Ukraine."
    article = Article(id="a", text=text, source="t", published="2025-03-21", published_precision="day")
    (war,) = [e for e in process_doc(nlp(text), article).events if text[e.event.trigger_start:e.event.trigger_end] == "war"]
    assert (war.time.value, war.time.mod) == ("2025-03-21", None)
