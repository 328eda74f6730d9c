"""Changing DAG runs: update_dag_run_state, clear_dag_run, set_dag_run_note."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from orchestrator_api import db
from orchestrator_api.models import EventLog
from tests import factories, factories_runs
from tests.problems import assert_problem

NOTIFY_TASK = """
  - task_id: notify
    operator: EmptyOperator
    upstream: [load]
"""
CHAIN = (
    """
dag_id: chain
schedule: null
start_date: 2026-01-01T00:00:00Z
tasks:
  - task_id: extract
    operator: EmptyOperator
    retries: 2
  - task_id: transform
    operator: EmptyOperator
    upstream: [extract]
  - task_id: load
    operator: EmptyOperator
    upstream: [transform]"""
    + NOTIFY_TASK
)

STARTED = datetime(2026, 1, 1, 3, tzinfo=UTC)
ENDED = datetime(2026, 1, 1, 4, tzinfo=UTC)
RUN = "/api/v1/dags/chain/dagRuns/r1"


@pytest.fixture
def run(client: Any, admin: Any, dag_folder: Any) -> str:
    """A running run: extract succeeded (try 1), transform running, load queued, notify without state."""
    dag_folder({"chain.yaml": CHAIN})
    body = {"dag_run_id": "r1", "logical_date": "2026-01-01T00:00:00Z"}
    assert client.post("/api/v1/dags/chain/dagRuns", json=body, auth=admin).status_code == 200
    factories.set_dag_run("chain", "r1", state="running", start_date=STARTED)
    factories.set_task_instance(
        "chain", "r1", "extract", state="success", try_number=1, start_date=STARTED,
        end_date=datetime(2026, 1, 1, 3, 5, tzinfo=UTC),
    )  # fmt: skip
    factories.set_task_instance("chain", "r1", "transform", state="running", try_number=1, start_date=STARTED)
    factories.set_task_instance("chain", "r1", "load", state="queued", try_number=1)
    return "r1"


def states() -> dict[str, str | None]:
    return {
        task: factories_runs.instance("chain", "r1", task).state
        for task in ("extract", "transform", "load", "notify")
    }


def test_mark_run_success_makes_every_instance_success(client, admin, run):
    ended = datetime(2026, 1, 1, 3, 5, tzinfo=UTC)
    factories.set_task_instance("chain", "r1", "extract", state="failed", end_date=ended)
    factories.set_task_instance("chain", "r1", "load", state="upstream_failed")
    factories.set_task_instance("chain", "r1", "notify", state="skipped")
    response = client.patch(RUN, json={"state": "success"}, auth=admin)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["state"] == "success"
    assert body["end_date"] is not None
    assert states() == {"extract": "success", "transform": "success", "load": "success", "notify": "success"}
    notify = factories_runs.instance("chain", "r1", "notify")
    assert notify.start_date is not None
    assert notify.end_date is not None
    extract = factories_runs.instance("chain", "r1", "extract")
    assert extract.end_date == ended, "an instance that had ended keeps its end"
    assert extract.duration == 300


def test_mark_run_success_leaves_instances_of_tasks_the_dag_dropped(client, admin, dag_folder, run):
    dag_folder({"chain.yaml": CHAIN.replace(NOTIFY_TASK, "")})
    client.patch(RUN, json={"state": "success"}, auth=admin)
    assert states() == {"extract": "success", "transform": "success", "load": "success", "notify": None}


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("running", "failed"),
        ("deferred", "failed"),
        ("up_for_reschedule", "failed"),
        (None, "skipped"),
        ("scheduled", "skipped"),
        ("queued", "skipped"),
        ("up_for_retry", "skipped"),
        ("restarting", "skipped"),
        ("success", "success"),
        ("failed", "failed"),
        ("skipped", "skipped"),
        ("upstream_failed", "upstream_failed"),
        ("removed", "removed"),
    ],
)
def test_mark_run_failed_fails_instances_at_work_and_skips_the_waiting_ones(
    client, admin, run, before, after
):
    factories.set_task_instance("chain", "r1", "transform", state=before)
    response = client.patch(RUN, json={"state": "failed"}, auth=admin)
    assert response.json()["state"] == "failed"
    assert factories_runs.instance("chain", "r1", "transform").state == after


def test_mark_run_failed_dates_the_instances_it_changes(client, admin, run):
    factories.set_task_instance("chain", "r1", "extract", state="failed")
    client.patch(RUN, json={"state": "failed"}, auth=admin)
    assert states() == {"extract": "failed", "transform": "failed", "load": "skipped", "notify": "skipped"}
    transform = factories_runs.instance("chain", "r1", "transform")
    assert transform.duration is not None
    assert transform.duration > 0
    assert factories_runs.instance("chain", "r1", "notify").end_date is not None


def test_mark_run_queued_only_requeues_it(client, admin, run):
    client.patch(RUN, json={"state": "success"}, auth=admin)
    response = client.patch(RUN, json={"state": "queued"}, auth=admin)
    body = response.json()
    assert body["state"] == "queued"
    assert body["start_date"] is None
    assert body["end_date"] is None
    assert set(states().values()) == {"success"}
    assert factories_runs.dag_run("chain", "r1").queued_at > STARTED


def test_finishing_a_run_under_way_ends_it_now_and_keeps_its_start(client, admin, run):
    body = client.patch(RUN, json={"state": "failed"}, auth=admin).json()
    assert body["start_date"] == STARTED.isoformat()
    assert datetime.fromisoformat(body["end_date"]) > STARTED


@pytest.mark.parametrize(
    ("before", "after"), [("success", "failed"), ("failed", "success"), ("success", "success")]
)
def test_a_finished_run_marked_again_keeps_its_dates(client, admin, run, before, after):
    factories.set_dag_run("chain", "r1", state=before, end_date=ENDED)
    body = client.patch(RUN, json={"state": after}, auth=admin).json()
    assert body["state"] == after
    assert (body["start_date"], body["end_date"]) == (STARTED.isoformat(), ENDED.isoformat())


def test_a_queued_run_marked_queued_only_gets_a_new_queued_at(client, admin, run):
    queued_at = datetime(2026, 1, 1, 2, tzinfo=UTC)
    factories.set_dag_run("chain", "r1", state="queued", queued_at=queued_at, end_date=ENDED)
    body = client.patch(RUN, json={"state": "queued"}, auth=admin).json()
    assert (body["start_date"], body["end_date"]) == (STARTED.isoformat(), ENDED.isoformat())
    assert factories_runs.dag_run("chain", "r1").queued_at > queued_at


def test_mark_run_is_audited(client, admin, run):
    client.patch(RUN, json={"state": "failed"}, auth=admin)
    with db.session_factory()() as session:
        row = session.scalars(select(EventLog).where(EventLog.event == "api.update_dag_run_state")).one()
    assert (row.dag_id, row.run_id) == ("chain", "r1")
    assert row.execution_date is None  # Airflow fills it from an execution_date query parameter only
    assert '"state": "failed"' in (row.extra or "")


@pytest.mark.parametrize(
    ("body", "detail"),
    [({"state": "running"}, "running"), ({}, "state"), ({"state": "success", "note": "x"}, "note")],
)
def test_mark_run_rejects_bad_bodies(client, admin, run, body, detail):
    assert_problem(client.patch(RUN, json=body, auth=admin), 400, detail)
    assert factories_runs.dag_run("chain", "r1").state == "running"


def test_mark_run_errors(client, admin, viewer, run):
    assert_problem(client.patch(RUN + "x", json={"state": "success"}, auth=admin), 404, "r1x")
    assert_problem(client.patch("/api/v1/dags/x/dagRuns/r1", json={"state": "success"}, auth=admin), 404)
    assert_problem(client.patch(RUN, json={"state": "success"}, auth=viewer), 403)
    assert_problem(client.patch(RUN, json={"state": "success"}), 401)
    assert factories_runs.dag_run("chain", "r1").state == "running"


def test_clear_run_dry_run_lists_every_instance_and_changes_nothing(client, admin, run):
    response = client.post(RUN + "/clear", json={}, auth=admin)
    assert response.status_code == 200
    listed = response.json()["task_instances"]
    assert sorted(ti["task_id"] for ti in listed) == ["extract", "load", "notify", "transform"]
    assert listed[0] == {
        "task_id": listed[0]["task_id"],
        "dag_id": "chain",
        "execution_date": "2026-01-01T00:00:00+00:00",
        "dag_run_id": "r1",
    }
    assert states()["extract"] == "success"
    assert factories_runs.history_count("chain", "r1") == 0


def test_clear_run_resets_instances_and_archives_finished_tries(client, admin, run):
    response = client.post(RUN + "/clear", json={"dry_run": False}, auth=admin)
    assert response.status_code == 200, response.text
    assert response.json()["dag_run_id"] == "r1"
    assert states() == {"extract": None, "transform": "restarting", "load": None, "notify": None}
    extract = factories_runs.instance("chain", "r1", "extract")
    assert extract.try_number == 1
    assert extract.max_tries == 3, "one try made plus the task's two retries"
    # the finished try of extract is kept; the queued load never ran, so there is nothing to keep
    assert factories_runs.history_count("chain", "r1") == 1
    tries = client.get(RUN + "/taskInstances/extract/tries", auth=admin).json()
    # As in Airflow 2.10.5: the archived try, then the cleared instance under the same number.
    assert [(t["try_number"], t["state"]) for t in tries["task_instances"]] == [(1, "success"), (1, None)]


def test_clearing_a_run_under_way_leaves_the_run_as_it_is(client, admin, run):
    body = client.post(RUN + "/clear", json={"dry_run": False}, auth=admin).json()
    assert (body["state"], body["start_date"]) == ("running", STARTED.isoformat())
    assert factories_runs.dag_run("chain", "r1").clear_number == 0


def test_clearing_a_finished_run_queues_it_again(client, admin, run):
    decided = datetime(2026, 1, 1, 3, 30, tzinfo=UTC)
    factories.set_dag_run("chain", "r1", state="failed", end_date=ENDED, last_scheduling_decision=decided)
    body = client.post(RUN + "/clear", json={"dry_run": False}, auth=admin).json()
    assert body["state"] == "queued"
    assert (body["start_date"], body["end_date"], body["last_scheduling_decision"]) == (None, None, None)
    cleared = factories_runs.dag_run("chain", "r1")
    assert cleared.clear_number == 1
    assert cleared.queued_at > ENDED
    again = client.post(RUN + "/clear", json={"dry_run": False}, auth=admin)
    assert again.json()["state"] == "queued"
    assert factories_runs.dag_run("chain", "r1").clear_number == 1, "a queued run is not queued again"
    assert factories_runs.history_count("chain", "r1") == 1


def test_clearing_a_finished_run_without_task_instances_changes_nothing(client, admin, run):
    factories.dag_run("chain", "bare", datetime(2026, 1, 5, tzinfo=UTC), state="success")
    bare = "/api/v1/dags/chain/dagRuns/bare"
    assert client.post(bare + "/clear", json={}, auth=admin).json() == {"task_instances": []}
    body = client.post(bare + "/clear", json={"dry_run": False}, auth=admin).json()
    assert body["state"] == "success"
    assert factories_runs.dag_run("chain", "bare").clear_number == 0


def test_clear_run_errors(client, admin, viewer, run):
    assert_problem(client.post(RUN + "/clear", json={"dry_run": "yes"}, auth=admin), 400, "dry_run")
    assert_problem(client.post(RUN + "/clear", json={"dry_run": False, "x": 1}, auth=admin), 400, "x")
    assert_problem(client.post("/api/v1/dags/chain/dagRuns/no/clear", json={}, auth=admin), 404, "no")
    assert_problem(client.post(RUN + "/clear", json={"dry_run": False}, auth=viewer), 403)
    assert_problem(client.post(RUN + "/clear", json={"dry_run": False}), 401)
    assert states()["extract"] == "success"


def test_set_run_note(client, admin, run):
    response = client.patch(RUN + "/setNote", json={"note": "checked by ops"}, auth=admin)
    assert response.status_code == 200
    assert response.json()["note"] == "checked by ops"
    assert client.get(RUN, auth=admin).json()["note"] == "checked by ops"
    # Airflow refuses a null note; an empty one replaces it.
    assert client.patch(RUN + "/setNote", json={"note": None}, auth=admin).status_code == 400
    cleared = client.patch(RUN + "/setNote", json={"note": ""}, auth=admin)
    assert cleared.json()["note"] == ""


def test_set_run_note_of_at_most_1000_characters(client, admin, run):
    assert client.patch(RUN + "/setNote", json={"note": "n" * 1000}, auth=admin).status_code == 200
    assert_problem(client.patch(RUN + "/setNote", json={"note": "x" * 1001}, auth=admin), 400, "too long")
    assert client.get(RUN, auth=admin).json()["note"] == "n" * 1000


def test_set_run_note_errors(client, admin, viewer, run):
    assert_problem(client.patch(RUN + "/setNote", json={}, auth=admin), 400, "note")
    assert_problem(client.patch(RUN + "/setNote", json={"note": 5}, auth=admin), 400, "note")
    assert_problem(client.patch("/api/v1/dags/chain/dagRuns/x/setNote", json={"note": "a"}, auth=admin), 404)
    assert_problem(client.patch(RUN + "/setNote", json={"note": "a"}, auth=viewer), 403)
    assert_problem(client.patch(RUN + "/setNote", json={"note": "a"}), 401)
    assert client.get(RUN, auth=admin).json()["note"] is None
