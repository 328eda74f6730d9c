"""One request the harness sends to both servers, and what it remembers from each answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

NO_BODY: Any = object()


@dataclass(frozen=True)
class Case:
    """A request. ``path`` and string values in ``params`` may hold ``{name}`` placeholders filled from
    what earlier cases captured on the same server (ids each server picks for itself)."""

    name: str
    operation: str
    method: str
    path: str
    params: dict[str, Any] = field(default_factory=dict)
    body: Any = NO_BODY
    raw: bytes | None = None  # a body sent as-is (malformed JSON, a wrong media type)
    headers: dict[str, str] = field(default_factory=dict)
    auth: str = "admin"  # "admin", "none" (no credentials) or "bad" (a wrong password)
    capture: dict[str, str] = field(default_factory=dict)  # name -> dotted path in the JSON answer
    volatile: frozenset[str] = frozenset()  # keys this request lets each server choose
    unordered: frozenset[str] = frozenset()  # lists this request's answer may give in any order


def pick(document: Any, dotted: str) -> Any:
    """``document["a"][0]["b"]`` for ``"a.0.b"``; None when any step is missing."""
    current = document
    for part in dotted.split("."):
        if isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        elif isinstance(current, dict) and part in current:
            current = current[part]
        else:
            return None
    return current


def _case(method: str, operation: str, path: str, name: str | None = None, **options: Any) -> Case:
    volatile = options.pop("volatile", ())
    unordered = options.pop("unordered", ())
    return Case(
        name=f"{operation}: {name or 'ok'}",
        operation=operation,
        method=method,
        path=path,
        volatile=frozenset(volatile),
        unordered=frozenset(unordered),
        **options,
    )


def get(operation: str, path: str, name: str | None = None, **options: Any) -> Case:
    return _case("GET", operation, path, name, **options)


def post(operation: str, path: str, name: str | None = None, **options: Any) -> Case:
    return _case("POST", operation, path, name, **options)


def patch(operation: str, path: str, name: str | None = None, **options: Any) -> Case:
    return _case("PATCH", operation, path, name, **options)


def put(operation: str, path: str, name: str | None = None, **options: Any) -> Case:
    return _case("PUT", operation, path, name, **options)


def delete(operation: str, path: str, name: str | None = None, **options: Any) -> Case:
    return _case("DELETE", operation, path, name, **options)
