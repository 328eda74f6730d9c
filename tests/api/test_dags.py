"""DAGs: get_dags, patch_dags, get_dag, patch_dag, delete_dag, get_dag_details."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tests import factories, factories_runs
from tests.problems import assert_problem

DAG = """
dag_id: {dag_id}
schedule: "0 3 * * *"
start_date: 2026-01-01T00:00:00Z
is_paused_upon_creation: {paused}
tags: {tags}
owner: {owner}
tasks:
  - task_id: only
    operator: EmptyOperator
"""


@pytest.fixture
def three_dags(dag_folder: Any) -> list[str]:
    return dag_folder(
        {
            "a.yaml": DAG.format(dag_id="alpha_etl", paused="true", tags="[etl, daily]", owner="ann"),
            "b.yaml": DAG.format(dag_id="beta_report", paused="false", tags="[report]", owner="bob"),
            "c.yaml": DAG.format(dag_id="gamma_etl", paused="false", tags="[etl]", owner="cid"),
        }
    )


def ids(response: Any) -> list[str]:
    return [dag["dag_id"] for dag in response.json()["dags"]]


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
        ("limit=0", "minimum"),
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
    assert all(set(param) == {"value", "description", "schema"} for param in details["params"].values())
    assert details["params"], "the example ETL DAG declares params"
    consumer = client.get("/api/v1/dags/sales_report/details", auth=admin).json()
    assert consumer["schedule_interval"] is None
    assert consumer["timetable_description"] == "Triggered by datasets"
    assert consumer["dataset_expression"]["all"]


def test_get_missing_dag_is_404(client, admin):
    assert_problem(client.get("/api/v1/dags/nope", auth=admin), 404, "nope")
    assert_problem(client.get("/api/v1/dags/nope/details", auth=admin), 404)


def test_patch_dag_with_mask_changes_only_masked_field(client, admin, three_dags):
    before = client.get("/api/v1/dags/alpha_etl", auth=admin).json()
    sent = {**before, "is_paused": False, "description": "ignored because not in the mask"}
    response = client.patch("/api/v1/dags/alpha_etl?update_mask=is_paused", json=sent, auth=admin)
    assert response.status_code == 200
    assert response.json()["is_paused"] is False
    assert response.json()["description"] == before["description"]
    assert client.get("/api/v1/dags/alpha_etl", auth=admin).json()["is_paused"] is False


def test_patch_dag_without_mask_applies_writable_fields(client, admin, three_dags):
    response = client.patch("/api/v1/dags/beta_report", json={"is_paused": True}, auth=admin)
    assert response.status_code == 200
    assert response.json()["is_paused"] is True


def test_patch_dag_accepts_unchanged_read_only_fields(client, admin, three_dags):
    current = client.get("/api/v1/dags/beta_report", auth=admin).json()
    response = client.patch("/api/v1/dags/beta_report", json={**current, "is_paused": True}, auth=admin)
    assert response.status_code == 200, response.text
    assert response.json()["is_paused"] is True


@pytest.mark.parametrize(
    ("query", "body", "detail"),
    [
        ("update_mask=owners", {"owners": ["x"]}, "owners"),
        ("update_mask=nonsense", {"nonsense": 1}, "nonsense"),
        ("", {"is_paused": True, "dag_id": "renamed"}, "dag_id is read-only"),
        ("", {"is_paused": True, "colour": "red"}, "colour"),
        ("", {"is_paused": None}, "is_paused"),
        ("", {"is_paused": "yes please"}, "is_paused"),
    ],
)
def test_patch_dag_rejects_bad_masks_and_bodies_and_writes_nothing(
    client, admin, three_dags, query, body, detail
):
    response = client.patch(f"/api/v1/dags/alpha_etl?{query}", json=body, auth=admin)
    assert_problem(response, 400, detail)
    assert client.get("/api/v1/dags/alpha_etl", auth=admin).json()["is_paused"] is True


def test_patch_dag_mask_naming_a_field_the_body_lacks_changes_nothing(client, admin, three_dags):
    response = client.patch("/api/v1/dags/alpha_etl?update_mask=is_paused", json={}, auth=admin)
    assert response.status_code == 200
    assert response.json()["is_paused"] is True


@pytest.mark.parametrize(
    "order_by",
    [
        "dag_id",
        "dag_display_name",
        "next_dagrun",
        "last_parsed_time",
        "is_paused",
        "is_active",
        "fileloc",
        "owners",
    ],
)
def test_every_documented_order_by_is_accepted(client, admin, three_dags, order_by):
    forward = client.get(f"/api/v1/dags?order_by={order_by}", auth=admin)
    backward = client.get(f"/api/v1/dags?order_by=-{order_by}", auth=admin)
    assert forward.status_code == backward.status_code == 200
    assert forward.json()["total_entries"] == 3


def test_unsupported_method_lists_every_allowed_method(client, admin):
    response = client.put("/api/v1/dags", auth=admin)
    assert_problem(response, 405)
    assert response.headers["allow"] == "HEAD, GET, PATCH"


def test_non_utf8_body_is_a_bad_request(client, admin, three_dags):
    response = client.patch(
        "/api/v1/dags/alpha_etl",
        content=b"\xff\xfe{",
        headers={"Content-Type": "application/json"},
        auth=admin,
    )
    assert_problem(response, 400)


def test_patch_dag_mask_may_be_comma_separated_or_repeated(client, admin, three_dags):
    body = {"is_paused": False}
    assert (
        client.patch(
            "/api/v1/dags/alpha_etl?update_mask=is_paused,is_paused", json=body, auth=admin
        ).status_code
        == 200
    )
    response = client.patch(
        "/api/v1/dags/alpha_etl?update_mask=is_paused&update_mask=owners", json=body, auth=admin
    )
    assert_problem(response, 400, "owners")


def test_patch_dag_refuses_non_json(client, admin, three_dags):
    response = client.patch(
        "/api/v1/dags/alpha_etl",
        content=b"is_paused=true",
        headers={"Content-Type": "text/plain"},
        auth=admin,
    )
    assert_problem(response, 415)
    broken = client.patch(
        "/api/v1/dags/alpha_etl",
        content=b"{not json",
        headers={"Content-Type": "application/json"},
        auth=admin,
    )
    assert_problem(broken, 400)


def test_patch_dag_needs_edit_permission(client, viewer, three_dags):
    assert_problem(
        client.patch("/api/v1/dags/alpha_etl", json={"is_paused": False}, auth=viewer), 403, "can_edit"
    )


def test_patch_missing_dag_is_404(client, admin):
    assert_problem(client.patch("/api/v1/dags/nope", json={"is_paused": True}, auth=admin), 404)


def test_patch_dags_pauses_matching_dags(client, admin, three_dags):
    response = client.patch(
        "/api/v1/dags?dag_id_pattern=etl&update_mask=is_paused", json={"is_paused": True}, auth=admin
    )
    assert response.status_code == 200
    assert ids(response) == ["alpha_etl", "gamma_etl"]
    assert all(d["is_paused"] for d in response.json()["dags"])
    assert client.get("/api/v1/dags/gamma_etl", auth=admin).json()["is_paused"] is True
    assert client.get("/api/v1/dags/beta_report", auth=admin).json()["is_paused"] is False


def test_patch_dags_tilde_matches_all_and_tags_narrow(client, admin, three_dags):
    response = client.patch("/api/v1/dags?dag_id_pattern=~&tags=report", json={"is_paused": True}, auth=admin)
    assert ids(response) == ["beta_report"]
    everything = client.patch("/api/v1/dags?dag_id_pattern=~", json={"is_paused": False}, auth=admin)
    assert ids(everything) == ["alpha_etl", "beta_report", "gamma_etl"]


def test_patch_dags_rejects_other_fields(client, admin, three_dags):
    assert_problem(
        client.patch("/api/v1/dags?dag_id_pattern=~", json={"dag_id": "x"}, auth=admin), 400, "dag_id"
    )
    assert_problem(client.patch("/api/v1/dags", json={"is_paused": True}, auth=admin), 400, "dag_id_pattern")


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
        rows = session.scalars(select(EventLog).where(EventLog.event == "patch_dag")).all()
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
