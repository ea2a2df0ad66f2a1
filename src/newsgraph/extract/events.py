"""Who did what to whom: a rule-based CAMEO / PLOVER event coder over the dependency parse.

The coder belongs to the PETRARCH / UD-PETRARCH family: per sentence it finds event predicates
(verbs and event nouns listed in ``data/events/predicates.tsv``), codes each with the most
specific lexicon entry its particles, prepositions and objects satisfy, and fills its arguments
from the parse:

* source: subject; ``by``-agent of a passive; for event nouns a possessor, compound, demonym
  adjective, ``by``/``of`` phrase, ``between X and Y``, else the subject of the verb the noun
  hangs from ("held talks", "signed a treaty", "committed to a treaty");
* target: object, passive subject, a prepositional object (``with``, ``against``, ``to`` …) or,
  for predicates whose object is a theme ("deploy troops", "supply missiles"), a ``to``-phrase,
  indirect object or purpose clause;
* conjuncts give compound actors, appositions stand in for arguments that resolve to nothing,
  relative clauses and participles take the noun they modify, ``xcomp``/``conj`` verbs inherit
  their governor's subject;
* governing verbs change the event (``threatened to attack`` → 138, ``urged X to help`` → 023,
  ``plans to send`` → modality "plan", ``have not confirmed`` → modality "unconfirmed");
* place, time text, quantities, negation and modality are kept on the event.

What English grammar says about who undergoes an act is kept: the of-phrase of a transitive event
noun is its patient once the agent is named ("Russia's invasion of Ukraine", "allegations of X":
X is the accused); the subject of a verb by which one undergoes an event ("died in a strike",
"suffered an attack", "denied the allegations") is its target, never its source; violence with
no named perpetrator is not blamed on the state where it happened. Force words with figurative
uses ("attacked the plan", "beat the Conservatives") code material conflict only when arms,
armed actors or states on both sides are named; capitalised words of names and dates ("in
March") are no triggers.

Actors are resolved by the caller's `Resolver`; the coder never guesses an actor itself.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Span, Token

from .event_lexicon import EventLexicon, Predicate, load_event_lexicon
from .parsed import lemmas, lowers, sentences

LOGGER = logging.getLogger(__name__)

__all__ = [
    "ActorRef", "Quantity", "Event", "EventCoder", "Resolver", "EventLexicon",
    "load_event_lexicon", "DictionaryResolver", "match_place_country",
]

SUBJ_DEPS = frozenset({"nsubj", "csubj", "expl"})
PASS_SUBJ_DEPS = frozenset({"nsubjpass", "csubjpass"})
OBJ_DEPS = frozenset({"dobj", "obj", "attr", "oprd"})
# prepositions that name the party an act is aimed at ("welcome to", "talks with", "a strike on")
# verbs whose passive with "to" states the subject's own stance ("is opposed to", "is committed to")
STATIVE_TO_VERBS = frozenset({"oppose", "commit", "dedicate", "devote"})
# conjunctions of the condition a threat sets ("… unless Israel withdraws")
CONDITION_MARKS = frozenset({"unless", "if"})
# governor classes whose noun recodes the act of its complement clause ("a demand that X …")
NOUN_GOVERNOR_CLASSES = frozenset({"intent", "appeal", "demand", "refuse", "threat"})
TARGET_PREPOSITIONS = frozenset({"to", "with", "against", "at", "on", "toward", "towards", "into", "for", "from"})
NOUN_POS = frozenset({"NOUN", "PROPN"})
VERB_POS = frozenset({"VERB", "AUX"})
# prepositions whose object is the target of an event when the lexicon names none
TARGET_PREPS = ("against", "with", "to", "on", "at", "toward", "towards", "into", "upon", "for", "from")
THEME_TARGET_PREPS = ("to", "into", "for", "with")
NOUN_TARGET_PREPS = ("with", "against", "to", "on", "for", "toward", "towards", "at", "upon")
# roots of speech acts whose that-clause names the one addressed ("demanded that X …")
CLAUSE_TARGET_ROOTS = frozenset({"02", "10", "13"})
# CAMEO roots from here on are conflict (verbal and material): an intent to them is no
# "intent to cooperate" (CAMEO 03)
COOPERATION_ROOTS_END = "10"
# prepositions through which a verb governs an event noun ("agreed to a ceasefire", "called for sanctions")
GOVERNED_NOUN_PREPS = frozenset({"to", "for", "on", "against", "over", "about", "into"})
# prepositions of circumstance: an event noun under them is background, not the clause's act
BACKGROUND_PREPS = frozenset({"after", "before", "since", "during", "following", "amid", "amidst",
                              "despite", "until"})
# subordinators of circumstance clauses: "after/since/because/as/when/while …"
# verbs that send or use something for a purpose: in "deployed troops to combat in Kursk" and
# "used tear gas to disperse the crowd" the infinitive (an xcomp to the parser) is a purpose clause
PURPOSE_CARRIERS = frozenset({"send", "deploy", "dispatch", "mobilize", "mobilise", "station", "transfer",
                              "ship", "deliver", "supply", "provide", "use", "fly", "move", "bring", "train"})
BACKGROUND_MARKS = frozenset({"after", "since", "because", "as", "when", "while", "before", "until",
                              "although", "though", "once", "whereas", "if", "unless", "whenever"})
# dependency relations that keep a word inside a noun phrase argument of the word above it
ARGUMENT_PATH_DEPS = frozenset({"dobj", "obj", "pobj", "prep", "compound", "nmod", "poss", "amod",
                                "appos", "attr", "nsubj", "nsubjpass", "conj", "dative", "agent",
                                "oprd", "npadvmod"})
# particles of phrasal verbs that a parser may take for prepositions ("sealed off the city")
PHRASAL_PARTICLES = frozenset({"off", "out", "away", "back"})
# exercises of armed forces: joint ones are military cooperation, one side's a show of force
MANOEUVRE_WORDS = frozenset({"drill", "exercise", "manoeuvre", "maneuver", "wargame", "game"})
# verbs whose passive alone takes these prepositions without an object: "X accused of Y" is a
# passive even where a headline leaves out "was" (the active needs its object: "accused X of Y")
PASSIVE_ONLY_PREPS: dict[str, set[str]] = {"accuse": {"of"}, "suspect": {"of"}, "convict": {"of"},
                                           "charge": {"with"}, "blame": {"for"}, "indict": {"on", "for"}}
# verbs of harm suffered, whose when/as clause tells the act that caused it, the sentence's news
HARM_VERBS = frozenset({"kill", "wound", "injure", "hurt", "die", "destroy", "damage", "maim"})
# verb endings a lemmatizer may fail to strip from a word it does not know
INFLECTIONS = ("ied", "ies", "ed", "ing", "es", "s")
# determiners of an event noun that refers back to one the article already told ("the trip")
DEFINITE_DETERMINERS = frozenset({"the", "this", "that"})
# governor classes of verbs whose subject attests an event, not does it ("confirmed the trip")
ATTESTING_CLASSES = frozenset({"factive", "deny", "report"})
# verbs whose subject undergoes the event noun they carry ("died in an air strike", "came under
# fire", "suffered an attack"): that subject is the event's target, never its source
UNDERGO_VERBS = frozenset({"die", "perish", "suffer", "survive", "sustain", "endure", "undergo", "face",
                           "experience", "escape", "withstand", "weather", "flee", "fear"})
# nouns of accusation whose of-phrase names the accused ("allegations of X", "charges of X")
ACCUSED_OF_NOUNS = frozenset({"accusation", "allegation", "charge", "suspicion", "indictment"})
# verbs by which the accused answers an accusation ("denied the allegations", "rejected the charges")
ANSWER_VERBS = frozenset({"deny", "reject", "dismiss", "refute", "rebut", "contest", "answer", "face",
                          "counter", "fight", "dispute"})
# Force verbs and nouns with everyday figurative uses: "attacked the president's plan", "beat the
# Conservatives", "battled the Red Sox", "targeted voters". They code material conflict only
# when an argument is armed, both sides are states or places, or a weapon or a place is named.
FIGURATIVE_FORCE = frozenset({"engage", "attack", "fight", "battle", "beat", "target", "clash", "hit", "strike",
                              "defeat", "crush", "rout", "trounce", "thrash", "win", "war", "assault", "combat", "hammer",
                              "slam", "blast", "torpedo", "ambush", "storm", "besiege", "bombard", "destroy"})
# the outcome of a contest: figuratively no act on anyone ("Labour beat the Conservatives"); and
# "engage", which without arms is engaging in something else ("engaged in talks")
CONTEST_FORCE = frozenset({"beat", "defeat", "crush", "rout", "trounce", "thrash", "win", "engage"})
# passive forms that describe what their subject does ("were engaged in", "is involved in")
STATIVE_PASSIVES = frozenset({"engage", "involve"})
# entities whose capitalised words are names, not event nouns ("March", "the Peace Corps")
NAME_ENTS = frozenset({"DATE", "TIME", "PERSON", "ORG", "NORP", "FAC", "WORK_OF_ART", "PRODUCT", "GPE", "LOC"})
# prepositions that name what a force word hits or uses ("fired on", "attacked with drones")
ARMS_PREPS = frozenset({"on", "at", "against", "into", "with", "upon", "toward", "towards", "by"})
ARMED_SECTORS = frozenset({"MIL", "REB", "INS", "COP", "SPY", "UAF", "CRM"})
# words for weapons, armed forces and targetable places: "attacked the convoy with drones"
ARMED_WORDS = frozenset({
    "missile", "rocket", "drone", "bomb", "shell", "artillery", "mortar", "gun", "gunfire", "rifle", "tank",
    "grenade", "explosive", "knife", "machete", "airstrike", "jet", "warplane", "aircraft", "helicopter",
    "weapon", "bullet", "firearm", "munition", "bomber", "warship", "troop", "soldier", "force", "army",
    "militant", "fighter", "gunman", "insurgent", "rebel", "militia", "navy", "police", "guerrilla",
    "village", "town", "city", "base", "convoy", "checkpoint", "position", "post", "camp", "border",
    "outpost", "station", "port", "airport", "airfield", "bridge", "building", "embassy", "compound", "ship",
    "vessel", "patrol", "school", "hospital", "headquarters", "barracks", "stronghold", "territory",
    "front", "frontline", "trench", "depot", "infrastructure", "grid", "refinery", "pipeline", "settlement",
    "neighbourhood", "neighborhood", "district", "region", "province", "capital", "civilian",
    # vessels, vehicles and facilities that are attacked only with arms
    "tanker", "freighter", "ferry", "boat", "submarine", "frigate", "destroyer", "cruiser", "carrier",
    "airliner", "helicopter", "train", "truck", "bus", "ambulance", "plant", "facility", "factory",
    "warehouse", "mosque", "church", "synagogue", "temple", "shrine", "shelter", "dam", "harbour", "harbor",
    "oilfield", "substation", "reactor", "apartment", "residential", "dormitory", "hotel", "consulate"})
# words of contests that are not fought with arms: elections, markets, sport, debate
CONTEST_WORDS = frozenset({
    "election", "vote", "poll", "ballot", "campaign", "race", "primary", "debate", "seat", "delegate",
    "candidate", "nomination", "referendum", "caucus", "market", "share", "stock", "price", "index",
    "investor", "match", "game", "league", "cup", "season", "championship", "tournament", "final", "team",
    "goal", "coach", "player", "ad", "advert", "advertisement", "rating", "contract", "bid", "lawsuit"})
# roots of acts that bear on a place itself: yield/ease (08), reduce relations (16), coerce (17)
PLACE_TARGET_ROOTS = frozenset({"08", "16", "17"})
# roots of acts whose unnamed perpetrator is coded as the state where they happen (agentless passives)
# roots whose act, aimed at no named party and no place, bears on the actor's own state: PLOVER
# codes "Egyptian demonstrators rioted" and "Young Algerians blocked roads" as protests against
# their own government
HOME_TARGET_ROOTS = frozenset({"14"})
STATE_SECTORS = frozenset({"GOV", "MIL", "LEG", "JUD", "COP", "SPY"})
# roots of state acts (arrest, detain, expel, impose a curfew) whose unnamed actor is coded as the
# state where they happen: "a missionary was arrested in Lebanon" is Lebanon's act
AGENTLESS_ROOTS = frozenset({"17"})
# verbs of a state's legal action against someone, whose unnamed actor is, like an arrest's, the
# state where it happens ("was indicted in Japan"); a bare accusation is not among them
LEGAL_ACTION_VERBS = frozenset({"charge", "indict", "prosecute", "convict", "sentence", "try", "execute", "hang"})
# roots of cooperation and concession whose announced negation is a refusal of them
# (governor_codes.tsv: refuse → 125 for meetings, 120–122 for 05–07, 124 for yielding)
REFUSABLE_ROOTS = frozenset({"04", "05", "06", "07", "08"})
# adjectives that say an actor is willing to do what their noun names ("open to talks"), as
# "ready" and "willing" do; governors.tsv cannot list them, its lemmas being verbs' too
WILLING_ADJECTIVES = frozenset({"open", "amenable", "receptive"})
# codes of a state's acts on persons (arrest and detain 173, expel and deport 174), which with no
# place named are taken to be done by the state of the persons they befall
NATIONALS_CODES = ("173", "174")
# codes of releasing persons or property (084x), whose unnamed actor is the state they are freed from
RELEASE_CODES = ("084",)
# Violence with no named perpetrator is no act of the state where it happens ("a journalist was shot
# in Mexico City" does not say Mexico shot anyone), except an attack by an anonymous device, which
# PLOVER codes as the setting state's ("killed by a roadside bomb outside Basra").
AGENTLESS_VIOLENCE_ROOTS = frozenset({"18", "19", "20"})
DEVICE_WORDS = frozenset({"bomb", "bombing", "explosive", "ied", "device", "mine", "landmine", "blast",
                          "explosion", "grenade", "car"})
# Other violence whose perpetrator the text does not name is an unidentified armed group's, as
# ACLED records it ("Rockets struck Kharkiv", "two journalists were shot dead in Mexico City"),
# when the text shows an attack: munitions or an attack as the subject, or, for an agentless
# passive, an act violent in itself or a weapon or an attack named as its means. Harm alone
# ("ten people were killed in Peru") may be an accident or a disaster, and stays uncoded.
WEAPON_WORDS = frozenset({"rocket", "missile", "drone", "shell", "shelling", "artillery", "mortar", "airstrike",
                          "air", "gunfire", "gunshot", "bullet", "sniper", "bombardment", "barrage", "attack",
                          "assault", "raid", "ambush", "knife", "machete", "stabbing", "shooting", "bomb",
                          "bombing", "explosive", "ied", "grenade", "landmine"})
VIOLENT_ACT_LEMMAS = frozenset({"shoot", "stab", "behead", "decapitate", "massacre", "assassinate", "murder", "bomb",
                                "shell", "torture", "lynch", "slaughter", "ambush", "gun", "bombard", "kidnap",
                                "abduct"})
UNIDENTIFIED_SECTOR = "UAF"
# PLOVER codes a stated intention by what is intended, not as the act: a promise of cooperation
# ("will support", "would meet", "is ready to lift the ban") is AGREE, an announced hostile act
# ("would boycott", "will extend the curfew", "threatened to attack") is THREATEN (PLOVER codebook:
# AGREE "promise, or otherwise indicate willingness"; THREATEN "threaten to restrict …, ban …").
# CAMEO keeps the verb's code, as PETRARCH does; only the PLOVER type and mode follow the intention.
INTENT_MODALITIES = frozenset({"will", "would", "plan", "intend", "prepare", "set", "vow", "decide", "offer",
                               "promise", "pledge", "willing", "ready", "commit"})
INTENT_AGREE_ROOTS = frozenset({"03", "04", "05", "06", "07", "08"})
INTENT_THREAT_MODES = {"14": "restrict", "15": "violence", "16": "relations", "17": "restrict",
                       "173": "arrest", "174": "expel", "18": "violence", "19": "violence", "20": "violence"}
# meetings seen from the other side: visit ↔ host; meet, meet elsewhere, negotiate are mutual
MIRRORED_CODES = {"042": "043", "043": "042", "040": "040", "044": "044", "046": "046"}
# place nouns that, with "the", refer back to a place named before ("the region", "the city")
PLACE_NOUNS = frozenset({"region", "province", "area", "city", "town", "village", "district", "oblast",
                         "state", "territory", "enclave", "capital", "port", "county"})
PLACE_REACH = 120  # tokens back that "the region" may reach for its antecedent
PLACE_PREPS = frozenset({"in", "at", "near", "inside", "outside", "across", "throughout", "within"})
TIME_PREPS = frozenset({"in", "on", "since", "during", "until", "by", "after", "before", "from", "between", "at"})
TIME_ENTS = frozenset({"DATE", "TIME"})
TIME_WORDS = frozenset({"today", "yesterday", "tomorrow", "tonight", "now", "recently", "earlier", "later"})
MODAL_AUX = {"may": "may", "might": "may", "could": "could", "can": "can", "would": "would",
             "should": "should", "must": "must", "will": "will", "shall": "will"}
HEDGE_ADVERBS = {"allegedly": "alleged", "reportedly": "reported", "purportedly": "alleged",
                 "possibly": "may", "probably": "probable", "apparently": "alleged"}
NEGATORS = frozenset({"not", "n't", "never", "no", "neither", "nor"})
NEGATIVE_SUBJECTS = frozenset({"nobody", "none", "nothing", "neither"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom", "whose"})
# pronouns bound by the subject of the clause that reports or governs theirs ("the rebels said
# they would …"), with the noun tags of an antecedent that agrees in number
BOUND_PRONOUNS = {"they": ("NNS", "NNPS"), "them": ("NNS", "NNPS"), "their": ("NNS", "NNPS"),
                  "it": ("NN", "NNP"), "its": ("NN", "NNP")}
# heads of partitive and collective phrases whose actor is their of-object ("a group of Moroccan
# diplomats", "tens of thousands of students", "members of the union", "some of them")
PARTITIVE_HEADS = frozenset({"group", "groups", "number", "delegation", "team", "band", "crowd", "crowds",
                             "member", "members", "ten", "tens", "dozen", "dozens", "hundred", "hundreds",
                             "thousand", "thousands", "million", "millions", "some", "many", "most",
                             "all", "several", "majority", "contingent", "batch", "patch", "unit",
                             "units", "detachment", "handful", "score", "scores", "body"})
# words before a number that make it an estimate
APPROX_WORDS = frozenset({"about", "approximately", "around", "nearly", "almost", "some", "roughly",
                          "estimated", "over", "up", "more", "less", "fewer", "least", "most",
                          "than", "an", "circa", "reportedly", "close"})
VAGUE_NUMBERS = {"dozen": 12, "dozens": 24, "hundred": 100, "hundreds": 200, "thousand": 1000,
                 "thousands": 2000, "million": 1e6, "millions": 2e6, "billion": 1e9, "score": 20,
                 "scores": 40, "several": 3, "few": 3, "many": 10}
SCALE_WORDS = {"hundred": 100, "thousand": 1000, "million": 1e6, "billion": 1e9, "trillion": 1e12}
NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())} | {"thirty": 30, "forty": 40, "fifty": 50,
                                                              "sixty": 60, "seventy": 70, "eighty": 80,
                                                              "ninety": 90, "a": 1}


@dataclass(frozen=True, slots=True)
class ActorRef:
    """An actor argument, already resolved by the caller."""

    key: str  # canonical actor key, e.g. "state:PRK", "person:sergei shoigu"
    name: str
    code: str  # CAMEO actor code, country + sector: "RUSGOV", "PRKMIL", "PRK"
    country: str | None  # alpha-3
    sector: str | None
    start: int  # character span of the mention in the doc text
    end: int


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number the event is about: "approximately 11,000 troops" → 11000, "troops", approximate."""

    value: float
    unit: str
    approximate: bool
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Event:
    """One coded event with its evidence (character spans in the document text)."""

    sentence: int
    trigger: str
    trigger_start: int
    trigger_end: int
    cameo: str
    cameo_root: str
    cameo_name: str
    goldstein: float
    quad_class: int
    plover_type: str  # "" where CAMEO has no PLOVER event (01, 02)
    plover_mode: str | None
    sources: tuple[ActorRef, ...]
    targets: tuple[ActorRef, ...]
    place: str | None = None
    place_start: int | None = None
    place_end: int | None = None
    place_country: str | None = None
    time_text: str | None = None
    time_start: int | None = None
    time_end: int | None = None
    quantities: tuple[Quantity, ...] = ()
    negated: bool = False
    modality: str | None = None  # "may", "threaten", "plan", "unconfirmed", "alleged", …
    reciprocal: bool = False  # a joint act: every source acts towards every other source
    plover_context: str | None = None
    sentence_start: int = 0
    sentence_end: int = 0
    main: bool = True  # False: background to the sentence's main event ("after crowds trashed …")
    mirrored: bool = False  # the other side of a visit or meeting another event codes ("hosted" for "visited")
    # a definite event noun with no arguments of its own ("had not confirmed the trip"): a mention
    # of the article's earlier event of its kind, whose actors it takes
    refers_back: bool = False

    def dyads(self) -> list[tuple[ActorRef, ActorRef | None]]:
        """CAMEO-style (source, target) pairs; joint acts give each ordered pair of sources."""
        if self.reciprocal:
            return [(a, b) for a in self.sources for b in self.sources if a.key != b.key]
        if not self.targets:
            return [(a, None) for a in self.sources]
        return [(a, b) for a in self.sources for b in self.targets if a.key != b.key]


