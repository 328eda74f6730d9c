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
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from orchestrator_api.models.base import Base, UpdatedAtMixin, UTCDateTime
from orchestrator_api.models.dag import DAG_ID_LENGTH, dag_foreign_key
from orchestrator_api.models.organization import OrgScoped, organization_indexes
from orchestrator_api.timeutil import utcnow

# List indexes (0010). Every list query filters by organization, so each filter and sort key the spec
# allows is indexed after it and before the id tie-breaker: `WHERE organization_id = ? [AND key = ?]
# ORDER BY key, id LIMIT n` then reads n index entries, and no single-column index tempts the planner
# into reading a whole organization (or a whole table) to sort it. ("id" alone: the default page.)
DAG_RUN_LIST_KEYS = (
    "id", "dag_id", "state", "run_id", "logical_date", "start_date", "end_date",
    "data_interval_start", "data_interval_end", "updated_at",
)  # fmt: skip
TASK_INSTANCE_LIST_KEYS = (
    "id", "dag_id", "state", "run_id", "task_id", "map_index", "start_date", "end_date", "duration",
    "pool", "queue", "priority_weight", "try_number", "operator", "executor", "updated_at",
)  # fmt: skip


class DagRun(OrgScoped, UpdatedAtMixin, Base):
    __tablename__ = "dag_run"
    __table_args__ = (
        UniqueConstraint("organization_id", "dag_id", "run_id"),
        UniqueConstraint("organization_id", "dag_id", "logical_date"),
        dag_foreign_key("dag_id"),
        Index("ix_dag_run_dag_id_state", "dag_id", "state"),
        *organization_indexes("dag_run", DAG_RUN_LIST_KEYS),
    )
    organization_indexed = False  # ix_dag_run_organization_id_id replaces it

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
    start_date: Mapped[datetime | None] = mapped_column(UTCDateTime())
    end_date: Mapped[datetime | None] = mapped_column(UTCDateTime())
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
    state: Mapped[str | None] = mapped_column(String(20))
    start_date: Mapped[datetime | None] = mapped_column(UTCDateTime())
    end_date: Mapped[datetime | None] = mapped_column(UTCDateTime())
    duration: Mapped[float | None] = mapped_column(Float)
    hostname: Mapped[str] = mapped_column(String(1000), default="")
    unixname: Mapped[str] = mapped_column(String(1000), default="")
    pid: Mapped[int | None] = mapped_column(Integer)
    pool: Mapped[str] = mapped_column(String(256))
    pool_slots: Mapped[int] = mapped_column(Integer, default=1)
    queue: Mapped[str] = mapped_column(String(256))
    priority_weight: Mapped[int] = mapped_column(Integer, default=1)
    operator: Mapped[str | None] = mapped_column(String(1000))
    queued_dttm: Mapped[datetime | None] = mapped_column(UTCDateTime())
    executor: Mapped[str | None] = mapped_column(String(1000))
    executor_config: Mapped[str] = mapped_column(Text, default="{}")
    rendered_fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    rendered_map_index: Mapped[str | None] = mapped_column(String(250))


class TaskInstance(OrgScoped, UpdatedAtMixin, _TaskInstanceColumns, Base):
    __tablename__ = "task_instance"
    __table_args__ = (
        UniqueConstraint("organization_id", "dag_id", "run_id", "task_id", "map_index"),
        _run_foreign_key(),
        Index("ix_task_instance_dag_id_task_id", "dag_id", "task_id"),
        # The processes that serve every organization (scheduler, workers) select by these alone.
        Index("ix_task_instance_state", "state"),
        Index("ix_task_instance_pool", "pool"),
        Index("ix_task_instance_queue", "queue"),
        Index("ix_task_instance_executor", "executor"),
        *organization_indexes("task_instance", TASK_INSTANCE_LIST_KEYS),
    )
    organization_indexed = False  # ix_task_instance_organization_id_id replaces it

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


# The history's single-column indexes, as they were when the live table had the same ones (0007).
_HISTORY_INDEXED = ("state", "start_date", "end_date", "duration", "pool", "queue", "executor")


class TaskInstanceHistory(OrgScoped, _TaskInstanceColumns, Base):
    """A finished try, copied here when its task instance is cleared to run again."""

    __tablename__ = "task_instance_history"
    __table_args__ = (
        UniqueConstraint("organization_id", "dag_id", "run_id", "task_id", "map_index", "try_number"),
        _run_foreign_key(),
        *(Index(f"ix_task_instance_history_{name}", name) for name in _HISTORY_INDEXED),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class TaskInstanceCount(OrgScoped, Base):
    """How many task instances each DAG has, so a list's total needs no pass over a million rows.

    Database triggers (migration 0010) keep it: every INSERT and DELETE on ``task_instance``, whoever runs
    it (the API, the scheduler, a bulk load, a cascade from a run, DAG or organization), adds or subtracts
    in the same transaction, so the figure is exact in every session that can see the rows it counts.
    """

    __tablename__ = "task_instance_count"
    __table_args__ = (PrimaryKeyConstraint("organization_id", "dag_id"),)
    organization_indexed = False  # the primary key starts with it

    dag_id: Mapped[str] = mapped_column(String(DAG_ID_LENGTH))
    instances: Mapped[int] = mapped_column(Integer, default=0)


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
