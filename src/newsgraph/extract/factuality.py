"""How sure, which way and when: the factuality of an event mention.

`factuality(trigger)` reads the dependency parse around an event trigger and returns the
FactBank / MEANTIME triple (certainty, polarity, time) plus a plain status a reader
understands, and the cue words that decided it. The cues are data files under
`newsgraph/data/factuality/` (see the README there).

What is read, nearest first:

1. **The trigger's own modifiers** (and, for a nominal or adjectival event, those of the verb
   it hangs from, e.g. the object of `may send`): negation (`not`, `never`, `no`), modal
   auxiliaries (`may`, `would`), hedging adverbs (`allegedly`, `reportedly`), modal adjectives
   (`alleged attack`, `potential support`), future auxiliaries (`will`, `wo n't`) and `according
   to` / `as reported by`.
2. **The predicates up the tree** whose complement the event is: negative implicatives
   (`refuse to`, `fail to`, `deny`), intentions and plans (`plan to`, `want to`, `plans to`),
   expectations (`expect`, `hope`), beliefs (`it is widely believed that`), report verbs
   (`say`, `confirm`, `allege`), `be going to`, `have yet to`, purpose clauses (`to cut
   costs`) and conditionals (`if`, `unless`, `whether`). A negated report verb (`have not
   confirmed X`) leaves X unconfirmed; a negated belief verb (`do not think X`) negates X
   (negative raising); a negated implicative cancels its own negation (`did not fail to`).
3. **The attribution cue**, when the caller has found one (`attribution_cue="allege"`).

Combination: certainty is the weakest any cue allows (`certain` > `probable` > `possible` >
`underspecified`); every negation flips the polarity, and any cue that leaves the polarity
open makes it `underspecified`; time is `future` when a future cue applies, else the tense of
the nearest finite verb (`past` for past tense and present perfect, `present`), else
`underspecified`.

Perspective: without `attribution_cue` the event is judged as its nearest source presents
it, as MEANTIME annotates (`GM said it would cut jobs` → certain, future; a report verb in
the tree only sets the status). With `attribution_cue` the cue's own commitment is added, so
the reader's view comes out (`allege` → possible, `confirm` → certain). `would` marks the
future without lowering the certainty (`GM said it would cut jobs`: certain, future), as
MEANTIME annotates it; under a past report verb it is the past of `will` (status `future`),
elsewhere its status is `hypothetical`.

Status, first rule that applies:

- `denied`: a denial verb governs the event or is its attribution cue (`X denied that Y`);
- `unconfirmed`: the event sits under a negated or pending confirmation (`have not confirmed
  X`, `have yet to confirm X`);
- `negated`: the polarity is negative (`did not attend`, `refused to meet`);
- `hypothetical`: the event is in a condition (`if X`, `whether X`);
- `alleged`, `believed`, `reported`: an attribution cue or hedge of that kind applies
  (`allegedly`, `claim`; `it is believed`; `say`, `reportedly`, `according to`), in that order;
- `hypothetical`: a modal or hedge leaves it open (`may send`, `possibly`, `threaten to`);
- `future`: the time is future (`will visit`, `plans to visit`);
- `hypothetical`: any other cue leaves it below certain;
- `asserted`: none of the above — the text states it as fact.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from spacy.tokens import Span, Token

from ..errors import LexiconError

LOGGER = logging.getLogger(__name__)

CERTAINTIES = ("certain", "probable", "possible", "underspecified")
POLARITIES = ("positive", "negative", "underspecified")
TIMES = ("past", "present", "future", "underspecified")
STATUSES = (
    "asserted",
    "reported",
    "alleged",
    "believed",
    "denied",
    "unconfirmed",
    "negated",
    "hypothetical",
    "future",
)
CUE_FILES = (
    "negation.tsv",
    "modality.tsv",
    "future.tsv",
    "conditional.tsv",
    "governors.tsv",
    "report_verbs.tsv",
)
KINDS = ("adverb", "aux", "det", "adjective", "prep", "mark", "verb", "noun", "report")

# Dependencies through which a governing predicate passes its factuality to its complement.
COMPLEMENT_DEPS = frozenset({"xcomp", "ccomp", "csubj", "dobj", "nsubjpass", "oprd"})
# Dependencies from a nominal event to the verb whose modality it shares ("may send troops").
NOMINAL_DEPS = frozenset(
    {"dobj", "nsubj", "nsubjpass", "attr", "pobj", "prep", "conj", "appos", "compound", "oprd",
     "npadvmod", "acomp", "dative", "agent"}
)
# A subject names something that exists whatever the verb's modality: "the loss could swell".
SUBJECT_DEPS = frozenset({"nsubj", "csubj", "expl"})
# A predicate nominal or adjective shares its copula's negation: "was not a surprise".
PREDICATE_DEPS = frozenset({"attr", "acomp", "oprd"})
ADVERB_DEPS = frozenset({"neg", "advmod", "preconj"})
SOURCE_STATUSES = ("alleged", "believed", "reported")
# Negative raising: "I do not think X" means "I think not X".
NEG_RAISING = frozenset({"think", "believe", "expect", "suppose", "anticipate"})
MAX_TENSE_STEPS = 8
PAST_TAGS = frozenset({"VBD"})
PRESENT_TAGS = frozenset({"VBZ", "VBP"})


@dataclass(frozen=True, slots=True)
class Factuality:
    """The factuality of one event mention (FactBank / MEANTIME values, plus a plain status)."""

    certainty: str  # "certain" | "probable" | "possible" | "underspecified"
    polarity: str  # "positive" | "negative" | "underspecified"
    time: str  # "past" | "present" | "future" | "underspecified"
    status: str  # one of STATUSES
    cues: tuple[str, ...]  # the cue words that decided it, for evidence


@dataclass(frozen=True, slots=True)
class Cue:
    """One row of a cue file: what a word does to the events in its scope."""

    word: str
    kind: str
    certainty: str | None
    polarity: str | None
    time: str | None
    status: str | None


@dataclass(slots=True)
class _Evidence:
    """What the cues found so far; `result` turns it into a `Factuality`."""

    certainty: int = 0  # index into CERTAINTIES: the weakest commitment seen
    negations: int = 0
    open_polarity: bool = False
    future: bool = False
    condition: bool = False
    statuses: set[str] = field(default_factory=set)
    cues: list[str] = field(default_factory=list)
    applied: set[str] = field(default_factory=set)  # governing lemmas already counted

    def apply(self, cue: Cue, text: str, *, negate: bool = True, commit: bool = True) -> None:
        """Count `cue` (found as `text`); `commit=False` ignores its certainty."""
        if cue.certainty and commit:
            self.certainty = max(self.certainty, CERTAINTIES.index(cue.certainty))
        if cue.polarity == "negative" and negate:
            self.negations += 1
        elif cue.polarity == "underspecified":
            self.open_polarity = True
        if cue.time == "future":
            self.future = True
        if cue.status:
            self.statuses.add(cue.status)
        if text not in self.cues:
            self.cues.append(text)

    def polarity(self) -> str:
        if self.open_polarity:
            return "underspecified"
        return "negative" if self.negations % 2 else "positive"

    def status(self, certainty: str, polarity: str, time: str) -> str:
        if "denied" in self.statuses:
            return "denied"
        if "unconfirmed" in self.statuses:
            return "unconfirmed"
        if polarity == "negative":
            return "negated"
        if self.condition:
            return "hypothetical"
        for status in SOURCE_STATUSES:
            if status in self.statuses:
                return status
        if "hypothetical" in self.statuses:
            return "hypothetical"
        if time == "future" or "future" in self.statuses:
            return "future"
        return "asserted" if certainty == "certain" else "hypothetical"

    def result(self, time: str) -> Factuality:
        certainty = CERTAINTIES[self.certainty]
        polarity = self.polarity()
        time = "future" if self.future else time
        status = self.status(certainty, polarity, time)
        return Factuality(certainty, polarity, time, status, tuple(self.cues))


def factuality(
    trigger: Token | Span,
    *,
    attribution_cue: str | None = None,
    source_named: bool | None = None,
) -> Factuality:
    """The factuality of the event whose trigger is `trigger`.

    Args:
        trigger: the event trigger, a token or a span (its syntactic root is used).
        attribution_cue: the lemma of the attribution cue that introduces the event, when
            the caller found one (`"say"`, `"allege"`, `"according to"`, `"widely believed"`).
        source_named: whether that attribution names its source; an unnamed source
            (`it is believed`, `sources say`) caps the certainty at `probable`.

    Returns:
        The certainty, polarity, time and plain status, with the cue words that decided them.
    """
    token = trigger.root if isinstance(trigger, Span) else trigger
    evidence = _Evidence()
    _own_cues(token, evidence)
    _governor_cues(token, evidence)
    if attribution_cue:
        _attribution_cues(attribution_cue, source_named, evidence)
    return evidence.result(_tense(token))


@lru_cache(maxsize=1)
def load_cues() -> dict[str, dict[str, Cue]]:
    """The cue files, as `{kind: {word: Cue}}`; later files override earlier ones."""
    table: dict[str, dict[str, Cue]] = {kind: {} for kind in KINDS}
    folder = resources.files("newsgraph") / "data" / "factuality"
    for name in CUE_FILES:
        text = (folder / name).read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), 1):
            if line.strip() and not line.startswith("#"):
                cue = _parse_cue(line, f"{name}:{number}")
                table[cue.kind][cue.word] = cue
    return table


def _parse_cue(line: str, where: str) -> Cue:
    fields = line.rstrip("\n").split("\t")
    if len(fields) < 6:
        raise LexiconError(f"{where}: expected 6 tab-separated columns, got {len(fields)}")
    word, kind, certainty, polarity, time, status = (f.strip() for f in fields[:6])
    checks = ((kind, KINDS), (certainty, CERTAINTIES), (polarity, POLARITIES), (time, TIMES),
              (status, STATUSES))
    for value, allowed in checks:
        if value != "-" and value not in allowed:
            raise LexiconError(f"{where}: '{value}' is not one of {', '.join(allowed)}")
    none = lambda value: None if value == "-" else value  # noqa: E731
    return Cue(word.lower(), kind, none(certainty), none(polarity), none(time), none(status))


def _lemma(token: Token) -> str:
    return token.lemma_.lower()


def _is_verbal(token: Token) -> bool:
    return token.pos_ in ("VERB", "AUX")


def _own_cues(token: Token, evidence: _Evidence, *, negation: bool = True) -> None:
    """Negation, modality, hedges and future markers attached to `token` itself.

    `negation=False` reads the verb of a nominal argument: `did not comment on the
    situation` does not negate the situation, but `may send troops` qualifies the troops.
    """
    cues = load_cues()
    for child in token.children:
        lemma, dep = _lemma(child), child.dep_
        if dep in ADVERB_DEPS and lemma in cues["adverb"] and lemma != "yet":
            cue = cues["adverb"][lemma]
            if negation or cue.polarity is None:
                evidence.apply(cue, child.text)
        elif dep in ("aux", "auxpass") and lemma in cues["aux"]:
            evidence.apply(_modal(child, token), child.text)
        elif dep == "det" and lemma in cues["det"]:
            evidence.apply(cues["det"][lemma], child.text)
        elif dep == "amod" and lemma in cues["adjective"]:
            evidence.apply(cues["adjective"][lemma], child.text)
        elif dep in ("prep", "advcl") and lemma in cues["report"] and _is_attribution(child):
            evidence.apply(cues["report"][lemma], child.text)
    _preposition_cue(token, evidence)
    pending = _pending(token)
    if pending is not None:
        evidence.apply(cues["adverb"]["not"], f"{pending.text} {token.text}")


def _modal(aux: Token, verb: Token) -> Cue:
    """The cue of a modal; `would` in reported speech is the past of `will` (`said it would`)."""
    cues = load_cues()["aux"]
    if _lemma(aux) == "would" and _reported_past(verb):
        return cues["will"]
    return cues[_lemma(aux)]


def _reported_past(verb: Token) -> bool:
    """Whether `verb` heads the content clause of a past-tense report verb."""
    while verb.dep_ == "conj" and verb.head.i != verb.i:
        verb = verb.head
    head = verb.head
    return (verb.dep_ == "ccomp" and head.tag_ in ("VBD", "VBN")
            and _lemma(head) in load_cues()["report"])


def _is_attribution(child: Token) -> bool:
    """`according to X` or `as reported by X`, attached to the event."""
    if child.dep_ == "prep":
        return True
    return any(_lemma(c) == "as" for c in child.children if c.dep_ == "mark")


def _preposition_cue(token: Token, evidence: _Evidence) -> None:
    """`without X` / `without doing X`."""
    head = token.head
    if token.dep_ in ("pobj", "pcomp") and head.dep_ == "prep":
        cue = load_cues()["prep"].get(_lemma(head))
        if cue:
            evidence.apply(cue, head.text)


def _governor_cues(token: Token, evidence: _Evidence) -> None:
    """Walk up the tree applying the predicates that govern the event."""
    current = token
    while current.head.i != current.i:
        head, dep = current.head, current.dep_
        if dep in ("pobj", "pcomp") and head.dep_ in ("prep", "agent", "dative"):
            head = head.head  # through the preposition: "the possibility of a challenge"
            if _is_verbal(head):
                _own_cues(head, evidence, negation=False)
            else:
                _noun_governor(head, evidence)
        elif dep == "conj":
            if _is_verbal(current):
                _conjunct_aux(current, head, evidence)
        elif dep in COMPLEMENT_DEPS and (_is_verbal(current) or _governor_cue(head)):
            _complement_of(head, evidence)
        elif not _is_verbal(current) and dep in PREDICATE_DEPS and _is_verbal(head):
            _own_cues(head, evidence)  # "will be insolvent": the copula's clause is the event's
        elif not _is_verbal(current) and dep in NOMINAL_DEPS:
            if _is_verbal(head) and dep not in SUBJECT_DEPS:
                # "may send troops": the verb's modality covers its arguments, no further.
                _own_cues(head, evidence, negation=False)
                return
        elif dep == "acl":
            _noun_governor(head, evidence)
        elif dep == "advcl":
            _adverbial(current, evidence)
            return
        else:
            return
        current = head


def _conjunct_aux(token: Token, head: Token, evidence: _Evidence) -> None:
    """`will cut jobs and close plants`: a bare second verb shares the first one's auxiliaries."""
    own = {c.dep_ for c in token.children}
    if token.tag_ == "VB" and not own & {"aux", "nsubj", "nsubjpass"}:
        for child in head.children:
            if child.dep_ == "aux":
                cue = load_cues()["aux"].get(_lemma(child))
                if cue:
                    evidence.apply(cue, child.text)


