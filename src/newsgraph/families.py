"""Duplicate families: articles that are copies or rewrites of one another count as one source.

A `FamilyIndex` assigns each article to a family as it arrives, one at a time. Four kinds of
evidence link two articles (the assignment's ``reason``):

``exact``
    The same text after `newsgraph.identity.normalise_for_identity` (syndicated copies).
``canonical_url``
    The same URL after `canonical_url` (scheme, ``www.``, trailing slash, fragment and
    tracking parameters such as ``utm_*`` removed): the same page fetched twice.
``near_duplicate``
    MinHash (datasketch, 128 permutations) over word 3-shingles of the normalised text, an
    LSH lookup for candidates (`LSH_BANDS`: 42 bands of 3 rows), then checks on the exact
    shingle sets. Either close: Jaccard >= `NEAR_JACCARD` (0.5), or containment of the
    smaller text >= `NEAR_CONTAINMENT` (0.8) when it has `MIN_CONTAINMENT_SHINGLES` (30)
    shingles (a copy that dropped sentences is contained in its original), with the key
    tokens (names and figures, `key_hashes`) not disagreeing (>= `KEYS_AGREE`, 0.6); or a
    heavier rewrite: Jaccard >= `REWRITE_JACCARD` (0.25) or containment >=
    `REWRITE_CONTAINMENT` (0.4), with key tokens agreeing closely (>= `REWRITE_KEYS`, 0.7).
    The key-token test is what keeps templated wire stories (bond issues, dividends,
    money-market forecasts: same wording, other names and figures) apart.
``declared_source``
    One article declares the other's outlet, host or URL as its original source
    (``Original Source: www.independent.co.uk`` while the other's URL host is
    ``www.independent.co.uk``), and the texts are similar enough for a rewrite: Jaccard >=
    `DECLARED_JACCARD` or containment >= `DECLARED_CONTAINMENT`. A declared URL equal to the
    other article's canonical URL needs no text check.

Families merge transitively (union-find). A family's id is the id of its earliest-added
article that is still present, so an id names the first report the index saw.

Cost of one `add`: normalising and shingling the text, one LSH lookup (a probe per band, of a
dictionary or of the store's `family_bands` index), and checks on at most `MAX_CANDIDATES` candidates and on the `DECLARED_SCAN` most
recent articles of a declared outlet; nothing scans the corpus.

Removal: links are kept between *texts* (an exact-duplicate group is one text), so removing
an article only breaks links when its text or its URL leaves the index. Then the family's
remaining members are regrouped from the links that remain (a family whose only bridge was the
removed article splits); each part takes the id of its earliest remaining article.
`remove` returns every article whose family id changed, so a store can update its rows.

Persistence (`to_rows` / `from_rows`), three tables the store can hold; `SCHEMA` has the DDL
(and `BANDS_SCHEMA` that of a fourth, `family_bands`, which `StoredTextData` keeps):

    family_members(article_id PK, family_id, text_key, seq, url_key, site_keys, declared_keys)
    family_texts(text_key PK, shingle_count, shingles BLOB, key_tokens BLOB, signature BLOB)
    family_links(text_a, text_b, reason, score)          -- text_a < text_b

``shingles`` is the sorted little-endian uint32 array of shingle hashes (CRC-32 of the
shingle), ``key_tokens`` the same for names and figures, ``signature`` the 128 uint32
MinHash values.

Where the texts' data lives is the index's `TextData`: in memory (`MemoryTextData`, the
default) or in the store's own tables (`StoredTextData`: `family_texts`, and the LSH band
buckets in `family_bands`), read only for the candidates an add compares. With the latter,
memory holds the members and the family structure (some hundred bytes an article) however
many articles the store has.
"""

from __future__ import annotations

import hashlib
import logging
import re
import sqlite3
import unicodedata
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import parse_qsl, urlencode, urlsplit

import numpy as np
from datasketch import MinHash

from .errors import NewsgraphError
from .identity import normalise_for_identity

LOGGER = logging.getLogger(__name__)

__all__ = [
    "FamilyAssignment", "FamilyError", "FamilyIndex", "FamilyRows", "MemoryTextData", "SCHEMA",
    "StoredTextData", "TextData",
    "canonical_url", "key_hashes", "outlet_key", "shingle_hashes", "similarity",
]

