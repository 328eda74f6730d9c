"""Fixtures of the reliability tests: a real ``orchestrator-api serve`` (gunicorn + uvicorn workers) on the
test's database, and raw HTTP over a socket for requests no well-behaved client library would send."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import _free_port

SERVE = [sys.executable, "-c", "from orchestrator_api.cli import main; main()", "serve"]


class Served:
    """A running ``orchestrator-api serve``; ``log()`` is what gunicorn and its workers wrote so far."""

    def __init__(self, url: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
        self.url = url
        self.process = process
        self.log_path = log_path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@pytest.fixture
def serve(database: str, tmp_path: Path) -> Iterator[Callable[..., Served]]:
    """Start ``orchestrator-api serve`` on the test's database: ``serve(workers=2, MAX_REQUESTS="50")``."""
    started: list[Served] = []

    def start(workers: int = 2, **settings: str) -> Served:
        port = _free_port()
        env = {
            **os.environ,
            "ORCHESTRATOR_API_DATABASE_URL": database,
            "ORCHESTRATOR_API_LOGS_FOLDER": str(tmp_path / "logs"),
            "ORCHESTRATOR_API_LOG_LEVEL": "INFO",
            **{f"ORCHESTRATOR_API_{name}": value for name, value in settings.items()},
        }
        log_path = tmp_path / f"serve-{port}.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [*SERVE, "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        served = Served(f"http://127.0.0.1:{port}", process, log_path)
        started.append(served)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"serve exited: {served.log()}")
            try:
                if httpx.get(f"{served.url}/api/v1/version", timeout=2).status_code == 200:
                    return served
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError(f"serve did not start: {served.log()}")

    yield start
    for served in started:
        served.process.send_signal(signal.SIGTERM)
        try:
            served.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            served.process.kill()
            served.process.wait()


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