def _complement_of(governor: Token, evidence: _Evidence) -> None:
    """Apply a governing predicate, its negation and its modality to the event below it."""
    cues = load_cues()
    lemma = _lemma(governor)
    cue = _governor_cue(governor)
    negated = _negation(governor)
    if cue is not None:
        evidence.applied.add(lemma)
        if negated and cue.kind == "report" and cue.polarity is None:
            evidence.apply(Cue(lemma, "report", "underspecified", "underspecified", None,
                               "unconfirmed"), f"{negated.text} {governor.text}")
            negated = None
        else:
            # A report verb is transparent here: the event is scored as its source presents
            # it (MEANTIME); the caller's attribution cue adds the reader's view.
            evidence.apply(cue, governor.text, commit=cue.kind != "report")
    if negated is not None:
        _negated_governor(governor, cue, negated, evidence)
    for child in governor.children:
        if child.dep_ == "aux" and _lemma(child) in cues["aux"]:
            evidence.apply(cues["aux"][_lemma(child)], child.text)
        elif child.dep_ == "advmod" and _lemma(child) in cues["adverb"] and _lemma(child) != "yet":
            if cues["adverb"][_lemma(child)].polarity is None:
                evidence.apply(cues["adverb"][_lemma(child)], child.text)


def _negated_governor(governor: Token, cue: Cue | None, neg: Token, evidence: _Evidence) -> None:
    """What a negated governor does: `do not think X` → not X; `did not plan to X` → open."""
    lemma = _lemma(governor)
    text = f"{neg.text} {governor.text}"
    if _lemma(neg) == "yet":
        evidence.apply(Cue("yet", "adverb", "underspecified", "underspecified", None,
                           "unconfirmed"), text)
    elif cue is None or lemma in NEG_RAISING or cue.polarity == "negative":
        evidence.apply(Cue(lemma, "verb", None, "negative", None, None), text)
    else:
        evidence.apply(Cue(lemma, "verb", "underspecified", "underspecified", None, None), text)


