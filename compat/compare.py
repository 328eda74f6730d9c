"""Send a case to a server and compare the two answers after normalisation."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import httpx

from compat.case import NO_BODY, Case, pick
from compat.normalize import media_type, normalize, problem_fields
from compat.servers import ADMIN

PROBLEM = "application/problem+json"


@dataclass
class Answer:
    status: int
    media_type: str | None
    body: Any  # parsed JSON, or the text for other media types


@dataclass
class Difference:
    where: str  # "status", "content-type", "problem.title", "body.dags[0].owners"...
    airflow: Any
    ours: Any

    def as_dict(self) -> dict[str, Any]:
        return {"where": self.where, "airflow": self.airflow, "ours": self.ours}


@dataclass
class Result:
    case: Case
    airflow: Answer
    ours: Answer
    differences: list[Difference] = field(default_factory=list)


def _fill(template: str, context: dict[str, Any]) -> str:
    try:
        return template.format_map(context)
    except KeyError:
        return template  # nothing captured: the request goes out literally and the answers show why


def send(client: httpx.Client, case: Case, context: dict[str, Any]) -> Answer:
    """Send ``case`` and record what it captures into ``context``."""
    auth: tuple[str, str] | None = (ADMIN["username"], ADMIN["password"])
    if case.auth == "none":
        auth = None
    elif case.auth == "bad":
        auth = (ADMIN["username"], "wrong-password")
    params = {k: _fill(v, context) if isinstance(v, str) else v for k, v in case.params.items()}
    kwargs: dict[str, Any] = {"params": params, "headers": dict(case.headers), "auth": auth}
    if case.raw is not None:
        kwargs["content"] = case.raw
    elif case.body is not NO_BODY:
        kwargs["json"] = case.body
    response = client.request(case.method, _fill(case.path, context), **kwargs)
    kind = media_type(response.headers.get("content-type"))
    body: Any = response.text
    if kind and kind.endswith("json") and response.content:
        try:
            body = response.json()
        except json.JSONDecodeError:
            body = response.text
    elif not response.content:
        body = None
    for name, dotted in case.capture.items():
        value = pick(body, dotted)
        if value is not None:
            context[name] = value
    return Answer(response.status_code, kind, body)


def compare(case: Case, airflow: Answer, ours: Answer) -> list[Difference]:
    found: list[Difference] = []
    if airflow.status != ours.status:
        found.append(Difference("status", airflow.status, ours.status))
    # A media type on an empty body (a 204) tells a client nothing.
    if airflow.media_type != ours.media_type and (airflow.body, ours.body) != (None, None):
        found.append(Difference("content-type", airflow.media_type, ours.media_type))
    if (airflow.status >= 400) != (ours.status >= 400):
        return found  # one failed, the other did not: the status says it all
    if airflow.status >= 400:
        a, o = problem_fields(airflow.body), problem_fields(ours.body)
        found += [Difference(f"problem.{k}", a[k], o.get(k)) for k in a if a[k] != o.get(k)]
        return found
    if isinstance(airflow.body, dict | list) and isinstance(ours.body, dict | list):
        _diff(_normal(case, airflow.body), _normal(case, ours.body), "body", found)
    elif airflow.status < 400 and (airflow.body is None) != (ours.body is None):
        found.append(Difference("body", _short(airflow.body), _short(ours.body)))
    return found


def _normal(case: Case, body: Any) -> Any:
    return normalize(body, None, case.volatile, case.unordered)


def _short(value: Any) -> Any:
    text = value if isinstance(value, str) else json.dumps(value)
    return text if text is None or len(text) <= 200 else text[:200] + "..."


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if value is None:
        return "null"
    kinds: dict[type, str] = {dict: "object", list: "array", str: "string"}
    return kinds[type(value)]


def _diff(airflow: Any, ours: Any, where: str, found: list[Difference]) -> None:
    if isinstance(airflow, dict) and isinstance(ours, dict):
        for key in airflow.keys() - ours.keys():
            found.append(Difference(f"{where}.{key}", _short(airflow[key]), "<missing>"))
        for key in ours.keys() - airflow.keys():
            found.append(Difference(f"{where}.{key}", "<missing>", _short(ours[key])))
        for key in sorted(airflow.keys() & ours.keys()):
            _diff(airflow[key], ours[key], f"{where}.{key}", found)
        return
    if isinstance(airflow, list) and isinstance(ours, list):
        if len(airflow) != len(ours):
            found.append(Difference(f"{where}.length", len(airflow), len(ours)))
        for index, (a, o) in enumerate(zip(airflow, ours, strict=False)):
            _diff(a, o, f"{where}[{index}]", found)
        return
    if _kind(airflow) != _kind(ours) or airflow != ours:
        found.append(Difference(where, _short(airflow), _short(ours)))
