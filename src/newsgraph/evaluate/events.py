"""Event coding against the gold formats in ``bench-data/events`` (JSON Lines).

Two formats are read:

* **PETRARCH validation records** (``petrarch2_unittest.jsonl``, ``ud_petrarch_validate_2_02.jsonl``):
  ``text``, ``date``, ``expected`` (a list of ``source``/``target``/``code``), ``no_event``,
  ``evaluate``. Their fictional actors (Arnor = ARN, Gondor = GON …) come from
  ``petr_validation_dictionaries.json`` beside the file, loaded automatically; as in PETRARCH
  (``require_dyad``) only events with both a source and a target are scored.
* **PLOVER records** (``plover_examples_dev.jsonl``): ``event_type`` (PLOVER 0.5b1 labels are
  normalised: DEMAND → REQUEST, DISAPPROVE and INVESTIGATE → ACCUSE, FIGHT → ASSAULT), ``source``
  and ``target`` actor lists with ``code``/``sector``. Real-world records are scored on the
  product's own path (``resolution="product"``, the default): the actors of the sentence are
  extracted and arguments resolved as ingest does (`extract_actors`, `ArticleResolver` over the
  dictionary resolver, self-targets dropped). ``resolution="dictionary"`` scores the bare
  dictionary resolver (gazetteer + agent lexicon) instead, for comparison.

* **Headline templates** (``ngec_synthetic_headlines.jsonl``): ``text`` with placeholders
  (``{country_1}``, ``{country_2}``, ``{country_3}``, ``{city}``) and an ``event_type``; no actors.
  Placeholders are filled with real names (``fill_placeholders``: our own lists, chosen by a hash of
  the record id, so every run reads the same sentences) and only the PLOVER type is scored.

Scores are micro-averaged over records; within a record predicted and gold items are compared
as sets (root codes, full codes, country dyads, root + dyad, PLOVER types). A dyad compares the
three-letter country (or international) part of the source and target codes (an agent without a
country, "officials", compares as ``---``); a joint PLOVER event without a recipient counts each
ordered pair of its actors. Negated events ("did not attack") stay on the Event but are not scored
as events that happened.

Only **main** events are scored (``Event.main``): the gold sets annotate what a sentence reports,
not its background — a PLOVER record has one event per sentence, and a PETRARCH validation record
lists in ``expected`` the events of the main clauses ("Arnor is about to restore ties with Gondor
almost five years after crowds trashed its embassy" expects the restoration only). Events in
circumstance and relative clauses, and event nouns inside another event's argument, are marked
background by the coder and kept in ingest output, but not scored here. PLOVER records a visit
once, from the visitor's side, so the host's side the coder adds for CAMEO (``Event.mirrored``,
043 for 042) is scored on the PETRARCH suites only.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import EvalError
from ..extract.event_lexicon import EventLexicon, load_event_lexicon
from ..extract.actors import extract_actors
from ..extract.events import ActorRef, DictionaryResolver, Event, EventCoder
from ..extract.references import ArticleResolver

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from ..types import PathLike

LOGGER = logging.getLogger(__name__)

DICTIONARIES_FILE = "petr_validation_dictionaries.json"
PLOVER_LEGACY = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
# older CAMEO / PLOVER country codes and international groupings, compared as one
COUNTRY_ALIASES = {"ITL": "ITA", "JAP": "JPN", "UNO": "IGO", "EUR": "IGO", "IMG": "IGO", "NGM": "NGO"}
METRICS = ("root", "code", "dyad", "root_dyad", "plover")


def _load(path: Path) -> list[dict[str, Any]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise EvalError(f"E401: cannot read gold file {path}: {e}") from e
    try:
        return [json.loads(line) for line in lines if line.strip()]
    except json.JSONDecodeError as e:
        raise EvalError(f"E402: {path} is not JSON Lines ({e})") from e


def _country(code: str | None) -> str:
    if not code:
        return "---"
    head = code[:3].upper()
    return COUNTRY_ALIASES.get(head, head)


# sectors that CAMEO writes in the country slot of an actor without a country ("IGO", "NGO")
INTERNATIONAL_SECTORS = frozenset({"IGO", "NGO", "IMG", "MNC"})


def _actor_country(actor: "ActorRef | None") -> str:
    # an agent without a country ("officials") has no country part to compare; an international
    # organisation ("the UN Security Council" → sector IGO) has its sector there, as CAMEO codes it
    if actor is None:
        return "---"
    if not actor.country:
        sector = (actor.sector or "")[:3].upper()
        return COUNTRY_ALIASES.get(sector, sector) if sector in INTERNATIONAL_SECTORS else "---"
    return _country(actor.code)


# --------------------------------------------------------------------------- PETRARCH dictionaries


def _parse_date(value: str) -> int:
    digits = re.sub(r"\D", "", value)
    if len(digits) == 6:  # PETRARCH's YYMMDD
        digits = ("19" if int(digits[:2]) > 30 else "20") + digits
    return int(digits or 0)


def _dated_code(entry: dict[str, Any], date: int) -> str | None:
    """The code an actor has on `date`, from PETRARCH's dated restrictions."""
    for rule in entry.get("dated_codes") or ():
        rule = rule.strip()
        m = re.match(r"^(\S+)\s*([<>])\s*(\d+)$", rule)
        if m:
            code, op, when = m.group(1), m.group(2), _parse_date(m.group(3))
            if (op == "<" and date < when) or (op == ">" and date > when):
                return code
            continue
        m = re.match(r"^(\S+)\s+(\d+)\s*-\s*(\d+)$", rule) or re.match(r"^(\S+)\s*(\d+)-(\d+)$", rule)
        if m and _parse_date(m.group(2)) <= date <= _parse_date(m.group(3)):
            return m.group(1)
        if re.fullmatch(r"[A-Z-]+", rule):
            return rule
    return entry.get("code")