Resolver = Callable[[Span], list[ActorRef]]


# --------------------------------------------------------------------------- geography adapter


def match_place_country(text: str) -> tuple[str, str | None] | None:
    """(place name, country alpha-3) for a place phrase, or None.

    Uses `newsgraph.geo` when available and falls back to pycountry country names.
    """
    try:
        from ..geo import match_country, match_place
    except ImportError:  # pragma: no cover - only before the geo module exists
        return _pycountry_place(text)
    place = match_place(text)
    if place is not None:
        return place.name, place.country
    country = match_country(text)
    return (country.name, country.alpha3) if country else None


def _pycountry_place(text: str) -> tuple[str, str | None] | None:  # pragma: no cover
    import pycountry

    try:
        found = pycountry.countries.lookup(text.strip().removesuffix("'s").removesuffix("’s"))
    except LookupError:
        return None
    return found.name, found.alpha_3


def country_name_of(alpha3: str) -> str:
    """A country's short name, or its code where the gazetteer has none."""
    try:
        from ..geo import country_name
    except ImportError:  # pragma: no cover
        return alpha3
    return country_name(alpha3) or alpha3


def _match_country(text: str) -> str | None:
    try:
        from ..geo import match_country
    except ImportError:  # pragma: no cover
        place = _pycountry_place(text)
        return place[1] if place else None
    found = match_country(text)
    return found.alpha3 if found else None


# --------------------------------------------------------------------------- parse helpers


def _children(tok: Token, deps: Iterable[str]) -> list[Token]:
    deps = set(deps)
    return [c for c in tok.children if c.dep_ in deps]


def _first(tok: Token, deps: Iterable[str]) -> Token | None:
    found = _children(tok, deps)
    return found[0] if found else None


def _prep_objects(tok: Token, preps: Iterable[str] | None = None) -> list[tuple[str, Token]]:
    """(preposition lemma, object) pairs of `tok`'s prepositional children ("with Gondor")."""
    out = []
    for child in tok.children:
        if child.dep_ not in ("prep", "agent", "dative") or (preps is not None and child.lower_ not in preps):
            continue
        if child.dep_ == "dative" and child.pos_ in NOUN_POS | {"PRON"}:
            out.append(("to", child))
            continue
        for obj in child.children:
            if obj.dep_ in ("pobj", "pcomp") and obj.pos_ in NOUN_POS | {"PRON", "NUM", "ADJ"}:
                out.append((child.lower_, obj))
    return out


def _is_passive(verb: Token) -> bool:
    if verb.lemma_.lower() in STATIVE_PASSIVES and "in" in _preps(verb):
        return False  # "forces were engaged in fighting": the subject acts
    if verb.lemma_.lower() in STATIVE_TO_VERBS and "to" in _preps(verb):
        return False  # "Israel is opposed to French mediation": a stance its subject holds
    return any(c.dep_ in PASS_SUBJ_DEPS or c.dep_ == "auxpass" for c in verb.children) or _headline_passive(verb)


def _headline_passive(verb: Token) -> bool:
    """A passive whose "was" a headline leaves out, known by the preposition only its passive
    takes without an object: "Russia accused of bombing a hospital", "Minister charged with fraud"."""
    preps = PASSIVE_ONLY_PREPS.get(verb.lemma_.lower(), set())
    if not preps & _preps(verb) or verb.dep_ != "ROOT" or verb.tag_ not in ("VBN", "VBD"):
        return False
    deps = {c.dep_ for c in verb.children}
    return not deps & (OBJ_DEPS | {"aux", "auxpass", "dative"}) and bool(deps & SUBJ_DEPS)


def _particles(tok: Token) -> set[str]:
    return {c.lower_ for c in tok.children if c.dep_ == "prt" or _particle_as_prep(tok, c)}


def _particle_as_prep(verb: Token, child: Token) -> bool:
    """A particle the parser took for a preposition right after its verb ("cordoned off the
    roads", "broke off relations"): only words that are no place prepositions after a verb."""
    return (child.dep_ == "prep" and child.lower_ in PHRASAL_PARTICLES and child.i == verb.i + 1
            and verb.pos_ == "VERB")


def _preps(tok: Token) -> set[str]:
    """The prepositions of `tok`'s phrases that a `prep=` constraint may ask for; a phrase of
    time is none of them ("called the president on Monday" is no call on anyone)."""
    return {c.lower_ for c in tok.children if c.dep_ in ("prep", "agent") and not _of_time(c)}


def _of_time(prep: Token) -> bool:
    """Whether a prepositional phrase only says when ("on Monday", "in March")."""
    objects = [o for o in prep.children if o.dep_ == "pobj"]
    return bool(objects) and all(o.ent_type_ in ("DATE", "TIME") for o in objects)


# dependents that give a noun its number ("500 million euros", "$5 billion")
NUMBER_DEPS = frozenset({"nummod", "compound", "quantmod"})
# how the parser attaches an adjective that says what an object is ("found him guilty")
PREDICATIVE_DEPS = frozenset({"ccomp", "oprd", "xcomp", "acomp", "advmod"})
# prepositions after a sum of money that say what it is for ("$5 billion in aid")
SUM_PURPOSE_PREPS = frozenset({"in", "of", "for"})
# currency signs and the lemmas of currency nouns: an object made of one is a sum of money
CURRENCY_WORDS = frozenset(
    "$ € £ ¥ ₹ ₽ dollar euro pound sterling yen yuan renminbi rouble ruble rupee franc peso lira shekel "
    "dinar dirham riyal rial krona krone zloty hryvnia rand naira shilling baht ringgit rupiah".split()
)


def _purpose_of_a_sum(noun: Token) -> bool:
    """`noun` says what a verb's sum of money is for: "[pledged] $5 billion in aid", "500 million
    euros of reconstruction funding", "$2 billion for reconstruction"."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.dep_ != "prep" or prep.lower_ not in SUM_PURPOSE_PREPS:
        return False
    return prep.head.dep_ in OBJ_DEPS and "money" in _object_lemmas(prep.head)


def _predicative_adjectives(verb: Token) -> set[str]:
    """What a verb says its object or subject is ("found him guilty", "was found liable", "ruled
    the law unconstitutional"): the lemmas of its adjective complements, however the parser
    attached them (a small clause, an object predicate, or an adverb), and an adjective the
    parser hung after a name as its modifier ("ruled Brazil responsible": names take no
    adjective after them)."""
    if verb.pos_ not in VERB_POS:
        return set()
    found = {c.lemma_.lower() for c in verb.children if c.pos_ == "ADJ" and c.dep_ in PREDICATIVE_DEPS}
    for obj in _children(verb, OBJ_DEPS):
        if obj.pos_ in ("PROPN", "PRON"):
            found |= {c.lemma_.lower() for c in obj.rights if c.pos_ == "ADJ" and c.dep_ == "amod"}
    return found


def _phrase_lemmas(head: Token | None) -> set[str]:
    """The words a noun phrase is known by in `obj=` and `subj=` constraints: its head, the
    head's conjuncts and compounds, and the nouns of its of-phrases ("thousands of protesters")."""
    if head is None:
        return set()
    lemmas = {head.lemma_.lower(), *(c.lemma_.lower() for c in head.conjuncts)}
    lemmas |= {c.lemma_.lower() for c in head.children if c.dep_ == "compound"}
    return lemmas | {o.lemma_.lower() for _, o in _prep_objects(head, ("of",))}


def _object_lemmas(obj: Token | None) -> set[str]:
    """The words a predicate's `obj=` constraint is checked against: the object phrase's
    (`_phrase_lemmas`), and `money` for a sum of money ("pledged 500 million euros",
    "$5 billion"), whatever its currency."""
    if obj is None:
        return set()
    lemmas = _phrase_lemmas(obj)
    numbers = [c for c in obj.children if c.dep_ in NUMBER_DEPS]
    # the tagger's MONEY entity often ends before the currency word ("[500 million] euros"),
    # or is missing: a currency word with a number is money too
    if obj.ent_type_ == "MONEY" or any(c.ent_type_ == "MONEY" for c in numbers) \
            or (numbers and obj.lemma_.lower() in CURRENCY_WORDS):
        lemmas.add("money")
    return lemmas


def _object(verb: Token) -> Token | None:
    if _is_passive(verb):
        return _first(verb, PASS_SUBJ_DEPS) or (_first(verb, SUBJ_DEPS) if _headline_passive(verb) else None)
    obj = _first(verb, OBJ_DEPS)
    if obj is None:
        # "cordoned off the roads": the object of a particle taken for a preposition
        for prt in verb.children:
            if _particle_as_prep(verb, prt):
                found = _first(prt, ("pobj",))
                if found is not None:
                    return found
    if obj is None and "up" in _particles(verb):
        # "kidnapped up to 16 advisers": the parser takes "up to" for a particle and a phrase
        for prt in _children(verb, ("prt",)):
            for _, pobj in _prep_objects(prt, ("to",)):
                if any(c.dep_ == "nummod" for c in pobj.children):
                    return pobj
    return obj


def _noun_modifiers(noun: Token) -> set[str]:
    """Lemmas that qualify an event noun: compounds, adjectives and of-objects ("ties", "military")."""
    out = {c.lemma_.lower() for c in noun.children if c.dep_ in ("compound", "amod", "nmod")}
    for c in noun.children:
        if c.dep_ == "amod":
            out |= {g.lemma_.lower() for g in c.children if g.dep_ == "conj"}
        if c.dep_ == "conj" and c.pos_ == "ADJ":
            out.add(c.lemma_.lower())
    for _, obj in _prep_objects(noun, ("of",)):
        out.add(obj.lemma_.lower())
        out |= {c.lemma_.lower() for c in obj.children if c.dep_ in ("compound", "amod")}
    return out


def _must_complement(verb: Token) -> Token | None:
    """The that-clause of `verb` that states an obligation ("… that Libya must hand over …")."""
    for c in verb.children:
        if c.dep_ == "ccomp" and c.pos_ in VERB_POS and "must" in _aux_words(c):
            return c
    return None


def _complements(tok: Token) -> set[str]:
    """Kinds of clausal complement of `tok`: "that" (finite clause), "to" (infinitive)."""
    out = set()
    for c in tok.children:
        if c.dep_ == "ccomp":
            out.add("that")
        elif c.dep_ == "xcomp" and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children):
            out.add("to")
    return out


