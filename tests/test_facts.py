"""Events told as English sentences (newsgraph.facts): verb frames, tense, status, sources."""

import re
from importlib import resources

import pytest

from newsgraph.citations import fact as _fact
from newsgraph.errors import BadParameter, LexiconError
from newsgraph.facts import (IRREGULAR, _parse_frames, event_sentence, past, past_participle, third_person,
                             unconfirming_party, verb_frame, verb_frames)


def _actor(name):
    return {"actor_id": None, "name": name, "code": None, "country": None, "sector": None, "span": [0, 1]}


def _event(code, source=("Russia",), target=(), *, status="asserted", tense="past", negated=False,
           place=None, time=None, time_text=None, mod=None, quantities=()):
    return {
        "id": "a1-e1", "article": "a1",
        "cameo": {"code": code, "root": code[:2], "name": "x", "goldstein": 0.0, "quad_class": 1},
        "plover": {"type": None, "mode": None, "context": None},
        "source": [_actor(n) for n in source], "target": [_actor(n) for n in target],
        "reciprocal": False, "main": True, "mirrored": False,
        "place": {"name": place, "country": None, "span": [0, 1]} if place else None,
        "time": {"value": time, "precision": None, "source": "text" if (time or time_text) else "article",
                 "text": time_text, "mod": mod, "span": None},
        "quantities": [{"value": None, "unit": None, "approximate": False, "text": q, "span": [0, 1]}
                       for q in quantities],
        "factuality": {"negated": negated, "modality": None, "certainty": "certain", "polarity": "positive",
                       "time": tense, "status": status},
        "evidence": {"article": "a1", "sentence": 0, "sentence_span": [0, 80], "trigger": "x",
                     "trigger_span": [10, 11], "url": None, "published": None},
        "mentions": [],
    }


def _place_in(event, country):
    event["place"]["country"] = country
    for actor in event["target"]:
        actor["code"] = actor["country"] = {"North Korea": "PRK", "Ukraine": "UKR"}[actor["name"]]
    return event


def _cameo_codes():
    text = resources.files("newsgraph.data.events").joinpath("cameo_codes.tsv").read_text(encoding="utf-8")
    return [line.split("\t")[0] for line in text.splitlines() if line.strip() and not line.startswith("#")]


_WELL_FORMED = re.compile(r"^[A-Z][A-Za-z0-9 ,;'’-]*\.$")


def test_facts_every_cameo_code_has_its_own_verb_frame():
    codes = _cameo_codes()
    assert len(codes) == 315
    assert set(verb_frames()) == set(codes)


@pytest.mark.parametrize("code", _cameo_codes())
def test_facts_every_cameo_code_reads_as_a_sentence_in_each_form(code):
    frame = verb_frame(code)
    verb = frame.with_target.split(" ")[0]
    with_target = event_sentence(_event(code, target=["Ukraine"]))
    without = event_sentence(_event(code))
    for sentence in (with_target, without):
        assert _WELL_FORMED.match(sentence), sentence
        assert "  " not in sentence and "{" not in sentence and "+" not in sentence
    assert with_target.startswith(f"Russia {past(verb)} ") or with_target == f"Russia {past(verb)}."
    assert "Ukraine" in with_target and "Ukraine" not in without
    ukraine = ["Ukraine"]
    assert event_sentence(_event(code, target=ukraine, negated=True)).startswith(f"Russia did not {verb} ")
    assert event_sentence(_event(code, target=ukraine, status="future")).startswith(f"Russia will {verb} ")
    assert event_sentence(_event(code, target=ukraine, tense="present")).startswith(f"Russia {third_person(verb)} ")
    joint = _event(code, ("Russia", "China"), ukraine, tense="present")
    assert event_sentence(joint).startswith(f"Russia and China {verb} ")


