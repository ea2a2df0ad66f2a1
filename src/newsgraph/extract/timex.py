"""Time expressions: find them in raw text and normalise them to TIMEX3 values.

A rule-based tagger in the style of HeidelTime (Strötgen & Gertz 2010): regular expressions
over the raw text find candidate expressions, the longest non-overlapping ones win, and each
is normalised to a TIMEX3 ``value`` against the document creation time (dct):

    >>> [t.value for t in timexes("The treaty was signed in June 2024.", "2025-03-21")]
    ['2024-06']
    >>> [(t.value, t.range_end) for t in timexes("He was minister until May.", "2025-03-21")]
    [('2024-05', '2024-05')]

Under-specified dates ("Friday", "May", "Nov. 15") take the occurrence before the dct unless
a future cue ("will", "next", "scheduled") stands nearer to them than a past cue, the
default for news, which mostly reports what happened. Without a dct, relative expressions
keep their unknown parts as ``X`` ("XXXX-05", "XXXX-WXX-3") and ``anchored`` is False.

Words (months, holidays, cue words, modifiers) live in ``data/timex/lexicon.toml``; the
grammar lives here. No spaCy: the tagger runs on any string, fast.

Conventions worth knowing:

* The preposition of an interval bound is not part of the span (TimeBank treats it as a
  signal), but it sets ``range_start`` ("since", "from", "after") or ``range_end`` ("until",
  "by", "before") to the expression's value, and ``mod`` to ``ON_OR_AFTER`` / ``ON_OR_BEFORE``
  (``AFTER`` / ``BEFORE`` for "after" / "before") unless a modifier word set one already.
  ``from X to Y`` gives both expressions both bounds.
* ``then`` is tagged only after such a preposition ("since then", "until then", "by then").
  Its value is the last fully dated expression earlier in the same text (so "until May ...
  since then" gives "2024-05"), or ``PAST_REF`` with ``anchored`` False when there is none;
  callers that know better can re-resolve it.
* Decades are ``"199"``, centuries ``"19"`` (TIMEX3 truncated years); quarters ``"2024-Q3"``,
  halves ``"2024-H1"``, seasons ``"2024-SU"``, weeks ``"2025-W12"`` (ISO 8601), weekends
  ``"2025-W12-WE"``, parts of day ``"2025-03-20TNI"``.
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any

from ..errors import LexiconError

LOGGER = logging.getLogger(__name__)

__all__ = ["Timex", "timexes", "normalise", "parse_dct", "precision_of"]

DATE, TIME, DURATION, SET = "DATE", "TIME", "DURATION", "SET"


@dataclass(frozen=True, slots=True)
class Timex:
    """One time expression with its TIMEX3 normalisation.

    Attributes:
        start: character offset of the expression in the text given.
        end: end offset (exclusive).
        text: the expression as written.
        type: ``DATE``, ``TIME``, ``DURATION`` or ``SET``.
        value: TIMEX3 value ("2024-06", "2024-SU", "P3Y", "PRESENT_REF", "XXXX-05", ...).
        precision: "day", "month", "year", "season", "week", "quarter", "half", "decade",
            "century" or "time" for dates and times; None for durations, sets and references.
        anchored: True when the value was resolved against the document creation time
            (or an earlier expression in the same text).
        mod: TIMEX3 mod ("START", "END", "MID", "APPROX", "MORE_THAN", "ON_OR_AFTER", ...).
        range_start: lower interval bound for "since X" / "from X" / "after X".
        range_end: upper interval bound for "until X" / "by X" / "before X".
    """

    start: int
    end: int
    text: str
    type: str
    value: str
    precision: str | None
    anchored: bool
    mod: str | None = None
    range_start: str | None = None
    range_end: str | None = None


# --------------------------------------------------------------------------- lexicon


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, Any]:
    """The packaged vocabulary (``data/timex/lexicon.toml``), read once per process."""
    source = resources.files("newsgraph").joinpath("data/timex/lexicon.toml")
    try:
        return tomllib.loads(source.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise LexiconError(f"E301: cannot read timex lexicon {source}: {e}. Reinstall newsgraph.") from e


def _alt(words: Any, *, sort: bool = True) -> str:
    """A regex alternation of literal words, longest first so the regex prefers them."""
    items = sorted(words, key=len, reverse=True) if sort else list(words)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in items)


@dataclass(frozen=True, slots=True)
class _Vocab:
    """Lexicon tables as Python lookups plus the regex fragments built from them."""

    months: dict[str, int]
    weekdays: dict[str, int]
    seasons: dict[str, str]
    parts: dict[str, str]
    clock: dict[str, str]
    units: dict[str, tuple[str, bool]]
    numbers: dict[str, int]
    ordinals: dict[str, int]
    vague: frozenset[str]
    holidays: dict[str, str]
    references: dict[str, str]
    modifiers: dict[str, str]
    suffix_mods: dict[str, str]
    range_start: frozenset[str]
    range_end: frozenset[str]
    future: frozenset[str]
    past: frozenset[str]
    participles: frozenset[str]


@lru_cache(maxsize=1)
def _vocab() -> _Vocab:
    lex = _lexicon()
    months = dict(lex["months"]) | dict(lex["month_abbreviations"])
    refs = {phrase: value for value, phrases in lex["references"].items() for phrase in phrases}
    return _Vocab(
        months=months,
        weekdays=dict(lex["weekdays"]),
        seasons=dict(lex["seasons"]),
        parts=dict(lex["parts_of_day"]),
        clock=dict(lex["clock_words"]),
        units={k: (v[0], bool(v[1])) for k, v in lex["units"].items()},
        numbers=dict(lex["numbers"]),
        ordinals=dict(lex["ordinals"]),
        vague=frozenset(lex["vague_quantities"]["words"]),
        holidays=dict(lex["holidays"]),
        references=refs,
        modifiers=dict(lex["modifiers"]),
        suffix_mods=dict(lex["modifiers_suffix"]),
        range_start=frozenset(lex["signals"]["range_start"]),
        range_end=frozenset(lex["signals"]["range_end"]),
        future=frozenset(lex["tense"]["future"]),
        past=frozenset(lex["tense"]["past"]),
        participles=frozenset(lex["tense"]["past_or_participle"]),
    )


# --------------------------------------------------------------------------- numbers


def _parse_number(phrase: str) -> float | None:
    """The value of a written quantity ("24", "twenty-four", "2 1/2", "a hundred"), or None if vague."""
    vocab = _vocab()
    words = phrase.lower().replace(",", "").replace("-", " ").split()
    if words in (["a", "couple", "of"], ["couple", "of"], ["a", "couple"]):
        return 2.0  # TimeBank reads "a couple of years" as P2Y, not as a vague number
    if not words or " ".join(words) in vocab.vague or words[0] in vocab.vague:
        return None
    total, current, fraction = 0.0, 0.0, 0.0
    for i, word in enumerate(words):
        if word in ("and", "of"):
            continue
        if word == "half":
            fraction = 0.5
        elif re.fullmatch(r"\d+/\d+", word):
            num, den = word.split("/")
            fraction = int(num) / int(den) if int(den) else 0.0
        elif re.fullmatch(r"\d+(?:\.\d+)?", word):
            current += float(word)
        elif word in ("hundred", "thousand"):
            current = max(current, 1.0) * vocab.numbers[word]
            if word == "thousand":
                total, current = total + current, 0.0
        elif word in vocab.numbers:
            # "a" / "an" before "half" means the half alone ("a half hour")
            if word in ("a", "an") and (
                (i + 1 < len(words) and words[i + 1] == "half") or (i > 0 and words[i - 1] == "half")
            ):
                continue
            current += vocab.numbers[word]
        else:
            return None
    value = total + current + fraction
    return value if value > 0 else None


def _number_regex() -> str:
    """A regex for a quantity, in digits or words (no capture groups)."""
    vocab = _vocab()
    small = [w for w, v in vocab.numbers.items() if 0 < v < 100 and w not in ("a", "an", "couple")]
    word_num = rf"(?:(?:{_alt(small)})(?:[\s-]+(?:{_alt(small)}))?)"
    big = rf"(?:(?:a|one|two|three|four|five|six|seven|eight|nine|ten|{word_num})\s+(?:hundred|thousand)(?:\s+(?:and\s+)?{word_num})?)"
    digits = r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s+\d/\d)?"
    vague = _alt(sorted(_vocab().vague, key=len, reverse=True))
    half = r"(?:\s+and\s+(?:a\s+)?half)?"
    return rf"(?:(?:{big}|{digits}|{word_num}|an?){half}|{vague}|a\s+half|half\s+an?)"


# --------------------------------------------------------------------------- dates


def parse_dct(dct: date | datetime | str | None) -> datetime | None:
    """Read a document creation time given as a date, a datetime or an ISO 8601 string.

    Args:
        dct: ``date``, ``datetime``, "2025-03-21", "2025-03-21T15:00", "20250321" or None.

    Returns:
        A naive datetime (midnight for plain dates), or None when ``dct`` is None or unreadable.
    """
    if dct is None:
        return None
    if isinstance(dct, datetime):
        return dct.replace(tzinfo=None)
    if isinstance(dct, date):
        return datetime(dct.year, dct.month, dct.day)
    text = str(dct).strip()
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    try:
        return datetime.fromisoformat(text.replace("Z", "")).replace(tzinfo=None)
    except ValueError:
        try:
            return datetime.fromisoformat(text[:10])
        except ValueError:
            LOGGER.warning("ignoring unreadable document date %r", dct)
            return None


_PRECISIONS = (
    (re.compile(r"^\d{4}-\d{2}-\d{2}T"), "time"),
    (re.compile(r"^[\dX]{4}-[\dX]{2}-[\dX]{2}$"), "day"),
    (re.compile(r"^[\dX]{4}-[\dX]{2}$"), "month"),
    (re.compile(r"^[\dX]{4}-W[\dX]{2}(?:-WE)?$"), "week"),
    (re.compile(r"^[\dX]{4}-WXX-\d$"), "day"),
    (re.compile(r"^[\dX]{4}-Q[\dX]$"), "quarter"),
    (re.compile(r"^[\dX]{4}-H[\dX]$"), "half"),
    (re.compile(r"^[\dX]{4}-(?:SP|SU|FA|WI)$"), "season"),
    (re.compile(r"^[\dX]{4}$"), "year"),
    (re.compile(r"^\d{3}$"), "decade"),
    (re.compile(r"^\d{2}$"), "century"),
    (re.compile(r"^[\dX]{4}-[\dX]{2}-[\dX]{2}T"), "time"),
)


def precision_of(value: str, type_: str = DATE) -> str | None:
    """The granularity of a TIMEX3 date or time value ("2024-06" -> "month"); None otherwise."""
    if type_ not in (DATE, TIME):
        return None
    for pattern, precision in _PRECISIONS:
        if pattern.match(value):
            return precision
    return None


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


def _iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _easter(year: int) -> date:
    """Western Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 - the algorithm's own name
    m = (a + 11 * h + 22 * l) // 451
    month = (h + l - 7 * m + 114) // 31
    return date(year, month, (h + l - 7 * m + 114) % 31 + 1)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th ISO weekday of a month (n = -1 for the last one)."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (n - 1))
    nxt = date(year + month // 12, month % 12 + 1, 1)
    last = nxt - timedelta(days=1)
    return last - timedelta(days=(last.isoweekday() - weekday) % 7)


def _holiday_date(rule: str, year: int) -> date | None:
    """The date of a holiday rule from the lexicon in a given year."""
    if re.fullmatch(r"\d\d-\d\d", rule):
        return date(year, int(rule[:2]), int(rule[3:]))
    if rule.startswith("nth-weekday:"):
        _, month, weekday, n = rule.split(":")
        return _nth_weekday(year, int(month), int(weekday), int(n))
    if rule.startswith("easter:"):
        return _easter(year) + timedelta(days=int(rule.split(":")[1]))
    if rule == "election":  # US: the Tuesday after the first Monday of November
        return _nth_weekday(year, 11, 1, 1) + timedelta(days=1)
    return None


# --------------------------------------------------------------------------- context


@dataclass(slots=True)
class _Context:
    """What normalisation may look at: the text, the dct and earlier expressions."""

    text: str
    dct: datetime | None
    last_date: str | None = None  # last fully dated DATE value (for "then", "that day", "a year earlier")
    last_quarter: str | None = None  # last quarter value ("1989-Q3"), for financial reports
    last_quarter_at: int = -(10**6)  # where it was written

    def tense(self, start: int, end: int) -> str:
        """'future' or 'past' for an under-specified date, from the nearest cue in its sentence."""
        return _tense(self.text, start, end)


_SENTENCE_END = re.compile(r"[.!?]\s+(?=[A-Z\"'`(])|\n\s*\n|[;:]\s")
# A full stop after an initial or a short abbreviation ("Daniel P. Davison", "Mr. Smith",
# "Feb. 1") does not end the sentence; cutting there hides the verb that sets the tense.
_ABBREVIATION_BEFORE = re.compile(
    r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Sen|Rep|Gov|Lt|Col|Sgt|Capt|Cmdr|Adm|Prof|Rev|Jr|Sr|Inc|Corp"
    r"|Co|Ltd|No|vs|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Mt|Ft|Calif|Fla|Mass|Wash))$"
)


def _sentence_ends(text: str, lo: int, hi: int) -> Iterator[re.Match[str]]:
    for m in _SENTENCE_END.finditer(text, lo, hi):
        if text[m.start()] == "." and _ABBREVIATION_BEFORE.search(text, max(0, m.start() - 6), m.start()):
            continue
        yield m


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = 0
    for m in _sentence_ends(text, max(0, start - 400), start):
        left = m.end()
    right_match = next(_sentence_ends(text, end, min(len(text), end + 400)), None)
    right = right_match.start() if right_match else min(len(text), end + 400)
    return left, right


@lru_cache(maxsize=1)
def _tense_regex() -> re.Pattern[str]:
    """One pass over cue words: a ``future`` group, else a ``past`` group (listed words, or "-ed")."""
    vocab = _vocab()
    return re.compile(
        rf"(?<![\w'])(?:(?P<future>{_alt(vocab.future)})|(?P<past>{_alt(vocab.past | vocab.participles)}|\w{{3,}}ed))(?![\w'])",
        re.I,
    )


# Words before an "-ed" form that make it an adjective ("a still unspecified date", "the
# embattled minister") or a participle whose auxiliary carries the tense ("will be named",
# "is heard"), so that the form itself says nothing about when anything happens.
_NOT_FINITE_BEFORE = frozenset({"a", "an", "the", "its", "his", "her", "their", "our", "my", "your",
                                "this", "that", "these", "those", "still", "newly", "so-called", "well",
                                "very", "be", "being", "get", "gets", "getting",
                                # a present auxiliary: "the case is heard in May" is not past
                                "is", "are", "am"})


def _is_cue(text: str, m: re.Match[str]) -> bool:
    word = m[0].lower()
    if m["future"]:
        # "next to the embassy" is a place
        return not (word == "next" and re.match(r"\s+to\b", text[m.end():m.end() + 4], re.I))
    if word in _vocab().past:
        return True
    before = re.search(r"([\w'-]+)\W*$", text[max(0, m.start() - 20):m.start()])
    if word not in _vocab().participles and (word.startswith("un") or word.endswith("eed")):
        return False  # "unspecified", "succeed", "indeed"
    return not (before and before.group(1).lower() in _NOT_FINITE_BEFORE)


def _tense(text: str, start: int, end: int) -> str:
    """The tense of the clause around ``text[start:end]``: a past verb right after the
    expression ("the ministry on Sunday issued …"), else the nearest cue before it, since
    the verb that governs a time adverbial mostly precedes it ("will meet on Thursday", "was
    signed in May"); for a fronted expression with no cue before it ("On Friday, the ministry
    said"), the nearest cue after it. A plan stated in the past tense ("had been due to
    expire", "was scheduled") looked forward from a past time, so it counts as past, unless
    the plan is still under way ("were planning a march on Monday"). Past is the default."""
    if _past_verb_follows(text, end):
        return "past"
    left, right = _sentence_bounds(text, start, end)
    if _new_end_point(text, left, start):
        return "future"
    before: str | None = None
    after: str | None = None
    previous: tuple[str, int] | None = None  # the last cue seen: (tense, where it ended)
    for m in _tense_regex().finditer(text, left, right):
        if start <= m.start() < end or start < m.end() <= end or not _is_cue(text, m):
            continue  # a cue inside the expression itself ("next", "last") is handled by its rule
        tense = "future" if m["future"] else "past"
        if tense == "future" and previous is not None and previous[0] == "past" and m.start() - previous[1] <= _AUX_GAP \
                and not m[0].lower().endswith("ing"):
            tense = "past"
        previous = (tense, m.end())
        if m.end() <= start:
            before = tense  # the last one before the expression is the nearest
        elif after is None:
            after = tense
    if before is not None:
        return before
    return after or "past"


# A verb that moves an end point ("extended the deadline until Tuesday", "postponed the vote
# to May", "extended loans through January") moves it past the time it is done at: the date
# after "until"/"through" is the next one, whatever the verb's tense.
_MOVED_END = re.compile(r"\b(?:extend|postpone|delay|defer|adjourn|suspend|prolong|push(?:ed)?\s+back|put\s+off)\w*\b", re.I)
_END_SIGNAL = re.compile(r"\b(?:until|till|through|to)\s+$", re.I)


def _new_end_point(text: str, left: int, start: int) -> bool:
    """Is the expression the new end point set by a verb like "extended" or "postponed"?"""
    return bool(_END_SIGNAL.search(text, max(left, start - 10), start)) and bool(_MOVED_END.search(text, left, start))


# How far (characters) a future word may follow a past auxiliary and still belong to it:
# "had been due" leaves " been " between the two cues.
_AUX_GAP = 8
# Cue words that are adverbs, not verbs: after an expression they do not govern it.
_PAST_ADVERBS = frozenset({"last", "earlier", "since", "ago"})


def _past_verb_follows(text: str, end: int) -> bool:
    """Whether the word right after the expression is a finite past verb ("on Sunday issued")."""
    if end + 1 >= len(text) or text[end] != " ":
        return False
    m = _tense_regex().match(text, end + 1)
    return bool(m and m["past"] and m[0].lower() not in _PAST_ADVERBS and _is_cue(text, m))


# --------------------------------------------------------------------------- results of rules


@dataclass(frozen=True, slots=True)
class _Norm:
    """What a rule returns for one match."""

    type: str
    value: str
    anchored: bool = False
    mod: str | None = None
    remember: bool = True  # may later anaphora ("that year", "the quarter") refer to it?


Handler = Callable[[re.Match[str], _Context], _Norm | None]


@dataclass(frozen=True, slots=True)
class _Rule:
    name: str
    pattern: re.Pattern[str]
    handler: Handler
    # a cheap pattern the text must contain for the rule to match at all; most rules have no
    # literal start, so scanning the text with each costs more than one probe
    probe: re.Pattern[str] | None = None


def _group(m: re.Match[str], name: str) -> str | None:
    value = m.groupdict().get(name)
    return value.lower() if value else None


def _month_of(word: str) -> int:
    return _vocab().months[word.lower().rstrip(".")]


def _year_of(text: str) -> int:
    """A year as written: "1998", "'98", "nineteen ninety-eight", "two thousand"."""
    text = text.strip().lstrip("'’")
    if text.isdigit():
        year = int(text)
        return year + (1900 if year >= 30 else 2000) if len(text) == 2 else year
    words = text.lower().replace("-", " ").split()
    if words and words[0] in ("nineteen", "eighteen", "twenty") and len(words) > 1 and words[1] != "hundred":
        head = _vocab().numbers[words[0]]
        tail = _parse_number(" ".join(words[1:])) or 0
        return int(head * 100 + tail)
    return int(_parse_number(text) or 0)


def _day_of(text: str) -> int:
    word = text.lower().rstrip(".")
    digits = re.match(r"\d+", word)
    if digits:
        return int(digits.group())
    ordinals = _vocab().ordinals
    parts = word.replace("-", " ").split()
    if len(parts) == 2:  # "twenty-first"
        return _vocab().numbers.get(parts[0], 0) + ordinals.get(parts[1], 0)
    return ordinals.get(word, 0)


_NEAR_MONTHS = 2
_NEAR_MONTHS_BARE = 1


def _pick_year(ctx: _Context, month: int, day: int | None, start: int, end: int) -> int | None:
    """The year of a month (and day) written without one.

    The dct's year when the month is the dct's or near it (two months for a dated day, one
    for a bare month); otherwise, unless the month lies after the dct's month in a past-tense sentence
    (then the year before) or before it in a future-tense one (then the year after), as
    HeidelTime does for news. ``day`` is accepted for symmetry; only months are compared.
    """
    if ctx.dct is None:
        return None
    dct = ctx.dct
    near = _NEAR_MONTHS if day else _NEAR_MONTHS_BARE
    ahead = (month - dct.month) % 12  # months from the dct's month forward to this month
    if month == dct.month or (ahead <= near and month > dct.month) or (12 - ahead <= near and month < dct.month):
        return dct.year  # a dated day a month or two away is this year's, whatever the tense
    future = ctx.tense(start, end) == "future"
    if future:
        return dct.year if month > dct.month else dct.year + 1
    return dct.year if month < dct.month else dct.year - 1


def _pick_weekday(ctx: _Context, weekday: int, start: int, end: int, relation: str | None) -> date | None:
    """The date of a weekday near the dct: "last"/"next"/"this" or by tense."""
    if ctx.dct is None:
        return None
    dct = ctx.dct.date()
    delta = (weekday - dct.isoweekday()) % 7  # days forward to the next such weekday (0 = today)
    if relation in ("next", "coming", "this coming", "following"):
        return dct + timedelta(days=delta or 7)
    if relation in ("last", "previous", "this past", "past"):
        return dct - timedelta(days=(7 - delta) % 7 or 7)
    if delta == 0:
        return dct
    if ctx.tense(start, end) == "future":
        return dct + timedelta(days=delta)
    return dct - timedelta(days=7 - delta)


# --------------------------------------------------------------------------- the rules' regexes


@lru_cache(maxsize=1)
def _fragments() -> dict[str, str]:
    vocab = _vocab()
    full_months = [m for m in _lexicon()["months"]]
    abbrevs = list(_lexicon()["month_abbreviations"])
    cap = lambda words: "|".join(w.capitalize() for w in sorted(words, key=len, reverse=True))  # noqa: E731
    upper = lambda words: "|".join(w.upper() for w in sorted(words, key=len, reverse=True))  # noqa: E731
    # Month names only when capitalised: "May" the month, not "may" the modal.
    month = rf"(?-i:(?:{cap(full_months)}|{upper(full_months)})\b|(?:{cap(abbrevs)}|{upper(abbrevs)})(?:\.|\b(?=\s+\d)))"
    ordinal_words = _alt(vocab.ordinals)
    day = rf"(?:(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d|:\d)|(?:twenty|thirty)[\s-](?:{ordinal_words})|{ordinal_words})"
    year4 = r"(?:1[0-9]\d\d|20\d\d)(?![\d%])"
    spelled_year = r"(?:nineteen|eighteen)[\s-]+(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-]+(?:one|two|three|four|five|six|seven|eight|nine))?|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|hundred)|two[\s-]+thousand(?:[\s-]+(?:and[\s-]+)?(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty(?:[\s-]+\w+)?))?"
    weekday = rf"(?:{_alt(vocab.weekdays)})"
    units = _alt(list(vocab.units) + ["centuries", "millennia"])
    return {
        "month": month,
        "day": day,
        "year": year4,
        "spelled_year": spelled_year,
        "weekday": weekday,
        "season": _alt(vocab.seasons),
        "part": _alt(vocab.parts),
        "clock": _alt(vocab.clock),
        "unit": rf"(?:{units})",
        "number": _number_regex(),
        "holiday": _alt(vocab.holidays),
        "ordinal_q": r"(?:first|second|third|fourth|1st|2nd|3rd|4th)",
    }


# --------------------------------------------------------------------------- handlers


def _h_iso(m: re.Match[str], ctx: _Context) -> _Norm | None:
    year, month, day = int(m["y"]), int(m["mo"]), int(m["d"])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    if m["hh"]:
        return _Norm(TIME, f"{year:04d}-{month:02d}-{day:02d}T{int(m['hh']):02d}:{m['mm']}")
    return _Norm(DATE, f"{year:04d}-{month:02d}-{day:02d}")


def _h_slash(m: re.Match[str], ctx: _Context) -> _Norm | None:
    a, b, year = int(m["a"]), int(m["b"]), _year_of(m["y"])
    month, day = (a, b) if a <= 12 else (b, a)  # US order unless impossible
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return _Norm(DATE, f"{year:04d}-{month:02d}-{day:02d}")


def _h_month_day(m: re.Match[str], ctx: _Context) -> _Norm | None:
    norm = _month_day(m, ctx)
    if norm is not None and m.groupdict().get("weekof") and re.fullmatch(r"\d{4}-\d\d-\d\d", norm.value):
        # "the week of March 6": the ISO week holding that day
        return _Norm(DATE, _iso_week(date.fromisoformat(norm.value)), anchored=norm.anchored)
    return norm


def _month_day(m: re.Match[str], ctx: _Context) -> _Norm | None:
    month, day = _month_of(m["month"]), _day_of(m["day"])
    if not 1 <= day <= 31:
        return None
    if m["year"]:
        return _Norm(DATE, f"{_year_of(m['year']):04d}-{month:02d}-{day:02d}")
    if m.groupdict().get("yrel") and ctx.dct is not None:  # "September 13 last year"
        said = ctx.dct.year + {"this": 0, "last": -1, "next": 1}[m["yrel"].lower()]
        return _Norm(DATE, f"{said:04d}-{month:02d}-{day:02d}", anchored=True)
    year = _pick_year(ctx, month, day, m.start(), m.end())
    weekday = re.match(rf"(?i){_fragments()['weekday']}", m[0])
    if year is not None and weekday:
        year = _year_for_weekday(year, month, day, _vocab().weekdays[weekday[0].lower()])
    if year is None:
        return _Norm(DATE, f"XXXX-{month:02d}-{day:02d}")
    return _Norm(DATE, f"{year:04d}-{month:02d}-{day:02d}", anchored=True)


def _h_day_conjunct(m: re.Match[str], ctx: _Context) -> _Norm | None:
    """ "on April 24 and 25": the second day of a pair shares the month (and year) of the first."""
    if not _DAY_PAIR_BEFORE.search(m.string, max(0, m.start() - 30), m.start()):
        return None
    if not ctx.last_date or not re.fullmatch(r"\d{4}-\d\d-\d\d", ctx.last_date):
        return None
    day = int(m["day"])
    first = int(ctx.last_date[8:])
    if not first < day <= 31:
        return None  # a pair of days runs forward ("24 and 25"); anything else is a count
    return _Norm(DATE, f"{ctx.last_date[:8]}{day:02d}", anchored=True, remember=False)


def _year_for_weekday(year: int, month: int, day: int, weekday: int) -> int:
    """The year nearest ``year`` in which month/day falls on ``weekday`` ("Saturday, April 25")."""
    for candidate in (year, year - 1, year + 1):
        try:
            if date(candidate, month, day).isoweekday() == weekday:
                return candidate
        except ValueError:
            continue
    return year


def _h_month_year(m: re.Match[str], ctx: _Context) -> _Norm | None:
    month = _month_of(m["month"])
    if m["year"]:
        return _Norm(DATE, f"{_year_of(m['year']):04d}-{month:02d}")
    rel = _group(m, "rel")
    if rel and ctx.dct is not None:
        offset = {"this": 0, "last": -1, "next": 1}[rel]
        return _Norm(DATE, f"{ctx.dct.year + offset:04d}-{month:02d}", anchored=True)
    return _h_month(m, ctx)


def _h_month(m: re.Match[str], ctx: _Context) -> _Norm | None:
    month = _month_of(m["month"])
    rel = _group(m, "rel")
    if rel in ("every", "each"):  # "each July": a set of months
        return _Norm(SET, f"XXXX-{month:02d}")
    if ctx.dct is None:
        return _Norm(DATE, f"XXXX-{month:02d}")
    dct = ctx.dct
    year: int | None
    if rel in ("last", "this past", "past", "previous"):
        year = dct.year if month < dct.month else dct.year - 1
    elif rel in ("next", "this coming", "coming"):
        year = dct.year if month > dct.month else dct.year + 1
    elif rel == "this":
        year = dct.year
    else:
        year = _pick_year(ctx, month, None, m.start(), m.end())
    if year is None:
        return None
    return _Norm(DATE, f"{year:04d}-{month:02d}", anchored=True)


# A year right after a capitalised word inside a sentence is part of a name ("a venture
# called Orion 1980", "the Expo 2000 fair"), unless that word can introduce a date.
_NAME_BEFORE_YEAR = re.compile(r"(?<=[a-z,;]\s)(?-i:(?P<word>[A-Z][a-z]+))\s+$")
_DATE_INTRODUCERS = frozenset({
    "in", "since", "by", "until", "till", "before", "after", "during", "from", "of", "through", "and",
    "or", "on", "at", "for", "to", "fiscal", "calendar", "year", "early", "late", "mid", "end", "the",
    "spring", "summer", "fall", "autumn", "winter", "christmas", "easter", "january", "february",
    "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"})


def _h_year(m: re.Match[str], ctx: _Context) -> _Norm | None:
    year = _year_of(m["year"])
    if not 1000 <= year <= 2199:
        return None
    name = _NAME_BEFORE_YEAR.search(m.string, max(0, m.start() - 25), m.start())
    if name and name["word"].lower() not in _DATE_INTRODUCERS:
        return None
    return _Norm(DATE, f"{year:04d}")


def _h_fiscal_year(m: re.Match[str], ctx: _Context) -> _Norm | None:
    return _Norm(DATE, f"{_year_of(m['year']):04d}")


def _h_decade(m: re.Match[str], ctx: _Context) -> _Norm | None:
    if m["words"]:
        tens = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6,
                "seventies": 7, "eighties": 8, "nineties": 9}[m["words"].lower()]
        century = 19
        if ctx.dct is not None and tens * 10 > ctx.dct.year % 100 and ctx.dct.year >= 2000:
            century = ctx.dct.year // 100 - 1
        return _Norm(DATE, f"{century}{tens}")
    digits = m["digits"] or m["digits2"]
    if len(digits) == 2:
        return _Norm(DATE, ("19" if int(digits) >= 30 else "20") + digits[0])
    return _Norm(DATE, digits[:3])


