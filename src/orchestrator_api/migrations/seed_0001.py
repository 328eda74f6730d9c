"""Rows every new instance starts with (used by migration 0001 only; later changes get their own migration).

The default roles carry Airflow 2's default grants: Viewer reads, User also runs and edits DAGs, Op also
manages connections, pools, variables and configuration, Admin holds every permission, Public none.
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from sqlalchemy.engine import Connection

READ, EDIT, CREATE, DELETE = "can_read", "can_edit", "can_create", "can_delete"
CRUD = (READ, CREATE, EDIT, DELETE)

# Every resource with the actions that exist for it.
RESOURCES: dict[str, tuple[str, ...]] = {
    "DAGs": (READ, EDIT, DELETE),
    "DAG Runs": CRUD,
    "Task Instances": CRUD,
    "Task Logs": (READ,),
    "DAG Code": (READ,),
    "DAG Dependencies": (READ,),
    "DAG Warnings": (READ,),
    "Connections": CRUD,
    "Variables": CRUD,
    "Pools": CRUD,
    "XComs": (READ, DELETE),
    "Audit Logs": (READ,),
    "ImportError": (READ,),
    "Configurations": (READ,),
    "Datasets": (READ, CREATE, DELETE),
    "Plugins": (READ,),
    "Providers": (READ,),
    "Jobs": (READ,),
    "SLA Misses": (READ,),
    "Cluster Activity": (READ,),
    "Triggers": (READ,),
    "Task Reschedules": (READ,),
    "Website": (READ,),
    "My Profile": (READ, EDIT),
    "My Password": (READ, EDIT),
    "Users": CRUD,
    "Roles": CRUD,
    "Permissions": (READ,),
}

VIEWER = [
    (READ, r)
    for r in (
        "DAGs",
        "DAG Dependencies",
        "DAG Code",
        "DAG Runs",
        "Datasets",
        "Cluster Activity",
        "Pools",
        "ImportError",
        "DAG Warnings",
        "Jobs",
        "SLA Misses",
        "Task Instances",
        "Task Logs",
        "XComs",
        "Website",
        "My Profile",
        "My Password",
    )
] + [(EDIT, "My Profile"), (EDIT, "My Password")]

USER = [
    *VIEWER,
    (EDIT, "DAGs"),
    (DELETE, "DAGs"),
    (CREATE, "Task Instances"),
    (EDIT, "Task Instances"),
    (DELETE, "Task Instances"),
    (CREATE, "DAG Runs"),
    (EDIT, "DAG Runs"),
    (DELETE, "DAG Runs"),
    (CREATE, "Datasets"),
]

OP = [
    *USER,
    (READ, "Configurations"),
    *((action, "Connections") for action in CRUD),
    *((action, "Pools") for action in CRUD if action != READ),  # Viewers already read pools
    *((action, "Variables") for action in CRUD),
    (READ, "Plugins"),
    (READ, "Providers"),
    (DELETE, "XComs"),
    (DELETE, "Datasets"),
]

ALL = [(action, resource) for resource, actions in RESOURCES.items() for action in actions]

ROLES: dict[str, list[tuple[str, str]]] = {
    "Admin": ALL,
    "Op": OP,
    "User": USER,
    "Viewer": VIEWER,
    "Public": [],
}


def seed(connection: Connection) -> None:
    meta = sa.MetaData()
    action = sa.Table("action", meta, sa.Column("id", sa.Integer), sa.Column("name", sa.String))
    resource = sa.Table("resource", meta, sa.Column("id", sa.Integer), sa.Column("name", sa.String))
    permission = sa.Table(
        "permission",
        meta,
        sa.Column("id", sa.Integer),
        sa.Column("action_id", sa.Integer),
        sa.Column("resource_id", sa.Integer),
    )
    role = sa.Table("roles", meta, sa.Column("id", sa.Integer), sa.Column("name", sa.String))
    role_permission = sa.Table(
        "role_permission", meta, sa.Column("role_id", sa.Integer), sa.Column("permission_id", sa.Integer)
    )
    pool = sa.Table(
        "slot_pool",
        meta,
        sa.Column("pool", sa.String),
        sa.Column("slots", sa.Integer),
        sa.Column("description", sa.Text),
        sa.Column("include_deferred", sa.Boolean),
    )
    instance_meta = sa.Table("instance_meta", meta, sa.Column("key", sa.String), sa.Column("value", sa.Text))

    action_names = sorted({a for actions in RESOURCES.values() for a in actions})
    action_ids = {name: i for i, name in enumerate(action_names, start=1)}
    resource_ids = {name: i for i, name in enumerate(RESOURCES, start=1)}
    permission_ids = {pair: i for i, pair in enumerate(ALL, start=1)}
    role_ids = {name: i for i, name in enumerate(ROLES, start=1)}

    connection.execute(action.insert(), [{"id": i, "name": n} for n, i in action_ids.items()])
    connection.execute(resource.insert(), [{"id": i, "name": n} for n, i in resource_ids.items()])
    connection.execute(
        permission.insert(),
        [
            {"id": i, "action_id": action_ids[a], "resource_id": resource_ids[r]}
            for (a, r), i in permission_ids.items()
        ],
    )
    connection.execute(role.insert(), [{"id": i, "name": n} for n, i in role_ids.items()])
    connection.execute(
        role_permission.insert(),
        [
            {"role_id": role_ids[name], "permission_id": permission_ids[pair]}
            for name, pairs in ROLES.items()
            for pair in pairs
        ],
    )
    connection.execute(
        pool.insert(),
        [{"pool": "default_pool", "slots": 128, "description": "Default pool", "include_deferred": False}],
    )
    connection.execute(
        instance_meta.insert(),
        [{"key": "secret_key", "value": secrets.token_urlsafe(48)}, {"key": "rbac_version", "value": "1"}],
    )
    if connection.dialect.name == "postgresql":
        # Explicit ids above leave PostgreSQL's sequences behind; move them past the seeded rows.
        for table in ("action", "resource", "permission", "roles"):
            connection.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
                )
            )
