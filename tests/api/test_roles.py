"""Roles and permissions: get_roles, post_role, get_role, patch_role, delete_role, get_permissions."""

from __future__ import annotations

import pytest

from orchestrator_api.migrations import seed_0009
from orchestrator_api.migrations.seed_0001 import ROLES
from orchestrator_api.security.permissions import OPERATION_NEEDS
from tests.factories_access import role_body, user_patch
from tests.problems import assert_problem

POOL_READER = role_body("pool_reader", ("can_read", "Pools"))
# Granted by migration 0004 (DAG authoring) on top of the seeded roles.
DAG_DEFINITION_GRANTS = {
    name: [(a, "DAG Definitions") for a in ("can_create", "can_edit", "can_delete")]
    for name in ("Admin", "Op")
}


def pairs(role):
    return [(a["action"]["name"], a["resource"]["name"]) for a in role["actions"]]


# ---------------------------------------------------------------- get_roles / get_role


def test_list_roles_answers_the_default_roles_with_their_grants(client, admin):
    response = client.get("/api/v1/roles", auth=admin)
    assert response.status_code == 200
    body = response.json()
    assert body["total_entries"] == 5
    assert [r["name"] for r in body["roles"]] == ["Admin", "Op", "Public", "User", "Viewer"]
    by_name = {r["name"]: r for r in body["roles"]}
    for name, grants in ROLES.items():
        expected = {*grants, *DAG_DEFINITION_GRANTS.get(name, []), *seed_0009.GRANTS.get(name, [])}
        assert sorted(pairs(by_name[name])) == sorted(expected), name
    viewer = pairs(by_name["Viewer"])
    assert viewer == sorted(viewer, key=lambda p: (p[1], p[0])), "actions are sorted by resource, action"
    # Airflow 2.10.5's default roles hold this many permissions each (its GET /roles).
    assert {r["name"]: len(r["actions"]) for r in body["roles"]} == {
        "Admin": 92 + 3,  # + the DAG Definitions extension grants
        "Op": 63 + 3,
        "Public": 0,
        "User": 39,
        "Viewer": 30,
    }


def test_list_roles_pages_and_orders(client, admin):
    first = client.get("/api/v1/roles?limit=2&order_by=name", auth=admin).json()
    assert [r["name"] for r in first["roles"]] == ["Admin", "Op"]
    assert first["total_entries"] == 5
    last = client.get("/api/v1/roles?limit=2&offset=4&order_by=name", auth=admin).json()
    assert [r["name"] for r in last["roles"]] == ["Viewer"]
    by_id = client.get("/api/v1/roles?order_by=role_id", auth=admin).json()
    assert [r["name"] for r in by_id["roles"]] == list(ROLES), "oldest first"


@pytest.mark.parametrize("order_by", ["-name", "-role_id"])
def test_list_roles_refuses_descending_order_as_airflow(client, admin, order_by):
    body = assert_problem(client.get(f"/api/v1/roles?order_by={order_by}", auth=admin), 400)
    assert body["title"] == "Bad Request"
    assert body["detail"] == (
        f"Ordering with {order_by!r} is disallowed or the attribute does not exist on the model"
    )


@pytest.mark.parametrize("query", ["order_by=id", "limit=-1", "offset=-2", "order_by=name,actions"])
def test_list_roles_rejects_bad_parameters(client, admin, query):
    assert_problem(client.get(f"/api/v1/roles?{query}", auth=admin), 400)


def test_roles_need_credentials_and_permission(client, viewer):
    assert_problem(client.get("/api/v1/roles"), 401)
    assert_problem(client.get("/api/v1/roles", auth=viewer), 403, "can_read on Roles")
    assert_problem(client.get("/api/v1/roles/Viewer", auth=viewer), 403)


