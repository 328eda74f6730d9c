"""The OpenAPI document: where it lives and what the app reads from it besides connexion."""

from __future__ import annotations

import functools
import pickle
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def spec_path() -> Path:
    """``openapi/v1.yaml``: packaged inside the wheel, or at the top of a source checkout."""
    packaged = Path(__file__).parent / "openapi" / "v1.yaml"
    if packaged.exists():
        return packaged
    return Path(__file__).resolve().parents[2] / "openapi" / "v1.yaml"


# libyaml's loader (in PyYAML's wheels) builds the same document as the pure-Python one in a tenth of the
# time (0.1 s against 0.8 s per worker start).
_SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.cache
def load_spec() -> dict[str, Any]:
    with spec_path().open(encoding="utf-8") as handle:
        parsed = yaml.load(handle, Loader=_SAFE_LOADER)  # a safe loader: plain data only
    # Parsing builds a node graph many times the document's size and frees it; the document's own objects
    # end up scattered among the freed ones, so the allocator can return little of it. A copy made through
    # pickle (every object new, strings too) lets the parse's memory go: a worker keeps ~4 MiB for the
    # document instead of ~9 (13 with the pure-Python loader) for its whole life.
    document: dict[str, Any] = pickle.loads(pickle.dumps(parsed))  # our own bytes, just made
    return document


@dataclass(frozen=True)
class OperationInfo:
    operation_id: str
    method: str
    path: str
    produces: tuple[str, ...]
    datetime_parameters: frozenset[str]
    # Whether an Accept header that allows none of ``produces`` is a 406. Airflow's own operations answer
    # their usual media type whatever Accept says, except the few that choose it from Accept
    # (``x-negotiates-media-type``); our extensions always negotiate.
    negotiates: bool = True
    lists: bool = False
    """Its 200 answer is a collection with ``total_entries``: it gets the page headers."""
    pages: bool = False
    """It takes ``page`` and ``per_page`` (extension) besides ``limit`` and ``offset``."""


def allowed_methods(
    request_path: str, document: dict[str, Any] | None = None, base: str = "/api/v1"
) -> list[str]:
    """The methods the spec offers at ``request_path``, for the ``Allow`` header of a 405.

    When several templates match (``/dags/~/dagRuns/list`` and ``/dags/{dag_id}/dagRuns/{dag_run_id}``),
    the one with the fewest parameters, then the most literal text, is the route that answers, as in
    routing. A ``format: path`` parameter (a dataset URI) may span slashes.
    """
    document = document or load_spec()
    if not request_path.startswith(base):
        return []
    relative = request_path[len(base) :]
    best: tuple[int, int, list[str]] | None = None
    for template, item in document.get("paths", {}).items():
        if re.match(_template_pattern(document, template, item), relative):
            methods = [m.upper() for m in HTTP_METHODS if m in item]
            placeholders = template.count("{")
            literal = -len(re.sub(r"\{[^}]+\}", "", template))
            if best is None or (placeholders, literal) < best[:2]:
                best = (placeholders, literal, methods)
    if best is None:
        return []
    methods = best[2]
    return ["HEAD", *methods] if "GET" in methods else methods


def _template_pattern(document: dict[str, Any], template: str, item: dict[str, Any]) -> str:
    declared = [*item.get("parameters", [])]
    for method in HTTP_METHODS:
        declared += item.get(method, {}).get("parameters", [])
    spanning = {
        parameter["name"]
        for parameter in map(functools.partial(resolve_ref, document), declared)
        if parameter.get("in") == "path" and parameter.get("schema", {}).get("format") == "path"
    }

    def placeholder(match: re.Match[str]) -> str:
        return ".+" if match.group(1) in spanning else "[^/]+"

    return "^" + re.sub(r"\\\{([^}]+)\\\}", placeholder, re.escape(template)) + "$"


EXTENSION_MARK = "Extension (not part of Airflow's API)"
"""How the description of a tag for our own operations starts."""


def extension_tags(document: dict[str, Any]) -> frozenset[str]:
    """The spec's tags for our own operations (the rest are Airflow's)."""
    return frozenset(
        tag["name"]
        for tag in document.get("tags", [])
        if tag.get("description", "").startswith(EXTENSION_MARK)
    )


def resolve_ref(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """``node`` with its ``$ref`` chain followed inside ``document``."""
    while "$ref" in node:
        target: Any = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _has_total(document: dict[str, Any], schema: dict[str, Any]) -> bool:
    schema = resolve_ref(document, schema)
    parts = [*schema.get("allOf", []), *schema.get("anyOf", []), *schema.get("oneOf", [])]
    return "total_entries" in schema.get("properties", {}) or any(_has_total(document, p) for p in parts)


def lists_collection(document: dict[str, Any], operation: dict[str, Any]) -> bool:
    """Whether the operation's 200 answer is a collection that carries ``total_entries``."""
    ok = resolve_ref(document, operation.get("responses", {}).get("200", {}))
    return any(_has_total(document, c.get("schema", {})) for c in ok.get("content", {}).values())


def operations(document: dict[str, Any] | None = None) -> dict[str, OperationInfo]:
    """Every operation in the spec by operationId, with its success media types and date-time parameters."""
    document = document or load_spec()
    extensions = extension_tags(document)
    found: dict[str, OperationInfo] = {}
    for path, item in document.get("paths", {}).items():
        shared = [resolve_ref(document, p) for p in item.get("parameters", [])]
        for method in HTTP_METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            parameters = shared + [resolve_ref(document, p) for p in operation.get("parameters", [])]
            produces: list[str] = []
            for status, response in operation.get("responses", {}).items():
                if str(status).startswith("2"):
                    for media_type in resolve_ref(document, response).get("content", {}):
                        if media_type not in produces:
                            produces.append(media_type)
            datetimes = frozenset(
                p["name"] for p in parameters if p.get("schema", {}).get("format") == "date-time"
            )
            found[operation["operationId"]] = OperationInfo(
                operation_id=operation["operationId"],
                method=method.upper(),
                path=path,
                produces=tuple(produces),
                datetime_parameters=datetimes,
                negotiates=bool(
                    extensions & set(operation.get("tags", [])) or operation.get("x-negotiates-media-type")
                ),
                lists=lists_collection(document, operation),
                pages=any(p.get("in") == "query" and p["name"] == "page" for p in parameters),
            )
    return found