def dictionary_actors(dictionary: dict[str, Any], date: str) -> dict[str, str]:
    """Phrase → actor code for one record date, from a PETRARCH validation dictionary."""
    when = _parse_date(date or "0")
    table: dict[str, str] = {}
    for entry in dictionary.get("actors", ()):
        code = _dated_code(entry, when)
        if not code or entry["phrase"].startswith("<"):
            continue
        for phrase in [entry["phrase"], *(entry.get("synonyms") or ())]:
            table[phrase.replace("_", " ").lower()] = code.upper()
    return table


def dictionary_lexicon(base: EventLexicon, dictionary: dict[str, Any]) -> EventLexicon:
    """`base` with the dictionary's agents (phrase → sector) added."""
    agents = dict(base.agents)
    longest = base.max_agent_words
    for entry in dictionary.get("agents", ()):
        code = (entry.get("code") or "").lstrip("~")
        if not code:
            continue
        for phrase in [entry["phrase"], *(entry.get("plurals") or ())]:
            words = phrase.replace("_", " ").lower()
            agents[words] = code
            agents[words + "s"] = code
            longest = max(longest, len(words.split()))
    return replace(base, agents=agents, max_agent_words=longest)


# --------------------------------------------------------------------------- gold and predictions


def _plover_gold(record: dict[str, Any]) -> dict[str, set]:
    typ = PLOVER_LEGACY.get(record.get("event_type") or "", record.get("event_type") or "")
    sources = [_country(a.get("code")) for a in record.get("source") or ()]
    targets = [_country(a.get("code")) for a in record.get("target") or ()]
    if targets:
        dyads = {(s, t) for s in sources for t in targets}
    elif len(sources) > 1:
        dyads = {(s, t) for s in sources for t in sources if s != t}
    else:
        dyads = {(s, "---") for s in sources}
    types = {typ} if typ and typ != "CRIME" else set()
    return {"dyad": dyads, "plover": types}


