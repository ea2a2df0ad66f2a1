"""Digests in the seed's own form: summary, key facts with status and source, conclusion,
original sources. Every sentence is either extracted from an article (and cites its span) or
generated from stored records (and cites the evidence of each record); nothing is invented.

    render_digest(store, article="86ce7c94", fmt="markdown")
    render_digest(store, story=12, fmt="html")
    render_digest(store, actor="Sergei Shoigu", since="2024", fmt="json")
"""

from __future__ import annotations

import html
import json
from typing import Any

from .dates import check_date
from .store.browse import events_in_order
from .errors import NewsgraphError
from .identity import short_id
from .citations import extracted, generated, key_facts, original_sources, span
from .store import Store
from .summarise import summarise

FORMATS = ("markdown", "html", "json")


def build_digest(store: Store, *, article: str | None = None, story: int | None = None,
                 actor: str | None = None, since: str | None = None, until: str | None = None) -> dict[str, Any]:
    """The digest as data: title, summary, facts, conclusion and sources, each with evidence."""
    if sum(x is not None for x in (article, story, actor)) != 1:
        raise NewsgraphError("a digest is of one article, one story or one actor: give exactly one")
    for param, value in (("since", since), ("until", until)):
        if value:
            check_date(value, param=param)
    if article is not None:
        return _article_digest(store, article)
    if story is not None:
        return _story_digest(store, story)
    assert actor is not None  # exactly one of the three was given (checked above)
    return _actor_digest(store, actor, since, until)


def render_digest(store: Store, *, fmt: str = "markdown", **what: Any) -> str:
    if fmt not in FORMATS:
        raise NewsgraphError(f"unknown digest format {fmt!r}; choose one of {', '.join(FORMATS)}")
    digest = build_digest(store, **what)
    if fmt == "json":
        return json.dumps(digest, ensure_ascii=False, indent=2)
    return to_markdown(digest) if fmt == "markdown" else to_html(digest)


# -- building ----------------------------------------------------------------------------


def _article_digest(store: Store, article_id: str) -> dict[str, Any]:
    article = store.article(article_id)
    text = article["text"]
    summary = [extracted(article, s.start, s.end) for s in summarise(text, sentences=3)]
    events = store.events(article=article["id"], limit=10_000)
    claims = store.claims(article=article["id"], limit=10_000)
    return {
        "kind": "article",
        "title": article["title"] or _first_line(text),
        "summary": summary,
        "facts": key_facts(events, claims, texts={article["id"]: text}),
        "conclusion": _conclusion(article),
        "sources": original_sources([article]),
    }


def _story_digest(store: Store, story_id: int) -> dict[str, Any]:
    from .storydigest import story_digest  # it reuses this module's fact renderer and citations

    return story_digest(store, story_id)


def _actor_digest(store: Store, actor: str, since: str | None, until: str | None) -> dict[str, Any]:
    timeline = store.timeline(actor)
    who = timeline["actor"]
    items = [i for i in timeline["items"] if (not since or (i["date"] or "") >= since)
             and (not until or (i["date"] or "")[:len(until)] <= until)]
    events = [i["record"] for i in items if i["type"] == "event"]
    claims = [i["record"] for i in items if i["type"] == "claim"]
    roles = [r["title"] for r in who["roles"]]  # one per title, the most stated first
    intro = f"{who['name']} ({who['kind']}, {who['country'] or 'country unknown'}"
    intro += f", {who['sector']})" if who["sector"] else ")"
    intro += f" is named {who['mentions']} time(s) in {who['articles']} article(s)"
    intro += f", as {', '.join(roles[:4])}." if roles else "."
    articles = sorted({e["article"] for e in events} | {c["article"] for c in claims})
    return {
        "kind": "actor",
        "title": who["name"],
        "summary": [generated(intro, [])],
        "facts": key_facts(events, claims),
        "conclusion": [generated(f"{len(events)} event(s) and {len(claims)} claim(s) between "
                                  f"{items[0]['date'] if items else '-'} and {items[-1]['date'] if items else '-'}.",
                                  [])],
        "sources": original_sources([store.article(a) for a in articles[:20]]),
    }


