"""Queued dataset events: get/delete per DAG, per DAG and dataset, and per dataset."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

from tests import factories
from tests.problems import assert_problem

FACT = "s3://warehouse/sales/fact_sales"
MERGED = "s3://lake/partners/merged"
SUMMARY = "s3://warehouse/reports/sales_summary"
COMBINED = f"""
dag_id: combined
schedule:
  datasets: ["{FACT}", "{MERGED}"]
start_date: 2026-01-01
tasks:
  - task_id: only
    operator: EmptyOperator
"""


@pytest.fixture
def queued(client: Any, admin: Any, example_dags: list[str], dag_folder: Any) -> dict[str, str]:
    """FACT is queued for sales_report and combined, MERGED for combined; returns the event times."""
    dag_folder({"combined.yaml": COMBINED})
    times = {}
    for uri in (FACT, MERGED):
        response = client.post("/api/v1/datasets/events", json={"dataset_uri": uri}, auth=admin)
        assert response.status_code == 200
        times[uri] = response.json()["timestamp"]
    return times


def entries(response: Any) -> list[tuple[str, str]]:
    return [(item["dag_id"], item["uri"]) for item in response.json()["queued_events"]]


def per_dag(dag_id: str, uri: str | None = None, query: str = "") -> str:
    path = f"/api/v1/dags/{dag_id}/datasets/queuedEvent"
    if uri is not None:
        path += f"/{uri}"
    return f"{path}?{query}" if query else path


def per_dataset(uri: str, query: str = "") -> str:
    path = f"/api/v1/datasets/queuedEvent/{uri}"
    return f"{path}?{query}" if query else path


def before(timestamp: str) -> str:
    return "before=" + quote(timestamp)


def test_list_what_a_dag_waits_for(client, admin, queued):
    response = client.get(per_dag("combined"), auth=admin)
    assert response.status_code == 200
    body = response.json()
    assert body["total_entries"] == 2
    assert body["queued_events"] == [
        {"uri": FACT, "dag_id": "combined", "created_at": queued[FACT]},
        {"uri": MERGED, "dag_id": "combined", "created_at": queued[MERGED]},
    ]
    assert set(body) == {"queued_events", "total_entries"}  # the keys Airflow sends, no more
    older = client.get(per_dag("combined", query=before(queued[MERGED])), auth=admin)
    assert entries(older) == [("combined", FACT)]
    assert_problem(client.get(per_dag("combined", query=before(queued[FACT])), auth=admin), 404, "combined")
    assert_problem(client.get(per_dag("rebuild_search_index"), auth=admin), 404, "rebuild_search_index")
    assert_problem(client.get(per_dag("no_such_dag"), auth=admin), 404, "no_such_dag")


def test_read_what_a_dag_waits_for_from_one_dataset(client, admin, queued):
    response = client.get(per_dag("combined", MERGED), auth=admin)
    assert response.status_code == 200
    assert response.json() == {"uri": MERGED, "dag_id": "combined", "created_at": queued[MERGED]}
    encoded = client.get(per_dag("combined", quote(MERGED, safe="")), auth=admin)
    assert encoded.json() == response.json()
    assert_problem(client.get(per_dag("sales_report", MERGED), auth=admin), 404, MERGED)
    assert_problem(client.get(per_dag("combined", MERGED, before(queued[MERGED])), auth=admin), 404)
    assert_problem(client.get(per_dag("combined", "s3://no/such"), auth=admin), 404, "s3://no/such")


def test_list_the_dags_waiting_on_a_dataset(client, admin, queued):
    response = client.get(per_dataset(FACT), auth=admin)
    assert response.status_code == 200
    assert sorted(entries(response)) == [("combined", FACT), ("sales_report", FACT)]
    assert response.json()["total_entries"] == 2
    assert entries(client.get(per_dataset(MERGED), auth=admin)) == [("combined", MERGED)]
    assert_problem(client.get(per_dataset(SUMMARY), auth=admin), 404, SUMMARY)
    assert_problem(client.get(per_dataset(FACT, before(queued[FACT])), auth=admin), 404)


def test_drop_one_queued_event(client, admin, queued):
    response = client.delete(per_dag("combined", FACT), auth=admin)
    assert response.status_code == 204
    assert response.content == b""
    assert entries(client.get(per_dag("combined"), auth=admin)) == [("combined", MERGED)]
    assert entries(client.get(per_dataset(FACT), auth=admin)) == [("sales_report", FACT)]
    assert_problem(client.delete(per_dag("combined", FACT), auth=admin), 404, FACT)
    logged = client.get("/api/v1/eventLogs?event=api.delete_dag_dataset_queued_event", auth=admin).json()
    assert logged["total_entries"] == 2, "the refused second delete is recorded too, as in Airflow"
    assert logged["event_logs"][0]["dag_id"] == "combined"
    assert FACT in logged["event_logs"][0]["extra"]


def test_drop_everything_a_dag_waits_for(client, admin, queued):
    kept = client.delete(per_dag("combined", query=before(queued[MERGED])), auth=admin)
    assert kept.status_code == 204
    assert entries(client.get(per_dag("combined"), auth=admin)) == [("combined", MERGED)]
    assert client.delete(per_dag("combined"), auth=admin).status_code == 204
    assert_problem(client.get(per_dag("combined"), auth=admin), 404)
    assert entries(client.get(per_dag("sales_report"), auth=admin)) == [("sales_report", FACT)]
    assert_problem(client.delete(per_dag("combined"), auth=admin), 404, "combined")


def test_drop_a_dataset_for_every_dag(client, admin, queued):
    assert_problem(client.delete(per_dataset(FACT, before(queued[FACT])), auth=admin), 404)
    assert client.delete(per_dataset(FACT), auth=admin).status_code == 204
    assert_problem(client.get(per_dataset(FACT), auth=admin), 404)
    assert entries(client.get(per_dataset(MERGED), auth=admin)) == [("combined", MERGED)]
    assert_problem(client.delete(per_dataset(FACT), auth=admin), 404, FACT)


def test_rows_of_unreadable_dags_are_neither_shown_nor_dropped(client, admin, make_user, queued):
    factories.role(
        "report-datasets",
        ("can_read", "Datasets"),
        ("can_delete", "Datasets"),
        ("can_read", "DAG:sales_report"),
    )
    reporter = make_user("reporter", "report-datasets")
    assert entries(client.get(per_dataset(FACT), auth=reporter)) == [("sales_report", FACT)]
    assert_problem(client.get(per_dataset(MERGED), auth=reporter), 404)
    assert_problem(client.get(per_dag("combined"), auth=reporter), 403, "combined")
    assert client.delete(per_dataset(FACT), auth=reporter).status_code == 204
    assert entries(client.get(per_dataset(FACT), auth=admin)) == [("combined", FACT)]


def test_queue_permissions(client, viewer, public_user, queued):
    assert client.get(per_dag("combined"), auth=viewer).status_code == 200
    for path in (per_dag("combined"), per_dag("combined", FACT), per_dataset(FACT)):
        assert_problem(client.get(path), 401)
        assert_problem(client.delete(path), 401)
        assert_problem(client.get(path, auth=public_user), 403)
        assert_problem(client.delete(path, auth=viewer), 403, "can_delete on Datasets")


def test_queue_rejects_bad_parameters(client, admin, queued):
    assert_problem(client.get(per_dag("combined", query="before=soon"), auth=admin), 400, "date-time")
    assert_problem(client.delete(per_dataset(FACT, "before=soon"), auth=admin), 400, "date-time")
    assert len(client.get(per_dataset(FACT), auth=admin).json()["queued_events"]) == 2


@pytest.mark.parametrize(
    "path",
    [per_dag("combined"), per_dataset(FACT), per_dag("combined", FACT)],
    ids=["dag", "dataset", "pair"],
)
def test_queue_reads_run_fixed_statements(client, admin, queued, count_statements, path):
    client.get(path, auth=admin)
    count_statements.clear()
    assert client.get(path, auth=admin).status_code == 200
    assert len(count_statements) == 2, count_statements  # principal check + the rows (no separate count)
