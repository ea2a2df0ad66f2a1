"""Attribution: who says so, with which cue, about which content.

`attributions(doc)` finds direct quotes, indirect speech (`X said that …`), expressed
attitudes (`X supports Y`, `X plans to …`), prepositional attributions (`according to X`,
`as reported by X`, `in X's view`), nominal cues (`X's claim that …`, `his attacks on Y`),
speaker labels (`Name: …`, `“…” — Name`) and source-less hedges (`reportedly`, `it is widely
believed that …`) in a parsed `Doc`, and yields one `Attribution` per cue with its source,
cue and content spans as character offsets into `doc.text`. A cue inside another
attribution's reported content counts only when it is a plain speech verb (`Officials said
the envoy said …`): what someone is reported to believe or want belongs to that content.

Span conventions follow PolNeAR (Newell, Margolin & Ruths 2018), so the scorer in
`newsgraph.evaluate.attribution` can compare them with its gold data:

- the cue is the reporting verb with its auxiliaries, negation and the adverbs before it
  (`has also said`, `is widely believed`, `now says`), a phrasal particle (`pointed out`),
  the adverb, time or colon between it and the content (`said Tuesday that`, `tweeted:`)
  and the preposition whose object is the content (`warned of`); prepositional cues are
  the whole phrase (`according to`, `as reported by`);
- the source is the full subject noun phrase, appositions included; a pronoun stays the
  pronoun (`he`), its antecedent is given separately in `resolved_source`; a speaker the
  parser attached elsewhere (`…, Senator Reid, the minority leader, said`, `“…,” said
  Skelly`) is recovered from the words next to the verb;
- indirect content starts at the complementiser (`that North Korea …`) and stops before the
  sentence's final punctuation; direct content includes the quotation marks and the comma
  or full stop inside them; a quote that continues after the cue (`"…," he said, "…"`) or
  into following sentences and paragraphs adds further content spans.

Wire copy adds three conventions:

- a speaker's `citing X` (`…, Lee said, citing the intelligence service`) stays an
  attribution of its own (PolNeAR marks it) flagged `citation`, and `X` becomes the
  speaker's `cited_source`;
- speech that asserts nothing (`did not say how many`, `declined to say`, `refused to
  comment`, `without saying why`) is kept with `asserted` False, so claims can skip it;
- `seem` / `appear` with a complement (`the plan seemed to stall`) is a source-less hedge
  whose content is the subject and the complement.

A passive cue verb without an agent (`it is believed that …`, `the price was not disclosed`,
`the deal was widely criticized`) is a source-less hedge over its subject and complement, of
whatever class the verb is.

The cue words are data (`newsgraph/data/claims/*.tsv`); see the README there.
"""

from __future__ import annotations

import bisect
import csv
import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator, Sequence

from ..errors import LexiconError
from .attribution_spans import relative_clause_chars, relative_content
from .attribution_sources import (
    actor_before, cited_poll, controller, extraposed, holding_verb, infinitive_owner, inverted_speaker, issuer,
    name_read_as_modal, names_someone, own_subject, participle_subject, possessor_named, stranded_agent)
from .parsed import colons, entities, lemmas, lowers, pos_tags, sentence_index, sentences, text
from .quotes import QUOTE_MARK, merge_regions, quote_regions, single_quote_regions

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

LOGGER = logging.getLogger(__name__)

ROLES = ("head", "modifier", "frame")
KINDS = ("direct", "indirect", "according_to", "reported_by", "hedge")
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})
# A verb of evidence or cognition as an infinitive or gerund complement states a purpose
# ("tried to find out", "by seeing whether"), not a finding or a belief.
PURPOSE_POSITIONS = frozenset({("evidence", "xcomp"), ("cognition", "pcomp")})
# Dependents of a verb that PolNeAR includes in its cue when they stand between the verb
# and the content ("said Tuesday that", "said only that").
CUE_TAIL_DEPS = frozenset({"advmod", "npadvmod"})
# Finite verb tags: only a finite verb must have a subject somewhere.
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP"})
# Dependencies inside a noun phrase, climbed to find the phrase's head noun.
NOUN_INNER_DEPS = frozenset({"compound", "amod", "nummod", "poss", "pobj", "prep", "nmod", "det"})
AUX_DEPS = frozenset({"aux", "auxpass", "neg"})
OBJECT_DEPS = frozenset({"dobj", "attr", "oprd", "dative"})
# Dependencies through which a verb without a subject of its own shares its head's subject:
# "He paused and added …" (conj), "…, saying …" (advcl), "continued to insist" (xcomp),
# "voters were more likely to say …" (acomp).
SUBJECT_SHARING_DEPS = frozenset({"conj", "advcl", "xcomp", "pcomp", "prep", "acomp"})
# Dependencies of a predicate noun or adjective on its verb (`took the step`, `was keen`).
PREDICATE_DEPS = frozenset({"dobj", "attr", "acomp", "oprd"})
# Clause-level dependencies: a hedge adverb scopes over the nearest clause with one of these.
CLAUSE_DEPS = frozenset(
    {"ROOT", "ccomp", "xcomp", "advcl", "conj", "relcl", "parataxis", "pcomp", "csubj", "acl"}
)
# Verbs whose infinitival complement is the content ("promised to …", "declined to …").
XCOMP_CLASSES = frozenset(
    {"cognition", "directive", "commitment", "denial", "allegation", "confirmation", "stance", "speech"}
)
# Conjunctions that make a clause subordinate: "because he sees …", "as he urges …".
SUBORDINATORS = ("because", "as", "since", "while", "when", "after", "before", "if", "although", "though")
# Verbs whose subject receives the stance their object names ("drew criticism from X", "has
# the support of Y", "came under criticism from Z"), and the nouns of stance they take.
RECEIVING_VERBS = frozenset({"draw", "win", "receive", "earn", "garner", "attract", "face", "enjoy", "have",
                             "gain", "get", "come", "court", "secure", "lock"})
RECEIVED_NOUNS = frozenset({"support", "backing", "endorsement", "criticism", "praise", "opposition",
                            "condemnation", "rebuke", "ridicule", "blame"})
# Adjectives that `make` turns into a statement: "made (it) clear that …", "made known".
STATING_ADJECTIVES = frozenset({"clear", "plain", "known"})
# Verbs whose direct object is not what is said ("told reporters", "maintain ties").
NO_OBJECT_CONTENT = frozenset({"tell", "ask", "maintain", "continue", "add", "post"})
# Verbs whose object is the one addressed ("told the Daily News"), not what is said.
ADDRESSING_VERBS = frozenset({"tell", "ask", "assure", "warn", "remind", "inform", "brief"})
# Verbs that report an object only when an inquiry finds it ("a survey found 90 percent
# support"); anyone else finds things ("found a way", "found himself in trouble").
FINDING_VERBS = frozenset({"find"})
# Who finds by inquiring or judging: polls, studies, reports, courts.
INQUIRY_NOUNS = frozenset({
    "poll", "survey", "study", "report", "paper", "analysis", "investigation", "inquiry", "probe",
    "review", "audit", "research", "article", "census", "test", "experiment", "data", "jury", "judge",
    "court", "panel", "commission", "researcher", "investigator", "auditor", "examiner", "analyst",
})
# Verbs whose object after them is the one addressed, never an inverted speaker
# ("…, told reporters"); "…,” added Lee" and "…?” asked the senator" are inversions.
NO_INVERSION = frozenset({"tell", "maintain", "post"})
# Verbs whose infinitival complement is not what is said ("continued to campaign").
NO_XCOMP_CONTENT = frozenset({"maintain", "continue", "add", "post"})
# Prepositions of the medium a cue verb speaks in ("said in a statement", "wrote on Facebook").
MEDIUM_PREPS = frozenset({"in", "on", "during", "via", "through"})
# Cue classes that report only a finite clause ("assumed that …"), never an object.
CLAUSE_ONLY_CLASSES = frozenset({"supposition"})
# Verbs that perform the speech act their object noun names, so that their subject is the
# noun's source: "made a call for", "delivered a critique of", "leveled criticism at",
# "threw their support behind". (Verbs whose subject receives the act, "faced criticism",
# "drew praise", are not here.)
PERFORMING_VERBS = frozenset(
    {"make", "deliver", "give", "level", "launch", "mount", "lodge", "file", "register", "heap",
     "throw", "lend", "renew", "step", "raise", "put", "pin", "place", "send", "extend", "press",
     "escalate", "sharpen", "soften", "double", "reverse", "drop", "abandon", "maintain", "stake"}
)
# Cues that still count inside another attribution's content: plain reports of speech. (A
# question or request reported inside someone's account, `he said voters asked him about
# jobs`, is part of that account: PolNeAR leaves it unmarked about twice in three.)
NESTED_CUES = frozenset({"say", "add"})
PERSONAL_PRONOUNS = {"he": "m", "she": "f", "him": "m", "her": "f"}
PLURAL_PRONOUNS = frozenset({"they", "them"})
NEUTER_PRONOUNS = frozenset({"it"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
HONORIFICS = {"mr": "m", "mr.": "m", "sir": "m", "mrs": "f", "mrs.": "f", "ms": "f", "ms.": "f",
              "miss": "f", "madam": "f", "lady": "f", "lord": "m"}
# How many characters of non-word text may separate a quote from the clause it belongs to.
_ADJACENT_GAP = 4
# Sentence indices a pronoun looks back over for an earlier speaker before settling for
# the nearest compatible name.
_SPEAKER_LOOKBACK = 3


@dataclass(frozen=True, slots=True)
class SpanRef:
    """A character span of `doc.text`."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class SourceDescription:
    """What the words of a source phrase say about it."""

    named: bool  # False for "officials", "intelligence sources", "it is believed"
    countries: tuple[str, ...]  # alpha-3 from adjectives/names in the phrase: ("USA", "KOR")
    sector: str | None  # CAMEO sector from the head noun or its modifiers: SPY, GOV, MED, …
    description: str  # the phrase itself: "American and South Korean intelligence sources"


@dataclass(frozen=True, slots=True)
class Attribution:
    """One attribution: a cue that attributes content to a source (or to nobody)."""

    kind: str  # "direct" | "indirect" | "according_to" | "reported_by" | "hedge"
    cue: SpanRef
    source: SpanRef | None  # None for source-less hedges
    contents: tuple[SpanRef, ...]  # several when a quote is interrupted or continues
    sentence: int  # index of the cue's sentence in doc.sents
    cue_lemma: str  # "say", "report", "according to", "allege", "believe", …
    source_description: SourceDescription | None
    pronoun_source: bool  # the source is a pronoun resolved to an earlier named source
    resolved_source: SpanRef | None  # the antecedent span for pronoun sources
    stance: str | None = None  # the lexicon's stance: "reported", "alleged", "denied", …
    # Whom the source cites for the content: "…, lawmaker Lee said, citing the intelligence
    # service" gives Lee's attribution the cited source "the intelligence service".
    cited_source: SpanRef | None = None
    # False for speech that asserts nothing: "did not say how many …", "declined to say",
    # "refused to comment", "without saying why". PolNeAR still marks these cues.
    asserted: bool = True
    # True for the `citing X` attribution whose X is another attribution's cited source.
    citation: bool = False


# --------------------------------------------------------------------------- lexicon


@dataclass(frozen=True, slots=True)
class VerbCue:
    """A reporting verb from `reporting_verbs.tsv`."""

    lemma: str
    cls: str
    stance: str
    preps: frozenset[str]


@dataclass(frozen=True, slots=True)
class PhraseCue:
    """A multi-word or adverbial cue from `phrase_cues.tsv`."""

    words: tuple[str, ...]
    kind: str
    lemma: str
    stance: str


@dataclass(frozen=True, slots=True)
class SourceWord:
    """A source noun or sector modifier from `source_nouns.tsv`."""

    word: str
    sector: str | None
    role: str  # "head" | "modifier"


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Every cue word the extractor knows."""

    verbs: dict[str, VerbCue]
    phrases: dict[tuple[str, ...], PhraseCue]
    heads: dict[str, SourceWord]
    modifiers: dict[str, SourceWord]
    frames: dict[str, SourceWord] = field(default_factory=dict)
    nouns: dict[str, VerbCue] = field(default_factory=dict)

    @property
    def max_phrase_len(self) -> int:
        return max((len(p) for p in self.phrases), default=0)


def _rows(text: str, origin: str, width: int) -> Iterator[list[str]]:
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        row = [cell.strip() for cell in next(csv.reader([line], delimiter="\t"))]
        if len(row) != width:
            raise LexiconError(
                f"{origin}:{number}: expected {width} tab-separated columns, got {len(row)}. "
                "See newsgraph/data/claims/README.md for the format."
            )
        yield row


def _read(name: str, extra: Sequence[Path]) -> list[tuple[str, str]]:
    """(origin, text) of the packaged file `name` followed by same-named extra files."""
    packaged = resources.files("newsgraph").joinpath("data", "claims", name)
    texts = [(f"newsgraph/data/claims/{name}", packaged.read_text(encoding="utf-8"))]
    for folder in extra:
        path = Path(folder) / name
        if path.is_file():
            texts.append((str(path), path.read_text(encoding="utf-8")))
    return texts


@lru_cache(maxsize=8)
def load_lexicon(paths: tuple[str, ...] = ()) -> Lexicon:
    """Read the packaged cue lexicons, then same-named files in the folders `paths`.

    Args:
        paths: folders holding extra `reporting_verbs.tsv`, `phrase_cues.tsv` or
            `source_nouns.tsv` files; their rows override packaged ones.

    Raises:
        LexiconError: a file has the wrong number of columns or an unknown kind.
    """
    extra = [Path(p) for p in paths]
    verbs: dict[str, VerbCue] = {}
    for origin, text in _read("reporting_verbs.tsv", extra):
        for lemma, cls, stance, preps in _rows(text, origin, 4):
            wanted = frozenset(p for p in preps.split(",") if p and p != "-")
            verbs[lemma.lower()] = VerbCue(lemma.lower(), cls, stance, wanted)
    phrases: dict[tuple[str, ...], PhraseCue] = {}
    for origin, text in _read("phrase_cues.tsv", extra):
        for phrase, kind, lemma, stance in _rows(text, origin, 4):
            if kind not in KINDS:
                raise LexiconError(f"{origin}: unknown kind {kind!r} for {phrase!r}; use one of {KINDS}")
            words = tuple(phrase.lower().split())
            phrases[words] = PhraseCue(words, kind, lemma, stance)
    heads: dict[str, SourceWord] = {}
    modifiers: dict[str, SourceWord] = {}
    frames: dict[str, SourceWord] = {}
    for origin, text in _read("source_nouns.tsv", extra):
        for word, sector, role in _rows(text, origin, 3):
            entry = SourceWord(word.lower(), None if sector == "-" else sector, role)
            if role not in ROLES:
                raise LexiconError(f"{origin}: unknown role {role!r} for {word!r}; use one of {ROLES}")
            {"head": heads, "modifier": modifiers, "frame": frames}[role][entry.word] = entry
    nouns: dict[str, VerbCue] = {}
    for origin, text in _read("nominal_cues.tsv", extra):
        for lemma, cls, stance, preps in _rows(text, origin, 4):
            wanted = frozenset(p for p in preps.split(",") if p and p != "-")
            nouns[lemma.lower()] = VerbCue(lemma.lower(), cls, stance, wanted)
    return Lexicon(verbs, phrases, heads, modifiers, frames, nouns)


# --------------------------------------------------------------------------- countries


@lru_cache(maxsize=4096)
def _country(text: str) -> str | None:
    """Alpha-3 code for a country name or demonym, via `newsgraph.geo` when present."""
    try:
        from .. import geo  # written alongside; optional until it lands
    except ImportError:
        return _fallback_country(text)
    match = geo.match_country(text)
    return match.alpha3 if match else None


# Until `newsgraph.geo` exists: a few demonyms pycountry lacks, then pycountry itself.
_DEMONYMS = {
    "american": "USA", "u.s.": "USA", "us": "USA", "america": "USA", "united states": "USA",
    "south korean": "KOR", "south korea": "KOR", "north korean": "PRK", "north korea": "PRK",
    "russian": "RUS", "russia": "RUS", "chinese": "CHN", "british": "GBR", "britain": "GBR",
    "uk": "GBR", "u.k.": "GBR", "ukrainian": "UKR", "japanese": "JPN", "french": "FRA",
    "german": "DEU", "iranian": "IRN", "iran": "IRN", "israeli": "ISR", "syrian": "SYR",
    "syria": "SYR", "turkish": "TUR", "indian": "IND", "pakistani": "PAK", "mexican": "MEX",
    "canadian": "CAN", "saudi": "SAU", "iraqi": "IRQ", "afghan": "AFG", "egyptian": "EGY",
}


def _fallback_country(text: str) -> str | None:
    key = re.sub(r"^the\s+|['’]s$", "", text.strip().lower())
    if key in _DEMONYMS:
        return _DEMONYMS[key]
    import pycountry

    try:
        return pycountry.countries.lookup(key).alpha_3
    except LookupError:
        return None


# --------------------------------------------------------------------------- drafts


@dataclass(slots=True)
class _Draft:
    """An attribution while it is being assembled (token indices, char spans)."""

    kind: str
    cue: tuple[int, int]
    source: tuple[int, int] | None  # token range [start, end)
    contents: list[tuple[int, int]]  # char ranges
    sentence: int
    lemma: str
    stance: str | None
    cue_tokens: frozenset[int] = field(default_factory=frozenset)
    cited: tuple[int, int] | None = None  # char span of the source the speaker cites
    citation: bool = False  # this draft only names another draft's cited source

    def spans(self) -> list[tuple[int, int]]:
        out = [self.cue, *self.contents]
        return out

    def last_end(self, doc: "Doc") -> int:
        ends = [self.cue[1], *(e for _, e in self.contents)]
        if self.source:
            ends.append(doc[self.source[1] - 1].idx + len(doc[self.source[1] - 1]))
        return max(ends)


class _Context:
    """Per-document state shared by the cue finders."""

    def __init__(self, doc: "Doc", lexicon: Lexicon) -> None:
        self.doc = doc
        self.lex = lexicon
        self.text = text(doc)
        self.quotes = merge_regions(quote_regions(self.text), single_quote_regions(self.text))
        self.quote_starts = [start for start, _ in self.quotes]
        self.sents = sentences(doc)
        self.ents = entities(doc)
        self.sent_of = sentence_index(doc)
        self.used: set[int] = set()  # tokens already serving as a cue

    def in_quote(self, token: "Token") -> bool:
        """Whether `token` lies inside a quotation: PolNeAR leaves cues quoted by
        someone else to the outer attribution, and so do we."""
        position = bisect.bisect_right(self.quote_starts, token.idx) - 1
        return position >= 0 and token.idx < self.quotes[position][1]

    def in_quote_from(self, token: "Token", start: int) -> bool:
        """Whether `token` lies inside the quotation that opens at `start`."""
        position = bisect.bisect_right(self.quote_starts, token.idx) - 1
        return position >= 0 and self.quotes[position][0] == start and token.idx < self.quotes[position][1]


def _char_range(tokens: Sequence["Token"]) -> tuple[int, int]:
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1])


