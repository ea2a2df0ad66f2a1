"""Extractive summaries: whole sentences picked from the article, each citing its span.

News puts its point first, so the lead is a strong summary; it is beaten by cleaning the lead
(no bylines, datelines, photo captions or "Scroll down for video"), by mending sentences that a
page broke across lines, by preferring sentences that the rest of the article elaborates, and
by not repeating oneself. The scorer is unsupervised:

* **position**: a prior that decays with the rank of the sentence among the usable ones;
* **centrality**: how much the *later* sentences of the article repeat a sentence's content
  words (TF-IDF cosine), as in PacSum's directed centrality: a lead states what the body
  then elaborates, while a late sentence that merely echoes the lead is no summary;
* **length**: fragments and run-on sentences are scaled down;
* **redundancy and length budget**: sentences are taken best first, skipping one that
  restates a chosen one, until the summary has its sentences or about as many words as a
  news highlight block.

Every chosen sentence is a character span of the input, returned in document order, so a
digest can link each summary sentence to its evidence. Given a parsed `Doc`, spaCy's
sentences and entities are used; given text, the text is split here (or parsed with `nlp`).
"""

from __future__ import annotations

import importlib.util
import logging
import math
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Union

from .errors import SummariseError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

LOGGER = logging.getLogger(__name__)

__all__ = ["SummarySentence", "SummariseError", "summarise", "lead", "split_sentences"]

# The knobs. Few on purpose: they were chosen on one half of a 125-article development set
# (split by the hash of each article's id), checked on the other half and the other way round,
# and kept where the margin over Lead-3 was steady on both halves (see README, Figures).
POSITION_DECAY = 0.3     # the position prior is exp(-POSITION_DECAY * rank)
CENTRALITY_WEIGHT = 0.4  # weight of directed centrality (0..1 within the article) against position
MIN_WORDS = 6            # shorter sentences are headlines, captions, fragments
SHORT_WORDS = 12         # sentences shorter than this are scaled down: bare quotes, teasers
LONG_WORDS = 35          # longer sentences are scaled down: run-on captions, lists, padding
REDUNDANT = 0.6          # content-word cosine above which a sentence restates another
WORD_BUDGET = 70         # stop adding sentences once the summary has this many words


@dataclass(frozen=True, slots=True)
class SummarySentence:
    """One extracted sentence: its rank in the article, character span, text and score."""

    index: int  # the sentence's position among the article's sentences, from 0
    start: int
    end: int
    text: str
    score: float


@dataclass(frozen=True, slots=True)
class _Sentence:
    """A sentence as the scorer sees it."""

    index: int
    start: int
    end: int
    text: str
    words: tuple[str, ...]  # content words, lower-cased lemmas
    n_words: int
    n_entities: int
    n_numbers: int


# --- boilerplate ---------------------------------------------------------------------------

# Lines that are furniture around a story, not the story (tabloid web pages especially).
_BOILERPLATE = re.compile(
    r"""(?ix)
    scroll\s+down\s+(?:for|to)
    | click\s+here
    | \bread\s+more\s*:
    | ^\s*(?:by\s+)?[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}\s+(?:for\s+)?(?:mailonline|dailymail\.com|daily\s+mail\s+reporter)
    | \b(?:published|updated|last\s+updated)\s*:\s*\d
    | ^\s*(?:follow|like)\s+(?:\w+\s+){0,3}on\s+(?:twitter|facebook|instagram)
    | @\w+\s*$
    | \bpictured\b\s*(?::|,|$)
    | \(pictured(?:\s+\w+)?\)
    | ^\s*(?:photo|picture|image|video)s?\s*(?:credit)?\s*:
    | ^\s*(?:related|see\s+also|watch|listen|advertisement|share\s+this|comments?)\s*(?::|$)
    | copyright\s+\d{4}
    | all\s+rights\s+reserved
    | \bcontributed\s+to\s+this\s+report
    | ^\s*(?:editor'?s\s+note)\s*:
    """
)

