"""One pass over running runs: trigger rules, retries that are due, timeouts and each run's final state.

All task instances and tasks of the batch of runs are read in two statements; decisions are made in
Python, where a run's graph is walked until nothing changes (so skips and upstream failures propagate down
a chain in one pass).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from orchestrator_api.models.dag import Task
from orchestrator_api.models.run import DagRun, TaskInstance
from orchestrator_api.orchestration.clearing import archive
from orchestrator_api.orchestration.dependencies import UpstreamCounts
from orchestrator_api.orchestration.states import FAILED_STATES, FINISHED_STATES, move_run, set_run_state
from orchestrator_api.scheduling.retries import end_try
from orchestrator_api.scheduling.trigger_rules import Decision, decide

TaskKey = tuple[str, str]  # (dag_id, task_id)


def advance_runs(session: Session, runs: list[DagRun], now: datetime) -> int:
    """Move the task instances of ``runs`` along; returns how many instances or runs changed."""
    if not runs:
        return 0
    keys = [(run.dag_id, run.run_id) for run in runs]
    instances = session.scalars(
        select(TaskInstance).where(tuple_(TaskInstance.dag_id, TaskInstance.run_id).in_(keys))
    ).all()
    dag_ids = sorted({run.dag_id for run in runs})
    tasks = {(t.dag_id, t.task_id): t for t in session.scalars(select(Task).where(Task.dag_id.in_(dag_ids)))}
    by_run: dict[tuple[str, str], list[TaskInstance]] = defaultdict(list)
    for instance in instances:
        by_run[(instance.dag_id, instance.run_id)].append(instance)
    changed = 0
    for run in runs:
        changed += _advance_run(session, run, by_run[(run.dag_id, run.run_id)], tasks, now)
    return changed


def _timed_out(run: DagRun, timeout: float | None, now: datetime) -> bool:
    return (
        timeout is not None
        and run.start_date is not None
        and now > run.start_date + timedelta(seconds=timeout)
    )


def _advance_run(
    session: Session,
    run: DagRun,
    instances: list[TaskInstance],
    tasks: dict[TaskKey, Task],
    now: datetime,
) -> int:
    changed = 0
    for instance in instances:
        if instance.state == "restarting":  # cleared while running: its worker loses the lease
            instance.state = None
            instance.lease_id = None
            instance.lease_expires_at = None
            changed += 1
        elif instance.state == "up_for_retry" and (
            instance.next_try_at is None or instance.next_try_at <= now
        ):
            session.add(archive(instance, now))
            _schedule(instance, now)
            changed += 1
    changed += _apply_trigger_rules(run, instances, tasks, now)
    changed += _finish_run(session, run, instances, tasks, now)
    return changed


def _schedule(instance: TaskInstance, now: datetime) -> None:
    """A new try: counted now, as in Airflow 2.10."""
    instance.state = "scheduled"
    instance.try_number += 1
    instance.next_try_at = None
    instance.start_date = None
    instance.end_date = None
    instance.duration = None
    instance.version = (instance.version or 0) + 1


def _apply_trigger_rules(
    run: DagRun, instances: list[TaskInstance], tasks: dict[TaskKey, Task], now: datetime
) -> int:
    states_of: dict[str, list[TaskInstance]] = defaultdict(list)
    for instance in instances:
        states_of[instance.task_id].append(instance)
    changed = 0
    progress = True
    while progress:
        progress = False
        for instance in instances:
            if instance.state is not None:
                continue
            task = tasks.get((run.dag_id, instance.task_id))
            if task is None:
                instance.state = "removed"
                progress = True
                continue
            upstream: Counter[str | None] = Counter(
                ti.state for upstream_id in task.upstream_task_ids for ti in states_of.get(upstream_id, [])
            )
            decision = decide(task.trigger_rule, UpstreamCounts(upstream))
            if decision is Decision.WAIT:
                continue
            if decision is Decision.RUN:
                _schedule(instance, now)
            else:
                end_try(instance, decision.value, now)
            progress = True
            changed += 1
    return changed


def _finish_run(
    session: Session, run: DagRun, instances: list[TaskInstance], tasks: dict[TaskKey, Task], now: datetime
) -> int:
    if any(ti.state not in FINISHED_STATES for ti in instances):
        return 0
    leaves = [
        ti
        for ti in instances
        if not (task := tasks.get((run.dag_id, ti.task_id))) or not task.downstream_task_ids
    ]
    failed = any(ti.state in FAILED_STATES for ti in leaves)
    move_run(run, "failed" if failed else "success", now)
    run.last_scheduling_decision = now
    return 1


def time_out_runs(
    session: Session, runs: list[DagRun], timeouts: dict[str, float | None], now: datetime
) -> int:
    """Fail runs past their DAG's ``dagrun_timeout``: work in progress fails, the rest is skipped."""
    changed = 0
    for run in runs:
        if _timed_out(run, timeouts.get(run.dag_id), now):
            set_run_state(session, run, "failed")
            changed += 1
    return changed
