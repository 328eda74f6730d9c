"""Live processes for execution tests: the `live_server` API plus real `scheduler` and `worker` subprocesses.

Settings are short (lease, scheduler interval, worker poll) so runs move in well under a second per hop.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from orchestrator_api import config

LEASE_SECONDS = "8"
FAST = {"ORCHESTRATOR_API_SCHEDULER_INTERVAL": "0.1", "ORCHESTRATOR_API_LEASE_SECONDS": LEASE_SECONDS}


@pytest.fixture(autouse=True)
def _fast_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """The in-process API server reads these too (lease length on claims)."""
    for name, value in FAST.items():
        monkeypatch.setenv(name, value)
    config.get_settings.cache_clear()


class Processes:
    """Starts `orchestrator-api` subprocesses against the test's database and stops them all at the end."""

    def __init__(self, database: str, api_url: str) -> None:
        self.database = database
        self.api_url = api_url
        self.started: list[subprocess.Popen[bytes]] = []

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            **FAST,
            "ORCHESTRATOR_API_DATABASE_URL": self.database,
            "ORCHESTRATOR_API_LOGS_FOLDER": config.get_settings().logs_folder,
        }

    def start(self, *argv: str) -> subprocess.Popen[bytes]:
        output = Path(config.get_settings().logs_folder).parent / f"{argv[0]}-{len(self.started)}.out"
        with output.open("wb") as sink:  # kept for reading after a failure
            process = subprocess.Popen(
                [sys.executable, "-m", "orchestrator_api.cli", *argv],
                env=self.env(),
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.started.append(process)
        return process

    def scheduler(self) -> subprocess.Popen[bytes]:
        return self.start("scheduler", "--interval", "0.1")

    def worker(self, token: str, *, concurrency: int = 4, queues: str = "default") -> subprocess.Popen[bytes]:
        return self.start(
            "worker", "--api-url", self.api_url, "--token", token, "--queues", queues,
            "--concurrency", str(concurrency), "--poll-interval", "0.1",
        )  # fmt: skip

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


@pytest.fixture
def processes(database: str, live_server: str) -> Iterator[Processes]:
    started = Processes(database, live_server)
    yield started
    started.stop_all()


@pytest.fixture
def api(live_server: str, admin: tuple[str, str]) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{live_server}/api/v1", auth=admin, timeout=30) as client:
        yield client


@pytest.fixture
def worker_token(api: httpx.Client) -> Callable[[str], str]:
    def issue(name: str = "w1") -> str:
        answer = api.post("/workers", json={"name": name})
        assert answer.status_code == 201, answer.text
        token: str = answer.json()["token"]
        return token

    return issue


def wait_for(check: Callable[[], Any], *, timeout: float = 60, what: str = "condition") -> Any:
    """Poll ``check`` until it returns something truthy (not a timed assertion: a generous deadline)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def trigger(api: httpx.Client, dag_id: str, **body: Any) -> str:
    api.patch(f"/dags/{dag_id}", json={"is_paused": False}).raise_for_status()
    answer = api.post(f"/dags/{dag_id}/dagRuns", json=body)
    assert answer.status_code == 200, answer.text
    run_id: str = answer.json()["dag_run_id"]
    return run_id


def finished_run(api: httpx.Client, dag_id: str, run_id: str, timeout: float = 90) -> dict[str, Any]:
    def done() -> dict[str, Any] | None:
        run: dict[str, Any] = api.get(f"/dags/{dag_id}/dagRuns/{run_id}").json()
        return run if run["state"] in ("success", "failed") else None

    result: dict[str, Any] = wait_for(done, timeout=timeout, what=f"run {run_id} to finish")
    return result


def task_states(api: httpx.Client, dag_id: str, run_id: str) -> dict[str, tuple[str | None, int]]:
    rows = api.get(f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances", params={"limit": 100}).json()
    return {ti["task_id"]: (ti["state"], ti["try_number"]) for ti in rows["task_instances"]}
