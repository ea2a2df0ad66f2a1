"""The embedded SQLite store: one file, WAL mode, one transaction per article.

    store = Store("newsgraph.db")
    with store.atomic():
        store.add_article(article, records)
    store.actors(kind="person")

Every statement is parameterised; user text never becomes SQL. SQL lives in this package
only (and nowhere else in newsgraph). `Store` is built from rooms, each a class in its own
module, each on the one connection:

- `connection.Connection`: opening, pragmas, read-only mode, the schema (`migrations`), `atomic`;
- `queries.Queries`: the listings and their bounded counts, search (`clauses` builds their
  filters, `shapes` gives records their public JSON shape);
- `timeline.Timelines`: an actor's timeline, one story, the graph and relations;
- `actors.ActorUpkeep`: actor resolution during a write, re-keying, derived actor values;
- `writing.Writing`: articles, copies, corrected versions and their records;
- `curation.Curation`: merge, split, rename, undo, delete.

After a write, the cross-article derivations run as the explicit steps of `steps`
(relations, stories, families). `schema` reads the migrated schema (the one source of the
columns the Spark rows and exports use); `browse`, `storyline` and `backup` are the larger
read models and the dump and restore.
"""

from __future__ import annotations

import logging

from .clauses import (COUNT_CAP, EVENT_DAY, MAX_LIMIT, bounded_total, check_dates, escape_like,
                      fts_query)
from .connection import DB_ENV, DEFAULT_DB, READER_CACHE_KIB, WRITER_CACHE_KIB, default_db_path
from .curation import Curation
from .shapes import claim_json, event_json
from .writing import EXTRACTOR_VERSION

LOGGER = logging.getLogger(__name__)

__all__ = ["COUNT_CAP", "DB_ENV", "DEFAULT_DB", "EVENT_DAY", "EXTRACTOR_VERSION", "MAX_LIMIT", "READER_CACHE_KIB",
           "WRITER_CACHE_KIB", "Store", "bounded_total", "check_dates", "claim_json", "default_db_path",
           "escape_like", "event_json", "fts_query"]


class Store(Curation):
    """A newsgraph database: articles, their records, and what is derived across them."""
