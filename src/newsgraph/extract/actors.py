"""Actors: entity mentions resolved to canonical people, organisations, states and places.

`extract_actors(doc)` reads a parsed `Doc` (after newsgraph's entity fixes) and returns the
actors of one article with their mentions and roles:

- people: a full name and later short forms (`Sergei Shoigu` … `Shoigu`) are one actor;
  possessives and honorifics are trimmed; titles and appositions give roles with a country
  and a CAMEO sector (`Russia’s security adviser`, `President Vladimir Putin`,
  `its leader, Kim Jong Un`, `who served as defense minister until May`); a well-known
  person the text gives no country (`President Mugabe`, `Putin said`) takes the country and
  sector of the people lexicon, the office held at the article's date preferred;
- states: country names and demonyms (`North Korean` → PRK), and capitals or seats of power
  when they act as governments (`Moscow` supplied …, `the Kremlin` said …);
- places: gazetteer matches (`Kursk` is a region of Russia), and capitals used as places
  (`visited Pyongyang`);
- organisations and groups: a country and a sector from the packaged organisation lexicon,
  their head noun (`the TASS news agency` → MED) and the text (`Russia's defence ministry`);
  a body named with its state (`Security Council of the Russian Federation`) is one actor of
  that state, its bare name in the same article too; a body named after people by their full
  names (`Hillary & Chelsea Clinton Foundation`) is the `Clinton Foundation`;
- what only looks like a person is not one: a building named after someone (`Trump Tower`
  is a place), a lawsuit (`Trump v. Trump`); a handle (`@HillaryClinton`) and a middle
  initial (`Donald J. Trump`) are the person; a relative's office is not theirs
  (`Ivanka Trump`, `daughter of President …`). Names and titles read as prose, not tokens.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .. import geo
from ..lexicons import PERSON_STYLES, ActorLexicon, OrgEntry, PersonEntry, fold, load_actor_lexicon
from ..types import Actor, Mention, Role
from ..wording import tidy_text
from .parsed import entities, sentence_index, sentences

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

LOGGER = logging.getLogger(__name__)

ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"})
# Entity labels spaCy's small model sometimes gives to place names ("Kursk" as PRODUCT).
PLACE_CANDIDATE_LABELS = frozenset({"PRODUCT", "WORK_OF_ART", "EVENT"})
HONORIFICS = frozenset(
    "mr mr. mrs mrs. ms ms. miss dr dr. sir dame lord lady madam mme mme. m. herr frau "
    "prof prof. rev rev. sen sen. rep rep. gov gov. gen gen. col col. lt lt. capt capt. sgt sgt.".split()
)
# A capital or city as the object of these prepositions or verbs is a place, not a government.
LOCATIVE_PREPS = frozenset(
    "in at to into near outside around across toward towards through inside within via "
    "throughout over onto".split()
)
MOTION_VERBS = frozenset(
    "visit arrive travel reach enter leave tour fly return go come head move land depart "
    "flee evacuate relocate drive march".split()
)
POSSESSIVE_SUFFIXES = ("'s", "’s", "‘s", "'", "’")
DETERMINERS = frozenset({"the", "a", "an"})
# Copular and appointment verbs whose object names a role of their subject.
ROLE_VERBS = frozenset(
    "be serve become remain work act appoint name elect nominate install replace succeed".split()
)


@dataclass(slots=True)
class ArticleActors:
    """The actors of one article with their mentions."""

    actors: list[Actor] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)


TimeNormaliser = Callable[[str], "str | None"]


def extract_actors(
    doc: "Doc",
    *,
    lexicon: ActorLexicon | None = None,
    normalise_time: TimeNormaliser | None = None,
    date: str | None = None,
) -> ArticleActors:
    """Resolve the entity mentions of `doc` to actors with roles.

    Args:
        doc: a parsed article (tagger, parser and NER have run).
        lexicon: titles, organisations, sector nouns and well-known people; the packaged ones
            by default.
        normalise_time: turns a time phrase (`until May`) into a TIMEX3 value against the
            article date; role time ranges stay None without it. It also tells the article's
            year (what `today` normalises to) when `date` is not given.
        date: the article's date (ISO, `1995-03-04` or `1995`): picks the office a well-known
            person held then.
    """
    resolver = _Resolver(doc, lexicon or load_actor_lexicon(), normalise_time, _year_of(date, normalise_time))
    return resolver.run()


def _demonym_country(span: "Span") -> str | None:
    """ "Latvian Constitutional Court", "Chilean Air Force": an organisation named with a state's
    adjective belongs to that state."""
    if len(span) < 2:
        return None
    match = geo.match_country(span[0].text)
    return match.alpha3 if match is not None and match.form == "demonym" else None


def _year_of(date: str | None, normalise_time: TimeNormaliser | None) -> int | None:
    value = date
    if value is None and normalise_time is not None:
        value = normalise_time("today")
    if value and value[:4].isdigit():
        return int(value[:4])
    return None


@dataclass(slots=True)
class _Ref:
    span: "Span"
    label: str
    actor: Actor


class _Resolver:
    """One pass over a document's entities; holds the per-article state."""

    def __init__(self, doc: "Doc", lexicon: ActorLexicon, normalise_time: TimeNormaliser | None,
                 year: int | None = None):
        self.doc = doc
        self.lexicon = lexicon
        self.normalise_time = normalise_time
        self.year = year
        # person key -> the name with the style the text puts before it ("King Fahd")
        self.styled: dict[str, set[str]] = {}
        self.sentence_of = _sentence_index(doc)
        self.actors: dict[str, Actor] = {}
        self.refs: list[_Ref] = []
        # person surname/first-name token -> keys of full-name actors that carry it
        self.person_parts: dict[str, list[str]] = {}
        self.acronyms: dict[str, str] = {}
        # folded "First Last" -> keys of the names with middle initials that reduce to it
        self.initialled: dict[str, set[str]] = {}
        # folded body name ("security council") -> keys of that body of a named state
        self.bodies: dict[str, set[str]] = {}

    def run(self) -> ArticleActors:
        spans = list(_actor_spans(self.doc))
        headlines = _headline_sentences(self.doc)
        body = {fold(person_name(s.text)) for s in spans if self.sentence_of[s.start] not in headlines}
        for span in spans:
            if self.sentence_of[span.start] in headlines and not self._named_elsewhere(span, body):
                continue  # Title Case Headlines Make The Tagger See Names Everywhere
            actor = self._resolve(span)
            if actor is not None:
                self.refs.append(_Ref(span, span.label_, actor))
        for ref in self.refs:
            if ref.actor.kind in ("person", "organisation"):
                self._add_roles(ref)
            elif ref.actor.kind == "group" and ref.actor.country is None:
                # "Iraqi Kurds" tagged as two entities: the demonym places the group
                ref.actor.country = self._country_near(ref.span.root, exclude=ref.span)
        self._settle_bodies()
        self._settle_people()
        self._settle_shared_bodies()
        mentions = [
            Mention(r.span.start_char, r.span.end_char, r.span.text, r.label,
                    self.sentence_of[r.span.start], r.actor.key)
            for r in self.refs
        ]
        return ArticleActors(list(self.actors.values()), mentions)

    # -- resolution ----------------------------------------------------------------

    def _named_elsewhere(self, span: "Span", body: set[str]) -> bool:
        """A headline entity counts when the article body names it too, or it is a known
        country or organisation."""
        folded = fold(person_name(span.text))
        if folded in body or any(name.endswith(" " + folded) for name in body):
            return True
        return geo.match_country(span.text) is not None or fold(span.text) in self.lexicon.organisations

    def _resolve(self, span: "Span") -> Actor | None:
        label = span.label_
        text = tidy_text(span.text)
        if _stance_word(text):
            return None  # "pro-Clinton", "anti-Trump": a stance, not an actor
        if text.startswith("@"):
            return self._handle(span)
        if label == "PERSON" or (label == "ORG" and self._titled_name(span)) or _styled(span):
            return self._person_or_not(span)
        if label == "ORG" and len(span) == 1 and (self.person_parts.get(fold(text)) or self._known_surname(text)):
            # "Trump" tagged ORG after "Donald Trump" was named, or a well-known surname alone: the person
            return self._person(span)
        if label in ("GPE", "LOC", "FAC") and len(span) == 1 and self.person_parts.get(fold(text)) \
                and geo.match_place(text) is None and geo.match_country(text) is None:
            # "Scholz promised …" tagged GPE after "Olaf Scholz" was named: a surname of this
            # article's people that no gazetteer knows as a place is that person
            return self._person(span)
        country = geo.match_country(text)
        if label in ("GPE", "NORP", "LOC", "FAC", "ORG") and country is not None:
            if country.form in ("capital",) and _is_locative(span):
                return self._place(span, country_hint=country.alpha3)
            if label == "ORG" and country.form not in ("seat",):
                return self._organisation(span)
            return self._state(country, text)
        if label == "NORP":
            # "the Yonhap news agency": a known organisation the model took for a nationality
            if fold(text) in self.lexicon.organisations:
                return self._organisation(span)
            return self._group(span)
        if label == "ORG":
            return self._organisation(span)
        if label in ("GPE", "LOC", "FAC") or label in PLACE_CANDIDATE_LABELS:
            return self._place(span, country_hint=None, require_gazetteer=label in PLACE_CANDIDATE_LABELS)
        return None

    def _surname_known(self, word: str) -> bool:
        """Is `word` the surname of someone this article or the people lexicon names?"""
        return bool(self.person_parts.get(fold(word)) or self.lexicon.people.by_surname(word))

    def _known_surname(self, text: str) -> bool:
        """A surname of the people lexicon that names no organisation or country."""
        return bool(self.lexicon.people.by_surname(text)) and fold(text) not in self.lexicon.organisations \
            and geo.match_country(text) is None

    def _handle(self, span: "Span") -> Actor | None:
        """`@HillaryClinton`, `@realDonaldTrump`: a social-media handle whose words name a person
        the article or the people lexicon knows is that person; other handles (`@WeatherDesk`)
        are no actor."""
        words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", span.text.lstrip("@")).replace("_", " ")
        name = person_name(words)  # drops a lower-case lead word ("real")
        known = f"person:{fold(name)}" in self.actors or self.person_parts.get(fold(name)) \
            or self.lexicon.people.lookup(name)
        if not name or not known:
            return None
        actor = self._person(span, name=name)
        if actor is not None:
            actor.aliases.add(span.text)
        return actor

    def _titled_name(self, span: "Span") -> bool:
        """`Chancellor Olaf Scholz` tagged ORG: a person's title right before a name that is
        neither a known organisation nor headed by an organisation noun is a person."""
        doc = self.doc
        before = list(doc[max(0, span.start - self.lexicon.max_title_words) : span.start])
        if not before or not _trailing_title(before, self.lexicon):
            return False
        if fold(span.text) in self.lexicon.organisations or _sector_of_name(span.text, self.lexicon):
            return False
        return 2 <= len(span) <= 4 and all(t.text[:1].isupper() or not t.is_alpha for t in span)

    def _get(self, key: str, make: Callable[[], Actor]) -> Actor:
        actor = self.actors.get(key)
        if actor is None:
            actor = self.actors[key] = make()
        return actor

    def _state(self, country: "geo.CountryMatch", text: str) -> Actor:
        actor = self._get(
            f"state:{country.alpha3}",
            lambda: Actor(f"state:{country.alpha3}", country.name, "state", country=country.alpha3),
        )
        actor.aliases.add(text)
        return actor

    def _place(self, span: "Span", *, country_hint: str | None, require_gazetteer: bool = False) -> Actor | None:
        place = geo.match_place(span.text)
        if place is None and require_gazetteer:
            return None
        name = place.name if place else tidy_text(span.text)
        country = (place.country if place else None) or country_hint
        kind = place.kind if place else None
        following = self.doc[span.end].lower_ if span.end < len(self.doc) else ""
        if following in ("region", "oblast", "province", "district", "governorate", "county", "state"):
            kind = "region"
        key = f"place:{country or ''}:{fold(name)}"
        actor = self._get(key, lambda: Actor(key, name, "place", country=country, place_kind=kind))
        actor.aliases.add(tidy_text(span.text))
        return actor

    def _organisation(self, span: "Span") -> Actor:
        span = _without_lead_words(span)
        text = tidy_text(span.text)
        body = self._country_body(span, text)
        if body is not None:
            return body
        entry = self.lexicon.organisations.get(fold(text)) or self.lexicon.organisations.get(
            fold(self.acronyms.get(text, ""))
        )
        if entry is None and text in self.acronyms:
            key = self.acronyms[text]
            actor = self.actors[key]
            actor.aliases.add(text)
            return actor
        if entry is None:
            entry = _coded_organisation(text)
        if entry is None:
            parent = self._parent_organisation(span)
            entry = OrgEntry(text, parent.country, parent.sector) if parent else None
        name = entry.name if entry else self._eponym(text)
        key = f"org:{fold(name)}"
        actor = self._get(key, lambda: Actor(
            key, name, "organisation",
            country=entry.country if entry else _demonym_country(span),
            sector=entry.sector if entry else _sector_of_name(text, self.lexicon),
        ))
        actor.aliases.add(text)
        self._note_acronym(span, key)
        return actor

    def _country_body(self, span: "Span", text: str) -> Actor | None:
        """`Security Council of Russia`, `Security Council of the Russian Federation`: a body
        named with its state is one actor of that state, however the state is named; the
        bare `Security Council` later in the same article is that body too."""
        match = re.fullmatch(r"(?P<base>[A-Z][\w'’.&-]*(?: [A-Z][\w'’.&-]*)*) of (?P<state>.+)", text)
        country = geo.match_country(match.group("state")) if match else None
        if match and country is not None and country.form == "name":
            base = match.group("base")
            key = f"org:{fold(base)}:{country.alpha3}"
            self.bodies.setdefault(fold(base), set()).add(key)
            actor = self._get(key, lambda: Actor(key, text, "organisation", country=country.alpha3,
                                                 sector=_sector_of_name(base, self.lexicon)))
        else:
            known = self.bodies.get(fold(text), set())
            if len(known) != 1:
                return None
            actor = self.actors[next(iter(known))]
        actor.aliases.add(text)
        return actor

    def _eponym(self, text: str) -> str:
        """`Hillary & Chelsea Clinton Foundation`, `Bill, Hillary and Chelsea Clinton Foundation`:
        a body named after people by their full names is the `Clinton Foundation`."""
        words = text.split()
        if len(words) < 3 or words[-1].lower() not in EPONYM_HEADS:
            return text
        surname, given = words[-2], words[:-2]
        if not self._surname_known(surname):
            return text
        if all(w in ("&", "and", ",") or re.fullmatch(r"[A-Z][\w.'’-]*,?", w) for w in given):
            return f"{surname} {words[-1]}"
        return text

    def _parent_organisation(self, span: "Span") -> "OrgEntry | None":
        """ "United Nations Emergency Relief Coordinator", "NATO Military Committee": a body whose
        name starts with a known organisation's belongs where it does (country and sector)."""
        for end in range(len(span) - 1, 0, -1):
            entry = self.lexicon.organisations.get(fold(span[:end].text)) or _coded_organisation(span[:end].text)
            if entry is not None:
                return entry
        return None

    def _note_acronym(self, span: "Span", key: str) -> None:
        # "North Atlantic Treaty Organization (NATO)": the bracketed acronym is the same actor.
        doc = self.doc
        if span.end + 2 < len(doc) and doc[span.end].text == "(" and doc[span.end + 2].text == ")":
            candidate = doc[span.end + 1].text
            if candidate.isupper() and 2 <= len(candidate) <= 8:
                self.acronyms[candidate] = key
        initials = "".join(w[0] for w in span.text.split() if w[:1].isupper())
        if len(initials) >= 2:
            self.acronyms.setdefault(initials, key)

    def _group(self, span: "Span") -> Actor:
        text = tidy_text(span.text)
        key = f"group:{fold(text)}"
        # "Iraqi Kurds", "Bosnian Serbs": a group named with its state's demonym lives there
        country = geo.match_country(span[0].text) if len(span) > 1 else None
        actor = self._get(key, lambda: Actor(key, text, "group", country=country.alpha3 if country else None))
        actor.aliases.add(text)
        return actor

    def _person_or_not(self, span: "Span") -> Actor | None:
        """A PERSON span that is really a family ("the Clintons"), a match-up ("Trump-Clinton"),
        a social-media handle, or an organisation named after a person ("Clinton Foundation")
        is not taken for a person."""
        name = person_name(span.text)
        words = name.split()
        if "@" in span.text:
            return None  # "@HillaryClinton": a handle, not a name as the text gives it
        before = self.doc[span.start - 1].lower_ if span.start > 0 else ""
        if len(words) == 1 and name.endswith("s") and (self.person_parts.get(fold(name[:-1])) or before == "the"):
            return self._group(span)
        if re.search(r"\s(?:v|vs)\.?\s", name):
            return None  # "Trump v. Trump": a lawsuit between two people
        if len(words) == 1 and re.fullmatch(r"[A-Z][a-z]+-[A-Z][a-z]+", name) and any(
                self.person_parts.get(fold(part)) for part in name.split("-")):
            return None  # "the Trump-Clinton race": two people named together
        if len(words) >= 2 and words[-1].lower() in ORGANISATION_HEADS:
            return self._organisation(span)
        if len(words) >= 2 and words[-1].lower() in FACILITY_HEADS and self._surname_known(words[-2]):
            return self._place(span, country_hint=None)  # "Trump Tower", not "Senator John Tower"
        return self._person(span)

    def _person(self, span: "Span", name: str | None = None) -> Actor | None:
        name = name or person_name(span.text)
        if not name:
            return None
        parts = name.split()
        if len(parts) >= 3 and f"person:{fold(' '.join(parts[1:]))}" in self.actors:
            # "Crooked Hillary Clinton" after "Hillary Clinton": an epithet before a known name
            actor = self.actors[f"person:{fold(' '.join(parts[1:]))}"]
            actor.aliases.add(name)
            return actor
        if len(parts) >= 2:
            key = self._initialled_as(name, parts) or f"person:{fold(name)}"
            actor = self._get(key, lambda: Actor(key, name, "person"))
            for part in (variant for word in parts for variant in _name_variants(word)):
                keys = self.person_parts.setdefault(fold(part), [])
                if key not in keys:
                    keys.append(key)
        else:
            candidates = self.person_parts.get(fold(name), [])
            if candidates:
                actor = self.actors[self._bare_name_of(candidates)]
            else:
                key = f"person:{fold(name)}"
                actor = self._get(key, lambda: Actor(key, name, "person"))
        actor.aliases.add(name)
        if span.start > 0 and self.doc[span.start - 1].lower_ in PERSON_STYLES:
            self.styled.setdefault(actor.key, set()).add(f"{self.doc[span.start - 1].text} {name}")
        return actor

    def _bare_name_of(self, candidates: list[str]) -> str:
        """The full name a bare surname stands for: the most often named so far of those
        carrying it (`Trump` after `Donald Trump` twice and `Ivanka Trump` once is Donald),
        the most recently introduced on a tie."""
        named = {key: 0 for key in candidates}
        for ref in self.refs:
            if ref.actor.key in named:
                named[ref.actor.key] += 1
        return max(reversed(candidates), key=named.__getitem__)

    def _initialled_as(self, name: str, parts: list[str]) -> str | None:
        """`Donald J. Trump` and `Donald Trump` in one article are one person: the key of the
        other form when it is already known, unless two different initials share the name
        (`George W. Bush` and `George H. W. Bush`)."""
        core = " ".join(without_initials(parts))
        initialled = self.initialled.setdefault(fold(core), set())
        if core != name:
            initialled.add(f"person:{fold(name)}")
            plain = f"person:{fold(core)}"
            return plain if len(initialled) == 1 and plain in self.actors else None
        if len(initialled) == 1 and next(iter(initialled)) in self.actors:
            return next(iter(initialled))
        return None

    def _settle_bodies(self) -> None:
        """A bare `Security Council` named before `the Security Council of Russia` is that body too."""
        for base, keys in self.bodies.items():
            bare = self.actors.get(f"org:{base}")
            body = self.actors.get(next(iter(keys))) if len(keys) == 1 else None
            if bare is None or body is None or bare.country not in (None, body.country):
                continue
            body.aliases |= bare.aliases
            body.roles.extend(bare.roles)
            for ref in self.refs:
                if ref.actor is bare:
                    ref.actor = body
            del self.actors[bare.key]

    def _settle_people(self) -> None:
        """Fold a bare surname mentioned before the full name into the full-name actor."""
        for key, actor in list(self.actors.items()):
            if actor.kind != "person" or " " in actor.name:
                continue
            candidates = self.person_parts.get(fold(actor.name), [])
            if len(candidates) == 1:
                full = self.actors[candidates[0]]
                full.aliases |= actor.aliases
                full.roles.extend(actor.roles)
                for ref in self.refs:
                    if ref.actor is actor:
                        ref.actor = full
                del self.actors[key]
        for actor in self.actors.values():
            if actor.kind == "person":
                _summarise_roles(actor)
                if actor.country is None:
                    self._from_people_lexicon(actor)
        self._affiliate_officials()
        self._infer_principals()
        self._infer_home_country()

    def _infer_home_country(self) -> None:
        """A titled official the text gives no country (`President Salome Zourabichvili said`)
        serves the state the article is about, when one state clearly dominates it (named at
        least twice as often as any other, counting places by their country)."""
        counts: dict[str, int] = {}
        titles = [(role.start, role.end) for actor in self.actors.values() if actor.kind == "person"
                  for role in actor.roles]
        for ref in self.refs:
            if any(start <= ref.span.root.head.idx < end for start, end in titles):
                continue  # "South African leader F.W. de Klerk": that country is his, not the article's
            country = ref.actor.country if ref.actor.kind in ("state", "place") else None
            if country:
                counts[country] = counts.get(country, 0) + 1
        ranked = sorted(counts.items(), key=lambda kv: kv[1], reverse=True)
        if not ranked or (len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1]):
            return
        home = ranked[0][0]
        for actor in self.actors.values():
            if actor.kind == "person" and actor.country is None and any(
                    r.sector in ("GOV", "MIL", "LEG", "JUD", "COP", "SPY") for r in actor.roles) \
                    and actor.sector not in INTERNATIONAL_CODES.values():  # the UN's envoy is no one's citizen
                actor.country = home

    def _from_people_lexicon(self, actor: Actor) -> None:
        """A well-known person the text gives no country: the lexicon's country (and sector)."""
        titles = [role.title for role in actor.roles if role.sector]
        names = [actor.name, *sorted(actor.aliases), *sorted(self.styled.get(actor.key, ()))]
        if " " in actor.name:
            # a full name is looked up by its full forms: the surname alone is the whole
            # family's ("Ivanka Trump" is not the president because "Trump" is)
            names = [n for n in names if " " in n and not n.startswith("@")]
        entry = known_person(self.lexicon, names, year=self.year, titles=titles)
        if entry is None:
            return
        actor.country = entry.country
        if entry.sector == "IGO":
            actor.sector = "IGO"  # "Secretary-General Kofi Annan": the office is international
        elif actor.sector is None:
            ended = self.year is not None and entry.end is not None and entry.end < self.year
            actor.sector = "ELI" if ended and entry.sector == "GOV" else entry.sector

    def _infer_principals(self) -> None:
        """`President Vladimir Putin’s top security adviser`: a government official's
        principal (the possessor of the role) serves the same country when the text gives
        the principal none."""
        for ref in self.refs:
            principal = ref.actor
            if principal.kind != "person" or principal.country is not None:
                continue
            head = ref.span.root.head
            if ref.span.root.dep_ != "poss":
                continue
            for holder in self.actors.values():
                if holder is principal or holder.country is None:
                    continue
                if any(role.start <= head.idx < role.end and role.sector == "GOV" for role in holder.roles):
                    principal.country = holder.country
                    break

    def _affiliate_officials(self) -> None:
        """ "U.N. mediator Diego Cordovez", "NATO chief Mark Rutte", "the EU foreign policy chief,
        Kaja Kallas": a person of no known country whose title phrase names an international
        organisation serves it (sector IGO/NGO, as CAMEO codes the organisation's officials)."""
        for ref in self.refs:
            actor = ref.actor
            if actor.kind != "person" or actor.country or actor.sector in INTERNATIONAL_CODES.values():
                continue
            root = ref.span.root
            titles = [c for c in root.children if c.dep_ in ("compound", "nmod", "amod", "appos")
                      and not _inside(c, ref.span)]
            titles += [root.head] if root.dep_ == "appos" else []
            for title in titles:
                sector = self._international_in(title, before=ref.span.start)
                if sector:
                    actor.sector = sector
                    break

    def _international_in(self, title: "Token", *, before: int) -> str | None:
        for tok in title.subtree:
            org = self._ref_at(tok) if tok.i < before else None
            if org is not None and org.actor.kind == "organisation" and org.actor.country is None \
                    and org.actor.sector in INTERNATIONAL_CODES.values():
                return org.actor.sector
        return None

    def _settle_shared_bodies(self) -> None:
        """"the Security Council", "the Supreme Court": a body many states have under the name
        the lexicon gives one holder (the UN's, the US's) is a state's own when the text ties it
        to one: a country that qualifies it ("Russia's Security Council"), the office of a
        person of that country ("Shoigu, secretary of the Security Council"), or, where the
        article does not speak of the holder, the state the article is about."""
        for ref in self.refs:
            actor = ref.actor
            name = fold(ref.span.text).removeprefix("the ")
            if actor.kind != "organisation" or name not in SHARED_BODY_NAMES:
                continue
            country = (self._country_near(ref.span.root, exclude=ref.span) or self._office_country(ref)
                       or self._home_state(unless_named=actor))
            national = self._national_body(actor, country) if country else actor
            if national is not actor:
                ref.actor = national
                if all(other.actor is not actor for other in self.refs):
                    del self.actors[actor.key]  # no mention left for the shared holder's body

    def _office_country(self, ref: _Ref) -> str | None:
        """The country of a person whose title names the body ("secretary of the Security Council")."""
        start = ref.span.start_char
        for actor in self.actors.values():
            if actor.kind == "person" and actor.country and any(
                    r.start <= start < r.end or (r.end <= start and self._names_office(r.end, start))
                    for r in actor.roles):
                return actor.country
        return None

    def _names_office(self, title_end: int, start: int) -> bool:
        # "the secretary of the Security Council": only "of" and "the" between title and body
        between = self.doc.text[title_end:start].split()
        return 0 < len(between) <= 2 and all(w.lower() in ("of", "the") for w in between)

    def _home_state(self, *, unless_named: Actor) -> str | None:
        """The state the article is mostly about (named at least twice as often as any other),
        unless the article names the body's usual holder (the UN for the Security Council)."""
        holder = unless_named.country
        words = {t.lower_ for t in self.doc}
        names_un = words & UN_WORDS or any("united nations" in fold(a.name) for a in self.actors.values())
        if holder is None and names_un:
            return None
        counts: dict[str, int] = {}
        for ref in self.refs:
            if ref.actor.kind in ("state", "place") and ref.actor.country:
                counts[ref.actor.country] = counts.get(ref.actor.country, 0) + 1
        ranked = sorted(counts.items(), key=lambda kv: kv[1], reverse=True)
        if not ranked or (len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1]) or ranked[0][0] == holder:
            return None
        return ranked[0][0]

    def _national_body(self, shared: Actor, country: str) -> Actor:
        name = f"{shared.name.removeprefix('the ').removeprefix('The ')} of {geo.country_name(country) or country}"
        entry = self.lexicon.organisations.get(fold(name))
        key = f"org:{fold(entry.name if entry else name)}"
        if key == shared.key:
            return shared
        sector = (entry.sector if entry else None) or _sector_of_name(shared.name, self.lexicon) or shared.sector
        actor = self._get(key, lambda: Actor(key, entry.name if entry else name, "organisation",
                                             country=country, sector=sector))
        actor.aliases.update(shared.aliases)
        return actor

    # -- roles -----------------------------------------------------------------------

    def _add_roles(self, ref: _Ref) -> None:
        for head, title_tokens in _role_heads(ref.span, self.lexicon):
            role = self._role(ref, head, title_tokens)
            if role is not None and role not in ref.actor.roles:
                ref.actor.roles.append(role)
        if ref.actor.kind == "organisation":
            self._organisation_context(ref)

    def _organisation_context(self, ref: _Ref) -> None:
        # "Russia's defence ministry", "the Russian news agency TASS", "the TASS news agency"
        root = ref.span.root
        head = root.head if root.dep_ in ("compound", "appos") else root
        country = self._country_near(head, exclude=ref.span)
        if country and ref.actor.country is None:
            ref.actor.country = country
        if ref.actor.sector is None:
            ref.actor.sector = _sector_of_tokens(head, self.lexicon)

    def _role(self, ref: _Ref, head: "Token", title_tokens: list["Token"]) -> Role | None:
        title = _phrase_text(title_tokens)
        sector = _title_sector(title_tokens, self.lexicon, head=head)
        if sector is None:
            return None
        country = self._country_near(head, exclude=ref.span) or self._country_of_org_in(head)
        if country is None and head.i < ref.span.start:
            # "Brazilian President Lula", "Russia's President Putin": the modifier hangs on the name
            country = self._country_near(ref.span.root, exclude=ref.span)
        began, ended = self._time_range(head)
        start = min(t.idx for t in title_tokens)
        end = max(t.idx + len(t) for t in title_tokens)
        return Role(title=title, country=country, sector=sector, start=start, end=end,
                    sentence=self.sentence_of[head.i], began=began, ended=ended)

    def _country_near(self, head: "Token", *, exclude: "Span") -> str | None:
        """Country of a title or organisation from its possessor, adjective or `of` phrase."""
        for child in head.children:
            if exclude.start <= child.i < exclude.end:
                continue
            if child.dep_ in ("poss", "amod", "compound", "nmod"):
                found = self._country_of_token(child)
                if found:
                    return found
            if child.dep_ == "prep" and child.lower_ == "of":
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        found = self._country_of_token(obj)
                        if found:
                            return found
        return None

    def _country_of_token(self, token: "Token") -> str | None:
        ref = self._ref_at(token)
        if ref is not None:
            return ref.actor.country if ref.actor.kind != "place" or ref.actor.place_kind == "country" else ref.actor.country
        if token.pos_ == "PRON" and token.lower_ in ("its", "their"):
            return self._antecedent_country(token)
        match = geo.match_country(token.text)
        return match.alpha3 if match else None

    def _country_of_org_in(self, head: "Token") -> str | None:
        # "secretary of the Security Council": an organisation with a known country
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                for obj in child.children:
                    ref = self._ref_at(obj)
                    if ref is not None and ref.actor.kind == "organisation":
                        return ref.actor.country
        return None

    def _antecedent_country(self, pronoun: "Token") -> str | None:
        # "its leader": the nearest state or organisation named before the pronoun
        for ref in reversed(self.refs):
            if ref.span.end <= pronoun.i and ref.actor.kind in ("state", "organisation"):
                if self.sentence_of[pronoun.i] - self.sentence_of[ref.span.start] <= 1:
                    return ref.actor.country
                return None
        return None

    def _ref_at(self, token: "Token") -> _Ref | None:
        for ref in self.refs:
            if ref.span.start <= token.i < ref.span.end:
                return ref
        return None

    def _time_range(self, head: "Token") -> tuple[str | None, str | None]:
        """`until May` / `since 2019` / `from 2010 to 2014` in the clause that gives the role."""
        if self.normalise_time is None:
            return None, None
        began = ended = None
        clause = head.head if head.dep_ in ("attr", "pobj", "dobj", "oprd") else head
        if clause.dep_ == "prep":
            clause = clause.head
        for prep in clause.subtree:
            if prep.dep_ != "prep" or prep.head not in (clause, head):
                continue
            phrase = self.doc[prep.i : prep.right_edge.i + 1].text
            word = prep.lower_
            if word in ("until", "till", "to", "through"):
                ended = ended or self.normalise_time(phrase)
            elif word in ("since", "from"):
                began = began or self.normalise_time(phrase)
        return began, ended


