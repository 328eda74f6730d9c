"""Fixtures of the reliability tests: a real ``orchestrator-api serve`` (gunicorn + uvicorn workers) on the
test's database, and raw HTTP over a socket for requests no well-behaved client library would send."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import servers


@pytest.fixture
def serve(database: str, tmp_path: Path) -> Iterator[Callable[..., servers.Served]]:
    """Start ``orchestrator-api serve`` on the test's database: ``serve(workers=2, MAX_REQUESTS="50")``."""
    started: list[servers.Served] = []

    def start(workers: int = 2, **settings: str) -> servers.Served:
        log_path = tmp_path / f"serve-{len(started)}.log"
        served = servers.start(
            database,
            log_path,
            workers=workers,
            LOGS_FOLDER=str(tmp_path / "logs"),
            LOG_LEVEL="INFO",
            **settings,
        )
        started.append(served)
        return served

    yield start
    for served in started:
        servers.stop(served)


def raw_request(url: str, payload: bytes, timeout: float = 15) -> bytes:
    """Send ``payload`` as is to the server at ``url`` and read until it closes the connection."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        sock.sendall(payload)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def split_response(raw: bytes) -> tuple[int, dict[str, str], bytes]:
    """Status, headers (lower-cased names) and body of a raw HTTP/1.1 response."""
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body


@pytest.fixture
def run_dag(dag_folder: Any) -> str:
    """One small, unpaused DAG to trigger."""
    dag_folder({"pulse.yaml": PULSE_DAG})
    return "pulse"


PULSE_DAG = """
dag_id: pulse
schedule: null
start_date: 2026-01-01T00:00:00Z
is_paused_upon_creation: false
tasks:
  - task_id: beat
    operator: EmptyOperator
"""
