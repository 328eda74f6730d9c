"""Dataset events: recording one (and queueing it for the consumers) and loading what their answers need."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import literal, select
from sqlalchemy.orm import Session

from orchestrator_api.models.base import UTCDateTime
from orchestrator_api.models.dag import Dag
from orchestrator_api.models.dataset import (
    DagRunDatasetEvent,
    DagScheduleDatasetReference,
    Dataset,
    DatasetDagRunQueue,
    DatasetEvent,
)
from orchestrator_api.models.run import DagRun
from orchestrator_api.queries import upsert
from orchestrator_api.schemas.dataset import DatasetEventView


def event_views(session: Session, rows: Sequence[Any]) -> list[DatasetEventView]:
    """Pairs of ``(DatasetEvent, uri)`` with the runs each event created, in one more statement."""
    ids = [row[0].id for row in rows]
    created: dict[int, list[DagRun]] = defaultdict(list)
    if ids:
        links = session.execute(
            select(DagRunDatasetEvent.event_id, DagRun)
            .join(DagRun, DagRun.id == DagRunDatasetEvent.dag_run_id)
            .where(DagRunDatasetEvent.event_id.in_(ids))
            .order_by(DagRun.logical_date, DagRun.id)
        )
        for event_id, run in links:
            created[event_id].append(run)
    return [
        DatasetEventView(event=row[0], dataset_uri=row[1], created_dagruns=created[row[0].id]) for row in rows
    ]


def record_external_event(
    session: Session, dataset: Dataset, extra: dict[str, Any], when: datetime
) -> DatasetEvent:
    """An event reported from outside any task, queued for the active, unpaused DAGs scheduled on the dataset.

    It has no source task; ``source_map_index`` is -1 (the column default), as Airflow stores it.
    """
    event = DatasetEvent(
        dataset_id=dataset.id,
        extra=extra,
        source_dag_id=None,
        source_task_id=None,
        source_run_id=None,
        source_map_index=-1,
        timestamp=when,
    )
    session.add(event)
    session.flush()
    queue_for_consumers(session, dataset.id, when)
    return event


def queue_for_consumers(session: Session, dataset_id: int, when: datetime) -> None:
    """Queue the dataset for each DAG scheduled on it, in one statement; a DAG already queued keeps its time.

    Only DAGs that are active and not paused are queued, as Airflow's dataset manager does: a paused or
    removed consumer would not run on the event, so nothing waits for it.

    ``INSERT ... SELECT ... ON CONFLICT DO NOTHING`` rather than read-then-insert, so two concurrent events
    cannot both insert the same (dataset, DAG) pair and fail the second request with a conflict.
    """
    consumers = (
        select(
            literal(dataset_id),
            DagScheduleDatasetReference.dag_id,
            literal(when, UTCDateTime()),
        )
        .join(Dag, Dag.dag_id == DagScheduleDatasetReference.dag_id)
        .where(
            DagScheduleDatasetReference.dataset_id == dataset_id,
            Dag.is_active.is_(True),
            Dag.is_paused.is_(False),
        )
    )
    statement = (
        upsert(session, DatasetDagRunQueue)
        .from_select(["dataset_id", "target_dag_id", "created_at"], consumers)
        .on_conflict_do_nothing()
    )
    session.execute(statement)