def _h_century(m: re.Match[str], ctx: _Context) -> _Norm | None:
    if m["rel"]:
        if ctx.dct is None:
            return None
        return _Norm(DATE, f"{ctx.dct.year // 100:02d}", anchored=True)
    number = _day_of(m["nth"])
    if not 1 <= number <= 30:
        return None
    return _Norm(DATE, f"{number - 1:02d}")


def _h_day_word(m: re.Match[str], ctx: _Context) -> _Norm | None:
    word = re.sub(r"\s+", " ", m["word"].lower())
    offsets = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1, "the day before yesterday": -2,
               "the day after tomorrow": 2, "last night": -1, "overnight": 0}
    offset = offsets[word]
    part = _group(m, "part") or ("night" if word in ("tonight", "last night", "overnight") else None)
    return _dated(ctx, offset, part, word)


def _dated(ctx: _Context, offset: int, part: str | None, word: str = "") -> _Norm:
    """A date ``offset`` days from the dct, with a TIMEX3 part of day when one is named."""
    code = _vocab().parts.get(part or "")
    if ctx.dct is None:
        return _Norm(TIME if code else DATE, "XXXX-XX-XX" + (f"T{code}" if code else ""))
    day = (ctx.dct + timedelta(days=offset)).date().isoformat()
    if word == "overnight" and ctx.dct is not None:
        day = (ctx.dct - timedelta(days=1)).date().isoformat()
    if code:
        return _Norm(TIME, f"{day}T{code}", anchored=True)
    return _Norm(DATE, day, anchored=True)


