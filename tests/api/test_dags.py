"""DAGs: get_dags, patch_dags, get_dag, patch_dag, delete_dag, get_dag_details."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests import factories, factories_runs
from tests.api.dag_fixtures import DAG, ids
from tests.problems import assert_problem


def test_list_dags_answers_airflow_fields(client, admin, three_dags):
    response = client.get("/api/v1/dags", auth=admin)
    assert response.status_code == 200
    body = response.json()
    assert body["total_entries"] == 3
    alpha = body["dags"][0]
    assert alpha["dag_id"] == "alpha_etl"
    assert alpha["is_paused"] is True
    assert alpha["owners"] == ["ann"]
    assert alpha["tags"] == [{"name": "daily"}, {"name": "etl"}]
    assert alpha["schedule_interval"] == {"__type": "CronExpression", "value": "0 3 * * *"}
    assert alpha["timetable_description"] == "At 03:00"
    assert alpha["file_token"]
    assert alpha["fileloc"].endswith("a.yaml")
    assert alpha["next_dagrun"].endswith("+00:00")


def test_list_dags_limit_zero_means_the_fallback_page_size(client, admin, example_dags, settings_env):
    settings_env(FALLBACK_PAGE_LIMIT="3")
    body = client.get("/api/v1/dags?limit=0", auth=admin).json()
    assert (len(body["dags"]), body["total_entries"]) == (3, len(example_dags))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tags=etl", ["alpha_etl", "gamma_etl"]),
        ("tags=report&tags=daily", ["alpha_etl", "beta_report"]),
        ("paused=true", ["alpha_etl"]),
        ("paused=false", ["beta_report", "gamma_etl"]),
        ("dag_id_pattern=ETL", ["alpha_etl", "gamma_etl"]),
        ("dag_id_pattern=a_r", ["beta_report"]),
        ("dag_id_pattern=%25", []),
        ("order_by=-dag_id", ["gamma_etl", "beta_report", "alpha_etl"]),
        ("order_by=owners", ["alpha_etl", "beta_report", "gamma_etl"]),
    ],
)
def test_list_dags_filters_and_orders(client, admin, three_dags, query, expected):
    response = client.get(f"/api/v1/dags?{query}", auth=admin)
    assert response.status_code == 200
    assert ids(response) == expected
    assert response.json()["total_entries"] == len(expected)


def test_list_dags_pages_with_total_of_whole_set(client, admin, three_dags):
    first = client.get("/api/v1/dags?limit=2", auth=admin).json()
    second = client.get("/api/v1/dags?limit=2&offset=2", auth=admin).json()
    assert [d["dag_id"] for d in first["dags"]] == ["alpha_etl", "beta_report"]
    assert [d["dag_id"] for d in second["dags"]] == ["gamma_etl"]
    assert first["total_entries"] == second["total_entries"] == 3
    beyond = client.get("/api/v1/dags?offset=10", auth=admin).json()
    assert beyond == {"dags": [], "total_entries": 3}


def test_limit_above_maximum_is_capped(client, admin, three_dags, settings_env):
    settings_env(MAXIMUM_PAGE_LIMIT="2", FALLBACK_PAGE_LIMIT="2")
    response = client.get("/api/v1/dags?limit=50", auth=admin)
    assert len(response.json()["dags"]) == 2
    assert response.json()["total_entries"] == 3


def test_list_dags_hides_inactive_unless_asked(client, admin, dag_folder, tmp_path):
    dag_folder(
        {
            "a.yaml": DAG.format(dag_id="keep", paused="false", tags="[]", owner="x"),
            "b.yaml": DAG.format(dag_id="gone", paused="false", tags="[]", owner="x"),
        }
    )
    (tmp_path / "dags" / "b.yaml").unlink()
    dag_folder({})
    assert ids(client.get("/api/v1/dags", auth=admin)) == ["keep"]
    assert ids(client.get("/api/v1/dags?only_active=false", auth=admin)) == ["gone", "keep"]
    gone = client.get("/api/v1/dags/gone", auth=admin).json()
    assert gone["is_active"] is False


def test_fields_limits_the_answer(client, admin, three_dags):
    response = client.get("/api/v1/dags?fields=dag_id&fields=is_paused&limit=1", auth=admin)
    assert response.json()["dags"] == [{"dag_id": "alpha_etl", "is_paused": True}]
    single = client.get("/api/v1/dags/beta_report?fields=owners", auth=admin)
    assert single.json() == {"owners": ["bob"]}


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        ("limit=-1", "minimum"),
        ("limit=-5", "minimum"),
        ("limit=abc", "integer"),
        ("offset=-1", "minimum"),
        ("order_by=password", "password"),
        ("order_by=-", "-"),
        ("order_by=dag_id,owners", "dag_id,owners"),
        ("fields=nope", "nope"),
        ("paused=maybe", "boolean"),
        ("unknown=1", "unknown"),
    ],
)
def test_list_dags_rejects_bad_parameters(client, admin, three_dags, query, detail):
    assert_problem(client.get(f"/api/v1/dags?{query}", auth=admin), 400, detail)


def test_list_dags_needs_credentials(client, three_dags):
    assert_problem(client.get("/api/v1/dags"), 401)


def test_list_dags_rejects_a_wrong_password(client, admin, three_dags):
    assert_problem(client.get("/api/v1/dags", auth=("admin", "not-the-password")), 401)
    assert_problem(client.get("/api/v1/dags", auth=("nobody-at-all", "x")), 401)


def test_list_dags_refuses_a_role_without_dag_access(client, public_user, three_dags):
    assert_problem(client.get("/api/v1/dags", auth=public_user), 403, "DAGs")


@pytest.mark.parametrize("limit", [1, 2, 100])
def test_list_dags_runs_fixed_statements(client, admin, three_dags, count_statements, limit):
    client.get("/api/v1/dags", auth=admin)  # the first call verifies and caches the credentials
    count_statements.clear()
    response = client.get(f"/api/v1/dags?limit={limit}", auth=admin)
    assert response.status_code == 200
    # principal check + page (tags folded in as an aggregate column) [+ count when the page is full]
    expected = 3 if limit < 3 else 2
    assert len(count_statements) == expected, count_statements


def test_get_dag_and_details(client, admin, example_dags):
    dag = client.get("/api/v1/dags/etl_daily", auth=admin)
    assert dag.status_code == 200
    assert dag.json()["dag_id"] == "etl_daily"
    details = client.get("/api/v1/dags/etl_daily/details", auth=admin).json()
    assert details["timezone"] == "UTC"
    assert details["catchup"] is False
    assert details["concurrency"] == details["max_active_tasks"]
    assert details["start_date"].startswith("2026-01-01T00:00:00")
    assert details["params"]["env"] == {
        "__class": "airflow.models.param.Param",
        "value": "staging",
        "description": None,
        "schema": {},
    }
    assert "template_searchpath" in details
    assert "template_search_path" not in details


def test_tasks_carry_airflows_operator_name_and_params(client, admin, example_dags):
    tasks = client.get("/api/v1/dags/etl_daily/tasks", auth=admin).json()["tasks"]
    task = tasks[0]
    assert task["operator_name"] == task["class_ref"]["class_name"]
    assert task["params"]["env"]["value"] == "staging"
    assert "executor" not in task
    assert isinstance(task["pool_slots"], float)
    assert isinstance(task["retries"], float)
    one = client.get(f"/api/v1/dags/etl_daily/tasks/{task['task_id']}", auth=admin).json()
    assert one == task
    consumer = client.get("/api/v1/dags/sales_report/details", auth=admin).json()
    assert consumer["schedule_interval"] == {"__type": "CronExpression", "value": "Dataset"}
    assert consumer["timetable_description"] == "Triggered by datasets"
    assert consumer["dataset_expression"]["all"]


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        ('"@once"', {"__type": "CronExpression", "value": "@once"}),
        ('"@daily"', {"__type": "CronExpression", "value": "@daily"}),
        ("null", None),
    ],
)
def test_schedule_interval_shows_the_schedule_as_written(client, admin, dag_folder, schedule, expected):
    base = DAG.format(dag_id="timed", paused="false", tags="[]", owner="ann")
    dag_folder({"timed.yaml": base.replace('"0 3 * * *"', schedule)})
    assert client.get("/api/v1/dags/timed", auth=admin).json()["schedule_interval"] == expected
    assert client.get("/api/v1/dags/timed/details", auth=admin).json()["schedule_interval"] == expected


def test_get_missing_dag_is_404(client, admin):
    assert_problem(client.get("/api/v1/dags/nope", auth=admin), 404, "nope")
    assert_problem(client.get("/api/v1/dags/nope/details", auth=admin), 404)


def test_delete_dag_removes_it(client, admin, three_dags):
    response = client.delete("/api/v1/dags/alpha_etl", auth=admin)
    assert response.status_code == 204
    assert response.content == b""
    assert_problem(client.get("/api/v1/dags/alpha_etl", auth=admin), 404)
    assert_problem(client.delete("/api/v1/dags/alpha_etl", auth=admin), 404)


def test_delete_dag_needs_delete_permission(client, viewer, three_dags):
    assert_problem(client.delete("/api/v1/dags/alpha_etl", auth=viewer), 403)


def test_mutations_are_audited(client, admin, three_dags):
    client.patch("/api/v1/dags/alpha_etl?update_mask=is_paused", json={"is_paused": False}, auth=admin)
    from sqlalchemy import select

    from orchestrator_api import db
    from orchestrator_api.models import EventLog

    with db.session_factory()() as session:
        rows = session.scalars(select(EventLog).where(EventLog.event == "api.patch_dag")).all()
    assert len(rows) == 1
    assert rows[0].dag_id == "alpha_etl"
    assert rows[0].owner == "admin"
    assert '"update_mask"' in (rows[0].extra or "")


def test_delete_dag_refuses_while_a_task_instance_runs(client, admin, three_dags):
    factories_runs.run("alpha_etl", "busy", datetime(2026, 1, 1, tzinfo=UTC), state="running")
    factories.set_task_instance("alpha_etl", "busy", "only", state="running", try_number=1)
    assert_problem(client.delete("/api/v1/dags/alpha_etl", auth=admin), 409, "running")
    assert client.get("/api/v1/dags/alpha_etl/dagRuns/busy", auth=admin).status_code == 200
    factories.set_task_instance("alpha_etl", "busy", "only", state="success")
    assert client.delete("/api/v1/dags/alpha_etl", auth=admin).status_code == 204
    assert_problem(client.get("/api/v1/dags/alpha_etl/dagRuns/busy", auth=admin), 404)
