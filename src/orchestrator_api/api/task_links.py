"""The extra links of a task instance."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from orchestrator_api import db
from orchestrator_api.models.run import TaskInstance
from orchestrator_api.orchestration.links import render_link
from orchestrator_api.orchestration.lookup import missing_instance, task_or_404
from orchestrator_api.schemas.common import class_reference


def get_extra_links(
    dag_id: str, dag_run_id: str, task_id: str, map_index: int | None = None
) -> dict[str, Any]:
    stmt = select(TaskInstance).where(
        TaskInstance.dag_id == dag_id, TaskInstance.run_id == dag_run_id, TaskInstance.task_id == task_id
    )
    if map_index is not None:
        stmt = stmt.where(TaskInstance.map_index == map_index)
    instance = db.session().scalars(stmt.order_by(TaskInstance.map_index).limit(1)).first()
    if instance is None:
        missing_instance(dag_id, dag_run_id, task_id, -1 if map_index is None else map_index)
    task = task_or_404(dag_id, task_id)
    values: dict[str, str | int] = {
        "dag_id": dag_id,
        "task_id": task_id,
        "run_id": dag_run_id,
        "map_index": instance.map_index,
        "try_number": instance.try_number,
    }
    links = [
        {
            "class_ref": class_reference(name, ""),
            "name": name,
            "href": render_link(template, values),
        }
        for name, template in sorted((task.extra_links or {}).items())
    ]
    return {"extra_links": links}
