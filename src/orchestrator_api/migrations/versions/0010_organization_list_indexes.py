"""List indexes that start with the organization, and task instance counts kept per DAG by triggers.

Since 0007 every list query filters by ``organization_id``; a single-column index on it looked attractive
to the planner and made it read a whole organization to find one DAG's runs. Each list's default page and
each filter and sort key the spec allows now has an index ``(organization_id, key, id)``, and the lone
organization indexes that became redundant prefixes go. ``task_instance_count`` holds how many task
instances each DAG has, kept by triggers on ``task_instance`` (whatever writes it: API, scheduler, bulk
loads, cascades), so the unfiltered task instance list answers an exact total without counting a million
index entries.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

DAG_RUN_KEYS = (
    "id", "dag_id", "state", "run_id", "logical_date", "start_date", "end_date",
    "data_interval_start", "data_interval_end", "updated_at",
)  # fmt: skip
TASK_INSTANCE_KEYS = (
    "id", "dag_id", "state", "run_id", "task_id", "map_index", "start_date", "end_date", "duration",
    "pool", "queue", "priority_weight", "try_number", "operator", "executor", "updated_at",
)  # fmt: skip
LOG_KEYS = ("id", "dttm", "task_id", "run_id", "execution_date")


def _organization_led(table: str, keys: tuple[str, ...]) -> list[tuple[str, str, list[str]]]:
    return [
        (f"ix_{table}_organization_id_{key}", table, ["organization_id", *dict.fromkeys((key, "id"))])
        for key in keys
    ]


# (name, table, columns) of the indexes this revision removes, as they were...
DROPPED: list[tuple[str, str, list[str]]] = [
    ("ix_dag_organization_id", "dag", ["organization_id"]),
    ("ix_dag_is_active_dag_id", "dag", ["is_active", "dag_id"]),
    ("ix_dag_code_organization_id", "dag_code", ["organization_id"]),
    ("ix_dag_tag_organization_id", "dag_tag", ["organization_id"]),
    ("ix_task_organization_id", "task", ["organization_id"]),
    ("ix_dag_warning_organization_id", "dag_warning", ["organization_id"]),
    ("ix_dag_run_organization_id", "dag_run", ["organization_id"]),
    ("ix_dag_run_dag_id_id", "dag_run", ["dag_id", "id"]),
    ("ix_dag_run_run_id", "dag_run", ["run_id"]),
    ("ix_dag_run_start_date", "dag_run", ["start_date"]),
    ("ix_dag_run_end_date", "dag_run", ["end_date"]),
    ("ix_dag_run_data_interval_start", "dag_run", ["data_interval_start"]),
    ("ix_dag_run_data_interval_end", "dag_run", ["data_interval_end"]),
    ("ix_task_instance_organization_id", "task_instance", ["organization_id"]),
    ("ix_task_instance_organization_id_start_date", "task_instance", ["organization_id", "start_date"]),
    ("ix_task_instance_run_id", "task_instance", ["run_id"]),
    ("ix_task_instance_task_id", "task_instance", ["task_id"]),
    ("ix_task_instance_map_index", "task_instance", ["map_index"]),
    ("ix_task_instance_start_date", "task_instance", ["start_date"]),
    ("ix_task_instance_end_date", "task_instance", ["end_date"]),
    ("ix_task_instance_duration", "task_instance", ["duration"]),
    ("ix_task_instance_priority_weight", "task_instance", ["priority_weight"]),
    ("ix_task_instance_try_number", "task_instance", ["try_number"]),
    ("ix_task_instance_operator", "task_instance", ["operator"]),
    ("ix_log_organization_id", "log", ["organization_id"]),
    ("ix_log_dttm", "log", ["dttm"]),
    ("ix_log_task_id", "log", ["task_id"]),
    ("ix_log_run_id", "log", ["run_id"]),
    ("ix_log_execution_date", "log", ["execution_date"]),
]

# ...and the ones it creates (one name, ix_task_instance_organization_id_start_date, gains the id).
CREATED: list[tuple[str, str, list[str]]] = [
    ("ix_dag_organization_id_is_active_dag_id", "dag", ["organization_id", "is_active", "dag_id"]),
    *_organization_led("dag_run", DAG_RUN_KEYS),
    *_organization_led("task_instance", TASK_INSTANCE_KEYS),
    *_organization_led("log", LOG_KEYS),
]

# SQLite: row triggers (an upsert per inserted row is a B-tree update in process).
SQLITE_TRIGGERS = (
    """
    CREATE TRIGGER task_instance_count_insert AFTER INSERT ON task_instance BEGIN
        INSERT INTO task_instance_count (organization_id, dag_id, instances)
        VALUES (NEW.organization_id, NEW.dag_id, 1)
        ON CONFLICT (organization_id, dag_id) DO UPDATE SET instances = instances + 1;
    END
    """,
    """
    CREATE TRIGGER task_instance_count_delete AFTER DELETE ON task_instance BEGIN
        UPDATE task_instance_count SET instances = instances - 1
        WHERE organization_id = OLD.organization_id AND dag_id = OLD.dag_id;
    END
    """,
)

# PostgreSQL: statement triggers over the transition tables, one upsert per DAG a statement touched (a
# bulk insert of a million rows updates each DAG's row once, not once per row). Rows are taken in key
# order, so two transactions that touch the same DAGs lock their counts in the same order.
POSTGRESQL_TRIGGERS = (
    """
    CREATE FUNCTION task_instance_count_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO task_instance_count AS c (organization_id, dag_id, instances)
        SELECT organization_id, dag_id, count(*) FROM inserted_rows
        GROUP BY organization_id, dag_id ORDER BY organization_id, dag_id
        ON CONFLICT (organization_id, dag_id) DO UPDATE SET instances = c.instances + EXCLUDED.instances;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER task_instance_count_insert AFTER INSERT ON task_instance
    REFERENCING NEW TABLE AS inserted_rows FOR EACH STATEMENT EXECUTE FUNCTION task_instance_count_insert()
    """,
    """
    CREATE FUNCTION task_instance_count_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE task_instance_count AS c SET instances = c.instances - d.n
        FROM (
            SELECT organization_id, dag_id, count(*) AS n FROM deleted_rows
            GROUP BY organization_id, dag_id ORDER BY organization_id, dag_id
        ) AS d
        WHERE c.organization_id = d.organization_id AND c.dag_id = d.dag_id;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER task_instance_count_delete AFTER DELETE ON task_instance
    REFERENCING OLD TABLE AS deleted_rows FOR EACH STATEMENT EXECUTE FUNCTION task_instance_count_delete()
    """,
)


def upgrade() -> None:
    for name, table, _columns in DROPPED:
        op.drop_index(name, table_name=table)
    for name, table, columns in CREATED:
        op.create_index(name, table, columns)
    op.create_table(
        "task_instance_count",
        sa.Column("dag_id", sa.String(length=250), nullable=False),
        sa.Column("instances", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_task_instance_count_organization_id_organization"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "dag_id", name=op.f("pk_task_instance_count")),
    )
    op.execute(
        "INSERT INTO task_instance_count (organization_id, dag_id, instances) "
        "SELECT organization_id, dag_id, count(*) FROM task_instance GROUP BY organization_id, dag_id"
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRESQL_TRIGGERS if postgres else SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    for trigger in ("task_instance_count_delete", "task_instance_count_insert"):
        if op.get_bind().dialect.name == "postgresql":
            op.execute(f"DROP TRIGGER {trigger} ON task_instance")
            op.execute(f"DROP FUNCTION {trigger}()")
        else:
            op.execute(f"DROP TRIGGER {trigger}")
    op.drop_table("task_instance_count")
    for name, table, _columns in reversed(CREATED):
        op.drop_index(name, table_name=table)
    for name, table, columns in reversed(DROPPED):
        op.create_index(name, table, columns)