def _aux_words(verb: Token) -> set[str]:
    return {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}


def _negated(tok: Token) -> bool:
    if any(c.dep_ == "neg" or (c.lower_ in NEGATORS and c.dep_ in ("advmod", "det", "preconj"))
           for c in tok.children):
        return True
    # "Neither X nor Y boycotted", "No country has recognised", "Nobody attacked": a negated
    # subject says the act did not happen
    return tok.pos_ in VERB_POS and any(
        c.dep_ in SUBJ_DEPS | PASS_SUBJ_DEPS and (c.lower_ in NEGATIVE_SUBJECTS or any(
            d.lower_ in ("neither", "no") and d.dep_ in ("preconj", "det") for d in c.children))
        for c in tok.children)


def _conjuncts(tok: Token) -> list[Token]:
    return [tok, *[c for c in tok.conjuncts if c.pos_ in NOUN_POS | {"PRON", "ADJ"}]]


def _bound_antecedent(pron: Token) -> Token | None:
    """The subject that binds a pronoun in a clause it governs: "the rebels said they would
    release …", "Vietnam says it is committed to …" (the nearest governing clause whose
    subject, before the pronoun, agrees in number)."""
    tags = BOUND_PRONOUNS.get(pron.lower_)
    cur = pron.head
    if not tags or pron.dep_ not in SUBJ_DEPS | PASS_SUBJ_DEPS | {"poss"} or cur is pron:
        return None
    if pron.dep_ == "poss":  # "their demands": climb from the possessed noun to its clause
        for _ in range(3):
            if cur.pos_ in VERB_POS or cur.head is cur:
                break
            cur = cur.head
        # "support Russia in its war": the clause's own object, nearer the pronoun, binds it
        obj = _first(cur, ("dobj",)) if cur.pos_ in VERB_POS else None
        if obj is not None and obj.i < pron.i and obj.tag_ in tags:
            return obj
    for _ in range(4):
        if cur.dep_ not in ("ccomp", "xcomp", "advcl", "conj") or cur.head is cur:
            return None
        gov = cur.head
        subj = _first(gov, SUBJ_DEPS)
        if subj is not None and subj.i < pron.i and subj.lower_ not in BOUND_PRONOUNS:
            agrees = subj.tag_ in tags or (tags[0] == "NNS" and any(c.dep_ == "conj" for c in subj.children))
            return subj if agrees else None
        cur = gov
    return None


def _partitive_object(tok: Token) -> Token | None:
    """The of-object of a partitive or collective head ("a group of diplomats" → diplomats)."""
    if tok.lower_ not in PARTITIVE_HEADS and tok.pos_ != "NUM":
        return None
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for obj in child.children:
                if obj.dep_ == "pobj" and obj.pos_ in NOUN_POS | {"PRON"}:
                    return obj
    return None


def _list_members(tok: Token) -> list[Token]:
    """`tok` and the other members of the list it heads, also where the parser broke the list
    into several subjects or into appositions ("Mordor, the Shire, Arnor and Bree": "the Shire" an apposition of Mordor,
    "Arnor" a conjunct of the Shire). An apposition counts as a member only inside a list."""
    members = _conjuncts(tok)
    if tok.dep_ == "nsubj":
        # "Lions, tigers, and Gondor welcomed": a list the parser split into two subjects
        # ("Old foes Gondor and Osgiliath have renewed": the second subject keeps its conjuncts)
        members.extend(m for c in tok.head.children if c.dep_ == "nsubj" and c.i != tok.i for m in _conjuncts(c))
        # "Kenya, Uganda sign trade deal": a headline joins its subjects with a comma alone, and
        # the parser hangs the first one loosely on the verb
        members.extend(c for c in tok.head.children if c.dep_ in ("dep", "npadvmod", "nmod", "appos")
                       and c.pos_ == "PROPN" and c.i == tok.i - 2 and tok.doc[c.i + 1].text == ",")
    in_list = len(members) > 1 or any(c.dep_ == "cc" for c in tok.children)
    for appos in [c for m in list(members) for c in m.children if c.dep_ == "appos"]:
        more = _conjuncts(appos)
        if (in_list or len(more) > 1) and appos.pos_ == "PROPN":
            members.extend(m for m in more if m not in members)
    return members


# --------------------------------------------------------------------------- the coder


@dataclass(slots=True)
class _Frame:
    """Working state of one candidate event before it becomes an Event."""

    trigger: Token
    pred: Predicate
    code: str
    sources: list[ActorRef] = field(default_factory=list)
    targets: list[ActorRef] = field(default_factory=list)
    negated: bool = False
    modality: str | None = None
    anchor: Token | None = None  # the token whose modifiers give time and place
    actors: Callable[[Token], list[ActorRef]] | None = None  # the sentence's argument resolver
    agentless: bool = False  # a passive whose agent the text does not name ("was shot dead in X")
    setting_source: bool = False  # the source is the state where an agentless act happened
    setting_target: bool = False  # the target was read off the setting, not named as a party
    refers_back: bool = False  # a definite event noun without arguments: the earlier event of its kind
    antecedent: Event | None = None  # that earlier event, once found


