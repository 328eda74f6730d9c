"""Variables: get_variables, post_variables, get_variable, patch_variable, delete_variable."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories_resources import event_log
from tests.problems import assert_problem

URL = "/api/v1/variables"


@pytest.fixture
def three_variables(client: Any, admin: Any) -> list[str]:
    bodies = [
        {"key": "region", "value": "eu-west-1", "description": "Where we run"},
        {"key": "partner_api_token", "value": "tok-123"},
        {"key": "batch_size", "value": "500", "description": "Rows per batch"},
    ]
    for body in bodies:
        assert client.post(URL, json=body, auth=admin).status_code == 200
    return [body["key"] for body in bodies]


def keys(response: Any) -> list[str]:
    return [v["key"] for v in response.json()["variables"]]


# ------------------------------------------------------------------------------------------------ create


def test_post_variable_answers_it(client, admin):
    body = {"key": "greeting", "value": '{"text": "hello"}', "description": "JSON as text"}
    response = client.post(URL, json=body, auth=admin)
    assert response.status_code == 200
    assert response.json() == body


def test_post_variable_without_description(client, admin):
    response = client.post(URL, json={"key": "k", "value": ""}, auth=admin)
    assert response.json() == {"key": "k", "value": ""}  # Airflow answers the fields it was sent
    assert client.get(f"{URL}/k", auth=admin).json() == {"key": "k", "value": "", "description": None}


def test_post_existing_variable_overwrites_it_as_airflow_does(client, admin):
    client.post(URL, json={"key": "dup", "value": "first", "description": "old"}, auth=admin)
    response = client.post(URL, json={"key": "dup", "value": "second"}, auth=admin)
    assert response.status_code == 200
    assert response.json() == {"key": "dup", "value": "second"}
    stored = client.get(f"{URL}/dup", auth=admin).json()
    assert stored == {"key": "dup", "value": "second", "description": None}
    assert client.get(URL, auth=admin).json()["total_entries"] == 1


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"value": "x"}, "key"),
        ({"key": "k"}, "value"),
        ({"key": "k", "value": 5}, "value"),
        ({"key": "k", "value": None}, "value"),
        ({"key": "has space", "value": "x"}, "does not match"),
        ({"key": "a/b", "value": "x"}, "does not match"),
        ({"key": "..", "value": "x"}, "does not match"),
        ({"key": "k" * 251, "value": "x"}, "too long"),
        ({"key": "k", "value": "x", "val": "y"}, "val"),
        ({"key": "k", "value": "nul\x00byte"}, "does not match"),  # PostgreSQL cannot store NUL
        ({"key": "k", "value": "x", "description": "\x00"}, "does not match"),
    ],
)
def test_post_variable_rejects_bad_bodies(client, admin, body, detail):
    assert_problem(client.post(URL, json=body, auth=admin), 400, detail)
    assert client.get(URL, auth=admin).json()["total_entries"] == 0


def test_post_variable_needs_credentials_and_create_permission(client, viewer):
    assert_problem(client.post(URL, json={"key": "k", "value": "v"}), 401)
    assert_problem(client.post(URL, json={"key": "k", "value": "v"}, auth=viewer), 403, "can_create")


# ------------------------------------------------------------------------------------------------ read


def test_get_variable_answers_the_value_even_for_a_sensitive_key(client, admin, three_variables):
    response = client.get(f"{URL}/partner_api_token", auth=admin)
    assert response.json() == {"key": "partner_api_token", "value": "tok-123", "description": None}


def test_get_missing_variable_is_404(client, admin):
    assert_problem(client.get(f"{URL}/nope", auth=admin), 404, "'nope'")


def test_a_nul_in_the_key_is_a_bad_request(client, admin):
    for method in ("get", "delete"):
        assert_problem(getattr(client, method)(f"{URL}/a%00b", auth=admin), 400, "does not match")


def test_get_variable_needs_read_permission(client, public_user, three_variables):
    assert_problem(client.get(f"{URL}/region"), 401)
    assert_problem(client.get(f"{URL}/region", auth=public_user), 403, "can_read on Variables")


# ------------------------------------------------------------------------------------------------ list


def test_list_variables_masks_values_of_sensitive_keys(client, admin, three_variables):
    gcp = {"key": "gcp_service_account_json", "value": '{"private": "pk-9"}'}
    assert client.post(URL, json=gcp, auth=admin).status_code == 200
    masked = client.get(f"{URL}?offset=3", auth=admin).json()["variables"]
    assert masked == [{"key": "gcp_service_account_json", "value": "***", "description": None}]
    client.delete(f"{URL}/gcp_service_account_json", auth=admin)
    response = client.get(URL, auth=admin)
    assert response.status_code == 200
    assert response.json() == {
        "variables": [
            {"key": "region", "value": "eu-west-1", "description": "Where we run"},
            {"key": "partner_api_token", "value": "***", "description": None},
            {"key": "batch_size", "value": "500", "description": "Rows per batch"},
        ],
        "total_entries": 3,
    }
    assert "tok-123" not in response.text


@pytest.mark.parametrize(
    ("order_by", "expected"),
    [
        ("key", ["batch_size", "partner_api_token", "region"]),
        ("-key", ["region", "partner_api_token", "batch_size"]),
        ("value", ["batch_size", "region", "partner_api_token"]),
        ("-id", ["batch_size", "partner_api_token", "region"]),
    ],
)
def test_list_variables_orders(client, admin, three_variables, order_by, expected):
    assert keys(client.get(f"{URL}?order_by={order_by}", auth=admin)) == expected


def test_every_documented_order_by_is_accepted(client, admin, three_variables):
    for name in ("id", "key", "value", "description"):
        for term in (name, f"-{name}"):
            assert client.get(f"{URL}?order_by={term}", auth=admin).json()["total_entries"] == 3


def test_list_variables_pages_with_total_of_whole_set(client, admin, three_variables):
    first = client.get(f"{URL}?limit=2&order_by=key", auth=admin).json()
    second = client.get(f"{URL}?limit=2&offset=2&order_by=key", auth=admin).json()
    assert [v["key"] for v in first["variables"]] == ["batch_size", "partner_api_token"]
    assert [v["key"] for v in second["variables"]] == ["region"]
    assert first["total_entries"] == second["total_entries"] == 3
    assert client.get(f"{URL}?offset=5", auth=admin).json() == {"variables": [], "total_entries": 3}


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        ("limit=-1", "minimum"),
        ("offset=-2", "minimum"),
        ("order_by=val", "val"),
        ("order_by=%2Bkey", "order_by"),
    ],
)
def test_list_variables_rejects_bad_parameters(client, admin, query, detail):
    assert_problem(client.get(f"{URL}?{query}", auth=admin), 400, detail)


def test_list_variables_needs_read_permission(client, viewer):
    assert_problem(client.get(URL), 401)
    assert_problem(client.get(URL, auth=viewer), 403, "Variables")


@pytest.mark.parametrize("limit", [1, 2, 100])
def test_list_variables_runs_fixed_statements(client, admin, three_variables, count_statements, limit):
    client.get(URL, auth=admin)  # the first call verifies and caches the credentials
    count_statements.clear()
    response = client.get(f"{URL}?limit={limit}", auth=admin)
    assert len(response.json()["variables"]) == min(limit, 3)
    # principal check + page [+ count when the page is full]
    assert len(count_statements) == (3 if limit < 3 else 2), count_statements


# ------------------------------------------------------------------------------------------------ patch


def test_patch_variable_with_mask_changes_only_masked_fields(client, admin, three_variables):
    # As in Airflow 2.10.5, the mask names the stored attribute `val` for the value.
    sent = {"key": "region", "value": "us-east-1", "description": "ignored"}
    response = client.patch(f"{URL}/region?update_mask=val", json=sent, auth=admin)
    assert response.status_code == 200
    assert response.json() == {"key": "region", "value": "us-east-1", "description": "Where we run"}


def test_patch_variable_masking_value_is_a_400_as_in_airflow(client, admin, three_variables):
    sent = {"key": "region", "value": "us-east-1"}
    response = client.patch(f"{URL}/region?update_mask=value", json=sent, auth=admin)
    assert_problem(response, 400, "update_mask")
    assert response.json()["title"] == "Bad Request"
    assert client.get(f"{URL}/region", auth=admin).json()["value"] != "us-east-1"


def test_patch_variable_without_mask_applies_every_field_sent(client, admin, three_variables):
    body = {"key": "batch_size", "value": "1000", "description": None}
    response = client.patch(f"{URL}/batch_size", json=body, auth=admin)
    assert response.json() == {"key": "batch_size", "value": "1000", "description": None}
    assert client.get(f"{URL}/batch_size", auth=admin).json()["value"] == "1000"


def test_patch_variable_accepts_its_own_key_and_refuses_another(client, admin, three_variables):
    same = client.patch(f"{URL}/region", json={"key": "region", "value": "ap-1"}, auth=admin)
    assert same.json()["value"] == "ap-1"
    other = client.patch(f"{URL}/region", json={"key": "zone", "value": "ap-2"}, auth=admin)
    assert_problem(other, 400, "key cannot be changed")
    assert client.get(f"{URL}/region", auth=admin).json()["value"] == "ap-1"


def test_patch_variable_refuses_a_different_key_even_with_a_mask(client, admin, three_variables):
    response = client.patch(
        f"{URL}/region?update_mask=description",
        json={"key": "zone", "value": "v", "description": "d"},
        auth=admin,
    )
    assert_problem(response, 400, "key cannot be changed")
    assert response.json()["title"] == "Invalid post body"
    assert client.get(f"{URL}/region", auth=admin).json()["description"] != "d"


@pytest.mark.parametrize("query", ["", "update_mask=description"])
def test_patch_variable_needs_key_and_value_as_airflow_does(client, admin, three_variables, query):
    response = client.patch(f"{URL}/region?{query}", json={"description": "d"}, auth=admin)
    assert_problem(response, 400, "['key', 'value']")
    assert response.json()["title"] == "Invalid Variable schema"
    assert client.get(f"{URL}/region", auth=admin).json()["description"] != "d"


def test_post_variable_without_value_is_airflows_invalid_variable_schema(client, admin):
    response = client.post(URL, json={"key": "k"}, auth=admin)
    assert_problem(response, 400, "value")
    assert response.json()["title"] == "Invalid Variable schema"


@pytest.mark.parametrize(
    ("query", "body", "detail"),
    [
        ("update_mask=key", {"key": "x"}, "'key' is not one of"),
        ("update_mask=value", {"value": "x"}, "'value' is not one of"),
        ("", {"value": None}, "value"),
        ("", {"value": 3}, "value"),
        ("", {"value": "x", "colour": "red"}, "colour"),
    ],
)
def test_patch_variable_rejects_bad_masks_and_bodies_and_writes_nothing(
    client, admin, three_variables, query, body, detail
):
    assert_problem(client.patch(f"{URL}/region?{query}", json=body, auth=admin), 400, detail)
    assert client.get(f"{URL}/region", auth=admin).json()["value"] == "eu-west-1"


def test_patch_missing_variable_is_404(client, admin):
    assert_problem(client.patch(f"{URL}/nope", json={"value": "x"}, auth=admin), 404, "'nope'")


def test_patch_variable_needs_edit_permission(client, viewer, three_variables):
    assert_problem(client.patch(f"{URL}/region", json={"value": "x"}), 401)
    assert_problem(client.patch(f"{URL}/region", json={"value": "x"}, auth=viewer), 403, "can_edit")


# ------------------------------------------------------------------------------------------------ delete


def test_delete_variable_removes_it(client, admin, three_variables):
    response = client.delete(f"{URL}/region", auth=admin)
    assert response.status_code == 204
    assert response.content == b""
    assert_problem(client.get(f"{URL}/region", auth=admin), 404)
    assert_problem(client.delete(f"{URL}/region", auth=admin), 404)
    assert keys(client.get(URL, auth=admin)) == ["partner_api_token", "batch_size"]


def test_delete_variable_needs_delete_permission(client, viewer, three_variables):
    assert_problem(client.delete(f"{URL}/region"), 401)
    assert_problem(client.delete(f"{URL}/region", auth=viewer), 403, "can_delete")


def test_variable_changes_are_audited_with_secret_values_masked(client, admin, three_variables):
    patched = client.patch(
        f"{URL}/partner_api_token", json={"key": "partner_api_token", "value": "tok-456"}, auth=admin
    )
    assert patched.status_code == 200
    client.delete(f"{URL}/region", auth=admin)
    rows = event_log()
    assert [row["event"] for row in rows] == [
        *(["api.variable.create"] * 3),
        "api.variable.edit",
        "api.variable.delete",
    ]
    assert "tok-123" not in str(rows)
    assert "tok-456" not in str(rows)
    assert '"value": "***"' in rows[3]["extra"]
    assert "eu-west-1" in rows[0]["extra"]  # values of ordinary keys stay readable in the trail
