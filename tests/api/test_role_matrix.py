"""Each default role against the operations of this service: allowed means 2xx, anything else 403.

The expectations are written down from the seed's grants (``migrations/seed_0001.py``): Viewer reads DAGs,
their code, runs and task instances; User also edits and deletes DAGs; Op also reads the configuration;
Admin holds everything, including users, roles and permissions; Public holds nothing. Anyone signed in
manages their own tokens. They are not computed from ``OPERATION_NEEDS``, so a wrong table entry fails here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.factories_access import user_patch
from tests.problems import assert_problem

ROLES = ("Admin", "Op", "User", "Viewer", "Public")
READERS = {"Admin", "Op", "User", "Viewer"}
EDITORS = {"Admin", "Op", "User"}
OPERATORS = {"Admin", "Op"}
ADMINS = {"Admin"}
EVERYONE = set(ROLES)


@dataclass(frozen=True)
class Case:
    name: str
    allowed: set[str]
    call: Callable[[Any, tuple[str, str], dict[str, Any]], Any]


def _file_token(client: Any, admin: tuple[str, str]) -> str:
    token: str = client.get("/api/v1/dags/etl_daily", auth=admin).json()["file_token"]
    return token


CASES = [
    Case("get_dags", READERS, lambda c, a, _: c.get("/api/v1/dags", auth=a)),
    Case("get_dag", READERS, lambda c, a, _: c.get("/api/v1/dags/etl_daily", auth=a)),
    Case("get_dag_details", READERS, lambda c, a, _: c.get("/api/v1/dags/etl_daily/details", auth=a)),
    Case("get_tasks", READERS, lambda c, a, _: c.get("/api/v1/dags/etl_daily/tasks", auth=a)),
    Case("get_dag_stats", READERS, lambda c, a, _: c.get("/api/v1/dagStats?dag_ids=etl_daily", auth=a)),
    Case("get_dag_source", READERS, lambda c, a, x: c.get(f"/api/v1/dagSources/{x['file_token']}", auth=a)),
    Case(
        "patch_dag",
        EDITORS,
        lambda c, a, _: c.patch("/api/v1/dags/etl_daily", json={"is_paused": False}, auth=a),
    ),
    Case(
        "reparse_dag_file", EDITORS, lambda c, a, x: c.put(f"/api/v1/parseDagFile/{x['file_token']}", auth=a)
    ),
    Case("delete_dag", EDITORS, lambda c, a, _: c.delete("/api/v1/dags/rebuild_search_index", auth=a)),
    Case(
        "get_trigger_tokens", EDITORS, lambda c, a, _: c.get("/api/v1/dags/etl_daily/triggerTokens", auth=a)
    ),
    Case(
        "post_trigger_token",
        EDITORS,
        lambda c, a, _: c.post("/api/v1/dags/etl_daily/triggerTokens", json={"name": "t"}, auth=a),
    ),
    Case("get_pools", READERS, lambda c, a, _: c.get("/api/v1/pools", auth=a)),
    Case(
        "patch_pool",
        OPERATORS,
        lambda c, a, _: c.patch("/api/v1/pools/default_pool?update_mask=slots", json={"slots": 64}, auth=a),
    ),
    Case("get_variables", OPERATORS, lambda c, a, _: c.get("/api/v1/variables", auth=a)),
    Case("get_connections", OPERATORS, lambda c, a, _: c.get("/api/v1/connections", auth=a)),
    Case("get_plugins", OPERATORS, lambda c, a, _: c.get("/api/v1/plugins", auth=a)),
    Case("get_providers", OPERATORS, lambda c, a, _: c.get("/api/v1/providers", auth=a)),
    Case("get_event_logs", ADMINS, lambda c, a, _: c.get("/api/v1/eventLogs", auth=a)),
    Case("get_config", OPERATORS, lambda c, a, _: c.get("/api/v1/config", auth=a)),
    Case("get_users", ADMINS, lambda c, a, _: c.get("/api/v1/users", auth=a)),
    Case("get_user", ADMINS, lambda c, a, _: c.get("/api/v1/users/admin", auth=a)),
    Case(
        "patch_user",
        ADMINS,
        lambda c, a, _: c.patch(
            "/api/v1/users/admin?update_mask=first_name", json=user_patch("admin", first_name="A"), auth=a
        ),
    ),
    Case("get_roles", ADMINS, lambda c, a, _: c.get("/api/v1/roles", auth=a)),
    Case("get_role", ADMINS, lambda c, a, _: c.get("/api/v1/roles/Viewer", auth=a)),
    Case(
        "post_role",
        ADMINS,
        lambda c, a, _: c.post("/api/v1/roles", json={"name": "new", "actions": []}, auth=a),
    ),
    Case("get_permissions", ADMINS, lambda c, a, _: c.get("/api/v1/permissions", auth=a)),
    Case("get_other_users_tokens", ADMINS, lambda c, a, _: c.get("/api/v1/users/admin/tokens", auth=a)),
    Case("get_own_tokens", EVERYONE, lambda c, a, _: c.get(f"/api/v1/users/{a[0]}/tokens", auth=a)),
    Case(
        "post_own_token",
        EVERYONE,
        lambda c, a, _: c.post(f"/api/v1/users/{a[0]}/tokens", json={"name": "t"}, auth=a),
    ),
    Case("post_session_token", EVERYONE, lambda c, a, _: c.post("/api/v1/auth/token", auth=a)),
    Case("get_health", EVERYONE, lambda c, a, _: c.get("/api/v1/health", auth=a)),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
@pytest.mark.parametrize("role", ROLES)
def test_default_role_grants(client, admin, make_user, example_dags, settings_env, role, case):
    settings_env(EXPOSE_CONFIG="true")
    caller = make_user(f"as_{role.lower()}", role)
    response = case.call(client, caller, {"file_token": _file_token(client, admin)})
    if role in case.allowed:
        assert 200 <= response.status_code < 300, (role, case.name, response.status_code, response.text)
    else:
        assert_problem(response, 403)
