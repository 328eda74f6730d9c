"""Task instances: list (by query, by form, the map indexes of one task) and read."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, func, select
from sqlalchemy.sql.elements import True_

from orchestrator_api import db
from orchestrator_api.models.run import DagRun, TaskInstance, TaskInstanceCount
from orchestrator_api.orchestration.lookup import missing_instance, task_or_404
from orchestrator_api.orchestration.reads import between, instances_select, read_instance
from orchestrator_api.orchestration.states import state_filter
from orchestrator_api.pagination import Page, SortColumn, paginate, parse_order_by, slice_page
from orchestrator_api.problems import NotFound, PermissionDenied
from orchestrator_api.schemas.common import dump, dump_many
from orchestrator_api.schemas.task_instance import list_task_instance_form_schema, task_instance_schema
from orchestrator_api.security.permissions import dag_filter
from orchestrator_api.security.principal import CAN_READ, current_principal

TASK_INSTANCE_SORTABLE: dict[str, SortColumn] = {
    "id": TaskInstance.id,
    "dag_id": TaskInstance.dag_id,
    "dag_run_id": TaskInstance.run_id,
    "task_id": TaskInstance.task_id,
    "map_index": TaskInstance.map_index,
    "state": TaskInstance.state,
    "start_date": TaskInstance.start_date,
    "end_date": TaskInstance.end_date,
    "duration": TaskInstance.duration,
    "pool": TaskInstance.pool,
    "queue": TaskInstance.queue,
    "priority_weight": TaskInstance.priority_weight,
    "try_number": TaskInstance.try_number,
    "execution_date": DagRun.logical_date,
    "updated_at": TaskInstance.updated_at,
    "operator": TaskInstance.operator,
    "executor": TaskInstance.executor,
}

MAPPED_SORTABLE: dict[str, SortColumn] = {
    "map_index": TaskInstance.map_index,
    "state": TaskInstance.state,
    "start_date": TaskInstance.start_date,
    "end_date": TaskInstance.end_date,
    "duration": TaskInstance.duration,
    "try_number": TaskInstance.try_number,
    "updated_at": TaskInstance.updated_at,
    "rendered_map_index": TaskInstance.rendered_map_index,
}


def _filtered(stmt: Select[Any], filters: dict[str, Any]) -> Select[Any]:
    """The filters the query string and the batch form share."""
    stmt = between(
        stmt, DagRun.logical_date, filters.get("execution_date_gte"), filters.get("execution_date_lte")
    )
    stmt = between(
        stmt, TaskInstance.start_date, filters.get("start_date_gte"), filters.get("start_date_lte")
    )
    stmt = between(stmt, TaskInstance.end_date, filters.get("end_date_gte"), filters.get("end_date_lte"))
    stmt = between(
        stmt, TaskInstance.updated_at, filters.get("updated_at_gte"), filters.get("updated_at_lte")
    )
    if filters.get("duration_gte") is not None:
        stmt = stmt.where(TaskInstance.duration >= filters["duration_gte"])
    if filters.get("duration_lte") is not None:
        stmt = stmt.where(TaskInstance.duration <= filters["duration_lte"])
    if filters.get("state"):
        stmt = stmt.where(state_filter(TaskInstance.state, filters["state"]))
    for name, column in (
        ("pool", TaskInstance.pool),
        ("queue", TaskInstance.queue),
        ("executor", TaskInstance.executor),
        ("dag_ids", TaskInstance.dag_id),
        ("dag_run_ids", TaskInstance.run_id),
        ("task_ids", TaskInstance.task_id),
    ):
        if filters.get(name):
            stmt = stmt.where(column.in_(filters[name]))
    return stmt


def _readable(stmt: Select[Any]) -> Select[Any]:
    condition = dag_filter(current_principal(), TaskInstance.dag_id)
    # All-DAGs access adds no condition at all: `WHERE 1 = 1` keeps SQLite from its fast table count.
    return stmt if isinstance(condition, True_) else stmt.where(condition)


def _readable_instances() -> Select[Any]:
    return _readable(instances_select())


def _counted(filters: dict[str, Any]) -> Select[Any]:
    """What a list counts: the task instances alone, the run joined only when a filter reads it.

    Every instance has its run (a foreign key, ON DELETE CASCADE) and at most one task row, so the page's
    joins cannot change the count; without them a count is an index scan, not an index lookup per row.
    """
    stmt = _readable(select(TaskInstance.id))
    if filters.get("execution_date_gte") is not None or filters.get("execution_date_lte") is not None:
        stmt = stmt.join(
            DagRun, and_(DagRun.dag_id == TaskInstance.dag_id, DagRun.run_id == TaskInstance.run_id)
        )
    return stmt


# Every filter `_filtered` reads: a list with none of them counts what `task_instance_count` keeps.
_FILTERS = (
    "execution_date_gte", "execution_date_lte", "start_date_gte", "start_date_lte", "end_date_gte",
    "end_date_lte", "updated_at_gte", "updated_at_lte", "duration_gte", "duration_lte", "state", "pool",
    "queue", "executor", "dag_ids", "dag_run_ids", "task_ids",
)  # fmt: skip


def _kept_total(dag_id: str, dag_run_id: str, filters: dict[str, Any]) -> Select[Any] | None:
    """The total of an unfiltered list from the per-DAG counts the database keeps (migration 0010), or
    None when the list is narrower than whole DAGs: a million instances are then one read per DAG."""
    if dag_run_id != "~" or any(filters.get(name) not in (None, "", []) for name in _FILTERS):
        return None
    stmt = _readable_counts()
    return stmt if dag_id == "~" else stmt.where(TaskInstanceCount.dag_id == dag_id)


def _readable_counts() -> Select[Any]:
    stmt = select(func.coalesce(func.sum(TaskInstanceCount.instances), 0))
    condition = dag_filter(current_principal(), TaskInstanceCount.dag_id)
    return stmt if isinstance(condition, True_) else stmt.where(condition)


def _collection(page: Page[Any]) -> dict[str, Any]:
    rows = [row._mapping for row in page.rows]
    return {"task_instances": dump_many(task_instance_schema, rows), "total_entries": page.total}


def get_task_instances(
    dag_id: str,
    dag_run_id: str,
    limit: int | None = None,
    offset: int = 0,
    order_by: str | None = None,
    **filters: Any,
) -> dict[str, Any]:
    scope = []
    if dag_id != "~":
        scope.append(TaskInstance.dag_id == dag_id)
    if dag_run_id != "~":
        scope.append(TaskInstance.run_id == dag_run_id)
    page = paginate(
        _filtered(_readable_instances().where(*scope), filters),
        limit=limit,
        offset=offset,
        order_by=order_by,
        sortable=TASK_INSTANCE_SORTABLE,
        default="id",
        tiebreak=[TaskInstance.id],
        scalars=False,
        count_from=_filtered(_counted(filters).where(*scope), filters),
        total_from=_kept_total(dag_id, dag_run_id, filters),
    )
    return _collection(page)


def get_task_instances_batch(body: dict[str, Any]) -> dict[str, Any]:
    form = list_task_instance_form_schema.load(body)
    principal = current_principal()
    if form["dag_ids"]:
        denied = sorted({d for d in form["dag_ids"] if not principal.can_dag(CAN_READ, d)})
        if denied:
            raise PermissionDenied(detail=f"Not allowed to read these DAGs: {', '.join(denied)}")
    stmt = _filtered(_readable_instances(), form)
    if form["page_limit"] is None:  # without page_limit the form answers every match, in one statement
        ordering = parse_order_by(form["order_by"], TASK_INSTANCE_SORTABLE, "id")
        rows = db.session().execute(stmt.order_by(ordering, TaskInstance.id.asc())).all()
        return _collection(slice_page(rows, offset=form["page_offset"], size=None))
    page = paginate(
        stmt,
        limit=form["page_limit"],
        offset=form["page_offset"],
        order_by=form["order_by"],
        sortable=TASK_INSTANCE_SORTABLE,
        default="id",
        tiebreak=[TaskInstance.id],
        scalars=False,
        count_from=_filtered(_counted(form), form),
    )
    return _collection(page)


def get_mapped_task_instances(
    dag_id: str,
    dag_run_id: str,
    task_id: str,
    limit: int | None = None,
    offset: int = 0,
    order_by: str | None = None,
    **filters: Any,
) -> dict[str, Any]:
    task = task_or_404(dag_id, task_id)
    if task.map_count is None:
        raise NotFound(title="Task not mapped", detail=f"Task {task_id!r} of DAG {dag_id!r} is not mapped")
    stmt = instances_select().where(
        TaskInstance.dag_id == dag_id,
        TaskInstance.run_id == dag_run_id,
        TaskInstance.task_id == task_id,
        TaskInstance.map_index >= 0,
    )
    page = paginate(
        _filtered(stmt, filters),
        limit=limit,
        offset=offset,
        order_by=order_by,
        sortable=MAPPED_SORTABLE,
        default="map_index",
        tiebreak=[TaskInstance.id],
        scalars=False,
    )
    return _collection(page)


def _one(dag_id: str, dag_run_id: str, task_id: str, map_index: int) -> dict[str, Any]:
    row = read_instance(dag_id, dag_run_id, task_id, map_index)
    if row is None:
        missing_instance(dag_id, dag_run_id, task_id, map_index)
    return dump(task_instance_schema, row)


def get_task_instance(dag_id: str, dag_run_id: str, task_id: str) -> dict[str, Any]:
    return _one(dag_id, dag_run_id, task_id, -1)


def get_mapped_task_instance(dag_id: str, dag_run_id: str, task_id: str, map_index: int) -> dict[str, Any]:
    return _one(dag_id, dag_run_id, task_id, map_index)
