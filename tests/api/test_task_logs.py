"""Task logs: get_log, as JSON chunks with continuation tokens or as plain text."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from orchestrator_api.config import get_settings
from tests import factories, factories_runs
from tests.problems import assert_problem

RUN = "manual__2026-01-01T00:00:00+00:00"
LOG = "/api/v1/dags/partner_feeds_hourly/dagRuns/" + RUN + "/taskInstances/{task}/logs/{attempt}"
SHORT = "[2026-01-01 00:00:01] starting\n[2026-01-01 00:00:02] done\n"
JSON = {"Accept": "application/json"}


def logs_folder() -> Path:
    return Path(get_settings().logs_folder)


@pytest.fixture
def tried(example_dags: Any) -> None:
    """list_partners ran twice (both logs written), download_feed[1] once, check_feeds without a log."""
    factories_runs.run("partner_feeds_hourly", RUN, datetime(2026, 1, 1, tzinfo=UTC))
    factories.set_task_instance("partner_feeds_hourly", RUN, "list_partners", state="success", try_number=2)
    factories.write_log(logs_folder(), "partner_feeds_hourly", RUN, "list_partners", 1, "first try failed\n")
    factories.write_log(logs_folder(), "partner_feeds_hourly", RUN, "list_partners", 2, SHORT)
    factories.set_task_instance(
        "partner_feeds_hourly", RUN, "download_feed", 1, state="success", try_number=1
    )
    factories.write_log(
        logs_folder(), "partner_feeds_hourly", RUN, "download_feed", 1, "partner one\n", map_index=1
    )
    factories.set_task_instance("partner_feeds_hourly", RUN, "check_feeds", state="failed", try_number=1)


def read(client: Any, auth: Any, url: str, **params: Any) -> dict[str, Any]:
    response = client.get(url, params=params, headers=JSON, auth=auth)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    return body


def test_a_short_log_comes_whole_with_a_token(client, viewer, tried):
    body = read(client, viewer, LOG.format(task="list_partners", attempt=2))
    assert body["content"] == SHORT
    assert body["continuation_token"]
    earlier = read(client, viewer, LOG.format(task="list_partners", attempt=1))
    assert earlier["content"] == "first try failed\n"


def test_a_long_log_comes_whole_and_the_token_reads_on(client, admin, tried):
    lines = "".join(f"line {n:06d} {'x' * 40}\n" for n in range(4000))  # about 200 KB
    factories.write_log(logs_folder(), "partner_feeds_hourly", RUN, "list_partners", 2, lines)
    url = LOG.format(task="list_partners", attempt=2)
    first = read(client, admin, url)
    assert first["content"] == lines
    assert read(client, admin, url, token=first["continuation_token"])["content"] == ""
    factories.write_log(logs_folder(), "partner_feeds_hourly", RUN, "list_partners", 2, lines + "later\n")
    after = read(client, admin, url, token=first["continuation_token"])
    assert after["content"] == "later\n"
    assert read(client, admin, url, token=after["continuation_token"])["content"] == ""
    whole = read(client, admin, url, full_content="true", token=after["continuation_token"])
    assert whole["content"] == lines + "later\n"


def test_a_half_written_character_waits_for_the_next_read(client, admin, tried):
    path = factories.write_log(logs_folder(), "partner_feeds_hourly", RUN, "list_partners", 2, "")
    euro = "€".encode()
    path.write_bytes(b"price: " + euro[:2])
    url = LOG.format(task="list_partners", attempt=2)
    first = read(client, admin, url)
    assert first["content"] == "price: "
    path.write_bytes(b"price: " + euro + b" 5\n")
    assert read(client, admin, url, token=first["continuation_token"])["content"] == "€ 5\n"


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("*/*", "text/plain"),
        ("text/plain", "text/plain"),
        ("text/*", "text/plain"),
        ("application/json, text/plain", "text/plain"),
        ("application/json", "application/json"),
        ("text/plain;q=0.5, application/json", "application/json"),
        ("application/json;q=0.9, */*;q=0.8", "application/json"),
    ],
)
def test_plain_text_is_preferred_when_the_client_takes_either(client, admin, tried, accept, expected):
    response = client.get(LOG.format(task="list_partners", attempt=2), headers={"Accept": accept}, auth=admin)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(expected)
    assert (response.text if expected == "text/plain" else response.json()["content"]) == SHORT


def test_plain_text_answers_the_rest_of_the_log(client, admin, tried):
    url = LOG.format(task="list_partners", attempt=2)
    response = client.get(url, headers={"Accept": "text/plain"}, auth=admin)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text == SHORT
    factories.write_log(logs_folder(), "partner_feeds_hourly", RUN, "list_partners", 2, SHORT + "more\n")
    token = read(client, admin, url)["continuation_token"]  # at the end of the log as it was
    factories.write_log(
        logs_folder(), "partner_feeds_hourly", RUN, "list_partners", 2, SHORT + "more\nlast\n"
    )
    rest = client.get(url, params={"token": token}, headers={"Accept": "text/plain"}, auth=admin)
    assert rest.text == "last\n"


def test_mapped_log_by_map_index(client, admin, tried):
    url = LOG.format(task="download_feed", attempt=1)
    assert read(client, admin, url, map_index=1)["content"] == "partner one\n"
    assert "has not happened" in read(client, admin, url, map_index=0)["content"]
    assert_problem(client.get(url, headers=JSON, auth=admin), 404, "is mapped")
    assert_problem(client.get(url, params={"map_index": 5}, headers=JSON, auth=admin), 404, "map index 5")


def test_tokens_are_bound_to_their_log_and_cannot_be_forged(client, admin, tried):
    url = LOG.format(task="list_partners", attempt=2)
    token = read(client, admin, url)["continuation_token"]
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert_problem(client.get(url, params={"token": tampered}, auth=admin), 400, "not valid")
    assert_problem(client.get(url, params={"token": "garbage"}, auth=admin), 400, "not valid")
    other = LOG.format(task="list_partners", attempt=1)
    assert_problem(client.get(other, params={"token": token}, auth=admin), 400, "another log")


@pytest.mark.parametrize(
    ("task", "attempt", "says"),
    [
        ("list_partners", 3, "Try 3 of the task instance of task 'list_partners'"),
        ("list_partners", 0, "Try 0 of the task instance of task 'list_partners'"),
        ("merge_feeds", 1, "Try 1 of the task instance of task 'merge_feeds'"),
        ("check_feeds", 1, "No log has been written for try 1"),
    ],
)
def test_a_try_without_a_log_says_so(client, admin, tried, task, attempt, says):
    body = read(client, admin, LOG.format(task=task, attempt=attempt))
    assert says in body["content"]
    assert body["continuation_token"]
    plain = client.get(LOG.format(task=task, attempt=attempt), headers={"Accept": "text/plain"}, auth=admin)
    assert plain.status_code == 200
    assert says in plain.text


def test_a_log_written_later_reads_from_its_start(client, admin, tried):
    url = LOG.format(task="check_feeds", attempt=1)
    token = read(client, admin, url)["continuation_token"]
    factories.write_log(logs_folder(), "partner_feeds_hourly", RUN, "check_feeds", 1, SHORT)
    assert read(client, admin, url, token=token)["content"] == SHORT


def test_a_missing_task_instance_is_404(client, admin, tried):
    assert_problem(client.get(LOG.format(task="nope", attempt=1), auth=admin), 404, "nope")
    missing_run = LOG.format(task="list_partners", attempt=1).replace(RUN, "other")
    assert_problem(client.get(missing_run, auth=admin), 404, "other")


def test_log_errors(client, admin, make_user, public_user, tried):
    url = LOG.format(task="list_partners", attempt=2)
    # As in Airflow 2.10.5, an Accept header that allows neither text nor JSON gets JSON.
    unusual = client.get(url, headers={"Accept": "image/png"}, auth=admin)
    assert unusual.status_code == 200
    assert unusual.headers["content-type"].startswith("application/json")
    assert_problem(client.get(url, params={"full_content": "perhaps"}, auth=admin), 400, "boolean")
    assert_problem(client.get(url, auth=public_user), 403)
    assert_problem(client.get(url), 401)
    factories.role("no_logs", ("can_read", "DAGs"), ("can_read", "DAG Runs"), ("can_read", "Task Instances"))
    assert_problem(client.get(url, auth=make_user("dora", "no_logs")), 403, "Task Logs")


def test_without_an_accept_header_the_answer_is_json(client, admin, tried):
    del client.headers["accept"]  # the test client sends */* unless told otherwise
    response = client.get(LOG.format(task="list_partners", attempt=2), auth=admin)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["content"] == SHORT
