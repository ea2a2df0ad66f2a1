"""The errors newsgraph raises.

    NewsgraphError            anything newsgraph raises on purpose
    ├── BadParameter          an option or query parameter has a malformed value
    ├── SettingsError         a settings file or value is wrong
    ├── ModelError            the spaCy model cannot be loaded
    ├── IngestError           one input (file, line, record) cannot be read
    │   └── WorkerCrashed     a worker process ended abruptly; the ingest stops
    ├── LexiconError          a lexicon data file is malformed
    ├── EvalError             a gold file cannot be read
    ├── ApiError              a request the HTTP API refuses, with its HTTP status
    ├── FamilyError           a family index operation was refused
    ├── SummariseError        the input cannot be summarised
    ├── SparkMissing          PySpark (or PyArrow) is not installed
    └── StoreError            the SQLite store refused an operation
        ├── NotFound          a requested record does not exist
        ├── StoreUnreadable   the store file cannot be opened or is not a store
        ├── MigrationError    the schema could not be brought up to date
        └── BackupError       a backup, dump or restore could not be made

Errors a user may search for carry a stable code at the start of their message
(`E201: lexicon file … not found`); docs/errors.md lists every code, and a test keeps
that catalogue and the source in step.

Library code raises these; only the CLI and the HTTP API turn them into messages for
people. `message` says what went wrong in words fit for any client; `hint`, when given,
says what to do next at the command line and may name local files. `str(error)` is both,
as the CLI prints it; the API shows `message` alone, so no server path or shell command
reaches a remote client.
"""

from __future__ import annotations

from typing import Any


class NewsgraphError(Exception):
    """Base class of every error newsgraph raises on purpose."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(f"{message}; {hint}" if hint else message)
        self.message = message
        self.hint = hint


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


class WorkerCrashed(IngestError):
    """A worker process ended abruptly (killed, out of memory); the ingest stops."""


class LexiconError(NewsgraphError):
    """A lexicon data file is malformed."""


class EvalError(NewsgraphError):
    """A gold-standard file is missing or malformed."""


class FamilyError(NewsgraphError):
    """A family index operation was refused (an id added twice, removed while absent)."""


class SummariseError(NewsgraphError):
    """The input cannot be summarised (it is neither a Doc nor text)."""


class SparkMissing(NewsgraphError):
    """PySpark (or PyArrow, for loading) is not installed."""


class StoreError(NewsgraphError):
    """The store refused an operation."""


class NotFound(StoreError):
    """A requested record does not exist in the store."""


class StoreUnreadable(StoreError):
    """The store file cannot be opened, or it is not a newsgraph store."""


class MigrationError(StoreError):
    """The store's schema could not be migrated."""


class BackupError(StoreError):
    """A backup, dump or restore that could not be made; the target is left untouched."""


class ApiError(NewsgraphError):
    """A request the HTTP API refuses: its HTTP `status`, per-item `errors` and response `headers`.

    Unlike other errors, its message is written for the API's clients (it never names server
    paths), so the API shows it whole.
    """

    def __init__(self, status: int, message: str, errors: list[Any] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.errors = errors or []
        self.headers = headers or {}
