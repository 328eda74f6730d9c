"""Initial schema: every table the v1 API needs, and the rows a new instance starts with.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from orchestrator_api.migrations.seed_0001 import seed

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action")),
        sa.UniqueConstraint("name", name=op.f("uq_action_name")),
    )
    op.create_table(
        "connection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conn_id", sa.String(length=250), nullable=False),
        sa.Column("conn_type", sa.String(length=500), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("host", sa.String(length=500), nullable=True),
        sa.Column("schema", sa.String(length=500), nullable=True),
        sa.Column("login", sa.Text(), nullable=True),
        sa.Column("password", sa.Text(), nullable=True),
        sa.Column("port", sa.Integer(), nullable=True),
        sa.Column("extra", sa.Text(), nullable=True),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_connection")),
        sa.UniqueConstraint("conn_id", name=op.f("uq_connection_conn_id")),
    )
    op.create_index(op.f("ix_connection_conn_type"), "connection", ["conn_type"], unique=False)
    op.create_index(op.f("ix_connection_updated_at"), "connection", ["updated_at"], unique=False)

    op.create_table(
        "dag",
        sa.Column("dag_id", sa.String(length=250), nullable=False),
        sa.Column("dag_display_name", sa.String(length=2000), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("fileloc", sa.String(length=2000), nullable=False),
        sa.Column("owners", sa.String(length=2000), nullable=False),
        sa.Column("is_paused", sa.Boolean(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("is_paused_upon_creation", sa.Boolean(), nullable=True),
        sa.Column("last_parsed_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("schedule", sa.JSON(), nullable=True),
        sa.Column("schedule_interval", sa.JSON(), nullable=True),
        sa.Column("timetable_description", sa.String(length=1000), nullable=True),
        sa.Column("max_active_tasks", sa.Integer(), nullable=False),
        sa.Column("max_active_runs", sa.Integer(), nullable=False),
        sa.Column("max_consecutive_failed_dag_runs", sa.Integer(), nullable=False),
        sa.Column("has_task_concurrency_limits", sa.Boolean(), nullable=False),
        sa.Column("has_import_errors", sa.Boolean(), nullable=False),
        sa.Column("next_dagrun", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_dagrun_data_interval_start", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_dagrun_data_interval_end", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_dagrun_create_after", sa.DateTime(timezone=True), nullable=True),
        sa.Column("default_view", sa.String(length=25), nullable=False),
        sa.Column("catchup", sa.Boolean(), nullable=False),
        sa.Column("start_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("doc_md", sa.Text(), nullable=True),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("dataset_expression", sa.JSON(), nullable=True),
        sa.Column("timezone", sa.String(length=100), nullable=False),
        sa.Column("orientation", sa.String(length=10), nullable=False),
        sa.Column("render_template_as_native_obj", sa.Boolean(), nullable=False),
        sa.Column("template_search_path", sa.JSON(), nullable=True),
        sa.Column("dag_run_timeout_seconds", sa.Float(), nullable=True),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("dag_id", name=op.f("pk_dag")),
    )
    op.create_index(op.f("ix_dag_fileloc"), "dag", ["fileloc"], unique=False)
    op.create_index(op.f("ix_dag_is_active"), "dag", ["is_active"], unique=False)
    op.create_index(op.f("ix_dag_is_paused"), "dag", ["is_paused"], unique=False)
    op.create_index(op.f("ix_dag_updated_at"), "dag", ["updated_at"], unique=False)

    op.create_table(
        "dag_code",
        sa.Column("fileloc", sa.String(length=2000), nullable=False),
        sa.Column("source_code", sa.Text(), nullable=False),
        sa.Column("last_updated", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("fileloc", name=op.f("pk_dag_code")),
    )
    op.create_table(
        "dataset",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uri", sa.String(length=3000), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("is_orphaned", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dataset")),
        sa.UniqueConstraint("uri", name=op.f("uq_dataset_uri")),
    )
    op.create_index(op.f("ix_dataset_updated_at"), "dataset", ["updated_at"], unique=False)

    op.create_table(
        "import_error",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("timestamp", sa.DateTime(timezone=True), nullable=False),
        sa.Column("filename", sa.String(length=2000), nullable=False),
        sa.Column("stack_trace", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_error")),
    )
    op.create_index(op.f("ix_import_error_filename"), "import_error", ["filename"], unique=False)
    op.create_index(op.f("ix_import_error_timestamp"), "import_error", ["timestamp"], unique=False)

    op.create_table(
        "instance_meta",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_instance_meta")),
    )
    op.create_table(
        "job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_type", sa.String(length=30), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=True),
        sa.Column("hostname", sa.String(length=500), nullable=True),
        sa.Column("start_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("latest_heartbeat", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job")),
    )
    op.create_index("ix_job_type_heartbeat", "job", ["job_type", "latest_heartbeat"], unique=False)

    op.create_table(
        "log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dttm", sa.DateTime(timezone=True), nullable=False),
        sa.Column("dag_id", sa.String(length=250), nullable=True),
        sa.Column("task_id", sa.String(length=250), nullable=True),
        sa.Column("map_index", sa.Integer(), nullable=True),
        sa.Column("run_id", sa.String(length=250), nullable=True),
        sa.Column("try_number", sa.Integer(), nullable=True),
        sa.Column("event", sa.String(length=60), nullable=False),
        sa.Column("execution_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("owner", sa.String(length=500), nullable=True),
        sa.Column("owner_display_name", sa.String(length=500), nullable=True),
        sa.Column("extra", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_log")),
    )
    op.create_index("ix_log_dag_id_task_id_run_id", "log", ["dag_id", "task_id", "run_id"], unique=False)
    op.create_index(op.f("ix_log_dttm"), "log", ["dttm"], unique=False)
    op.create_index(op.f("ix_log_event"), "log", ["event"], unique=False)
    op.create_index(op.f("ix_log_owner"), "log", ["owner"], unique=False)

    op.create_table(
        "resource",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resource")),
        sa.UniqueConstraint("name", name=op.f("uq_resource_name")),
    )
    op.create_table(
        "roles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roles")),
        sa.UniqueConstraint("name", name=op.f("uq_roles_name")),
    )
    op.create_table(
        "slot_pool",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pool", sa.String(length=256), nullable=False),
        sa.Column("slots", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("include_deferred", sa.Boolean(), nullable=False),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_slot_pool")),
        sa.UniqueConstraint("pool", name=op.f("uq_slot_pool_pool")),
    )
    op.create_index(op.f("ix_slot_pool_updated_at"), "slot_pool", ["updated_at"], unique=False)

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=256), nullable=False),
        sa.Column("email", sa.String(length=256), nullable=False),
        sa.Column("first_name", sa.String(length=256), nullable=False),
        sa.Column("last_name", sa.String(length=256), nullable=False),
        sa.Column("password_hash", sa.String(length=512), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("last_login", sa.DateTime(timezone=True), nullable=True),
        sa.Column("login_count", sa.Integer(), nullable=False),
        sa.Column("failed_login_count", sa.Integer(), nullable=False),
        sa.Column("created_on", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_on", sa.DateTime(timezone=True), nullable=False),
        sa.Column("auth_version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_index(op.f("ix_users_changed_on"), "users", ["changed_on"], unique=False)

    op.create_table(
        "variable",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=250), nullable=False),
        sa.Column("val", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_variable")),
        sa.UniqueConstraint("key", name=op.f("uq_variable_key")),
    )
    op.create_index(op.f("ix_variable_updated_at"), "variable", ["updated_at"], unique=False)

    op.create_table(
        "access_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("display_prefix", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_access_token_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_access_token_token_hash")),
    )
    op.create_index(op.f("ix_access_token_expires_at"), "access_token", ["expires_at"], unique=False)
    op.create_index(op.f("ix_access_token_user_id"), "access_token", ["user_id"], unique=False)

    op.create_table(
        "dag_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dag_id", sa.String(length=250), nullable=False),
        sa.Column("run_id", sa.String(length=250), nullable=False),
        sa.Column("logical_date", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data_interval_start", sa.DateTime(timezone=True), nullable=True),
        sa.Column("data_interval_end", sa.DateTime(timezone=True), nullable=True),
        sa.Column("state", sa.String(length=50), nullable=False),
        sa.Column("run_type", sa.String(length=50), nullable=False),
        sa.Column("external_trigger", sa.Boolean(), nullable=False),
        sa.Column("conf", sa.JSON(), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("start_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_scheduling_decision", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("clear_number", sa.Integer(), nullable=False),
        sa.Column("triggered_by", sa.String(length=300), nullable=True),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["dag_id"], ["dag.dag_id"], name=op.f("fk_dag_run_dag_id_dag"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dag_run")),
        sa.UniqueConstraint("dag_id", "logical_date", name=op.f("uq_dag_run_dag_id_logical_date")),
        sa.UniqueConstraint("dag_id", "run_id", name=op.f("uq_dag_run_dag_id_run_id")),
    )
    op.create_index("ix_dag_run_dag_id_state", "dag_run", ["dag_id", "state"], unique=False)
    op.create_index(op.f("ix_dag_run_end_date"), "dag_run", ["end_date"], unique=False)
    op.create_index(op.f("ix_dag_run_logical_date"), "dag_run", ["logical_date"], unique=False)
    op.create_index(op.f("ix_dag_run_run_type"), "dag_run", ["run_type"], unique=False)
    op.create_index(op.f("ix_dag_run_start_date"), "dag_run", ["start_date"], unique=False)
    op.create_index(op.f("ix_dag_run_state"), "dag_run", ["state"], unique=False)
    op.create_index(op.f("ix_dag_run_updated_at"), "dag_run", ["updated_at"], unique=False)

    op.create_table(
        "dag_schedule_dataset_reference",
        sa.Column("dataset_id", sa.Integer(), nullable=False),
        sa.Column("dag_id", sa.String(length=250), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["dag_id"],
            ["dag.dag_id"],
            name=op.f("fk_dag_schedule_dataset_reference_dag_id_dag"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["dataset_id"],
            ["dataset.id"],
            name=op.f("fk_dag_schedule_dataset_reference_dataset_id_dataset"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("dataset_id", "dag_id", name=op.f("pk_dag_schedule_dataset_reference")),
    )
    op.create_table(
        "dag_tag",
        sa.Column("dag_id", sa.String(length=250), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["dag_id"], ["dag.dag_id"], name=op.f("fk_dag_tag_dag_id_dag"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("dag_id", "name", name=op.f("pk_dag_tag")),
    )
    op.create_index(op.f("ix_dag_tag_name"), "dag_tag", ["name"], unique=False)

    op.create_table(
        "dag_warning",
        sa.Column("dag_id", sa.String(length=250), nullable=False),
        sa.Column("warning_type", sa.String(length=50), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("timestamp", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["dag_id"], ["dag.dag_id"], name=op.f("fk_dag_warning_dag_id_dag"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("dag_id", "warning_type", name=op.f("pk_dag_warning")),
    )
    op.create_index(op.f("ix_dag_warning_timestamp"), "dag_warning", ["timestamp"], unique=False)
    op.create_index(op.f("ix_dag_warning_warning_type"), "dag_warning", ["warning_type"], unique=False)

    op.create_table(
        "dataset_dag_run_queue",
        sa.Column("dataset_id", sa.Integer(), nullable=False),
        sa.Column("target_dag_id", sa.String(length=250), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["dataset_id"],
            ["dataset.id"],
            name=op.f("fk_dataset_dag_run_queue_dataset_id_dataset"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_dag_id"],
            ["dag.dag_id"],
            name=op.f("fk_dataset_dag_run_queue_target_dag_id_dag"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("dataset_id", "target_dag_id", name=op.f("pk_dataset_dag_run_queue")),
    )
    op.create_index(
        op.f("ix_dataset_dag_run_queue_created_at"), "dataset_dag_run_queue", ["created_at"], unique=False
    )

    op.create_table(
        "dataset_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dataset_id", sa.Integer(), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.Column("source_dag_id", sa.String(length=250), nullable=True),
        sa.Column("source_task_id", sa.String(length=250), nullable=True),
        sa.Column("source_run_id", sa.String(length=250), nullable=True),
        sa.Column("source_map_index", sa.Integer(), nullable=True),
        sa.Column("timestamp", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["dataset_id"],
            ["dataset.id"],
            name=op.f("fk_dataset_event_dataset_id_dataset"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dataset_event")),
    )
    op.create_index(op.f("ix_dataset_event_dataset_id"), "dataset_event", ["dataset_id"], unique=False)
    op.create_index(op.f("ix_dataset_event_source_dag_id"), "dataset_event", ["source_dag_id"], unique=False)
    op.create_index(op.f("ix_dataset_event_timestamp"), "dataset_event", ["timestamp"], unique=False)

    op.create_table(
        "permission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"], ["action.id"], name=op.f("fk_permission_action_id_action"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resource.id"],
            name=op.f("fk_permission_resource_id_resource"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_permission")),
        sa.UniqueConstraint("action_id", "resource_id", name=op.f("uq_permission_action_id_resource_id")),
    )
    op.create_index(op.f("ix_permission_resource_id"), "permission", ["resource_id"], unique=False)

    op.create_table(
        "task",
        sa.Column("dag_id", sa.String(length=250), nullable=False),
        sa.Column("task_id", sa.String(length=250), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("task_display_name", sa.String(length=2000), nullable=True),
        sa.Column("operator", sa.String(length=1000), nullable=False),
        sa.Column("operator_module", sa.String(length=1000), nullable=False),
        sa.Column("owner", sa.String(length=500), nullable=False),
        sa.Column("pool", sa.String(length=256), nullable=False),
        sa.Column("pool_slots", sa.Integer(), nullable=False),
        sa.Column("queue", sa.String(length=256), nullable=False),
        sa.Column("priority_weight", sa.Integer(), nullable=False),
        sa.Column("weight_rule", sa.String(length=20), nullable=False),
        sa.Column("retries", sa.Integer(), nullable=False),
        sa.Column("retry_delay_seconds", sa.Float(), nullable=False),
        sa.Column("retry_exponential_backoff", sa.Boolean(), nullable=False),
        sa.Column("trigger_rule", sa.String(length=50), nullable=False),
        sa.Column("depends_on_past", sa.Boolean(), nullable=False),
        sa.Column("wait_for_downstream", sa.Boolean(), nullable=False),
        sa.Column("execution_timeout_seconds", sa.Float(), nullable=True),
        sa.Column("executor", sa.String(length=1000), nullable=True),
        sa.Column("doc_md", sa.Text(), nullable=True),
        sa.Column("start_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("map_count", sa.Integer(), nullable=True),
        sa.Column("ui_color", sa.String(length=20), nullable=False),
        sa.Column("ui_fgcolor", sa.String(length=20), nullable=False),
        sa.Column("template_fields", sa.JSON(), nullable=False),
        sa.Column("upstream_task_ids", sa.JSON(), nullable=False),
        sa.Column("downstream_task_ids", sa.JSON(), nullable=False),
        sa.Column("extra_links", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dag_id"], ["dag.dag_id"], name=op.f("fk_task_dag_id_dag"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("dag_id", "task_id", name=op.f("pk_task")),
    )
    op.create_table(
        "trigger_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dag_id", sa.String(length=250), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("display_prefix", sa.String(length=32), nullable=False),
        sa.Column("created_by", sa.String(length=256), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["dag_id"], ["dag.dag_id"], name=op.f("fk_trigger_token_dag_id_dag"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trigger_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_trigger_token_token_hash")),
    )
    op.create_index(op.f("ix_trigger_token_dag_id"), "trigger_token", ["dag_id"], unique=False)

    op.create_table(
        "user_role",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["role_id"], ["roles.id"], name=op.f("fk_user_role_role_id_roles"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_user_role_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "role_id", name=op.f("pk_user_role")),
    )
    op.create_index(op.f("ix_user_role_role_id"), "user_role", ["role_id"], unique=False)

    op.create_table(
        "access_token_role",
        sa.Column("token_id", sa.Integer(), nullable=False),
        sa.Column("role_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["role_id"], ["roles.id"], name=op.f("fk_access_token_role_role_id_roles"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["token_id"],
            ["access_token.id"],
            name=op.f("fk_access_token_role_token_id_access_token"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_id", "role_id", name=op.f("pk_access_token_role")),
    )
    op.create_index(op.f("ix_access_token_role_role_id"), "access_token_role", ["role_id"], unique=False)

    op.create_table(
        "dagrun_dataset_event",
        sa.Column("dag_run_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dag_run_id"],
            ["dag_run.id"],
            name=op.f("fk_dagrun_dataset_event_dag_run_id_dag_run"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["dataset_event.id"],
            name=op.f("fk_dagrun_dataset_event_event_id_dataset_event"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("dag_run_id", "event_id", name=op.f("pk_dagrun_dataset_event")),
    )
    op.create_index(
        op.f("ix_dagrun_dataset_event_event_id"), "dagrun_dataset_event", ["event_id"], unique=False
    )

    op.create_table(
        "role_permission",
        sa.Column("role_id", sa.Integer(), nullable=False),
        sa.Column("permission_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["permission_id"],
            ["permission.id"],
            name=op.f("fk_role_permission_permission_id_permission"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["role_id"], ["roles.id"], name=op.f("fk_role_permission_role_id_roles"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("role_id", "permission_id", name=op.f("pk_role_permission")),
    )
    op.create_index(
        op.f("ix_role_permission_permission_id"), "role_permission", ["permission_id"], unique=False
    )

    op.create_table(
        "task_instance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("dag_id", sa.String(length=250), nullable=False),
        sa.Column("run_id", sa.String(length=250), nullable=False),
        sa.Column("task_id", sa.String(length=250), nullable=False),
        sa.Column("map_index", sa.Integer(), nullable=False),
        sa.Column("try_number", sa.Integer(), nullable=False),
        sa.Column("max_tries", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=True),
        sa.Column("start_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("duration", sa.Float(), nullable=True),
        sa.Column("hostname", sa.String(length=1000), nullable=False),
        sa.Column("unixname", sa.String(length=1000), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=True),
        sa.Column("pool", sa.String(length=256), nullable=False),
        sa.Column("pool_slots", sa.Integer(), nullable=False),
        sa.Column("queue", sa.String(length=256), nullable=False),
        sa.Column("priority_weight", sa.Integer(), nullable=False),
        sa.Column("operator", sa.String(length=1000), nullable=True),
        sa.Column("queued_dttm", sa.DateTime(timezone=True), nullable=True),
        sa.Column("executor", sa.String(length=1000), nullable=True),
        sa.Column("executor_config", sa.Text(), nullable=False),
        sa.Column("rendered_fields", sa.JSON(), nullable=False),
        sa.Column("rendered_map_index", sa.String(length=250), nullable=True),
        sa.ForeignKeyConstraint(
            ["dag_id", "run_id"],
            ["dag_run.dag_id", "dag_run.run_id"],
            name=op.f("fk_task_instance_dag_id_dag_run"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_instance")),
        sa.UniqueConstraint(
            "dag_id",
            "run_id",
            "task_id",
            "map_index",
            name=op.f("uq_task_instance_dag_id_run_id_task_id_map_index"),
        ),
    )
    op.create_index("ix_task_instance_dag_id_task_id", "task_instance", ["dag_id", "task_id"], unique=False)
    op.create_index(op.f("ix_task_instance_duration"), "task_instance", ["duration"], unique=False)
    op.create_index(op.f("ix_task_instance_end_date"), "task_instance", ["end_date"], unique=False)
    op.create_index(op.f("ix_task_instance_executor"), "task_instance", ["executor"], unique=False)
    op.create_index(op.f("ix_task_instance_pool"), "task_instance", ["pool"], unique=False)
    op.create_index(op.f("ix_task_instance_queue"), "task_instance", ["queue"], unique=False)
    op.create_index(op.f("ix_task_instance_start_date"), "task_instance", ["start_date"], unique=False)
    op.create_index(op.f("ix_task_instance_state"), "task_instance", ["state"], unique=False)
    op.create_index(op.f("ix_task_instance_updated_at"), "task_instance", ["updated_at"], unique=False)

    op.create_table(
        "task_instance_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("dag_id", sa.String(length=250), nullable=False),
        sa.Column("run_id", sa.String(length=250), nullable=False),
        sa.Column("task_id", sa.String(length=250), nullable=False),
        sa.Column("map_index", sa.Integer(), nullable=False),
        sa.Column("try_number", sa.Integer(), nullable=False),
        sa.Column("max_tries", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=True),
        sa.Column("start_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("duration", sa.Float(), nullable=True),
        sa.Column("hostname", sa.String(length=1000), nullable=False),
        sa.Column("unixname", sa.String(length=1000), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=True),
        sa.Column("pool", sa.String(length=256), nullable=False),
        sa.Column("pool_slots", sa.Integer(), nullable=False),
        sa.Column("queue", sa.String(length=256), nullable=False),
        sa.Column("priority_weight", sa.Integer(), nullable=False),
        sa.Column("operator", sa.String(length=1000), nullable=True),
        sa.Column("queued_dttm", sa.DateTime(timezone=True), nullable=True),
        sa.Column("executor", sa.String(length=1000), nullable=True),
        sa.Column("executor_config", sa.Text(), nullable=False),
        sa.Column("rendered_fields", sa.JSON(), nullable=False),
        sa.Column("rendered_map_index", sa.String(length=250), nullable=True),
        sa.ForeignKeyConstraint(
            ["dag_id", "run_id"],
            ["dag_run.dag_id", "dag_run.run_id"],
            name=op.f("fk_task_instance_history_dag_id_dag_run"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_instance_history")),
        sa.UniqueConstraint(
            "dag_id",
            "run_id",
            "task_id",
            "map_index",
            "try_number",
            name=op.f("uq_task_instance_history_dag_id_run_id_task_id_map_index_try_number"),
        ),
    )
    op.create_index(
        op.f("ix_task_instance_history_duration"), "task_instance_history", ["duration"], unique=False
    )
    op.create_index(
        op.f("ix_task_instance_history_end_date"), "task_instance_history", ["end_date"], unique=False
    )
    op.create_index(
        op.f("ix_task_instance_history_executor"), "task_instance_history", ["executor"], unique=False
    )
    op.create_index(op.f("ix_task_instance_history_pool"), "task_instance_history", ["pool"], unique=False)
    op.create_index(op.f("ix_task_instance_history_queue"), "task_instance_history", ["queue"], unique=False)
    op.create_index(
        op.f("ix_task_instance_history_start_date"), "task_instance_history", ["start_date"], unique=False
    )
    op.create_index(op.f("ix_task_instance_history_state"), "task_instance_history", ["state"], unique=False)
    op.create_index(
        op.f("ix_task_instance_history_updated_at"), "task_instance_history", ["updated_at"], unique=False
    )

    op.create_table(
        "task_outlet_dataset_reference",
        sa.Column("dataset_id", sa.Integer(), nullable=False),
        sa.Column("dag_id", sa.String(length=250), nullable=False),
        sa.Column("task_id", sa.String(length=250), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["dag_id", "task_id"],
            ["task.dag_id", "task.task_id"],
            name=op.f("fk_task_outlet_dataset_reference_dag_id_task"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["dataset_id"],
            ["dataset.id"],
            name=op.f("fk_task_outlet_dataset_reference_dataset_id_dataset"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "dataset_id", "dag_id", "task_id", name=op.f("pk_task_outlet_dataset_reference")
        ),
    )
    op.create_table(
        "xcom",
        sa.Column("dag_run_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.String(length=250), nullable=False),
        sa.Column("map_index", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=512), nullable=False),
        sa.Column("dag_id", sa.String(length=250), nullable=False),
        sa.Column("run_id", sa.String(length=250), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("timestamp", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["dag_run_id"], ["dag_run.id"], name=op.f("fk_xcom_dag_run_id_dag_run"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("dag_run_id", "task_id", "map_index", "key", name=op.f("pk_xcom")),
    )
    op.create_index(op.f("ix_xcom_dag_id"), "xcom", ["dag_id"], unique=False)
    op.create_index(op.f("ix_xcom_run_id"), "xcom", ["run_id"], unique=False)
    op.create_index(op.f("ix_xcom_timestamp"), "xcom", ["timestamp"], unique=False)

    seed(op.get_bind())


def downgrade() -> None:
    op.drop_index(op.f("ix_xcom_timestamp"), table_name="xcom")
    op.drop_index(op.f("ix_xcom_run_id"), table_name="xcom")
    op.drop_index(op.f("ix_xcom_dag_id"), table_name="xcom")

    op.drop_table("xcom")
    op.drop_table("task_outlet_dataset_reference")
    op.drop_index(op.f("ix_task_instance_history_updated_at"), table_name="task_instance_history")
    op.drop_index(op.f("ix_task_instance_history_state"), table_name="task_instance_history")
    op.drop_index(op.f("ix_task_instance_history_start_date"), table_name="task_instance_history")
    op.drop_index(op.f("ix_task_instance_history_queue"), table_name="task_instance_history")
    op.drop_index(op.f("ix_task_instance_history_pool"), table_name="task_instance_history")
    op.drop_index(op.f("ix_task_instance_history_executor"), table_name="task_instance_history")
    op.drop_index(op.f("ix_task_instance_history_end_date"), table_name="task_instance_history")
    op.drop_index(op.f("ix_task_instance_history_duration"), table_name="task_instance_history")

    op.drop_table("task_instance_history")
    op.drop_index(op.f("ix_task_instance_updated_at"), table_name="task_instance")
    op.drop_index(op.f("ix_task_instance_state"), table_name="task_instance")
    op.drop_index(op.f("ix_task_instance_start_date"), table_name="task_instance")
    op.drop_index(op.f("ix_task_instance_queue"), table_name="task_instance")
    op.drop_index(op.f("ix_task_instance_pool"), table_name="task_instance")
    op.drop_index(op.f("ix_task_instance_executor"), table_name="task_instance")
    op.drop_index(op.f("ix_task_instance_end_date"), table_name="task_instance")
    op.drop_index(op.f("ix_task_instance_duration"), table_name="task_instance")
    op.drop_index("ix_task_instance_dag_id_task_id", table_name="task_instance")

    op.drop_table("task_instance")
    op.drop_index(op.f("ix_role_permission_permission_id"), table_name="role_permission")

    op.drop_table("role_permission")
    op.drop_index(op.f("ix_dagrun_dataset_event_event_id"), table_name="dagrun_dataset_event")

    op.drop_table("dagrun_dataset_event")
    op.drop_index(op.f("ix_access_token_role_role_id"), table_name="access_token_role")

    op.drop_table("access_token_role")
    op.drop_index(op.f("ix_user_role_role_id"), table_name="user_role")

    op.drop_table("user_role")
    op.drop_index(op.f("ix_trigger_token_dag_id"), table_name="trigger_token")

    op.drop_table("trigger_token")
    op.drop_table("task")
    op.drop_index(op.f("ix_permission_resource_id"), table_name="permission")

    op.drop_table("permission")
    op.drop_index(op.f("ix_dataset_event_timestamp"), table_name="dataset_event")
    op.drop_index(op.f("ix_dataset_event_source_dag_id"), table_name="dataset_event")
    op.drop_index(op.f("ix_dataset_event_dataset_id"), table_name="dataset_event")

    op.drop_table("dataset_event")
    op.drop_index(op.f("ix_dataset_dag_run_queue_created_at"), table_name="dataset_dag_run_queue")

    op.drop_table("dataset_dag_run_queue")
    op.drop_index(op.f("ix_dag_warning_warning_type"), table_name="dag_warning")
    op.drop_index(op.f("ix_dag_warning_timestamp"), table_name="dag_warning")

    op.drop_table("dag_warning")
    op.drop_index(op.f("ix_dag_tag_name"), table_name="dag_tag")

    op.drop_table("dag_tag")
    op.drop_table("dag_schedule_dataset_reference")
    op.drop_index(op.f("ix_dag_run_updated_at"), table_name="dag_run")
    op.drop_index(op.f("ix_dag_run_state"), table_name="dag_run")
    op.drop_index(op.f("ix_dag_run_start_date"), table_name="dag_run")
    op.drop_index(op.f("ix_dag_run_run_type"), table_name="dag_run")
    op.drop_index(op.f("ix_dag_run_logical_date"), table_name="dag_run")
    op.drop_index(op.f("ix_dag_run_end_date"), table_name="dag_run")
    op.drop_index("ix_dag_run_dag_id_state", table_name="dag_run")

    op.drop_table("dag_run")
    op.drop_index(op.f("ix_access_token_user_id"), table_name="access_token")
    op.drop_index(op.f("ix_access_token_expires_at"), table_name="access_token")

    op.drop_table("access_token")
    op.drop_index(op.f("ix_variable_updated_at"), table_name="variable")

    op.drop_table("variable")
    op.drop_index(op.f("ix_users_changed_on"), table_name="users")

    op.drop_table("users")
    op.drop_index(op.f("ix_slot_pool_updated_at"), table_name="slot_pool")

    op.drop_table("slot_pool")
    op.drop_table("roles")
    op.drop_table("resource")
    op.drop_index(op.f("ix_log_owner"), table_name="log")
    op.drop_index(op.f("ix_log_event"), table_name="log")
    op.drop_index(op.f("ix_log_dttm"), table_name="log")
    op.drop_index("ix_log_dag_id_task_id_run_id", table_name="log")

    op.drop_table("log")
    op.drop_index("ix_job_type_heartbeat", table_name="job")

    op.drop_table("job")
    op.drop_table("instance_meta")
    op.drop_index(op.f("ix_import_error_timestamp"), table_name="import_error")
    op.drop_index(op.f("ix_import_error_filename"), table_name="import_error")

    op.drop_table("import_error")
    op.drop_index(op.f("ix_dataset_updated_at"), table_name="dataset")

    op.drop_table("dataset")
    op.drop_table("dag_code")
    op.drop_index(op.f("ix_dag_updated_at"), table_name="dag")
    op.drop_index(op.f("ix_dag_is_paused"), table_name="dag")
    op.drop_index(op.f("ix_dag_is_active"), table_name="dag")
    op.drop_index(op.f("ix_dag_fileloc"), table_name="dag")

    op.drop_table("dag")
    op.drop_index(op.f("ix_connection_updated_at"), table_name="connection")
    op.drop_index(op.f("ix_connection_conn_type"), table_name="connection")

    op.drop_table("connection")
    op.drop_table("action")
