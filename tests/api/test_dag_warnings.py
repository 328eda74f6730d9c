"""Warnings about loaded DAGs: get_dag_warnings."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tests import factories
from tests import factories_observability as more
from tests.problems import assert_problem

POOL = "non-existent pool"


@pytest.fixture
def warnings(example_dags: list[str]) -> None:
    more.dag_warning("etl_daily", POOL, "Dag 'etl_daily' uses pool 'fast'", datetime(2026, 2, 2, tzinfo=UTC))
    more.dag_warning(
        "sales_report", POOL, "Dag 'sales_report' uses pool 'bi'", datetime(2026, 2, 1, tzinfo=UTC)
    )
    more.dag_warning("sales_report", "other", "Something else", datetime(2026, 2, 3, tzinfo=UTC))


def pairs(response: Any) -> list[tuple[str, str]]:
    return [(item["dag_id"], item["warning_type"]) for item in response.json()["dag_warnings"]]


def test_warnings_are_answered_under_the_key_airflow_sends_only(client, admin, warnings):
    response = client.get("/api/v1/dagWarnings", auth=admin)
    assert response.status_code == 200
    body = response.json()
    assert sorted(body) == ["dag_warnings", "total_entries"]
    assert body["total_entries"] == 3
    assert body["dag_warnings"][0] == {
        "dag_id": "sales_report",
        "warning_type": POOL,
        "message": "Dag 'sales_report' uses pool 'bi'",
        "timestamp": "2026-02-01T00:00:00+00:00",
    }


def test_a_dag_using_a_missing_pool_is_warned_about(client, admin, dag_folder):
    dag_folder(
        {"p.yaml": "dag_id: pooled\ntasks:\n  - task_id: a\n    operator: EmptyOperator\n    pool: nope\n"}
    )
    body = client.get("/api/v1/dagWarnings?dag_id=pooled", auth=admin).json()
    assert pairs_of(body) == [("pooled", POOL)]
    assert "nope" in body["dag_warnings"][0]["message"]


def pairs_of(body: dict[str, Any]) -> list[tuple[str, str]]:
    return [(item["dag_id"], item["warning_type"]) for item in body["dag_warnings"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", [("sales_report", POOL), ("etl_daily", POOL), ("sales_report", "other")]),
        ("dag_id=sales_report", [("sales_report", POOL), ("sales_report", "other")]),
        ("warning_type=other", [("sales_report", "other")]),
        ("dag_id=etl_daily&warning_type=other", []),
        ("order_by=-timestamp", [("sales_report", "other"), ("etl_daily", POOL), ("sales_report", POOL)]),
        ("order_by=dag_id", [("etl_daily", POOL), ("sales_report", POOL), ("sales_report", "other")]),
        ("order_by=-warning_type", [("sales_report", "other"), ("etl_daily", POOL), ("sales_report", POOL)]),
        ("order_by=message", [("etl_daily", POOL), ("sales_report", POOL), ("sales_report", "other")]),
        ("order_by=-dag_id&limit=1&offset=1", [("sales_report", "other")]),
    ],
)
def test_list_warnings_filters_orders_and_pages(client, admin, warnings, query, expected):
    response = client.get(f"/api/v1/dagWarnings?{query}", auth=admin)
    assert response.status_code == 200, response.text
    assert pairs(response) == expected
    if "limit" not in query:
        assert response.json()["total_entries"] == len(expected)
    else:
        assert response.json()["total_entries"] == 3


def test_warnings_of_unreadable_dags_are_hidden(client, make_user, warnings):
    factories.role("etl-warnings", ("can_read", "DAG Warnings"), ("can_read", "DAG:etl_daily"))
    reader = make_user("reader", "etl-warnings")
    response = client.get("/api/v1/dagWarnings", auth=reader)
    assert pairs(response) == [("etl_daily", POOL)]
    assert response.json()["total_entries"] == 1
    assert client.get("/api/v1/dagWarnings?dag_id=sales_report", auth=reader).json()["total_entries"] == 0


def test_warning_errors(client, admin, public_user, warnings):
    assert_problem(client.get("/api/v1/dagWarnings"), 401)
    assert_problem(client.get("/api/v1/dagWarnings", auth=public_user), 403, "DAG Warnings")
    assert_problem(client.get("/api/v1/dagWarnings?order_by=owner", auth=admin), 400, "owner")
    assert_problem(client.get("/api/v1/dagWarnings?limit=-1", auth=admin), 400, "minimum")


@pytest.mark.parametrize("limit", [1, 2, 100])
def test_list_warnings_runs_fixed_statements(client, admin, warnings, count_statements, limit):
    client.get("/api/v1/dagWarnings", auth=admin)
    count_statements.clear()
    response = client.get(f"/api/v1/dagWarnings?limit={limit}", auth=admin)
    assert len(response.json()["dag_warnings"]) == min(limit, 3)
    assert len(count_statements) == (3 if limit < 3 else 2), count_statements
