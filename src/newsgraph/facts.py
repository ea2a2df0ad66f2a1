"""Events told as English sentences: who did what to whom, where, when, and on whose word.

An event record (the shape `Store.events()` returns) becomes one grammatical sentence built
from its CAMEO code's verb phrase (`data/facts/cameo_verbs.tsv`, one per code in our own
words, with its argument frame), its actors' names, its place, its stated time at its
precision, its quantities and its status:

    event_sentence(visit, reported_by="TASS", reported_on="2025-03-21", status="unconfirmed",
                   unconfirmed_by="North Korean state media")
    -> "Sergei Shoigu visited North Korea, TASS reported on 21 March 2025; North Korean
        state media had not confirmed it."

Nothing here reads the store or knows about stories: callers pass the event and who
reported it, so an article digest and a story digest tell facts the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from .errors import BadParameter, LexiconError
from .wording import calendar_date, readable_time, tidy_text

__all__ = ["VerbFrame", "event_sentence", "unconfirming_party", "verb_frame", "verb_frames",
           "past", "past_participle", "third_person"]

DATA_PACKAGE = "newsgraph.data.facts"
# Said of an event with no known source: a sentence needs a subject.
NO_SOURCE = "An unnamed party"
# Hedges for a status whose source is not named: "Russia reportedly sent troops".
HEDGES = {"reported": "reportedly", "alleged": "allegedly", "unconfirmed": "reportedly",
          "denied": "reportedly"}
# The reporting verb that introduces a named source, by the status it gave the event.
REPORTING_VERBS = {"reported": "reported", "alleged": "alleged", "unconfirmed": "reported",
                   "asserted": "said", "negated": "said", "future": "said", "hypothetical": "said"}
# TIMEX3 modifiers a reader says before a month, season or year.
TIME_MODS = {"START": "early", "EARLY": "early", "MID": "mid-", "END": "late", "LATE": "late",
             "APPROX": "around", "BEFORE": "before", "AFTER": "after"}
DETERMINERS = frozenset({"the", "a", "an", "both", "its", "their", "some", "many", "several"})
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Relative expressions that read as they are without a preposition ("last year").
RELATIVE_WORDS = ("last", "next", "this", "earlier", "later", "recently", "yesterday", "today",
                  "tomorrow", "previously", "in", "on", "at", "during", "since", "until")

# Verbs whose past and past participle are not made by rule (base: past, participle).
IRREGULAR = {
    "be": ("was", "been"), "begin": ("began", "begun"), "break": ("broke", "broken"),
    "bring": ("brought", "brought"), "build": ("built", "built"), "buy": ("bought", "bought"),
    "catch": ("caught", "caught"), "choose": ("chose", "chosen"), "come": ("came", "come"),
    "cut": ("cut", "cut"), "do": ("did", "done"), "draw": ("drew", "drawn"),
    "drive": ("drove", "driven"), "fall": ("fell", "fallen"), "feel": ("felt", "felt"),
    "fight": ("fought", "fought"), "find": ("found", "found"), "flee": ("fled", "fled"),
    "forbid": ("forbade", "forbidden"), "forgive": ("forgave", "forgiven"), "get": ("got", "got"),
    "give": ("gave", "given"), "go": ("went", "gone"), "have": ("had", "had"), "hit": ("hit", "hit"),
    "hold": ("held", "held"), "keep": ("kept", "kept"), "lead": ("led", "led"), "leave": ("left", "left"),
    "let": ("let", "let"), "lose": ("lost", "lost"), "make": ("made", "made"), "meet": ("met", "met"),
    "pay": ("paid", "paid"), "put": ("put", "put"), "quit": ("quit", "quit"), "run": ("ran", "run"),
    "say": ("said", "said"), "see": ("saw", "seen"), "seek": ("sought", "sought"),
    "sell": ("sold", "sold"), "send": ("sent", "sent"), "set": ("set", "set"), "shoot": ("shot", "shot"),
    "shut": ("shut", "shut"), "speak": ("spoke", "spoken"), "spend": ("spent", "spent"),
    "strike": ("struck", "struck"), "take": ("took", "taken"), "tell": ("told", "told"),
    "think": ("thought", "thought"), "throw": ("threw", "thrown"), "understand": ("understood", "understood"),
    "win": ("won", "won"), "withdraw": ("withdrew", "withdrawn"), "write": ("wrote", "written"),
}
# Regular verbs that double their final consonant before -ed (stress on the last syllable,
# and British "travelled"): the rule cannot see stress, so they are listed.
DOUBLING = frozenset({"admit", "ban", "commit", "control", "drop", "equip", "expel", "occur", "patrol",
                      "plan", "rebel", "refer", "regret", "rob", "ship", "stop", "submit", "travel",
                      "transfer", "trap"})
_OPTIONAL = re.compile(r"\[([^\]]*)\]")
_QUANTITY = re.compile(r"\{Q:([^}]*)\}")
_UNCONFIRMED_BY = re.compile(
    r"\bnot\s+(?:yet\s+)?(?:been\s+)?(?:officially\s+|independently\s+)?(?:confirmed|verified)\s+by\s+"
    r"(?P<party>[^,;.()]{2,60}?)(?=\s*(?:[,;.()]|\band\b|\bbut\b|$))", re.IGNORECASE)
_UNCONFIRMING = re.compile(
    r"(?P<before>[^,;:()]{2,80}?)\s+(?:has|have|had)\s+(?:yet\s+to|not\s+yet|still\s+not|not)\s+"
    r"(?:officially\s+|independently\s+|publicly\s+)?(?:confirm|verify|confirmed|verified)\b", re.IGNORECASE)
_CLAUSE_OPENERS = re.compile(r"^(?:.*\b(?:and|but|although|though|while|whereas|as|because|since|so|that)\s+)",
                             re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class VerbFrame:
    """How one CAMEO code reads: its verb phrase with a target and without one."""

    code: str
    with_target: str      # contains {T}
    without_target: str   # no {T}


@lru_cache(maxsize=1)
def verb_frames() -> dict[str, VerbFrame]:
    """Every packaged verb frame, by CAMEO code."""
    text = resources.files(DATA_PACKAGE).joinpath("cameo_verbs.tsv").read_text(encoding="utf-8")
    return {frame.code: frame for frame in _parse_frames(text.splitlines())}


def _parse_frames(lines: Iterable[str]) -> Iterable[VerbFrame]:
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 2 or not fields[0].isdigit():
            raise LexiconError(f"E320: cameo_verbs.tsv line {number}: expected 'code<TAB>phrase', got {line!r}")
        code, phrase = fields[0], fields[1].strip()
        with_target, _, without = (p.strip() for p in phrase.partition(" | "))
        if "{T}" not in with_target:
            raise LexiconError(f"E320: cameo_verbs.tsv line {number}: the phrase names no target {{T}}")
        if not without:
            # "[ ... {T}]" is said only with a target; without one the phrase stands alone
            without = _OPTIONAL.sub("", with_target)
            if "{T}" in without:
                raise LexiconError(f"E320: cameo_verbs.tsv line {number}: the target cannot be left out; "
                                   "give the phrase without it after ' | '")
        yield VerbFrame(code, _OPTIONAL.sub(r"\1", with_target), without)


def verb_frame(code: str | None) -> VerbFrame:
    """The frame of `code`, else of its nearest parent code (`0431` → `043` → `04`)."""
    frames = verb_frames()
    for length in range(len(code or ""), 1, -1):
        frame = frames.get((code or "")[:length])
        if frame is not None:
            return frame
    return VerbFrame(code or "", "take an action concerning {T}", "take an action")


# -- inflection ------------------------------------------------------------------------------


def past(verb: str) -> str:
    """The simple past: `visit` → `visited`, `send` → `sent`, `ban` → `banned`."""
    if verb in IRREGULAR:
        return IRREGULAR[verb][0]
    if verb.endswith("e"):
        return verb + "d"
    if len(verb) > 2 and verb.endswith("y") and verb[-2] not in "aeiou":
        return verb[:-1] + "ied"
    if verb in DOUBLING:
        return verb + verb[-1] + "ed"
    return verb + "ed"


def past_participle(verb: str) -> str:
    """`visit` → `visited`, `take` → `taken`."""
    return IRREGULAR[verb][1] if verb in IRREGULAR else past(verb)


def third_person(verb: str) -> str:
    """The present tense after a singular subject: `visit` → `visits`, `carry` → `carries`."""
    special = {"be": "is", "have": "has", "do": "does", "go": "goes"}
    if verb in special:
        return special[verb]
    if len(verb) > 2 and verb.endswith("y") and verb[-2] not in "aeiou":
        return verb[:-1] + "ies"
    if verb.endswith(("s", "sh", "ch", "x", "z", "o")):
        return verb + "es"
    return verb + "s"


def _inflect(phrase: str, form: str) -> str:
    """The phrase with its verbs (the first word, and words marked "+") in `form`:
    `base`, `past`, `participle` or `present3` (after a singular subject)."""
    change = {"base": lambda v: v, "past": past, "participle": past_participle, "present3": third_person}[form]
    words = phrase.split(" ")
    out = []
    for i, word in enumerate(words):
        if i == 0 or word.startswith("+"):
            word = change(word.lstrip("+"))
        out.append(word)
    return " ".join(out)


# -- the sentence ----------------------------------------------------------------------------


def event_sentence(event: Mapping[str, Any], *, reported_by: str | None = None,
                   reported_on: str | None = None, status: str | None = None,
                   unconfirmed_by: str | None = None) -> str:
    """One English sentence that states an event with its status and source.

    Args:
        event: an event record as `Store.events()` returns it (code, source and target
            actors, place, time, quantities, factuality).
        reported_by: who reported it (a claim's named source), said in a reporting clause
            ("…, TASS reported"); None leaves the source unnamed ("reportedly").
        reported_on: when it was reported, a date or TIMEX3 value ("on 21 March 2025").
        status: the event's status (`asserted`, `reported`, `alleged`, `believed`,
            `unconfirmed`, `denied`, `negated`, `future`, `hypothetical`); None takes the
            event's own.
        unconfirmed_by: who had not confirmed it, for an unconfirmed event.

    Returns:
        The sentence, capitalised and ending in a full stop: past tense for past events,
        present for present ones, "will" for future or planned ones, "did not" when negated.

    Raises:
        BadParameter: `event` is not an event record.
    """
    if not isinstance(event, Mapping) or not isinstance(event.get("cameo"), Mapping):
        raise BadParameter("event", "not an event record (expected the shape Store.events() returns)")
    factuality = event.get("factuality") or {}
    status = status or factuality.get("status") or "asserted"
    negated = status == "negated" or bool(factuality.get("negated"))
    reporter = tidy_text(reported_by) or None
    subject, plural = _subject(event)
    clause = _clause(event, subject, plural, status=status, negated=negated, hedged=reporter is None,
                     reported_on=reported_on)
    when = _time_phrase(reported_on, None, None) if reported_on else None
    if status == "denied" and reporter:
        return _capitalise(f"{reporter} denied{' ' + when if when else ''} that {_inner(clause)}") + "."
    sentence = clause
    if reporter and status == "believed":
        sentence += f", according to {reporter}"
    elif reporter:
        sentence += f", {reporter} {REPORTING_VERBS.get(status, 'said')}{' ' + when if when else ''}"
    if status == "unconfirmed":
        party = tidy_text(unconfirmed_by)
        sentence += f"; {party} had not confirmed it" if party else "; it had not been confirmed"
    elif status == "denied":
        sentence += "; this was denied"
    return _capitalise(sentence) + "."


def _subject(event: Mapping[str, Any]) -> tuple[str, bool]:
    """The sources' names joined ("Russia and North Korea") and whether they are several."""
    names = _names(event.get("source") or [])
    return (_join(names), len(names) > 1) if names else (NO_SOURCE, False)


