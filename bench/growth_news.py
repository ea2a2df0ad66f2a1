"""Distinct synthetic news for the growth benchmark: article texts and the records an
extraction would give them, built straight (no parsing), any number of them, in arrival order.

Article `n` is a pure function of (seed, n): nothing is remembered between articles, so the
generator's memory stays flat however many it makes (what the benchmark measures is the
store's). Each article recombines sentences from a small grammar of our own (many phrasings
per slot, so unrelated texts share few word triples, as real news does) around a cast drawn
from a growing population: a few dozen made-up states, people (a popular head that is always
in the news and a long tail of newcomers whose stories last a few weeks), organisations. Some
articles repeat an earlier one, as news does:

- an exact copy at another outlet (a syndicated story: `Store.add_copy`);
- a rewrite at another outlet a day later (sentences dropped, words changed, a sentence
  added; the same events), a near-duplicate for the families and the same story;
- a corrected version at the same URL (the store supersedes the earlier one).

People are named in full, sometimes with a middle initial or by surname only (actor
resolution's cases), states and organisations by name; facts about a person (country,
sector) now and then disagree with what most articles say.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import date, timedelta

from newsgraph.extract.attribution import SpanRef
from newsgraph.extract.claims import Claim, ClaimSource
from newsgraph.extract.events import ActorRef, Event
from newsgraph.extract.factuality import Factuality
from newsgraph.identity import article_id
from newsgraph.types import Actor, Article, ArticleRecords, CodedEvent, EventTime, Mention, Role

# Shares of the stream that repeat an earlier article.
COPY_SHARE = 0.02
REWRITE_SHARE = 0.03
CORRECTION_SHARE = 0.005
# How far back (in articles) a repeat reaches: wire copy follows within hours or days.
REPEAT_WINDOW = 400
ARTICLES_PER_DAY = 150
START = date(2023, 1, 2)

SYLLABLES = ("ka lo mi ra ven tor sa ni el do ru pa shi gor an bel ko tu mar zen ha li vo "
             "bra dun fel gis hol jun kes lan mon nor pol quin rez sul tam ves wil yor zu").split()
FIRST_NAMES = ("Amara Bela Corin Dario Elif Farid Greta Hugo Ines Jonas Kira Lionel Mara Nils Oona Pavel "
               "Quentin Rosa Soren Talia Umar Vera Wendel Ximena Yusuf Zora Anton Brigid Cyrus Daria Emil "
               "Freya Gideon Hana Ivo Jana Kasim Lena Marek Nadia Otto Petra Rafael Sanna Tobias Ulla "
               "Viktor Wanda Yara Zeno").split()
ORG_KINDS = ["Holdings", "Bank", "Party", "Front", "Institute", "Union", "Group", "Alliance", "Council",
             "Movement", "Energy", "Shipping"]
TITLES = [("foreign minister", "GOV"), ("defence minister", "GOV"), ("president", "GOV"),
          ("prime minister", "GOV"), ("army chief", "MIL"), ("central bank governor", "GOV"),
          ("opposition leader", "OPP"), ("chief executive", "BUS"), ("spokesperson", "GOV"),
          ("judge", "JUD"), ("union leader", "LAB")]
OUTLETS = [("Harbour Daily", "harbourdaily.example"), ("Northwind Wire", "northwind.example"),
           ("Capital Courier", "capitalcourier.example"), ("Delta Observer", "deltaobserver.example"),
           ("Riverside Post", "riversidepost.example"), ("Open Sky News", "openskynews.example"),
           ("Summit Gazette", "summitgazette.example"), ("Coastline Times", "coastlinetimes.example"),
           ("Meridian Report", "meridianreport.example"), ("Evening Lantern", "eveninglantern.example")]
# (CAMEO code, its name, PLOVER type, quad class, Goldstein): the standard's codes and scores
CODES = [("010", "Make statement", "", 1, 0.0), ("036", "Express intent to meet", "CONSULT", 1, 4.0),
         ("042", "Make a visit", "CONSULT", 1, 1.9), ("043", "Host a visit", "CONSULT", 1, 2.8),
         ("046", "Engage in negotiation", "CONSULT", 1, 7.0), ("051", "Praise or endorse", "COOPERATE", 2, 3.4),
         ("057", "Sign formal agreement", "AGREE", 2, 8.0), ("071", "Provide economic aid", "AID", 2, 7.4),
         ("112", "Accuse", "ACCUSE", 3, -2.0), ("120", "Reject", "REJECT", 3, -4.0),
         ("130", "Threaten", "THREATEN", 3, -4.4), ("163", "Impose embargo, boycott, or sanctions",
                                                    "SANCTION", 4, -8.0),
         ("173", "Arrest, detain", "ARREST", 4, -5.0), ("190", "Use conventional military force",
                                                         "ASSAULT", 4, -10.0)]
CODE_WEIGHTS = [14, 4, 7, 6, 6, 5, 3, 2, 5, 3, 2, 2, 2, 2]
# verbs that carry each code in the text
CODE_VERBS = {"010": ["said", "stated", "announced"], "036": ["offered to meet", "proposed talks with"],
              "042": ["visited", "travelled to meet"], "043": ["hosted", "welcomed"],
              "046": ["negotiated with", "held talks with"], "051": ["praised", "commended"],
              "057": ["signed an accord with", "concluded a pact with"], "071": ["pledged funds to", "sent aid to"],
              "112": ["accused", "blamed"], "120": ["rejected a proposal from", "turned down"],
              "130": ["threatened", "warned"], "163": ["imposed sanctions on", "slapped tariffs on"],
              "173": ["arrested envoys of", "detained staff of"], "190": ["shelled positions of", "attacked"]}

# topics: a material or domain and a thing about it (900 of them)
MATERIALS = ("grain port pipeline fishing prisoner water border rail debt power fertiliser visa copper dam "
             "customs drought ferry bond airspace vaccine timber ceasefire refinery tariff hostage satellite "
             "wheat coastal river cobalt").split()
MATTERS = ("exports fees routes quotas exchanges rights crossings freight relief lines deals rules licences "
           "projects checks services sales access deliveries talks repairs cuts releases launches prices "
           "patrols dredging permits storage").split()
ADVERBS = ["sharply", "again", "briefly", "quietly", "openly", "firmly", "repeatedly", "suddenly", "formally"]
OPENERS = ["Officials said", "According to aides,", "Diplomats noted that", "In a statement,", "Analysts said",
           "Residents reported that", "Local media said", "Two sources said", "Observers expect that",
           "Reporters were told that", "Trade figures showed that", "A senior aide said"]
FOLLOW = ["talks would resume within {n} days", "{n} trucks were waiting at the crossing",
          "prices rose {n} percent in the quarter", "about {n} people joined a rally in {city}",
          "the committee would vote on {weekday}", "the agreement covers {n} projects",
          "a delegation of {n} officials was expected in {city}", "losses reached {n} million dollars",
          "{n} ships were held at the port of {city}", "the plan needs {n} signatures before {month}",
          "no decision on {topic} was expected before {month}", "the dispute over {topic} had cost {n} jobs"]
# a small grammar for the sentences around the events: subject, verb, object and a phrase,
# each from its own list, so that two unrelated articles share few word triples
ADJECTIVES = ("new rival local regional northern southern coastal rural urban senior junior private public "
              "foreign domestic military civilian armed unarmed small large former acting interim joint "
              "federal provincial municipal independent state-run leading striking exiled").split()
NOUNS = ("farmers traders officials lawmakers soldiers protesters investors bankers judges teachers nurses "
         "miners pilots drivers engineers diplomats envoys ministers regulators auditors inspectors "
         "students workers unions carriers exporters importers brokers planners monitors observers "
         "prosecutors negotiators contractors landowners fishermen herders doctors refugees").split()
VERBS = ("rejected welcomed questioned delayed approved challenged backed blocked extended revised "
         "criticised endorsed reviewed suspended resumed cancelled demanded opposed tested ratified "
         "drafted amended signed debated postponed praised doubted audited expanded trimmed").split()
THINGS = ("plan budget levy quota tariff subsidy contract licence permit inquiry census audit treaty "
          "charter reform loan grant bond lease ban curfew ruling survey forecast deadline ceiling "
          "waiver tender scheme accord protocol").split()
PREPOSITIONS = ["near", "in", "outside", "across", "around", "beyond", "along", "within", "north of",
                "south of"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
CERTAIN = Factuality("certain", "positive", "past", "asserted", ())


def _h(*parts: object) -> int:
    """A stable 64-bit hash (Python's `hash` of str changes between processes)."""
    digest = hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def _topic(rng: random.Random) -> str:
    return f"{rng.choice(MATERIALS)} {rng.choice(MATTERS)}"


def _word(h: int, syllables: int) -> str:
    out = []
    for _ in range(syllables):
        out.append(SYLLABLES[h % len(SYLLABLES)])
        h //= len(SYLLABLES)
    return "".join(out).capitalize()


@dataclass(frozen=True, slots=True)
class Person:
    index: int
    first: str
    middle: str
    last: str
    country: str
    title: str
    sector: str


@dataclass(frozen=True, slots=True)
class Generated:
    """One article of the stream: what ingest would store (`copy` True: an exact copy of a
    stored article, which ingest records with `Store.add_copy`)."""

    n: int
    article: Article
    records: ArticleRecords
    copy: bool = False


class NewsStream:
    """Article `n` of a seeded stream of distinct synthetic news (see the module docstring)."""

    def __init__(self, seed: int = 1, *, states: int = 60) -> None:
        self.seed = seed
        # made-up states: three-letter codes and names of our own
        self.states = [(chr(65 + i // 26 % 26) + chr(65 + i % 26) + "Z", _word(_h(seed, "state", i), 3))
                       for i in range(states)]

    # -- the population ---------------------------------------------------------------

    def person(self, i: int) -> Person:
        h = _h(self.seed, "person", i)
        first = FIRST_NAMES[h % len(FIRST_NAMES)]
        last = _word(h // 64, 2 + (h >> 20) % 2)
        title, sector = TITLES[(h >> 30) % len(TITLES)]
        country = self.states[(h >> 40) % len(self.states)][0]
        middle = chr(ord("A") + (h >> 50) % 26)
        return Person(i, first, middle, last, country, title, sector)

    def organisation(self, j: int) -> tuple[str, str]:
        h = _h(self.seed, "org", j)
        return f"{_word(h, 2)} {ORG_KINDS[(h >> 16) % len(ORG_KINDS)]}", self.states[(h >> 32) % len(self.states)][0]

    @staticmethod
    def people_by(n: int) -> int:
        """How many people the news has named by article `n`: the population keeps growing."""
        return 400 + n // 3

    def _pick_person(self, rng: random.Random, n: int) -> int:
        population = self.people_by(n)
        if rng.random() < 0.35:  # the head: leaders who are always in the news
            return int(300 * rng.random() ** 2)
        # a newcomer's story lasts a few weeks of news, then the person fades
        back = int(rng.expovariate(1 / 1500)) % population
        return population - 1 - back

    def _pick_state(self, rng: random.Random) -> int:
        return min(len(self.states) - 1, int(len(self.states) * rng.random() ** 2.5))

    # -- articles ---------------------------------------------------------------------

    def day(self, n: int) -> date:
        return START + timedelta(days=n // ARTICLES_PER_DAY)

    def generate(self, n: int) -> Generated:
        """Article `n`: an original report, or a copy, rewrite or correction of an earlier one."""
        rng = random.Random(_h(self.seed, "article", n))
        roll = rng.random()
        if n > REPEAT_WINDOW and roll < COPY_SHARE + REWRITE_SHARE + CORRECTION_SHARE:
            earlier = self._original(n - 1 - rng.randrange(REPEAT_WINDOW))
            if roll < COPY_SHARE:
                return self._copy(n, earlier, rng)
            return self._rewrite(n, earlier, rng, same_url=roll >= COPY_SHARE + REWRITE_SHARE)
        return self._compose(n, rng, self.day(n), self._outlet(rng))

    def _original(self, m: int) -> Generated:
        """The original report behind article `m` (itself, or the one it repeats)."""
        while True:
            rng = random.Random(_h(self.seed, "article", m))
            roll = rng.random()  # drawn first, as `generate` draws it
            if not (m > REPEAT_WINDOW and roll < COPY_SHARE + REWRITE_SHARE + CORRECTION_SHARE):
                return self._compose(m, rng, self.day(m), self._outlet(rng))
            m = m - 1 - rng.randrange(REPEAT_WINDOW)

    @staticmethod
    def _outlet(rng: random.Random) -> tuple[str, str]:
        return OUTLETS[rng.randrange(len(OUTLETS))]

    def _copy(self, n: int, earlier: Generated, rng: random.Random) -> Generated:
        outlet, host = self._outlet(rng)
        a = earlier.article
        published = self.day(n).isoformat()  # a later day: found again by its text, as ingest does
        article = Article(id=article_id(a.text, published), text=a.text, source="growth", title=a.title,
                          url=f"https://{host}/wire/{n}", outlet=outlet, published=published, published_precision="day",
                          language="en")
        return Generated(n, article, earlier.records, copy=True)

    def _rewrite(self, n: int, earlier: Generated, rng: random.Random, *, same_url: bool) -> Generated:
        """The earlier report re-told: a sentence or two dropped and one added, same cast and
        events; at the same URL (a correction) on its day, else at another outlet on this one."""
        m = earlier.n
        drop = {rng.randrange(5, 10) for _ in range(rng.randrange(1, 3))}  # after the event sentences
        outlet = self._outlet(rng)
        base = random.Random(_h(self.seed, "article", m))
        base.random()  # the roll that made `m` an original
        first_outlet = self._outlet(base)
        if same_url:
            return self._compose(m, base, self.day(m), first_outlet, url=earlier.article.url, drop=drop,
                                 nudge=n, n=n)
        return self._compose(m, base, self.day(n), outlet, drop=drop, nudge=n, n=n)

    def _compose(self, m: int, rng: random.Random, day: date, outlet: tuple[str, str], *, url: str | None = None,
                 drop: frozenset[int] | set[int] = frozenset(), nudge: int = 0, n: int | None = None) -> Generated:
        """Article text and records for the report first made as article `m` (published as
        article `n`, on `day`, at `outlet`): sentences in `drop` left out, and for a rewrite
        (`nudge` not 0) a sentence of its own added."""
        n = m if n is None else n
        cast = self._cast(rng, m)
        writer = _Writer(rng, self, cast, day, drop, nudge)
        writer.write()
        name, host = outlet
        text = writer.text()
        article = Article(id=article_id(text, day.isoformat()), text=text, source="growth", title=writer.title,
                          url=url or f"https://{host or 'wire.example'}/{day:%Y/%m}/{m}-{n}",
                          outlet=name or None, published=day.isoformat(), published_precision="day",
                          language="en")
        return Generated(n, article, writer.records())

    def _cast(self, rng: random.Random, m: int) -> list[Actor]:
        actors: dict[str, Actor] = {}
        for s in {self._pick_state(rng) for _ in range(rng.randrange(1, 4))}:
            code, name = self.states[s]
            actors[f"state:{code}"] = Actor(f"state:{code}", name, "state", country=code)
        for i in {self._pick_person(rng, m) for _ in range(rng.randrange(2, 5))}:
            p = self.person(i)
            form = rng.random()
            if form < 0.05:
                name = p.last  # named by surname only: resolution decides who it is
            elif form < 0.10:
                name = f"{p.first} {p.middle}. {p.last}"
            else:
                name = f"{p.first} {p.last}"
            country = p.country if rng.random() > 0.04 else self.states[self._pick_state(rng)][0]
            actor = Actor(f"person:{name.lower()}", name, "person", country=country, sector=p.sector)
            if rng.random() < 0.2:
                actor.aliases.add(f"{'Ms.' if (p.index % 2) else 'Mr.'} {p.last}")
            actors[actor.key] = actor
        for j in {int((60 + m // 20) * rng.random() ** 1.5) for _ in range(rng.randrange(0, 3))}:
            name, country = self.organisation(j)
            actors[f"organisation:{name.lower()}"] = Actor(f"organisation:{name.lower()}", name, "organisation",
                                                           country=country, sector="BUS")
        return list(actors.values())


class _Writer:
    """Writes one article sentence by sentence, keeping the character offsets of what it names."""

    def __init__(self, rng: random.Random, stream: NewsStream, cast: list[Actor], day: date,
                 drop: frozenset[int] | set[int], nudge: int) -> None:
        self.rng, self.stream, self.cast, self.day = rng, stream, cast, day
        self.drop, self.nudge = drop, nudge
        self.parts: list[str] = []
        self.length = 0
        self.sentences: list[tuple[int, int]] = []
        self.mentions: list[Mention] = []
        self.events: list[CodedEvent] = []
        self.claims: list[Claim] = []
        self.roles: dict[str, list[Role]] = {}
        self.title = ""

    def write(self) -> None:
        rng = self.rng
        n_sentences = rng.randrange(10, 22)
        n_events = rng.randrange(1, 5)
        for index in range(n_sentences):
            # the rng draws the same whether a sentence is kept, so a rewrite keeps the rest
            kind = rng.random()
            keep = index not in self.drop
            if index < n_events:
                self._event_sentence(index, keep)
            elif kind < 0.2:
                self._claim_sentence(keep)
            else:
                self._colour_sentence(keep)
            if index == 2 and self.nudge:
                self._colour_sentence(True, nudge=self.nudge)

    # -- sentences ----------------------------------------------------------------------

    def _say(self, pieces: list[str | Actor], keep: bool, *, role: Role | None = None) -> list[Mention]:
        """Append a sentence made of text pieces and actor names; returns its mentions."""
        if not keep:
            return []
        start = self.length + (1 if self.parts else 0)
        sentence_no = len(self.sentences)
        text, mentions = "", []
        for piece in pieces:
            if isinstance(piece, Actor):
                begin = start + len(text)
                text += piece.name
                label = {"state": "GPE", "person": "PERSON"}.get(piece.kind, "ORG")
                mentions.append(Mention(begin, begin + len(piece.name), piece.name, label, sentence_no, piece.key))
            else:
                text += piece
        text = text[0].upper() + text[1:]
        self.parts.append(text)
        self.length = start + len(text)
        self.sentences.append((start, self.length))
        self.mentions += mentions
        return mentions

    def _event_sentence(self, index: int, keep: bool) -> None:
        rng = self.rng
        code, name, plover, quad, goldstein = rng.choices(CODES, CODE_WEIGHTS)[0]
        source, target = rng.sample(self.cast, 2) if len(self.cast) > 1 else (self.cast[0], self.cast[0])
        verb = rng.choice(CODE_VERBS[code])
        topic = _topic(rng)
        dated = rng.random() < 0.3
        joint = code in ("046", "057") and rng.random() < 0.5
        when = self.day - timedelta(days=rng.randrange(0, 3))
        time_words = f"on {WEEKDAYS[when.weekday()]}" if not dated else f"on {when:%-d} {MONTHS[when.month - 1]}"
        pieces: list[str | Actor] = [source, f" {rng.choice(ADVERBS)} {verb} ", target,
                                     f" over {topic} {time_words}."]
        mentions = self._say(pieces, keep)
        if not mentions:
            return
        if index == 0:
            self.title = f"{source.name} {verb} {target.name}"
        sentence = len(self.sentences) - 1
        s_start, s_end = self.sentences[-1]
        trigger_start = mentions[0].end + len(str(pieces[1])) - len(verb) - 1
        refs = [ActorRef(a.key, a.name, (a.country or "") + (a.sector or ""), a.country, a.sector, m.start, m.end)
                for a, m in ((source, mentions[0]), (target, mentions[1]))]
        event = Event(sentence=sentence, trigger=verb.split()[0], trigger_start=trigger_start,
                      trigger_end=trigger_start + len(verb.split()[0]), cameo=code, cameo_root=code[:2],
                      cameo_name=name, goldstein=goldstein, quad_class=quad, plover_type=plover, plover_mode=None,
                      sources=(refs[0],), targets=(refs[1],), sentence_start=s_start, sentence_end=s_end,
                      reciprocal=joint)
        time = (EventTime(when.isoformat(), "day", "text", time_words[3:], s_end - len(time_words) + 2, s_end - 1)
                if dated else EventTime(self.day.isoformat(), "day", "article"))
        self.events.append(CodedEvent(event, time, CERTAIN))

    def _claim_sentence(self, keep: bool) -> None:
        rng = self.rng
        people = [a for a in self.cast if a.kind == "person"] or self.cast
        speaker = rng.choice(people)
        follow = self._follow()
        title, sector = rng.choice(TITLES)
        states_role = rng.random() < 0.3
        mentions = self._say([speaker, f", the {title}, said {follow}."], keep)
        if not mentions:
            return
        s_start, s_end = self.sentences[-1]
        cue_start = mentions[0].end + len(", the ") + len(title) + len(", ")
        content_start = cue_start + 5
        source = ClaimSource(speaker.name, True, speaker.key, (speaker.country,) if speaker.country else (),
                             speaker.sector, mentions[0].start, mentions[0].end)
        self.claims.append(Claim("indirect", len(self.sentences) - 1, SpanRef(cue_start, cue_start + 4, "said"),
                                 "say", source, (SpanRef(content_start, s_end - 1, follow),), CERTAIN, ()))
        if speaker.kind == "person" and states_role:
            start = mentions[0].end + len(", the ")
            self.roles.setdefault(speaker.key, []).append(
                Role(title, speaker.country, sector, start, start + len(title), len(self.sentences) - 1))

    def _colour_sentence(self, keep: bool, *, nudge: int = 0) -> None:
        # a rewrite's own sentence draws from its own generator: the shared sentences stay as they were
        rng = random.Random(_h("nudge", nudge)) if nudge else self.rng
        opener = f"{rng.choice(OPENERS)} " if rng.random() < 0.3 else ""
        self._say([f"{opener}{self._follow(rng)}."], keep)

    def _follow(self, rng: random.Random | None = None) -> str:
        """A clause: a template with figures and places, or one of the grammar's."""
        rng = rng or self.rng
        states = [a for a in self.cast if a.kind == "state"]
        city = _word(rng.getrandbits(32), 2 + rng.randrange(2))  # a town of its own
        if rng.random() < 0.1:
            return rng.choice(FOLLOW).format(n=rng.randrange(2, 9000), city=city, weekday=rng.choice(WEEKDAYS),
                                             month=rng.choice(MONTHS), topic=_topic(rng))
        words = [str(rng.randrange(2, 999)), rng.choice(ADJECTIVES), rng.choice(NOUNS), rng.choice(VERBS), "a",
                 rng.choice(ADJECTIVES), rng.choice(THINGS), "on", _topic(rng), rng.choice(PREPOSITIONS), city]
        if rng.random() < 0.5:
            words += ["last" if rng.random() < 0.5 else "this", rng.choice(WEEKDAYS + MONTHS)]
        return " ".join(words)

    # -- results ----------------------------------------------------------------------

    def text(self) -> str:
        return " ".join(self.parts)

    def records(self) -> ArticleRecords:
        named = {m.actor for m in self.mentions}
        actors = []
        for actor in self.cast:
            if actor.key in named:
                actor.roles = self.roles.get(actor.key, [])
                actors.append(actor)
        return ArticleRecords(sentences=self.sentences, actors=actors, mentions=self.mentions, events=self.events,
                              claims=self.claims)