SHINGLE_WORDS = 3
NUM_PERM = 128
MINHASH_SEED = 1
# 42 bands of 3 rows: a pair at Jaccard 0.3 becomes a candidate with p = 0.68, at 0.4 with
# 0.94, at 0.5 with 0.996, while unrelated news (Jaccard ~0.01) almost never collides.
LSH_BANDS = (42, 3)
NEAR_JACCARD = 0.5
NEAR_CONTAINMENT = 0.8
MIN_CONTAINMENT_SHINGLES = 30
# Wire copy is full of templates (bond issues, money-market forecasts, dividends) whose
# wording repeats while the names and figures change. Key tokens are the figures and the
# capitalised words a text uses (not sentence-initial); two texts that both have at least
# MIN_KEYS are near-duplicates only if most of the smaller one's key tokens recur.
MIN_KEYS = 3
KEYS_AGREE = 0.6
# Heavier rewrites (a fifth of the words replaced): lower text similarity is accepted when
# the key tokens agree closely, which template stories rarely do.
REWRITE_JACCARD = 0.25
REWRITE_CONTAINMENT = 0.4
REWRITE_KEYS = 0.7
DECLARED_JACCARD = 0.15
DECLARED_CONTAINMENT = 0.3
MIN_DECLARED_SHINGLES = 10
MAX_CANDIDATES = 64
DECLARED_SCAN = 32

# Query parameters that track the reader, not the page.
_TRACKING = frozenset({
    "fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid", "_ga", "_gl",
    "ref", "ref_src", "ref_url", "cmpid", "ocid", "smid", "smtyp", "icid", "ito", "ns_mchannel",
    "ns_source", "ns_campaign", "ns_linkname", "ns_fee", "cid", "spm", "share", "s_cid",
})
_HOST_PREFIX = re.compile(r"^(?:www\d*|m|amp|mobile)\.")
# Labels dropped from the end of a host to find the site's name; a small stand-in for the
# public suffix list (two-letter country codes are dropped too).
_SUFFIX_LABELS = frozenset({
    "com", "org", "net", "gov", "edu", "co", "ac", "info", "biz", "news", "int", "mil", "ne", "or",
})
_WORD = re.compile(r"\w+")
_KEY = re.compile(r"(?<![.!?] )\b(?:[A-Z][\w'-]*|\d[\d.,/-]*)")
_URLISH = re.compile(r"^(?:[a-z][a-z0-9+.-]*://)?[^\s/]+\.[a-z]{2,}(?:[/:?#]\S*)?$", re.IGNORECASE)

SCHEMA = """\
CREATE TABLE family_members (
    article_id    TEXT PRIMARY KEY,
    family_id     TEXT NOT NULL,      -- id of the family's earliest remaining article
    text_key      TEXT NOT NULL,      -- the family_texts row of its normalised text
    seq           INTEGER NOT NULL,   -- order of arrival; the earliest names the family
    url_key       TEXT,               -- canonical URL
    site_keys     TEXT NOT NULL,      -- space-separated outlet keys from URL host and outlet
    declared_keys TEXT NOT NULL       -- space-separated keys of the declared original source
);
CREATE INDEX family_members_family ON family_members(family_id);
CREATE TABLE family_texts (
    text_key      TEXT PRIMARY KEY,   -- sha256 of the normalised text, 16 hex digits
    shingle_count INTEGER NOT NULL,
    shingles      BLOB NOT NULL,      -- sorted uint32 little-endian
    key_tokens    BLOB NOT NULL,      -- sorted uint32 little-endian hashes of names and figures
    signature     BLOB NOT NULL       -- 128 uint32 little-endian MinHash values
);
CREATE TABLE family_links (
    text_a TEXT NOT NULL,
    text_b TEXT NOT NULL,              -- text_a < text_b
    reason TEXT NOT NULL,              -- near_duplicate | declared_source
    score  REAL NOT NULL,
    PRIMARY KEY (text_a, text_b)
);
"""


# The LSH buckets of `StoredTextData` (added to stores by a later migration than `SCHEMA`).
BANDS_SCHEMA = (
    """CREATE TABLE family_bands (
        band_hash INTEGER NOT NULL,    -- one LSH band of a text's signature (band number and values)
        text_key  TEXT NOT NULL
    )""",
    "CREATE INDEX family_bands_hash ON family_bands(band_hash)",
    "CREATE INDEX family_bands_text ON family_bands(text_key)",
)


class FamilyError(NewsgraphError):
    """A family index operation was refused (an id added twice, removed while absent)."""


@dataclass(frozen=True, slots=True)
class FamilyAssignment:
    """Where one added article went, and the strongest evidence that put it there.

    ``reason`` is ``new`` (alone so far), ``exact``, ``canonical_url``, ``near_duplicate`` or
    ``declared_source``; ``score`` is the similarity that decided (1.0 for exact and URL
    matches); ``absorbed`` lists the ids of families merged into this one by the add.
    """

    family_id: str
    reason: str
    score: float
    matched_article: str | None
    absorbed: tuple[str, ...] = ()


class FamilyRows(NamedTuple):
    """The index as table rows (see `SCHEMA`)."""

    members: list[tuple]
    texts: list[tuple]
    links: list[tuple]


