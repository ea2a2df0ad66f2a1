"""One settings object, built from the packaged `settings.toml` and a user file over it.

`Settings` holds every tunable a settings file may set; `ServeConfig` is what
`newsgraph serve` runs with: the `[serve]` part of the settings, the write token and
CORS origins from the environment, and the command line's options over both.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import SettingsError

SETTINGS_ENV = "NEWSGRAPH_SETTINGS"
TOKEN_ENV = "NEWSGRAPH_TOKEN"
CORS_ENV = "NEWSGRAPH_CORS_ORIGINS"
# The largest page a server may be configured to hand out (the CLI's --max-page allows as much).
MAX_PAGE_LIMIT = 100_000


@dataclass(frozen=True, slots=True)
class Settings:
    """Every tunable of newsgraph, with its packaged default."""

    model: str = "auto"
    batch_size: int = 64
    n_process: int = 0  # 0: chosen by pipeline.choose_engine
    max_file_bytes: int = 50 * 1024 * 1024
    max_article_chars: int = 1_000_000
    min_article_chars: int = 20
    extra_lexicons: tuple[str, ...] = field(default_factory=tuple)
    extract_events: bool = True
    serve_default_page: int = 50
    serve_max_page: int = 500
    serve_max_body: int = 5 * 1024 * 1024
    serve_cors_origins: tuple[str, ...] = field(default_factory=tuple)

    def with_overrides(self, **changes: Any) -> "Settings":
        """Return a copy with the given (non-None) values replaced."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


# TOML [section] key -> Settings attribute
_KEYS = {
    ("nlp", "model"): "model",
    ("nlp", "batch_size"): "batch_size",
    ("nlp", "n_process"): "n_process",
    ("ingest", "max_file_bytes"): "max_file_bytes",
    ("ingest", "max_article_chars"): "max_article_chars",
    ("ingest", "min_article_chars"): "min_article_chars",
    ("lexicons", "extra"): "extra_lexicons",
    ("extract", "events"): "extract_events",
    ("serve", "default_page"): "serve_default_page",
    ("serve", "max_page"): "serve_max_page",
    ("serve", "max_body"): "serve_max_body",
    ("serve", "cors_origins"): "serve_cors_origins",
}
# The smallest (and largest) value each whole-number setting may take.
_RANGES = {
    "batch_size": (1, None),
    "n_process": (0, None),  # 0: the engine is chosen by the cores there are
    "max_file_bytes": (1, None),
    "max_article_chars": (1, None),
    "min_article_chars": (0, None),
    "serve_default_page": (1, MAX_PAGE_LIMIT),
    "serve_max_page": (1, MAX_PAGE_LIMIT),
    "serve_max_body": (1, None),
}
# A browser origin: scheme, host and an optional port, nothing after (no path, no slash).
_ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?|\*")
# Said when a settings file tries to carry a secret.
_TOKEN_HINT = f"the write token is read from ${TOKEN_ENV} only, never from a settings file"


def _read_toml(text: str, origin: str) -> dict[str, Any]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise SettingsError(f"{origin}: not valid TOML ({e}). Fix the file or remove it.") from e
    values: dict[str, Any] = {}
    for section, table in data.items():
        if not isinstance(table, dict):
            raise SettingsError(f"{origin}: '{section}' must be a [section]")
        for key, value in table.items():
            values[_attribute(section, key, origin)] = value
    return values


def _attribute(section: str, key: str, origin: str) -> str:
    """The Settings attribute of `[section] key`, or SettingsError naming the known keys."""
    attr = _KEYS.get((section, key))
    if attr is None:
        if (section, key) == ("serve", "token"):
            raise SettingsError(f"{origin}: unknown setting serve.token; {_TOKEN_HINT}")
        known = ", ".join(f"{s}.{k}" for s, k in _KEYS)
        raise SettingsError(f"{origin}: unknown setting {section}.{key}; known: {known}")
    return attr


