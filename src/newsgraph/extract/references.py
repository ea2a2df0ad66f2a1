"""Event arguments resolved to the article's actors.

`ArticleResolver` is the `Resolver` the event coder calls with a noun phrase. It answers
with the canonical actors of the foundation layer, coded CAMEO-style (country + sector):

- a named actor inside the phrase (`Sergei Shoigu` → RUSGOV, `TASS` → RUSMED);
- a state named by an adjective or possessor with an agent noun (`North Korean troops`,
  `Russia's forces` → PRKMIL, RUSMIL), a capital or seat used as a government (`Moscow`);
- references back: `he`/`his` → the last person, `it`/`its` → the last state or
  organisation, `they`, `both nations`, `the two countries` → the last two states;
- otherwise the event lexicon's agents (`intelligence sources` → SPY, `officials` → GOV).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from .. import geo
from ..lexicons import load_actor_lexicon
from ..types import Actor
from .actors import LOCATIVE_PREPS, MOTION_VERBS, ArticleActors
from .events import ActorRef, DictionaryResolver, ethnic_group, residence_of, stance_prefixed
from .parsed import sentence_index

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

PERSON_PRONOUNS = frozenset({"he", "him", "his", "she", "her", "hers", "himself", "herself"})
THING_PRONOUNS = frozenset({"it", "its", "itself"})
PLURAL_PRONOUNS = frozenset({"they", "them", "their", "theirs", "themselves"})
# "both nations", "the two countries", "the two sides": the last two states named
GROUP_NOUNS = frozenset({"nation", "country", "side", "government", "state", "capital", "neighbour",
                         "neighbor", "ally", "partner"})
GROUP_DETERMINERS = frozenset({"both", "two"})
# sectors that act as the state itself
STATE_SECTORS = frozenset({"GOV", "MIL", "LEG", "JUD", "COP", "SPY"})
# prepositions whose object a verb's act is aimed at ("fired at", "advanced on", "struck into")
AIMED_PREPS = frozenset({"at", "on", "upon", "into", "against", "toward", "towards"})
# How many sentences back a pronoun may reach for its antecedent.
REACH = 2
ARGUMENT_KINDS = frozenset({"person", "state", "organisation", "group"})


class ArticleResolver:
    """Resolve argument phrases of one parsed article to its actors."""

    def __init__(self, doc: "Doc", found: ArticleActors, *, fallback: DictionaryResolver | None = None):
        self.doc = doc
        self.titles = load_actor_lexicon().titles
        self.fallback = fallback or DictionaryResolver()
        actors = {a.key: a for a in found.actors}
        self.sentence_of = dict(enumerate(sentence_index(doc)))
        # token index -> (actor, mention span)
        self.at: dict[int, tuple[Actor, "Span"]] = {}
        self.order: list[tuple[int, Actor, float]] = []  # (first token, actor, salience) in text order
        for m in found.mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            actor = actors.get(m.actor)
            if span is None or actor is None:
                continue
            for i in range(span.start, span.end):
                self.at[i] = (actor, span)
            self.order.append((span.start, actor, _salience(span)))
        self.order.sort(key=lambda item: item[0])
        self.state_keys = {a.key for a in actors.values() if a.kind == "state"}

    def __call__(self, span: "Span") -> list[ActorRef]:
        root = span.root
        place, mention = self.at.get(root.i, (None, None))
        if place is not None and mention is not None and place.kind == "place" and place.country:
            # a place visited ("visited Pyongyang", "arrived in Khartoum") stands for its host
            # state; a place where something happens ("the war in Gaza") is no actor. A "place"
            # of no country is the model's guess on a capitalised word ("Gunmen kill …" in a
            # headline): it is resolved as any other phrase
            if not _visited(root):
                return []
            name = geo.country_name(place.country) or place.country
            return [ActorRef(key=f"state:{place.country}", name=name, code=place.country,
                             country=place.country, sector=None, start=mention.start_char,
                             end=mention.end_char)]
        residence = residence_of(span)
        if residence is not None:
            # "the Albanians of southern Serbia": a people belongs to the state it lives in
            code, start, end, _ = residence
            return [ActorRef(key=f"actor:{code}CVL", name=geo.country_name(code) or code, code=code + "CVL",
                             country=code, sector="CVL", start=start, end=end)]
        if ethnic_group(span):
            # "ethnic Albanians": a people, not the state of that name; placed where it acts
            return [ActorRef(key=f"agent:CVL:{span.start_char}", name=span.text, code="CVL", country=None,
                             sector="CVL", start=span.start_char, end=span.end_char)]
        found = self._named(span) or self._referred(span) or [
            self._as_state(ref) for ref in self.fallback(self._own_phrase(span)) if ref.country or ref.sector]
        # a person or organisation is an actor even uncoded; a group needs a country or sector
        return [ref for ref in found if ref.code or ref.key.startswith(("person:", "org:"))]

    def _as_state(self, ref: ActorRef) -> ActorRef:
        """An agent of a state the article names ("leaders of Chile") is that state's actor,
        so events and stories link to the state, with the agent's sector in the code."""
        key = f"state:{ref.country}" if ref.country else None
        if ref.country and key in self.state_keys and not ref.key.startswith(("person:", "org:", "state:")) \
                and _of_the_state(ref.sector):
            return replace(ref, key=key, name=geo.country_name(ref.country) or ref.name)
        return ref

    # -- named actors ---------------------------------------------------------------

    def _named(self, span: "Span") -> list[ActorRef]:
        root = span.root
        joined = self._coordinated_people(span)
        if joined:
            return joined
        if root.i in self.at:
            actor, mention = self.at[root.i]
            if actor.kind in ARGUMENT_KINDS:
                return [self._ref(actor, mention, sector=_mention_sector(actor, mention))]
            return []
        apposed = self._apposed(span)
        if apposed:
            return apposed
        # an actor modifying the head: "North Korean troops", "Russia's forces", "TASS reporters"
        seen: set[int] = set()
        for token in span:
            if token.i not in self.at:
                continue
            actor, mention = self.at[token.i]
            if mention.start in seen or mention.root.head.i != root.i or stance_prefixed(mention):
                continue
            seen.add(mention.start)
            if actor.kind == "organisation" and actor.sector:
                return [self._ref(actor, mention, sector=actor.sector)]  # "UN envoy" is the UN's
            if actor.kind in ("state", "organisation"):
                sector = self._agent_sector(span, outside=mention) or _mention_sector(actor, mention)
                ref = self._ref(actor, mention, sector=sector)
                if actor.kind == "state" and not _of_the_state(sector):
                    # "Syrian rebels", "Syrian civilians" are actors of their own, not the state:
                    # "Syrian troops fired on Syrian protesters" is no act of a state on itself
                    ref = replace(ref, key=f"actor:{ref.code}")
                return [ref]
        return self._titled(root)

    def _coordinated_people(self, span: "Span") -> list[ActorRef]:
        """`President Lula and President Milei` when the parse hid the coordination inside
        one phrase: every person named in it, if an `and` joins them."""
        people: list[tuple[Actor, "Span"]] = []
        for token in span:
            if token.i in self.at:
                actor, mention = self.at[token.i]
                if actor.kind == "person" and all(a is not actor for a, _ in people):
                    people.append((actor, mention))
        if len(people) < 2:
            return []
        first_end, last_start = people[0][1].end, people[-1][1].start
        if not any(t.lower_ in ("and", "&") for t in span.doc[first_end:last_start]):
            return []
        return [self._ref(actor, mention, sector=actor.sector) for actor, mention in people]

    def _titled(self, root: "Token") -> list[ActorRef]:
        # "President" parsed apart from the name that follows it ("President Javier Milei")
        if root.lower_ not in self.titles:
            return []
        following = root.i + 1
        while following < len(self.doc) and self.doc[following].lower_ in self.titles:
            following += 1
        if following in self.at:
            actor, mention = self.at[following]
            if actor.kind == "person" and mention.start == following:
                return [self._ref(actor, mention, sector=actor.sector)]
        return []

    def _own_phrase(self, span: "Span") -> "Span":
        """The phrase without its prepositional modifiers unless its head is an agent
        ("officials in New Delhi" keeps its place; "an agreement in Brasilia" does not)."""
        root = span.root
        if root.lemma_.lower() in self.fallback.lexicon.agents or root.lower_ in self.fallback.lexicon.agents:
            return span
        end = root.i + 1
        return span.doc[span.start : max(end, span.start + 1)] if span.start <= root.i else span

    def _apposed(self, span: "Span") -> list[ActorRef]:
        # "its leader, Kim Jong Un": the named apposition is the actor
        for child in span.root.children:
            if child.dep_ == "appos" and child.i in self.at:
                actor, mention = self.at[child.i]
                if actor.kind in ARGUMENT_KINDS:
                    return [self._ref(actor, mention, sector=actor.sector)]
        return []

    def _agent_sector(self, span: "Span", *, outside: "Span") -> str | None:
        """Sector from the agent nouns of the phrase, not from the name inside it
        ("European Union members" is not a labour union)."""
        doc = span.doc
        rest = [t for t in span if not outside.start <= t.i < outside.end]
        if not rest:
            return None
        refs = self.fallback(doc[rest[0].i : rest[-1].i + 1])
        return refs[0].sector if refs else None

    @staticmethod
    def _ref(actor: Actor, mention: "Span", *, sector: str | None) -> ActorRef:
        country = actor.country
        code = (country or "") + (sector or "")
        return ActorRef(key=actor.key, name=actor.name, code=code, country=country,
                        sector=sector, start=mention.start_char, end=mention.end_char)

    # -- references back -------------------------------------------------------------

    def _referred(self, span: "Span") -> list[ActorRef]:
        root = span.root
        word = root.lower_
        if root.pos_ == "PRON" or word in PERSON_PRONOUNS | THING_PRONOUNS | PLURAL_PRONOUNS:
            if word in PERSON_PRONOUNS:
                return self._last(root, {"person"}, 1, span)
            if word in THING_PRONOUNS:
                return self._last(root, {"state", "organisation"}, 1, span)
            if word in PLURAL_PRONOUNS:
                return self._last(root, {"state"}, 2, span)
            return []
        # "his visit" reaches the coder as the possessor token alone; "both nations" as a phrase
        if any(t.lower_ in GROUP_DETERMINERS for t in root.children):
            lemma = root.lemma_.lower()
            if lemma in GROUP_NOUNS:
                return self._last(root, {"state"}, 2, span)
            if lemma in self.titles:  # "the two ministers", "both leaders"
                return self._last(root, {"person"}, 2, span) or self._last(root, {"state"}, 2, span)
        return []

    def _last(self, before: "Token", kinds: set[str], count: int, span: "Span") -> list[ActorRef]:
        """The `count` most salient actors of `kinds` named before `before`, within reach.

        One referent: the most recent. Several (`they`, `both nations`): the most often
        named in the window, ties to the most recent — salience as in Lappin & Leass, so
        `both nations` after "North Korea … Russia … in Ukraine" means North Korea and Russia.
        """
        here = self.sentence_of.get(before.i, 0)
        window = [(start, actor, weight) for start, actor, weight in self.order
                  if start < before.i and here - self.sentence_of.get(start, 0) <= REACH
                  and actor.kind in kinds]
        if count == 1:
            # subject before object, nearer before farther: "Shoigu … met Kim. His visit …" is Shoigu's
            best = max(window, default=None, key=lambda item: (
                item[2] * 0.5 ** (here - self.sentence_of.get(item[0], 0)), item[0]))
            chosen = [best[1]] if best else []
        else:
            score: dict[str, tuple[float, int]] = {}
            actors: dict[str, Actor] = {}
            for start, actor, weight in window:
                total, _ = score.get(actor.key, (0.0, 0))
                score[actor.key] = (total + weight, start)
                actors[actor.key] = actor
            ranked = sorted(score, key=lambda key: score[key], reverse=True)
            chosen = [actors[key] for key in ranked[:count]]
            # a resolved "both nations" is itself a mention of its referents for what follows
            self.order.extend((before.i, actor, 1.0) for actor in chosen)
            self.order.sort(key=lambda item: item[0])
        if len(chosen) < count:
            return []
        return [
            ActorRef(key=a.key, name=a.name, code=(a.country or "") + (a.sector or ""),
                     country=a.country, sector=a.sector, start=span.start_char, end=span.end_char)
            for a in chosen
        ]


