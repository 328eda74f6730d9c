"""Task logs: get_log, as JSON chunks with continuation tokens or as plain text."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from orchestrator_api.config import get_settings
from orchestrator_api.orchestration.logs import CHUNK_BYTES
from tests import factories, factories_runs
from tests.problems import assert_problem

RUN = "manual__2026-01-01T00:00:00+00:00"
LOG = "/api/v1/dags/partner_feeds_hourly/dagRuns/" + RUN + "/taskInstances/{task}/logs/{attempt}"
SHORT = "[2026-01-01 00:00:01] starting\n[2026-01-01 00:00:02] done\n"


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


def test_a_short_log_comes_whole_with_a_token(client, viewer, tried):
    response = client.get(LOG.format(task="list_partners", attempt=2), auth=viewer)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["content"] == SHORT
    assert body["continuation_token"]
    earlier = client.get(LOG.format(task="list_partners", attempt=1), auth=viewer).json()
    assert earlier["content"] == "first try failed\n"


def test_a_long_log_comes_in_chunks_that_add_up(client, admin, tried):
    lines = "".join(f"line {n:06d} {'x' * 40}\n" for n in range(4000))  # about 200 KB
    factories.write_log(logs_folder(), "partner_feeds_hourly", RUN, "list_partners", 2, lines)
    url = LOG.format(task="list_partners", attempt=2)
    pieces: list[str] = []
    token = None
    for _ in range(10):
        params = {"token": token} if token else {}
        body = client.get(url, params=params, auth=admin).json()
        assert len(body["content"].encode()) <= CHUNK_BYTES
        assert body["content"] == "" or body["content"].endswith("\n"), "chunks end at a line break"
        if not body["content"]:
            break
        pieces.append(body["content"])
        token = body["continuation_token"]
    assert len(pieces) > 1
    assert "".join(pieces) == lines
    whole = client.get(url, params={"full_content": "true"}, auth=admin).json()
    assert whole["content"] == lines


def test_chunks_never_split_a_character(client, admin, tried):
    text = "é" * (CHUNK_BYTES)  # one line of two-byte characters, longer than a chunk
    factories.write_log(logs_folder(), "partner_feeds_hourly", RUN, "list_partners", 2, text)
    url = LOG.format(task="list_partners", attempt=2)
    pieces = [client.get(url, auth=admin).json()]
    while pieces[-1]["content"] and len(pieces) < 5:
        token = pieces[-1]["continuation_token"]
        pieces.append(client.get(url, params={"token": token}, auth=admin).json())
    contents = [piece["content"] for piece in pieces]
    assert all("\ufffd" not in content for content in contents)
    assert "".join(contents) == text


def test_plain_text_answers_the_rest_of_the_log(client, admin, tried):
    url = LOG.format(task="list_partners", attempt=2)
    response = client.get(url, headers={"Accept": "text/plain"}, auth=admin)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text == SHORT
    factories.write_log(logs_folder(), "partner_feeds_hourly", RUN, "list_partners", 2, SHORT + "more\n")
    token = client.get(url, auth=admin).json()["continuation_token"]  # at the end of the log as it was
    factories.write_log(
        logs_folder(), "partner_feeds_hourly", RUN, "list_partners", 2, SHORT + "more\nlast\n"
    )
    rest = client.get(url, params={"token": token}, headers={"Accept": "text/plain"}, auth=admin)
    assert rest.text == "last\n"


def test_mapped_log_by_map_index(client, admin, tried):
    url = LOG.format(task="download_feed", attempt=1)
    assert client.get(url, params={"map_index": 1}, auth=admin).json()["content"] == "partner one\n"
    assert_problem(client.get(url, params={"map_index": 0}, auth=admin), 404, "never happened")
    assert_problem(client.get(url, auth=admin), 404, "is mapped")


def test_tokens_are_bound_to_their_log_and_cannot_be_forged(client, admin, tried):
    url = LOG.format(task="list_partners", attempt=2)
    token = client.get(url, auth=admin).json()["continuation_token"]
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert_problem(client.get(url, params={"token": tampered}, auth=admin), 400, "not valid")
    assert_problem(client.get(url, params={"token": "garbage"}, auth=admin), 400, "not valid")
    other = LOG.format(task="list_partners", attempt=1)
    assert_problem(client.get(other, params={"token": token}, auth=admin), 400, "another log")


def test_missing_tries_and_files_are_404(client, admin, tried):
    assert_problem(client.get(LOG.format(task="list_partners", attempt=3), auth=admin), 404, "Try 3")
    assert_problem(client.get(LOG.format(task="list_partners", attempt=0), auth=admin), 404, "Try 0")
    assert_problem(client.get(LOG.format(task="merge_feeds", attempt=1), auth=admin), 404, "never happened")
    assert_problem(client.get(LOG.format(task="check_feeds", attempt=1), auth=admin), 404, "No log file")
    assert_problem(client.get(LOG.format(task="nope", attempt=1), auth=admin), 404, "nope")
    missing_run = LOG.format(task="list_partners", attempt=1).replace(RUN, "other")
    assert_problem(client.get(missing_run, auth=admin), 404, "other")


def test_log_errors(client, admin, make_user, public_user, tried):
    url = LOG.format(task="list_partners", attempt=2)
    assert_problem(client.get(url, headers={"Accept": "image/png"}, auth=admin), 406)
    assert_problem(client.get(url, params={"full_content": "perhaps"}, auth=admin), 400, "boolean")
    assert_problem(client.get(url, auth=public_user), 403)
    assert_problem(client.get(url), 401)
    factories.role("no_logs", ("can_read", "DAGs"), ("can_read", "DAG Runs"), ("can_read", "Task Instances"))
    assert_problem(client.get(url, auth=make_user("dora", "no_logs")), 403, "Task Logs")