@pytest.mark.parametrize("event, kwargs, sentence", [
    (_event("042", ["Sergei Shoigu"], ["North Korea"], status="unconfirmed"),
     {"reported_by": "TASS", "reported_on": "2025-03-21", "unconfirmed_by": "North Korean state media"},
     "Sergei Shoigu visited North Korea, TASS reported on 21 March 2025; North Korean state media had not "
     "confirmed it."),
    (_place_in(_event("042", ["Sergei Shoigu"], ["North Korea"], place="Pyongyang"), "PRK"), {},
     "Sergei Shoigu visited Pyongyang, North Korea."),
    (_place_in(_event("042", ["Sergei Shoigu"], ["North Korea"], place="Pyongyang", time="2025-03-20"), "PRK"), {},
     "Sergei Shoigu visited Pyongyang, North Korea, on 20 March 2025."),
    (_event("194", ["The navy"], quantities=["two missiles"]), {}, "The navy fired two missiles."),
    (_event("072", ["Germany"], ["Ukraine"], quantities=["$2 billion"]), {},
     "Germany provided military aid to Ukraine, involving $2 billion."),
    (_place_in(_event("190", ["Russia"], ["Ukraine"], place="Kharkiv"), "RUS"), {},
     "Russia used military force against Ukraine in Kharkiv."),
    (_event("111", ["The opposition"], ["the government"]), {}, "The opposition criticised the government."),
    (_event("044", ["Kim Jong Un"], ["Vladimir Putin"], place="Vladivostok"), {},
     "Kim Jong Un met with Vladimir Putin at a neutral venue in Vladivostok."),
    (_event("154", ["North Korea"], ["Russia"], quantities=["about 11,000 troops"], status="alleged"),
     {"reported_by": "intelligence sources"},
     "North Korea deployed about 11,000 troops to Russia, intelligence sources alleged."),
    (_event("141", ["Farmers"]), {}, "Farmers demonstrated."),
    (_event("057", ["Russia", "North Korea"], time="2024-06"), {}, "Russia and North Korea signed an agreement "
     "in June 2024."),
    (_event("190", ["Russia"], ["Ukraine"], negated=True), {"reported_by": "the ministry"},
     "Russia did not use military force against Ukraine, the ministry said."),
    (_event("036", ["Iran"], ["the United States"], status="future"), {},
     "Iran will offer to meet with the United States."),
    (_event("042", ["The minister"], ["Chile"], status="denied"), {"reported_by": "The embassy",
                                                                   "reported_on": "2024-05-02"},
     "The embassy denied on 2 May 2024 that the minister visited Chile."),
    (_event("072", ["Iran"], ["Russia"], status="alleged"), {}, "Iran allegedly provided military aid to Russia."),
    (_event("070", ["Russia"], ["North Korea"], status="believed"), {},
     "Russia is believed to have provided aid to North Korea."),
    (_event("070", ["Russia"], ["Iran"], status="believed", tense="future"), {}, "Russia is believed to provide aid to Iran."),
    (_event("0832", ["The council", "the mayor"], status="reported"), {},
     "The council and the mayor reportedly gave in to calls for a change of policy."),
    (_event("193", ["Rebels"], ["the army"], time="2023-11-04"), {}, "Rebels fought the army with small arms on "
     "4 November 2023."),
    (_event("161", ["Ecuador"], ["Mexico"], time="2024", mod="END"), {},
     "Ecuador cut diplomatic ties with Mexico in late 2024."),
    (_event("173", ["Police"], ["the activist"], time="2024"), {"reported_on": "2025-02-01"},
     "Police arrested the activist last year."),
    (_event("0841", ["The court"], time_text="on Friday"), {}, "The court released people on Friday."),
    (_event("1823", ["Gunmen"], quantities=["12 villagers"], time="PAST_REF", time_text="last week"), {},
     "Gunmen killed 12 villagers last week."),
    (_event("042", (), ["Japan"]), {}, "An unnamed party visited Japan."),
])
def test_facts_sentences_read_as_english(event, kwargs, sentence):
    assert event_sentence(event, **kwargs) == sentence


@pytest.mark.parametrize("verb, past_form, participle, present", [
    ("visit", "visited", "visited", "visits"), ("send", "sent", "sent", "sends"), ("ban", "banned", "banned", "bans"),
    ("carry", "carried", "carried", "carries"), ("deploy", "deployed", "deployed", "deploys"),
    ("go", "went", "gone", "goes"), ("take", "took", "taken", "takes"), ("criticise", "criticised",
                                                                       "criticised", "criticises"),
    ("veto", "vetoed", "vetoed", "vetoes"), ("travel", "travelled", "travelled", "travels"),
])
def test_facts_verbs_inflect(verb, past_form, participle, present):
    assert (past(verb), past_participle(verb), third_person(verb)) == (past_form, participle, present)


def test_facts_every_frame_verb_inflects_to_a_real_past_form():
    for frame in verb_frames().values():
        for word in [frame.with_target.split(" ")[0]] + [w[1:] for w in frame.with_target.split() if w[0] == "+"]:
            assert word in IRREGULAR or past(word).endswith("ed"), word


@pytest.mark.parametrize("sentence, party", [
    ("The visit was notable, and state media in North Korea have yet to confirm his arrival.",
     "state media in North Korea"),
    ("Both nations have not officially confirmed the deal but are committed to it.", "both nations"),
    ("The figure has not been confirmed by the Kremlin, officials said.", "the Kremlin"),
    ("It has not yet confirmed the figure.", None),
    ("The army confirmed the figure.", None),
])
def test_facts_unconfirming_party_is_read_from_the_sentence(sentence, party):
    assert unconfirming_party(sentence) == party


def test_facts_a_non_event_is_a_clear_error():
    with pytest.raises(BadParameter, match="not an event record"):
        event_sentence({"name": "Russia"})


@pytest.mark.parametrize("line", ["042\tvisit", "04x\tvisit {T}", "042\tvisit {T} extra\tcolumn"])
def test_facts_a_malformed_frame_file_is_a_lexicon_error(line):
    with pytest.raises(LexiconError, match="E320"):
        list(_parse_frames([line]))


def test_facts_an_unknown_code_falls_back_to_its_parent_frame():
    assert verb_frame("0429").with_target == verb_frame("042").with_target
    assert event_sentence(_event("99", target=["Peru"])) == "Russia took an action concerning Peru."


def test_facts_the_digest_tells_a_fact_as_a_sentence_naming_who_had_not_confirmed_it():
    text = "Shoigu arrived in Pyongyang, and state media in North Korea have yet to confirm his arrival."
    event = _event("042", ["Sergei Shoigu"], ["North Korea"], status="unconfirmed")
    event["evidence"]["sentence_span"] = [0, len(text)]
    claim = {"id": "a1-c1", "article": "a1", "source": {"name": "TASS", "named": True},
             "cue": {"text": "said", "span": [30, 34]}, "published": "2025-03-21T08:00:00"}
    fact = _fact(event, claim, text)
    assert fact["text"] == ("Sergei Shoigu visited North Korea, TASS reported on 21 March 2025; state media in "
                            "North Korea had not confirmed it.")
    assert fact["status"] == "unconfirmed" and [e["start"] for e in fact["evidence"]] == [10, 30]