def _conclusion(article: dict[str, Any]) -> list[dict[str, Any]]:
    """The first sentence of the article's last paragraph, extracted (its closing thought)."""
    text = article["text"]
    last = text.rstrip().rfind("\n")
    start = last + 1 if last >= 0 else 0
    sentences = summarise(text[start:], sentences=1)
    if not sentences or start == 0:
        return []
    s = sentences[0]
    return [extracted(article, start + s.start, start + s.end)]


def _first_line(text: str) -> str:
    line = text.strip().split("\n", 1)[0]
    return line if len(line) <= 90 else line[:89].rsplit(" ", 1)[0] + "…"


# -- rendering ---------------------------------------------------------------------------


def to_markdown(d: dict[str, Any]) -> str:
    lines = [f"# {_md(d['title'])}", "", "## Summary", ""]
    lines.append(" ".join(f"{_md(s['text'])} {_md_links(s)}" for s in d["summary"]))
    lines += ["", "## Key facts", ""]
    lines += [f"- {_md(f['text'])}{_mentioned(f)} {_md_links(f)}" for f in d["facts"]] or ["- (no coded events)"]
    for section in d.get("sections", []):
        lines += ["", f"## {_md(section['heading'])}", ""]
        lines += [f"- {_md(s['text'])} {_md_links(s)}" for s in section["items"]]
    if d["conclusion"]:
        lines += ["", "## Conclusion", ""]
        lines.append(" ".join(f"{_md(s['text'])} {_md_links(s)}" for s in d["conclusion"]))
    lines += ["", "## Original sources" if d["kind"] == "story" else "## Sources", ""]
    for s in d["sources"]:
        where = ", ".join(x for x in (s["outlet"], s["url"], s["published"]) if x) or "no metadata"
        lines.append(f"- article {s['article']} ({_md(where)})")
        if s["original_source"]:
            lines.append(f"  Original source: {_md(s['original_source'])}")
    return "\n".join(lines) + "\n"


def _mentioned(fact: dict[str, Any]) -> str:
    """How often the article tells the fact, when more than once."""
    return f" (mentioned {fact['mentions']} times)" if fact.get("mentions", 1) > 1 else ""


def _md(text: str) -> str:
    # article text is hostile: no markdown or HTML of its own survives into the digest
    return html.escape(text, quote=False).replace("[", "\\[").replace("]", "\\]").replace("`", "\\`")


def _md_links(item: dict[str, Any]) -> str:
    return " ".join(f"[[{short_id(e['article'])}:{e['start']}–{e['end']}]]({e['link']})" for e in item["evidence"])


def to_html(d: dict[str, Any]) -> str:
    e = html.escape

    def links(item):
        return " ".join(f'<a class="evidence" href="{e(x["link"])}">[{e(short_id(x["article"]))}:{x["start"]}–{x["end"]}]</a>'
                        for x in item["evidence"])

    parts = [f"<article class=\"digest\"><h1>{e(d['title'])}</h1>", "<h2>Summary</h2><p>"]
    parts.append(" ".join(f"{e(s['text'])} {links(s)}" for s in d["summary"]) + "</p>")
    parts.append("<h2>Key facts</h2><ul>")
    parts += [f'<li class="fact status-{e(f["status"])}">{e(f["text"])}{e(_mentioned(f))} {links(f)}</li>'
              for f in d["facts"]]
    parts.append("</ul>")
    for section in d.get("sections", []):
        parts.append(f"<h2>{e(section['heading'])}</h2><ul>")
        parts += [f"<li>{e(s['text'])} {links(s)}</li>" for s in section["items"]]
        parts.append("</ul>")
    if d["conclusion"]:
        parts.append("<h2>Conclusion</h2><p>" + " ".join(f"{e(s['text'])} {links(s)}" for s in d["conclusion"]) + "</p>")
    parts.append("<h2>Original sources</h2><ul>" if d["kind"] == "story" else "<h2>Sources</h2><ul>")
    for s in d["sources"]:
        where = ", ".join(x for x in (s["outlet"], s["url"], s["published"]) if x) or "no metadata"
        extra = f"<br>Original source: {e(s['original_source'])}" if s["original_source"] else ""
        parts.append(f"<li>article {e(s['article'])} ({e(where)}){extra}</li>")
    parts.append("</ul></article>")
    return "\n".join(parts)