def _role_heads(span: "Span", lexicon: ActorLexicon) -> Iterator[tuple["Token", list["Token"]]]:
    """Title nouns attached to a name: compounds before it, appositions, `served as X`."""
    root = span.root
    # "President Vladimir Putin", "Defense Minister Sergei Shoigu": title words before the name
    # "Saudi Foreign Minister Prince Faisal": a chain of titles, each a role
    end = span.start
    while True:
        before = list(span.doc[max(0, end - lexicon.max_title_words - 1) : end])
        title = _trailing_title(before, lexicon)
        if not title:
            break
        yield title[-1], title
        end = title[0].i
    # "Sergei Shoigu, Russia’s security adviser" and "its leader, Kim Jong Un"
    for candidate in [*[c for c in root.children if c.dep_ == "appos"],
                      *([root.head] if root.dep_ == "appos" else [])]:
        # "President Obama" beside "Trump": another person's name is no title of this one
        if candidate.pos_ in ("NOUN", "PROPN") and not _inside(candidate, span) and candidate.ent_type_ != "PERSON":
            yield candidate, _title_tokens(candidate)
    # "X, who served as defense minister", "X has been the secretary of …"
    for verb in _predicates_of(root):
        for obj in _role_objects(verb):
            if not _characterisation(verb, obj):
                yield obj, _title_tokens(obj)


