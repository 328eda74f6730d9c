"""A connection's secrets reach no response body, no log line and no event-log row, whatever the operation."""

from __future__ import annotations

import base64
import json
import logging
from typing import Any

import pytest

from tests.factories_resources import event_log, http_server, stored_connection

URL = "/api/v1/connections"
PASSWORD = "Zebra-Quartz-7781-pw"
EXTRA_SECRET = "Kiwi-Nebula-5520-key"
NEW_PASSWORD = "Walrus-Ember-3349-pw"
NEW_EXTRA_SECRET = "Lynx-Comet-9904-key"
SECRETS = (PASSWORD, EXTRA_SECRET, NEW_PASSWORD, NEW_EXTRA_SECRET)


def _forms(secret: str) -> list[str]:
    """The secret as text, and as it would appear in a basic-auth header or lowercased in a URL."""
    return [secret, secret.lower(), base64.b64encode(f"svc:{secret}".encode()).decode()]


def assert_no_secret(text: str, where: str) -> None:
    for secret in SECRETS:
        for form in _forms(secret):
            assert form not in text, f"{secret!r} leaked into {where}: {text[:500]}"


def test_secrets_never_leave_the_store(client, admin, settings_env, caplog, capsys):
    settings_env(TEST_CONNECTION="true")
    caplog.set_level(logging.DEBUG)
    responses: list[Any] = []
    extra = json.dumps({"api_key": EXTRA_SECRET, "nested": {"client_secret": EXTRA_SECRET}, "region": "eu"})
    with http_server("svc", PASSWORD) as port:
        body = {
            "connection_id": "vault_backed",
            "conn_type": "http",
            "host": "127.0.0.1/ok",
            "port": port,
            "login": "svc",
            "password": PASSWORD,
            "extra": extra,
        }
        responses.append(client.post(URL, json=body, auth=admin))
        responses.append(client.get(f"{URL}/vault_backed", auth=admin))
        responses.append(client.get(URL, auth=admin))
        responses.append(client.post(f"{URL}/test", json=body, auth=admin))
        changed = {
            **responses[1].json(),
            "password": NEW_PASSWORD,
            "extra": json.dumps({"api_key": NEW_EXTRA_SECRET, "region": "us"}),
        }
        responses.append(client.patch(f"{URL}/vault_backed", json=changed, auth=admin))
        responses.append(
            client.patch(f"{URL}/vault_backed?update_mask=password", json={"password": PASSWORD}, auth=admin)
        )
        responses.append(client.post(f"{URL}/test", json={**body, "password": NEW_PASSWORD}, auth=admin))
        responses.append(client.post(URL, json=body, auth=admin))  # a duplicate: the 409 problem
        responses.append(client.delete(f"{URL}/vault_backed", auth=admin))

    statuses = [r.status_code for r in responses]
    assert statuses == [200, 200, 200, 200, 200, 200, 200, 409, 204]
    test_results = [responses[3].json(), responses[6].json()]
    assert test_results[0]["status"] is True  # the server saw the right password, so it was really used
    assert test_results[1]["status"] is False
    assert "401" in test_results[1]["message"]
    for response in responses:
        assert_no_secret(response.text, f"the answer to {response.request.method} {response.request.url}")
        assert_no_secret(json.dumps(dict(response.headers)), "response headers")

    assert caplog.records, "the requests should have logged something at DEBUG"
    for record in caplog.records:
        assert_no_secret(record.getMessage(), f"log record {record.name}")
        assert_no_secret(str(record.__dict__), f"log record {record.name} (all attributes)")
    captured = capsys.readouterr()
    assert_no_secret(captured.out + captured.err, "stdout/stderr")

    rows = event_log()
    assert [row["event"] for row in rows] == [
        "api.connection.create",
        "api.test_connection",
        "api.connection.edit",
        "api.connection.edit",
        "api.test_connection",
        "api.connection.create",  # the refused duplicate: recorded, as Airflow records it
        "api.connection.delete",
    ]
    assert_no_secret(json.dumps(rows, default=str), "the event log")
    assert '"password": "***"' in rows[0]["extra"]
    served = client.get("/api/v1/eventLogs?event=api.connection.create", auth=admin)
    assert served.json()["total_entries"] == 2
    assert_no_secret(served.text, "the event-log endpoint")
    for entry in client.get("/api/v1/eventLogs?limit=100", auth=admin).json()["event_logs"]:
        assert_no_secret(
            client.get(f"/api/v1/eventLogs/{entry['event_log_id']}", auth=admin).text, "an event"
        )


def test_secrets_are_really_stored_and_used(client, admin):
    """The counterpart of the test above: the secrets are kept, so their absence elsewhere means something."""
    body = {
        "connection_id": "kept",
        "conn_type": "http",
        "password": PASSWORD,
        "extra": json.dumps({"api_key": EXTRA_SECRET}),
    }
    client.post(URL, json=body, auth=admin)
    stored = stored_connection("kept")
    assert stored["password"] == PASSWORD
    assert EXTRA_SECRET in stored["extra"]


@pytest.mark.parametrize(
    "extra",
    [
        f"password={EXTRA_SECRET}",
        f'{{"password": "{EXTRA_SECRET}"',
        f'[{{"token": "{EXTRA_SECRET}"}}]',
        f'{{"a": 1, "a": {{"secret": "{EXTRA_SECRET}"}}, "a": 2}}',
    ],
)
def test_odd_extras_leak_nowhere_either(client, admin, caplog, extra):
    caplog.set_level(logging.DEBUG)
    body = {"connection_id": "odd", "conn_type": "generic", "extra": extra}
    responses = [
        client.post(URL, json=body, auth=admin),
        client.get(f"{URL}/odd", auth=admin),
        client.patch(f"{URL}/odd", json={"extra": extra}, auth=admin),
    ]
    assert [r.status_code for r in responses] == [200, 200, 200]
    for response in responses:
        assert_no_secret(response.text, "an answer")
    for record in caplog.records:
        assert_no_secret(record.getMessage(), f"log record {record.name}")
    assert_no_secret(json.dumps(event_log(), default=str), "the event log")
