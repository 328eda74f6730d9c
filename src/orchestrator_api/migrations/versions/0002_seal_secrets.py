"""Seal secrets at rest: connection passwords and extras and variable values gain a storage marker.

Values written before this revision are plain text without a marker. Upgrading seals each one as the
running configuration says (Fernet with ``ORCHESTRATOR_API_FERNET_KEY``, else marked plain); downgrading
turns every value back into plain text, which needs the keys it was encrypted with.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

from orchestrator_api.security.encryption import seal, unseal

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SECRET_COLUMNS = {"connection": ("password", "extra"), "variable": ("val",)}


def _rewrite(convert: Callable[[str], str]) -> None:
    bind = op.get_bind()
    for name, columns in SECRET_COLUMNS.items():
        table = sa.table(name, sa.column("id", sa.Integer()), *(sa.column(c, sa.Text()) for c in columns))
        for row in bind.execute(sa.select(table)).mappings().all():
            values = {c: convert(row[c]) for c in columns if row[c] is not None}
            if values:
                bind.execute(sa.update(table).where(table.c.id == row["id"]).values(**values))


def upgrade() -> None:
    _rewrite(seal)


def downgrade() -> None:
    _rewrite(unseal)