def _predicates_of(root: "Token") -> Iterator["Token"]:
    candidates = []
    if root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_ in ROLE_VERBS:
        candidates.append(root.head)
    for child in root.children:
        if child.dep_ == "relcl":
            candidates.append(child)
    seen = set()
    while candidates:
        verb = candidates.pop()
        if verb.i in seen:
            continue
        seen.add(verb.i)
        if verb.lemma_ in ROLE_VERBS or any(c.dep_ == "attr" for c in verb.children):
            yield verb
        candidates.extend(c for c in verb.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX"))


def _characterisation(verb: "Token", obj: "Token") -> bool:
    """`Trump is a dictator`, `she is a good reporter`: `be` with an indefinite noun says what
    someone is like, not which office they hold (`is the foreign minister` does)."""
    return verb.lemma_ == "be" and any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in obj.children)


def _role_objects(verb: "Token") -> Iterator["Token"]:
    for child in verb.children:
        if child.dep_ in ("attr", "oprd") and child.pos_ in ("NOUN", "PROPN"):
            yield child
        elif child.dep_ == "prep" and child.lower_ == "as":
            for obj in child.children:
                if obj.dep_ == "pobj" and obj.pos_ in ("NOUN", "PROPN"):
                    yield obj


def _title_tokens(head: "Token") -> list["Token"]:
    """The title phrase of a head noun: its compound and adjective modifiers, plus `of ORG`."""
    modifiers = {t.i for t in head.lefts if t.dep_ in ("compound", "amod")
                 and t.ent_type_ not in ("GPE", "NORP", "PERSON")}
    # keep only the contiguous run of modifiers that ends at the head
    run = [head]
    while run[0].i - 1 in modifiers:
        run.insert(0, head.doc[run[0].i - 1])
    for child in head.rights:
        if child.dep_ == "prep" and child.lower_ == "of":
            objs = [c for c in child.children if c.dep_ == "pobj"]
            if objs and (objs[0].ent_type_ == "ORG" or objs[0].pos_ == "PROPN"):
                run = [*run, *_name_phrase(head.doc[child.i : objs[0].right_edge.i + 1])]
    return run