# A dateline opens the first sentence: "LONDON (Reuters) - ", "(CNN) -- ", "WASHINGTON, May 3 (AP) —".
_DATELINE = re.compile(
    r"""^\s*(?:
        (?:[A-Z][\w.'-]+(?:[ ,]+[A-Z][\w.'-]+){0,3},?\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s*)?)?
        \((?:CNN|AP|AFP|Reuters|UPI|Xinhua|TASS|dpa|EFE|ANSA|Bloomberg)[^)]{0,20}\)\s*
        (?:--|-|—|–|:)?\s*
      | [A-Z][A-Z]{2,}(?:[ ,]+[A-Z]{2,}){0,2}\s*(?:--|—|–)\s*
    )""",
    re.VERBOSE,
)

_TERMINAL = re.compile(r"""[.!?]["'’”)\]]*\s*$""")
_NUMBER = re.compile(r"\d")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")


def _is_boilerplate(text: str) -> bool:
    return bool(_BOILERPLATE.search(text))


def _strip_dateline(text: str) -> int:
    """How many leading characters of `text` are a dateline (0 when there is none)."""
    m = _DATELINE.match(text)
    return m.end() if m and m.end() < len(text) else 0


# --- sentences from text -------------------------------------------------------------------

# Abbreviations after which a full stop does not end a sentence.
_ABBREV = frozenset(
    "mr mrs ms dr prof sen rep gov gen col lt sgt capt cmdr adm st jr sr no vs etc inc ltd co corp "
    "dept univ jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e a.m p.m".split()
)
_SENT_END = re.compile(r"""[.!?]+["'’”)\]]*(?=\s+["'‘“(\[]?[A-Z0-9])""")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split text into sentence character spans without a model.

    A line break always ends a sentence (headlines, datelines and paragraphs have no full stop);
    inside a line, a full stop, question or exclamation mark ends one when a capital or digit
    follows and the word before it is not a known abbreviation or an initial.

    Args:
        text: the article text.

    Returns:
        (start, end) spans, stripped of surrounding white space, in order.
    """
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        for m in _SENT_END.finditer(line.group()):
            before = line.group()[: m.start()].rsplit(None, 1)
            word = before[-1].lower().rstrip(".") if before else ""
            if m.group().startswith(".") and (word in _ABBREV or (len(word) == 1 and word.isalpha())):
                continue
            end = line.start() + m.end()
            spans.append((start, end))
            start = end
        spans.append((start, line.end()))
    return [_trim(text, s, e) for s, e in spans if text[s:e].strip()]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without its leading and trailing white space."""
    chunk = text[start:end]
    return start + len(chunk) - len(chunk.lstrip()), start + len(chunk.rstrip())


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """spaCy's English stop words, read without importing spaCy.

    A digest summarises stored text by rule, without a model; importing the `spacy` package
    for its word list alone would add seconds to `newsgraph digest`. The list is a plain
    data module with no imports, so it is loaded on its own; an installation laid out
    otherwise imports it the usual way."""
    spec = importlib.util.find_spec("spacy")  # finds the package without importing it
    folder = Path(spec.origin).parent if spec and spec.origin else None
    path = folder / "lang" / "en" / "stop_words.py" if folder else None
    if path is None or not path.is_file():
        from spacy.lang.en.stop_words import STOP_WORDS

        return frozenset(STOP_WORDS)
    module_spec = importlib.util.spec_from_file_location("newsgraph._spacy_en_stop_words", path)
    if module_spec is None or module_spec.loader is None:  # not loadable as a module: spaCy's own import
        from spacy.lang.en.stop_words import STOP_WORDS as SPACY_STOP_WORDS

        return frozenset(SPACY_STOP_WORDS)
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return frozenset(module.STOP_WORDS)


