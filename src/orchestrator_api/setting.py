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


def _integer(raw: str, minimum: int) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"expected an integer, got {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"expected an integer >= {minimum}, got {value}")
    return value


def positive_int(raw: str) -> int:
    return _integer(raw, 1)


def non_negative_int(raw: str) -> int:
    return _integer(raw, 0)


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


def _number(raw: str, *, zero_allowed: bool) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"expected a number, got {raw!r}") from None
    in_range = value >= 0 if zero_allowed else value > 0
    if not in_range or value == float("inf"):  # NaN compares false: out of range too
        raise ConfigError(f"expected a finite number {'>=' if zero_allowed else '>'} 0, got {raw!r}")
    return value


def positive_float(raw: str) -> float:
    return _number(raw, zero_allowed=False)


def non_negative_float(raw: str) -> float:
    return _number(raw, zero_allowed=True)