def _is_mark(token: "Token") -> bool:
    return token.is_punct or token.is_space


def _runs(doc: "Doc", indices: Iterable[int]) -> list[tuple[int, int]]:
    """Char ranges of the contiguous runs of `indices`, edge punctuation trimmed."""
    ordered = sorted(set(indices))
    runs: list[list[int]] = []
    for i in ordered:
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    out = []
    for run in runs:
        tokens = [doc[i] for i in run]
        while tokens and _is_mark(tokens[0]):
            tokens.pop(0)
        while tokens and _is_mark(tokens[-1]):
            tokens.pop()
        if tokens and any(t.is_alpha or t.like_num for t in tokens):
            out.append(_char_range(tokens))
    return out


def _fit_quotes(ctx: _Context, span: tuple[int, int], cue: tuple[int, int]) -> tuple[tuple[int, int], bool]:
    """Widen a content span to the quotation it lies in or runs into; say if it is a quote."""
    start, end = span
    quoted = False
    for q_start, q_end in ctx.quotes:
        if q_end <= start or q_start >= end or q_start <= cue[0] < q_end:
            continue
        if q_start <= start and end <= q_end:
            return (q_start, q_end), True
        if start <= q_start < end < q_end:
            end = q_end
        elif q_start < start < q_end <= end:
            start = q_start
        quoted = quoted or (q_start <= start and q_end >= end)
    return (start, end), quoted


def _subtree(token: "Token") -> list[int]:
    return [t.i for t in token.subtree]


# --------------------------------------------------------------------------- verb cues


def _subject(verb: "Token") -> "Token | None":
    """The verb's subject, or the subject it shares with its head ("… and added")."""
    current = verb
    for _ in range(6):
        # its own subject; the object that speaks in it ("the victory led the chairman to
        # declare …"); a name the parser read as a modal ("Will wrote that …")
        subject = next((found for find in (own_subject, controller, name_read_as_modal)
                        if (found := find(current)) is not None), None)
        if subject is not None:
            return None if current is not verb and extraposed(subject, current) else subject
        if current.head.i == current.i or not (
            current.dep_ in SUBJECT_SHARING_DEPS or _predicate_word(current)
            or (current is verb and _continues_after_comma(current))
        ):
            return None
        current = current.head
    return None


def _continues_after_comma(verb: "Token") -> bool:
    """A finite verb the parser left loose (`dep`) after a comma that follows its head's
    clause, in the head's tense (`Clinton paused, then revealed why …`): it goes on with the
    head's subject."""
    doc = verb.doc
    if (verb.dep_ != "dep" or verb.tag_ not in FINITE_TAGS or verb.head.i > verb.i or verb.head.pos_ != "VERB"
            or verb.head.tag_ != verb.tag_):
        return False
    j = verb.i - 1
    while j > verb.head.i and doc[j].dep_ in ("advmod", "cc") and doc[j].head.i == verb.i:
        j -= 1
    return doc[j].text == ","


def _predicate_word(token: "Token") -> bool:
    """A noun, adjective or adverb in the predicate, through which a gerund after its
    preposition shares the clause's subject: `took the step of criticizing`, `was the most
    aggressive in denouncing`."""
    return token.pos_ in ("NOUN", "ADJ", "ADV") and token.dep_ in PREDICATE_DEPS


def _split_subjects(verb: "Token") -> "tuple[Token, Token] | None":
    """(speaker, reported) when the parser gave a speech verb the reported clause as a second
    subject: `"Safety," said Grimm`, `The treaty signals the end, said Wilders`, `Nothing
    he said "will help," the senator said`. The reported one comes first, set off by a comma
    or a closing quotation mark; the speaker is the other."""
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    if len(subjects) != 2 or any(c.dep_ in ("ccomp", "dobj") for c in verb.children):
        return None
    reported, speaker = subjects
    if reported.i > verb.i:
        return None
    doc = verb.doc
    after = doc[reported.right_edge.i + 1] if reported.right_edge.i + 1 < len(doc) else None
    if after is None or not (after.text in (",", "”", "''", '"') or after.is_quote):
        return None
    return speaker, reported


def _stray_subject(ctx: _Context, verb: "Token") -> "Token | None":
    """The speaker of a finite verb the parser left without a subject.

    The small parser often hangs the speaker on a neighbouring phrase: `…, Senator Harry
    Reid, the minority leader, said` (a conjunct of the previous noun), `As part of his
    plea, Marcel Lazar, 44, said` (an apposition), `“…,” said Skelly` (an adverb). Take
    the noun phrase that ends just before the verb, else a name just after it.
    """
    doc = ctx.doc
    sent = ctx.sents[ctx.sent_of[verb.i]]
    j = verb.i - 1
    while j >= sent.start and (doc[j].text == "," or doc[j].tag_ == "RB"):
        j -= 1
    if j >= sent.start and doc[j].pos_ in ("PROPN", "NOUN", "NUM") and not ctx.in_quote(doc[j]):
        token = doc[j]
        # climb from a modifier to the noun it belongs to ("a spokesman for Ryan",
        # "Reid, the minority leader"), stopping at a name: it is the speaker itself
        for _ in range(6):
            if token.dep_ in NOUN_INNER_DEPS or (token.dep_ == "appos" and token.pos_ != "PROPN"):
                if token.head.i >= verb.i or token.head.i < sent.start:
                    break
                token = token.head
            else:
                break
        if token.pos_ in ("PROPN", "NOUN") and _near(ctx, token, verb):
            return token
        if token.pos_ == "NUM" and token.head.i == verb.i and token.left_edge.i == sent.start:
            return token  # "About 4 in 10 say …": a proportion the parser hung on the verb
    after = verb.i + 1
    if after < sent.end and doc[after].pos_ == "PROPN" or (
        after < sent.end and doc[after].ent_type_ in ("PERSON", "ORG")
    ):
        token = doc[after]
        while token.head.i != verb.i and token.head.i > verb.i and token.dep_ in ("compound", "flat"):
            token = token.head
        if token.head.i == verb.i and token.dep_ not in ("ccomp", "xcomp", "prep"):
            return token
    return None


def _near(ctx: _Context, noun: "Token", verb: "Token") -> bool:
    """Only commas, adverbs and the noun's own phrase lie between the noun and the verb."""
    inside = set(_subtree(noun))
    return all(
        i in inside or ctx.doc[i].text == "," or ctx.doc[i].tag_ == "RB"
        for i in range(noun.i + 1, verb.i)
    )


def _source_tokens(subject: "Token", exclude: set[int]) -> tuple[int, int] | None:
    """Token range of the source phrase headed by `subject`, clauses and appositions kept
    (PolNeAR annotators mostly keep them), edge punctuation trimmed except a closing
    comma or bracket."""
    indices = [i for i in _subtree(subject) if i not in exclude]
    doc = subject.doc
    # Keep the contiguous run around the head: a relative clause or quote inside the
    # subtree must not make the source swallow the content.
    allowed = {i for i in indices if "\n" not in doc[i].text}  # a source stays in its paragraph
    left = right = subject.i
    while left - 1 in allowed and left - 1 >= subject.left_edge.i and not doc[left - 1].is_quote:
        left -= 1  # a quotation before the speaker's name is what was said, not the speaker
    while right + 1 in allowed:
        right += 1
    while left < right and _is_mark(doc[left]):
        left += 1
    while right > left and doc[right].is_punct and doc[right].text != ",":
        if doc[right].text in (")", "”", "''") and _opened(doc, left, right):
            break  # "Rep. Brad Sherman (D-Calif.)", "a group called “The Local”"
        right -= 1
    return left, right + 1


def _with_trailing_name(doc: "Doc", source: tuple[int, int], verb: "Token") -> tuple[int, int]:
    """`the Russian state news agency TASS said`: the parser gives the verb two subjects, the
    description and the name after it; the source is both."""
    start, end = source
    while end < verb.i:
        token = doc[end]
        if token.head.i != verb.i or token.dep_ not in ("nsubj", "npadvmod", "dep", "appos") or token.pos_ != "PROPN":
            break
        end = token.right_edge.i + 1
    return start, end


def _opened(doc: "Doc", left: int, right: int) -> bool:
    """Whether the bracket or quotation mark at `right` closes one opened in the span."""
    opener = {")": ("(",), "”": ("“",), "''": ("``", "''")}[doc[right].text]
    return any(doc[i].text in opener for i in range(left, right))


def _cue_tokens(verb: "Token", subject: "Token | None", extra: Sequence["Token"] = ()) -> list["Token"]:
    after = subject.right_edge.i if subject is not None and subject.i < verb.i else -1
    tokens = [verb, *extra]
    for child in verb.children:
        if child.dep_ in AUX_DEPS and after < child.i < verb.i:
            tokens.append(child)
        elif child.dep_ == "advmod" and child.tag_ == "RB" and after < child.i < verb.i:
            tokens.append(child)  # "also said", "now says"
        elif (child.dep_ == "prt" or (child.dep_ == "dobj" and child.lower_ == "it")) and child.i > verb.i:
            tokens.append(child)  # "pointed out", and the "it" of an idiom ("as he put it")
    return sorted(tokens, key=lambda t: t.i)


def _cue_tail(
    verb: "Token", tokens: list["Token"], content: list[tuple[int, int]], source: tuple[int, int] | None
) -> list["Token"]:
    """Extend a verb cue over what follows the verb before its content: an adverb or time
    ("said then", "announced Tuesday") and a colon ("tweeted:")."""
    doc = verb.doc
    start = min((s for s, _ in content if s > verb.idx), default=verb.sent.end_char)
    last = tokens[-1].i
    out = list(tokens)
    while last + 1 < len(doc):
        token = doc[last + 1]
        if token.idx >= start or (source is not None and source[0] <= token.i < source[1]):
            break
        if token.text == ":":
            out.append(token)
            break
        if token.head.i == verb.i and token.dep_ in CUE_TAIL_DEPS:
            span = list(token.subtree)
            if span[-1].idx >= start or span[0].i != token.i:
                break
            out.extend(span)
            last = span[-1].i
            continue
        break
    return out


def _verb_entry(verb: "Token", lex: Lexicon) -> VerbCue | None:
    lemma = verb.lemma_.lower()
    for child in verb.children:
        if child.dep_ == "prt" or (child.dep_ == "dobj" and child.lower_ == "it"):
            phrasal = lex.verbs.get(f"{lemma} {child.lower_}")  # "point out", "put it"
            if phrasal:
                return phrasal
    entry = lex.verbs.get(lemma) or lex.verbs.get(lemma + "e")  # "hoping" -> "hop"
    if entry is None and verb.lower_.endswith(("ed", "es")):
        # The small model's lemmatiser slips on some verbs ("hoped" -> "hop").
        entry = lex.verbs.get(verb.lower_[:-1]) or lex.verbs.get(verb.lower_[:-2])
    return entry


