"""Listing task instances: get_task_instances, get_task_instances_batch."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tests import factories, factories_runs, runs_scenarios
from tests.problems import assert_problem
from tests.runs_scenarios import DAY1, at

BASE = "/api/v1/dags/chain/dagRuns"


@pytest.fixture
def runs(dag_folder: Any, example_dags: Any) -> None:
    dag_folder({"chain.yaml": runs_scenarios.INSTANCES_DAG})
    runs_scenarios.instances_in_two_dags()


def keys(response: Any) -> list[tuple[str, str]]:
    assert response.status_code == 200, response.text
    return [(ti["dag_run_id"], ti["task_id"]) for ti in response.json()["task_instances"]]


def keys_of(body: dict[str, Any]) -> list[tuple[str, str]]:
    return [(ti["dag_run_id"], ti["task_id"]) for ti in body["task_instances"]]


def test_list_instances_of_a_run(client, admin, runs):
    response = client.get(f"{BASE}/r1/taskInstances", auth=admin)
    assert keys(response) == [("r1", "extract"), ("r1", "transform"), ("r1", "load")]
    extract = response.json()["task_instances"][0]
    assert extract["task_display_name"] == "Extract rows"
    assert extract["execution_date"] == "2026-01-01T00:00:00+00:00"
    assert extract["duration"] == 600.0
    assert extract["pool"] == "etl_pool"
    assert extract["queue"] == "heavy"
    assert extract["executor"] == "CeleryExecutor"
    assert extract["map_index"] == -1
    assert extract["sla_miss"] is None
    assert extract["rendered_fields"] == {}
    transform = response.json()["task_instances"][1]
    assert transform["task_display_name"] == "transform"


def test_list_instances_across_runs_and_dags(client, admin, runs):
    assert len(keys(client.get(f"{BASE}/~/taskInstances", auth=admin))) == 6
    every = client.get("/api/v1/dags/~/dagRuns/~/taskInstances?limit=100", auth=admin).json()
    assert every["total_entries"] == 6 + 10  # chain twice, partner feeds with three map indexes


@pytest.mark.parametrize(
    "query",
    [
        "execution_date_gte=2026-01-02T00:00:00Z",
        "execution_date_lte=2026-01-01T00:00:00Z&pool=default_pool",
        "state=none",
        "start_date_gte=2026-01-01T00:00:00Z",
    ],
)
def test_a_full_page_counts_what_the_filters_match(client, admin, runs, query):
    # The count reads the task instances alone and joins the run only for execution_date filters: a full
    # page (limit=1) must still report the same total as the page that lists every match.
    everything = client.get(f"/api/v1/dags/~/dagRuns/~/taskInstances?{query}", auth=admin).json()
    assert everything["total_entries"] == len(everything["task_instances"]) >= 2
    first = client.get(f"/api/v1/dags/~/dagRuns/~/taskInstances?{query}&limit=1", auth=admin).json()
    assert len(first["task_instances"]) == 1
    assert first["total_entries"] == everything["total_entries"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("state=none", [("r2", "transform"), ("r2", "load")]),
        ("state=success&state=running", [("r1", "extract"), ("r2", "extract")]),
        ("state=failed", [("r1", "transform")]),
        ("duration_gte=100", [("r1", "extract")]),
        ("duration_lte=100", [("r1", "transform")]),
        ("pool=etl_pool", [("r1", "extract"), ("r2", "extract")]),
        ("pool=default_pool&state=upstream_failed", [("r1", "load")]),
        ("queue=heavy&state=running", [("r2", "extract")]),
        ("executor=CeleryExecutor&execution_date_lte=2026-01-01T00:00:00Z", [("r1", "extract")]),
        ("execution_date_gte=2026-01-02T00:00:00Z&state=running", [("r2", "extract")]),
        ("start_date_gte=2026-01-01T02:00:00Z", [("r1", "transform"), ("r2", "extract")]),
        ("start_date_lte=2026-01-01T01:30:00Z", [("r1", "extract")]),
        ("end_date_gte=2026-01-01T02:00:00Z", [("r1", "transform"), ("r1", "load")]),
        ("end_date_lte=2026-01-01T01:30:00Z", [("r1", "extract")]),
        ("order_by=-duration&duration_gte=0", [("r1", "extract"), ("r1", "transform")]),
        ("order_by=-execution_date&task_id_is_ignored=1", None),
    ],
)
def test_list_instances_filters_and_orders(client, admin, runs, query, expected):
    response = client.get(f"{BASE}/~/taskInstances?{query}", auth=admin)
    if expected is None:
        assert_problem(response, 400, "task_id_is_ignored")
        return
    assert keys(response) == expected
    assert response.json()["total_entries"] == len(expected)


def test_list_instances_filters_by_update_time(client, admin, runs):
    factories.set_task_instance("chain", "r2", "load", updated_at=datetime(2030, 1, 1, tzinfo=UTC))
    late = client.get(f"{BASE}/~/taskInstances?updated_at_gte=2029-01-01T00:00:00Z", auth=admin)
    assert keys(late) == [("r2", "load")]
    early = client.get(f"{BASE}/~/taskInstances?updated_at_lte=2029-01-01T00:00:00Z", auth=admin)
    assert len(keys(early)) == 5


def test_list_instances_pages_with_the_total(client, admin, runs):
    first = client.get(f"{BASE}/~/taskInstances?limit=4&order_by=task_id", auth=admin).json()
    second = client.get(f"{BASE}/~/taskInstances?limit=4&offset=4&order_by=task_id", auth=admin).json()
    assert first["total_entries"] == second["total_entries"] == 6
    assert [ti["task_id"] for ti in first["task_instances"] + second["task_instances"]] == [
        "extract", "extract", "load", "load", "transform", "transform",
    ]  # fmt: skip


TI_ORDERS = [
    "id", "dag_id", "dag_run_id", "task_id", "map_index", "state", "start_date", "end_date", "duration",
    "pool", "queue", "priority_weight", "try_number", "execution_date", "updated_at", "operator", "executor",
]  # fmt: skip


@pytest.mark.parametrize("order_by", TI_ORDERS)
def test_every_documented_instance_order_is_accepted(client, admin, runs, order_by):
    for term in (order_by, f"-{order_by}"):
        response = client.get(f"/api/v1/dags/~/dagRuns/~/taskInstances?order_by={term}", auth=admin)
        assert response.status_code == 200, response.text
        assert response.json()["total_entries"] == 16


def test_list_instances_bad_parameters(client, admin, runs):
    assert_problem(client.get(f"{BASE}/r1/taskInstances?order_by=note", auth=admin), 400, "note")
    assert_problem(client.get(f"{BASE}/r1/taskInstances?duration_gte=long", auth=admin), 400, "number")
    assert_problem(client.get(f"{BASE}/r1/taskInstances?limit=-1", auth=admin), 400, "minimum")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/dags/nope/dagRuns/~/taskInstances",
        "/api/v1/dags/nope/dagRuns/r1/taskInstances",
        f"{BASE}/nope/taskInstances",
        "/api/v1/dags/~/dagRuns/nope/taskInstances",
    ],
)
def test_list_instances_of_a_missing_dag_or_run_is_empty(client, admin, runs, path):
    response = client.get(path, auth=admin)
    assert response.status_code == 200, response.text
    assert response.json() == {"task_instances": [], "total_entries": 0}


def test_list_instances_shows_only_readable_dags(client, make_user, runs):
    factories_runs.grant_dag_read("chain_reader", "chain")
    reader = make_user("carol", "chain_reader")
    response = client.get("/api/v1/dags/~/dagRuns/~/taskInstances", auth=reader)
    assert response.json()["total_entries"] == 6
    assert {ti["dag_id"] for ti in response.json()["task_instances"]} == {"chain"}
    assert_problem(client.get("/api/v1/dags/partner_feeds_hourly/dagRuns/p1/taskInstances", auth=reader), 403)


def test_list_instances_needs_permission(client, public_user, runs):
    assert_problem(client.get(f"{BASE}/r1/taskInstances", auth=public_user), 403)
    assert_problem(client.get(f"{BASE}/r1/taskInstances"), 401)


@pytest.mark.parametrize("limit", [1, 5, 100])
def test_list_instances_runs_fixed_statements(client, admin, runs, count_statements, limit):
    client.get(f"{BASE}/~/taskInstances", auth=admin)
    count_statements.clear()
    response = client.get(f"/api/v1/dags/~/dagRuns/~/taskInstances?limit={limit}", auth=admin)
    assert len(response.json()["task_instances"]) == min(limit, 16)
    # principal check + page (runs and tasks joined in) [+ count when the page is full]
    assert len(count_statements) == (3 if limit < 16 else 2), count_statements


def test_batch_lists_instances_with_body_filters(client, admin, runs):
    url = "/api/v1/dags/~/dagRuns/~/taskInstances/list"
    body = {"dag_ids": ["chain"], "dag_run_ids": ["r2"], "state": ["none", "running"], "order_by": "-task_id"}
    assert keys(client.post(url, json=body, auth=admin)) == [
        ("r2", "transform"),
        ("r2", "load"),
        ("r2", "extract"),
    ]
    assert keys(client.post(url, json={"dag_ids": ["chain"], "state": [None]}, auth=admin)) == [
        ("r2", "transform"), ("r2", "load"),
    ]  # fmt: skip
    tasks = {"task_ids": ["download_feed"], "state": ["failed"]}
    feeds = client.post(url, json=tasks, auth=admin).json()["task_instances"]
    assert [(ti["dag_id"], ti["map_index"]) for ti in feeds] == [("partner_feeds_hourly", 2)]
    narrow = {
        "pool": ["etl_pool"], "queue": ["heavy"], "executor": ["CeleryExecutor"], "duration_gte": 1,
        "duration_lte": 1000, "execution_date_gte": DAY1.isoformat(), "execution_date_lte": DAY1.isoformat(),
        "start_date_gte": at(0).isoformat(), "start_date_lte": at(3).isoformat(),
        "end_date_gte": at(0).isoformat(), "end_date_lte": at(3).isoformat(),
    }  # fmt: skip
    assert keys(client.post(url, json=narrow, auth=admin)) == [("r1", "extract")]


def test_batch_pages_with_the_total(client, admin, runs):
    url = "/api/v1/dags/~/dagRuns/~/taskInstances/list"
    page = client.post(url, json={"dag_ids": ["chain"], "page_limit": 2, "page_offset": 5}, auth=admin).json()
    assert page["total_entries"] == 6
    assert len(page["task_instances"]) == 1
    body = {"dag_ids": ["chain"], "page_limit": 2, "page_offset": 1, "order_by": "-id"}
    page = client.post(url, json=body, auth=admin).json()
    assert (page["total_entries"], keys_of(page)) == (6, [("r2", "transform"), ("r2", "extract")])


def test_batch_without_page_limit_answers_every_match(client, admin, runs, settings_env):
    settings_env(FALLBACK_PAGE_LIMIT="2", MAXIMUM_PAGE_LIMIT="3")
    url = "/api/v1/dags/~/dagRuns/~/taskInstances/list"
    every = client.post(url, json={}, auth=admin).json()
    assert (every["total_entries"], len(every["task_instances"])) == (16, 16)
    ordered = client.post(url, json={"dag_ids": ["chain"], "order_by": "-id"}, auth=admin).json()
    assert keys_of(ordered) == [
        ("r2", "load"), ("r2", "transform"), ("r2", "extract"),
        ("r1", "load"), ("r1", "transform"), ("r1", "extract"),
    ]  # fmt: skip
    skipped = client.post(url, json={"dag_ids": ["chain"], "page_offset": 4}, auth=admin).json()
    assert (skipped["total_entries"], keys_of(skipped)) == (6, [("r2", "transform"), ("r2", "load")])
    beyond = client.post(url, json={"dag_ids": ["chain"], "page_offset": 9}, auth=admin).json()
    assert beyond == {"task_instances": [], "total_entries": 6}
    paged = client.post(url, json={"page_limit": 10}, auth=admin).json()
    assert (paged["total_entries"], len(paged["task_instances"])) == (16, 3)


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"order_by": "note"}, "note"),
        ({"state": ["sleepy"]}, "sleepy"),
        ({"page_limit": 0}, "minimum"),
        ({"dag_ids": [1]}, "string"),
        ({"extra": True}, "extra"),
    ],
)
def test_batch_rejects_bad_forms(client, admin, runs, body, detail):
    url = "/api/v1/dags/~/dagRuns/~/taskInstances/list"
    assert_problem(client.post(url, json=body, auth=admin), 400, detail)


def test_batch_needs_permission(client, public_user, runs):
    url = "/api/v1/dags/~/dagRuns/~/taskInstances/list"
    assert_problem(client.post(url, json={}, auth=public_user), 403)
    assert_problem(client.post(url, json={}), 401)


def test_batch_refuses_naming_dags_the_caller_cannot_read(client, make_user, runs):
    factories_runs.grant_dag_read("chain_reader", "chain")
    reader = make_user("carol", "chain_reader")
    url = "/api/v1/dags/~/dagRuns/~/taskInstances/list"
    body = {"dag_ids": ["chain", "partner_feeds_hourly", "nope"]}
    problem = assert_problem(client.post(url, json=body, auth=reader), 403, "nope, partner_feeds_hourly")
    assert "chain," not in problem["detail"]
    assert client.post(url, json={"dag_ids": ["chain"]}, auth=reader).json()["total_entries"] == 6
    unnamed = client.post(url, json={}, auth=reader).json()
    assert {ti["dag_id"] for ti in unnamed["task_instances"]} == {"chain"}


@pytest.mark.parametrize("limit", [1, 100])
def test_batch_runs_fixed_statements(client, admin, runs, count_statements, limit):
    url = "/api/v1/dags/~/dagRuns/~/taskInstances/list"
    client.post(url, json={}, auth=admin)
    count_statements.clear()
    assert client.post(url, json={"page_limit": limit}, auth=admin).status_code == 200
    assert len(count_statements) == (3 if limit < 16 else 2), count_statements


def test_batch_without_page_limit_runs_one_query(client, admin, runs, count_statements):
    url = "/api/v1/dags/~/dagRuns/~/taskInstances/list"
    client.post(url, json={}, auth=admin)
    count_statements.clear()
    assert len(client.post(url, json={}, auth=admin).json()["task_instances"]) == 16
    assert len(count_statements) == 2, count_statements  # principal check + every row
