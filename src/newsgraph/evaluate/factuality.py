"""Score `extract.factuality` against MEANTIME's annotated event mentions.

The gold file is JSON Lines, one document a line, as converted in
`../shared/bench-data/factuality/meantime_en.jsonl`: `text` (tokens joined by spaces) and
`events`, each with character offsets `start`/`end` and the attributes `certainty`,
`polarity` and `time`. Each document is parsed once (`nlp.pipe`); each event mention is
located by its character offsets and the root of that span is the trigger.

Value mapping, gold (MEANTIME) → ours:

- certainty: `CERTAIN`, `PROBABLE`, `POSSIBLE`, `UNDERSPECIFIED` → `certain`, `probable`,
  `possible`, `underspecified`;
- polarity: `POS`, `NEG`, `UNDERSPECIFIED` → `positive`, `negative`, `underspecified`;
- time: `NON_FUTURE`, `FUTURE`, `UNDERSPECIFIED` → `non_future`, `future`, `underspecified`;
  our finer `past` and `present` both count as `non_future`.

A mention whose gold value is empty (MEANTIME leaves some unannotated) is left out of that
attribute's score, and counted under `unannotated`. The majority-class baseline predicts the
most frequent gold value of the same file for every mention.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from ..errors import EvalError
from ..extract.factuality import factuality

if TYPE_CHECKING:
    from spacy.language import Language

    from ..types import PathLike

LOGGER = logging.getLogger(__name__)

ATTRIBUTES = ("certainty", "polarity", "time")
GOLD_VALUES = {
    "certainty": {"CERTAIN": "certain", "PROBABLE": "probable", "POSSIBLE": "possible",
                  "UNDERSPECIFIED": "underspecified"},
    "polarity": {"POS": "positive", "NEG": "negative", "UNDERSPECIFIED": "underspecified"},
    "time": {"NON_FUTURE": "non_future", "FUTURE": "future", "UNDERSPECIFIED": "underspecified"},
}
# Our time values are finer than MEANTIME's: past and present are both "non-future".
PREDICTED_TIME = {"past": "non_future", "present": "non_future", "future": "future",
                  "underspecified": "underspecified"}


def evaluate_factuality(path: PathLike, *, nlp: "Language", batch_size: int = 16) -> dict[str, Any]:
    """Accuracy, per-class P/R/F1 and macro-F1 of certainty, polarity and time.

    Args:
        path: a MEANTIME-style JSON Lines file.
        nlp: the spaCy pipeline to parse with.
        batch_size: documents per `nlp.pipe` batch.

    Returns:
        `{"certainty": {"accuracy", "baseline", "baseline_class", "macro_f1", "classes",
        "n", "unannotated"}, "polarity": {…}, "time": {…}, "events", "documents",
        "unaligned"}`.
    """
    records = list(read_gold(path))
    pairs: dict[str, list[tuple[str, str]]] = {a: [] for a in ATTRIBUTES}
    unannotated = Counter()
    events = unaligned = 0
    docs = nlp.pipe((r["text"] for r in records), batch_size=batch_size)
    for record, doc in zip(records, docs):
        for event, predicted in _predict(record, doc):
            events += 1
            if predicted is None:
                unaligned += 1
                continue
            for attribute in ATTRIBUTES:
                gold = GOLD_VALUES[attribute].get(event.get(attribute) or "")
                if gold is None:
                    unannotated[attribute] += 1
                else:
                    pairs[attribute].append((gold, predicted[attribute]))
    report: dict[str, Any] = {}
    for attribute in ATTRIBUTES:
        report[attribute] = score(pairs[attribute])
        report[attribute]["unannotated"] = unannotated[attribute]
    report.update(events=events, documents=len(records), unaligned=unaligned)
    return report


def read_gold(path: PathLike) -> Iterator[dict[str, Any]]:
    """The documents of a gold file, checked for the fields the evaluation reads."""
    path = Path(path)
    if not path.is_file():
        raise EvalError(f"gold file not found: {path}")
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as e:
                raise EvalError(f"{path}:{number}: not JSON ({e})") from e
            if not isinstance(record.get("text"), str) or not isinstance(
                record.get("events"), list
            ):
                raise EvalError(f"{path}:{number}: a document needs 'text' and 'events'")
            yield record


def _predict(record: dict[str, Any], doc) -> Iterator[tuple[dict, dict[str, str] | None]]:
    """Each gold event with our prediction, or None where its offsets match no token."""
    for event in record["events"]:
        span = doc.char_span(event["start"], event["end"], alignment_mode="expand")
        if span is None or not len(span):
            LOGGER.debug("event %r at %s:%s matches no token", event.get("text"),
                         event["start"], event["end"])
            yield event, None
            continue
        fact = factuality(span)
        yield event, {"certainty": fact.certainty, "polarity": fact.polarity,
                      "time": PREDICTED_TIME[fact.time]}


def score(pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Accuracy, majority baseline, per-class P/R/F1 and macro-F1 of (gold, predicted) pairs.

    Macro-F1 averages over the classes present in the gold labels.
    """
    pairs = list(pairs)
    if not pairs:
        return {"n": 0, "accuracy": 0.0, "baseline": 0.0, "baseline_class": None,
                "macro_f1": 0.0, "classes": {}}
    gold_counts = Counter(g for g, _ in pairs)
    majority, majority_count = gold_counts.most_common(1)[0]
    classes = {label: _class_scores(pairs, label) for label in sorted(gold_counts)}
    return {
        "n": len(pairs),
        "accuracy": _ratio(sum(g == p for g, p in pairs), len(pairs)),
        "baseline": _ratio(majority_count, len(pairs)),
        "baseline_class": majority,
        "macro_f1": round(sum(c["f1"] for c in classes.values()) / len(classes), 4),
        "classes": classes,
    }


def _class_scores(pairs: list[tuple[str, str]], label: str) -> dict[str, Any]:
    true_pos = sum(g == label and p == label for g, p in pairs)
    predicted = sum(p == label for _, p in pairs)
    support = sum(g == label for g, _ in pairs)
    precision = _ratio(true_pos, predicted)
    recall = _ratio(true_pos, support)
    f1 = _ratio(2 * precision * recall, precision + recall)
    return {"precision": precision, "recall": recall, "f1": f1, "support": support,
            "predicted": predicted}


def _ratio(numerator: float, denominator: float) -> float:
    return round(numerator / denominator, 4) if denominator else 0.0