# Words that may open a clause of being asked ("When asked about …, she said").
ASKED_OPENERS = frozenset({"when", "once", "after", "if", "while"})


# The sentence-opening phrases of "say" that join sentences and report nothing: "That
# said,", "That being said,", "Having said that,", "With that said,".
_DISCOURSE_SAID = frozenset({("that", "said"), ("that", "being", "said"), ("having", "said", "that"),
                             ("having", "said", "this"), ("with", "that", "said"), ("this", "said")})


def _discourse_marker(ctx: _Context, verb: "Token") -> bool:
    """Whether `verb` is the `said` of a sentence-opening `That said,` and the like."""
    if verb.lemma_.lower() != "say":
        return False
    sent = ctx.sents[ctx.sent_of[verb.i]]
    words = [t for t in ctx.doc[sent.start:min(sent.end, sent.start + 4)] if not (t.is_quote or t.is_space)]
    for size in (2, 3):
        phrase = words[:size]
        if (len(words) > size and words[size].text == "," and any(t.i == verb.i for t in phrase)
                and tuple(t.lower_ for t in phrase) in _DISCOURSE_SAID):
            return True
    return False


def _asked_frame(ctx: _Context, verb: "Token", entry: VerbCue) -> _Draft | None:
    """`Asked whether …, Trump replied`, `When asked about the merger, she said`: an
    agentless `asked` that frames the sentence reports the question, with nobody named as
    asking (PolNeAR leaves the source empty); the one asked answers in the main clause."""
    doc = verb.doc
    sent = ctx.sents[ctx.sent_of[verb.i]]
    before = [t for t in doc[sent.start:verb.i] if not (t.is_punct or t.is_space)]
    if verb.dep_ not in ("advcl", "ccomp") or any(t.lower_ not in ASKED_OPENERS for t in before):
        return None
    if any(c.dep_ in SUBJECT_DEPS or c.dep_ in ("aux", "auxpass", "agent") for c in verb.children):
        return None
    if verb.right_edge.i + 1 >= sent.end or doc[verb.right_edge.i + 1].text != ",":
        return None
    question = (next((c for c in verb.children if c.dep_ in ("ccomp", "advcl", "dobj", "xcomp") and c.i > verb.i), None)
                or next((t for t in verb.subtree if t.dep_ == "prep" and t.lower_ == "about"), None))
    if question is None:
        return None
    content = _finish(ctx, _runs(doc, _subtree(question)), (verb.idx, verb.idx + len(verb)))
    if not content:
        return None
    return _Draft("indirect", _char_range([verb]), None, content, ctx.sent_of[verb.i], entry.lemma, entry.stance,
                  frozenset({verb.i}))


def _main_verb_read_as_modifier(verb: "Token") -> bool:
    """Whether the parser read a sentence's only verb as a modifier of the noun before it,
    which it made the root (`Beruff, a Scott ally, called the standards “strong.”`); set off
    by a comma, unlike a naming participle (`a group called X`)."""
    head = verb.head
    return (verb.dep_ == "acl" and verb.tag_ in ("VBN", "VBD") and head.dep_ == "ROOT"
            and head.pos_ in ("PROPN", "NOUN") and verb.i > 0 and verb.doc[verb.i - 1].text == ",")


def _perfect_read_as_passive(verb: "Token", entry: VerbCue) -> bool:
    """Whether the parser read `'s` as a passive `is` where it is a perfect `has`: a past
    participle with an object, a clause or the verb's own preposition after it (`He's always
    denied it`, `who's argued for years that …`, `who's called for 20,000 troops`). An
    expletive subject stays passive (`It's said that …`)."""
    auxiliaries = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if verb.tag_ != "VBN" or [a.lower_ for a in auxiliaries] not in (["'s"], ["’s"]):
        return False
    if any(c.dep_ in SUBJECT_DEPS and c.lower_ in ("it", "there") for c in verb.children):
        return False
    return any(c.dep_ in ("dobj", "ccomp") or (c.dep_ == "prep" and c.lower_ in entry.preps and c.i > verb.i)
               for c in verb.children)


def _verb_cue(ctx: _Context, verb: "Token") -> _Draft | None:
    """An attribution headed by the reporting verb `verb`, if its arguments make one."""
    if verb.pos_ not in ("VERB", "AUX") or verb.dep_ in ("aux", "auxpass", "amod", "compound"):
        return None
    if verb.i in ctx.used or ctx.in_quote(verb):
        return None
    entry = _verb_entry(verb, ctx.lex)
    if entry is None:
        return _framed_quote_cue(ctx, verb)
    if _imperative(ctx, verb) or (entry.lemma.endswith(" it") and not _idiom_of_saying(ctx, verb)):
        return None
    if (entry.cls, verb.dep_) in PURPOSE_POSITIONS or _discourse_marker(ctx, verb):
        return None
    if entry.lemma == "ask":
        asked = _asked_frame(ctx, verb, entry)
        if asked is not None:
            return asked
    if entry.cls == "appearance":
        return _appearance_cue(ctx, verb, entry)
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)
    if passive and not _perfect_read_as_passive(verb, entry):
        return _passive_cue(ctx, verb, entry)
    subject = _subject(verb)
    reported = None
    if entry.cls in SPEAKING_CLASSES:
        split = _split_subjects(verb)
        if split is not None:
            subject, reported = split
        elif entry.lemma not in NO_INVERSION:
            inverted = _inverted_cue(ctx, verb, entry)
            if inverted is not None:
                return inverted
    if verb.tag_ == "VBG" and verb.dep_ in ("xcomp", "advcl", "acl"):
        # "footage of Hillary Clinton asking …": the person right before the participle
        subject = actor_before(verb) or subject
    if subject is None and verb.dep_ == "acl":
        subject = participle_subject(verb)  # "Carson rejected the notion, saying …"
    if subject is None and verb.dep_ == "acl" and verb.tag_ in ("VBG", *FINITE_TAGS) and verb.head.pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
        # "polls showing him ahead", "a super PAC backing Bush", "those supporting it"; and a
        # finite verb the parser took for a modifier of its own subject ("a poll found that");
        # but a message someone issued speaks for its issuer ("put out a statement saying")
        subject = issuer(verb.head) or verb.head
    if subject is None and verb.dep_ in ("acl", "relcl"):
        subject = infinitive_owner(verb)  # "has done nothing to explain this"
    if subject is None and _main_verb_read_as_modifier(verb):
        subject = verb.head  # "Beruff, a Scott ally, called the standards “strong.”"
    if subject is None and verb.dep_ in ("acl", "amod"):
        return None  # "a group called X", "the laws proposed": naming, or nobody speaks
    if subject is not None and subject.i > verb.i and ctx.in_quote(subject) and not ctx.in_quote(verb):
        subject = None  # `…,” Flynn said on “Fox and Friends.”`: a quoted title after the verb
    if subject is None and verb.tag_ in FINITE_TAGS:
        subject = _stray_subject(ctx, verb)
    if reported is not None:
        content, extra, kind = _finish(ctx, _runs(ctx.doc, _subtree(reported)), (verb.idx, verb.idx + len(verb))), (), None
    else:
        content, extra, kind = _content(ctx, verb, entry, subject)
    if not content:
        return None
    cue_tokens = _cue_tokens(verb, subject, extra)
    source = _source_tokens(subject, {t.i for t in cue_tokens}) if subject is not None else None
    if source is not None:
        source = _with_trailing_name(ctx.doc, source, verb)
    cue_tokens = _cue_tail(verb, cue_tokens, content, source)
    cue = _char_range(cue_tokens)
    if source is not None:
        content = _cut_out(ctx.text, content, _token_chars(ctx.doc, source))
    if not content:
        return None
    if kind is None:
        kind = "direct" if _is_direct(ctx, content) else "indirect"
    if kind == "indirect" and entry.cls == "report":
        kind = "reported_by"
    return _Draft(kind, cue, source, content, ctx.sent_of[verb.i], entry.lemma, entry.stance,
                  frozenset(t.i for t in cue_tokens))


def _inverted_cue(ctx: _Context, verb: "Token", entry: VerbCue) -> _Draft | None:
    """`…, said Doyle and others, would be clear`, `“…,” said a person close to them`: the
    speaker after the verb, and the rest of the sentence as the content."""
    sent = ctx.sents[ctx.sent_of[verb.i]]
    speaker = inverted_speaker(verb, sent.end)
    if speaker is None:
        return None
    doc = ctx.doc
    left = verb.i - 1
    while left >= sent.start and doc[left].text == ",":
        left -= 1
    right = speaker[1]
    while right < sent.end and doc[right].text == ",":
        right += 1
    # the sentence goes on after the speaker only when the verb interrupts it (`The contrast,
    # said Doyle, would be clear`), not after a closed quotation or before `…, adding that`
    goes_on = doc[verb.i - 1].text == "," and right < sent.end and not (
        doc[right].tag_ in ("VBG", "WDT", "WP") or doc[right].pos_ in ("ADP", "SCONJ", "PUNCT"))
    indices = [i for i in range(sent.start, sent.end) if i <= left or (goes_on and i >= right)]
    cue = (verb.idx, verb.idx + len(verb))
    content = _finish(ctx, _runs(doc, indices), cue)
    if not content:
        return None
    kind = "direct" if _is_direct(ctx, content) else ("reported_by" if entry.cls == "report" else "indirect")
    return _Draft(kind, cue, speaker, content, ctx.sent_of[verb.i], entry.lemma, entry.stance, frozenset({verb.i}))


def _framed_quote_cue(ctx: _Context, verb: "Token") -> _Draft | None:
    """A verb outside the lexicon that news layout makes a verb of speech: the short clause
    after a quotation that ends in a comma or mark inside its quotes (`“Choke!” blared the
    Herald`, `“It's time,” exhorted the actress`), or the clause that ends in a colon right
    before one (`Trump leaned in and boomed: “…”`, `the rally had one message: “…”`)."""
    if verb.pos_ != "VERB" or verb.dep_ in ("aux", "auxpass", "amod", "compound", "acl", "relcl"):
        return None
    doc = ctx.doc
    before, after = _quote_before(ctx, verb), _quote_after_colon(ctx, verb)
    quote = before or (after[0] if after else None)
    if quote is None:
        return None
    subject = _subject(verb)
    if subject is not None and ctx.in_quote(subject):
        subject = None  # "“Choke!” blared the Herald": the parser took the quote for the subject
    if subject is None and before is not None:
        # "“…,” exhorted the actress Jane Roe": the speaker after the verb, read as its object
        subject = next((c for c in verb.children if c.dep_ in ("dobj", "nsubj") and c.i > verb.i), None)
    if subject is None or subject.pos_ not in ("NOUN", "PROPN", "PRON") or subject.lower_ in RELATIVE_PRONOUNS | {"what"}:
        return None
    tokens = _cue_tokens(verb, subject)
    if after is not None:
        tokens = sorted({*tokens, *doc[verb.i : after[1] + 1]}, key=lambda t: t.i)
    cue = (tokens[0].idx, tokens[-1].idx + len(tokens[-1]))
    source = _source_tokens(subject, {t.i for t in tokens})
    if source is None:
        return None
    return _Draft("direct", cue, source, [quote], ctx.sent_of[verb.i], verb.lemma_.lower(), "reported",
                  frozenset(t.i for t in tokens))


# Clause words after a framing verb: its speaker and the adverbs, times and places of the act.
_FRAME_MAX_TOKENS = 12
_FRAME_MAX_CHARS = 120


def _quote_before(ctx: _Context, verb: "Token") -> tuple[int, int] | None:
    """The quotation the verb's short clause follows: it ends in `,` `?` `!` or a dash inside
    its marks, and the clause from there to the end of the sentence (or the next quotation)
    holds no other verb."""
    text, doc = ctx.text, ctx.doc
    position = bisect.bisect_right(ctx.quote_starts, verb.idx) - 1
    if position < 0:
        return None
    q_start, q_end = ctx.quotes[position]
    if q_end > verb.idx or verb.idx - q_end > _FRAME_MAX_CHARS:
        return None
    inner = text[q_start:q_end].rstrip("”\"' ")
    if not inner or inner[-1] not in ",?!—–-" or "\n" in text[q_end:verb.idx]:
        return None
    if not _opens_sentence(text, q_start):
        return None  # a title or phrase quoted inside a sentence: `the show “Mercy Street,” returns`
    sent = ctx.sents[ctx.sent_of[verb.i]]
    stop = next((t.i for t in doc[verb.i : sent.end] if t.is_quote or t.text in (".", ";", ":")), sent.end)
    clause = [t for t in doc[verb.i : stop] if not t.is_punct]
    clause += [t for t in doc[sent.start : verb.i] if t.idx >= q_end and not t.is_punct]
    others = [t for t in clause if t.pos_ in ("VERB", "AUX") and t.i != verb.i and not _within_act(t, verb)]
    if others or len(clause) > _FRAME_MAX_TOKENS or _wordy(text[q_end : min(t.idx for t in clause)]):
        return None
    return q_start, q_end


def _opens_sentence(text: str, start: int) -> bool:
    """Whether nothing but a sentence end, a line break or another quotation precedes `start`."""
    at = start - 1
    while at >= 0 and text[at] in " \t":  # scan back rather than copy the text before
        at -= 1
    return at < 0 or text[at] in "\n.!?”\"'"


def _within_act(token: "Token", verb: "Token") -> bool:
    """An auxiliary of the verb, or a participle without a subject of its own below it
    (`exclaimed upon seeing him`): part of the framing verb's clause, not another clause."""
    if token.head.i == verb.i and token.dep_ in AUX_DEPS:
        return True
    below = any(a.i == verb.i for a in token.ancestors)
    return below and token.tag_ in ("VBG", "VBN") and not any(c.dep_ in SUBJECT_DEPS for c in token.children)


def _quote_after_colon(ctx: _Context, verb: "Token") -> tuple[tuple[int, int], int] | None:
    """The quotation right after a colon that closes the verb's clause, and the colon's index."""
    doc = ctx.doc
    sent = ctx.sents[ctx.sent_of[verb.i]]
    colon = next((t for t in doc[verb.i + 1 : min(sent.end, verb.i + _FRAME_MAX_TOKENS)] if t.text == ":"), None)
    if colon is None or any(t.pos_ in ("VERB", "AUX") for t in doc[verb.i + 1 : colon.i]):
        return None
    text, at = ctx.text, colon.idx + 1
    while at < len(text) and text[at].isspace():  # scan on rather than copy the rest
        at += 1
    position = bisect.bisect_left(ctx.quote_starts, at)
    if position < len(ctx.quotes) and ctx.quotes[position][0] == at:
        return ctx.quotes[position], colon.i
    return None


