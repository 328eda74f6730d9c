"""Users: get_users, post_user, get_user, patch_user, delete_user."""

from __future__ import annotations

import pytest

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
    "fail_login_count",
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
    assert alice["login_count"] is None  # as in Airflow: null until the first sign-in attempt
    assert alice["fail_login_count"] is None
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
def test_every_documented_user_order_by_is_accepted_ascending_only(client, admin, team, field):
    response = client.get(f"/api/v1/users?order_by={field}", auth=admin)
    assert response.status_code == 200
    assert response.json()["total_entries"] == 4
    # Airflow 2.10.5 compares "-field" with its allow-list as is: a 400 with this title and detail.
    body = assert_problem(client.get(f"/api/v1/users?order_by=-{field}", auth=admin), 400)
    assert body["title"] == "Bad Request"
    assert body["detail"] == (
        f"Ordering with '-{field}' is disallowed or the attribute does not exist on the model"
    )


def test_an_order_by_that_is_not_a_name_is_not_repeated(client, admin):
    body = assert_problem(client.get("/api/v1/users?order_by=a%20b%3Bc", auth=admin), 400)
    assert "a b;c" not in body["detail"]


@pytest.mark.parametrize(
    ("query", "detail"),
    [("order_by=password", "password"), ("limit=-1", "minimum"), ("offset=-1", "minimum"), ("x=1", "x")],
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


@pytest.mark.parametrize("roles", [None, []], ids=["absent", "empty"])
def test_create_user_without_roles_gets_public(client, admin, roles):
    body = user_body("eve") if roles is None else {**user_body("eve"), "roles": roles}
    created = client.post("/api/v1/users", json=body, auth=admin).json()
    assert created["roles"] == [{"name": "Public"}]
    assert_problem(client.get("/api/v1/dags", auth=("eve", PASSWORD)), 403)


def test_create_user_without_password_as_airflow_does_who_cannot_sign_in(client, admin):
    body = {k: v for k, v in user_body("nopw", "Viewer").items() if k != "password"}
    response = client.post("/api/v1/users", json=body, auth=admin)
    assert response.status_code == 200, response.text
    assert response.json()["username"] == "nopw"
    assert_problem(client.get("/api/v1/dags", auth=("nopw", "")), 401)
    assert_problem(client.get("/api/v1/dags", auth=("nopw", PASSWORD)), 401)


def test_create_inactive_user_cannot_sign_in(client, admin):
    client.post("/api/v1/users", json=user_body("idle", "Viewer", active=False), auth=admin)
    assert_problem(client.get("/api/v1/dags", auth=("idle", PASSWORD)), 401)


@pytest.mark.parametrize(
    ("body", "status", "detail"),
    [
        (user_body("x", "Viewer", "Wizard"), 400, "No role named 'Wizard'"),
        (user_body("admin"), 409, "'admin' already exists"),
        (user_body("other", email="admin@example.org"), 409, "admin@example.org"),
    ],
)
def test_create_user_conflicts(client, admin, body, status, detail):
    assert_problem(client.post("/api/v1/users", json=body, auth=admin), status, detail)
    assert client.get("/api/v1/users", auth=admin).json()["total_entries"] == 1


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({**user_body("x"), "is_admin": True}, "is_admin"),
        (user_body("has space"), "/username"),
        (user_body("x", email="not-an-email"), "/email"),
        (user_body("x", password=""), "password"),
        ({**user_body("x"), "roles": ["Viewer"]}, "/roles/0"),
    ],
)
def test_create_user_rejects_bad_bodies(client, admin, body, detail):
    assert_problem(client.post("/api/v1/users", json=body, auth=admin), 400, detail)


def test_create_user_refuses_non_json(client, admin):
    response = client.post(
        "/api/v1/users", content=b"username=x", headers={"Content-Type": "text/plain"}, auth=admin
    )
    assert_problem(response, 415, framework=True)


def test_create_user_needs_permission(client, viewer):
    assert_problem(client.post("/api/v1/users", json=user_body("x")), 401)
    assert_problem(client.post("/api/v1/users", json=user_body("x"), auth=viewer), 403, "can_create")


def test_create_user_is_audited_without_the_password(client, admin):
    client.post("/api/v1/users", json=user_body("dora"), auth=admin)
    [row] = audit_rows("api.post_user")
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
