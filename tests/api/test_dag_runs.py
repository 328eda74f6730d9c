"""DAG runs: post_dag_run, get_dag_run, delete_dag_run."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from orchestrator_api import db
from orchestrator_api.dags import sync_dags
from orchestrator_api.models import EventLog, XCom
from tests import factories, factories_runs
from tests.problems import assert_problem
from tests.runs_scenarios import run_ids


def test_trigger_creates_a_queued_run_with_its_task_instances(client, admin, run_dags):
    body = {
        "dag_run_id": "nightly_fix",
        "logical_date": "2026-03-01T05:00:00+02:00",
        "conf": {"target": "prod", "rows": [1, 2]},
        "note": "rerun after the outage",
    }
    response = client.post("/api/v1/dags/chain/dagRuns", json=body, auth=admin)
    assert response.status_code == 200, response.text
    run = response.json()
    assert run["dag_run_id"] == "nightly_fix"
    assert run["dag_id"] == "chain"
    assert run["logical_date"] == run["execution_date"] == "2026-03-01T03:00:00+00:00"
    assert run["state"] == "queued"
    assert run["run_type"] == "manual"
    assert run["external_trigger"] is True
    assert run["conf"] == {"target": "prod", "rows": [1, 2]}
    assert run["note"] == "rerun after the outage"
    # a manual run of a daily cron DAG covers the day that ended at the latest tick
    assert run["data_interval_start"] == "2026-02-28T03:00:00+00:00"
    assert run["data_interval_end"] == "2026-03-01T03:00:00+00:00"
    instances = client.get("/api/v1/dags/chain/dagRuns/nightly_fix/taskInstances", auth=admin).json()
    assert sorted(ti["task_id"] for ti in instances["task_instances"]) == ["extract", "load", "transform"]
    assert all(ti["state"] is None for ti in instances["task_instances"])
    assert factories_runs.dag_run("chain", "nightly_fix").triggered_by == "admin"


def test_trigger_a_mapped_dag_creates_one_instance_per_map_index(client, admin, example_dags):
    response = client.post("/api/v1/dags/partner_feeds_hourly/dagRuns", json={"dag_run_id": "m"}, auth=admin)
    assert response.status_code == 200
    mapped = client.get(
        "/api/v1/dags/partner_feeds_hourly/dagRuns/m/taskInstances/download_feed/listMapped", auth=admin
    ).json()
    assert [ti["map_index"] for ti in mapped["task_instances"]] == [0, 1, 2]


def test_trigger_without_body_fields_generates_id_and_date(client, admin, run_dags):
    before = datetime.now(UTC)
    response = client.post("/api/v1/dags/other/dagRuns", json={}, auth=admin)
    assert response.status_code == 200
    run = response.json()
    logical = datetime.fromisoformat(run["logical_date"])
    assert logical >= before
    assert run["dag_run_id"] == f"manual__{logical.isoformat()}"
    # no cron schedule: the interval is empty at the logical date
    assert run["data_interval_start"] == run["data_interval_end"] == run["logical_date"]


def test_trigger_accepts_the_deprecated_execution_date_and_explicit_interval(client, admin, run_dags):
    body = {
        "execution_date": "2026-04-01T00:00:00Z",
        "data_interval_start": "2026-03-01T00:00:00Z",
        "data_interval_end": "2026-04-01T00:00:00Z",
    }
    run = client.post("/api/v1/dags/chain/dagRuns", json=body, auth=admin).json()
    assert run["logical_date"] == "2026-04-01T00:00:00+00:00"
    assert run["data_interval_start"] == "2026-03-01T00:00:00+00:00"
    same = {"logical_date": "2026-05-01T00:00:00Z", "execution_date": "2026-05-01T02:00:00+02:00"}
    assert client.post("/api/v1/dags/chain/dagRuns", json=same, auth=admin).status_code == 200


@pytest.mark.parametrize("field", ["state", "dag_id", "run_type"])
def test_trigger_refuses_read_only_fields_as_airflow_does(client, admin, run_dags, field):
    sent = client.post("/api/v1/dags/other/dagRuns", json={"dag_run_id": "a"}, auth=admin).json()
    body = {"dag_run_id": "b", field: sent[field]}
    response = client.post("/api/v1/dags/other/dagRuns", json=body, auth=admin)
    assert_problem(response, 400, f"Property is read-only - '{field}'")
    assert client.get("/api/v1/dags/other/dagRuns", auth=admin).json()["total_entries"] == 1


def test_trigger_is_audited_with_its_body(client, admin, run_dags):
    body = {"dag_run_id": "audited", "logical_date": "2026-03-01T00:00:00Z"}
    client.post("/api/v1/dags/chain/dagRuns", json=body, auth=admin)
    with db.session_factory()() as session:
        row = session.scalars(select(EventLog).where(EventLog.event == "api.post_dag_run")).one()
    assert row.dag_id == "chain"
    assert row.owner == "admin"
    assert row.execution_date is None  # Airflow fills it from an execution_date query parameter only
    assert json.loads(row.extra) == body


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"logical_date": "2026-01-01T00:00:00Z", "execution_date": "2026-01-02T00:00:00Z"}, "differ"),
        ({"data_interval_start": "2026-01-01T00:00:00Z"}, None),
        ({"dag_run_id": "has space"}, "does not match"),
        ({"dag_run_id": "~"}, "does not match"),
        ({"dag_run_id": "x" * 251}, "too long"),
        ({"dag_run_id": "scheduled__2026-01-01T00:00:00+00:00"}, "/dag_run_id"),
        ({"dag_run_id": "backfill__x"}, "does not match"),
        ({"dag_run_id": "dataset_triggered__x"}, "does not match"),
        ({"conf": "not an object"}, "object"),
        ({"logical_date": "yesterday"}, "date-time"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_trigger_rejects_bad_bodies(client, admin, run_dags, body, detail):
    assert_problem(client.post("/api/v1/dags/chain/dagRuns", json=body, auth=admin), 400, detail)
    assert client.get("/api/v1/dags/chain/dagRuns", auth=admin).json()["total_entries"] == 0


@pytest.mark.parametrize("run_id", ["manual__2026-01-01", "scheduled_x", "my_scheduled__run", "Backfill__x"])
def test_trigger_accepts_ids_outside_the_reserved_prefixes(client, admin, run_dags, run_id):
    response = client.post("/api/v1/dags/chain/dagRuns", json={"dag_run_id": run_id}, auth=admin)
    assert response.status_code == 200, response.text
    assert response.json()["run_type"] == "manual"


def test_trigger_refuses_a_duplicate_id_or_logical_date(client, admin, run_dags):
    body = {"dag_run_id": "once", "logical_date": "2026-01-01T00:00:00Z"}
    assert client.post("/api/v1/dags/chain/dagRuns", json=body, auth=admin).status_code == 200
    again = client.post("/api/v1/dags/chain/dagRuns", json=body, auth=admin)
    assert_problem(again, 409, "DAGRun with DAG ID: 'chain' and DAGRun ID: 'once' already exists")
    other_id = {**body, "dag_run_id": "twice"}
    same_date = client.post("/api/v1/dags/chain/dagRuns", json=other_id, auth=admin)
    assert_problem(same_date, 409, "DAGRun logical date: '2026-01-01 00:00:00+00:00' already exists")


def test_trigger_unknown_or_broken_dag(client, admin, run_dags, tmp_path):
    assert_problem(client.post("/api/v1/dags/nope/dagRuns", json={}, auth=admin), 404, "nope")
    (Path(tmp_path) / "dags" / "other.yaml").write_text("dag_id: other\ntasks: [")
    with db.transaction() as session:
        sync_dags(session, Path(tmp_path) / "dags")
    assert_problem(client.post("/api/v1/dags/other/dagRuns", json={}, auth=admin), 400, "import errors")


def test_trigger_needs_permission(client, viewer, public_user, run_dags):
    assert_problem(client.post("/api/v1/dags/chain/dagRuns", json={}, auth=viewer), 403, "can_edit")
    assert_problem(client.post("/api/v1/dags/chain/dagRuns", json={}), 401)


def test_get_run(client, admin, viewer, three_runs):
    run = client.get("/api/v1/dags/chain/dagRuns/r1", auth=viewer).json()
    assert run["state"] == "success"
    assert run["conf"] == {"n": 1}
    assert run["end_date"] == "2026-01-01T04:00:00+00:00"
    narrow = client.get("/api/v1/dags/chain/dagRuns/r1?fields=conf", auth=admin)
    assert narrow.json() == {"conf": {"n": 1}}


def test_get_missing_run_or_dag_is_404(client, admin, three_runs):
    assert_problem(client.get("/api/v1/dags/chain/dagRuns/nope", auth=admin), 404, "DAG run 'nope'")
    assert_problem(client.get("/api/v1/dags/nope/dagRuns/r1", auth=admin), 404, "DAG 'nope'")
    assert_problem(client.get("/api/v1/dags/other/dagRuns/r1", auth=admin), 404, "r1")


def test_get_run_needs_permission(client, public_user, three_runs):
    assert_problem(client.get("/api/v1/dags/chain/dagRuns/r1", auth=public_user), 403)
    assert_problem(client.get("/api/v1/dags/chain/dagRuns/r1"), 401)
    assert_problem(client.get("/api/v1/dags/chain/dagRuns/r1?fields=secret", auth=public_user), 400)


def test_delete_run_removes_it_with_its_instances_and_xcoms(client, admin, three_runs):
    factories.xcom("chain", "r2", "extract", "rows", 42)
    response = client.delete("/api/v1/dags/chain/dagRuns/r2", auth=admin)
    assert response.status_code == 204
    assert response.content == b""
    assert_problem(client.get("/api/v1/dags/chain/dagRuns/r2", auth=admin), 404)
    assert_problem(client.get("/api/v1/dags/chain/dagRuns/r2/taskInstances/extract", auth=admin), 404)
    with db.session_factory()() as session:
        assert session.scalars(select(XCom)).all() == []
        audit = session.scalars(select(EventLog).where(EventLog.event == "api.delete_dag_run")).one()
    assert (audit.run_id, audit.execution_date) == ("r2", None)
    assert run_ids(client.get("/api/v1/dags/chain/dagRuns", auth=admin)) == ["r1", "r3"]


def test_delete_run_errors(client, admin, viewer, three_runs):
    assert_problem(client.delete("/api/v1/dags/chain/dagRuns/nope", auth=admin), 404, "nope")
    assert_problem(client.delete("/api/v1/dags/nope/dagRuns/r1", auth=admin), 404, "nope")
    assert_problem(client.delete("/api/v1/dags/chain/dagRuns/r1", auth=viewer), 403)
    assert_problem(client.delete("/api/v1/dags/chain/dagRuns/r1"), 401)
    assert client.get("/api/v1/dags/chain/dagRuns/r1", auth=admin).status_code == 200


def test_run_conf_round_trips_as_json(client, admin, run_dags):
    conf = {"nested": {"list": [1, "two", None]}, "flag": True}
    body = {"dag_run_id": "c", "conf": conf}
    client.post("/api/v1/dags/other/dagRuns", json=body, auth=admin)
    fetched = client.get("/api/v1/dags/other/dagRuns/c", auth=admin)
    assert json.loads(fetched.text)["conf"] == conf