def _idiom_of_saying(ctx: _Context, verb: "Token") -> bool:
    """`as X put it, …`, `X put it this way: “…”`: an idiom with `it` says something only
    in an `as` clause or before a colon and a quote (not `he put it on the table`)."""
    return _has_mark(verb, ("as",)) or _quote_after_colon(ctx, verb) is not None


def _imperative(ctx: _Context, verb: "Token") -> bool:
    """A bare verb heading its sentence without a subject: the writer addressing the reader
    (`Read the rest of the story here.`, `See live results below:`, `Find out who …`)."""
    return (verb.tag_ == "VB" and verb.dep_ == "ROOT" and verb.i == ctx.sents[ctx.sent_of[verb.i]].start
            and not any(c.dep_ in SUBJECT_DEPS or c.dep_ == "aux" for c in verb.children))


def _token_chars(doc: "Doc", tokens: tuple[int, int]) -> tuple[int, int]:
    return doc[tokens[0]].idx, doc[tokens[1] - 1].idx + len(doc[tokens[1] - 1])


def _cut_out(text: str, spans: list[tuple[int, int]], other: tuple[int, int]) -> list[tuple[int, int]]:
    """Content spans with the source's characters cut out: the parser sometimes hangs the
    speaker inside the reported clause (`"Yes, I support Cruz," Brent Bozell, founder of the
    Center, tells …` makes the speaker an apposition of `Cruz`). What remains on either side
    is kept when it still holds a word."""
    out = []
    for start, end in spans:
        if end <= other[0] or start >= other[1]:
            out.append((start, end))
            continue
        for piece in ((start, min(end, other[0])), (max(start, other[1]), end)):
            trimmed = _trim_marks(text, *piece)
            if trimmed is not None:
                out.append(trimmed)
    return out


def _trim_marks(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span without the spaces, commas and dashes at its edges; None if no word is left."""
    while start < end and (text[start].isspace() or text[start] in ",;—–-"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;—–-("):
        end -= 1
    return (start, end) if any(ch.isalnum() for ch in text[start:end]) else None


# Dependencies of a noun that is an argument of its clause (not a loose phrase hung on it)
SUBJ_LIKE_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "attr", "ROOT"})


def _content(ctx: _Context, verb: "Token", entry: VerbCue, subject: "Token | None"):
    """(content char spans, extra cue tokens, kind) for an active reporting verb."""
    doc = ctx.doc
    children = list(verb.children)
    verb_chars = (verb.idx, verb.idx + len(verb))
    clausal = [c for c in children if c.dep_ in ("ccomp", "csubj")] or _stranded_that_clause(verb)
    if _has_mark(verb, SUBORDINATORS):
        # "…, because he sees Cruz as a uniter": a subordinate clause does not report the
        # clause before it; the parser sometimes hangs the main clause on it as a ccomp
        clausal = [c for c in clausal if c.i > verb.i]
    if entry.cls in CLAUSE_ONLY_CLASSES and (not clausal or subject is None):
        # "forgot his keys" reports nothing; "Don't forget that …" advises the reader
        return [], (), None
    if clausal:
        indices: Iterable[int] = [i for c in clausal for i in _subtree(c)]
        return _finish(ctx, _runs(doc, indices), verb_chars), (), None
    trailing = _trailing_report(verb, subject, entry) or _report_read_as_head(verb, entry)
    if trailing:
        return _finish(ctx, _runs(doc, trailing), verb_chars), (), None
    relative = relative_content(verb, subject, entry.preps)
    if relative is not None:
        # "Florida, which he describes as his second home": the pronoun, not "Florida"
        return _finish(ctx, _runs(doc, relative), verb_chars), (), None
    head = verb.head
    as_clause = verb.dep_ == "advcl" and _has_mark(verb, ("as",)) and not _own_complement(verb)
    if verb.dep_ == "parataxis" or as_clause or _trailing_conj(verb, subject):
        indices = set(_subtree(head)) - set(_subtree(verb))
        return _finish(ctx, _runs(doc, indices), verb_chars), (), None
    if (entry.cls in XCOMP_CLASSES and entry.lemma not in NO_XCOMP_CONTENT) or entry.cls == "report":
        # a report's gerund is what it reports ("reported raising $9 million")
        xcomps = [c for c in children if c.dep_ == "xcomp" and (entry.cls != "report" or c.tag_ == "VBG")]
        if xcomps:
            return _finish(ctx, _runs(doc, _subtree(xcomps[0])), verb_chars), (), None
    questions = [c for c in children if c.dep_ == "advcl" and c.i > verb.i and _has_mark(c, ("if", "whether"))]
    if questions and entry.cls in ("speech", "cognition"):
        # "asked workers if they planned …": the parser hangs the question on the verb
        return _finish(ctx, _runs(doc, _subtree(questions[0])), verb_chars), (), None
    preps = [c for c in children if c.dep_ == "prep" and c.lower_ in entry.preps and c.i > verb.i
             and not _occasion(c)]
    objects = [c for c in children if c.dep_ in OBJECT_DEPS and c.i > verb.i
               and not (entry.lemma.endswith(" it") and c.lower_ == "it")]  # the idiom's own "it"
    if objects and entry.lemma in FINDING_VERBS and not _found_by_inquiry(verb, subject, objects):
        return [], (), None
    if objects and entry.lemma not in NO_OBJECT_CONTENT:
        # "accused the government of lying": the object and its charge together
        indices = [i for c in objects + preps for i in _subtree(c)]
        return _finish(ctx, _runs(doc, indices), verb_chars), (), None
    for prep in preps:
        objects = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
        if objects:
            return _finish(ctx, _runs(doc, _subtree(objects[0])), verb_chars), (prep,), None
    for clause in (c for c in children if c.dep_ == "advcl" and c.i > verb.i):
        # "is calling for the United States to step up …": the parser reads `for NP to VP`
        # as a clause marked by `for`; the preposition joins the cue, the rest is the content
        mark = next((m for m in clause.children if m.dep_ == "mark" and m.lower_ in entry.preps), None)
        if mark is not None and mark.i < clause.i:
            indices = [i for i in _subtree(clause) if i != mark.i]
            return _finish(ctx, _runs(doc, indices), verb_chars), (mark,), None
    short = _short_answer(verb, entry)
    if short is not None:
        return _finish(ctx, _runs(doc, _subtree(short)), verb_chars), (), None
    if verb.dep_ == "relcl" and head.pos_ in ("NOUN", "PROPN") and head.i < verb.i:
        if head.lemma_.lower() in WHEN_NOUNS or head.ent_type_ in ("DATE", "TIME"):
            return [], (), None  # "the first time the two men spoke": when, not what
        if (subject is not None and subject.left_edge.i == head.i + 1 and subject.pos_ == "PROPN"
                and head.dep_ not in SUBJ_LIKE_DEPS):
            # "…, the Russian state news agency TASS said": a describing noun right before the
            # speaker's name, misread as a clause's head, is the speaker's apposition; what
            # was said is the clause the phrase hangs from, as for any trailing "X said"
            indices = set(_subtree(head.head)) - set(_subtree(head))
            return _finish(ctx, _runs(doc, indices), verb_chars), (), None
        # "the rate he has proposed": the noun the clause modifies is what was proposed
        indices = set(_subtree(head)) - set(_subtree(verb))
        return _finish(ctx, _runs(doc, indices), verb_chars), (), None
    quote = _adjacent_quote(ctx, verb, subject)
    if quote is not None:
        return [quote], (), "direct"
    topic = _topic_prep(verb, entry)
    if topic is not None:
        return _finish(ctx, _runs(doc, _subtree(topic[1])), verb_chars), (topic[0],), None
    return [], (), None


def _found_by_inquiry(verb: "Token", subject: "Token | None", objects: "list[Token]") -> bool:
    """Whether `verb` (a finding verb with an object) reports what an inquiry found: a poll
    or a court as the subject (`the survey found 90 percent support`), or a judgement on the
    object (`found the law unconstitutional`). Never a reflexive object (`found himself`)."""
    if any(o.lower_.endswith(("self", "selves")) for o in objects):
        return False
    if any(c.dep_ in ("oprd", "xcomp", "ccomp") for c in verb.children):
        return True
    return subject is not None and subject.lemma_.lower() in INQUIRY_NOUNS


# Prepositions that name what speech, a stance or a thought is about ("complained about the
# emblem", "railed against Wall Street", "sparred over taxes"), whatever the verb.
TOPIC_PREPS = frozenset({"about", "on", "against", "over", "regarding", "toward", "towards", "of"})
# Entities after such a preposition that name the occasion, not the topic ("spoke on Tuesday",
# "said on CNN", "wrote on Facebook").
OCCASION_ENTS = frozenset({"DATE", "TIME", "ORG", "GPE", "LOC", "FAC", "PRODUCT", "EVENT"})


def _trailing_report(verb: "Token", subject: "Token | None", entry: VerbCue) -> list[int]:
    """What a sentence-final `…, police said.` reports when the parser hung the report on the
    verb as an adverbial clause (`As Trump prepared to speak, a girl was pepper-sprayed,
    police said.`): everything before the comma ahead of the speaker, provided it holds a
    clause of its own that no subordinator marks (`After the meeting ended, Trump spoke.`
    reports nothing). Empty when the sentence is not of that shape."""
    if entry.cls not in SPEAKING_CLASSES or verb.dep_ != "ROOT" or subject is None or subject.i > verb.i:
        return []
    sent = verb.sent
    comma = subject.left_edge.i - 1
    if comma <= sent.start or verb.doc[comma].text != ",":
        return []
    for child in verb.children:
        # "Mexico said enough": what follows the verb is what it says; only punctuation, a
        # time ("later", "on Tuesday") or a medium ("in a statement") may follow it
        if child.dep_ in OBJECT_DEPS or child.i > verb.i and not (
                child.is_punct or child.dep_ == "npadvmod" or child.dep_ == "prep" and child.lower_ in MEDIUM_PREPS
                or child.dep_ == "advmod" and child.lower_ in WHEN_ADVERBS):
            return []
    before = [t for t in verb.doc[sent.start:comma] if not t.is_space]
    if not any(_unmarked_clause(t) for t in before):
        return []
    return [t.i for t in before]


# Adverbs of time a trailing speech verb may take ("…, police said later").
WHEN_ADVERBS = frozenset({"today", "yesterday", "tonight", "later", "earlier", "afterward", "afterwards", "then",
                          "recently", "again", "also", "too", "repeatedly", "privately", "publicly"})


def _report_read_as_head(verb: "Token", entry: VerbCue) -> list[int]:
    """What `after Trump told The Washington Post he was “not quite there yet”` reports when
    the parser made the reported clause the head of the verb: the head's words after the
    verb's own phrase, the head's subject among them."""
    head = verb.head
    if entry.lemma not in ADDRESSING_VERBS or verb.dep_ != "advcl" or head.i <= verb.i:
        return []
    after = verb.right_edge.i + 1
    subject = own_subject(head)
    if subject is None or not after <= subject.i < head.i or verb.doc[after].is_punct:
        return []
    return [t.i for t in head.subtree if t.i >= after]


def _unmarked_clause(head: "Token") -> bool:
    """Whether `head` heads a finite clause with a subject of its own and no subordinator."""
    children = list(head.children)
    finite = head.tag_ in FINITE_TAGS or any(c.dep_ in AUX_DEPS and c.tag_ in (*FINITE_TAGS, "MD") for c in children)
    return (finite and any(c.dep_ in ("nsubj", "nsubjpass") for c in children)
            and not any(c.dep_ == "mark" for c in children))


# Nouns of the medium or place an act of speech happens on ("speaking on the cable
# channel CNBC", "said on the campaign trail"), never its topic.
MEDIUM_NOUNS = frozenset({
    "show", "program", "programme", "channel", "network", "radio", "television", "tv", "broadcast", "podcast",
    "call", "phone", "telephone", "line", "plane", "stage", "air", "camera", "video", "website", "blog", "site",
    "page", "account", "feed", "trail", "floor", "tour", "panel", "platform",
})


def _medium(noun: "Token") -> bool:
    """`the show`, `the cable channel CNBC`: a medium noun, or a name a medium noun describes."""
    return noun.lemma_.lower() in MEDIUM_NOUNS or any(
        c.dep_ == "compound" and c.lemma_.lower() in MEDIUM_NOUNS for c in noun.children)


def _occasion(prep: "Token") -> bool:
    """Whether a preposition's object is a date, a time (`spoke on Tuesday`) or a medium
    (`on the cable channel CNBC`): when or where the act happened, never what it was about,
    even after a preposition the verb takes a topic with. A topic's own preposition (`talk
    about the decades they had spent`) and a time someone owns (`focused on his years in the
    House`) stay topics."""
    if prep.lower_ in ("about", "of", "regarding"):
        return False
    return any(c.dep_ == "pobj" and (c.ent_type_ in ("DATE", "TIME") and not any(g.dep_ == "poss" for g in c.children)
                                     or _medium(c))
               for c in prep.children)


# Nouns a relative clause can say the time of (`the day he spoke`), never what was said.
WHEN_NOUNS = frozenset({"time", "day", "moment", "year", "week", "month", "night", "morning", "evening",
                        "afternoon", "hour", "minute", "occasion", "era", "period", "season", "weekend"})


def _topic_prep(verb: "Token", entry: VerbCue) -> "tuple[Token, Token] | None":
    """(preposition, object) of a topic phrase after a verb of speech, stance or thought that
    has no other content."""
    if entry.cls not in ("speech", "stance", "cognition", "denial", "allegation"):
        return None
    for child in verb.children:
        if child.dep_ != "prep" or child.i < verb.i or child.lower_ not in TOPIC_PREPS:
            continue
        obj = next((c for c in child.children if c.dep_ in ("pobj", "pcomp")), None)
        if obj is not None and obj.ent_type_ not in OCCASION_ENTS and not _occasion(child):
            return child, obj
    return None


# Words that stand for a whole answer or a withheld one after a verb of speech or thought:
# "said no", "thinks so", "did not say when".
SHORT_ANSWERS = frozenset({"yes", "no", "so", "otherwise", "when", "why", "how", "where", "whether"})


def _short_answer(verb: "Token", entry: VerbCue) -> "Token | None":
    """A one-word answer after a verb of speech or thought (`46 percent said yes`, `never
    thought so`, `wouldn't say when`): PolNeAR marks the word as the content."""
    if entry.cls not in ("speech", "cognition"):
        return None
    after = verb.i + 1
    while after < len(verb.doc) and verb.doc[after].dep_ in ("neg", "advmod") and verb.doc[after].lower_ not in SHORT_ANSWERS:
        after += 1
    if after >= len(verb.doc):
        return None
    word = verb.doc[after]
    if word.lower_ in SHORT_ANSWERS and word.head.i == verb.i:
        return word
    return None


def _own_complement(verb: "Token") -> bool:
    """Whether the verb has its own object or complement after it (`as he urges voters to
    unite`): then `as` means while, not `as he said`, and the clause around is not its content.
    A pronoun object (`as he put it`) stands for that clause and does not count."""
    addressed = verb.lemma_.lower() in ADDRESSING_VERBS  # "as Clinton told the Daily News, …"
    return any(c.dep_ in ("ccomp", "xcomp", "dobj") and c.i > verb.i and c.pos_ != "PRON"
               and not (addressed and c.dep_ == "dobj") for c in verb.children)


def _stranded_that_clause(verb: "Token") -> list["Token"]:
    """`said in a statement that …`, `said following a vote that …`: the parser hung the
    `that` clause on the noun of the phrase after the verb; it is what the verb reports."""
    if verb.lemma_.lower() not in {"say", "add", "ask", "tell", "write", "announce", "report"}:
        return []
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.i > verb.i):
        for token in prep.subtree:
            if token.dep_ in ("acl", "ccomp", "relcl") and _has_mark(token, ("that",)):
                return [token]
    return []


