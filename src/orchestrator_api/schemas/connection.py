"""Wire shapes of connections: the password is write-only, secrets in ``extra`` are masked on the way out."""

from __future__ import annotations

import json
from typing import Any

from marshmallow import Schema, fields

from orchestrator_api.redaction import MASK, is_sensitive, mask_extra


class MaskedExtra(fields.String):
    """``extra`` as written, answered through :func:`~orchestrator_api.redaction.mask_extra`."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        text = super()._serialize(value, attr, obj, **kwargs)
        return None if text is None else mask_extra(text)


class ConnectionCollectionItemSchema(Schema):
    connection_id = fields.String(attribute="conn_id", required=True)
    conn_type = fields.String(required=True)
    description = fields.String(allow_none=True)
    host = fields.String(allow_none=True)
    login = fields.String(allow_none=True)
    # A field called `schema` on a Schema class invites confusion; the wire name stays `schema`.
    schema_ = fields.String(data_key="schema", attribute="schema", allow_none=True)
    port = fields.Integer(allow_none=True)


class ConnectionSchema(ConnectionCollectionItemSchema):
    password = fields.String(load_only=True, allow_none=True)
    extra = MaskedExtra(allow_none=True)


class ConnectionTestSchema(Schema):
    status = fields.Boolean()
    message = fields.String()


connection_item_schema = ConnectionCollectionItemSchema()
connection_schema = ConnectionSchema()
connection_test_schema = ConnectionTestSchema()


def restore_masked_extra(sent: str | None, stored: str | None) -> str | None:
    """``sent`` with every ``***`` that stands where :func:`mask_extra` hid a stored secret put back.

    So a client may send back the ``extra`` it read. Only values that are exactly ``***`` under a sensitive
    key present in both are restored; anything else in ``sent`` is taken as the new value.
    """
    if sent is None or stored is None:
        return sent
    if sent == MASK:
        return stored if mask_extra(stored) == MASK else sent
    try:
        new, old = json.loads(sent), json.loads(stored)
    except (ValueError, RecursionError):
        return sent
    restored, changed = _restore(new, old)
    return json.dumps(restored) if changed else sent


def _restore(new: Any, old: Any) -> tuple[Any, bool]:
    if isinstance(new, dict) and isinstance(old, dict):
        result: dict[str, Any] = {}
        changed = False
        for key, value in new.items():
            if value == MASK and is_sensitive(str(key)) and old.get(key) is not None:
                result[key], hit = old[key], True
            elif key in old:
                result[key], hit = _restore(value, old[key])
            else:
                result[key], hit = value, False
            changed = changed or hit
        pair_key = new.get("key")
        if (
            isinstance(pair_key, str)
            and is_sensitive(pair_key)
            and new.get("value") == MASK
            and old.get("key") == pair_key
            and "value" in old
        ):
            result["value"], changed = old["value"], True
        return result, changed
    if isinstance(new, list) and isinstance(old, list) and len(new) == len(old):
        pairs = [_restore(n, o) for n, o in zip(new, old, strict=True)]
        return [value for value, _ in pairs], any(hit for _, hit in pairs)
    return new, False


# What an organization's User reads (security.permissions.CONNECTION_SUMMARIES): where and what a
# connection is, never how to sign in to it (no login, password or extra).
connection_summary_schema = ConnectionCollectionItemSchema(exclude=("login",))
