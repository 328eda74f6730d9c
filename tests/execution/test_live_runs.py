"""A triggered run really runs: scheduler and worker subprocesses against the live API server."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest

from tests.execution.conftest import Processes, finished_run, task_states, trigger

pytestmark = pytest.mark.slow  # live server, scheduler and worker processes

FLOW = """
dag_id: flow
schedule: null
start_date: 2026-01-01
params: {greeting: hello}
tasks:
  - task_id: start
    operator: BashOperator
    bash_command: "echo start {{ ds }} {{ params.greeting }} {{ dag_run.conf.who }} try={{ ti.try_number }}"
  - task_id: fan_a
    operator: BashOperator
    bash_command: "echo a"
    upstream: [start]
  - task_id: fan_b
    operator: BashOperator
    bash_command: "echo b"
    upstream: [start]
  - task_id: join
    operator: airflow.operators.empty.EmptyOperator
    upstream: [fan_a, fan_b]
  - task_id: flaky
    operator: BashOperator
    bash_command: "echo attempt {{ ti.try_number }}; exit 3"
    retries: 1
    retry_delay: 0
    upstream: [start]
  - task_id: on_failure
    operator: EmptyOperator
    upstream: [flaky]
    trigger_rule: one_failed
  - task_id: after_flaky
    operator: EmptyOperator
    upstream: [flaky]
  - task_id: anyway
    operator: EmptyOperator
    upstream: [flaky, join]
    trigger_rule: all_done
  - task_id: skip_me
    operator: BashOperator
    bash_command: "exit 99"
  - task_id: after_skip
    operator: EmptyOperator
    upstream: [skip_me]
  - task_id: none_failed_after_skip
    operator: EmptyOperator
    upstream: [skip_me]
    trigger_rule: none_failed
  - task_id: all_skipped
    operator: EmptyOperator
    upstream: [skip_me]
    trigger_rule: all_skipped
  - task_id: py
    operator: airflow.operators.python.PythonOperator
    python_callable: "json:dumps"
    op_kwargs: {obj: {who: "{{ dag_run.conf.who }}"}}
  - task_id: slack
    operator: SlackWebhookOperator
"""


def test_a_triggered_run_runs_every_task_by_its_trigger_rule(
    dag_folder: Callable[..., list[str]],
    processes: Processes,
    api: httpx.Client,
    worker_token: Callable[[str], str],
) -> None:
    dag_folder({"flow.yaml": FLOW})
    processes.scheduler()
    processes.worker(worker_token("w1"))
    run_id = trigger(api, "flow", conf={"who": "ada"})

    run = finished_run(api, "flow", run_id)

    assert run["state"] == "failed"  # flaky's downstream after_flaky is a failed leaf
    assert task_states(api, "flow", run_id) == {
        "start": ("success", 1),
        "fan_a": ("success", 1),
        "fan_b": ("success", 1),
        "join": ("success", 1),
        "flaky": ("failed", 2),
        "on_failure": ("success", 1),
        "after_flaky": ("upstream_failed", 0),
        "anyway": ("success", 1),
        "skip_me": ("skipped", 1),
        "after_skip": ("skipped", 0),
        "none_failed_after_skip": ("success", 1),
        "all_skipped": ("success", 1),
        "py": ("success", 1),
        "slack": ("failed", 1),
    }
    base = f"/dags/flow/dagRuns/{run_id}/taskInstances"
    start_log = api.get(f"{base}/start/logs/1", headers={"Accept": "text/plain"}).text
    assert "start 20" in start_log
    assert "hello ada try=1" in start_log
    assert "attempt 2" in api.get(f"{base}/flaky/logs/2", headers={"Accept": "text/plain"}).text
    assert (
        "cannot run SlackWebhookOperator"
        in api.get(f"{base}/slack/logs/1", headers={"Accept": "text/plain"}).text
    )
    xcom = api.get(f"{base}/py/xcomEntries/return_value").json()
    assert json.loads(xcom["value"]) == {"who": "ada"}  # json.dumps' return value, as text
    assert api.get(f"{base}/start/xcomEntries/return_value").json()["value"].startswith("start 20")
    tries = api.get(f"{base}/flaky/tries").json()
    assert [t["try_number"] for t in tries["task_instances"]] == [1, 2]
