"""Tasks as Mage's blocks: add, change or remove one task in a definition's data, then re-validate."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from orchestrator_api.problems import AlreadyExists, NotFound


class TaskDraft:
    """One task mapping seen as an object, so the one PATCH mechanism (``apply_patch``) can set its fields.

    An absent key reads as None; setting None removes the key, so the task falls back to ``default_args``.
    """

    def __init__(self, mapping: Mapping[str, Any]) -> None:
        object.__setattr__(self, "_values", dict(mapping))

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return self._values.get(name)

    def __setattr__(self, name: str, value: Any) -> None:
        self._values[name] = value

    def as_mapping(self) -> dict[str, Any]:
        """The task as a definition holds it: keys in their original order, nulls left out."""
        return {key: value for key, value in self._values.items() if value is not None}


def task_list(data: dict[str, Any]) -> list[Any]:
    """The definition's task list (a valid stored definition always has one)."""
    tasks = data.setdefault("tasks", [])
    return tasks if isinstance(tasks, list) else []


def task_index(data: dict[str, Any], task_id: str) -> int:
    """Where ``task_id`` is in the task list; 404 when the DAG has no such task."""
    for index, task in enumerate(task_list(data)):
        if isinstance(task, Mapping) and task.get("task_id") == task_id:
            return index
    raise NotFound(title="Task not found", detail=f"Task {task_id!r} not found in DAG {data.get('dag_id')!r}")


def remove_task(data: dict[str, Any], task_id: str, *, cascade: bool) -> list[str]:
    """Drop ``task_id``; 409 while other tasks list it upstream, unless ``cascade`` drops those edges too.

    Returns the ids of the tasks whose upstream lists changed.
    """
    tasks = task_list(data)
    index = task_index(data, task_id)
    dependants = [
        task for task in tasks if isinstance(task, dict) and task_id in (task.get("upstream") or [])
    ]
    if dependants and not cascade:
        names = ", ".join(repr(task.get("task_id")) for task in dependants)
        raise AlreadyExists(
            detail=f"Task {task_id!r} is upstream of {names}; change those tasks first or delete with "
            "cascade=true to drop those dependencies"
        )
    del tasks[index]
    for task in dependants:
        task["upstream"] = [upstream for upstream in task["upstream"] if upstream != task_id]
        if not task["upstream"]:
            del task["upstream"]
    return [str(task.get("task_id")) for task in dependants]
