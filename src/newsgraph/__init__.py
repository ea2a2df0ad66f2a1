"""newsgraph: turn news into evidence — actors, events, claims and their sources."""

from __future__ import annotations

import logging

__version__ = "0.1.0"

from .errors import NewsgraphError  # noqa: E402
from .settings import Settings, load_settings  # noqa: E402
from .store import Store  # noqa: E402

__all__ = ["NewsgraphError", "Settings", "Store", "__version__", "ingest", "load_settings", "process_doc"]

logging.getLogger(__name__).addHandler(logging.NullHandler())


def __getattr__(name: str):
    # The pipeline pulls in spaCy; import it only when asked for.
    if name in ("ingest", "process_doc"):
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(name)
