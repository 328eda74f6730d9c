"""DAG runs, task instances and the history of their earlier tries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from orchestrator_api.models.base import Base, UpdatedAtMixin, UTCDateTime
from orchestrator_api.models.dag import DAG_ID_LENGTH, dag_foreign_key
from orchestrator_api.models.organization import OrgScoped
from orchestrator_api.timeutil import utcnow


class DagRun(OrgScoped, UpdatedAtMixin, Base):
    __tablename__ = "dag_run"
    __table_args__ = (
        UniqueConstraint("organization_id", "dag_id", "run_id"),
        UniqueConstraint("organization_id", "dag_id", "logical_date"),
        dag_foreign_key("dag_id"),
        Index("ix_dag_run_dag_id_state", "dag_id", "state"),
        # List indexes (0006): one DAG's runs in id order, and the sort keys the spec allows.
        Index("ix_dag_run_dag_id_id", "dag_id", "id"),
        Index("ix_dag_run_run_id", "run_id"),
        Index("ix_dag_run_data_interval_start", "data_interval_start"),
        Index("ix_dag_run_data_interval_end", "data_interval_end"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dag_id: Mapped[str] = mapped_column(String(DAG_ID_LENGTH))
    run_id: Mapped[str] = mapped_column(String(DAG_ID_LENGTH))
    logical_date: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    data_interval_start: Mapped[datetime | None] = mapped_column(UTCDateTime())
    data_interval_end: Mapped[datetime | None] = mapped_column(UTCDateTime())
    state: Mapped[str] = mapped_column(String(50), default="queued", index=True)
    run_type: Mapped[str] = mapped_column(String(50), default="manual", index=True)
    external_trigger: Mapped[bool] = mapped_column(Boolean, default=True)
    conf: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    start_date: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    end_date: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    last_scheduling_decision: Mapped[datetime | None] = mapped_column(UTCDateTime())
    note: Mapped[str | None] = mapped_column(Text)
    clear_number: Mapped[int] = mapped_column(Integer, default=0)
    # Who started the run: a username, or "trigger-token:<id>" (not part of Airflow's wire format).
    triggered_by: Mapped[str | None] = mapped_column(String(300))


def _run_foreign_key() -> ForeignKeyConstraint:
    return ForeignKeyConstraint(
        ["organization_id", "dag_id", "run_id"],
        ["dag_run.organization_id", "dag_run.dag_id", "dag_run.run_id"],
        ondelete="CASCADE",
    )


class _TaskInstanceColumns:
    """Columns shared by live task instances and the archived copies of their earlier tries."""

    dag_id: Mapped[str] = mapped_column(String(DAG_ID_LENGTH))
    run_id: Mapped[str] = mapped_column(String(DAG_ID_LENGTH))
    task_id: Mapped[str] = mapped_column(String(DAG_ID_LENGTH))
    map_index: Mapped[int] = mapped_column(Integer, default=-1)
    try_number: Mapped[int] = mapped_column(Integer, default=0)
    max_tries: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str | None] = mapped_column(String(20), index=True)
    start_date: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    end_date: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    duration: Mapped[float | None] = mapped_column(Float, index=True)
    hostname: Mapped[str] = mapped_column(String(1000), default="")
    unixname: Mapped[str] = mapped_column(String(1000), default="")
    pid: Mapped[int | None] = mapped_column(Integer)
    pool: Mapped[str] = mapped_column(String(256), index=True)
    pool_slots: Mapped[int] = mapped_column(Integer, default=1)
    queue: Mapped[str] = mapped_column(String(256), index=True)
    priority_weight: Mapped[int] = mapped_column(Integer, default=1)
    operator: Mapped[str | None] = mapped_column(String(1000))
    queued_dttm: Mapped[datetime | None] = mapped_column(UTCDateTime())
    executor: Mapped[str | None] = mapped_column(String(1000), index=True)
    executor_config: Mapped[str] = mapped_column(Text, default="{}")
    rendered_fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    rendered_map_index: Mapped[str | None] = mapped_column(String(250))


class TaskInstance(OrgScoped, UpdatedAtMixin, _TaskInstanceColumns, Base):
    __tablename__ = "task_instance"
    __table_args__ = (
        UniqueConstraint("organization_id", "dag_id", "run_id", "task_id", "map_index"),
        _run_foreign_key(),
        Index("ix_task_instance_dag_id_task_id", "dag_id", "task_id"),
        # List indexes (0006): the filters and sort keys of the task instance lists that had none.
        Index("ix_task_instance_run_id", "run_id"),
        Index("ix_task_instance_task_id", "task_id"),
        Index("ix_task_instance_map_index", "map_index"),
        Index("ix_task_instance_priority_weight", "priority_weight"),
        Index("ix_task_instance_try_number", "try_number"),
        Index("ix_task_instance_operator", "operator"),
        # Lists filter by organization and sort by start_date (0007): one index serves both.
        Index("ix_task_instance_organization_id_start_date", "organization_id", "start_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    note: Mapped[str | None] = mapped_column(Text)
    # Execution (not part of Airflow's wire format). A claimed try is held under a lease: the random
    # `lease_id` a worker must present, valid until `lease_expires_at`; `version` grows with every change a
    # worker or the scheduler makes, so a conditional UPDATE can tell whether the row moved underneath it.
    lease_id: Mapped[str | None] = mapped_column(String(64), index=True)
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("worker.id", ondelete="SET NULL"), index=True)
    next_try_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # when an up_for_retry try may start
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class TaskInstanceHistory(OrgScoped, _TaskInstanceColumns, Base):
    """A finished try, copied here when its task instance is cleared to run again."""

    __tablename__ = "task_instance_history"
    __table_args__ = (
        UniqueConstraint("organization_id", "dag_id", "run_id", "task_id", "map_index", "try_number"),
        _run_foreign_key(),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class XCom(OrgScoped, Base):
    """A value a task pushed; whatever runs tasks writes these, the API reads them."""

    __tablename__ = "xcom"

    dag_run_id: Mapped[int] = mapped_column(ForeignKey("dag_run.id", ondelete="CASCADE"), primary_key=True)
    task_id: Mapped[str] = mapped_column(String(DAG_ID_LENGTH), primary_key=True)
    map_index: Mapped[int] = mapped_column(Integer, primary_key=True, default=-1)
    key: Mapped[str] = mapped_column(String(512), primary_key=True)
    dag_id: Mapped[str] = mapped_column(String(DAG_ID_LENGTH), index=True)
    run_id: Mapped[str] = mapped_column(String(DAG_ID_LENGTH), index=True)
    value: Mapped[str | None] = mapped_column(Text)  # JSON text, as written by the producer
    timestamp: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class Job(Base):
    """A heartbeat row per component (SchedulerJob, or DagSyncJob from `dags sync`); get_health reads them."""

    __tablename__ = "job"
    __table_args__ = (Index("ix_job_type_heartbeat", "job_type", "latest_heartbeat"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_type: Mapped[str] = mapped_column(String(30))
    state: Mapped[str | None] = mapped_column(String(20))
    hostname: Mapped[str | None] = mapped_column(String(500))
    start_date: Mapped[datetime | None] = mapped_column(UTCDateTime())
    end_date: Mapped[datetime | None] = mapped_column(UTCDateTime())
    latest_heartbeat: Mapped[datetime | None] = mapped_column(UTCDateTime())
