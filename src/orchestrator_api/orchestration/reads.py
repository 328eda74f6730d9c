"""The read side of task instances: one SELECT shape for every answer that shows task instances or tries.

A task instance answer needs its run's logical date and its task's display name; both come from joins in
the same statement, so a page of any size costs one query. Live instances and archived tries share their
columns, so the same shape serves lists, single reads and the union of tries.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, RowMapping, Select, Text, and_, cast, func, null, select

from orchestrator_api import db
from orchestrator_api.models.dag import Task
from orchestrator_api.models.run import DagRun, TaskInstance, TaskInstanceHistory
from orchestrator_api.timeutil import as_utc

InstanceModel = type[TaskInstance] | type[TaskInstanceHistory]

SHARED_COLUMNS = (
    "dag_id",
    "run_id",
    "task_id",
    "map_index",
    "try_number",
    "max_tries",
    "state",
    "start_date",
    "end_date",
    "duration",
    "hostname",
    "unixname",
    "pid",
    "pool",
    "pool_slots",
    "queue",
    "priority_weight",
    "operator",
    "queued_dttm",
    "executor",
    "executor_config",
    "rendered_fields",
    "rendered_map_index",
    "updated_at",
)
"""Columns live instances and archived tries both have, by attribute name."""


def instance_columns(model: InstanceModel) -> list[ColumnElement[Any]]:
    """The columns of a task instance answer, labelled with the attribute names the schema reads."""
    columns: list[ColumnElement[Any]] = [getattr(model, name).label(name) for name in SHARED_COLUMNS]
    note = TaskInstance.note if model is TaskInstance else cast(null(), Text)
    columns.append(note.label("note"))
    columns.append(DagRun.logical_date.label("execution_date"))
    columns.append(func.coalesce(Task.task_display_name, model.task_id).label("task_display_name"))
    return columns


def instances_select(model: InstanceModel = TaskInstance) -> Select[Any]:
    """Task instances (or tries) joined to their run and task; add filters and run it."""
    return (
        select(*instance_columns(model))
        .join(DagRun, and_(DagRun.dag_id == model.dag_id, DagRun.run_id == model.run_id))
        .outerjoin(Task, and_(Task.dag_id == model.dag_id, Task.task_id == model.task_id))
    )


def same_instance(
    model: InstanceModel, dag_id: str, run_id: str, task_id: str, map_index: int
) -> ColumnElement[bool]:
    """The condition selecting one task instance's rows of ``model``."""
    return and_(
        model.dag_id == dag_id,
        model.run_id == run_id,
        model.task_id == task_id,
        model.map_index == map_index,
    )


def between(stmt: Select[Any], column: Any, gte: datetime | None, lte: datetime | None) -> Select[Any]:
    """``stmt`` narrowed to ``gte <= column <= lte``; either bound may be absent."""
    if gte is not None:
        stmt = stmt.where(column >= as_utc(gte))
    if lte is not None:
        stmt = stmt.where(column <= as_utc(lte))
    return stmt


def read_instance(dag_id: str, run_id: str, task_id: str, map_index: int) -> RowMapping | None:
    """One live task instance as the schema dumps it, or None."""
    condition = same_instance(TaskInstance, dag_id, run_id, task_id, map_index)
    row = db.session().execute(instances_select().where(condition)).first()
    return None if row is None else row._mapping