class EventCoder:
    """Codes the events of a parsed document.

    Args:
        lexicon: the lexicon to use; the packaged one (loaded once) when None.
        place_targets: an event with no party on its receiving end is directed at the country
            where it takes place ("demonstrated in Serbia"); otherwise only restrictions are.
        domestic: an agent without a country ("the judge", "prisoners") is placed in the country
            where the event happens, else in the one country of the other side.
    """

    def __init__(self, lexicon: EventLexicon | None = None, *, place_targets: bool = True,
                 domestic: bool = True) -> None:
        self.lexicon = lexicon if lexicon is not None else load_event_lexicon()
        self.place_targets = place_targets
        self.domestic = domestic
        # the lemmas `_frame` codes (event verbs and nouns, reporting verbs for obligations):
        # a sentence's other words are not looked at
        report = {lemma for lemma, kind in self.lexicon.governors.items() if kind == "report"}
        self._triggers = frozenset(self.lexicon.verbs) | frozenset(self.lexicon.nouns) | report

    # ---- entry point

    def events(self, doc: Doc, resolve: Resolver) -> Iterator[Event]:
        """Yield the events of `doc`, resolving argument spans with `resolve`."""
        earlier: dict[str, Event] = {}  # code root -> the article's latest event of that kind
        for index, sent in enumerate(sentences(doc)):
            for event in self.sentence_events(sent, index, resolve, earlier):
                if event.sources and not (event.mirrored or event.negated or event.refers_back):
                    earlier[event.cameo_root] = event
                yield event

    def sentence_events(self, sent: Span, index: int, resolve: Resolver,
                        earlier: dict[str, Event] | None = None) -> Iterator[Event]:
        """Yield the events of one sentence (`index` is its number in the document); `earlier`
        holds the article's latest event of each code root, for event nouns that refer back."""
        cache: dict[int, list[ActorRef]] = {}

        def actors(tok: Token) -> list[ActorRef]:
            if tok.i not in cache:
                cache[tok.i] = self._resolve_head(tok, resolve)
            return cache[tok.i]

        frames = []
        doc, lemma_of, lower_of, triggers = sent.doc, lemmas(sent.doc), lowers(sent.doc), self._triggers
        for i in range(sent.start, sent.end):
            # `_frame` wants nothing else (an inflected form the lemmatizer missed may be a verb of ours)
            if lemma_of[i] not in triggers and not (lower_of[i].endswith(INFLECTIONS) and self._repaired(lower_of[i])):
                continue
            frame = self._frame(doc[i], actors)
            if frame is not None:
                frame.actors = actors
                frames.append(frame)
        frames = self._drop_governed_nouns(frames)
        frames = [f for f in frames if not f.refers_back or _took_antecedent(f, earlier or {})]
        by_trigger = {f.trigger.i: f for f in frames}
        for frame in frames:
            # "deployed troops to X and supplied missiles": coordinated verbs share the target
            trig = frame.trigger
            if not frame.targets and trig.dep_ == "conj" and trig.head.i in by_trigger:
                frame.targets = list(by_trigger[trig.head.i].targets)
            if not frame.targets and frame.code[:2] == "14":
                frame.targets = self._purpose_targets(frame, by_trigger)
        seen = set()
        coded: list[tuple[Event, bool, _Frame]] = []
        for frame in frames:
            event = self._finish(frame, sent, index)
            if event is None:
                continue
            if frame.antecedent is not None:  # the earlier event's parties, as they were coded
                ante = frame.antecedent
                event = replace(event, sources=ante.sources, targets=ante.targets, reciprocal=ante.reciprocal,
                                refers_back=True)
            key = (event.cameo, event.trigger_start, tuple(a.key for a in event.sources),
                   tuple(a.key for a in event.targets))
            if key not in seen:
                seen.add(key)
                one_sided = not (event.targets or event.reciprocal or "solo" in frame.pred.flags)
                coded.append((event, one_sided, frame))
        # An event whose target the text leaves open ("lifted the curfew") is kept only when the
        # sentence yields no complete event: otherwise it is mostly a side remark of that event.
        # An event of another kind inside the one-sided act's own phrase is its topic, no rival
        # ("rejected an invitation to attend a meeting of the factions" is a rejection); one of the
        # same kind ("threatened to break off relations with X") is the act itself, told in full.
        complete = [(e.cameo_root, f.trigger) for e, one_sided, f in coded if not one_sided and not e.negated]
        talks = _consultation_heads([f for e, _, f in coded if e.cameo_root == "04"])
        kept = [(e, f) for e, one_sided, f in coded
                if not (one_sided and any(root == e.cameo_root or not _topic_of(t, f.trigger)
                                          for root, t in complete))
                and not _restated_purpose(f, e, by_trigger) and not _under_discussion(f, talks)]
        event_tokens = {f.trigger.i for _, f in kept} | {f.anchor.i for _, f in kept if f.anchor is not None}
        levels = [_background_level(frame, event_tokens) for _, frame in kept]
        # a purpose clause ("shunned work to protest") is the main event when nothing else is
        main_level = 0 if 0 in levels else 1
        for (event, frame), level in zip(kept, levels):
            if level > main_level:
                # background acts are not aimed at the country they happen in: in "deployed
                # troops to combat in Russia's Kursk region" the combat is not against Russia
                event = replace(event, main=False, targets=() if frame.setting_target else event.targets)
            yield event
            mirrored = self._mirror(event, frame)
            if mirrored is not None:
                yield mirrored

    def _purpose_targets(self, frame: _Frame, by_trigger: dict[int, _Frame]) -> list[ActorRef]:
        """The target a protest's purpose clause names: "began a hunger strike to protest against
        X", "blocked a road to show their anger at X" (the protest is aimed where its purpose is)."""
        anchor = frame.anchor or frame.trigger
        holders = [anchor] + ([self._carrier_verb(anchor)] if anchor.pos_ in NOUN_POS else [])
        for holder in filter(None, holders):
            for clause in _children(holder, ("advcl", "xcomp")):
                if not any(c.dep_ == "aux" and c.lower_ == "to" for c in clause.children):
                    continue
                purpose = by_trigger.get(clause.i)
                if purpose is not None and purpose.targets:
                    return list(purpose.targets)
                obj = _object(clause)  # "to show their disapproval for X"
                for owner in filter(None, (clause, obj)):
                    for _, pobj in _prep_objects(owner, ("against", "at", "over", "for", "with", "of")):
                        found = self._actors_of(pobj, frame.actors) if frame.actors else []
                        if found:
                            return found
        return []

    def _mirror(self, event: Event, frame: _Frame) -> Event | None:
        """The other side of a meeting: "X visited Y" is also Y hosting X (CAMEO 042 ↔ 043), and a
        meeting or negotiation of X with Y is one of Y with X, as CAMEO coders record them."""
        code = MIRRORED_CODES.get(event.cameo)
        if code is None or not event.targets or event.reciprocal or event.negated:
            return None
        if code == event.cameo and "sym" not in frame.pred.flags:
            return None  # a one-way act coded as consultation: "presented credentials to", "departed from"
        info = self.lexicon.info(code)
        # one meeting is one PLOVER event: the host's side keeps the visitor's intention ("will
        # visit" is AGREE from both sides, never CONSULT one way and AGREE the other)
        plover_type, plover_mode = _intended_plover(info, code, event.modality, event.negated)
        return replace(event, cameo=info.code, cameo_root=code[:2], cameo_name=info.name,
                       goldstein=info.goldstein, quad_class=info.quad_class, plover_type=plover_type,
                       plover_mode=plover_mode, plover_context=info.plover_context,
                       sources=event.targets, targets=event.sources, mirrored=True)

    def _drop_governed_nouns(self, frames: list[_Frame]) -> list[_Frame]:
        """An event noun that is the object of a coded verb is that verb's topic, not a second event.

        "condemned an attack", "agreed to a ceasefire", "demanded the withdrawal" code the verb
        only (as PETRARCH does); light verbs ("held talks") already gave way to the noun.
        """
        reporting = ("factive", "report", "deny", "modal")  # "acknowledged the deployment" keeps both
        verbs = {f.anchor.i for f in frames if f.pred.pos == "V" and f.anchor is not None and f.sources
                 and "light" not in f.pred.flags
                 and self.lexicon.governors.get(f.anchor.lemma_.lower()) not in reporting}
        if not verbs:
            return frames
        out = []
        for frame in frames:
            noun = frame.anchor
            if frame.pred.pos == "N" and noun is not None:
                head: Token | None = noun.head
                if noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.lower_ in GOVERNED_NOUN_PREPS:
                    head = noun.head.head
                elif _purpose_of_a_sum(noun):
                    # "promised 500 million euros in humanitarian aid": what the sum is for
                    head = noun.head.head.head
                elif noun.dep_ not in OBJ_DEPS | PASS_SUBJ_DEPS:
                    head = None
                if head is not None and head.i in verbs:
                    continue
            out.append(frame)
        return out

    # ---- finding predicates

    def _match(self, tok: Token, entries: Sequence[Predicate], obj_lemmas: set[str]) -> Predicate | None:
        best = None
        prts, preps, comps = _particles(tok), _preps(tok), _complements(tok)
        subj_lemmas: set[str] | None = None  # read only for an entry that asks
        for entry in entries:
            if entry.prt and not entry.prt & prts:
                continue
            if entry.subj:
                if subj_lemmas is None:
                    subj_lemmas = self._subject_lemmas(tok)
                if not entry.subj & subj_lemmas:
                    continue
            if entry.comp and not entry.comp & comps:
                continue
            if entry.prep and not entry.prep & preps:
                continue
            if entry.obj == {"-"}:
                if obj_lemmas:
                    continue
            elif entry.obj and not entry.obj & obj_lemmas:
                # "called for a boycott": with a required preposition, its object counts too
                if not (entry.prep and entry.obj & {o.lemma_.lower() for _, o in _prep_objects(tok, entry.prep)}) \
                        and not entry.obj & _predicative_adjectives(tok):
                    continue
            if best is None or entry.specificity > best.specificity:
                best = entry
        return best

    def _subject_lemmas(self, verb: Token) -> set[str]:
        """The words a `subj=` constraint is checked against: an active verb's subject phrase."""
        if verb.pos_ not in VERB_POS or _is_passive(verb):
            return set()
        return _phrase_lemmas(self._subject(verb)[0])

    def _repaired(self, form: str) -> str | None:
        """The lexicon verb an inflected form belongs to when the lemmatizer did not know the
        word ("cordoned" lemmatized as "cordone"): the stem the inflection was added to."""
        return next((c for c in _stems(form) if c in self.lexicon.verbs), None)

    def _frame(self, tok: Token, actors: Callable[[Token], list[ActorRef]]) -> _Frame | None:
        lemma = tok.lemma_.lower()
        if tok.pos_ == "VERB" and lemma not in self.lexicon.verbs and tok.lower_.endswith(INFLECTIONS):
            lemma = self._repaired(tok.lower_) or lemma
        if tok.pos_ in VERB_POS and tok.dep_ not in ("aux", "auxpass") and lemma in self.lexicon.verbs:
            return self._verb_frame(tok, lemma, actors)
        if tok.pos_ == "VERB" and self.lexicon.governors.get(lemma) == "report":
            return self._obligation_frame(tok, actors)
        if tok.pos_ in NOUN_POS and lemma in self.lexicon.nouns and not _part_of_name(tok):
            return self._noun_frame(tok, lemma, actors)
        return None

    def _verb_frame(self, verb: Token, lemma: str, actors) -> _Frame | None:
        obj = _object(verb)
        pred = self._match(verb, self.lexicon.verbs[lemma], _object_lemmas(obj))
        if pred is None:
            return None
        if self._yields_to_embedded(verb, pred, obj):
            return None
        frame = _Frame(verb, pred, pred.code, anchor=verb)
        self._verb_arguments(frame, verb, obj, actors)
        self._governed(frame, verb, actors)
        frame.negated = frame.negated or _negated(verb)
        frame.modality = frame.modality or self._own_modality(verb)
        return frame

    def _obligation_frame(self, verb: Token, actors) -> _Frame | None:
        """"X said Y must do Z": a demand of X on Y (CAMEO 10) when Z is no event of its own."""
        comp = _must_complement(verb)
        if comp is None or self._is_event_verb(comp) or any(self._is_event_verb(c) for c in comp.conjuncts):
            return None
        subj, _ = self._subject(verb)
        frame = _Frame(verb, Predicate("V", verb.lemma_.lower(), "100"), "100", anchor=comp)
        frame.sources = self._actors_of(subj, actors)
        target, _ = self._subject(comp)
        frame.targets = self._actors_of(target, actors)
        frame.negated = _negated(verb)
        frame.modality = self._own_modality(verb)
        return frame

    def _yields_to_embedded(self, verb: Token, pred: Predicate, obj: Token | None) -> bool:
        """A light verb, or a governor verb whose complement is itself an event, is not coded."""
        if "light" in pred.flags:
            objs = [obj] if obj is not None else []
            objs += [o for _, o in _prep_objects(verb)]
            if any(self._is_event_noun(o) for o in objs):
                return True
        if verb.lemma_.lower() in self.lexicon.governors:
            cls = self.lexicon.governors[verb.lemma_.lower()]
            if cls in ("report", "modal", "deny", "factive"):
                # "acknowledge the deployment": keep our own event only when the lexicon says so
                return cls != "factive" and self._has_event_complement(verb)
            return self._has_event_complement(verb)
        return False

    def _noun_tpreps(self, noun: Token) -> tuple[str, ...]:
        """The prepositions that name an event noun's target ("the blockade of X")."""
        entries = self.lexicon.nouns.get(noun.lemma_.lower(), ())
        return tuple(sorted({p for entry in entries for p in entry.tprep}))

    def _is_event_noun(self, noun: Token) -> bool:
        return noun.lemma_.lower() in self.lexicon.nouns

    def _has_event_complement(self, verb: Token) -> bool:
        for child in verb.children:
            if child.dep_ in ("xcomp", "ccomp") and child.pos_ in VERB_POS and self._is_event_verb(child):
                return True
            if child.dep_ in ("xcomp", "ccomp", "acomp") and child.pos_ in ("ADJ", "AUX", "VERB"):
                if any(g.dep_ == "xcomp" and self._is_event_verb(g) for g in child.children):
                    return True
        return False

    def _is_event_verb(self, tok: Token) -> bool:
        """Whether `tok` codes an event of its own: a lexicon entry matches it as used here (not
        just its lemma: "end the curbs" is no event where only "end the blockade" is listed)."""
        lemma = tok.lemma_.lower()
        obj = _object(tok)
        if lemma in self.lexicon.verbs:
            if self._match(tok, self.lexicon.verbs[lemma], _object_lemmas(obj)) is not None:
                return True
        return obj is not None and self._is_event_noun(obj)

    def _noun_frame(self, noun: Token, lemma: str, actors) -> _Frame | None:
        head = noun.head
        if noun.dep_ in OBJ_DEPS | PASS_SUBJ_DEPS and head.pos_ in VERB_POS:
            # "sign a treaty": the verb entry already coded it with this object
            # (the entry that wins the match decides: a light "open fire" gives way to the noun
            # even where another file also lists the pattern without the flag)
            hl = head.lemma_.lower()
            if hl not in self.lexicon.governors:
                entries = [e for e in self.lexicon.verbs.get(hl, ()) if e.obj and lemma in e.obj]
                chosen = self._match(head, entries, {lemma}) if entries else None
                if chosen is not None and "light" not in chosen.flags:
                    return None
        if noun.dep_ == "compound":
            return None
        if noun.dep_ in OBJ_DEPS and head.pos_ in VERB_POS and head.lemma_.lower() not in self.lexicon.governors:
            # "postponed their meeting", "condemned an attack": the verb's event is about the noun
            own = self._match(head, self.lexicon.verbs.get(head.lemma_.lower(), ()), {lemma})
            if own is not None and "light" not in own.flags:
                return None
        pred = self._match(noun, self.lexicon.nouns[lemma], _noun_modifiers(noun))
        if pred is None:
            return None
        frame = _Frame(noun, pred, pred.code, anchor=noun)
        self._noun_arguments(frame, noun, actors)
        frame.negated = _negated(noun)
        carrier = self._carrier_verb(noun)
        if carrier is not None:
            if self.lexicon.governors.get(carrier.lemma_.lower()) != "factive":
                frame.negated = frame.negated or _negated(carrier)
            frame.modality = self._own_modality(carrier)
            self._governed(frame, carrier, actors)
            cls = self.lexicon.governors.get(carrier.lemma_.lower())
            if carrier.pos_ == "ADJ" and carrier.lemma_.lower() in WILLING_ADJECTIVES:
                cls = "intent"  # "open to talks": willing, as "ready for talks" (an open border is no intent)
            if cls in ("modal", "deny", "factive") or (cls == "intent" and carrier.pos_ == "ADJ"
                                                        and frame.code[:2] < COOPERATION_ROOTS_END):
                # "ready for talks": an intent to meet (036), not a meeting; "ready for war" is
                # no intent to cooperate and keeps its code
                self._apply_governor(frame, carrier, cls, actors)
        return frame

    # ---- arguments

    def _resolve_head(self, tok: Token, resolve: Resolver) -> list[ActorRef]:
        span = self._np_span(tok)
        found = list(resolve(span))
        if not found:
            appos = _first(tok, ("appos",))
            if appos is not None:
                found = list(resolve(self._np_span(appos)))
        if found:
            found.extend(self._coordinated_modifiers(tok, span, found, resolve))
            found.extend(self._misparsed_conjunct(tok, span, found, resolve))
        return found

    @staticmethod
    def _misparsed_conjunct(tok: Token, span: Span, found: list[ActorRef], resolve: Resolver) -> list[ActorRef]:
        """"Fornost and the evil awful Gondor welcomed …": where the parser makes the first
        conjunct a modifier of the last name, the name heading the phrase is an actor too."""
        if tok.pos_ != "PROPN" or not any(t.dep_ == "cc" and t.i < tok.i for t in span):
            return []
        lo = tok.i
        while lo > span.start and span.doc[lo - 1].pos_ == "PROPN" and span.doc[lo - 1].dep_ == "compound":
            lo -= 1
        countries = {a.country for a in found}
        return [a for a in resolve(span.doc[lo : tok.i + 1]) if a.country and a.country not in countries]

    @staticmethod
    def _coordinated_modifiers(tok: Token, span: Span, found: list[ActorRef], resolve: Resolver) -> list[ActorRef]:
        """"Hungarian and Romanian officials": each coordinated modifier is an actor of its own,
        with the head noun's sector, when the resolver gave only the first."""
        first = found[0]
        countries = {a.country for a in found}
        out = []
        mods = [m for m in tok.children if m.dep_ in ("amod", "compound", "nmod", "poss") and m.i < tok.i]
        # "lawmakers in Arnor and Gondor", "the ambassadors of Arnor, Osgiliath and Gondor"
        mods += [o for p in tok.children if p.dep_ == "prep" and p.lower_ in ("in", "of", "from")
                 for o in p.children if o.dep_ == "pobj"]
        for mod in mods:
            for conj in mod.conjuncts:
                if not span.start <= conj.i < span.end or (conj.i > tok.i and mod.i < tok.i):
                    continue
                for ref in resolve(span.doc[conj.i : conj.i + 1]):
                    if ref.country and ref.country not in countries:
                        countries.add(ref.country)
                        sector = first.sector if first.country else ref.sector
                        out.append(ActorRef(key=ref.key, name=ref.name, code=ref.country + (sector or ""),
                                            country=ref.country, sector=sector, start=ref.start, end=ref.end))
        return out

    @staticmethod
    def _np_span(tok: Token) -> Span:
        """The noun phrase of `tok` without its conjuncts, clauses, appositions and most PPs."""
        cut = {"conj", "cc", "appos", "relcl", "acl", "advcl", "punct", "prep", "preconj", "ccomp"}
        keep_preps = {"of", "from", "in", "throughout", "across"}
        lo = hi = tok.i
        for child in tok.children:
            # "troops from Gondor", "the Prince of Dol Amroth": the phrase names whose they are
            if child.dep_ in cut and not (child.dep_ == "prep" and child.lower_ in keep_preps
                                          and (tok.pos_ == "NOUN" or child.lower_ == "of")):
                continue
            sub = list(child.subtree)
            lo, hi = min(lo, sub[0].i), max(hi, sub[-1].i)
        doc = tok.doc
        while lo < hi and doc[lo].is_punct:
            lo += 1
        return doc[lo : hi + 1]

    def _actors_of(self, tok: Token | None, actors) -> list[ActorRef]:
        if tok is None:
            return []
        if tok.lower_ in RELATIVE_PRONOUNS and tok.head.dep_ == "relcl":
            tok = tok.head.head
        if tok.lower_ in BOUND_PRONOUNS:
            antecedent = _bound_antecedent(tok)
            found = self._actors_of(antecedent, actors) if antecedent is not None else []
            if found:
                return found
        partitive = _partitive_object(tok)
        if partitive is not None and not actors(tok):
            return self._actors_of(partitive, actors)
        out: list[ActorRef] = []
        first = actors(tok)
        for conj in _list_members(tok):
            found = actors(conj)
            if conj is not tok and tok.pos_ == "NOUN" and conj.pos_ == "NOUN":
                # "Danish media and government": a bare conjunct shares the first one's country;
                # "lawmakers and officials in X and Y": a phrase after both scopes over both
                homes = [a for a in first if a.country]
                shared = homes if _postmodified_after(tok, conj) else homes[:1] if _premodified(tok) else []
                if shared and all(not a.country for a in found):
                    found = [_with_country(a, home) for a in found for home in shared]
            out.extend(found)
        return out

    def _subject(self, verb: Token) -> tuple[Token | None, bool]:
        """The token that acts in `verb`'s clause, and whether it came from a passive agent."""
        if _is_passive(verb):
            for _, obj in _prep_objects(verb, ("by",)):
                return obj, True
            if _first(verb, PASS_SUBJ_DEPS) is None and verb.dep_ == "conj":
                return self._inherited_subject(verb), False  # "… but are committed to"
            return None, True
        # (the parser may hang the subject of "is opposed to" on the auxiliary)
        holders = [verb] + _children(verb, ("aux", "auxpass"))
        subj = next((s for h in holders for s in _children(h, SUBJ_DEPS | PASS_SUBJ_DEPS)), None)
        if subj is not None:
            return subj, False
        return self._inherited_subject(verb), False

    def _inherited_subject(self, verb: Token, depth: int = 0) -> Token | None:
        if depth > 3:
            return None
        head = verb.head
        if verb.dep_ == "relcl":
            return head
        if verb.dep_ in ("acomp", "attr", "oprd") and head is not verb:
            return _first(head, SUBJ_DEPS)  # "Arnor is about [to restore …]"
        if verb.dep_ == "acl":
            return None if _reduced_passive(verb) else head
        if verb.dep_ in ("xcomp", "advcl", "conj", "ccomp", "pcomp") and head is not verb:
            if head.pos_ in VERB_POS | {"ADJ"}:
                if verb.dep_ == "xcomp" and self.lexicon.governors.get(head.lemma_.lower()) in ("appeal", "demand"):
                    obj = _first(head, OBJ_DEPS)
                    if obj is not None:
                        return obj
                subj, _ = self._subject(head)
                return subj
            if head.pos_ in NOUN_POS and verb.dep_ == "pcomp":
                return None
            if head.pos_ == "ADP":  # "of North Korea deploying troops": pcomp of a preposition
                return self._inherited_subject(head, depth + 1)
        if verb.dep_ == "prep" and verb.lower_ == "in" and head.pos_ == "VERB":
            # "Russian forces have been involved in preventing …", "X succeeded in halting …"
            return _first(head, SUBJ_DEPS | PASS_SUBJ_DEPS)
        if verb.dep_ in ("xcomp", "pcomp", "acomp", "prep") and head is not verb and head.pos_ in ("ADP", "ADJ", "ADV"):
            # "Arnor is about to restore ties": climb through "about" to the clause subject
            subj = _first(head.head, SUBJ_DEPS) if head.head is not head else None
            return subj if subj is not None else self._inherited_subject(head, depth + 1)
        return None

    def _verb_arguments(self, frame: _Frame, verb: Token, obj: Token | None, actors) -> None:
        pred = frame.pred
        subj, _ = self._subject(verb)
        if subj is None and verb.dep_ in ("acl", "amod") and verb.tag_ == "VBG":
            subj = verb.head
        frame.sources = self._actors_of(subj, actors)
        if "swap" in pred.flags:
            frame.targets, frame.sources = frame.sources, []
            for _, pobj in _prep_objects(verb, ("from",)):
                frame.sources = self._actors_of(pobj, actors)
            return
        frame.agentless = (_is_passive(verb) or _reduced_passive(verb)) and not frame.sources
        patient = obj
        if patient is None and _reduced_passive(verb):
            patient = verb.head
        frame.targets = self._targets(verb, patient, pred, actors)

    def _targets(self, verb: Token, patient: Token | None, pred: Predicate, actors) -> list[ActorRef]:
        if pred.tprep:
            for prep, pobj in _prep_objects(verb, pred.tprep):
                found = self._actors_of(pobj, actors)
                if found:
                    return found
        theme = "theme" in pred.flags
        if theme and patient is not None and "with" in _preps(verb):
            theme = False  # "supply Gondor with wheat": with the thing in a with-phrase, the object receives it
        if not theme and patient is not None:
            found = self._actors_of(patient, actors)
            if found:
                return found
        preps = THEME_TARGET_PREPS if theme else TARGET_PREPS
        holders = [verb] + ([patient] if patient is not None else [])
        if patient is not None and self._is_event_noun(patient):
            holders.reverse()  # "tighten the blockade of X with Y's help": the act's own target first
        for holder in holders:
            # "condemned an attack by X", "rejected the proposal by X", "investigated crimes by X":
            # the author of what the act bears on is the one it targets, before the thing's own
            # targets ("attacks by X on Y")
            holder_preps = ("by", *self._noun_tpreps(holder), *preps) if holder is patient and not theme else preps
            if holder is verb and patient is not None and not theme and not _is_passive(verb):
                holder_preps = (*preps, "by")  # the parser hangs "the proposal by X" on the verb
            for prep, pobj in _prep_objects(holder, holder_preps):
                if prep == "from" and holder is verb and not theme and patient is None:
                    continue  # "withdrew from X" is no act on X; "welcomed memos from X" is
                found = self._actors_of(pobj, actors)
                if found:
                    return found
        if patient is not None and not theme:
            # "welcomed memos sent by X", "rejected a plan drafted by X": the thing's author
            for clause in _children(patient, ("acl",)):
                if clause.tag_ == "VBN" and not _content_clause(clause):
                    for _, pobj in _prep_objects(clause, ("by", "from")):
                        found = self._actors_of(pobj, actors)
                        if found:
                            return found
        if pred.code[:2] in CLAUSE_TARGET_ROOTS:
            # "demanded that China drop …", "warned that X would …": the clause's subject
            for clause in _children(verb, ("ccomp",)):
                found = self._actors_of(self._subject(clause)[0], actors)
                if found:
                    return found
        if pred.code[:2] in CLAUSE_TARGET_ROOTS | {"01"} and patient is not None:
            # "expressed hopes that X could be drawn into talks", "voiced concern that X …": the
            # one the content clause of the object noun is about, its subject
            for clause in _children(patient, ("acl", "ccomp")):
                if _content_clause(clause):
                    found = self._actors_of(_first(clause, SUBJ_DEPS | PASS_SUBJ_DEPS), actors)
                    if found:
                        return found
        if theme or patient is not None:
            # "deployed troops to support Russia", "signed an accord to supply Gondor": the purpose
            # clause's object, when the act's own object names no party
            for clause in _children(verb, ("advcl", "xcomp")):
                if not theme and not any(c.dep_ == "aux" and c.lower_ == "to" for c in clause.children):
                    continue
                found = self._actors_of(_object(clause), actors)
                for _, pobj in _prep_objects(clause, set(pred.tprep) | {"to", "in", "into", "against"}):
                    found = found or self._actors_of(pobj, actors)
                if found:
                    return found
        return []

    def _noun_arguments(self, frame: _Frame, noun: Token, actors) -> None:
        sources: list[ActorRef] = []
        for child in noun.children:
            if child.dep_ in ("poss", "compound", "amod", "nmod") and child.i < noun.i:
                sources.extend(self._actors_of(child, actors))
        # "resumption of ties with X / between X and Y": the of-object's phrases count too
        holders = [noun] + [o for _, o in _prep_objects(noun, ("of",)) if o.lemma_.lower() in frame.pred.obj]
        of_patient = self._of_is_patient(frame.pred, noun, bool(sources))
        between: list[ActorRef] = []
        for holder in holders:
            for prep, pobj in _prep_objects(holder, ("by", "of", "from", "between", "among")):
                if prep == "of" and (holder is not noun or of_patient or frame.pred.obj & {pobj.lemma_.lower()}):
                    continue
                if prep in frame.pred.tprep:
                    continue  # "withdrawal from Moldova": where it leaves, not who ("a statement from Russia")
                found = self._actors_of(pobj, actors)
                (between if prep in ("between", "among") else sources).extend(found)
        own_sources = bool(sources)
        if not sources and not between and self._refers_back(noun, holders, preps_of(frame.pred, of_patient)):
            frame.refers_back = True  # "state media had not confirmed the trip": no new traveller
            return
        undergoer = self._undergoer(noun, frame.pred)
        if not sources and not _background(noun) and undergoer is None:
            sources = self._carrier_sources(noun, actors)
        preps = frame.pred.tprep or NOUN_TARGET_PREPS
        if of_patient:
            preps = (*preps, "of")
        targets: list[ActorRef] = []
        for holder in holders:
            for prep, pobj in _prep_objects(holder, preps):
                targets = targets or self._actors_of(pobj, actors)
        if not targets and undergoer is not None:
            # "soldiers died in a missile strike", "X denied allegations": the one it befalls
            targets = self._actors_of(undergoer, actors)
        carrier = self._carrier_verb(noun)
        carried = carrier is not None and (
            noun.dep_ in OBJ_DEPS or (noun.dep_ == "pobj" and noun.head.head.i == carrier.i))
        if not targets and carrier is not None and carried and self._speaks_for(carrier):
            # "opened investigations against X", "launched a broadside at X": the parser hangs
            # the noun's target on the light verb that carries it
            for prep, pobj in _prep_objects(carrier, set(preps) & {"against", "at", "on", "with", "into"}):
                targets = targets or self._actors_of(pobj, actors)
        if between and (not sources or (len(between) > 1 and not own_sources
                                        and not self._speaks_for(self._carrier_verb(noun)))):
            sources = between  # a joint act: "talks between X and Y", "collaboration between X and Y"
            frame.pred = Predicate(frame.pred.pos, frame.pred.lemma, frame.pred.code,
                                   flags=frame.pred.flags | {"sym"}, tprep=frame.pred.tprep)
        elif between:
            targets = targets or between
        if not targets and not (between and sources is between):
            targets = self._clause_targets(noun, actors)
        frame.sources, frame.targets = sources, targets

    def _refers_back(self, noun: Token, holders: list[Token], preps: tuple[str, ...]) -> bool:
        """Whether an event noun names the article's earlier event of its kind: definite ("the
        trip", "this visit"), with no party of its own, and carried by a verb that attests or
        reports it ("had not confirmed the trip", "denied the talks", "reported the visit"), whose
        subject is a witness to the act, not its actor."""
        if not any(c.dep_ == "det" and c.lower_ in DEFINITE_DETERMINERS for c in noun.children):
            return False
        carrier = self._carrier_verb(noun)
        if carrier is None or self.lexicon.governors.get(carrier.lemma_.lower()) not in ATTESTING_CLASSES:
            return False
        actors = [pobj for holder in holders for _, pobj in _prep_objects(holder, preps)]
        return not actors

    def _of_is_patient(self, pred: Predicate, noun: Token, has_source: bool) -> bool:
        """Whether the of-phrase of an event noun names who undergoes it, not who acts.

        English puts the patient of a transitive act in the of-phrase once the agent is named
        elsewhere ("Russia's invasion of Ukraine", "the release of X by Y"), and for acts done to
        someone ("the killing of", "allegations of X": X is the accused, not the accuser)."""
        if "of" in pred.tprep or noun.lemma_.lower() in ACCUSED_OF_NOUNS:
            return True
        return has_source or any(p.lower_ == "by" for p in _children(noun, ("prep", "agent")))

    def _undergoer(self, noun: Token, pred: Predicate) -> Token | None:
        """The subject of a verb by which it undergoes the event noun ("soldiers died in a
        strike", "the protesters suffered an attack", "X denied the allegations"): that one is
        what the event befalls, never its actor."""
        carrier = self._carrier_verb(noun)
        if carrier is None or carrier.pos_ not in VERB_POS:
            return None
        lemma = carrier.lemma_.lower()
        undergoes = lemma in UNDERGO_VERBS or (
            "under" in _preps(carrier) and any(o.i == noun.i for _, o in _prep_objects(carrier, ("under",))))
        if not undergoes and noun.lemma_.lower() in ACCUSED_OF_NOUNS:
            undergoes = lemma in ANSWER_VERBS  # "denied/rejected the allegations": the accused answers
        if not undergoes:
            return None
        subj, by_agent = self._subject(carrier)
        return None if by_agent else subj

    def _speaks_for(self, verb: Token | None) -> bool:
        """Whether the subject of `verb` is the actor of an event noun it governs ("welcomed talks")."""
        if verb is None:
            return False
        lemma = verb.lemma_.lower()
        return lemma in self.lexicon.governors or any(
            "light" in p.flags for p in self.lexicon.verbs.get(lemma, ()))

    def _clause_targets(self, noun: Token, actors) -> list[ActorRef]:
        """The opponent named around an event noun's clause: "toll rose in the dispute with X"."""
        verb = noun.head if noun.dep_ in SUBJ_DEPS | PASS_SUBJ_DEPS else None
        if verb is None or verb.pos_ not in VERB_POS:
            return []
        for prep, pobj in _prep_objects(verb, ("with", "against", "in", "during", "amid")):
            if prep in ("with", "against"):
                found = self._actors_of(pobj, actors)
            else:
                found = []
                for _, inner in _prep_objects(pobj, ("with", "against", "between")):
                    found = found or self._actors_of(inner, actors)
            if found:
                return found
        return []

    def _carrier_verb(self, noun: Token) -> Token | None:
        """The verb an event noun hangs from: "held [talks]", "committed to a [treaty]"."""
        tok = noun
        for _ in range(4):
            head = tok.head
            if head is tok:
                return None
            if tok.dep_ in OBJ_DEPS | PASS_SUBJ_DEPS | {"dative"} and head.pos_ in VERB_POS | {"ADJ"}:
                return head
            if tok.dep_ == "pobj" and head.dep_ == "prep":
                if head.head.pos_ in VERB_POS | {"ADJ"}:
                    return head.head
                tok = head.head  # "commitment to a treaty": climb to the noun
                continue
            if tok.dep_ in ("conj", "appos"):
                tok = head
                continue
            return None
        return None

    def _carrier_sources(self, noun: Token, actors) -> list[ActorRef]:
        tok = noun
        for _ in range(4):
            head = tok.head
            if head is tok:
                return []
            if tok.dep_ == "pobj" and head.dep_ == "prep" and head.head.pos_ == "NOUN":
                owner = head.head
                for child in owner.children:
                    if child.dep_ == "poss":
                        return self._actors_of(child, actors)
                tok = owner
                continue
            if tok.dep_ in ("conj", "appos"):
                tok = head
                continue
            break
        carrier = self._carrier_verb(noun)
        if carrier is None:
            return []
        if noun.dep_ in PASS_SUBJ_DEPS:
            subj, _ = self._subject(carrier)
        else:
            subj, _ = self._subject(carrier)
        return self._actors_of(subj, actors)

    # ---- governors, negation, modality

    def _own_modality(self, tok: Token) -> str | None:
        for child in tok.children:
            if child.dep_ == "aux" and child.lower_ in MODAL_AUX:
                return MODAL_AUX[child.lower_]
            if child.dep_ == "advmod" and child.lower_ in HEDGE_ADVERBS:
                return HEDGE_ADVERBS[child.lower_]
        return None

    def _governed(self, frame: _Frame, tok: Token, actors) -> None:
        """Apply the verbs above `tok` (xcomp/ccomp chain) to the frame."""
        cur = tok
        for _ in range(3):
            if cur.dep_ == "acl" and cur.head.pos_ == "NOUN":
                self._noun_governed(frame, cur.head, cur, actors)
                return
            if cur.dep_ not in ("xcomp", "ccomp", "conj") or cur.head is cur:
                return
            if cur.dep_ == "conj":
                cur = cur.head
                continue
            gov = cur.head
            cls = self.lexicon.governors.get(gov.lemma_.lower())
            if cls == "report" and cur.dep_ == "ccomp" and "must" in _aux_words(cur):
                cls = "demand"  # "Russia said Sudan must return …" is a demand on Sudan
            if cls is None and gov.pos_ in ("AUX", "VERB") and gov.lemma_ == "be":
                adj = _first(gov, ("acomp",))
                cls = self.lexicon.governors.get(adj.lemma_.lower()) if adj is not None else None
            if cls is None and gov.pos_ == "ADJ":
                cls = self.lexicon.governors.get(gov.lemma_.lower())
            obj = _first(gov, OBJ_DEPS)
            if (cls in (None, "report") and cur.dep_ == "ccomp" and obj is not None and obj.pos_ == "NOUN"
                    and self.lexicon.governors.get(obj.lemma_.lower()) in NOUN_GOVERNOR_CLASSES):
                # "reiterated its demand today that Israel ease …": the clause hangs off the verb
                self._noun_governed(frame, obj, cur, actors)
                return
            if cls is None:
                return
            self._apply_governor(frame, gov, cls, actors)
            cur = gov

    def _noun_governed(self, frame: _Frame, noun: Token, clause: Token, actors) -> None:
        """"its demand that Israel ease restrictions", "an offer to withdraw": a governing noun
        recodes the act its complement clause names, made by the noun's owner or carrier's subject."""
        cls = self.lexicon.governors.get(noun.lemma_.lower())
        if cls not in NOUN_GOVERNOR_CLASSES or frame.anchor is None or frame.anchor.i != clause.i:
            return
        own_targets = frame.targets
        frame.code = self.lexicon.recode(cls, frame.code)
        frame.modality = frame.modality or noun.lemma_.lower()
        carrier = self._carrier_verb(noun)
        frame.negated = frame.negated or _negated(noun) or (carrier is not None and _negated(carrier))
        frame.trigger = noun
        speakers = [a for a in self._carrier_sources(noun, actors)
                    + self._actors_of(_first(noun, ("poss",)), actors)]
        # an owner we cannot resolve still is the one who demands: never the one who is to act
        frame.sources = _unique(speakers)
        if cls in ("appeal", "demand"):
            # the demand is made of the one who is to act ("that Israel ease …")
            own = {a.key for a in frame.sources}
            addressees = self._actors_of(self._subject(clause)[0], actors)
            frame.targets = [a for a in addressees if a.key not in own] or own_targets

    def _apply_governor(self, frame: _Frame, gov: Token, cls: str, actors) -> None:
        lex = self.lexicon
        gov_neg = _negated(gov)
        if cls == "modal":
            frame.modality = frame.modality or gov.lemma_.lower()
            frame.negated = frame.negated or gov_neg
        elif cls == "deny":
            frame.negated = True
        elif cls == "factive":
            if gov_neg:
                frame.modality = "unconfirmed"
        elif cls == "report":
            frame.modality = frame.modality or self._own_modality(gov)
        else:
            frame.code = lex.recode(cls, frame.code)
            frame.modality = frame.modality or gov.lemma_.lower()
            frame.negated = frame.negated or gov_neg
            frame.trigger = gov
            subj, _ = self._subject(gov)
            gov_sources = self._actors_of(subj, actors)
            if gov_sources:
                frame.sources = gov_sources
            if cls in ("appeal", "demand"):
                addressees = self._actors_of(_first(gov, OBJ_DEPS), actors)
                if cls == "demand" and not addressees and frame.anchor is not None:
                    # "… demanded that China drop …": the one the demand is made of (the subject
                    # of the verb carrying an event noun: "demanded that X match the offer")
                    anchor = frame.anchor
                    embedded = anchor if anchor.pos_ in VERB_POS else self._carrier_verb(anchor)
                    if embedded is not None and embedded is not gov:
                        addressees = self._actors_of(self._subject(embedded)[0], actors)
                own = {a.key for a in frame.sources}
                frame.targets = [a for a in addressees if a.key not in own] or frame.targets
        if frame.modality is None:
            frame.modality = self._own_modality(gov)

    # ---- finishing: filters, place, time, quantities

    def _finish(self, frame: _Frame, sent: Span, index: int) -> Event | None:
        pred = frame.pred
        if frame.negated and frame.modality == "will" and frame.code[:2] in REFUSABLE_ROOTS:
            # "will not free the journalists", "will not meet the envoy": a refusal (CAMEO 12,
            # PLOVER REJECT), as "refused to free" is, not a release that did not happen
            frame.code, frame.negated = self.lexicon.recode("refuse", frame.code), False
        sources = _unique(frame.sources)
        violence = frame.code[:2] in AGENTLESS_VIOLENCE_ROOTS
        state_act = frame.agentless and (
            (frame.code[:2] in AGENTLESS_ROOTS and (frame.targets or _names_a_measure(pred)))
            or (frame.targets and frame.trigger.lemma_.lower() in LEGAL_ACTION_VERBS))
        bombing = violence and ((frame.agentless and _by_device(frame.anchor or frame.trigger))
                                or _device_subject(frame.trigger))
        if not sources and (state_act or bombing):
            # "was arrested in Lebanon", "a curfew was imposed in Nairobi", "was indicted in Tokyo",
            # "killed in a car bomb explosion in Beirut", "Car bomb kills ten in Beirut": PLOVER and
            # PETRARCH code the unnamed perpetrator of a state act or a bombing as the state where
            # it happened; with no place named, a state's act on its own national ("an Argentine
            # journalist was sentenced to ten years") is that state's, as most such news is domestic
            sources = self._setting_state(frame)
            if not sources and state_act and (frame.code.startswith(NATIONALS_CODES)
                                              or frame.trigger.lemma_.lower() in LEGAL_ACTION_VERBS):
                nationals = _common_state(frame.targets)
                sources = [nationals] if nationals else []
            frame.setting_source = True
        if not sources and frame.agentless and frame.targets and frame.code.startswith(RELEASE_CODES):
            # "was freed from a prison in X", "was released from Iranian custody": the one who
            # held them, the state of the place they leave
            sources = self._setting_state(frame, ("from",))
        if not sources and frame.code[:2] in HOME_TARGET_ROOTS:
            sources = self._people_of_place(frame)  # "Thousands protest in Nairobi"
        if not sources and violence and _unattributed_attack(frame):
            sources = self._unidentified_group(frame)
        if not sources:
            return None
        source_keys = {a.key for a in sources}
        targets = [t for t in _unique(frame.targets) if t.key not in source_keys]
        reciprocal = False
        if not targets:
            if "sym" in pred.flags and len(sources) > 1:
                reciprocal = True
            elif frame.targets and (frame.code[:2] not in PLACE_TARGET_ROOTS
                                    or self._place(frame, {s.start for s in sources}) is None):
                # every target was a source: no self-directed events, but a measure a state takes
                # where it rules ("Peru declared a state of emergency in Lima") bears on the place,
                # as PLOVER codes an act on no named party
                return None
        info = self.lexicon.info(frame.code)
        place = self._place(frame, {t.start for t in targets} | {s.start for s in sources})
        if (frame.code[:2] == "13" and not reciprocal and not any(t.country for t in targets)
                and frame.actors is not None):
            # "threatened a strike unless Israel rescinded the annexation": a threat is aimed at
            # the one whose conduct its condition names
            conditional = [t for t in self._condition_parties(frame) if t.key not in source_keys]
            targets = conditional or targets
        if not reciprocal and not any(t.country for t in targets) and frame.actors is not None:
            # "warned their populations about X", "abandoned an anti-Gondor parade": as PETRARCH,
            # the first state named inside the predicate's own phrase is the one it bears on
            inner = [t for t in self._inner_targets(frame) if t.key not in source_keys]
            if inner:
                targets = inner
                frame.setting_target = True
        if (not targets and not reciprocal and place is not None and place[3] and not frame.setting_source
                and (frame.code[:2] in PLACE_TARGET_ROOTS or self.place_targets)):
            # "lifted the curfew in Montenegro", "demonstrated in Serbia": an act on no named
            # party is directed at the country where it happens (PLOVER's convention)
            targets = [ActorRef(key=f"place:{place[3]}:{place[1]}", name=place[0], code=place[3],
                                country=place[3], sector=None, start=place[1], end=place[2])]
            frame.setting_target = True
        if (frame.code == "062" and not reciprocal and (not targets or frame.setting_target)
                and (frame.anchor or frame.trigger).lemma_.lower() in MANOEUVRE_WORDS):
            # "China holds military drills near Taiwan": one side's exercises are a show of force
            # against where they are held (CAMEO 150); only joint ones are cooperation (062)
            frame.code = "150"
            info = self.lexicon.info(frame.code)
        figurative = self._figurative_code(frame, sources, targets)
        if figurative == "":
            return None
        if figurative is not None:
            frame.code = figurative
            info = self.lexicon.info(figurative)
        if "armed" in pred.flags and figurative is None:
            sources, targets = _armed(sources), _armed(targets)
        if self.domestic:
            # "Judge X opened investigations against Chilean officials": an agent the text gives
            # no country acts where the event happens, else in its counterpart's country
            home = place[3] if place is not None else None
            source_home = target_home = home
            if home is None and not any(t.country for t in targets):
                # "Lt. Gen. X resigned to allow Haiti's first elections": where the sentence names
                # one state only and the act bears on no other, its parties belong to that state
                source_home = self._sole_state(frame, aimed=False)
                target_home = self._sole_state(frame, aimed=True)
            sources = _domesticated(sources, source_home, targets, persons=source_home != home)
            targets = _domesticated(targets, target_home, sources, persons=True)
        if (not targets and not reciprocal and frame.code[:2] in HOME_TARGET_ROOTS and self.place_targets
                and (place is None or not place[3])):
            targets = self._home_states(sources, frame)
            frame.setting_target = bool(targets)
        time = self._time(frame.anchor or frame.trigger)
        trig = frame.trigger
        plover_type, plover_mode = _intended_plover(info, frame.code, frame.modality, frame.negated)
        return Event(
            sentence=index, trigger=trig.text, trigger_start=trig.idx, trigger_end=trig.idx + len(trig),
            cameo=info.code if len(frame.code) == len(info.code) else frame.code,
            cameo_root=frame.code[:2], cameo_name=info.name, goldstein=info.goldstein,
            quad_class=info.quad_class, plover_type=plover_type, plover_mode=plover_mode,
            sources=tuple(sources), targets=tuple(targets),
            place=place[0] if place else None, place_start=place[1] if place else None,
            place_end=place[2] if place else None, place_country=place[3] if place else None,
            time_text=time[0] if time else None, time_start=time[1] if time else None,
            time_end=time[2] if time else None, quantities=tuple(self._quantities(frame)),
            negated=frame.negated, modality=frame.modality, reciprocal=reciprocal,
            plover_context=info.plover_context, sentence_start=sent.start_char, sentence_end=sent.end_char,
        )

    def _figurative_code(self, frame: _Frame, sources: list[ActorRef], targets: list[ActorRef]) -> str | None:
        """The code of a force word used figuratively: None when it is used literally (or is no
        force word), "" when it codes no event (a contest won: "Labour beat the Conservatives",
        sport and markets), else criticism (111: "the senator attacked the president's plan")."""
        trig = frame.anchor or frame.trigger
        if trig.lemma_.lower() not in FIGURATIVE_FORCE or frame.code[:2] not in ("18", "19", "20"):
            return None
        if _armed_arguments(sources, targets) or _names_arms(trig):
            return None
        contest = any(t.lemma_.lower() in CONTEST_WORDS for t in trig.sent if t.pos_ == "NOUN")
        if trig.lemma_.lower() in CONTEST_FORCE or contest:
            return ""
        return "111"

    def _people_of_place(self, frame: _Frame) -> list[ActorRef]:
        """Protesters the text does not name ("Thousands protest in Nairobi", "Protests erupt in
        Dhaka") are the people of the place: its civilians."""
        place = self._place(frame, set())
        anchor = frame.anchor or frame.trigger
        if place is None and anchor.dep_ in SUBJ_DEPS:  # "Protests erupt in Dhaka": the clause's place
            place = next(filter(None, (self._place_in(self._np_span(pobj))
                                       for _, pobj in _prep_objects(anchor.head, PLACE_PREPS))), None)
        if place is None or not place[3]:
            return []
        country = place[3]
        return [ActorRef(key=f"people:{country}:{place[1]}", name=country_name_of(country), code=country + "CVL",
                         country=country, sector="CVL", start=place[1], end=place[2])]

    def _unidentified_group(self, frame: _Frame) -> list[ActorRef]:
        """The unnamed perpetrator of an attack, as ACLED names one: an unidentified armed group
        of the state where it happened, if the text says where; none for an attack on no named
        party in no named place, or a passive that names neither the place nor the weapon."""
        setting = self._setting_state(frame)
        verb = frame.anchor or frame.trigger
        if frame.agentless and not setting and not _by_device(verb, WEAPON_WORDS):
            return []  # "he was shot", "her mind is shot": no place or weapon shows an attack
        if not setting and not frame.targets:
            return []  # "a knife attack killed three": neither where nor on whom
        country = setting[0].country if setting else None
        name = "unidentified armed group" + (f" ({country_name_of(country)})" if country else "")
        anchor = frame.trigger
        return [ActorRef(key=f"unidentified:{country or ''}:{anchor.idx}", name=name,
                         code=(country or "") + UNIDENTIFIED_SECTOR, country=country, sector=UNIDENTIFIED_SECTOR,
                         start=anchor.idx, end=anchor.idx + len(anchor))]

    @staticmethod
    def _home_states(sources: list[ActorRef], frame: _Frame) -> list[ActorRef]:
        """The one state all `sources` belong to, as an actor without a sector; none when they
        differ or have no country, or when the sentence names another state (the act may be
        aimed at it: "marched close to the border with Mordor")."""
        home = _common_state(sources)
        if home is None or frame.actors is None:
            return []
        if any(a.sector in STATE_SECTORS for a in sources):
            return []  # a government protests to someone (CAMEO 11), not against itself
        for tok in frame.trigger.sent:
            if tok.pos_ == "PROPN" or tok.ent_type_:
                if any(a.country and a.country != home.country for a in frame.actors(tok)):
                    return []
        return [home]

    @staticmethod
    def _sole_state(frame: _Frame, *, aimed: bool) -> str | None:
        """The one country the trigger's sentence names (by name, adjective or place), if only one;
        without `aimed`, not counting the act's object and target phrases: a state there is the
        missed target's, never the agent's home ("gave a warm welcome to the South African leader")."""
        if frame.actors is None:
            return None
        skip: set[int] = set()
        if not aimed:
            heads = {frame.trigger, frame.anchor or frame.trigger}
            heads |= {h.head for h in list(heads) if h.dep_ in OBJ_DEPS and h.head.pos_ in VERB_POS}
            skip = {t.i for h in heads for c in h.children
                    if c.dep_ in OBJ_DEPS | {"dative"} or (c.dep_ == "prep" and c.lower_ in TARGET_PREPOSITIONS)
                    for t in c.subtree}
        countries = set()
        for tok in frame.trigger.sent:
            if tok.i in skip:
                continue
            if tok.ent_type_ in ("GPE", "NORP", "LOC", "ORG") or tok.pos_ == "PROPN":
                countries |= {a.country for a in frame.actors(tok) if a.country}
        return countries.pop() if len(countries) == 1 else None

    def _condition_parties(self, frame: _Frame) -> list[ActorRef]:
        """The subject of an "unless"/"if" clause on the act or the act it governs."""
        heads = [frame.trigger, frame.anchor or frame.trigger]
        heads += [c for h in heads for c in h.children if c.dep_ in ("xcomp", "ccomp")]
        for head in heads:
            for clause in head.children:
                if clause.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in CONDITION_MARKS
                                                  for m in clause.children):
                    subj, _ = self._subject(clause)
                    found = self._actors_of(subj, frame.actors)
                    if found:
                        return found
        return []

    def _inner_targets(self, frame: _Frame) -> list[ActorRef]:
        """States named inside the predicate's arguments, in text order, first one only (with its
        conjuncts): objects and their modifiers, prepositional phrases, complement clauses; not
        circumstance or relative clauses, and nothing before the trigger."""
        actors = frame.actors
        if actors is None:  # no resolver: no actors to find
            return []
        trig = frame.anchor or frame.trigger
        stack = [c for c in trig.children if c.i > trig.i and _inner_dep(c)]
        seen: list[Token] = []
        while stack:
            tok = stack.pop()
            seen.append(tok)
            stack.extend(c for c in tok.children if _inner_dep(c))
        for tok in sorted(seen, key=lambda t: t.i):
            if tok.pos_ not in NOUN_POS | {"ADJ"}:
                continue
            found = [a for a in actors(tok) if a.country]
            if found:
                for conj in tok.conjuncts:
                    found.extend(a for a in actors(conj) if a.country)
                return found
        return []

    def _place(self, frame: _Frame, used: set[int]):
        anchors = [frame.anchor or frame.trigger]
        obj = _object(anchors[0]) if anchors[0].pos_ in VERB_POS else None
        if obj is not None:
            anchors.append(obj)
        anchors.extend(_children(anchors[0], ("xcomp", "advcl")))
        carrier = self._carrier_verb(anchors[0]) if anchors[0].pos_ in NOUN_POS else None
        if carrier is not None and self._speaks_for(carrier):
            anchors.append(carrier)  # "engaged in ethnic cleansing in X", "held talks in X"
        for anchor in anchors:
            preps = PLACE_PREPS if anchor is carrier else PLACE_PREPS | set(frame.pred.tprep)
            for prep, pobj in _prep_objects(anchor, preps):
                if pobj.ent_type_ in TIME_ENTS:
                    continue
                span = self._np_span(pobj)
                found = self._place_in(span) or self._place_named_before(pobj, span)
                if found is not None:
                    return found
        return None

    def _place_named_before(self, noun: Token, span: Span):
        """"in the region" after "Russia's Kursk region": a definite place noun refers back to
        the last place named with the same noun (within the preceding sentences)."""
        if noun.lemma_.lower() not in PLACE_NOUNS or not any(c.lower_ in ("the", "this", "that") for c in noun.children):
            return None
        doc = noun.doc
        for tok in reversed(doc[max(0, noun.i - PLACE_REACH) : noun.i]):
            if tok.lemma_.lower() == noun.lemma_.lower() and tok.pos_ == "NOUN":
                found = self._place_in(self._np_span(tok))
                if found is not None:
                    return found[0], span.start_char, span.end_char, found[3]
        return None

    def _setting_state(self, frame: _Frame, preps: Iterable[str] = ("by",)) -> list[ActorRef]:
        """The state in which an agentless act happened, from its place phrases and `preps`
        (searched through nested phrases: "in a car bomb explosion in eastern Beirut", "outside
        the Iraqi city of Basra"), as an actor without a sector."""
        verb = frame.anchor or frame.trigger
        stack = [pobj for _, pobj in _prep_objects(verb, PLACE_PREPS | set(preps))]
        for prep in _children(verb, ("prep",)):
            if prep.lower_ in PLACE_PREPS | {"out"}:  # "outside of the city of Basra"
                stack.extend(o for _, o in _prep_objects(prep, ("of",)))
        # "was charged with fraud in Thailand": a place phrase the parser hung on another of the
        # verb's phrases (never that phrase itself: "charged with spying for Russia")
        stack.extend(place for prep, pobj in _prep_objects(verb) if prep not in PLACE_PREPS | set(preps)
                     for _, place in _prep_objects(pobj, PLACE_PREPS))
        for _ in range(12):
            if not stack:
                break
            pobj = stack.pop(0)
            found = [a for a in (frame.actors(pobj) if frame.actors else []) if a.country]
            place = None if found else self._place_in(self._np_span(pobj))
            country = found[0].country if found else (place[3] if place else None)
            if country is None:
                country = next((_match_country(m.text) for m in pobj.children
                                if m.dep_ in ("amod", "compound") and _match_country(m.text)), None)
            if country:
                name = country_name_of(country)
                return [ActorRef(key=f"place:{country}:{pobj.idx}", name=name, code=country, country=country,
                                 sector=None, start=pobj.idx, end=pobj.idx + len(pobj))]
            stack.extend(o for _, o in _prep_objects(pobj, PLACE_PREPS | {"of"}))
        return []

    @staticmethod
    def _place_in(span: Span):
        text = span.text
        candidates = [span]
        # "Russia's Kursk region": the phrase without its possessor
        poss = [t for t in span if t.dep_ == "poss"]
        if poss:
            candidates.append(span.doc[poss[-1].right_edge.i + 1 : span.end])
        candidates.extend(ent for ent in span.ents)
        for cand in candidates:
            cand_text = cand.text.strip()
            if cand_text.lower().startswith("the "):
                cand_text = cand_text[4:]
            if not cand_text:
                continue
            found = match_place_country(cand_text)
            if found is not None:
                country = found[1]
                if poss and country is None:
                    country = _match_country(poss[-1].text)
                return found[0], span.start_char, span.end_char, country
        del text
        return None

    @staticmethod
    def _time(anchor: Token):
        holders = [anchor] + [c for c in anchor.children if c.dep_ == "acl"]
        if anchor.dep_ in ("xcomp",) and anchor.head.pos_ in VERB_POS:
            holders.append(anchor.head)
        for holder in holders:
            for child in holder.children:
                if child.dep_ == "prep" and child.lower_ in TIME_PREPS:
                    objs = [o for o in child.children if o.dep_ == "pobj"]
                    if objs and (objs[0].ent_type_ in TIME_ENTS or objs[0].lower_ in ("summer", "winter", "spring", "autumn", "year", "month", "week")):
                        sub = list(child.subtree)
                        return _span_text(anchor.doc, sub[0].i, sub[-1].i)
                if child.dep_ in ("npadvmod", "advmod", "tmod", "obl") and (
                    child.ent_type_ in TIME_ENTS or child.lower_ in TIME_WORDS
                ):
                    sub = list(child.subtree)
                    return _span_text(anchor.doc, sub[0].i, sub[-1].i)
        return None

    def _quantities(self, frame: _Frame) -> list[Quantity]:
        trig = frame.anchor or frame.trigger
        nouns = []
        obj = _object(trig) if trig.pos_ in VERB_POS else None
        if obj is not None:
            nouns.extend(_conjuncts(obj))
        if trig.pos_ in NOUN_POS:
            nouns.append(trig)
            nouns.extend(o for _, o in _prep_objects(trig, ("of",)))
        out = []
        for noun in nouns:
            q = quantity_of(noun)
            if q is not None:
                out.append(q)
        return out