@dataclass(slots=True)
class _Member:
    text_key: str
    seq: int
    url_key: str | None
    site_keys: tuple[str, ...]
    declared_keys: tuple[str, ...]


@dataclass(slots=True)
class _Text:
    searchable: bool  # has shingles (and so LSH bands)
    members: dict[str, None] = field(default_factory=dict)  # article ids, in arrival order


class TextArrays(NamedTuple):
    """What the near-duplicate checks compare of one text."""

    shingles: np.ndarray  # sorted unique uint32
    keys: np.ndarray  # sorted unique uint32: hashes of (name or figure, occurrence)
    signature: np.ndarray  # NUM_PERM uint32


@dataclass(frozen=True, slots=True)
class _Link:
    reason: str
    score: float
    other_text: str
    other_article: str | None


_REASON_RANK = {"exact": 0, "canonical_url": 1, "near_duplicate": 2, "declared_source": 3}

# --------------------------------------------------------------------------- where texts live


def band_hashes(signature: np.ndarray) -> list[int]:
    """The LSH bucket of each band of a MinHash signature: a 63-bit hash (it fits SQLite's
    INTEGER) of the band's number and values. Texts sharing any bucket are candidates."""
    bands, rows = LSH_BANDS
    values = np.asarray(signature[: bands * rows], dtype="<u4").reshape(bands, rows)
    return [int.from_bytes(hashlib.blake2b(bytes([band]) + values[band].tobytes(), digest_size=8).digest(),
                           "little") >> 1 for band in range(bands)]


def rebuild_bands(conn: sqlite3.Connection) -> int:
    """Fill `family_bands` from the signatures in `family_texts`; returns the texts indexed."""
    conn.execute("DELETE FROM family_bands")
    rows = conn.execute("SELECT text_key, signature FROM family_texts WHERE shingle_count > 0").fetchall()
    for key, signature in rows:
        conn.executemany("INSERT INTO family_bands (band_hash, text_key) VALUES (?, ?)",
                         [(bucket, key) for bucket in band_hashes(_array(signature))])
    return len(rows)


class TextData:
    """Where a `FamilyIndex` keeps each text's arrays and LSH buckets."""

    def put(self, key: str, arrays: TextArrays) -> None:
        raise NotImplementedError

    def arrays(self, key: str) -> TextArrays:
        raise NotImplementedError

    def signatures(self, keys: list[str]) -> dict[str, np.ndarray]:
        return {k: self.arrays(k).signature for k in keys}

    def candidates(self, signature: np.ndarray) -> set[str]:
        """Texts sharing an LSH bucket with `signature`."""
        raise NotImplementedError

    def drop(self, key: str) -> None:
        raise NotImplementedError


class MemoryTextData(TextData):
    """Texts in memory: for a standalone index (evaluation, benchmarks, tests)."""

    def __init__(self) -> None:
        self._arrays: dict[str, TextArrays] = {}
        self._buckets: dict[int, set[str]] = {}

    def put(self, key: str, arrays: TextArrays) -> None:
        self._arrays[key] = arrays
        if len(arrays.shingles):
            for bucket in band_hashes(arrays.signature):
                self._buckets.setdefault(bucket, set()).add(key)

    def arrays(self, key: str) -> TextArrays:
        return self._arrays[key]

    def candidates(self, signature: np.ndarray) -> set[str]:
        found: set[str] = set()
        for bucket in band_hashes(signature):
            found |= self._buckets.get(bucket, set())
        return found

    def drop(self, key: str) -> None:
        arrays = self._arrays.pop(key, None)
        if arrays is None or not len(arrays.shingles):
            return
        for bucket in band_hashes(arrays.signature):
            keys = self._buckets.get(bucket)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self._buckets[bucket]


