"""Clearing task instances so they run again, and choosing which ones a clear request means.

Clearing follows Airflow: a finished try is archived into the instance's history, the instance loses its
state (a running one becomes ``restarting`` so its worker stops it) and may be retried the task's
``retries`` times again; the runs involved that had finished are queued again and count one more clear,
while runs still queued or running carry on as they are.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, select, tuple_
from sqlalchemy.orm import Session

from orchestrator_api.models.dag import Task
from orchestrator_api.models.run import DagRun, TaskInstance, TaskInstanceHistory
from orchestrator_api.orchestration.reads import SHARED_COLUMNS
from orchestrator_api.orchestration.states import (
    FAILED_STATES,
    FINISHED_STATES,
    RUN_FINISHED_STATES,
    move_run,
)
from orchestrator_api.orchestration.task_graph import load_graph, priority_weights
from orchestrator_api.timeutil import utcnow

ARCHIVED_STATES = FINISHED_STATES | {"up_for_retry"}
"""States in which the current try has ended, so clearing keeps it in the history."""

InstanceWithDate = tuple[TaskInstance, datetime]


@dataclass(frozen=True)
class ClearSelection:
    """Which task instances of one DAG a clear request means (dates bound the runs' logical dates)."""

    task_ids: Sequence[str] | None = None
    run_id: str | None = None
    start: datetime | None = None
    end: datetime | None = None
    only_failed: bool = False
    only_running: bool = False
    include_upstream: bool = False
    include_downstream: bool = False
    exclude: frozenset[tuple[str, str, int]] = frozenset()  # (run_id, task_id, map_index)


def selected_tasks(session: Session, dag_id: str, selection: ClearSelection) -> set[str] | None:
    """The task ids ``selection`` names, widened up or downstream as asked; None for every task."""
    if selection.task_ids is None:
        return None
    graph = load_graph(session, dag_id)
    return set(selection.task_ids) | graph.relatives(
        selection.task_ids, upstream=selection.include_upstream, downstream=selection.include_downstream
    )


def select_for_clear(session: Session, dag_id: str, selection: ClearSelection) -> list[InstanceWithDate]:
    """The task instances ``selection`` means, with their runs' logical dates, in run then task order.

    Upstream/downstream widening applies to the named ``task_ids``, as in Airflow.
    """
    stmt = (
        select(TaskInstance, DagRun.logical_date)
        .join(DagRun, and_(DagRun.dag_id == TaskInstance.dag_id, DagRun.run_id == TaskInstance.run_id))
        .where(TaskInstance.dag_id == dag_id)
    )
    wanted = selected_tasks(session, dag_id, selection)
    if wanted is not None:
        stmt = stmt.where(TaskInstance.task_id.in_(sorted(wanted)))
    if selection.run_id is not None:
        stmt = stmt.where(TaskInstance.run_id == selection.run_id)
    if selection.start is not None:
        stmt = stmt.where(DagRun.logical_date >= selection.start)
    if selection.end is not None:
        stmt = stmt.where(DagRun.logical_date <= selection.end)
    if selection.only_failed:
        stmt = stmt.where(TaskInstance.state.in_(FAILED_STATES))
    if selection.only_running:
        stmt = stmt.where(TaskInstance.state == "running")
    stmt = stmt.order_by(DagRun.logical_date, TaskInstance.task_id, TaskInstance.map_index)
    pairs = [(row[0], row[1]) for row in session.execute(stmt).all()]
    return [
        (ti, date) for ti, date in pairs if (ti.run_id, ti.task_id, ti.map_index) not in selection.exclude
    ]


def _history_keys(session: Session, keys: list[tuple[str, str, str, int, int]]) -> set[tuple[Any, ...]]:
    """Which of these (dag, run, task, map index, try) keys are in the history already."""
    if not keys:
        return set()
    history = TaskInstanceHistory
    columns = (history.dag_id, history.run_id, history.task_id, history.map_index, history.try_number)
    rows = session.execute(select(*columns).where(tuple_(*columns).in_(keys))).all()
    return {tuple(row) for row in rows}


def _try_key(ti: TaskInstance) -> tuple[str, str, str, int, int]:
    return (ti.dag_id, ti.run_id, ti.task_id, ti.map_index, ti.try_number)


def archive(instance: TaskInstance, now: datetime) -> TaskInstanceHistory:
    """A copy of the instance's current try for its history."""
    values = {name: getattr(instance, name) for name in SHARED_COLUMNS}
    values["updated_at"] = now
    return TaskInstanceHistory(**values)


def clear_instances(
    session: Session,
    instances: Sequence[TaskInstance],
    *,
    queue_runs: bool,
    within: Collection[str] | None = None,
) -> None:
    """Clear ``instances`` (all of one DAG or several); with ``queue_runs`` their runs are queued again.

    As in Airflow, a cleared instance takes its task's current priority weight, totalled over the tasks
    the request chose (``within``, task ids of the one DAG cleared; None: the whole DAG), since Airflow
    refreshes it from the sub-DAG of those tasks.
    """
    if not instances:
        return
    now = utcnow()
    finished_tries = {
        _try_key(ti): ti for ti in instances if ti.try_number >= 1 and ti.state in ARCHIVED_STATES
    }
    archived = _history_keys(session, list(finished_tries))
    session.add_all(archive(ti, now) for key, ti in finished_tries.items() if key not in archived)
    retries = _task_retries(session, instances)
    weights = _weights(session, instances, within)
    for ti in instances:
        if ti.state == "running":
            ti.state = "restarting"
            continue
        ti.priority_weight = weights.get((ti.dag_id, ti.task_id), ti.priority_weight)
        task_retries = retries.get((ti.dag_id, ti.task_id))
        ti.max_tries = (
            ti.try_number + task_retries if task_retries is not None else max(ti.max_tries, ti.try_number)
        )
        ti.state = None
    if queue_runs:
        queue_again(session, {(ti.dag_id, ti.run_id) for ti in instances}, now)


def _task_retries(session: Session, instances: Iterable[TaskInstance]) -> dict[tuple[str, str], int]:
    dag_ids = sorted({ti.dag_id for ti in instances})
    task_ids = sorted({ti.task_id for ti in instances})
    rows = session.execute(
        select(Task.dag_id, Task.task_id, Task.retries).where(
            Task.dag_id.in_(dag_ids), Task.task_id.in_(task_ids)
        )
    ).all()
    return {(row.dag_id, row.task_id): row.retries for row in rows}


def _weights(
    session: Session, instances: Iterable[TaskInstance], within: Collection[str] | None
) -> dict[tuple[str, str], int]:
    dag_ids = sorted({ti.dag_id for ti in instances})
    tasks: dict[str, list[Task]] = {dag_id: [] for dag_id in dag_ids}
    for task in session.scalars(select(Task).where(Task.dag_id.in_(dag_ids))):
        if within is None or task.task_id in within:
            tasks[task.dag_id].append(task)
    return {
        (dag_id, task_id): weight
        for dag_id, dag_tasks in tasks.items()
        for task_id, weight in priority_weights(dag_tasks).items()
    }


def queue_again(session: Session, run_keys: set[tuple[str, str]], now: datetime) -> None:
    """Queue the finished runs among the cleared ones again: they start over and count one more clear.

    A queued or running run keeps its state and dates, as in Airflow; the scheduler picks up its cleared
    task instances anyway.
    """
    if not run_keys:
        return
    runs = session.scalars(
        select(DagRun).where(
            tuple_(DagRun.dag_id, DagRun.run_id).in_(sorted(run_keys)),
            DagRun.state.in_(RUN_FINISHED_STATES),
        )
    ).all()
    for run in runs:
        move_run(run, "queued", now)
        run.last_scheduling_decision = None
        run.clear_number += 1