_ANAPHORIC_OFFSETS = {"the following": 1, "the next": 1, "after": 1, "the previous": -1,
                      "the preceding": -1, "before": -1, "that": 0, "that same": 0, "the same": 0}


def _h_anaphoric_day(m: re.Match[str], ctx: _Context) -> _Norm | None:
    """ "the following day", "the day before", "that morning": a day counted from the last
    day the text named ("They met on March 3. The following day …"), not from the dct."""
    key = re.sub(r"\s+", " ", (_group(m, "rel") or _group(m, "dir") or ""))
    part = _group(m, "part")
    code = _vocab().parts.get(part or "")
    if not ctx.last_date or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", ctx.last_date):
        return None  # "trades made that day": with no day named before, a generic day
    day = (date.fromisoformat(ctx.last_date) + timedelta(days=_ANAPHORIC_OFFSETS[key])).isoformat()
    if code:
        return _Norm(TIME, f"{day}T{code}", anchored=True, remember=False)
    return _Norm(DATE, day, anchored=True)


def _h_this_part(m: re.Match[str], ctx: _Context) -> _Norm | None:
    return _dated(ctx, 0, m["part"].lower())


_PART_MODS = {"early": "START", "mid": "MID", "late": "END"}


def _h_part_alone(m: re.Match[str], ctx: _Context) -> _Norm | None:
    """ "by mid afternoon", "in late evening": a part of the day the report is about, the dct's."""
    norm = _dated(ctx, 0, m["part"].lower())
    return replace(norm, mod=_PART_MODS[m["pmod"].lower()])


