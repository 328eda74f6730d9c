"""Wire shapes of task instances, their tries and references, and the bodies of the task instance operations.

Task instances are dumped from the rows of :func:`orchestrator_api.orchestration.reads.instances_select`
(mappings of column labels), never from ORM objects that would load their run or task one by one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from orchestrator_api.schemas.common import DateRangeFilters, UTCDateTime, dump_many
from orchestrator_api.timeutil import as_utc

NEW_STATES = ("success", "failed", "skipped")


class TaskInstanceSchema(Schema):
    task_id = fields.String()
    task_display_name = fields.String()
    dag_id = fields.String()
    dag_run_id = fields.String(attribute="run_id")
    execution_date = UTCDateTime()
    start_date = UTCDateTime()
    end_date = UTCDateTime()
    duration = fields.Float(allow_none=True)
    state = fields.String(allow_none=True)
    try_number = fields.Integer()
    map_index = fields.Integer()
    max_tries = fields.Integer()
    hostname = fields.String()
    unixname = fields.String()
    pool = fields.String()
    pool_slots = fields.Integer()
    queue = fields.String()
    priority_weight = fields.Integer()
    operator = fields.String()
    queued_when = UTCDateTime(attribute="queued_dttm")
    pid = fields.Integer(allow_none=True)
    executor = fields.String(allow_none=True)
    executor_config = fields.String()
    # SLA misses, deferral triggers and triggerer jobs are not kept by this service.
    sla_miss = fields.Constant(None)
    rendered_map_index = fields.String(allow_none=True)
    rendered_fields = fields.Raw()
    trigger = fields.Constant(None)
    triggerer_job = fields.Constant(None)
    note = fields.String(allow_none=True)


class TaskInstanceReferenceSchema(Schema):
    task_id = fields.String()
    dag_id = fields.String()
    execution_date = UTCDateTime()
    dag_run_id = fields.String(attribute="run_id")


class ListTaskInstanceFormSchema(DateRangeFilters):
    """The filters of ``get_task_instances_batch``."""

    dag_ids = fields.List(fields.String(), load_default=None)
    dag_run_ids = fields.List(fields.String(), load_default=None)
    task_ids = fields.List(fields.String(), load_default=None)
    duration_gte = fields.Float(load_default=None)
    duration_lte = fields.Float(load_default=None)
    state = fields.List(fields.String(allow_none=True), load_default=None)
    pool = fields.List(fields.String(), load_default=None)
    queue = fields.List(fields.String(), load_default=None)
    executor = fields.List(fields.String(), load_default=None)
    order_by = fields.String(load_default=None)
    page_offset = fields.Integer(load_default=0)
    page_limit = fields.Integer(load_default=None)


class UpdateTaskInstanceSchema(Schema):
    dry_run = fields.Boolean(load_default=True)
    new_state = fields.String(required=True)


class SetTaskInstancesStateSchema(Schema):
    task_id = fields.String(required=True)
    execution_date = UTCDateTime(load_default=None)
    dag_run_id = fields.String(load_default=None)
    include_upstream = fields.Boolean(load_default=False)
    include_downstream = fields.Boolean(load_default=False)
    include_future = fields.Boolean(load_default=False)
    include_past = fields.Boolean(load_default=False)
    dry_run = fields.Boolean(load_default=True)
    new_state = fields.String(required=True)


class ClearTaskInstancesSchema(Schema):
    dry_run = fields.Boolean(load_default=True)
    task_ids = fields.List(fields.String(), load_default=None)
    start_date = UTCDateTime(load_default=None)
    end_date = UTCDateTime(load_default=None)
    only_failed = fields.Boolean(load_default=True)
    only_running = fields.Boolean(load_default=False)
    include_subdags = fields.Boolean(load_default=False)
    include_parentdag = fields.Boolean(load_default=False)
    reset_dag_runs = fields.Boolean(load_default=False)
    dag_run_id = fields.String(allow_none=True, load_default=None)
    include_upstream = fields.Boolean(load_default=False)
    include_downstream = fields.Boolean(load_default=False)
    include_future = fields.Boolean(load_default=False)
    include_past = fields.Boolean(load_default=False)

    @validates_schema
    def _consistent(self, data: dict[str, Any], **_: Any) -> None:
        """Refuse selections that contradict themselves (``only_failed`` is true unless said otherwise)."""
        if data["only_failed"] and data["only_running"]:
            raise ValidationError("only_failed and only_running cannot both be true")
        start, end = data["start_date"], data["end_date"]
        if start is not None and end is not None and as_utc(start) > as_utc(end):
            raise ValidationError("start_date must not be after end_date")
        if data["dag_run_id"] and (start is not None or end is not None):
            raise ValidationError("Give either dag_run_id or start_date/end_date, not both")


class SetTaskInstanceNoteSchema(Schema):
    note = fields.String(required=True, allow_none=True, validate=validate.Length(max=1000))
    map_index = fields.Integer(load_default=None)  # accepted for compatibility; the path names the index


task_instance_schema = TaskInstanceSchema()
# A try as Airflow answers it (its task-instance history row): no logical date, note, SLA, trigger or
# rendered fields.
TRY_EXCLUDED = (
    "execution_date",
    "note",
    "sla_miss",
    "rendered_map_index",
    "rendered_fields",
    "trigger",
    "triggerer_job",
)
task_instance_try_schema = TaskInstanceSchema(exclude=TRY_EXCLUDED)
task_instance_reference_schema = TaskInstanceReferenceSchema()
list_task_instance_form_schema = ListTaskInstanceFormSchema()
update_task_instance_schema = UpdateTaskInstanceSchema()
set_task_instances_state_schema = SetTaskInstancesStateSchema()
clear_task_instances_schema = ClearTaskInstancesSchema()
set_task_instance_note_schema = SetTaskInstanceNoteSchema()


def references(instances: Sequence[tuple[Any, datetime]]) -> list[dict[str, Any]]:
    """TaskInstanceReferences for task instances paired with their runs' logical dates."""
    return dump_many(
        task_instance_reference_schema,
        [
            {"task_id": ti.task_id, "dag_id": ti.dag_id, "run_id": ti.run_id, "execution_date": date}
            for ti, date in instances
        ],
    )