@pytest.mark.parametrize("limit", [1, 3, 100])
def test_list_roles_runs_fixed_statements(client, admin, count_statements, limit):
    client.get("/api/v1/roles", auth=admin)
    count_statements.clear()
    response = client.get(f"/api/v1/roles?limit={limit}", auth=admin)
    assert response.status_code == 200
    # principal check + page + permissions (selectin, actions and resources joined) [+ count]
    assert len(count_statements) == (4 if limit < 5 else 3), count_statements


def test_get_role(client, admin):
    response = client.get("/api/v1/roles/Op", auth=admin)
    assert response.status_code == 200
    assert response.json()["name"] == "Op"
    assert ("can_edit", "Connections") in pairs(response.json())
    assert_problem(client.get("/api/v1/roles/Wizard", auth=admin), 404, "Wizard")


# ---------------------------------------------------------------- post_role


def test_create_role(client, admin):
    response = client.post("/api/v1/roles", json=POOL_READER, auth=admin)
    assert response.status_code == 200, response.text
    assert response.json() == {}  # as Airflow 2.10.5 answers a new role
    assert client.get("/api/v1/roles/pool_reader", auth=admin).json() == POOL_READER
    assert client.get("/api/v1/roles", auth=admin).json()["total_entries"] == 6


def test_create_role_with_per_dag_permissions(client, admin, example_dags):
    body = role_body("etl_team", ("can_read", "DAG:etl_daily"), ("can_edit", "DAG:etl_daily"))
    response = client.post("/api/v1/roles", json=body, auth=admin)
    assert response.status_code == 200, response.text
    created = client.get("/api/v1/roles/etl_team", auth=admin).json()
    assert pairs(created) == [("can_edit", "DAG:etl_daily"), ("can_read", "DAG:etl_daily")]
    # the per-DAG resource now exists and is reused by the next role
    again = role_body("etl_readers", ("can_read", "DAG:etl_daily"))
    assert client.post("/api/v1/roles", json=again, auth=admin).status_code == 200


def test_create_role_without_actions(client, admin):
    response = client.post("/api/v1/roles", json={"name": "empty", "actions": []}, auth=admin)
    assert response.status_code == 200
    assert client.get("/api/v1/roles/empty", auth=admin).json() == {"name": "empty", "actions": []}


@pytest.mark.parametrize(
    ("body", "status", "detail"),
    [
        (role_body("Op"), 409, "'Op' already exists"),
        (role_body("x", ("can_fly", "DAGs")), 400, "No such permission: can_fly on 'DAGs'"),
        (role_body("x", ("can_read", "Spaceships")), 400, "Spaceships"),
        (role_body("x", ("can_create", "DAGs")), 400, "can_create on 'DAGs'"),
        (role_body("x", ("can_read", "DAG:no_such_dag")), 400, "DAG:no_such_dag"),
        (role_body("x", ("can_create", "DAG:etl_daily")), 400, "can_create on 'DAG:etl_daily'"),
    ],
)
def test_create_role_refusals(client, admin, example_dags, body, status, detail):
    assert_problem(client.post("/api/v1/roles", json=body, auth=admin), status, detail)
    assert client.get("/api/v1/roles", auth=admin).json()["total_entries"] == 5


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"actions": []}, "name"),
        ({"name": "r3"}, "actions"),  # Airflow 2.10.5 fails with a 500 without them
        ({"name": "", "actions": []}, "name"),
        ({"name": "x", "actions": [{"action": {"name": "can_read"}}]}, "resource"),
        ({"name": "x", "actions": [], "colour": "red"}, "colour"),
        ({"name": "a/b", "actions": []}, "/name"),
    ],
)
def test_create_role_rejects_bad_bodies(client, admin, body, detail):
    assert_problem(client.post("/api/v1/roles", json=body, auth=admin), 400, detail)


def test_create_role_needs_permission(client, viewer):
    assert_problem(client.post("/api/v1/roles", json=POOL_READER), 401)
    assert_problem(client.post("/api/v1/roles", json=POOL_READER, auth=viewer), 403, "can_create")


# ---------------------------------------------------------------- patch_role