def _h_weekday(m: re.Match[str], ctx: _Context) -> _Norm | None:
    weekday = _vocab().weekdays[m["weekday"].lower()]
    rel = re.sub(r"\s+", " ", _group(m, "rel") or "") or None
    part = _group(m, "part")
    code = _vocab().parts.get(part or "")
    if m["plural"] or m["parts"] or rel in ("every", "each"):  # "Tuesdays", "Tuesday nights"
        return _Norm(SET, f"XXXX-WXX-{weekday}" + (f"T{code}" if code else ""))
    day = _pick_weekday(ctx, weekday, m.start(), m.end(), rel)
    if day is None:
        return _Norm(TIME if code else DATE, f"XXXX-WXX-{weekday}" + (f"T{code}" if code else ""))
    if code:
        return _Norm(TIME, f"{day.isoformat()}T{code}", anchored=True)
    return _Norm(DATE, day.isoformat(), anchored=True)


_REL_OFFSET = {"last": -1, "past": -1, "previous": -1, "this past": -1, "the past": -1, "the last": -1,
               "the previous": -1, "next": 1, "the next": 1, "coming": 1, "the coming": 1,
               "this coming": 1, "the following": 1, "following": 1, "this": 0, "the current": 0,
               "current": 0, "the": 0, "the same": 0, "that": 0, "the latest": -1, "latest": -1,
               "the present": 0, "the full": 0, "the whole": 0, "the entire": 0, "the fiscal": 0,
               "the calendar": 0}


# "the year ended June 30", "the fiscal year ending in March": a twelve-month period named by
# its last day, which TimeML marks as a duration.
_ENDED = re.compile(r"\s+end(?:ed|ing)\b", re.I)


def _h_relative_unit(m: re.Match[str], ctx: _Context) -> _Norm | None:
    rel = re.sub(r"\s+", " ", m["rel"].lower())
    unit = re.sub(r"\s+", " ", m["unit"].lower())
    if unit in ("year", "fiscal year") and rel in ("the", "the fiscal") and _ENDED.match(m.string, m.end()):
        return _Norm(DURATION, "P1Y")
    if unit == "weekend" and rel in ("the", "this"):
        return _weekend(ctx, m.start(), m.end())
    offset = _REL_OFFSET[rel]
    anaphoric = rel in ("the following", "following", "the previous", "that", "the same")
    anchor = _anchor_date(ctx, anaphoric)
    if anchor is None:
        return _Norm(DATE, {"week": "XXXX-WXX", "weekend": "XXXX-WXX-WE", "month": "XXXX-XX",
                            "quarter": "XXXX-QX", "decade": "XXX", "century": "XX"}.get(unit, "XXXX"))
    return _shifted(anchor, unit, offset, rel)


def _weekend(ctx: _Context, start: int, end: int) -> _Norm:
    """ "over the weekend": the one just past in a past-tense sentence, else the coming one.

    An ISO week ends with its weekend, so from a weekday the past weekend is last week's.
    """
    if ctx.dct is None:
        return _Norm(DATE, "XXXX-WXX-WE")
    dct = ctx.dct.date()
    weekday = dct.isoweekday() <= 5
    back = weekday and ctx.tense(start, end) == "past"
    return _Norm(DATE, _iso_week(dct - timedelta(weeks=1 if back else 0)) + "-WE", anchored=True)


def _anchor_date(ctx: _Context, anaphoric: bool) -> date | None:
    """The date relative expressions count from: the dct, or for "that"/"the following" the last date."""
    if anaphoric and ctx.last_date and re.match(r"\d{4}-\d{2}-\d{2}", ctx.last_date):
        return date.fromisoformat(ctx.last_date[:10])
    if anaphoric and ctx.last_date and re.fullmatch(r"\d{4}(?:-\d{2})?", ctx.last_date):
        parts = ctx.last_date.split("-")
        return date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 7, 1)
    return ctx.dct.date() if ctx.dct is not None else None


def _shifted(anchor: date, unit: str, offset: int, rel: str = "") -> _Norm:
    """The calendar unit containing ``anchor``, moved ``offset`` units."""
    if unit == "year" or unit == "fiscal year":
        return _Norm(DATE, f"{anchor.year + offset:04d}", anchored=True)
    if unit == "month":
        year, month = _add_months(anchor.year, anchor.month, offset)
        return _Norm(DATE, f"{year:04d}-{month:02d}", anchored=True)
    if unit in ("week", "weekend"):
        week = _iso_week(anchor + timedelta(weeks=offset))
        return _Norm(DATE, week + ("-WE" if unit == "weekend" else ""), anchored=True)
    if unit == "quarter":
        index = anchor.year * 4 + (anchor.month - 1) // 3 + offset
        return _Norm(DATE, f"{index // 4:04d}-Q{index % 4 + 1}", anchored=True)
    if unit == "decade":
        return _Norm(DATE, f"{anchor.year // 10 + offset:03d}", anchored=True)
    if unit == "century":
        return _Norm(DATE, f"{anchor.year // 100 + offset:02d}", anchored=True)
    if unit == "day":
        return _Norm(DATE, (anchor + timedelta(days=offset)).isoformat(), anchored=True)
    season = _vocab().seasons.get(unit)
    if season:
        return _season(anchor, season, offset, rel)
    return _Norm(DATE, f"{anchor.year + offset:04d}", anchored=True)


def _season(anchor: date, code: str, offset: int, rel: str) -> _Norm:
    # "last summer" means the summer of last year in news usage (TimeBank: "last spring" in
    # October 1989 is 1988-SP); "this past summer" is the most recent one.
    year = anchor.year + offset
    if rel == "this past":
        starts = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
        year = anchor.year if anchor.month >= starts[code] + 3 else anchor.year - 1
    return _Norm(DATE, f"{year:04d}-{code}", anchored=True)


def _h_season(m: re.Match[str], ctx: _Context) -> _Norm | None:
    code = _vocab().seasons[m["season"].lower()]
    if m["season"].lower() == "fall" and not m["year"] and (_group(m, "rel") or "the") == "the":
        return None  # "the fall in prices": only "last fall", "this fall", "fall 1990" are seasons
    if m["year"]:
        return _Norm(DATE, f"{_year_of(m['year']):04d}-{code}")
    rel = re.sub(r"\s+", " ", _group(m, "rel") or "")
    if ctx.dct is None:
        return _Norm(DATE, f"XXXX-{code}")
    return _season(ctx.dct.date(), code, _REL_OFFSET.get(rel, 0), rel)


_UNIT_ALIASES = {"centuries": "century", "millennia": "millennium"}


def _unit_name(word: str) -> str:
    word = word.lower()
    if word in _UNIT_ALIASES:
        return _UNIT_ALIASES[word]
    return word[:-1] if word.endswith("s") and word[:-1] in _vocab().units else word


