"""Placeholder: replaced by the entity-recognition work (gazetteers, demonyms, casing)."""

from __future__ import annotations


def add_entity_components(nlp) -> None:
    """Add newsgraph's entity components to `nlp` (none yet)."""
    return None
