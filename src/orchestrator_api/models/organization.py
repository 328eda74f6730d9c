"""Organizations and their members; ``OrgScoped`` marks every model whose rows belong to one organization."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from orchestrator_api.models.base import Base, UTCDateTime
from orchestrator_api.tenancy.context import current_organization_id
from orchestrator_api.timeutil import utcnow

ORG_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"
OWNER = "Owner"
USER = "User"
ORG_ROLES = (OWNER, USER)


class Organization(Base):
    __tablename__ = "organization"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[str] = mapped_column(String(63), unique=True)  # client-chosen, immutable
    name: Mapped[str] = mapped_column(String(250))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(256))

    members: Mapped[list[OrganizationMember]] = relationship(
        back_populates="organization", passive_deletes=True, order_by="OrganizationMember.username"
    )


class OrganizationMember(Base):
    __tablename__ = "organization_member"

    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), primary_key=True
    )
    # The username, not the user's id: a membership reads as it is addressed (`.../members/{username}`);
    # deleting a user deletes their memberships with them.
    username: Mapped[str] = mapped_column(
        ForeignKey("users.username", ondelete="CASCADE", onupdate="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(20))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    organization: Mapped[Organization] = relationship(back_populates="members")


class OrgScoped:
    """A row that belongs to exactly one organization.

    Every ORM statement on such a model is limited to the current organization (``scoping``), and a new
    row takes the current organization unless it names one; so handlers neither filter nor assign it.
    """

    # False where an index or key that starts with ``organization_id`` already exists (migration 0010): a
    # lone organization index is then a redundant prefix the planner may wrongly prefer to it.
    organization_indexed: ClassVar[bool] = True

    @declared_attr
    def organization_id(cls) -> Mapped[int]:  # SQLAlchemy's declared_attr takes the class
        return mapped_column(
            ForeignKey("organization.id", ondelete="CASCADE"),
            default=current_organization_id,
            index=cls.organization_indexed,
        )


def organization_indexes(table: str, keys: tuple[str, ...]) -> list[Index]:
    """``ix_<table>_organization_id_<key>`` on (organization_id, key, id) for each list filter or sort key.

    Every list filters by organization, so an index that starts with it and ends with the id tie-breaker
    serves ``WHERE organization_id = ? [AND key = ?] ORDER BY key, id LIMIT n`` by reading n entries ("id"
    alone: the default page). Migration 0010 creates them.
    """
    return [
        Index(f"ix_{table}_organization_id_{key}", "organization_id", *dict.fromkeys((key, "id")))
        for key in keys
    ]
