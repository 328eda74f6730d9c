"""The spec itself: it validates, every operation has a handler and a permission entry, and documents the
error statuses the central rules can produce."""

from __future__ import annotations

from typing import Any

import pytest
from openapi_spec_validator import validate

from orchestrator_api.resolver import handler_functions, unused_functions
from orchestrator_api.security.permissions import OPERATION_NEEDS
from orchestrator_api.spec import HTTP_METHODS, load_spec, operations, resolve_ref


def all_operations() -> list[tuple[str, str, dict[str, Any]]]:
    spec = load_spec()
    return [
        (path, method, item[method])
        for path, item in spec["paths"].items()
        for method in HTTP_METHODS
        if method in item
    ]


def test_spec_is_valid_openapi() -> None:
    validate(load_spec())


def test_every_operation_has_a_handler_and_a_permission_entry() -> None:
    ids = set(operations())
    assert ids - set(handler_functions()) == set()
    assert ids - set(OPERATION_NEEDS) == set()


def test_no_handler_function_is_unused() -> None:
    assert unused_functions(set(operations())) == set()


def test_operation_ids_are_unique() -> None:
    ids = [op["operationId"] for _, _, op in all_operations()]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(
    ("path", "method", "operation"), all_operations(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_operation_is_documented(path: str, method: str, operation: dict[str, Any]) -> None:
    assert operation.get("summary"), "every operation has a summary"
    assert operation.get("tags"), "every operation has a tag"
    responses = {str(status) for status in operation["responses"]}
    expected = {"400", "406"}  # strict parameter validation and content negotiation apply to every operation
    if operation.get("security", load_spec().get("security")) != []:
        expected |= {"401", "403"}
    if "requestBody" in operation:
        expected |= {"413", "415"}
    if "{" in path:
        expected.add("404")
    assert expected <= responses, f"{method.upper()} {path} does not document {sorted(expected - responses)}"
    assert any(status.startswith("2") for status in responses)


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    return resolve_ref(load_spec(), node)


def _unconstrained_strings(schema: dict[str, Any], where: str, seen: set[int]) -> list[str]:
    """Writable string values in ``schema`` with no enum, format or pattern to rule out NUL."""
    schema = _resolve(schema)
    if id(schema) in seen or schema.get("readOnly"):
        return []
    seen.add(id(schema))
    found: list[str] = []
    if schema.get("type") == "string" and not ({"enum", "format", "pattern"} & schema.keys()):
        found.append(where)
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            found += _unconstrained_strings(schema[key], f"{where}[]", seen)
    for name, prop in schema.get("properties", {}).items():
        found += _unconstrained_strings(prop, f"{where}.{name}", seen)
    for key in ("allOf", "anyOf", "oneOf"):
        for index, sub in enumerate(schema.get(key, [])):
            found += _unconstrained_strings(sub, f"{where}<{index}>", seen)
    return found


@pytest.mark.parametrize(
    ("path", "method", "operation"), all_operations(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_client_string_rules_out_nul(path: str, method: str, operation: dict[str, Any]) -> None:
    """The server refuses NUL (PostgreSQL cannot store it), so the spec must say so for every string a
    client sends: an enum, a format or a pattern. Otherwise a schema-valid request would be refused."""
    spec_item = load_spec()["paths"][path]
    found: list[str] = []
    for parameter in [*spec_item.get("parameters", []), *operation.get("parameters", [])]:
        parameter = _resolve(parameter)
        found += _unconstrained_strings(parameter["schema"], f"parameter {parameter['name']}", set())
    body = operation.get("requestBody")
    if body:
        for media, content in _resolve(body)["content"].items():
            found += _unconstrained_strings(content["schema"], f"body ({media})", set())
    assert found == [], f"{method.upper()} {path}: strings without enum/format/pattern: {found}"
