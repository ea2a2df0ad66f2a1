"""How stored text and values read to users.

Extractors keep what the text and the TIMEX3 standard give them: names as the tokeniser
spaced them in pre-tokenised corpora (`Workers ' Party`, `Russia 's`), time values with
internal parts (`2015-12-30TMO`, `PAST_REF`), a role once per sentence that states it.
Users see names and titles as written prose, dates as dates, and each role once.

    tidy_text("Workers ' Party")          -> "Workers' Party"
    readable_time("2015-12-30TMO")        -> "30 December 2015"
    calendar_date("2015-12-30TMO")        -> "2015-12-30"
    group_roles(rows)                     -> one record per title, with its evidence
    factuality_label({"negated": True, "status": "reported"}) -> "NOT reported"
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Any, overload

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
SEASONS = {"SP": "spring", "SU": "summer", "FA": "autumn", "AU": "autumn", "WI": "winter"}
ORDINALS = {"1": "first", "2": "second", "3": "third", "4": "fourth"}
# How many places a grouped role cites as its evidence.
ROLE_EVIDENCE = 5

# A space the tokeniser put before a possessive, a contraction or closing punctuation, or
# after an opening bracket: "Russia 's", "don 't", "Workers ' Party", "( AP )", "talks , said".
_SPACE_BEFORE = re.compile(r"\s+(?=(?:['’]s|n['’]t|['’](?:re|ve|ll|d|m))\b)|\s+(?=[,.;:!?)\]%](?:\s|$))")
_SPACE_BEFORE_PLURAL_POSSESSIVE = re.compile(r"(?<=s)\s+(?=['’](?:\s|$))")
_SPACE_AFTER_OPEN = re.compile(r"(?<=[(\[])\s+")
_SPACES = re.compile(r"\s+")
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?=$|T)")


@overload
def tidy_text(text: str) -> str: ...
@overload
def tidy_text(text: None) -> None: ...
def tidy_text(text: str | None) -> str | None:
    """A name or title with the spacing of prose, not of tokens (None stays None)."""
    if not text:
        return text
    text = _SPACES.sub(" ", text).strip()
    text = _SPACE_BEFORE.sub("", text)
    text = _SPACE_BEFORE_PLURAL_POSSESSIVE.sub("", text)
    return _SPACE_AFTER_OPEN.sub("", text)


def calendar_date(value: str | None) -> str | None:
    """The calendar date a TIMEX3 value names (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`), without a
    time of day; None for references (`PAST_REF`), durations and anything else."""
    match = _DATE.match(value or "")
    if not match or not _valid(match):
        return None
    return match.group(0)


def readable_time(value: str | None) -> str | None:
    """A TIMEX3 date value as words (`30 December 2015`, `summer 2015`, `the 1990s`); None
    for values that name no time a reader could place (`PAST_REF`, `XXXX-XX`, durations)."""
    if not value:
        return None
    match = _DATE.match(value)
    if match and _valid(match):
        year, month, day = match.groups()
        if day:
            return f"{int(day)} {MONTHS[int(month) - 1]} {year}"
        return f"{MONTHS[int(month) - 1]} {year}" if month else year
    part = re.fullmatch(r"(\d{4})-(SP|SU|FA|AU|WI|Q[1-4]|H[12]|W\d{2})", value)
    if part:
        year, which = part.groups()
        if which in SEASONS:
            return f"{SEASONS[which]} {year}"
        if which[0] == "W":
            return f"week {int(which[1:])} of {year}"
        return f"{ORDINALS[which[1]]} {'quarter' if which[0] == 'Q' else 'half'} of {year}"
    decade = re.fullmatch(r"(\d{3})X?", value)
    if decade:
        return f"the {decade.group(1)}0s"
    return None


def _valid(match: re.Match[str]) -> bool:
    _, month, day = match.groups()
    return (month is None or 1 <= int(month) <= 12) and (day is None or 1 <= int(day) <= 31)


def period(began: str | None, ended: str | None) -> str | None:
    """`from May 2024`, `until 2016`, `2012 to 2016`, or None when neither end is known."""
    start, end = readable_time(began), readable_time(ended)
    if start and end:
        return f"{start} to {end}"
    if start:
        return f"from {start}"
    return f"until {end}" if end else None


def group_roles(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """An actor's role mentions as one record per title (case and spacing aside): the title
    as most often written, its most stated country and sector, the earliest start and latest
    end the texts give, how often and in how many articles it is stated, and where.

    `rows` have `title, country, sector, began, ended, article, sentence, start, end`, in
    the order they should be cited; the result is ordered by how often each title is stated.
    """
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        title = tidy_text(row["title"])
        if title:
            groups.setdefault(title.casefold(), []).append({**row, "title": title})
    out = [_role_of(mentions) for mentions in groups.values()]
    return sorted(out, key=lambda r: (-r["mentions"], r["title"].casefold()))


def _role_of(mentions: list[dict[str, Any]]) -> dict[str, Any]:
    began = [d for d in (calendar_date(m["began"]) for m in mentions) if d]
    ended = [d for d in (calendar_date(m["ended"]) for m in mentions) if d]
    first = mentions[0]
    role = {
        "title": _most_common(m["title"] for m in mentions),
        "country": _most_common(m["country"] for m in mentions),
        "sector": _most_common(m["sector"] for m in mentions),
        "began": min(began, default=None), "ended": max(ended, default=None),
        "mentions": len(mentions), "articles": len({m["article"] for m in mentions}),
        "article": first["article"], "sentence": first["sentence"], "start": first["start"], "end": first["end"],
        "evidence": [{"article": m["article"], "start": m["start"], "end": m["end"]} for m in mentions[:ROLE_EVIDENCE]],
    }
    role["period"] = period(role["began"], role["ended"])
    return role


def _most_common(values: Iterable[str | None]) -> str | None:
    """The value stated most often, ties to the first stated; None only when none is stated."""
    counts = Counter(v for v in values if v)
    return max(counts, key=counts.__getitem__) if counts else None


def factuality_label(factuality: dict[str, Any]) -> str:
    """An event's view as users read it: its status, with NOT when the event is negated.

    A negated event's status is often `negated` itself ("had not confirmed the trip"): that
    reads "negated", never "NOT negated".
    """
    status = factuality.get("status") or ""
    if not factuality.get("negated") or status == "negated":
        return status
    return f"NOT {status}" if status else "negated"