def _text_sentences(text: str) -> Iterator[_Sentence]:
    for i, (start, end) in enumerate(split_sentences(text)):
        chunk = text[start:end]
        tokens = _WORD.findall(chunk)
        # Without a model, a capitalised word that does not open the sentence stands in for a name.
        names = sum(1 for t in tokens[1:] if t[:1].isupper())
        yield _Sentence(
            index=i, start=start, end=end, text=chunk,
            words=tuple(w for w in (t.lower() for t in tokens) if w not in stop_words() and not w.isdigit()),
            n_words=len(tokens), n_entities=names, n_numbers=1 if _NUMBER.search(chunk) else 0,
        )


def _doc_sentences(doc: "Doc") -> Iterator[_Sentence]:
    for i, sent in enumerate(doc.sents):
        words = [t for t in sent if not (t.is_punct or t.is_space)]
        if not words:
            continue
        # spaCy hands a paragraph's closing line break to the sentence before it: cite the text only.
        start, end = _trim(doc.text, sent.start_char, sent.end_char)
        yield _Sentence(
            index=i,
            start=start,
            end=end,
            text=doc.text[start:end],
            # A pipeline without a lemmatiser leaves lemma_ empty: fall back to the word itself.
            words=tuple((t.lemma_ or t.text).lower() for t in words if t.is_alpha and not t.is_stop),
            n_words=len(words),
            n_entities=len(sent.ents),
            n_numbers=1 if any(t.like_num for t in words) else 0,
        )


# --- scoring -------------------------------------------------------------------------------

def _usable(sent: _Sentence) -> bool:
    """Whether a sentence may be extracted at all."""
    if sent.n_words < MIN_WORDS or not sent.words:
        return False
    if _is_boilerplate(sent.text):
        return False
    # A sentence that opens in lower case is the tail of one broken by a line or a caption.
    first = next((c for c in sent.text if c.isalnum()), "")
    if first.islower():
        return False
    # A line without a closing full stop is a headline, caption or subheading.
    return bool(_TERMINAL.search(sent.text))


def _tfidf(sentences: Sequence[_Sentence]) -> list[dict[str, float]]:
    """Unit-length TF-IDF vectors, IDF counted over the article's own sentences."""
    df = Counter(w for s in sentences for w in set(s.words))
    n = len(sentences)
    vectors = []
    for s in sentences:
        tf = Counter(s.words)
        vec = {w: (1 + math.log(c)) * math.log(1 + n / df[w]) for w, c in tf.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors.append({w: v / norm for w, v in vec.items()})
    return vectors


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(w, 0.0) for w, v in a.items())


def _relevance(sentences: Sequence[_Sentence], vectors: Sequence[dict[str, float]]) -> list[float]:
    """Position prior + directed centrality, scaled by length."""
    n = len(sentences)
    # How much of each sentence the sentences after it repeat (PacSum's forward edges).
    forward = [sum(_cosine(vectors[i], vectors[j]) for j in range(i + 1, n)) for i in range(n)]
    low, high = min(forward, default=0.0), max(forward, default=0.0)
    scores = []
    for rank, (sent, ahead) in enumerate(zip(sentences, forward)):
        position = math.exp(-POSITION_DECAY * rank)
        centrality = (ahead - low) / ((high - low) or 1.0)
        length = 1.0 if sent.n_words <= LONG_WORDS else LONG_WORDS / sent.n_words
        if sent.n_words < SHORT_WORDS:
            length *= sent.n_words / SHORT_WORDS
        scores.append(length * (position + CENTRALITY_WEIGHT * centrality))
    return scores


def _select(sentences: Sequence[_Sentence], scores: Sequence[float], vectors: Sequence[dict[str, float]],
            k: int) -> list[int]:
    """The best sentences first, skipping any that restates a chosen one, until there are `k`
    or the summary has WORD_BUDGET words (ties go to the earlier sentence)."""
    chosen: list[int] = []
    words = 0
    for i in sorted(range(len(scores)), key=lambda i: (-scores[i], i)):
        if len(chosen) >= k or words >= WORD_BUDGET:
            break
        if any(_cosine(vectors[i], vectors[j]) > REDUNDANT for j in chosen):
            continue
        chosen.append(i)
        words += sentences[i].n_words
    return chosen


