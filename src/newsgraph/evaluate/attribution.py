"""Score attribution extraction against PolNeAR-style gold data.

The gold file is JSON Lines, one article a line: `text` and `attributions`, each attribution
with `source`, `cue` and `content` lists of `{"start", "end"}` character spans (several
spans when a role is discontinuous; an empty list when the role is absent).

How spans are compared (per document, then summed over the corpus):

- **Items.** For each role (source, cue, content) an attribution contributes one item: the
  set of its spans for that role, leading and trailing white space trimmed. Attributions
  without that role (a source-less hedge has no source) contribute no item for it. Equal
  items within one document are counted once, since two attributions can share a source.
- **Exact matching.** A predicted item matches a gold item of the same role when both
  hold exactly the same character spans.
- **Overlap matching.** A predicted item matches a gold item of the same role when they
  share at least one character. Matching is one-to-one and greedy: all overlapping
  (predicted, gold) pairs are taken in order of decreasing shared characters (ties by text
  position), and a pair is kept when neither side has been matched yet.
- **Whole attributions.** A predicted attribution matches a gold one when cue and content
  both match and the sources match (or both have none), exactly or by overlap as above;
  the pairing is again one-to-one greedy, by total shared characters.

Precision = matched predicted items / predicted items; recall = matched gold items / gold
items; F1 their harmonic mean. Each figure also reports the underlying counts.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Sequence

from ..errors import EvalError
from .common import read_gold_lines
from ..extract.attribution import Attribution, attributions

if TYPE_CHECKING:
    from spacy.language import Language

    from ..types import PathLike

LOGGER = logging.getLogger(__name__)

ROLES = ("source", "cue", "content")
MODES = ("exact", "overlap")

Item = frozenset[tuple[int, int]]


@dataclass(frozen=True, slots=True)
class Triple:
    """One attribution reduced to its spans: items per role (None when absent)."""

    source: Item | None
    cue: Item | None
    content: Item | None

    def role(self, name: str) -> Item | None:
        found: Item | None = getattr(self, name)
        return found


@dataclass(slots=True)
class Counts:
    """Matched and total items for one figure."""

    predicted: int = 0
    gold: int = 0
    matched_predicted: int = 0
    matched_gold: int = 0

    def add(self, predicted: int, gold: int, matched: int) -> None:
        self.predicted += predicted
        self.gold += gold
        self.matched_predicted += matched
        self.matched_gold += matched

    def as_dict(self) -> dict[str, float | int]:
        precision = self.matched_predicted / self.predicted if self.predicted else 0.0
        recall = self.matched_gold / self.gold if self.gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "predicted": self.predicted,
            "gold": self.gold,
            "matched": self.matched_gold,
        }


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _item(text: str, spans: Iterable[tuple[int, int]]) -> Item | None:
    trimmed = {_trim(text, s, e) for s, e in spans}
    trimmed = {(s, e) for s, e in trimmed if e > s}
    return frozenset(trimmed) or None


def gold_triples(record: dict[str, Any]) -> list[Triple]:
    """The gold attributions of one PolNeAR record as span items."""
    text = record["text"]

    def spans(entries: Sequence[dict[str, Any]]) -> list[tuple[int, int]]:
        return [(int(e["start"]), int(e["end"])) for e in entries]

    return [
        Triple(
            source=_item(text, spans(a.get("source") or [])),
            cue=_item(text, spans(a.get("cue") or [])),
            content=_item(text, spans(a.get("content") or [])),
        )
        for a in record.get("attributions") or []
    ]


def predicted_triples(text: str, found: Iterable[Attribution]) -> list[Triple]:
    """Extracted attributions as span items."""
    return [
        Triple(
            source=_item(text, [(a.source.start, a.source.end)]) if a.source else None,
            cue=_item(text, [(a.cue.start, a.cue.end)]),
            content=_item(text, [(c.start, c.end) for c in a.contents]),
        )
        for a in found
    ]


def shared_chars(a: Item, b: Item) -> int:
    """Characters the two items have in common."""
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def _first(item: Item) -> int:
    return min(s for s, _ in item)


def greedy_match(pairs: Iterable[tuple[int, int, int, int]]) -> int:
    """Size of the one-to-one matching taken greedily from (score, tiebreak, p, g) pairs."""
    used_p: set[int] = set()
    used_g: set[int] = set()
    for _, _, p, g in sorted(pairs, key=lambda x: (-x[0], x[1])):
        if p not in used_p and g not in used_g:
            used_p.add(p)
            used_g.add(g)
    return len(used_p)


def match_items(predicted: Sequence[Item], gold: Sequence[Item], mode: str) -> int:
    """How many predicted items match gold items one-to-one under `mode`."""
    if mode == "exact":
        return len(set(predicted) & set(gold))
    pairs = []
    for p, pi in enumerate(predicted):
        for g, gi in enumerate(gold):
            shared = shared_chars(pi, gi)
            if shared:
                pairs.append((shared, _first(gi), p, g))
    return greedy_match(pairs)


def _roles_agree(p: Triple, g: Triple, mode: str) -> int:
    """Shared characters over the three roles when every role matches, else 0."""
    total = 0
    for role in ROLES:
        a, b = p.role(role), g.role(role)
        if a is None or b is None:
            if a is None and b is None:
                continue
            return 0
        if mode == "exact":
            if a != b:
                return 0
            total += sum(e - s for s, e in a)
        else:
            shared = shared_chars(a, b)
            if not shared:
                return 0
            total += shared
    return total or 1


def match_attributions(predicted: Sequence[Triple], gold: Sequence[Triple], mode: str) -> int:
    """How many predicted attributions match gold ones, one-to-one, under `mode`."""
    pairs = []
    for p, pt in enumerate(predicted):
        for g, gt in enumerate(gold):
            score = _roles_agree(pt, gt, mode)
            if score:
                pairs.append((score, g, p, g))
    return greedy_match(pairs)


class Scorer:
    """Accumulates counts over documents; `result()` gives the figures."""

    def __init__(self) -> None:
        self.roles = {(r, m): Counts() for r in ROLES for m in MODES}
        self.whole = {m: Counts() for m in MODES}
        self.documents = 0

    def add(self, predicted: Sequence[Triple], gold: Sequence[Triple]) -> None:
        self.documents += 1
        for role in ROLES:
            p_items = list(dict.fromkeys(item for t in predicted if (item := t.role(role))))
            g_items = list(dict.fromkeys(item for t in gold if (item := t.role(role))))
            for mode in MODES:
                matched = match_items(p_items, g_items, mode)
                self.roles[role, mode].add(len(p_items), len(g_items), matched)
        for mode in MODES:
            matched = match_attributions(predicted, gold, mode)
            self.whole[mode].add(len(predicted), len(gold), matched)

    def result(self) -> dict[str, Any]:
        out: dict[str, Any] = {"documents": self.documents}
        for role in ROLES:
            out[role] = {mode: self.roles[role, mode].as_dict() for mode in MODES}
        out["attribution"] = {mode: self.whole[mode].as_dict() for mode in MODES}
        return out


def read_gold(path: "PathLike") -> Iterator[dict[str, Any]]:
    """The records of a PolNeAR-style JSON Lines file.

    Raises:
        EvalError: the file is missing or a line is not a record with `text`.
    """
    return iter(read_gold_lines(path, _parse_record, code="E151", what="PolNeAR"))


def _parse_record(line: str, where: str) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as e:
        raise EvalError(f"{where}: not JSON ({e})") from e
    if not isinstance(record, dict) or "text" not in record:
        raise EvalError(f"{where}: expected an object with 'text' and 'attributions'")
    return record


def evaluate_attribution(path: "PathLike", *, nlp: "Language", batch_size: int = 16) -> dict[str, Any]:
    """Precision, recall and F1 of `attributions()` against a PolNeAR gold file.

    Args:
        path: JSON Lines gold file (`polnear_dev.jsonl`, `polnear_train.jsonl`).
        nlp: the spaCy pipeline; each article is parsed once with `nlp.pipe`.
        batch_size: articles per `nlp.pipe` batch.

    Returns:
        `{"documents", "source"|"cue"|"content": {"exact"|"overlap": figures},
        "attribution": {"exact"|"overlap": figures}}`, figures being precision, recall,
        f1 and the counts behind them. Matching is described in the module docstring.
    """
    records = list(read_gold(path))
    scorer = Scorer()
    texts = (r["text"] for r in records)
    for record, doc in zip(records, nlp.pipe(texts, batch_size=batch_size)):
        predicted = predicted_triples(record["text"], attributions(doc))
        scorer.add(predicted, gold_triples(record))
    LOGGER.info("scored %d documents from %s", scorer.documents, path)
    return scorer.result()
