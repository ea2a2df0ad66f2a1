"""What was known when: a story's reports in publication order, each with its own view and
its stance toward what came before, the story's status on any date, and the same for each
claim made in its reports. No model is called: views come from the stored factuality of the
story's events and claims.

    story = describe(store, 12, as_of="2025-03-21")
    story["status"]["text"]          # "confirmed by KCNA, 2025-03-21"
    [(r["outlet"], r["stance"]) for r in story["reports"]]

Report time (an article's publication day) is kept apart from event time (the day the event
happened): `as_of` keeps the reports published on or before that day; undated reports are
only known with no `as_of`.

Independent sources: copies and rewrites of one report (one duplicate family), and a report
whose declared original source or cited source names another report's outlet, count once.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from . import stories
from .stories import NEGATIVE, POSITIVE, content_words

if TYPE_CHECKING:
    from .queries import Queries as Store

# How much of a claim's content words another claim must share (of the shorter one's) to be
# a report of the same claim, and at least how many words.
SAME_CLAIM = 0.5
SAME_CLAIM_WORDS = 2


def known(published: str | None, as_of: str | None) -> bool:
    """Whether a report published then was known on `as_of` (a year, month or day)."""
    if as_of is None:
        return True
    return bool(published) and published[:len(as_of)] <= as_of  # type: ignore[index]


def describe(store: Store, story_id: int, as_of: str | None = None, *, claims: bool = True) -> dict[str, Any]:
    """A story as users see it: its parties, event and place, its reports in order with their
    stance, its current status, independent sources and (unless `claims` is False, as in a
    listing) its claims over time; all as known on `as_of`."""
    conn = store.conn
    joined = {a: (how, score) for a, how, score in stories.story_articles(conn, story_id)}
    heads = _article_heads(store, list(joined))
    # in publication order; of one day's reports, one that names its outlet first
    articles = sorted((a for a in heads if known(heads[a]["published"], as_of)),
                      key=lambda a: (not heads[a]["published"], heads[a]["published"] or "", not heads[a]["outlet"],
                                     heads[a]["seq"]))
    position = {a: n for n, a in enumerate(articles)}
    rows = [r for r in conn.execute(
        """SELECT e.id, e.article_id, e.cameo, e.cameo_name, e.plover_type, e.status, e.negated, e.time_value,
                  e.place, e.mirrored, e.sentence, e.trigger_start, e.trigger_end, e.trigger
           FROM story_events s JOIN events e ON e.id = s.event_id WHERE s.story_id = ?
           ORDER BY e.rowid""", (story_id,)) if r[1] in position]
    rows.sort(key=lambda r: position[r[1]])
    copies = _copies(store, articles)
    said = _article_claims(store, articles, full=claims)
    groups = independent_groups(articles, heads, _families(store, articles), said)
    reports = _reports(articles, heads, rows, joined, groups, said)
    _cite_leads(store, reports)
    parts = _parties(store, story_id, {r[0] for r in rows})
    head = next((r for r in rows if not r[9]), rows[0] if rows else None)
    first = reports[0] if reports else None
    found: dict[str, set[str]] = {}
    for r in rows:
        found.setdefault(r[1], set()).add(_status(r))
    statuses = {a: sorted(found.get(a, ())) for a in articles}
    return {
        "id": story_id,
        "as_of": as_of,
        "cameo": head[2] if head else None, "cameo_name": head[3] if head else None,
        "plover": head[4] if head else None,
        "source": parts["source"], "target": parts["target"],
        "time": next((r[7] for r in rows if r[7]), None),
        "place": next((r[8] for r in rows if r[8]), None),
        "first_reported": None if first is None else {
            "published": first["published"], "outlet": first["outlet"], "article": first["article"]},
        "outlets": sorted({heads[a]["outlet"] for a in articles if heads[a]["outlet"]}
                          | {c["outlet"] for c in copies if c["outlet"]}),
        "articles": articles,
        "mentions": len(rows),
        "independent_sources": len(set(groups.values())),
        "statuses": statuses,
        "agreement": _agreement(reports, statuses),
        "status": story_status(reports),
        "reports": reports,
        "claims": claim_threads(articles, heads, groups, said) if claims else None,
        "events": [r[0] for r in rows],
    }


def _cite_leads(store: Store, reports: list[dict[str, Any]]) -> None:
    """A report with neither an event nor a claim is cited by its first sentence."""
    for report in reports:
        if not report["evidence"]:
            lead = store.conn.execute("SELECT start, end FROM sentences WHERE article_id = ? ORDER BY idx LIMIT 1",
                                      (report["article"],)).fetchone()
            report["evidence"] = [{"article": report["article"], "start": lead[0], "end": lead[1], "text": None}
                                  ] if lead else []


def _agreement(reports: list[dict[str, Any]], statuses: dict[str, list[str]]) -> str:
    """Whether the independent sources agree that it happened: agreement, contradiction or negated."""
    by_group: dict[str, set[str]] = {}
    for report in reports:
        by_group.setdefault(report["source_group"], set()).update(statuses.get(report["article"]) or [report["view"]])
    says_yes = {g for g, s in by_group.items() if s & POSITIVE}
    says_no = {g for g, s in by_group.items() if s & NEGATIVE}
    if says_yes and says_no and says_yes != says_no:
        return "contradiction"
    return "negated" if says_no and not says_yes else "agreement"


def _status(row: tuple) -> str:
    return "negated" if row[6] else (row[5] or "asserted")


def _article_heads(store: Store, ids: list[str]) -> dict[str, dict[str, Any]]:
    if not ids:
        return {}
    return {r["id"]: r for r in store._dicts_in(
        """SELECT id, seq, outlet, published, title, url, original_source FROM articles WHERE id IN ({marks})""", ids)}


def _copies(store: Store, articles: list[str]) -> list[dict[str, Any]]:
    if not articles:
        return []
    return store._dicts_in("SELECT article_id, outlet, url, published FROM article_copies WHERE article_id IN ({marks})",
                           articles)


def _parties(store: Store, story_id: int, events: set[str]) -> dict[str, list[dict[str, Any]]]:
    """Who did what to whom: the parties of the story's (known) events that name both sides,
    not a host's mirrored side, which repeats the visit with the roles turned; each once."""
    rows = [r for r in store.conn.execute(
        """SELECT p.event_id, p.role, p.actor_id, p.name, p.code,
                  e.mirrored = 0 AND EXISTS (SELECT 1 FROM participants t WHERE t.event_id = e.id
                                             AND t.role = 'target') AS dyadic
           FROM participants p JOIN story_events s ON s.event_id = p.event_id JOIN events e ON e.id = p.event_id
           WHERE s.story_id = ? ORDER BY p.role, p.name""", (story_id,)) if r[0] in events]
    if any(r[5] for r in rows):
        rows = [r for r in rows if r[5]]
    out: dict[str, list[dict[str, Any]]] = {"source": [], "target": []}
    seen: set[tuple] = set()
    for _, role, actor_id, name, code, _ in rows:
        if (role, actor_id or name) in seen or role not in out:
            continue
        seen.add((role, actor_id or name))
        out[role].append({"actor_id": actor_id, "name": name, "code": code})
    return out


