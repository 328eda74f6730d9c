"""Datasets: get_datasets, get_dataset."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

from tests import factories_observability as more
from tests.problems import assert_problem

FACT = "s3://warehouse/sales/fact_sales"
MERGED = "s3://lake/partners/merged"
SUMMARY = "s3://warehouse/reports/sales_summary"
CSV = "s3://bucket/path/file.csv"


@pytest.fixture
def datasets(example_dags: list[str]) -> None:
    more.dataset(CSV, extra={"format": "csv"})


def uris(response: Any) -> list[str]:
    return [item["uri"] for item in response.json()["datasets"]]


def test_list_datasets_with_consumers_and_producers(client, admin, datasets):
    response = client.get("/api/v1/datasets?order_by=uri", auth=admin)
    assert response.status_code == 200
    body = response.json()
    assert body["total_entries"] == 4
    assert uris(response) == sorted([FACT, MERGED, SUMMARY, CSV])
    fact = next(item for item in body["datasets"] if item["uri"] == FACT)
    assert [ref["dag_id"] for ref in fact["consuming_dags"]] == ["sales_report"]
    assert [(ref["dag_id"], ref["task_id"]) for ref in fact["producing_tasks"]] == [
        ("etl_daily", "load_fact_sales")
    ]
    assert fact["extra"] == {}
    assert fact["created_at"].endswith("+00:00")
    assert set(fact["consuming_dags"][0]) == {"dag_id", "created_at", "updated_at"}
    csv = next(item for item in body["datasets"] if item["uri"] == CSV)
    assert csv["extra"] == {"format": "csv"}
    assert csv["consuming_dags"] == csv["producing_tasks"] == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("uri_pattern=WAREHOUSE", [FACT, SUMMARY]),
        ("uri_pattern=file.csv", [CSV]),
        ("uri_pattern=%25", []),
        ("dag_ids=sales_report", [FACT, SUMMARY]),
        ("dag_ids=partner_feeds_hourly", [MERGED]),
        ("dag_ids=etl_daily, partner_feeds_hourly", [FACT, MERGED]),
        ("dag_ids=rebuild_search_index", []),
        ("dag_ids=sales_report&uri_pattern=summary", [SUMMARY]),
    ],
)
def test_list_datasets_filters(client, admin, datasets, query, expected):
    response = client.get(f"/api/v1/datasets?order_by=uri&{query}", auth=admin)
    assert response.status_code == 200
    assert uris(response) == sorted(expected)
    assert response.json()["total_entries"] == len(expected)


@pytest.mark.parametrize("field", ["id", "uri", "created_at", "updated_at"])
def test_list_datasets_orders(client, admin, datasets, field):
    forward = client.get(f"/api/v1/datasets?order_by={field}", auth=admin).json()["datasets"]
    backward = client.get(f"/api/v1/datasets?order_by=-{field}", auth=admin).json()["datasets"]
    assert [item[field] for item in forward] == sorted(item[field] for item in forward)
    assert [item[field] for item in backward] == sorted((item[field] for item in forward), reverse=True)
    assert len(forward) == 4


def test_list_datasets_pages_with_total_of_whole_set(client, admin, datasets):
    first = client.get("/api/v1/datasets?limit=3", auth=admin).json()
    rest = client.get("/api/v1/datasets?limit=3&offset=3", auth=admin).json()
    assert first["total_entries"] == rest["total_entries"] == 4
    ids = [item["id"] for item in first["datasets"] + rest["datasets"]]
    assert ids == sorted(ids)
    assert len(set(ids)) == 4


@pytest.mark.parametrize("uri", [CSV, FACT])
def test_get_dataset_by_uri_with_slashes_raw_or_encoded(client, admin, datasets, uri):
    raw = client.get(f"/api/v1/datasets/{uri}", auth=admin)
    encoded = client.get(f"/api/v1/datasets/{quote(uri, safe='')}", auth=admin)
    assert raw.status_code == encoded.status_code == 200
    assert raw.json() == encoded.json()
    assert raw.json()["uri"] == uri


def test_get_dataset_errors(client, admin, public_user, datasets):
    assert_problem(
        client.get("/api/v1/datasets/s3://bucket/nope.csv", auth=admin), 404, "s3://bucket/nope.csv"
    )
    assert_problem(client.get(f"/api/v1/datasets/{CSV}"), 401)
    assert_problem(client.get(f"/api/v1/datasets/{CSV}", auth=public_user), 403, "Datasets")
    assert_problem(client.get("/api/v1/datasets"), 401)
    assert_problem(client.get("/api/v1/datasets", auth=public_user), 403, "Datasets")
    assert_problem(client.get("/api/v1/datasets?order_by=extra", auth=admin), 400, "extra")
    assert_problem(client.get("/api/v1/datasets?offset=-1", auth=admin), 400, "minimum")


def test_other_methods_on_a_dataset_list_what_is_allowed(client, admin, datasets):
    response = client.delete(f"/api/v1/datasets/{CSV}", auth=admin)
    assert_problem(response, 405, framework=True)
    assert response.headers["allow"] == "HEAD, GET"
    queued = client.post(f"/api/v1/datasets/queuedEvent/{CSV}", auth=admin)
    assert_problem(queued, 405, framework=True)
    assert queued.headers["allow"] == "HEAD, GET, DELETE"


@pytest.mark.parametrize("limit", [1, 2, 100])
def test_list_datasets_runs_fixed_statements(client, admin, datasets, count_statements, limit):
    client.get("/api/v1/datasets", auth=admin)
    count_statements.clear()
    response = client.get(f"/api/v1/datasets?limit={limit}", auth=admin)
    assert len(response.json()["datasets"]) == min(limit, 4)
    # principal check + page + consuming DAGs + producing tasks [+ count when the page is full]
    assert len(count_statements) == (5 if limit < 4 else 4), count_statements


def test_uris_with_leading_or_doubled_slashes_are_looked_up_not_redirected(client, admin, datasets):
    more.dataset("file:///srv/data//raw.csv")
    found = client.get("/api/v1/datasets/file:///srv/data//raw.csv", auth=admin)
    assert found.status_code == 200
    assert found.json()["uri"] == "file:///srv/data//raw.csv"
    assert_problem(client.get("/api/v1/datasets/%2Fd2", auth=admin), 404, framework=True)