def _phrase_text(tokens: list["Token"]) -> str:
    """The words of a phrase as the text spaces them, tidied (`Workers' Party`, not
    `Workers ' Party`); a gap in the phrase is one space."""
    parts = []
    for token, following in zip(tokens, [*tokens[1:], None]):
        parts.append(token.text)
        if following is not None:
            parts.append(token.whitespace_ or ("" if following.i == token.i + 1 else " "))
    return tidy_text("".join(parts)) or ""


def _without_lead_words(span: "Span") -> "Span":
    """`Later the Security Council`: an entity span the tagger began with a sentence's opening
    adverb or article starts at the name."""
    start = span.start
    if span.doc[start].pos_ not in LEAD_POS or span.doc[start].lower_ in DETERMINERS:
        return span  # "The New York Times" keeps its article
    while start < span.end - 1 and (span.doc[start].pos_ in LEAD_POS or span.doc[start].lower_ in DETERMINERS):
        start += 1
    return span.doc[start : span.end] if start > span.start else span


def _name_phrase(tokens: "Span") -> list["Token"]:
    """`of the Teachers' Federation`, without what the text goes on to say about it (`, which
    represents …`, `-- the company that …`, `'s "Nightly News"`) or a dangling `'s` or `the`."""
    kept: list["Token"] = []
    for token in tokens:
        if token.text in CLAUSE_BREAKS or token.dep_ in ("relcl", "acl", "appos") or token.tag_ == "WDT":
            break
        kept.append(token)
    while kept and (kept[-1].tag_ in ("POS", "DT", "IN", "CC") or kept[-1].is_punct):
        kept.pop()
    return kept