# -- independent sources --------------------------------------------------------------------


@lru_cache(maxsize=4096)
def outlet_key(name: str | None) -> str:
    """An outlet or source name as compared: letters and digits only ("Northern Wire" ->
    "northernwire"); a web address keeps its host ("wire.example.com")."""
    if not name:
        return ""
    host = re.match(r"(?:https?://)?(?:www\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)+)", name.strip().lower())
    if host and "." in host.group(1) and " " not in name.strip():
        return host.group(1)
    return re.sub(r"[\W_]+", "", name.lower())


@lru_cache(maxsize=4096)
def _initials(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Z][\w'-]*", name)).lower()


def _same_outlet(name: str, outlet: str | None, url: str | None) -> bool:
    """Whether a source name, initials or address names this outlet ("Korean Central News
    Agency" names "KCNA"; "wire.example.com" the outlet at that host)."""
    key = outlet_key(name)
    if not key:
        return False
    if outlet and (key == outlet_key(outlet) or _initials(name) == outlet_key(outlet)):
        return True
    host = outlet_key(url) if url else ""
    return bool(host) and (key == host or host.endswith("." + key))


def _families(store: Store, articles: list[str]) -> dict[str, str]:
    """Each article's duplicate family (itself when it has none), in one query."""
    found = {r["article_id"]: r["family_id"] for r in store._dicts_in(
        "SELECT article_id, family_id FROM family_members WHERE article_id IN ({marks})", articles)} if articles else {}
    return {a: found.get(a, a) for a in articles}


def independent_groups(articles: list[str], heads: dict[str, dict[str, Any]], families: dict[str, str],
                       claims: dict[str, list[dict[str, Any]]]) -> dict[str, str]:
    """Each article's independent source: its duplicate family, merged with the family of an
    earlier report whose outlet its declared original source or a source it cites names."""
    group = dict(families)
    earlier = _OutletIndex()
    for n, article in enumerate(articles):
        names = {heads[article]["original_source"] or ""}
        for claim in claims.get(article, []):
            names |= {claim["source"]["name"] if claim["source"] else "",
                      claim["cited_source"]["text"] if claim.get("cited_source") else ""}
        names.discard("")
        # only the earlier reports whose outlet or address one of the names may name are tested
        for m in earlier.candidates(names):
            before = articles[m]
            if group[before] == group[article] or heads[before]["outlet"] == heads[article]["outlet"]:
                continue
            if any(_same_outlet(name, heads[before]["outlet"], heads[before]["url"]) for name in names):
                old = group[article]
                group = {a: group[before] if g == old else g for a, g in group.items()}
        earlier.add(n, heads[article]["outlet"], heads[article]["url"])
    return group


class _OutletIndex:
    """Reports by the keys of their outlet and of their address's host, so that the reports a
    source name may name (`_same_outlet`) are found without comparing it with every report:
    a story of thousands of reports is grouped in linear time."""

    def __init__(self) -> None:
        self.by_outlet: dict[str, list[int]] = {}
        self.by_host: dict[str, list[int]] = {}

    def add(self, position: int, outlet: str | None, url: str | None) -> None:
        if outlet and outlet_key(outlet):
            self.by_outlet.setdefault(outlet_key(outlet), []).append(position)
        host = outlet_key(url) if url else ""
        if host:
            self.by_host.setdefault(host, []).append(position)

    def candidates(self, names: set[str]) -> list[int]:
        """Positions, in order, of the reports one of `names` may name: same outlet key or
        initials, same host, or a host under the name's key."""
        found: set[int] = set()
        for name in names:
            key = outlet_key(name)
            if not key:
                continue
            for outlet in (key, _initials(name)):
                found.update(self.by_outlet.get(outlet, ()))
            for host, positions in self.by_host.items():
                if host == key or host.endswith("." + key):
                    found.update(positions)
        return sorted(found)


# -- reports and the story's status --------------------------------------------------------


def _reports(articles: list[str], heads: dict[str, dict[str, Any]], rows: list[tuple],
             joined: dict[str, tuple[str, float | None]], groups: dict[str, str],
             claims: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    reports = []
    by_article: dict[str, list[tuple]] = {}
    for row in rows:
        by_article.setdefault(row[1], []).append(row)
    for article in articles:
        head, mine = heads[article], by_article.get(article, [])
        own_claims = claims.get(article, [])
        if mine:  # the claims that carry the story's events, or stand in their sentences
            events, sentences = {r[0] for r in mine}, {r[10] for r in mine}
            own_claims = [c for c in own_claims if set(c["events"]) & events or c["evidence"]["sentence"] in sentences]
        cites = []
        for claim in own_claims:
            source = claim["source"]
            if source is None or _same_outlet(source["name"], head["outlet"], head["url"]):
                continue
            if (claim["status"] or "asserted") not in POSITIVE:
                continue  # a source that did not confirm, or denied, is not what the report rests on
            name = source["name"] + (f" citing {claim['cited_source']['text']}" if claim.get("cited_source") else "")
            if name not in cites:
                cites.append(name)
        evidence = ([{"article": article, "start": r[11], "end": r[12], "text": r[13]} for r in mine[:1]]
                    or [{"article": article, "start": c["cue"]["span"][0], "end": c["cue"]["span"][1],
                         "text": c["cue"]["text"]} for c in own_claims[:1]])
        reports.append({"article": article, "outlet": head["outlet"], "published": head["published"],
                        "title": head["title"], "url": head["url"], "original_source": head["original_source"],
                        "joined": joined[article][0], "similarity": joined[article][1],
                        "source_group": groups[article], "view": _view(mine, own_claims, cites),
                        "cites": cites, "evidence": evidence})
    _stances(reports)
    return reports


def _article_claims(store: Store, articles: list[str], full: bool) -> dict[str, list[dict[str, Any]]]:
    """The claims of each article in text order, read in one batch: in full (with their
    content), or only what a report's view and citations need (a listing)."""
    out: dict[str, list[dict[str, Any]]] = {a: [] for a in articles}
    if not articles:
        return out
    if full:
        ids = [r["id"] for r in store._dicts_in("SELECT id FROM claims WHERE article_id IN ({marks})", articles)]
        claims = store._claims_by_id(ids) if ids else []
    else:
        claims = [_lean_claim(r) for r in store._dicts_in(
            """SELECT c.id, c.article_id, c.sentence, c.cue, c.cue_start, c.cue_end, c.source_name, c.cited_source,
                      c.status, (SELECT group_concat(event_id, ' ') FROM claim_events ce WHERE ce.claim_id = c.id)
                      AS events
               FROM claims c WHERE c.article_id IN ({marks})""", articles)]
    for claim in sorted(claims, key=lambda c: c["cue"]["span"][0]):
        out.setdefault(claim["article"], []).append(claim)
    return out


def _lean_claim(row: dict[str, Any]) -> dict[str, Any]:
    """The parts of a claim (in `Store.claims`' shape) that a report's view needs."""
    return {"id": row["id"], "article": row["article_id"], "status": row["status"],
            "source": None if row["source_name"] is None else {"name": row["source_name"]},
            "cited_source": None if row["cited_source"] is None else {"text": row["cited_source"]},
            "cue": {"text": row["cue"], "span": [row["cue_start"], row["cue_end"]]},
            "events": (row["events"] or "").split(), "evidence": {"sentence": row["sentence"]}}


def _view(events: list[tuple], claims: list[dict[str, Any]], cites: list[str]) -> str:
    """An article's own view of the event: denied, negated, unconfirmed (said to have
    happened, not confirmed), reported (with a source), asserted, or its other status."""
    statuses = {_status(r) for r in events} or {c["status"] or "asserted" for c in claims} or {"asserted"}
    for negative in ("denied", "negated"):
        if negative in statuses and not statuses & POSITIVE:
            return negative
    if "unconfirmed" in statuses:
        return "unconfirmed"
    if statuses & POSITIVE:
        return "reported" if cites or statuses == {"reported"} else "asserted"
    return sorted(statuses)[0]


def _stances(reports: list[dict[str, Any]]) -> None:
    """Each report's stance toward the reports before it: the first report; repeats (a copy
    or rewrite of an earlier report, or another report that does not confirm it); confirms
    (an independent source says it happened); denies or contradicts."""
    groups: set[str] = set()
    positive = negative = False
    for n, report in enumerate(reports):
        view = report["view"]
        if n == 0:
            stance = "first report"
        elif report["source_group"] in groups:
            stance = "repeats"
        elif view in NEGATIVE:
            stance = "denies" if view == "denied" or positive else "contradicts"
        elif view in ("asserted", "reported"):
            stance = "contradicts" if negative and not positive else "confirms"
        else:
            stance = "repeats"
        report["stance"] = stance
        groups.add(report["source_group"])
        positive |= view in ("asserted", "reported", "unconfirmed")
        negative |= view in NEGATIVE


def story_status(reports: list[dict[str, Any]]) -> dict[str, Any]:
    """The story's status after these reports: confirmed (by the first independent report
    that says so), disputed, denied, unconfirmed or reported; with who and when."""
    if not reports:
        return {"value": "unknown", "by": None, "date": None, "article": None, "text": "no reports yet"}
    first = reports[0]
    deny = next((r for r in reports if r["stance"] in ("denies", "contradicts") and r["view"] in NEGATIVE), None)
    confirm = next((r for r in reports if r["stance"] == "confirms"), None)
    if deny and (confirm or first["view"] not in NEGATIVE):
        value, by = "disputed", deny
    elif first["view"] in NEGATIVE and not confirm:
        value, by = first["view"], first
    elif confirm:
        value, by = "confirmed", confirm
    elif any(r["view"] == "unconfirmed" for r in reports):
        value, by = "unconfirmed", first
    else:
        value, by = first["view"], first
    who = by["outlet"] or "an unnamed outlet"
    when = (by["published"] or "undated")[:10]
    if value == "disputed":
        text = f"disputed: denied by {who}, {when}"
    elif value in ("unconfirmed", "reported", "asserted") and by is first:
        cites = f" citing {', '.join(first['cites'])}" if first["cites"] else ""
        text = f"reported by {who}{cites}, {when}" + ("; unconfirmed" if value == "unconfirmed" else "")
    else:
        text = f"{value} by {who}, {when}"
    return {"value": value, "by": by["outlet"], "date": by["published"], "article": by["article"], "text": text}


# -- claims over time ------------------------------------------------------------------------


def claim_threads(articles: list[str], heads: dict[str, dict[str, Any]], groups: dict[str, str],
                  claims: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The claims of a story's reports, those saying the same thing grouped, each group in
    publication order: first reported (by whom, where, when), then what each later report
    did with it (repeats, confirms, denies, contradicts), and the claim's status now."""
    threads: list[dict[str, Any]] = []
    by_word: dict[str, list[int]] = {}  # the threads whose first claim has each word
    for article in articles:
        for claim in claims.get(article, []):
            words = content_words(" ".join(part["text"] for part in claim["content"]))
            entry = {"claim": claim["id"], "article": article, "outlet": heads[article]["outlet"],
                     "published": heads[article]["published"],
                     "source": claim["source"]["name"] if claim["source"] else None,
                     "cited_source": claim["cited_source"]["text"] if claim.get("cited_source") else None,
                     "status": claim["status"] or "asserted", "cue": claim["cue"]["text"],
                     "content": " … ".join(part["text"] for part in claim["content"]),
                     "evidence": {"article": article, "start": claim["cue"]["span"][0], "end": claim["cue"]["span"][1],
                                  "text": claim["cue"]["text"]}}
            found = _same_claim_thread(words, threads, by_word)
            if found is None:
                for word in words:
                    by_word.setdefault(word, []).append(len(threads))
                threads.append({"words": words, "history": [entry]})
            else:
                threads[found]["history"].append(entry)
    return [_thread(t["history"], groups) for t in threads]


def _same_claim_thread(words: Any, threads: list[dict[str, Any]], by_word: dict[str, list[int]]) -> int | None:
    """The first thread whose claim says the same as `words` (`_enough_shared`), found among
    the threads that share a word with it: a story of thousands of claims is threaded
    without comparing each claim with every thread."""
    shared: dict[int, int] = {}
    for word in words:
        for n in by_word.get(word, ()):
            shared[n] = shared.get(n, 0) + 1
    return next((n for n in sorted(shared) if _enough_shared(shared[n], words, threads[n]["words"])), None)


def _enough_shared(shared: int, a: Any, b: Any) -> bool:
    """Whether two claims' content words (`a`, `b`), `shared` of them in common, say the same."""
    return shared >= SAME_CLAIM_WORDS and shared >= SAME_CLAIM * min(len(a), len(b))


def _thread(history: list[dict[str, Any]], groups: dict[str, str]) -> dict[str, Any]:
    seen: set[str] = set()
    sources: set[str | None] = set()
    positive = negative = False
    for n, entry in enumerate(history):
        negative_now = entry["status"] in NEGATIVE
        if n == 0:
            entry["stance"] = "first report"
        elif negative_now and positive:
            entry["stance"] = "denies" if entry["status"] == "denied" else "contradicts"
        elif not negative_now and negative:
            entry["stance"] = "contradicts"
        elif groups[entry["article"]] in seen or entry["source"] in sources:
            entry["stance"] = "repeats"
        else:
            entry["stance"] = "confirms"
        seen.add(groups[entry["article"]])
        sources.add(entry["source"])
        positive |= not negative_now
        negative |= negative_now
    status = "disputed" if positive and negative else history[-1]["status"] if not positive else (
        "confirmed" if any(e["stance"] == "confirms" for e in history) else history[0]["status"])
    first = history[0]
    return {"first_reported": {k: first[k] for k in ("claim", "article", "outlet", "published", "source")},
            "status": status, "content": first["content"], "history": history}


# -- what a listing shows ----------------------------------------------------------------------

# The fields of a story a listing shows (`summary_of`); its reports, events, articles and
# claims over time are on its own page
SUMMARY_FIELDS = ("id", "as_of", "cameo", "cameo_name", "plover", "source", "target", "time", "place",
                  "first_reported", "outlets", "mentions", "independent_sources", "agreement", "status")
# Stale summaries written per transaction by `refresh_summaries`
_REFRESH_BATCH = 500


def summary_of(story: dict[str, Any]) -> dict[str, Any]:
    """What a story listing shows of a described story: who did what, when and where, its
    status, agreement and sources, with how many articles report it instead of their list."""
    return {**{k: story[k] for k in SUMMARY_FIELDS}, "article_count": len(story["articles"])}


def summaries(store: Store, ids: list[int], *, as_of: str | None = None) -> list[dict[str, Any]]:
    """The summaries of these stories in the order given: the stored ones (m020), and each
    stale or missing one, or all as known on `as_of`, from its description."""
    stored: dict[int, dict[str, Any]] = {}
    if not as_of and ids and store._has_table("story_summaries"):
        from orjson import loads

        marks = ",".join("?" * len(ids))
        stored = {r[0]: loads(r[1]) for r in store.conn.execute(
            f"SELECT story_id, summary FROM story_summaries WHERE story_id IN ({marks}) AND summary IS NOT NULL",
            ids)}
    return [stored.get(i) or summary_of(describe(store, i, as_of=as_of, claims=False)) for i in ids]


def refresh_summaries(store: Store) -> int:
    """Write the summary of every story marked stale since the last call (ingest calls this
    when it ends); returns how many were written."""
    if not store._has_table("story_summaries"):
        return 0
    from orjson import dumps

    written = 0
    while True:
        with store.atomic():
            stale = [r[0] for r in store.conn.execute(
                "SELECT story_id FROM story_summaries WHERE summary IS NULL LIMIT ?", (_REFRESH_BATCH,))]
            for story_id in stale:
                if store.conn.execute("SELECT 1 FROM stories WHERE id = ?", (story_id,)).fetchone() is None:
                    store.conn.execute("DELETE FROM story_summaries WHERE story_id = ?", (story_id,))
                    continue
                summary = dumps(summary_of(describe(store, story_id, claims=False))).decode()
                store.conn.execute("UPDATE story_summaries SET summary = ? WHERE story_id = ?", (summary, story_id))
                written += 1
        if len(stale) < _REFRESH_BATCH:
            return written
