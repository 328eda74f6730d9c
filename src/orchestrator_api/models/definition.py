"""DAG definitions written through the API: the YAML document and its revision, one row per API DAG."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, PrimaryKeyConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from orchestrator_api.models.base import Base, UTCDateTime
from orchestrator_api.models.dag import DAG_ID_LENGTH, dag_foreign_key
from orchestrator_api.models.organization import OrgScoped
from orchestrator_api.timeutil import utcnow


class DagDefinition(OrgScoped, Base):
    """The definition of a DAG authored through the API; a DAG without one comes from a file."""

    __tablename__ = "dag_definition"
    __table_args__ = (PrimaryKeyConstraint("organization_id", "dag_id"), dag_foreign_key("dag_id"))

    dag_id: Mapped[str] = mapped_column(String(DAG_ID_LENGTH))
    # Bumped by every accepted change; the ETag is derived from it and the document, so If-Match can refuse
    # a change made from a stale copy.
    revision: Mapped[int] = mapped_column(Integer, default=1)
    source: Mapped[str] = mapped_column(Text)  # the YAML document, as a DAG file would hold it
    created_by: Mapped[str | None] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(256))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    # SQLAlchemy updates with `WHERE revision = <the one read>`, so of two concurrent writers one fails.
    __mapper_args__ = {"version_id_col": revision}  # noqa: RUF012  # SQLAlchemy's declarative hook
