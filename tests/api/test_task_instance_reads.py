"""Reading task instances one by one and by map index: get_task_instance, get_mapped_task_instance,
get_mapped_task_instances."""

from __future__ import annotations

from typing import Any

import pytest

from tests import runs_scenarios
from tests.problems import assert_problem

BASE = "/api/v1/dags/chain/dagRuns"


@pytest.fixture
def runs(dag_folder: Any, example_dags: Any) -> None:
    dag_folder({"chain.yaml": runs_scenarios.INSTANCES_DAG})
    runs_scenarios.instances_in_two_dags()


def test_get_instance(client, viewer, runs):
    response = client.get(f"{BASE}/r1/taskInstances/transform", auth=viewer)
    assert response.status_code == 200
    body = response.json()
    assert (body["state"], body["try_number"], body["duration"]) == ("failed", 1, 60.0)
    assert body["dag_run_id"] == "r1"
    assert body["execution_date"] == "2026-01-01T00:00:00+00:00"


def test_get_instance_errors(client, admin, public_user, runs):
    assert_problem(client.get(f"{BASE}/r1/taskInstances/nope", auth=admin), 404, "Task 'nope'")
    assert_problem(client.get(f"{BASE}/r9/taskInstances/load", auth=admin), 404, "DAG run 'r9'")
    assert_problem(client.get("/api/v1/dags/x/dagRuns/r1/taskInstances/load", auth=admin), 404, "DAG 'x'")
    mapped = "/api/v1/dags/partner_feeds_hourly/dagRuns/p1/taskInstances/download_feed"
    assert_problem(client.get(mapped, auth=admin), 404, "is mapped")
    assert_problem(client.get(f"{BASE}/r1/taskInstances/load/0", auth=admin), 404, "not mapped")
    assert_problem(client.get(f"{mapped}/7", auth=admin), 404, "map index 7")
    assert_problem(client.get(f"{BASE}/r1/taskInstances/load", auth=public_user), 403)
    assert_problem(client.get(f"{BASE}/r1/taskInstances/load"), 401)


def test_get_mapped_instance(client, admin, runs):
    url = "/api/v1/dags/partner_feeds_hourly/dagRuns/p1/taskInstances/download_feed/2"
    body = client.get(url, auth=admin).json()
    assert (body["map_index"], body["state"]) == (2, "failed")
    assert_problem(client.get(url.replace("/2", "/x"), auth=admin), 404, framework=True)  # no route


def test_list_mapped_instances(client, admin, runs):
    url = "/api/v1/dags/partner_feeds_hourly/dagRuns/p1/taskInstances/download_feed/listMapped"
    response = client.get(url, auth=admin).json()
    assert [ti["map_index"] for ti in response["task_instances"]] == [0, 1, 2]
    assert response["total_entries"] == 3
    reverse = client.get(f"{url}?order_by=-map_index&limit=2", auth=admin).json()
    assert [ti["map_index"] for ti in reverse["task_instances"]] == [2, 1]
    assert reverse["total_entries"] == 3
    by_state = client.get(f"{url}?state=success&state=none", auth=admin).json()
    assert [ti["map_index"] for ti in by_state["task_instances"]] == [0, 1]


@pytest.mark.parametrize(
    "order_by",
    [
        "map_index",
        "state",
        "start_date",
        "end_date",
        "duration",
        "try_number",
        "updated_at",
        "rendered_map_index",
    ],
)
def test_every_documented_mapped_order_is_accepted(client, admin, runs, order_by):
    url = "/api/v1/dags/partner_feeds_hourly/dagRuns/p1/taskInstances/download_feed/listMapped"
    for term in (order_by, f"-{order_by}"):
        assert client.get(f"{url}?order_by={term}", auth=admin).json()["total_entries"] == 3


def test_list_mapped_instances_errors(client, admin, public_user, runs):
    base = "/api/v1/dags/partner_feeds_hourly/dagRuns"
    assert_problem(
        client.get(f"{base}/p1/taskInstances/list_partners/listMapped", auth=admin), 404, "not mapped"
    )
    assert_problem(client.get(f"{base}/p1/taskInstances/nope/listMapped", auth=admin), 404, "nope")
    missing_dag = "/api/v1/dags/nope/dagRuns/p1/taskInstances/download_feed/listMapped"
    assert_problem(client.get(missing_dag, auth=admin), 404, "DAG 'nope'")
    assert_problem(
        client.get(f"{base}/p1/taskInstances/download_feed/listMapped?order_by=id", auth=admin), 400
    )
    assert_problem(client.get(f"{base}/p1/taskInstances/download_feed/listMapped", auth=public_user), 403)
    assert_problem(client.get(f"{base}/p1/taskInstances/download_feed/listMapped"), 401)


def test_list_mapped_instances_of_a_missing_run_is_empty(client, admin, runs):
    url = "/api/v1/dags/partner_feeds_hourly/dagRuns/p9/taskInstances/download_feed/listMapped"
    response = client.get(url, auth=admin)
    assert response.status_code == 200, response.text
    assert response.json() == {"task_instances": [], "total_entries": 0}


@pytest.mark.parametrize("limit", [1, 100])
def test_list_mapped_runs_fixed_statements(client, admin, runs, count_statements, limit):
    url = "/api/v1/dags/partner_feeds_hourly/dagRuns/p1/taskInstances/download_feed/listMapped"
    client.get(url, auth=admin)
    count_statements.clear()
    assert client.get(f"{url}?limit={limit}", auth=admin).status_code == 200
    # principal check + the task (is it mapped?) + page [+ count]
    assert len(count_statements) == (4 if limit < 3 else 3), count_statements
