"""DAG definitions authored through the API, and the "DAG Definitions" permissions for Admin and Op.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

RESOURCE = "DAG Definitions"
ACTIONS = ("can_create", "can_edit", "can_delete")
ROLES = ("Admin", "Op")

_action = sa.table("action", sa.column("id", sa.Integer()), sa.column("name", sa.String()))
_resource = sa.table("resource", sa.column("id", sa.Integer()), sa.column("name", sa.String()))
_permission = sa.table(
    "permission",
    sa.column("id", sa.Integer()),
    sa.column("action_id", sa.Integer()),
    sa.column("resource_id", sa.Integer()),
)
_role = sa.table("roles", sa.column("id", sa.Integer()), sa.column("name", sa.String()))
_role_permission = sa.table(
    "role_permission", sa.column("role_id", sa.Integer()), sa.column("permission_id", sa.Integer())
)


def upgrade() -> None:
    op.create_table(
        "dag_definition",
        sa.Column("dag_id", sa.String(length=250), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=256), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=256), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["dag_id"], ["dag.dag_id"], name=op.f("fk_dag_definition_dag_id_dag"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("dag_id", name=op.f("pk_dag_definition")),
    )
    _grant()


def _grant() -> None:
    bind = op.get_bind()
    actions = dict(bind.execute(sa.select(_action.c.name, _action.c.id)).all())
    bind.execute(_resource.insert().values(name=RESOURCE))
    resource_id = bind.execute(sa.select(_resource.c.id).where(_resource.c.name == RESOURCE)).scalar_one()
    bind.execute(
        _permission.insert(), [{"action_id": actions[a], "resource_id": resource_id} for a in ACTIONS]
    )
    permission_ids = list(
        bind.execute(sa.select(_permission.c.id).where(_permission.c.resource_id == resource_id)).scalars()
    )
    role_ids = list(bind.execute(sa.select(_role.c.id).where(_role.c.name.in_(ROLES))).scalars())
    pairs = [{"role_id": r, "permission_id": p} for p in permission_ids for r in role_ids]
    if pairs:
        bind.execute(_role_permission.insert(), pairs)


def downgrade() -> None:
    bind = op.get_bind()
    resource_id = bind.execute(sa.select(_resource.c.id).where(_resource.c.name == RESOURCE)).scalar()
    if resource_id is not None:
        permission_ids = sa.select(_permission.c.id).where(_permission.c.resource_id == resource_id)
        bind.execute(_role_permission.delete().where(_role_permission.c.permission_id.in_(permission_ids)))
        bind.execute(_permission.delete().where(_permission.c.resource_id == resource_id))
        bind.execute(_resource.delete().where(_resource.c.id == resource_id))
    op.drop_table("dag_definition")