def _checked(values: Mapping[str, Any], origin: str) -> dict[str, Any]:
    """`values` with lists made tuples, once each has the type and range its setting needs."""
    types = {f.name: str(f.type) for f in fields(Settings)}
    checked: dict[str, Any] = {}
    for name, value in values.items():
        expected = types[name]
        if expected == "tuple[str, ...]":
            if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
                raise SettingsError(f"{origin}: {_key_of(name)} must be a list of strings, got {value!r}")
            value = tuple(value)
        elif not _has_type(value, expected):
            raise SettingsError(f"{origin}: {_key_of(name)} must be {expected}, got {value!r}")
        _check_range(name, value, origin)
        checked[name] = value
    for origin_value in checked.get("serve_cors_origins", ()):
        if not _ORIGIN.fullmatch(origin_value):
            raise SettingsError(f"{origin}: serve.cors_origins: {origin_value!r} is not an origin; "
                                "write scheme://host[:port], e.g. https://news.example.org, with no path")
    return checked


def _has_type(value: Any, expected: str) -> bool:
    if expected == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if expected == "bool":
        return isinstance(value, bool)
    if expected == "str":
        return isinstance(value, str)
    return True


def _check_range(name: str, value: Any, origin: str) -> None:
    low, high = _RANGES.get(name, (None, None))
    if low is not None and value < low:
        raise SettingsError(f"{origin}: {_key_of(name)} must be at least {low}, got {value!r}")
    if high is not None and value > high:
        raise SettingsError(f"{origin}: {_key_of(name)} must be at most {high}, got {value!r}")


def _key_of(name: str) -> str:
    """`serve.max_page` for the attribute `serve_max_page`: what the user wrote."""
    return next(f"{s}.{k}" for (s, k), attr in _KEYS.items() if attr == name)


def load_settings(path: str | os.PathLike[str] | None = None) -> Settings:
    """Packaged defaults, then `path` (or $NEWSGRAPH_SETTINGS) layered over them.

    Raises:
        SettingsError: the file cannot be read, is not TOML, names an unknown setting, or
            gives a value of the wrong type or out of range.
    """
    packaged = resources.files("newsgraph").joinpath("settings.toml").read_text("utf-8")
    values = _checked(_read_toml(packaged, "packaged settings.toml"), "packaged settings.toml")
    user = path or os.environ.get(SETTINGS_ENV)
    if user:
        user_path = Path(user)
        try:
            text = user_path.read_text("utf-8")
        except OSError as e:
            raise SettingsError(f"{user_path}: cannot read settings file ({e.strerror})") from e
        values.update(_checked(_read_toml(text, str(user_path)), str(user_path)))
    return Settings(**values)


@dataclass(frozen=True, slots=True)
class ServeConfig:
    """What `newsgraph serve` needs: the store, the write token and the limits.

    Attributes:
        db: path of the SQLite store.
        token: bearer token that unlocks writes; None keeps the API read-only (writes get 403).
        default_page: rows a listing returns when `limit` is not given.
        max_page: the largest `limit` a client may ask for.
        max_body: the largest request body accepted, in bytes.
        cors_origins: origins allowed to call the API from a browser; empty means no CORS.
        settings: the settings used by ingest.
    """

    db: str
    token: str | None = None
    default_page: int = 50
    max_page: int = 500
    max_body: int = 5 * 1024 * 1024
    cors_origins: tuple[str, ...] = ()
    settings: Settings = field(default_factory=Settings)

    @classmethod
    def from_environment(cls, db: str, *, settings: Settings | None = None, **overrides: Any) -> "ServeConfig":
        """The configuration of a server over `db`, from the most to the least specific source.

        `overrides` (the command line's options; None values ignored) win over the environment
        (`$NEWSGRAPH_TOKEN`, and `$NEWSGRAPH_CORS_ORIGINS`, comma-separated), which wins over
        the `[serve]` settings. The token comes from the environment alone.
        """
        settings = settings or load_settings()
        env_origins = tuple(o.strip() for o in os.environ.get(CORS_ENV, "").split(",") if o.strip())
        values: dict[str, Any] = {
            "token": os.environ.get(TOKEN_ENV) or None,
            "cors_origins": env_origins or settings.serve_cors_origins,
            "default_page": settings.serve_default_page,
            "max_page": settings.serve_max_page,
            "max_body": settings.serve_max_body,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(db=db, settings=settings, **values)
