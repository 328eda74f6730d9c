"""Answers that match a real Airflow 2.10.5 where its behaviour and its published spec part ways.

Every expectation here was measured on an Airflow 2.10.5 webserver (basic-auth API backend): its problem
titles per operation, the bodies it refuses, and the keys it sends.
"""

from __future__ import annotations

import getpass
from typing import Any

import pytest

from tests import factories
from tests.problems import assert_problem

RUNS = "/api/v1/dags/etl_daily/dagRuns"


@pytest.fixture
def run(client: Any, admin: Any, example_dags: Any) -> str:
    response = client.post(RUNS, json={"dag_run_id": "r1"}, auth=admin)
    assert response.status_code == 200, response.text
    return "r1"


@pytest.mark.parametrize(
    ("method", "path", "title"),
    [
        ("GET", f"{RUNS}/nope", "DAGRun not found"),
        ("GET", f"{RUNS}/nope/upstreamDatasetEvents", "DAGRun not found"),
        ("DELETE", f"{RUNS}/nope", "Not Found"),
        ("PATCH", f"{RUNS}/nope", "Dag Run id nope not found in dag etl_daily"),
        ("POST", f"{RUNS}/nope/clear", "Dag Run id nope not found in dag   etl_daily"),
        ("PATCH", "/api/v1/dags/nope?update_mask=is_paused", "Dag with id: 'nope' not found"),
        ("DELETE", "/api/v1/dags/nope", "Dag with id: 'nope' not found"),
        ("GET", "/api/v1/pools/nope", "Not Found"),
        ("GET", "/api/v1/users/nope", "User not found"),
        ("GET", "/api/v1/roles/nope", "Role not found"),
        ("GET", "/api/v1/eventLogs/999", "Event Log not found"),
        ("GET", "/api/v1/dagSources/not-a-token", "Dag source not found"),
        ("PUT", "/api/v1/parseDagFile/not-a-token", "File not found"),
        ("GET", "/api/v1/dags/etl_daily/datasets/queuedEvent", "Queue event not found"),
        ("GET", f"{RUNS}/r1/taskInstances/nope", "Task instance not found"),
        ("GET", f"{RUNS}/r1/taskInstances/nope/logs/1", "TaskInstance not found"),
        (
            "GET",
            f"{RUNS}/r1/taskInstances/nope/dependencies",
            "Task Instance not found for dag_id=etl_daily, run_id=r1, task_id=nope",
        ),
        ("POST", "/api/v1/dags/nope/clearTaskInstances", "Dag id nope not found"),
    ],
)
def test_not_found_titles_are_airflows(client, admin, run, method, path, title):
    body = {"is_paused": True} if method == "PATCH" and "dags/nope" in path else {}
    if path.endswith(f"{RUNS}/nope") and method == "PATCH":
        body = {"state": "success"}
    sent = body if method in {"POST", "PATCH", "PUT"} else None
    response = client.request(method, path, json=sent, auth=admin)
    assert_problem(response, 404)
    assert response.json()["title"] == title


def test_bad_log_token_title_is_airflows(client, admin, run):
    response = client.get(f"{RUNS}/r1/taskInstances/extract_orders/logs/1?token=forged", auth=admin)
    assert_problem(response, 400)
    assert response.json()["title"] == "Bad Signature. Please use only the tokens provided by the API."


@pytest.mark.parametrize("path", [f"{RUNS}/r1/setNote", f"{RUNS}/r1/taskInstances/extract_orders/setNote"])
def test_a_null_note_is_refused(client, admin, run, path):
    assert_problem(
        client.patch(path, json={"note": None}, auth=admin), 400, "Body field /note: is not of type 'string'"
    )


def test_set_task_instances_state_needs_its_include_flags(client, admin, run):
    body = {"dry_run": True, "task_id": "extract_orders", "dag_run_id": "r1", "new_state": "success"}
    response = client.post("/api/v1/dags/etl_daily/updateTaskInstancesState", json=body, auth=admin)
    assert_problem(response, 400, "include_")
    flags = dict.fromkeys(("include_upstream", "include_downstream", "include_future", "include_past"), False)
    ok = client.post("/api/v1/dags/etl_daily/updateTaskInstancesState", json={**body, **flags}, auth=admin)
    assert ok.status_code == 200, ok.text