INNER_DEPS = frozenset({"dobj", "obj", "pobj", "prep", "compound", "nmod", "poss", "amod", "attr",
                        "dative", "oprd", "conj", "appos", "ccomp", "xcomp", "nsubj", "nsubjpass", "pcomp"})


def _reduced_passive(verb: Token) -> bool:
    """A participle after a noun that tells what was done to it ("the journalist arrested in
    Ankara"; the parser may tag it as a past tense)."""
    return verb.dep_ == "acl" and verb.tag_ in ("VBN", "VBD") and verb.head.pos_ in NOUN_POS | {"NUM", "PRON"}


def _content_clause(clause: Token) -> bool:
    """Whether a clause under a noun says what the noun holds ("hopes that X …"), not what it did."""
    return any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children)


def _stems(form: str) -> list[str]:
    """The stems an English verb ending may have been added to: "cordoned" → cordon, "stopped" →
    stop, "shelling" → shell, "rallied" → rally, "seized" → seize."""
    out = []
    for ending in INFLECTIONS:
        if form.endswith(ending) and len(form) > len(ending) + 2:
            stem = form[: -len(ending)]
            out += [stem, stem + "e"]
            if len(stem) > 2 and stem[-1] == stem[-2]:
                out.append(stem[:-1])  # a doubled consonant: "stopped"
            if ending in ("ied", "ies"):
                out.append(stem + "y")
    return out


