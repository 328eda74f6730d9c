"""Input the store cannot hold or Python cannot read is a 400 at parsing, for every operation; validation
errors name the field and the rule and never repeat what was sent (it may be a secret)."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.problems import assert_problem

SECRET = "PLANTED-SECRET-123"
LONE_SURROGATE = '"\\ud800"'  # JSON text of a string holding a lone UTF-16 surrogate

# (path, body with {s} where the surrogate string goes): strings stored by different tables and types.
STORED_STRINGS = [
    ("/api/v1/variables", '{"key": "k", "value": {s}}'),
    ("/api/v1/variables", '{"key": "k", "value": "v", "description": {s}}'),
    ("/api/v1/pools", '{"name": "p", "slots": 1, "description": {s}}'),
    ("/api/v1/connections", '{"connection_id": "c", "conn_type": "http", "password": {s}}'),
    ("/api/v1/connections", '{"connection_id": "c", "conn_type": "http", "extra": {s}}'),
    ("/api/v1/dags/pulse/dagRuns", '{"conf": {"a": {s}}}'),
    ("/api/v1/dags/pulse/dagRuns", '{"note": {s}}'),
    (
        "/api/v1/users",
        '{"username": "u", "email": "u@example.org", "first_name": {s}, '
        '"last_name": "l", "password": "pw-pw-pw-pw"}',
    ),
]


def post(url: str, text: str, auth: tuple[str, str]) -> httpx.Response:
    return httpx.post(url, content=text.encode(), headers={"Content-Type": "application/json"}, auth=auth)


@pytest.mark.parametrize(("path", "template"), STORED_STRINGS)
def test_a_lone_surrogate_in_a_stored_string_is_a_400(live_server, admin, run_dag, path, template):
    response = post(live_server + path, template.replace("{s}", LONE_SURROGATE), admin)
    assert_problem(response, 400, "surrogate")


def test_a_lone_surrogate_in_a_webhook_payload_is_a_400(live_server, admin, run_dag):
    token = httpx.post(
        f"{live_server}/api/v1/dags/{run_dag}/triggerTokens", json={"name": "hook"}, auth=admin
    ).json()["token"]
    for content_type in ("application/json", None):
        headers = {"Content-Type": content_type} if content_type else {}
        response = httpx.post(
            f"{live_server}/api/v1/triggers/{token}", content=f'{{"a": {LONE_SURROGATE}}}', headers=headers
        )
        assert_problem(response, 400, "surrogate")
    runs = httpx.get(f"{live_server}/api/v1/dags/{run_dag}/dagRuns", auth=admin).json()
    assert runs["total_entries"] == 0


def test_an_integer_of_more_than_4300_digits_is_a_400(live_server, admin):
    response = post(f"{live_server}/api/v1/pools", '{"name": "p", "slots": ' + "9" * 5000 + "}", admin)
    assert_problem(response, 400, "too long")
    assert_problem(httpx.get(f"{live_server}/api/v1/pools/p", auth=admin), 404)


@pytest.mark.parametrize(
    ("body", "field", "rule"),
    [
        ({"key": [SECRET], "value": "v"}, "/key", "is not of type 'string'"),
        ({"key": "k", "value": {"nested": SECRET}}, "/value", "is not of type 'string'"),
        ({"key": f"{SECRET}/..", "value": "v"}, "/key", "does not match"),
        ({"key": "k", "value": "v", "description": 7}, "/description", "is not of type"),
    ],
)
def test_body_errors_name_the_field_and_rule_not_the_value(live_server, admin, body, field, rule):
    response = post(f"{live_server}/api/v1/variables", json.dumps(body), admin)
    problem = assert_problem(response, 400, rule)
    assert field in problem["detail"]
    assert SECRET not in response.text


@pytest.mark.parametrize(
    ("path", "name"),
    [
        (f"/api/v1/variables?limit={SECRET}", "limit"),
        (f"/api/v1/variables?offset=-1{SECRET}", "offset"),
        (f"/api/v1/dags/~/dagRuns?execution_date_gte={SECRET}", "execution_date_gte"),
        (f"/api/v1/dags/~/dagRuns?limit=1&limit={SECRET}", "limit"),
        (f"/api/v1/dags/{SECRET}!", "dag_id"),
        (f"/api/v1/dags/{SECRET}!/dagRuns/{SECRET}", "dag_id"),
    ],
)
def test_parameter_errors_name_the_parameter_and_rule_not_the_value(live_server, admin, run_dag, path, name):
    response = httpx.get(live_server + path, auth=admin)
    problem = assert_problem(response, 400, name)
    assert SECRET not in problem["detail"]  # (`instance` is the path that was asked for)
    assert " is not " in problem["detail"] or " does not " in problem["detail"]


def test_an_unsupported_content_type_is_not_echoed(live_server, admin):
    # The spec declares no header parameters; the one header checked against it is the body's media type.
    response = httpx.post(
        f"{live_server}/api/v1/variables",
        content=b"{}",
        headers={"Content-Type": f"text/{SECRET}"},
        auth=admin,
    )
    assert_problem(response, 415, "application/json", framework=True)
    assert SECRET not in response.text
