"""Connections: get_connections, post_connection, get_connection, patch_connection, delete_connection."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.factories_resources import event_log, stored_connection
from tests.problems import assert_problem

URL = "/api/v1/connections"


def connection(connection_id: str, **fields: Any) -> dict[str, Any]:
    return {"connection_id": connection_id, "conn_type": "http", **fields}


@pytest.fixture
def three_connections(client: Any, admin: Any) -> list[str]:
    bodies = [
        connection("warehouse", conn_type="postgres", host="db.internal", port=5432, description="DWH"),
        connection("api_partner", host="partner.example.com", port=443, description="Partner"),
        connection("billing", conn_type="mysql", host="billing.internal", port=3306),
    ]
    for body in bodies:
        assert client.post(URL, json=body, auth=admin).status_code == 200
    return [body["connection_id"] for body in bodies]


def ids(response: Any) -> list[str]:
    return [c["connection_id"] for c in response.json()["connections"]]


# ------------------------------------------------------------------------------------------------ create


def test_post_connection_answers_it_without_the_password(client, admin):
    body = connection(
        "partner_api",
        description="Partner API",
        host="api.example.com",
        login="svc",
        password="p@ss-Word-1",
        schema="https",
        port=443,
        extra='{"timeout": 10}',
    )
    response = client.post(URL, json=body, auth=admin)
    assert response.status_code == 200
    assert response.json() == {
        "connection_id": "partner_api",
        "conn_type": "http",
        "description": "Partner API",
        "host": "api.example.com",
        "login": "svc",
        "schema": "https",
        "port": 443,
        "extra": '{"timeout": 10}',
    }
    assert stored_connection("partner_api")["password"] == "p@ss-Word-1"


def test_post_connection_with_only_the_required_fields(client, admin):
    response = client.post(URL, json={"connection_id": "bare", "conn_type": "generic"}, auth=admin)
    assert response.status_code == 200
    body = response.json()
    assert body["connection_id"] == "bare"
    assert body["host"] is None
    assert body["port"] is None
    assert body["extra"] is None


def test_post_duplicate_connection_is_409_and_changes_nothing(client, admin):
    client.post(URL, json=connection("dup", host="first"), auth=admin)
    assert_problem(client.post(URL, json=connection("dup", host="second"), auth=admin), 409, "'dup'")
    assert client.get(f"{URL}/dup", auth=admin).json()["host"] == "first"


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"conn_type": "http"}, "connection_id"),
        ({"connection_id": "no_type"}, "conn_type"),
        (connection("has space"), "does not match"),
        (connection("slash/in/id"), "does not match"),
        (connection(".."), "does not match"),
        (connection("."), "does not match"),
        (connection(""), ""),
        (connection("x" * 251), "too long"),
        (connection("ok", conn_type=""), "conn_type"),
        (connection("ok", port=70000), "port"),
        (connection("ok", port=-1), "port"),
        (connection("ok", port="80"), "port"),
        (connection("ok", host="h" * 501), "too long"),
        (connection("ok", extra={"not": "a string"}), "extra"),
        (connection("ok", colour="red"), "colour"),
        (connection("ok", password=12345), "password"),
        (connection("ok", password="nul\x00"), "does not match"),  # PostgreSQL cannot store NUL
        (connection("ok", extra="{}\x00"), "does not match"),
        (connection("ok", login="\x00"), "does not match"),
    ],
)
def test_post_connection_rejects_bad_bodies(client, admin, body, detail):
    assert_problem(client.post(URL, json=body, auth=admin), 400, detail)
    assert client.get(URL, auth=admin).json()["total_entries"] == 0


def test_connection_ids_follow_airflows_rule(client, admin):
    for connection_id in ("a", "A.b-c_9", "x" * 250, ".hidden", "..."):
        response = client.post(URL, json=connection(connection_id), auth=admin)
        assert response.status_code == 200, (connection_id, response.text)
        assert client.get(f"{URL}/{connection_id}", auth=admin).status_code == 200


def test_post_connection_refuses_non_json(client, admin):
    response = client.post(
        URL, content=b"connection_id=x", headers={"Content-Type": "text/plain"}, auth=admin
    )
    assert_problem(response, 415, framework=True)


def test_post_connection_needs_credentials_and_create_permission(client, viewer):
    assert_problem(client.post(URL, json=connection("x")), 401)
    assert_problem(client.post(URL, json=connection("x"), auth=viewer), 403, "can_create")


# ------------------------------------------------------------------------------------------------ read


def test_get_missing_connection_is_404(client, admin):
    assert_problem(client.get(f"{URL}/nope", auth=admin), 404, "'nope'")


def test_a_nul_in_the_id_is_a_bad_request(client, admin):
    for method in ("get", "delete"):
        assert_problem(getattr(client, method)(f"{URL}/a%00b", auth=admin), 400, "does not match")


def test_get_connection_needs_read_permission(client, public_user, three_connections):
    assert_problem(client.get(f"{URL}/warehouse"), 401)
    assert_problem(client.get(f"{URL}/warehouse", auth=public_user), 403, "can_read on Connections")


# ------------------------------------------------------------------------------------------------ list


def test_list_connections_answers_collection_items_only(client, admin, three_connections):
    client.post(URL, json=connection("with_secrets", password="pw", extra='{"x": 1}'), auth=admin)
    response = client.get(URL, auth=admin)
    assert response.status_code == 200
    body = response.json()
    assert body["total_entries"] == 4
    assert ids(response) == [*three_connections, "with_secrets"]  # creation order by default
    for item in body["connections"]:
        assert set(item) == {"connection_id", "conn_type", "description", "host", "login", "schema", "port"}
    assert body["connections"][0] == {
        "connection_id": "warehouse",
        "conn_type": "postgres",
        "description": "DWH",
        "host": "db.internal",
        "login": None,
        "schema": None,
        "port": 5432,
    }


@pytest.mark.parametrize(
    ("order_by", "expected"),
    [
        ("connection_id", ["api_partner", "billing", "warehouse"]),
        ("-connection_id", ["warehouse", "billing", "api_partner"]),
        ("conn_type", ["api_partner", "billing", "warehouse"]),
        ("-port", ["warehouse", "billing", "api_partner"]),
        ("host", ["billing", "warehouse", "api_partner"]),
        ("-id", ["billing", "api_partner", "warehouse"]),
        ("id", ["warehouse", "api_partner", "billing"]),
    ],
)
def test_list_connections_orders(client, admin, three_connections, order_by, expected):
    assert ids(client.get(f"{URL}?order_by={order_by}", auth=admin)) == expected


def test_every_documented_order_by_is_accepted(client, admin, three_connections):
    for name in ("id", "connection_id", "conn_type", "description", "host", "port"):
        for term in (name, f"-{name}"):
            response = client.get(f"{URL}?order_by={term}", auth=admin)
            assert response.status_code == 200, term
            assert response.json()["total_entries"] == 3


def test_list_connections_pages_with_total_of_whole_set(client, admin, three_connections):
    first = client.get(f"{URL}?limit=2&order_by=connection_id", auth=admin).json()
    second = client.get(f"{URL}?limit=2&offset=2&order_by=connection_id", auth=admin).json()
    assert [c["connection_id"] for c in first["connections"]] == ["api_partner", "billing"]
    assert [c["connection_id"] for c in second["connections"]] == ["warehouse"]
    assert first["total_entries"] == second["total_entries"] == 3
    assert client.get(f"{URL}?offset=10", auth=admin).json() == {"connections": [], "total_entries": 3}


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        ("limit=-1", "minimum"),
        ("limit=x", "integer"),
        ("offset=-1", "minimum"),
        ("order_by=password", "password"),
        ("order_by=extra", "extra"),
        ("order_by=login", "login"),
        ("what=1", "what"),
    ],
)
def test_list_connections_rejects_bad_parameters(client, admin, query, detail):
    assert_problem(client.get(f"{URL}?{query}", auth=admin), 400, detail)


def test_list_connections_needs_read_permission(client, viewer):
    assert_problem(client.get(URL), 401)
    assert_problem(client.get(URL, auth=viewer), 403, "Connections")


@pytest.mark.parametrize("limit", [1, 2, 100])
def test_list_connections_runs_fixed_statements(client, admin, three_connections, count_statements, limit):
    client.get(URL, auth=admin)  # the first call verifies and caches the credentials
    count_statements.clear()
    response = client.get(f"{URL}?limit={limit}", auth=admin)
    assert len(response.json()["connections"]) == min(limit, 3)
    # principal check + page [+ count when the page is full]
    assert len(count_statements) == (3 if limit < 3 else 2), count_statements


# ------------------------------------------------------------------------------------------------ patch


def test_patch_connection_with_mask_changes_only_masked_fields(client, admin, three_connections):
    current = client.get(f"{URL}/warehouse", auth=admin).json()
    sent = {**current, "host": "db2.internal", "port": 6543, "description": "ignored"}
    sent.pop("extra")  # `extra` as answered is masked, a value this test does not mean to send
    response = client.patch(f"{URL}/warehouse?update_mask=host,port", json=sent, auth=admin)
    assert response.status_code == 200
    assert response.json() == {**current, "host": "db2.internal", "port": 6543}
    assert client.get(f"{URL}/warehouse", auth=admin).json()["description"] == "DWH"


def test_patch_connection_without_mask_applies_every_field_sent(client, admin, three_connections):
    response = client.patch(
        f"{URL}/billing", json={"login": "reporter", "password": "n3w", "port": None}, auth=admin
    )
    assert response.status_code == 200
    body = response.json()
    assert body["login"] == "reporter"
    assert body["port"] is None
    assert body["host"] == "billing.internal"
    assert "password" not in body
    assert stored_connection("billing")["password"] == "n3w"


def test_patch_connection_mask_may_name_the_password(client, admin, three_connections):
    response = client.patch(
        f"{URL}/billing?update_mask=password", json={"password": "only-this", "host": "x"}, auth=admin
    )
    assert response.status_code == 200
    assert stored_connection("billing") == {
        "password": "only-this",
        "extra": None,
        "host": "billing.internal",
        "conn_type": "mysql",
    }


def test_patch_connection_accepts_its_own_id_and_refuses_another(client, admin, three_connections):
    same = client.patch(f"{URL}/billing", json={"connection_id": "billing", "host": "h2"}, auth=admin)
    assert same.status_code == 200
    assert same.json()["host"] == "h2"
    other = client.patch(f"{URL}/billing", json={"connection_id": "renamed", "host": "h3"}, auth=admin)
    assert_problem(other, 400, "connection_id cannot be changed")
    assert client.get(f"{URL}/billing", auth=admin).json()["host"] == "h2"
    assert_problem(client.get(f"{URL}/renamed", auth=admin), 404)


@pytest.mark.parametrize(
    ("query", "body", "detail"),
    [
        ("update_mask=connection_id", {"connection_id": "x"}, "'connection_id' is not one of"),
        ("update_mask=nonsense", {"host": "x"}, "'nonsense' is not one of"),
        ("update_mask=host,nonsense", {"host": "x"}, "'nonsense' is not one of"),
        ("", {"host": "x", "colour": "red"}, "colour"),
        ("", {"port": "eighty"}, "port"),
        ("", {"conn_type": None}, "conn_type"),
        ("", {"connection_id": "bad id"}, "connection_id"),
    ],
)
def test_patch_connection_rejects_bad_masks_and_bodies_and_writes_nothing(
    client, admin, three_connections, query, body, detail
):
    response = client.patch(f"{URL}/warehouse?{query}", json=body, auth=admin)
    assert_problem(response, 400, detail)
    assert client.get(f"{URL}/warehouse", auth=admin).json()["host"] == "db.internal"


def test_patch_missing_connection_is_404(client, admin):
    assert_problem(client.patch(f"{URL}/nope", json={"host": "x"}, auth=admin), 404, "'nope'")


def test_patch_connection_needs_edit_permission(client, viewer, three_connections):
    assert_problem(client.patch(f"{URL}/warehouse", json={"host": "x"}), 401)
    assert_problem(client.patch(f"{URL}/warehouse", json={"host": "x"}, auth=viewer), 403, "can_edit")


# ------------------------------------------------------------------------------------------------ delete


def test_delete_connection_removes_it(client, admin, three_connections):
    response = client.delete(f"{URL}/billing", auth=admin)
    assert response.status_code == 204
    assert response.content == b""
    assert_problem(client.get(f"{URL}/billing", auth=admin), 404)
    assert_problem(client.delete(f"{URL}/billing", auth=admin), 404)
    assert ids(client.get(URL, auth=admin)) == ["warehouse", "api_partner"]


def test_delete_connection_needs_delete_permission(client, viewer, three_connections):
    assert_problem(client.delete(f"{URL}/billing"), 401)
    assert_problem(client.delete(f"{URL}/billing", auth=viewer), 403, "can_delete")
    assert client.get(f"{URL}/billing", auth=("admin", "correct-horse-battery")).status_code == 200


def test_connection_changes_are_audited(client, admin, three_connections):
    client.patch(f"{URL}/warehouse?update_mask=host", json={"host": "h"}, auth=admin)
    client.delete(f"{URL}/billing", auth=admin)
    client.get(f"{URL}/warehouse", auth=admin)
    events = [row["event"] for row in event_log()]
    assert events == [*(["api.connection.create"] * 3), "api.connection.edit", "api.connection.delete"]
    patch = event_log("api.connection.edit")[0]
    assert patch["owner"] == "admin"
    # As Airflow, a connection event records the JSON body it was sent.
    assert json.loads(patch["extra"]) == {"host": "h"}
