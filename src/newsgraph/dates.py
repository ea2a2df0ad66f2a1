"""The one check of the dates users type: `--since 2024-06` on the command line and
`?since=2024-06` in the API go through `check_date`, so both refuse the same values with
the same words.

Dates are compared as text in the store, so a malformed one would silently match
everything or nothing; a month 13 or a 30 February is refused, not searched for.
"""

from __future__ import annotations

import re
from datetime import date

from .errors import BadParameter

DATE_FORMS = "YYYY, YYYY-MM or YYYY-MM-DD"
_SHAPE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


def check_date(value: str, *, param: str = "date") -> str:
    """`value` unchanged when it is a year, a month or a day of the calendar.

    Args:
        value: what the user typed, e.g. `2024`, `2024-06` or `2024-06-30`.
        param: the option or parameter it came from, named in the error.

    Raises:
        BadParameter: naming `param` and saying what is wrong with the value.
    """
    match = _SHAPE.fullmatch(value)
    if not match:
        raise BadParameter(param, f"{value[:40]!r} is not a date: use {DATE_FORMS}")
    year, month, day = match.groups()
    if month is not None and not 1 <= int(month) <= 12:
        raise BadParameter(param, f"{value!r} is not a date: there is no month {month}")
    if day is not None:
        try:
            date(int(year), int(month), int(day))
        except ValueError:
            raise BadParameter(param, f"{value!r} is not a date: {year}-{month} has no day {day}") from None
    return value
