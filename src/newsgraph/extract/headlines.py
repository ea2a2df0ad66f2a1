"""Headline grammar: a second reading for the short, verbless parses headlines get.

Headlines drop articles and auxiliaries and put past events in the present ("Police fire tear
gas at protesters", "Sweden shells Karachi", "Thailand halts trade with Japan"); many are set in
title case ("Police Fire Tear Gas At Protesters"). A parser trained on running text reads the
present-tense verb as a noun of a compound ("police fire tear gas", "halts trade") and title-case
words as names, so the sentence has no verb and the event coder finds no event.

`HeadlineRepair` (the ``newsgraph_headlines`` component) re-reads such a sentence: a title-case
sentence with its common words in lower case, and, where its parse still has no verb root, with
a word that can be an event verb put in the past tense ("halts" → "halted"), which running text
reads as a verb. When that reading has the word as its root verb the analysis (tags, lemmas,
dependencies, and for a title-case sentence its entities) is copied onto the original tokens;
the text and its character offsets stay as they were. Sentences with a verb root, and long ones,
are left alone, as is everything after the first line, so running text costs one check.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spacy.attrs import DEP, HEAD
from spacy.language import Language
from spacy.tokens import Doc, Span

from .event_lexicon import load_event_lexicon

if TYPE_CHECKING:
    from .event_lexicon import EventLexicon

LOGGER = logging.getLogger(__name__)

COMPONENT = "newsgraph_headlines"
# a headline is short; longer sentences are running text, whose parse is left alone
MAX_TOKENS = 24
# how many candidate verbs of one sentence are tried (left to right) before giving up
MAX_TRIES = 3
# components that give the re-read sentence its analysis, in pipeline order
READING_COMPONENTS = ("tok2vec", "tagger", "parser", "newsgraph_attribute_lookup", "newsgraph_lemma_lookup",
                      "attribute_ruler", "lemmatizer")
# tags a present-tense headline verb gets when read as part of a noun phrase ("Police fire …",
# "Sweden shells …", "Police free …") or as a verb of its own
CANDIDATE_TAGS = frozenset({"NN", "NNS", "NNP", "NNPS", "VBZ", "VBP", "VB", "JJ"})
# tags of a word after which no verb starts: a determiner, preposition, "to", a possessive …
NO_VERB_AFTER = frozenset({"DT", "IN", "TO", "PRP$", "POS", "WDT", "CC", "HYPH", ","})
# words a title-case headline capitalises that are no names
FUNCTION_WORDS = frozenset("""a an the and or but nor of in on at to for from with without by as
    over under after before amid amidst against about into onto upon across near off out up down
    between among during despite since until via per than that this these those its their his her
    our your my is are was were be been being has have had will would may might can could should
    must not no new says say said after amid while who what which when where why how all some
    any more most other over again back ahead""".split())
# past tense of verbs whose past is not stem + "ed"
IRREGULAR_PAST = {
    "arise": "arose", "bear": "bore", "beat": "beat", "become": "became", "begin": "began",
    "bid": "bid", "bind": "bound", "break": "broke", "bring": "brought", "build": "built",
    "buy": "bought", "cast": "cast", "catch": "caught", "choose": "chose", "come": "came",
    "cut": "cut", "deal": "dealt", "do": "did", "draw": "drew", "drive": "drove", "eat": "ate",
    "fall": "fell", "feed": "fed", "feel": "felt", "fight": "fought", "find": "found", "flee": "fled",
    "fly": "flew", "forbid": "forbade", "forgive": "forgave", "freeze": "froze", "get": "got",
    "give": "gave", "go": "went", "grind": "ground", "hang": "hanged", "have": "had", "hear": "heard",
    "hide": "hid", "hit": "hit", "hold": "held", "hurt": "hurt", "keep": "kept", "know": "knew",
    "lay": "laid", "lead": "led", "leave": "left", "lend": "lent", "let": "let", "lose": "lost",
    "make": "made", "meet": "met", "overrun": "overran", "overthrow": "overthrew", "pay": "paid",
    "put": "put", "quit": "quit", "read": "read", "ride": "rode", "rise": "rose", "run": "ran",
    "say": "said", "see": "saw", "seek": "sought", "sell": "sold", "send": "sent", "set": "set",
    "shake": "shook", "shed": "shed", "shoot": "shot", "shut": "shut", "sink": "sank", "slay": "slew",
    "speak": "spoke", "spend": "spent", "split": "split", "spread": "spread", "stand": "stood",
    "steal": "stole", "strike": "struck", "swear": "swore", "sweep": "swept", "take": "took",
    "teach": "taught", "tear": "tore", "tell": "told", "think": "thought", "throw": "threw",
    "undertake": "undertook", "uphold": "upheld", "upset": "upset", "win": "won",
    "withdraw": "withdrew", "withhold": "withheld", "write": "wrote", "overturn": "overturned",
}
VOWELS = frozenset("aeiou")
# last syllables that are stressed, so that the consonant doubles before "-ed" ("admitted")
STRESSED_ENDINGS = ("mit", "cur", "gret", "pel", "trol", "bel", "efer", "nfer", "nsfer")
SENTENCE_ENDS = frozenset({".", "!", "?", ";", ":"})


@dataclass(frozen=True, slots=True)
class Reading:
    """Another reading of a sentence: its words and their analysis as a Doc of their own."""

    doc: Doc
    recased: bool


def verb_lemma(word: str, verbs: Iterable[str] | frozenset[str]) -> str | None:
    """The event-verb lemma a present-tense headline word stands for ("halts" → "halt"), or None."""
    low = word.lower()
    forms = [low]
    if low.endswith("ies") and len(low) > 4:
        forms.append(low[:-3] + "y")
    if low.endswith(("sses", "shes", "ches", "xes", "zes", "oes")):
        forms.append(low[:-2])
    if low.endswith("s") and not low.endswith("ss"):
        forms.append(low[:-1])
    return next((f for f in reversed(forms) if f in verbs), None)


def past_tense(lemma: str) -> str:
    """The simple past of an English verb (regular spelling rules, irregular verbs listed)."""
    if lemma in IRREGULAR_PAST:
        return IRREGULAR_PAST[lemma]
    if "-" in lemma:  # "test-fire" → "test-fired"
        head, _, last = lemma.rpartition("-")
        return f"{head}-{past_tense(last)}"
    if lemma.endswith("e"):
        return lemma + "d"
    if lemma.endswith("y") and len(lemma) > 2 and lemma[-2] not in VOWELS:
        return lemma[:-1] + "ied"
    single_vowel = len(lemma) >= 3 and lemma[-2] in VOWELS and lemma[-3] not in VOWELS
    if single_vowel and lemma[-1] not in VOWELS | {"w", "x", "y"} and (
            sum(c in VOWELS for c in lemma) == 1 or lemma[-1] == "l" or lemma.endswith(STRESSED_ENDINGS)):
        # "ban" → "banned", "expel" → "expelled", "cancel" → "cancelled", "admit" → "admitted"
        return lemma + lemma[-1] + "ed"
    return lemma + "ed"


def title_case(words: Sequence[str]) -> bool:
    """Whether a sentence is set in title case: its words capitalised, function words too."""
    alpha = [w for w in words if w[:1].isalpha()]
    if len(alpha) < 3:
        return False
    capital = sum(w[:1].isupper() for w in alpha)
    function_capitals = sum(w[:1].isupper() and w.lower() in FUNCTION_WORDS for w in alpha[1:])
    # every word capitalised (four or more: a short run of capitals may be one name), or most
    # words with a function word among them ("… To …", "… In …")
    return (capital == len(alpha) and len(alpha) >= 4) or (capital >= 0.8 * len(alpha) and function_capitals >= 1)


class HeadlineRepair:
    """The ``newsgraph_headlines`` component: see the module docstring."""

    def __init__(self, nlp: Language, lexicon: "EventLexicon | None" = None) -> None:
        self.nlp = nlp
        lexicon = lexicon or load_event_lexicon()
        self.verbs = frozenset(lexicon.verbs)
        self.agents = frozenset(a for a in lexicon.agents if " " not in a)
        self.common = frozenset(FUNCTION_WORDS | set(lexicon.verbs) | set(lexicon.nouns) | self.agents)

    def __call__(self, doc: Doc) -> Doc:
        unit = _headline_unit(doc)
        if unit is not None:
            sent = doc[unit[0]:unit[1]]
            reading = self.reading(sent)
            if reading is not None:
                _copy(reading, sent)
        return doc

    def reading(self, sent: Span) -> Reading | None:
        """A reading of `sent` with a verb root where its own parse has none, else None."""
        words = [t.text for t in sent]
        recased = title_case(words)
        if not recased and _verb_rooted(sent, self.verbs) and not self._agent_root(sent):
            return None
        if recased:
            names = _name_positions(sent, self.common)
            # the first word keeps its capital, as in any sentence
            words = [w if i in names or i == 0 else self._recase(w) for i, w in enumerate(words)]
            base = self._read(words, sent, entities=True)
            if base is None:
                return None
            if _verb_rooted(base, self.verbs) and not self._agent_root(base):
                return Reading(base, True)
        else:
            base = sent.as_doc()
        best: tuple[int, Doc] | None = None
        candidates = self._candidates(base)
        if len(candidates) > 1:  # "Security forces fire …": the agent noun is the subject
            candidates = [i for i in candidates if words[i].lower().rstrip("s") not in self.agents] or candidates
        for i in candidates[:MAX_TRIES]:
            lemma = verb_lemma(words[i], self.verbs)
            if lemma is None:
                continue
            tried = [*words[:i], _cased(past_tense(lemma), words[i]), *words[i + 1:]]
            doc = self._read(tried, sent, entities=recased)
            if doc is None or doc[i].pos_ != "VERB" or doc[i].dep_ != "ROOT" or not _has_subject(doc[i]):
                continue
            doc[i].lemma_ = lemma
            # a reading that leaves another word a verb ("Coast guarded fire warning shots")
            # is worse than one that reads the rest as nouns ("Coast guard fired warning shots")
            verbs = sum(t.pos_ == "VERB" for t in doc)
            if best is None or verbs < best[0]:
                best = (verbs, doc)
            if verbs == 1:
                break
        if best is not None:
            return Reading(best[1], recased)
        # no event verb to read as the root: a re-cased title with some verb root and its
        # subject ("Protests Erupt In Lagos") still reads better than the names it was parsed as
        root = base[:].root
        return Reading(base, True) if recased and root.pos_ == "VERB" and _has_subject(root) else None

    def _agent_root(self, sent: Doc | Span) -> bool:
        """Whether the root verb is an agent noun with an event verb after it: "Security forces
        fire tear gas" read with "forces" as the verb."""
        root = sent[:].root
        after = root.i + 1
        return (root.tag_ in ("VBZ", "VBP") and root.lower_.rstrip("s") in self.agents
                and after < sent[:].end and verb_lemma(root.doc[after].text, self.verbs) is not None)

    @staticmethod
    def _recase(word: str) -> str:
        return word.lower() if word.istitle() else word

    def _candidates(self, doc: Doc | Span) -> list[int]:
        """Positions of words that may be the headline's verb: after a word that can end a subject."""
        out = []
        for tok in list(doc)[1:]:
            i = tok.i - doc[0].i
            before = doc[i - 1]
            if before.tag_ == "HYPH" and not before.whitespace_ and i > 1:
                before = doc[i - 2]  # "test-fires": the verb's last part
            if (tok.tag_ in CANDIDATE_TAGS and before.tag_ not in NO_VERB_AFTER
                    and not any(c.dep_ == "det" for c in tok.children) and verb_lemma(tok.text, self.verbs)):
                out.append(i)
        return out

    def _read(self, words: list[str], sent: Span, *, entities: bool) -> Doc | None:
        spaces = [bool(t.whitespace_) for t in sent]
        doc = Doc(self.nlp.vocab, words=words, spaces=spaces)
        for name, proc in self.nlp.pipeline:
            if name in READING_COMPONENTS or (entities and name == "ner"):
                doc = proc(doc)
        return doc if len(doc) == len(sent) else None


