"""Named-entity recognition against CoNLL-2003-style gold data (JSON Lines).

Each gold line is one sentence: ``{"doc_id", "sent_id", "tokens", "tags"}`` with IOB/BIO
tags over PER, ORG, LOC and MISC. We rebuild every *document* as one spaCy ``Doc`` from the
gold tokens, with the gold sentence boundaries preset (the parser keeps them), so that the
document-level fixes in :mod:`newsgraph.extract.entities` see the whole document; then we
map spaCy's labels to CoNLL's with :func:`~newsgraph.extract.entities.to_conll` and score
exact-match spans, micro-averaged, as conlleval does.

All-caps sentences (CoNLL headlines, wire slugs) are recased first with
:func:`~newsgraph.extract.entities.recase_words`, the same function ingest uses for shouted
titles; the tokens, hence the spans, are unchanged, only their letter case.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import EvalError
from .common import read_gold_lines
from ..extract.entities import CONLL_LABEL_MAP, recase_words, to_conll

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from ..types import PathLike

LOGGER = logging.getLogger(__name__)

CONLL_LABELS = ("PER", "ORG", "LOC", "MISC")

# (start token, end token exclusive, label) within one sentence
SpanKey = tuple[int, int, str]


@dataclass(frozen=True, slots=True)
class GoldSentence:
    """One gold sentence: its tokens and BIO tags."""

    doc_id: str
    sent_id: int
    tokens: tuple[str, ...]
    tags: tuple[str, ...]


def read_conll_jsonl(path: PathLike) -> list[GoldSentence]:
    """Read a CoNLL JSON Lines file.

    Args:
        path: file with one JSON object per line (``doc_id``, ``sent_id``, ``tokens``, ``tags``).

    Returns:
        The sentences in file order.

    Raises:
        EvalError: the file is missing, or a line is not a well-formed gold sentence.
    """
    return read_gold_lines(path, _parse_line, code="E101", what="CoNLL")


def _parse_line(line: str, where: str) -> GoldSentence:
    try:
        row = json.loads(line)
        tokens, tags = tuple(row["tokens"]), tuple(row["tags"])
        sentence = GoldSentence(str(row.get("doc_id", "")), int(row.get("sent_id", 0)), tokens, tags)
    except (ValueError, KeyError, TypeError) as e:
        raise EvalError(f"E102: {where}: not a gold sentence ({e}); expected tokens and tags") from e
    if len(tokens) != len(tags):
        raise EvalError(f"E103: {where}: {len(tokens)} tokens but {len(tags)} tags")
    return sentence


def bio_spans(tags: Sequence[str]) -> set[SpanKey]:
    """Spans encoded by IOB1/IOB2 tags: an ``I-`` after ``O`` or another label opens a span."""
    spans: set[SpanKey] = set()
    start: int | None = None
    label: str | None = None
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, kind = tag.partition("-")
        continues = prefix == "I" and kind == label
        if start is not None and label is not None and not continues:
            spans.add((start, i, label))
            start, label = None, None
        if prefix in ("B", "I") and not continues:
            start, label = i, kind
    return spans


def score_spans(
    gold: Iterable[set[SpanKey]], predicted: Iterable[set[SpanKey]], labels: Sequence[str] = CONLL_LABELS
) -> dict[str, Any]:
    """Exact-match micro precision, recall and F1, overall and per label.

    Args:
        gold: per sentence, the gold spans.
        predicted: per sentence (same order), the predicted spans.
        labels: labels to score; spans with other labels are ignored.

    Returns:
        ``{"precision", "recall", "f1", "tp", "fp", "fn", "per_label": {label: {...}}}``.
    """
    counts: dict[str, Counter[str]] = {label: Counter() for label in labels}
    for gold_spans, pred_spans in zip(gold, predicted, strict=True):
        for label in labels:
            g = {s for s in gold_spans if s[2] == label}
            p = {s for s in pred_spans if s[2] == label}
            counts[label].update(tp=len(g & p), fp=len(p - g), fn=len(g - p))
    total = sum(counts.values(), Counter())
    result = _prf(total)
    result["per_label"] = {label: _prf(counts[label]) for label in labels}
    return result


def _prf(c: Counter[str]) -> dict[str, Any]:
    tp, fp, fn = c["tp"], c["fp"], c["fn"]
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "fp": fp, "fn": fn}


def group_documents(sentences: Iterable[GoldSentence]) -> list[list[GoldSentence]]:
    """Consecutive sentences with the same ``doc_id``, as documents."""
    documents: list[list[GoldSentence]] = []
    for sentence in sentences:
        if documents and documents[-1][0].doc_id == sentence.doc_id:
            documents[-1].append(sentence)
        else:
            documents.append([sentence])
    return documents


def document_words(document: Sequence[GoldSentence], *, recase: bool = True) -> list[list[str]]:
    """The words of each sentence, with all-caps sentences recased against the rest."""
    if not recase:
        return [list(s.tokens) for s in document]
    reference = [s.tokens for s in document]
    return [recase_words(s.tokens, reference=reference) for s in document]


def build_doc(nlp: Language, sentences_words: Sequence[Sequence[str]]) -> Doc:
    """One unparsed ``Doc`` for a document, gold tokens and sentence starts preset."""
    from spacy.tokens import Doc

    words: list[str] = []
    sent_starts: list[bool | int | None] = []  # spaCy's annotation
    for sentence in sentences_words:
        words.extend(sentence)
        sent_starts.extend([True] + [False] * (len(sentence) - 1))
    return Doc(nlp.vocab, words=words, sent_starts=sent_starts)


def predicted_spans(doc: Doc, document: Sequence[GoldSentence]) -> Iterator[set[SpanKey]]:
    """Per gold sentence, the CoNLL spans `doc` predicts (entities crossing a boundary are cut)."""
    offset = 0
    by_sentence = []
    for sentence in document:
        end = offset + len(sentence.tokens)
        by_sentence.append((offset, end))
        offset = end
    for start, end in by_sentence:
        spans = set()
        for ent in doc.ents:
            label = to_conll(ent.label_)
            s, e = max(ent.start, start), min(ent.end, end)
            if label and s < e:
                spans.add((s - start, e - start, label))
        yield spans


def evaluate_ner(path: PathLike, *, nlp: Language, batch_size: int = 16, recase: bool = True) -> dict[str, Any]:
    """Score `nlp`'s entities against a CoNLL JSON Lines gold file.

    Args:
        path: the gold file (``doc_id``, ``sent_id``, ``tokens``, BIO ``tags``).
        nlp: the pipeline to evaluate (usually ``newsgraph.nlp.load_nlp()``).
        batch_size: documents per ``nlp.pipe`` batch.
        recase: recase all-caps sentences before tagging (what ingest does to shouted titles).

    Returns:
        A JSON-able dict: ``precision``, ``recall``, ``f1`` (micro, exact span match over
        PER/ORG/LOC/MISC), ``per_label``, ``tp``/``fp``/``fn``, ``sentences``, ``documents``,
        ``tokens``, ``model``, ``pipeline`` and the ``label_map`` used.

    Raises:
        EvalError: the gold file is missing or malformed.
    """
    documents = group_documents(read_conll_jsonl(path))
    docs = (build_doc(nlp, document_words(d, recase=recase)) for d in documents)
    gold: list[set[SpanKey]] = []
    predicted: list[set[SpanKey]] = []
    for document, doc in zip(documents, nlp.pipe(docs, batch_size=batch_size), strict=True):
        gold.extend(bio_spans(s.tags) for s in document)
        predicted.extend(predicted_spans(doc, document))
    result = score_spans(gold, predicted)
    result.update(
        sentences=len(gold),
        documents=len(documents),
        tokens=sum(len(s.tokens) for d in documents for s in d),
        model=f"{nlp.meta.get('lang', '')}_{nlp.meta.get('name', '')}-{nlp.meta.get('version', '')}",
        pipeline=list(nlp.pipe_names),
        recase=recase,
        label_map={label: conll for label, conll in CONLL_LABEL_MAP.items()},
    )
    LOGGER.info("NER on %s: F1 %.4f over %d sentences", path, result["f1"], len(gold))
    return result
