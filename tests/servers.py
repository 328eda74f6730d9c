"""Real servers in subprocesses: ``orchestrator-api serve`` (gunicorn + uvicorn workers), as users run it.

Each server gets a free loopback port, so xdist workers and tests never collide; its output goes to a file
that a failing start reports.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

CLI = Path(sys.executable).with_name("orchestrator-api")
START_SECONDS = 120  # generous: the CI machine may be shared and slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(
    database_url: str, log_dir: Path, *, instances: int = 1, workers: int = 1, **settings: str
) -> Iterator[list[str]]:
    """Run ``instances`` servers on ``database_url`` until the block ends; yields their base URLs.

    They start side by side (a start is mostly imports). ``settings`` are extra ``ORCHESTRATOR_API_*``
    variables, without the prefix.
    """
    env = {
        **os.environ,
        "ORCHESTRATOR_API_DATABASE_URL": database_url,
        **{f"ORCHESTRATOR_API_{name}": value for name, value in settings.items()},
    }
    started: list[tuple[str, subprocess.Popen[bytes], Path]] = []
    try:
        for number in range(instances):
            port = free_port()
            log_file = log_dir / f"server-{number}.log"
            command = [str(CLI), "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
            with log_file.open("ab") as log:
                process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
            started.append((f"http://127.0.0.1:{port}", process, log_file))
        for url, process, log_file in started:
            _wait_until_healthy(url, process, log_file)
        yield [url for url, _, _ in started]
    finally:
        for _, process, _ in started:
            process.terminate()
        for _, process, _ in started:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_healthy(url: str, process: subprocess.Popen[bytes], log_file: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}:\n{log_file.read_text()}")
        try:
            if httpx.get(f"{url}/api/v1/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the server did not answer within {START_SECONDS} s:\n{log_file.read_text()}")
