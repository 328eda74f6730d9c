"""Masking a connection's ``extra`` and restoring what a client sends back masked: pure functions."""

from __future__ import annotations

import json

import pytest

from orchestrator_api.redaction import mask_extra, mask_secrets
from orchestrator_api.schemas.connection import restore_masked_extra


@pytest.mark.parametrize(
    ("extra", "shown"),
    [
        ('{"a": 1}', '{"a": 1}'),
        ('{"a":1,"token":"t"}', '{"a": 1, "token": "***"}'),
        ('{"cfg": "{\\"password\\": \\"p\\"}"}', '{"cfg": "{\\"password\\": \\"***\\"}"}'),
        ('[[{"passphrase": "p"}]]', '[[{"passphrase": "***"}]]'),
        (
            '{"pair": {"key": "db_password", "value": "p"}}',
            '{"pair": {"key": "db_password", "value": "***"}}',
        ),
        ("null", "null"),
        ("true", "true"),
        ('"SECRET"', "***"),
        ("region=eu;retries=3", "region=eu;retries=3"),  # no sensitive name in it: shown as stored
        ("region=eu;ApiKey=abc", "***"),
    ],
)
def test_mask_extra(extra, shown):
    assert mask_extra(extra) == shown


def test_audit_masking_uses_the_extra_rule_under_the_extra_key():
    body = {"connection_id": "c", "password": "p", "extra": "token=abc"}
    assert mask_secrets({"body": body}) == {"body": {"connection_id": "c", "password": "***", "extra": "***"}}
    assert mask_secrets({"body": {"extra": None, "password": None}}) == {
        "body": {"extra": None, "password": None}
    }


def test_audit_masking_of_a_variable_changed_through_its_path():
    arguments = {"variable_key": "svc_token", "body": {"value": "v", "description": "d"}}
    assert mask_secrets(arguments) == {
        "variable_key": "svc_token",
        "body": {"value": "***", "description": "d"},
    }
    plain = {"variable_key": "region", "body": {"value": "eu"}}
    assert mask_secrets(plain) == plain


def test_restore_puts_back_masked_secrets_only():
    stored = json.dumps({"api_key": "k", "auth": {"token": "t", "user": "u"}, "list": [{"secret": "s"}]})
    sent = json.dumps({"api_key": "***", "auth": {"token": "***", "user": "v"}, "list": [{"secret": "***"}]})
    assert json.loads(restore_masked_extra(sent, stored) or "") == {
        "api_key": "k",
        "auth": {"token": "t", "user": "v"},
        "list": [{"secret": "s"}],
    }


@pytest.mark.parametrize(
    ("sent", "stored", "kept"),
    [
        ('{"api_key": "new"}', '{"api_key": "old"}', '{"api_key": "new"}'),
        ('{"note": "***"}', '{"note": "old"}', '{"note": "***"}'),  # not a sensitive key: *** is the value
        ('{"token": "***"}', '{"other": 1}', '{"token": "***"}'),  # nothing stored to restore
        ('{"token": "***"}', '{"token": null}', '{"token": "***"}'),
        ('{"token": "***"}', "not json", '{"token": "***"}'),
        ("***", "password=x", "password=x"),
        ("***", "harmless", "***"),
        (None, '{"token": "t"}', None),
        ('{"token": "t2"}', None, '{"token": "t2"}'),
        ('[{"token": "***"}]', '[{"token": "t"}, 2]', '[{"token": "***"}]'),  # lists must line up
    ],
)
def test_restore_leaves_everything_else_as_sent(sent, stored, kept):
    assert restore_masked_extra(sent, stored) == kept


def test_restore_of_a_masked_variable_pair():
    stored = json.dumps({"headers": [{"key": "X-Api-Token", "value": "real"}]})
    sent = json.dumps({"headers": [{"key": "X-Api-Token", "value": "***"}]})
    assert json.loads(restore_masked_extra(sent, stored) or "") == json.loads(stored)
