"""One setting: the error a bad value raises, the record that declares a setting, the common parsers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

PREFIX = "ORCHESTRATOR_API_"
"""Every setting is an environment variable with this prefix."""


class ConfigError(ValueError):
    """A setting has a value that cannot be used."""


def bool_value(raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ConfigError(f"expected a boolean, got {raw!r}")


def positive_int(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"expected an integer, got {raw!r}") from None
    if value < 1:
        raise ConfigError(f"expected a positive integer, got {value}")
    return value


def non_negative_int(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"expected an integer, got {raw!r}") from None
    if value < 0:
        raise ConfigError(f"expected zero or a positive integer, got {value}")
    return value


def word_list(raw: str) -> tuple[str, ...]:
    """Comma- or space-separated words (Airflow separates CORS origins with spaces)."""
    return tuple(word for word in raw.replace(",", " ").split() if word)


@dataclass(frozen=True)
class Setting:
    """One environment variable: its parser, default, section in ``get_config`` and meaning."""

    name: str
    parse: Callable[[str], Any]
    default: str
    section: str
    help: str
    secret: bool = False


def positive_float(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"expected a number, got {raw!r}") from None
    if not value > 0 or value == float("inf"):
        raise ConfigError(f"expected a positive number, got {raw!r}")
    return value


def non_negative_float(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"expected a number, got {raw!r}") from None
    if not value >= 0 or value == float("inf"):
        raise ConfigError(f"expected a number of at least 0, got {raw!r}")
    return value