def _trailing_title(tokens: list["Token"], lexicon: ActorLexicon) -> list["Token"]:
    """The longest title in the lexicon that ends right before the name."""
    size = lexicon.title_ending([t.lower_ for t in tokens])
    return tokens[-size:] if size and tokens[-1].ent_type_ != "PERSON" else []


def _title_sector(tokens: list["Token"], lexicon: ActorLexicon, *, head: "Token | None" = None) -> str | None:
    kept = [t for t in tokens if t.pos_ != "DET"]
    words = [t.lower_ for t in kept]
    # a title phrase is the head's: "daughter of former President Bill Clinton" holds no office
    at = next((i for i, t in enumerate(kept) if t.i == head.i), None) if head is not None else None
    # most specific first: "top security adviser" -> "security adviser" -> "adviser"
    for start in range(len(words) if at is None else at + 1):
        for end in range(len(words), start if at is None else at, -1):
            sector = lexicon.titles.get(" ".join(words[start:end]))
            if sector:
                return sector
    return None


def _sector_of_tokens(head: "Token", lexicon: ActorLexicon) -> str | None:
    words = [t.lower_ for t in head.subtree if t.dep_ in ("compound", "amod") or t == head]
    return lexicon.sector_of_words(words)


def _sector_of_name(name: str, lexicon: ActorLexicon) -> str | None:
    return lexicon.sector_of_words(name.lower().split())


