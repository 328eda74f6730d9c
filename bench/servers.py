"""The processes a benchmark run measures: ``orchestrator-api serve`` and the ceiling app, both under
gunicorn with uvicorn workers on a free loopback port, output to a log file."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

SERVER_PYTHON = os.environ.get("BENCH_SERVER_PYTHON") or sys.executable
"""The interpreter the measured servers run under. ``make bench`` points it at a virtualenv holding only the
production dependencies (``.venv-serve``), so memory figures are not inflated by test tools that the
bench's own environment imports (httpx's optional command line pulls in rich and pygments)."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Process:
    name: str
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def pids(self) -> list[int]:
        """The process and all its descendants (master and workers), from /proc."""
        pids, pending = [], [self.process.pid]
        while pending:
            pid = pending.pop()
            pids.append(pid)
            with contextlib.suppress(FileNotFoundError):
                pending += [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        return pids

    def rss_mib(self) -> float:
        """Resident memory of the process and all its descendants, from /proc."""
        total_kib = 0
        for pid in self.pids():
            with contextlib.suppress(FileNotFoundError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total_kib += int(line.split()[1])
        return total_kib / 1024

    def stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def _spawn(name: str, command: list[str], env: dict[str, str], log: Path, port: int) -> Process:
    out = log.open("ab")
    process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    served = Process(name, f"http://127.0.0.1:{port}", process, log)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited early; see {log}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{served.url}/api/v1/version", timeout=5).status_code == 200:
                return served
        time.sleep(0.3)
    served.stop()
    raise RuntimeError(f"{name} did not start in 120 s; see {log}")


def start_server(env: dict[str, str], log: Path, workers: int) -> Process:
    """The production command, with its production settings (no recycling unless configured)."""
    port = free_port()
    command = [SERVER_PYTHON, "-m", "orchestrator_api.cli", "serve", "--bind", f"127.0.0.1:{port}"]
    return _spawn("orchestrator-api", [*command, "--workers", str(workers)], env, log, port)


def start_ceiling(env: dict[str, str], log: Path, workers: int) -> Process:
    """The bare connexion app of ``bench/ceiling`` on the same database, under the server's worker class."""
    port = free_port()
    command = [SERVER_PYTHON, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    command += ["--worker-class", "orchestrator_api.server_worker.Worker", "--log-level", "warning"]
    return _spawn("ceiling", [*command, "bench.ceiling.app:app"], env, log, port)
