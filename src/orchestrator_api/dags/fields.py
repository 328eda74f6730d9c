"""Typed reads of one YAML mapping, each failure a :class:`DagFileError` naming the field and its line."""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Collection, Mapping
from datetime import UTC, date, datetime
from typing import Any

from orchestrator_api.dags.errors import DagFileError
from orchestrator_api.dags.yaml_lines import LoadedYaml, YamlPath
from orchestrator_api.timeutil import as_utc

ID_PATTERN = re.compile(r"[A-Za-z0-9_.\-]{1,250}")


def field_label(path: YamlPath) -> str:
    """``tasks[2].upstream[0]``-style name of a path of keys and indexes."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


INTEGER_MAX = 2_147_483_647


def describe_value(value: Any) -> str:
    """What kind of value was found, for an error message: never the value itself, which definitions sent
    through the API would otherwise echo back (it may be a pasted secret)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "an empty string" if not value else "a string"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__}"


class FieldReader:
    """Reads the keys of one mapping at ``path``; an unknown key is an error as soon as it is built."""

    def __init__(
        self,
        doc: LoadedYaml,
        filename: str,
        path: YamlPath,
        data: Mapping[Any, Any],
        allowed: Collection[str],
    ) -> None:
        self.doc, self.filename, self.path, self.data = doc, filename, path, data
        for key in data:
            if not isinstance(key, str) or key not in allowed:
                raise self._unknown_key(str(key), allowed)

    def label(self, key: str, *sub: str | int) -> str:
        """``tasks[2].upstream[0]``-style name of a field, for messages."""
        return field_label((*self.path, key, *sub))

    def error(self, key: str, problem: str, *sub: str | int) -> DagFileError:
        """An error about ``key`` (or an item below it) that names the field and points at its line."""
        line = self.doc.line(*self.path, key, *sub)
        return DagFileError(self.filename, line, f"{self.label(key, *sub)}: {problem}")

    def _unknown_key(self, key: str, allowed: Collection[str]) -> DagFileError:
        message = f"unknown key {key!r}"
        close = difflib.get_close_matches(key, list(allowed), n=1)
        if close:
            message += f" (did you mean {close[0]!r}?)"
        where = field_label(self.path)
        return DagFileError(
            self.filename, self.doc.line(*self.path, key), f"{where}: {message}" if where else message
        )

    def has(self, key: str) -> bool:
        """Whether the key is present (even with a null value)."""
        return key in self.data

    def get(self, key: str) -> Any:
        """The raw value, or None when absent."""
        return self.data.get(key)

    def text(self, key: str, *, max_length: int = 2000, allow_empty: bool = False) -> str | None:
        """An optional string."""
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.error(key, f"expected a string, got {describe_value(value)}")
        if not value and not allow_empty:
            raise self.error(key, "must not be empty")
        if len(value) > max_length:
            raise self.error(key, f"must be at most {max_length} characters")
        return value

    def required_text(self, key: str, *, max_length: int = 2000) -> str:
        """A string that must be present."""
        value = self.text(key, max_length=max_length)
        if value is None:
            raise self.error(key, "is required")
        return value

    def identifier(self, key: str) -> str:
        """A required id: 1-250 letters, digits, underscores, dots or dashes."""
        value = self.data.get(key)
        if value is None:
            raise self.error(key, "is required")
        if not isinstance(value, str) or not ID_PATTERN.fullmatch(value):
            raise self.error(
                key, f"must be 1-250 letters, digits, '_', '.' or '-', got {describe_value(value)}"
            )
        return value

    def boolean(self, key: str, default: bool) -> bool:
        """A boolean, ``default`` when absent or null."""
        value = self.data.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.error(key, f"expected true or false, got {describe_value(value)}")
        return value

    def optional_boolean(self, key: str) -> bool | None:
        """A boolean or None."""
        return None if self.data.get(key) is None else self.boolean(key, False)

    def integer(self, key: str, default: int, *, minimum: int | None = None) -> int:
        """An integer (never a boolean), ``default`` when absent or null."""
        value = self.optional_integer(key, minimum=minimum)
        return default if value is None else value

    def optional_integer(self, key: str, *, minimum: int | None = None) -> int | None:
        """An integer or None."""
        value = self.data.get(key)
        if value is None:
            return None
        wanted = "an integer" if minimum is None else f"an integer >= {minimum}"
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(key, f"expected {wanted}, got {describe_value(value)}")
        if minimum is not None and value < minimum:
            raise self.error(key, f"expected {wanted}, got a smaller one")
        if value > INTEGER_MAX:  # the store's integer columns are 32-bit (PostgreSQL refuses more)
            raise self.error(key, f"expected {wanted} up to {INTEGER_MAX}, got a larger one")
        return value

    def seconds(self, key: str, *, positive: bool = False) -> float | None:
        """A duration in seconds (a number), or None."""
        value = self.data.get(key)
        if value is None:
            return None
        number_ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
        if not number_ok or value < 0 or (positive and value == 0):
            bound = "> 0" if positive else ">= 0"
            raise self.error(key, f"expected a number of seconds {bound}, got {describe_value(value)}")
        return float(value)

    def choice(self, key: str, default: str, choices: Collection[str]) -> str:
        """One of ``choices``."""
        value = self.data.get(key)
        if value is None:
            return default
        if value not in choices:
            raise self.error(
                key, f"expected one of {', '.join(sorted(choices))}; got {describe_value(value)}"
            )
        return str(value)

    def string_list(self, key: str, *, max_length: int = 2000) -> list[str]:
        """A list of non-empty strings, duplicates dropped, order kept."""
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error(key, f"expected a list, got {describe_value(value)}")
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item:
                raise self.error(key, f"expected a non-empty string, got {describe_value(item)}", index)
            if len(item) > max_length:
                raise self.error(key, f"must be at most {max_length} characters", index)
            if any(ord(char) < 32 for char in item):
                raise self.error(key, "must not contain control characters", index)
        return list(dict.fromkeys(value))

    def mapping(self, key: str) -> dict[Any, Any] | None:
        """A mapping, or None when absent or null."""
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise self.error(key, f"expected a mapping, got {describe_value(value)}")
        return value

    def nested(self, key: str, allowed: Collection[str]) -> FieldReader:
        """A reader for the mapping under ``key`` (an empty one when absent)."""
        return FieldReader(self.doc, self.filename, (*self.path, key), self.mapping(key) or {}, allowed)

    def timestamp(self, key: str) -> datetime | None:
        """A YAML timestamp, date or RFC 3339 string, as aware UTC (naive values are UTC)."""
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value.strip())
            except ValueError:
                raise self.error(
                    key, f"expected an RFC 3339 timestamp, got {describe_value(value)}"
                ) from None
        if isinstance(value, datetime):
            return as_utc(value)
        if isinstance(value, date):
            return datetime(value.year, value.month, value.day, tzinfo=UTC)
        raise self.error(key, f"expected a timestamp, got {describe_value(value)}")
