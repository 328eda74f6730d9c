"""Access and trigger tokens (an extension), and the DAG run a trigger token starts.

Secrets are not attributes of any row: they exist only in the answer that creates a token, added by the
handler that just generated them.
"""

from __future__ import annotations

from marshmallow import Schema, fields
from marshmallow.validate import Length, Range

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


class TriggeredRunSchema(Schema):
    """A DAG run in Airflow's ``DAGRun`` shape, as the trigger endpoint answers it."""

    dag_run_id = fields.String(attribute="run_id")
    dag_id = fields.String()
    logical_date = UTCDateTime()
    execution_date = UTCDateTime(attribute="logical_date", dump_only=True)
    start_date = UTCDateTime(allow_none=True)
    end_date = UTCDateTime(allow_none=True)
    data_interval_start = UTCDateTime(allow_none=True)
    data_interval_end = UTCDateTime(allow_none=True)
    last_scheduling_decision = UTCDateTime(allow_none=True)
    run_type = fields.String()
    state = fields.String()
    external_trigger = fields.Boolean()
    conf = fields.Dict()
    note = fields.String(allow_none=True)


access_token_schema = AccessTokenSchema()
access_token_request_schema = AccessTokenRequestSchema()
trigger_token_schema = TriggerTokenSchema()
trigger_token_request_schema = TriggerTokenRequestSchema()
triggered_run_schema = TriggeredRunSchema()