def _duration_value(amount: float | None, unit: str) -> str:
    """A TIMEX3 duration: (3, "year") -> "P3Y", (48, "hour") -> "PT48H", (None, "day") -> "PXD"."""
    designator, timed = _vocab().units[unit]
    prefix = "PT" if timed else "P"
    if amount is None:
        vague = {"decade": "E", "century": "C", "millennium": "ML"}.get(unit, designator.lstrip("0123456789"))
        return f"{prefix}X{vague}"
    multiplier = re.match(r"\d+", designator)
    letter = designator.lstrip("0123456789")
    if multiplier:
        amount *= int(multiplier.group())
    if amount == int(amount):
        return f"{prefix}{int(amount)}{letter}"
    return _fractional_duration(amount, unit, prefix, letter)


_LOWER_UNIT = {"year": (12, "M", "P"), "month": (30, "D", "P"), "week": (7, "D", "P"),
               "day": (24, "H", "PT"), "hour": (60, "M", "PT"), "minute": (60, "S", "PT")}


def _fractional_duration(amount: float, unit: str, prefix: str, letter: str) -> str:
    whole, rest = int(amount), amount - int(amount)
    if unit not in _LOWER_UNIT:
        return f"{prefix}{amount:g}{letter}"
    factor, lower, lower_prefix = _LOWER_UNIT[unit]
    parts = f"{whole}{letter}" if whole else ""
    lower_amount = round(rest * factor)
    if prefix == "P" and lower_prefix == "PT":
        return f"P{parts}T{lower_amount}{lower}"
    return f"{prefix}{parts}{lower_amount}{lower}"


# A quantity a word or two before "a year" / "a week" makes the phrase a rate ("$1.76 a
# year", "four flights a week", "24 hours a day"), which TimeML does not mark as a duration.
_RATE_BEFORE = re.compile(
    r"(?:[$£€]\s?\d[\d,.]*|\b\d[\d,.]*%?|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|twenty|thirty|forty|fifty|hundred|dozen))(?:\s+(?:million|billion|thousand|hundred))?"
    r"(?:\s+(?!(?:in|within|for|over|of|after|before|than|about|nearly|almost|from|by)\b)[A-Za-z][\w'’-]*){0,2}\s+$"
)


# Plural "quarters" with no number is a span of time only beside a word that counts or
# places it in time ("several quarters", "recent quarters").
_TIME_OF_QUARTERS = re.compile(
    r"\b(?:several|few|consecutive|straight|successive|past|last|next|coming|recent|previous|following|ensuing)\s+quarters\b",
    re.I)


def _h_duration(m: re.Match[str], ctx: _Context) -> _Norm | None:
    unit = _unit_name(m["unit"])
    if unit not in _vocab().units:
        return None
    if re.fullmatch(r"(?:1\d|20)\d\d", m["num"] or "") and unit in ("quarter", "year"):
        return _year_unit(int(m["num"]), unit, ctx)  # "the 1988 quarter": a date, not 1988 quarters
    amount = _parse_number(m["num"]) if m["num"] else None
    if not m["num"] and not m["unit"].lower().endswith(("s", "ia")):
        amount = 1.0
    if unit == "second" and (m["num"] or "").lower() in ("a", "an", "one"):
        return None  # "a second term", "one second-quarter ..."
    if (m["num"] or "").lower() in ("a", "an") and _RATE_BEFORE.search(m.string, max(0, m.start() - 40), m.start()):
        return None  # "$2 million a year", "four flights a week": a rate, not a stretch of time
    if unit == "quarter" and amount is None:
        if not _TIME_OF_QUARTERS.search(m.string, max(0, m.start() - 12), m.end()):
            return None  # "in some quarters", "living quarters": places and circles, not periods
    elif unit == "quarter" and m.string[m.end():m.end() + 3].lower() == " of":
        return None  # "three quarters of the vote"
    if amount is not None and m.groupdict().get("half"):
        amount += 0.5
    return _Norm(DURATION, _duration_value(amount, unit))


def _year_unit(year: int, unit: str, ctx: _Context) -> _Norm:
    """ "the 1988 quarter": the quarter under discussion (the last one named), in that year."""
    if unit == "year":
        return _Norm(DATE, f"{year:04d}")
    quarter = ctx.last_quarter.split("-Q")[1] if ctx.last_quarter else "X"
    return _Norm(DATE, f"{year:04d}-Q{quarter}", anchored=ctx.last_quarter is not None, remember=False)


def _h_ago(m: re.Match[str], ctx: _Context) -> _Norm | None:
    unit = _unit_name(m["unit"])
    amount = _parse_number(m["num"]) if m["num"] else 1.0
    direction = m["dir"].lower()
    sign = -1 if direction in ("ago", "earlier", "back") else 1
    if amount is None:
        return _Norm(DATE, "PAST_REF" if sign < 0 else "FUTURE_REF", anchored=ctx.dct is not None)
    anaphoric = direction in ("earlier", "later")
    anchor = _anchor_date(ctx, anaphoric)
    if unit == "year" and amount == 1 and sign < 0 and _quarter_nearby(ctx, m.start()):
        # "up from $2 a share a year ago" in a quarterly report: the same quarter last year
        year, quarter = ctx.last_quarter.split("-Q")  # type: ignore[union-attr]
        return _Norm(DATE, f"{int(year) - 1:04d}-Q{quarter}", anchored=True, remember=False)
    if anchor is None or amount != int(amount):
        return _Norm(DATE, "PAST_REF" if sign < 0 else "FUTURE_REF")
    return _moved(anchor, unit, sign * int(amount), ctx)


def _quarter_nearby(ctx: _Context, at: int, window: int = 1500) -> bool:
    """Was a quarter named shortly before ``at``? Then "a year ago" means that quarter a year earlier."""
    return ctx.last_quarter is not None and 0 <= at - ctx.last_quarter_at <= window


def _h_year_ago_adjective(m: re.Match[str], ctx: _Context) -> _Norm | None:
    """ "the year-earlier period", "year-ago": the quarter (or year) being compared, a year before."""
    if ctx.dct is None:
        return _Norm(DATE, "XXXX")
    if _quarter_nearby(ctx, m.start()):
        year, quarter = ctx.last_quarter.split("-Q")  # type: ignore[union-attr]
        return _Norm(DATE, f"{int(year) - 1:04d}-Q{quarter}", anchored=True, remember=False)
    return _Norm(DATE, f"{ctx.dct.year - 1:04d}", anchored=True, remember=False)


def _h_year_end(m: re.Match[str], ctx: _Context) -> _Norm | None:
    if ctx.dct is None:
        return _Norm(DATE, "XXXX", mod="END")
    return _Norm(DATE, f"{ctx.dct.year:04d}", anchored=True, mod="END")


def _moved(anchor: date, unit: str, n: int, ctx: _Context) -> _Norm:
    """The date ``n`` units from ``anchor``, at the unit's granularity; a shift past the
    calendar's range ("500,000 weeks ago") is only the past or the future."""
    try:
        return _moved_within_calendar(anchor, unit, n, ctx)
    except OverflowError:
        return _Norm(DATE, "PAST_REF" if n < 0 else "FUTURE_REF")


def _moved_within_calendar(anchor: date, unit: str, n: int, ctx: _Context) -> _Norm:
    if unit in ("day", "night"):
        return _Norm(DATE, (anchor + timedelta(days=n)).isoformat(), anchored=True)
    if unit in ("hour", "minute", "second"):
        if ctx.dct is None:
            return _Norm(TIME, "PAST_REF")
        moved = ctx.dct + timedelta(**{unit + "s": n})
        return _Norm(TIME, moved.strftime("%Y-%m-%dT%H:%M"), anchored=True)
    if unit == "fortnight":
        return _moved_within_calendar(anchor, "week", 2 * n, ctx)
    if unit == "decade":
        return _Norm(DATE, f"{anchor.year + 10 * n:04d}", anchored=True)
    if unit == "century":
        return _Norm(DATE, f"{anchor.year + 100 * n:04d}", anchored=True)
    if unit == "quarter":
        return _shifted(anchor, "quarter", n)
    return _shifted(anchor, unit, n)


def _h_set(m: re.Match[str], ctx: _Context) -> _Norm | None:
    word = m["word"].lower()
    adverbs = {"daily": "P1D", "nightly": "P1D", "weekly": "P1W", "monthly": "P1M", "yearly": "P1Y",
               "annually": "P1Y", "hourly": "PT1H", "quarterly": "P3M", "biweekly": "P2W",
               "biannually": "P6M", "semiannually": "P6M", "twice-yearly": "P6M"}
    if word in adverbs:
        return _Norm(SET, adverbs[word])
    unit = _unit_name(re.split(r"\s+", word)[-1])
    if unit in _vocab().units:
        amount = _parse_number(m["num"]) if m["num"] else 1.0
        return _Norm(SET, _duration_value(amount, unit))
    return None


# "Now," opening a sentence and "Now for ..." turn to a new point (a discourse marker, as
# in "Now, let me ask you"); they do not name the present moment.
_NOW_MARKER = re.compile(r"(?:^|[.!?:;\n]\s*[\"'“‘`]*\s*|[\"“`]\s*)$")
_NOW_AFTER_MARKER = re.compile(r"\s*,|\s+for\b", re.I)


def _is_discourse_now(text: str, start: int, end: int) -> bool:
    return bool(_NOW_MARKER.search(text, max(0, start - 6), start) and _NOW_AFTER_MARKER.match(text, end))


def _h_reference(m: re.Match[str], ctx: _Context) -> _Norm | None:
    phrase = re.sub(r"\s+", " ", m[0].lower())
    if phrase == "now" and _is_discourse_now(m.string, m.start(), m.end()):
        return None
    value = _vocab().references.get(phrase)
    return _Norm(DATE, value) if value else None


_DAY_PAIR_BEFORE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s*\d{1,2}(?:st|nd|rd|th)?\s+(?:and|or)\s+$", re.I)
_MODALS = ("will", "would", "could", "might", "may", "can", "shall", "should", "must")


def _h_a_while(m: re.Match[str], ctx: _Context) -> _Norm | None:
    return _Norm(DURATION, "PXX")


