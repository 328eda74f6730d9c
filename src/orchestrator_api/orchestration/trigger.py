"""Creating a DAG run: the one place that decides run ids, data intervals and the task instances of a run."""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from orchestrator_api.dags import infer_manual_data_interval, schedule_from_json
from orchestrator_api.models.dag import Dag, Task
from orchestrator_api.models.run import DagRun, TaskInstance
from orchestrator_api.orchestration.task_graph import priority_weights
from orchestrator_api.problems import AlreadyExists, BadRequest, NotFound
from orchestrator_api.timeutil import as_utc, utcnow


@dataclass(frozen=True)
class RunRequest:
    """What a caller may choose about a new run; everything left None is derived."""

    run_id: str | None = None
    logical_date: datetime | None = None
    data_interval_start: datetime | None = None
    data_interval_end: datetime | None = None
    conf: dict[str, Any] | None = None
    note: str | None = None


def triggerable_dag(session: Session, dag_id: str) -> Dag:
    """The DAG a new run may be started for, whoever asks: 404 unless it exists and is active (its file is
    still in the DAGs folder), 400 while its file has import errors. Every trigger path calls this."""
    dag = session.scalars(select(Dag).where(Dag.dag_id == dag_id, Dag.is_active.is_(True))).first()
    if dag is None:
        raise NotFound(title="DAG not found", detail=f"DAG {dag_id!r} not found")
    if dag.has_import_errors:
        raise BadRequest(
            title="DAG cannot be triggered",
            detail=f"DAG {dag_id!r} has import errors; fix its file before triggering it",
        )
    return dag


def _data_interval(dag: Dag, request: RunRequest, logical_date: datetime) -> tuple[datetime, datetime]:
    start, end = request.data_interval_start, request.data_interval_end
    if (start is None) != (end is None):
        raise BadRequest(detail="Give both data_interval_start and data_interval_end, or neither")
    if start is not None and end is not None:
        # Taken as given, as Airflow does: the spec cannot express an ordering between two fields, and a
        # request the spec allows must not be refused.
        return as_utc(start), as_utc(end)
    try:
        return infer_manual_data_interval(schedule_from_json(dag.schedule), logical_date)
    except OverflowError:
        # A logical date at the edge of the calendar has no schedule tick before it.
        return logical_date, logical_date


def task_instances_for(run: DagRun, tasks: list[Task]) -> list[TaskInstance]:
    """One instance per task (``tasks`` = every task of the run's DAG), or per map index of a mapped task,
    all without a state yet.

    As in Airflow, an instance's ``priority_weight`` is its task's total under the task's weight rule, and
    its ``unixname`` is the user of the process that created it (a worker records its own when it runs it).
    """
    weights = priority_weights(tasks)
    unixname = getpass.getuser()
    instances: list[TaskInstance] = []
    for task in tasks:
        indexes = range(task.map_count) if task.map_count is not None else (-1,)
        instances.extend(
            TaskInstance(
                dag_id=run.dag_id,
                run_id=run.run_id,
                task_id=task.task_id,
                map_index=map_index,
                try_number=0,
                max_tries=task.retries,
                state=None,
                pool=task.pool,
                pool_slots=task.pool_slots,
                queue=task.queue,
                priority_weight=weights[task.task_id],
                unixname=unixname,
                operator=task.operator,
                executor=task.executor,
            )
            for map_index in indexes
        )
    return instances


def create_dag_run(
    session: Session,
    dag: Dag,
    request: RunRequest,
    *,
    run_type: str = "manual",
    triggered_by: str | None = None,
) -> DagRun:
    """Queue a new run of ``dag`` with its task instances; 409 if its id or logical date is taken."""
    logical_date = as_utc(request.logical_date) if request.logical_date else utcnow()
    run_id = request.run_id or f"{run_type}__{logical_date.isoformat()}"
    start, end = _data_interval(dag, request, logical_date)
    clash = session.execute(
        select(DagRun.run_id, DagRun.logical_date).where(
            DagRun.dag_id == dag.dag_id, or_(DagRun.run_id == run_id, DagRun.logical_date == logical_date)
        )
    ).first()
    if clash is not None:
        # Airflow's wording, which scripts grep for ("already exists").
        if clash.run_id == run_id:
            raise AlreadyExists(
                detail=f"DAGRun with DAG ID: '{dag.dag_id}' and DAGRun ID: '{run_id}' already exists"
            )
        raise AlreadyExists(
            detail=f"DAGRun with DAG ID: '{dag.dag_id}' and DAGRun logical date: "
            f"'{logical_date.isoformat(sep=' ')}' already exists"
        )
    run = DagRun(
        dag_id=dag.dag_id,
        run_id=run_id,
        logical_date=logical_date,
        data_interval_start=start,
        data_interval_end=end,
        state="queued",
        run_type=run_type,
        external_trigger=True,
        conf=request.conf or {},
        note=request.note,
        queued_at=utcnow(),
        triggered_by=triggered_by,
    )
    session.add(run)
    tasks = list(session.scalars(select(Task).where(Task.dag_id == dag.dag_id).order_by(Task.position)))
    session.add_all(task_instances_for(run, tasks))
    session.flush()
    return run
