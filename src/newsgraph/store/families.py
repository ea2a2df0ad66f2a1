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
    LSH looks only near the article's publication month (its *epoch*, `epoch_of`): a text's
    buckets are filed under its month, and a lookup probes that month and the one before and
    after, so two texts published within about a month of each other can be near-duplicates,
    whichever arrives first, while a rewrite published months later starts a family of its
    own. Undated articles share one epoch (`UNDATED_EPOCH`): they are compared with one
    another, never with dated ones. This bounds what a lookup and an insert touch by the
    news of three months instead of the whole store. Exact copies (and same-URL and
    declared-source links) are found whatever their dates.
``declared_source``
    One article declares the other's outlet, host or URL as its original source
    (``Original Source: www.independent.co.uk`` while the other's URL host is
    ``www.independent.co.uk``), and the texts are similar enough for a rewrite: Jaccard >=
    `DECLARED_JACCARD` or containment >= `DECLARED_CONTAINMENT`. A declared URL equal to the
    other article's canonical URL needs no text check.

Families merge transitively (union-find). A family's id is the id of its earliest-added
article that is still present, so an id names the first report the index saw.

Cost of one `add`: normalising and shingling the text, one LSH lookup (a probe per band and
neighbouring month of the `family_bands` index), and checks on at most `MAX_CANDIDATES`
candidates and on the `DECLARED_SCAN` most recent articles of a declared outlet; nothing scans
the corpus. A new text's 42 bucket rows go to its month's part of `family_bands` (keyed by
epoch first), which stays the size of a month's news as the store grows: with articles
arriving roughly in date order, inserts land on the few pages of recent months instead of on
random pages of one B-tree the size of the store.

Removal: links are kept between *texts* (an exact-duplicate group is one text), so removing
an article only breaks links when its text or its URL leaves the index. Then the family's
remaining members are regrouped from the links that remain (a family whose only bridge was the
removed article splits); each part takes the id of its earliest remaining article.
`remove` returns every article whose family id changed, so a store can update its rows.

Storage: the index lives in SQLite tables, a store's own (`FamilyIndex.from_store`, written
in the transaction of the article that brings the rows) or those of a private in-memory
database (`FamilyIndex()`); `SCHEMA`, `BANDS_SCHEMA` and `KEYS_SCHEMA` have the DDL:

    family_members(article_id PK, family_id, text_key, seq, url_key, site_keys, declared_keys)
    family_texts(text_key PK, shingle_count, shingles BLOB, key_tokens BLOB, signature BLOB, epoch)
    family_links(text_a, text_b, reason, score)          -- text_a < text_b
    family_bands(epoch, band_hash, text_key)             -- LSH buckets by publication month
    family_keys(key, seq, article_id)                    -- outlet and declared-source keys

``shingles`` is the sorted little-endian uint32 array of shingle hashes (CRC-32 of the
shingle), ``key_tokens`` the same for names and figures, ``signature`` the 128 uint32
MinHash values, ``epoch`` the month its buckets are filed under (that of the article that
brought the text; removal finds its bucket rows by it). An add reads only the rows it needs
through indexes (the members at its URL and of its text, the LSH candidates' texts, the
newest articles of a declared outlet), so memory holds nothing per article however many
articles there are. `to_rows` / `from_rows`
copy an index's rows out and back.
"""

from __future__ import annotations

import hashlib
import logging
import re
import sqlite3
import unicodedata
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import parse_qsl, urlencode, urlsplit

import numpy as np
from datasketch import MinHash

from ..errors import FamilyError
from ..identity import normalise_for_identity, text_key as _text_key

LOGGER = logging.getLogger(__name__)

__all__ = [
    "BANDS_SCHEMA", "FamilyAssignment", "FamilyError", "FamilyIndex", "FamilyRows", "KEYS_SCHEMA", "SCHEMA",
    "canonical_url", "create_tables", "epoch_of", "fill_text_epochs", "key_hashes", "outlet_key",
    "rebuild_bands", "rebuild_keys", "shingle_hashes", "similarity",
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
# LSH's window in time: a text's buckets are filed under its publication month, and a lookup
# probes the months this many either side of its own. Undated articles share an epoch that no
# month can neighbour (a month's epoch is year * 12 + month - 1, in the thousands).
EPOCH_REACH = 1
UNDATED_EPOCH = 0
_YEAR_MONTH = re.compile(r"^\s*(\d{4})-(\d{2})(?!\d)")

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
    signature     BLOB NOT NULL,      -- 128 uint32 little-endian MinHash values
    epoch         INTEGER NOT NULL DEFAULT 0  -- month its LSH buckets are filed under (epoch_of)
);
CREATE TABLE family_links (
    text_a TEXT NOT NULL,
    text_b TEXT NOT NULL,              -- text_a < text_b
    reason TEXT NOT NULL,              -- near_duplicate | declared_source
    score  REAL NOT NULL,
    PRIMARY KEY (text_a, text_b)
);
"""


