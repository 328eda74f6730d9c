"""Personal access tokens narrowed to some of their user's roles."""

from __future__ import annotations

from tests.factories_access import bearer, role_body, stored_access_token, user_patch
from tests.problems import assert_problem


def create_token(client, auth, username, **body):
    response = client.post(f"/api/v1/users/{username}/tokens", json={"name": "ci", **body}, auth=auth)
    assert response.status_code == 201, response.text
    return response.json()


# ---------------------------------------------------------------- narrowed tokens


def test_narrowed_token_acts_with_the_chosen_roles_only(client, make_user, example_dags):
    pat = make_user("pat", "User", "Viewer")
    narrowed = create_token(client, pat, "pat", roles=[{"name": "Viewer"}])
    assert narrowed["roles"] == [{"name": "Viewer"}]
    headers = bearer(narrowed["token"])
    assert client.get("/api/v1/dags", headers=headers).status_code == 200
    assert_problem(client.patch("/api/v1/dags/etl_daily", json={"is_paused": False}, headers=headers), 403)
    # with the user's password (or an unnarrowed token) the same change is allowed
    assert client.patch("/api/v1/dags/etl_daily", json={"is_paused": False}, auth=pat).status_code == 200


def test_narrowed_token_loses_a_role_its_user_loses(client, admin, make_user, example_dags):
    pat = make_user("pat", "User", "Viewer")
    token = create_token(client, pat, "pat", roles=[{"name": "Viewer"}])["token"]
    client.patch("/api/v1/users/pat", json=user_patch("pat", roles=[{"name": "User"}]), auth=admin)
    # the token's only role is gone from its user: it acts with nothing, never with all of the user's roles
    assert_problem(client.get("/api/v1/dags", headers=bearer(token)), 403)


def test_narrowing_to_a_role_the_user_lacks_is_a_conflict(client, viewer):
    response = client.post(
        "/api/v1/users/viewer/tokens", json={"name": "x", "roles": [{"name": "Admin"}]}, auth=viewer
    )
    assert_problem(response, 409, "'Admin'")
    unknown = client.post(
        "/api/v1/users/viewer/tokens", json={"name": "x", "roles": [{"name": "Wizard"}]}, auth=viewer
    )
    assert_problem(unknown, 400, "No role named 'Wizard'")
    assert client.get("/api/v1/users/viewer/tokens", auth=viewer).json()["total_entries"] == 0


def test_a_narrowed_token_cannot_mint_a_broader_one(client, make_user, example_dags):
    pat = make_user("pat", "User", "Viewer")
    narrowed = bearer(create_token(client, pat, "pat", roles=[{"name": "Viewer"}])["token"])
    child = client.post("/api/v1/users/pat/tokens", json={"name": "child"}, headers=narrowed)
    assert child.status_code == 201
    assert child.json()["roles"] == [{"name": "Viewer"}]
    escalate = client.post(
        "/api/v1/users/pat/tokens", json={"name": "x", "roles": [{"name": "User"}]}, headers=narrowed
    )
    assert_problem(escalate, 409, "'User'")


def test_deleting_the_only_role_of_a_narrowed_token_revokes_it(client, admin, make_user, example_dags):
    client.post("/api/v1/roles", json=role_body("readers", ("can_read", "DAGs")), auth=admin)
    pat = make_user("pat", "Viewer")
    body = user_patch("pat", roles=[{"name": "Viewer"}, {"name": "readers"}])
    client.patch("/api/v1/users/pat", json=body, auth=admin)
    token = create_token(client, pat, "pat", roles=[{"name": "readers"}])
    client.delete("/api/v1/roles/readers", auth=admin)
    assert_problem(client.get("/api/v1/dags", headers=bearer(token["token"])), 401)
    assert stored_access_token(token["id"]).revoked_at is not None