def _mend(text: str, sentences: Sequence[_Sentence]) -> list[_Sentence]:
    """Sentences that a page broke across lines, joined again.

    A line that ends without a full stop is a headline or caption, or half of a sentence
    broken by the page's layout; it is the latter when the next line carries on in lower
    case or the line ends on a word no sentence ends with ("of their", "but left back")."""
    out: list[_Sentence] = []
    for sent in sentences:
        prev = out[-1] if out else None
        if prev is not None and sent.index == prev.index + 1 and _broken_before(prev, sent):
            out[-1] = _Sentence(prev.index, prev.start, sent.end, text[prev.start : sent.end], prev.words + sent.words,
                                prev.n_words + sent.n_words, prev.n_entities + sent.n_entities,
                                max(prev.n_numbers, sent.n_numbers))
        else:
            out.append(sent)
    return out


def _broken_before(prev: _Sentence, sent: _Sentence) -> bool:
    if _TERMINAL.search(prev.text):
        return False
    first = next((c for c in sent.text if c.isalnum()), "")
    last = _WORD.findall(prev.text)
    return first.islower() or (bool(last) and last[-1].lower() in stop_words())


def _sentences_of(doc_or_text: Union["Doc", str], nlp: "Language | None") -> tuple[str, list[_Sentence]]:
    if isinstance(doc_or_text, str):
        if nlp is not None:
            doc = nlp(doc_or_text)
            return doc.text, list(_doc_sentences(doc))
        return doc_or_text, list(_text_sentences(doc_or_text))
    if hasattr(doc_or_text, "sents") and hasattr(doc_or_text, "text"):
        return doc_or_text.text, list(_doc_sentences(doc_or_text))
    raise SummariseError(f"cannot summarise a {type(doc_or_text).__name__}: give a spaCy Doc or a string")


def _extract(text: str, sent: _Sentence, score: float) -> SummarySentence:
    """The summary sentence, with a leading dateline cut off its span."""
    cut = _strip_dateline(sent.text) if sent.index == 0 else 0
    start = sent.start + cut
    return SummarySentence(sent.index, start, sent.end, text[start : sent.end], round(score, 4))


def summarise(
    doc_or_text: Union["Doc", str], *, sentences: int = 3, nlp: "Language | None" = None
) -> list[SummarySentence]:
    """Pick the `sentences` sentences that best summarise an article.

    Args:
        doc_or_text: a parsed spaCy `Doc` (its sentences and entities are used) or the text.
        sentences: how many sentences to extract at most.
        nlp: with text, a pipeline to parse it; without one the text is split by rule.

    Returns:
        The chosen sentences in document order; each one's `start`/`end` index the input text.
        Fewer than `sentences` when the article has fewer usable, non-redundant sentences.

    Raises:
        SummariseError: the input is neither text nor a Doc.
    """
    if sentences <= 0:
        return []
    text, all_sentences = _sentences_of(doc_or_text, nlp)
    candidates = [s for s in _mend(text, all_sentences) if _usable(s)]
    if not candidates:
        # A text of fragments only: fall back to its longest pieces rather than nothing.
        candidates = sorted(all_sentences, key=lambda s: (-s.n_words, s.index))[:sentences]
    vectors = _tfidf(candidates)
    scores = _relevance(candidates, vectors)
    chosen = _select(candidates, scores, vectors, sentences)
    LOGGER.debug("summary: %d of %d sentences usable, chose %s", len(candidates), len(all_sentences), chosen)
    return [_extract(text, candidates[i], scores[i]) for i in sorted(chosen, key=lambda i: candidates[i].index)]


def lead(doc_or_text: Union["Doc", str], *, sentences: int = 3, nlp: "Language | None" = None) -> list[SummarySentence]:
    """The Lead-k baseline: the first `sentences` sentences, whatever they are."""
    text, all_sentences = _sentences_of(doc_or_text, nlp)
    return [SummarySentence(s.index, s.start, s.end, s.text, 0.0) for s in all_sentences[:sentences]]
