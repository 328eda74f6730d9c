"""The hostile-input catalogue: each request below gets a 4xx RFC 7807 problem from a live server, and
none of them changes anything (the list endpoints read the same before and after)."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from tests.reliability.conftest import raw_request, split_response

SECRET = "PLANTED-SECRET-123"
DEEP = 100_000


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    path: str
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "application/json"})


def _json(text: str) -> bytes:
    return text.encode()


CASES = [
    # Bodies the parser must refuse.
    Case("malformed JSON", "POST", "/api/v1/variables", _json('{"key": "k", "value": ')),
    Case("trailing garbage", "POST", "/api/v1/variables", _json('{"key": "k", "value": "v"} x')),
    Case("invalid UTF-8", "POST", "/api/v1/variables", b'{"key": "k", "value": "\xff\xfe"}'),
    Case("lone surrogate", "POST", "/api/v1/variables", _json('{"key": "k", "value": "\\ud800"}')),
    Case("lone surrogate in conf", "POST", "/api/v1/dags/pulse/dagRuns", _json('{"conf": {"a": "\\udfff"}}')),
    Case("4301-digit integer", "POST", "/api/v1/pools", _json('{"name": "p", "slots": ' + "7" * 4301 + "}")),
    Case("NaN", "POST", "/api/v1/pools", _json('{"name": "p", "slots": NaN}')),
    Case("Infinity", "POST", "/api/v1/pools", _json('{"name": "p", "slots": 1e999}')),
    Case(
        "deep nesting",
        "POST",
        "/api/v1/dags/pulse/dagRuns",
        _json('{"conf": ' + "[" * DEEP + "]" * DEEP + "}"),
    ),
    Case(
        "deep objects",
        "POST",
        "/api/v1/variables",
        _json('{"key": "k", "value": "v", "d": ' + '{"a":' * DEEP + "1" + "}" * DEEP + "}"),
    ),
    Case(
        "oversized body",
        "POST",
        "/api/v1/variables",
        _json(json.dumps({"key": "k", "value": "x" * (1024 * 1024 + 1)})),
    ),
    Case("empty body", "POST", "/api/v1/variables", b""),
    Case("JSON null body", "POST", "/api/v1/variables", b"null"),
    Case("not JSON media type", "POST", "/api/v1/variables", b"key=k", {"Content-Type": "text/plain"}),
    # Wrong types and values (a secret among them, which must not come back).
    Case("secret in a list", "POST", "/api/v1/variables", _json(json.dumps({"key": [SECRET], "value": "v"}))),
    Case("number as string", "POST", "/api/v1/pools", _json('{"name": "p", "slots": "ten"}')),
    Case("slots past int64", "POST", "/api/v1/pools", _json('{"name": "p", "slots": 99999999999999999999}')),
    Case("unknown field", "POST", "/api/v1/pools", _json('{"name": "p", "slots": 1, "admin": true}')),
    Case("array body", "POST", "/api/v1/variables", _json('[{"key": "k", "value": "v"}]')),
    Case("NUL in a value", "POST", "/api/v1/variables", _json('{"key": "k", "value": "a\\u0000b"}')),
    Case("dot-dot key", "POST", "/api/v1/variables", _json('{"key": "..", "value": "v"}')),
    Case("patch read-only", "PATCH", "/api/v1/pools/default_pool", _json('{"occupied_slots": 5}')),
    Case("webhook array conf", "POST", "/api/v1/triggers/{token}", _json("[1, 2]")),
    Case("webhook bad JSON", "POST", "/api/v1/triggers/{token}", _json("{"), {}),
    Case("webhook unknown token", "POST", "/api/v1/triggers/oapi_trg_nope", _json("{}")),
    # Dates out of range or malformed.
    Case(
        "year 10000", "POST", "/api/v1/dags/pulse/dagRuns", _json('{"logical_date": "10000-01-01T00:00:00Z"}')
    ),
    Case("month 13", "POST", "/api/v1/dags/pulse/dagRuns", _json('{"logical_date": "2026-13-01T00:00:00Z"}')),
    Case("year 0", "POST", "/api/v1/dags/pulse/dagRuns", _json('{"logical_date": "0000-01-01T00:00:00Z"}')),
    Case(
        "no timezone", "POST", "/api/v1/dags/pulse/dagRuns", _json('{"logical_date": "2026-01-01T00:00:00"}')
    ),
    Case("date filter year 99999", "GET", "/api/v1/dags/~/dagRuns?execution_date_gte=99999-01-01T00:00:00Z"),
    Case("date filter garbage", "GET", "/api/v1/dags/~/dagRuns?start_date_lte=yesterday"),
    # SQL where a column name goes.
    Case("SQL in order_by", "GET", "/api/v1/variables?order_by=key;DROP TABLE variable"),
    Case("SQL subquery order_by", "GET", "/api/v1/dags?order_by=(SELECT 1)"),
    Case("order_by with direction", "GET", "/api/v1/pools?order_by=name DESC"),
    Case(
        "SQL in a batch order_by",
        "POST",
        "/api/v1/dags/~/dagRuns/list",
        _json('{"order_by": "id; DELETE FROM dag_run"}'),
    ),
    # Paths.
    Case("encoded traversal", "GET", "/api/v1/variables/..%2F..%2Fetc%2Fpasswd"),
    Case("traversal into a DAG", "POST", "/api/v1/dags/..%2Fpulse/dagRuns", _json("{}")),
    Case("NUL in a path", "GET", "/api/v1/variables/a%00b"),
    Case("NUL in a DAG id", "POST", "/api/v1/dags/pulse%00/dagRuns", _json("{}")),
    Case("NUL delete", "DELETE", "/api/v1/pools/default_pool%00"),
    Case("invalid UTF-8 in a path", "DELETE", "/api/v1/variables/%ff%fe"),
    # Huge and odd ids and numbers.
    Case("huge event log id", "GET", "/api/v1/eventLogs/99999999999999999999999"),
    Case("negative huge id", "GET", "/api/v1/importErrors/-99999999999999999999999"),
    Case("huge token id", "DELETE", "/api/v1/users/admin/tokens/99999999999999999999999"),
    Case("huge map index", "GET", "/api/v1/dags/pulse/dagRuns/r/taskInstances/t/99999999999999999999"),
    Case("huge limit", "GET", "/api/v1/variables?limit=99999999999999999999999"),
    Case("negative offset", "GET", "/api/v1/variables?offset=-1"),
    Case("unknown parameter", "GET", "/api/v1/variables?drop=1"),
    # Methods and media types.
    Case("wrong method", "PUT", "/api/v1/variables", _json("{}")),
    # Airflow's own operations answer JSON whatever Accept says; get_config negotiates, as in Airflow.
    Case("unacceptable Accept", "GET", "/api/v1/config", None, {"Accept": "text/csv"}),
]

# Sent byte for byte: client libraries would normalise these paths or refuse these headers.
RAW = {
    "dot-dot path": (
        b"GET /api/v1/variables/.. HTTP/1.1\r\nHost: t\r\nConnection: close\r\nAuthorization: {auth}\r\n\r\n"
    ),
    "dot-dot segments": (
        b"DELETE /api/v1/pools/../variables/existing HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
        b"Authorization: {auth}\r\n\r\n"
    ),
    "Content-Length past the body": (
        b"POST /api/v1/variables HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
        b'Content-Type: application/json\r\nAuthorization: {auth}\r\nContent-Length: 400\r\n\r\n{"key": "k"}'
    ),
    "headers never finished": b"GET /api/v1/variables HTTP/1.1\r\nHost: t\r\nX-Slow: ",
    "header line without colon": b"GET /api/v1/variables HTTP/1.1\r\nHost: t\r\nJust words\r\n\r\n",
    "non-numeric Content-Length": (
        b"POST /api/v1/variables HTTP/1.1\r\nHost: t\r\nContent-Length: ten\r\n\r\n{}"
    ),
    "chunked and Content-Length": (
        b"POST /api/v1/variables HTTP/1.1\r\nHost: t\r\nAuthorization: {auth}\r\n"
        b"Content-Type: application/json\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"2\r\n{}\r\n0\r\n\r\n"
    ),
}

# (Not the trigger tokens: listing them is audited, so reading it would change the event log.)
LISTS = [
    "/api/v1/variables?limit=100",
    "/api/v1/pools?limit=100",
    "/api/v1/connections?limit=100",
    "/api/v1/dags?limit=100",
    "/api/v1/dags/~/dagRuns?limit=100",
    "/api/v1/users?limit=100",
    "/api/v1/roles?limit=100",
    "/api/v1/eventLogs?limit=100",
]


def snapshot(url: str, auth: tuple[str, str]) -> dict[str, Any]:
    with httpx.Client(auth=auth) as client:
        return {path: client.get(url + path).json() for path in LISTS}


@pytest.fixture
def seeded(live_server: str, admin: tuple[str, str], run_dag: str) -> str:
    """A little of everything, created through the API; returns a trigger token."""
    with httpx.Client(base_url=f"{live_server}/api/v1", auth=admin) as client:
        for path, body in [
            ("/variables", {"key": "existing", "value": "v"}),
            ("/pools", {"name": "existing", "slots": 2}),
            ("/connections", {"connection_id": "existing", "conn_type": "http", "password": SECRET}),
            ("/dags/pulse/dagRuns", {"dag_run_id": "existing"}),
        ]:
            assert client.post(path, json=body).status_code == 200
        response = client.post("/dags/pulse/triggerTokens", json={"name": "hook"})
        assert response.status_code == 201
        return str(response.json()["token"])


def problem_failure(name: str, status: int, content_type: str, body: bytes) -> str | None:
    """Why this answer is not a 4xx problem without the planted secret, or None when it is one."""
    if not 400 <= status < 500:
        return f"{name}: status {status}"
    if not content_type.startswith("application/problem+json"):
        return f"{name}: content type {content_type!r}"
    problem = json.loads(body)
    if problem.get("status") != status or not problem.get("title") or not problem.get("detail"):
        return f"{name}: not a problem body {problem!r}"
    if SECRET in problem["detail"]:
        return f"{name}: echoes the submitted value"
    return None


def test_hostile_requests_get_problems_and_change_nothing(live_server, admin, seeded, settings_env):
    settings_env(BODY_READ_TIMEOUT="1")
    before = snapshot(live_server, admin)
    failures = []
    with httpx.Client(auth=admin, timeout=30) as client:
        for case in CASES:
            path = case.path.replace("{token}", seeded)
            response = client.request(
                case.method, live_server + path, content=case.body, headers=case.headers
            )
            failure = problem_failure(
                case.name, response.status_code, response.headers.get("content-type", ""), response.content
            )
            if failure:
                failures.append(failure)
    auth = b"Basic " + base64.b64encode(":".join(admin).encode())
    for name, payload in RAW.items():
        status, headers, body = split_response(raw_request(live_server, payload.replace(b"{auth}", auth)))
        failure = problem_failure(name, status, headers.get("content-type", ""), body)
        if failure:
            failures.append(failure)
    assert failures == []
    after = snapshot(live_server, admin)
    # As Airflow, a request refused by its handler is in the audit trail: every other list is unchanged.
    assert {k: v for k, v in after.items() if "eventLogs" not in k} == {
        k: v for k, v in before.items() if "eventLogs" not in k
    }