def _names(actors: Iterable[Mapping[str, Any]]) -> list[str]:
    seen: dict[str, str] = {}
    for actor in actors:
        name = tidy_text(actor.get("name"))
        if name and name.casefold() not in seen:
            seen[name.casefold()] = name
    return list(seen.values())


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _clause(event: Mapping[str, Any], subject: str, plural: bool, *, status: str, negated: bool,
            hedged: bool, reported_on: str | None) -> str:
    """Subject, verb phrase with its target, quantity, place and time."""
    targets = _names(event.get("target") or [])
    place = _place(event, targets + [subject])
    apposition = None
    if place and len(targets) == 1 and _is_country_of(event["target"][0], event.get("place") or {}):
        # "visited Pyongyang, North Korea", not "visited North Korea in Pyongyang"
        apposition = f"{place}, {targets[0]}"
        targets, place = [apposition], None
    frame = verb_frame((event.get("cameo") or {}).get("code"))
    phrase = frame.with_target.replace("{T}", _join(targets)) if targets else frame.without_target
    quantity = _quantity(event)
    phrase, used = _QUANTITY.subn(lambda m: quantity or m.group(1), phrase)
    predicate = _predicate(phrase, event, plural, status=status, negated=negated, hedged=hedged)
    words = [subject, predicate]
    if quantity and not used:
        words[-1] += ","
        words.append(f"involving {quantity}")
    if place:
        words.append(f"in {place}")
    time = event.get("time") or {}
    if time.get("source") == "text":
        when = _time_phrase(time.get("value"), time.get("text"), time.get("mod"), reported_on=reported_on)
        if when:
            words.append(when)
    clause = " ".join(words)
    if apposition:
        # the country closes its apposition before more words: "Pyongyang, North Korea, on 20 March"
        clause = re.sub(re.escape(apposition) + r" (?=[a-z])", apposition + ", ", clause)
    return clause