def _of_the_state(sector: str | None) -> bool:
    """Whether an agent of this sector acts as its state (government, forces, courts), so that it
    may share the state's key; rebels, the opposition, civilians and the like do not."""
    return sector is None or sector[:3] in STATE_SECTORS


def _visited(token: "Token") -> bool:
    """Is this place what an act is aimed at (`attacked Kharkiv`, `fired at Seoul`, `marched on
    Kyiv`) or the goal of a visit or journey (`visited X`, `arrived in X`)? A place where
    something happens (`the war in Gaza`, `met in Geneva`) stands for no one."""
    head = token.head
    if token.dep_ == "dobj":
        return head.pos_ == "VERB"
    if token.dep_ == "pobj" and head.lower_ in AIMED_PREPS and head.head.pos_ == "VERB":
        return True
    if token.dep_ == "pobj" and head.lower_ in ("in", "to", "at", "into"):
        return head.head.lemma_ in MOTION_VERBS
    return False


def _mention_sector(actor: Actor, mention: "Span") -> str | None:
    """A capital or seat of power standing for a state is its government: `the Kremlin` → GOV."""
    if actor.kind == "state":
        match = geo.match_country(mention.text)
        if match is not None and match.form in ("capital", "seat"):
            return "GOV"
    return actor.sector


def _salience(mention: "Span") -> float:
    """How prominent a mention is, by its grammatical role (after Lappin & Leass 1994)."""
    root = mention.root
    dep = root.dep_
    if dep in ("nsubj", "nsubjpass"):
        return 3.0
    if dep in ("dobj", "dative", "attr"):
        return 2.0
    if dep == "pobj" and root.head.lower_ in LOCATIVE_PREPS:
        return 0.5  # "in Ukraine": a setting, rarely what "they" refers to
    if dep in ("amod", "compound", "poss") and root.head.dep_ in ("nsubj", "nsubjpass"):
        return 2.0
    return 1.0
