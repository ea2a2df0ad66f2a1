"""Packaged lexicon files (TSV with `#` comments), loaded once, extendable by users.

Users add their own files with the same columns through `[lexicons] extra` in settings;
a file's kind is told by its name (`titles*.tsv`, `organisations*.tsv`, `sector_nouns*.tsv`,
`people*.tsv`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .errors import LexiconError


def read_tsv(text: str, origin: str, columns: int) -> list[list[str]]:
    """Rows of a TSV lexicon; blank lines and `#` comments skipped, short rows padded."""
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        if len(cells) > columns or not cells[0]:
            raise LexiconError(
                f"{origin}:{number}: expected at most {columns} tab-separated columns with a "
                f"non-empty first one, got {len(cells)}"
            )
        rows.append(cells + [""] * (columns - len(cells)))
    return rows


def _packaged(name: str) -> str:
    return resources.files("newsgraph").joinpath("data").joinpath("actors").joinpath(name).read_text("utf-8")


@dataclass(frozen=True, slots=True)
class OrgEntry:
    name: str
    country: str | None
    sector: str | None


@dataclass(frozen=True, slots=True)
class PersonEntry:
    """One office a well-known person held: who, for which country, as what, when."""

    name: str
    country: str | None  # ISO alpha-3, or None for an international office
    sector: str | None  # CAMEO sector code of the office (GOV, MIL, IGO, …)
    role: str  # the office in words: "president", "foreign minister"
    start: int | None  # first and last year in office; None when open
    end: int | None

    def covers(self, year: int) -> bool:
        """Whether the person held this office in `year`."""
        return (self.start is None or self.start <= year) and (self.end is None or year <= self.end)


@dataclass(frozen=True, slots=True)
class PeopleTable:
    """Well-known office-holders by full name or alias, and by surname.

    A person holding several offices has one entry per office. `surnames` holds the
    single-word short forms (an entry's one-word aliases, else the last word of its name).
    """

    names: dict[str, tuple[PersonEntry, ...]] = field(default_factory=dict)  # folded name/alias
    surnames: dict[str, tuple[PersonEntry, ...]] = field(default_factory=dict)  # folded short form

    def lookup(self, name: str) -> tuple[PersonEntry, ...]:
        """Entries for a full name or multi-word alias (case and accents ignored)."""
        return self.names.get(fold(name), ())

    def by_surname(self, word: str) -> tuple[PersonEntry, ...]:
        """Entries whose short form is `word` (case and accents ignored)."""
        return self.surnames.get(fold(word), ())


# Longest organisation noun looked for at the end of a name ("national security council")
SECTOR_NOUN_WORDS = 4


@dataclass(frozen=True, slots=True)
class ActorLexicon:
    """Titles, organisations, sector nouns and well-known people, keyed by lower-case phrase."""

    titles: dict[str, str]
    organisations: dict[str, OrgEntry]  # any name or alias, casefolded -> entry
    sector_nouns: dict[str, str]
    max_title_words: int
    people: PeopleTable = field(default_factory=PeopleTable)

    def title_ending(self, words: Sequence[str]) -> int:
        """How many of the last lower-case `words` make the longest title that ends them
        (`["the", "foreign", "minister"]` -> 2); 0 when no title does."""
        for size in range(min(len(words), self.max_title_words), 0, -1):
            if " ".join(words[-size:]) in self.titles:
                return size
        return 0

    def sector_of_words(self, words: Sequence[str]) -> str | None:
        """The sector of the longest organisation noun that ends the lower-case `words`
        ("foreign ministry" -> GOV), or None."""
        for size in range(min(len(words), SECTOR_NOUN_WORDS), 0, -1):
            found = self.sector_nouns.get(" ".join(words[-size:]))
            if found:
                return found
        return None


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a name ("Lula da Silva", "LULA DA SILVA")."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip().casefold()


def _year(cell: str, origin: str) -> int | None:
    if not cell:
        return None
    if not cell.isdigit() or len(cell) != 4:
        raise LexiconError(f"{origin}: year {cell!r} is not a four-digit year")
    return int(cell)


# Words of rank that the text may give apart from the name ("King Fahd", "Sheikh Hasina").
PERSON_STYLES = frozenset({"king", "queen", "prince", "princess", "sheikh", "sultan", "emir", "pope",
                           "emperor", "ayatollah", "mullah", "crown", "lord", "president"})
_ROMAN = re.compile(r"^[ivx]+\.?$|^jr\.?$|^sr\.?$")


def _short_forms(name: str, aliases: list[str]) -> list[str]:
    if "-" in aliases:
        return []
    short = [a for a in aliases if len(a.split()) == 1]
    if short:
        return short
    last = name.split()[-1]
    return [] if _ROMAN.match(last.casefold()) or len(last) < 3 else [last]


def _people(sources: list[tuple[str, str]]) -> PeopleTable:
    names: dict[str, list[PersonEntry]] = {}
    surnames: dict[str, list[PersonEntry]] = {}
    for text, origin in sources:
        for name, aliases, country, sector, role, start, end in read_tsv(text, origin, 7):
            entry = PersonEntry(name, country or None, sector or None, role, _year(start, origin),
                                _year(end, origin))
            alias_list = [a.strip() for a in aliases.split("|") if a.strip()]
            full = [name, *(a for a in alias_list if len(a.split()) > 1)]
            # "King Fahd" is also "Fahd"; "Sheikh Tamim bin Hamad al-Thani" also "Tamim bin Hamad al-Thani"
            full += [" ".join(n.split()[1:]) for n in full
                     if n.split()[0].casefold() in PERSON_STYLES and len(n.split()) > 2]
            for alias in full:
                bucket = names.setdefault(fold(alias), [])
                if entry not in bucket:
                    bucket.append(entry)
            for word in _short_forms(name, alias_list):
                surnames.setdefault(fold(word), []).append(entry)
    return PeopleTable({k: tuple(v) for k, v in names.items()}, {k: tuple(v) for k, v in surnames.items()})


def _user_files(extra: tuple[str, ...], prefix: str) -> list[tuple[str, str]]:
    found = []
    for path in extra:
        p = Path(path)
        if p.name.startswith(prefix):
            try:
                found.append((p.read_text("utf-8"), str(p)))
            except OSError as e:
                raise LexiconError(f"{p}: cannot read lexicon file ({e.strerror})") from e
    return found


@lru_cache(maxsize=8)
def load_actor_lexicon(extra: tuple[str, ...] = ()) -> ActorLexicon:
    """The packaged actor lexicons with any user files layered over them."""
    titles: dict[str, str] = {}
    for text, origin in [(_packaged("titles.tsv"), "titles.tsv"), *_user_files(extra, "titles")]:
        titles.update({title.lower(): sector for title, sector in read_tsv(text, origin, 2)})
    orgs: dict[str, OrgEntry] = {}
    sources = [(_packaged("organisations.tsv"), "organisations.tsv"), *_user_files(extra, "organisations")]
    for text, origin in sources:
        for name, aliases, country, sector in read_tsv(text, origin, 4):
            entry = OrgEntry(name, country or None, sector or None)
            for alias in [name, *filter(None, aliases.split("|"))]:
                orgs[alias.casefold()] = entry
    nouns: dict[str, str] = {}
    for text, origin in [(_packaged("sector_nouns.tsv"), "sector_nouns.tsv"),
                         *_user_files(extra, "sector_nouns")]:
        nouns.update({noun.lower(): sector for noun, sector in read_tsv(text, origin, 2)})
    longest = max(len(t.split()) for t in titles)
    people = _people([(_packaged("people.tsv"), "people.tsv"), *_user_files(extra, "people")])
    return ActorLexicon(titles, orgs, nouns, longest, people)