def _predicate(phrase: str, event: Mapping[str, Any], plural: bool, *, status: str, negated: bool,
               hedged: bool) -> str:
    """The verb phrase in the tense and mood its status and time call for."""
    factuality = event.get("factuality") or {}
    tense = factuality.get("time")
    hedge = HEDGES.get(status, "") + " " if hedged and status in HEDGES else ""
    if status == "believed" and hedged:
        be = "are" if plural else "is"
        if tense == "future":
            return f"{be} believed {'not ' if negated else ''}to {_inflect(phrase, 'base')}"
        return f"{be} believed {'not ' if negated else ''}to have {_inflect(phrase, 'participle')}"
    if status == "future" or tense == "future":
        return f"will {hedge}{'not ' if negated else ''}{_inflect(phrase, 'base')}"
    if status == "hypothetical":
        return f"could {hedge}{'not ' if negated else ''}{_inflect(phrase, 'base')}"
    if tense == "present" and not _dated(event):
        if negated:
            return f"{hedge}{'do' if plural else 'does'} not {_inflect(phrase, 'base')}"
        return hedge + _inflect(phrase, "base" if plural else "present3")
    if negated:
        return f"{hedge}did not {_inflect(phrase, 'base')}"
    return hedge + _inflect(phrase, "past")


def _dated(event: Mapping[str, Any]) -> bool:
    """Whether the text dates the event to a calendar day, month or year: an act with a date
    is told in the past even where the sentence put it in the present ("the pact of June")."""
    time = event.get("time") or {}
    return time.get("source") == "text" and calendar_date(time.get("value")) is not None


