"""What keeps a task instance from running."""

from __future__ import annotations

from typing import Any

from orchestrator_api import db
from orchestrator_api.orchestration.dependencies import explain
from orchestrator_api.orchestration.lookup import instance_or_404, run_or_404


def _dependencies(dag_id: str, dag_run_id: str, task_id: str, map_index: int) -> dict[str, Any]:
    instance = instance_or_404(dag_id, dag_run_id, task_id, map_index)
    run = run_or_404(dag_id, dag_run_id)
    found = explain(db.session(), instance, run)
    return {"dependencies": [{"name": d.name, "reason": d.reason} for d in found]}


def get_task_instance_dependencies(dag_id: str, dag_run_id: str, task_id: str) -> dict[str, Any]:
    return _dependencies(dag_id, dag_run_id, task_id, -1)


def get_mapped_task_instance_dependencies(
    dag_id: str, dag_run_id: str, task_id: str, map_index: int
) -> dict[str, Any]:
    return _dependencies(dag_id, dag_run_id, task_id, map_index)
