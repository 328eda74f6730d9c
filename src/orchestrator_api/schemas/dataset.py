"""Wire shapes of datasets, dataset events (with the runs they created) and queued events."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from marshmallow import Schema, fields

from orchestrator_api.models.dataset import DatasetEvent
from orchestrator_api.models.run import DagRun
from orchestrator_api.schemas.common import UTCDateTime, dump_many


class DagScheduleReferenceSchema(Schema):
    dag_id = fields.String()
    created_at = UTCDateTime()
    updated_at = UTCDateTime()


class TaskOutletReferenceSchema(Schema):
    dag_id = fields.String()
    task_id = fields.String()
    created_at = UTCDateTime()
    updated_at = UTCDateTime()


class DatasetSchema(Schema):
    id = fields.Integer()
    uri = fields.String()
    extra = fields.Raw()
    created_at = UTCDateTime()
    updated_at = UTCDateTime()
    consuming_dags = fields.List(fields.Nested(DagScheduleReferenceSchema))
    producing_tasks = fields.List(fields.Nested(TaskOutletReferenceSchema))
    # Airflow 2.10 sends the aliases resolving to a dataset; there are none here.
    aliases = fields.Function(lambda _dataset: [])


class BasicDagRunSchema(Schema):
    # Airflow's published schema names the id `run_id`, its server sends `dag_run_id`: answer both.
    run_id = fields.String()
    dag_run_id = fields.Function(lambda run: run.run_id)
    dag_id = fields.String()
    logical_date = UTCDateTime()
    start_date = UTCDateTime()
    end_date = UTCDateTime()
    state = fields.String()
    data_interval_start = UTCDateTime()
    data_interval_end = UTCDateTime()


@dataclass(frozen=True)
class DatasetEventView:
    """An event with what its answer needs beyond the row: the dataset's URI and the runs it created."""

    event: DatasetEvent
    dataset_uri: str
    created_dagruns: Sequence[DagRun]


class DatasetEventSchema(Schema):
    id = fields.Integer(attribute="event.id")
    dataset_id = fields.Integer(attribute="event.dataset_id")
    dataset_uri = fields.String()
    extra = fields.Raw(attribute="event.extra")
    source_dag_id = fields.String(attribute="event.source_dag_id")
    source_task_id = fields.String(attribute="event.source_task_id")
    source_run_id = fields.String(attribute="event.source_run_id")
    source_map_index = fields.Integer(attribute="event.source_map_index")
    created_dagruns = fields.List(fields.Nested(BasicDagRunSchema))
    timestamp = UTCDateTime(attribute="event.timestamp")


class QueuedEventSchema(Schema):
    """Dumps a row of ``(uri, dag_id, created_at)``."""

    uri = fields.String()
    dag_id = fields.String()
    created_at = UTCDateTime()


def queued_event_collection(rows: Sequence[Any]) -> dict[str, Any]:
    """The list under `queued_events`, the key Airflow sends (its published schema says `datasets`)."""
    events = dump_many(queued_event_schema, rows)
    return {"queued_events": events, "total_entries": len(events)}


dataset_schema = DatasetSchema()
dataset_event_schema = DatasetEventSchema()
queued_event_schema = QueuedEventSchema()
