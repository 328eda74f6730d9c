"""The audit trail: get_event_logs, get_event_log."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from orchestrator_api import db
from tests import factories
from tests import factories_observability as more
from tests.problems import assert_problem

T0 = datetime(2026, 3, 1, 12, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


@pytest.fixture
def entries(example_dags: list[str]) -> list[int]:
    return [
        more.event_log(
            "patch_dag", when=at(1), dag_id="etl_daily", owner="admin", extra='{"update_mask": null}'
        ),
        more.event_log("post_dag_run", when=at(2), dag_id="etl_daily", run_id="r1", owner="ann"),
        more.event_log(
            "set_task_instance_note",
            when=at(3),
            dag_id="partner_feeds_hourly",
            task_id="download_feed",
            run_id="p1",
            map_index=2,
            try_number=1,
            owner="bob",
            execution_date=at(0),
        ),
        # Written unmasked on purpose: the read path masks again, whatever wrote the row.
        more.event_log(
            "post_connection", when=at(4), owner="ann", extra='{"password": "hunter2", "conn": "pg"}'
        ),
        more.event_log("cli_dags_sync", when=at(5)),
    ]


def events(response: Any) -> list[str]:
    return [entry["event"] for entry in response.json()["event_logs"]]


ALL = ["patch_dag", "post_dag_run", "set_task_instance_note", "post_connection", "cli_dags_sync"]


def test_list_event_logs_answers_airflow_fields(client, admin, entries):
    response = client.get("/api/v1/eventLogs", auth=admin)
    assert response.status_code == 200
    body = response.json()
    assert body["total_entries"] == 5
    assert events(response) == ALL
    note = body["event_logs"][2]
    assert note == {
        "event_log_id": entries[2],
        "when": "2026-03-01T12:03:00+00:00",
        "dag_id": "partner_feeds_hourly",
        "task_id": "download_feed",
        "run_id": "p1",
        "map_index": 2,
        "try_number": 1,
        "event": "set_task_instance_note",
        "execution_date": "2026-03-01T12:00:00+00:00",
        "owner": "bob",
        "extra": None,
    }


def test_secrets_in_extra_are_masked_even_if_stored_unmasked(client, admin, entries):
    entry = client.get(f"/api/v1/eventLogs/{entries[3]}", auth=admin).json()
    assert "hunter2" not in entry["extra"]
    assert json.loads(entry["extra"]) == {"conn": "pg", "password": "***"}


def test_a_change_through_the_api_is_recorded_with_secrets_masked(client, admin, example_dags):
    body = {"dataset_uri": "s3://warehouse/sales/fact_sales", "extra": {"api_key": "s3cr3t", "rows": 5}}
    assert client.post("/api/v1/datasets/events", json=body, auth=admin).status_code == 200
    logged = client.get("/api/v1/eventLogs?event=api.create_dataset_event", auth=admin).json()
    assert logged["total_entries"] == 1
    entry = logged["event_logs"][0]
    assert entry["owner"] == "admin"
    assert "s3cr3t" not in entry["extra"]
    assert json.loads(entry["extra"])["extra"] == {"api_key": "***", "rows": 5}


@pytest.mark.parametrize(
    ("method", "path", "body", "event"),
    [
        ("POST", "/api/v1/variables", {"key": "k", "value": "v"}, "api.variable.create"),
        ("POST", "/api/v1/connections", {"connection_id": "c", "conn_type": "http"}, "api.connection.create"),
        ("POST", "/api/v1/pools", {"name": "p", "slots": 1}, "api.post_pool"),
        ("POST", "/api/v1/dags/etl_daily/dagRuns", {}, "api.post_dag_run"),
        ("PATCH", "/api/v1/dags/etl_daily?update_mask=is_paused", {"is_paused": True}, "api.patch_dag"),
    ],
)
def test_api_changes_are_recorded_under_airflows_event_names(
    client, admin, example_dags, method, path, body, event
):
    assert client.request(method, path, json=body, auth=admin).status_code == 200
    logged = client.get(f"/api/v1/eventLogs?event={event}", auth=admin).json()
    assert logged["total_entries"] == 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("dag_id=etl_daily", ["patch_dag", "post_dag_run"]),
        ("task_id=download_feed", ["set_task_instance_note"]),
        ("run_id=r1", ["post_dag_run"]),
        ("map_index=2", ["set_task_instance_note"]),
        ("try_number=1", ["set_task_instance_note"]),
        ("event=post_connection", ["post_connection"]),
        ("owner=ann", ["post_dag_run", "post_connection"]),
        ("after=2026-03-01T12:02:00Z", ["set_task_instance_note", "post_connection", "cli_dags_sync"]),
        ("before=2026-03-01T12:02:00%2B00:00", ["patch_dag"]),
        (
            "after=2026-03-01T12:01:00Z&before=2026-03-01T12:04:00Z",
            ["post_dag_run", "set_task_instance_note"],
        ),
        ("included_events=patch_dag,cli_dags_sync", ["patch_dag", "cli_dags_sync"]),
        (
            "excluded_events=patch_dag, cli_dags_sync",
            ["post_dag_run", "set_task_instance_note", "post_connection"],
        ),
        ("included_events=patch_dag,post_dag_run&excluded_events=patch_dag", ["post_dag_run"]),
        ("order_by=-event_log_id", ALL[::-1]),
        ("order_by=-when", ALL[::-1]),
        ("order_by=event", sorted(ALL)),
        ("order_by=-owner&dag_id=etl_daily", ["patch_dag", "post_dag_run"][::-1]),
    ],
)
def test_list_event_logs_filters_and_orders(client, admin, entries, query, expected):
    response = client.get(f"/api/v1/eventLogs?{query}", auth=admin)
    assert response.status_code == 200, response.text
    assert events(response) == expected
    assert response.json()["total_entries"] == len(expected)


@pytest.mark.parametrize(
    "field",
    [
        "event_log_id",
        "when",
        "dag_id",
        "task_id",
        "run_id",
        "map_index",
        "try_number",
        "event",
        "execution_date",
        "owner",
    ],
)
def test_every_documented_order_by_is_accepted(client, admin, entries, field):
    for term in (field, f"-{field}"):
        response = client.get(f"/api/v1/eventLogs?order_by={term}", auth=admin)
        assert response.status_code == 200
        assert sorted(events(response)) == sorted(ALL)


def test_list_event_logs_pages_with_total_of_whole_set(client, admin, entries):
    first = client.get("/api/v1/eventLogs?limit=2", auth=admin).json()
    last = client.get("/api/v1/eventLogs?limit=2&offset=4", auth=admin).json()
    assert [e["event"] for e in first["event_logs"]] == ALL[:2]
    assert [e["event"] for e in last["event_logs"]] == ALL[4:]
    assert first["total_entries"] == last["total_entries"] == 5


def test_entries_of_unreadable_dags_are_hidden(client, make_user, entries):
    factories.role("etl-auditor", ("can_read", "Audit Logs"), ("can_read", "DAG:etl_daily"))
    auditor = make_user("auditor", "etl-auditor")
    response = client.get("/api/v1/eventLogs", auth=auditor)
    assert events(response) == ["patch_dag", "post_dag_run", "post_connection", "cli_dags_sync"]
    assert response.json()["total_entries"] == 4
    assert client.get(f"/api/v1/eventLogs/{entries[0]}", auth=auditor).status_code == 200
    assert_problem(client.get(f"/api/v1/eventLogs/{entries[2]}", auth=auditor), 404, str(entries[2]))
    factories.role("blind-auditor", ("can_read", "Audit Logs"))
    blind = make_user("blind", "blind-auditor")
    assert events(client.get("/api/v1/eventLogs", auth=blind)) == ["post_connection", "cli_dags_sync"]


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        ("limit=-1", "minimum"),
        ("order_by=stack", "stack"),
        ("before=yesterday", "date-time"),
        ("map_index=-2", "minimum"),
        ("try_number=x", "integer"),
    ],
)
def test_list_event_logs_rejects_bad_parameters(client, admin, entries, query, detail):
    assert_problem(client.get(f"/api/v1/eventLogs?{query}", auth=admin), 400, detail)


def test_event_logs_need_credentials_and_the_audit_permission(client, viewer, entries):
    assert_problem(client.get("/api/v1/eventLogs"), 401)
    assert_problem(client.get(f"/api/v1/eventLogs/{entries[0]}"), 401)
    assert_problem(client.get("/api/v1/eventLogs", auth=viewer), 403, "Audit Logs")
    assert_problem(client.get(f"/api/v1/eventLogs/{entries[0]}", auth=viewer), 403, "Audit Logs")


def test_get_event_log(client, admin, entries):
    response = client.get(f"/api/v1/eventLogs/{entries[1]}", auth=admin)
    assert response.status_code == 200
    assert response.json()["event"] == "post_dag_run"
    assert response.json()["run_id"] == "r1"
    assert_problem(client.get("/api/v1/eventLogs/999", auth=admin), 404, "999")
    # No route takes a non-integer id.
    assert_problem(client.get("/api/v1/eventLogs/abc", auth=admin), 404, framework=True)


@pytest.mark.parametrize("limit", [1, 2, 100])
def test_list_event_logs_runs_fixed_statements(client, admin, entries, count_statements, limit):
    client.get("/api/v1/eventLogs", auth=admin)
    count_statements.clear()
    response = client.get(f"/api/v1/eventLogs?limit={limit}", auth=admin)
    assert len(response.json()["event_logs"]) == min(limit, 5)
    # principal check + page [+ count when the page is full]
    assert len(count_statements) == (3 if limit < 5 else 2), count_statements


# ---------------------------------------------------------------- refused attempts, as Airflow records them


def recorded(client, admin, event):
    logged = client.get(f"/api/v1/eventLogs?event={event}&order_by=event_log_id", auth=admin).json()
    return [(e["dag_id"], e["run_id"], json.loads(e["extra"])) for e in logged["event_logs"]]


def test_requests_the_handler_refuses_are_recorded_as_airflow_does(client, admin, viewer, example_dags):
    # Measured on Airflow 2.10.5: its row is written before the handler runs, so a 404 or 409 is recorded
    # (the body's fields and the query parameters, flat); 401, 403 and the spec's 400s are not.
    assert_problem(client.delete("/api/v1/variables/nope", auth=admin), 404)
    assert recorded(client, admin, "api.variable.delete") == [(None, None, {"variable_key": "nope"})]
    pool = {"name": "p1", "slots": 1}
    assert client.post("/api/v1/pools", json=pool, auth=admin).status_code == 200
    assert_problem(client.post("/api/v1/pools", json=pool, auth=admin), 409)
    assert recorded(client, admin, "api.post_pool") == [(None, None, pool)] * 2
    response = client.patch("/api/v1/dags/nope?update_mask=is_paused", json={"is_paused": True}, auth=admin)
    assert_problem(response, 404)
    extra = {"update_mask": "is_paused", "is_paused": True}
    assert recorded(client, admin, "api.patch_dag") == [("nope", None, extra)]
    assert_problem(client.delete("/api/v1/pools/p1"), 401)
    assert_problem(client.delete("/api/v1/pools/p1", auth=viewer), 403)
    assert_problem(client.post("/api/v1/pools", json={"name": 5}, auth=admin), 400)
    assert recorded(client, admin, "api.delete_pool") == []
    assert len(recorded(client, admin, "api.post_pool")) == 2


def test_a_refused_change_keeps_its_secrets_out_of_the_audit_row(client, admin):
    assert_problem(client.patch("/api/v1/variables/api_token", json={"value": "s3cr3t"}, auth=admin), 404)
    [(_, _, extra)] = recorded(client, admin, "api.variable.edit")
    assert extra == {"value": "***"}


def test_a_refusal_after_a_write_is_recorded_too(client, admin, example_dags):
    # The handler deletes nothing and then refuses: its statement ran in the request's transaction first.
    uri = "s3%3A%2F%2Fwarehouse%2Fsales%2Ffact_sales"
    assert_problem(client.delete(f"/api/v1/datasets/queuedEvent/{uri}", auth=admin), 404)
    expected = [(None, None, {"uri": "s3://warehouse/sales/fact_sales"})]
    assert recorded(client, admin, "api.delete_dataset_queued_events") == expected


@pytest.fixture
def run_1(client: Any, admin: Any, example_dags: list[str]) -> None:
    """A run of etl_daily and a variable, made through the API; their audit rows are not what is checked."""
    response = client.post("/api/v1/dags/etl_daily/dagRuns", json={"dag_run_id": "run_1"}, auth=admin)
    assert response.status_code == 200
    assert client.post("/api/v1/variables", json={"key": "env", "value": "qa"}, auth=admin).status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "body", "event", "extra"),
    [
        # Measured on Airflow 2.10.5: its spec takes these; its handler refuses them after writing the row.
        (
            "post",
            "/api/v1/dags/etl_daily/dagRuns/run_1/clear",
            {"dry_run": True, "bogus": 1},
            "api.clear_dag_run",
            {"dry_run": True, "bogus": 1},
        ),
        ("patch", "/api/v1/dags/etl_daily/dagRuns/run_1/setNote", {}, "api.set_dag_run_note", {}),
        ("post", "/api/v1/pools", {"name": "x"}, "api.post_pool", {"name": "x"}),
        (
            "post",
            "/api/v1/connections",
            {"connection_id": "x"},
            "api.connection.create",
            {"connection_id": "x"},
        ),
        (
            "patch",
            "/api/v1/variables/env?update_mask=value",
            {"key": "env", "value": "x"},
            "api.variable.edit",
            {"key": "env", "value": "x"},
        ),
    ],
)
def test_bodies_airflows_handler_refuses_are_recorded(client, admin, run_1, method, path, body, event, extra):
    response = getattr(client, method)(path, json=body, auth=admin)
    assert assert_problem(response, 400)["title"] == "Bad Request"
    assert [row[2] for row in recorded(client, admin, event)] == [extra]


def test_a_body_airflows_spec_refuses_is_not_recorded(client, admin, run_1):
    # A wrong type, a null note, a read-only field: Airflow's connexion refuses them before its handler.
    path = "/api/v1/dags/etl_daily/dagRuns/run_1/setNote"
    assert_problem(client.patch(path, json={"note": None}, auth=admin), 400)
    assert_problem(client.patch(path, json={"note": 5, "bogus": 1}, auth=admin), 400)
    task_note = "/api/v1/dags/etl_daily/dagRuns/run_1/taskInstances/extract_orders/setNote"
    assert_problem(client.patch(task_note, json={}, auth=admin), 400)
    assert recorded(client, admin, "api.set_dag_run_note") == []
    assert recorded(client, admin, "api.set_task_instance_note") == []


def test_permissions_are_checked_before_what_airflows_handler_refuses(client, admin, viewer, run_1):
    # A viewer's request with an unknown field: 403, as from Airflow, which checks permissions first.
    body = {"dry_run": True, "bogus": 1}
    assert_problem(client.post("/api/v1/dags/etl_daily/dagRuns/run_1/clear", json=body, auth=viewer), 403)
    assert_problem(client.patch("/api/v1/pools/default_pool?update_mask=bogus", json={}, auth=viewer), 403)
    assert recorded(client, admin, "api.clear_dag_run") == []


def _refuse_pool_updates() -> None:
    """A trigger that makes the database refuse any change to a pool, as a conflicting write would."""
    with db.engine().begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql(
                "CREATE TRIGGER refuse BEFORE UPDATE ON slot_pool BEGIN SELECT RAISE(ABORT, 'refused'); END"
            )
            return
        conn.exec_driver_sql(
            "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'refused' USING ERRCODE = '23514'; END $$"
        )
        conn.exec_driver_sql(
            "CREATE TRIGGER refuse BEFORE UPDATE ON slot_pool FOR EACH ROW EXECUTE FUNCTION refuse()"
        )


def test_a_change_the_database_refuses_at_commit_is_recorded(client, admin):
    assert client.post("/api/v1/pools", json={"name": "etl", "slots": 2}, auth=admin).status_code == 200
    _refuse_pool_updates()
    response = client.patch("/api/v1/pools/etl?update_mask=slots", json={"slots": 5}, auth=admin)
    assert_problem(response, 409)
    assert client.get("/api/v1/pools/etl", auth=admin).json()["slots"] == 2
    extra = {"pool_name": "etl", "slots": 5, "update_mask": "slots"}
    assert recorded(client, admin, "api.patch_pool") == [(None, None, extra)]
