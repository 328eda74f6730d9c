"""A DAG's tasks."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from orchestrator_api import db
from orchestrator_api.models.dag import Task
from orchestrator_api.pagination import SortColumn, parse_order_by
from orchestrator_api.queries import dag_or_404, get_or_404
from orchestrator_api.schemas.common import dump, dump_many
from orchestrator_api.schemas.dag import TaskSchema

TASK_SORTABLE: dict[str, SortColumn] = {
    "task_id": Task.task_id,
    "task_display_name": Task.task_display_name,
    "owner": Task.owner,
    "pool": Task.pool,
    "queue": Task.queue,
    "priority_weight": Task.priority_weight,
    "retries": Task.retries,
    "trigger_rule": Task.trigger_rule,
    "start_date": Task.start_date,
    "end_date": Task.end_date,
    "operator": Task.operator,
}


def get_tasks(dag_id: str, order_by: str | None = None) -> dict[str, Any]:
    dag = dag_or_404(dag_id)
    ordering = parse_order_by(order_by, TASK_SORTABLE, default="task_id")
    tasks = (
        db.session().scalars(select(Task).where(Task.dag_id == dag_id).order_by(ordering, Task.task_id)).all()
    )
    return {"tasks": dump_many(TaskSchema(dag_params=dag.params), tasks), "total_entries": len(tasks)}


def get_task(dag_id: str, task_id: str) -> dict[str, Any]:
    dag = dag_or_404(dag_id)
    task = get_or_404(
        Task,
        Task.dag_id == dag_id,
        Task.task_id == task_id,
        title="Task not found",
        detail=f"Task {task_id!r} not found in DAG {dag_id!r}",
    )
    return dump(TaskSchema(dag_params=dag.params), task)
