"""Dataset events: get_dataset_events, create_dataset_event, get_upstream_dataset_events."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from tests import factories
from tests import factories_observability as more
from tests.problems import assert_problem

FACT = "s3://warehouse/sales/fact_sales"
MERGED = "s3://lake/partners/merged"
DAY = datetime(2026, 1, 5, tzinfo=UTC)


@pytest.fixture
def events(client: Any, admin: Any, example_dags: list[str]) -> int:
    """Three events: two from tasks (the first created a run of sales_report), one from the API."""
    factories.dag_run("etl_daily", "etl_run", DAY, state="success")
    factories.dag_run("partner_feeds_hourly", "feed_run", DAY, state="success")
    factories.dag_run("sales_report", "report_run", DAY, state="running", run_type="dataset_triggered")
    etl = factories.dataset_event(FACT, source=("etl_daily", "load_fact_sales", "etl_run"), extra={"rows": 7})
    factories.dataset_event(MERGED, source=("partner_feeds_hourly", "merge_feeds", "feed_run"))
    outside = {"dataset_uri": FACT, "extra": {"by": "hand"}}
    assert client.post("/api/v1/datasets/events", json=outside, auth=admin).status_code == 200
    more.link_event_to_run(etl, "sales_report", "report_run")
    return etl


def sources(response: Any) -> list[str | None]:
    return [item["source_dag_id"] for item in response.json()["dataset_events"]]


def test_list_events_with_the_runs_they_created(client, admin, events):
    response = client.get("/api/v1/datasets/events", auth=admin)
    assert response.status_code == 200
    body = response.json()
    assert body["total_entries"] == 3
    assert sources(response) == ["etl_daily", "partner_feeds_hourly", None]
    etl = body["dataset_events"][0]
    assert etl["id"] == events
    assert len({event["id"] for event in body["dataset_events"]}) == 3
    assert etl["dataset_uri"] == FACT
    assert etl["extra"] == {"rows": 7}
    assert (etl["source_task_id"], etl["source_run_id"], etl["source_map_index"]) == (
        "load_fact_sales",
        "etl_run",
        -1,
    )
    assert etl["created_dagruns"] == [
        {
            "run_id": "report_run",
            "dag_run_id": "report_run",
            "dag_id": "sales_report",
            "logical_date": "2026-01-05T00:00:00+00:00",
            "start_date": None,
            "end_date": None,
            "state": "running",
            "data_interval_start": "2026-01-05T00:00:00+00:00",
            "data_interval_end": "2026-01-05T00:00:00+00:00",
        }
    ]
    assert body["dataset_events"][1]["created_dagruns"] == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("source_dag_id=etl_daily", ["etl_daily"]),
        ("source_task_id=merge_feeds", ["partner_feeds_hourly"]),
        ("source_run_id=feed_run", ["partner_feeds_hourly"]),
        ("source_map_index=-1", ["etl_daily", "partner_feeds_hourly", None]),
        ("source_map_index=0", []),
        ("order_by=-timestamp", [None, "partner_feeds_hourly", "etl_daily"]),
        ("order_by=source_dag_id&source_map_index=-1", ["etl_daily", "partner_feeds_hourly", None]),
        ("order_by=-source_task_id&source_map_index=-1", [None, "partner_feeds_hourly", "etl_daily"]),
    ],
)
def test_list_events_filters_and_orders(client, admin, events, query, expected):
    response = client.get(f"/api/v1/datasets/events?{query}", auth=admin)
    assert response.status_code == 200, response.text
    assert sources(response) == expected
    assert response.json()["total_entries"] == len(expected)


def test_list_events_of_one_dataset(client, admin, events):
    dataset_id = client.get(f"/api/v1/datasets/{FACT}", auth=admin).json()["id"]
    response = client.get(f"/api/v1/datasets/events?dataset_id={dataset_id}", auth=admin)
    assert sources(response) == ["etl_daily", None]
    assert client.get("/api/v1/datasets/events?dataset_id=999", auth=admin).json()["total_entries"] == 0


@pytest.mark.parametrize(
    "field",
    ["timestamp", "dataset_id", "source_dag_id", "source_task_id", "source_run_id", "source_map_index"],
)
def test_every_documented_order_by_is_accepted(client, admin, events, field):
    for term in (field, f"-{field}"):
        response = client.get(f"/api/v1/datasets/events?order_by={term}", auth=admin)
        assert response.status_code == 200
        assert response.json()["total_entries"] == 3


def test_list_events_pages(client, admin, events):
    first = client.get("/api/v1/datasets/events?limit=2", auth=admin).json()
    last = client.get("/api/v1/datasets/events?limit=2&offset=2", auth=admin).json()
    assert [e["source_dag_id"] for e in first["dataset_events"] + last["dataset_events"]] == [
        "etl_daily",
        "partner_feeds_hourly",
        None,
    ]
    assert first["total_entries"] == last["total_entries"] == 3


def test_list_events_errors(client, admin, public_user, events):
    assert_problem(client.get("/api/v1/datasets/events"), 401)
    assert_problem(client.get("/api/v1/datasets/events", auth=public_user), 403, "Datasets")
    assert_problem(client.get("/api/v1/datasets/events?order_by=extra", auth=admin), 400, "extra")
    assert_problem(client.get("/api/v1/datasets/events?dataset_id=x", auth=admin), 400, "integer")


@pytest.mark.parametrize("limit", [1, 2, 100])
def test_list_events_runs_fixed_statements(client, admin, events, count_statements, limit):
    client.get("/api/v1/datasets/events", auth=admin)
    count_statements.clear()
    response = client.get(f"/api/v1/datasets/events?limit={limit}", auth=admin)
    assert len(response.json()["dataset_events"]) == min(limit, 3)
    # principal check + page (with the URI) + created runs [+ count when the page is full]
    assert len(count_statements) == (4 if limit < 3 else 3), count_statements


def test_create_event_records_and_queues_it(client, admin, example_dags):
    response = client.post(
        "/api/v1/datasets/events", json={"dataset_uri": FACT, "extra": {"rows": 12}}, auth=admin
    )
    assert response.status_code == 200, response.text
    event = response.json()
    assert event["dataset_uri"] == FACT
    assert event["extra"] == {"rows": 12, "from_rest_api": True}
    assert event["source_dag_id"] is event["source_task_id"] is event["source_run_id"] is None
    assert event["source_map_index"] == -1
    assert isinstance(event["id"], int)
    assert event["created_dagruns"] == []
    listed = client.get("/api/v1/datasets/events", auth=admin).json()["dataset_events"]
    assert listed == [event]
    queued = client.get("/api/v1/dags/sales_report/datasets/queuedEvent", auth=admin).json()
    assert queued["total_entries"] == 1
    assert queued["queued_events"][0]["uri"] == FACT
    assert queued["queued_events"][0]["created_at"] == event["timestamp"]


def test_a_second_event_keeps_the_earlier_queue_time(client, admin, example_dags):
    first = client.post("/api/v1/datasets/events", json={"dataset_uri": FACT}, auth=admin).json()
    second = client.post("/api/v1/datasets/events", json={"dataset_uri": FACT, "extra": None}, auth=admin)
    assert second.status_code == 200
    assert second.json()["extra"] == {"from_rest_api": True}
    queued = client.get(f"/api/v1/datasets/queuedEvent/{FACT}", auth=admin).json()
    assert [(q["dag_id"], q["created_at"]) for q in queued["queued_events"]] == [
        ("sales_report", first["timestamp"])
    ]
    assert client.get("/api/v1/datasets/events", auth=admin).json()["total_entries"] == 2


def consumer(dag_id: str) -> str:
    """A DAG file scheduling ``dag_id`` on FACT."""
    return f"""
