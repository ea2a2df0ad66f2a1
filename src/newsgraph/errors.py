"""The errors newsgraph raises.

    NewsgraphError            anything newsgraph raises on purpose
    ├── BadParameter          an option or query parameter has a malformed value
    ├── SettingsError         a settings file or value is wrong
    ├── ModelError            the spaCy model cannot be loaded
    ├── IngestError           one input (file, line, record) cannot be read
    ├── ExtractionError       an extractor failed on a parsed document
    ├── LexiconError          a lexicon data file is malformed
    ├── EvalError             a gold file cannot be read
    └── StoreError            the SQLite store refused an operation
        ├── NotFound          a requested record does not exist
        └── MigrationError    the schema could not be brought up to date

Library code raises these; only the CLI (and later the HTTP API) turns them into
messages for people. Messages say what went wrong and what to do next.
"""

from __future__ import annotations


class NewsgraphError(Exception):
    """Base class of every error newsgraph raises on purpose."""


class BadParameter(NewsgraphError):
    """An option or query parameter has a malformed value; `param` names it."""

    def __init__(self, param: str, reason: str) -> None:
        super().__init__(f"{param}: {reason}")
        self.param = param
        self.reason = reason


class SettingsError(NewsgraphError):
    """A settings file or value is invalid."""


class ModelError(NewsgraphError):
    """The configured spaCy model is not installed or cannot be loaded."""


class IngestError(NewsgraphError):
    """One input cannot be read; `source` names the file (and line) at fault."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class ExtractionError(NewsgraphError):
    """An extractor failed on a parsed document."""


class LexiconError(NewsgraphError):
    """A lexicon data file is malformed."""


class EvalError(NewsgraphError):
    """A gold-standard file is missing or malformed."""


class StoreError(NewsgraphError):
    """The store refused an operation."""


class NotFound(StoreError):
    """A requested record does not exist in the store."""


class MigrationError(StoreError):
    """The store's schema could not be migrated."""