def _h_someday(m: re.Match[str], ctx: _Context) -> _Norm | None:
    """ "will one day lead", "someday": an unnamed day in the future, not a day-long stretch."""
    return _Norm(DATE, "FUTURE_REF", anchored=ctx.dct is not None)


def _h_then(m: re.Match[str], ctx: _Context) -> _Norm | None:
    if ctx.last_date:
        return _Norm(DATE, ctx.last_date, anchored=True)
    return _Norm(DATE, "PAST_REF")


def _h_quarter(m: re.Match[str], ctx: _Context) -> _Norm | None:
    words = m["nth"].lower()
    number = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}[words]
    kind = "H" if m["kind"].lower().startswith("half") else "Q"
    if kind == "H" and number > 2:
        return None
    if m["plural"]:
        return _Norm(SET, f"XXXX-{kind}{number}")
    year = _quarter_year(m, ctx, kind, number)
    if year is None:
        return _Norm(DATE, f"XXXX-{kind}{number}")
    rel = _group(m, "rel") or _group(m, "rel2") or ""
    return _Norm(DATE, f"{year:04d}-{kind}{number}", anchored=not (m["year"] or m["year2"]),
                 remember="year-" not in rel)


def _h_half_of_year(m: re.Match[str], ctx: _Context) -> _Norm | None:
    """ "the last half of 1989", "the first two quarters of 1990": a half of a named year."""
    half = 1 if m["which"].lower() == "first" else 2
    return _Norm(DATE, f"{_year_of(m['year']):04d}-H{half}")


def _quarter_year(m: re.Match[str], ctx: _Context, kind: str, number: int) -> int | None:
    explicit = m["year"] or m["year2"]
    if explicit:
        return _year_of(explicit)
    rel = re.sub(r"\s+", " ", (_group(m, "rel") or _group(m, "rel2") or ""))
    if ctx.dct is None:
        return None
    if rel:
        return ctx.dct.year + {"this": 0, "next": 1, "last": -1, "year-ago": -1, "year-earlier": -1,
                               "the year-ago": -1, "the year-earlier": -1}.get(rel.replace("'s", ""), 0)
    current = (ctx.dct.month - 1) // 3 + 1 if kind == "Q" else (ctx.dct.month - 1) // 6 + 1
    if number > current and ctx.tense(m.start(), m.end()) == "past":
        return ctx.dct.year - 1
    return ctx.dct.year


def _h_bare_quarter(m: re.Match[str], ctx: _Context) -> _Norm | None:
    if m["latest"]:
        # "sales in the latest period": in a quarterly report, the quarter it reports on
        if ctx.last_quarter is None:
            return None
        return _Norm(DATE, ctx.last_quarter, anchored=True)
    rel = re.sub(r"\s+", " ", m["rel"].lower())
    if ctx.dct is None:
        return _Norm(DATE, "XXXX-QX")
    dct = ctx.dct.date()
    if rel in ("this", "the current", "the present"):
        return _shifted(dct, "quarter", 0)
    if rel in ("next", "the next", "the coming"):
        return _shifted(dct, "quarter", 1)
    base = ctx.last_quarter
    if rel in ("the year-ago", "the year-earlier", "the comparable year-ago", "the comparable year-earlier",
               "the year-before", "year-ago", "year-earlier"):
        if base is None:
            base = _shifted(dct, "quarter", -1).value
        year, quarter = base.split("-Q")
        return _Norm(DATE, f"{int(year) - 1:04d}-Q{quarter}", anchored=True, remember=False)
    if rel == "the" and base:
        return _Norm(DATE, base, anchored=True)
    # "last quarter", "the latest quarter", "the quarter": the last one completed
    return _shifted(dct, "quarter", -1)


def _h_holiday(m: re.Match[str], ctx: _Context) -> _Norm | None:
    name = re.sub(r"\s+", " ", m["name"].lower())
    rule = _vocab().holidays.get(name)
    if rule is None:
        return None
    if m["year"]:
        day = _holiday_date(rule, _year_of(m["year"]))
        return _Norm(DATE, _iso_week(day) if m["week"] else day.isoformat()) if day else None
    if ctx.dct is None:
        return _Norm(DATE, "XXXX-XX-XX")
    rel = _group(m, "rel")
    dct = ctx.dct.date()
    this_year = _holiday_date(rule, dct.year)
    if this_year is None:
        return None
    if rel in ("last", "past"):
        future = False
    elif rel in ("next", "coming"):
        future = True
    else:
        future = ctx.tense(m.start(), m.end()) == "future"
    near = abs((this_year - dct).days) <= _NEAR_HOLIDAY_DAYS  # this year's, whatever the tense
    if near or this_year == dct or (future and this_year > dct) or (not future and this_year < dct):
        return _holiday_norm(this_year, m)
    other = _holiday_date(rule, dct.year + (1 if future else -1))
    return _holiday_norm(other, m) if other else None


# A holiday within this many days of the document date is this year's ("as Easter week
# began", written days before Easter), as a month next to the dct's is.
_NEAR_HOLIDAY_DAYS = 14


def _holiday_norm(day: date, m: re.Match[str]) -> _Norm:
    """The holiday's date, or its ISO week for "Easter week"."""
    if m["week"]:
        return _Norm(DATE, _iso_week(day), anchored=True)
    return _Norm(DATE, day.isoformat(), anchored=True)


# Before a bare hour ("at 4 in the morning"): a number after anything else is an amount
# ("the index fell 12 in the morning").
_BARE_HOUR_BEFORE = re.compile(r"\b(?:at|by|until|till|before|after|around|about|from|since|to)\s+$", re.I)


def _h_clock(m: re.Match[str], ctx: _Context) -> _Norm | None:
    if m["hh"] and not m["ampm"] and not _BARE_HOUR_BEFORE.search(m.string, max(0, m.start() - 8), m.start()):
        return None
    clock = _clock_value(m)
    if clock is None:
        return None
    day = _clock_day(m, ctx)
    if day is None:
        return _Norm(TIME, f"XXXX-XX-XXT{clock}")
    return _Norm(TIME, f"{day}T{clock}", anchored=bool(m["dword"] or m["wday"] or not m["md"]))


def _clock_value(m: re.Match[str]) -> str | None:
    if m["cword"]:
        return _vocab().clock[m["cword"].lower()]
    hour, minute = int(m["hh"]), int(m["mm"] or 0)
    ampm = (m["ampm"] or "").lower().replace(".", "").replace(" ", "")
    if ampm.startswith("p") and hour < 12:
        hour += 12
    elif ampm.startswith("a") and hour == 12:
        hour = 0
    elif m["morning"]:
        hour = hour if hour < 12 else hour - 12
    elif m["evening"] and hour < 12:
        hour += 12
    if not (0 <= hour <= 24 and 0 <= minute < 60):
        return None
    return f"{hour:02d}:{minute:02d}"


def _clock_day(m: re.Match[str], ctx: _Context) -> str | None:
    """The date a clock time falls on: a named day beside it, else the dct."""
    if m["md"]:
        month, day = _month_of(m["cmonth"]), _day_of(m["cday"])
        year = _pick_year(ctx, month, day, m.start(), m.end())
        return f"{year:04d}-{month:02d}-{day:02d}" if year else None
    if m["wday"]:
        found = _pick_weekday(ctx, _vocab().weekdays[m["wday"].lower()], m.start(), m.end(), None)
        return found.isoformat() if found else None
    if ctx.dct is None:
        return None
    offset = {"yesterday": -1, "tomorrow": 1}.get((m["dword"] or "").lower(), 0)
    return (ctx.dct + timedelta(days=offset)).date().isoformat()


# --------------------------------------------------------------------------- rule table