def _trailing_conj(verb: "Token", subject: "Token | None") -> bool:
    """`Prices will rise, the governor, Ana Ruiz, told reporters`: the parser made the
    trailing `source verb` a conjunct of the reported clause. A real conjunct has a
    conjunction before it (`… and told reporters`); this one has its own subject after a comma."""
    head = verb.head
    if verb.dep_ != "conj" or head.i >= verb.i or subject is None or subject.head.i != verb.i:
        return False
    left = subject.left_edge.i
    if left <= head.i or verb.doc[left - 1].text != ",":
        return False
    return not any(c.dep_ == "cc" and head.i < c.i < verb.i for c in head.children)


def _finish(ctx: _Context, spans: list[tuple[int, int]], cue: tuple[int, int]):
    """Fit quotes onto content spans; the kind is direct when the content is a quotation."""
    fitted: list[tuple[int, int]] = []
    quoted = False
    for span in spans:
        span, is_quote = _fit_quotes(ctx, span, cue)
        span = _within_paragraph(ctx, span, cue)
        quoted = quoted or is_quote
        if not fitted or span[0] >= fitted[-1][1]:
            fitted.append(span)
        else:
            fitted[-1] = (fitted[-1][0], max(fitted[-1][1], span[1]))
    return fitted


def _within_paragraph(ctx: _Context, span: tuple[int, int], cue: tuple[int, int]) -> tuple[int, int]:
    """Cut content at line breaks outside quotations, keeping the side next to the cue.

    The parser sometimes runs a sentence over a paragraph break; reported content does not.
    """
    start, end = span
    breaks = [m.start() for m in re.finditer("\n", ctx.text[start:end])]
    breaks = [start + b for b in breaks if not _quoted_at(ctx, start + b)]
    if not breaks:
        return span
    if cue[0] >= end:
        start = breaks[-1] + 1
    elif cue[1] <= start:
        end = breaks[0]
    else:
        return span
    while start < end and ctx.text[start].isspace():
        start += 1
    while end > start and ctx.text[end - 1] in " \t\n.,;:":
        end -= 1
    return (start, end) if end > start else span


def _quoted_at(ctx: _Context, position: int) -> bool:
    index = bisect.bisect_right(ctx.quote_starts, position) - 1
    return index >= 0 and position < ctx.quotes[index][1]


def _is_direct(ctx: _Context, content: list[tuple[int, int]]) -> bool:
    """Direct speech: the content is a quotation, marks and all."""
    return any(span in ctx.quotes for span in content)


def _has_mark(verb: "Token", words: Sequence[str]) -> bool:
    return any(c.dep_ == "mark" and c.lower_ in words for c in verb.children)


def _adjacent_quote(ctx: _Context, verb: "Token", subject: "Token | None") -> tuple[int, int] | None:
    """A quotation just before or just after the `source cue` clause (`"…," he said.`)."""
    lo = hi = verb.i
    # the source phrase, not the subject's whole subtree: a broken parse can hang the
    # quotation itself on the speaker's name
    phrase = _source_tokens(subject, set()) if subject is not None else None
    if phrase is not None:
        lo, hi = min(lo, phrase[0]), max(hi, phrase[1] - 1)
    start, end = ctx.doc[lo].idx, ctx.doc[hi].idx + len(ctx.doc[hi])
    text = ctx.text
    # a participle that opens a frame (`Speaking at a rally, Trump …`) takes no quotation
    # before it: that one ended the sentence before
    frame = verb.tag_ == "VBG" and (subject is None or subject.i > verb.i)
    for q_start, q_end in ctx.quotes:
        if q_start <= start < q_end:
            return None  # the cue sits inside a quotation
        if 0 <= start - q_end <= _ADJACENT_GAP and not _wordy(text[q_end:start]) and not frame:
            return q_start, q_end
        gap_end = _skip_prep_phrase(ctx, verb, end)
        if 0 <= q_start - gap_end <= _ADJACENT_GAP and not _wordy(text[gap_end:q_start]):
            return q_start, q_end
    return None


def _skip_prep_phrase(ctx: _Context, verb: "Token", end: int) -> int:
    """Move past "in a statement" / "on Twitter" after the verb, and past the addressee of
    a verb whose object is a listener ("telling reporters"), which may precede a quote."""
    listener = verb.lemma_.lower() in NO_OBJECT_CONTENT
    for child in verb.children:
        skip = child.dep_ in ("prep", "npadvmod", "advmod", "dative") or (listener and child.dep_ == "dobj")
        if skip and child.i > verb.i:
            # only the words before a quotation: the parser may hang the quote on the phrase
            # (`responded, with a smile: “…”`, `said, “as long as …”`)
            words = [t for t in child.subtree if not ctx.in_quote(t) and not t.is_quote]
            words = [t for t in words if t.i < _first_quoted(ctx, child)]
            if words:
                end = max(end, words[-1].idx + len(words[-1]))
    return end


def _first_quoted(ctx: _Context, phrase: "Token") -> int:
    """Index of the first token of `phrase`'s subtree inside a quotation (or past its end)."""
    return next((t.i for t in phrase.subtree if ctx.in_quote(t)), phrase.right_edge.i + 1)


def _wordy(gap: str) -> bool:
    """Whether a gap between a quote and its clause holds words or a sentence end."""
    return any(ch.isalnum() or ch in ".!?" for ch in gap)


# Complements that make "seem" / "appear" a hedge: "seemed to hesitate", "appears stalled",
# "seemed a long shot", "it appears that …". Without one, "appear" is a showing-up.
APPEARANCE_COMPLEMENTS = frozenset({"xcomp", "acomp", "oprd", "attr", "ccomp"})


def _appearance_cue(ctx: _Context, verb: "Token", entry: VerbCue) -> _Draft | None:
    """`X seemed to …`, `X appears stalled`, `it appears that …`: a hedge by the writer.

    PolNeAR marks these as attributions without a source whose content is the subject and
    the complement together (`the plan ++ to be stalled`).
    """
    complement = next((c for c in verb.children if c.dep_ in APPEARANCE_COMPLEMENTS and c.i > verb.i), None)
    like = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "like" and c.i > verb.i), None)
    if complement is None and like is not None:
        # "this seems like a fine idea": `like` joins the cue, its object is the complement
        complement = next((c for c in like.children if c.dep_ in ("pobj", "pcomp")), None)
    if complement is None:
        return None
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "expl")), None)
    indices = _subtree(complement)
    if subject is not None and subject.dep_ == "nsubj" and subject.lower_ != "it":
        indices = _subtree(subject) + indices
    cue_tokens = _cue_tokens(verb, subject, [like] if like is not None and complement.head.i == like.i else [])
    cue = _char_range(cue_tokens)
    content = _finish(ctx, _runs(ctx.doc, indices), cue)
    if not content:
        return None
    return _Draft("hedge", cue, None, content, ctx.sent_of[verb.i], entry.lemma, entry.stance,
                  frozenset(t.i for t in cue_tokens))


def _passive_cue(ctx: _Context, verb: "Token", entry: VerbCue) -> _Draft | None:
    """`X was reported by Y`, or a source-less `it is believed that` / `X is said to` /
    `X was announced` (PolNeAR marks an agentless passive of any cue verb, about two in three)."""
    doc = ctx.doc
    children = list(verb.children)
    agent = next((c for c in children if c.dep_ == "agent"), None)
    agent_obj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
    stranded = stranded_agent(verb) if agent is None else None  # "was attacked on X by Y"
    subject = next((c for c in children if c.dep_ in ("nsubjpass", "csubjpass")), None)
    clausal = [c for c in children if c.dep_ == "ccomp"]
    xcomp = [c for c in children if c.dep_ == "xcomp"]
    aux_after = subject if subject is not None and subject.i < verb.i else None
    cue_tokens = _cue_tokens(verb, aux_after, (agent,) if agent is not None and agent_obj is not None else ())
    cue = _char_range(cue_tokens)
    if clausal:
        indices = [i for c in clausal for i in _subtree(c)]
    elif xcomp and subject is not None:
        indices = [i for i in _subtree(subject)] + _subtree(xcomp[0])
    elif subject is not None and (complement := _passive_complement(verb, entry)) is not None:
        # "X was accused of lying", "X was named chairman", "X was confirmed as a passenger"
        indices = _subtree(subject) + _subtree(complement)
    elif subject is not None:
        indices = _subtree(subject)  # "the price was not disclosed"
    else:
        return None
    content = _finish(ctx, _runs(doc, indices), cue)
    if not content:
        return None
    sentence = ctx.sent_of[verb.i]
    tokens = frozenset(t.i for t in cue_tokens)
    agent_obj = agent_obj or stranded
    if agent_obj is None:
        return _Draft("hedge", cue, None, content, sentence, entry.lemma, entry.stance, tokens)
    source = _source_tokens(agent_obj, set(tokens))
    kind = "reported_by" if entry.cls == "report" else "indirect"
    return _Draft(kind, cue, source, content, sentence, entry.lemma, entry.stance, tokens)


def _passive_complement(verb: "Token", entry: VerbCue) -> "Token | None":
    """What a passive reporting verb says of its subject besides the subject itself: a
    predicative noun (`was named chairman`) or the object of one of the verb's own
    prepositions (`is accused of`, `was described as`)."""
    for child in verb.children:
        if child.i < verb.i:
            continue
        if child.dep_ in ("oprd", "attr", "dobj"):
            return child
        if child.dep_ == "prep" and (child.lower_ in entry.preps or child.lower_ == "as"):
            return child
    return None


# --------------------------------------------------------------------------- phrase cues


def _phrase_cues(ctx: _Context) -> Iterator[_Draft]:
    """`according to X`, `as reported by X`, and hedging adverbs (`reportedly`)."""
    doc, lower = ctx.doc, lowers(ctx.doc)
    longest = ctx.lex.max_phrase_len
    first_words = {words[0] for words in ctx.lex.phrases}
    i = 0
    while i < len(doc):
        match = None
        if lower[i] not in first_words:
            i += 1
            continue
        for n in range(min(longest, len(doc) - i), 0, -1):
            words = tuple(lower[i : i + n])
            if words in ctx.lex.phrases:
                match = ctx.lex.phrases[words]
                break
        if match is None:
            i += 1
            continue
        tokens = list(doc[i : i + len(match.words)])
        if ctx.in_quote(tokens[0]):
            i += len(match.words)
            continue
        draft = _hedge(ctx, tokens, match) if match.kind == "hedge" else _prep_cue(ctx, tokens, match)
        if draft is not None:
            ctx.used.update(t.i for t in tokens)
            yield draft
        i += len(match.words)


def _frame_cues(ctx: _Context) -> Iterator[_Draft]:
    """`in Bolton's view, …`: a frame noun with a possessor as the object of `in`.

    The frame nouns are the `frame` rows of `source_nouns.tsv`; the noun is the cue, the
    possessor the source and the clause around the phrase the content.
    """
    doc = ctx.doc
    for i in [i for i, word in enumerate(lowers(doc)) if word == "in"]:
        prep = doc[i]
        if prep.dep_ != "prep" or prep.i in ctx.used or ctx.in_quote(prep):
            continue
        noun = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if noun is None or noun.lemma_.lower() not in ctx.lex.frames:
            continue
        owner = next((c for c in noun.children if c.dep_ == "poss"), None)
        if owner is None or owner.lower_ in ("its", "this"):
            # "in other words", "in national polls": PolNeAR marks a poll as a source
            # about one time in three, too seldom to guess which
            continue
        cue_tokens, source = [noun], _source_tokens(owner, {noun.i})
        phrase = set(_subtree(prep))
        content = _clause_content(ctx, prep, phrase, _char_range(cue_tokens))
        if not content or source is None:
            continue
        ctx.used.update(t.i for t in cue_tokens)
        yield _Draft("according_to", _char_range(cue_tokens), source, content, ctx.sent_of[prep.i],
                     noun.lemma_.lower(), "believed", frozenset(t.i for t in cue_tokens))


def _poll_cues(ctx: _Context) -> Iterator[_Draft]:
    """`Smith leads by six points in a new state poll`: the poll is the source of its clause,
    `in` the cue (see `cited_poll`)."""
    doc = ctx.doc
    for i in [i for i, word in enumerate(lowers(doc)) if word == "in"]:
        prep = doc[i]
        noun = cited_poll(prep)
        if noun is None or prep.i in ctx.used or ctx.in_quote(prep) or _in_speaking_subject(ctx, prep):
            continue
        cue = _char_range([prep])
        source = _source_tokens(noun, {prep.i})
        content = _clause_content(ctx, prep, set(_subtree(prep)), cue)
        if not content or source is None:
            continue
        ctx.used.add(prep.i)
        yield _Draft("according_to", cue, source, content, ctx.sent_of[prep.i], "in", "reported", frozenset({prep.i}))


def _in_speaking_subject(ctx: _Context, prep: "Token") -> bool:
    """Whether `in a poll` modifies the subject of a reporting verb (`More than half of
    respondents in the poll said …`): the verb reports, its whole subject the source."""
    token = prep.head
    while token.dep_ in ("pobj", "prep", "compound", "amod", "appos", "nmod") and token.head.i != token.i:
        token = token.head
    return token.dep_ in ("nsubj", "nsubjpass") and _verb_entry(token.head, ctx.lex) is not None


