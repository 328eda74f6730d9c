"""test_connection: off by default; when enabled, really tries http(s), postgres and sqlite targets."""

from __future__ import annotations

import os
import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from tests.factories_resources import event_log, http_server
from tests.problems import assert_problem

URL = "/api/v1/connections/test"
PASSWORD = "Tr1cky-Pa55word"


@pytest.fixture(scope="module")
def http_port() -> Iterator[int]:
    with http_server("svc", PASSWORD) as port:
        yield port


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # closed when the block ends: nothing listens there


@pytest.fixture
def enabled(settings_env: Any) -> None:
    settings_env(TEST_CONNECTION="true")


def test_disabled_by_default_with_a_clear_problem(client, admin):
    response = client.post(URL, json={"conn_type": "http", "host": "localhost"}, auth=admin)
    assert_problem(response, 403, "ORCHESTRATOR_API_TEST_CONNECTION")


def test_needs_credentials_and_create_permission(client, viewer, enabled):
    assert_problem(client.post(URL, json={"conn_type": "http"}), 401)
    assert_problem(client.post(URL, json={"conn_type": "http"}, auth=viewer), 403, "can_create")


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"host": "localhost"}, "conn_type"),
        ({"conn_type": "http", "port": 99999}, "port"),
        ({"conn_type": "http", "colour": "red"}, "colour"),
        ({"conn_type": "http", "connection_id": "bad id"}, "connection_id"),
    ],
)
def test_rejects_bad_bodies(client, admin, enabled, body, detail):
    assert_problem(client.post(URL, json=body, auth=admin), 400, detail)


def test_http_success_uses_the_credentials(client, admin, enabled, http_port):
    body = {
        "connection_id": "partner",
        "conn_type": "http",
        "host": "127.0.0.1/ok",
        "port": http_port,
        "login": "svc",
        "password": PASSWORD,
    }
    response = client.post(URL, json=body, auth=admin)
    assert response.status_code == 200
    result = response.json()
    assert result["status"] is True, result
    assert f"127.0.0.1:{http_port}/ok" in result["message"]
    assert "200" in result["message"]
    wrong = client.post(URL, json={**body, "password": "wrong"}, auth=admin).json()
    assert wrong["status"] is False
    assert "401" in wrong["message"]


def test_http_error_status_and_refused_port_fail(client, admin, enabled, http_port, closed_port):
    missing = client.post(
        URL, json={"conn_type": "http", "host": "127.0.0.1/missing", "port": http_port}, auth=admin
    ).json()
    assert missing == {
        "status": False,
        "message": f"GET http://127.0.0.1:{http_port}/missing answered HTTP 404 Not Found",
    }
    refused = client.post(
        URL,
        json={"conn_type": "https", "host": "127.0.0.1", "port": closed_port, "password": PASSWORD},
        auth=admin,
    ).json()
    assert refused["status"] is False
    assert refused["message"].startswith(f"GET https://127.0.0.1:{closed_port}")
    assert "ConnectError" in refused["message"]


def test_http_scheme_may_come_from_schema_or_host(client, admin, enabled, http_port):
    via_schema = {"conn_type": "http", "schema": "http", "host": "127.0.0.1/ok", "port": http_port}
    assert client.post(URL, json=via_schema, auth=admin).json()["status"] is True
    via_host = {"conn_type": "http", "host": f"http://127.0.0.1:{http_port}/ok"}
    assert client.post(URL, json=via_host, auth=admin).json()["status"] is True


@pytest.mark.parametrize("host", [None, "", "bad host name with spaces", "http://[::1"])
def test_http_without_a_usable_host_fails_cleanly(client, admin, enabled, host):
    result = client.post(URL, json={"conn_type": "http", "host": host}, auth=admin).json()
    assert result["status"] is False
    assert result["message"]


def test_sqlite_opens_an_existing_database_read_only(client, admin, enabled, tmp_path):
    database = tmp_path / "data.db"
    with sqlite3.connect(database) as connection:
        connection.execute("PRAGMA journal_mode=wal")
        connection.execute("CREATE TABLE t (x)")
    before = sorted(p.name for p in tmp_path.iterdir())
    result = client.post(URL, json={"conn_type": "sqlite", "host": str(database)}, auth=admin).json()
    assert result["status"] is True, result
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no -wal / -shm created


