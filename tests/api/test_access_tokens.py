"""Personal access tokens and session tokens: get_user_tokens, post_user_token, delete_user_token,
post_session_token, and authenticating with them (Bearer and Private-Token)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from orchestrator_api.timeutil import parse_datetime, utcnow
from tests.factories_access import (
    audit_rows,
    bearer,
    private_token,
    set_access_token_expiry,
    stored_access_token,
    user_patch,
)
from tests.problems import assert_problem

TOKEN_FIELDS = {
    "id",
    "name",
    "kind",
    "username",
    "prefix",
    "roles",
    "created_at",
    "expires_at",
    "last_used_at",
}


def create_token(client, auth, username, **body):
    response = client.post(f"/api/v1/users/{username}/tokens", json={"name": "ci", **body}, auth=auth)
    assert response.status_code == 201, response.text
    return response.json()


# ---------------------------------------------------------------- creating and using


def test_create_token_shows_the_secret_once(client, viewer):
    created = create_token(client, viewer, "viewer")
    assert set(created) == TOKEN_FIELDS | {"token"}
    assert created["token"].startswith("oapi_pat_")
    assert created["token"].startswith(created["prefix"])
    assert len(created["token"]) > 40
    assert created["kind"] == "personal"
    assert created["username"] == "viewer"
    assert created["roles"] == []
    assert created["last_used_at"] is None
    stored = stored_access_token(created["id"])
    assert created["token"] not in stored.token_hash
    assert len(stored.token_hash) == 64
    listed = client.get("/api/v1/users/viewer/tokens", auth=viewer)
    assert listed.status_code == 200
    assert created["token"] not in listed.text
    assert listed.json()["access_tokens"] == [{k: v for k, v in created.items() if k != "token"}]


@pytest.mark.parametrize("header", [bearer, private_token], ids=["bearer", "private-token"])
def test_token_authenticates_as_its_user(client, viewer, example_dags, header):
    token = create_token(client, viewer, "viewer")["token"]
    response = client.get("/api/v1/dags", headers=header(token))
    assert response.status_code == 200
    assert response.json()["total_entries"] == len(example_dags)
    assert_problem(
        client.patch("/api/v1/dags/etl_daily", json={"is_paused": False}, headers=header(token)), 403
    )


@pytest.mark.parametrize(
    "headers",
    [
        bearer("oapi_pat_not-a-real-token"),
        private_token("oapi_pat_not-a-real-token"),
        bearer("oapi_ses_x"),
        bearer("something-else-entirely"),
        private_token(""),
        {"Authorization": "Bearer"},
    ],
)
def test_unknown_tokens_are_refused(client, viewer, headers):
    assert_problem(client.get("/api/v1/dags", headers=headers), 401)


def test_token_use_is_recorded_at_most_once_a_minute(client, viewer):
    created = create_token(client, viewer, "viewer")
    client.get("/api/v1/dags", headers=bearer(created["token"]))
    first = stored_access_token(created["id"]).last_used_at
    assert first is not None
    client.get("/api/v1/dags", headers=bearer(created["token"]))
    assert stored_access_token(created["id"]).last_used_at == first
    listed = client.get("/api/v1/users/viewer/tokens", auth=viewer).json()["access_tokens"][0]
    assert listed["last_used_at"] is not None


def test_cached_token_costs_one_query(client, viewer, count_statements):
    token = create_token(client, viewer, "viewer")["token"]
    client.get("/api/v1/version", headers=bearer(token))
    client.get("/api/v1/users/viewer/tokens", headers=bearer(token))  # verifies, caches, records the use
    count_statements.clear()
    response = client.get("/api/v1/users/viewer/tokens?limit=10", headers=bearer(token))
    assert response.status_code == 200
    # token state + user check by name + page of tokens + their roles (selectin); no count: the page is short
    assert len(count_statements) == 4, count_statements


def test_expiry_defaults_and_is_capped(client, viewer, settings_env):
    settings_env(TOKEN_DEFAULT_DAYS="7", TOKEN_MAX_DAYS="10")
    default = create_token(client, viewer, "viewer")
    capped = create_token(client, viewer, "viewer", expires_in_days=400)
    chosen = create_token(client, viewer, "viewer", expires_in_days=2)
    now = utcnow()

    def days_left(token):
        return round((parse_datetime(token["expires_at"]) - now) / timedelta(days=1))

    assert (days_left(default), days_left(capped), days_left(chosen)) == (7, 10, 2)


def test_expired_token_is_refused(client, viewer):
    created = create_token(client, viewer, "viewer")
    headers = bearer(created["token"])
    assert client.get("/api/v1/dags", headers=headers).status_code == 200  # cached from here on
    set_access_token_expiry(created["id"], utcnow() - timedelta(seconds=1))
    assert_problem(client.get("/api/v1/dags", headers=headers), 401, "expired")
    assert_problem(client.get("/api/v1/dags", headers=private_token(created["token"])), 401, "expired")
    listed = client.get("/api/v1/users/viewer/tokens", auth=viewer).json()
    assert listed["total_entries"] == 1, "expired tokens stay listed until revoked"


def test_token_expiring_in_a_second_stops_working(client, viewer):
    created = create_token(client, viewer, "viewer")
    set_access_token_expiry(created["id"], utcnow() + timedelta(seconds=1))
    assert client.get("/api/v1/dags", headers=bearer(created["token"])).status_code == 200
    time.sleep(1.1)
    assert_problem(client.get("/api/v1/dags", headers=bearer(created["token"])), 401, "expired")


def test_revoked_token_is_refused_at_once(client, viewer):
    created = create_token(client, viewer, "viewer")
    headers = private_token(created["token"])
    assert client.get("/api/v1/dags", headers=headers).status_code == 200
    response = client.delete(f"/api/v1/users/viewer/tokens/{created['id']}", auth=viewer)
    assert response.status_code == 204
    assert_problem(client.get("/api/v1/dags", headers=headers), 401)
    assert_problem(client.get("/api/v1/dags", headers=bearer(created["token"])), 401)
    assert client.get("/api/v1/users/viewer/tokens", auth=viewer).json()["total_entries"] == 0
    assert_problem(client.delete(f"/api/v1/users/viewer/tokens/{created['id']}", auth=viewer), 404)


def test_a_token_may_revoke_itself(client, viewer):
    created = create_token(client, viewer, "viewer")
    headers = bearer(created["token"])
    assert client.delete(f"/api/v1/users/viewer/tokens/{created['id']}", headers=headers).status_code == 204
    assert_problem(client.get("/api/v1/dags", headers=headers), 401)


def test_deactivated_user_tokens_are_refused(client, admin, viewer):
    token = create_token(client, viewer, "viewer")["token"]
    assert client.get("/api/v1/dags", headers=bearer(token)).status_code == 200
    deactivate = user_patch("viewer", active=False)
    client.patch("/api/v1/users/viewer?update_mask=active", json=deactivate, auth=admin)
    assert_problem(client.get("/api/v1/dags", headers=bearer(token)), 401)
    reactivate = user_patch("viewer", active=True)
    client.patch("/api/v1/users/viewer?update_mask=active", json=reactivate, auth=admin)
    assert client.get("/api/v1/dags", headers=bearer(token)).status_code == 200


def test_deleted_user_tokens_are_refused(client, admin, viewer):
    token = create_token(client, viewer, "viewer")["token"]
    assert client.get("/api/v1/dags", headers=bearer(token)).status_code == 200
    client.delete("/api/v1/users/viewer", auth=admin)
    assert_problem(client.get("/api/v1/dags", headers=bearer(token)), 401)


def test_token_follows_its_users_roles(client, admin, make_user, example_dags):
    pat = make_user("pat", "Viewer")
    token = create_token(client, pat, "pat")["token"]
    assert client.get("/api/v1/dags", headers=bearer(token)).status_code == 200
    client.patch("/api/v1/users/pat", json=user_patch("pat", roles=[{"name": "Public"}]), auth=admin)
    assert_problem(client.get("/api/v1/dags", headers=bearer(token)), 403)
    client.patch("/api/v1/users/pat", json=user_patch("pat", roles=[{"name": "User"}]), auth=admin)
    response = client.patch("/api/v1/dags/etl_daily", json={"is_paused": False}, headers=bearer(token))
    assert response.status_code == 200


# ---------------------------------------------------------------- someone else's tokens


def test_admin_manages_anyones_tokens(client, admin, viewer):
    created = client.post("/api/v1/users/viewer/tokens", json={"name": "for viewer"}, auth=admin)
    assert created.status_code == 201
    assert created.json()["username"] == "viewer"
    listed = client.get("/api/v1/users/viewer/tokens", auth=admin).json()
    assert [t["name"] for t in listed["access_tokens"]] == ["for viewer"]
    token_id = created.json()["id"]
    assert client.delete(f"/api/v1/users/viewer/tokens/{token_id}", auth=admin).status_code == 204


def test_users_cannot_touch_each_others_tokens(client, admin, viewer, make_user):
    other = make_user("other", "Op")
    token_id = create_token(client, other, "other")["id"]
    assert_problem(client.get("/api/v1/users/other/tokens", auth=viewer), 403, "Users")
    assert_problem(client.post("/api/v1/users/other/tokens", json={"name": "x"}, auth=viewer), 403)
    assert_problem(client.delete(f"/api/v1/users/other/tokens/{token_id}", auth=viewer), 403)
    # an id of someone else's token is not found under one's own name
    assert_problem(client.delete(f"/api/v1/users/viewer/tokens/{token_id}", auth=viewer), 404)
    assert client.get("/api/v1/users/other/tokens", auth=admin).json()["total_entries"] == 1


# ---------------------------------------------------------------- listing and errors


def test_list_tokens_pages_and_orders(client, viewer):
    for name in ("b", "c", "a"):
        create_token(client, viewer, "viewer", name=name)
    page = client.get("/api/v1/users/viewer/tokens?limit=2&order_by=name", auth=viewer).json()
    assert [t["name"] for t in page["access_tokens"]] == ["a", "b"]
    assert page["total_entries"] == 3
    rest = client.get("/api/v1/users/viewer/tokens?limit=2&offset=2&order_by=-id", auth=viewer).json()
    assert [t["name"] for t in rest["access_tokens"]] == ["b"]


@pytest.mark.parametrize("order_by", ["id", "name", "kind", "created_at", "expires_at", "last_used_at"])
def test_every_documented_token_order_by_is_accepted(client, viewer, order_by):
    create_token(client, viewer, "viewer")
    for value in (order_by, f"-{order_by}"):
        assert client.get(f"/api/v1/users/viewer/tokens?order_by={value}", auth=viewer).status_code == 200


@pytest.mark.parametrize("limit", [1, 100])
def test_list_tokens_runs_fixed_statements(client, viewer, count_statements, limit):
    for name in ("a", "b", "c"):
        create_token(client, viewer, "viewer", name=name, roles=[{"name": "Viewer"}])
    client.get("/api/v1/users/viewer/tokens", auth=viewer)
    count_statements.clear()
    response = client.get(f"/api/v1/users/viewer/tokens?limit={limit}", auth=viewer)
    assert len(response.json()["access_tokens"]) == min(limit, 3)
    # principal check + user + page + roles (selectin) [+ count when the page is full]
    assert len(count_statements) == (5 if limit < 3 else 4), count_statements


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "x", "expires_in_days": 0}, "expires_in_days"),
        ({"name": "x", "expires_in_days": "soon"}, "expires_in_days"),
        ({"name": "x", "scopes": ["all"]}, "scopes"),
        ({"name": "x", "roles": ["Viewer"]}, "roles"),
    ],
)
def test_create_token_rejects_bad_bodies(client, viewer, body, detail):
    assert_problem(client.post("/api/v1/users/viewer/tokens", json=body, auth=viewer), 400, detail)


@pytest.mark.parametrize("query", ["order_by=token_hash", "limit=-1", "offset=-1"])
def test_list_tokens_rejects_bad_parameters(client, viewer, query):
    assert_problem(client.get(f"/api/v1/users/viewer/tokens?{query}", auth=viewer), 400)


def test_token_operations_need_credentials_and_an_existing_user(client, admin):
    assert_problem(client.get("/api/v1/users/admin/tokens"), 401)
    assert_problem(client.post("/api/v1/users/admin/tokens", json={"name": "x"}), 401)
    assert_problem(client.delete("/api/v1/users/admin/tokens/1"), 401)
    assert_problem(client.get("/api/v1/users/ghost/tokens", auth=admin), 404, "ghost")
    assert_problem(client.post("/api/v1/users/ghost/tokens", json={"name": "x"}, auth=admin), 404)
    assert_problem(client.delete("/api/v1/users/admin/tokens/999", auth=admin), 404)


def test_token_creation_is_audited_without_the_secret(client, viewer):
    created = create_token(client, viewer, "viewer")
    [row] = audit_rows("api.post_user_token")
    assert row.owner == "viewer"
    assert created["token"] not in (row.extra or "")
