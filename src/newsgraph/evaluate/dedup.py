"""Duplicate families on a news corpus: the exact duplicates it holds, and generated rewrites.

Two measurements on one corpus (Reuters-21578 in practice, read with `read_sources`):

* **Exact duplicates.** Stories whose bodies are identical, counted three ways, because the
  numbers differ: *groups* (bodies that occur more than once), *pairs* (every two stories of
  a group) and *redundant copies* (stories beyond the first of each group). On Reuters-21578
  byte-identical bodies make 263 groups, 268 pairs and 265 redundant copies; after
  `normalise_for_identity` (case, quotes, whitespace) more bodies coincide. The report gives
  how many of these pairs a `FamilyIndex` over the whole corpus puts in one family.
* **Rewrites.** `sample` stories (at least `MIN_SENTENCES` sentences and `MIN_WORDS` words,
  one per distinct text) are copied with one kind of edit at one rate, and mixed with
  `sample` unrelated stories (any length). Kinds: ``drop`` (round(rate x sentences)
  sentences removed, at least one), ``reorder`` (round(rate x sentences) sentences, at least
  two, rotated so each moves), ``substitute`` (round(rate x words) words replaced by random
  corpus words) and ``mixed`` (all three at that rate). For each kind and rate a fresh index
  holds the originals and distractors, then the rewrites are added one at a time. Scores are
  pairwise over families: a predicted pair is two articles in one family; it is right when
  they are a story and its rewrite. ``recall`` = rewrites found in their original's family /
  rewrites; ``precision`` = right pairs / predicted pairs. Predicted pairs between two corpus
  stories (Reuters' own re-issued stories) are wrong by this definition and counted apart as
  ``corpus_pairs`` so a reader can see how much of the precision loss they are.

Everything is deterministic for a given seed.
"""

from __future__ import annotations

import logging
import random
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import EvalError
from ..store.families import FamilyIndex, FamilyRows
from ..identity import make_article, normalise_for_identity
from ..settings import load_settings
from ..sources import read_sources
from ..types import RawArticle

if TYPE_CHECKING:
    from ..types import PathLike

LOGGER = logging.getLogger(__name__)

__all__ = [
    "KINDS", "RATES", "Story", "evaluate_dedup", "exact_duplicate_report", "read_stories",
    "rewrite", "score_families", "split_sentences",
]

KINDS = ("drop", "reorder", "substitute", "mixed")
RATES = (0.05, 0.1, 0.2, 0.3, 0.5)
MIN_SENTENCES = 4
MIN_WORDS = 80

# A sentence ends at . ! or ? followed by space and a capital, digit or quote; good enough to
# cut news copy into units to drop or move (an abbreviation split too early only makes a unit
# shorter).
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'A-Z0-9])")


@dataclass(frozen=True, slots=True)
class Story:
    """One corpus story: its reader source (unique), raw body and cleaned body."""

    id: str
    raw: str
    text: str


def read_stories(path: PathLike) -> list[Story]:
    """Stories with a body from a corpus file `read_sources` can read (records without one are skipped).

    Raises:
        EvalError: the file is missing.
    """
    path = Path(path)
    if not path.is_file():
        raise EvalError(f"E130: corpus {path} not found. Give the path of reuters21578.jsonl.gz or similar.")
    stories = []
    for item in read_sources([str(path)], settings=load_settings()):
        if isinstance(item, RawArticle):
            stories.append(Story(item.source, item.text, make_article(item).text))
    return stories


# --------------------------------------------------------------------------- exact duplicates


