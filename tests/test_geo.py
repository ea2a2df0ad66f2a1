"""The country and place gazetteers (newsgraph.geo)."""

from __future__ import annotations

import pytest

from newsgraph.errors import LexiconError
from newsgraph.geo import CountryMatch, Place, country_name, load_extra, match_country, match_place


@pytest.mark.parametrize(
    ("text", "alpha3", "form"),
    [
        ("North Korean", "PRK", "demonym"),
        ("South Korean", "KOR", "demonym"),
        ("American", "USA", "demonym"),
        ("Americans", "USA", "demonym"),
        ("Russian", "RUS", "demonym"),
        ("Ukrainian", "UKR", "demonym"),
        ("Chinese", "CHN", "demonym"),
        ("British", "GBR", "demonym"),
        ("Britons", "GBR", "demonym"),
        ("Filipino", "PHL", "demonym"),
        ("the Kremlin", "RUS", "seat"),
        ("Kremlin", "RUS", "seat"),
        ("the White House", "USA", "seat"),
        ("Downing Street", "GBR", "seat"),
        ("Élysée", "FRA", "seat"),
        ("Elysee", "FRA", "seat"),
        ("Pyongyang", "PRK", "capital"),
        ("Moscow", "RUS", "capital"),
        ("Washington", "USA", "capital"),
        ("Beijing", "CHN", "capital"),
        ("Kiev", "UKR", "capital"),
        ("Russia", "RUS", "name"),
        ("North Korea", "PRK", "name"),
        ("Britain", "GBR", "name"),
        ("United States", "USA", "name"),
        ("the Netherlands", "NLD", "name"),
        ("Iran", "IRN", "name"),
        ("U.S.", "USA", "abbreviation"),
        ("US", "USA", "abbreviation"),
        ("USA", "USA", "abbreviation"),
        ("UK", "GBR", "abbreviation"),
        ("U.K.", "GBR", "abbreviation"),
        ("DPRK", "PRK", "abbreviation"),
    ],
)
def test_geo_match_country_forms(text, alpha3, form):
    match = match_country(text)
    assert match is not None, text
    assert (match.alpha3, match.form) == (alpha3, form)


@pytest.mark.parametrize("text", ["Russia's", "Russia’s", "the Kremlin's", "RUSSIA", "russia", "  Russia  "])
def test_geo_match_country_tolerates_case_possessive_and_the(text):
    assert match_country(text) == CountryMatch("RUS", "Russia", "name" if "remlin" not in text else "seat")


@pytest.mark.parametrize("text", ["us", "Us", "the", "", "Shoigu", "Security Council"])
def test_geo_match_country_rejects_non_countries(text):
    # the pronoun "us" must never be the United States: abbreviations keep their capitals
    assert match_country(text) is None


def test_geo_match_country_uses_short_common_names():
    assert match_country("Russian Federation").name == "Russia"
    assert match_country("Republic of Korea").name == "South Korea"
    assert match_country("North Korean").name == "North Korea"


def test_geo_every_un_member_has_a_demonym():
    import pycountry

    from newsgraph import geo

    demonym_codes = {m.alpha3 for _, m in geo.country_aliases() if m.form == "demonym"}
    # a sample of members across continents, including small ones
    for code in ["AFG", "BRA", "FJI", "ISL", "KEN", "LSO", "MNG", "NZL", "PER", "TUV", "URY", "ZWE"]:
        assert code in demonym_codes, pycountry.countries.get(alpha_3=code).name
    assert len(demonym_codes) >= 193


@pytest.mark.parametrize(("alpha3", "name"), [("PRK", "North Korea"), ("RUS", "Russia"), ("usa", "United States"), ("XXX", None)])
def test_geo_country_name(alpha3, name):
    assert country_name(alpha3) == name


@pytest.mark.parametrize(
    ("text", "kind", "country"),
    [
        ("Kursk", "region", "RUS"),
        ("Kursk region", "region", "RUS"),
        ("Donetsk Oblast", "region", "UKR"),
        ("Donbas", "region", "UKR"),
        ("the Gaza Strip", "territory", "PSE"),
        ("West Bank", "territory", "PSE"),
        ("Crimea", "territory", "UKR"),
        ("Paris", "city", "FRA"),  # the French capital, not Paris, Texas
        ("Pyongyang", "city", "PRK"),
        ("Texas", "us_state", "USA"),
        ("Europe", "continent", None),
        ("Ukraine", "country", "UKR"),
    ],
)
def test_geo_match_place(text, kind, country):
    place = match_place(text)
    assert place is not None, text
    assert (place.kind, place.country) == (kind, country)


def test_geo_match_place_unknown_is_none():
    assert match_place("Nowhereville-upon-Sea") is None


@pytest.fixture
def fresh_gazetteer():
    """User rows go into the process-wide gazetteer: rebuild it afterwards."""
    from newsgraph import geo

    yield
    geo._gazetteer.cache_clear()


def test_geo_load_extra_adds_user_rows(tmp_path, fresh_gazetteer):
    countries = tmp_path / "my_countries.tsv"
    countries.write_text("# mine\nalpha3\tform\ttext\nFRA\tseat\tQuai de Bercy\n", encoding="utf-8")
    places = tmp_path / "my_places.tsv"
    places.write_text("name\tkind\tcountry\tpopulation\taliases\nZaporizhzhia NPP\tfacility\tUKR\t\tEnerhodar plant\n", encoding="utf-8")
    load_extra([countries, places])
    assert match_country("Quai de Bercy") == CountryMatch("FRA", "France", "seat")
    assert match_place("Enerhodar plant") == Place("Zaporizhzhia NPP", "facility", "UKR", None)


def test_geo_load_extra_rejects_malformed_rows(tmp_path, fresh_gazetteer):
    bad = tmp_path / "bad.tsv"
    bad.write_text("alpha3\tform\ttext\nFRA\tnickname\tLes Bleus\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="row 2"):
        load_extra([bad])
    with pytest.raises(LexiconError, match="not found"):
        load_extra([tmp_path / "missing.tsv"])
