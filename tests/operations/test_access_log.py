"""JSON access log lines: request id, principal, route, status, duration; never a secret."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest

from orchestrator_api.logging_setup import configure_logging


@pytest.fixture
def json_log() -> Iterator[Any]:
    """Logging configured as ``LOG_FORMAT=json`` does; call the fixture to get the lines logged so far."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    configure_logging("INFO", "json")
    buffer = io.StringIO()
    (handler,) = root.handlers
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(buffer)  # instead of stderr, which pytest swaps between phases

    def lines() -> list[dict[str, Any]]:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return [json.loads(line) for line in text.splitlines()]

    yield lines
    root.handlers[:], root.level = saved


def access_lines(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [line for line in lines if line["logger"] == "orchestrator_api.access"]


def test_an_access_line_has_the_request_fields(client, admin, example_dags, json_log):
    json_log()  # drop what setting up logged
    response = client.get("/api/v1/dags/etl_daily?fields=dag_id", auth=admin)
    (line,) = access_lines(json_log())
    assert line["request_id"] == response.headers["x-request-id"]
    assert line["principal"] == "admin"
    assert line["method"] == "GET"
    assert line["route"] == "/api/v1/dags/{dag_id}"
    assert line["path"] == "/api/v1/dags/etl_daily"  # no query string: it may carry secrets
    assert line["status"] == response.status_code
    assert isinstance(line["duration_ms"], float)
    assert line["level"] == "INFO"
    assert line["time"].endswith("+00:00")


def test_access_lines_never_hold_credentials_or_tokens(client, admin, json_log):
    json_log()
    token = "oapi_trg_do-not-log-this-0123456789abcdef"
    client.post(f"/api/v1/triggers/{token}", json={})
    client.get("/api/v1/pools", auth=("admin", "wrong-password-do-not-log"))
    client.get("/api/v1/pools", headers={"Authorization": "Bearer oapi_pat_do-not-log"})
    client.get("/api/v1/pools?api_key=do-not-log", auth=admin)
    # Everything the server logged (the test client's own httpx lines are the client's, not ours).
    lines = [line for line in json_log() if line["logger"] != "httpx"]
    text = json.dumps(lines)
    for secret in (token, "wrong-password-do-not-log", "oapi_pat_do-not-log", "api_key", admin[1]):
        assert secret not in text
    trigger, bad_basic, bad_bearer, listed = access_lines(lines)
    assert trigger["path"] == "/api/v1/triggers/[redacted]"
    assert trigger["route"] == "/api/v1/triggers/{token}"
    assert (trigger["status"], trigger["principal"]) == (401, None)
    assert (bad_basic["status"], bad_bearer["status"]) == (401, 401)
    assert (listed["status"], listed["principal"], listed["path"]) == (400, "admin", "/api/v1/pools")