def _duplicate_groups(stories: list[Story], key: Callable[[Story], str]) -> list[list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for story in stories:
        groups[key(story)].append(story.id)
    return [ids for ids in groups.values() if len(ids) > 1]


def _group_counts(groups: list[list[str]]) -> dict[str, int]:
    return {"groups": len(groups), "pairs": sum(len(g) * (len(g) - 1) // 2 for g in groups),
            "redundant_copies": sum(len(g) - 1 for g in groups)}


def exact_duplicate_report(stories: list[Story], index: FamilyIndex) -> dict[str, Any]:
    """Exact-duplicate bodies in the corpus and how many pairs `index` puts in one family."""
    report = {}
    for name, key in (("byte_identical", lambda s: s.raw), ("normalised", lambda s: normalise_for_identity(s.text))):
        groups = _duplicate_groups(stories, key)
        counts = _group_counts(groups)
        pairs = [(a, b) for g in groups for i, a in enumerate(g) for b in g[i + 1 :]]
        counts["pairs_in_one_family"] = sum(index.family_of(a) == index.family_of(b) for a, b in pairs)
        report[name] = counts
    return report


# --------------------------------------------------------------------------- rewrites


def split_sentences(text: str) -> list[str]:
    """Sentences of a text, whitespace collapsed."""
    return [s for s in _SENTENCE_END.split(" ".join(text.split())) if s]


def rewrite(text: str, kind: str, rate: float, rng: random.Random, vocabulary: list[str]) -> str:
    """A copy of `text` with one kind of edit (see the module docstring) at `rate`.

    Raises:
        EvalError: `kind` is not one of `KINDS`.
    """
    if kind == "mixed":
        for step in ("drop", "reorder", "substitute"):
            text = rewrite(text, step, rate, rng, vocabulary)
        return text
    if kind == "substitute":
        return _substitute(text, rate, rng, vocabulary)
    sentences = split_sentences(text)
    if kind == "drop":
        return " ".join(_drop(sentences, rate, rng))
    if kind == "reorder":
        return " ".join(_reorder(sentences, rate, rng))
    raise EvalError(f"E131: unknown rewrite kind {kind!r}; use one of {', '.join(KINDS)}")


def _drop(sentences: list[str], rate: float, rng: random.Random) -> list[str]:
    if len(sentences) < 2:
        return sentences
    k = min(len(sentences) - 1, max(1, round(rate * len(sentences))))
    gone = set(rng.sample(range(len(sentences)), k))
    return [s for i, s in enumerate(sentences) if i not in gone]


def _reorder(sentences: list[str], rate: float, rng: random.Random) -> list[str]:
    if len(sentences) < 2:
        return sentences
    k = min(len(sentences), max(2, round(rate * len(sentences))))
    slots = sorted(rng.sample(range(len(sentences)), k))
    moved = slots[1:] + slots[:1]  # rotation: every chosen sentence changes place
    out = list(sentences)
    for slot, source in zip(slots, moved):
        out[slot] = sentences[source]
    return out


def _substitute(text: str, rate: float, rng: random.Random, vocabulary: list[str]) -> str:
    words = text.split()
    if not words:
        return text
    k = max(1, round(rate * len(words)))
    for i in rng.sample(range(len(words)), min(k, len(words))):
        replacement = rng.choice(vocabulary)
        while replacement == words[i] and len(vocabulary) > 1:
            replacement = rng.choice(vocabulary)
        words[i] = replacement
    return " ".join(words)


# --------------------------------------------------------------------------- scoring


def score_families(families: Iterable[list[str]], label: dict[str, str], *, rewrites: Iterable[str],
                   corpus: set[str]) -> dict[str, Any]:
    """Pairwise precision and recall of families against gold labels.

    Args:
        families: predicted families (lists of ids); singletons may be left out.
        label: gold label of each id; a rewrite carries its original's label.
        rewrites: ids of the rewrites; each makes one gold pair with its original.
        corpus: ids of the corpus stories (originals and distractors).

    Returns:
        ``predicted_pairs``, ``true_pairs``, ``gold_pairs``, ``precision``, ``recall``, ``f1``,
        and ``corpus_pairs``: wrong pairs whose two articles are both corpus stories.
    """
    predicted = right = corpus_pairs = 0
    for family in families:
        for i, a in enumerate(family):
            for b in family[i + 1 :]:
                predicted += 1
                if label[a] == label[b]:
                    right += 1
                elif a in corpus and b in corpus:
                    corpus_pairs += 1
    gold = sum(1 for _ in rewrites)
    precision = right / predicted if predicted else 1.0
    recall = right / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"predicted_pairs": predicted, "true_pairs": right, "gold_pairs": gold, "corpus_pairs": corpus_pairs,
            "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def _sample(stories: list[Story], sample: int, rng: random.Random) -> tuple[list[Story], list[Story]]:
    """(originals, distractors): distinct texts, originals long enough to edit."""
    distinct = list({normalise_for_identity(s.text): s for s in stories}.values())
    eligible = [s for s in distinct if len(split_sentences(s.text)) >= MIN_SENTENCES
                and len(s.text.split()) >= MIN_WORDS]
    originals = rng.sample(eligible, min(sample, len(eligible)))
    chosen = {s.id for s in originals}
    rest = [s for s in distinct if s.id not in chosen]
    return originals, rng.sample(rest, min(sample, len(rest)))


def _condition(base_rows: FamilyRows, originals: list[Story], corpus: set[str], kind: str, rate: float,
               seed: int, vocabulary: list[str]) -> dict[str, Any]:
    rng = random.Random(f"{seed}:{kind}:{rate}")
    index = FamilyIndex.from_rows(base_rows)
    label = {a: a for a in corpus}
    rewrites, changed = [], 0
    reasons: Counter[str] = Counter()
    for story in originals:
        copy = rewrite(story.text, kind, rate, rng, vocabulary)
        rid = f"rewrite:{story.id}"
        label[rid] = story.id
        rewrites.append(rid)
        changed += normalise_for_identity(copy) != normalise_for_identity(story.text)
        assignment = index.add(rid, copy)
        if index.family_of(rid) == index.family_of(story.id):
            reasons[assignment.reason] += 1
    families = [f for f in index.families().values() if len(f) > 1]
    scores = score_families(families, label, rewrites=rewrites, corpus=corpus)
    return {"kind": kind, "rate": rate, "rewrites": len(rewrites), "changed": changed, **scores,
            "found_by": dict(reasons)}


def evaluate_dedup(path: PathLike, *, sample: int = 2000, seed: int = 0,
                   kinds: Iterable[str] = KINDS, rates: Iterable[float] = RATES) -> dict[str, Any]:
    """Exact duplicates and the rewrite benchmark on one corpus.

    Args:
        path: a corpus `read_sources` reads (``raw_corpus/reuters21578.jsonl.gz``).
        sample: originals to rewrite, and as many unrelated stories mixed in.
        seed: seed of every random choice.
        kinds: rewrite kinds to run (see `KINDS`).
        rates: edit rates to run.

    Returns:
        ``{"corpus": {...}, "exact_duplicates": {...}, "rewrites": [one dict per kind and rate]}``.
    """
    stories = read_stories(path)
    start = time.perf_counter()
    index = FamilyIndex()
    reasons = Counter(index.add(s.id, s.text).reason for s in stories)
    seconds = time.perf_counter() - start
    multi = [f for f in index.families().values() if len(f) > 1]
    corpus_report = {"stories": len(stories), "families": len(index.families()),
                     "families_with_copies": len(multi), "stories_in_those": sum(map(len, multi)),
                     "assignments": dict(reasons), "build_seconds": round(seconds, 2)}
    rng = random.Random(seed)
    originals, distractors = _sample(stories, sample, rng)
    vocabulary = [w for s in distractors for w in s.text.split()]
    base = FamilyIndex()
    for story in rng.sample(originals + distractors, len(originals) + len(distractors)):
        base.add(story.id, story.text)
    corpus = {s.id for s in originals + distractors}
    base_rows = base.to_rows()
    results = [_condition(base_rows, originals, corpus, kind, rate, seed, vocabulary)
               for kind in kinds for rate in rates]
    return {"corpus": corpus_report, "exact_duplicates": exact_duplicate_report(stories, index),
            "sample": {"originals": len(originals), "distractors": len(distractors), "seed": seed},
            "rewrites": results}
