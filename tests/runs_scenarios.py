"""DAGs and runs the DAG run and task instance tests start from (built through the API and factories)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests import factories, factories_runs

DAY1 = datetime(2026, 1, 1, tzinfo=UTC)
DAY2 = datetime(2026, 1, 2, tzinfo=UTC)
DAY3 = datetime(2026, 1, 3, tzinfo=UTC)

# ------------------------------------------------------------------ runs of two small DAGs

CHAIN_DAG = """
dag_id: chain
schedule: "0 3 * * *"
start_date: 2026-01-01T00:00:00Z
tasks:
  - task_id: extract
    operator: EmptyOperator
    retries: 2
  - task_id: transform
    operator: EmptyOperator
    upstream: [extract]
  - task_id: load
    operator: EmptyOperator
    upstream: [transform]
"""

OTHER_DAG = """
dag_id: other
schedule: null
start_date: 2026-01-01T00:00:00Z
tasks:
  - task_id: only
    operator: EmptyOperator
"""

RUN_DAYS = {"r1": datetime(2026, 1, 1, 3, tzinfo=UTC), "r2": datetime(2026, 1, 2, 3, tzinfo=UTC)}
RUN_DAYS["r3"] = datetime(2026, 1, 3, 3, tzinfo=UTC)


def chain_and_other_runs(client: Any, admin: tuple[str, str]) -> None:
    """Trigger chain r1 (then success), r2 (then running), r3 (queued) and other o1 (then failed)."""
    for run_id, date in RUN_DAYS.items():
        body = {"dag_run_id": run_id, "logical_date": date.isoformat(), "conf": {"n": int(run_id[1])}}
        assert client.post("/api/v1/dags/chain/dagRuns", json=body, auth=admin).status_code == 200
    body = {"dag_run_id": "o1", "logical_date": RUN_DAYS["r1"].isoformat()}
    assert client.post("/api/v1/dags/other/dagRuns", json=body, auth=admin).status_code == 200
    r1, r2 = RUN_DAYS["r1"], RUN_DAYS["r2"]
    factories.set_dag_run(
        "chain", "r1", state="success", start_date=r1, end_date=datetime(2026, 1, 1, 4, tzinfo=UTC)
    )
    factories.set_dag_run("chain", "r2", state="running", start_date=r2)
    factories.set_dag_run("other", "o1", state="failed", start_date=r1, end_date=r2)


# ------------------------------------------------------------------ task instances in several states

INSTANCES_DAG = """
dag_id: chain
schedule: null
start_date: 2026-01-01T00:00:00Z
tasks:
  - task_id: extract
    task_display_name: Extract rows
    operator: EmptyOperator
    pool: etl_pool
    queue: heavy
    executor: CeleryExecutor
  - task_id: transform
    operator: EmptyOperator
    upstream: [extract]
  - task_id: load
    operator: EmptyOperator
    upstream: [transform]
"""


def at(hour: int, minute: int = 0, day: int = 1) -> datetime:
    return datetime(2026, 1, day, hour, minute, tzinfo=UTC)


def instances_in_two_dags() -> None:
    """chain r1: extract success (10 min), transform failed (1 min), load upstream_failed;
    chain r2: extract running, the rest without state; partner_feeds_hourly p1 (mapped download_feed:
    index 1 success, index 2 failed). Needs INSTANCES_DAG and the example DAGs loaded."""
    factories_runs.run("chain", "r1", DAY1, state="failed")
    factories_runs.run("chain", "r2", DAY2, state="running")
    factories_runs.run("partner_feeds_hourly", "p1", DAY1, state="running")
    factories.set_task_instance(
        "chain", "r1", "extract", state="success", try_number=1, start_date=at(1), end_date=at(1, 10)
    )
    factories.set_task_instance(
        "chain", "r1", "transform", state="failed", try_number=1, start_date=at(2), end_date=at(2, 1)
    )
    factories.set_task_instance("chain", "r1", "load", state="upstream_failed", end_date=at(2, 1))
    factories.set_task_instance(
        "chain", "r2", "extract", state="running", try_number=1, start_date=at(5, 0, 2)
    )
    factories.set_task_instance("partner_feeds_hourly", "p1", "download_feed", 1, state="success")
    factories.set_task_instance("partner_feeds_hourly", "p1", "download_feed", 2, state="failed")


# ------------------------------------------------------------------ a diamond-shaped DAG over three runs

# a -> (b, c) -> d -> e
FLOW_DAG = """
dag_id: flow
schedule: null
start_date: 2026-01-01T00:00:00Z
tasks:
  - task_id: a
    operator: EmptyOperator
  - task_id: b
    operator: EmptyOperator
    upstream: [a]
    retries: 1
  - task_id: c
    operator: EmptyOperator
    upstream: [a]
  - task_id: d
    operator: EmptyOperator
    upstream: [b, c]
  - task_id: e
    operator: EmptyOperator
    upstream: [d]
"""
FLOW_DAYS = {"r1": DAY1, "r2": DAY2, "r3": DAY3}
FLOW_TASKS = ("a", "b", "c", "d", "e")
R2_STATES = ("success", "failed", "success", "upstream_failed", "upstream_failed")


def flow_runs() -> None:
    """r1: all success; r2: b failed so d and e upstream_failed; r3: a running, the rest without state."""
    for run_id, date in FLOW_DAYS.items():
        factories_runs.run("flow", run_id, date, state="running")
    done = {"try_number": 1, "start_date": DAY1, "end_date": DAY1}
    for task in FLOW_TASKS:
        factories.set_task_instance("flow", "r1", task, state="success", **done)
    factories.set_dag_run("flow", "r1", state="success")
    for task, state in zip(FLOW_TASKS, R2_STATES, strict=True):
        factories.set_task_instance("flow", "r2", task, state=state, **done)
    factories.set_dag_run("flow", "r2", state="failed")
    factories.set_task_instance("flow", "r3", "a", state="running", try_number=1, start_date=DAY3)


def flow_states(run_id: str) -> dict[str, str | None]:
    return {task: factories_runs.instance("flow", run_id, task).state for task in FLOW_TASKS}


def run_ids(response: Any) -> list[str]:
    """The run ids of a DAG run list answer, in order."""
    assert response.status_code == 200, response.text
    return [run["dag_run_id"] for run in response.json()["dag_runs"]]


def listed_instances(response: Any) -> list[tuple[str, str]]:
    """The (run id, task id) pairs of a task instance list answer, sorted."""
    assert response.status_code == 200, response.text
    return sorted((ti["dag_run_id"], ti["task_id"]) for ti in response.json()["task_instances"])
