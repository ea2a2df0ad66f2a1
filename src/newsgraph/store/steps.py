"""The cross-article derivations, as explicit steps the store runs around its writes.

A write stores one article's own records; what follows from them across articles is kept by
these steps, each owning its SQL (here, or in the module it names):

| step        | module          | keeps                                                        |
|-------------|-----------------|--------------------------------------------------------------|
| `RELATIONS` | `graph.py`      | actor-to-actor weights by month (`relation_pairs`)           |
| `STORIES`   | `stories.py`    | events of one happening across articles (`stories`, …)       |
| `FAMILIES`  | `families.py`   | near-duplicate and syndicated copies (`family_*`, `articles.family_*`) |

Actor resolution is the fourth derivation, but it runs inside the write (an article's
mentions need their actors' ids) and settles the actors a removal or a re-keying leaves
behind after the steps: `newsgraph.store.actors`.

Each step has three hooks, run in the order of the tuple that lists them:

- `added`: after an article and its records are written (`AFTER_WRITE`);
- `removing`: a context around the removal of an article (`ON_DELETE`) or of the records a
  corrected version replaces (`ON_SUPERSEDE`): the code before `yield` reads what it needs
  while the rows are there, the code after it tidies up once they are gone;
- `rekeying`: a context around moving records of some extraction keys to another actor
  (a merge, split or undo: `ON_REKEY`).

Contexts are entered in the tuple's order and left in the reverse one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from . import graph as graph_module
from . import resolution, stories
from ..identity import text_key_of

if TYPE_CHECKING:
    from ..types import Article
    from .families import FamilyIndex


@dataclass(frozen=True)
class Written:
    """What a write stored: the article, whether its records were extracted, its event ids."""

    article: Article
    extracted: bool
    event_ids: Sequence[str] = ()


class Host(Protocol):
    """What a step needs of the store: its connection and its duplicate-family index."""

    conn: sqlite3.Connection

    @property
    def families(self) -> FamilyIndex: ...


class Step(Protocol):
    """One cross-article derivation (see the module docstring for when each hook runs)."""

    name: str

    def added(self, store: Host, written: Written) -> None: ...

    def removing(self, store: Host, article_id: str) -> AbstractContextManager[None]: ...

    def rekeying(self, store: Host, keys: set[str]) -> AbstractContextManager[None]: ...


class Relations:
    """Relations between actors: each article's share of `relation_pairs`, added and taken away."""

    name = "relations"

    def added(self, store: Host, written: Written) -> None:
        if written.extracted:
            self._apply(store.conn, [written.article.id], 1)

    @contextmanager
    def removing(self, store: Host, article_id: str) -> Iterator[None]:
        self._apply(store.conn, [article_id], -1)
        yield

    @contextmanager
    def rekeying(self, store: Host, keys: set[str]) -> Iterator[None]:
        with self.following(store.conn, graph_module.articles_of_actors(store.conn, actor_keys=keys)):
            yield

    @contextmanager
    def following(self, conn: sqlite3.Connection, article_ids: set[str]) -> Iterator[None]:
        """Keep the stored relations exact while the block re-keys these articles' participants:
        their shares come out before and go back in, as they then stand, after."""
        if article_ids:
            self._apply(conn, article_ids, -1)
        yield
        if article_ids:
            self._apply(conn, article_ids, 1)

    @staticmethod
    def _apply(conn: sqlite3.Connection, article_ids: Iterable[str], sign: int) -> None:
        graph_module.apply_shares(conn, graph_module.article_shares(conn, article_ids), sign)


class Stories:
    """Stories: a new article's events join stories (or the article joins one by its text)."""

    name = "stories"

    def added(self, store: Host, written: Written) -> None:
        if written.extracted:
            stories.assign(store.conn, written.event_ids, written.article.id)

    @contextmanager
    def removing(self, store: Host, article_id: str) -> Iterator[None]:
        its_stories = stories.of_article(store.conn, article_id)
        yield
        # joined by its text alone (the article row may stay: a superseded version)
        store.conn.execute("DELETE FROM story_articles WHERE article_id = ?", (article_id,))
        stories.drop_empty(store.conn, its_stories)

    @contextmanager
    def rekeying(self, store: Host, keys: set[str]) -> Iterator[None]:
        moved_events = sorted({r[0] for key in keys for r in store.conn.execute(
            f"SELECT event_id FROM participants WHERE {resolution.rows_of_key('participants')}", {"key": key})})
        yield
        stories.restory(store.conn, moved_events)  # stories are keyed on the parties' actor ids
        stories.reconsider(store.conn, keys)  # articles in no story may now name a story's parties


class Families:
    """Duplicate families: every stored article, extracted or not, joins one."""

    name = "families"

    def added(self, store: Host, written: Written) -> None:
        article = written.article
        assignment = store.families.add(article.id, article.text, url=article.url, outlet=article.outlet,
                                        original_source=article.original_source, text_key=text_key_of(article.id),
                                        published=article.published)
        store.conn.execute(
            "UPDATE articles SET family_reason = ?, family_score = ?, family_match = ? WHERE id = ?",
            (assignment.reason, assignment.score, assignment.matched_article, article.id))

    @contextmanager
    def removing(self, store: Host, article_id: str) -> Iterator[None]:
        yield
        if article_id in store.families:
            store.families.remove(article_id)

    @contextmanager
    def rekeying(self, store: Host, keys: set[str]) -> Iterator[None]:
        yield  # families are of texts, not of actors


RELATIONS, STORIES, FAMILIES = Relations(), Stories(), Families()

# The steps in the order they run after a new article is written.
AFTER_WRITE: tuple[Step, ...] = (RELATIONS, STORIES, FAMILIES)
# Around deleting an article (the family loses it too).
ON_DELETE: tuple[Step, ...] = (RELATIONS, STORIES, FAMILIES)
# Around dropping the records a corrected version replaces (its text stays in its family).
ON_SUPERSEDE: tuple[Step, ...] = (RELATIONS, STORIES)
# Around moving the records of some extraction keys to another actor.
ON_REKEY: tuple[Step, ...] = (RELATIONS, STORIES)


def after_write(store: Host, written: Written, steps: Sequence[Step] = AFTER_WRITE) -> None:
    """Run each step's `added` hook, in order."""
    for step in steps:
        step.added(store, written)


@contextmanager
def removing(store: Host, article_id: str, steps: Sequence[Step]) -> Iterator[None]:
    """The steps' `removing` contexts around the block that removes an article's rows."""
    with ExitStack() as stack:
        for step in steps:
            stack.enter_context(step.removing(store, article_id))
        yield


@contextmanager
def rekeying(store: Host, keys: set[str], steps: Sequence[Step] = ON_REKEY) -> Iterator[None]:
    """The steps' `rekeying` contexts around the block that moves records of `keys`."""
    with ExitStack() as stack:
        for step in steps:
            stack.enter_context(step.rekeying(store, keys))
        yield