def preps_of(pred: Predicate, of_patient: bool) -> tuple[str, ...]:
    """The prepositions whose objects name an event noun's target."""
    preps = pred.tprep or NOUN_TARGET_PREPS
    return (*preps, "of") if of_patient else tuple(preps)


def _took_antecedent(frame: _Frame, earlier: dict[str, Event]) -> bool:
    """Give a referring event noun the parties of the article's earlier event of its kind; False
    when there is none (the noun alone names no new event)."""
    ante = earlier.get(frame.code[:2])
    if ante is None:
        return False
    frame.antecedent = ante
    frame.sources, frame.targets = list(ante.sources), list(ante.targets)
    return True


def _inner_dep(tok: Token) -> bool:
    if tok.dep_ == "acl":
        # an infinitive completing a noun is its content ("an accord to supply Gondor with wheat"),
        # and an active participle names what the thing serves or leads to ("the roads leading
        # into X", "a rally supporting X"); a passive one only describes it ("the troops stationed in X")
        return tok.tag_ == "VBG" or any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)
    if tok.dep_ not in INNER_DEPS or (tok.dep_ == "conj" and tok.pos_ in VERB_POS):
        return False  # a coordinated verb is an event of its own
    if tok.dep_ == "prep" and (tok.lower_ in BACKGROUND_PREPS or tok.lower_ in ("by", "from", "according")):
        return False
    return True