def _noun_cues(ctx: _Context) -> Iterator[_Draft]:
    """`Trump's claim that …`, `the DNC's decision to …`, `his attacks on Mr. Clinton`.

    A noun from `nominal_cues.tsv` is a cue when it has a content (a `that` clause, a `to`
    infinitive, or the object of one of the noun's prepositions) and a source (a possessor,
    the object of `by`/`from`, or the subject of the verb whose clause it sits in). Without
    a content the noun only names a kind of speech act ("a statement", "the plan"), which
    PolNeAR does not mark; with a content but nobody named (`allegations that he …`,
    `concerns about an inquiry`) it is marked without a source, and so is it here.
    """
    doc, pos, lemma = ctx.doc, pos_tags(ctx.doc), lemmas(ctx.doc)
    for i in [i for i, word in enumerate(lemma) if pos[i] == "NOUN" and word in ctx.lex.nouns]:
        noun, entry = doc[i], ctx.lex.nouns[lemma[i]]
        if noun.i in ctx.used or ctx.in_quote(noun):
            continue
        owner = _noun_source(noun)
        performer = _performing_verb(noun) if owner is None or owner.pos_ == "PRON" else None
        if performer is not None:
            owner = _subject(performer) or owner
        elif owner is not None and owner.dep_ == "poss":
            owner = possessor_named(owner, holding_verb(noun)) or owner
        content, extra = _noun_content(noun, entry)
        if owner is None and content is None:
            continue
        sourceless = False
        if owner is None:
            if _framed_by_verb(ctx, noun):
                continue
            owner = _clause_speaker(noun)
            sourceless = owner is None
        if content is None and performer is not None:
            content, extra = _verb_prep_content(performer, noun, entry)
        if content is None:
            continue
        cue_tokens = sorted([noun, *extra], key=lambda t: t.i)
        if performer is not None and owner is not None and owner.i < performer.i:
            # the light verb and what stands between it and the noun join the cue
            cue_tokens = sorted({*_cue_tokens(performer, owner), *doc[performer.i:noun.i + 1], *extra},
                                key=lambda t: t.i)
        source = _source_tokens(owner, {t.i for t in cue_tokens}) if owner is not None else None
        cue = _char_range(cue_tokens)
        spans = _finish(ctx, _runs(doc, _subtree(content)), cue)
        if not spans or (source is None and not sourceless):
            continue
        ctx.used.update(t.i for t in cue_tokens)
        kind = "direct" if _is_direct(ctx, spans) else "indirect"
        yield _Draft(kind, cue, source, spans, ctx.sent_of[noun.i], entry.lemma, entry.stance,
                     frozenset(t.i for t in cue_tokens))


def _indirect_draft(ctx: _Context, subject: "Token", cue_tokens: "Sequence[Token]", content: "Token",
                    at: int, lemma: str, stance: str) -> _Draft | None:
    """`subject` says what `content` heads through `cue_tokens` (token `at` places the sentence);
    the cue tokens are used up. None when the content or the source comes out empty."""
    cue = _char_range(cue_tokens)
    spans = _finish(ctx, _runs(ctx.doc, _subtree(content)), cue)
    source = _source_tokens(subject, {t.i for t in cue_tokens})
    if not spans or source is None:
        return None
    ctx.used.update(t.i for t in cue_tokens)
    return _Draft("indirect", cue, source, spans, ctx.sent_of[at], lemma, stance, frozenset(t.i for t in cue_tokens))


def _adjective_cues(ctx: _Context) -> Iterator[_Draft]:
    """`She is wary of the deal`, `they were eager to vote`, `he is confident that …`: a
    copula with an adjective of attitude (`attitude` rows of `reporting_verbs.tsv`) and a
    complement. The copula and the adjective (with its preposition) are the cue, the
    copula's subject the source, the complement the content."""
    doc, pos, lemma = ctx.doc, pos_tags(ctx.doc), lemmas(ctx.doc)
    for i in [i for i, word in enumerate(lemma) if pos[i] == "ADJ" and word in ctx.lex.verbs]:
        adjective, entry = doc[i], ctx.lex.verbs[lemma[i]]
        copula = adjective.head
        if entry.cls != "attitude" or adjective.dep_ != "acomp" or copula.lemma_.lower() != "be":
            continue
        if adjective.i in ctx.used or ctx.in_quote(adjective):
            continue
        subject = next((c for c in copula.children if c.dep_ == "nsubj" and c.i < copula.i), None)
        content, extra = _adjective_content(adjective, entry)
        if subject is None or content is None:
            continue
        cue_tokens = sorted([t for t in _cue_tokens(copula, subject, [adjective, *extra])
                             if t.i <= adjective.i or t in extra], key=lambda t: t.i)
        draft = _indirect_draft(ctx, subject, cue_tokens, content, adjective.i, entry.lemma, entry.stance)
        if draft is not None:
            yield draft


def _received_cues(ctx: _Context) -> Iterator[_Draft]:
    """`The plan drew criticism from senators`, `Clinton has the support of unions`, `she came
    under criticism from Y`: a verb of receiving with a noun of stance. The receiver, the verb's
    subject, is the content; whoever the noun's `from` / `of` / `among` / `by` phrase names is
    the source. The cue runs from the verb to the noun and its preposition."""
    doc = ctx.doc
    for i in [i for i, word in enumerate(lemmas(doc)) if word in RECEIVED_NOUNS]:
        noun = doc[i]
        verb = noun.head.head if noun.dep_ == "pobj" and noun.head.lower_ == "under" else noun.head
        if noun.dep_ not in ("dobj", "pobj") or verb.lemma_.lower() not in RECEIVING_VERBS or verb.i > i:
            continue
        if noun.i in ctx.used or verb.i in ctx.used or ctx.in_quote(noun):
            continue
        subject = _subject(verb)
        if subject is None or any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children):
            continue
        prep, giver = _giver(verb, noun)
        if giver is None:
            continue  # "drew criticism", "has support": PolNeAR marks about one in three
        tokens = _cue_tokens(verb, subject, [*doc[verb.i + 1 : i + 1], *([prep] if prep is not None else [])])
        cue = (tokens[0].idx, tokens[-1].idx + len(tokens[-1]))
        spans = _finish(ctx, _runs(doc, _subtree(subject)), cue)
        if not spans:
            continue
        source = _source_tokens(giver, {t.i for t in tokens})
        if source is None:
            continue
        ctx.used.update(t.i for t in tokens)
        yield _Draft("indirect", cue, source, spans, ctx.sent_of[i], noun.lemma_.lower(), "reported",
                     frozenset(t.i for t in tokens))


def _giver(verb: "Token", noun: "Token") -> "tuple[Token | None, Token | None]":
    """(preposition, object) naming who gives the support or criticism a receiver gets."""
    for head in (noun, verb):
        for child in head.children:
            if child.dep_ == "prep" and child.i > noun.i and child.lower_ in ("from", "of", "among", "by"):
                obj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if obj is not None:
                    return child, obj
    return None, None


def _made_clear_cues(ctx: _Context) -> Iterator[_Draft]:
    """`She made (it) clear that …`, `he made known his opposition to …`: `make` with an
    adjective of stating says the clause or object after it. The verb, what stands between
    and the adjective are the cue, the verb's subject the source."""
    doc = ctx.doc
    for i in [i for i, word in enumerate(lowers(doc)) if word in STATING_ADJECTIVES]:
        adjective, verb = doc[i], doc[i].head
        if verb.lemma_.lower() != "make" or verb.i >= i or adjective.i in ctx.used or ctx.in_quote(adjective):
            continue
        content = _stated(verb, adjective)
        subject = _subject(verb)
        if content is None or subject is None:
            continue
        cue_tokens = _cue_tokens(verb, subject, list(doc[verb.i + 1 : i + 1]))
        draft = _indirect_draft(ctx, subject, cue_tokens, content, i, "make clear", "reported")
        if draft is not None:
            yield draft


def _stated(verb: "Token", adjective: "Token") -> "Token | None":
    """What `make clear` states: the clause the parser hung on the adjective or the verb, or
    the verb's object after the adjective (`made clear his opposition`)."""
    for head in (adjective, verb):
        for child in head.children:
            if child.i > adjective.i and child.dep_ in ("ccomp", "advcl", "dobj"):
                return child
    return None


def _adjective_content(adjective: "Token", entry: VerbCue) -> "tuple[Token | None, list[Token]]":
    """The complement of an attitude adjective: a clause (`confident that`, `eager to`) or
    the object of one of its prepositions (`wary of`, `critical of`), with the preposition."""
    for child in adjective.children:
        if child.dep_ in ("ccomp", "xcomp") and child.i > adjective.i:
            return child, []
    for child in adjective.children:
        if child.dep_ == "prep" and child.lower_ in entry.preps:
            objects = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
            if objects:
                return objects[0], [child]
    return None, []


def _framed_by_verb(ctx: _Context, noun: "Token") -> bool:
    """Whether the verb whose clause holds the noun already frames its act: a verb of
    receiving with the noun as what is received (`faced a warning about …`: the subject is
    warned, not warning), or a cue
    verb the noun is the medium of (`said in a statement that …`: the statement is where
    he said it, and the clause the parser hung on it is the verb's)."""
    verb = holding_verb(noun)
    if verb is None:
        return False
    prep = noun.head
    if verb.lemma_.lower() in RECEIVING_VERBS and (
            (noun.dep_ == "dobj" and prep.i == verb.i) or (noun.dep_ == "pobj" and prep.lower_ == "under")):
        return True  # "faced a warning", "came under criticism"; not "came close to an admission"
    return (noun.dep_ == "pobj" and prep.lower_ in MEDIUM_PREPS and prep.head.i == verb.i
            and _verb_entry(verb, ctx.lex) is not None)


def _clause_speaker(noun: "Token") -> "Token | None":
    """The person or body who made the act a possessor-less noun names: the subject of the
    verb whose clause holds it (`Putin came close to an admission that …`)."""
    verb = holding_verb(noun)
    subject = _subject(verb) if verb is not None else None
    return subject if subject is not None and names_someone(subject) else None


def _performing_verb(noun: "Token") -> "Token | None":
    """The verb of which `noun` is the object when the verb performs the act the noun names
    (`Trump made several statements about …`, `she heaped praise on …`)."""
    verb = noun.head
    if noun.dep_ != "dobj" or verb.pos_ != "VERB" or verb.lemma_.lower() not in PERFORMING_VERBS:
        return None
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children):
        return None
    return verb


def _verb_prep_content(verb: "Token", noun: "Token", entry: VerbCue) -> tuple["Token | None", tuple["Token", ...]]:
    """The object of the light verb's preposition after the noun: `heaped praise on X`,
    `threw their support behind X`, `leveled criticism at X`."""
    for child in verb.children:
        if child.dep_ == "prep" and child.i > noun.i and (child.lower_ in entry.preps or child.lower_ in ("on", "at", "behind", "against")):
            obj = next((c for c in child.children if c.dep_ in ("pobj", "pcomp")), None)
            if obj is not None:
                return obj, (child,)
    return None, ()


def _noun_source(noun: "Token") -> "Token | None":
    for child in noun.children:
        if child.dep_ == "poss" and child.lower_ not in ("its",):
            return child
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in ("by", "from") and child.i > noun.i:
            obj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if obj is not None and (obj.pos_ == "PROPN" or obj.ent_type_ in ("PERSON", "ORG", "NORP")):
                return obj
    return None


def _noun_content(noun: "Token", entry: VerbCue) -> tuple["Token | None", tuple["Token", ...]]:
    """The head of what the noun's speech act is about, and the preposition to add to the cue."""
    for child in noun.children:
        if child.i < noun.i:
            continue
        if child.dep_ in ("acl", "ccomp") and (
            _has_mark(child, ("that",)) or any(c.dep_ == "aux" and c.lower_ == "to" for c in child.children)
        ):
            return child, ()
        if child.dep_ == "prep" and child.lower_ in entry.preps:
            obj = next((c for c in child.children if c.dep_ in ("pobj", "pcomp")), None)
            if obj is not None:
                return obj, (child,)
    return None, ()


def _clause_content(ctx: _Context, top: "Token", phrase: set[int], cue: tuple[int, int]):
    """The clause a prepositional cue phrase sits in, the phrase itself left out."""
    anchor = top.head
    if anchor.i == top.i:
        return []
    clause = set(_subtree(_clause_head(anchor))) - phrase
    if not clause:
        return []
    return _finish(ctx, _runs(ctx.doc, clause), cue)


def _clause_head(token: "Token") -> "Token":
    current = token
    for _ in range(6):
        if current.pos_ in ("VERB", "AUX") and current.dep_ in CLAUSE_DEPS:
            return current
        if current.head.i == current.i:
            return current
        current = current.head
    return current


def _prep_cue(ctx: _Context, tokens: list["Token"], cue: PhraseCue) -> _Draft | None:
    doc = ctx.doc
    inside = {t.i for t in tokens}
    last = tokens[-1]
    objects = [c for c in last.children if c.dep_ in ("pobj", "dobj", "pcomp") and c.i not in inside]
    if not objects:
        return None
    top = next((t for t in tokens if t.head.i not in inside or t.head.i == t.i), tokens[0])
    phrase = set(_subtree(top)) | inside
    anchor = top.head if top.head.i != top.i else top
    sent = ctx.sents[ctx.sent_of[top.i]]
    head = _clause_head(anchor)
    if _closes_sentence(ctx, phrase, sent):
        head = _main_clause(head)
    clause = set(_subtree(head)) if anchor.i != top.i else set(range(sent.start, sent.end))
    if top.dep_ == "ROOT" or not (clause - phrase):
        sent = ctx.sents[ctx.sent_of[top.i]]
        clause = set(range(sent.start, sent.end))
    chars = _char_range(tokens)
    content = _finish(ctx, _runs(doc, clause - phrase), chars)
    if not content:
        return None
    source = _source_tokens(objects[0], inside)
    return _Draft(cue.kind, chars, source, content, ctx.sent_of[tokens[0].i], cue.lemma, cue.stance,
                  frozenset(inside))


# Clauses a sentence-final `according to X` reaches out of: it vouches for the whole
# sentence, not for the relative or adverbial clause the parser hung it on ("Clinton leads in
# California, where 475 delegates are at stake, according to a poll").
SUBORDINATE_DEPS = frozenset({"relcl", "advcl", "acl", "conj", "xcomp", "pcomp", "prep", "pobj"})


def _closes_sentence(ctx: _Context, phrase: set[int], sent: "Span") -> bool:
    """A cue phrase set off by a comma at the end of its sentence."""
    first, last = min(phrase), max(phrase)
    doc = ctx.doc
    before = doc[first - 1] if first > sent.start else None
    return (before is not None and before.text in (",", "—", "–", "--")
            and all(_is_mark(doc[i]) for i in range(last + 1, sent.end)))


def _main_clause(head: "Token") -> "Token":
    current = head
    for _ in range(8):
        if current.dep_ not in SUBORDINATE_DEPS or current.head.i == current.i:
            return current
        current = _clause_head(current.head)
    return current


