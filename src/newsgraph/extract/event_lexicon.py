"""The event lexicon: CAMEO codes, the CAMEO → PLOVER table, predicate patterns, governors, agents.

Everything lives in TSV files under `newsgraph/data/events/` (documented in its README.md) and is
loaded once per process. Users extend it as PETRARCH users extend its dictionaries: pass their own
files, named after the packaged file they extend (`my_predicates.tsv`, `extra_agents.tsv`, …), to
`load_event_lexicon(extra=[...])`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..errors import LexiconError

LOGGER = logging.getLogger(__name__)

DATA_PACKAGE = "newsgraph.data.events"
# Kinds of file in load order; a file, packaged or the user's, is routed by the kind its name ends
# with. A kind's packaged files load in name order after the file named exactly as the kind
# (predicates.tsv, then cameo01_predicates.tsv … cameo20_predicates.tsv).
KINDS = (
    "cameo_codes.tsv",
    "cameo_plover.tsv",
    "predicates.tsv",
    "governors.tsv",
    "governor_codes.tsv",
    "agents.tsv",
    "actors.tsv",
)
ROLE_FLAGS = frozenset({"theme", "swap", "sym", "solo", "light", "armed"})
GOVERNOR_CLASSES = frozenset(
    {"modal", "intent", "appeal", "demand", "refuse", "threat", "deny", "factive", "report"}
)


@dataclass(frozen=True, slots=True)
class CodeInfo:
    """What newsgraph knows about one CAMEO code."""

    code: str
    name: str
    goldstein: float
    quad_class: int
    plover_type: str
    plover_mode: str | None
    plover_context: str | None


@dataclass(frozen=True, slots=True)
class Predicate:
    """One lexicon entry: a trigger lemma with constraints, and the CAMEO code it yields."""

    pos: str  # "V" or "N"
    lemma: str
    code: str
    prt: frozenset[str] = frozenset()
    prep: frozenset[str] = frozenset()
    obj: frozenset[str] = frozenset()
    flags: frozenset[str] = frozenset()
    tprep: frozenset[str] = frozenset()
    comp: frozenset[str] = frozenset()  # clausal complement: "that" (a that-clause) or "to" (to-infinitive)
    subj: frozenset[str] = frozenset()  # the verb's subject ("protesters gathered"; verbs only)

    @property
    def specificity(self) -> int:
        return bool(self.prt) + bool(self.prep) + bool(self.obj) + bool(self.comp) + bool(self.subj)


@dataclass(slots=True)
class EventLexicon:
    """All the data the event coder reads; build it with `load_event_lexicon`."""

    codes: dict[str, CodeInfo] = field(default_factory=dict)
    verbs: dict[str, list[Predicate]] = field(default_factory=dict)
    nouns: dict[str, list[Predicate]] = field(default_factory=dict)
    governors: dict[str, str] = field(default_factory=dict)
    governor_codes: dict[tuple[str, str], str] = field(default_factory=dict)
    agents: dict[str, str] = field(default_factory=dict)  # phrase -> sector code
    actors: dict[str, str] = field(default_factory=dict)  # phrase -> actor code
    max_agent_words: int = 1

    def info(self, code: str) -> CodeInfo:
        """The CodeInfo of `code`, falling back to its nearest listed parent."""
        for length in range(len(code), 1, -1):
            found = self.codes.get(code[:length])
            if found is not None:
                return found
        raise LexiconError(f"E308: unknown CAMEO code {code!r}; add it to cameo_codes.tsv")

    def recode(self, governor_class: str, code: str) -> str:
        """The code an event `code` gets when governed by a verb of `governor_class`."""
        table = self.governor_codes
        return table.get((governor_class, code[:2])) or table.get((governor_class, "*")) or code

    def agent_sector(self, words: Sequence[str]) -> str | None:
        """The sector code of the longest agent phrase in `words` (lower-case lemmas or forms)."""
        best: tuple[int, str] | None = None
        for i in range(len(words)):
            for n in range(min(self.max_agent_words, len(words) - i), 0, -1):
                code = self.agents.get(" ".join(words[i : i + n]))
                if code and (best is None or n > best[0]):
                    best = (n, code)
                    break
        return best[1] if best else None


@dataclass(frozen=True, slots=True)
class CodeCoverage:
    """One CAMEO code with how many lexicon patterns code it (a root counts its whole family)."""

    code: str
    name: str
    goldstein: float
    plover_type: str
    verb_patterns: int
    noun_patterns: int

    @property
    def covered(self) -> bool:
        return self.verb_patterns + self.noun_patterns > 0


def code_coverage(lex: EventLexicon | None = None) -> list[CodeCoverage]:
    """Every code of the codes table, in code order, with its verb and noun pattern counts.

    A two-digit root counts the patterns of every code under it; other codes count their own.
    """
    lex = lex or load_event_lexicon()
    verbs: dict[str, int] = {}
    nouns: dict[str, int] = {}
    for table, counts in ((lex.verbs, verbs), (lex.nouns, nouns)):
        for entries in table.values():
            for entry in entries:
                counts[entry.code] = counts.get(entry.code, 0) + 1

    def count(counts: dict[str, int], code: str) -> int:
        if len(code) == 2:
            return sum(n for c, n in counts.items() if c[:2] == code)
        return counts.get(code, 0)

    return [CodeCoverage(code, info.name, info.goldstein, info.plover_type,
                         count(verbs, code), count(nouns, code))
            for code, info in sorted(lex.codes.items())]


def quad_class(root: str) -> int:
    """CAMEO quad class of a root code: 1 verbal coop., 2 material coop., 3 verbal conflict, 4 material conflict."""
    value = int(root)
    return 1 if value <= 5 else 2 if value <= 8 else 3 if value <= 13 else 4


def _rows(lines: Iterable[str], source: str, min_cols: int) -> Iterable[list[str]]:
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.rstrip("\n").split("\t")
        if len(cols) < min_cols:
            raise LexiconError(
                f"E302: {source}:{number}: expected {min_cols} tab-separated columns, got {len(cols)}"
            )
        yield cols


def _set(value: str) -> frozenset[str]:
    return frozenset() if value in ("", "-") else frozenset(value.lower().split("|"))


def parse_predicate(cols: list[str], source: str) -> list[Predicate]:
    """Predicates from one predicates.tsv row (VN rows give two)."""
    pos, lemma, requires, code, roles = (cols + ["-"])[:5]
    if not (code.isdigit() and len(code) in (3, 4)):
        # a row that lost a column shifts the roles into the code's place: say so, never load it
        raise LexiconError(f"E309: {source}: {lemma!r} has {code!r} where its CAMEO code belongs "
                           "(columns: pos, lemma, requires, code, roles; use - for an empty one)")
    req: dict[str, frozenset[str]] = {}
    for item in requires.split() if requires != "-" else ():
        key, _, value = item.partition("=")
        if key not in ("prt", "prep", "obj", "comp", "subj"):
            raise LexiconError(f"E303: {source}: unknown constraint {item!r} (use prt=, prep=, obj=, comp=, subj=)")
        req[key] = _set(value) if value != "-" else frozenset({"-"})
    flags: set[str] = set()
    tprep: frozenset[str] = frozenset()
    for role in roles.split(",") if roles.strip() not in ("", "-") else ():
        role = role.strip()
        if role.startswith("tprep="):
            tprep = _set(role[6:])
        elif role in ROLE_FLAGS:
            flags.add(role)
        else:
            raise LexiconError(f"E304: {source}: unknown role {role!r}")
    words = lemma.lower().split()
    if len(words) > 1:  # "car bomb": head "bomb" with a compound "car"
        req["obj"] = req.get("obj", frozenset()) | {words[0]}
    obj = req.get("obj", frozenset())
    return [
        Predicate(p, words[-1], code, req.get("prt", frozenset()), req.get("prep", frozenset()),
                  obj, frozenset(flags), tprep, req.get("comp", frozenset()), req.get("subj", frozenset()))
        for p in pos.upper()
        if p in "VN"
    ]


def _plural_forms(phrase: str) -> list[str]:
    words = phrase.split()
    last = words[-1]
    plural = last[:-1] + "ies" if last.endswith("y") and last[-2:-1] not in "aeiou" else (
        last + "es" if last.endswith(("s", "sh", "ch", "x")) else last + "s"
    )
    return [phrase, " ".join(words[:-1] + [plural])]


def _load_file(lex: EventLexicon, kind: str, lines: Iterable[str], source: str) -> None:
    if kind == "cameo_codes.tsv":
        for code, name, goldstein in _rows(lines, source, 3):
            score = float(goldstein) if goldstein else 0.0
            lex.codes[code] = CodeInfo(code, name, score, quad_class(code[:2]), "", None, None)
    elif kind == "cameo_plover.tsv":
        for code, typ, mode, *rest in _rows(lines, source, 3):
            base = lex.codes.get(code)
            if base is None:
                continue
            ctx = rest[0] if rest else ""
            lex.codes[code] = CodeInfo(base.code, base.name, base.goldstein, base.quad_class,
                                       typ, mode or None, ctx or None)
    elif kind == "predicates.tsv":
        for cols in _rows(lines, source, 4):
            for pred in parse_predicate(cols, source):
                predicates = lex.verbs if pred.pos == "V" else lex.nouns
                predicates.setdefault(pred.lemma, []).append(pred)
    elif kind == "governors.tsv":
        for lemma, cls in _rows(lines, source, 2):
            if cls not in GOVERNOR_CLASSES:
                raise LexiconError(f"E305: {source}: unknown governor class {cls!r}")
            lex.governors[lemma.lower()] = cls
    elif kind == "governor_codes.tsv":
        for cls, root, code in _rows(lines, source, 3):
            lex.governor_codes[(cls, root)] = code
    elif kind in ("agents.tsv", "actors.tsv"):
        table = lex.actors if kind == "actors.tsv" else lex.agents
        for phrase, code, *_ in _rows(lines, source, 2):
            if code.upper() in ("UNK", "JNK", "NON"):
                continue
            for form in _plural_forms(phrase.lower()) if kind != "actors.tsv" else [phrase.lower()]:
                table[form] = code.upper()
            lex.max_agent_words = max(lex.max_agent_words, len(phrase.split()))


def _kind_of(path: str) -> str:
    name = Path(path).name
    for kind in sorted(KINDS, key=len, reverse=True):
        if name.endswith(kind):
            return kind
    raise LexiconError(
        f"E306: cannot tell what lexicon file {path!r} extends; end its name with one of {', '.join(KINDS)}"
    )


def packaged_files(kind: str) -> list[str]:
    """Names of the packaged files of `kind`, in load order: the file named `kind`, then the rest by name."""
    names = [f.name for f in resources.files(DATA_PACKAGE).iterdir()
             if f.name.endswith(".tsv") and f.name != kind and _kind_of(f.name) == kind]
    return [kind, *sorted(names)]


def _fill_plover_gaps(lex: EventLexicon) -> None:
    # Codes missing from the 2021 table take their parent's PLOVER type (1951 -> 195 -> 19).
    for code, info in list(lex.codes.items()):
        if info.plover_type or code[:2] == "01":
            continue
        for length in range(len(code) - 1, 1, -1):
            parent = lex.codes.get(code[:length])
            if parent and parent.plover_type:
                lex.codes[code] = CodeInfo(code, info.name, info.goldstein, info.quad_class,
                                           parent.plover_type, parent.plover_mode, parent.plover_context)
                break


@lru_cache(maxsize=1)
def _packaged() -> EventLexicon:
    lex = EventLexicon()
    folder = resources.files(DATA_PACKAGE)
    for kind in KINDS:
        for name in packaged_files(kind):
            _load_file(lex, kind, folder.joinpath(name).read_text(encoding="utf-8").splitlines(), name)
    _fill_plover_gaps(lex)
    LOGGER.debug("loaded event lexicon: %d codes, %d verb and %d noun lemmas",
                 len(lex.codes), len(lex.verbs), len(lex.nouns))
    return lex


def load_event_lexicon(extra: Sequence[str] = ()) -> EventLexicon:
    """The packaged event lexicon, extended with the user files `extra`.

    Args:
        extra: paths of TSV files in the packaged formats; each file's name must end with the
            packaged name it extends (e.g. ``my_predicates.tsv``).

    Returns:
        An EventLexicon. Without `extra`, the same cached object every call.

    Raises:
        LexiconError: a file is missing, unroutable or malformed.
    """
    base = _packaged()
    if not extra:
        return base
    lex = EventLexicon(
        dict(base.codes), {k: list(v) for k, v in base.verbs.items()},
        {k: list(v) for k, v in base.nouns.items()}, dict(base.governors),
        dict(base.governor_codes), dict(base.agents), dict(base.actors), base.max_agent_words,
    )
    for path in extra:
        kind = _kind_of(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as e:
            raise LexiconError(f"E307: cannot read lexicon file {path!r}: {e}") from e
        _load_file(lex, kind, text.splitlines(), path)
    _fill_plover_gaps(lex)
    return lex

