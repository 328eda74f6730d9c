"""Instance-wide values every worker must agree on (the generated secret key, the RBAC version)."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from orchestrator_api.models.base import Base

SECRET_KEY = "secret_key"
RBAC_VERSION = "rbac_version"


class InstanceMeta(Base):
    __tablename__ = "instance_meta"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
