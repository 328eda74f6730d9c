"""POST /triggers/{token} with a form body (`application/x-www-form-urlencoded`), as webhook senders post."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

from tests.api.test_trigger_tokens import create_trigger_token, runs_of
from tests.factories_access import audit_rows
from tests.problems import assert_problem

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture
def trigger_url(client: Any, admin: Any, example_dags: list[str]) -> str:
    url: str = create_trigger_token(client, admin)["trigger_url"]
    return url


@pytest.mark.parametrize(
    ("content", "conf"),
    [
        (b"env=staging&schema=public", {"env": "staging", "schema": "public"}),
        (b"partner=acme&partner=globex&partner=initech", {"partner": ["acme", "globex", "initech"]}),
        (b"rows=3&dry_run=true&empty=", {"rows": "3", "dry_run": "true", "empty": ""}),
        (b"note=a+b%20c%26d&caf%C3%A9=%E2%9C%93", {"note": "a b c&d", "café": "✓"}),
        (b"conf=%7B%22nested%22%3A1%7D&items[]=x", {"conf": '{"nested":1}', "items[]": "x"}),
        (b"", {}),
    ],
)
def test_form_fields_become_the_runs_conf(
    client: Any, trigger_url: str, content: bytes, conf: dict[str, Any]
) -> None:
    response = client.post(trigger_url, content=content, headers=FORM)
    assert response.status_code == 200, response.text
    run = response.json()
    assert run["conf"] == conf
    assert run["dag_id"] == "etl_daily"
    assert run["state"] == "queued"
    [stored] = runs_of("etl_daily")
    assert stored.conf == conf


def test_a_form_with_a_charset_parameter(client: Any, trigger_url: str) -> None:
    headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
    response = client.post(trigger_url, content=b"env=prod", headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["conf"] == {"env": "prod"}


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        (b"s3cret", "not form data"),
        (b"a=1&&b=s3cret", "not form data"),
        (b"token=s3cret%FF", "not valid UTF-8"),
        (b"token=\xffs3cret", "not valid UTF-8"),
        (b"token=s3cret%00", "NUL character"),
    ],
)
def test_bad_form_bodies_are_refused_without_echo(
    client: Any, trigger_url: str, content: bytes, detail: str
) -> None:
    body = assert_problem(client.post(trigger_url, content=content, headers=FORM), 400, detail)
    assert "s3cret" not in str(body)
    assert runs_of("etl_daily") == []


def test_a_form_with_a_bad_token_is_a_401_and_starts_nothing(client: Any, trigger_url: str) -> None:
    assert_problem(client.post(trigger_url + "x", content=b"env=prod", headers=FORM), 401)
    assert runs_of("etl_daily") == []


def test_form_triggers_are_audited_without_the_token(client: Any, trigger_url: str, caplog: Any) -> None:
    secret = trigger_url.rsplit("/", 1)[1]
    with caplog.at_level(logging.INFO):
        assert client.post(trigger_url, content=b"env=prod&password=hunter2", headers=FORM).status_code == 200
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("orchestrator_api"))
    assert "/api/v1/triggers/[redacted]" in ours
    assert secret not in ours
    [row] = audit_rows("api.trigger_dag_run_by_token")
    assert secret not in (row.extra or "")
    assert "hunter2" not in (row.extra or "")
    assert row.run_id == runs_of("etl_daily")[0].run_id


def test_a_real_client_posts_a_form(live_server: str, client: Any, trigger_url: str) -> None:
    response = httpx.post(f"{live_server}{trigger_url}", data={"env": "prod", "partner": ["acme", "globex"]})
    assert response.status_code == 200, response.text
    assert response.json()["conf"] == {"env": "prod", "partner": ["acme", "globex"]}