INTERNATIONAL_SECTORS = frozenset({"IGO", "NGO", "IMG", "MNC", "UNO"})


def _by_device(verb: Token, devices: frozenset[str] = DEVICE_WORDS) -> bool:
    """Whether a passive act of violence names one of `devices` as its means ("killed by an
    improvised explosive device", "died in a car bomb explosion")."""
    return any(_names_one_of(pobj, devices) for _, pobj in _prep_objects(verb, ("by", "in", "with")))


def _device_subject(verb: Token, devices: frozenset[str] = DEVICE_WORDS) -> bool:
    """Whether an act of violence has one of `devices` for its subject ("Car bomb kills ten",
    "Roadside blast hits convoy"), as a headline tells a bombing."""
    return any(_names_one_of(subj, devices) for subj in _children(verb, SUBJ_DEPS))


def _common_state(actors: Sequence[ActorRef]) -> ActorRef | None:
    """The one state all `actors` belong to, as an actor without a sector at the first one's
    mention; None when there are none, one has no country, or they differ."""
    country = actors[0].country if actors else None
    if country is None or any(a.country != country for a in actors):
        return None
    first = actors[0]
    return ActorRef(key=f"home:{country}:{first.start}", name=country_name_of(country), code=country,
                    country=country, sector=None, start=first.start, end=first.end)


def _names_a_measure(pred: Predicate) -> bool:
    """Whether a lexicon entry codes its act by what is imposed or cut ("imposed a curfew",
    "cut internet access"): a state measure even when it names no one it is aimed at, unlike
    a bare verb of repression ("the middle class get crushed")."""
    return bool(pred.obj) and pred.obj != {"-"}


def _names_one_of(noun: Token, words: frozenset[str]) -> bool:
    """Whether a noun or its compounds and adjectives is one of `words`."""
    lemmas = {noun.lemma_.lower(), *(c.lemma_.lower() for c in noun.children if c.dep_ in ("compound", "amod"))}
    return bool(lemmas & words)


def _unattributed_attack(frame: _Frame) -> bool:
    """Whether a verb of violence shows an attack whose perpetrator the text does not name (see
    WEAPON_WORDS): munitions or an attack as its subject ("Rockets hit
    Kharkiv"), or a passive with no agent of an act violent in itself ("were shot dead",
    "was kidnapped") or with a weapon or an attack as its means ("killed in an air strike").
    Verbs that are also words of argument, sport or photography ("was attacked over her
    speeches", "captured by a camera") do not count as acts violent in themselves."""
    verb = frame.anchor or frame.trigger
    if verb.pos_ not in VERB_POS or _particles(verb) - {"down"}:
        return False  # "were shot out for 127" (cricket); "was shot down" is violence
    if frame.agentless:
        clause = [verb, *verb.conjuncts, *([verb.head] if verb.dep_ == "conj" else [])]
        if any(_children(v, ("agent",)) for v in clause):
            return False  # "shot and killed by an officer": an agent the coder did not resolve
        means = [pobj for _, pobj in _prep_objects(verb, ("by", "in", "with")) if _names_one_of(pobj, WEAPON_WORDS)]
        owners = [c for m in means for c in m.children if c.dep_ in ("compound", "amod", "poss", "nmod")]
        if frame.actors is not None and any(frame.actors(c) for c in owners):
            return False  # "killed in a U.S. drone strike": the strike, an event of its own, names its actor
        return bool(means) or frame.trigger.lemma_.lower() in VIOLENT_ACT_LEMMAS
    return _device_subject(frame.trigger, WEAPON_WORDS)


def _part_of_name(tok: Token) -> bool:
    """A capitalised word inside a name, date or title is no event noun: "in March", "the Peace
    Corps", "Strike Force Command", "Operation Desert Storm"."""
    if tok.ent_type_ not in NAME_ENTS or tok.is_lower:
        return False
    return not (tok.i == tok.sent.start and tok.ent_iob_ == "B" and tok.ent_type_ not in ("DATE", "TIME"))


def _armed_arguments(sources: list[ActorRef], targets: list[ActorRef]) -> bool:
    """An armed actor on either side, or states and places on both ("Russia attacked Ukraine")."""
    if any((a.sector or a.code[3:6] or "")[:3] in ARMED_SECTORS for a in [*sources, *targets]):
        return True

    def statelike(a: ActorRef) -> bool:
        return bool(a.country) and not a.sector and not a.key.startswith(("person:", "org:"))

    return bool(sources and targets) and all(map(statelike, sources)) and all(map(statelike, targets))


def _names_arms(trig: Token) -> bool:
    """Whether the phrases of a force word name a weapon, armed men or a place ("attacked the
    convoy with drones", "fired on the village", "an attack on a checkpoint")."""
    stack = [c for c in trig.children if c.dep_ in ("dobj", "obj", "nsubjpass", "prep", "agent", "compound",
                                                     "nsubj", "amod")]
    for _ in range(12):
        if not stack:
            return False
        tok = stack.pop()
        if tok.lemma_.lower() in ARMED_WORDS or tok.ent_type_ == "FAC":
            return True
        if tok.dep_ == "prep" and tok.lower_ not in ARMS_PREPS:
            continue  # "battled the Red Sox in Boston": a setting is no target
        if tok.dep_ in ("prep", "agent"):
            stack.extend(c for c in tok.children if c.dep_ in ("pobj", "pcomp"))
        elif tok.pos_ in NOUN_POS:
            stack.extend(c for c in tok.children if c.dep_ in ("compound", "amod"))
    return False


# prepositions that give what talks are about ("negotiations on a troop pullback")
TOPIC_PREPS = frozenset({"on", "about", "over", "regarding", "concerning"})


def _consultation_heads(frames: list[_Frame]) -> set[int]:
    """The tokens a topic of talks may hang on: each consultation's trigger, and the verb that
    carries a consultation noun ("renewed negotiations … on X")."""
    heads = set()
    for frame in frames:
        heads.add(frame.trigger.i)
        if frame.trigger.pos_ in NOUN_POS and frame.trigger.dep_ in OBJ_DEPS:
            heads.add(frame.trigger.head.i)
    return heads


def _under_discussion(frame: _Frame, talks: set[int]) -> bool:
    """Whether an event noun is what talks are about ("negotiations on an Israeli troop pullback
    from Lebanon"): a subject of talks, not an act that happened."""
    noun = frame.trigger
    prep = noun.head
    return (noun.pos_ in NOUN_POS and noun.dep_ == "pobj" and prep.lower_ in TOPIC_PREPS
            and prep.head.i in talks)


def _topic_of(tok: Token, head: Token) -> bool:
    """Whether `tok` lies inside `head`'s own phrase: a dependent at any depth, not through a
    coordinated act ("established ties and opened an embassy" are two acts)."""
    while tok.i != head.i:
        if tok.head.i == tok.i or (tok.dep_ == "conj" and tok.head.i == head.i):
            return False
        tok = tok.head
    return True


def _domesticated(agents: list[ActorRef], home: str | None, others: Iterable[ActorRef], *,
                  persons: bool = False) -> list[ActorRef]:
    """`agents`, each without a country placed in `home`, else in the one country of `others`;
    with `persons`, also a named person the resolver gave neither sector nor country (the one
    state a sentence names is the home of "Lt. Gen. X resigned to allow Haiti's elections"; the
    one a state acts on is, failing other clues, its own: "Nicaragua ordered La Prensa to …")."""
    if all(a.country for a in agents):
        return agents
    counterpart = None
    if home is None:
        countries = {o.country for o in others if o.country}
        counterpart = countries.pop() if len(countries) == 1 else None
    out = []
    for a in agents:
        where = home
        # a named person of unknown nationality who acts on a state ("Archbishop Tutu called for
        # sanctions against Nigeria") is not thereby its citizen; an unnamed agent ("the judge") is
        if where is None and (persons or not a.key.startswith("person:")):
            where = counterpart
        domestic = where and not a.country and (
            (a.sector or a.code) and (a.sector or a.code)[:3] not in INTERNATIONAL_SECTORS
            or (persons and not a.sector and not a.code and a.key.startswith("person:")))
        out.append(_with_country(a, where) if where and domestic else a)
    return out


def _armed(actors: list[ActorRef]) -> list[ActorRef]:
    """In an armed engagement a state the text gives no sector fights with its military (a
    sector read off a place noun, "an advance in the province", is no sector of the fighters)."""
    return [ActorRef(key=f"actor:{a.country}MIL", name=a.name, code=a.country + "MIL", country=a.country,
                     sector="MIL", start=a.start, end=a.end)
            if a.country and (a.sector or "CVL") == "CVL" and a.code in (a.country, a.country + "CVL") else a
            for a in actors]


def _intended_plover(info, code: str, modality: str | None, negated: bool) -> tuple[str, str | None]:
    """The PLOVER type and mode of an event coded `code` under `modality` (see INTENT_MODALITIES)."""
    if modality not in INTENT_MODALITIES or negated or not info.plover_type:
        return info.plover_type, info.plover_mode
    root = code[:2]
    if root in INTENT_AGREE_ROOTS:
        return "AGREE", None
    if root >= "14":
        return "THREATEN", INTENT_THREAT_MODES.get(code[:3], INTENT_THREAT_MODES.get(root))
    return info.plover_type, info.plover_mode


def _restated_purpose(frame: _Frame, event: Event, by_trigger: dict[int, _Frame]) -> bool:
    """Whether the event is the purpose a coded material act states for itself: in "sent troops
    to support Russia" the support is the sending (whose target the clause gives), not words of
    support (05: diplomatic cooperation) of their own."""
    trig = frame.trigger
    carrier = by_trigger.get(trig.head.i)
    return (event.cameo_root == "05" and carrier is not None and trig.dep_ in ("xcomp", "advcl")
            and carrier.trigger.lemma_.lower() in PURPOSE_CARRIERS
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in trig.children))


def _background_level(frame: _Frame, triggers: set[int]) -> int:
    """How far the sentence puts this event in the background of its main event(s): 0 not at all,
    1 a purpose clause ("opened fire to disperse the crowd"), 2 background.

    Background: an event inside a circumstance clause or phrase ("after crowds trashed its
    embassy", "since the invasion", "because of fighting", "to disperse the crowd"), inside a
    relative or participial clause of a noun ("Macedonia, which is preparing an offensive", "the
    curfew imposed after the coup"), or an event noun inside an argument of another coded event
    ("signed a treaty of friendship and cooperation", "agreed to mediation in the talks").
    Reported speech is not background: in "X said Y attacked Z" the attack is the main event.
    """
    tok = frame.trigger
    level = _clause_level(tok)
    if level or tok.pos_ not in NOUN_POS:
        return level
    cur = tok
    for _ in range(8):
        head = cur.head
        if head is cur or cur.dep_ not in ARGUMENT_PATH_DEPS:
            return 0
        if head.i in triggers:
            return 2
        cur = head
    return 0


def _clause_level(tok: Token) -> int:
    """2 inside a circumstance or relative clause, 1 inside a purpose clause, else 0."""
    level = 0
    cur = tok
    for _ in range(20):
        head = cur.head
        if head is cur:
            return level
        dep = cur.dep_
        if dep in ("relcl", "acl") and head.pos_ in NOUN_POS | {"PRON"} and not (
                dep == "acl" and head.dep_ == "ROOT"):
            return 2  # (a headline that is a noun phrase, "Journalist arrested in Ankara", tells its participle)
        if dep == "advcl":
            marks = {c.lower_ for c in cur.children if c.dep_ in ("mark", "advmod")}
            if marks & {"when", "as"} and head.lemma_.lower() in HARM_VERBS:
                pass  # "three were killed when missiles hit a market": the act that did the harm
            elif marks & BACKGROUND_MARKS:
                return 2
            if any(c.dep_ == "aux" and c.lower_ == "to" for c in cur.children):
                level = 1
        if dep == "xcomp" and head.lemma_.lower() in PURPOSE_CARRIERS and _first(head, ("dobj",)) is not None \
                and any(c.dep_ == "aux" and c.lower_ == "to" for c in cur.children):
            level = max(level, 1)
        if dep in ("pobj", "pcomp") and (head.lower_ in BACKGROUND_PREPS | {"because"} or (
                head.lower_ == "of" and head.head.lower_ == "because")):
            return 2
        cur = head
    return level


