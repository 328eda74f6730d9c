"""The scheduler process creates exactly the runs a schedule asks for."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tests.execution.conftest import Processes

pytestmark = pytest.mark.slow  # live server, scheduler and worker processes

HOURLY = """
dag_id: hourly
schedule: "0 * * * *"
start_date: 2026-01-01T00:00:00Z
end_date: 2026-01-01T05:00:00Z
catchup: true
max_active_runs: {max_active_runs}
tasks:
  - task_id: work
    operator: EmptyOperator
"""


def run_scheduler_once(processes: Processes) -> None:
    scheduler = processes.start("scheduler", "--once")
    assert scheduler.wait(timeout=60) == 0


@pytest.mark.parametrize(("max_active_runs", "hours"), [(16, [0, 1, 2, 3, 4, 5]), (2, [0, 1])])
def test_a_cron_dag_with_catchup_gets_exactly_its_intervals(
    dag_folder: Callable[..., list[str]], processes: Processes, api: httpx.Client, max_active_runs, hours
) -> None:
    dag_folder({"hourly.yaml": HOURLY.format(max_active_runs=max_active_runs)})
    run_scheduler_once(processes)
    run_scheduler_once(processes)  # a second scheduler pass creates nothing more

    runs = api.get("/dags/hourly/dagRuns", params={"order_by": "execution_date"}).json()["dag_runs"]
    assert [
        (
            r["dag_run_id"],
            r["data_interval_start"],
            r["data_interval_end"],
            r["run_type"],
        )
        for r in runs
    ] == [
        (
            f"scheduled__2026-01-01T{h:02d}:00:00+00:00",
            f"2026-01-01T{h:02d}:00:00+00:00",
            f"2026-01-01T{h + 1:02d}:00:00+00:00",
            "scheduled",
        )
        for h in hours
    ]
    dag = api.get("/dags/hourly").json()
    expected_next = None if len(hours) == 6 else f"2026-01-01T{hours[-1] + 1:02d}:00:00+00:00"
    assert dag["next_dagrun"] == expected_next


EVERY_TWO_HOURS = """
dag_id: every_two_hours
schedule: {every: 7200}
start_date: 2026-01-01T00:00:00Z
end_date: 2026-01-01T06:00:00Z
catchup: true
tasks:
  - task_id: work
    operator: EmptyOperator
"""


def test_a_timedelta_dag_with_catchup_gets_back_to_back_intervals(
    dag_folder: Callable[..., list[str]], processes: Processes, api: httpx.Client
) -> None:
    dag_folder({"every.yaml": EVERY_TWO_HOURS})
    dag = api.get("/dags/every_two_hours").json()
    assert dag["schedule_interval"] == {"__type": "TimeDelta", "days": 0, "seconds": 7200, "microseconds": 0}
    run_scheduler_once(processes)

    runs = api.get("/dags/every_two_hours/dagRuns", params={"order_by": "execution_date"}).json()["dag_runs"]
    assert [(r["data_interval_start"], r["data_interval_end"]) for r in runs] == [
        (f"2026-01-01T{h:02d}:00:00+00:00", f"2026-01-01T{h + 2:02d}:00:00+00:00") for h in (0, 2, 4, 6)
    ]