def _petrarch_gold(record: dict[str, Any], lexicon: EventLexicon) -> dict[str, set]:
    items: dict[str, set] = {m: set() for m in METRICS}
    for exp in record.get("expected") or ():
        code = str(exp.get("code") or "")
        dyad = (_country(exp.get("source")), _country(exp.get("target")))
        items["root"].add(code[:2])
        items["code"].add(code)
        items["dyad"].add(dyad)
        items["root_dyad"].add((code[:2], *dyad))
        try:
            plover = lexicon.info(code).plover_type if code[:2].isdigit() and int(code[:2]) <= 20 else ""
        except Exception:  # noqa: BLE001 - nonsense codes in the suite simply have no PLOVER type
            plover = ""
        if plover:
            items["plover"].add(plover)
    return items


def _predicted(events: Iterable[Event], *, require_dyad: bool,
               mirrored: bool = True) -> tuple[dict[str, set], int]:
    items: dict[str, set] = {m: set() for m in METRICS}
    count = 0
    for event in events:
        if event.mirrored and not mirrored:
            continue  # PLOVER records a visit once, from the visitor's side
        if event.negated:
            continue  # "did not attack" is kept on the Event but is no event that happened
        if not event.main:
            continue  # background events ("after crowds trashed its embassy") are not annotated
        pairs = [(s, t) for s, t in event.dyads() if t is not None or not require_dyad]
        if not pairs:
            continue
        for source, target in pairs:
            count += 1
            dyad = (_actor_country(source), _actor_country(target))
            items["root"].add(event.cameo_root)
            items["code"].add(event.cameo)
            items["dyad"].add(dyad)
            items["root_dyad"].add((event.cameo_root, *dyad))
        if event.plover_type:
            items["plover"].add(event.plover_type)
    return items, count


# --------------------------------------------------------------------------- scoring


def _prf(tp: int, npred: int, ngold: int) -> dict[str, float]:
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "tp": tp, "predicted": npred, "gold": ngold}


def evaluate_events(path: "PathLike", *, nlp: "Language", dictionaries: str | None = None,
                    lexicon: EventLexicon | None = None, limit: int | None = None,
                    resolution: str = "product") -> dict[str, Any]:
    """Score the event coder on a gold file; returns a JSON-able dict.

    Args:
        path: a JSON Lines gold file in one of the formats described in the module docstring.
        nlp: the spaCy pipeline to parse with.
        dictionaries: a PETRARCH validation dictionaries JSON file; by default the
            ``petr_validation_dictionaries.json`` beside `path` when it has an entry for the file.
        lexicon: the event lexicon (packaged by default).
        limit: score only the first `limit` records.
        resolution: for real-world (PLOVER) records, ``"product"`` resolves arguments as ingest
            does (article actors, references, dictionary fallback); ``"dictionary"`` uses the
            dictionary resolver alone. The fictional suites always use their dictionaries.

    Returns:
        ``{"file", "format", "records", "metrics": {metric: {precision, recall, f1, …}},
        "no_event": {"records", "wrongly_coded", "share"}, "extra_events_per_record"}``; PETRARCH
        suites add ``"codebook"``: the records whose gold codes are no CAMEO code (counted, with
        root + dyad scored without them) and those where coder and suite code one dyad differently.

    Raises:
        EvalError: the file cannot be read or is in no known format.
    """
    path = Path(path)
    records = _load(path)[:limit] if limit else _load(path)
    if not records:
        raise EvalError(f"E403: {path} holds no records")
    if resolution not in ("product", "dictionary"):
        raise EvalError(f"E406: unknown resolution {resolution!r} (product or dictionary)")
    lexicon = lexicon or load_event_lexicon()
    if "event_type" in records[0] and "source" not in records[0]:
        return _evaluate(path, "headlines", [fill_placeholders(r) for r in records], nlp, lexicon, None,
                         product=resolution == "product")
    if "event_type" in records[0]:
        return _evaluate(path, "plover", records, nlp, lexicon, None, product=resolution == "product")
    if "expected" in records[0]:
        dictionary = _find_dictionary(path, dictionaries)
        return _evaluate(path, "petrarch", records, nlp, lexicon, dictionary, product=False)
    raise EvalError(f"E404: {path}: records have neither 'expected' (PETRARCH) nor 'event_type' (PLOVER)")


