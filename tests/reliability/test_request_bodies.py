"""Request bodies through a live server: chunked uploads arrive whole, limits hold for them, and a body
shorter than its declared length gets a quick 400 instead of holding a worker slot."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator

import httpx

from tests.problems import assert_problem
from tests.reliability.conftest import raw_request, split_response


def chunked(payload: bytes, size: int = 7) -> Iterator[bytes]:
    """httpx sends a generator body with ``Transfer-Encoding: chunked`` and no length."""
    for start in range(0, len(payload), size):
        yield payload[start : start + size]


def test_a_chunked_body_arrives_whole(live_server, admin):
    body = json.dumps({"key": "chunky", "value": "sent in pieces", "description": "d"}).encode()
    response = httpx.post(
        f"{live_server}/api/v1/variables",
        content=chunked(body),
        headers={"Content-Type": "application/json"},
        auth=admin,
    )
    assert response.status_code == 200, response.text
    stored = httpx.get(f"{live_server}/api/v1/variables/chunky", auth=admin).json()
    assert stored == {"key": "chunky", "value": "sent in pieces", "description": "d"}


def test_a_chunked_webhook_payload_becomes_the_runs_conf(live_server, admin, run_dag):
    token = httpx.post(
        f"{live_server}/api/v1/dags/{run_dag}/triggerTokens", json={"name": "hook"}, auth=admin
    ).json()["token"]
    conf = {"env": "staging", "items": list(range(50))}
    response = httpx.post(
        f"{live_server}/api/v1/triggers/{token}",
        content=chunked(json.dumps(conf).encode()),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["conf"] == conf
    run_id = response.json()["dag_run_id"]
    stored = httpx.get(f"{live_server}/api/v1/dags/{run_dag}/dagRuns/{run_id}", auth=admin).json()
    assert stored["conf"] == conf


def test_an_oversized_chunked_body_is_413(live_server, admin):
    padding = "x" * (1024 * 1024 + 10)
    body = json.dumps({"key": "big", "value": padding}).encode()
    response = httpx.post(
        f"{live_server}/api/v1/variables",
        content=chunked(body, size=64 * 1024),
        headers={"Content-Type": "application/json"},
        auth=admin,
    )
    assert_problem(response, 413, "exceeds the limit")
    assert_problem(httpx.get(f"{live_server}/api/v1/variables/big", auth=admin), 404)


def test_a_body_shorter_than_its_content_length_gets_a_quick_400(live_server, admin, settings_env):
    settings_env(BODY_READ_TIMEOUT="1")
    credentials = "Basic " + base64.b64encode(":".join(admin).encode()).decode()
    sent = b'{"key": "k"}'
    payload = (
        b"POST /api/v1/variables HTTP/1.1\r\nHost: test\r\nConnection: close\r\n"
        b"Content-Type: application/json\r\nAuthorization: " + credentials.encode() + b"\r\n"
        b"Content-Length: 100\r\n\r\n" + sent
    )
    # Without the read timeout the server waits for the missing 88 bytes as long as the client stays.
    status, headers, body = split_response(raw_request(live_server, payload, timeout=15))
    assert status == 400
    assert headers["content-type"].startswith("application/problem+json")
    problem = json.loads(body)
    assert problem["status"] == 400
    assert "did not arrive in full" in problem["detail"]
    assert_problem(httpx.get(f"{live_server}/api/v1/variables/k", auth=admin), 404)
