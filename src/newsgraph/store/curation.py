"""The store's curation room: the user's decisions about actors (merge, split, rename,
each recorded in `actor_decisions` and undoable) and deleting articles.

A decision re-keys records (`ActorUpkeep._reassign`), and the derivations follow it
(`steps.ON_REKEY`); a delete runs `steps.ON_DELETE` around the removal.
"""

from __future__ import annotations

from typing import Any

from ..errors import NotFound, StoreError
from . import resolution, steps
from .clauses import now
from .writing import Writing


class Curation(Writing):
    """Changes a person asks for, after ingest."""

    def merge_actors(self, keep: str, other: str) -> dict[str, Any]:
        """Merge actor `other` into `keep` (ids, names or aliases); recorded and undoable."""
        a, b = self.resolve_actor(keep), self.resolve_actor(other)
        resolution.check_not_same(a["key"], b["key"])
        with self.atomic():
            keys = resolution.member_keys(self.conn, b["key"])
            before = resolution.snapshot_links(self.conn, keys)
            for key in keys:
                resolution.add_link(self.conn, key, resolution.Link(a["key"], "merged by user", None, False))
            self._decide("merge", b["key"], a["key"], None, before)
            self._reassign(keys)
        return self.resolve_actor(str(a["id"]))

    def split_actor(self, actor: str, part: str) -> dict[str, Any]:
        """Split the mentions that came in as `part` (a key, or a name or alias form) off `actor`."""
        a = self.resolve_actor(actor)
        members = resolution.member_keys(self.conn, a["key"]) - {a["key"]}
        wanted = {k for k in members if k == part or k.split(":", 1)[-1] == resolution.fold_name(part)}
        wanted |= {r[0] for r in self.conn.execute(
            "SELECT DISTINCT actor_key FROM mentions WHERE actor_id = ? AND text = ?", (a["id"], part))
            if r[0] in members}
        if not wanted:
            forms = ", ".join(sorted(members)) or "none: nothing was merged into it"
            raise StoreError(f"{part!r} did not come into {a['name']!r} by a merge; merged keys: {forms}")
        with self.atomic():
            keys = set().union(*(resolution.member_keys(self.conn, k) for k in wanted))
            before = resolution.snapshot_links(self.conn, keys)
            for key in wanted:
                resolution.add_link(self.conn, key, resolution.Link(key, "split by user", None, False))
            self._decide("split", a["key"], ",".join(sorted(wanted)), None, before)
            self._reassign(keys, kind=a["kind"])
        return {"actor": self.resolve_actor(str(a["id"])), "split": sorted(wanted)}

    def rename_actor(self, actor: str, name: str) -> dict[str, Any]:
        a = self.resolve_actor(actor)
        with self.atomic():
            self._decide("rename", a["key"], None, name, "{}")
            self._derive_actors([a["id"]])
        return self.resolve_actor(str(a["id"]))

    def undo_decision(self) -> dict[str, Any]:
        """Undo the most recent merge, split or rename that is not undone yet."""
        row = self.conn.execute(
            "SELECT seq, kind, key, other, name, before FROM actor_decisions WHERE undone = 0 ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        if row is None:
            raise NotFound("no decision to undo")
        with self.atomic():
            self.conn.execute("UPDATE actor_decisions SET undone = 1 WHERE seq = ?", (row["seq"],))
            keys = set(resolution.restore_links(self.conn, row["before"]))
            if keys:
                self._reassign(keys)
            ids = [r[0] for r in self.conn.execute("SELECT id FROM actors WHERE key = ?", (row["key"],))]
            self._derive_actors(ids)
        return {"undone": row["kind"], "key": row["key"], "other": row["other"], "name": row["name"]}

    def decisions(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute(
            "SELECT seq, kind, key, other, name, created, undone FROM actor_decisions ORDER BY seq")]

    def _decide(self, kind: str, key: str, other: str | None, name: str | None, before: str) -> None:
        self.conn.execute(
            "INSERT INTO actor_decisions (kind, key, other, name, before, created) VALUES (?, ?, ?, ?, ?, ?)",
            (kind, key, other, name, before, now()),
        )

    def delete_article(self, article_id: str) -> dict[str, Any]:
        """Remove an article and whatever only it supported; returns what was removed.

        Actors, events and claims other articles support keep their other evidence; an actor
        no article mentions any more is removed; later versions of the article stay.
        """
        article = self.article(article_id)
        with self.atomic():
            touched = self._touched_actors(article["id"])
            counts = {t: self._count_for(t, article["id"]) for t in ("mentions", "events", "claims")}
            self.conn.execute(
                "UPDATE articles SET previous_version = ? WHERE previous_version = ?",
                (article["previous_version"], article["id"]),
            )
            with steps.removing(self, article["id"], steps.ON_DELETE):
                self.conn.execute("DELETE FROM articles WHERE id = ?", (article["id"],))
            removed = self._settle_actors(touched)
        return {"article": article["id"], **counts, "actors_removed": removed}

    def _count_for(self, table: str, article_id: str) -> int:
        return int(self.conn.execute(f"SELECT COUNT(*) FROM {table} WHERE article_id = ?", (article_id,)).fetchone()[0])
