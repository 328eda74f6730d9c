"""The unfiltered task instance list's total comes from counts the database keeps: it stays exact.

Migration 0010's triggers add and subtract per DAG whatever writes task instances, so the total must follow
triggers, run and DAG deletions, clears and per-DAG permissions; each figure is checked against the
batch list, which counts the rows themselves.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests import runs_scenarios
from tests.factories_access import role_body, user_body

INSTANCES = "/api/v1/dags/{dag_id}/dagRuns/~/taskInstances?limit=1"
BATCH = "/api/v1/dags/~/dagRuns/~/taskInstances/list"


def totals(client: Any, auth: Any, dag_ids: tuple[str, ...] = ("~", "chain", "other")) -> dict[str, int]:
    """The list's total for every DAG and for each DAG of the scenario."""
    found = {}
    for dag_id in dag_ids:
        response = client.get(INSTANCES.format(dag_id=dag_id), auth=auth)
        assert response.status_code == 200, response.text
        found[dag_id] = response.json()["total_entries"]
    return found


def counted(client: Any, auth: Any, dag_ids: tuple[str, ...] = ("~", "chain", "other")) -> dict[str, int]:
    """The same totals from the batch list, which counts the task instance rows."""
    found = {}
    for dag_id in dag_ids:
        response = client.post(
            BATCH, json={"page_limit": 1, "dag_ids": [] if dag_id == "~" else [dag_id]}, auth=auth
        )
        assert response.status_code == 200, response.text
        found[dag_id] = response.json()["total_entries"]
    return found


@pytest.fixture
def runs(client: Any, admin: Any, run_dags: list[str]) -> None:
    runs_scenarios.chain_and_other_runs(client, admin)  # chain r1, r2, r3 (3 tasks each); other o1


def test_totals_count_every_triggered_instance(client, admin, runs):
    assert totals(client, admin) == counted(client, admin) == {"~": 10, "chain": 9, "other": 1}


def test_totals_follow_a_new_run_and_a_deleted_one(client, admin, runs):
    body = {"dag_run_id": "r4", "logical_date": "2026-01-04T03:00:00+00:00"}
    assert client.post("/api/v1/dags/chain/dagRuns", json=body, auth=admin).status_code == 200
    assert totals(client, admin) == counted(client, admin) == {"~": 13, "chain": 12, "other": 1}
    assert client.delete("/api/v1/dags/chain/dagRuns/r1", auth=admin).status_code == 204
    assert client.delete("/api/v1/dags/other/dagRuns/o1", auth=admin).status_code == 204
    assert totals(client, admin) == counted(client, admin) == {"~": 9, "chain": 9, "other": 0}


def test_totals_stay_when_instances_are_cleared(client, admin, runs):
    body = {"dry_run": False, "only_failed": False, "reset_dag_runs": True}
    response = client.post("/api/v1/dags/chain/clearTaskInstances", json=body, auth=admin)
    assert response.status_code == 200, response.text
    assert response.json()["task_instances"]
    assert totals(client, admin) == counted(client, admin) == {"~": 10, "chain": 9, "other": 1}


def test_totals_drop_a_deleted_dags_instances(client, admin, runs):
    assert client.delete("/api/v1/dags/other", auth=admin).status_code == 204
    assert totals(client, admin) == counted(client, admin) == {"~": 9, "chain": 9, "other": 0}


def test_totals_count_only_the_dags_a_user_may_read(client, admin, runs):
    grants = [("can_read", "DAG:chain"), ("can_read", "DAG Runs"), ("can_read", "Task Instances")]
    role = role_body("chain_reader", *grants)
    assert client.post("/api/v1/roles", json=role, auth=admin).status_code == 200
    user = user_body("reader", "chain_reader", password="chain-reader-secret")
    assert client.post("/api/v1/users", json=user, auth=admin).status_code == 200
    reader = ("reader", "chain-reader-secret")
    readable = ("~", "chain")
    assert totals(client, reader, readable) == counted(client, reader, readable) == {"~": 9, "chain": 9}