def _name_positions(sent: Span, common: frozenset[str]) -> set[int]:
    """Positions of the words of `sent` that keep their capital in a re-cased title: acronyms,
    countries, demonyms and places of the gazetteer (one to three words), persons' names."""
    from ..geo import match_country, match_place

    words = [t.text for t in sent]
    keep = {i for i, w in enumerate(words) if len(w) > 1 and w.isupper()}
    keep |= {i for i, t in enumerate(sent) if t.ent_type_ == "PERSON" and t.lower_ not in common
             and verb_lemma(t.lower_, common) is None}
    for n in (3, 2, 1):
        for i in range(len(words) - n + 1):
            span = words[i:i + n]
            if not all(w[:1].isupper() for w in span) or (n == 1 and span[0].lower() in common):
                continue
            phrase = " ".join(span)
            if match_country(phrase) is not None or match_place(phrase) is not None:
                keep |= set(range(i, i + n))
    return keep


def _headline_unit(doc: Doc) -> tuple[int, int] | None:
    """(start, end) of the text's first line when it is short enough to be a headline, read as
    one unit even where the parser split it with no full stop ("UN Welcomes Poland Decision |
    To Free Prisoners"). Only the first line can be a headline: short lines further down (table
    rows, datelines, captions) are left alone, which keeps the cost of the check to one line."""
    start = next((t.i for t in doc if not t.is_space), None)
    if start is None:
        return None
    end = next((t.i for t in doc[start:] if t.is_space and "\n" in t.text), len(doc))
    line = doc[start:end]
    if doc[end - 1].sent.end > end + 1:
        return None  # a hard-wrapped line: its sentence goes on below
    if len(line) > MAX_TOKENS or any(t.is_sent_start and t.i > start and doc[t.i - 1].text in SENTENCE_ENDS
                                     for t in line):
        return None
    return start, end