# real names for the headline templates' placeholders; which one a record gets is fixed by its id
PLACEHOLDER_NAMES = {
    "country": ("France", "Brazil", "India", "Kenya", "Japan", "Turkey", "Mexico", "Egypt", "Poland",
                "Indonesia", "Nigeria", "Germany", "Pakistan", "Argentina", "Vietnam", "Canada",
                "Iran", "Ethiopia", "Colombia", "Sweden", "Morocco", "Thailand", "Ukraine", "Chile"),
    "city": ("Nairobi", "Lagos", "Karachi", "Lima", "Hanoi", "Ankara", "Bogota", "Manila", "Cairo",
             "Warsaw", "Jakarta", "Mumbai", "Kharkiv", "Casablanca", "Dhaka", "Khartoum"),
}


def fill_placeholders(record: dict[str, Any]) -> dict[str, Any]:
    """`record` with ``{country_N}``/``{city}`` in its text replaced by real names.

    Different placeholders of one record get different names; the choice depends only on the
    record id (a stable hash), so the filled sentences are the same on every run and machine.
    """
    text = record.get("text") or ""
    seed = int(hashlib.sha256(str(record.get("id", text)).encode()).hexdigest()[:8], 16)
    used: dict[str, str] = {}

    def name(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in used:
            pool = PLACEHOLDER_NAMES["city" if key == "city" else "country"]
            taken = set(used.values())
            offset = seed + len(used) * 7
            choice = next(pool[(offset + i) % len(pool)] for i in range(len(pool))
                          if pool[(offset + i) % len(pool)] not in taken)
            used[key] = choice
        return used[key]

    return {**record, "text": re.sub(r"\{(country_\d+|city)\}", name, text)}


def _iso_date(value: str | None) -> str | None:
    """``19950101`` or ``1995-01-01`` as an ISO date, else None."""
    digits = re.sub(r"\D", "", value or "")
    if len(digits) != 8:
        return None
    return f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"


def _find_dictionary(path: Path, dictionaries: str | None) -> dict[str, Any] | None:
    file = Path(dictionaries) if dictionaries else path.parent / DICTIONARIES_FILE
    if not file.is_file():
        if dictionaries:
            raise EvalError(f"E405: dictionaries file {file} not found")
        return None
    data = json.loads(file.read_text(encoding="utf-8"))
    if "actors" in data:
        return data
    return data.get(path.stem)


def product_events(doc: "Doc", coder: EventCoder, fallback: DictionaryResolver,
                   date: str | None = None) -> list[Event]:
    """The events ingest codes for `doc`: article actors, references, no self-targets."""
    from ..core import without_self_targets  # the core imports this package
    from ..extract.eventtime import time_normaliser

    found = extract_actors(doc, normalise_time=time_normaliser(date) if date else None)
    resolver = ArticleResolver(doc, found, fallback=fallback)
    return [e for e in map(without_self_targets, coder.events(doc, resolver)) if e is not None]


def _evaluate(path: Path, fmt: str, records: list[dict[str, Any]], nlp: "Language",
              lexicon: EventLexicon, dictionary: dict[str, Any] | None, *, product: bool) -> dict[str, Any]:
    records = [r for r in records if r.get("evaluate", True) and r.get("text")]
    if fmt == "petrarch" and dictionary is not None:
        lexicon = dictionary_lexicon(lexicon, dictionary)
    coder = EventCoder(lexicon)
    geo_resolver = DictionaryResolver(lexicon)
    totals = {m: [0, 0, 0] for m in METRICS}
    on_codebook = [0, 0, 0]  # root + dyad over the records whose gold codes are all CAMEO codes
    off_codebook: list[str] = []
    disagreements: list[str] = []
    no_event = wrong = extra = 0
    docs = nlp.pipe([r["text"] for r in records], batch_size=64)
    for record, doc in zip(records, docs):
        events: Iterable[Event]
        if fmt == "petrarch" and dictionary is not None:
            resolver = DictionaryResolver(lexicon, dictionary_actors(dictionary, record.get("date", "")),
                                          use_geo=False, stems=True)
            events = coder.events(doc, resolver)
        elif product:
            events = product_events(doc, coder, geo_resolver, _iso_date(record.get("date")))
        else:
            events = coder.events(doc, geo_resolver)
        pred, count = _predicted(events, require_dyad=fmt == "petrarch", mirrored=fmt == "petrarch")
        gold = _petrarch_gold(record, lexicon) if fmt == "petrarch" else _plover_gold(record)
        if fmt == "headlines":
            gold = {"plover": gold["plover"]}
        for metric in METRICS:
            if metric not in gold:
                continue
            tp = len(pred[metric] & gold[metric])
            totals[metric][0] += tp
            totals[metric][1] += len(pred[metric])
            totals[metric][2] += len(gold[metric])
        if fmt == "petrarch":
            # the suite's gold follows its own verb dictionary in places: count, never fit, those
            if off_codebook_codes(record, lexicon):
                off_codebook.append(str(record.get("id")))
            else:
                for n, value in enumerate(_counts(pred["root_dyad"], gold["root_dyad"])):
                    on_codebook[n] += value
            if code_disagreement(pred["root_dyad"], gold["root_dyad"]):
                disagreements.append(str(record.get("id")))
        key = {"petrarch": "root_dyad", "plover": "dyad", "headlines": "plover"}[fmt]
        extra += max(0, len(pred[key]) - len(pred[key] & gold[key]))
        if record.get("no_event") or not (gold.get("code") or gold.get("plover")):
            no_event += 1
            wrong += bool(count)
    scored = {"petrarch": METRICS, "plover": ("dyad", "plover"), "headlines": ("plover",)}[fmt]
    report: dict[str, Any] = {
        "file": path.name, "format": fmt, "records": len(records),
        "resolution": "product" if product else "dictionary",
        "metrics": {m: _prf(*totals[m]) for m in scored},
        "no_event": {"records": no_event, "wrongly_coded": wrong,
                     "share": round(wrong / no_event, 4) if no_event else 0.0},
        "extra_events_per_record": round(extra / len(records), 4),
    }
    if fmt == "petrarch":
        report["codebook"] = {
            "off_codebook_records": len(off_codebook), "off_codebook_ids": off_codebook,
            "root_dyad_on_codebook_records": _prf(*on_codebook),
            "code_disagreements": len(disagreements), "code_disagreement_ids": disagreements,
        }
    return report


def _counts(pred: set, gold: set) -> tuple[int, int, int]:
    return len(pred & gold), len(pred), len(gold)


def off_codebook_codes(record: dict[str, Any], lexicon: EventLexicon) -> list[str]:
    """The expected codes of a PETRARCH record that are no CAMEO code (the suite's own
    dictionary codes, such as a root above 20): a coder that follows the codebook cannot match
    them, so the report counts those records apart."""
    out = []
    for exp in record.get("expected") or ():
        code = str(exp.get("code") or "")
        if code not in lexicon.codes:
            out.append(code)
    return out


def code_disagreement(pred: set, gold: set) -> bool:
    """Whether a predicted event has a gold event's dyad but another root: the coder and the
    suite code the same act differently (its verb dictionary or the codebook; read the record
    to tell which)."""
    missed = gold - pred
    return any(p[1:] == g[1:] and p[0] != g[0] for p in pred - gold for g in missed)