# names of bodies that many states have, though a lexicon gives each one holder (the UN's Security
# Council, the US Supreme Court): see `_Resolver._settle_shared_bodies`
SHARED_BODY_NAMES = frozenset({"security council", "national security council", "general assembly",
                               "supreme court", "constitutional court", "national assembly"})
UN_WORDS = frozenset({"un", "u.n.", "u.n", "uno"})
# CAMEO codes that stand in the country slot for international actors
INTERNATIONAL_CODES = {"UNO": "IGO", "IGO": "IGO", "EUR": "IGO", "NGO": "NGO", "IMG": "IMG", "MNC": "MNC"}


def _coded_organisation(text: str) -> "OrgEntry | None":
    """An organisation the event lexicon's actor dictionary codes (`Security Council` → UNO)."""
    from .event_lexicon import load_event_lexicon  # the event layer is optional for actors

    code = load_event_lexicon().actors.get(fold(text))
    if not code:
        return None
    head = code[:3]
    if head in INTERNATIONAL_CODES:
        return OrgEntry(text, None, INTERNATIONAL_CODES[head])
    return OrgEntry(text, head, code[3:6] or None)


def known_person(lexicon: ActorLexicon, names: Iterable[str], *, year: int | None = None,
                 titles: Iterable[str] = ()) -> PersonEntry | None:
    """The people-lexicon office a person named `names` most likely holds, or None.

    A full name (or multi-word alias) is looked up as it is; a single word, or a full name
    the lexicon lacks whose first name agrees, by its surname. Offices held in `year` are
    preferred. A match must point to one country; when it does not, the text's `titles`
    ("President", "foreign minister") may narrow it to the offices they name.
    """
    names = [n for n in names if n]
    entries = _people_entries(lexicon, names)
    if not entries:
        return None
    if year is not None:
        entries = [e for e in entries if e.covers(year)] or entries
    if len({e.country for e in entries}) > 1:
        words = {w for title in titles for w in title.lower().split()}
        entries = [e for e in entries if words & set(e.role.lower().split())]
        if len({e.country for e in entries}) != 1:
            return None
    # the office held at the date, else the latest one
    return max(entries, key=lambda e: (year is not None and e.covers(year), e.start or 0))


