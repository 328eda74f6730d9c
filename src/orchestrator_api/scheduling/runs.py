"""Runs the scheduler creates (from time schedules and dataset events) and queued runs it starts.

A DAG row is locked while its runs are created (``FOR UPDATE SKIP LOCKED`` on PostgreSQL), so two
schedulers never create the same run; a unique (dag_id, logical_date) backs that up.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from orchestrator_api.dags.schedule import DagRunInfo, next_dagrun_info
from orchestrator_api.models.dag import Dag, Task
from orchestrator_api.models.dataset import (
    DagRunDatasetEvent,
    DagScheduleDatasetReference,
    DatasetDagRunQueue,
    DatasetEvent,
)
from orchestrator_api.models.run import DagRun
from orchestrator_api.orchestration.trigger import task_instances_for

ACTIVE_RUN_STATES = ("queued", "running")


def _locked(session: Session, stmt: Any) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        # NO KEY UPDATE: new rows referencing the locked one (runs, XComs) are not held up by it.
        return stmt.with_for_update(skip_locked=True, key_share=True)
    return stmt


def _active_runs(session: Session, dag_ids: list[str]) -> Counter[str]:
    rows = session.execute(
        select(DagRun.dag_id, func.count())
        .where(DagRun.dag_id.in_(dag_ids), DagRun.state.in_(ACTIVE_RUN_STATES))
        .group_by(DagRun.dag_id)
    ).all()
    return Counter(dict(rows))


def _new_run(
    session: Session, dag: Dag, tasks: list[Task], info: DagRunInfo, run_type: str, now: datetime
) -> DagRun:
    run = DagRun(
        dag_id=dag.dag_id,
        run_id=f"{run_type}__{info.logical_date.isoformat()}",
        logical_date=info.logical_date,
        data_interval_start=info.data_interval_start,
        data_interval_end=info.data_interval_end,
        state="queued",
        run_type=run_type,
        external_trigger=False,
        conf={},
        queued_at=now,
    )
    session.add(run)
    session.add_all(task_instances_for(run, tasks))
    return run


def _tasks_by_dag(session: Session, dag_ids: list[str]) -> dict[str, list[Task]]:
    found: dict[str, list[Task]] = {dag_id: [] for dag_id in dag_ids}
    for task in session.scalars(select(Task).where(Task.dag_id.in_(dag_ids)).order_by(Task.position)):
        found[task.dag_id].append(task)
    return found


def create_scheduled_runs(session: Session, now: datetime) -> int:
    """Create the runs due by time schedule, within ``max_active_runs``; keeps ``next_dagrun*`` current."""
    dags = session.scalars(
        _locked(
            session,
            select(Dag).where(
                Dag.is_paused.is_(False),
                Dag.is_active.is_(True),
                Dag.next_dagrun_create_after.is_not(None),
                Dag.next_dagrun_create_after <= now,
            ),
        )
    ).all()
    if not dags:
        return 0
    dag_ids = [dag.dag_id for dag in dags]
    active = _active_runs(session, dag_ids)
    tasks = _tasks_by_dag(session, dag_ids)
    earliest = min(dag.next_dagrun for dag in dags if dag.next_dagrun is not None)
    taken = {
        (row.dag_id, row.logical_date)
        for row in session.execute(
            select(DagRun.dag_id, DagRun.logical_date).where(
                DagRun.dag_id.in_(dag_ids), DagRun.logical_date >= earliest
            )
        )
    }
    created = 0
    for dag in dags:
        info = _next_info(dag)
        while info is not None and info.create_after <= now and active[dag.dag_id] < dag.max_active_runs:
            if (dag.dag_id, info.logical_date) not in taken:
                _new_run(session, dag, tasks[dag.dag_id], info, "scheduled", now)
                active[dag.dag_id] += 1
                created += 1
            info = next_dagrun_info(
                dag.schedule, dag.start_date, dag.end_date, dag.catchup, info.logical_date, now
            )
            _set_next(dag, info)
    session.flush()
    return created


def _next_info(dag: Dag) -> DagRunInfo | None:
    if dag.next_dagrun is None or dag.next_dagrun_create_after is None:
        return None
    return DagRunInfo(
        dag.next_dagrun,
        dag.next_dagrun_data_interval_start or dag.next_dagrun,
        dag.next_dagrun_data_interval_end or dag.next_dagrun,
        dag.next_dagrun_create_after,
    )


def _set_next(dag: Dag, info: DagRunInfo | None) -> None:
    dag.next_dagrun = None if info is None else info.logical_date
    dag.next_dagrun_data_interval_start = None if info is None else info.data_interval_start
    dag.next_dagrun_data_interval_end = None if info is None else info.data_interval_end
    dag.next_dagrun_create_after = None if info is None else info.create_after


def create_dataset_runs(session: Session, now: datetime) -> int:
    """A run for each unpaused DAG whose every scheduling dataset has a queued event; the queue is emptied."""
    queued = session.execute(
        select(DatasetDagRunQueue.target_dag_id, DatasetDagRunQueue.dataset_id, DatasetDagRunQueue.created_at)
    ).all()
    if not queued:
        return 0
    dag_ids = sorted({row.target_dag_id for row in queued})
    needed: dict[str, set[int]] = {dag_id: set() for dag_id in dag_ids}
    for dag_id, dataset_id in session.execute(
        select(DagScheduleDatasetReference.dag_id, DagScheduleDatasetReference.dataset_id).where(
            DagScheduleDatasetReference.dag_id.in_(dag_ids)
        )
    ).all():
        needed[dag_id].add(dataset_id)
    have: dict[str, set[int]] = {dag_id: set() for dag_id in dag_ids}
    since: dict[str, datetime] = {}
    for row in queued:
        have[row.target_dag_id].add(row.dataset_id)
        since[row.target_dag_id] = min(since.get(row.target_dag_id, row.created_at), row.created_at)
    ready = [dag_id for dag_id in dag_ids if needed[dag_id] and needed[dag_id] <= have[dag_id]]
    if not ready:
        return 0
    dags = session.scalars(
        _locked(session, select(Dag).where(Dag.dag_id.in_(ready), Dag.is_paused.is_(False)))
    ).all()
    tasks = _tasks_by_dag(session, [dag.dag_id for dag in dags])
    for dag in dags:
        info = DagRunInfo(now, since[dag.dag_id], now, now)
        run = _new_run(session, dag, tasks[dag.dag_id], info, "dataset_triggered", now)
        session.flush()
        events = session.scalars(
            select(DatasetEvent.id).where(
                DatasetEvent.dataset_id.in_(needed[dag.dag_id]), DatasetEvent.timestamp >= since[dag.dag_id]
            )
        ).all()
        session.add_all(DagRunDatasetEvent(dag_run_id=run.id, event_id=event_id) for event_id in events)
        session.execute(delete(DatasetDagRunQueue).where(DatasetDagRunQueue.target_dag_id == dag.dag_id))
    return len(dags)


def start_queued_runs(session: Session, now: datetime) -> int:
    """Start queued runs of unpaused DAGs, oldest logical date first, within ``max_active_runs``."""
    queued = session.scalars(
        _locked(
            session,
            select(DagRun)
            .join(Dag, Dag.dag_id == DagRun.dag_id)
            .where(DagRun.state == "queued", Dag.is_paused.is_(False))
            .order_by(DagRun.logical_date, DagRun.id)
            .limit(256),
        )
    ).all()
    if not queued:
        return 0
    dag_ids = sorted({run.dag_id for run in queued})
    limits = dict(
        session.execute(select(Dag.dag_id, Dag.max_active_runs).where(Dag.dag_id.in_(dag_ids))).all()
    )
    running = Counter(
        dict(
            session.execute(
                select(DagRun.dag_id, func.count())
                .where(DagRun.dag_id.in_(dag_ids), DagRun.state == "running")
                .group_by(DagRun.dag_id)
            ).all()
        )
    )
    started = 0
    for run in queued:
        if running[run.dag_id] >= limits.get(run.dag_id, 16):
            continue
        run.state = "running"
        run.start_date = now
        running[run.dag_id] += 1
        started += 1
    return started