@lru_cache(maxsize=1)
def _rules() -> tuple[_Rule, ...]:
    f = _fragments()
    month, day, year, weekday = f["month"], f["day"], f["year"], f["weekday"]
    anyyear = rf"(?:{year}|{f['spelled_year']})"
    num, unit = f["number"], f["unit"]
    weekday_prefix = rf"(?:{weekday}(?:,\s*|\s+))?"
    rel_words = r"(?:this\s+coming|this\s+past|last|next|this|coming|past|previous|following)"
    units_plural = rf"(?:{unit})s?"
    specs: list[tuple[str, str, Handler]] = [
        ("iso", r"\b(?P<y>\d{4})-(?P<mo>\d\d)-(?P<d>\d\d)(?:[T\s](?P<hh>\d\d):(?P<mm>\d\d)(?::\d\d)?)?\b", _h_iso),
        ("slash", r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4}|\d{2})(?![\d/])", _h_slash),
        ("month_day", rf"\b(?:(?P<weekof>the\s+week\s+of)\s+)?{weekday_prefix}(?P<month>{month})\s*(?P<day>{day})(?:(?:,\s*|\s+)(?P<year>{anyyear})|\s+(?P<yrel>this|last|next)\s+year)?(?![\w])", _h_month_day),
        ("day_month", rf"\b{weekday_prefix}(?:the\s+)?(?P<day>{day})(?:\s+of)?\s+(?P<month>{month})(?:,?\s+(?P<year>{anyyear})|\s+(?P<yrel>this|last|next)\s+year)?(?![\w])", _h_month_day),
        # the second of two days after one month ("April 24 and 25"); the handler checks the first
        ("day_conjunct", r"(?:(?<=\d\sand\s)|(?<=\d\sor\s))(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?=\s*(?:[.,;:)]|$)|\s+(?:in|at|on|of|to|and|when|while|with|for|during|before|after|because|as)\b)", _h_day_conjunct),
        ("month_year", rf"\b(?P<month>{month})(?:\s+of)?,?\s+(?:(?P<year>{anyyear}|'\d\d)|(?P<rel>this|last|next)\s+year)\b", _h_month_year),
        ("month", rf"(?:\b(?P<rel>this\s+coming|this\s+past|last|next|this|coming|past|previous|every|each)\s+)?(?P<month>{month})(?:(?=['’]s\b)|(?![\w'’]|\s+\d|\s+(?:for|of|against)\s+(?:the\s+)?(?-i:[A-Z])))", _h_month),
        ("year", rf"(?:(?<=mid-)|(?<=pre-)|(?<=post-)|(?<![\w$£€#.,/-]))(?:(?:the\s+)?year\s+)?(?P<year>{year}|(?<=year\s)(?:{f['spelled_year']})|{f['spelled_year']})(?![\w/]|-\d|\.\d|,\d)", _h_year),
        ("fiscal_year", rf"\b(?:fiscal(?:\s+year)?|FY)[\s-]*(?P<year>{year}|\d\d)\b", _h_fiscal_year),
        ("decade", rf"(?<![\w'’])(?:the\s+)?(?:(?P<digits>(?:1\d|20)\d0)|['’](?P<digits2>\d0))'?s\b|\bthe\s+(?P<words>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b", _h_decade),
        ("century", rf"\b(?:the\s+)?(?:(?P<nth>\d{{1,2}}(?:st|nd|rd|th)|(?:twenty[\s-])?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth))|(?P<rel>this|the\s+current|the\s+last|last))[\s-]+century\b", _h_century),
        ("day_word", rf"\b(?P<word>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|today|tonight|yesterday|tomorrow|last\s+night|overnight)(?:['’]s)?(?:\s+(?P<part>morning|afternoon|evening|night))?(?![\w'’])", _h_day_word),
        ("anaphoric_day", r"\b(?:(?P<rel>the\s+following|the\s+next|the\s+previous|the\s+preceding|that\s+same|that|the\s+same)\s+(?P<part>day|morning|afternoon|evening|night)\b(?!\s*-)|the\s+day\s+(?P<dir>before|after)(?=\s*(?:[.,;:!?)]|$)))", _h_anaphoric_day),
        ("part_day_word", rf"\b(?:early|late|mid-?)?\s*(?P<part>morning|afternoon|evening|night)\s+(?P<word>yesterday|today|tomorrow)\b", _h_day_word),
        ("this_part", rf"\b(?:this|later\s+this|earlier\s+this)\s+(?P<part>morning|afternoon|evening)\b", _h_this_part),
        # a part of the day on its own counts only with a modifier: a bare "morning" is mostly generic
        ("part_alone", r"\b(?P<pmod>early|mid|late)[\s-]*(?P<part>morning|afternoon|evening)\b(?![\w-]|\s+(?:yesterday|today|tomorrow|of|on|hours?|session|trading|edition|news|show|flights?|prayers?|rush|sun|light)\b)", _h_part_alone),
        ("weekday", rf"\b(?:(?P<rel>this\s+coming|this\s+past|last|next|this|coming|past|previous|every|each)\s+)?(?P<weekday>{weekday})(?:(?P<plural>s)\b|['’]s\b|\b)(?:\s+(?P<part>morning|afternoon|evening|night)(?P<parts>s\b)?)?", _h_weekday),
        ("relative_unit", rf"\b(?P<rel>this\s+coming|this\s+past|the\s+past|the\s+last|the\s+previous|the\s+next|the\s+coming|the\s+following|the\s+current|the\s+same|the\s+latest|last|next|this|coming|past|previous|following|current|that)\s+(?P<unit>week|weekend|month|year|fiscal\s+year|decade|century)\b(?!\s*-)", _h_relative_unit),
        ("the_unit", rf"\b(?P<rel>the|the\s+full|the\s+whole|the\s+entire|the\s+fiscal|the\s+calendar)\s+(?P<unit>weekend|year)\b(?![\s-]+(?:ago\b|earlier\b|before\b|of\b|'s\b|old\b|end\b|\d))", _h_relative_unit),
        ("season", rf"\b(?:(?P<rel>this\s+coming|this\s+past|the\s+past|last|next|this|coming|past|previous|the)\s+)?(?P<season>{f['season']})(?:\s+(?:of\s+)?(?P<year>{anyyear}))?\b(?!\s+(?:of|olympics|games|session|collection|term|semester)\b)", _h_season),
        # "one day" right after a modal is "someday"; listed before the durations, which
        # would read the same two words as a stretch of one day
        ("someday", r"(?:" + "|".join(rf"(?<=\b{modal}\s)" for modal in _MODALS) + r")one\s+day\b(?![\w-]|\s+(?:of|after|before|later|earlier|ago|from|in\s+advance)\b)|\bsome(?:\s+)?day\b(?![\w-]|\s+(?:of|after|before|later|earlier|last|next|this|in)\b)", _h_someday),
        # "for a while": a stretch of unknown length (after a preposition of time only:
        # "a while ago" is a reference, "worth a while" none)
        ("a_while", r"(?<!\bonce\sin\s)(?:(?<=\bfor\s)|(?<=\bin\s)|(?<=\bafter\s)|(?<=\bwithin\s))(?:a|quite\s+a|a\s+long|a\s+short|a\s+little)\s+while\b(?!\s+(?:ago|back|later|earlier)\b)", _h_a_while),
        # before the durations: an equally long listed phrase ("these days", "recent years") wins
        ("reference", rf"\b(?:{_alt(_vocab().references)})(?![\w'’-])", _h_reference),
        ("duration", rf"(?<![\w$£€])(?:(?:the|a|an|another)\s+)?(?:(?:past|last|next|first|coming|previous|following|latest|final|remaining|initial|ensuing|entire|whole|full|last|preceding)\s+)?(?P<num>{num})(?:\s+(?:more|additional|full|straight|consecutive|long|trading|business|working|calendar))?[\s-]+(?P<unit>{units_plural})(?P<half>\s+and\s+a\s+half)?(?![\w-]|\s*-?\s*old\b|\s+ago|\s+earlier|\s+later|\s+from\s+now|\s+hence|\s+back)", _h_duration),
        ("vague_duration", rf"\b(?:(?:the|these|those)\s+)?(?:(?:past|last|next|coming|first|previous|following|recent|early|ensuing|intervening)\s+)?(?P<num>)(?P<unit>(?:minute|hour|day|week|month|quarter|year|decade)s|centuries)(?![\w-]|\s+old\b|\s+ago)", _h_duration),
        ("ago", rf"(?<![\w$£€])(?P<num>{num})?[\s-]*(?P<unit>{units_plural})\s+(?P<dir>ago|earlier|later|from\s+now|hence|back)\b", _h_ago),
        ("set", rf"\b(?P<word>daily|nightly|weekly|monthly|yearly|hourly|biweekly|(?:every|each)\s+(?:(?P<num>{num})\s+)?(?:{unit})s?)\b", _h_set),
        ("quarter", rf"\b(?:(?:(?P<rel>this|last|next|the\s+year-ago|the\s+year-earlier)\s+year['’]s\s+)|(?:(?P<rel2>year-ago|year-earlier|the\s+year-ago|the\s+year-earlier|this|last|next)\s+)|(?:the|its|their|a|an)\s+)?(?:(?:the\s+)?(?P<year2>{year})\s+)?(?:fiscal[\s-]+)?(?P<nth>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+(?:fiscal[\s-]+)?(?P<kind>quarter|half)(?P<plural>s)?(?:\s+of\s+(?:(?:fiscal|the\s+fiscal\s+year|the\s+year)\s+)?(?P<year>{year}))?(?![\w-])", _h_quarter),
        ("half_of_year", rf"\b(?:the\s+)?(?P<which>first|second|last|latter|final)\s+(?:half|two\s+quarters)\s+of\s+(?:the\s+year\s+)?(?P<year>{year})(?![\w-])", _h_half_of_year),
        ("bare_quarter", r"\b(?P<rel>the\s+comparable\s+year-ago|the\s+comparable\s+year-earlier|the\s+year-ago|the\s+year-earlier|year-ago|year-earlier|the\s+year-before|the\s+current|the\s+latest|the\s+previous|the\s+present|this|last|next|the\s+next|the\s+coming|the)\s+(?:fiscal\s+)?quarter\b(?!s)|\b(?P<latest>the\s+latest\s+period)\b", _h_bare_quarter),
        ("year_ago_adj", r"\b(?:the\s+)?(?:comparable\s+|corresponding\s+)?(?:year-earlier|year-ago|year-before|year\s+earlier|year\s+ago)(?:\s+(?:period|quarter|level|results?|figures?|time))?\b", _h_year_ago_adjective),
        ("year_end", r"\b(?:year[\s-]end|year['’]s\s+end)\b", _h_year_end),
        ("holiday", rf"\b(?:(?P<rel>last|next|this|past|coming)\s+)?(?P<name>{f['holiday']})(?:\s+(?P<year>{year}))?(?P<week>\s+week)?(?![\w'])", _h_holiday),
        ("clock", rf"(?<![\w:.$£€#])(?:(?:(?P<hh>[01]?\d|2[0-4])(?::(?P<mm>[0-5]\d))?(?:\s*(?P<ampm>[ap]\.\s?m\.?|[ap]m\b|o['’]clock)|(?=\s+(?:in\s+the\s+(?:morning|afternoon|evening)|at\s+night)\b))|(?P<cword>{f['clock']}))(?:\s+(?:local\s+time|[ECMP][SD]T|GMT|UTC))?(?:\s+(?P<morning>in\s+the\s+morning)|\s+(?P<evening>in\s+the\s+(?:evening|afternoon)|at\s+night))?(?:(?:,\s*|\s+)(?:on\s+)?(?:(?P<dword>yesterday|today|tomorrow)|(?P<wday>{weekday})|(?P<md>(?P<cmonth>{month})\s*(?P<cday>{day}))))?)", _h_clock),
        ("then", r"(?:(?<=\bsince\s)|(?<=\buntil\s)|(?<=\btill\s)|(?<=\bby\s))then\b", _h_then),
    ]
    probes = {
        "month_day": month, "day_month": month, "month_year": month, "month": month,
        "duration": rf"\b(?:{unit})", "ago": r"\b(?:ago|earlier|later|hence|back|from\s+now)\b",
        "vague_duration": r"(?:minute|hour|day|week|month|quarter|year|decade)s\b|centuries",
        "century": r"century", "holiday": rf"\b(?:{f['holiday']})", "then": r"\bthen\b", "someday": r"\b(?:one|some)\s*day\b", "day_conjunct": r"\d\s(?:and|or)\s\d", "a_while": r"\bwhile\b",
        "quarter": r"quarter|half", "half_of_year": r"half|quarters", "bare_quarter": r"quarter|latest\s+period", "weekday": rf"\b{weekday}",
        "season": rf"\b(?:{f['season']})", "set": rf"\b(?:daily|nightly|weekly|monthly|yearly|hourly|biweekly|every|each)\b",
        "year_end": r"year", "year_ago_adj": r"year", "fiscal_year": r"fiscal|FY",
        "day_word": r"\b(?:today|tonight|yesterday|tomorrow|night|overnight|day)",
        "part_day_word": r"yesterday|today|tomorrow", "anaphoric_day": r"\b(?:day|morning|afternoon|evening|night)\b", "this_part": r"morning|afternoon|evening", "part_alone": r"morning|afternoon|evening",
        "relative_unit": r"week|month|year|decade|century", "the_unit": r"weekend|year",
    }
    return tuple(_Rule(name, re.compile(pattern, re.I), handler,
                       re.compile(probes[name], re.I) if name in probes else None)
                 for name, pattern, handler in specs)