def _people_entries(lexicon: ActorLexicon, names: list[str]) -> list[PersonEntry]:
    people = lexicon.people
    for name in names:
        found = people.lookup(name)
        if found:
            return list(found)
    for name in names:
        words = name.split()
        found = people.by_surname(words[-1])
        if len(words) > 1:
            # "Omar El Bashir" for "Omar al-Bashir"; "Tom Smith" is not "John Smith"
            found = tuple(e for e in found if fold(e.name.split()[0]) == fold(words[0]))
        if found:
            return list(found)
    return []


# Sectors that say less about what a person does than the others (royal "Prince" beside
# "Foreign Minister"); a role with another sector wins.
WEAK_SECTORS = frozenset({"ELI"})


def _summarise_roles(actor: Actor) -> None:
    """A person's country and sector: from the current roles first, then past ones."""
    current = [r for r in actor.roles if r.ended is None]
    ranked = sorted([*current, *actor.roles], key=lambda r: r.sector in WEAK_SECTORS)
    for role in ranked:
        if actor.country is None and role.country:
            actor.country = role.country
        if actor.sector is None and role.sector:
            actor.sector = role.sector


def _is_locative(span: "Span") -> bool:
    """Is this capital used as a place ("in Moscow", "visited Pyongyang") not a government?"""
    root = span.root
    head = root.head
    if root.dep_ == "pobj":
        if head.lower_ in LOCATIVE_PREPS:
            return True
        return head.lower_ == "from" and head.head.lemma_ in MOTION_VERBS
    if root.dep_ in ("dobj", "npadvmod"):
        return head.lemma_ in MOTION_VERBS
    if root.dep_ == "compound":
        return head.lower_ in ("region", "area", "city", "province", "airport")
    return False


def _inside(token: "Token", span: "Span") -> bool:
    return span.start <= token.i < span.end


def _sentence_index(doc: "Doc") -> list[int]:
    return sentence_index(doc)