class StoredTextData(TextData):
    """Texts in a store's `family_texts` and `family_bands` tables, written on the store's
    connection (so in the transaction of the article that brings them) and read back only
    for the candidates an add compares: memory stays flat however large the store."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def put(self, key: str, arrays: TextArrays) -> None:
        self.conn.execute(
            """INSERT OR IGNORE INTO family_texts (text_key, shingle_count, shingles, key_tokens, signature)
               VALUES (?, ?, ?, ?, ?)""",
            (key, len(arrays.shingles), _blob(arrays.shingles), _blob(arrays.keys), _blob(arrays.signature)))
        if len(arrays.shingles):
            self.conn.executemany("INSERT INTO family_bands (band_hash, text_key) VALUES (?, ?)",
                                  [(bucket, key) for bucket in band_hashes(arrays.signature)])

    def arrays(self, key: str) -> TextArrays:
        row = self.conn.execute("SELECT shingles, key_tokens, signature FROM family_texts WHERE text_key = ?",
                                (key,)).fetchone()
        if row is None:
            raise FamilyError(f"text {key} has no row in family_texts; the store's family tables disagree")
        return TextArrays(_array(row[0]), _array(row[1]), _array(row[2]))

    def signatures(self, keys: list[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            out.update((k, _array(sig)) for k, sig in self.conn.execute(
                f"SELECT text_key, signature FROM family_texts WHERE text_key IN ({marks})", chunk))
        return out

    def candidates(self, signature: np.ndarray) -> set[str]:
        buckets = band_hashes(signature)
        marks = ",".join("?" * len(buckets))
        return {row[0] for row in self.conn.execute(
            f"SELECT DISTINCT text_key FROM family_bands WHERE band_hash IN ({marks})", buckets)}

    def drop(self, key: str) -> None:
        self.conn.execute("DELETE FROM family_bands WHERE text_key = ?", (key,))
        self.conn.execute("DELETE FROM family_texts WHERE text_key = ?", (key,))

# --------------------------------------------------------------------------- text and URL keys


def _text_key(text: str) -> str:
    return text_key(text)


def text_key(text: str) -> str:
    """Key of a text's exact-duplicate group: the same hash `identity.article_id` uses."""
    return hashlib.sha256(normalise_for_identity(text).encode("utf-8")).hexdigest()[:16]


def shingle_hashes(text: str, *, size: int = SHINGLE_WORDS) -> np.ndarray:
    """Sorted unique CRC-32 hashes of the word `size`-shingles of the normalised text.

    A text shorter than `size` words is one shingle; an empty text has none. CRC-32 is
    stable across processes (Python's `hash` is salted), which stored rows need.
    """
    words = _WORD.findall(normalise_for_identity(text))
    if not words:
        return np.empty(0, dtype=np.uint32)
    grams = (" ".join(words[i : i + size]) for i in range(max(1, len(words) - size + 1)))
    hashes = np.fromiter((zlib.crc32(g.encode("utf-8")) for g in grams), dtype=np.uint32)
    return np.unique(hashes)


def key_hashes(text: str) -> np.ndarray:
    """Sorted hashes of a text's key tokens as a multiset ("5#1", "5#2" for two fives).

    Key tokens are figures and capitalised words that do not start a sentence: the names
    and numbers that tell one templated wire story from the next.
    """
    flat = " ".join(unicodedata.normalize("NFKC", text).split())
    seen: dict[str, int] = {}
    hashes = []
    for match in _KEY.finditer(flat):
        if match.start() == 0:
            continue
        token = match.group().rstrip(".,-/").casefold()
        seen[token] = seen.get(token, 0) + 1
        hashes.append(zlib.crc32(f"{token}#{seen[token]}".encode("utf-8")))
    return np.unique(np.array(hashes, dtype=np.uint32))


