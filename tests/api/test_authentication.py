"""The authentication layer as a whole: one answer for bad credentials, alternatives, challenges."""

from __future__ import annotations

from tests.factories_access import bearer, private_token
from tests.problems import assert_problem


def test_unknown_user_and_wrong_password_get_the_same_answer(client, viewer):
    unknown = assert_problem(client.get("/api/v1/dags", auth=("nobody-here", "x")), 401)
    wrong = assert_problem(client.get("/api/v1/dags", auth=("viewer", "x")), 401)
    assert unknown["detail"] == wrong["detail"]


def test_the_challenge_names_basic_and_bearer(client):
    response = client.get("/api/v1/dags")
    assert_problem(response, 401)
    assert "Bearer" in response.headers["www-authenticate"]


def test_any_valid_scheme_is_enough(client, viewer, example_dags):
    token = client.post("/api/v1/users/viewer/tokens", json={"name": "x"}, auth=viewer).json()["token"]
    headers = {**private_token(token), **bearer("oapi_pat_stale")}
    assert client.get("/api/v1/dags", headers=headers).status_code == 200
    assert (
        client.get("/api/v1/dags", headers=private_token(token), auth=("viewer", "wrong")).status_code == 200
    )


def test_a_cached_password_is_not_hashed_again(client, viewer, count_statements):
    client.get("/api/v1/version", auth=viewer)
    assert client.get("/api/v1/users/viewer/tokens", auth=viewer).status_code == 200
    count_statements.clear()
    client.get("/api/v1/users/viewer/tokens", auth=viewer)
    # one state query for the cached credential (no login counter update), then the handler's queries
    assert not any(statement.lstrip().upper().startswith("UPDATE") for statement in count_statements)
    assert "users.auth_version" in count_statements[0]


def test_malformed_authorization_headers_are_refused(client):
    for value in ("Basic !!!", "Bearer", "Token abc", "Basic"):
        assert_problem(client.get("/api/v1/dags", headers={"Authorization": value}), 401)