dag_id: {dag_id}
schedule:
  datasets: ["{FACT}"]
start_date: 2026-01-01
tasks:
  - task_id: only
    operator: EmptyOperator
"""


def test_an_event_is_queued_only_for_active_unpaused_consumers(client, admin, example_dags, dag_folder):
    dag_folder({f"{name}.yaml": consumer(name) for name in ("paused_one", "gone_one")})
    pause = client.patch(
        "/api/v1/dags/paused_one?update_mask=is_paused", json={"is_paused": True}, auth=admin
    )
    assert pause.status_code == 200
    more.deactivate_dag("gone_one")
    response = client.post("/api/v1/datasets/events", json={"dataset_uri": FACT}, auth=admin)
    assert response.status_code == 200
    queued = client.get(f"/api/v1/datasets/queuedEvent/{FACT}", auth=admin).json()
    assert [item["dag_id"] for item in queued["queued_events"]] == ["sales_report"]
    for dag_id in ("paused_one", "gone_one"):
        assert_problem(client.get(f"/api/v1/dags/{dag_id}/datasets/queuedEvent", auth=admin), 404, dag_id)
        assert_problem(client.get(f"/api/v1/dags/{dag_id}/datasets/queuedEvent/{FACT}", auth=admin), 404)


def test_an_event_of_a_dataset_nobody_consumes_queues_nothing(client, admin, example_dags):
    response = client.post("/api/v1/datasets/events", json={"dataset_uri": MERGED}, auth=admin)
    assert response.status_code == 200
    assert_problem(client.get(f"/api/v1/datasets/queuedEvent/{MERGED}", auth=admin), 404)


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({}, "dataset_uri"),
        ({"dataset_uri": FACT, "extra": "text"}, "object"),
        ({"dataset_uri": FACT, "colour": "red"}, "colour"),
        ({"dataset_uri": 5}, "string"),
    ],
)
def test_create_event_rejects_bad_bodies_and_writes_nothing(client, admin, example_dags, body, detail):
    assert_problem(client.post("/api/v1/datasets/events", json=body, auth=admin), 400, detail)
    assert client.get("/api/v1/datasets/events", auth=admin).json()["total_entries"] == 0


def test_create_event_errors(client, admin, viewer, example_dags):
    unknown = client.post("/api/v1/datasets/events", json={"dataset_uri": "s3://nowhere/x"}, auth=admin)
    assert_problem(unknown, 404, "s3://nowhere/x")
    assert_problem(client.post("/api/v1/datasets/events", json={"dataset_uri": FACT}), 401)
    assert_problem(client.post("/api/v1/datasets/events", json={"dataset_uri": FACT}, auth=viewer), 403)
    not_json = client.post(
        "/api/v1/datasets/events",
        content=b"dataset_uri=x",
        headers={"Content-Type": "text/plain"},
        auth=admin,
    )
    assert_problem(not_json, 415, framework=True)
    assert client.get("/api/v1/datasets/events", auth=admin).json()["total_entries"] == 0
    # Requests the spec's validation refuses are not recorded; those the handler refuses are (as Airflow).
    logged = client.get("/api/v1/eventLogs?event=api.create_dataset_event", auth=admin).json()
    assert [json.loads(e["extra"]) for e in logged["event_logs"]] == [{"dataset_uri": "s3://nowhere/x"}]


def test_upstream_events_of_a_dataset_triggered_run(client, admin, events):
    response = client.get("/api/v1/dags/sales_report/dagRuns/report_run/upstreamDatasetEvents", auth=admin)
    assert response.status_code == 200
    body = response.json()
    assert body["total_entries"] == 1
    assert body["dataset_events"][0]["source_run_id"] == "etl_run"
    created = body["dataset_events"][0]["created_dagruns"][0]
    assert created["run_id"] == created["dag_run_id"] == "report_run"
    assert body["dataset_events"][0]["id"] == events
    other = client.get("/api/v1/dags/etl_daily/dagRuns/etl_run/upstreamDatasetEvents", auth=admin)
    assert other.json() == {"dataset_events": [], "total_entries": 0}


def test_upstream_events_errors(client, admin, public_user, events):
    path = "/api/v1/dags/sales_report/dagRuns/report_run/upstreamDatasetEvents"
    assert_problem(
        client.get("/api/v1/dags/sales_report/dagRuns/nope/upstreamDatasetEvents", auth=admin), 404, "nope"
    )
    assert_problem(client.get("/api/v1/dags/nope/dagRuns/report_run/upstreamDatasetEvents", auth=admin), 404)
    assert_problem(client.get(path), 401)
    assert_problem(client.get(path, auth=public_user), 403)
