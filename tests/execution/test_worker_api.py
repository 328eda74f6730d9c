"""The worker API over HTTP: worker tokens only, leases that guard a task instance, 4xx that change nothing"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from orchestrator_api.scheduling.loop import run as scheduler_run
from tests.problems import assert_problem

ONE = """
dag_id: one
schedule: null
start_date: 2026-01-01
params: {size: 3}
tasks:
  - task_id: hello
    operator: BashOperator
    bash_command: "echo {{ params.size }}"
    retries: 1
    retry_delay: 0
"""
Auth = tuple[str, str]


def assert_lease_lost(response: Any) -> None:
    assert response.status_code == 409, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["title"] == "Conflict"
    assert body["type"].endswith("#section/Errors/LeaseLost")
    assert "not held" in body["detail"]


@pytest.fixture
def queued(client: Any, admin: Auth, dag_folder: Callable[..., list[str]]) -> str:
    """A run of `one` whose only task instance is queued; returns the run id."""
    dag_folder({"one.yaml": ONE})
    client.patch("/api/v1/dags/one", json={"is_paused": False}, auth=admin)
    run_id: str = client.post("/api/v1/dags/one/dagRuns", json={"conf": {"k": 1}}, auth=admin).json()[
        "dag_run_id"
    ]
    scheduler_run(once=True)
    return run_id


@pytest.fixture
def worker(client: Any, admin: Auth) -> dict[str, str]:
    answer = client.post("/api/v1/workers", json={"name": "w1"}, auth=admin)
    assert answer.status_code == 201
    assert answer.json()["token"].startswith("oapi_wrk_")
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def claim(client: Any, headers: dict[str, str]) -> list[dict[str, Any]]:
    answer = client.post("/api/v1/worker/claims", json={"queues": ["default"], "limit": 5}, headers=headers)
    assert answer.status_code == 200, answer.text
    claimed: list[dict[str, Any]] = answer.json()["task_instances"]
    return claimed


def ti_state(client: Any, admin: Auth, run_id: str) -> tuple[str, int]:
    ti = client.get(f"/api/v1/dags/one/dagRuns/{run_id}/taskInstances/hello", auth=admin).json()
    return ti["state"], ti["try_number"]


def test_a_claim_hands_out_what_running_needs_once(client, admin, queued, worker):
    first = claim(client, worker)
    assert len(first) == 1
    got = first[0]
    assert (got["dag_id"], got["dag_run_id"], got["task_id"], got["try_number"]) == (
        "one",
        queued,
        "hello",
        1,
    )
    assert got["operator"] == "BashOperator"
    assert got["operator_args"] == {"bash_command": "echo {{ params.size }}"}
    assert (got["conf"], got["params"]) == ({"k": 1}, {"size": 3})
    assert claim(client, worker) == []  # never handed out twice
    assert ti_state(client, admin, queued) == ("running", 1)


def test_only_worker_tokens_reach_the_worker_api_and_they_reach_nothing_else(client, admin, queued, worker):
    refused = client.post("/api/v1/worker/claims", json={"queues": ["default"]}, auth=admin)
    assert_problem(refused, 403, "can_execute")
    assert_problem(client.get("/api/v1/dags", headers=worker), 403, "worker API")
    assert_problem(client.get("/api/v1/workers", headers=worker), 403, "worker API")
    assert ti_state(client, admin, queued) == ("queued", 1)


def test_a_revoked_worker_token_is_refused(client, admin, queued, worker):
    worker_id = client.get("/api/v1/workers", auth=admin).json()["workers"][0]["worker_id"]
    assert client.delete(f"/api/v1/workers/{worker_id}", auth=admin).status_code == 204
    assert_problem(client.post("/api/v1/worker/claims", json={"queues": ["default"]}, headers=worker), 401)


def test_calls_without_the_lease_change_nothing(client, admin, queued, worker):
    got = claim(client, worker)[0]
    base = f"/api/v1/worker/taskInstances/{got['task_instance_id']}"
    wrong = {"lease_id": "not-the-lease"}
    assert_lease_lost(client.post(f"{base}/heartbeat", json=wrong, headers=worker))
    assert_lease_lost(client.post(f"{base}/finish", json={**wrong, "state": "success"}, headers=worker))
    assert_lease_lost(client.post(f"{base}/xcoms", json={**wrong, "key": "k", "value": 1}, headers=worker))
    assert_lease_lost(client.post(f"{base}/logs", json={**wrong, "content": "x"}, headers=worker))
    assert_problem(client.post(f"{base}/finish", json={"state": "success"}, headers=worker), 400)
    bad_state = {"lease_id": got["lease_id"], "state": "running"}
    assert_problem(client.post(f"{base}/finish", json=bad_state, headers=worker), 400)
    missing = "/api/v1/worker/taskInstances/999999/heartbeat"
    assert_problem(client.post(missing, json={"lease_id": got["lease_id"]}, headers=worker), 404)
    assert ti_state(client, admin, queued) == ("running", 1)


def test_after_finishing_the_worker_can_change_nothing(client, admin, queued, worker):
    got = claim(client, worker)[0]
    base = f"/api/v1/worker/taskInstances/{got['task_instance_id']}"
    lease = {"lease_id": got["lease_id"]}
    assert client.post(f"{base}/heartbeat", json=lease, headers=worker).status_code == 200
    assert (
        client.post(f"{base}/logs", json={**lease, "content": "line one\n"}, headers=worker).status_code
        == 204
    )
    assert (
        client.post(f"{base}/xcoms", json={**lease, "key": "k", "value": [1]}, headers=worker).status_code
        == 204
    )
    done = client.post(f"{base}/finish", json={**lease, "state": "success"}, headers=worker)
    assert done.json() == {"task_instance_id": got["task_instance_id"], "state": "success", "try_number": 1}

    assert_lease_lost(client.post(f"{base}/finish", json={**lease, "state": "failed"}, headers=worker))
    assert_lease_lost(client.post(f"{base}/xcoms", json={**lease, "key": "k", "value": 2}, headers=worker))
    assert_lease_lost(client.post(f"{base}/logs", json={**lease, "content": "late\n"}, headers=worker))
    assert ti_state(client, admin, queued) == ("success", 1)
    entry = f"/api/v1/dags/one/dagRuns/{queued}/taskInstances/hello/xcomEntries/k"
    assert client.get(entry, auth=admin).json()["value"] == "[1]"
    log = client.get(
        f"/api/v1/dags/one/dagRuns/{queued}/taskInstances/hello/logs/1",
        auth=admin,
        headers={"Accept": "text/plain"},
    )
    assert log.text == "line one\n"


def test_an_expired_lease_is_a_failed_try_and_the_old_worker_is_refused(
    client, admin, queued, worker, settings_env
):
    settings_env(LEASE_SECONDS="0.3")
    got = claim(client, worker)[0]
    time.sleep(0.4)
    base = f"/api/v1/worker/taskInstances/{got['task_instance_id']}"
    assert_lease_lost(client.post(f"{base}/heartbeat", json={"lease_id": got["lease_id"]}, headers=worker))
    scheduler_run(once=True)
    state, try_number = ti_state(client, admin, queued)
    assert (state, try_number) in {("queued", 2), ("scheduled", 2)}  # retried: a second try is on its way
    assert_lease_lost(
        client.post(f"{base}/finish", json={"lease_id": got["lease_id"], "state": "success"}, headers=worker)
    )
    again = claim(client, worker)[0]
    assert (again["task_instance_id"], again["try_number"]) == (got["task_instance_id"], 2)
    assert again["lease_id"] != got["lease_id"]


@pytest.mark.parametrize("limit", [1, 10])
def test_listing_workers_runs_fixed_statements_and_never_shows_tokens(client, admin, count_statements, limit):
    for name in ("a", "b", "c"):
        assert client.post("/api/v1/workers", json={"name": name}, auth=admin).status_code == 201
    count_statements.clear()
    response = client.get(f"/api/v1/workers?limit={limit}", auth=admin)
    assert response.status_code == 200
    body = response.json()
    assert (len(body["workers"]), body["total_entries"]) == (min(limit, 3), 3)
    assert "token" not in body["workers"][0]
    assert body["workers"][0]["token_prefix"].startswith("oapi_wrk_")
    # principal check + page [+ count when the page is full]
    assert len(count_statements) == (3 if limit < 3 else 2), count_statements


def test_workers_need_credentials_and_the_pool_managers_permission(client, admin, viewer):
    assert_problem(client.get("/api/v1/workers"), 401)
    assert_problem(client.post("/api/v1/worker/claims", json={"queues": ["default"]}), 401)
    assert_problem(
        client.post("/api/v1/workers", json={"name": "w"}, auth=viewer), 403, "can_create on Pools"
    )
    assert client.post("/api/v1/workers", json={"name": "w"}, auth=admin).status_code == 201
    assert_problem(client.post("/api/v1/workers", json={"name": "w"}, auth=admin), 409)
    assert_problem(client.post("/api/v1/workers", json={"name": "bad name"}, auth=admin), 400)
    assert_problem(client.delete("/api/v1/workers/999", auth=admin), 404)
    assert client.get("/api/v1/workers", auth=admin).json()["total_entries"] == 1
