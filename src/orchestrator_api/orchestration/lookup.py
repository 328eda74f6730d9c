"""Finding a run or a task instance by its path, with a 404 that says which part of the path is missing."""

from __future__ import annotations

from typing import NoReturn

from sqlalchemy import select

from orchestrator_api import db
from orchestrator_api.models.dag import Task
from orchestrator_api.models.run import DagRun, TaskInstance
from orchestrator_api.problems import NotFound
from orchestrator_api.queries import dag_or_404


def describe_instance(dag_id: str, run_id: str, task_id: str, map_index: int = -1) -> str:
    """How details and messages name a task instance."""
    where = f"task {task_id!r}" if map_index < 0 else f"task {task_id!r} map index {map_index}"
    return f"task instance of {where} in run {run_id!r} of DAG {dag_id!r}"


def run_or_404(dag_id: str, run_id: str) -> DagRun:
    """The run, or a 404 naming the missing DAG or the missing run."""
    run = db.session().scalars(select(DagRun).where(DagRun.dag_id == dag_id, DagRun.run_id == run_id)).first()
    if run is None:
        dag_or_404(dag_id)
        raise NotFound(title="DAG run not found", detail=f"DAG run {run_id!r} not found in DAG {dag_id!r}")
    return run


def require_path(dag_id: str, run_id: str | None = None) -> None:
    """404 unless the DAG (and run) named in a list path exist; ``~`` names nothing."""
    if dag_id != "~":
        dag_or_404(dag_id)
        if run_id is not None and run_id != "~":
            run_or_404(dag_id, run_id)


def task_or_404(dag_id: str, task_id: str) -> Task:
    task = db.session().scalars(select(Task).where(Task.dag_id == dag_id, Task.task_id == task_id)).first()
    if task is None:
        dag_or_404(dag_id)
        raise NotFound(title="Task not found", detail=f"Task {task_id!r} not found in DAG {dag_id!r}")
    return task


def missing_instance(dag_id: str, run_id: str, task_id: str, map_index: int) -> NoReturn:
    """Raise the 404 that best explains why this task instance does not exist."""
    run_or_404(dag_id, run_id)
    task = task_or_404(dag_id, task_id)
    if task.map_count is not None and map_index == -1:
        detail = f"Task {task_id!r} is mapped; name one of its map indexes"
    elif task.map_count is None and map_index != -1:
        detail = f"Task {task_id!r} is not mapped, so it has no map index {map_index}"
    else:
        detail = f"No {describe_instance(dag_id, run_id, task_id, map_index)}"
    raise NotFound(title="Task instance not found", detail=detail)


def instance_or_404(dag_id: str, run_id: str, task_id: str, map_index: int = -1) -> TaskInstance:
    """The live task instance (an ORM object, for changing it), or an explaining 404."""
    instance = (
        db.session()
        .scalars(
            select(TaskInstance).where(
                TaskInstance.dag_id == dag_id,
                TaskInstance.run_id == run_id,
                TaskInstance.task_id == task_id,
                TaskInstance.map_index == map_index,
            )
        )
        .first()
    )
    if instance is None:
        missing_instance(dag_id, run_id, task_id, map_index)
    return instance