def similarity(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(Jaccard, containment of the smaller in the larger) of two sorted unique hash arrays."""
    if not len(a) or not len(b):
        return 0.0, 0.0
    inter = len(np.intersect1d(a, b, assume_unique=True))
    return inter / (len(a) + len(b) - inter), inter / min(len(a), len(b))


def canonical_url(url: str | None) -> str | None:
    """A URL without what varies between copies of one page, or None when it has no host.

    Drops the scheme, a ``www.``/``m.``/``amp.`` prefix, default ports, the fragment,
    trailing slashes and tracking parameters (``utm_*``, ``fbclid``, …); lowercases the
    host and sorts the remaining query parameters. ``https://www.example.org/a/?utm_source=x``
    and ``http://example.org/a`` both give ``example.org/a``.
    """
    url = (url or "").strip()
    if not url:
        return None
    parts = urlsplit(url if "://" in url or url.startswith("//") else "//" + url)
    host = (parts.hostname or "").rstrip(".")
    if not host or "." not in host and host != "localhost":
        return None
    host = _HOST_PREFIX.sub("", host)
    port = f":{parts.port}" if _port(parts) not in (None, 80, 443) else ""
    path = re.sub(r"/{2,}", "/", parts.path).rstrip("/")
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _tracking(k)]
    suffix = "?" + urlencode(sorted(query)) if query else ""
    return f"{host}{port}{path}{suffix}"


def _port(parts) -> int | None:
    try:
        return parts.port
    except ValueError:  # a malformed port is no reason to lose the URL
        return None


def _tracking(name: str) -> bool:
    name = name.lower()
    return name.startswith("utm_") or name in _TRACKING


def site_key(host: str) -> str | None:
    """The site's name from a host: ``www.independent.co.uk`` -> ``independent``."""
    labels = [label for label in _HOST_PREFIX.sub("", host.lower()).split(".") if label]
    while len(labels) > 1 and (labels[-1] in _SUFFIX_LABELS or len(labels[-1]) == 2):
        labels.pop()
    return labels[-1] if labels else None


def outlet_key(name: str | None) -> str | None:
    """One key for an outlet named by a host, a URL or a name.

    ``www.independent.co.uk``, ``https://independent.co.uk/news/x`` and ``The Independent``
    all give ``independent``; a name is casefolded without a leading "the" and punctuation.
    """
    name = (name or "").strip()
    if not name:
        return None
    if _URLISH.match(name):
        host = urlsplit(name if "://" in name else "//" + name).hostname
        return site_key(host) if host else None
    words = _WORD.findall(name.casefold())
    if words and words[0] == "the" and len(words) > 1:
        words = words[1:]
    return "".join(words) or None


def _site_keys(url_key: str | None, outlet: str | None) -> tuple[str, ...]:
    keys = {outlet_key(url_key) if url_key else None, outlet_key(outlet)}
    return tuple(sorted(k for k in keys if k))


def _declared_keys(original_source: str | None) -> tuple[str, ...]:
    """Keys a declared original source can match: ``url:`` for a page, ``site:`` for an outlet."""
    source = (original_source or "").strip()
    if not source:
        return ()
    keys = []
    if _URLISH.match(source):
        url = canonical_url(source)
        if url and "/" in url:  # a page, not just a host
            keys.append("url:" + url)
    site = outlet_key(source)
    if site:
        keys.append("site:" + site)
    return tuple(keys)


# --------------------------------------------------------------------------- the index


class FamilyIndex:
    """Incremental duplicate families over articles added one at a time.

    Example:
        >>> index = FamilyIndex()
        >>> index.add("a1", "Troops crossed the border on Monday, officials said.").reason
        'new'
        >>> index.add("a2", "Troops crossed the border on Monday, officials said.").family_id
        'a1'
    """

    def __init__(self, texts: TextData | None = None) -> None:
        self._data = texts if texts is not None else MemoryTextData()
        self._members: dict[str, _Member] = {}
        self._texts: dict[str, _Text] = {}
        self._links: dict[str, dict[str, tuple[str, float]]] = {}
        self._urls: dict[str, dict[str, None]] = {}
        self._sites: dict[str, dict[str, None]] = {}  # site key -> articles from that outlet
        self._declarers: dict[str, dict[str, None]] = {}  # declared key -> declaring articles
        self._root: dict[str, str] = {}  # text key -> component root (a text key)
        self._component: dict[str, set[str]] = {}  # root -> text keys
        self._first: dict[str, tuple[int, str]] = {}  # root -> (seq, article) of its earliest article
        self._seq = 0
        self._template = MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED)

    # ------------------------------------------------------------------ public API

    def __len__(self) -> int:
        return len(self._members)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._members

    def add(
        self,
        article_id: str,
        text: str,
        *,
        url: str | None = None,
        outlet: str | None = None,
        original_source: str | None = None,
        text_key: str | None = None,
    ) -> FamilyAssignment:
        """Assign one article to a family, merging families it links.

        Args:
            article_id: the article's id; adding the same id twice is refused.
            text: the body text (an `Original Source:` trailer already split off).
            url: the article's URL, if known.
            outlet: the publisher's name or host, if known.
            original_source: the source the article declares it copies or rewrites.
            text_key: the text's `text_key` when the caller has it already (a store's article id).

        Returns:
            The family it joined, with the strongest link's reason, score and partner.

        Raises:
            FamilyError: the id is already in the index.
        """
        if article_id in self._members:
            raise FamilyError(f"article {article_id} is already in the family index; remove it first")
        url_key = canonical_url(url)
        # the store passes the article id, which is this same hash of the same normalised text
        key = text_key if text_key is not None else _text_key(text)
        member = _Member(key, self._seq, url_key, _site_keys(url_key, outlet),
                         _declared_keys(original_source))
        self._seq += 1
        links = self._register(article_id, member, text)
        before = {self._family_id(self._root[link.other_text]) for link in links}
        for link in links:
            self._union(member.text_key, link.other_text)
        family = self._family_id(self._root[member.text_key])
        best = min(links, key=lambda k: (_REASON_RANK[k.reason], -k.score), default=None)
        if best is None:
            return FamilyAssignment(family, "new", 0.0, None)
        return FamilyAssignment(family, best.reason, round(best.score, 4), best.other_article,
                                tuple(sorted(before - {family})))

    def remove(self, article_id: str) -> dict[str, str]:
        """Take an article out; its family may split where it was the only bridge.

        Returns:
            ``{article_id: new_family_id}`` for every remaining article whose family id
            changed (a split, or the family's first article removed).

        Raises:
            FamilyError: the article is not in the index.
        """
        member = self._members.get(article_id)
        if member is None:
            raise FamilyError(f"article {article_id} is not in the family index")
        root = self._root[member.text_key]
        texts = set(self._component[root])
        old = {a: self._family_id(root) for t in texts for a in self._texts[t].members if a != article_id}
        self._unregister(article_id, member)
        self._regroup(texts - ({member.text_key} if member.text_key not in self._texts else set()), root)
        return {a: fid for a, fid in ((a, self.family_of(a)) for a in old) if fid != old[a]}

    def family_of(self, article_id: str) -> str:
        """The family id of an article in the index."""
        member = self._members.get(article_id)
        if member is None:
            raise FamilyError(f"article {article_id} is not in the family index")
        return self._family_id(self._root[member.text_key])

    def families(self) -> dict[str, list[str]]:
        """Every family id with its articles in arrival order, singletons included."""
        out: dict[str, list[str]] = {}
        for article_id, member in sorted(self._members.items(), key=lambda kv: kv[1].seq):
            out.setdefault(self._family_id(self._root[member.text_key]), []).append(article_id)
        return out

    def independent_sources(self, article_ids: Iterable[str]) -> int:
        """How many independent sources some articles are: one per family among them."""
        return len({self.family_of(a) for a in article_ids})

    # ------------------------------------------------------------------ persistence

    def to_rows(self) -> FamilyRows:
        """The index as rows of `family_members`, `family_texts` and `family_links`."""
        members = [
            (a, self.family_of(a), m.text_key, m.seq, m.url_key, " ".join(m.site_keys), " ".join(m.declared_keys))
            for a, m in sorted(self._members.items(), key=lambda kv: kv[1].seq)
        ]
        texts = [_text_row(k, self._data.arrays(k)) for k in sorted(self._texts)]
        links = [(a, b, reason, score) for a, others in sorted(self._links.items())
                 for b, (reason, score) in sorted(others.items()) if a < b]
        return FamilyRows(members, texts, links)

    def rows_for(self, article_id: str) -> FamilyRows:
        """The rows one article added: its member row, its text and that text's links, so a
        store can persist each add without rewriting the whole index."""
        m = self._members[article_id]
        member = (article_id, self.family_of(article_id), m.text_key, m.seq, m.url_key,
                  " ".join(m.site_keys), " ".join(m.declared_keys))
        text = _text_row(m.text_key, self._data.arrays(m.text_key))
        links = [(min(m.text_key, b), max(m.text_key, b), reason, score)
                 for b, (reason, score) in sorted(self._links.get(m.text_key, {}).items())]
        return FamilyRows([member], [text], links)

    @classmethod
    def from_rows(cls, rows: FamilyRows | tuple) -> FamilyIndex:
        """Rebuild an in-memory index from `to_rows` output."""
        members, texts, links = rows
        index = cls()
        for key, _count, shingles, keys, signature in texts:
            index._new_text(key, TextArrays(_array(shingles), _array(keys), _array(signature)))
        return index._load(members, links)

    @classmethod
    def from_store(cls, conn: sqlite3.Connection) -> FamilyIndex:
        """The index of a store whose texts stay in its tables (`StoredTextData`): reads the
        members, the text keys and the links, no text data."""
        index = cls(StoredTextData(conn))
        for key, count in conn.execute("SELECT text_key, shingle_count FROM family_texts"):
            index._new_text(key, None, searchable=count > 0)
        members = conn.execute("""SELECT article_id, family_id, text_key, seq, url_key, site_keys, declared_keys
                                  FROM family_members""").fetchall()
        links = conn.execute("SELECT text_a, text_b, reason, score FROM family_links").fetchall()
        return index._load(members, links)

    def _load(self, members: Iterable[tuple], links: Iterable[tuple]) -> FamilyIndex:
        """Add stored members and links to an index whose texts are registered."""
        for article_id, _family, key, seq, url_key, sites, declared in sorted(members, key=lambda r: r[3]):
            member = _Member(key, seq, url_key, tuple(sites.split()), tuple(declared.split()))
            self._index_member(article_id, member)
            self._seq = max(self._seq, seq + 1)
        for a, b, reason, score in links:
            self._link(a, b, reason, score)
        self._regroup(set(self._texts), None)
        return self

    # ------------------------------------------------------------------ adding

    def _register(self, article_id: str, member: _Member, text: str) -> list[_Link]:
        """Index the article and return the links it makes to articles already present."""
        links = []
        if member.url_key:
            links += [_Link("canonical_url", 1.0, self._members[o].text_key, o)
                      for o in self._urls.get(member.url_key, ())]
        if member.text_key in self._texts:
            first = next(iter(self._texts[member.text_key].members))
            links.append(_Link("exact", 1.0, member.text_key, first))
            own = self._data.arrays(member.text_key) if member.declared_keys else None
            candidates = self._candidates(member.text_key, own) if own is not None else []
        else:
            shingles = shingle_hashes(text)
            own = TextArrays(shingles, key_hashes(text), self._signature(shingles))
            self._new_text(member.text_key, own)
            candidates = self._candidates(member.text_key, own)
            links += self._near_links(own, candidates)
        linked = {k.other_text for k in links}
        links += self._declared_links(member, [c for c in candidates if c not in linked])
        self._index_member(article_id, member)
        for link in links:
            if link.reason in ("near_duplicate", "declared_source"):
                self._link(member.text_key, link.other_text, link.reason, link.score)
        return links

    def _signature(self, shingles: np.ndarray) -> np.ndarray:
        minhash = MinHash(num_perm=NUM_PERM, hashfunc=int, permutations=self._template.permutations,
                          scheme=self._template.scheme)
        if len(shingles):
            minhash.update_batch(shingles.tolist())
        return minhash.hashvalues.astype(np.uint32)

    def _new_text(self, key: str, arrays: TextArrays | None, *, searchable: bool | None = None) -> None:
        """Register a text; its arrays go to the text data unless they are there already (None)."""
        self._texts[key] = _Text(bool(len(arrays.shingles)) if arrays is not None else bool(searchable))
        self._root[key] = key
        self._component[key] = {key}
        if arrays is not None:
            self._data.put(key, arrays)

    def _candidates(self, key: str, own: TextArrays) -> list[str]:
        """LSH candidates for a text, the `MAX_CANDIDATES` with most agreeing MinHash values."""
        if not self._texts[key].searchable:
            return []
        found = sorted(k for k in self._data.candidates(own.signature) if k != key and k in self._texts)
        if len(found) > MAX_CANDIDATES:
            signatures = self._data.signatures(found)
            agree = {k: int(np.count_nonzero(signatures[k] == own.signature)) for k in found}
            found = sorted(found, key=lambda k: (-agree[k], k))[:MAX_CANDIDATES]
        return found

    def _near_links(self, own: TextArrays, candidates: list[str]) -> list[_Link]:
        links = []
        for other in candidates:
            score = _near_score(own, self._data.arrays(other))
            if score is not None:
                links.append(_Link("near_duplicate", score, other, next(iter(self._texts[other].members), None)))
        return links

    def _declared_links(self, member: _Member, candidates: list[str]) -> list[_Link]:
        """Links to articles this one declares as its source, and to articles that declare it."""
        links, seen = [], {member.text_key}
        for article_id, exact in self._declared_partners(member, candidates):
            other = self._members[article_id]
            if other.text_key in seen:
                continue
            score = self._declared_score(member.text_key, other.text_key)
            if exact or score is not None:
                seen.add(other.text_key)
                links.append(_Link("declared_source", score or 0.0, other.text_key, article_id))
        return links

    def _declared_partners(self, member: _Member, candidates: list[str]) -> Iterator[tuple[str, bool]]:
        """(article, declared by exact URL?) pairs a declaration relates, bounded in number.

        The `DECLARED_SCAN` most recent articles of each declared outlet (and declarers of this
        one's outlet) are checked directly; older ones only when LSH offered their text.
        """
        own = ([f"url:{member.url_key}"] if member.url_key else []) + [f"site:{s}" for s in member.site_keys]
        for key in member.declared_keys:
            kind, _, value = key.partition(":")
            table = self._urls if kind == "url" else self._sites
            for article_id in _recent(table.get(value, {})):
                yield article_id, kind == "url"
        for key in own:
            for article_id in _recent(self._declarers.get(key, {})):
                yield article_id, key.startswith("url:")
        declared_sites = {k[5:] for k in member.declared_keys if k.startswith("site:")}
        for text in candidates:
            for article_id in _recent(self._texts[text].members):
                other = self._members[article_id]
                if declared_sites.intersection(other.site_keys) or set(own).intersection(other.declared_keys):
                    yield article_id, False

    def _declared_score(self, a: str, b: str) -> float | None:
        first, second = self._data.arrays(a).shingles, self._data.arrays(b).shingles
        jaccard, containment = similarity(first, second)
        smaller = min(len(first), len(second))
        if jaccard >= DECLARED_JACCARD:
            return jaccard
        if containment >= DECLARED_CONTAINMENT and smaller >= MIN_DECLARED_SHINGLES:
            return containment
        return None

    def _index_member(self, article_id: str, member: _Member) -> None:
        self._members[article_id] = member
        self._texts[member.text_key].members[article_id] = None
        if member.url_key:
            self._urls.setdefault(member.url_key, {})[article_id] = None
        for site in member.site_keys:
            self._sites.setdefault(site, {})[article_id] = None
        for key in member.declared_keys:
            self._declarers.setdefault(key, {})[article_id] = None
        root = self._root[member.text_key]
        if root not in self._first or (member.seq, article_id) < self._first[root]:
            self._first[root] = (member.seq, article_id)

    def _link(self, a: str, b: str, reason: str, score: float) -> None:
        if a == b:
            return
        current = self._links.get(a, {}).get(b)
        if current is None or (_REASON_RANK[reason], -score) < (_REASON_RANK[current[0]], -current[1]):
            self._links.setdefault(a, {})[b] = (reason, score)
            self._links.setdefault(b, {})[a] = (reason, score)

    def _union(self, a: str, b: str) -> None:
        """Merge two components, relabelling the smaller (amortised O(log n) per text)."""
        ra, rb = self._root[a], self._root[b]
        if ra == rb:
            return
        if len(self._component[ra]) < len(self._component[rb]):
            ra, rb = rb, ra
        for key in self._component[rb]:
            self._root[key] = ra
        self._component[ra] |= self._component.pop(rb)
        first_b = self._first.pop(rb, None)
        if first_b is not None and (ra not in self._first or first_b < self._first[ra]):
            self._first[ra] = first_b

    def _family_id(self, root: str) -> str:
        """Id of the earliest article in a component."""
        return self._first[root][1]

    def _set_first(self, root: str) -> None:
        """Recompute a component's earliest article (texts keep members in arrival order)."""
        firsts = (next(iter(self._texts[k].members)) for k in self._component[root])
        self._first[root] = min((self._members[a].seq, a) for a in firsts)

    # ------------------------------------------------------------------ removing

    def _unregister(self, article_id: str, member: _Member) -> None:
        del self._members[article_id]
        text = self._texts[member.text_key]
        del text.members[article_id]
        _discard(self._urls, member.url_key, article_id)
        for site in member.site_keys:
            _discard(self._sites, site, article_id)
        for key in member.declared_keys:
            _discard(self._declarers, key, article_id)
        if text.members:
            return
        del self._texts[member.text_key]
        self._data.drop(member.text_key)
        for other in self._links.pop(member.text_key, {}):
            self._links[other].pop(member.text_key, None)
            if not self._links[other]:
                del self._links[other]
        root = self._root.pop(member.text_key)
        self._component[root].discard(member.text_key)

    def _regroup(self, texts: set[str], old_root: str | None) -> None:
        """Recompute the components of `texts` from the links and shared URLs that remain."""
        if old_root is not None:
            self._component.pop(old_root, None)
            self._first.pop(old_root, None)
        for key in texts:
            self._first.pop(key, None)
            self._root[key] = key
            self._component[key] = {key}
        for key in texts:
            for other in self._links.get(key, ()):
                self._union(key, other)
            for article_id in self._texts[key].members:
                url = self._members[article_id].url_key
                for other in self._urls.get(url, ()) if url else ():
                    self._union(key, self._members[other].text_key)
        for root in {self._root[key] for key in texts}:
            self._set_first(root)


