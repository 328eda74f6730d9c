"""A successful task's outlets: one dataset event per dataset it produces, queued for the consumers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from orchestrator_api.dataset_events import queue_for_consumers
from orchestrator_api.models.dag import Task
from orchestrator_api.models.dataset import DatasetEvent, TaskOutletDatasetReference
from orchestrator_api.models.run import TaskInstance


def record_outlets(session: Session, instance: TaskInstance, task: Task, now: datetime) -> None:
    """Record a dataset event for each outlet of ``task``, as Airflow's dataset manager does on success."""
    dataset_ids = list(
        session.scalars(
            select(TaskOutletDatasetReference.dataset_id).where(
                TaskOutletDatasetReference.dag_id == task.dag_id,
                TaskOutletDatasetReference.task_id == task.task_id,
            )
        )
    )
    for dataset_id in dataset_ids:  # a task has a handful of outlets at most
        session.add(
            DatasetEvent(
                dataset_id=dataset_id,
                extra={},
                source_dag_id=instance.dag_id,
                source_task_id=instance.task_id,
                source_run_id=instance.run_id,
                source_map_index=instance.map_index,
                timestamp=now,
            )
        )
        session.flush()
        queue_for_consumers(session, dataset_id, now)
