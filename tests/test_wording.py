"""Names, titles, dates and roles as users read them (newsgraph.wording)."""

import pytest

from newsgraph.store import Store
from newsgraph.types import Actor, Article, ArticleRecords, Mention, Role
from newsgraph.wording import calendar_date, factuality_label, group_roles, readable_time, tidy_text


@pytest.mark.parametrize("raw, tidy", [
    ("Workers ' Party", "Workers' Party"), ("Russia 's", "Russia's"), ("Russia ’s navy", "Russia’s navy"),
    ("head of the union , which", "head of the union, which"), ("( AP ) said", "(AP) said"),
    ("do n't", "don't"), ("the 'Hawks' unit", "the 'Hawks' unit"), ("Foreign  Minister", "Foreign Minister"),
])
def test_wording_tidy_text_removes_tokeniser_spaces(raw, tidy):
    assert tidy_text(raw) == tidy


@pytest.mark.parametrize("value, words, date", [
    ("2015-12-30TMO", "30 December 2015", "2015-12-30"), ("2024-05", "May 2024", "2024-05"), ("2019", "2019", "2019"),
    ("2015-SU", "summer 2015", None), ("2015-Q2", "second quarter of 2015", None), ("199", "the 1990s", None),
    ("PAST_REF", None, None), ("PRESENT_REF", None, None), ("XXXX-05", None, None), ("P3Y", None, None),
    ("2015-13", None, None), (None, None, None),
])
def test_wording_time_values_read_as_dates_never_as_codes(value, words, date):
    assert readable_time(value) == words and calendar_date(value) == date


def _row(title, article="a1", began=None, ended=None, country=None, start=0):
    return {"title": title, "country": country, "sector": "GOV", "began": began, "ended": ended,
            "article": article, "sentence": 0, "start": start, "end": start + len(title)}


def test_wording_roles_are_grouped_by_title_with_clean_dates():
    rows = [_row("foreign minister", began="2015-12-30TMO", country="ESP"), _row("Foreign  Minister", "a2", start=40),
            _row("foreign minister", "a3", ended="PAST_REF"), _row("foreign minister", "a3", ended="2019", start=9),
            _row("Workers ' Party leader", "a2")]
    minister, leader = group_roles(rows)
    assert minister["title"] == "foreign minister" and minister["mentions"] == 4 and minister["articles"] == 3
    assert (minister["began"], minister["ended"], minister["country"]) == ("2015-12-30", "2019", "ESP")
    assert minister["period"] == "30 December 2015 to 2019"
    assert (minister["article"], minister["start"]) == ("a1", 0)  # the first statement is the evidence
    assert leader["title"] == "Workers' Party leader" and leader["period"] is None


def test_store_lists_each_role_once_with_readable_dates(tmp_path):
    store = Store(tmp_path / "s.db")
    for n in range(3):
        text = f"Foreign Minister Ana Vela spoke on day {n}."
        vela = Actor("person:ana vela", "Ana Vela", "person", "ESP", "GOV", aliases={"Ana Vela"},
                     roles=[Role("Foreign Minister", "ESP", "GOV", 0, 16, 0, began="2015-12-30TMO", ended="PAST_REF")])
        store.add_article(Article(id=f"{n:016x}", text=text, source="t", language="en"),
                          ArticleRecords(sentences=[(0, len(text))], actors=[vela],
                                         mentions=[Mention(17, 25, "Ana Vela", "PERSON", 0, vela.key)]))
    (vela,) = store.actors(kind="person")
    (role,) = vela["roles"]
    assert role["mentions"] == 3 and role["began"] == "2015-12-30" and role["ended"] is None
    assert "TMO" not in str(vela) and "PAST_REF" not in str(vela)


@pytest.mark.parametrize("factuality, label", [
    ({"negated": True, "status": "negated"}, "negated"),    # "had not confirmed the trip"
    ({"negated": True, "status": "reported"}, "NOT reported"),
    ({"negated": True, "status": None}, "negated"),
    ({"negated": False, "status": "asserted"}, "asserted"),
    ({"negated": False, "status": None}, ""),
])
def test_factuality_label_never_says_not_negated(factuality, label):
    assert factuality_label(factuality) == label
