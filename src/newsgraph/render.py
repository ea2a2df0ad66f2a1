"""Plain-text rendering of an article with its records marked inline."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def mark_text(text: str, mentions: Iterable[Mapping[str, Any]]) -> str:
    """The text with each mention written `[span|Actor Name]`; overlapping spans are skipped."""
    parts: list[str] = []
    cursor = 0
    for m in sorted(mentions, key=lambda m: (m["start"], -m["end"])):
        if m["start"] < cursor:
            continue
        parts.append(text[cursor : m["start"]])
        span = text[m["start"] : m["end"]]
        label = m["actor"] if m["actor"] != span else m["kind"]
        parts.append(f"[{span}|{label}]")
        cursor = m["end"]
    parts.append(text[cursor:])
    return "".join(parts)
