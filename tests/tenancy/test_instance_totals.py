"""Each organization's task instance total counts its own instances only, also after another one goes."""

from __future__ import annotations

from typing import Any

from tests.tenancy.conftest import ORGS, in_org

INSTANCES = "/api/v1/dags/~/dagRuns/~/taskInstances?limit=1"
BATCH = "/api/v1/dags/~/dagRuns/~/taskInstances/list"


def total_and_count(client: Any, auth: Any, org_id: str) -> tuple[int, int]:
    """The list's total (kept per DAG) and the batch list's (counted row by row) in one organization."""
    listed = client.get(INSTANCES, headers=in_org(org_id), auth=auth)
    batch = client.post(BATCH, json={"page_limit": 1}, headers=in_org(org_id), auth=auth)
    assert listed.status_code == batch.status_code == 200, (listed.text, batch.text)
    return listed.json()["total_entries"], batch.json()["total_entries"]


def test_each_organization_counts_its_own_instances(client, two_orgs):
    default = total_and_count(client, two_orgs["default"], "default")
    assert default[0] == default[1] > 0
    for org_id in ("acme", "globex"):
        assert total_and_count(client, two_orgs[org_id], org_id) == default
    body = {"dag_run_id": "second"}
    headers = in_org("acme")
    response = client.post("/api/v1/dags/pipeline/dagRuns", json=body, headers=headers, auth=two_orgs["acme"])
    assert response.status_code == 200, response.text
    assert total_and_count(client, two_orgs["acme"], "acme") == (2 * default[0], 2 * default[0])
    assert total_and_count(client, two_orgs["globex"], "globex") == default
    assert client.delete(f"{ORGS}/acme", auth=two_orgs["acme"]).status_code == 204
    assert total_and_count(client, two_orgs["default"], "default") == default
    assert total_and_count(client, two_orgs["globex"], "globex") == default
