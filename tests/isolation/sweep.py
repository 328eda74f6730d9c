"""Every read operation of the spec, with its path filled in, so an operation added later is swept too."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx

from orchestrator_api.spec import load_spec, resolve_ref

# Read operations that need a query parameter, and the value that makes them answer.
REQUIRED_QUERY = {"get_value": {"section": "core", "option": "dags_folder"}}
# A stream that ends when the run ends: its first line (sent at once) is what is read.
STREAMS = frozenset({"wait_dag_run"})


@dataclass(frozen=True)
class Read:
    operation_id: str
    template: str
    path_parameters: tuple[str, ...]


def reads() -> list[Read]:
    """Every GET operation of the spec."""
    document = load_spec()
    found = []
    for template, item in document["paths"].items():
        operation = item.get("get")
        if operation is None:
            continue
        parameters = [resolve_ref(document, p) for p in item.get("parameters", [])]
        parameters += [resolve_ref(document, p) for p in operation.get("parameters", [])]
        names = tuple(p["name"] for p in parameters if p["in"] == "path")
        found.append(Read(operation["operationId"], template, names))
    return found


def fill(read: Read, values: Mapping[str, str]) -> str:
    """The request path of ``read`` with ``values`` in place; a parameter without a value fails the test,
    so a new operation cannot be skipped silently."""
    path = read.template
    for name in read.path_parameters:
        assert name in values, f"{read.operation_id}: no value for path parameter {name!r}: add one"
        path = path.replace("{" + name + "}", quote(values[name], safe=""))
    return "/api/v1" + path


def call(
    http: httpx.Client, read: Read, values: Mapping[str, str], headers: Mapping[str, str]
) -> tuple[int, str]:
    """Send the read; its status and body (of a stream, the first line)."""
    path = fill(read, values)
    params: dict[str, Any] = dict(REQUIRED_QUERY.get(read.operation_id, {}))
    if read.operation_id not in STREAMS:
        response = http.get(path, params=params, headers=dict(headers))
        return response.status_code, response.text
    with http.stream("GET", path, params=params, headers=dict(headers)) as streamed:
        if streamed.status_code != 200:
            return streamed.status_code, streamed.read().decode()
        return streamed.status_code, next(streamed.iter_lines(), "")


def without_echo(text: str) -> str:
    """The answer minus a problem's ``instance``, which repeats the path the caller sent."""
    try:
        body = json.loads(text)
    except ValueError:
        return text
    if isinstance(body, dict) and "instance" in body:
        body = {k: v for k, v in body.items() if k != "instance"}
    return json.dumps(body)