def test_patch_role_with_mask_renames_only(client, admin):
    client.post("/api/v1/roles", json=POOL_READER, auth=admin)
    sent = role_body("pool_watcher", ("can_edit", "Pools"))
    response = client.patch("/api/v1/roles/pool_reader?update_mask=name", json=sent, auth=admin)
    assert response.status_code == 200
    assert response.json() == {**POOL_READER, "name": "pool_watcher"}
    assert_problem(client.get("/api/v1/roles/pool_reader", auth=admin), 404)


def test_patch_role_without_mask_replaces_actions(client, admin):
    client.post("/api/v1/roles", json=POOL_READER, auth=admin)
    sent = role_body("pool_reader", ("can_read", "Variables"), ("can_read", "Pools"))
    response = client.patch("/api/v1/roles/pool_reader", json=sent, auth=admin)
    assert response.status_code == 200
    assert pairs(response.json()) == [("can_read", "Pools"), ("can_read", "Variables")]


def test_role_grants_apply_on_the_holders_next_request(client, admin, make_user, example_dags):
    client.post("/api/v1/roles", json=role_body("readers", ("can_read", "DAGs")), auth=admin)
    pat = make_user("pat", "Public")
    client.patch("/api/v1/users/pat", json=user_patch("pat", roles=[{"name": "readers"}]), auth=admin)
    assert client.get("/api/v1/dags", auth=pat).status_code == 200
    body = {"name": "readers", "actions": []}
    client.patch("/api/v1/roles/readers?update_mask=actions", json=body, auth=admin)
    assert_problem(client.get("/api/v1/dags", auth=pat), 403)
    client.patch("/api/v1/roles/readers", json=role_body("readers", ("can_read", "DAGs")), auth=admin)
    assert client.get("/api/v1/dags", auth=pat).status_code == 200


@pytest.mark.parametrize(
    ("query", "body", "detail"),
    [
        ("update_mask=permissions", {"name": "Op"}, "permissions"),
        ("", {"name": "x", "users": []}, "users"),
        ("", {"name": "Op", "actions": "all"}, "actions"),
        ("update_mask=actions", {"actions": []}, "['name']"),
    ],
)
def test_patch_role_rejects_bad_masks_and_bodies(client, admin, query, body, detail):
    assert_problem(client.patch(f"/api/v1/roles/Op?{query}", json=body, auth=admin), 400, detail)


@pytest.mark.parametrize(
    ("role", "body", "status", "detail"),
    [
        ("Viewer", {"name": "Op"}, 409, "'Op' already exists"),
        ("Viewer", role_body("Viewer", ("can_teleport", "DAGs")), 400, "can_teleport"),
        ("Admin", {"name": "Root"}, 409, "Admin role"),
        ("Admin", {"name": "Admin", "actions": []}, 409, "Admin role"),
    ],
)
def test_patch_role_refusals_change_nothing(client, admin, role, body, status, detail):
    before = client.get(f"/api/v1/roles/{role}", auth=admin).json()
    assert_problem(client.patch(f"/api/v1/roles/{role}", json=body, auth=admin), status, detail)
    assert client.get(f"/api/v1/roles/{role}", auth=admin).json() == before


def test_patch_admin_role_with_its_own_grants_is_no_change(client, admin):
    current = client.get("/api/v1/roles/Admin", auth=admin).json()
    response = client.patch("/api/v1/roles/Admin", json=current, auth=admin)
    assert response.status_code == 200
    assert response.json() == current


def test_patch_role_errors(client, admin, viewer):
    assert_problem(client.patch("/api/v1/roles/Wizard", json={"name": "x"}, auth=admin), 404)
    assert_problem(client.patch("/api/v1/roles/Op", json={"name": "x"}), 401)
    assert_problem(client.patch("/api/v1/roles/Op", json={"name": "x"}, auth=viewer), 403, "can_edit")


# ---------------------------------------------------------------- delete_role