def _near_score(a: TextArrays, b: TextArrays) -> float | None:
    """The similarity that makes two texts near-duplicates, or None when they are not.

    Close texts (Jaccard >= `NEAR_JACCARD`, or one contained in the other) need their key
    tokens not to disagree; looser ones (`REWRITE_*`) need them to agree closely.
    """
    jaccard, containment = similarity(a.shingles, b.shingles)
    contained = min(len(a.shingles), len(b.shingles)) >= MIN_CONTAINMENT_SHINGLES
    keys = _keys_agree(a.keys, b.keys)
    if keys is None or keys >= KEYS_AGREE:
        if jaccard >= NEAR_JACCARD:
            return jaccard
        if contained and containment >= NEAR_CONTAINMENT:
            return containment
    if keys is not None and keys >= REWRITE_KEYS:
        if jaccard >= REWRITE_JACCARD or (contained and containment >= REWRITE_CONTAINMENT):
            return jaccard
    return None


def _keys_agree(a: np.ndarray, b: np.ndarray) -> float | None:
    """Share of the smaller key-token multiset found in the other; None if either has few."""
    if min(len(a), len(b)) < MIN_KEYS:
        return None
    return len(np.intersect1d(a, b, assume_unique=True)) / min(len(a), len(b))


def _text_row(key: str, arrays: TextArrays) -> tuple:
    return (key, len(arrays.shingles), _blob(arrays.shingles), _blob(arrays.keys), _blob(arrays.signature))


def _blob(values: np.ndarray) -> bytes:
    return values.astype("<u4").tobytes()


def _array(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<u4").astype(np.uint32)


def _recent(ordered: dict[str, None]) -> list[str]:
    """The `DECLARED_SCAN` most recently added keys of an insertion-ordered dict."""
    if len(ordered) <= DECLARED_SCAN:
        return list(reversed(ordered))
    out = []
    for key in reversed(ordered):
        out.append(key)
        if len(out) == DECLARED_SCAN:
            break
    return out


def _discard(table: dict[str, dict[str, None]], key: str | None, article_id: str) -> None:
    if key is None or key not in table:
        return
    table[key].pop(article_id, None)
    if not table[key]:
        del table[key]