def test_tries_of_a_missing_task_instance_are_an_empty_list(client, admin, run):
    response = client.get(f"{RUNS}/r1/taskInstances/nope/tries", auth=admin)
    assert response.status_code == 200
    assert response.json() == {"task_instances": [], "total_entries": 0}


def test_datasets_carry_airflows_aliases_key(client, admin, example_dags):
    datasets = client.get("/api/v1/datasets", auth=admin).json()["datasets"]
    assert datasets
    assert all(dataset["aliases"] == [] for dataset in datasets)


def test_task_instances_carry_airflows_total_priority_weight(client, admin, run):
    # Measured on Airflow 2.10.5 with the same DAG files: the default weight rule sums downstream weights.
    answer = client.get(f"{RUNS}/r1/taskInstances", auth=admin).json()["task_instances"]
    weights = {ti["task_id"]: ti["priority_weight"] for ti in answer}
    assert weights == {"extract_orders": 4, "clean_orders": 3, "load_fact_sales": 2, "notify_done": 1}
    assert {ti["unixname"] for ti in answer} == {getpass.getuser()}


def test_the_upstream_weight_rule_sums_upstream_weights(client, admin, example_dags):
    feeds = "/api/v1/dags/partner_feeds_hourly/dagRuns"
    assert client.post(feeds, json={"dag_run_id": "p1"}, auth=admin).status_code == 200
    answer = client.get(f"{feeds}/p1/taskInstances", auth=admin).json()["task_instances"]
    weights = {ti["task_id"]: ti["priority_weight"] for ti in answer}
    # download_feed weighs 5 under weight_rule "upstream": itself plus list_partners (1).
    assert weights["download_feed"] == 6
    assert weights["list_partners"] == 12
    assert weights["report_run"] == 1


def test_dependencies_are_airflows_names_and_texts(client, admin, run):
    # Measured on Airflow 2.10.5: a paused DAG, a queued run, an instance without a state yet.
    assert client.patch("/api/v1/dags/etl_daily", json={"is_paused": True}, auth=admin).status_code == 200
    response = client.get(f"{RUNS}/r1/taskInstances/load_fact_sales/dependencies", auth=admin)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "dependencies": [
            {"name": "Dag Not Paused", "reason": "Task's DAG 'etl_daily' is paused."},
            {
                "name": "Dagrun Running",
                "reason": "Task instance's dagrun was not in the 'running' state but in the state 'queued'.",
            },
            {"name": "Task Instance State", "reason": "Task is in the 'None' state."},
            {
                "name": "Trigger Rule",
                "reason": "Task's trigger rule 'all_success' requires all upstream tasks to have succeeded, "
                "but found 1 non-success(es). upstream_states=_UpstreamTIStates(success=0, skipped=0, "
                "failed=0, upstream_failed=0, removed=0, done=0, success_setup=0, skipped_setup=0), "
                "upstream_task_ids={'clean_orders'}",
            },
        ]
    }


def test_dag_details_owners_are_empty_as_airflow_sends_them(client, admin, example_dags):
    assert client.get("/api/v1/dags/etl_daily", auth=admin).json()["owners"]
    assert client.get("/api/v1/dags/etl_daily/details", auth=admin).json()["owners"] == []


def test_a_cleared_instance_is_weighed_within_the_tasks_cleared(client, admin, run):
    # Measured on Airflow 2.10.5: clearing clean_orders alone refreshes its weight from the sub-DAG of
    # the cleared tasks, where nothing is downstream of it (3 -> 1); clearing the whole run keeps 3.
    factories.set_task_instance("etl_daily", "r1", "clean_orders", state="failed", try_number=1)
    body = {"dry_run": False, "dag_run_id": "r1", "task_ids": ["clean_orders"]}
    assert client.post("/api/v1/dags/etl_daily/clearTaskInstances", json=body, auth=admin).status_code == 200
    clean = client.get(f"{RUNS}/r1/taskInstances/clean_orders", auth=admin).json()
    assert (clean["state"], clean["priority_weight"]) == (None, 1)
    factories.set_task_instance("etl_daily", "r1", "clean_orders", state="failed", try_number=2)
    assert client.post(f"{RUNS}/r1/clear", json={"dry_run": False}, auth=admin).status_code == 200
    assert client.get(f"{RUNS}/r1/taskInstances/clean_orders", auth=admin).json()["priority_weight"] == 3
