"""Plain-text rendering of an article with its records marked inline."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def mark_text(text: str, mentions: Iterable[Mapping[str, Any]],
              events: Iterable[Mapping[str, Any]] = ()) -> str:
    """The text with actors written `[span|Actor Name]` and event triggers `{trigger|042 CONSULT}`.

    Every mention of an event is marked; an event mentioned more than once adds its number
    and which mention this is (`{visit|042 CONSULT e1 2/3}`), so its mentions read as one.
    Overlapping marks are skipped (the first, longest one wins).
    """
    marks = [(m["start"], m["end"], "[", f"|{_actor_label(text, m)}]") for m in mentions]
    for e in events:
        code = f"{e['cameo']['code']} {e['plover']['type'] or e['cameo']['name']}"
        if e["factuality"]["negated"]:
            code += " NOT"
        spans = [tuple(m["trigger_span"]) for m in e.get("mentions") or ()] or [tuple(e["evidence"]["trigger_span"])]
        for n, (start, end) in enumerate(spans, 1):
            which = f" {e['id'].rsplit('-', 1)[-1]} {n}/{len(spans)}" if len(spans) > 1 else ""
            marks.append((start, end, "{", f"|{code}{which}}}"))
    parts: list[str] = []
    cursor = 0
    for start, end, opening, closing in sorted(marks, key=lambda m: (m[0], -m[1])):
        if start < cursor:
            continue
        parts += [text[cursor:start], opening, text[start:end], closing]
        cursor = end
    parts.append(text[cursor:])
    return "".join(parts)


def _actor_label(text: str, m: Mapping[str, Any]) -> str:
    span = text[m["start"] : m["end"]]
    return str(m["actor"] if m["actor"] != span else m["kind"])
