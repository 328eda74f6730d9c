"""Wire shape of audit entries."""

from __future__ import annotations

import json

from marshmallow import Schema, fields

from orchestrator_api.models.event_log import EventLog
from orchestrator_api.redaction import mask_secrets
from orchestrator_api.schemas.common import UTCDateTime


def masked_extra(extra: str | None) -> str | None:
    """``extra`` with secrets masked again: it is masked when written, this guards rows written elsewhere."""
    if extra is None:
        return None
    try:
        parsed = json.loads(extra)
    except ValueError:
        return extra
    if isinstance(parsed, dict | list):
        return json.dumps(mask_secrets(parsed))  # in the order recorded: Airflow's (parameters, then body)
    return extra


class EventLogSchema(Schema):
    event_log_id = fields.Integer(attribute="id")
    when = UTCDateTime(attribute="dttm")
    dag_id = fields.String()
    task_id = fields.String()
    run_id = fields.String()
    map_index = fields.Integer()
    try_number = fields.Integer()
    event = fields.String()
    execution_date = UTCDateTime()
    owner = fields.String()
    extra = fields.Method("_extra")

    def _extra(self, entry: EventLog) -> str | None:
        return masked_extra(entry.extra)


event_log_schema = EventLogSchema()