# The LSH buckets (added to stores by a later migration than `SCHEMA`).
BANDS_SCHEMA = (
    # one B-tree keyed on (month, bucket, text): an add inserts 42 rows at random buckets but
    # within its month, so the pages they land on are those of recent news, however large the
    # store (keyed on the bucket alone, they landed on random pages of the whole store's tree)
    """CREATE TABLE family_bands (
        epoch     INTEGER NOT NULL DEFAULT 0,  -- the text's publication month (family_texts.epoch)
        band_hash INTEGER NOT NULL,    -- one LSH band of a text's signature (band number and values)
        text_key  TEXT NOT NULL,
        PRIMARY KEY (epoch, band_hash, text_key)
    ) WITHOUT ROWID""",
)


# What the index looks up without holding anything in memory (a later migration than
# `BANDS_SCHEMA`): members by text, URL and arrival; links from either end; and, in
# `family_keys`, each member's outlet keys (``site:<key>``) and declared sources
# (``declared:<key>``), newest first per key.
KEYS_SCHEMA = (
    "CREATE INDEX family_members_text ON family_members(text_key, seq)",
    "CREATE INDEX family_members_url ON family_members(url_key, seq) WHERE url_key IS NOT NULL",
    "CREATE INDEX family_members_seq ON family_members(seq)",
    "CREATE INDEX family_links_b ON family_links(text_b)",
    """CREATE TABLE family_keys (
        key        TEXT NOT NULL,
        seq        INTEGER NOT NULL,
        article_id TEXT NOT NULL
    )""",
    "CREATE INDEX family_keys_key ON family_keys(key, seq)",
    "CREATE INDEX family_keys_article ON family_keys(article_id)",
)


def create_tables(conn: sqlite3.Connection) -> None:
    """The family tables and indexes, in an empty database."""
    conn.executescript(SCHEMA)
    for sql in (*BANDS_SCHEMA, *KEYS_SCHEMA):
        conn.execute(sql)


def rebuild_keys(conn: sqlite3.Connection) -> int:
    """Fill `family_keys` from the members' `site_keys` and `declared_keys`; returns the rows."""
    conn.execute("DELETE FROM family_keys")
    rows = [row for article_id, seq, sites, declared in conn.execute(
                "SELECT article_id, seq, site_keys, declared_keys FROM family_members").fetchall()
            for row in _key_rows(article_id, seq, sites.split(), declared.split())]
    conn.executemany("INSERT INTO family_keys (key, seq, article_id) VALUES (?, ?, ?)", rows)
    return len(rows)


def _key_rows(article_id: str, seq: int, sites, declared) -> list[tuple[str, int, str]]:
    return [(f"site:{s}", seq, article_id) for s in sites] + [(f"declared:{d}", seq, article_id) for d in declared]


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


