"""Extractive summaries against CNN/DailyMail reference highlights, scored with ROUGE.

Each gold line is one article: ``{"doc_id", "article", "article_lines": [...], "reference",
"systems": {name: {"summary": ...}}}`` (the FRANK release of the CNN/DM test set). The
reference highlights and the bundled system summaries are tokenised sentences joined by
``" . "``; they are split back into sentences here.

Scores are ROUGE F-measures from Google's ``rouge-score`` package with the Porter stemmer,
averaged over articles, on a 0..1 scale:

* ``rouge1``, ``rouge2``: unigram and bigram overlap;
* ``rougeLsum``: summary-level longest common subsequence over newline-separated sentences,
  the variant papers report as ROUGE-L on CNN/DM;
* ``rougeL``: the LCS of the whole summary taken as one sequence (stricter about order).

The article given to the summariser is its lines joined by newlines, as an ingested page would
arrive in paragraphs; Lead-3 is the first three sentences of the *same* parse, computed in the
same run, so the comparison differs only in which sentences are chosen.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import EvalError
from .common import read_gold_lines
from ..summarise import lead, summarise

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from ..types import PathLike

LOGGER = logging.getLogger(__name__)

__all__ = ["SummaryDocument", "read_summary_jsonl", "split_reference", "score_summaries", "evaluate_summary"]

ROUGE_TYPES = ("rouge1", "rouge2", "rougeL", "rougeLsum")
ROUGE_VARIANT = (
    "F-measure, Porter stemming (rouge-score); rougeLsum = summary-level LCS over newline-separated "
    "sentences (the CNN/DM standard), rougeL = LCS over the summary as one sequence"
)


@dataclass(frozen=True, slots=True)
class SummaryDocument:
    """One gold article: its text (in lines), the reference highlights and other systems' summaries."""

    doc_id: str
    lines: tuple[str, ...]
    reference: tuple[str, ...]
    systems: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def text(self) -> str:
        """The article as the summariser sees it: one paragraph a line."""
        return "\n".join(self.lines)


# Highlights are tokenised: a sentence ends with a free-standing " ." (or ! ?).
_REFERENCE_BREAK = re.compile(r"(?<=\s[.!?])\s+")


def split_reference(summary: str) -> tuple[str, ...]:
    """Split a tokenised CNN/DM summary (``"A b . C d ."``) into its sentences.

    Text already in lines is split on its line breaks instead.
    """
    if "\n" in summary:
        parts = summary.splitlines()
    else:
        parts = _REFERENCE_BREAK.split(summary)
    return tuple(p.strip() for p in parts if p.strip())


def read_summary_jsonl(path: PathLike) -> list[SummaryDocument]:
    """Read a CNN/DM JSON Lines file (FRANK layout).

    Args:
        path: one JSON object per line with ``article`` or ``article_lines`` and ``reference``.

    Returns:
        The articles in file order.

    Raises:
        EvalError: the file is missing or a line is malformed.
    """
    return read_gold_lines(path, _parse_line, code="E141", what="CNN/DailyMail")


def _parse_line(line: str, where: str) -> SummaryDocument:
    try:
        row = json.loads(line)
        lines = row.get("article_lines") or [row["article"]]
        reference = row["reference"]
        if isinstance(reference, list):
            reference = "\n".join(reference)
        systems = tuple(
            (name, split_reference(str(entry["summary"] if isinstance(entry, dict) else entry)))
            for name, entry in sorted((row.get("systems") or {}).items())
        )
        return SummaryDocument(
            str(row.get("doc_id", where)),
            tuple(str(x) for x in lines),
            split_reference(str(reference)),
            systems,
        )
    except (ValueError, KeyError, TypeError) as e:
        raise EvalError(f"E142: {where}: not a summarisation record ({e}). Expected 'article' and 'reference'.") from e


