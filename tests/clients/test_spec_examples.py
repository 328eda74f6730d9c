"""Swagger UI and generated docs show the spec's examples: each must exist where the UI would otherwise
invent text from a pattern, and each must be valid, so that "Try it out" works unchanged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import FormatChecker
from openapi_schema_validator import OAS30Validator

SPEC: dict[str, Any] = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "openapi" / "v1.yaml").read_text()
)
METHODS = {"get", "put", "post", "patch", "delete"}


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = SPEC
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _parameters() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for _path, item in SPEC["paths"].items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            for parameter in [*item.get("parameters", []), *operation.get("parameters", [])]:
                resolved = _resolve(parameter)
                found.append((f"{operation['operationId']}:{resolved['name']}", resolved))
    return found


def _bodies() -> list[tuple[str, dict[str, Any]]]:
    return [
        (f"{operation['operationId']}:{media_type}", content)
        for item in SPEC["paths"].values()
        for method, operation in item.items()
        if method in METHODS and "requestBody" in operation
        for media_type, content in operation["requestBody"]["content"].items()
    ]


def _validate(example: Any, schema: dict[str, Any]) -> None:
    # The spec's components ride along, so "#/components/..." references resolve from the schema's root.
    OAS30Validator({**schema, "components": SPEC["components"]}, format_checker=FormatChecker()).validate(
        example
    )


def _constrained(schema: dict[str, Any]) -> bool:
    schema = _resolve(schema)
    items = _resolve(schema.get("items", {}))
    return any(key in node for node in (schema, items) for key in ("format", "pattern"))


@pytest.mark.parametrize(("where", "parameter"), _parameters(), ids=lambda v: v if isinstance(v, str) else "")
def test_constrained_parameters_have_a_valid_example(where: str, parameter: dict[str, Any]) -> None:
    schema = parameter["schema"]
    example = parameter.get("example", schema.get("example"))
    if not _constrained(schema):
        return
    assert example is not None, f"{where}: Swagger UI would invent a value from the pattern"
    _validate(example, schema)


@pytest.mark.parametrize(("where", "content"), _bodies(), ids=lambda v: v if isinstance(v, str) else "")
def test_request_bodies_have_a_valid_example(where: str, content: dict[str, Any]) -> None:
    assert "example" in content, f"{where}: no example"
    _validate(content["example"], content["schema"])
