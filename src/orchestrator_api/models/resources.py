"""Connections, variables and pools: the resources Airflow users provision from CI."""

from __future__ import annotations

from sqlalchemy import Boolean, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from orchestrator_api.models.base import Base, SealedText, UpdatedAtMixin
from orchestrator_api.models.organization import OrgScoped

DEFAULT_POOL = "default_pool"


class Connection(OrgScoped, UpdatedAtMixin, Base):
    __tablename__ = "connection"
    __table_args__ = (UniqueConstraint("organization_id", "conn_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conn_id: Mapped[str] = mapped_column(String(250))
    conn_type: Mapped[str] = mapped_column(String(500), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    host: Mapped[str | None] = mapped_column(String(500))
    schema: Mapped[str | None] = mapped_column(String(500))
    login: Mapped[str | None] = mapped_column(Text)
    password: Mapped[str | None] = mapped_column(SealedText)
    port: Mapped[int | None] = mapped_column(Integer)
    extra: Mapped[str | None] = mapped_column(SealedText)


class Variable(OrgScoped, UpdatedAtMixin, Base):
    __tablename__ = "variable"
    __table_args__ = (UniqueConstraint("organization_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(250))
    val: Mapped[str] = mapped_column(SealedText)
    description: Mapped[str | None] = mapped_column(Text)


class Pool(OrgScoped, UpdatedAtMixin, Base):
    __tablename__ = "slot_pool"
    __table_args__ = (UniqueConstraint("organization_id", "pool"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pool: Mapped[str] = mapped_column(String(256))
    slots: Mapped[int] = mapped_column(Integer, default=128)
    description: Mapped[str | None] = mapped_column(Text)
    include_deferred: Mapped[bool] = mapped_column(Boolean, default=False)

    @property
    def is_default(self) -> bool:
        return self.pool == DEFAULT_POOL
