"""DAG files that failed to load: get_import_errors, get_import_error."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests import factories
from tests import factories_observability as more
from tests.conftest import EXAMPLE_DAGS
from tests.problems import assert_problem

WITHHELD = "REDACTED: this file also defines DAGs you may not read"


def fileloc(dag_id: str) -> str:
    return str((EXAMPLE_DAGS / f"{dag_id}.yaml").resolve())


@pytest.fixture
def errors(client: Any, admin: Any, example_dags: list[str]) -> dict[str, int]:
    etl = client.get("/api/v1/dags/etl_daily", auth=admin).json()["fileloc"]
    assert etl == fileloc("etl_daily")
    return {
        "etl": more.import_error(etl, "line 3: bad cron", datetime(2026, 2, 3, tzinfo=UTC)),
        "sales": more.import_error(
            fileloc("sales_report"), "line 9: bad URI", datetime(2026, 2, 1, tzinfo=UTC)
        ),
        # Beside the example files, so ordering by full path matches ordering by name
        # wherever the checkout lives.
        "orphan": more.import_error(fileloc("a_broken"), "not YAML", datetime(2026, 2, 2, tzinfo=UTC)),
    }


@pytest.fixture
def etl_reader(make_user: Any) -> tuple[str, str]:
    factories.role("etl-import-errors", ("can_read", "ImportError"), ("can_read", "DAG:etl_daily"))
    return make_user("etl_reader", "etl-import-errors")


def filenames(response: Any) -> list[str]:
    return [Path(item["filename"]).name for item in response.json()["import_errors"]]


def test_list_import_errors_answers_airflow_fields(client, admin, errors):
    response = client.get("/api/v1/importErrors", auth=admin)
    assert response.status_code == 200
    body = response.json()
    assert body["total_entries"] == 3
    assert body["import_errors"][0] == {
        "import_error_id": errors["etl"],
        "timestamp": "2026-02-03T00:00:00+00:00",
        "filename": fileloc("etl_daily"),
        "stack_trace": "line 3: bad cron",
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["etl_daily.yaml", "sales_report.yaml", "a_broken.yaml"]),
        ("order_by=-import_error_id", ["a_broken.yaml", "sales_report.yaml", "etl_daily.yaml"]),
        ("order_by=timestamp", ["sales_report.yaml", "a_broken.yaml", "etl_daily.yaml"]),
        ("order_by=-timestamp", ["etl_daily.yaml", "a_broken.yaml", "sales_report.yaml"]),
        ("order_by=filename", ["a_broken.yaml", "etl_daily.yaml", "sales_report.yaml"]),
        ("order_by=-filename", ["sales_report.yaml", "etl_daily.yaml", "a_broken.yaml"]),
        ("limit=2", ["etl_daily.yaml", "sales_report.yaml"]),
        ("limit=2&offset=2", ["a_broken.yaml"]),
    ],
)
def test_list_import_errors_orders_and_pages(client, admin, errors, query, expected):
    response = client.get(f"/api/v1/importErrors?{query}", auth=admin)
    assert filenames(response) == expected
    assert response.json()["total_entries"] == 3


def test_partial_dag_access_sees_only_errors_of_its_files(client, etl_reader, errors):
    response = client.get("/api/v1/importErrors", auth=etl_reader)
    assert filenames(response) == ["etl_daily.yaml"]
    assert response.json()["total_entries"] == 1
    assert response.json()["import_errors"][0]["stack_trace"] == "line 3: bad cron"
    assert client.get(f"/api/v1/importErrors/{errors['etl']}", auth=etl_reader).status_code == 200
    for hidden in ("sales", "orphan"):
        assert_problem(client.get(f"/api/v1/importErrors/{errors[hidden]}", auth=etl_reader), 403, "DAGs")


def test_stack_trace_withheld_when_the_file_defines_an_unreadable_dag(client, admin, etl_reader, errors):
    more.move_dag_to_file("sales_report", fileloc("etl_daily"))
    listed = client.get("/api/v1/importErrors", auth=etl_reader).json()["import_errors"]
    assert [item["stack_trace"] for item in listed] == [WITHHELD]
    single = client.get(f"/api/v1/importErrors/{errors['etl']}", auth=etl_reader).json()
    assert single["stack_trace"] == WITHHELD
    assert client.get(f"/api/v1/importErrors/{errors['etl']}", auth=admin).json()["stack_trace"] != WITHHELD


def test_a_dag_file_broken_after_loading_is_reported(client, admin, dag_folder, tmp_path):
    dag_folder({"good.yaml": "dag_id: good\ntasks:\n  - task_id: a\n    operator: EmptyOperator\n"})
    (tmp_path / "dags" / "good.yaml").write_text("dag_id: good\ntasks: [unclosed\n")
    assert more.sync_allowing_errors(tmp_path / "dags")
    body = client.get("/api/v1/importErrors", auth=admin).json()
    assert body["total_entries"] == 1
    error = body["import_errors"][0]
    assert error["filename"].endswith("good.yaml")
    assert error["stack_trace"]
    assert client.get(f"/api/v1/importErrors/{error['import_error_id']}", auth=admin).json() == error


def test_import_error_errors(client, admin, public_user, errors):
    assert_problem(client.get("/api/v1/importErrors"), 401)
    assert_problem(client.get(f"/api/v1/importErrors/{errors['etl']}"), 401)
    assert_problem(client.get("/api/v1/importErrors", auth=public_user), 403, "ImportError")
    assert_problem(client.get(f"/api/v1/importErrors/{errors['etl']}", auth=public_user), 403)
    assert_problem(client.get("/api/v1/importErrors/999", auth=admin), 404, "999")
    assert_problem(client.get("/api/v1/importErrors?order_by=stack_trace", auth=admin), 400, "stack_trace")
    assert_problem(client.get("/api/v1/importErrors?limit=-1", auth=admin), 400, "minimum")


@pytest.mark.parametrize("limit", [1, 100])
@pytest.mark.parametrize("who", ["admin", "etl_reader"])
def test_list_import_errors_runs_fixed_statements(request, client, errors, count_statements, limit, who):
    auth = request.getfixturevalue(who)
    client.get("/api/v1/importErrors", auth=auth)
    count_statements.clear()
    response = client.get(f"/api/v1/importErrors?limit={limit}", auth=auth)
    assert response.status_code == 200
    full_page = len(response.json()["import_errors"]) == limit
    # principal check + page [+ count when the page is full]; visibility is part of the page's SQL
    assert len(count_statements) == (3 if full_page else 2), count_statements