def _quantity(event: Mapping[str, Any]) -> str | None:
    quantities = event.get("quantities") or []
    return tidy_text(quantities[0].get("text")) if quantities else None


def _is_country_of(actor: Mapping[str, Any], place: Mapping[str, Any]) -> bool:
    """Whether the actor is the state the place lies in (its code is the place's country)."""
    country = place.get("country")
    return bool(country) and actor.get("code") == country and not actor.get("sector")


def _place(event: Mapping[str, Any], named: list[str]) -> str | None:
    """The event's place, unless the sentence already names it (a visit to the country)."""
    place = tidy_text((event.get("place") or {}).get("name"))
    if not place or any(place.casefold() in name.casefold() for name in named):
        return None
    return place


def _time_phrase(value: str | None, text: str | None, mod: str | None, *,
                 reported_on: str | None = None) -> str | None:
    """When, at the precision the value has: `on 21 March 2025`, `in late March 2025`,
    `in 2024` (or `last year`, relative to the report), else the text's own relative words."""
    readable = readable_time(value)
    if readable is None:
        return _relative_text(text)
    day = calendar_date(value)
    if day and len(day) == 10:
        return f"on {readable}"
    report_year = (calendar_date(reported_on) or "")[:4]
    if day and len(day) == 4 and report_year.isdigit() and (mod or "").upper() not in TIME_MODS:
        offset = int(report_year) - int(day)
        if offset in (0, 1):
            return "this year" if offset == 0 else "last year"
    modifier = TIME_MODS.get((mod or "").upper())
    if modifier in ("early", "late"):
        return f"in {modifier} {readable}"
    if modifier == "mid-":
        return f"in mid-{readable}"
    return f"{modifier or 'in'} {readable}"


def _relative_text(text: str | None) -> str | None:
    """A time the value cannot place, said in the text's words when they read as a phrase."""
    words = (tidy_text(text) or "").strip()
    if not words:
        return None
    first = words.split(" ", 1)[0].lower()
    if first in WEEKDAYS:
        return f"on {words}"
    return words[0].lower() + words[1:] if first in RELATIVE_WORDS else None


def _inner(clause: str) -> str:
    """A clause set inside a sentence: a determiner capitalised as its opening word is not."""
    first = clause.split(" ", 1)[0]
    return clause[:1].lower() + clause[1:] if first.lower() in DETERMINERS else clause


def _capitalise(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def unconfirming_party(sentence: str | None) -> str | None:
    """Who a sentence says had not confirmed something: "not yet confirmed by state media"
    or "state media in North Korea have yet to confirm it" → the party; else None."""
    if not sentence:
        return None
    match = _UNCONFIRMED_BY.search(sentence)
    if match:
        return _noun_phrase(match.group("party"))
    match = _UNCONFIRMING.search(sentence)
    if match:
        # the subject is the stretch of words after the clause's opening conjunction
        return _noun_phrase(_CLAUSE_OPENERS.sub("", match.group("before")))
    return None


def _noun_phrase(words: str) -> str | None:
    words = tidy_text(words.strip()) or ""
    if not words or len(words.split()) > 8:
        return None
    if words.split()[0].lower() in ("it", "this", "that", "they", "he", "she", "which", "who"):
        return None  # a pronoun names nobody a reader could check
    # a determiner is capitalised only where it opened its sentence
    return words[0].lower() + words[1:] if words.split()[0].lower() in DETERMINERS else words
