"""The model's rule-based components as cached lookups: the same output in a fraction of the time.

The attribute ruler: spaCy's `AttributeRuler` runs a `Matcher` holding every rule (179 in en_core_web_sm: the tag
map, then exceptions) over every token and builds a `Span` per match to set the attributes;
that is 15% of what parsing an article costs. Nearly all the rules look at one token only,
at its tag, lower-case form, dependency label or whitespace flag, so what they assign is a
function of those few values: `AttributeLookup` works it out once per combination and keeps
it. Rules it cannot read that way (several tokens, operators, other attributes) still run
through a `Matcher` of their own, and every token gets exactly what the ruler would give it:
the rules apply in the ruler's order, later ones winning, as in `AttributeRuler.match`.

The rule lemmatizer: an English lemma is a function of the word, its part of speech and its
morphology, yet spaCy's `Lemmatizer` remembers only some of its answers and sets each token's
lemma through a `Token`. `LemmaLookup` remembers every answer and sets a document's lemmas in
one array.

`use_lookups` (called by `load_nlp`) puts each lookup after the component it replaces and
disables that component; a pipeline without spaCy's own components is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, NamedTuple, TypeGuard

from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, NORM, ORTH, POS, TAG
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Span
from spacy.tokens._retokenize import set_token_attrs

if TYPE_CHECKING:
    from spacy.tokens import Doc

# Token attributes a one-token rule may test for the lookup to handle it (spaCy's name -> id).
READABLE: dict[str, int] = {"TAG": TAG, "LOWER": LOWER, "DEP": DEP, "IS_SPACE": IS_SPACE, "ORTH": ORTH,
            "TEXT": ORTH, "NORM": NORM, "POS": POS, "LEMMA": LEMMA}
FLAGS = frozenset({"IS_SPACE"})  # read as booleans

# Combinations of values remembered at most, per lookup (each ~0.3 KB; emptied when full).
CACHE_LIMIT = 50_000

Test = Callable[[object], bool]

# The number that marks a token able to start a pattern of the residual matcher (rules are >= 0).
STARTS = -1


class Rule(NamedTuple):
    number: int  # the ruler's number for it: later numbers win
    tests: list[tuple[int, Test]]  # (attribute, test of its value)
    anchor: tuple[int, frozenset] | None  # (attribute, values it must have), for the index


class AttributeLookup:
    """What `ruler` assigns, looked up per combination of the values its rules test."""

    def __init__(self, ruler: AttributeRuler, name: str = "newsgraph_attribute_lookup") -> None:
        self.name = name
        self.vocab = ruler.vocab
        self._attrs: list[dict] = ruler.attrs
        self._indices: list[int] = ruler.indices
        self._residual = Matcher(ruler.vocab)
        residual: list[list[dict]] = []
        rules = [rule for number in range(len(ruler.attrs))
                 for rule in self._compile(number, ruler.matcher.get(str(number))[1], residual)]
        # the residual matcher runs only on documents with a token that can start one of its
        # patterns: STARTS marks such tokens among the numbers looked up for them
        starters = [_one_token_rule(STARTS, pattern[:1]) if "OP" not in pattern[0] else None
                    for pattern in residual]
        self._residual_always = any(starter is None for starter in starters)
        rules += [starter for starter in starters if starter is not None]
        self._columns = sorted({attr for rule in rules for attr, _ in rule.tests}) or [ORTH]
        # rules by a value they need (TAG "NN"), so a new combination checks only those that may
        # match; rules without such a value are checked every time
        self._anchored: dict[tuple[int, object], list[Rule]] = {}
        self._unanchored = [rule for rule in rules if rule.anchor is None]
        for rule in rules:
            if rule.anchor is not None:
                attr, values = rule.anchor
                for value in values:
                    self._anchored.setdefault((attr, value), []).append(rule)
        self._cache: dict[tuple, tuple[int, ...]] = {}  # tested values -> numbers of matching rules
        self._merged: dict[tuple[int, ...], dict] = {}  # numbers of rules -> what they assign

    def _compile(self, number: int, patterns: list[list[dict]], residual: list[list[dict]]) -> Iterator[Rule]:
        for pattern in patterns:
            rule = _one_token_rule(number, pattern) if self._indices[number] in (0, -1) else None
            if rule is None:  # several tokens, or tests this lookup does not read: the matcher's job
                self._residual.add(str(number), [pattern])
                residual.append(pattern)
            else:
                yield rule

    def __call__(self, doc: "Doc") -> "Doc":
        rows = doc.to_array([*self._columns]).tolist()  # a list of ids: spaCy's stubs want list[int | str]
        if len(self._columns) == 1:
            rows = [[value] for value in rows]
        found = [self._numbers(tuple(row)) for row in rows]
        starts = self._residual_always or any(numbers and numbers[0] == STARTS for numbers in found)
        extra = self._residual_matches(doc) if starts else {}
        for i, numbers in enumerate(found):
            if i in extra:
                numbers = tuple(sorted(set(numbers) | extra[i]))
            if numbers and numbers != (STARTS,):
                attrs = self._merged.get(numbers)
                set_token_attrs(doc[i], attrs if attrs is not None else self._merge(numbers))
        return doc

    def pipe(self, docs: Iterable["Doc"], batch_size: int = 128) -> Iterator["Doc"]:
        for doc in docs:
            yield self(doc)

    def _numbers(self, key: tuple) -> tuple[int, ...]:
        """The numbers of the one-token rules that match a token with these values, in order."""
        numbers = self._cache.get(key)
        if numbers is None:
            values = {attr: self._value(attr, hashed) for attr, hashed in zip(self._columns, key)}
            candidates = list(self._unanchored)
            for attr, value in values.items():
                candidates += self._anchored.get((attr, value), ())
            numbers = tuple(sorted({rule.number for rule in candidates
                                    if all(test(values[attr]) for attr, test in rule.tests)}))
            if len(self._cache) >= CACHE_LIMIT:
                self._cache.clear()
            self._cache[key] = numbers
        return numbers

    def _value(self, attr: int, value: int) -> object:
        return bool(value) if attr == IS_SPACE else self.vocab.strings[value] if value else ""

    def _merge(self, numbers: tuple[int, ...]) -> dict:
        """What the rules `numbers` assign together, applied in order (later ones win)."""
        merged: dict = {}
        for number in numbers:
            if number != STARTS:
                merged.update(self._attrs[number])
        self._merged[numbers] = merged
        return merged

    def _residual_matches(self, doc: "Doc") -> dict[int, set[int]]:
        """Token index -> numbers of the rules the residual matcher found for it."""
        found: dict[int, set[int]] = {}
        for match_id, start, end in self._residual(doc, allow_missing=True, as_spans=False):
            number = int(self.vocab.strings[match_id])
            try:
                token = Span(doc, start, end)[self._indices[number]]
            except IndexError:
                raise ValueError(f"attribute rule {number}: index {self._indices[number]} is outside "
                                 f"its match {doc[start:end].text!r}") from None
            found.setdefault(token.i, set()).add(number)
        return found


def _one_token_rule(number: int, pattern: list[dict]) -> Rule | None:
    """`pattern` as a Rule, or None when the lookup cannot evaluate it."""
    if len(pattern) != 1:
        return None
    tests, anchor = [], None
    for name, wanted in pattern[0].items():
        attr = READABLE.get(name.upper())
        test = _test(wanted, flag=name.upper() in FLAGS) if attr is not None else None
        if attr is None or test is None:
            return None
        tests.append((attr, test))
        values = _required_values(wanted)
        if anchor is None and values is not None:
            anchor = (attr, values)
    return Rule(number, tests, anchor)


def _required_values(wanted: object) -> frozenset | None:
    """The values a test accepts, when it names them all (equality, IN)."""
    if isinstance(wanted, (str, bool)):
        return frozenset([wanted])
    if isinstance(wanted, dict) and set(wanted) == {"IN"} and _strings(wanted["IN"]):
        return frozenset(wanted["IN"])
    return None


def _test(wanted: object, *, flag: bool) -> Test | None:
    if flag:
        return (lambda value: value is wanted) if isinstance(wanted, bool) else None
    if isinstance(wanted, str):
        return lambda value: value == wanted
    if not isinstance(wanted, dict) or len(wanted) != 1:
        return None
    ((op, arg),) = wanted.items()
    if op == "IN" and _strings(arg):
        members = frozenset(arg)
        return lambda value: value in members
    if op == "NOT_IN" and _strings(arg):
        members = frozenset(arg)
        return lambda value: value not in members
    if op == "REGEX" and isinstance(arg, str):
        search = re.compile(arg).search
        return lambda value: isinstance(value, str) and search(value) is not None
    return None


def _strings(values: object) -> bool:
    return isinstance(values, (list, tuple)) and all(isinstance(v, str) for v in values)


@Language.factory("newsgraph_attribute_lookup", assigns=["token.pos", "token.morph", "token.lemma", "token.tag"])
def make_attribute_lookup(nlp: Language, name: str) -> AttributeLookup:
    ruler = nlp.get_pipe("attribute_ruler")
    if not isinstance(ruler, AttributeRuler):
        raise TypeError(f"'attribute_ruler' is a {type(ruler).__name__}, not spaCy's AttributeRuler")
    return AttributeLookup(ruler, name)


class LemmaLookup:
    """What a rule lemmatizer gives each (word, part of speech, morphology), remembered."""

    def __init__(self, lemmatizer: Lemmatizer, name: str = "newsgraph_lemma_lookup") -> None:
        self.name = name
        self._lemmatizer = lemmatizer
        self._strings = lemmatizer.vocab.strings
        self._cache: dict[tuple[int, int, int], str] = {}

    def __call__(self, doc: "Doc") -> "Doc":
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = rows[:, 3].copy()
        overwrite = self._lemmatizer.overwrite
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if lemma and not overwrite:  # set before (by the attribute ruler): kept, as spaCy does
                continue
            found = self._cache.get((orth, pos, morph))
            if found is None:
                found = self._remember((orth, pos, morph), self._lemmatizer.lemmatize(doc[i])[0])
            lemmas[i] = self._strings.add(found)
        doc.from_array([LEMMA], lemmas.reshape(-1, 1))  # type: ignore[arg-type]  # stubs: to_array gives floats; these are uint64 ids
        return doc

    def pipe(self, docs: Iterable["Doc"], batch_size: int = 128) -> Iterator["Doc"]:
        for doc in docs:
            yield self(doc)

    def _remember(self, key: tuple[int, int, int], lemma: str) -> str:
        if len(self._cache) >= CACHE_LIMIT:
            self._cache.clear()
            self._lemmatizer.cache.clear()  # spaCy's own, which would grow with the vocabulary
        self._cache[key] = lemma
        return lemma


@Language.factory("newsgraph_lemma_lookup", assigns=["token.lemma"])
def make_lemma_lookup(nlp: Language, name: str) -> LemmaLookup:
    lemmatizer = nlp.get_pipe("lemmatizer")
    if not _rule_lemmatizer(lemmatizer):
        raise TypeError("'lemmatizer' is not spaCy's rule lemmatizer")
    return LemmaLookup(lemmatizer, name)


def _rule_lemmatizer(component: object) -> TypeGuard[Lemmatizer]:
    # only spaCy's own classes: a subclass may read more of a token than word, POS and morphology
    return isinstance(component, Lemmatizer) and type(component) in (Lemmatizer, EnglishLemmatizer) \
        and component.mode == "rule"


def use_lookups(nlp: Language) -> None:
    """Run the lookups in place of the pipeline's attribute ruler and rule lemmatizer (where it
    has spaCy's own)."""
    components = dict(nlp.pipeline)
    if "newsgraph_attribute_lookup" not in nlp.component_names and \
            isinstance(components.get("attribute_ruler"), AttributeRuler):
        nlp.add_pipe("newsgraph_attribute_lookup", after="attribute_ruler")
        nlp.disable_pipe("attribute_ruler")
    if "newsgraph_lemma_lookup" not in nlp.component_names and _rule_lemmatizer(components.get("lemmatizer")):
        nlp.add_pipe("newsgraph_lemma_lookup", after="lemmatizer")
        nlp.disable_pipe("lemmatizer")
