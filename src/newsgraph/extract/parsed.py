"""A parsed document's sentences and entities, built once.

spaCy rebuilds ``doc.sents`` (a new Span per sentence, from a scan of every token) and
``doc.ents`` (a new tuple of Spans) on each access, and every extractor needs them. These
helpers build them once per ``Doc`` and keep them in ``doc.user_data``; the parse must be
final (the extractors run after the whole pipeline).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_KEY = ("newsgraph", "sentences")
_ENTS = ("newsgraph", "ents")
_TEXT = ("newsgraph", "text")
_WORDS = ("newsgraph", "pos-lemmas")


def forget(doc: "Doc") -> None:
    """Drop what this module cached on `doc`. The cached spans point back at the document, a
    cycle only Python's cycle collector breaks, and it runs rarely in a process holding a
    model: a long ingest kept hundreds of parsed documents (and their arrays) alive."""
    for key in (_KEY, _ENTS, _TEXT, _WORDS):
        doc.user_data.pop(key, None)


def sentences(doc: "Doc") -> list["Span"]:
    """``list(doc.sents)``, cached on the document."""
    return _cached(doc)[0]


def sentence_index(doc: "Doc") -> list[int]:
    """For each token, the number of its sentence in :func:`sentences`."""
    return _cached(doc)[1]


def _cached(doc: "Doc") -> tuple[list["Span"], list[int]]:
    found = doc.user_data.get(_KEY)
    if found is not None and len(found[1]) == len(doc):
        return found
    sents = list(doc.sents)
    index = [0] * len(doc)
    for number, sent in enumerate(sents):
        index[sent.start : sent.end] = [number] * (sent.end - sent.start)
    doc.user_data[_KEY] = (sents, index)
    return sents, index


def text(doc: "Doc") -> str:
    """``doc.text`` (which joins every token's text in Python on each access), cached."""
    found = doc.user_data.get(_TEXT)
    if found is None or found[0] != len(doc):
        found = (len(doc), doc.text)
        doc.user_data[_TEXT] = found
    return found[1]


def colons(doc: "Doc") -> Iterator["Token"]:
    """The tokens that are a colon, found in the text (far fewer than the tokens to visit)."""
    source = text(doc)
    at = source.find(":")
    while at != -1:
        span = doc.char_span(at, at + 1, alignment_mode="expand")
        if span is not None and span[0].text == ":":
            yield span[0]
        at = source.find(":", at + 1)


def entities(doc: "Doc") -> tuple["Span", ...]:
    """``doc.ents``, cached on the document."""
    found = doc.user_data.get(_ENTS)
    if found is None or found[0] != len(doc):
        found = (len(doc), doc.ents)
        doc.user_data[_ENTS] = found
    return found[1]


def pos_tags(doc: "Doc") -> list[str]:
    """Each token's coarse part of speech (``token.pos_``), read in one array."""
    return _pos_lemmas(doc)[0]


def lemmas(doc: "Doc") -> list[str]:
    """Each token's lemma in lower case (``token.lemma_.lower()``), read in one array: a scan
    that needs only these skips building a `Token` for every word."""
    return _pos_lemmas(doc)[1]


def _pos_lemmas(doc: "Doc") -> tuple[list[str], list[str]]:
    from spacy.attrs import LEMMA, POS

    found = doc.user_data.get(_WORDS)
    if found is not None and len(found[0]) == len(doc):
        return found
    strings = doc.vocab.strings
    tags: dict[int, str] = {}
    words: dict[int, str] = {}
    pos, lemma = [], []
    for tag, word in doc.to_array([POS, LEMMA]).tolist():
        if tag not in tags:
            tags[tag] = strings[tag] if tag else ""
        if word not in words:
            words[word] = strings[word].lower() if word else ""
        pos.append(tags[tag])
        lemma.append(words[word])
    found = doc.user_data[_WORDS] = (pos, lemma)
    return found
