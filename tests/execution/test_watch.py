"""Watching a run: lines arrive while the run progresses, not all at the end."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import httpx
import pytest

from tests.execution.conftest import Processes, trigger
from tests.problems import assert_problem

pytestmark = pytest.mark.slow  # live server, scheduler and worker processes

SLOW = """
dag_id: slow
schedule: null
start_date: 2026-01-01
tasks:
  - task_id: first
    operator: BashOperator
    bash_command: "sleep 1; echo one"
  - task_id: second
    operator: BashOperator
    bash_command: "sleep 1; echo two"
    upstream: [first]
"""


def test_the_wait_stream_sends_lines_while_the_run_progresses(
    dag_folder: Callable[..., list[str]],
    processes: Processes,
    api: httpx.Client,
    worker_token: Callable[[str], str],
) -> None:
    dag_folder({"slow.yaml": SLOW})
    run_id = trigger(api, "slow")
    url = f"/dags/slow/dagRuns/{run_id}/wait"
    received: list[tuple[float, dict[str, object]]] = []
    params: dict[str, object] = {"interval": 0.2, "result": ["second"], "task_states": True}
    with api.stream("GET", url, params=params) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/x-ndjson")
        lines = response.iter_lines()
        received.append((time.monotonic(), json.loads(next(lines))))
        # Nothing runs before the scheduler and worker start: the first line came before the run could end.
        assert received[0][1]["state"] == "queued"
        processes.scheduler()
        processes.worker(worker_token("w1"))
        for line in lines:
            received.append((time.monotonic(), json.loads(line)))
    states = [line["state"] for _, line in received]
    assert states[-1] == "success"
    assert "running" in states
    assert received[-1][1]["results"] == {"second": "two"}
    assert received[-1][1]["task_states"] == {"first": "success", "second": "success"}
    # Lines were read one by one as they were produced: the run took seconds, the lines span that time.
    running = [line for _, line in received if line["state"] == "running"]
    assert len(running) >= 3
    assert {"first": "success", "second": "running"} in [line["task_states"] for line in running]


def test_the_wait_stream_speaks_server_sent_events(
    dag_folder: Callable[..., list[str]], api: httpx.Client
) -> None:
    dag_folder({"slow.yaml": SLOW})
    run_id = trigger(api, "slow")
    api.patch(f"/dags/slow/dagRuns/{run_id}", json={"state": "success"}).raise_for_status()
    response = api.get(f"/dags/slow/dagRuns/{run_id}/wait", headers={"Accept": "text/event-stream"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.text == f'data: {{"dag_id":"slow","dag_run_id":"{run_id}","state":"success"}}\n\n'


def test_waiting_for_an_unknown_run_is_a_404(dag_folder: Callable[..., list[str]], api: httpx.Client) -> None:
    dag_folder({"slow.yaml": SLOW})
    response = api.get("/dags/slow/dagRuns/nope/wait")
    assert_problem(response, 404)
