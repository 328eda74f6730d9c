"""Changing one task instance: patch_task_instance, patch_mapped_task_instance, set_task_instance_note,
set_mapped_task_instance_note."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from orchestrator_api import db
from orchestrator_api.models import EventLog
from tests import factories, factories_runs
from tests.problems import assert_problem
from tests.runs_scenarios import FLOW_DAYS as DAYS
from tests.runs_scenarios import flow_states as states

TI = "/api/v1/dags/flow/dagRuns/{run}/taskInstances/{task}"
CLEAR = "/api/v1/dags/flow/clearTaskInstances"
SET_STATE = "/api/v1/dags/flow/updateTaskInstancesState"


# --------------------------------------------------------------------------- patch_task_instance


def test_patch_marks_the_instance_and_clears_failed_downstream(client, admin, flow):
    body = {"new_state": "success", "dry_run": False}
    response = client.patch(TI.format(run="r2", task="b"), json=body, auth=admin)
    assert response.status_code == 200, response.text
    assert response.json() == {}  # as Airflow 2.10.5 answers a change it made
    assert states("r2") == {"a": "success", "b": "success", "c": "success", "d": None, "e": None}
    run = factories_runs.dag_run("flow", "r2")
    assert (run.state, run.clear_number) == ("queued", 1)
    with db.session_factory()() as session:
        audit = session.scalars(select(EventLog).where(EventLog.event == "api.patch_task_instance")).one()
    assert (audit.dag_id, audit.run_id, audit.task_id) == ("flow", "r2", "b")
    assert audit.execution_date is None  # Airflow fills it from an execution_date query parameter only


@pytest.mark.parametrize("body", [{"new_state": "skipped", "dry_run": True}, {"new_state": "skipped"}])
def test_patch_dry_run_changes_nothing(client, admin, flow, body):
    response = client.patch(TI.format(run="r3", task="c"), json=body, auth=admin)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "task_id": "c",
        "dag_id": "flow",
        "execution_date": "2026-01-03T00:00:00+00:00",
        "dag_run_id": "r3",
    }
    assert states("r3")["c"] is None


def test_patch_to_failed_finishes_a_running_instance(client, admin, flow):
    client.patch(TI.format(run="r3", task="a"), json={"new_state": "failed", "dry_run": False}, auth=admin)
    a = factories_runs.instance("flow", "r3", "a")
    assert a.state == "failed"
    assert a.start_date == DAYS["r3"]
    assert a.end_date is not None
    assert a.duration == (a.end_date - a.start_date).total_seconds()


def test_marking_keeps_the_dates_an_instance_has(client, admin, flow):
    started, ended = DAYS["r2"], DAYS["r2"] + timedelta(minutes=5)
    factories.set_task_instance("flow", "r2", "b", start_date=started, end_date=ended)
    factories.set_task_instance("flow", "r2", "c", start_date=started, end_date=ended)
    body = {"new_state": "success", "dry_run": False}
    assert client.patch(TI.format(run="r2", task="b"), json=body, auth=admin).status_code == 200
    body = {"task_id": "c", "dag_run_id": "r2", "new_state": "skipped", "dry_run": False}
    flags = dict.fromkeys(("include_upstream", "include_downstream", "include_future", "include_past"), False)
    assert client.post(SET_STATE, json={**flags, **body}, auth=admin).status_code == 200
    for task, state in (("b", "success"), ("c", "skipped")):
        instance = factories_runs.instance("flow", "r2", task)
        assert (instance.state, instance.start_date, instance.end_date) == (state, started, ended)
        assert instance.duration == 300.0


def test_patch_mapped_instance_changes_only_that_index(client, admin, example_dags):
    factories_runs.run("partner_feeds_hourly", "p1", DAYS["r1"])
    url = "/api/v1/dags/partner_feeds_hourly/dagRuns/p1/taskInstances/download_feed/1"
    response = client.patch(url, json={"new_state": "skipped", "dry_run": False}, auth=admin)
    assert response.status_code == 200, response.text
    assert response.json() == {}
    got = [factories_runs.instance("partner_feeds_hourly", "p1", "download_feed", i).state for i in range(3)]
    assert got == [None, "skipped", None]
    assert_problem(client.patch(url[:-2], json={"new_state": "skipped"}, auth=admin), 404, "is mapped")
    assert_problem(
        client.patch(url[:-1] + "9", json={"new_state": "skipped"}, auth=admin), 404, "map index 9"
    )
    assert_problem(client.patch(url, json={"dry_run": True}, auth=admin), 400, "new_state")


def test_a_mapped_patch_is_recorded_twice_as_by_airflow(client, admin, example_dags):
    # Airflow 2.10.5's mapped handler passes the request to the unmapped one, and each writes its row.
    factories_runs.run("partner_feeds_hourly", "p1", DAYS["r1"])
    url = "/api/v1/dags/partner_feeds_hourly/dagRuns/p1/taskInstances/download_feed/"
    assert (
        client.patch(url + "1", json={"new_state": "skipped", "dry_run": False}, auth=admin).status_code
        == 200
    )
    assert_problem(client.patch(url + "9", json={"new_state": "skipped"}, auth=admin), 404)
    with db.session_factory()() as session:
        rows = session.scalars(select(EventLog).order_by(EventLog.id)).all()
        logged = [
            (row.event, row.task_id, json.loads(row.extra))
            for row in rows
            if row.event.startswith("api.patch_")
        ]
    first = {"new_state": "skipped", "dry_run": False, "map_index": 1}
    second = {"new_state": "skipped", "map_index": 9}
    assert logged == [
        ("api.patch_mapped_task_instance", "download_feed", first),
        ("api.patch_task_instance", "download_feed", first),
        ("api.patch_mapped_task_instance", "download_feed", second),
        ("api.patch_task_instance", "download_feed", second),
    ]


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"new_state": "running"}, "running"),
        ({}, "new_state"),
        ({"new_state": "success", "note": "x"}, "note"),
        ({"new_state": "success", "dry_run": "no"}, "dry_run"),
    ],
)
def test_patch_rejects_bad_bodies(client, admin, flow, body, detail):
    assert_problem(client.patch(TI.format(run="r2", task="b"), json=body, auth=admin), 400, detail)
    assert states("r2")["b"] == "failed"


def test_patch_errors(client, admin, viewer, flow):
    body = {"new_state": "success", "dry_run": False}
    assert_problem(client.patch(TI.format(run="r2", task="zz"), json=body, auth=admin), 404, "zz")
    assert_problem(client.patch(TI.format(run="r9", task="b"), json=body, auth=admin), 404, "r9")
    assert_problem(
        client.patch(TI.format(run="r2", task="b") + "/0", json=body, auth=admin), 404, "not mapped"
    )
    assert_problem(client.patch(TI.format(run="r2", task="b"), json=body, auth=viewer), 403)
    assert_problem(client.patch(TI.format(run="r2", task="b"), json=body), 401)
    assert states("r2")["b"] == "failed"


# --------------------------------------------------------------------------- notes


def test_set_instance_note(client, admin, flow):
    url = TI.format(run="r2", task="b") + "/setNote"
    response = client.patch(url, json={"note": "flaky upstream API"}, auth=admin)
    assert response.status_code == 200, response.text
    assert response.json()["note"] == "flaky upstream API"
    assert response.json()["state"] == "failed"
    assert client.get(TI.format(run="r2", task="b"), auth=admin).json()["note"] == "flaky upstream API"
    # Airflow refuses a null note; an empty one replaces it.
    assert client.patch(url, json={"note": None}, auth=admin).status_code == 400
    assert client.patch(url, json={"note": ""}, auth=admin).json()["note"] == ""


def test_a_note_may_hold_1000_characters_and_name_a_map_index(client, admin, flow):
    url = TI.format(run="r2", task="b") + "/setNote"
    response = client.patch(url, json={"note": "n" * 1000, "map_index": 7}, auth=admin)
    assert response.status_code == 200, response.text
    assert (response.json()["note"], response.json()["map_index"]) == ("n" * 1000, -1)
    assert_problem(client.patch(url, json={"note": "n" * 1001}, auth=admin), 400, "note")
    assert_problem(client.patch(url, json={"note": "x", "map_index": "one"}, auth=admin), 400, "map_index")
    assert factories_runs.instance("flow", "r2", "b").note == "n" * 1000


def test_set_mapped_instance_note(client, admin, example_dags):
    factories_runs.run("partner_feeds_hourly", "p1", DAYS["r1"])
    url = "/api/v1/dags/partner_feeds_hourly/dagRuns/p1/taskInstances/download_feed/2/setNote"
    response = client.patch(url, json={"note": "partner 2 late"}, auth=admin)
    assert (response.json()["map_index"], response.json()["note"]) == (2, "partner 2 late")
    assert factories_runs.instance("partner_feeds_hourly", "p1", "download_feed", 1).note is None
    assert_problem(client.patch(url.replace("/2/", "/5/"), json={"note": "x"}, auth=admin), 404)


def test_set_instance_note_errors(client, admin, viewer, flow):
    url = TI.format(run="r2", task="b") + "/setNote"
    assert_problem(client.patch(url, json={}, auth=admin), 400, "note")
    assert_problem(client.patch(url, json={"note": ["x"]}, auth=admin), 400, "note")
    assert_problem(
        client.patch(TI.format(run="r2", task="q") + "/setNote", json={"note": "x"}, auth=admin), 404
    )
    assert_problem(client.patch(url, json={"note": "x"}, auth=viewer), 403)
    assert_problem(client.patch(url, json={"note": "x"}), 401)
    assert factories_runs.instance("flow", "r2", "b").note is None


def test_mapped_changes_need_permission(client, viewer, example_dags):
    factories_runs.run("partner_feeds_hourly", "p1", DAYS["r1"])
    url = "/api/v1/dags/partner_feeds_hourly/dagRuns/p1/taskInstances/download_feed/1"
    for path, body in ((url, {"new_state": "failed", "dry_run": False}), (f"{url}/setNote", {"note": "x"})):
        assert_problem(client.patch(path, json=body, auth=viewer), 403)
        assert_problem(client.patch(path, json=body), 401)
    assert_problem(client.patch(url.replace("/1", "/-5"), json={"new_state": "failed"}, auth=viewer), 400)
    unchanged = factories_runs.instance("partner_feeds_hourly", "p1", "download_feed", 1)
    assert (unchanged.state, unchanged.note) == (None, None)