def _background(noun: Token) -> bool:
    """An event noun in a circumstance phrase ("after two days of fighting", "during the war").

    The clause's subject is not its actor: "X agreed to a truce after days of fighting" does not
    say that X fought.
    """
    tok = noun
    for _ in range(3):
        head = tok.head
        if tok.dep_ == "pobj" and head.dep_ == "prep":
            if head.lower_ in BACKGROUND_PREPS:
                return True
            tok = head.head
            if tok.pos_ not in NOUN_POS:
                return False
            continue
        return False
    return False


def _postmodified_after(noun: Token, conj: Token) -> bool:
    """Whether `noun` has a place or origin phrase after its conjunct `conj` (shared by both)."""
    return any(c.dep_ == "prep" and c.lower_ in ("in", "of", "from") and c.i > conj.i for c in noun.children)


def _premodified(noun: Token) -> bool:
    return any(c.dep_ in ("amod", "compound", "nmod", "poss") and c.i < noun.i for c in noun.children)


def _with_country(agent: ActorRef, owner: ActorRef | str) -> ActorRef:
    """`agent` (a sector without a country) placed in `owner`'s country (or in country `owner`)."""
    country = owner if isinstance(owner, str) else owner.country or ""
    sector = agent.sector or agent.code
    code = country + sector
    return ActorRef(key=f"actor:{code}", name=agent.name, code=code, country=country, sector=agent.sector,
                    start=agent.start, end=agent.end)


def _unique(actors: Iterable[ActorRef]) -> list[ActorRef]:
    seen, out = set(), []
    for a in actors:
        if (a.key, a.start) not in seen:
            seen.add((a.key, a.start))
            out.append(a)
    return out


def _span_text(doc: Doc, lo: int, hi: int) -> tuple[str, int, int]:
    span = doc[lo : hi + 1]
    return span.text, span.start_char, span.end_char


# --------------------------------------------------------------------------- quantities

_NUMBER_RE = re.compile(r"^\$?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$")


def parse_number(words: Sequence[str]) -> float | None:
    """The value of number words: "11,000", "two", "1.5 million", "a million", "dozens"."""
    value: float | None = None
    for word in words:
        w = word.lower().lstrip("$")
        m = _NUMBER_RE.match(w)
        if m:
            value = float(m.group(1).replace(",", "") + ("." + m.group(2) if m.group(2) else ""))
        elif w in SCALE_WORDS:
            value = (value or 1) * SCALE_WORDS[w]
        elif w in NUMBER_WORDS:
            value = (value or 0) + NUMBER_WORDS[w]
        elif w in VAGUE_NUMBERS and value is None:
            value = VAGUE_NUMBERS[w]
    return value


def quantity_of(noun: Token) -> Quantity | None:
    """The quantity that counts `noun`: "approximately 11,000 troops", "dozens of soldiers"."""
    nums = [c for c in noun.children if c.dep_ == "nummod" or (c.dep_ in ("amod", "quantmod") and c.like_num)]
    vague = False
    if not nums and noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.lower_ in VAGUE_NUMBERS:
        nums, vague = [noun.head.head], True  # "thousands of troops"
    if not nums:
        return None
    num = nums[0]
    parts = sorted([num, *[c for c in num.subtree if c is not num]], key=lambda t: t.i)
    words = [t.text for t in parts if t.like_num or t.lower_ in SCALE_WORDS or t.lower_ in VAGUE_NUMBERS or t.lower_ == "a"]
    value = parse_number(words)
    if value is None:
        return None
    approx = vague or num.lower_ in VAGUE_NUMBERS or any(
        t.lower_ in APPROX_WORDS and t.lower_ != "a" for t in parts
    )
    doc = noun.doc
    lo = min(parts[0].i, noun.i)
    hi = max(parts[-1].i, noun.i)
    # "some 50,000 tonnes": the adverb may hang from the noun, not the number
    for c in noun.children:
        if c.i < num.i and c.lower_ in APPROX_WORDS and c.dep_ in ("advmod", "quantmod", "det", "amod"):
            approx, lo = True, min(lo, c.i)
    span = doc[lo : hi + 1]
    return Quantity(value, noun.lower_, approx, span.text, span.start_char, span.end_char)


# --------------------------------------------------------------------------- a dictionary resolver


@dataclass(frozen=True, slots=True)
class _Entry:
    code: str
    name: str


class DictionaryResolver:
    """A Resolver from actor phrases, agent nouns and (optionally) the geography gazetteer.

    Country comes from the first actor phrase (or country name / demonym when `use_geo`) in the
    span, sector from its agent nouns ("Russian troops" → RUSMIL); PETRARCH-style dictionaries
    give the actor phrases of fictional worlds.

    Args:
        lexicon: event lexicon (agents, packaged international actors).
        actors: extra phrase → CAMEO actor code entries (upper or lower case).
        use_geo: look up countries and demonyms with `newsgraph.geo`.
        stems: let a phrase word of five or more letters match a longer token ("Eriadorian").
    """

    def __init__(self, lexicon: EventLexicon | None = None, actors: dict[str, str] | None = None,
                 *, use_geo: bool = True, stems: bool = False) -> None:
        self.lexicon = lexicon if lexicon is not None else load_event_lexicon()
        table = dict(self.lexicon.actors) if use_geo else {}
        for phrase, code in (actors or {}).items():
            table[phrase.lower()] = code
        self.phrases = {tuple(p.split()): _Entry(c, p) for p, c in table.items() if c}
        # "Barad-dur", "Guinea-Bissau": the tokenizer splits off the hyphen, which spans drop
        self.phrases.update({tuple(p.replace("-", " ").split()): _Entry(c, p) for p, c in table.items()
                             if c and "-" in p and tuple(p.replace("-", " ").split()) not in self.phrases})
        self.max_words = max((len(p) for p in self.phrases), default=1)
        self.use_geo = use_geo
        self.stems = stems
        self.stem_index = [(p[0], p) for p in self.phrases if len(p) == 1 and len(p[0]) >= 5]

    def __call__(self, span: Span) -> list[ActorRef]:
        tokens = [t for t in span if not t.is_punct or t.text in (".",)]
        words = [t.lower_ for t in tokens]
        found = self._phrase(tokens, words)
        matches = [found] if found else []
        if not matches and self.use_geo:
            if ethnic_group(span):
                return [self._ref(span, None, "CVL", None, None, None)]
            matches = self._geo(span)
        # agents are nouns: "military support" is not the military
        lemmas = [t.lemma_.lower() if t.pos_ in ("NOUN", "PROPN") else "|" for t in tokens]
        forms = [w if t.pos_ in ("NOUN", "PROPN") else "|" for t, w in zip(tokens, words)]
        sector = self.lexicon.agent_sector(lemmas) or self.lexicon.agent_sector(forms)
        if sector and (self._names_an_act(span) or _state_of_affairs(span)):
            sector = None  # "a prisoner exchange agreement" is no prisoner, "a state of emergency" no state
        if not matches:
            return [self._ref(span, None, sector, None, None, None)] if sector else []
        return [self._ref(span, code, sector, start, end, name) for code, start, end, name in matches]

    def _names_an_act(self, span: Span) -> bool:
        """Whether the phrase is headed by an event noun that is no agent itself ("a prisoner
        exchange agreement", "police raids"): its agent modifiers say what it is about."""
        root = span.root
        lemma = root.lemma_.lower()
        return root.pos_ == "NOUN" and lemma in self.lexicon.nouns and not self.lexicon.agent_sector([lemma])

    def _ref(self, span, code, sector, start, end, name) -> ActorRef:
        code = code or ""
        full = code + sector if code and sector and len(code) == 3 else code or sector
        country = code[:3] if code and not code.startswith(("-", "+")) else None
        own_sector = code[3:6] or (sector or "")[:3] or None
        # an agent without a country ("officials") is only this mention, not a shared actor
        key = f"actor:{full}" if country else f"agent:{full}:{span.start_char}"
        return ActorRef(key=key, name=name or span.text, code=full, country=country, sector=own_sector,
                        start=start if start is not None else span.start_char,
                        end=end if end is not None else span.end_char)

    def _phrase(self, tokens: list[Token], words: list[str]):
        for i in range(len(words)):
            for n in range(min(self.max_words, len(words) - i), 0, -1):
                entry = self.phrases.get(tuple(words[i : i + n]))
                if entry is not None and n == 1 and len(words[i]) <= 3 and not tokens[i].text.isupper():
                    entry = None  # "UN", "EU", "WHO" only in capitals ("Kim Jong Un", "who")
                if entry is not None:
                    return entry.code, tokens[i].idx, tokens[i + n - 1].idx + len(tokens[i + n - 1]), entry.name
            if self.stems:
                for stem, phrase in self.stem_index:
                    if words[i].startswith(stem):
                        tok = tokens[i]
                        return self.phrases[phrase].code, tok.idx, tok.idx + len(tok), stem
        return None

    @staticmethod
    def _geo(span: Span) -> list[tuple[str, int, int, str]]:
        """Country matches in `span`: the first, plus demonyms coordinated with it.

        "Senior Hungarian and Romanian officials" gives both countries; a city or region the
        gazetteer knows ("Darfur rebels", "Tokyo") gives its country when no country is named.
        """
        doc = span.doc
        groups: list[Span] = list(span.ents)
        # then runs of proper nouns / adjectives ("South Korean"), longest first
        run: list[Token] = []
        for tok in list(span) + [None]:
            if tok is not None and (tok.pos_ in ("PROPN", "ADJ") or tok.tag_ == "NNPS") and tok.text[:1].isupper():
                run.append(tok)
                continue
            if run:
                groups.append(doc[run[0].i : run[-1].i + 1])
                groups.extend(doc[t.i : t.i + 1] for t in run if len(run) > 1)
            run = []
        groups = [g for g in groups if g.label_ not in NON_ACTOR_ENTS and not stance_prefixed(g)]
        for group in groups:
            code = _match_country(group.text)
            if code:
                residence = _residence(group, span)
                if residence is not None:
                    return [residence]
                first = (code, group.start_char, group.end_char, group.text)
                return [first, *_coordinated_countries(group, span, code)]
        for group in groups:
            if group.label_ in ("GPE", "LOC") or (len(group) == 1 and group[0].ent_type_ in ("GPE", "LOC")):
                code = _place_country(group.text)
                if code:
                    return [(code, group.start_char, group.end_char, group.text)]
        return []


STANCE_PREFIXES = frozenset({"anti", "pro"})
# people named by their origin, who live in the state their phrase names: "ethnic Albanians in
# Serbia", "the Albanians of southern Serbia" are Serbia's (PLOVER and ICEWS code residence)
RESIDENCE_PREPS = frozenset({"in", "of", "inside", "throughout"})


def _state_of_affairs(span: Span) -> bool:
    """Whether the phrase is "state" in its sense of a condition ("a state of emergency", "the
    state of war"), which an of-phrase of a common noun gives; "the state of Texas" is a state."""
    root = span.root
    return root.lemma_.lower() == "state" and any(
        pobj.pos_ == "NOUN" for _, pobj in _prep_objects(root, ("of",)))


def stance_prefixed(span: Span) -> bool:
    """"anti-Syria journalist", "pro-Iranian militia": the state named is what the actor is for
    or against, not the actor's own."""
    doc, start = span.doc, span.start
    if start >= 2 and doc[start - 1].text == "-" and doc[start - 2].lower_ in STANCE_PREFIXES:
        return True
    return start >= 1 and doc[start - 1].lower_.endswith("-") and doc[start - 1].lower_[:-1] in STANCE_PREFIXES


ETHNIC_WORDS = frozenset({"ethnic"})
# nouns for a people living among others: "the Albanian population", "the Turkish minority"
COMMUNITY_NOUNS = frozenset({"population", "minority", "community", "diaspora"})


def ethnic_group(span: Span) -> bool:
    """"ethnic Albanians", "the Albanian population of the province": a people named by origin,
    not the state of that name; it belongs where it lives (see `_domesticated`)."""
    root = span.root
    if root.pos_ not in ("NOUN", "PROPN"):
        return False
    if root.lemma_.lower() in COMMUNITY_NOUNS:
        return any(c.dep_ in ("amod", "compound") and _match_country(c.text) for c in root.children)
    return any(c.dep_ == "amod" and c.lower_ in ETHNIC_WORDS for c in root.children)


def residence_of(span: Span) -> tuple[str, int, int, str] | None:
    """The state a people noun lives in, when its phrase names it ("the Albanians of southern
    Serbia", "ethnic Turks in Sweden"): (country, start char, end char, place text)."""
    return _residence(span[span.root.i - span.start : span.root.i - span.start + 1], span)


def _is_demonym(text: str) -> bool:
    """"Albanians", "Turks": a people named after a state."""
    try:
        from ..geo import match_country
    except ImportError:  # pragma: no cover
        return False
    for form in (text, text[:-1] if text.endswith("s") else text):
        found = match_country(form)
        if found is not None and found.form == "demonym":
            return True
    return False


def _residence(group: Span, span: Span) -> tuple[str, int, int, str] | None:
    """The state of residence for a people noun ("Albanians") with an in/of-phrase naming a place."""
    head = group[-1]
    if head.tag_ not in ("NNS", "NNPS") or not head.text[:1].isupper() or not _is_demonym(head.text):
        return None
    for prep in head.children:
        if prep.dep_ != "prep" or prep.lower_ not in RESIDENCE_PREPS:
            continue
        for obj in prep.children:
            if obj.dep_ != "pobj" or not span.start <= obj.i < span.end:
                continue
            doc = span.doc
            names = [e for e in doc.ents if e.start <= obj.i < e.end]
            lo = obj.i
            while lo > obj.left_edge.i and doc[lo - 1].dep_ == "compound":
                lo -= 1
            for cand in [*names, doc[lo : obj.i + 1]]:
                text = cand.text[4:] if cand.text.lower().startswith("the ") else cand.text
                code = _match_country(text) or _place_country(text)
                if code:
                    return code, cand.start_char, cand.end_char, cand.text
    return None


NON_ACTOR_ENTS = frozenset({"DATE", "TIME", "CARDINAL", "MONEY", "PERCENT", "ORDINAL", "QUANTITY"})
MIN_PLACE_POPULATION = 50_000  # smaller gazetteer names ("Bay", "Union") are mostly common words


def _place_country(text: str) -> str | None:
    """The country of a city or region the gazetteer knows well enough to trust."""
    try:
        from ..geo import match_place
    except ImportError:  # pragma: no cover
        return None
    place = match_place(text)
    if place is None or not place.country or place.kind in ("continent", "sea", "ocean", "world_region"):
        return None
    if place.population is not None and place.population < MIN_PLACE_POPULATION:
        return None
    return place.country


def _coordinated_countries(group: Span, span: Span, first: str) -> list[tuple[str, int, int, str]]:
    """Demonyms coordinated with `group` inside `span`: "Hungarian and [Romanian] officials"."""
    out: list[tuple[str, int, int, str]] = []
    for tok in group:
        for conj in tok.conjuncts:
            if conj.i < span.start or conj.i >= span.end or conj.pos_ not in ("ADJ", "PROPN"):
                continue
            code = _match_country(conj.text)
            if code and code != first and all(code != o[0] for o in out):
                out.append((code, conj.idx, conj.idx + len(conj), conj.text))
    return out
