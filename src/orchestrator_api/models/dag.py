"""DAGs as `dags sync` stores them: the DAG row, its tags, tasks, source code, warnings and import errors."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKeyConstraint,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from orchestrator_api.models.base import Base, UpdatedAtMixin, UTCDateTime
from orchestrator_api.models.organization import OrgScoped
from orchestrator_api.timeutil import utcnow

DAG_ID_LENGTH = 250


def dag_foreign_key(*columns: str) -> ForeignKeyConstraint:
    """A reference to the DAG ``columns`` name (organization first), deleted with it."""
    return ForeignKeyConstraint(
        ["organization_id", *columns], ["dag.organization_id", "dag.dag_id"], ondelete="CASCADE"
    )


class Dag(OrgScoped, UpdatedAtMixin, Base):
    __tablename__ = "dag"
    __allow_unmapped__ = True  # for `preloaded_tag_names`, which is not a column
    organization_indexed = False  # the primary key starts with it
    __table_args__ = (
        # A dag_id is unique within its organization only.
        PrimaryKeyConstraint("organization_id", "dag_id"),
        # The default page (one organization's active DAGs by id) without a sort (0010); the sort keys
        # the spec allows that had no index (0006).
        Index("ix_dag_organization_id_is_active_dag_id", "organization_id", "is_active", "dag_id"),
        Index("ix_dag_dag_display_name", "dag_display_name"),
        Index("ix_dag_owners", "owners"),
        Index("ix_dag_last_parsed_time", "last_parsed_time"),
        Index("ix_dag_next_dagrun", "next_dagrun"),
    )

    dag_id: Mapped[str] = mapped_column(String(DAG_ID_LENGTH))
    dag_display_name: Mapped[str | None] = mapped_column(String(2000))
    description: Mapped[str | None] = mapped_column(Text)
    fileloc: Mapped[str] = mapped_column(String(2000), index=True)
    owners: Mapped[str] = mapped_column(String(2000), default="")  # comma-separated, as Airflow stores it
    is_paused: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    is_paused_upon_creation: Mapped[bool | None] = mapped_column(Boolean)
    last_parsed_time: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The schedule as written in the file ({"cron": ...}, {"preset": ...}, {"datasets": [...]} or null) and
    # Airflow's `schedule_interval` shape, precomputed at sync so serializing a page does no work per row.
    schedule: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    schedule_interval: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    timetable_description: Mapped[str | None] = mapped_column(String(1000))
    max_active_tasks: Mapped[int] = mapped_column(Integer, default=16)
    max_active_runs: Mapped[int] = mapped_column(Integer, default=16)
    max_consecutive_failed_dag_runs: Mapped[int] = mapped_column(Integer, default=0)
    has_task_concurrency_limits: Mapped[bool] = mapped_column(Boolean, default=False)
    has_import_errors: Mapped[bool] = mapped_column(Boolean, default=False)
    next_dagrun: Mapped[datetime | None] = mapped_column(UTCDateTime())
    next_dagrun_data_interval_start: Mapped[datetime | None] = mapped_column(UTCDateTime())
    next_dagrun_data_interval_end: Mapped[datetime | None] = mapped_column(UTCDateTime())
    next_dagrun_create_after: Mapped[datetime | None] = mapped_column(UTCDateTime())
    default_view: Mapped[str] = mapped_column(String(25), default="grid")
    catchup: Mapped[bool] = mapped_column(Boolean, default=False)
    start_date: Mapped[datetime | None] = mapped_column(UTCDateTime())
    end_date: Mapped[datetime | None] = mapped_column(UTCDateTime())
    doc_md: Mapped[str | None] = mapped_column(Text)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    dataset_expression: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    timezone: Mapped[str] = mapped_column(String(100), default="UTC")
    orientation: Mapped[str] = mapped_column(String(10), default="LR")
    render_template_as_native_obj: Mapped[bool] = mapped_column(Boolean, default=False)
    template_search_path: Mapped[list[str] | None] = mapped_column(JSON)
    dag_run_timeout_seconds: Mapped[float | None] = mapped_column(Float)

    tags: Mapped[list[DagTag]] = relationship(
        back_populates="dag", cascade="all, delete-orphan", passive_deletes=True, order_by="DagTag.name"
    )
    tasks: Mapped[list[Task]] = relationship(
        back_populates="dag", cascade="all, delete-orphan", passive_deletes=True, order_by="Task.position"
    )

    # Tag names read together with the DAG as one aggregate column (queries.select_dags), so a page of DAGs
    # costs one statement; None when the DAG was loaded another way.
    preloaded_tag_names: list[str] | None = None

    @property
    def tag_names(self) -> list[str]:
        if self.preloaded_tag_names is not None:
            return self.preloaded_tag_names
        return sorted(tag.name for tag in self.tags)

    @property
    def owner_list(self) -> list[str]:
        return [owner for owner in self.owners.split(",") if owner]


class DagTag(OrgScoped, Base):
    __tablename__ = "dag_tag"
    organization_indexed = False  # the primary key starts with it
    __table_args__ = (PrimaryKeyConstraint("organization_id", "dag_id", "name"), dag_foreign_key("dag_id"))

    dag_id: Mapped[str] = mapped_column(String(DAG_ID_LENGTH))
    name: Mapped[str] = mapped_column(String(100), index=True)

    dag: Mapped[Dag] = relationship(back_populates="tags")


class Task(OrgScoped, Base):
    __tablename__ = "task"
    organization_indexed = False  # the primary key starts with it
    __table_args__ = (PrimaryKeyConstraint("organization_id", "dag_id", "task_id"), dag_foreign_key("dag_id"))

    dag_id: Mapped[str] = mapped_column(String(DAG_ID_LENGTH))
    task_id: Mapped[str] = mapped_column(String(DAG_ID_LENGTH))
    position: Mapped[int] = mapped_column(Integer, default=0)  # order in the file, for a stable listing
    task_display_name: Mapped[str | None] = mapped_column(String(2000))
    operator: Mapped[str] = mapped_column(String(1000))
    operator_module: Mapped[str] = mapped_column(String(1000), default="")
    owner: Mapped[str] = mapped_column(String(500), default="airflow")
    pool: Mapped[str] = mapped_column(String(256), default="default_pool")
    pool_slots: Mapped[int] = mapped_column(Integer, default=1)
    queue: Mapped[str] = mapped_column(String(256), default="default")
    priority_weight: Mapped[int] = mapped_column(Integer, default=1)
    weight_rule: Mapped[str] = mapped_column(String(20), default="downstream")
    retries: Mapped[int] = mapped_column(Integer, default=0)
    retry_delay_seconds: Mapped[float] = mapped_column(Float, default=300.0)
    retry_exponential_backoff: Mapped[bool] = mapped_column(Boolean, default=False)
    trigger_rule: Mapped[str] = mapped_column(String(50), default="all_success")
    depends_on_past: Mapped[bool] = mapped_column(Boolean, default=False)
    wait_for_downstream: Mapped[bool] = mapped_column(Boolean, default=False)
    execution_timeout_seconds: Mapped[float | None] = mapped_column(Float)
    executor: Mapped[str | None] = mapped_column(String(1000))
    doc_md: Mapped[str | None] = mapped_column(Text)
    start_date: Mapped[datetime | None] = mapped_column(UTCDateTime())
    end_date: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A mapped task runs once per map index; `map_count` is how many (null: not mapped).
    map_count: Mapped[int | None] = mapped_column(Integer)
    ui_color: Mapped[str] = mapped_column(String(20), default="#fff")
    ui_fgcolor: Mapped[str] = mapped_column(String(20), default="#000")
    template_fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The graph is rewritten whole on every sync, so both directions are stored with the task: reading a
    # task or walking a DAG's graph then needs no join and no query per task.
    upstream_task_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    downstream_task_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    extra_links: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # name -> URL template
    # What the operator is given (bash_command, python_callable, op_kwargs, env): the worker renders and
    # runs it. Not part of Airflow's task wire format.
    operator_args: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    dag: Mapped[Dag] = relationship(back_populates="tasks")

    @property
    def is_mapped(self) -> bool:
        return self.map_count is not None


class DagCode(OrgScoped, Base):
    __tablename__ = "dag_code"
    organization_indexed = False  # the primary key starts with it
    __table_args__ = (PrimaryKeyConstraint("organization_id", "fileloc"),)

    fileloc: Mapped[str] = mapped_column(String(2000))
    source_code: Mapped[str] = mapped_column(Text)
    last_updated: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class DagWarning(OrgScoped, Base):
    __tablename__ = "dag_warning"
    organization_indexed = False  # the primary key starts with it
    __table_args__ = (
        PrimaryKeyConstraint("organization_id", "dag_id", "warning_type"),
        dag_foreign_key("dag_id"),
    )

    dag_id: Mapped[str] = mapped_column(String(DAG_ID_LENGTH))
    warning_type: Mapped[str] = mapped_column(String(50), index=True)
    message: Mapped[str] = mapped_column(Text)
    timestamp: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class DagImportError(OrgScoped, Base):
    __tablename__ = "import_error"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    timestamp: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    filename: Mapped[str] = mapped_column(String(2000), index=True)
    stack_trace: Mapped[str] = mapped_column(Text)
