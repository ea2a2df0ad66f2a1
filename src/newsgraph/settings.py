"""One settings object, built from the packaged `settings.toml` and a user file over it."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import SettingsError

SETTINGS_ENV = "NEWSGRAPH_SETTINGS"


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
}


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
            attr = _KEYS.get((section, key))
            if attr is None:
                known = ", ".join(f"{s}.{k}" for s, k in _KEYS)
                raise SettingsError(f"{origin}: unknown setting {section}.{key}; known: {known}")
            values[attr] = tuple(value) if attr == "extra_lexicons" else value
    return values


def _check_types(values: dict[str, Any], origin: str) -> None:
    types = {f.name: f.type for f in fields(Settings)}
    for name, value in values.items():
        expected = types[name]
        ok = {
            "str": isinstance(value, str),
            "int": isinstance(value, int) and not isinstance(value, bool),
            "bool": isinstance(value, bool),
        }.get(expected, True)
        if not ok:
            raise SettingsError(f"{origin}: {name} must be {expected}, got {value!r}")


def load_settings(path: str | os.PathLike | None = None) -> Settings:
    """Packaged defaults, then `path` (or $NEWSGRAPH_SETTINGS) layered over them."""
    packaged = resources.files("newsgraph").joinpath("settings.toml").read_text("utf-8")
    values = _read_toml(packaged, "packaged settings.toml")
    user = path or os.environ.get(SETTINGS_ENV)
    if user:
        user_path = Path(user)
        try:
            text = user_path.read_text("utf-8")
        except OSError as e:
            raise SettingsError(f"{user_path}: cannot read settings file ({e.strerror})") from e
        values.update(_read_toml(text, str(user_path)))
    _check_types(values, str(user or "settings"))
    return Settings(**values)
