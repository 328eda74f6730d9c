"""Users: patch_user and delete_user, and how their changes reach cached credentials at once."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD as FIXTURE_PASSWORD
from tests.factories_access import user_patch
from tests.problems import assert_problem


@pytest.fixture
def team(make_user):
    make_user("carol", "Op")
    make_user("bob", "Viewer")


# ---------------------------------------------------------------- patch_user


def test_patch_user_with_mask_changes_only_masked_fields(client, admin, team):
    current = client.get("/api/v1/users/bob", auth=admin).json()
    sent = user_patch("bob", first_name="Robert", last_name="ignored")
    response = client.patch("/api/v1/users/bob?update_mask=first_name", json=sent, auth=admin)
    assert response.status_code == 200, response.text
    assert response.json()["first_name"] == "Robert"
    assert response.json()["last_name"] == current["last_name"]


def test_patch_user_without_mask_applies_writable_fields(client, admin, team):
    response = client.patch(
        "/api/v1/users/bob", json=user_patch("bob", last_name="Builder", roles=[{"name": "Op"}]), auth=admin
    )
    assert response.status_code == 200
    assert response.json()["last_name"] == "Builder"
    assert response.json()["roles"] == [{"name": "Op"}]


def test_patch_user_needs_its_identity_fields_even_with_a_mask(client, admin, team):
    response = client.patch("/api/v1/users/bob?update_mask=first_name", json={"first_name": "B"}, auth=admin)
    assert_problem(response, 400, "['email', 'last_name', 'username']")
    assert client.get("/api/v1/users/bob", auth=admin).json()["first_name"] != "B"


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
    response = client.patch(f"/api/v1/users/bob?{query}", json=user_patch("bob", **body), auth=admin)
    assert_problem(response, 400, detail)
    assert client.get("/api/v1/users/bob", auth=admin).json()["login_count"] is None


def test_patch_user_mask_may_be_comma_separated(client, admin, team):
    response = client.patch(
        "/api/v1/users/bob?update_mask=first_name,last_name",
        json=user_patch("bob", first_name="B", last_name="C", email="ignored@example.org"),
        auth=admin,
    )
    assert (response.json()["first_name"], response.json()["last_name"]) == ("B", "C")
    assert response.json()["email"] == "bob@example.org"


def test_new_password_takes_effect_on_the_next_request(client, admin, make_user):
    old = make_user("pat", "Viewer")
    assert client.get("/api/v1/dags", auth=old).status_code == 200  # now cached
    assert client.get("/api/v1/dags", auth=old).status_code == 200
    response = client.patch(
        "/api/v1/users/pat?update_mask=password", json=user_patch("pat", password="brand-new-pw"), auth=admin
    )
    assert response.status_code == 200
    assert_problem(client.get("/api/v1/dags", auth=old), 401)
    assert client.get("/api/v1/dags", auth=("pat", "brand-new-pw")).status_code == 200


def test_role_change_takes_effect_on_the_next_request(client, admin, make_user):
    pat = make_user("pat", "Viewer")
    assert client.get("/api/v1/dags", auth=pat).status_code == 200
    client.patch("/api/v1/users/pat", json=user_patch("pat", roles=[{"name": "Public"}]), auth=admin)
    assert_problem(client.get("/api/v1/dags", auth=pat), 403)
    client.patch("/api/v1/users/pat", json=user_patch("pat", roles=[{"name": "Admin"}]), auth=admin)
    assert client.get("/api/v1/users", auth=pat).status_code == 200


def test_deactivated_user_is_refused_at_once(client, admin, make_user):
    pat = make_user("pat", "Viewer")
    assert client.get("/api/v1/dags", auth=pat).status_code == 200
    client.patch("/api/v1/users/pat?update_mask=active", json=user_patch("pat", active=False), auth=admin)
    assert_problem(client.get("/api/v1/dags", auth=pat), 401)
    client.patch("/api/v1/users/pat?update_mask=active", json=user_patch("pat", active=True), auth=admin)
    assert client.get("/api/v1/dags", auth=pat).status_code == 200


def test_renamed_user_signs_in_with_the_new_name_only(client, admin, make_user):
    pat = make_user("pat", "Viewer")
    assert client.get("/api/v1/dags", auth=pat).status_code == 200
    response = client.patch("/api/v1/users/pat", json=user_patch("pat", username="patricia"), auth=admin)
    assert response.json()["username"] == "patricia"
    assert_problem(client.get("/api/v1/dags", auth=pat), 401)
    assert client.get("/api/v1/dags", auth=("patricia", pat[1])).status_code == 200
    assert_problem(client.get("/api/v1/users/pat", auth=admin), 404)


@pytest.mark.parametrize(
    ("body", "status", "detail"),
    [
        ({"username": "carol"}, 409, "'carol' already exists"),
        ({"email": "carol@example.org"}, 409, "carol@example.org"),
        ({"roles": [{"name": "Wizard"}]}, 400, "No role named 'Wizard'"),
    ],
)
def test_patch_user_conflicts_change_nothing(client, admin, team, body, status, detail):
    response = client.patch("/api/v1/users/bob", json=user_patch("bob", **body), auth=admin)
    assert_problem(response, status, detail)
    bob = client.get("/api/v1/users/bob", auth=admin).json()
    assert (bob["email"], bob["roles"]) == ("bob@example.org", [{"name": "Viewer"}])


@pytest.mark.parametrize(
    "body",
    [{"active": False}, {"roles": [{"name": "Op"}]}, {"roles": []}],
    ids=["deactivate", "demote", "strip"],
)
def test_last_active_admin_keeps_admin_and_stays_active(client, admin, body):
    response = client.patch("/api/v1/users/admin", json=user_patch("admin", **body), auth=admin)
    assert_problem(response, 409, "last active Admin")
    assert client.get("/api/v1/users/admin", auth=admin).json()["roles"] == [{"name": "Admin"}]


def test_an_admin_may_step_down_when_another_remains(client, admin, make_user):
    make_user("second", "Admin")
    body = user_patch("admin", roles=[{"name": "Viewer"}])
    response = client.patch("/api/v1/users/admin", json=body, auth=admin)
    assert response.status_code == 200
    assert_problem(client.get("/api/v1/users", auth=admin), 403)
    # an inactive admin does not count: `second` is now the last one
    assert_problem(
        client.patch(
            "/api/v1/users/second",
            json=user_patch("second", active=False),
            auth=("second", FIXTURE_PASSWORD),
        ),
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
    pat = client.get("/api/v1/users/pat", auth=admin).json()
    assert (pat["fail_login_count"], pat["login_count"]) == (2, 0)
    assert client.get("/api/v1/dags", auth=("pat", FIXTURE_PASSWORD)).status_code == 200
    pat = client.get("/api/v1/users/pat", auth=admin).json()
    # As in Airflow, a good password resets the failure counter.
    assert (pat["fail_login_count"], pat["login_count"]) == (0, 1)
    assert pat["last_login"] is not None


def test_a_cached_good_login_after_a_failure_resets_the_failure_counter(client, admin, make_user):
    make_user("quin", "Viewer")
    assert client.get("/api/v1/dags", auth=("quin", FIXTURE_PASSWORD)).status_code == 200
    assert_problem(client.get("/api/v1/dags", auth=("quin", "wrong")), 401)
    assert client.get("/api/v1/users/quin", auth=admin).json()["fail_login_count"] == 1
    assert client.get("/api/v1/dags", auth=("quin", FIXTURE_PASSWORD)).status_code == 200
    assert client.get("/api/v1/users/quin", auth=admin).json()["fail_login_count"] == 0


# ---------------------------------------------------------------- delete_user


def test_delete_user(client, admin, team):
    assert client.delete("/api/v1/users/bob", auth=admin).status_code == 204
    assert_problem(client.get("/api/v1/users/bob", auth=admin), 404)
    assert_problem(client.delete("/api/v1/users/bob", auth=admin), 404)
    assert client.get("/api/v1/users", auth=admin).json()["total_entries"] == 2


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
