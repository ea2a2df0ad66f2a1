"""The store's writing room: one article and its records in one transaction, copies of a
text seen elsewhere, and corrected versions that replace the records of the one before.

After the records are written, the cross-article derivations run in the order
`steps.AFTER_WRITE` lists (relations, stories, families); see `newsgraph.store.steps`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import NotFound
from ..extract.mentions import mentions_of
from ..identity import text_key_of
from ..types import Article, ArticleRecords, CodedEvent
from . import steps
from .actors import ActorUpkeep
from .clauses import now

if TYPE_CHECKING:
    # pulls in spaCy (2 s); reading a store does not need it
    from ..extract.claims import Claim

EXTRACTOR_VERSION = "newsgraph-0.1"


class Writing(ActorUpkeep):
    """Articles and their records in; derivations after each write."""

    def has_article(self, article_id: str) -> bool:
        row = self.conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row is not None

    def stored_id(self, article: Article) -> str | None:
        """Id of the stored article with the same text as `article`, or None: its own id, or
        the id of a copy stored first under another publication day (ids begin with the day;
        every stored article is in `family_members`, keyed by its text)."""
        if self.has_article(article.id):
            return article.id
        row = self.conn.execute("SELECT article_id FROM family_members WHERE text_key = ? ORDER BY seq LIMIT 1",
                                (text_key_of(article.id),)).fetchone()
        return row[0] if row else None

    def add_article(
        self, article: Article, records: ArticleRecords | None = None, *, note: str | None = None
    ) -> bool:
        """Store an article and its records in one transaction, then run the derivations
        (`steps.AFTER_WRITE`); False if it was already there. A text under the URL of a stored
        article is its corrected version: the one before loses its records."""
        with self.atomic():
            if self.stored_id(article) is not None:
                return False
            previous = self._previous_version(article)
            self._insert_article(article, previous, extracted=records is not None, note=note)
            event_ids = self._insert_records(article.id, records) if records is not None else []
            steps.after_write(self, steps.Written(article, extracted=records is not None, event_ids=event_ids))
            if previous is not None:
                self._supersede(previous, article.id)
        return True

    def add_copy(self, article: Article) -> bool:
        """Record the same text seen at another URL or outlet (under the stored article's id,
        whatever day this copy gives); False if nothing new was seen."""
        stored_id = self.stored_id(article)
        stored = None if stored_id is None else self.conn.execute(
            "SELECT url, outlet FROM articles WHERE id = ?", (stored_id,)).fetchone()
        if stored is None:
            raise NotFound(f"no article {article.id} to record a copy of")
        if (article.url or None, article.outlet or None) in ((stored[0], stored[1]), (None, None)):
            return False
        with self.atomic():
            cursor = self.conn.execute(
                """INSERT OR IGNORE INTO article_copies (article_id, url, outlet, published, source, seen)
                   VALUES (?, ?, ?, ?, ?, ?)""",
                (stored_id, article.url or "", article.outlet or "", article.published, article.source, now()),
            )
        return cursor.rowcount > 0

    def _previous_version(self, article: Article) -> str | None:
        # A different text under the same URL is a corrected version of that article.
        if not article.url:
            return None
        row = self.conn.execute(
            "SELECT id FROM articles WHERE url = ? ORDER BY seq DESC LIMIT 1", (article.url,)
        ).fetchone()
        return row["id"] if row else None

    def _insert_article(self, a: Article, previous: str | None, *, extracted: bool, note: str | None) -> None:
        self.conn.execute(
            """INSERT INTO articles (id, url, outlet, title, author, published, published_precision,
                ingested, language, extracted, note, original_source, source, previous_version,
                extractor_version, text)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (a.id, a.url, a.outlet, a.title, a.author, a.published, a.published_precision,
             now(), a.language, int(extracted), note, a.original_source, a.source, previous,
             EXTRACTOR_VERSION, a.text),
        )

    def _insert_records(self, article_id: str, records: ArticleRecords) -> list[str]:
        """Write one article's records; returns its event ids."""
        self.conn.executemany(
            "INSERT INTO sentences (article_id, idx, start, end) VALUES (?, ?, ?, ?)",
            [(article_id, i, s, e) for i, (s, e) in enumerate(records.sentences)],
        )
        ids = self._actor_ids(records)
        # one fact per actor and article: of two keys that resolved to one actor, the later
        # one's (as a REPLACE would leave it, but counted by the tally's triggers)
        facts = {ids[a.key]: (ids[a.key], article_id, a.name, a.country, a.sector, a.place_kind, a.key)
                 for a in records.actors}
        self.conn.executemany(
            """INSERT INTO actor_facts (actor_id, article_id, name, country, sector, place_kind, actor_key)
               VALUES (?, ?, ?, ?, ?, ?, ?)""",
            list(facts.values()),
        )
        self.conn.executemany("INSERT OR IGNORE INTO key_articles (actor_key, article_id) VALUES (?, ?)",
                              [(key, article_id) for key in sorted(_keys_named(records))])
        self._derive_actors(self._changed_by(records.actors, ids))
        self.conn.executemany(
            """INSERT INTO mentions (article_id, actor_id, sentence, start, end, text, label, actor_key)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            [(article_id, ids[m.actor], m.sentence, m.start, m.end, m.text, m.label, m.actor)
             for m in records.mentions if m.actor in ids],
        )
        self.conn.executemany(
            """INSERT INTO roles (actor_id, article_id, title, country, sector, began, ended,
                sentence, start, end, actor_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [(ids[a.key], article_id, r.title, r.country, r.sector, r.began, r.ended,
              r.sentence, r.start, r.end, a.key) for a in records.actors for r in a.roles],
        )
        self.conn.executemany(
            "INSERT OR IGNORE INTO aliases (actor_id, article_id, alias, actor_key) VALUES (?, ?, ?, ?)",
            [(ids[a.key], article_id, alias, a.key) for a in records.actors for alias in sorted(a.aliases)],
        )
        event_ids = [f"{article_id}-e{n}" for n in range(1, len(records.events) + 1)]
        for event_id, coded in zip(event_ids, records.events):
            self._insert_event(event_id, article_id, coded, ids)
        for number, claim in enumerate(records.claims, 1):
            self._insert_claim(f"{article_id}-c{number}", article_id, claim, ids, event_ids)
        self.conn.executemany(
            """INSERT INTO timexes (article_id, position, start, end, text, type, value, precision, mod,
                 anchored, range_start, range_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [(article_id, i, t.start, t.end, t.text, t.type, t.value, t.precision, t.mod, int(t.anchored),
              t.range_start, t.range_end) for i, t in enumerate(records.timexes)],
        )
        return event_ids

    def _insert_claim(self, claim_id: str, article_id: str, claim: Claim, ids: dict[str, int],
                      event_ids: list[str]) -> None:
        src, f = claim.source, claim.factuality
        self.conn.execute(
            """INSERT INTO claims (id, article_id, sentence, kind, cue, cue_lemma, cue_start, cue_end,
                 source_actor_id, source_name, source_named, source_countries, source_sector,
                 source_start, source_end, source_pronoun, certainty, polarity, tense, status,
                 source_actor_key, cited_source, cited_start, cited_end)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (claim_id, article_id, claim.sentence, claim.kind, claim.cue.text, claim.cue_lemma,
             claim.cue.start, claim.cue.end,
             ids.get(src.actor_key) if src and src.actor_key else None,
             src.name if src else None, None if src is None else int(src.named),
             ",".join(src.countries) if src else None, src.sector if src else None,
             src.start if src else None, src.end if src else None, int(bool(src and src.pronoun)),
             f.certainty, f.polarity, f.time, f.status, src.actor_key if src else None,
             *_cited_columns(claim)),
        )
        self.conn.executemany(
            "INSERT INTO claim_contents (claim_id, position, start, end) VALUES (?, ?, ?, ?)",
            [(claim_id, i, c.start, c.end) for i, c in enumerate(claim.contents)],
        )
        self.conn.executemany(
            "INSERT INTO claim_events (claim_id, event_id) VALUES (?, ?)",
            [(claim_id, event_ids[i]) for i in claim.events],
        )

    def _insert_event(self, event_id: str, article_id: str, coded: CodedEvent, ids: dict[str, int]) -> None:
        e, t, f = coded.event, coded.time, coded.factuality
        self.conn.execute(
            """INSERT INTO events (id, article_id, sentence, sentence_start, sentence_end, trigger,
                 trigger_start, trigger_end, cameo, cameo_root, cameo_name, goldstein, quad_class,
                 plover_type, plover_mode, plover_context, reciprocal, place, place_country,
                 place_start, place_end, time_value, time_precision, time_source, time_text,
                 time_start, time_end, negated, modality, certainty, polarity, tense, status, time_mod,
                 main, mirrored)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                       ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (event_id, article_id, e.sentence, e.sentence_start, e.sentence_end, e.trigger,
             e.trigger_start, e.trigger_end, e.cameo, e.cameo_root, e.cameo_name, e.goldstein,
             e.quad_class, e.plover_type or None, e.plover_mode, e.plover_context, int(e.reciprocal),
             e.place, e.place_country, e.place_start, e.place_end, t.value, t.precision, t.source,
             t.text, t.start, t.end, int(e.negated), e.modality,
             f.certainty if f else None, f.polarity if f else None, f.time if f else None,
             f.status if f else None, t.mod, int(getattr(e, "main", True)), int(getattr(e, "mirrored", False))),
        )
        rows = []
        for role, refs in (("source", e.sources), ("target", e.targets)):
            for position, ref in enumerate(refs):
                rows.append((event_id, role, position, ids.get(ref.key), ref.name, ref.code or None,
                             ref.country, ref.sector, ref.start, ref.end, ref.key))
        self.conn.executemany(
            """INSERT INTO participants (event_id, role, position, actor_id, name, code, country,
                 sector, start, end, actor_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            rows,
        )
        self.conn.executemany(
            """INSERT INTO quantities (event_id, position, value, unit, approximate, text, start, end)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            [(event_id, i, q.value, q.unit, int(q.approximate), q.text, q.start, q.end)
             for i, q in enumerate(e.quantities)],
        )
        self.conn.executemany(
            """INSERT INTO event_mentions (event_id, position, sentence, sentence_start, sentence_end, trigger,
                 trigger_start, trigger_end, cameo, main) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [(event_id, i, m.sentence, m.sentence_start, m.sentence_end, m.trigger, m.trigger_start,
              m.trigger_end, m.cameo, int(m.main)) for i, m in enumerate(mentions_of(coded))],
        )

    # what a corrected version replaces (every table whose rows an article's extraction made)
    ARTICLE_RECORD_TABLES = ("mentions", "roles", "aliases", "events", "claims", "timexes", "sentences",
                             "actor_facts", "key_articles")

    def _supersede(self, old_id: str, new_id: str) -> None:
        """A corrected version replaces the records of the one before; its text stays."""
        touched = self._touched_actors(old_id)
        with steps.removing(self, old_id, steps.ON_SUPERSEDE):
            for table in self.ARTICLE_RECORD_TABLES:
                self.conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (old_id,))
        self.conn.execute(
            "UPDATE articles SET superseded_by = ?, extracted = 0, note = ? WHERE id = ?",
            (new_id, f"superseded by corrected version {new_id}", old_id),
        )
        self._settle_actors(touched)


def _keys_named(records: ArticleRecords) -> set[str]:
    """The extraction keys re-resolution may look an article's records up by: its actors' and
    its claim sources'. An event party's key is one of its actors' or names no stored actor
    (a place, an unidentified group: keys made per mention, which no link ever joins)."""
    keys = {a.key for a in records.actors}
    keys |= {c.source.actor_key for c in records.claims if c.source and c.source.actor_key}
    return keys


def _cited_columns(claim: Claim) -> tuple[str | None, int | None, int | None]:
    """The cited source's text and span for the claims table (m016), or three NULLs."""
    cited = claim.cited_source
    return (None, None, None) if cited is None else (cited.text, cited.start, cited.end)
