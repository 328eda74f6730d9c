"""The audit trail: one row per mutating API call (and per `dags sync`), read by the event-log endpoints."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from orchestrator_api.models.base import Base, UTCDateTime
from orchestrator_api.models.organization import OrgScoped, organization_indexes
from orchestrator_api.timeutil import utcnow


class EventLog(OrgScoped, Base):
    __tablename__ = "log"
    __table_args__ = (
        Index("ix_log_dag_id_task_id_run_id", "dag_id", "task_id", "run_id"),
        # List indexes (0010): the default page and the sort keys, after the organization every list
        # filters by (see ``models.run.organization_indexes``).
        *organization_indexes("log", ("id", "dttm", "task_id", "run_id", "execution_date")),
    )
    organization_indexed = False  # ix_log_organization_id_id replaces it

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dttm: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    dag_id: Mapped[str | None] = mapped_column(String(250))
    task_id: Mapped[str | None] = mapped_column(String(250))
    map_index: Mapped[int | None] = mapped_column(Integer)
    run_id: Mapped[str | None] = mapped_column(String(250))
    try_number: Mapped[int | None] = mapped_column(Integer)
    event: Mapped[str] = mapped_column(String(60), index=True)
    execution_date: Mapped[datetime | None] = mapped_column(UTCDateTime())
    owner: Mapped[str | None] = mapped_column(String(500), index=True)
    owner_display_name: Mapped[str | None] = mapped_column(String(500))
    extra: Mapped[str | None] = mapped_column(Text)
