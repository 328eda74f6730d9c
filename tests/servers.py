"""Real servers in subprocesses: ``orchestrator-api serve`` (gunicorn + uvicorn workers), as users run it.

Each server gets a free loopback port, so xdist workers and tests never collide; its output goes to a file
that a failing start reports and that tests may read (``Served.log()``).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

CLI = Path(sys.executable).with_name("orchestrator-api")
START_SECONDS = 120  # generous: the CI machine may be shared and slow
STOP_SECONDS = 40  # gunicorn's graceful timeout is 30 s


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Served:
    """A running ``orchestrator-api serve``."""

    url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        """What gunicorn and its workers wrote so far."""
        return self.log_path.read_text(errors="replace")


def start(database_url: str, log_path: Path, *, workers: int = 1, **settings: str) -> Served:
    """Start a server on ``database_url`` and wait until it answers; ``settings`` are extra
    ``ORCHESTRATOR_API_*`` variables, without the prefix. Stop it with :func:`stop`."""
    served = _spawn(database_url, log_path, workers, settings)
    try:
        _wait_until_healthy(served)
    except BaseException:
        stop(served)
        raise
    return served


def stop(served: Served) -> None:
    """SIGTERM, so gunicorn finishes in-flight requests; SIGKILL if it takes too long."""
    if served.process.poll() is None:
        served.process.send_signal(signal.SIGTERM)
    try:
        served.process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        served.process.kill()
        served.process.wait()


@contextmanager
def serve(
    database_url: str, log_dir: Path, *, instances: int = 1, workers: int = 1, **settings: str
) -> Iterator[list[str]]:
    """Run ``instances`` servers on ``database_url`` until the block ends; yields their base URLs.

    They start side by side (a start is mostly imports).
    """
    started: list[Served] = []
    try:
        for number in range(instances):
            started.append(_spawn(database_url, log_dir / f"server-{number}.log", workers, settings))
        for served in started:
            _wait_until_healthy(served)
        yield [served.url for served in started]
    finally:
        for served in started:
            stop(served)


def _spawn(database_url: str, log_path: Path, workers: int, settings: dict[str, str]) -> Served:
    env = {
        **os.environ,
        "ORCHESTRATOR_API_DATABASE_URL": database_url,
        **{f"ORCHESTRATOR_API_{name}": value for name, value in settings.items()},
    }
    port = free_port()
    command = [str(CLI), "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            command, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    return Served(f"http://127.0.0.1:{port}", process, log_path)


def _wait_until_healthy(served: Served) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if served.process.poll() is not None:
            raise RuntimeError(f"the server exited with {served.process.returncode}:\n{served.log()}")
        try:
            if httpx.get(f"{served.url}/api/v1/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the server did not answer within {START_SECONDS} s:\n{served.log()}")
