"""Tries of task instances: get_task_instance_tries, get_mapped_task_instance_tries,
get_task_instance_try_details, get_mapped_task_instance_try_details."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tests import factories, factories_runs
from tests.problems import assert_problem

FEEDS = "/api/v1/dags/partner_feeds_hourly/dagRuns/p1/taskInstances"
DAY = datetime(2026, 1, 1, tzinfo=UTC)


def at(minute: int) -> datetime:
    return datetime(2026, 1, 1, 1, minute, tzinfo=UTC)


@pytest.fixture
def tries(example_dags: Any) -> None:
    """list_partners: tries 1 and 2 failed (archived), try 3 running; download_feed[1]: try 1 failed
    (archived), try 2 success; merge_feeds never ran."""
    factories_runs.run("partner_feeds_hourly", "p1", DAY, state="running")
    factories_runs.history(
        "partner_feeds_hourly",
        "p1",
        "list_partners",
        1,
        "failed",
        start_date=at(0),
        end_date=at(1),
        duration=60.0,
    )
    factories_runs.history(
        "partner_feeds_hourly",
        "p1",
        "list_partners",
        2,
        "failed",
        start_date=at(5),
        end_date=at(8),
        duration=180.0,
    )
    factories.set_task_instance(
        "partner_feeds_hourly", "p1", "list_partners", state="running", try_number=3, start_date=at(10)
    )
    factories_runs.history("partner_feeds_hourly", "p1", "download_feed", 1, "failed", map_index=1)
    factories.set_task_instance(
        "partner_feeds_hourly", "p1", "download_feed", 1, state="success", try_number=2
    )


def numbers(response: Any) -> list[tuple[int, str | None]]:
    assert response.status_code == 200, response.text
    return [(t["try_number"], t["state"]) for t in response.json()["task_instances"]]


def test_tries_list_history_then_the_current_try(client, admin, tries):
    response = client.get(f"{FEEDS}/list_partners/tries", auth=admin)
    assert numbers(response) == [(1, "failed"), (2, "failed"), (3, "running")]
    assert response.json()["total_entries"] == 3
    first = response.json()["task_instances"][0]
    assert first["duration"] == 60.0
    assert first["dag_run_id"] == "p1"
    # A try carries the keys of Airflow's task-instance history rows, no more.
    assert sorted(first) == [
        "dag_id", "dag_run_id", "duration", "end_date", "executor", "executor_config", "hostname",
        "map_index", "max_tries", "operator", "pid", "pool", "pool_slots", "priority_weight", "queue",
        "queued_when", "start_date", "state", "task_display_name", "task_id", "try_number", "unixname",
    ]  # fmt: skip


def test_tries_page_and_sort(client, admin, tries):
    page = client.get(f"{FEEDS}/list_partners/tries?order_by=-try_number&limit=2", auth=admin)
    assert numbers(page) == [(3, "running"), (2, "failed")]
    assert page.json()["total_entries"] == 3
    rest = client.get(f"{FEEDS}/list_partners/tries?order_by=-try_number&limit=2&offset=2", auth=admin)
    assert numbers(rest) == [(1, "failed")]
    by_duration = client.get(f"{FEEDS}/list_partners/tries?order_by=-duration", auth=admin).json()
    # where a running try (no duration yet) sorts depends on the database; the finished ones do not
    assert [t["try_number"] for t in by_duration["task_instances"] if t["duration"] is not None] == [2, 1]


@pytest.mark.parametrize("order_by", ["try_number", "start_date", "end_date", "state", "duration"])
def test_every_documented_try_order_is_accepted(client, admin, tries, order_by):
    for term in (order_by, f"-{order_by}"):
        response = client.get(f"{FEEDS}/list_partners/tries?order_by={term}", auth=admin)
        assert response.json()["total_entries"] == 3


def test_a_cleared_instance_shows_its_archived_try_once(client, admin, tries):
    factories.set_task_instance("partner_feeds_hourly", "p1", "validate_feeds", state="success", try_number=1)
    body = {"dry_run": False, "only_failed": False, "dag_run_id": "p1", "task_ids": ["validate_feeds"]}
    client.post("/api/v1/dags/partner_feeds_hourly/clearTaskInstances", json=body, auth=admin)
    # As in Airflow 2.10.5: the archived try, then the cleared instance under the same try number,
    # which also answers for that number.
    assert numbers(client.get(f"{FEEDS}/validate_feeds/tries", auth=admin)) == [(1, "success"), (1, None)]
    details = client.get(f"{FEEDS}/validate_feeds/tries/1", auth=admin).json()
    assert details["state"] is None


def test_an_instance_that_never_ran_is_listed_as_try_0(client, admin, tries):
    # As in Airflow 2.10.5, which lists the instance itself whatever its try number.
    response = client.get(f"{FEEDS}/merge_feeds/tries", auth=admin)
    assert numbers(response) == [(0, None)]
    assert response.json()["total_entries"] == 1
    assert_problem(client.get(f"{FEEDS}/merge_feeds/tries/1", auth=admin), 404, "never happened")
    assert client.get(f"{FEEDS}/merge_feeds/tries/0", auth=admin).json()["try_number"] == 0


def test_mapped_tries(client, admin, tries):
    response = client.get(f"{FEEDS}/download_feed/1/tries", auth=admin)
    assert numbers(response) == [(1, "failed"), (2, "success")]
    assert all(t["map_index"] == 1 for t in response.json()["task_instances"])
    assert numbers(client.get(f"{FEEDS}/download_feed/0/tries", auth=admin)) == [(0, None)]
    detail = client.get(f"{FEEDS}/download_feed/1/tries/1", auth=admin).json()
    assert (detail["try_number"], detail["state"], detail["map_index"]) == (1, "failed", 1)
    current = client.get(f"{FEEDS}/download_feed/1/tries/2", auth=admin).json()
    assert current["state"] == "success"
    assert_problem(client.get(f"{FEEDS}/download_feed/1/tries/3", auth=admin), 404, "Try 3")


def test_try_details(client, viewer, tries):
    archived = client.get(f"{FEEDS}/list_partners/tries/2", auth=viewer).json()
    assert (archived["try_number"], archived["state"], archived["duration"]) == (2, "failed", 180.0)
    current = client.get(f"{FEEDS}/list_partners/tries/3", auth=viewer).json()
    assert current["state"] == "running"
    assert_problem(client.get(f"{FEEDS}/list_partners/tries/4", auth=viewer), 404, "Try 4")


def test_one_try_of_missing_things_is_404(client, admin, tries):
    assert_problem(client.get(f"{FEEDS}/nope/tries/1", auth=admin), 404, "nope")
    assert_problem(client.get(f"{FEEDS}/download_feed/5/tries/1", auth=admin), 404, "map index 5")


@pytest.mark.parametrize(
    "path",
    ["nope/tries", "download_feed/tries", "download_feed/5/tries"],
)
def test_the_tries_of_missing_things_are_an_empty_list_as_in_airflow(client, admin, tries, path):
    response = client.get(f"{FEEDS}/{path}", auth=admin)
    assert response.status_code == 200
    assert response.json() == {"task_instances": [], "total_entries": 0}
    other_run = client.get(f"{FEEDS.replace('p1', 'p2')}/list_partners/tries", auth=admin)
    assert other_run.json() == {"task_instances": [], "total_entries": 0}


def test_tries_reject_bad_parameters(client, admin, tries):
    assert_problem(client.get(f"{FEEDS}/list_partners/tries?order_by=pool", auth=admin), 400, "pool")
    assert_problem(client.get(f"{FEEDS}/list_partners/tries?limit=-1", auth=admin), 400)
    assert_problem(client.get(f"{FEEDS}/list_partners/tries/-1", auth=admin), 400)


def test_tries_need_permission(client, public_user, tries):
    for url in (f"{FEEDS}/list_partners/tries", f"{FEEDS}/list_partners/tries/1",
                f"{FEEDS}/download_feed/1/tries", f"{FEEDS}/download_feed/1/tries/1"):  # fmt: skip
        assert_problem(client.get(url, auth=public_user), 403)
        assert_problem(client.get(url), 401)


@pytest.mark.parametrize("limit", [1, 100])
def test_tries_run_fixed_statements(client, admin, tries, count_statements, limit):
    client.get(f"{FEEDS}/list_partners/tries", auth=admin)
    count_statements.clear()
    assert client.get(f"{FEEDS}/list_partners/tries?limit={limit}", auth=admin).status_code == 200
    assert len(count_statements) == (3 if limit < 3 else 2), count_statements


@pytest.mark.parametrize("limit", [1, 100])
def test_mapped_tries_run_fixed_statements(client, admin, tries, count_statements, limit):
    client.get(f"{FEEDS}/download_feed/1/tries", auth=admin)
    count_statements.clear()
    assert client.get(f"{FEEDS}/download_feed/1/tries?limit={limit}", auth=admin).status_code == 200
    assert len(count_statements) == (3 if limit < 2 else 2), count_statements
