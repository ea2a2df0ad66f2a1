"""Shared records and type aliases.

Records are small frozen dataclasses: extractors yield them, the store writes them,
the CLI and exports turn them into JSON with `dataclasses.asdict`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from .extract.events import Event
    from .extract.claims import Claim
    from .extract.factuality import Factuality
    from .extract.timex import Timex

    DocLike = Union[Doc, Span]

PathLike = Union[str, "os.PathLike[str]"]


@dataclass(frozen=True, slots=True)
class RawArticle:
    """An article as a reader found it, before identity and language are settled."""

    text: str
    source: str  # where it came from: a path, "path:line", "path#record", "<stdin>"
    title: str | None = None
    url: str | None = None
    published: str | None = None  # ISO 8601 date or datetime as given
    outlet: str | None = None
    author: str | None = None
    original_source: str | None = None


@dataclass(frozen=True, slots=True)
class Failure:
    """One input that could not be read, and why."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Article:
    """An article ready to store: identity, metadata and cleaned body text."""

    id: str
    text: str
    source: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None
    published_precision: str | None = None  # "day", "month", "year", "second", …
    language: str | None = None
    original_source: str | None = None


@dataclass(frozen=True, slots=True)
class Role:
    """A title or function an actor holds, as the text states it."""

    title: str  # "defense minister", "President", "top security adviser"
    country: str | None  # ISO 3166 alpha-3
    sector: str | None  # CAMEO sector: GOV, MIL, SPY, MED, …
    start: int  # evidence: character span in the article text
    end: int
    sentence: int
    began: str | None = None  # TIMEX3 value, where the text gives one
    ended: str | None = None


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of text that names an actor or place."""

    start: int
    end: int
    text: str
    label: str  # spaCy / newsgraph entity label: PERSON, ORG, GPE, LOC, NORP, …
    sentence: int
    actor: str  # key of the actor it resolves to


@dataclass(slots=True)
class Actor:
    """A canonical actor within one article, before the store merges it with others."""

    key: str  # stable identity across articles: "state:RUS", "person:sergei shoigu", …
    name: str
    kind: str  # person, state, organisation, group, place
    country: str | None = None
    sector: str | None = None
    place_kind: str | None = None  # for places: city, region, country, …
    aliases: set[str] = field(default_factory=set)
    roles: list[Role] = field(default_factory=list)


@dataclass(slots=True)
class ArticleRecords:
    """Everything extracted from one article, written to the store in one transaction."""

    sentences: list[tuple[int, int]] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    events: list[CodedEvent] = field(default_factory=list)
    claims: list["Claim"] = field(default_factory=list)
    timexes: list["Timex"] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class EventTime:
    """When an event happened: a TIMEX3 value, its precision, and where it came from."""

    value: str | None
    precision: str | None
    source: str  # "text" (a time expression governs the event) or "article" (the publication date)
    text: str | None = None
    start: int | None = None
    end: int | None = None
    mod: str | None = None  # TIMEX3 mod: ON_OR_AFTER for "since last summer", BEFORE, APPROX, …


@dataclass(frozen=True, slots=True)
class EventMention:
    """One place in the text where an article mentions an event: its sentence and trigger."""

    sentence: int
    sentence_start: int
    sentence_end: int
    trigger: str
    trigger_start: int
    trigger_end: int
    cameo: str  # the code this mention alone was given
    main: bool = True  # the sentence's own event, not background to it


@dataclass(frozen=True, slots=True)
class CodedEvent:
    """An event as the coder found it, with its time settled against the article date.

    `mentions` lists every place the article mentions it, in text order (the event's own
    evidence is one of them); empty means the event's evidence is its only mention.
    """

    event: "Event"
    time: EventTime
    factuality: "Factuality | None" = None
    mentions: tuple[EventMention, ...] = ()
