"""XComs: get_xcom_entries, get_xcom_entry."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from tests import factories
from tests.problems import assert_problem

BASE = "/api/v1/dags/{dag}/dagRuns/{run}/taskInstances/{task}/xcomEntries"
DAY_1 = datetime(2026, 1, 2, tzinfo=UTC)
DAY_1_LATER = datetime(2026, 1, 2, 5, tzinfo=UTC)
DAY_2 = datetime(2026, 1, 3, tzinfo=UTC)


def url(dag: str = "~", run: str = "~", task: str = "~", key: str | None = None, query: str = "") -> str:
    path = BASE.format(dag=dag, run=run, task=task)
    if key is not None:
        path += f"/{key}"
    return f"{path}?{query}" if query else path


@pytest.fixture
def xcoms(example_dags: list[str]) -> None:
    factories.dag_run("etl_daily", "run_1", DAY_1, task_ids=["extract_orders", "clean_orders"])
    factories.dag_run("etl_daily", "run_2", DAY_2, task_ids=["extract_orders"])
    factories.dag_run("partner_feeds_hourly", "p_1", DAY_1_LATER, task_ids=["download_feed"])
    factories.xcom("etl_daily", "run_1", "extract_orders", "return_value", {"rows": 3})
    factories.xcom("etl_daily", "run_1", "extract_orders", "path", "s3://landing/orders.csv")
    factories.xcom("etl_daily", "run_1", "clean_orders", "return_value", 42)
    factories.xcom("etl_daily", "run_2", "extract_orders", "return_value", [1, 2])
    for index in range(3):
        factories.xcom("partner_feeds_hourly", "p_1", "download_feed", "return_value", f"feed-{index}", index)


def keys(response: Any) -> list[tuple[str, str, int, str]]:
    return [
        (entry["dag_id"], entry["task_id"], entry["map_index"], entry["key"])
        for entry in response.json()["xcom_entries"]
    ]


ALL_IN_ORDER = [
    ("etl_daily", "clean_orders", -1, "return_value"),
    ("etl_daily", "extract_orders", -1, "path"),
    ("etl_daily", "extract_orders", -1, "return_value"),
    ("partner_feeds_hourly", "download_feed", 0, "return_value"),
    ("partner_feeds_hourly", "download_feed", 1, "return_value"),
    ("partner_feeds_hourly", "download_feed", 2, "return_value"),
    ("etl_daily", "extract_orders", -1, "return_value"),
]


def test_list_entries_of_a_task_instance_without_values(client, admin, xcoms):
    response = client.get(url("etl_daily", "run_1", "extract_orders"), auth=admin)
    assert response.status_code == 200
    body = response.json()
    assert body["total_entries"] == 2
    first = body["xcom_entries"][0]
    assert set(first) == {"key", "timestamp", "execution_date", "map_index", "task_id", "dag_id"}
    assert first["key"] == "path"
    assert first["execution_date"] == "2026-01-02T00:00:00+00:00"
    assert first["timestamp"].endswith("+00:00")


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (url(), ALL_IN_ORDER),
        (url("etl_daily"), [e for e in ALL_IN_ORDER if e[0] == "etl_daily"]),
        (url(run="run_2"), [ALL_IN_ORDER[-1]]),
        (url(task="download_feed"), ALL_IN_ORDER[3:6]),
        (url("etl_daily", "~", "extract_orders"), [ALL_IN_ORDER[1], ALL_IN_ORDER[2], ALL_IN_ORDER[6]]),
        (url(query="map_index=1"), [ALL_IN_ORDER[4]]),
        (url(query="map_index=-1"), [e for e in ALL_IN_ORDER if e[2] == -1]),
        (url(query="xcom_key=path"), [ALL_IN_ORDER[1]]),
        (url(query="xcom_key=return"), []),
        (url("partner_feeds_hourly", "p_1", "download_feed", query="map_index=2"), [ALL_IN_ORDER[5]]),
    ],
)
def test_list_entries_with_wildcards_and_filters(client, admin, xcoms, path, expected):
    response = client.get(path, auth=admin)
    assert response.status_code == 200, response.text
    assert keys(response) == expected
    assert response.json()["total_entries"] == len(expected)


def test_list_entries_pages_with_total_of_whole_set(client, admin, xcoms):
    first = client.get(url(query="limit=4"), auth=admin).json()
    second = client.get(url(query="limit=4&offset=4"), auth=admin).json()
    assert first["total_entries"] == second["total_entries"] == 7
    seen = [(e["dag_id"], e["task_id"], e["map_index"], e["key"]) for e in first["xcom_entries"]]
    seen += [(e["dag_id"], e["task_id"], e["map_index"], e["key"]) for e in second["xcom_entries"]]
    assert seen == ALL_IN_ORDER
    assert client.get(url(query="offset=50"), auth=admin).json() == {"xcom_entries": [], "total_entries": 7}


def test_list_entries_hides_dags_the_caller_may_not_read(client, make_user, xcoms):
    factories.role(
        "etl-only",
        ("can_read", "DAG:etl_daily"),
        ("can_read", "DAG Runs"),
        ("can_read", "Task Instances"),
        ("can_read", "XComs"),
    )
    etl_reader = make_user("etl_reader", "etl-only")
    response = client.get(url(), auth=etl_reader)
    assert response.status_code == 200
    assert {entry["dag_id"] for entry in response.json()["xcom_entries"]} == {"etl_daily"}
    assert response.json()["total_entries"] == 4
    assert_problem(client.get(url("partner_feeds_hourly"), auth=etl_reader), 403, "partner_feeds_hourly")
    single = client.get(url("partner_feeds_hourly", "p_1", "download_feed", "return_value"), auth=etl_reader)
    assert_problem(single, 403, "partner_feeds_hourly")


@pytest.mark.parametrize(
    "path",
    [
        url("nope"),
        url("etl_daily", "run_9"),
        url("nope", "run_1", "extract_orders"),
        url("~", "run_9"),
        url("etl_daily", "run_1", "no_such_task"),
    ],
)
def test_list_entries_of_missing_dag_run_or_task_is_an_empty_page(client, admin, xcoms, path):
    response = client.get(path, auth=admin)
    assert response.status_code == 200, response.text
    assert response.json() == {"xcom_entries": [], "total_entries": 0}


@pytest.mark.parametrize(
    ("query", "detail"),
    [("limit=-1", "minimum"), ("offset=-1", "minimum"), ("map_index=-2", "minimum"), ("bogus=1", "bogus")],
)
def test_list_entries_rejects_bad_parameters(client, admin, xcoms, query, detail):
    assert_problem(client.get(url(query=query), auth=admin), 400, detail)


def test_list_entries_needs_credentials_and_permission(client, public_user, xcoms):
    assert_problem(client.get(url()), 401)
    assert_problem(client.get(url(), auth=public_user), 403)


@pytest.mark.parametrize("limit", [1, 3, 100])
def test_list_entries_runs_fixed_statements(client, admin, xcoms, count_statements, limit):
    client.get(url(), auth=admin)
    count_statements.clear()
    response = client.get(url(query=f"limit={limit}"), auth=admin)
    assert response.status_code == 200
    assert len(response.json()["xcom_entries"]) == min(limit, 7)
    # principal check + page [+ count when the page is full]
    assert len(count_statements) == (3 if limit < 7 else 2), count_statements


@pytest.mark.parametrize(
    ("key", "query", "value"),
    [
        ("return_value", "", "{'rows': 3}"),
        ("return_value", "stringify=true&deserialize=true", "{'rows': 3}"),
        ("return_value", "stringify=false", {"rows": 3}),
        ("return_value", "stringify=false&deserialize=true", {"rows": 3}),
        ("path", "", "s3://landing/orders.csv"),
        ("path", "stringify=false", "s3://landing/orders.csv"),
    ],
)
def test_get_entry_answers_text_or_json_value(client, admin, xcoms, settings_env, key, query, value):
    settings_env(ENABLE_XCOM_DESERIALIZE_SUPPORT="true")
    response = client.get(url("etl_daily", "run_1", "extract_orders", key, query), auth=admin)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["value"] == value
    assert body["key"] == key
    assert body["execution_date"] == "2026-01-02T00:00:00+00:00"
    assert body["map_index"] == -1


@pytest.mark.parametrize(
    ("stored", "text", "native"),
    [
        (json.dumps(42), "42", 42),
        (json.dumps(1.5), "1.5", 1.5),
        (json.dumps([1, "a"]), "[1, 'a']", [1, "a"]),
        (json.dumps({"ok": False, "none": None}), "{'ok': False, 'none': None}", {"ok": False, "none": None}),
        (json.dumps(True), "True", True),
        (json.dumps("text"), "text", "text"),
        (json.dumps(None), None, None),
        ("not json {", "not json {", "not json {"),
        ("NaN", "NaN", "NaN"),
        (None, None, None),
    ],
)
def test_get_entry_value_shapes(client, admin, xcoms, stored, text, native):
    factories.raw_xcom("etl_daily", "run_2", "extract_orders", "odd", stored)
    base = url("etl_daily", "run_2", "extract_orders", "odd")
    assert client.get(base, auth=admin).json()["value"] == text
    assert client.get(f"{base}?stringify=false", auth=admin).json()["value"] == native


def test_get_entry_of_a_mapped_task_instance(client, admin, xcoms):
    base = url("partner_feeds_hourly", "p_1", "download_feed", "return_value")
    response = client.get(f"{base}?map_index=2", auth=admin)
    assert response.status_code == 200
    assert response.json()["value"] == "feed-2"
    assert response.json()["map_index"] == 2
    assert_problem(client.get(base, auth=admin), 404, "map index -1")


@pytest.mark.parametrize(
    ("path", "detail"),
    [
        (url("nope", "run_1", "extract_orders", "return_value"), "DAG 'nope' not found"),
        (url("etl_daily", "run_9", "extract_orders", "return_value"), "DAG run 'run_9' not found"),
        (url("etl_daily", "run_1", "notify_done", "return_value"), "Task 'notify_done' has no instance"),
        (url("etl_daily", "run_1", "extract_orders", "missing_key"), "XCom entry 'missing_key' not found"),
        (url("etl_daily", "~", "extract_orders", "return_value"), "DAG run '~' not found"),
    ],
)
def test_get_entry_404_names_what_is_missing(client, admin, xcoms, path, detail):
    assert_problem(client.get(path, auth=admin), 404, detail)


def test_get_entry_errors(client, admin, public_user, xcoms):
    path = url("etl_daily", "run_1", "extract_orders", "return_value")
    assert_problem(client.get(path), 401)
    assert_problem(client.get(path, auth=public_user), 403)
    assert_problem(client.get(f"{path}?stringify=maybe", auth=admin), 400, "boolean")
    assert_problem(client.get(f"{path}?map_index=x", auth=admin), 400, "integer")


DESERIALIZE_OFF = "XCom deserialization is disabled in configuration."


@pytest.mark.parametrize(
    ("dag_id", "key", "without"),
    [("etl_daily", "return_value", 200), ("etl_daily", "nope", 404), ("nope", "x", 404)],
)
def test_deserialize_is_refused_unless_enabled_as_in_airflow(client, admin, xcoms, dag_id, key, without):
    # Airflow 2.10.5 with [api] enable_xcom_deserialize_support off (its default), before any lookup.
    response = client.get(url(dag_id, "run_1", "extract_orders", key, "deserialize=true"), auth=admin)
    body = assert_problem(response, 400)
    assert (body["title"], body["detail"]) == ("Bad Request", DESERIALIZE_OFF)
    response = client.get(url(dag_id, "run_1", "extract_orders", key, "deserialize=false"), auth=admin)
    assert response.status_code == without
