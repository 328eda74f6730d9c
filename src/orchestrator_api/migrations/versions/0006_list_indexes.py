"""List indexes: every filter and sort key the main lists allow, and index-ordered default pages.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

INDEXES: list[tuple[str, str, list[str]]] = [
    ("ix_dag_is_active_dag_id", "dag", ["is_active", "dag_id"]),
    ("ix_dag_dag_display_name", "dag", ["dag_display_name"]),
    ("ix_dag_owners", "dag", ["owners"]),
    ("ix_dag_last_parsed_time", "dag", ["last_parsed_time"]),
    ("ix_dag_next_dagrun", "dag", ["next_dagrun"]),
    ("ix_dag_run_dag_id_id", "dag_run", ["dag_id", "id"]),
    ("ix_dag_run_run_id", "dag_run", ["run_id"]),
    ("ix_dag_run_data_interval_start", "dag_run", ["data_interval_start"]),
    ("ix_dag_run_data_interval_end", "dag_run", ["data_interval_end"]),
    ("ix_task_instance_run_id", "task_instance", ["run_id"]),
    ("ix_task_instance_task_id", "task_instance", ["task_id"]),
    ("ix_task_instance_map_index", "task_instance", ["map_index"]),
    ("ix_task_instance_priority_weight", "task_instance", ["priority_weight"]),
    ("ix_task_instance_try_number", "task_instance", ["try_number"]),
    ("ix_task_instance_operator", "task_instance", ["operator"]),
    ("ix_log_task_id", "log", ["task_id"]),
    ("ix_log_run_id", "log", ["run_id"]),
    ("ix_log_execution_date", "log", ["execution_date"]),
]


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
