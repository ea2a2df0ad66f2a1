"""Packaged lexicon files (TSV with `#` comments), loaded once, extendable by users.

Users add their own files with the same columns through `[lexicons] extra` in settings;
a file's kind is told by its name (`titles*.tsv`, `organisations*.tsv`, `sector_nouns*.tsv`).
"""

from __future__ import annotations

from dataclasses import dataclass
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
class ActorLexicon:
    """Titles, organisations and sector nouns, keyed by lower-case phrase."""

    titles: dict[str, str]
    organisations: dict[str, OrgEntry]  # any name or alias, casefolded -> entry
    sector_nouns: dict[str, str]
    max_title_words: int


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
    return ActorLexicon(titles, orgs, nouns, longest)