@dataclass(frozen=True, slots=True)
class _Member:
    text_key: str
    seq: int
    url_key: str | None
    site_keys: tuple[str, ...]
    declared_keys: tuple[str, ...]


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
    """Fill `family_bands` from the signatures and epochs in `family_texts`; returns the texts indexed."""
    conn.execute("DELETE FROM family_bands")
    rows = conn.execute("SELECT text_key, epoch, signature FROM family_texts WHERE shingle_count > 0").fetchall()
    for key, epoch, signature in rows:
        conn.executemany("INSERT OR IGNORE INTO family_bands (epoch, band_hash, text_key) VALUES (?, ?, ?)",
                         [(epoch, bucket, key) for bucket in band_hashes(_array(signature))])
    return len(rows)


def epoch_of(published: str | None) -> int:
    """The LSH epoch of an article published on `published` (ISO 8601): its month as
    ``year * 12 + month - 1``, or `UNDATED_EPOCH` when the date gives no year and month."""
    match = _YEAR_MONTH.match(published or "")
    if match is None or int(match.group(1)) == 0 or not 1 <= int(match.group(2)) <= 12:
        return UNDATED_EPOCH
    return int(match.group(1)) * 12 + int(match.group(2)) - 1


def _probed_epochs(epoch: int) -> list[int]:
    """The epochs a lookup from `epoch` probes: its own and its neighbours (undated: its own)."""
    if epoch == UNDATED_EPOCH:
        return [epoch]
    return list(range(epoch - EPOCH_REACH, epoch + EPOCH_REACH + 1))


def fill_text_epochs(conn: sqlite3.Connection) -> int:
    """Give a store's `family_texts` the column `epoch`, if it lacks it, and set each text's
    epoch from the publication date of its earliest member's article; returns how many
    texts it looked at. (`rebuild_bands` then files the buckets under them.)"""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(family_texts)")}
    if "epoch" not in columns:
        conn.execute("ALTER TABLE family_texts ADD COLUMN epoch INTEGER NOT NULL DEFAULT 0")
    first: dict[str, int] = {}
    for key, published in conn.execute(
            """SELECT m.text_key, a.published FROM family_members m JOIN articles a ON a.id = m.article_id
               ORDER BY m.seq"""):
        first.setdefault(key, epoch_of(published))
    conn.executemany("UPDATE family_texts SET epoch = ? WHERE text_key = ? AND epoch IS NOT ?",
                     [(epoch, key, epoch) for key, epoch in first.items()])
    return len(first)


