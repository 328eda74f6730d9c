"""Trigger tokens: get_trigger_tokens, post_trigger_token, delete_trigger_token, trigger_dag_run_by_token,
and a trigger token used as a Bearer or Private-Token credential (it may start runs of its DAG only)."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from orchestrator_api import db
from orchestrator_api.models import DagRun, TaskInstance
from orchestrator_api.timeutil import parse_datetime, utcnow
from tests.factories_access import (
    audit_rows,
    bearer,
    private_token,
    set_trigger_token_expiry,
    stored_trigger_token,
)
from tests.problems import assert_problem

TOKEN_FIELDS = {"id", "dag_id", "name", "prefix", "created_by", "created_at", "expires_at", "last_used_at"}


def create_trigger_token(client, auth, dag_id="etl_daily", **body):
    response = client.post(
        f"/api/v1/dags/{dag_id}/triggerTokens", json={"name": "nightly", **body}, auth=auth
    )
    assert response.status_code == 201, response.text
    return response.json()


def runs_of(dag_id):
    with db.session_factory()() as session:
        return list(session.scalars(select(DagRun).where(DagRun.dag_id == dag_id).order_by(DagRun.id)))


# ---------------------------------------------------------------- managing tokens


def test_create_trigger_token_shows_the_secret_once(client, admin, example_dags):
    created = create_trigger_token(client, admin)
    assert set(created) == TOKEN_FIELDS | {"token", "trigger_url"}
    assert created["token"].startswith("oapi_trg_")
    assert created["token"].startswith(created["prefix"])
    assert created["trigger_url"] == f"/api/v1/triggers/{created['token']}"
    assert (created["dag_id"], created["created_by"], created["expires_at"]) == ("etl_daily", "admin", None)
    assert created["token"] not in stored_trigger_token(created["id"]).token_hash
    listed = client.get("/api/v1/dags/etl_daily/triggerTokens", auth=admin)
    assert listed.status_code == 200
    assert created["token"] not in listed.text
    assert listed.json() == {
        "trigger_tokens": [{k: v for k, v in created.items() if k not in {"token", "trigger_url"}}],
        "total_entries": 1,
    }
    assert client.get("/api/v1/dags/sales_report/triggerTokens", auth=admin).json()["total_entries"] == 0


def test_trigger_token_with_expiry(client, admin, example_dags):
    created = create_trigger_token(client, admin, expires_in_days=3)
    lifetime = parse_datetime(created["expires_at"]) - parse_datetime(created["created_at"])
    assert lifetime == timedelta(days=3)


def test_list_trigger_tokens_pages_and_orders(client, admin, example_dags):
    for name in ("b", "c", "a"):
        create_trigger_token(client, admin, name=name)
    page = client.get("/api/v1/dags/etl_daily/triggerTokens?limit=2&order_by=-name", auth=admin).json()
    assert [t["name"] for t in page["trigger_tokens"]] == ["c", "b"]
    assert page["total_entries"] == 3
    for field in ("id", "name", "created_at", "expires_at", "last_used_at"):
        for value in (field, f"-{field}"):
            response = client.get(f"/api/v1/dags/etl_daily/triggerTokens?order_by={value}", auth=admin)
            assert response.json()["total_entries"] == 3


@pytest.mark.parametrize("limit", [1, 100])
def test_list_trigger_tokens_runs_fixed_statements(client, admin, example_dags, count_statements, limit):
    for name in ("a", "b", "c"):
        create_trigger_token(client, admin, name=name)
    count_statements.clear()
    response = client.get(f"/api/v1/dags/etl_daily/triggerTokens?limit={limit}", auth=admin)
    assert len(response.json()["trigger_tokens"]) == min(limit, 3)
    # principal check + DAG exists + page [+ count when the page is full] + the audit row (needs can_edit)
    assert len(count_statements) == (5 if limit < 3 else 4), count_statements


def test_revoke_trigger_token(client, admin, example_dags):
    created = create_trigger_token(client, admin)
    url = f"/api/v1/dags/etl_daily/triggerTokens/{created['id']}"
    assert client.delete(url, auth=admin).status_code == 204
    assert client.get("/api/v1/dags/etl_daily/triggerTokens", auth=admin).json()["total_entries"] == 0
    assert_problem(client.delete(url, auth=admin), 404)
    assert_problem(client.post(created["trigger_url"]), 401)
    other_dag = f"/api/v1/dags/sales_report/triggerTokens/{create_trigger_token(client, admin)['id']}"
    assert_problem(client.delete(other_dag, auth=admin), 404, "sales_report")


def test_managing_trigger_tokens_needs_edit_on_the_dag(client, admin, viewer, make_user, example_dags):
    created = create_trigger_token(client, admin)
    for call in (
        lambda auth: client.get("/api/v1/dags/etl_daily/triggerTokens", auth=auth),
        lambda auth: client.post("/api/v1/dags/etl_daily/triggerTokens", json={"name": "x"}, auth=auth),
        lambda auth: client.delete(f"/api/v1/dags/etl_daily/triggerTokens/{created['id']}", auth=auth),
    ):
        assert_problem(call(None), 401)
        assert_problem(call(viewer), 403, "can_edit on DAG 'etl_daily'")
    user = make_user("editor", "User")
    assert client.get("/api/v1/dags/etl_daily/triggerTokens", auth=user).status_code == 200


def test_trigger_token_operations_on_a_missing_dag(client, admin):
    assert_problem(client.get("/api/v1/dags/nope/triggerTokens", auth=admin), 404, "nope")
    assert_problem(client.post("/api/v1/dags/nope/triggerTokens", json={"name": "x"}, auth=admin), 404)
    assert_problem(client.delete("/api/v1/dags/nope/triggerTokens/1", auth=admin), 404)


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "x", "expires_in_days": 0}, "expires_in_days"),
        ({"name": "x", "dag_id": "sales_report"}, "dag_id"),
    ],
)
def test_create_trigger_token_rejects_bad_bodies(client, admin, example_dags, body, detail):
    response = client.post("/api/v1/dags/etl_daily/triggerTokens", json=body, auth=admin)
    assert_problem(response, 400, detail)


@pytest.mark.parametrize("query", ["order_by=dag_id", "limit=-1", "offset=-1"])
def test_list_trigger_tokens_rejects_bad_parameters(client, admin, example_dags, query):
    assert_problem(client.get(f"/api/v1/dags/etl_daily/triggerTokens?{query}", auth=admin), 400)


# ---------------------------------------------------------------- triggering by URL


def test_trigger_by_url_queues_a_run_with_the_body_as_conf(client, admin, example_dags):
    created = create_trigger_token(client, admin)
    response = client.post(created["trigger_url"], json={"env": "staging", "rows": 3})
    assert response.status_code == 200, response.text
    run = response.json()
    assert run["dag_id"] == "etl_daily"
    assert run["conf"] == {"env": "staging", "rows": 3}
    assert run["state"] == "queued"
    assert run["run_type"] == "manual"
    assert run["external_trigger"] is True
    assert run["execution_date"] == run["logical_date"]
    [stored] = runs_of("etl_daily")
    assert stored.run_id == run["dag_run_id"]
    assert stored.triggered_by == f"trigger-token:{created['id']}"
    with db.session_factory()() as session:
        instances = session.scalars(select(TaskInstance).where(TaskInstance.run_id == stored.run_id)).all()
    assert instances, "the run's task instances are created with it"
    assert stored_trigger_token(created["id"]).last_used_at is not None


def test_trigger_by_url_without_a_body(client, admin, example_dags):
    created = create_trigger_token(client, admin)
    response = client.post(created["trigger_url"])
    assert response.status_code == 200, response.text
    assert response.json()["conf"] == {}


def test_trigger_by_url_reads_json_sent_without_a_content_type(client, admin, example_dags):
    created = create_trigger_token(client, admin)
    response = client.post(created["trigger_url"], content=b'{"env": "prod"}')
    assert response.status_code == 200, response.text
    assert response.json()["conf"] == {"env": "prod"}
    assert_problem(client.post(created["trigger_url"], content=b"[1]"), 400)
    assert len(runs_of("etl_daily")) == 1


def test_trigger_by_url_refuses_bad_tokens_without_echoing_them(client, admin, example_dags):
    created = create_trigger_token(client, admin)
    for token in ("oapi_trg_forged", "nonsense", created["token"] + "x"):
        body = assert_problem(client.post(f"/api/v1/triggers/{token}", json={}), 401)
        assert token not in str(body)
        assert body["instance"] == "/api/v1/triggers/[redacted]"
    assert runs_of("etl_daily") == []


def test_trigger_by_url_refuses_an_expired_token(client, admin, example_dags):
    created = create_trigger_token(client, admin, expires_in_days=1)
    set_trigger_token_expiry(created["id"], utcnow() - timedelta(seconds=1))
    assert_problem(client.post(created["trigger_url"]), 401)
    assert runs_of("etl_daily") == []


@pytest.mark.parametrize(
    ("content", "content_type", "status"),
    [
        (b"[1, 2]", "application/json", 400),
        (b"{not json", "application/json", 400),
        (b"x", "text/plain", 415),
    ],
)
def test_trigger_by_url_refuses_bodies_that_are_not_objects(
    client, admin, example_dags, content, content_type, status
):
    created = create_trigger_token(client, admin)
    response = client.post(created["trigger_url"], content=content, headers={"Content-Type": content_type})
    assert_problem(response, status, framework=status == 415)
    assert runs_of("etl_daily") == []


def test_trigger_token_never_reaches_logs_or_audit_rows(client, admin, example_dags, caplog):
    created = create_trigger_token(client, admin)
    with caplog.at_level(logging.INFO):
        client.post(created["trigger_url"], json={"password": "hunter2"})
        client.post(created["trigger_url"] + "0", json={})
    # Our own log lines only: the test client (httpx) logs the URL it calls on the caller's side.
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("orchestrator_api"))
    assert ours.count("/api/v1/triggers/[redacted]") == 2, ours
    assert created["token"] not in ours
    rows = audit_rows("api.trigger_dag_run_by_token")
    assert len(rows) == 2, "the refused attempt (a wrong token) is recorded too"
    for row in rows:
        assert created["token"] not in (row.extra or "")
        assert created["token"][:-1] not in (row.extra or "")
        assert "hunter2" not in (row.extra or "")
    [row] = [row for row in rows if row.owner is not None]  # the refused one has no actor to name
    assert (row.owner, row.dag_id) == (f"trigger-token:{created['id']}", "etl_daily")
    assert row.run_id == runs_of("etl_daily")[0].run_id
    for creation in audit_rows("api.post_trigger_token"):
        assert created["token"] not in (creation.extra or "")


# ---------------------------------------------------------------- a trigger token as a credential


@pytest.mark.parametrize("header", [bearer, private_token], ids=["bearer", "private-token"])
def test_trigger_token_credential_may_do_nothing_else(client, admin, example_dags, header):
    headers = header(create_trigger_token(client, admin)["token"])
    assert_problem(client.get("/api/v1/dags", headers=headers), 403, "only trigger runs")
    assert_problem(client.get("/api/v1/dags/etl_daily", headers=headers), 403)
    assert_problem(client.get("/api/v1/dags/etl_daily/tasks", headers=headers), 403)
    assert_problem(client.patch("/api/v1/dags/etl_daily", json={"is_paused": True}, headers=headers), 403)
    assert_problem(client.get("/api/v1/dags/etl_daily/triggerTokens", headers=headers), 403)
    assert_problem(
        client.post("/api/v1/dags/etl_daily/triggerTokens", json={"name": "x"}, headers=headers), 403
    )
    assert_problem(client.get("/api/v1/users", headers=headers), 403)
    assert_problem(client.post("/api/v1/auth/token", headers=headers), 401)


@pytest.mark.parametrize("header", [bearer, private_token], ids=["bearer", "private-token"])
def test_trigger_token_credential_triggers_its_dag_and_no_other(client, admin, example_dags, header):
    headers = header(create_trigger_token(client, admin)["token"])
    body = {"conf": {"env": "staging"}, "note": "from the webhook"}
    response = client.post("/api/v1/dags/etl_daily/dagRuns", json=body, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["conf"] == {"env": "staging"}
    assert [run.run_id for run in runs_of("etl_daily")] == [response.json()["dag_run_id"]]
    assert_problem(client.post("/api/v1/dags/sales_report/dagRuns", json={}, headers=headers), 403)
    assert_problem(client.post("/api/v1/dags/~/dagRuns", json={}, headers=headers), 404)
    assert runs_of("sales_report") == []


def test_revoked_trigger_token_credential_is_refused(client, admin, example_dags):
    created = create_trigger_token(client, admin)
    client.delete(f"/api/v1/dags/etl_daily/triggerTokens/{created['id']}", auth=admin)
    assert_problem(client.get("/api/v1/dags", headers=bearer(created["token"])), 401)


def test_trigger_tokens_go_with_their_dag(client, admin, example_dags):
    created = create_trigger_token(client, admin)
    assert client.delete("/api/v1/dags/etl_daily", auth=admin).status_code == 204
    assert_problem(client.post(created["trigger_url"]), 401)