def _governor_cue(governor: Token) -> Cue | None:
    cues = load_cues()
    lemma = _lemma(governor)
    if governor.pos_ in ("NOUN", "PROPN"):
        return cues["noun"].get(lemma)
    if governor.pos_ == "ADJ":
        return cues["adjective"].get(lemma)
    if lemma in cues["verb"]:
        return cues["verb"][lemma]
    if lemma in cues["report"]:
        return cues["report"][lemma]
    if lemma == "go" and governor.tag_ == "VBG":  # "is going to"
        return load_cues()["verb"].get("go")
    return None


def _pending(token: Token) -> Token | None:
    """`yet` in `have yet to confirm`: the infinitive has not happened."""
    head = token.head
    if token.dep_ == "xcomp" and _lemma(head) in ("have", "be"):
        for child in head.children:
            if _lemma(child) == "yet" and child.dep_ == "advmod":
                return child
    return None


def _negation(token: Token) -> Token | None:
    """The negation cue on `token`: `not`/`never`, or `yet` in `have yet to` above it."""
    cues = load_cues()["adverb"]
    for child in token.children:
        cue = cues.get(_lemma(child))
        if child.dep_ in ADVERB_DEPS and cue is not None and cue.polarity == "negative":
            if _lemma(child) != "yet":
                return child
    return _pending(token)