# --------------------------------------------------------------------------- modifiers and signals


@lru_cache(maxsize=1)
def _modifier_regexes() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    vocab = _vocab()
    before = re.compile(rf"(?:^|(?<=[^\w-]))(?P<mod>{_alt(vocab.modifiers)})(?:\s*-\s*|\s+)$", re.I)
    after = re.compile(rf"^\s+(?P<mod>{_alt(vocab.suffix_mods)})\b", re.I)
    start = re.compile(rf"(?<![\w-])(?P<sig>{_alt(vocab.range_start)})\s+$", re.I)
    end = re.compile(rf"(?<![\w-])(?P<sig>{_alt(vocab.range_end)})\s+$", re.I)
    return before, after, start, end


# Modifiers that only make sense on a point in time, or only on an amount of time.
_POINT_MODS = {"START", "MID", "END", "BEFORE", "AFTER"}
_AMOUNT_MODS = {"MORE_THAN", "LESS_THAN", "EQUAL_OR_MORE", "EQUAL_OR_LESS"}


def _extend(text: str, start: int, end: int, rule: str) -> tuple[int, int, str | None]:
    """Grow a candidate over modifier words ("the end of", "at least", "or so") and return the mod."""
    before, after, _, _ = _modifier_regexes()
    mod = None
    window = text[max(0, start - 25):start]
    m = before.search(window)
    prepositional = m is not None and m["mod"].lower() in ("over", "within", "under")
    if prepositional and text[start:start + 4].lower() == "the ":
        m = None  # "over the past three months": "over" is the preposition, not "more than"
    if m:
        candidate = _vocab().modifiers[re.sub(r"\s+", " ", m["mod"].lower())]
        is_amount = rule in ("duration", "vague_duration", "ago")
        if (candidate in _AMOUNT_MODS and is_amount) or (candidate in _POINT_MODS and not is_amount) or candidate == "APPROX":
            mod, start = candidate, start - (len(window) - m.start())
    m = after.match(text, end)
    if m:
        mod = mod or _vocab().suffix_mods[re.sub(r"\s+", " ", m["mod"].lower())]
        end = m.end()
    return start, end, mod


def _signal_bounds(text: str, timex: Timex, following: Timex | None) -> Timex:
    """Set interval bounds from the preposition before the expression ("since", "until", "from X to Y")."""
    _, _, start_re, end_re = _modifier_regexes()
    window = text[max(0, timex.start - 20):timex.start]
    if timex.type not in (DATE, TIME) or timex.value.endswith("_REF") and timex.value != "PAST_REF":
        return timex
    m = start_re.search(window)
    if m:
        signal = re.sub(r"\s+", " ", m["sig"].lower())
        mod: str | None = timex.mod or ("AFTER" if signal == "after" else "ON_OR_AFTER")
        upper = None
        if signal == "from" and following is not None and re.fullmatch(
            r"\s*(?:to|until|till|through|thru|-|–)\s*", text[timex.end:following.start]
        ):
            upper, mod = following.value, timex.mod
        return replace(timex, mod=mod, range_start=timex.value, range_end=upper)
    m = end_re.search(window)
    if m:
        signal = re.sub(r"\s+", " ", m["sig"].lower())
        if signal == "to":
            return timex  # "to" closes a "from X to Y" range; handled from the "from" side
        mod = timex.mod or ("BEFORE" if signal == "before" else "ON_OR_BEFORE")
        return replace(timex, mod=mod, range_end=timex.value)
    return timex


def _close_ranges(timexes_: list[Timex]) -> list[Timex]:
    """Give the second expression of "from X to Y" the same bounds as the first."""
    out = list(timexes_)
    for i in range(1, len(out)):
        prev = out[i - 1]
        if prev.range_start and prev.range_end == out[i].value:
            out[i] = replace(out[i], range_start=prev.range_start, range_end=out[i].value)
    return out


# --------------------------------------------------------------------------- driver


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int
    end: int
    rule_index: int
    match: re.Match[str]
    mod: str | None


def _candidates(text: str, regions: Sequence[tuple[int, int]] | None = None) -> list[_Candidate]:
    found = []
    regions = [(0, len(text))] if regions is None else regions
    for index, rule in enumerate(_rules()):
        if rule.probe is not None and rule.probe.search(text) is None:
            continue
        for m in (m for lo, hi in regions for m in rule.pattern.finditer(text, lo, hi)):
            start, end = m.start(), m.end()
            while end > start and text[end - 1] in " \t\n,":
                end -= 1
            while start < end and text[start] in " \t\n":
                start += 1
            if end <= start:
                continue
            article = re.match(r"(?i)an?\s+(?=\S+-)", text[start:end])
            if rule.name == "duration" and article:
                start += article.end()  # "a five-year plan": the article is the noun's
            if _quoted_title(text, start, end):
                continue
            start, end, mod = _extend(text, start, end, rule.name)
            found.append(_Candidate(start, end, index, m, mod))
    return found


# A quotation of capitalised words only, opened after a word: the title of a show, film or
# event (ABC's "This Week", CBS's ''60 Minutes'', the film ``High Noon''), not a time. A
# quotation that opens a sentence or follows a comma ("Today," he said) is speech.
_TITLE_BEFORE = re.compile(r"(?<=[\w'’]\s)(?:[\"“]|``|'')(?:[A-Z0-9][\w'’-]*\s+)*$")
_TITLE_AFTER = re.compile(r"(?:\s+[A-Z0-9][\w'’-]*)*[.,!?]?(?:[\"”]|'')")


def _quoted_title(text: str, start: int, end: int) -> bool:
    words = text[start:end].split()
    if not all(w[0].isupper() or w[0].isdigit() for w in words) or not any(w[0].isupper() for w in words):
        return False
    return bool(_TITLE_BEFORE.search(text, max(0, start - 60), start) and _TITLE_AFTER.match(text, end))


def _select(candidates: list[_Candidate]) -> list[_Candidate]:
    """Longest match wins; among equals, the earlier rule in the table; then text order."""
    chosen: list[_Candidate] = []
    taken: list[tuple[int, int]] = []
    for cand in sorted(candidates, key=lambda c: (-(c.end - c.start), c.rule_index, c.start)):
        if all(cand.end <= s or cand.start >= e for s, e in taken):
            chosen.append(cand)
            taken.append((cand.start, cand.end))
    return sorted(chosen, key=lambda c: c.start)


def _remember(ctx: _Context, norm: _Norm, at: int) -> None:
    """Keep the latest fully dated value for anaphoric expressions later in the text."""
    if norm.type != DATE or not norm.remember:
        return
    if re.fullmatch(r"\d{4}-Q\d", norm.value):
        ctx.last_quarter, ctx.last_quarter_at = norm.value, at
    if re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", norm.value):
        ctx.last_date = norm.value


def _without_leaning_adverbs(text: str, found: list[Timex]) -> list[Timex]:
    """Drop "recently" in "most recently last October": an adverb right before a dated
    expression only leans on it; the date says when."""
    kept = []
    for i, t in enumerate(found):
        following = found[i + 1] if i + 1 < len(found) else None
        leaning = (t.value in ("PAST_REF", "PRESENT_REF", "FUTURE_REF") and t.text.lower().endswith("ly")
                   and following is not None and following.value[:1].isdigit()
                   and not text[t.end:following.start].strip())
        if not leaning:
            kept.append(t)
    return kept


def timexes(text: str, dct: date | datetime | str | None = None, *,
            regions: Sequence[tuple[int, int]] | None = None) -> Iterator[Timex]:
    """Find and normalise the time expressions of a text.

    Args:
        text: any text (an article body, a sentence).
        dct: the document creation time (publication date) that relative expressions
            ("yesterday", "last summer", "Friday") are resolved against; a ``date``, a
            ``datetime`` or an ISO 8601 string. Without it, unknown parts stay ``X``.
        regions: character ranges to look in (say, the sentences a parser found dates in);
            the whole text by default. Context such as `since then` still reads the text.

    Yields:
        :class:`Timex` records in text order, non-overlapping (the longest match wins).
    """
    ctx = _Context(text=text, dct=parse_dct(dct))
    rules = _rules()
    found: list[Timex] = []
    for cand in _select(_candidates(text, regions)):
        norm = rules[cand.rule_index].handler(cand.match, ctx)
        if norm is None:
            continue
        mod = norm.mod or cand.mod
        found.append(Timex(cand.start, cand.end, text[cand.start:cand.end], norm.type, norm.value,
                           precision_of(norm.value, norm.type), norm.anchored, mod))
        _remember(ctx, norm, cand.start)
    found = _without_leaning_adverbs(text, found)
    with_bounds = [_signal_bounds(text, t, found[i + 1] if i + 1 < len(found) else None) for i, t in enumerate(found)]
    yield from _close_ranges(with_bounds)


def normalise(expression: str, dct: date | datetime | str | None = None) -> Timex | None:
    """Normalise one time expression ("last summer", "June 2024", "three years").

    Args:
        expression: the expression alone, possibly with a signal ("until May", "since then").
        dct: the document creation time, as for :func:`timexes`.

    Returns:
        The longest expression found in the string, or None when there is none.
    """
    found = list(timexes(expression, dct))
    if not found:
        return None
    return max(found, key=lambda t: (t.end - t.start, -t.start))
