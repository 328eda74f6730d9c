"""Access tokens (personal, session and organization) and per-DAG trigger tokens; only hashes of secrets are
stored."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from orchestrator_api.models.auth import Role
from orchestrator_api.models.base import Base, UTCDateTime
from orchestrator_api.models.dag import DAG_ID_LENGTH, dag_foreign_key
from orchestrator_api.models.organization import OrgScoped
from orchestrator_api.timeutil import utcnow

access_token_role = Table(
    "access_token_role",
    Base.metadata,
    Column("token_id", ForeignKey("access_token.id", ondelete="CASCADE"), primary_key=True),
    Column("role_id", ForeignKey("roles.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class AccessToken(Base):
    __tablename__ = "access_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # NULL for an organization token: it belongs to its organization, not to a person.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # "personal", "session" or "organization"
    # The organization the token is bound to; null: its user's (personal and session tokens).
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    display_prefix: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Organization tokens only: the organization role they act with, who made them (kept as text, so the
    # token outlives its creator), and their DAG scope (NULL or empty: every DAG of the organization).
    role: Mapped[str | None] = mapped_column(String(20))
    created_by: Mapped[str | None] = mapped_column(String(256))
    dag_ids: Mapped[list[str] | None] = mapped_column(JSON)
    dag_tags: Mapped[list[str] | None] = mapped_column(JSON)

    # Empty: the token acts with all of its user's roles; otherwise with the intersection.
    roles: Mapped[list[Role]] = relationship(secondary=access_token_role, order_by="Role.name")


class TriggerToken(OrgScoped, Base):
    __tablename__ = "trigger_token"
    __table_args__ = (dag_foreign_key("dag_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dag_id: Mapped[str] = mapped_column(String(DAG_ID_LENGTH), index=True)
    name: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    display_prefix: Mapped[str] = mapped_column(String(32))
    created_by: Mapped[str | None] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
