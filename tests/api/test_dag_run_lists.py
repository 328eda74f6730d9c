"""Listing DAG runs: get_dag_runs, get_dag_runs_batch."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests import factories, factories_runs
from tests.problems import assert_problem
from tests.runs_scenarios import RUN_DAYS, run_ids


def test_list_runs_of_one_dag_and_of_all(client, admin, three_runs):
    assert run_ids(client.get("/api/v1/dags/chain/dagRuns", auth=admin)) == ["r1", "r2", "r3"]
    everything = client.get("/api/v1/dags/~/dagRuns", auth=admin).json()
    assert everything["total_entries"] == 4
    first = everything["dag_runs"][0]
    assert set(first) == {
        "dag_run_id", "dag_id", "logical_date", "execution_date", "start_date", "end_date",
        "data_interval_start", "data_interval_end", "last_scheduling_decision", "run_type", "state",
        "external_trigger", "conf", "note",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("state=running", ["r2"]),
        ("state=success&state=queued", ["r1", "r3"]),
        ("execution_date_gte=2026-01-02T03:00:00Z", ["r2", "r3"]),
        ("execution_date_lte=2026-01-02T03:00:00%2B00:00", ["r1", "r2"]),
        ("start_date_gte=2026-01-02T00:00:00Z", ["r2"]),
        ("start_date_lte=2026-01-01T12:00:00Z", ["r1"]),
        ("end_date_gte=2026-01-01T03:30:00Z", ["r1"]),
        ("end_date_lte=2026-01-01T03:30:00Z", []),
        ("order_by=-execution_date", ["r3", "r2", "r1"]),
        ("order_by=-conf", ["r3", "r2", "r1"]),
        ("order_by=state", ["r3", "r2", "r1"]),
    ],
)
def test_list_runs_filters_and_orders(client, admin, three_runs, query, expected):
    response = client.get(f"/api/v1/dags/chain/dagRuns?{query}", auth=admin)
    assert run_ids(response) == expected
    assert response.json()["total_entries"] == len(expected)


def test_list_runs_filters_by_update_time(client, admin, three_runs):
    factories.set_dag_run("chain", "r2", updated_at=datetime(2030, 1, 1, tzinfo=UTC))
    late = client.get("/api/v1/dags/chain/dagRuns?updated_at_gte=2029-01-01T00:00:00Z", auth=admin)
    assert run_ids(late) == ["r2"]
    early = client.get("/api/v1/dags/chain/dagRuns?updated_at_lte=2029-01-01T00:00:00Z", auth=admin)
    assert run_ids(early) == ["r1", "r3"]


def test_list_runs_pages_with_the_total_of_the_whole_set(client, admin, three_runs):
    first = client.get("/api/v1/dags/~/dagRuns?limit=3", auth=admin).json()
    second = client.get("/api/v1/dags/~/dagRuns?limit=3&offset=3", auth=admin).json()
    assert len(first["dag_runs"]) == 3
    assert [r["dag_run_id"] for r in second["dag_runs"]] == ["o1"]
    assert first["total_entries"] == second["total_entries"] == 4


def test_list_runs_answers_only_the_requested_fields(client, admin, three_runs):
    response = client.get("/api/v1/dags/chain/dagRuns?fields=dag_run_id&fields=state&limit=1", auth=admin)
    assert response.json()["dag_runs"] == [{"dag_run_id": "r1", "state": "success"}]


RUN_ORDERS = [
    "id",
    "dag_id",
    "dag_run_id",
    "state",
    "run_type",
    "execution_date",
    "logical_date",
    "start_date",
    "end_date",
    "data_interval_start",
    "data_interval_end",
    "updated_at",
    "external_trigger",
    "conf",
]


@pytest.mark.parametrize("order_by", RUN_ORDERS)
def test_every_documented_run_order_is_accepted(client, admin, three_runs, order_by):
    for term in (order_by, f"-{order_by}"):
        response = client.get(f"/api/v1/dags/~/dagRuns?order_by={term}", auth=admin)
        assert response.status_code == 200, response.text
        assert response.json()["total_entries"] == 4


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        ("order_by=password", "password"),
        ("limit=-1", "minimum"),
        ("offset=-1", "minimum"),
        ("state=running&fields=nope", "nope"),
        ("execution_date_gte=tomorrow", "date-time"),
    ],
)
def test_list_runs_rejects_bad_parameters(client, admin, three_runs, query, detail):
    assert_problem(client.get(f"/api/v1/dags/chain/dagRuns?{query}", auth=admin), 400, detail)


def test_list_runs_of_a_missing_dag_is_an_empty_page(client, admin, three_runs):
    # As in Airflow, the DAG's existence is not checked: an unknown id just matches no run.
    for path in ("/api/v1/dags/nope/dagRuns", "/api/v1/dags/nope/dagRuns?limit=1&offset=3"):
        assert client.get(path, auth=admin).json() == {"dag_runs": [], "total_entries": 0}


def test_list_runs_shows_only_readable_dags(client, admin, make_user, three_runs):
    factories_runs.grant_dag_read("chain_reader", "chain")
    reader = make_user("carol", "chain_reader")
    response = client.get("/api/v1/dags/~/dagRuns", auth=reader)
    assert run_ids(response) == ["r1", "r2", "r3"]
    assert response.json()["total_entries"] == 3
    assert_problem(client.get("/api/v1/dags/other/dagRuns", auth=reader), 403, "other")


def test_list_runs_needs_permission(client, public_user, three_runs):
    assert_problem(client.get("/api/v1/dags/~/dagRuns", auth=public_user), 403)
    assert_problem(client.get("/api/v1/dags/~/dagRuns"), 401)


@pytest.mark.parametrize("limit", [1, 2, 100])
def test_list_runs_runs_fixed_statements(client, admin, three_runs, count_statements, limit):
    client.get("/api/v1/dags/~/dagRuns", auth=admin)
    count_statements.clear()
    response = client.get(f"/api/v1/dags/~/dagRuns?limit={limit}", auth=admin)
    assert response.status_code == 200
    # principal check + page [+ count when the page is full]
    assert len(count_statements) == (3 if limit < 4 else 2), count_statements


def test_batch_lists_runs_with_body_filters(client, admin, three_runs):
    body = {"dag_ids": ["chain", "other"], "states": ["failed", "queued"], "order_by": "-execution_date"}
    response = client.post("/api/v1/dags/~/dagRuns/list", json=body, auth=admin)
    assert run_ids(response) == ["r3", "o1"]
    dated = {"execution_date_gte": RUN_DAYS["r2"].isoformat(), "end_date_lte": "2030-01-01T00:00:00Z"}
    assert run_ids(client.post("/api/v1/dags/~/dagRuns/list", json=dated, auth=admin)) == []
    started = {"start_date_gte": RUN_DAYS["r1"].isoformat(), "start_date_lte": RUN_DAYS["r1"].isoformat()}
    assert run_ids(client.post("/api/v1/dags/~/dagRuns/list", json=started, auth=admin)) == ["r1", "o1"]
    ended = {"end_date_gte": RUN_DAYS["r2"].isoformat()}
    assert run_ids(client.post("/api/v1/dags/~/dagRuns/list", json=ended, auth=admin)) == ["o1"]
    early = {"execution_date_lte": RUN_DAYS["r1"].isoformat()}
    assert run_ids(client.post("/api/v1/dags/~/dagRuns/list", json=early, auth=admin)) == ["r1", "o1"]


def test_batch_pages_with_the_total(client, admin, three_runs):
    body = {"page_limit": 2, "page_offset": 1, "order_by": "id"}
    response = client.post("/api/v1/dags/~/dagRuns/list", json=body, auth=admin)
    assert run_ids(response) == ["r2", "r3"]
    assert response.json()["total_entries"] == 4
    none = {"dag_ids": ["nope"]}
    assert client.post("/api/v1/dags/~/dagRuns/list", json=none, auth=admin).json()["total_entries"] == 0
    empty = {"dag_ids": [], "states": []}  # empty lists filter nothing, as in Airflow
    assert client.post("/api/v1/dags/~/dagRuns/list", json=empty, auth=admin).json()["total_entries"] == 4


def test_batch_page_limit_is_not_capped_by_the_maximum_page_size(client, admin, three_runs, settings_env):
    settings_env(MAXIMUM_PAGE_LIMIT="2", FALLBACK_PAGE_LIMIT="2")
    response = client.post("/api/v1/dags/~/dagRuns/list", json={"page_limit": 3}, auth=admin)
    assert len(run_ids(response)) == 3
    assert response.json()["total_entries"] == 4
    huge = client.post("/api/v1/dags/~/dagRuns/list", json={"page_limit": 2147483647}, auth=admin)
    assert len(run_ids(huge)) == 4
    assert len(run_ids(client.post("/api/v1/dags/~/dagRuns/list", json={}, auth=admin))) == 2
    assert len(run_ids(client.get("/api/v1/dags/~/dagRuns?limit=3", auth=admin))) == 2, "query limits are"


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"order_by": "password"}, "password"),
        ({"page_limit": -1}, "minimum"),
        ({"page_offset": -1}, "minimum"),
        ({"page_limit": 0}, "minimum"),
        ({"dag_ids": "chain"}, "array"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_batch_rejects_bad_forms(client, admin, three_runs, body, detail):
    assert_problem(client.post("/api/v1/dags/~/dagRuns/list", json=body, auth=admin), 400, detail)


def test_batch_needs_permission(client, public_user, three_runs):
    assert_problem(client.post("/api/v1/dags/~/dagRuns/list", json={}, auth=public_user), 403)
    assert_problem(client.post("/api/v1/dags/~/dagRuns/list", json={}), 401)


@pytest.mark.parametrize("limit", [1, 100])
def test_batch_runs_fixed_statements(client, admin, three_runs, count_statements, limit):
    client.post("/api/v1/dags/~/dagRuns/list", json={}, auth=admin)
    count_statements.clear()
    response = client.post("/api/v1/dags/~/dagRuns/list", json={"page_limit": limit}, auth=admin)
    assert response.status_code == 200
    assert len(count_statements) == (3 if limit < 4 else 2), count_statements


def test_values_with_nul_characters_are_refused(client, admin, three_runs):
    # PostgreSQL cannot hold NUL in text, so the spec rules it out of every string a client sends.
    assert_problem(client.get("/api/v1/dags/~/dagRuns?state=run%00ning", auth=admin), 400)
    assert_problem(client.get("/api/v1/dags/ch%00ain/dagRuns", auth=admin), 400)
    body = {"dag_ids": ["chain\u0000"], "states": ["\u0000"]}
    assert_problem(client.post("/api/v1/dags/~/dagRuns/list", json=body, auth=admin), 400)
