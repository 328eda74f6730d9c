"""Users: get_users, post_user, get_user, patch_user, delete_user."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD as FIXTURE_PASSWORD
from tests.factories_access import PASSWORD, audit_rows, stored_user, user_body
from tests.problems import assert_problem

USER_FIELDS = {
    "username",
    "email",
    "first_name",
    "last_name",
    "active",
    "last_login",
    "login_count",
    "failed_login_count",
    "roles",
    "created_on",
    "changed_on",
}


@pytest.fixture
def team(make_user):
    """Three users besides the admin, created in this order."""
    make_user("carol", "Op")
    make_user("bob", "Viewer")
    make_user("alice", "User", "Viewer")


def names(response):
    return [user["username"] for user in response.json()["users"]]


# ---------------------------------------------------------------- get_users


def test_list_users_answers_airflow_fields(client, admin, team):
    response = client.get("/api/v1/users", auth=admin)
    assert response.status_code == 200
    body = response.json()
    assert body["total_entries"] == 4
    assert names(response) == ["admin", "carol", "bob", "alice"]  # creation order by default
    alice = body["users"][3]
    assert set(alice) == USER_FIELDS
    assert alice["roles"] == [{"name": "User"}, {"name": "Viewer"}]
    assert alice["active"] is True
    assert alice["login_count"] == 0
    assert alice["last_login"] is None
    assert alice["created_on"].endswith("+00:00")
    assert "password" not in response.text
    assert "password_hash" not in response.text


def test_list_users_pages_with_total_of_whole_set(client, admin, team):
    first = client.get("/api/v1/users?limit=2&order_by=username", auth=admin).json()
    second = client.get("/api/v1/users?limit=2&offset=2&order_by=username", auth=admin).json()
    assert [u["username"] for u in first["users"]] == ["admin", "alice"]
    assert [u["username"] for u in second["users"]] == ["bob", "carol"]
    assert first["total_entries"] == second["total_entries"] == 4
    assert client.get("/api/v1/users?offset=9", auth=admin).json() == {"users": [], "total_entries": 4}


@pytest.mark.parametrize(
    ("order_by", "expected"),
    [
        ("username", ["admin", "alice", "bob", "carol"]),
        ("-username", ["carol", "bob", "alice", "admin"]),
        ("-id", ["alice", "bob", "carol", "admin"]),
        ("email", ["admin", "alice", "bob", "carol"]),
        ("first_name", ["admin", "alice", "bob", "carol"]),
    ],
)
def test_list_users_orders(client, admin, team, order_by, expected):
    assert names(client.get(f"/api/v1/users?order_by={order_by}", auth=admin)) == expected


@pytest.mark.parametrize(
    "field",
    [
        "id",
        "username",
        "email",
        "first_name",
        "last_name",
        "active",
        "last_login",
        "login_count",
        "failed_login_count",
        "created_on",
        "changed_on",
    ],
)
def test_every_documented_user_order_by_is_accepted(client, admin, team, field):
    for value in (field, f"-{field}"):
        response = client.get(f"/api/v1/users?order_by={value}", auth=admin)
        assert response.status_code == 200
        assert response.json()["total_entries"] == 4


@pytest.mark.parametrize(
    ("query", "detail"),
    [("order_by=password", "password"), ("limit=0", "minimum"), ("offset=-1", "minimum"), ("x=1", "x")],
)
def test_list_users_rejects_bad_parameters(client, admin, query, detail):
    assert_problem(client.get(f"/api/v1/users?{query}", auth=admin), 400, detail)


def test_list_users_needs_credentials_and_permission(client, viewer):
    assert_problem(client.get("/api/v1/users"), 401)
    assert_problem(client.get("/api/v1/users", auth=viewer), 403, "can_read on Users")


@pytest.mark.parametrize("limit", [1, 2, 100])
def test_list_users_runs_fixed_statements(client, admin, team, count_statements, limit):
    client.get("/api/v1/users", auth=admin)  # verifies and caches the credentials
    count_statements.clear()
    response = client.get(f"/api/v1/users?limit={limit}", auth=admin)
    assert response.status_code == 200
    # principal check + page + roles (selectin) [+ count when the page is full]
    assert len(count_statements) == (4 if limit < 4 else 3), count_statements


# ---------------------------------------------------------------- post_user


def test_create_user_then_sign_in_with_it(client, admin):
    response = client.post("/api/v1/users", json=user_body("dora", "Viewer"), auth=admin)
    assert response.status_code == 200, response.text
    created = response.json()
    assert created["username"] == "dora"
    assert created["roles"] == [{"name": "Viewer"}]
    assert "password" not in created
    assert stored_user("dora").password_hash.startswith("scrypt:")
    assert PASSWORD not in stored_user("dora").password_hash
    assert client.get("/api/v1/dags", auth=("dora", PASSWORD)).status_code == 200
    assert client.get("/api/v1/users/dora", auth=admin).json()["login_count"] == 1


def test_create_user_without_roles_gets_public(client, admin):
    created = client.post("/api/v1/users", json=user_body("eve"), auth=admin).json()
    assert created["roles"] == [{"name": "Public"}]
    assert_problem(client.get("/api/v1/dags", auth=("eve", PASSWORD)), 403)


def test_create_inactive_user_cannot_sign_in(client, admin):
    client.post("/api/v1/users", json=user_body("idle", "Viewer", active=False), auth=admin)
    assert_problem(client.get("/api/v1/dags", auth=("idle", PASSWORD)), 401)


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (user_body("x", "Viewer", "Wizard"), "'Wizard'"),
        (user_body("admin"), "'admin' already exists"),
        (user_body("other", email="admin@example.org"), "admin@example.org"),
    ],
)
def test_create_user_conflicts(client, admin, body, detail):
    assert_problem(client.post("/api/v1/users", json=body, auth=admin), 409, detail)
    assert client.get("/api/v1/users", auth=admin).json()["total_entries"] == 1


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({k: v for k, v in user_body("x").items() if k != "password"}, "password"),
        ({**user_body("x"), "is_admin": True}, "is_admin"),
        (user_body("has space"), "has space"),
        (user_body("x", email="not-an-email"), "not-an-email"),
        (user_body("x", password=""), "password"),
        ({**user_body("x"), "roles": ["Viewer"]}, "Viewer"),
    ],
)
def test_create_user_rejects_bad_bodies(client, admin, body, detail):
    assert_problem(client.post("/api/v1/users", json=body, auth=admin), 400, detail)


def test_create_user_refuses_non_json(client, admin):
    response = client.post(
        "/api/v1/users", content=b"username=x", headers={"Content-Type": "text/plain"}, auth=admin
    )
    assert_problem(response, 415)


def test_create_user_needs_permission(client, viewer):
    assert_problem(client.post("/api/v1/users", json=user_body("x")), 401)
    assert_problem(client.post("/api/v1/users", json=user_body("x"), auth=viewer), 403, "can_create")


def test_create_user_is_audited_without_the_password(client, admin):
    client.post("/api/v1/users", json=user_body("dora"), auth=admin)
    [row] = audit_rows("post_user")
    assert row.owner == "admin"
    assert PASSWORD not in (row.extra or "")
    assert '"password": "***"' in (row.extra or "")


# ---------------------------------------------------------------- get_user


def test_get_user(client, admin, team):
    response = client.get("/api/v1/users/carol", auth=admin)
    assert response.status_code == 200
    assert response.json()["roles"] == [{"name": "Op"}]
    assert set(response.json()) == USER_FIELDS


def test_get_user_errors(client, admin, viewer):
    assert_problem(client.get("/api/v1/users/ghost", auth=admin), 404, "ghost")
    assert_problem(client.get("/api/v1/users/admin"), 401)
    assert_problem(client.get("/api/v1/users/admin", auth=viewer), 403)


# ---------------------------------------------------------------- patch_user


def test_patch_user_with_mask_changes_only_masked_fields(client, admin, team):
    current = client.get("/api/v1/users/bob", auth=admin).json()
    sent = {**current, "first_name": "Robert", "last_name": "ignored"}
    response = client.patch("/api/v1/users/bob?update_mask=first_name", json=sent, auth=admin)
    assert response.status_code == 200, response.text
    assert response.json()["first_name"] == "Robert"
    assert response.json()["last_name"] == current["last_name"]


def test_patch_user_without_mask_applies_writable_fields(client, admin, team):
    response = client.patch(
        "/api/v1/users/bob", json={"last_name": "Builder", "roles": [{"name": "Op"}]}, auth=admin
    )
    assert response.status_code == 200
    assert response.json()["last_name"] == "Builder"
    assert response.json()["roles"] == [{"name": "Op"}]


@pytest.mark.parametrize(
    ("query", "body", "detail"),
    [
        ("update_mask=login_count", {"login_count": 3}, "login_count"),
        ("update_mask=colour", {}, "colour"),
        ("", {"login_count": 99}, "login_count"),
        ("", {"first_name": 5}, "first_name"),
        ("", {"hobby": "chess"}, "hobby"),
    ],
)
def test_patch_user_rejects_bad_masks_and_bodies(client, admin, team, query, body, detail):
    response = client.patch(f"/api/v1/users/bob?{query}", json=body, auth=admin)
    assert_problem(response, 400, detail)
    assert client.get("/api/v1/users/bob", auth=admin).json()["login_count"] == 0


def test_patch_user_mask_may_be_comma_separated(client, admin, team):
    response = client.patch(
        "/api/v1/users/bob?update_mask=first_name,last_name",
        json={"first_name": "B", "last_name": "C", "email": "ignored@example.org"},
        auth=admin,
    )
    assert (response.json()["first_name"], response.json()["last_name"]) == ("B", "C")
    assert response.json()["email"] == "bob@example.org"


def test_new_password_takes_effect_on_the_next_request(client, admin, make_user):
    old = make_user("pat", "Viewer")
    assert client.get("/api/v1/dags", auth=old).status_code == 200  # now cached
    assert client.get("/api/v1/dags", auth=old).status_code == 200
    response = client.patch(
        "/api/v1/users/pat?update_mask=password", json={"password": "brand-new-pw"}, auth=admin
    )
    assert response.status_code == 200
    assert_problem(client.get("/api/v1/dags", auth=old), 401)
    assert client.get("/api/v1/dags", auth=("pat", "brand-new-pw")).status_code == 200


def test_role_change_takes_effect_on_the_next_request(client, admin, make_user):
    pat = make_user("pat", "Viewer")
    assert client.get("/api/v1/dags", auth=pat).status_code == 200
    client.patch("/api/v1/users/pat", json={"roles": [{"name": "Public"}]}, auth=admin)
    assert_problem(client.get("/api/v1/dags", auth=pat), 403)
    client.patch("/api/v1/users/pat", json={"roles": [{"name": "Admin"}]}, auth=admin)
    assert client.get("/api/v1/users", auth=pat).status_code == 200


def test_deactivated_user_is_refused_at_once(client, admin, make_user):
    pat = make_user("pat", "Viewer")
    assert client.get("/api/v1/dags", auth=pat).status_code == 200
    client.patch("/api/v1/users/pat?update_mask=active", json={"active": False}, auth=admin)
    assert_problem(client.get("/api/v1/dags", auth=pat), 401)
    client.patch("/api/v1/users/pat?update_mask=active", json={"active": True}, auth=admin)
    assert client.get("/api/v1/dags", auth=pat).status_code == 200


def test_renamed_user_signs_in_with_the_new_name_only(client, admin, make_user):
    pat = make_user("pat", "Viewer")
    assert client.get("/api/v1/dags", auth=pat).status_code == 200
    response = client.patch("/api/v1/users/pat", json={"username": "patricia"}, auth=admin)
    assert response.json()["username"] == "patricia"
    assert_problem(client.get("/api/v1/dags", auth=pat), 401)
    assert client.get("/api/v1/dags", auth=("patricia", pat[1])).status_code == 200
    assert_problem(client.get("/api/v1/users/pat", auth=admin), 404)


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"username": "carol"}, "'carol' already exists"),
        ({"email": "carol@example.org"}, "carol@example.org"),
        ({"roles": [{"name": "Wizard"}]}, "'Wizard'"),
    ],
)
def test_patch_user_conflicts_change_nothing(client, admin, team, body, detail):
    assert_problem(client.patch("/api/v1/users/bob", json=body, auth=admin), 409, detail)
    bob = client.get("/api/v1/users/bob", auth=admin).json()
    assert (bob["email"], bob["roles"]) == ("bob@example.org", [{"name": "Viewer"}])


@pytest.mark.parametrize(
    "body",
    [{"active": False}, {"roles": [{"name": "Op"}]}, {"roles": []}],
    ids=["deactivate", "demote", "strip"],
)
def test_last_active_admin_keeps_admin_and_stays_active(client, admin, body):
    assert_problem(client.patch("/api/v1/users/admin", json=body, auth=admin), 409, "last active Admin")
    assert client.get("/api/v1/users/admin", auth=admin).json()["roles"] == [{"name": "Admin"}]


def test_an_admin_may_step_down_when_another_remains(client, admin, make_user):
    make_user("second", "Admin")
    response = client.patch("/api/v1/users/admin", json={"roles": [{"name": "Viewer"}]}, auth=admin)
    assert response.status_code == 200
    assert_problem(client.get("/api/v1/users", auth=admin), 403)
    # an inactive admin does not count: `second` is now the last one
    assert_problem(
        client.patch("/api/v1/users/second", json={"active": False}, auth=("second", FIXTURE_PASSWORD)),
        409,
    )


def test_patch_user_errors(client, admin, viewer):
    assert_problem(client.patch("/api/v1/users/ghost", json={"first_name": "x"}, auth=admin), 404)
    assert_problem(client.patch("/api/v1/users/viewer", json={"first_name": "x"}), 401)
    assert_problem(client.patch("/api/v1/users/viewer", json={"first_name": "x"}, auth=viewer), 403)


def test_failed_and_successful_logins_are_counted(client, admin, make_user):
    make_user("pat", "Viewer")
    for _ in range(2):
        assert_problem(client.get("/api/v1/dags", auth=("pat", "wrong")), 401)
    assert client.get("/api/v1/dags", auth=("pat", FIXTURE_PASSWORD)).status_code == 200
    pat = client.get("/api/v1/users/pat", auth=admin).json()
    assert pat["failed_login_count"] == 2
    assert pat["login_count"] == 1
    assert pat["last_login"] is not None


# ---------------------------------------------------------------- delete_user


def test_delete_user(client, admin, team):
    assert client.delete("/api/v1/users/bob", auth=admin).status_code == 204
    assert_problem(client.get("/api/v1/users/bob", auth=admin), 404)
    assert_problem(client.delete("/api/v1/users/bob", auth=admin), 404)
    assert client.get("/api/v1/users", auth=admin).json()["total_entries"] == 3


def test_deleted_user_is_refused_at_once(client, admin, make_user):
    pat = make_user("pat", "Viewer")
    assert client.get("/api/v1/dags", auth=pat).status_code == 200
    client.delete("/api/v1/users/pat", auth=admin)
    assert_problem(client.get("/api/v1/dags", auth=pat), 401)


def test_last_active_admin_cannot_be_deleted(client, admin, make_user):
    assert_problem(client.delete("/api/v1/users/admin", auth=admin), 409, "last active Admin")
    make_user("second", "Admin")
    assert client.delete("/api/v1/users/admin", auth=("second", FIXTURE_PASSWORD)).status_code == 204


def test_delete_user_errors(client, admin, viewer):
    assert_problem(client.delete("/api/v1/users/viewer"), 401)
    assert_problem(client.delete("/api/v1/users/viewer", auth=viewer), 403, "can_delete")
    assert client.get("/api/v1/users/viewer", auth=admin).status_code == 200