# --------------------------------------------------------------------------- text and URL keys


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
    """Incremental duplicate families over articles added one at a time, kept in SQLite.

    Everything the index knows lives in its database's family tables (a store's own, or a
    private in-memory database): an add reads the rows it needs through indexes and holds
    nothing per article in memory, however many articles there are.

    Example:
        >>> index = FamilyIndex()
        >>> index.add("a1", "Troops crossed the border on Monday, officials said.").reason
        'new'
        >>> index.add("a2", "Troops crossed the border on Monday, officials said.").family_id
        'a1'
    """

    def __init__(self, conn: sqlite3.Connection | None = None) -> None:
        """An index over the family tables of `conn` (in its transactions), or of a new
        in-memory database when none is given."""
        if conn is None:
            conn = sqlite3.connect(":memory:", isolation_level=None)
            create_tables(conn)
        self.conn = conn
        self._template = MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED)

    @classmethod
    def from_store(cls, conn: sqlite3.Connection) -> FamilyIndex:
        """The index of a store: its family tables, read and written on its connection."""
        return cls(conn)

    # ------------------------------------------------------------------ public API

    def __len__(self) -> int:
        return self._value("SELECT COUNT(*) FROM family_members")

    def __contains__(self, article_id: object) -> bool:
        return isinstance(article_id, str) and self._family(article_id) is not None

    def add(
        self,
        article_id: str,
        text: str,
        *,
        url: str | None = None,
        outlet: str | None = None,
        original_source: str | None = None,
        text_key: str | None = None,
        published: str | None = None,
    ) -> FamilyAssignment:
        """Assign one article to a family, merging families it links.

        Args:
            article_id: the article's id; adding the same id twice is refused.
            text: the body text (an `Original Source:` trailer already split off).
            url: the article's URL, if known.
            outlet: the publisher's name or host, if known.
            original_source: the source the article declares it copies or rewrites.
            text_key: the text's `text_key` when the caller has it already (the end of a store's
                article id, `identity.text_key_of`).
            published: its publication date (ISO 8601), which places it in LSH's window of
                months (`epoch_of`); None puts it among the undated.

        Returns:
            The family it joined, with the strongest link's reason, score and partner.

        Raises:
            FamilyError: the id is already in the index.
        """
        if article_id in self:
            raise FamilyError(f"article {article_id} is already in the family index; remove it first")
        url_key = canonical_url(url)
        # the store passes the end of the article id, this same hash of the same normalised text
        key = text_key if text_key is not None else _text_key(text)
        member = _Member(key, self._next_seq(), url_key, _site_keys(url_key, outlet),
                         _declared_keys(original_source))
        links = self._links(member, text, epoch_of(published))
        before = {self._text_family(link.other_text) for link in links}
        family = min(before, key=self._arrival) if before else article_id  # the earliest article names it
        self._insert(article_id, member, family)
        for link in links:
            if link.reason in ("near_duplicate", "declared_source"):
                self._link(member.text_key, link.other_text, link.reason, link.score)
        absorbed = tuple(sorted(before - {family}))
        if absorbed:
            self._relabel(family, absorbed)
        best = min(links, key=lambda k: (_REASON_RANK[k.reason], -k.score), default=None)
        if best is None:
            return FamilyAssignment(family, "new", 0.0, None)
        return FamilyAssignment(family, best.reason, round(best.score, 4), best.other_article, absorbed)

    def remove(self, article_id: str) -> dict[str, str]:
        """Take an article out; its family may split where it was the only bridge.

        Returns:
            ``{article_id: new_family_id}`` for every remaining article whose family id
            changed (a split, or the family's first article removed).

        Raises:
            FamilyError: the article is not in the index.
        """
        row = self.conn.execute("SELECT family_id, text_key FROM family_members WHERE article_id = ?",
                                (article_id,)).fetchone()
        if row is None:
            raise FamilyError(f"article {article_id} is not in the family index")
        family, key = row[0], row[1]
        self.conn.execute("DELETE FROM family_members WHERE article_id = ?", (article_id,))
        self.conn.execute("DELETE FROM family_keys WHERE article_id = ?", (article_id,))
        if self._first_member(key) is None:  # its text leaves with it, and the text's links
            self._drop_text(key)
            self.conn.execute("DELETE FROM family_links WHERE text_a = ? OR text_b = ?", (key, key))
        return self._regroup(family)

    def family_of(self, article_id: str) -> str:
        """The family id of an article in the index."""
        family = self._family(article_id)
        if family is None:
            raise FamilyError(f"article {article_id} is not in the family index")
        return family

    def families(self) -> dict[str, list[str]]:
        """Every family id with its articles in arrival order, singletons included."""
        out: dict[str, list[str]] = {}
        for article_id, family in self.conn.execute(
                "SELECT article_id, family_id FROM family_members ORDER BY seq"):
            out.setdefault(family, []).append(article_id)
        return out

    def independent_sources(self, article_ids: Iterable[str]) -> int:
        """How many independent sources some articles are: one per family among them."""
        return len({self.family_of(a) for a in article_ids})

    # ------------------------------------------------------------------ persistence

    def to_rows(self) -> FamilyRows:
        """The index as rows of `family_members`, `family_texts` and `family_links`."""
        members = [tuple(r) for r in self.conn.execute(
            """SELECT article_id, family_id, text_key, seq, url_key, site_keys, declared_keys
               FROM family_members ORDER BY seq""")]
        texts = [tuple(r) for r in self.conn.execute(
            "SELECT text_key, shingle_count, shingles, key_tokens, signature, epoch FROM family_texts ORDER BY text_key")]
        links = [tuple(r) for r in self.conn.execute(
            "SELECT text_a, text_b, reason, score FROM family_links ORDER BY text_a, text_b")]
        return FamilyRows(members, texts, links)

    @classmethod
    def from_rows(cls, rows: FamilyRows | tuple) -> FamilyIndex:
        """An in-memory index holding `to_rows` output (whose family ids it keeps)."""
        members, texts, links = rows
        index = cls()
        conn = index.conn
        conn.executemany("INSERT INTO family_members VALUES (?, ?, ?, ?, ?, ?, ?)", members)
        conn.executemany("INSERT INTO family_texts VALUES (?, ?, ?, ?, ?, ?)", texts)
        conn.executemany("INSERT INTO family_links VALUES (?, ?, ?, ?)", links)
        rebuild_bands(conn)
        rebuild_keys(conn)
        return index

    # ------------------------------------------------------------------ adding

    def _links(self, member: _Member, text: str, epoch: int) -> list[_Link]:
        """The links a new member makes to articles already present; stores its text if new,
        its buckets under `epoch`, the month LSH looks around."""
        links = []
        if member.url_key:
            links += [_Link("canonical_url", 1.0, other_text, other) for other, other_text in self.conn.execute(
                "SELECT article_id, text_key FROM family_members WHERE url_key = ? ORDER BY seq", (member.url_key,))]
        first = self._first_member(member.text_key)
        if first is not None:
            links.append(_Link("exact", 1.0, member.text_key, first))
            own = self._arrays(member.text_key) if member.declared_keys else None
            candidates = self._candidates(member.text_key, own, epoch) if own is not None else []
        else:
            shingles = shingle_hashes(text)
            own = TextArrays(shingles, key_hashes(text), self._signature(shingles))
            buckets = band_hashes(own.signature) if len(shingles) else []
            self._put_text(member.text_key, own, buckets, epoch)
            candidates = self._candidates(member.text_key, own, epoch, buckets)
            links += self._near_links(own, candidates)
        linked = {k.other_text for k in links}
        links += self._declared_links(member, own, [c for c in candidates if c not in linked])
        return links

    def _signature(self, shingles: np.ndarray) -> np.ndarray:
        minhash = MinHash(num_perm=NUM_PERM, hashfunc=int, permutations=self._template.permutations,
                          scheme=self._template.scheme)
        if len(shingles):
            minhash.update_batch(shingles.tolist())
        return minhash.hashvalues.astype(np.uint32)

    def _candidates(self, key: str, own: TextArrays, epoch: int, buckets: list[int] | None = None) -> list[str]:
        """LSH candidates for a text (its `buckets` when known) among the texts of `epoch` and
        its neighbours, the `MAX_CANDIDATES` with most agreeing MinHash values."""
        if not len(own.shingles):
            return []
        buckets = buckets or band_hashes(own.signature)
        epochs = _probed_epochs(epoch)
        found = sorted(row[0] for row in self.conn.execute(
            f"""SELECT DISTINCT text_key FROM family_bands
                WHERE epoch IN ({",".join("?" * len(epochs))}) AND band_hash IN ({",".join("?" * len(buckets))})""",
            (*epochs, *buckets)) if row[0] != key)
        if len(found) > MAX_CANDIDATES:
            signatures = self._signatures(found)
            agree = {k: int(np.count_nonzero(signatures[k] == own.signature)) for k in found}
            found = sorted(found, key=lambda k: (-agree[k], k))[:MAX_CANDIDATES]
        return found

    def _near_links(self, own: TextArrays, candidates: list[str]) -> list[_Link]:
        links = []
        arrays = self._arrays_of(candidates)  # one read for all of them
        for other in candidates:
            score = _near_score(own, arrays[other])
            if score is not None:
                links.append(_Link("near_duplicate", score, other, self._first_member(other)))
        return links

    def _declared_links(self, member: _Member, own: TextArrays | None, candidates: list[str]) -> list[_Link]:
        """Links to articles this one declares as its source, and to articles that declare it
        (`own` is the member's text arrays, read here if None and needed)."""
        links, seen = [], {member.text_key}
        for article_id, other_text, exact in self._declared_partners(member, candidates):
            if other_text in seen:
                continue
            own = own if own is not None else self._arrays(member.text_key)
            score = _declared_score(own, self._arrays(other_text))
            if exact or score is not None:
                seen.add(other_text)
                links.append(_Link("declared_source", score or 0.0, other_text, article_id))
        return links

    def _declared_partners(self, member: _Member, candidates: list[str]) -> Iterator[tuple[str, str, bool]]:
        """(article, its text, declared by exact URL?) for the articles a declaration relates,
        bounded in number: the `DECLARED_SCAN` most recent articles of each declared outlet (and
        declarers of this one's outlet) are checked directly; older ones only when LSH offered
        their text."""
        own = ([f"url:{member.url_key}"] if member.url_key else []) + [f"site:{s}" for s in member.site_keys]
        for key in member.declared_keys:
            kind, _, value = key.partition(":")
            rows = self._recent_at_url(value) if kind == "url" else self._recent_with_key(f"site:{value}")
            for article_id, text_key in rows:
                yield article_id, text_key, kind == "url"
        for key in own:
            for article_id, text_key in self._recent_with_key(f"declared:{key}"):
                yield article_id, text_key, key.startswith("url:")
        declared_sites = {k[5:] for k in member.declared_keys if k.startswith("site:")}
        recent = self._recent_members(candidates)
        for text in candidates:
            for article_id, sites, declared in recent.get(text, ()):
                if declared_sites.intersection(sites.split()) or set(own).intersection(declared.split()):
                    yield article_id, text, False

    def _recent_members(self, texts: list[str]) -> dict[str, list[tuple[str, str, str]]]:
        """(article, site keys, declared keys) of the `DECLARED_SCAN` latest members of each
        text, newest first: one statement for all of LSH's candidates, whose number grows
        with the store, instead of one each (each part still reads only its latest members)."""
        members: dict[str, list[tuple[int, str, str, str]]] = {}
        part = """SELECT * FROM (SELECT text_key, seq, article_id, site_keys, declared_keys FROM family_members
                                 WHERE text_key = ? ORDER BY seq DESC LIMIT ?)"""
        for start in range(0, len(texts), MAX_CANDIDATES):
            chunk = texts[start:start + MAX_CANDIDATES]
            sql = " UNION ALL ".join([part] * len(chunk))
            params = [value for text in chunk for value in (text, DECLARED_SCAN)]
            for text, seq, article_id, sites, declared in self.conn.execute(sql, params):
                members.setdefault(text, []).append((seq, article_id, sites, declared))
        return {text: [row[1:] for row in sorted(rows, reverse=True)] for text, rows in members.items()}

    def _recent_at_url(self, url_key: str) -> list[tuple[str, str]]:
        return self.conn.execute(
            "SELECT article_id, text_key FROM family_members WHERE url_key = ? ORDER BY seq DESC LIMIT ?",
            (url_key, DECLARED_SCAN)).fetchall()

    def _recent_with_key(self, key: str) -> list[tuple[str, str]]:
        return self.conn.execute(
            """SELECT k.article_id, m.text_key FROM family_keys k JOIN family_members m USING (article_id)
               WHERE k.key = ? ORDER BY k.seq DESC LIMIT ?""", (key, DECLARED_SCAN)).fetchall()

    def _insert(self, article_id: str, member: _Member, family: str) -> None:
        self.conn.execute(
            """INSERT INTO family_members (article_id, family_id, text_key, seq, url_key, site_keys, declared_keys)
               VALUES (?, ?, ?, ?, ?, ?, ?)""",
            (article_id, family, member.text_key, member.seq, member.url_key, " ".join(member.site_keys),
             " ".join(member.declared_keys)))
        self.conn.executemany("INSERT INTO family_keys (key, seq, article_id) VALUES (?, ?, ?)",
                              _key_rows(article_id, member.seq, member.site_keys, member.declared_keys))

    def _link(self, a: str, b: str, reason: str, score: float) -> None:
        """Record a link between two texts, or a stronger reason for one already there."""
        if a == b:
            return
        a, b = min(a, b), max(a, b)
        current = self.conn.execute("SELECT reason, score FROM family_links WHERE text_a = ? AND text_b = ?",
                                    (a, b)).fetchone()
        if current is None or (_REASON_RANK[reason], -score) < (_REASON_RANK[current[0]], -current[1]):
            self.conn.execute("INSERT OR REPLACE INTO family_links (text_a, text_b, reason, score) VALUES (?, ?, ?, ?)",
                              (a, b, reason, score))

    def _relabel(self, family: str, absorbed: tuple[str, ...]) -> None:
        marks = ",".join("?" * len(absorbed))
        self.conn.execute(f"UPDATE family_members SET family_id = ? WHERE family_id IN ({marks})",
                          (family, *absorbed))

    # ------------------------------------------------------------------ removing

    def _regroup(self, family: str) -> dict[str, str]:
        """Recompute the parts of a family from the links and shared URLs that remain; each
        part takes the id of its earliest article. Returns the members whose id changed."""
        members = self.conn.execute(
            "SELECT article_id, text_key, seq, url_key FROM family_members WHERE family_id = ?", (family,)).fetchall()
        parent = {row[1]: row[1] for row in members}

        def root(key: str) -> str:
            while parent[key] != key:
                parent[key] = parent[parent[key]]
                key = parent[key]
            return key

        def union(a: str, b: str) -> None:
            parent[root(a)] = root(b)

        # a link joins two texts of one family
        for a, b in self._rows_in("SELECT text_a, text_b FROM family_links WHERE text_a IN ({marks})", sorted(parent)):
            if b in parent:
                union(a, b)
        at_url: dict[str, str] = {}
        for _, key, _, url_key in members:
            if url_key:
                union(key, at_url.setdefault(url_key, key))
        first: dict[str, tuple[int, str]] = {}
        for article_id, key, seq, _ in members:
            part = root(key)
            first[part] = min(first.get(part, (seq, article_id)), (seq, article_id))
        changed = {article_id: first[root(key)][1] for article_id, key, _, _ in members
                   if first[root(key)][1] != family}
        self.conn.executemany("UPDATE family_members SET family_id = ? WHERE article_id = ?",
                              [(new, article_id) for article_id, new in changed.items()])
        return changed

    # ------------------------------------------------------------------ rows

    def _value(self, sql: str, params: tuple = ()):
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row is not None else None

    def _next_seq(self) -> int:
        return self._value("SELECT COALESCE(MAX(seq), -1) + 1 FROM family_members")

    def _family(self, article_id: str) -> str | None:
        return self._value("SELECT family_id FROM family_members WHERE article_id = ?", (article_id,))

    def _text_family(self, key: str) -> str:
        return self._value("SELECT family_id FROM family_members WHERE text_key = ? LIMIT 1", (key,))

    def _first_member(self, key: str) -> str | None:
        return self._value("SELECT article_id FROM family_members WHERE text_key = ? ORDER BY seq LIMIT 1", (key,))

    def _arrival(self, article_id: str) -> tuple[int, str]:
        return self._value("SELECT seq FROM family_members WHERE article_id = ?", (article_id,)), article_id

    def _put_text(self, key: str, arrays: TextArrays, buckets: list[int], epoch: int) -> None:
        self.conn.execute(
            """INSERT OR IGNORE INTO family_texts (text_key, shingle_count, shingles, key_tokens, signature, epoch)
               VALUES (?, ?, ?, ?, ?, ?)""", _text_row(key, arrays, epoch))
        if len(arrays.shingles):
            self.conn.executemany("INSERT OR IGNORE INTO family_bands (epoch, band_hash, text_key) VALUES (?, ?, ?)",
                                  [(epoch, bucket, key) for bucket in buckets])

    def _arrays(self, key: str) -> TextArrays:
        row = self.conn.execute("SELECT shingles, key_tokens, signature FROM family_texts WHERE text_key = ?",
                                (key,)).fetchone()
        if row is None:
            raise FamilyError(f"text {key} has no row in family_texts; the store's family tables disagree")
        return TextArrays(_array(row[0]), _array(row[1]), _array(row[2]))

    def _arrays_of(self, keys: list[str]) -> dict[str, TextArrays]:
        found = {k: TextArrays(_array(sh), _array(kt), _array(sig)) for k, sh, kt, sig in self._rows_in(
            "SELECT text_key, shingles, key_tokens, signature FROM family_texts WHERE text_key IN ({marks})", keys)}
        missing = set(keys) - set(found)
        if missing:
            raise FamilyError(f"text {min(missing)} has no row in family_texts; the store's family tables disagree")
        return found

    def _signatures(self, keys: list[str]) -> dict[str, np.ndarray]:
        return {k: _array(sig) for k, sig in self._rows_in(
            "SELECT text_key, signature FROM family_texts WHERE text_key IN ({marks})", keys)}

    def _rows_in(self, sql: str, keys: list[str], chunk: int = 500) -> Iterator[tuple]:
        """Rows of `sql` whose `{marks}` takes placeholders for `keys`, a chunk at a time
        (SQLite bounds the parameters of one statement)."""
        for start in range(0, len(keys), chunk):
            part = keys[start : start + chunk]
            yield from self.conn.execute(sql.format(marks=",".join("?" * len(part))), part).fetchall()

    def _drop_text(self, key: str) -> None:
        row = self.conn.execute("SELECT shingle_count, signature, epoch FROM family_texts WHERE text_key = ?",
                                (key,)).fetchone()
        if row is not None and row[0]:  # its buckets, found by key from its epoch and signature
            buckets = band_hashes(_array(row[1]))
            marks = ",".join("?" * len(buckets))
            self.conn.execute(f"DELETE FROM family_bands WHERE epoch = ? AND band_hash IN ({marks}) AND text_key = ?",
                              (row[2], *buckets, key))
        self.conn.execute("DELETE FROM family_texts WHERE text_key = ?", (key,))