def test_sqlite_never_creates_a_file(client, admin, enabled, tmp_path):
    missing = tmp_path / "missing.db"
    result = client.post(URL, json={"conn_type": "sqlite", "host": str(missing)}, auth=admin).json()
    assert result == {"status": False, "message": f"There is no file at {missing}"}
    assert not missing.exists()
    assert list(tmp_path.iterdir()) == []


def test_sqlite_refuses_a_file_that_is_not_a_database(client, admin, enabled, tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("certainly not a database " * 50)
    result = client.post(URL, json={"conn_type": "sqlite", "host": str(text)}, auth=admin).json()
    assert result["status"] is False
    assert "not a database" in result["message"]
    folder = client.post(URL, json={"conn_type": "sqlite", "host": str(tmp_path)}, auth=admin).json()
    assert folder["status"] is False
    unusable = client.post(URL, json={"conn_type": "sqlite", "host": "x" * 400}, auth=admin).json()
    assert unusable["status"] is False


def test_postgres_failure_never_shows_the_password(client, admin, enabled, closed_port):
    body = {
        "conn_type": "postgres",
        "host": "127.0.0.1",
        "port": closed_port,
        "login": "svc",
        "password": PASSWORD,
        "schema": "warehouse",
    }
    result = client.post(URL, json=body, auth=admin).json()
    assert result["status"] is False
    assert result["message"].startswith("Could not connect to PostgreSQL")
    assert PASSWORD not in result["message"]
    assert "\n" not in result["message"]


@pytest.mark.skipif(
    not os.environ.get("ORCHESTRATOR_API_TEST_DATABASE_URL"), reason="needs a PostgreSQL server to log in to"
)
def test_postgres_success_against_the_test_server(client, admin, enabled):
    url = make_url(os.environ["ORCHESTRATOR_API_TEST_DATABASE_URL"])
    body = {
        "conn_type": "postgresql",
        "host": url.host or "localhost",
        "port": url.port or 5432,
        "login": url.username,
        "password": url.password,
        "schema": "postgres",
    }
    result = client.post(URL, json=body, auth=admin).json()
    assert result["status"] is True, result
    wrong = client.post(URL, json={**body, "password": "definitely-wrong-pw"}, auth=admin).json()
    assert wrong["status"] is False
    assert "definitely-wrong-pw" not in wrong["message"]


def test_other_types_are_not_testable_here(client, admin, enabled):
    result = client.post(URL, json={"conn_type": "mysql", "host": "db"}, auth=admin).json()
    assert result["status"] is False
    assert "'mysql' cannot be tested here" in result["message"]
    assert "postgres" in result["message"]
    assert "sqlite" in result["message"]


@pytest.mark.parametrize("conn_type", ["sqlite", "http"])
def test_the_password_is_scrubbed_wherever_a_message_would_repeat_it(client, admin, enabled, conn_type):
    # A host that happens to contain the password text: messages name the host.
    body = {"conn_type": conn_type, "host": f"no-such-{PASSWORD}.invalid", "password": PASSWORD}
    result = client.post(URL, json=body, auth=admin).json()
    assert result["status"] is False
    assert PASSWORD not in result["message"]
    assert "no-such-***.invalid" in result["message"]


def test_testing_writes_nothing_but_the_audit_row(client, admin, enabled, tmp_path):
    body = {
        "connection_id": "probe",
        "conn_type": "sqlite",
        "host": str(tmp_path / "x.db"),
        "password": PASSWORD,
    }
    assert client.post(URL, json=body, auth=admin).status_code == 200
    assert client.get("/api/v1/connections", auth=admin).json()["total_entries"] == 0
    rows = event_log()
    assert [row["event"] for row in rows] == ["api.test_connection"]
    assert PASSWORD not in str(rows)
    assert '"password": "***"' in rows[0]["extra"]


def test_testing_accepts_a_file_path_with_url_characters(client, admin, enabled, tmp_path):
    odd = Path(tmp_path / "a b?c#d%.db")
    with sqlite3.connect(odd) as connection:
        connection.execute("CREATE TABLE t (x)")
    assert (
        client.post(URL, json={"conn_type": "sqlite", "host": str(odd)}, auth=admin).json()["status"] is True
    )
