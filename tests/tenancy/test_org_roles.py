"""Inside an organization the caller acts with their organization role, whatever their Airflow roles."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories_authoring import definition
from tests.problems import assert_problem
from tests.tenancy.conftest import ORGS, RUN_ID, in_org

API = "/api/v1"
HEADERS = in_org("acme")


@pytest.fixture
def uma(make_user: Any, client: Any, two_orgs: dict[str, Any]) -> Any:
    """An Airflow Op in the default organization, a mere User in acme."""
    auth = make_user("uma", "Op")
    added = client.post(
        f"{ORGS}/acme/members", json={"username": "uma", "role": "User"}, auth=two_orgs["acme"]
    )
    assert added.status_code == 201, added.text
    return auth


def test_a_user_reads_connections_without_their_secrets(client, uma):
    listed = client.get(f"{API}/connections", headers=HEADERS, auth=uma)
    assert listed.status_code == 200, listed.text
    (item,) = listed.json()["connections"]
    assert item["connection_id"] == "warehouse"
    assert item["conn_type"] == "postgres"
    assert item["host"] == "acme.db"
    assert "login" not in item
    assert "password" not in item
    assert "extra" not in item
    single = client.get(f"{API}/connections/warehouse", headers=HEADERS, auth=uma).json()
    assert single["host"] == "acme.db"
    assert not {"login", "password", "extra"} & single.keys()
    # The same person, an Op in the default organization, reads that one's connection in full.
    full = client.get(f"{API}/connections/warehouse", auth=uma).json()
    assert full["login"] == "default-login"
    assert "extra" in full


def test_an_owner_reads_connections_in_full(client, two_orgs):
    full = client.get(f"{API}/connections/warehouse", headers=HEADERS, auth=two_orgs["acme"]).json()
    assert full["login"] == "acme-login"
    assert full["extra"] is not None


ALLOWED_TO_BOTH = [
    ("patch", "/dags/pipeline", {"is_paused": True}),
    ("post", "/dags/pipeline/dagRuns", {"dag_run_id": "another"}),
    ("patch", f"/dags/pipeline/dagRuns/{RUN_ID}", {"state": "failed"}),
    ("get", "/pools", None),
    ("get", "/dags/~/dagRuns/~/taskInstances", None),
]
OWNER_ONLY = [
    ("get", "/variables", None),  # as for Airflow's User role
    ("post", "/variables", {"key": "new", "value": "v"}),
    ("post", "/pools", {"name": "new", "slots": 1}),
    ("post", "/connections", {"connection_id": "new", "conn_type": "http"}),
    ("delete", "/connections/warehouse", None),
    ("post", "/dags", definition("authored_here")),
    ("get", "/eventLogs", None),
]


def call(client: Any, auth: Any, method: str, path: str, body: Any) -> Any:
    kwargs: dict[str, Any] = {"headers": HEADERS, "auth": auth}
    if body is not None:
        kwargs["json"] = body
    return getattr(client, method)(f"{API}{path}", **kwargs)


@pytest.mark.parametrize(("method", "path", "body"), ALLOWED_TO_BOTH)
def test_users_and_owners_work_on_pipelines(client, two_orgs, uma, method, path, body):
    for auth in (uma, two_orgs["acme"]):
        response = call(client, auth, method, path, body)
        assert response.status_code < 300, (auth[0], response.text)
        if method == "post":
            body = {**body, "dag_run_id": "third"}


@pytest.mark.parametrize(("method", "path", "body"), OWNER_ONLY)
def test_only_owners_manage_resources(client, two_orgs, uma, method, path, body):
    assert_problem(call(client, uma, method, path, body), 403)
    response = call(client, two_orgs["acme"], method, path, body)
    assert response.status_code < 300, response.text


def test_an_airflow_admin_keeps_admin_rights_in_any_organization(client, two_orgs):
    admin = two_orgs["default"]
    response = client.get(f"{API}/connections/warehouse", headers=HEADERS, auth=admin)
    assert response.status_code == 200
    assert response.json()["login"] == "acme-login"


def test_deployment_level_operations_are_not_granted_by_an_organization_role(client, two_orgs):
    assert_problem(client.get(f"{API}/users", headers=HEADERS, auth=two_orgs["acme"]), 403)
    assert_problem(client.get(f"{API}/roles", headers=HEADERS, auth=two_orgs["acme"]), 403)


def test_a_token_narrowed_to_some_roles_stays_within_them_in_an_organization(client, two_orgs):
    alice = two_orgs["acme"]

    def token(**body: Any) -> dict[str, str]:
        created = client.post("/api/v1/users/alice/tokens", json={"name": "ci", **body}, auth=alice)
        assert created.status_code == 201, created.text
        return {"Authorization": f"Bearer {created.json()['token']}", **HEADERS}

    full = token()
    viewer_only = token(roles=[{"name": "Viewer"}])
    body = {"key": "from-token", "value": "v"}
    assert client.post(f"{API}/variables", json=body, headers=full).status_code == 200
    assert client.get(f"{API}/dags", headers=viewer_only).json()["total_entries"] == 1
    assert_problem(client.post(f"{API}/variables", json=body, headers=viewer_only), 403)
    assert_problem(client.patch(f"{API}/dags/pipeline", json={"is_paused": True}, headers=viewer_only), 403)
