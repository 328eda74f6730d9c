"""Per-DAG access: roles granting `DAG:<dag_id>` permissions see and change that DAG only, in lists too."""

from __future__ import annotations

import pytest

from tests.factories_access import bearer, role_body, user_body, user_patch
from tests.problems import assert_problem

PASSWORD = "per-dag-secret"


@pytest.fixture
def etl_reader(client, admin, example_dags):
    """A user whose only role reads `etl_daily`."""
    body = role_body("etl_reader", ("can_read", "DAG:etl_daily"))
    assert client.post("/api/v1/roles", json=body, auth=admin).status_code == 200
    client.post("/api/v1/users", json=user_body("reader", "etl_reader", password=PASSWORD), auth=admin)
    return ("reader", PASSWORD)


@pytest.fixture
def etl_editor(client, admin, example_dags):
    """A user whose only role reads and edits `etl_daily`."""
    body = role_body("etl_editor", ("can_read", "DAG:etl_daily"), ("can_edit", "DAG:etl_daily"))
    assert client.post("/api/v1/roles", json=body, auth=admin).status_code == 200
    client.post("/api/v1/users", json=user_body("editor", "etl_editor", password=PASSWORD), auth=admin)
    return ("editor", PASSWORD)


def test_per_dag_reader_lists_only_that_dag(client, etl_reader):
    response = client.get("/api/v1/dags", auth=etl_reader)
    assert response.status_code == 200
    assert [d["dag_id"] for d in response.json()["dags"]] == ["etl_daily"]
    assert response.json()["total_entries"] == 1
    paged = client.get("/api/v1/dags?limit=1&offset=1", auth=etl_reader).json()
    assert paged == {"dags": [], "total_entries": 1}


def test_per_dag_reader_reads_that_dag_only(client, etl_reader):
    assert client.get("/api/v1/dags/etl_daily", auth=etl_reader).status_code == 200
    assert client.get("/api/v1/dags/etl_daily/tasks", auth=etl_reader).status_code == 200
    assert_problem(client.get("/api/v1/dags/sales_report", auth=etl_reader), 403, "DAG 'sales_report'")
    assert_problem(client.get("/api/v1/dags/sales_report/details", auth=etl_reader), 403)
    # reading is not editing
    response = client.patch("/api/v1/dags/etl_daily", json={"is_paused": False}, auth=etl_reader)
    assert_problem(response, 403, "can_edit on DAG 'etl_daily'")


def test_per_dag_editor_patches_that_dag_only(client, admin, etl_editor):
    sales_paused = client.get("/api/v1/dags/sales_report", auth=admin).json()["is_paused"]
    response = client.patch("/api/v1/dags/etl_daily", json={"is_paused": False}, auth=etl_editor)
    assert response.status_code == 200
    assert response.json()["is_paused"] is False
    other = client.patch("/api/v1/dags/sales_report", json={"is_paused": False}, auth=etl_editor)
    assert_problem(other, 403, "DAG 'sales_report'")
    flipped = not sales_paused
    bulk = client.patch("/api/v1/dags?dag_id_pattern=~", json={"is_paused": flipped}, auth=etl_editor)
    assert [d["dag_id"] for d in bulk.json()["dags"]] == ["etl_daily"]
    assert bulk.json()["dags"][0]["is_paused"] is flipped
    assert client.get("/api/v1/dags/sales_report", auth=admin).json()["is_paused"] is sales_paused


def test_per_dag_editor_manages_that_dags_trigger_tokens_only(client, etl_editor):
    created = client.post("/api/v1/dags/etl_daily/triggerTokens", json={"name": "x"}, auth=etl_editor)
    assert created.status_code == 201
    assert created.json()["created_by"] == "editor"
    refused = client.post("/api/v1/dags/sales_report/triggerTokens", json={"name": "x"}, auth=etl_editor)
    assert_problem(refused, 403)


def test_per_dag_access_through_a_narrowed_token(client, admin, etl_reader):
    client.patch(
        "/api/v1/users/reader",
        json=user_patch("reader", roles=[{"name": "etl_reader"}, {"name": "Viewer"}]),
        auth=admin,
    )
    assert client.get("/api/v1/dags", auth=etl_reader).json()["total_entries"] == 4
    token = client.post(
        "/api/v1/users/reader/tokens",
        json={"name": "etl", "roles": [{"name": "etl_reader"}]},
        auth=etl_reader,
    ).json()["token"]
    listed = client.get("/api/v1/dags", headers=bearer(token)).json()
    assert (listed["total_entries"], [d["dag_id"] for d in listed["dags"]]) == (1, ["etl_daily"])


def test_losing_the_per_dag_grant_applies_at_once(client, admin, etl_reader):
    assert client.get("/api/v1/dags/etl_daily", auth=etl_reader).status_code == 200
    body = {"name": "etl_reader", "actions": []}
    client.patch("/api/v1/roles/etl_reader?update_mask=actions", json=body, auth=admin)
    assert_problem(client.get("/api/v1/dags/etl_daily", auth=etl_reader), 403)
    assert_problem(client.get("/api/v1/dags", auth=etl_reader), 403)
