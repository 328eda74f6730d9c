"""Airflow's web-UI grants on the default roles (menu entries, UI pages), so role listings match Airflow's.

They grant nothing on this API (see ``migrations/seed_0009.py``). Data only; the downgrade removes exactly
what the upgrade added.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from orchestrator_api.migrations.seed_0009 import GRANTS, NEW_ACTIONS, NEW_RESOURCES, PERMISSIONS

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

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


def _ids(table: sa.TableClause) -> dict[str, int]:
    return dict(op.get_bind().execute(sa.select(table.c.name, table.c.id)).all())


def _permission_ids() -> dict[tuple[str, str], int]:
    rows = op.get_bind().execute(
        sa.select(_action.c.name, _resource.c.name, _permission.c.id)
        .join(_action, _action.c.id == _permission.c.action_id)
        .join(_resource, _resource.c.id == _permission.c.resource_id)
    )
    return {(action, resource): pid for action, resource, pid in rows}


def upgrade() -> None:
    bind = op.get_bind()
    actions = _ids(_action)
    if missing := [{"name": n} for n in NEW_ACTIONS if n not in actions]:
        bind.execute(_action.insert(), missing)
    resources = _ids(_resource)
    if missing := [{"name": n} for n in NEW_RESOURCES if n not in resources]:
        bind.execute(_resource.insert(), missing)
    actions, resources, existing = _ids(_action), _ids(_resource), _permission_ids()
    new = [
        {"action_id": actions[a], "resource_id": resources[r]}
        for a, r in PERMISSIONS
        if (a, r) not in existing
    ]
    if new:
        bind.execute(_permission.insert(), new)
    permissions, roles = _permission_ids(), _ids(_role)
    granted = {
        (role_id, permission_id)
        for role_id, permission_id in bind.execute(
            sa.select(_role_permission.c.role_id, _role_permission.c.permission_id)
        )
    }
    rows = [
        {"role_id": roles[role], "permission_id": permissions[pair]}
        for role, pairs in GRANTS.items()
        if role in roles  # an administrator may have deleted a default role
        for pair in pairs
        if (roles[role], permissions[pair]) not in granted
    ]
    if rows:
        bind.execute(_role_permission.insert(), rows)


def downgrade() -> None:
    bind = op.get_bind()
    permissions = _permission_ids()
    ids = [permissions[pair] for pair in PERMISSIONS if pair in permissions]
    bind.execute(_role_permission.delete().where(_role_permission.c.permission_id.in_(ids)))
    bind.execute(_permission.delete().where(_permission.c.id.in_(ids)))
    bind.execute(_resource.delete().where(_resource.c.name.in_(NEW_RESOURCES)))
    bind.execute(_action.delete().where(_action.c.name.in_(NEW_ACTIONS)))
