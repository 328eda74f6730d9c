"""Datasets: which tasks produce them, which DAGs consume them, their events and the consumers' queues."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, ForeignKeyConstraint, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from orchestrator_api.models.base import Base, UTCDateTime
from orchestrator_api.models.dag import DAG_ID_LENGTH
from orchestrator_api.models.organization import OrgScoped
from orchestrator_api.timeutil import utcnow


class Dataset(OrgScoped, Base):
    __tablename__ = "dataset"
    __table_args__ = (UniqueConstraint("organization_id", "uri"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uri: Mapped[str] = mapped_column(String(3000))
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow, index=True)
    # No DAG references it any more; kept so its event history stays readable.
    is_orphaned: Mapped[bool] = mapped_column(Boolean, default=False)

    consuming_dags: Mapped[list[DagScheduleDatasetReference]] = relationship(
        order_by="DagScheduleDatasetReference.dag_id", viewonly=True
    )
    producing_tasks: Mapped[list[TaskOutletDatasetReference]] = relationship(
        order_by="(TaskOutletDatasetReference.dag_id, TaskOutletDatasetReference.task_id)", viewonly=True
    )


class DagScheduleDatasetReference(OrgScoped, Base):
    """A DAG whose schedule waits for this dataset."""

    __tablename__ = "dag_schedule_dataset_reference"
    __table_args__ = (
        ForeignKeyConstraint(
            ["organization_id", "dag_id"], ["dag.organization_id", "dag.dag_id"], ondelete="CASCADE"
        ),
    )

    dataset_id: Mapped[int] = mapped_column(ForeignKey("dataset.id", ondelete="CASCADE"), primary_key=True)
    dag_id: Mapped[str] = mapped_column(String(DAG_ID_LENGTH), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class TaskOutletDatasetReference(OrgScoped, Base):
    """A task that lists this dataset among its outlets."""

    __tablename__ = "task_outlet_dataset_reference"
    __table_args__ = (
        ForeignKeyConstraint(
            ["organization_id", "dag_id", "task_id"],
            ["task.organization_id", "task.dag_id", "task.task_id"],
            ondelete="CASCADE",
        ),
    )

    dataset_id: Mapped[int] = mapped_column(ForeignKey("dataset.id", ondelete="CASCADE"), primary_key=True)
    dag_id: Mapped[str] = mapped_column(String(DAG_ID_LENGTH), primary_key=True)
    task_id: Mapped[str] = mapped_column(String(DAG_ID_LENGTH), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class DatasetEvent(OrgScoped, Base):
    __tablename__ = "dataset_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("dataset.id", ondelete="CASCADE"), index=True)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    source_dag_id: Mapped[str | None] = mapped_column(String(DAG_ID_LENGTH), index=True)
    source_task_id: Mapped[str | None] = mapped_column(String(DAG_ID_LENGTH))
    source_run_id: Mapped[str | None] = mapped_column(String(DAG_ID_LENGTH))
    source_map_index: Mapped[int | None] = mapped_column(Integer, default=-1)
    timestamp: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    dataset: Mapped[Dataset] = relationship(viewonly=True)


class DagRunDatasetEvent(Base):
    """Links a dataset-triggered run to the events that triggered it (`created_dagruns` / upstream events)."""

    __tablename__ = "dagrun_dataset_event"

    dag_run_id: Mapped[int] = mapped_column(ForeignKey("dag_run.id", ondelete="CASCADE"), primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("dataset_event.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class DatasetDagRunQueue(OrgScoped, Base):
    """An event waiting to be consumed by a DAG that is scheduled on the dataset."""

    __tablename__ = "dataset_dag_run_queue"
    __table_args__ = (
        ForeignKeyConstraint(
            ["organization_id", "target_dag_id"], ["dag.organization_id", "dag.dag_id"], ondelete="CASCADE"
        ),
    )

    dataset_id: Mapped[int] = mapped_column(ForeignKey("dataset.id", ondelete="CASCADE"), primary_key=True)
    target_dag_id: Mapped[str] = mapped_column(String(DAG_ID_LENGTH), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
