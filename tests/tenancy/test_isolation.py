"""Two organizations and the default one hold the same names; each sees and changes only its own rows."""

from __future__ import annotations

from typing import Any

import pytest

from tests.problems import assert_problem
from tests.tenancy.conftest import RUN_ID, in_org

API = "/api/v1"
RUN = f"{API}/dags/pipeline/dagRuns/{RUN_ID}"


def get(client: Any, auth: Any, org_id: str, path: str) -> dict[str, Any]:
    headers = {} if org_id == "default" else in_org(org_id)
    response = client.get(f"{API}{path}", headers=headers, auth=auth)
    assert response.status_code == 200, (path, response.text)
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize("org_id", ["acme", "globex", "default"])
def test_every_read_sees_only_the_organizations_rows(client, two_orgs, org_id):
    auth = two_orgs[org_id]
    variables = get(client, auth, org_id, "/variables")
    assert [(v["key"], v["value"]) for v in variables["variables"]] == [("shared", org_id)]
    assert get(client, auth, org_id, "/variables/shared")["value"] == org_id
    pools = get(client, auth, org_id, "/pools")
    assert sorted(p["name"] for p in pools["pools"]) == ["default_pool", "etl"]
    assert get(client, auth, org_id, "/pools/etl")["slots"] == len(org_id)
    connections = get(client, auth, org_id, "/connections")
    assert [(c["connection_id"], c["host"]) for c in connections["connections"]] == [
        ("warehouse", f"{org_id}.db")
    ]
    assert get(client, auth, org_id, "/connections/warehouse")["login"] == f"{org_id}-login"
    dags = get(client, auth, org_id, "/dags")
    assert [(d["dag_id"], d["description"]) for d in dags["dags"]] == [("pipeline", org_id)]
    assert get(client, auth, org_id, "/dags/pipeline/details")["description"] == org_id
    assert len(get(client, auth, org_id, "/dags/pipeline/tasks")["tasks"]) == 3
    runs = get(client, auth, org_id, "/dags/~/dagRuns")
    assert [(r["dag_run_id"], r["conf"]) for r in runs["dag_runs"]] == [(RUN_ID, {"marker": org_id})]
    assert get(client, auth, org_id, f"/dags/pipeline/dagRuns/{RUN_ID}")["conf"] == {"marker": org_id}
    instances = get(client, auth, org_id, f"/dags/pipeline/dagRuns/{RUN_ID}/taskInstances")
    assert instances["total_entries"] == 3
    everywhere = get(client, auth, org_id, "/dags/~/dagRuns/~/taskInstances")
    assert everywhere["total_entries"] == 3
    xcoms = get(client, auth, org_id, f"/dags/pipeline/dagRuns/{RUN_ID}/taskInstances/extract/xcomEntries")
    assert [x["key"] for x in xcoms["xcom_entries"]] == ["result"]
    entry = get(
        client, auth, org_id, f"/dags/pipeline/dagRuns/{RUN_ID}/taskInstances/extract/xcomEntries/result"
    )
    assert org_id in entry["value"]
    stats = get(client, auth, org_id, "/dagStats?dag_ids=pipeline")
    assert sum(s["count"] for d in stats["dags"] for s in d["stats"]) == 1
    owner = auth[0]
    events = get(client, auth, org_id, "/eventLogs?limit=100")
    assert events["total_entries"] > 0
    assert {e["owner"] for e in events["event_logs"]} == {owner}


def test_a_member_of_one_organization_cannot_reach_another(client, two_orgs):
    alice = two_orgs["acme"]
    for method, path, body in (
        ("get", "/variables", None),
        ("get", "/dags/pipeline", None),
        ("patch", "/variables/shared", {"key": "shared", "value": "stolen"}),
        ("delete", "/connections/warehouse", None),
        ("post", "/dags/pipeline/dagRuns", {"dag_run_id": "injected"}),
    ):
        call = getattr(client, method)
        kwargs: dict[str, Any] = {"headers": in_org("globex"), "auth": alice}
        if body is not None:
            kwargs["json"] = body
        assert_problem(call(f"{API}{path}", **kwargs), 404)
    bob = two_orgs["globex"]
    assert get(client, bob, "globex", "/variables/shared")["value"] == "globex"
    assert get(client, bob, "globex", "/connections/warehouse")["host"] == "globex.db"
    assert get(client, bob, "globex", "/dags/~/dagRuns")["total_entries"] == 1


def test_writes_in_one_organization_leave_the_same_names_elsewhere_alone(client, two_orgs):
    admin, alice, bob = two_orgs["default"], two_orgs["acme"], two_orgs["globex"]
    assert client.delete(f"{API}/variables/shared", auth=admin).status_code == 204
    assert client.delete(f"{API}/dags/pipeline", auth=admin).status_code == 204
    changed = client.patch(
        f"{API}/pools/etl", json={"name": "etl", "slots": 99}, headers=in_org("acme"), auth=alice
    )
    assert changed.status_code == 200, changed.text
    assert_problem(client.get(f"{API}/variables/shared", auth=admin), 404)
    assert get(client, alice, "acme", "/variables/shared")["value"] == "acme"
    assert get(client, bob, "globex", "/dags/pipeline")["dag_id"] == "pipeline"
    assert get(client, bob, "globex", "/pools/etl")["slots"] == len("globex")
    assert get(client, alice, "acme", "/dags/~/dagRuns")["total_entries"] == 1


def test_unique_names_are_unique_within_an_organization_only(client, two_orgs):
    alice = two_orgs["acme"]
    headers = in_org("acme")
    again = client.post(f"{API}/variables", json={"key": "shared", "value": "x"}, headers=headers, auth=alice)
    assert again.status_code == 200  # Airflow's POST /variables replaces an existing key
    assert_problem(
        client.post(f"{API}/pools", json={"name": "etl", "slots": 1}, headers=headers, auth=alice), 409
    )
    assert_problem(
        client.post(
            f"{API}/connections",
            json={"connection_id": "warehouse", "conn_type": "http"},
            headers=headers,
            auth=alice,
        ),
        409,
    )
    assert_problem(
        client.post(f"{API}/dags/pipeline/dagRuns", json={"dag_run_id": RUN_ID}, headers=headers, auth=alice),
        409,
    )
