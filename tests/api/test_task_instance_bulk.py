"""Changing many task instances: post_clear_task_instances, post_set_task_instances_state."""

from __future__ import annotations

import pytest

from tests import factories_runs
from tests.problems import assert_problem
from tests.runs_scenarios import FLOW_TASKS as TASKS
from tests.runs_scenarios import flow_states as states
from tests.runs_scenarios import listed_instances as listed

CLEAR = "/api/v1/dags/flow/clearTaskInstances"
SET_STATE = "/api/v1/dags/flow/updateTaskInstancesState"
# Airflow requires the four include flags in every updateTaskInstancesState body.
FLAGS = dict.fromkeys(("include_upstream", "include_downstream", "include_future", "include_past"), False)


# --------------------------------------------------------------------------- post_clear_task_instances


def test_clear_defaults_to_a_dry_run_of_failed_instances(client, admin, flow):
    response = client.post(CLEAR, json={}, auth=admin)
    assert listed(response) == [("r2", "b"), ("r2", "d"), ("r2", "e")]
    assert states("r2")["b"] == "failed"


def test_clear_resets_failed_instances_and_queues_their_run(client, admin, flow):
    response = client.post(CLEAR, json={"dry_run": False, "reset_dag_runs": True}, auth=admin)
    assert listed(response) == [("r2", "b"), ("r2", "d"), ("r2", "e")]
    assert states("r2") == {"a": "success", "b": None, "c": "success", "d": None, "e": None}
    b = factories_runs.instance("flow", "r2", "b")
    assert (b.try_number, b.max_tries) == (1, 2)
    assert factories_runs.history_count("flow", "r2") == 3
    run = factories_runs.dag_run("flow", "r2")
    assert (run.state, run.clear_number, run.end_date) == ("queued", 1, None)
    assert factories_runs.dag_run("flow", "r1").state == "success"


@pytest.mark.parametrize("body", [{"dry_run": False, "reset_dag_runs": False}, {"dry_run": False}])
def test_clear_without_resetting_runs(client, admin, flow, body):
    assert listed(client.post(CLEAR, json=body, auth=admin)) == [("r2", "b"), ("r2", "d"), ("r2", "e")]
    assert states("r2")["b"] is None
    run = factories_runs.dag_run("flow", "r2")
    assert (run.state, run.clear_number) == ("failed", 0)


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
        ({"only_running": True}, "only_failed and only_running"),
        ({"only_failed": True, "only_running": True}, "only_failed and only_running"),
        ({"start_date": "2026-01-03T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"}, "after end_date"),
        ({"start_date": "2026-01-01T23:00:00-02:00", "end_date": "2026-01-02T00:30:00Z"}, "after end_date"),
        ({"dag_run_id": "r2", "start_date": "2026-01-01T00:00:00Z"}, "dag_run_id"),
        ({"dag_run_id": "r2", "end_date": "2026-01-03T00:00:00Z"}, "dag_run_id"),
        (
            {"dag_run_id": "r2", "start_date": "2026-01-01T00:00:00Z", "end_date": "2026-01-03T00:00:00Z"},
            "dag_run_id",
        ),
    ],
)
def test_clear_rejects_bad_bodies(client, admin, flow, body, detail):
    assert_problem(client.post(CLEAR, json={"dry_run": False, **body}, auth=admin), 400, detail)
    assert states("r2")["b"] == "failed"
    assert states("r3")["a"] == "running"


def test_clear_accepts_equal_dates_and_an_empty_run_id_with_dates(client, admin, flow):
    day = "2026-01-02T00:00:00Z"
    body = {"only_failed": False, "task_ids": ["a"], "start_date": day, "end_date": day}
    assert listed(client.post(CLEAR, json=body, auth=admin)) == [("r2", "a")]
    body = {"only_failed": False, "task_ids": ["a"], "dag_run_id": None, "start_date": day}
    assert listed(client.post(CLEAR, json=body, auth=admin)) == [("r2", "a"), ("r3", "a")]


def test_clear_errors(client, admin, viewer, flow):
    assert_problem(client.post(CLEAR, json={"dag_run_id": "r9", "dry_run": False}, auth=admin), 404, "r9")
    assert_problem(client.post("/api/v1/dags/nope/clearTaskInstances", json={}, auth=admin), 404, "nope")
    assert_problem(client.post(CLEAR, json={"dry_run": False}, auth=viewer), 403)
    assert_problem(client.post(CLEAR, json={"dry_run": False}), 401)
    assert states("r2")["b"] == "failed"


# --------------------------------------------------------------------------- post_set_task_instances_state


def test_set_state_defaults_to_a_dry_run(client, admin, flow):
    body = {"task_id": "b", "dag_run_id": "r2", "new_state": "success"}
    assert listed(client.post(SET_STATE, json={**FLAGS, **body}, auth=admin)) == [("r2", "b")]
    assert states("r2")["b"] == "failed"


def test_set_state_marks_and_clears_failed_downstream(client, admin, flow):
    body = {"task_id": "b", "dag_run_id": "r2", "new_state": "success", "dry_run": False}
    assert listed(client.post(SET_STATE, json={**FLAGS, **body}, auth=admin)) == [("r2", "b")]
    assert states("r2") == {"a": "success", "b": "success", "c": "success", "d": None, "e": None}
    assert factories_runs.dag_run("flow", "r2").state == "queued"


def test_set_state_with_downstream_marks_them_too(client, admin, flow):
    body = {"task_id": "b", "execution_date": "2026-01-02T00:00:00Z", "new_state": "success",
            "include_downstream": True, "dry_run": False}  # fmt: skip
    response = client.post(SET_STATE, json={**FLAGS, **body}, auth=admin)
    assert listed(response) == [("r2", "b"), ("r2", "d"), ("r2", "e")]
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
    assert listed(client.post(SET_STATE, json={**FLAGS, **body}, auth=admin)) == expected


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
    response = client.post(SET_STATE, json={**FLAGS, **body, "dry_run": False}, auth=admin)
    assert_problem(response, status, detail)
    assert states("r2")["b"] == "failed"


def test_set_state_needs_permission(client, admin, viewer, flow):
    body = {"task_id": "b", "dag_run_id": "r2", "new_state": "success", "dry_run": False}
    assert_problem(client.post(SET_STATE, json={**FLAGS, **body}, auth=viewer), 403)
    assert_problem(client.post(SET_STATE, json=body), 401)
    nope = "/api/v1/dags/nope/updateTaskInstancesState"
    assert_problem(client.post(nope, json={**FLAGS, **body}, auth=admin), 404)