def _cased(word: str, like: str) -> str:
    return word.capitalize() if like[:1].isupper() else word


def _verb_rooted(sent: Doc | Span, verbs: frozenset[str]) -> bool:
    """Whether the parse has a verb root that may be the headline's own. A misreading: a root
    the lexicon does not know, or an "-ing" form with no auxiliary, with an event verb before it
    ("Coast guard fire warning shots": "warning" the root, "fire" a noun; "Kenya commandos rescue
    hostages": "commandos" the root); a present-tense root with no subject ("UN probes …": "UN" a
    compound); a root whose subject is itself a present-tense event verb ("Chile rejects calls
    to …": "rejects" the subject of "calls")."""
    root = sent[:].root
    if root.pos_ not in ("VERB", "AUX"):
        return False
    subjects = [c for c in root.children if c.dep_ in ("nsubj", "nsubjpass", "csubj", "expl")]
    if root.tag_ in ("VBZ", "VBP") and not subjects:
        return False
    if any(s.i > sent[0].i and s.tag_ in ("NNS", "VBZ") and s.lower_.endswith("s") and verb_lemma(s.text, verbs)
           for s in subjects):
        return False
    bare_participle = root.tag_ == "VBG" and not any(c.dep_ == "aux" for c in root.children)
    if root.lemma_ in verbs and not bare_participle:
        return True
    return not any(t.tag_ in CANDIDATE_TAGS and verb_lemma(t.text, verbs) for t in sent[1:root.i - sent[0].i])


