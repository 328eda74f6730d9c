"""Extra links and dependency explanations: get_extra_links, get_task_instance_dependencies,
get_mapped_task_instance_dependencies."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests import factories, factories_runs
from tests.problems import assert_problem

RUN = "manual__2026-01-01T00:00:00+00:00"
FEEDS = f"/api/v1/dags/partner_feeds_hourly/dagRuns/{RUN}/taskInstances"

PIPE = """
dag_id: pipe
schedule: null
start_date: 2026-01-01T00:00:00Z
tasks:
  - task_id: first
    operator: EmptyOperator
    retries: 2
    retry_delay: 600
  - task_id: second
    operator: EmptyOperator
    upstream: [first]
    depends_on_past: true
  - task_id: fanned
    operator: EmptyOperator
    expand: 2
  - task_id: joined
    operator: EmptyOperator
    upstream: [first, fanned]
    trigger_rule: none_failed_min_one_success
  - task_id: pooled
    operator: EmptyOperator
    pool: tiny
    pool_slots: 2
"""
PIPE_TI = "/api/v1/dags/pipe/dagRuns/{run}/taskInstances/{task}/dependencies"


# --------------------------------------------------------------------------- extra links


@pytest.fixture
def feeds_run(example_dags: Any) -> None:
    factories_runs.run("partner_feeds_hourly", RUN, datetime(2026, 1, 1, tzinfo=UTC))
    factories.set_task_instance("partner_feeds_hourly", RUN, "download_feed", 2, try_number=3)


def test_extra_links_fill_in_the_template_url_encoded(client, viewer, feeds_run):
    response = client.get(f"{FEEDS}/download_feed/links?map_index=2", auth=viewer)
    assert response.status_code == 200
    assert response.json() == {
        "extra_links": [
            {
                "class_ref": {"class_name": "Feed log", "module_path": ""},
                "name": "Feed log",
                "href": "https://logs.example.com/partner_feeds_hourly/"
                "manual__2026-01-01T00%3A00%3A00%2B00%3A00/download_feed/2?try=3",
            }
        ]
    }


def test_extra_links_default_to_the_first_map_index(client, admin, feeds_run):
    link = client.get(f"{FEEDS}/download_feed/links", auth=admin).json()["extra_links"][0]
    assert link["href"].endswith("/download_feed/0?try=0")


def test_a_task_without_links_has_none(client, admin, feeds_run):
    assert client.get(f"{FEEDS}/list_partners/links", auth=admin).json() == {"extra_links": []}


def test_extra_links_errors(client, admin, public_user, feeds_run):
    assert_problem(client.get(f"{FEEDS}/nope/links", auth=admin), 404, "nope")
    assert_problem(client.get(f"{FEEDS}/download_feed/links?map_index=9", auth=admin), 404, "map index 9")
    assert_problem(client.get(f"{FEEDS.replace(RUN, 'other')}/download_feed/links", auth=admin), 404, "other")
    assert_problem(client.get(f"{FEEDS}/download_feed/links?map_index=-2", auth=admin), 400)
    assert_problem(client.get(f"{FEEDS}/download_feed/links", auth=public_user), 403)
    assert_problem(client.get(f"{FEEDS}/download_feed/links"), 401)


# --------------------------------------------------------------------------- dependencies


@pytest.fixture
def pipe(dag_folder: Any) -> None:
    dag_folder({"pipe.yaml": PIPE})
    factories_runs.run("pipe", "day1", datetime(2026, 1, 1, tzinfo=UTC), state="success")
    factories_runs.run("pipe", "day2", datetime(2026, 1, 2, tzinfo=UTC), state="running")
    factories.set_task_instance("pipe", "day1", "second", state="failed", try_number=1)


def reasons(response: Any) -> dict[str, str]:
    assert response.status_code == 200, response.text
    return {dep["name"]: dep["reason"] for dep in response.json()["dependencies"]}


def scheduled(run: str, task: str, map_index: int = -1) -> None:
    factories.set_task_instance("pipe", run, task, map_index, state="scheduled")


def test_an_instance_that_could_be_queued_has_no_unmet_dependencies(client, viewer, pipe):
    scheduled("day2", "first")
    assert client.get(PIPE_TI.format(run="day2", task="first"), auth=viewer).json() == {"dependencies": []}


def test_an_instance_without_a_state_is_not_queueable_yet(client, viewer, pipe):
    # As in Airflow 2.10.5: only a scheduled instance is queued.
    found = reasons(client.get(PIPE_TI.format(run="day2", task="first"), auth=viewer))
    assert found == {"Task Instance State": "Task is in the 'None' state."}


@pytest.mark.parametrize(
    "state", ["success", "failed", "running", "queued", "up_for_retry", "deferred", "upstream_failed"]
)
def test_instances_past_scheduling_list_no_dependencies(client, admin, pipe, state):
    client.patch("/api/v1/dags/pipe", json={"is_paused": True}, auth=admin)  # would be unmet if judged
    ended = datetime.now(UTC) - timedelta(minutes=1)  # within first's retry delay
    factories.set_task_instance("pipe", "day1", "first", state=state, try_number=1, end_date=ended)
    response = client.get(PIPE_TI.format(run="day1", task="first"), auth=admin)
    assert response.status_code == 200, response.text
    assert response.json() == {"dependencies": []}


def test_run_state_and_paused_dag_are_explained_in_name_order(client, admin, pipe):
    client.patch("/api/v1/dags/pipe", json={"is_paused": True}, auth=admin)
    scheduled("day1", "pooled")
    response = client.get(PIPE_TI.format(run="day1", task="pooled"), auth=admin)
    names = [dep["name"] for dep in response.json()["dependencies"]]
    assert names == ["Dag Not Paused", "Dagrun Running", "Pool Slots Available"]
    found = reasons(response)
    assert found["Dagrun Running"] == (
        "Task instance's dagrun was not in the 'running' state but in the state 'success'."
    )
    assert found["Dag Not Paused"] == "Task's DAG 'pipe' is paused."


def test_a_queued_run_is_not_running_yet(client, admin, pipe):
    factories.set_dag_run("pipe", "day2", state="queued")
    scheduled("day2", "first")
    found = reasons(client.get(PIPE_TI.format(run="day2", task="first"), auth=admin))
    assert list(found) == ["Dagrun Running"]
    assert "'queued'" in found["Dagrun Running"]


def test_upstream_counts_against_the_trigger_rule(client, admin, pipe):
    scheduled("day2", "joined")
    reason = reasons(client.get(PIPE_TI.format(run="day2", task="joined"), auth=admin))["Trigger Rule"]
    assert reason == (
        "Task's trigger rule 'none_failed_min_one_success' requires all upstream tasks to have succeeded "
        "or been skipped, but found 3 non-success(es). upstream_states=_UpstreamTIStates(success=0, "
        "skipped=0, failed=0, upstream_failed=0, removed=0, done=0, success_setup=0, skipped_setup=0), "
        "upstream_task_ids={'fanned', 'first'}"
    )
    factories.set_task_instance("pipe", "day2", "first", state="success")
    factories.set_task_instance("pipe", "day2", "fanned", 0, state="skipped")
    factories.set_task_instance("pipe", "day2", "fanned", 1, state="failed")
    reason = reasons(client.get(PIPE_TI.format(run="day2", task="joined"), auth=admin))["Trigger Rule"]
    assert "found 1 non-success(es)" in reason
    assert "success=1, skipped=1, failed=1, upstream_failed=0, removed=0, done=3" in reason
    factories.set_task_instance("pipe", "day2", "fanned", 1, state="success")
    assert reasons(client.get(PIPE_TI.format(run="day2", task="joined"), auth=admin)) == {}


def test_depends_on_past_looks_at_the_previous_run(client, admin, pipe):
    factories.set_task_instance("pipe", "day2", "first", state="success")
    scheduled("day2", "second")
    found = reasons(client.get(PIPE_TI.format(run="day2", task="second"), auth=admin))
    assert found == {
        "Previous Dagrun State": "depends_on_past is true for this task, but 1 previous task instance(s) "
        "are not in a successful state."
    }
    factories.set_task_instance("pipe", "day1", "second", state="skipped")
    assert reasons(client.get(PIPE_TI.format(run="day2", task="second"), auth=admin)) == {}


def test_pools_are_explained(client, admin, pipe):
    scheduled("day2", "pooled")
    found = reasons(client.get(PIPE_TI.format(run="day2", task="pooled"), auth=admin))
    assert found == {"Pool Slots Available": "Tasks using non-existent pool 'tiny' will not be scheduled"}
    factories_runs.pool("tiny", 3)
    assert reasons(client.get(PIPE_TI.format(run="day2", task="pooled"), auth=admin)) == {}
    factories.set_task_instance("pipe", "day1", "pooled", state="running")  # holds 2 of the 3 slots
    found = reasons(client.get(PIPE_TI.format(run="day2", task="pooled"), auth=admin))
    assert found["Pool Slots Available"] == (
        "Not scheduling since there are 1 open slots in pool tiny and require 2 pool slots"
    )


def test_a_logical_date_before_the_start_date_is_explained(client, admin, pipe):
    factories_runs.run("pipe", "early", datetime(2025, 12, 31, tzinfo=UTC), state="running")
    scheduled("early", "first")
    response = client.get(PIPE_TI.format(run="early", task="first"), auth=admin)
    assert response.status_code == 200, response.text
    # Airflow checks the task's start date (its DAG's unless it has its own), then the DAG's.
    before = "The execution date is 2025-12-31T00:00:00+00:00 but this is before"
    assert response.json()["dependencies"] == [
        {"name": "Execution Date", "reason": f"{before} the task's start date 2026-01-01T00:00:00+00:00."},
        {
            "name": "Execution Date",
            "reason": f"{before} the task's DAG's start date 2026-01-01T00:00:00+00:00.",
        },
    ]


def test_mapped_instance_dependencies(client, admin, pipe):
    url = "/api/v1/dags/pipe/dagRuns/day2/taskInstances/fanned/1/dependencies"
    scheduled("day2", "fanned", 1)
    assert client.get(url, auth=admin).json() == {"dependencies": []}
    factories.set_dag_run("pipe", "day2", state="failed")
    assert list(reasons(client.get(url, auth=admin))) == ["Dagrun Running"]
    factories.set_task_instance("pipe", "day2", "fanned", 1, state="failed")
    assert reasons(client.get(url, auth=admin)) == {}
    assert_problem(client.get(url.replace("/1/", "/4/"), auth=admin), 404, "map index 4")


def test_dependencies_errors(client, admin, public_user, pipe):
    assert_problem(client.get(PIPE_TI.format(run="day2", task="fanned"), auth=admin), 404, "is mapped")
    assert_problem(client.get(PIPE_TI.format(run="day9", task="first"), auth=admin), 404, "day9")
    assert_problem(client.get(PIPE_TI.format(run="day2", task="x"), auth=admin), 404, "'x'")
    assert_problem(client.get(PIPE_TI.format(run="day2", task="first"), auth=public_user), 403)
    assert_problem(client.get(PIPE_TI.format(run="day2", task="first")), 401)
