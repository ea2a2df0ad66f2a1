"""A parsed document's sentences and entities, built once.

spaCy rebuilds ``doc.sents`` (a new Span per sentence, from a scan of every token) and
``doc.ents`` (a new tuple of Spans) on each access, and every extractor needs them. These
helpers build them once per ``Doc`` and keep them in ``_user_data(doc)``; the parse must be
final (the extractors run after the whole pipeline).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_KEY = ("newsgraph", "sentences")
_ENTS = ("newsgraph", "ents")
_TEXT = ("newsgraph", "text")
_WORDS = ("newsgraph", "columns")


def _user_data(doc: "Doc") -> dict[Any, Any]:
    """`doc.user_data`, keyed here by tuples as spaCy keys its own extensions (its annotation
    says `str` keys only)."""
    data: dict[Any, Any] = doc.user_data
    return data


def forget(doc: "Doc") -> None:
    """Drop what this module cached on `doc`. The cached spans point back at the document, a
    cycle only Python's cycle collector breaks, and it runs rarely in a process holding a
    model: a long ingest kept hundreds of parsed documents (and their arrays) alive."""
    for key in (_KEY, _ENTS, _TEXT, _WORDS):
        _user_data(doc).pop(key, None)


def sentences(doc: "Doc") -> list["Span"]:
    """``list(doc.sents)``, cached on the document."""
    return _cached(doc)[0]


def sentence_index(doc: "Doc") -> list[int]:
    """For each token, the number of its sentence in :func:`sentences`."""
    return _cached(doc)[1]


def _cached(doc: "Doc") -> tuple[list["Span"], list[int]]:
    found: tuple[list[Span], list[int]] | None = _user_data(doc).get(_KEY)
    if found is not None and len(found[1]) == len(doc):
        return found
    sents = list(doc.sents)
    index = [0] * len(doc)
    for number, sent in enumerate(sents):
        index[sent.start : sent.end] = [number] * (sent.end - sent.start)
    _user_data(doc)[_KEY] = (sents, index)
    return sents, index


def text(doc: "Doc") -> str:
    """``doc.text`` (which joins every token's text in Python on each access), cached."""
    found = _user_data(doc).get(_TEXT)
    if found is None or found[0] != len(doc):
        found = (len(doc), doc.text)
        _user_data(doc)[_TEXT] = found
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
    found = _user_data(doc).get(_ENTS)
    if found is None or found[0] != len(doc):
        found = (len(doc), tuple(doc.ents))  # a tuple already; the stubs say Sequence
        _user_data(doc)[_ENTS] = found
    return found[1]


def words(doc: "Doc") -> list[str]:
    """Each token's text (``token.text``)."""
    return _column(doc, "ORTH")


def pos_tags(doc: "Doc") -> list[str]:
    """Each token's coarse part of speech (``token.pos_``)."""
    return _column(doc, "POS")


def lemmas(doc: "Doc") -> list[str]:
    """Each token's lemma in lower case (``token.lemma_.lower()``)."""
    return _column(doc, "LEMMA")


def lowers(doc: "Doc") -> list[str]:
    """Each token's text in lower case (``token.lower_``)."""
    return _column(doc, "LOWER")


def _column(doc: "Doc", attr: str) -> list[str]:
    """One string attribute of every token, read in one array and cached: a scan that needs
    only these skips building a `Token` for every word."""
    columns = _user_data(doc).get(_WORDS)
    if columns is None or columns.get("length") != len(doc):
        columns = _user_data(doc)[_WORDS] = {"length": len(doc)}
    found = columns.get(attr)
    if found is None:
        strings = doc.vocab.strings
        names: dict[int, str] = {0: ""}
        lower = attr == "LEMMA"  # lemmas keep the case of names ("Paris"); the scans compare lower case
        found = []
        for value in doc.to_array(attr).tolist():
            name = names.get(value)
            if name is None:
                name = names[value] = strings[value].lower() if lower else strings[value]
            found.append(name)
        columns[attr] = found
    return found
