"""Execution: workers and their tokens, leases and row versions on task instances, operator arguments.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from orchestrator_api.models.base import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "worker",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("display_prefix", sa.String(length=32), nullable=False),
        sa.Column("created_by", sa.String(length=256), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", UTCDateTime(), nullable=True),
        sa.Column("hostname", sa.String(length=1000), nullable=True),
        sa.Column("queues", sa.JSON(), nullable=False),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_worker")),
        sa.UniqueConstraint("name", name=op.f("uq_worker_name")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_worker_token_hash")),
    )
    with op.batch_alter_table("task_instance") as batch:
        batch.add_column(sa.Column("lease_id", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("lease_expires_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("worker_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("next_try_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("version", sa.Integer(), server_default="0", nullable=False))
        batch.create_index("ix_task_instance_lease_id", ["lease_id"], unique=False)
        batch.create_index("ix_task_instance_lease_expires_at", ["lease_expires_at"], unique=False)
        batch.create_index("ix_task_instance_worker_id", ["worker_id"], unique=False)
        batch.create_foreign_key(
            "fk_task_instance_worker_id_worker", "worker", ["worker_id"], ["id"], ondelete="SET NULL"
        )
    with op.batch_alter_table("task") as batch:
        batch.add_column(sa.Column("operator_args", sa.JSON(), nullable=True))
    op.execute(sa.text("UPDATE task SET operator_args = '{}'"))
    with op.batch_alter_table("task") as batch:
        batch.alter_column("operator_args", existing_type=sa.JSON(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("task") as batch:
        batch.drop_column("operator_args")
    with op.batch_alter_table("task_instance") as batch:
        batch.drop_constraint("fk_task_instance_worker_id_worker", type_="foreignkey")
        batch.drop_index("ix_task_instance_worker_id")
        batch.drop_index("ix_task_instance_lease_expires_at")
        batch.drop_index("ix_task_instance_lease_id")
        batch.drop_column("version")
        batch.drop_column("next_try_at")
        batch.drop_column("worker_id")
        batch.drop_column("lease_expires_at")
        batch.drop_column("lease_id")
    op.drop_table("worker")
