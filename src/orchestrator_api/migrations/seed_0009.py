"""The web-UI grants Airflow 2.10.5's default roles carry and migration 0001 left out (used by 0009 only).

Airflow's roles also hold menu entries (`menu_access`) and pages of its web UI (passwords, user statistics,
permission views). They grant nothing on this API (no operation needs them, ``security.permissions``); they
are here so that `GET /roles` and `GET /permissions` list what an Airflow client finds on Airflow.
Measured on Airflow 2.10.5's webserver (`GET /roles`), compared with ``seed_0001.ROLES``.
"""

from __future__ import annotations

from orchestrator_api.migrations.seed_0001 import RESOURCES

MENU = "menu_access"

# Menu entries every role from Viewer up sees.
VIEWER_MENUS = (
    "Browse",
    "Cluster Activity",
    "DAG Dependencies",
    "DAG Runs",
    "DAGs",
    "Datasets",
    "Docs",
    "Documentation",
    "Jobs",
    "SLA Misses",
    "Task Instances",
)
OP_MENUS = ("Admin", "Configurations", "Connections", "Plugins", "Pools", "Providers", "Variables", "XComs")
ADMIN_MENUS = (
    "Actions",
    "Audit Logs",
    "List Roles",
    "List Users",
    "Permission Pairs",
    "Resources",
    "Security",
    "Task Reschedules",
    "Triggers",
    "User's Statistics",
)
ADMIN_PAGES = (
    ("can_delete", "SLA Misses"),
    ("can_edit", "SLA Misses"),
    ("can_edit", "Passwords"),
    ("can_read", "Passwords"),
    ("can_read", "Permission Views"),
    ("can_read", "User Stats Chart"),
    ("can_read", "View Menus"),
)

VIEWER = [(MENU, r) for r in VIEWER_MENUS]
OP = [*VIEWER, *((MENU, r) for r in OP_MENUS)]
ADMIN = [*OP, *((MENU, r) for r in ADMIN_MENUS), *ADMIN_PAGES]

GRANTS: dict[str, list[tuple[str, str]]] = {"Admin": ADMIN, "Op": OP, "User": VIEWER, "Viewer": VIEWER}

# What 0009 creates (and its downgrade removes): every pair above, and the names 0001 did not have.
PERMISSIONS = ADMIN
NEW_ACTIONS = (MENU,)
NEW_RESOURCES = tuple(sorted({r for _, r in ADMIN} - set(RESOURCES)))