def score_summaries(pairs: Iterable[tuple[Sequence[str], Sequence[str]]]) -> dict[str, float]:
    """Mean ROUGE F-measures of (system sentences, reference sentences) pairs.

    Args:
        pairs: for each article, the system's sentences and the reference's sentences.

    Returns:
        ``{"rouge1", "rouge2", "rougeL", "rougeLsum"}`` means on a 0..1 scale (4 decimals);
        all zero when there are no pairs.

    Raises:
        EvalError: the ``rouge-score`` package is not installed.
    """
    scorer = _scorer()
    totals = dict.fromkeys(ROUGE_TYPES, 0.0)
    n = 0
    for system, reference in pairs:
        # Sentences one a line: rougeLsum needs the breaks, the other measures ignore them.
        scores = scorer.score("\n".join(reference), "\n".join(system))
        for key in ROUGE_TYPES:
            totals[key] += scores[key].fmeasure
        n += 1
    return {key: round(total / n, 4) if n else 0.0 for key, total in totals.items()}


def _scorer() -> Any:  # rouge_score's RougeScorer (untyped)
    try:
        from rouge_score import rouge_scorer
    except ImportError as e:
        raise EvalError("E143: the ROUGE scorer is not installed. Run: pip install rouge-score") from e
    return rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=True)


def _systems_figures(docs: Sequence[SummaryDocument]) -> dict[str, dict[str, float]]:
    names = sorted({name for d in docs for name, _ in d.systems})
    figures = {}
    for name in names:
        pairs = [(summary, d.reference) for d in docs for n, summary in d.systems if n == name]
        figures[name] = score_summaries(pairs) | {"articles": len(pairs)}
    return figures


def evaluate_summary(
    path: PathLike,
    *,
    nlp: "Language | None",
    sentences: int = 3,
    limit: int | None = None,
    docs: Sequence["Doc"] | None = None,
) -> dict[str, Any]:
    """Score newsgraph's summariser and Lead-k on a CNN/DM file, in one run.

    Args:
        path: the gold JSON Lines file.
        nlp: the pipeline that parses the articles (the digest summarises parsed Docs); None
            splits the text by rule instead, without a model.
        sentences: summary length in sentences, for newsgraph and the lead baseline alike.
        limit: score only the first `limit` articles.
        docs: the articles already parsed with `nlp`, in file order (saves parsing again).

    Returns:
        ``{"newsgraph": {...}, "lead3": {...}, "systems": {name: {...}}, "halves": {...},
        "articles": N, "sentences": k, "rouge_variant": "..."}``; ``halves`` repeats the
        newsgraph and lead figures on the first and second half of the file, to show how stable
        the difference is.

    Raises:
        EvalError: the file is missing or malformed, or rouge-score is not installed.
    """
    gold = read_summary_jsonl(path)
    parsed = docs is not None
    if limit is not None:
        gold = gold[:limit]
    inputs: Sequence["Doc | str"]  # summarise and lead split plain text themselves
    if docs is not None:
        inputs = docs
    else:
        inputs = [d.text for d in gold] if nlp is None else list(nlp.pipe((d.text for d in gold), batch_size=16))
    ours = [[s.text for s in summarise(doc, sentences=sentences)] for doc in inputs]
    baseline = [[s.text for s in lead(doc, sentences=sentences)] for doc in inputs]
    refs = [d.reference for d in gold]
    half = len(gold) // 2
    figures: dict[str, Any] = {
        "newsgraph": score_summaries(zip(ours, refs)),
        f"lead{sentences}": score_summaries(zip(baseline, refs)),
        "systems": _systems_figures(gold),
        "halves": {
            name: {
                "newsgraph": score_summaries(zip(ours[sl], refs[sl])),
                f"lead{sentences}": score_summaries(zip(baseline[sl], refs[sl])),
            }
            for name, sl in (("first", slice(0, half)), ("second", slice(half, None)))
        },
        "articles": len(gold),
        "sentences": sentences,
        "input": "article lines joined by newlines, " + ("split by rule" if nlp is None and not parsed else "parsed"),
        "rouge_variant": ROUGE_VARIANT,
    }
    LOGGER.info("summary eval: %d articles, newsgraph %s", len(gold), figures["newsgraph"])
    return figures