def _actor_spans(doc: "Doc") -> Iterator["Span"]:
    """Entity spans worth resolving, trimmed of determiners and possessive endings."""
    for ent in entities(doc):
        if ent.label_ not in ACTOR_LABELS and ent.label_ not in PLACE_CANDIDATE_LABELS:
            continue
        span = trim_span(ent)
        if span is not None:
            yield span


NOT_NAME_POS = frozenset({"VERB", "ADV", "ADP", "ADJ", "DET", "PRON", "AUX", "SCONJ", "CCONJ", "PART", "NUM"})
# Nouns that head a phrase before a name ("Team Clinton", "Longtime Clinton foe").
NOT_NAME_WORDS = frozenset({"team", "longtime", "camp", "ally", "aide", "rival", "foe", "critic", "supporter",
                            "candidate", "nominee", "former", "then", "late", "embattled"})


def trim_span(span: "Span") -> "Span | None":
    """`the Kremlin’s` → `Kremlin`… keeps the label; None if nothing is left."""
    from spacy.tokens import Span

    start, end = span.start, span.end
    doc = span.doc
    while start < end and doc[start].lower_ in DETERMINERS:
        start += 1
    if span.label_ == "PERSON":
        # "Asserting Clinton's role", "Beneath Clinton's wins", "Here's Clinton": a word the
        # tagger swept into a name at the start of a sentence or headline is not part of it
        while end - start > 1 and (doc[start].pos_ in NOT_NAME_POS or doc[start].is_stop
                                   or doc[start].lower_ in NOT_NAME_WORDS):
            start += 1
    while end > start and doc[end - 1].text in POSSESSIVE_SUFFIXES:
        end -= 1
    while end > start and doc[end - 1].is_punct and doc[end - 1].text != ".":
        end -= 1
    if start >= end:
        return None
    return Span(doc, start, end, label=span.label_)


# Name particles a later short form drops: "Abdel Fattah al-Burhan" ... "Burhan".
NAME_PARTICLES = ("al-", "el-", "ad-", "ar-", "as-", "ash-", "at-", "az-", "ad-", "an-")


def _name_variants(word: str) -> list[str]:
    lower = word.lower()
    for particle in NAME_PARTICLES:
        if lower.startswith(particle) and len(word) > len(particle) + 1:
            return [word, word[len(particle):]]
    return [word]


# Last words that make a "person" name a building or place named after one ("Trump Tower"),
# when the word before is a known surname.
FACILITY_HEADS = frozenset(
    "tower towers building hotel plaza casino resort stadium arena airport hall palace mansion estate "
    "street avenue boulevard road square park bridge".split()
)
# Last words of bodies often named after people by their full names ("Hillary Clinton Foundation").
EPONYM_HEADS = frozenset("foundation fund trust institute initiative library center centre campaign".split())
# Parts of speech that cannot open a name: an entity span starting with them starts too early.
LEAD_POS = frozenset({"ADV", "DET", "ADP", "CCONJ", "SCONJ", "PRON", "INTJ"})
# Tokens after which a title's `of` phrase goes on to describe, not name, the body.
CLAUSE_BREAKS = frozenset({",", ";", ":", "--", "—", "–", "(", '"', "“", "”", "``", "''"})
# Last words that make a "person" name an organisation's ("Clinton Foundation").
ORGANISATION_HEADS = frozenset(
    "foundation initiative institute campaign committee fund trust center centre council group "
    "administration organization organisation corporation company university school library".split()
)
STYLE_WORDS = frozenset({"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "dr", "dr."})


def _stance_word(text: str) -> bool:
    return bool(re.match(r"(?i)(pro|anti|non|ex|neo)[-‐]", text))


def _styled(span: "Span") -> bool:
    """`Mrs. Clinton`, even when the tagger called it a place."""
    first = span.doc[span.start].lower_
    before = span.doc[span.start - 1].lower_ if span.start > 0 else ""
    return first in STYLE_WORDS or before in STYLE_WORDS


def _headline_sentences(doc: "Doc") -> set[int]:
    """Sentences In Title Case (headlines, subheads): most of their words are capitalised."""
    found = set()
    for number, sent in enumerate(sentences(doc)):
        # the words that are not names: lower case in running text, capitalised in a headline
        words = [t for t in sent[1:] if t.is_alpha and not t.ent_type_ and len(t) > 1]
        if len(words) >= 2 and sum(t.text[0].isupper() for t in words) >= 0.75 * len(words):
            found.add(number)
    return found


def person_name(text: str) -> str:
    """A person's name as written, without honorifics, titles or a possessive ending."""
    text = tidy_text(text) or ""
    # "Donald Trump's America", "Donald Trump-led": the name ends where the possessive or the
    # lower-case compound begins
    text = re.split(r"(?<=\w)['’‘]s\b", text, maxsplit=1)[0]
    text = _COMPOUND_SUFFIX.sub("", text)
    for suffix in POSSESSIVE_SUFFIXES:
        if text.endswith(suffix):
            text = text[: -len(suffix)]
            break
    words = text.split()
    while words and (words[0].lower() in HONORIFICS or words[0][:1].islower()):
        words.pop(0)  # "Mrs.", "Dr", and stray lower-case words a broken tokenisation left
    return " ".join(words).strip(" ,.;:\"'“”‘’")


# "Trump-led", "Kremlin-backed": a name inside a compound adjective (not "Ji-won", "al-Assad")
_COMPOUND_SUFFIX = re.compile(
    r"(?<=[A-Za-z])-(?:led|backed|based|style|era|like|linked|allied|aligned|run|owned|appointed|"
    r"endorsed|friendly|funded|inspired|supporting|controlled|held)$")


def without_initials(words: list[str]) -> list[str]:
    """A name's words without middle initials (`Donald J. Trump` -> `Donald Trump`)."""
    return [words[0], *(w for w in words[1:-1] if not re.fullmatch(r"\w\.?", w)), words[-1]]


def actor_code(actor: Actor) -> str | None:
    """CAMEO-style actor code: country plus sector (`RUSGOV`), or whichever is known."""
    code = (actor.country or "") + (actor.sector or "")
    return code or None


def iter_roles(actors: Iterable[Actor]) -> Iterator[tuple[Actor, Role]]:
    for actor in actors:
        for role in actor.roles:
            yield actor, role
