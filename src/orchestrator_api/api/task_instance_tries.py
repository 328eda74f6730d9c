"""The tries of a task instance: earlier ones from its history, the current one from the instance itself."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, Subquery, or_, select, union_all

from orchestrator_api import db
from orchestrator_api.models.run import TaskInstance, TaskInstanceHistory
from orchestrator_api.orchestration.lookup import describe_instance, instance_or_404
from orchestrator_api.orchestration.reads import instances_select, same_instance
from orchestrator_api.pagination import SortColumn, paginate
from orchestrator_api.problems import NotFound
from orchestrator_api.schemas.common import dump, dump_many
from orchestrator_api.schemas.task_instance import task_instance_try_schema

TRY_SORT_FIELDS = ("try_number", "start_date", "end_date", "state", "duration")


def _tries(dag_id: str, run_id: str, task_id: str, map_index: int) -> Subquery:
    """The tries as Airflow 2.10.5 lists them: the archived ones, then the instance itself (a never-run
    instance as try 0; a cleared one again under its last try number), unless it is waiting for a retry
    whose failed try is archived already."""
    archived = select(TaskInstanceHistory.try_number).where(
        same_instance(TaskInstanceHistory, dag_id, run_id, task_id, map_index)
    )
    history = instances_select(TaskInstanceHistory).where(
        same_instance(TaskInstanceHistory, dag_id, run_id, task_id, map_index)
    )
    current = instances_select(TaskInstance).where(
        same_instance(TaskInstance, dag_id, run_id, task_id, map_index),
        or_(
            TaskInstance.state.is_(None),
            TaskInstance.state != "up_for_retry",
            TaskInstance.try_number.not_in(archived.scalar_subquery()),
        ),
    )
    return union_all(history, current).subquery("tries")


def _list(dag_id: str, run_id: str, task_id: str, map_index: int, **page: Any) -> dict[str, Any]:
    tries = _tries(dag_id, run_id, task_id, map_index)
    sortable: dict[str, SortColumn] = {name: tries.c[name] for name in TRY_SORT_FIELDS}
    stmt: Select[Any] = select(tries)
    result = paginate(
        stmt, **page, sortable=sortable, default="try_number", tiebreak=[tries.c.try_number], scalars=False
    )
    # As in Airflow, a path that names no task instance lists no tries (200, empty), not a 404.
    rows = [row._mapping for row in result.rows]
    return {"task_instances": dump_many(task_instance_try_schema, rows), "total_entries": result.total}


def _one(dag_id: str, run_id: str, task_id: str, map_index: int, try_number: int) -> dict[str, Any]:
    # As in Airflow, the instance itself answers for its try number before its history does (a cleared
    # instance keeps the number of its archived try).
    row = None
    for model in (TaskInstance, TaskInstanceHistory):
        row = (
            db.session()
            .execute(
                instances_select(model).where(
                    same_instance(model, dag_id, run_id, task_id, map_index), model.try_number == try_number
                )
            )
            .first()
        )
        if row is not None:
            break
    if row is None:
        instance_or_404(dag_id, run_id, task_id, map_index)
        raise NotFound(
            title="Try not found",
            detail=f"Try {try_number} of the {describe_instance(dag_id, run_id, task_id, map_index)} "
            "never happened",
        )
    return dump(task_instance_try_schema, row._mapping)


def get_task_instance_tries(
    dag_id: str,
    dag_run_id: str,
    task_id: str,
    limit: int | None = None,
    offset: int = 0,
    order_by: str | None = None,
) -> dict[str, Any]:
    return _list(dag_id, dag_run_id, task_id, -1, limit=limit, offset=offset, order_by=order_by)


def get_mapped_task_instance_tries(
    dag_id: str,
    dag_run_id: str,
    task_id: str,
    map_index: int,
    limit: int | None = None,
    offset: int = 0,
    order_by: str | None = None,
) -> dict[str, Any]:
    return _list(dag_id, dag_run_id, task_id, map_index, limit=limit, offset=offset, order_by=order_by)


def get_task_instance_try_details(
    dag_id: str, dag_run_id: str, task_id: str, task_try_number: int
) -> dict[str, Any]:
    return _one(dag_id, dag_run_id, task_id, -1, task_try_number)


def get_mapped_task_instance_try_details(
    dag_id: str, dag_run_id: str, task_id: str, map_index: int, task_try_number: int
) -> dict[str, Any]:
    return _one(dag_id, dag_run_id, task_id, map_index, task_try_number)