def _hedge(ctx: _Context, tokens: list["Token"], cue: PhraseCue) -> _Draft | None:
    adverb = tokens[0]
    head = _clause_head(adverb.head)
    indices = set(_subtree(head)) - {t.i for t in tokens}
    chars = _char_range(tokens)
    content = _finish(ctx, _runs(ctx.doc, indices), chars)
    if not content:
        return None
    return _Draft("hedge", chars, None, content, ctx.sent_of[adverb.i], cue.lemma, cue.stance,
                  frozenset(t.i for t in tokens))


# --------------------------------------------------------------------------- punctuation cues

# A name line after a quotation ("“…” ― Jane Doe") and a speaker label before a colon
# ("PENCE: Well, …", "Poll: Voters …"): attribution by layout rather than by a verb.
_DASH_AFTER_QUOTE = re.compile(r"[^\S\n]*(―|—|–|--)[^\S\n]*")  # no-break spaces too
_MAX_LABEL_TOKENS = 5
# A label may follow a headline on the same line: "POLLS NOT WRONG - Mark Blumenthal: “…”".
_LABEL_DASH = re.compile(r"\s(?:-|–|—)\s")
# Line labels that introduce layout, not a speaker ("Editor's note:", "Update:").
_LAYOUT_LABELS = frozenset({
    "note", "correction", "update", "updated", "video", "photo", "image", "caption", "watch",
    "read", "related", "source", "sources", "advertisement", "credit", "credits", "editor",
    "transcript", "disclosure", "clarification", "warning", "summary", "abstract", "tags",
    "breaking", "exclusive", "look", "listen", "reminder", "result", "bottom", "lesson",
    "question", "answer", "q", "a", "latest",
})


