"""Access and trigger tokens (an extension), and the DAG run a trigger token starts.

Secrets are not attributes of any row: they exist only in the answer that creates a token, added by the
handler that just generated them.
"""

from __future__ import annotations

from marshmallow import Schema, fields
from marshmallow.validate import Length, OneOf, Range

from orchestrator_api.schemas.auth import NameSchema
from orchestrator_api.schemas.common import UTCDateTime

MAX_EXPIRY_DAYS = 36_500


class AccessTokenSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String()
    kind = fields.String(dump_only=True)
    prefix = fields.String(attribute="display_prefix", dump_only=True)
    roles = fields.List(fields.Nested(NameSchema), dump_only=True)
    created_at = UTCDateTime(dump_only=True)
    expires_at = UTCDateTime(dump_only=True)
    last_used_at = UTCDateTime(dump_only=True, allow_none=True)


class AccessTokenRequestSchema(Schema):
    name = fields.String(required=True, validate=Length(1, 200))
    expires_in_days = fields.Integer(validate=Range(1, MAX_EXPIRY_DAYS))
    roles = fields.List(fields.Nested(NameSchema))


class TriggerTokenSchema(Schema):
    id = fields.Integer(dump_only=True)
    dag_id = fields.String(dump_only=True)
    name = fields.String()
    prefix = fields.String(attribute="display_prefix", dump_only=True)
    created_by = fields.String(dump_only=True, allow_none=True)
    created_at = UTCDateTime(dump_only=True)
    expires_at = UTCDateTime(dump_only=True, allow_none=True)
    last_used_at = UTCDateTime(dump_only=True, allow_none=True)


class TriggerTokenRequestSchema(Schema):
    name = fields.String(required=True, validate=Length(1, 200))
    expires_in_days = fields.Integer(validate=Range(1, MAX_EXPIRY_DAYS))


ORGANIZATION_TOKEN_ROLES = ("Owner", "User", "Viewer")


class OrganizationTokenSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(dump_only=True)
    role = fields.String(dump_only=True)
    dag_ids = fields.Function(lambda token: token.dag_ids or [], dump_only=True)
    dag_tags = fields.Function(lambda token: token.dag_tags or [], dump_only=True)
    prefix = fields.String(attribute="display_prefix", dump_only=True)
    created_by = fields.String(dump_only=True, allow_none=True)
    created_at = UTCDateTime(dump_only=True)
    expires_at = UTCDateTime(dump_only=True)
    last_used_at = UTCDateTime(dump_only=True, allow_none=True)


class OrganizationTokenRequestSchema(Schema):
    name = fields.String(required=True, validate=Length(1, 200))
    role = fields.String(required=True, validate=OneOf(ORGANIZATION_TOKEN_ROLES))
    dag_ids = fields.List(fields.String(validate=Length(1, 250)), validate=Length(max=100), load_default=list)
    dag_tags = fields.List(
        fields.String(validate=Length(1, 100)), validate=Length(max=100), load_default=list
    )
    expires_in_days = fields.Integer(validate=Range(1, MAX_EXPIRY_DAYS))


access_token_schema = AccessTokenSchema()
access_token_request_schema = AccessTokenRequestSchema()
trigger_token_schema = TriggerTokenSchema()
trigger_token_request_schema = TriggerTokenRequestSchema()
organization_token_schema = OrganizationTokenSchema()
organization_token_request_schema = OrganizationTokenRequestSchema()
