"""Changing task instances: patch_task_instance, patch_mapped_task_instance, set_task_instance_note,
set_mapped_task_instance_note, post_clear_task_instances, post_set_task_instances_state."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from orchestrator_api import db
from orchestrator_api.models import EventLog
from tests import factories, factories_runs
from tests.problems import assert_problem

# a -> (b, c) -> d -> e
FLOW = """
dag_id: flow
schedule: null
start_date: 2026-01-01T00:00:00Z
tasks:
  - task_id: a
    operator: EmptyOperator
  - task_id: b
    operator: EmptyOperator
    upstream: [a]
    retries: 1
  - task_id: c
    operator: EmptyOperator
    upstream: [a]
  - task_id: d
    operator: EmptyOperator
    upstream: [b, c]
  - task_id: e
    operator: EmptyOperator
    upstream: [d]
"""

DAYS = {run_id: datetime(2026, 1, day, tzinfo=UTC) for day, run_id in enumerate(("r1", "r2", "r3"), 1)}
TASKS = ("a", "b", "c", "d", "e")
R2_STATES = ("success", "failed", "success", "upstream_failed", "upstream_failed")
TI = "/api/v1/dags/flow/dagRuns/{run}/taskInstances/{task}"
CLEAR = "/api/v1/dags/flow/clearTaskInstances"
SET_STATE = "/api/v1/dags/flow/updateTaskInstancesState"


@pytest.fixture
def flow(dag_folder: Any) -> None:
    """r1: all success; r2: b failed so d and e upstream_failed; r3: a running, the rest without state."""
    dag_folder({"flow.yaml": FLOW})
    for run_id, date in DAYS.items():
        factories_runs.run("flow", run_id, date, state="running")
    done = {"try_number": 1, "start_date": DAYS["r1"], "end_date": DAYS["r1"]}
    for task in TASKS:
        factories.set_task_instance("flow", "r1", task, state="success", **done)
    factories.set_dag_run("flow", "r1", state="success")
    for task, state in zip(TASKS, R2_STATES, strict=True):
        factories.set_task_instance("flow", "r2", task, state=state, **done)
    factories.set_dag_run("flow", "r2", state="failed")
    factories.set_task_instance("flow", "r3", "a", state="running", try_number=1, start_date=DAYS["r3"])


def states(run_id: str) -> dict[str, str | None]:
    return {task: factories_runs.instance("flow", run_id, task).state for task in TASKS}


def listed(response: Any) -> list[tuple[str, str]]:
    assert response.status_code == 200, response.text
    return sorted((ti["dag_run_id"], ti["task_id"]) for ti in response.json()["task_instances"])


# --------------------------------------------------------------------------- patch_task_instance


def test_patch_marks_the_instance_and_clears_failed_downstream(client, admin, flow):
    response = client.patch(TI.format(run="r2", task="b"), json={"new_state": "success"}, auth=admin)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "task_id": "b",
        "dag_id": "flow",
        "execution_date": "2026-01-02T00:00:00+00:00",
        "dag_run_id": "r2",
    }
    assert states("r2") == {"a": "success", "b": "success", "c": "success", "d": None, "e": None}
    run = factories_runs.dag_run("flow", "r2")
    assert (run.state, run.clear_number) == ("queued", 1)
    with db.session_factory()() as session:
        audit = session.scalars(select(EventLog).where(EventLog.event == "patch_task_instance")).one()
    assert (audit.dag_id, audit.run_id, audit.task_id) == ("flow", "r2", "b")
    assert audit.execution_date == DAYS["r2"]


def test_patch_dry_run_changes_nothing(client, admin, flow):
    body = {"new_state": "skipped", "dry_run": True}
    response = client.patch(TI.format(run="r3", task="c"), json=body, auth=admin)
    assert response.json()["task_id"] == "c"
    assert states("r3")["c"] is None


def test_patch_to_failed_finishes_a_running_instance(client, admin, flow):
    client.patch(TI.format(run="r3", task="a"), json={"new_state": "failed"}, auth=admin)
    a = factories_runs.instance("flow", "r3", "a")
    assert a.state == "failed"
    assert a.end_date is not None
    assert a.duration is not None


def test_patch_mapped_instance_changes_only_that_index(client, admin, example_dags):
    factories_runs.run("partner_feeds_hourly", "p1", DAYS["r1"])
    url = "/api/v1/dags/partner_feeds_hourly/dagRuns/p1/taskInstances/download_feed/1"
    response = client.patch(url, json={"new_state": "skipped"}, auth=admin)
    assert response.status_code == 200, response.text
    assert response.json()["task_id"] == "download_feed"
    got = [factories_runs.instance("partner_feeds_hourly", "p1", "download_feed", i).state for i in range(3)]
    assert got == [None, "skipped", None]
    assert_problem(client.patch(url[:-2], json={"new_state": "skipped"}, auth=admin), 404, "is mapped")
    assert_problem(
        client.patch(url[:-1] + "9", json={"new_state": "skipped"}, auth=admin), 404, "map index 9"
    )
    assert_problem(client.patch(url, json={"dry_run": True}, auth=admin), 400, "new_state")


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
    body = {"new_state": "success"}
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
    assert client.patch(url, json={"note": None}, auth=admin).json()["note"] is None


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


# --------------------------------------------------------------------------- post_clear_task_instances


def test_clear_defaults_to_a_dry_run_of_failed_instances(client, admin, flow):
    response = client.post(CLEAR, json={}, auth=admin)
    assert listed(response) == [("r2", "b"), ("r2", "d"), ("r2", "e")]
    assert states("r2")["b"] == "failed"


def test_clear_resets_failed_instances_and_queues_their_run(client, admin, flow):
    response = client.post(CLEAR, json={"dry_run": False}, auth=admin)
    assert listed(response) == [("r2", "b"), ("r2", "d"), ("r2", "e")]
    assert states("r2") == {"a": "success", "b": None, "c": "success", "d": None, "e": None}
    b = factories_runs.instance("flow", "r2", "b")
    assert (b.try_number, b.max_tries) == (1, 2)
    assert factories_runs.history_count("flow", "r2") == 3
    run = factories_runs.dag_run("flow", "r2")
    assert (run.state, run.clear_number, run.end_date) == ("queued", 1, None)
    assert factories_runs.dag_run("flow", "r1").state == "success"


def test_clear_without_resetting_runs(client, admin, flow):
    body = {"dry_run": False, "reset_dag_runs": False}
    client.post(CLEAR, json=body, auth=admin)
    assert states("r2")["b"] is None
    assert factories_runs.dag_run("flow", "r2").state == "failed"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"only_failed": False, "dag_run_id": "r1"}, [("r1", t) for t in TASKS]),
        (
            {"only_failed": False, "dag_run_id": "r2", "task_ids": ["b"], "include_downstream": True},
            [("r2", "b"), ("r2", "d"), ("r2", "e")],
        ),
        (
            {"only_failed": False, "dag_run_id": "r1", "task_ids": ["d"], "include_upstream": True},
            [("r1", "a"), ("r1", "b"), ("r1", "c"), ("r1", "d")],
        ),
        (
            {"only_failed": False, "dag_run_id": "r2", "task_ids": ["a"], "include_past": True},
            [("r1", "a"), ("r2", "a")],
        ),
        (
            {"only_failed": False, "dag_run_id": "r2", "task_ids": ["a"], "include_future": True},
            [("r2", "a"), ("r3", "a")],
        ),
        (
            {"only_failed": False, "task_ids": ["c"], "start_date": "2026-01-02T00:00:00Z"},
            [("r2", "c"), ("r3", "c")],
        ),
        ({"only_failed": False, "task_ids": ["c"], "end_date": "2026-01-01T12:00:00Z"}, [("r1", "c")]),
        ({"only_failed": False, "only_running": True}, [("r3", "a")]),
        ({"only_failed": False, "task_ids": ["nope"]}, []),
    ],
)
def test_clear_selects_as_asked(client, admin, flow, body, expected):
    assert listed(client.post(CLEAR, json=body, auth=admin)) == expected


def test_clear_running_instance_restarts_it(client, admin, flow):
    body = {"dry_run": False, "only_failed": False, "only_running": True}
    assert listed(client.post(CLEAR, json=body, auth=admin)) == [("r3", "a")]
    assert states("r3")["a"] == "restarting"
    assert factories_runs.history_count("flow", "r3") == 0


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"task_ids": []}, "task_ids"),
        ({"dry_run": "maybe"}, "dry_run"),
        ({"start_date": "soon"}, "date-time"),
        ({"surprise": True}, "surprise"),
    ],
)
def test_clear_rejects_bad_bodies(client, admin, flow, body, detail):
    assert_problem(client.post(CLEAR, json={**body}, auth=admin), 400, detail)


def test_clear_errors(client, admin, viewer, flow):
    assert_problem(client.post(CLEAR, json={"dag_run_id": "r9", "dry_run": False}, auth=admin), 404, "r9")
    assert_problem(client.post("/api/v1/dags/nope/clearTaskInstances", json={}, auth=admin), 404, "nope")
    assert_problem(client.post(CLEAR, json={"dry_run": False}, auth=viewer), 403)
    assert_problem(client.post(CLEAR, json={"dry_run": False}), 401)
    assert states("r2")["b"] == "failed"


# --------------------------------------------------------------------------- post_set_task_instances_state


def test_set_state_defaults_to_a_dry_run(client, admin, flow):
    body = {"task_id": "b", "dag_run_id": "r2", "new_state": "success"}
    assert listed(client.post(SET_STATE, json=body, auth=admin)) == [("r2", "b")]
    assert states("r2")["b"] == "failed"


def test_set_state_marks_and_clears_failed_downstream(client, admin, flow):
    body = {"task_id": "b", "dag_run_id": "r2", "new_state": "success", "dry_run": False}
    assert listed(client.post(SET_STATE, json=body, auth=admin)) == [("r2", "b")]
    assert states("r2") == {"a": "success", "b": "success", "c": "success", "d": None, "e": None}
    assert factories_runs.dag_run("flow", "r2").state == "queued"


def test_set_state_with_downstream_marks_them_too(client, admin, flow):
    body = {"task_id": "b", "execution_date": "2026-01-02T00:00:00Z", "new_state": "success",
            "include_downstream": True, "dry_run": False}  # fmt: skip
    assert listed(client.post(SET_STATE, json=body, auth=admin)) == [("r2", "b"), ("r2", "d"), ("r2", "e")]
    assert set(states("r2").values()) == {"success"}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"task_id": "b", "dag_run_id": "r1", "new_state": "success"}, []),
        (
            {"task_id": "d", "dag_run_id": "r1", "new_state": "failed", "include_upstream": True},
            [("r1", "a"), ("r1", "b"), ("r1", "c"), ("r1", "d")],
        ),
        (
            {"task_id": "a", "dag_run_id": "r2", "new_state": "success", "include_future": True},
            [("r3", "a")],
        ),
        (
            {"task_id": "c", "dag_run_id": "r2", "new_state": "skipped", "include_past": True},
            [("r1", "c"), ("r2", "c")],
        ),
        (
            {"task_id": "e", "dag_run_id": "r2", "new_state": "skipped", "include_past": True,
             "include_future": True},
            [("r1", "e"), ("r2", "e"), ("r3", "e")],
        ),
    ],
)  # fmt: skip
def test_set_state_lists_only_instances_whose_state_changes(client, admin, flow, body, expected):
    assert listed(client.post(SET_STATE, json=body, auth=admin)) == expected


@pytest.mark.parametrize(
    ("body", "status", "detail"),
    [
        ({"task_id": "b", "new_state": "success"}, 400, None),
        ({"task_id": "b", "dag_run_id": "r2", "execution_date": "2026-01-02T00:00:00Z",
          "new_state": "success"}, 400, None),
        ({"task_id": "b", "dag_run_id": "r2", "new_state": "queued"}, 400, "queued"),
        ({"task_id": "zz", "dag_run_id": "r2", "new_state": "success"}, 404, "zz"),
        ({"task_id": "b", "dag_run_id": "r9", "new_state": "success"}, 404, "r9"),
        ({"task_id": "b", "execution_date": "2027-01-01T00:00:00Z", "new_state": "success"}, 404, "2027"),
    ],
)  # fmt: skip
def test_set_state_errors(client, admin, flow, body, status, detail):
    assert_problem(client.post(SET_STATE, json={**body, "dry_run": False}, auth=admin), status, detail)
    assert states("r2")["b"] == "failed"


def test_set_state_needs_permission(client, admin, viewer, flow):
    body = {"task_id": "b", "dag_run_id": "r2", "new_state": "success", "dry_run": False}
    assert_problem(client.post(SET_STATE, json=body, auth=viewer), 403)
    assert_problem(client.post(SET_STATE, json=body), 401)
    assert_problem(client.post("/api/v1/dags/nope/updateTaskInstancesState", json=body, auth=admin), 404)
