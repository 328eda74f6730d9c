"""Declarative base, the column types for UTC datetimes and sealed secrets, and the ``updated_at`` mixin."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import DateTime, Dialect, MetaData, Text, TypeDecorator, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from orchestrator_api.security.encryption import seal, unseal
from orchestrator_api.timeutil import as_utc, utcnow

# Stable constraint names, so Alembic migrations can refer to them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is always aware UTC in Python, whatever the backend stores.

    SQLite has no timezone type and hands back naive values; PostgreSQL hands back aware ones in the
    session's zone. Normalising here means no handler ever compares naive with aware datetimes.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        value = as_utc(value)
        # SQLite stores text; a fixed naive-UTC form keeps string ordering equal to time ordering.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        # SQLite's naive UTC values, the bulk of a list page's timestamps, without a further call.
        return value.replace(tzinfo=UTC) if value.tzinfo is None else as_utc(value)


class SealedText(TypeDecorator[str]):
    """Text that is a secret at rest: sealed on the way in, unsealed on the way out (see ``encryption``).

    Fernet output differs on every call, so SQL can never compare such a column with a value, and ordering
    by it orders the stored form.
    """

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else seal(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else unseal(value)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime()}


class UpdatedAtMixin:
    """``updated_at`` on every mutable row: the future ETag and change-watch features key off it."""

    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, server_default=func.current_timestamp(), index=True
    )
