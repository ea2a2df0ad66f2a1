"""Time expressions against TempEval-3-style gold data (JSON Lines), scored as TempEval-3 does.

Each gold line is one document: ``{"doc_id", "dct", "text", "timexes": [{"start", "end",
"type", "value", ...}], "dct_timex": {...}}``. The document creation time itself (``dct_timex``,
``functionInDocument`` = ``CREATION_TIME``) sits outside the text in TimeML and is never scored;
a gold timex inside the text that is marked ``CREATION_TIME`` is skipped the same way. Datelines
marked ``PUBLICATION_TIME`` *are* in the text and are scored, as the official scorer does.

Scores (UzZaman et al. 2013, "SemEval-2013 Task 1: TempEval-3"):

* **strict** span P/R/F1: a system expression counts when its span equals a gold span;
* **relaxed** span P/R/F1: when it overlaps a gold span (each gold and system expression
  matched at most once, the largest overlap first);
* **type** and **value**: over the relaxed matches, an attribute counts only when it is also
  correct; P = correct / system expressions, R = correct / gold expressions, and accuracy =
  correct / relaxed matches. ``value_f1`` is TempEval-3's headline "value F1".
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import EvalError
from .common import read_gold_lines
from ..extract.timex import Timex, timexes

if TYPE_CHECKING:
    from ..types import PathLike

LOGGER = logging.getLogger(__name__)

__all__ = ["GoldTimex", "GoldDocument", "read_timex_jsonl", "score_documents", "evaluate_timex", "error_summary"]


@dataclass(frozen=True, slots=True)
class GoldTimex:
    """One annotated expression: span, TIMEX3 type and value."""

    start: int
    end: int
    type: str
    value: str


@dataclass(frozen=True, slots=True)
class GoldDocument:
    """One gold document: its text, creation time and the expressions to find."""

    doc_id: str
    dct: str | None
    text: str
    timexes: tuple[GoldTimex, ...]


def read_timex_jsonl(path: PathLike) -> list[GoldDocument]:
    """Read a TempEval-3 JSON Lines file.

    Args:
        path: one JSON object per line with ``text``, ``dct`` and ``timexes``.

    Returns:
        The documents in file order.

    Raises:
        EvalError: the file is missing or a line is malformed.
    """
    return read_gold_lines(path, _parse_line, code="E111", what="TempEval-3")


def _parse_line(line: str, where: str) -> GoldDocument:
    try:
        row = json.loads(line)
        gold = tuple(
            GoldTimex(int(t["start"]), int(t["end"]), str(t["type"]), str(t["value"]).strip())
            for t in row["timexes"]
            if t.get("functionInDocument") != "CREATION_TIME"
        )
        return GoldDocument(str(row.get("doc_id", where)), row.get("dct"), str(row["text"]), gold)
    except (ValueError, KeyError, TypeError) as e:
        raise EvalError(f"E112: {where}: not a TempEval-3 document ({e}). Each line needs text and timexes.") from e


@dataclass(slots=True)
class _Tally:
    gold: int = 0
    system: int = 0
    strict: int = 0
    relaxed: int = 0
    type_correct: int = 0
    value_correct: int = 0


def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def _match(gold: Iterable[GoldTimex], system: Iterable[Timex]) -> list[tuple[GoldTimex, Timex]]:
    """One-to-one relaxed matching, largest overlap first."""
    pairs = sorted(
        ((_overlap(g.start, g.end, s.start, s.end), gi, si, g, s)
         for gi, g in enumerate(gold) for si, s in enumerate(system)),
        key=lambda p: (-p[0], p[1], p[2]),
    )
    used_gold: set[int] = set()
    used_system: set[int] = set()
    matched = []
    for overlap, gi, si, g, s in pairs:
        if overlap > 0 and gi not in used_gold and si not in used_system:
            used_gold.add(gi)
            used_system.add(si)
            matched.append((g, s))
    return matched


def _score_document(doc: GoldDocument, system: list[Timex], tally: _Tally, errors: list[dict[str, Any]] | None) -> None:
    tally.gold += len(doc.timexes)
    tally.system += len(system)
    for g, s in _match(doc.timexes, system):
        tally.relaxed += 1
        tally.strict += (g.start, g.end) == (s.start, s.end)
        tally.type_correct += g.type == s.type
        tally.value_correct += g.value == s.value
        if errors is not None and g.value != s.value:
            errors.append({"doc_id": doc.doc_id, "dct": doc.dct, "gold_text": doc.text[g.start:g.end],
                           "system_text": s.text, "gold": g.value, "system": s.value, "gold_type": g.type,
                           "system_type": s.type})


def _prf(correct: int, system: int, gold: int) -> tuple[float, float, float]:
    p = correct / system if system else 0.0
    r = correct / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score_documents(
    docs: Iterable[GoldDocument], *, errors: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """Run the tagger over gold documents and score it.

    Args:
        docs: gold documents (text, dct, expressions).
        errors: when a list is given, value mismatches among matched expressions are appended
            to it (for error analysis; never written to disk by this function).

    Returns:
        The figures, as :func:`evaluate_timex` describes them.
    """
    tally = _Tally()
    n_docs = 0
    for doc in docs:
        n_docs += 1
        _score_document(doc, list(timexes(doc.text, doc.dct)), tally, errors)
    return _figures(tally, n_docs)


def _figures(tally: _Tally, n_docs: int) -> dict[str, Any]:
    figures: dict[str, Any] = {"documents": n_docs, "gold": tally.gold, "system": tally.system}
    for name, correct in (("strict", tally.strict), ("relaxed", tally.relaxed),
                          ("type", tally.type_correct), ("value", tally.value_correct)):
        p, r, f = _prf(correct, tally.system, tally.gold)
        figures |= {f"{name}_precision": round(p, 4), f"{name}_recall": round(r, 4), f"{name}_f1": round(f, 4)}
    figures["type_accuracy"] = round(tally.type_correct / tally.relaxed, 4) if tally.relaxed else 0.0
    figures["value_accuracy"] = round(tally.value_correct / tally.relaxed, 4) if tally.relaxed else 0.0
    figures["reference"] = {"HeidelTime value F1 (TempEval-3 test)": 0.7761, "SUTime value F1": 0.6738}
    return figures


def evaluate_timex(path: PathLike, *, limit: int | None = None) -> dict[str, Any]:
    """Score :func:`newsgraph.extract.timex.timexes` on a TempEval-3 JSON Lines file.

    Args:
        path: e.g. ``../shared/bench-data/timex/te3_tbaq_train_timebank_aquaint.jsonl``.
        limit: score only the first ``limit`` documents.

    Returns:
        A JSON-able dict: ``documents``, ``gold``, ``system``; ``strict_*``, ``relaxed_*``,
        ``type_*`` and ``value_*`` precision/recall/F1; ``type_accuracy``, ``value_accuracy``;
        ``reference`` (published figures to compare with).

    Raises:
        EvalError: the gold file is missing or malformed.
    """
    docs = read_timex_jsonl(path)
    figures = score_documents(docs[:limit] if limit else docs)
    LOGGER.info("timex: value F1 %.4f over %d documents", figures["value_f1"], figures["documents"])
    return figures


def error_summary(errors: list[dict[str, Any]], top: int = 20) -> list[tuple[str, int]]:
    """The most frequent (gold value shape -> system value shape) confusions, for error analysis."""
    counts = Counter(f"{e['gold_type']}:{_shape(e['gold'])} -> {e['system_type']}:{_shape(e['system'])}" for e in errors)
    return counts.most_common(top)


def _shape(value: str) -> str:
    return "".join("9" if c.isdigit() else c for c in value)
