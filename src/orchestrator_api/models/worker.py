"""Workers (extension): processes that claim task instances over the worker API, each with its own token."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from orchestrator_api.models.base import Base, UTCDateTime
from orchestrator_api.timeutil import utcnow


class Worker(Base):
    """A registered worker. Only the hash of its token is stored; the token can call the worker API only."""

    __tablename__ = "worker"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    display_prefix: Mapped[str] = mapped_column(String(32))
    created_by: Mapped[str | None] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    hostname: Mapped[str | None] = mapped_column(String(1000))
    queues: Mapped[list[str]] = mapped_column(JSON, default=list)  # the queues of its latest claim
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