def _declared_score(a: TextArrays, b: TextArrays) -> float | None:
    """The similarity that makes a declared source a rewrite of its declarer, or None."""
    jaccard, containment = similarity(a.shingles, b.shingles)
    smaller = min(len(a.shingles), len(b.shingles))
    if jaccard >= DECLARED_JACCARD:
        return jaccard
    if containment >= DECLARED_CONTAINMENT and smaller >= MIN_DECLARED_SHINGLES:
        return containment
    return None



def _near_score(a: TextArrays, b: TextArrays) -> float | None:
    """The similarity that makes two texts near-duplicates, or None when they are not.

    Close texts (Jaccard >= `NEAR_JACCARD`, or one contained in the other) need their key
    tokens not to disagree; looser ones (`REWRITE_*`) need them to agree closely.
    """
    keys = _keys_agree(a.keys, b.keys)
    if keys is not None and keys < min(KEYS_AGREE, REWRITE_KEYS):
        # names and figures disagree: no test below can pass, so the (larger) shingle sets
        # are not compared; LSH's chance candidates, whose number grows with the store,
        # mostly end here
        return None
    jaccard, containment = similarity(a.shingles, b.shingles)
    contained = min(len(a.shingles), len(b.shingles)) >= MIN_CONTAINMENT_SHINGLES
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


def _text_row(key: str, arrays: TextArrays, epoch: int) -> tuple:
    return (key, len(arrays.shingles), _blob(arrays.shingles), _blob(arrays.keys), _blob(arrays.signature), epoch)


def _blob(values: np.ndarray) -> bytes:
    return values.astype("<u4").tobytes()


def _array(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<u4").astype(np.uint32)
