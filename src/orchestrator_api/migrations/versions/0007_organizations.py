"""Organizations: every scoped row belongs to one, and its names are unique within it only.

The default organization (id 1, org_id ``default``) receives every existing row. Keys that named a DAG, a
run, a task, a connection, a variable, a pool or a dataset now start with ``organization_id``, and the
references between them carry it, so two organizations may use the same names.

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from orchestrator_api.models.base import UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

DEFAULT = 1

# Every table whose rows belong to one organization, parents before children.
SCOPED = (
    "dag",
    "dag_code",
    "import_error",
    "connection",
    "variable",
    "slot_pool",
    "log",
    "dataset",
    "dataset_event",
    "dag_tag",
    "task",
    "dag_warning",
    "dag_definition",
    "trigger_token",
    "dag_run",
    "task_instance",
    "task_instance_history",
    "xcom",
    "dag_schedule_dataset_reference",
    "task_outlet_dataset_reference",
    "dataset_dag_run_queue",
)

# References that gain the organization: table -> (old name, columns, referred table, referred columns).
REFERENCES: dict[str, tuple[str, list[str], str, list[str]]] = {
    "dag_tag": ("fk_dag_tag_dag_id_dag", ["dag_id"], "dag", ["dag_id"]),
    "task": ("fk_task_dag_id_dag", ["dag_id"], "dag", ["dag_id"]),
    "dag_warning": ("fk_dag_warning_dag_id_dag", ["dag_id"], "dag", ["dag_id"]),
    "dag_definition": ("fk_dag_definition_dag_id_dag", ["dag_id"], "dag", ["dag_id"]),
    "trigger_token": ("fk_trigger_token_dag_id_dag", ["dag_id"], "dag", ["dag_id"]),
    "dag_run": ("fk_dag_run_dag_id_dag", ["dag_id"], "dag", ["dag_id"]),
    "task_instance": (
        "fk_task_instance_dag_id_dag_run",
        ["dag_id", "run_id"],
        "dag_run",
        ["dag_id", "run_id"],
    ),
    "task_instance_history": (
        "fk_task_instance_history_dag_id_dag_run",
        ["dag_id", "run_id"],
        "dag_run",
        ["dag_id", "run_id"],
    ),
    "dag_schedule_dataset_reference": (
        "fk_dag_schedule_dataset_reference_dag_id_dag",
        ["dag_id"],
        "dag",
        ["dag_id"],
    ),
    "task_outlet_dataset_reference": (
        "fk_task_outlet_dataset_reference_dag_id_task",
        ["dag_id", "task_id"],
        "task",
        ["dag_id", "task_id"],
    ),
    "dataset_dag_run_queue": (
        "fk_dataset_dag_run_queue_target_dag_id_dag",
        ["target_dag_id"],
        "dag",
        ["dag_id"],
    ),
}

PRIMARY_KEYS: dict[str, list[str]] = {
    "dag": ["dag_id"],
    "dag_code": ["fileloc"],
    "dag_tag": ["dag_id", "name"],
    "task": ["dag_id", "task_id"],
    "dag_warning": ["dag_id", "warning_type"],
    "dag_definition": ["dag_id"],
}

UNIQUES: dict[str, list[list[str]]] = {
    "connection": [["conn_id"]],
    "variable": [["key"]],
    "slot_pool": [["pool"]],
    "dataset": [["uri"]],
    "dag_run": [["dag_id", "run_id"], ["dag_id", "logical_date"]],
    "task_instance": [["dag_id", "run_id", "task_id", "map_index"]],
    "task_instance_history": [["dag_id", "run_id", "task_id", "map_index", "try_number"]],
}


def _unique_name(table: str, columns: list[str]) -> str:
    # op.f: the name is final, and PostgreSQL shortens one past 63 characters as it shortens the models'.
    return op.f(f"uq_{table}_{'_'.join(columns)}")


def upgrade() -> None:
    op.create_table(
        "organization",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.String(length=63), nullable=False),
        sa.Column("name", sa.String(length=250), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=256), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organization")),
        sa.UniqueConstraint("org_id", name=op.f("uq_organization_org_id")),
    )
    op.create_table(
        "organization_member",
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=256), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("added_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_organization_member_organization_id_organization"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["username"],
            ["users.username"],
            name=op.f("fk_organization_member_username_users"),
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "username", name=op.f("pk_organization_member")),
    )
    op.create_index(op.f("ix_organization_member_username"), "organization_member", ["username"])
    organization = sa.table(
        "organization",
        sa.column("id", sa.Integer()),
        sa.column("org_id", sa.String()),
        sa.column("name", sa.String()),
        sa.column("created_at", UTCDateTime()),
    )
    op.bulk_insert(
        organization,
        [{"id": DEFAULT, "org_id": "default", "name": "Default", "created_at": datetime.now(UTC)}],
    )
    # PostgreSQL's sequence must not hand out the id the default organization took explicitly.
    if op.get_bind().dialect.name == "postgresql":
        op.execute(sa.text("SELECT setval(pg_get_serial_sequence('organization', 'id'), 1)"))

    # 1. Every scoped row joins the default organization.
    for table in SCOPED:
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("organization_id", sa.Integer(), server_default=str(DEFAULT), nullable=False)
            )
            batch.create_index(op.f(f"ix_{table}_organization_id"), ["organization_id"])
            batch.create_foreign_key(
                op.f(f"fk_{table}_organization_id_organization"),
                "organization",
                ["organization_id"],
                ["id"],
                ondelete="CASCADE",
            )
    with op.batch_alter_table("access_token") as batch:
        batch.add_column(sa.Column("organization_id", sa.Integer(), nullable=True))
        batch.create_index(op.f("ix_access_token_organization_id"), ["organization_id"])
        batch.create_foreign_key(
            op.f("fk_access_token_organization_id_organization"),
            "organization",
            ["organization_id"],
            ["id"],
            ondelete="CASCADE",
        )
    # Lists filter by organization and sort task instances by start_date: one index serves both.
    op.create_index(
        op.f("ix_task_instance_organization_id_start_date"),
        "task_instance",
        ["organization_id", "start_date"],
    )
    # 2. References between scoped rows go, so the keys they point at can change...
    for table, (name, _, _, _) in REFERENCES.items():
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(name), type_="foreignkey")
    # 3. ...keys start with the organization...
    for table, columns in PRIMARY_KEYS.items():
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(f"pk_{table}"), type_="primary")
            batch.create_primary_key(op.f(f"pk_{table}"), ["organization_id", *columns])
    for table, uniques in UNIQUES.items():
        with op.batch_alter_table(table) as batch:
            for columns in uniques:
                batch.drop_constraint(_unique_name(table, columns), type_="unique")
                scoped_columns = ["organization_id", *columns]
                batch.create_unique_constraint(_unique_name(table, scoped_columns), scoped_columns)
    # 4. ...and the references come back, organization first.
    for table, (_, columns, referred, referred_columns) in REFERENCES.items():
        with op.batch_alter_table(table) as batch:
            batch.create_foreign_key(
                op.f(f"fk_{table}_organization_id_{referred}"),
                referred,
                ["organization_id", *columns],
                ["organization_id", *referred_columns],
                ondelete="CASCADE",
            )
    # 5. New rows name their organization (the application does); no silent default in the database.
    for table in SCOPED:
        with op.batch_alter_table(table) as batch:
            batch.alter_column("organization_id", existing_type=sa.Integer(), server_default=None)


def downgrade() -> None:
    op.drop_index(op.f("ix_task_instance_organization_id_start_date"), table_name="task_instance")
    # Only the default organization's rows fit the old, global keys.
    for table in reversed(SCOPED):
        op.execute(sa.text(f"DELETE FROM {table} WHERE organization_id <> {DEFAULT}"))
    op.execute(sa.text(f"DELETE FROM access_token WHERE organization_id <> {DEFAULT}"))
    for table, (_, _, referred, _) in REFERENCES.items():
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(f"fk_{table}_organization_id_{referred}"), type_="foreignkey")
    for table, uniques in UNIQUES.items():
        with op.batch_alter_table(table) as batch:
            for columns in uniques:
                batch.drop_constraint(_unique_name(table, ["organization_id", *columns]), type_="unique")
                batch.create_unique_constraint(_unique_name(table, columns), columns)
    for table, columns in PRIMARY_KEYS.items():
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(f"pk_{table}"), type_="primary")
            batch.create_primary_key(op.f(f"pk_{table}"), columns)
    for table, (name, columns, referred, referred_columns) in REFERENCES.items():
        with op.batch_alter_table(table) as batch:
            batch.create_foreign_key(op.f(name), referred, columns, referred_columns, ondelete="CASCADE")
    for table in ("access_token", *SCOPED):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(f"fk_{table}_organization_id_organization"), type_="foreignkey")
            batch.drop_index(op.f(f"ix_{table}_organization_id"))
            batch.drop_column("organization_id")
    op.drop_index(op.f("ix_organization_member_username"), table_name="organization_member")
    op.drop_table("organization_member")
    op.drop_table("organization")