def test_delete_role_takes_it_from_its_holders_at_once(client, admin, make_user, example_dags):
    client.post("/api/v1/roles", json=role_body("readers", ("can_read", "DAGs")), auth=admin)
    pat = make_user("pat", "Public")
    client.patch("/api/v1/users/pat", json=user_patch("pat", roles=[{"name": "readers"}]), auth=admin)
    assert client.get("/api/v1/dags", auth=pat).status_code == 200
    assert client.delete("/api/v1/roles/readers", auth=admin).status_code == 204
    assert_problem(client.get("/api/v1/dags", auth=pat), 403)
    assert client.get("/api/v1/users/pat", auth=admin).json()["roles"] == []
    assert_problem(client.get("/api/v1/roles/readers", auth=admin), 404)
    # a new role is not mistaken for the deleted one by any cache
    client.post("/api/v1/roles", json=role_body("writers", ("can_read", "Pools")), auth=admin)
    assert_problem(client.get("/api/v1/dags", auth=pat), 403)


def test_delete_role_errors(client, admin, viewer):
    assert_problem(client.delete("/api/v1/roles/Admin", auth=admin), 409, "Admin role")
    assert_problem(client.delete("/api/v1/roles/Wizard", auth=admin), 404)
    assert_problem(client.delete("/api/v1/roles/Op"), 401)
    assert_problem(client.delete("/api/v1/roles/Op", auth=viewer), 403, "can_delete")
    assert client.get("/api/v1/roles", auth=admin).json()["total_entries"] == 5


# ---------------------------------------------------------------- get_permissions


# Airflow 2.10.5's five actions, in the order its GET /permissions lists them (creation order).
AIRFLOW_ACTIONS = ["can_edit", "can_read", "can_create", "can_delete", "menu_access"]


def test_list_permissions_answers_every_action_in_airflows_order(client, admin):
    response = client.get("/api/v1/permissions", auth=admin)
    assert response.status_code == 200
    assert response.json() == {"actions": [{"name": a} for a in AIRFLOW_ACTIONS], "total_entries": 5}


def test_list_permissions_pages(client, admin):
    page = client.get("/api/v1/permissions?limit=1&offset=1", auth=admin).json()
    assert page == {"actions": [{"name": "can_read"}], "total_entries": 5}
    page = client.get("/api/v1/permissions?limit=5&offset=2", auth=admin).json()
    assert page["actions"] == [{"name": a} for a in AIRFLOW_ACTIONS[2:]]
    assert_problem(client.get("/api/v1/permissions?limit=-1", auth=admin), 400)
    assert_problem(client.get("/api/v1/permissions?order_by=name", auth=admin), 400)


def test_list_permissions_needs_permission(client, viewer):
    assert_problem(client.get("/api/v1/permissions"), 401)
    assert_problem(client.get("/api/v1/permissions", auth=viewer), 403, "Permissions")


@pytest.mark.parametrize("limit", [1, 100])
def test_list_permissions_runs_fixed_statements(client, admin, count_statements, limit):
    client.get("/api/v1/permissions", auth=admin)
    count_statements.clear()
    assert client.get(f"/api/v1/permissions?limit={limit}", auth=admin).status_code == 200
    assert len(count_statements) == (3 if limit < 4 else 2), count_statements


# ---------------------------------------------------------------- Airflow's web-UI grants (migration 0009)


def test_web_ui_grants_are_needed_by_no_operation():
    needs = {need for operation in OPERATION_NEEDS.values() for need in operation}
    assert needs.isdisjoint(seed_0009.PERMISSIONS)


def test_a_role_with_every_web_ui_grant_may_call_nothing_new(client, admin, make_user):
    body = role_body("menus_only", *seed_0009.PERMISSIONS)
    assert client.post("/api/v1/roles", json=body, auth=admin).status_code == 200
    menus = make_user("menus", "menus_only")
    for path, resource in [("/dags", "DAGs"), ("/pools", "Pools"), ("/users", "Users"), ("/slaMisses", None)]:
        response = client.get(f"/api/v1{path}", auth=menus)
        if resource is None:
            assert_problem(response, 404, framework=True)
        else:
            assert_problem(response, 403, resource)
