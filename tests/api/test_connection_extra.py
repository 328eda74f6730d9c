"""A connection's ``extra``: answered with secrets masked at any depth, kept when sent back masked."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.factories_resources import stored_connection

URL = "/api/v1/connections"


def connection(connection_id: str, **fields: Any) -> dict[str, Any]:
    return {"connection_id": connection_id, "conn_type": "http", **fields}


def test_get_connection_masks_secrets_in_extra_at_any_depth(client, admin):
    extra = {
        "timeout": 30,
        "api_key": "top-level-key",
        "auth": {"client_secret": "nested-secret", "user": "svc", "keys": [{"private_key": "pem"}]},
        "headers": [{"key": "X-Auth-Token", "value": "pair-secret"}],
        "password": None,
    }
    client.post(URL, json=connection("masked", password="pw", extra=json.dumps(extra)), auth=admin)
    body = client.get(f"{URL}/masked", auth=admin).json()
    assert "password" not in body
    assert json.loads(body["extra"]) == {
        "timeout": 30,
        "api_key": "***",
        "auth": {"client_secret": "***", "user": "svc", "keys": [{"private_key": "***"}]},
        "headers": [{"key": "X-Auth-Token", "value": "***"}],
        "password": None,
    }
    for secret in ("top-level-key", "nested-secret", "pem", "pair-secret"):
        assert secret not in json.dumps(body)
    assert stored_connection("masked")["extra"] == json.dumps(extra)


@pytest.mark.parametrize(
    ("extra", "answered"),
    [
        ('{"region": "eu"}', '{"region": "eu"}'),
        ('{ "region" :  "eu" }', '{ "region" :  "eu" }'),  # nothing to mask: the text as sent
        ('[{"token": "t"}, 1]', '[{"token": "***"}, 1]'),
        ('"plain string"', '"plain string"'),
        ('"password=hunter2"', "***"),
        ("42", "42"),
        ("not json at all", "not json at all"),
        ("host=a;password=hunter2", "***"),
        ('{"password": "cut off', "***"),
        ('{"password": "a", "password": null}', "***"),  # a repeated key hides a value from parsing
        ("", ""),
    ],
)
def test_extra_that_is_not_a_plain_object_is_answered_only_when_safe(client, admin, extra, answered):
    response = client.post(URL, json=connection("odd", extra=extra), auth=admin)
    assert response.json()["extra"] == answered
    assert client.get(f"{URL}/odd", auth=admin).json()["extra"] == answered
    assert stored_connection("odd")["extra"] == extra


def test_deeply_nested_extra_is_masked_as_a_whole(client, admin):
    extra = '{"a": ' * 3000 + '{"token": "deep"}' + "}" * 3000
    response = client.post(URL, json=connection("deep", extra=extra), auth=admin)
    assert response.status_code == 200
    assert response.json()["extra"] == "***"


def test_patch_connection_sent_back_with_masked_extra_keeps_the_secrets(client, admin):
    extra = {"api_key": "real-key", "auth": {"token": "real-token", "user": "svc"}, "timeout": 5}
    client.post(URL, json=connection("roundtrip", extra=json.dumps(extra)), auth=admin)
    read = client.get(f"{URL}/roundtrip", auth=admin).json()
    changed = json.loads(read["extra"])
    changed["timeout"] = 9
    changed["auth"]["user"] = "svc2"
    response = client.patch(f"{URL}/roundtrip", json={**read, "extra": json.dumps(changed)}, auth=admin)
    assert response.status_code == 200
    assert json.loads(stored_connection("roundtrip")["extra"]) == {
        "api_key": "real-key",
        "auth": {"token": "real-token", "user": "svc2"},
        "timeout": 9,
    }
    replaced = {"api_key": "new-key", "auth": {"token": "***", "user": "svc2"}}
    client.patch(f"{URL}/roundtrip?update_mask=extra", json={"extra": json.dumps(replaced)}, auth=admin)
    assert json.loads(stored_connection("roundtrip")["extra"]) == {
        "api_key": "new-key",
        "auth": {"token": "real-token", "user": "svc2"},
    }


def test_patch_connection_keeps_an_opaque_extra_sent_back_masked(client, admin):
    client.post(URL, json=connection("opaque", extra="user=a;password=b"), auth=admin)
    read = client.get(f"{URL}/opaque", auth=admin).json()
    assert read["extra"] == "***"
    client.patch(f"{URL}/opaque", json=read, auth=admin)
    assert stored_connection("opaque")["extra"] == "user=a;password=b"