def _noun_governor(noun: Token, evidence: _Evidence) -> None:
    """`plans to shift production`, `the possibility of a challenge`."""
    cue = load_cues()["noun"].get(_lemma(noun)) if noun.pos_ in ("NOUN", "PROPN") else None
    if cue is not None:
        evidence.apply(cue, noun.text)


def _adverbial(clause: Token, evidence: _Evidence) -> None:
    """Conditions (`if X`), open questions (`whether X`) and purposes (`to X`)."""
    cues = load_cues()["mark"]
    marks = [c for c in clause.children if c.dep_ == "mark"]
    for mark in marks:
        cue = cues.get(_lemma(mark))
        if cue is not None:
            evidence.condition = evidence.condition or cue.status == "hypothetical"
            evidence.apply(cue, mark.text)
            return
    infinitive = [c for c in clause.children if c.dep_ == "aux" and c.tag_ == "TO"]
    if not marks and infinitive and clause.tag_ == "VB":
        evidence.apply(cues["to"], infinitive[0].text)


def _attribution_cues(cue_text: str, source_named: bool | None, evidence: _Evidence) -> None:
    """The attribution cue the caller found, unless the walk up the tree already counted it."""
    table = load_cues()["report"]
    words = cue_text.lower().replace("'s", "").split()
    hits = [w for w in reversed(words) if w in table] or [
        w for w in reversed(words) if w.rstrip("sd") in table
    ]
    if not hits:
        LOGGER.debug("unknown attribution cue %r: treated as a neutral report", cue_text)
        evidence.apply(table["say"], cue_text)
    else:
        cue = table.get(hits[0]) or table[hits[0].rstrip("sd")]
        evidence.apply(cue, cue_text, negate=cue.word not in evidence.applied)
    if source_named is False:
        evidence.certainty = max(evidence.certainty, CERTAINTIES.index("probable"))
        evidence.cues.append("unnamed source")


def _tense(token: Token) -> str:
    """Past or present from the nearest finite verb form up the tree (auxiliaries included).

    A nominal or non-finite event takes the tense of the clause it sits in: `the delivery
    of troops was delayed` → past.
    """
    current = token
    for _ in range(MAX_TENSE_STEPS):
        tense = _finite_tense(current)
        if tense or current.head.i == current.i:
            return tense or "underspecified"
        current = current.head
    return "underspecified"


def _finite_tense(token: Token) -> str | None:
    auxes = [c for c in token.children if c.dep_ in ("aux", "auxpass")]
    for aux in auxes:
        if _lemma(aux) == "have" and token.tag_ == "VBN":
            return "past"
        if aux.tag_ in PAST_TAGS:
            return "past"
    for aux in auxes:
        if aux.tag_ in PRESENT_TAGS:
            return "present"
    if token.tag_ in PAST_TAGS:
        return "past"
    if token.tag_ in PRESENT_TAGS:
        return "present"
    return None
