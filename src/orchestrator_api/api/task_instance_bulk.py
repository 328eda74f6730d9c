"""Changing many task instances of a DAG at once: clear them, or mark a task and its relatives."""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, select

from orchestrator_api import db
from orchestrator_api.models.run import DagRun, TaskInstance
from orchestrator_api.orchestration.clearing import (
    ClearSelection,
    clear_instances,
    select_for_clear,
    selected_tasks,
)
from orchestrator_api.orchestration.lookup import run_or_404, task_or_404
from orchestrator_api.orchestration.marking import MarkRequest, mark, select_to_mark
from orchestrator_api.problems import BadRequest, NotFound
from orchestrator_api.queries import dag_or_404
from orchestrator_api.schemas.task_instance import (
    clear_task_instances_schema,
    references,
    set_task_instances_state_schema,
)
from orchestrator_api.timeutil import as_utc


def post_clear_task_instances(dag_id: str, body: dict[str, Any]) -> dict[str, Any]:
    data = clear_task_instances_schema.load(body)
    dag_or_404(dag_id)
    session = db.session()
    start, end = data["start_date"], data["end_date"]
    if data["dag_run_id"] is not None:
        run = run_or_404(dag_id, data["dag_run_id"])
        start = end = run.logical_date
    selection = ClearSelection(
        task_ids=data["task_ids"],
        start=None if data["include_past"] or start is None else as_utc(start),
        end=None if data["include_future"] or end is None else as_utc(end),
        only_failed=data["only_failed"],
        only_running=data["only_running"],
        include_upstream=data["include_upstream"],
        include_downstream=data["include_downstream"],
    )
    instances = select_for_clear(session, dag_id, selection)
    if not data["dry_run"]:
        clear_instances(
            session,
            [ti for ti, _ in instances],
            queue_runs=data["reset_dag_runs"],
            within=selected_tasks(session, dag_id, selection),
        )
    return {"task_instances": references(instances)}


def _run_for(dag_id: str, data: dict[str, Any]) -> DagRun:
    if (data["dag_run_id"] is None) == (data["execution_date"] is None):
        raise BadRequest(detail="Give exactly one of dag_run_id and execution_date")
    if data["dag_run_id"] is not None:
        return run_or_404(dag_id, data["dag_run_id"])
    logical_date = as_utc(data["execution_date"])
    run = (
        db.session()
        .scalars(select(DagRun).where(DagRun.dag_id == dag_id, DagRun.logical_date == logical_date))
        .first()
    )
    if run is None:
        raise NotFound(
            title="DAG run not found",
            detail=f"DAG {dag_id!r} has no run at logical date {logical_date.isoformat()}",
        )
    return run


def post_set_task_instances_state(dag_id: str, body: dict[str, Any]) -> dict[str, Any]:
    data = set_task_instances_state_schema.load(body)
    task_id = data["task_id"]
    task_or_404(dag_id, task_id)
    run = _run_for(dag_id, data)
    session = db.session()
    has_instance = session.scalar(
        select(
            exists().where(
                TaskInstance.dag_id == dag_id,
                TaskInstance.run_id == run.run_id,
                TaskInstance.task_id == task_id,
            )
        )
    )
    if not has_instance:
        raise NotFound(
            title="Task instance not found",
            detail=f"Task {task_id!r} has no task instance in run {run.run_id!r} of DAG {dag_id!r}",
        )
    request = MarkRequest(
        task_id=task_id,
        new_state=data["new_state"],
        include_upstream=data["include_upstream"],
        include_downstream=data["include_downstream"],
        include_past=data["include_past"],
        include_future=data["include_future"],
    )
    instances = select_to_mark(session, run, request)
    if not data["dry_run"]:
        mark(session, run, request, instances)
    return {"task_instances": references(instances)}
