"""Connections, variables and pools through apache-airflow-client 2.10.0: it must parse every answer."""

from __future__ import annotations

import json

import pytest
from airflow_client.client.api.connection_api import ConnectionApi
from airflow_client.client.api.pool_api import PoolApi
from airflow_client.client.api.variable_api import VariableApi
from airflow_client.client.exceptions import ApiException, NotFoundException
from airflow_client.client.model.connection import Connection
from airflow_client.client.model.pool import Pool
from airflow_client.client.model.variable import Variable

from tests.factories_resources import stored_connection


def problem_of(error: ApiException, status: int, fragment: str) -> dict[str, str]:
    assert error.status == status
    problem: dict[str, str] = json.loads(error.body)
    assert problem["status"] == status
    assert problem["type"].endswith(f"#section/Errors/{fragment}")
    return problem


def test_connection_journey(sdk):
    api = ConnectionApi(sdk)
    created = api.post_connection(
        Connection(
            connection_id="sdk_http",
            conn_type="http",
            host="api.example.com",
            port=443,
            login="svc",
            password="sdk-pass",
            extra=json.dumps({"token": "sdk-token", "verify": True}),
        )
    )
    assert created.connection_id == "sdk_http"
    assert "password" not in created.to_dict()
    assert json.loads(created.extra) == {"token": "***", "verify": True}

    fetched = api.get_connection("sdk_http")
    assert fetched.host == "api.example.com"
    assert fetched.port == 443

    listed = api.get_connections(limit=10, order_by="-connection_id")
    assert listed.total_entries == 1
    assert [c.connection_id for c in listed.connections] == ["sdk_http"]

    patched = api.patch_connection(
        "sdk_http",
        Connection(connection_id="sdk_http", conn_type="http", host="api2.example.com", password="rotated"),
        update_mask=["host", "password"],
    )
    assert patched.host == "api2.example.com"
    assert patched.login == "svc"
    assert stored_connection("sdk_http")["password"] == "rotated"

    with pytest.raises(ApiException) as conflict:
        api.post_connection(Connection(connection_id="sdk_http", conn_type="http"))
    assert "'sdk_http' already exists" in problem_of(conflict.value, 409, "AlreadyExists")["detail"]

    api.delete_connection("sdk_http")
    with pytest.raises(NotFoundException) as missing:
        api.get_connection("sdk_http")
    assert "'sdk_http'" in problem_of(missing.value, 404, "NotFound")["detail"]


def test_test_connection_is_refused_until_enabled(sdk):
    with pytest.raises(ApiException) as refused:
        ConnectionApi(sdk).test_connection(Connection(conn_type="http", host="localhost"))
    assert "ORCHESTRATOR_API_TEST_CONNECTION" in problem_of(refused.value, 403, "PermissionDenied")["detail"]


def test_variable_journey(sdk):
    api = VariableApi(sdk)
    created = api.post_variables(Variable(key="sdk_var", value="1", description="from the SDK"))
    assert (created.key, created.value, created.description) == ("sdk_var", "1", "from the SDK")
    api.post_variables(Variable(key="sdk_secret_token", value="hidden"))

    assert api.get_variable("sdk_secret_token").value == "hidden"
    listed = api.get_variables(order_by="key")
    assert listed.total_entries == 2
    assert [v.key for v in listed.variables] == ["sdk_secret_token", "sdk_var"]
    assert listed.variables[0]["value"] == "***"
    assert listed.variables[1]["value"] == "1"

    # As against Airflow 2.10.5, the mask names the stored attribute `val`.
    patched = api.patch_variable("sdk_var", Variable(key="sdk_var", value="2"), update_mask=["val"])
    assert (patched.value, patched.description) == ("2", "from the SDK")

    # As in Airflow, posting an existing key overwrites the variable.
    again = api.post_variables(Variable(key="sdk_var", value="again"))
    assert again.value == "again"
    assert api.get_variable("sdk_var").value == "again"

    api.delete_variable("sdk_var")
    with pytest.raises(NotFoundException) as missing:
        api.get_variable("sdk_var")
    assert "'sdk_var'" in problem_of(missing.value, 404, "NotFound")["detail"]


def test_pool_journey(sdk):
    api = PoolApi(sdk)
    created = api.post_pool(Pool(name="sdk_pool", slots=4, description="SDK", include_deferred=True))
    assert (created.name, created.slots, created.open_slots, created.occupied_slots) == ("sdk_pool", 4, 4, 0)
    assert created.include_deferred is True

    assert api.get_pool("sdk_pool").deferred_slots == 0
    listed = api.get_pools(order_by="name")
    assert [p.name for p in listed.pools] == ["default_pool", "sdk_pool"]
    assert listed.total_entries == 2

    patched = api.patch_pool("sdk_pool", Pool(name="sdk_pool", slots=8), update_mask=["slots"])
    assert (patched.slots, patched.open_slots, patched.description) == (8, 8, "SDK")
    renamed = api.patch_pool("sdk_pool", Pool(name="sdk_pool_2"), update_mask=["name"])
    assert renamed.name == "sdk_pool_2"

    with pytest.raises(ApiException) as conflict:
        api.post_pool(Pool(name="sdk_pool_2", slots=1))
    problem_of(conflict.value, 409, "AlreadyExists")
    with pytest.raises(ApiException) as protected:
        api.delete_pool("default_pool")
    assert "Default Pool can't be deleted" in problem_of(protected.value, 400, "BadRequest")["detail"]

    api.delete_pool("sdk_pool_2")
    with pytest.raises(NotFoundException) as missing:
        api.get_pool("sdk_pool_2")
    problem_of(missing.value, 404, "NotFound")
