"""Live processes under stress: a worker killed mid-task, and four workers sharing 200 task instances."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.execution.conftest import Processes, finished_run, trigger, wait_for

pytestmark = pytest.mark.slow  # live server, scheduler and worker processes

KILLED = """
dag_id: killed
schedule: null
start_date: 2026-01-01
tasks:
  - task_id: long
    operator: BashOperator
    bash_command: "{% if ti.try_number == 1 %}echo started; sleep 20{% else %}echo second try{% endif %}"
    retries: 1
    retry_delay: 0
"""


def test_a_task_whose_worker_is_killed_is_retried_after_its_lease_expires(
    dag_folder: Callable[..., list[str]],
    processes: Processes,
    api: httpx.Client,
    worker_token: Callable[[str], str],
) -> None:
    dag_folder({"killed.yaml": KILLED})
    processes.scheduler()
    doomed = processes.worker(worker_token("doomed"))
    run_id = trigger(api, "killed")
    log_url = f"/dags/killed/dagRuns/{run_id}/taskInstances/long/logs/1"
    wait_for(
        lambda: "started" in api.get(log_url, headers={"Accept": "text/plain"}).text,
        what="the first try to start",
    )
    os.killpg(doomed.pid, signal.SIGKILL)
    doomed.wait()
    processes.worker(worker_token("rescuer"))

    assert finished_run(api, "killed", run_id)["state"] == "success"
    ti = api.get(f"/dags/killed/dagRuns/{run_id}/taskInstances/long").json()
    assert (ti["state"], ti["try_number"]) == ("success", 2)
    first_log = api.get(log_url, headers={"Accept": "text/plain"}).text
    assert "lease expired" in first_log
    second_log = api.get(log_url.replace("/logs/1", "/logs/2"), headers={"Accept": "text/plain"}).text
    assert "second try" in second_log
    tries = api.get(f"/dags/killed/dagRuns/{run_id}/taskInstances/long/tries").json()["task_instances"]
    assert [(t["try_number"], t["state"]) for t in tries] == [(1, "up_for_retry"), (2, "success")]


def many(out: Path) -> str:
    return f"""
dag_id: many
schedule: null
start_date: 2026-01-01
max_active_tasks: 64
tasks:
  - task_id: each
    operator: BashOperator
    expand: 200
    bash_command: "echo {{{{ ti.map_index }}}} >> $OUT"
    env: {{OUT: "{out}"}}
"""


def test_two_schedulers_and_four_workers_run_each_of_200_task_instances_exactly_once(
    dag_folder: Callable[..., list[str]],
    processes: Processes,
    api: httpx.Client,
    worker_token: Callable[[str], str],
    tmp_path: Path,
) -> None:
    out = tmp_path / "ran.txt"
    dag_folder({"many.yaml": many(out)})
    processes.scheduler()
    processes.scheduler()
    for number in range(4):
        processes.worker(worker_token(f"w{number}"))
    run_id = trigger(api, "many")

    assert finished_run(api, "many", run_id, timeout=180)["state"] == "success"
    ran = out.read_text().split()
    assert sorted(ran, key=int) == [str(i) for i in range(200)]  # each once: no index missing or repeated
    listing = api.get(f"/dags/many/dagRuns/{run_id}/taskInstances/each/listMapped", params={"limit": 100})
    assert listing.json()["total_entries"] == 200
    hostnames = set()
    for offset in (0, 100):
        page = api.get(
            f"/dags/many/dagRuns/{run_id}/taskInstances/each/listMapped",
            params={"limit": 100, "offset": offset},
        ).json()["task_instances"]
        assert {(ti["state"], ti["try_number"]) for ti in page} == {("success", 1)}
        hostnames.update(ti["hostname"] for ti in page)
    assert hostnames