def _line_bounds(text: str, position: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return start, len(text) if end == -1 else end


def _dash_cues(ctx: _Context) -> Iterator[_Draft]:
    """`“…” ― Name`: the name on the rest of the line is the quote's source."""
    doc, text = ctx.doc, ctx.text
    for q_start, q_end in ctx.quotes:
        dash = _DASH_AFTER_QUOTE.match(text, q_end)
        if dash is None:
            continue
        _, line_end = _line_bounds(text, dash.end())
        name = doc.char_span(dash.end(), line_end, alignment_mode="expand")
        if name is None or not 0 < len(name) <= 8 or not any(t.pos_ == "PROPN" for t in name):
            continue
        tokens = [t for t in name if not _is_mark(t)]
        if not tokens:
            continue
        cue_span = doc.char_span(dash.start(1), dash.end(1), alignment_mode="expand")
        if cue_span is None or any(t.i in ctx.used for t in cue_span):
            continue
        ctx.used.update(t.i for t in cue_span)
        yield _Draft("direct", (dash.start(1), dash.end(1)), (tokens[0].i, tokens[-1].i + 1),
                     [(q_start, q_end)], ctx.sent_of[cue_span[0].i], "say", "reported",
                     frozenset(t.i for t in cue_span))


def _colon_cues(ctx: _Context) -> Iterator[_Draft]:
    """`LABEL: content` at the start of a line, the label a short name without a verb."""
    doc, text = ctx.doc, ctx.text
    for colon in colons(doc):
        line_start, line_end = _line_bounds(text, colon.idx)
        if ctx.in_quote(colon):
            # a transcript quoted paragraph by paragraph: `"PENCE: Well, look, …`
            opener = QUOTE_MARK.match(text, line_start)
            if opener is None or not ctx.in_quote_from(colon, line_start):
                continue
            line_start = opener.end()
        dashes = list(_LABEL_DASH.finditer(text, line_start, colon.idx))
        label_start = dashes[-1].end() if dashes else line_start
        label = doc.char_span(label_start, colon.idx, alignment_mode="expand")
        if label is None:
            continue
        if any(t.text in (":", "[", "(") for t in label):
            continue
        words = _speaker_words([t for t in label if not _is_mark(t)])
        if not 0 < len(words) <= _MAX_LABEL_TOKENS or not _is_label(words, ctx.lex):
            continue
        content = _runs(doc, range(colon.i + 1, _last_token_before(doc, line_end) + 1))
        if not any(ch.isalpha() for s, e in content for ch in text[s:e]):
            continue  # "Clinton: 547.": a tally, not something said
        content = [_fit_quotes(ctx, span, (colon.idx, colon.idx + 1))[0] for span in content]
        kind = "direct" if _is_direct(ctx, content) else "indirect"
        ctx.used.add(colon.i)
        yield _Draft(kind, (colon.idx, colon.idx + 1), (words[0].i, words[-1].i + 1), content,
                     ctx.sent_of[colon.i], "say", "reported", frozenset({colon.i}))


def _speaker_words(words: list["Token"]) -> list["Token"]:
    """`Clinton to Planned Parenthood`, `CNN President On Trump`: the speaker before
    the addressee or topic of a headline label."""
    for k, token in enumerate(words[1:], 1):
        if token.lower_ in ("on", "to", "at") and (token.pos_ == "ADP" or token.is_title):
            return words[:k]
    return words


def _is_label(words: Sequence["Token"], lex: Lexicon) -> bool:
    """A speaker label: a name (or a bare noun like "Poll"), no verb, no function words."""
    if any(t.pos_ in ("VERB", "AUX", "ADP", "SCONJ", "PRON", "NUM", "PART") for t in words):
        return False
    if any(t.lower_ in _LAYOUT_LABELS for t in words):
        return False
    if not words[0].text[:1].isupper():
        return False
    # A name is capitalised throughout ("Bill Clinton:", "John McCain:", "TAPPER:", "Mark
    # Blumenthal and Jon Cohen:"); a lower-case word makes a topic line ("Campaign funding:
    # …") unless it names a source ("Clinton aides:").
    last = words[-1]
    if last.pos_ not in ("PROPN", "NOUN") and last.ent_type_ not in ("PERSON", "ORG"):
        return False
    return (all(t.text[:1].isupper() or t.pos_ == "CCONJ" for t in words) and last.text[:1].isupper()
            or last.lemma_.lower() in lex.heads)


def _last_token_before(doc: "Doc", end: int) -> int:
    span = doc.char_span(0, end, alignment_mode="contract")
    return span[-1].i if span is not None and len(span) else len(doc) - 1


# --------------------------------------------------------------------------- datelines

# The dash that ends a wire dateline: `WASHINGTON (AP) — `, `PHILADELPHIA, July 25 (UPI) – `.
_DATELINE_DASHES = frozenset({"—", "–", "--", "-"})
_MAX_DATELINE_TOKENS = 12


def _dateline_dash(ctx: _Context, sentence: int) -> int | None:
    """The token index of the dash after a dateline that opens the sentence, or None.

    A dateline is a place in capitals (`WASHINGTON`, `CAMBRIDGE, Mass., Dec. 11`) or a
    place with its agency in brackets (`Washington (AFP)`), with no verb, before a dash."""
    sent = ctx.sents[sentence]
    doc = ctx.doc
    for i in range(sent.start, min(sent.end - 1, sent.start + _MAX_DATELINE_TOKENS)):
        if doc[i].text == ":" and 0 < i - sent.start <= _MAX_LABEL_TOKENS:
            # a layout label (`The Latest: Trump urges …`, `Update: …`); other labels name
            # the speaker of what follows (`Clinton camp: Trump's remarks threaten …`)
            return i if any(t.lower_ in _LAYOUT_LABELS for t in doc[sent.start : i]) else None
        if doc[i].text not in _DATELINE_DASHES or not (doc[i - 1].whitespace_ and doc[i].whitespace_):
            continue  # `Seitz-Wald`, `(D-Nev.)`: a hyphen in a name
        prefix = doc[sent.start : i]
        if not len(prefix) or any(t.pos_ in ("VERB", "AUX") and not t.is_upper for t in prefix):
            return None
        if any(t.is_alpha and not (t.is_title or t.is_upper) for t in prefix):
            return None  # `MSNBC reporter Alex Lee - …`: words, not a dateline
        first = prefix[0]
        capital_place = first.is_upper and sum(ch.isalpha() for ch in first.text) >= 3
        agency = any(t.text == "(" for t in prefix) and any(t.is_upper and len(t) >= 2 for t in prefix[1:])
        return i if first.is_alpha and (capital_place or agency) else None
    return None


def _past_datelines(ctx: _Context, drafts: list[_Draft]) -> None:
    """A source the parser found in the sentence's dateline (`WASHINGTON (AP) — Donald
    Trump pledged …` read with `WASHINGTON` as the subject) is the phrase after the dash;
    a source that runs into the dateline loses it."""
    doc = ctx.doc
    for draft in drafts:
        if draft.source is None:
            continue
        dash = _dateline_dash(ctx, ctx.sent_of[draft.source[0]])
        if dash is None or draft.source[0] > dash or doc[dash].idx >= draft.cue[0]:
            continue
        if draft.source[1] > dash + 1:
            draft.source = (dash + 1, draft.source[1])
            continue
        draft.source = _phrase_after(ctx, dash, draft.cue[0])


def _phrase_after(ctx: _Context, dash: int, cue_start: int) -> tuple[int, int] | None:
    """The noun phrase that starts after the dateline's dash and ends before the cue."""
    doc = ctx.doc
    token = doc[dash + 1] if dash + 1 < len(doc) else None
    if token is None or token.idx >= cue_start:
        return None
    while (token.head.i != token.i and dash < token.head.i and token.head.idx < cue_start
           and token.head.pos_ not in ("VERB", "AUX")):
        token = token.head
    if token.pos_ not in ("NOUN", "PROPN", "PRON"):
        return None
    inside = set(_subtree(token))
    end = token.i + 1
    while end < len(doc) and doc[end].idx < cue_start and end in inside:
        end += 1
    while end - 1 > dash + 1 and _is_mark(doc[end - 1]):
        end -= 1
    return dash + 1, end


# --------------------------------------------------------------------------- nesting


def _detach_participles(ctx: _Context, drafts: list[_Draft]) -> None:
    """`He said the deal failed, arguing that …`, `Putin forecast that the economy would
    rebound and praised the envoy`: a reporting verb that continues the speaker's sentence
    (a participle after a comma, or a verb coordinated with the reported clause in the
    speaker's own tense), whatever the parser hung it on, leaves the other attribution's
    content (which ends before the comma or conjunction) and takes the speaker as its source."""
    for inner in drafts:
        for outer in drafts:
            if outer is inner or outer.source is None or outer.cue[1] > inner.cue[0]:
                continue
            verb = _continuing_verb(ctx, inner, outer)
            if verb is None:
                continue
            cut = _cut_before(ctx, outer.contents, verb)
            if cut is not None:
                outer.contents = cut
                inner.source = outer.source
                break


def _continuing_verb(ctx: _Context, inner: _Draft, outer: _Draft) -> "Token | None":
    """The verb heading `inner`'s cue when it continues `outer`'s sentence: a present
    participle after a comma (`…, saying`, `…,” calling it …`), or a finite verb coordinated
    with a verb of the reported clause in another form (`would rebound and praised`)."""
    if inner.kind not in ("direct", "indirect"):
        return None
    doc = ctx.doc
    verbs = [doc[i] for i in inner.cue_tokens if doc[i].pos_ in ("VERB", "AUX") and doc[i].dep_ not in AUX_DEPS]
    if len(verbs) != 1 or verbs[0].i == 0 or any(c.dep_ in SUBJECT_DEPS for c in verbs[0].children):
        return None
    verb = verbs[0]
    if verb.tag_ == "VBG" and verb.dep_ in ("advcl", "conj", "xcomp"):
        before = doc[verb.i - 1]
        if before.text == "," or (before.is_quote and verb.i > 1 and doc[verb.i - 2].text == ","):
            return verb
    return verb if _coordinated_report(doc, verb, outer) else None


def _coordinated_report(doc: "Doc", verb: "Token", outer: _Draft) -> bool:
    """`verb` is a finite verb or a gerund in the same form as `outer`'s own verb,
    coordinated with a verb of another form inside `outer`'s reported clause: it shares the
    speaker, not the reported clause's subject (`he said prices would rise and blamed the
    banks`, `urging voters to look ahead and promising to act`)."""
    own = [doc[i] for i in outer.cue_tokens if doc[i].pos_ in ("VERB", "AUX") and doc[i].dep_ not in AUX_DEPS]
    if verb.dep_ != "conj" or verb.tag_ not in (*FINITE_TAGS, "VBG") or not own or _tense(own[0]) != _tense(verb):
        return False
    head = verb.head
    if head.tag_ == verb.tag_ and not any(c.dep_ in ("aux", "auxpass") for c in head.children):
        return False
    return head.i not in outer.cue_tokens and _inside(outer.contents, (head.idx, head.idx + len(head)))


def _tense(verb: "Token") -> str | None:
    """"past" for `said`, `has said`; "present" for `says`, `say`; "gerund" for `saying`."""
    return {"VBD": "past", "VBN": "past", "VBZ": "present", "VBP": "present", "VBG": "gerund"}.get(verb.tag_)


def _cut_before(ctx: _Context, contents: list[tuple[int, int]], verb: "Token") -> list[tuple[int, int]] | None:
    """`contents` ending before the comma or conjunction that introduces `verb`, when one
    span runs over the verb."""
    doc = ctx.doc
    first = verb.i
    while first - 1 >= 0 and (
        doc[first - 1].text == "," or doc[first - 1].dep_ == "cc"
        or (doc[first - 1].head.i == verb.i and doc[first - 1].dep_ in ("advmod", "neg", "aux"))
    ):
        first -= 1
    if first - 1 >= 0 and doc[first - 1].is_quote and doc[first - 1].i - 1 >= 0 and doc[first - 2].text == ",":
        boundary = doc[first - 1].idx + len(doc[first - 1])  # `…,” calling it`: the quote keeps its mark
    elif first == verb.i:
        return None
    else:
        boundary = doc[first].idx
    for n, (start, end) in enumerate(contents):
        if start < boundary and verb.idx < end:
            trimmed = _trim_marks(ctx.text, start, boundary)
            if trimmed is None:
                return None
            return [*contents[:n], trimmed]
    return None


def _drop_nested(doc: "Doc", drafts: list[_Draft]) -> list[_Draft]:
    """Drop cues that sit inside another attribution's reported content.

    What someone is reported to have thought, wanted or shown is part of the outer claim,
    not a claim of its own (PolNeAR leaves such cues unannotated about four times in five).
    The same holds for a verb of seeming or an agentless passive (`X said the plan seemed
    to stall`, `… that the deal is believed to …`): the speaker's own hedge belongs to the
    content. A plain speech verb reporting a further speech act (`X said Y told him …`), a
    prepositional `according to` and an adverbial hedge (`… that X has allegedly …`, which
    tells the reader how sure the content is) keep theirs.
    """
    _separate_relative_reports(doc, drafts)
    speech = [span for d in drafts if d.kind in ("direct", "indirect") for span in d.contents]
    other = [span for d in drafts if d.kind in ("according_to", "reported_by") for span in d.contents]
    kept = []
    for draft in drafts:
        if draft.kind == "according_to" or (draft.kind == "hedge" and not _verbal(doc, draft)):
            kept.append(draft)
        elif draft.lemma in NESTED_CUES:
            if not _inside(other, draft.cue):
                kept.append(draft)
        elif not _inside(speech + other, draft.cue):
            kept.append(draft)
    return kept


def _separate_relative_reports(doc: "Doc", drafts: list[_Draft]) -> None:
    """Take a relative clause of speech out of the content it sits in (`Obama rebuked critics
    who say he should …`, `the drawdown, which they say left a vacuum`): its speaker is not
    the outer source, and it stays an attribution of its own. (Relative clauses with other
    cues, `a plan that critics oppose`, stay in the content: PolNeAR seldom marks them.)"""
    for inner in drafts:
        if inner.kind not in ("direct", "indirect", "reported_by") or inner.lemma not in NESTED_CUES:
            continue
        verbs = [doc[i] for i in sorted(inner.cue_tokens) if doc[i].pos_ in ("VERB", "AUX") and doc[i].dep_ not in AUX_DEPS]
        clause = relative_clause_chars(verbs[0]) if verbs else None
        if clause is None:
            continue
        for outer in drafts:
            if outer is inner or not _inside(outer.contents, inner.cue):
                continue
            kept = _cut_out(text(doc), outer.contents, clause)
            if kept:
                outer.contents = kept


def _verbal(doc: "Doc", draft: _Draft) -> bool:
    """Whether the cue has a verb (`seemed`, `is believed`), not only an adverb (`reportedly`)."""
    return any(doc[i].pos_ in ("VERB", "AUX") for i in draft.cue_tokens)


def _inside(spans: list[tuple[int, int]], cue: tuple[int, int]) -> bool:
    return any(s <= cue[0] and cue[1] <= e for s, e in spans)


# --------------------------------------------------------------------------- continuations


def _continue_quotes(ctx: _Context, drafts: list[_Draft]) -> None:
    """Give a direct quote the quotations that carry on after it with no cue of their own."""
    taken = [span for d in drafts for span in d.spans()]
    text = ctx.text
    ordered = sorted(drafts, key=lambda d: d.cue[0])
    for q in ctx.quotes:
        if any(s < q[1] and q[0] < e for s, e in taken):
            continue
        before = [d for d in ordered if d.last_end(ctx.doc) <= q[0]]
        if not before:
            continue
        previous = max(before, key=lambda d: d.last_end(ctx.doc))
        gap = text[previous.last_end(ctx.doc) : q[0]]
        if previous.kind == "direct" and not any(ch.isalnum() for ch in gap) and gap.count("\n") <= 2:
            previous.contents.append(q)
            taken.append(q)


# --------------------------------------------------------------------------- pronouns


def _gender(span: "Span") -> str | None:
    start = span.start
    previous = span.doc[start - 1].lower_ if start > 0 else ""
    first = span.doc[start].lower_
    return HONORIFICS.get(previous) or HONORIFICS.get(first)


def _resolve(ctx: _Context, draft: _Draft, earlier: list[_Draft]) -> tuple[int, int] | None:
    """Token range of the antecedent of a one-word pronoun source, if one is compatible."""
    if draft.source is None or draft.source[1] - draft.source[0] != 1:
        return None
    doc = ctx.doc
    pronoun = doc[draft.source[0]]
    word = pronoun.lower_
    if word in RELATIVE_PRONOUNS and pronoun.tag_ in ("WP", "WDT"):
        return _relative_antecedent(pronoun, ctx.ents)
    if word in PERSONAL_PRONOUNS:
        return _person_antecedent(ctx, pronoun, PERSONAL_PRONOUNS[word], earlier)
    if word in PLURAL_PRONOUNS:
        return _plural_antecedent(ctx, pronoun, earlier)
    if word in NEUTER_PRONOUNS:
        for ent in reversed(ctx.ents):
            if ent.end <= pronoun.i and ent.label_ in ("ORG", "GPE"):
                return ent.start, ent.end
    return None


def _plural_antecedent(ctx: _Context, pronoun: "Token", earlier: list[_Draft]):
    """An earlier plural source in the last few sentences, else the nearest group or party."""
    doc = ctx.doc
    sentence = ctx.sent_of[pronoun.i]
    for draft in reversed(earlier):
        if draft.source is None or sentence - draft.sentence > _SPEAKER_LOOKBACK:
            continue
        head = doc[draft.source[0] : draft.source[1]].root
        if head.tag_ in ("NNS", "NNPS") or head.ent_type_ in ("ORG", "NORP"):
            return draft.source
    for ent in reversed(ctx.ents):
        if ent.end <= pronoun.i and ent.label_ in ("ORG", "NORP"):
            return ent.start, ent.end
    return None


def _relative_antecedent(pronoun: "Token", ents: Sequence["Span"]) -> tuple[int, int] | None:
    clause = pronoun.head
    if clause.dep_ != "relcl":
        return None
    noun = clause.head
    for ent in ents:
        if ent.start <= noun.i < ent.end:
            return ent.start, ent.end
    left = min((t.i for t in noun.lefts), default=noun.i)
    return left, noun.i + 1


def _person_antecedent(ctx: _Context, pronoun: "Token", gender: str, earlier: list[_Draft]):
    """An earlier speaker in the last few sentences, else the nearest compatible PERSON."""
    doc = ctx.doc
    sentence = ctx.sent_of[pronoun.i]
    for draft in reversed(earlier):
        if draft.source is None or sentence - draft.sentence > _SPEAKER_LOOKBACK:
            continue
        span = doc[draft.source[0] : draft.source[1]]
        person = [e for e in _ents_within(ctx.ents, span) if e.label_ == "PERSON"]
        if person and _gender(person[0]) in (None, gender):
            return person[0].start, person[0].end
    for ent in reversed(ctx.ents):
        if ent.end <= pronoun.i and ent.label_ == "PERSON" and _gender(ent) in (None, gender):
            return ent.start, ent.end
    return None


# --------------------------------------------------------------------------- sources


def describe_source(
    span: "Span", *, lexicon: Lexicon | None = None, ents: Sequence["Span"] | None = None
) -> SourceDescription:
    """What a source phrase says about its source: named or not, countries, sector.

    `American and South Korean intelligence sources` gives named False, countries
    (USA, KOR), sector SPY; `the TASS news agency` gives named True, sector MED.

    Args:
        span: the source phrase.
        lexicon: cue lexicons; the packaged ones by default.
        ents: `span.doc.ents`, when the caller already has them (spaCy rebuilds the
            tuple on every access, which dominates the cost on long articles).
    """
    lex = lexicon or load_lexicon()
    head = span.root
    inside = _ents_within(span.doc.ents if ents is None else ents, span)
    countries = _span_countries(span, inside)
    return SourceDescription(
        named=_is_named(span, head, inside),
        countries=tuple(dict.fromkeys(countries)),
        sector=_sector(head, lex),
        description=span.text,
    )


def _ents_within(ents: Sequence["Span"], span: "Span") -> list["Span"]:
    return [e for e in ents if span.start <= e.start and e.end <= span.end]


def _span_countries(span: "Span", inside: Sequence["Span"]) -> list[str]:
    found: list[str] = []
    covered: set[int] = set()
    for ent in inside:
        if ent.label_ in ("NORP", "GPE"):
            code = _country(ent.text)
            if code:
                found.append(code)
                covered.update(range(ent.start, ent.end))
    for token in span:
        if token.i not in covered and token.pos_ in ("ADJ", "PROPN") and token.is_alpha:
            code = _country(token.text)
            if code:
                found.append(code)
    return found


def _is_named(span: "Span", head: "Token", inside: Sequence["Span"]) -> bool:
    """A proper name stands for the source itself, not just its nationality."""
    for ent in inside:
        if ent.label_ in ("PERSON", "ORG", "FAC", "WORK_OF_ART", "PRODUCT", "EVENT"):
            return True
        if ent.label_ in ("GPE", "LOC") and ent.start <= head.i < ent.end:
            return True
    if head.pos_ == "PROPN" and not _country(head.text):
        return True
    return any(
        t.pos_ == "PROPN" and t.dep_ in ("compound", "poss", "appos") and not _country(t.text)
        and not t.ent_type_ in ("NORP", "GPE", "LOC")
        for t in span
    )


def _sector(head: "Token", lex: Lexicon) -> str | None:
    """The sector a modifier fixes ("intelligence sources"), else the head noun's own."""
    modifiers = [c for c in head.lefts if c.dep_ in ("compound", "amod", "nmod")]
    for modifier in sorted(modifiers, key=lambda t: -t.i):
        pair = lex.heads.get(f"{modifier.lemma_.lower()} {head.lemma_.lower()}")
        if pair and pair.sector:
            return pair.sector
        entry = lex.modifiers.get(modifier.lemma_.lower())
        if entry and entry.sector:
            return entry.sector
    entry = lex.heads.get(head.lemma_.lower()) or lex.heads.get(head.lower_)
    return entry.sector if entry else None


# --------------------------------------------------------------------------- citations and assertion

# Participles through which a `citing X` hangs on the speech verb it qualifies: "Lee said,
# citing the intelligence service" (advcl), "said … and cited" (conj), "reported, cited by" (acl).
CITATION_DEPS = frozenset({"advcl", "xcomp", "conj", "acl", "pcomp"})


def _link_citations(ctx: _Context, drafts: list[_Draft]) -> None:
    """Give a speech attribution the source its speaker cites: `…, Lee said, citing the
    country's intelligence service` is Lee's claim, backed by the intelligence service.

    The `citing` attribution stays (PolNeAR marks it) but is flagged as a citation, so the
    claims layer keeps one claim with a cited source rather than two.
    """
    by_token = {i: d for d in drafts for i in d.cue_tokens}
    for draft in drafts:
        if draft.lemma != "cite" or not draft.contents:
            continue
        verb = next((ctx.doc[i] for i in sorted(draft.cue_tokens) if ctx.doc[i].lemma_.lower() == "cite"), None)
        if verb is None or verb.dep_ not in CITATION_DEPS:
            continue
        host = by_token.get(verb.head.i)
        if host is None or host is draft or host.cited is not None:
            continue
        host.cited = draft.contents[0]
        draft.citation = True


# Verbs whose infinitive complement is speech the subject holds back: "declined to say",
# "refused to comment", "failed to mention".
REFUSALS = frozenset({"decline", "refuse", "fail"})
# Cue classes whose refusal is a refusal to speak ("declined to confirm"), not a stance.
SPEAKING_CLASSES = frozenset({"speech", "report", "confirmation"})


def _asserted(ctx: _Context, draft: _Draft) -> bool:
    """Whether the cue asserts its content. Negated speech ("did not say how many"),
    refusals ("declined to say", "refused to comment") and speech under "without"
    ("without saying what the visit was for") attribute nothing to the source."""
    if draft.kind not in ("direct", "indirect", "reported_by"):
        return True
    verbs = [ctx.doc[i] for i in sorted(draft.cue_tokens) if ctx.doc[i].pos_ in ("VERB", "AUX")]
    verb = next((v for v in verbs if v.lemma_.lower() == draft.lemma.split()[0]), verbs[0] if verbs else None)
    if verb is None:
        return True
    if any(c.dep_ == "neg" for c in verb.children):
        return False
    head = verb.head
    if verb.dep_ == "pcomp" and head.lower_ == "without":
        return False
    if verb.dep_ == "xcomp" and (head.lemma_.lower() in REFUSALS or any(c.dep_ == "neg" for c in head.children)):
        return False
    if draft.lemma in REFUSALS:
        for child in verb.children:
            entry = ctx.lex.verbs.get(child.lemma_.lower()) if child.dep_ == "xcomp" else None
            if entry is not None and entry.cls in SPEAKING_CLASSES:
                return False
    return True


# --------------------------------------------------------------------------- assembly


def _ref(text: str, start: int, end: int) -> SpanRef:
    return SpanRef(start, end, text[start:end])


def _build(ctx: _Context, draft: _Draft, earlier: list[_Draft]) -> Attribution:
    doc = ctx.doc
    source = resolved = description = None
    pronoun = False
    if draft.source is not None:
        source = _ref(ctx.text, *_token_chars(doc, draft.source))
        antecedent = _resolve(ctx, draft, earlier)
        described = draft.source
        if antecedent is not None:
            pronoun = True
            resolved = _ref(ctx.text, *_token_chars(doc, antecedent))
            described = antecedent
        if not (doc[draft.source[0]].pos_ == "PRON" and antecedent is None):
            description = describe_source(doc[described[0] : described[1]], lexicon=ctx.lex, ents=ctx.ents)
    contents = tuple(_ref(ctx.text, s, e) for s, e in sorted(set(draft.contents)))
    cited = _ref(ctx.text, *draft.cited) if draft.cited else None
    return Attribution(
        kind=draft.kind,
        cue=_ref(ctx.text, *draft.cue),
        source=source,
        contents=contents,
        sentence=draft.sentence,
        cue_lemma=draft.lemma,
        source_description=description,
        pronoun_source=pronoun,
        resolved_source=resolved,
        stance=draft.stance,
        cited_source=cited,
        asserted=_asserted(ctx, draft),
        citation=draft.citation,
    )


def attributions(doc: "Doc", *, lexicon: Lexicon | None = None) -> Iterator[Attribution]:
    """Every attribution in a parsed document, in order of their cues.

    Args:
        doc: a `Doc` parsed with a dependency parser and entity recogniser.
        lexicon: cue lexicons; the packaged ones by default (see `load_lexicon`).

    Yields:
        One `Attribution` per cue, spans as character offsets into `doc.text`.
    """
    ctx = _Context(doc, lexicon or load_lexicon())
    drafts = [*_phrase_cues(ctx), *_frame_cues(ctx), *_poll_cues(ctx), *_received_cues(ctx), *_noun_cues(ctx), *_adjective_cues(ctx),
              *_made_clear_cues(ctx), *_dash_cues(ctx), *_colon_cues(ctx)]
    for i, pos in enumerate(pos_tags(doc)):
        if pos not in ("VERB", "AUX"):  # `_verb_cue` wants nothing else
            continue
        draft = _verb_cue(ctx, doc[i])
        if draft is not None:
            ctx.used.update(draft.cue_tokens)
            drafts.append(draft)
    _detach_participles(ctx, drafts)
    _past_datelines(ctx, drafts)
    drafts = _drop_nested(ctx.doc, drafts)
    _link_citations(ctx, drafts)
    _continue_quotes(ctx, drafts)
    drafts.sort(key=lambda d: d.cue[0])
    done: list[_Draft] = []
    for draft in drafts:
        yield _build(ctx, draft, done)
        done.append(draft)
