"""Timeouts and pools applied by live processes: execution_timeout, dagrun_timeout and pool slots."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import datetime

import httpx
import pytest

from tests.execution.conftest import Processes, finished_run, task_states, trigger

pytestmark = pytest.mark.slow  # live server, scheduler and worker processes

TASK_TIMEOUT = """
dag_id: task_timeout
schedule: null
start_date: 2026-01-01
tasks:
  - task_id: too_slow
    operator: BashOperator
    bash_command: "echo begin; sleep 30"
    execution_timeout: 1
"""
RUN_TIMEOUT = """
dag_id: run_timeout
schedule: null
start_date: 2026-01-01
dagrun_timeout: 1
tasks:
  - task_id: long
    operator: BashOperator
    bash_command: "sleep 30"
  - task_id: after
    operator: EmptyOperator
    upstream: [long]
"""
POOLED = """
dag_id: pooled
schedule: null
start_date: 2026-01-01
default_args: {pool: single}
tasks:
  - task_id: a
    operator: BashOperator
    bash_command: "sleep 0.3"
  - task_id: b
    operator: BashOperator
    bash_command: "sleep 0.3"
  - task_id: c
    operator: BashOperator
    bash_command: "sleep 0.3"
"""


def test_timeouts_fail_tasks_and_runs_and_a_one_slot_pool_runs_one_task_at_a_time(
    dag_folder: Callable[..., list[str]],
    processes: Processes,
    api: httpx.Client,
    worker_token: Callable[[str], str],
) -> None:
    assert api.post("/pools", json={"name": "single", "slots": 1}).status_code == 200
    dag_folder({"task_timeout.yaml": TASK_TIMEOUT, "run_timeout.yaml": RUN_TIMEOUT, "pooled.yaml": POOLED})
    processes.scheduler()
    processes.worker(worker_token("w1"))
    task_run = trigger(api, "task_timeout")
    long_run = trigger(api, "run_timeout")
    pooled_run = trigger(api, "pooled")

    assert finished_run(api, "task_timeout", task_run)["state"] == "failed"
    log = api.get(
        f"/dags/task_timeout/dagRuns/{task_run}/taskInstances/too_slow/logs/1",
        headers={"Accept": "text/plain"},
    ).text
    assert "begin" in log
    assert "exceeded its execution_timeout of 1s" in log

    assert finished_run(api, "run_timeout", long_run)["state"] == "failed"
    assert task_states(api, "run_timeout", long_run) == {"long": ("failed", 1), "after": ("skipped", 0)}

    assert finished_run(api, "pooled", pooled_run)["state"] == "success"
    rows = api.get(f"/dags/pooled/dagRuns/{pooled_run}/taskInstances").json()["task_instances"]
    spans = sorted(
        (datetime.fromisoformat(t["start_date"]), datetime.fromisoformat(t["end_date"])) for t in rows
    )
    assert all(earlier[1] <= later[0] for earlier, later in itertools.pairwise(spans))
