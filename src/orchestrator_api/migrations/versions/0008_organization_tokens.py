"""Organization tokens: access tokens owned by an organization, with a role and an optional DAG scope.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("access_token") as batch:
        batch.alter_column("user_id", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("role", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("created_by", sa.String(length=256), nullable=True))
        batch.add_column(sa.Column("dag_ids", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("dag_tags", sa.JSON(), nullable=True))


def downgrade() -> None:
    # Organization tokens have no user, so they cannot survive the NOT NULL that comes back.
    op.execute(sa.text("DELETE FROM access_token WHERE user_id IS NULL"))
    with op.batch_alter_table("access_token") as batch:
        batch.drop_column("dag_tags")
        batch.drop_column("dag_ids")
        batch.drop_column("created_by")
        batch.drop_column("role")
        batch.alter_column("user_id", existing_type=sa.Integer(), nullable=False)
