"""Session tokens: post_session_token, exchanging basic credentials for a 24-hour token."""

from __future__ import annotations

from datetime import timedelta

from orchestrator_api.timeutil import parse_datetime
from tests.factories_access import bearer
from tests.problems import assert_problem


def create_token(client, auth, username, **body):
    response = client.post(f"/api/v1/users/{username}/tokens", json={"name": "ci", **body}, auth=auth)
    assert response.status_code == 201, response.text
    return response.json()


# ---------------------------------------------------------------- session tokens


def test_session_token_from_basic_credentials(client, viewer, example_dags):
    response = client.post("/api/v1/auth/token", auth=viewer)
    assert response.status_code == 200
    session = response.json()
    assert session["token"].startswith("oapi_ses_")
    assert session["kind"] == "session"
    assert session["username"] == "viewer"
    lifetime = parse_datetime(session["expires_at"]) - parse_datetime(session["created_at"])
    assert lifetime == timedelta(hours=24)
    assert client.get("/api/v1/dags", headers=bearer(session["token"])).status_code == 200
    listed = client.get("/api/v1/users/viewer/tokens", auth=viewer).json()["access_tokens"]
    assert [(t["kind"], t["id"]) for t in listed] == [("session", session["id"])]
    assert client.delete(f"/api/v1/users/viewer/tokens/{session['id']}", auth=viewer).status_code == 204
    assert_problem(client.get("/api/v1/dags", headers=bearer(session["token"])), 401)


def test_session_token_lifetime_is_configurable(client, viewer, settings_env):
    settings_env(SESSION_TOKEN_HOURS="2")
    session = client.post("/api/v1/auth/token", auth=viewer).json()
    lifetime = parse_datetime(session["expires_at"]) - parse_datetime(session["created_at"])
    assert lifetime == timedelta(hours=2)


def test_session_token_needs_a_password(client, viewer):
    token = create_token(client, viewer, "viewer")["token"]
    assert_problem(client.post("/api/v1/auth/token"), 401)
    assert_problem(client.post("/api/v1/auth/token", headers=bearer(token)), 401)
    assert_problem(client.post("/api/v1/auth/token", auth=("viewer", "wrong")), 401)
    assert_problem(client.post("/api/v1/auth/token?lifetime=5", auth=viewer), 400, "lifetime")