def _has_subject(verb) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass") and c.i < verb.i for c in verb.children)


def _copy(reading: Reading, sent: Span) -> None:
    """Put `reading`'s analysis on the tokens of `sent` (same words, same number of tokens)."""
    doc = sent.doc
    heads = doc.to_array([HEAD, DEP])
    for src, tok in zip(reading.doc, sent):
        heads[tok.i, 0] = (src.head.i - src.i) % 2**64  # a signed offset, stored unsigned
        heads[tok.i, 1] = src.dep
        tok.tag_ = src.tag_
        tok.pos_ = src.pos_
        tok.lemma_ = src.lemma_
        tok.morph = src.morph
    doc.from_array([HEAD, DEP], heads)  # type: ignore[arg-type]
    if reading.recased:
        inside = [Span(doc, sent.start + e.start, sent.start + e.end, label=e.label_) for e in reading.doc.ents]
        outside = [e for e in doc.ents if e.end <= sent.start or e.start >= sent.end]
        doc.ents = sorted(outside + inside, key=lambda e: e.start)
    LOGGER.debug("headline re-read: %s", sent.text)


def add_headline_component(nlp: Language) -> None:
    """Add ``newsgraph_headlines`` after ``ner`` (once; a no-op without a parser)."""
    if COMPONENT in nlp.pipe_names or "parser" not in nlp.pipe_names:
        return
    nlp.add_pipe(COMPONENT, after="ner" if "ner" in nlp.pipe_names else "parser")


@Language.factory(COMPONENT, requires=["token.dep", "token.tag"],
                  assigns=["token.dep", "token.head", "token.tag", "token.pos", "token.lemma", "doc.ents"])
def make_headline_repair(nlp: Language, name: str) -> HeadlineRepair:
    return HeadlineRepair(nlp)
