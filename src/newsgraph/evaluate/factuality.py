"""Score `extract.factuality` against MEANTIME's annotated event mentions.

The gold file is JSON Lines, one document a line, as converted in
`../shared/bench-data/factuality/meantime_en.jsonl`: `text` (tokens joined by spaces) and
`events`, each with character offsets `start`/`end` (and, for a discontinuous mention such
as `turn ... down`, its pieces in `token_spans`) and the attributes `certainty`, `polarity` and
`time`. Each document is parsed once (`nlp.pipe`). The trigger of a mention is its syntactic
head: of the mention's own tokens (the pieces only, not the words between them), the content
word highest in the parse, so `in control` is read at `control`, `carried out` at
`carried` and `re-open` at `open`, as MEANTIME anchors the attributes on the event's head.

Value mapping, gold (MEANTIME) → ours:

- certainty: `CERTAIN`, `PROBABLE`, `POSSIBLE`, `UNDERSPECIFIED` → `certain`, `probable`,
  `possible`, `underspecified`;
- polarity: `POS`, `NEG`, `UNDERSPECIFIED` → `positive`, `negative`, `underspecified`;
- time: `NON_FUTURE`, `FUTURE`, `UNDERSPECIFIED` → `non_future`, `future`, `underspecified`;
  our finer `past` and `present` both count as `non_future`.

A mention whose gold value is empty is left out of that attribute's score, and counted under
`unannotated`. These are markables the annotators never filled in (52 of 2,107 in
MEANTIME English: part of speech, tense and aspect are empty too), not mentions with a
default value: the NewsReader guidelines define no default for certainty, polarity or time,
so scoring them as CERTAIN / POS would grade an annotation that does not exist. The
majority-class baseline predicts the most frequent gold value of the same file for every
mention.

What limits the figures (MEANTIME English, 2,055 scored mentions): 90% are CERTAIN and 93%
POS, and the four sub-corpora were annotated with different conventions. 97 of the 100
UNDERSPECIFIED polarities are in `corpus_gm`, where a hedged future event (`would`,
`could`, `expects to`) is mostly UNDERSPECIFIED (or PROBABLE) in certainty and UNDERSPECIFIED
in polarity; the other three corpora mark the same constructions POSSIBLE or CERTAIN, POS.
No reading of the sentence can satisfy both, so a cue that gains in one corpus loses in the
others; and about 50 non-certain gold mentions carry no cue at all (an object of a verb of
negotiating or applying, read as not yet done).
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from ..errors import EvalError
from .common import read_gold_lines
from ..extract.factuality import factuality

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

    from ..types import PathLike

LOGGER = logging.getLogger(__name__)

ATTRIBUTES = ("certainty", "polarity", "time")
GOLD_VALUES = {
    "certainty": {"CERTAIN": "certain", "PROBABLE": "probable", "POSSIBLE": "possible",
                  "UNDERSPECIFIED": "underspecified"},
    "polarity": {"POS": "positive", "NEG": "negative", "UNDERSPECIFIED": "underspecified"},
    "time": {"NON_FUTURE": "non_future", "FUTURE": "future", "UNDERSPECIFIED": "underspecified"},
}
# Words that are never the head of an event mention: "in control", "re-open".
FUNCTION_POS = frozenset({"PUNCT", "DET", "ADP", "PART", "CCONJ", "SCONJ", "SYM", "SPACE", "X"})
MAX_DEPTH = 64
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
    unannotated: Counter[str] = Counter()
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
    return iter(read_gold_lines(path, _parse_record, code="E161", what="MEANTIME"))


def _parse_record(line: str, where: str) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as e:
        raise EvalError(f"{where}: not JSON ({e})") from e
    if not isinstance(record, dict) or not isinstance(record.get("text"), str) or not isinstance(
        record.get("events"), list
    ):
        raise EvalError(f"{where}: a document needs 'text' and 'events'")
    return record


def _predict(record: dict[str, Any], doc: Doc) -> Iterator[tuple[dict[str, Any], dict[str, str] | None]]:
    """Each gold event with our prediction, or None where its offsets match no token."""
    for event in record["events"]:
        trigger = mention_head(doc, event)
        if trigger is None:
            LOGGER.debug("event %r at %s:%s matches no token", event.get("text"),
                         event["start"], event["end"])
            yield event, None
            continue
        fact = factuality(trigger)
        yield event, {"certainty": fact.certainty, "polarity": fact.polarity,
                      "time": PREDICTED_TIME[fact.time]}


def mention_head(doc: Doc, event: dict[str, Any]) -> "Token | None":
    """The head token of a gold mention: its highest content word in the parse.

    Only the mention's own pieces count (`token_spans` for a discontinuous mention); function
    words (`in control`, `re-open`) are passed over unless nothing else is left; of two
    equally high words (`opened ... closed`), the first.
    """
    pieces = event.get("token_spans") or [[event["start"], event["end"]]]
    tokens: list[Token] = []
    for start, end in pieces:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            tokens.extend(t for t in span if t not in tokens)
    if not tokens:
        return None
    content = [t for t in tokens if t.pos_ not in FUNCTION_POS and not t.is_punct] or tokens
    return min(content, key=lambda t: (_depth(t), t.i))


def _depth(token: Token) -> int:
    depth = 0
    while token.head.i != token.i and depth < MAX_DEPTH:
        token, depth = token.head, depth + 1
    return depth


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
