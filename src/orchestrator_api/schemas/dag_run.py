"""Wire shapes of DAG runs and the bodies of the run operations."""

from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, Schema, fields

from orchestrator_api.schemas.common import DateRangeFilters, UTCDateTime


class DagRunSchema(Schema):
    """A run as answered; ``execution_date`` is the deprecated name of ``logical_date``."""

    dag_run_id = fields.String(attribute="run_id", dump_only=True)
    dag_id = fields.String(dump_only=True)
    logical_date = UTCDateTime(dump_only=True)
    execution_date = UTCDateTime(attribute="logical_date", dump_only=True)
    start_date = UTCDateTime(dump_only=True)
    end_date = UTCDateTime(dump_only=True)
    data_interval_start = UTCDateTime(dump_only=True)
    data_interval_end = UTCDateTime(dump_only=True)
    last_scheduling_decision = UTCDateTime(dump_only=True)
    run_type = fields.String(dump_only=True)
    state = fields.String(dump_only=True)
    external_trigger = fields.Boolean(dump_only=True)
    conf = fields.Method("_conf", dump_only=True)
    note = fields.String(dump_only=True, allow_none=True)

    def _conf(self, run: Any) -> dict[str, Any]:
        return dict(run.conf or {})


class TriggerDagRunSchema(Schema):
    """The writable part of a DAGRun body; the read-only fields a client may echo back are dropped."""

    class Meta:
        unknown = EXCLUDE

    dag_run_id = fields.String(allow_none=True, load_default=None)
    logical_date = UTCDateTime(allow_none=True, load_default=None)
    execution_date = UTCDateTime(allow_none=True, load_default=None)
    data_interval_start = UTCDateTime(allow_none=True, load_default=None)
    data_interval_end = UTCDateTime(allow_none=True, load_default=None)
    conf = fields.Dict(allow_none=True, load_default=None)
    note = fields.String(allow_none=True, load_default=None)


class ListDagRunsFormSchema(DateRangeFilters):
    """The filters of ``get_dag_runs_batch``."""

    order_by = fields.String(load_default=None)
    page_offset = fields.Integer(load_default=0)
    page_limit = fields.Integer(load_default=None)
    dag_ids = fields.List(fields.String(), load_default=None)
    states = fields.List(fields.String(), load_default=None)


dag_run_schema = DagRunSchema()
trigger_dag_run_schema = TriggerDagRunSchema()
list_dag_runs_form_schema = ListDagRunsFormSchema()
