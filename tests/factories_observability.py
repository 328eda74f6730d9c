"""Builders for the observability family's rows that no endpoint creates: import errors, DAG warnings,
audit entries, datasets outside DAG files, queued events, links from runs to the events that triggered them,
and roles with hand-picked permissions."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from orchestrator_api import db
from orchestrator_api.dags import sync_dags
from orchestrator_api.models import (
    Dag,
    DagImportError,
    DagRun,
    DagRunDatasetEvent,
    DagWarning,
    Dataset,
    DatasetDagRunQueue,
    EventLog,
)
from orchestrator_api.timeutil import utcnow


def import_error(filename: str, stack_trace: str, timestamp: datetime | None = None) -> int:
    with db.transaction() as session:
        row = DagImportError(filename=filename, stack_trace=stack_trace, timestamp=timestamp or utcnow())
        session.add(row)
        session.flush()
        return row.id


def dag_warning(dag_id: str, warning_type: str, message: str, timestamp: datetime | None = None) -> None:
    with db.transaction() as session:
        session.add(
            DagWarning(
                dag_id=dag_id, warning_type=warning_type, message=message, timestamp=timestamp or utcnow()
            )
        )


def event_log(event: str, *, when: datetime | None = None, **columns: Any) -> int:
    """An audit row as the audit hook (or `dags sync`) would write it; returns its id."""
    with db.transaction() as session:
        row = EventLog(event=event, dttm=when or utcnow(), **columns)
        session.add(row)
        session.flush()
        return row.id


def dataset(uri: str, extra: dict[str, Any] | None = None) -> int:
    """A dataset no DAG file mentions (kept, as after its DAGs were removed)."""
    with db.transaction() as session:
        row = Dataset(uri=uri, extra=extra or {}, is_orphaned=True)
        session.add(row)
        session.flush()
        return row.id


def queued_event(uri: str, dag_id: str, created_at: datetime) -> None:
    with db.transaction() as session:
        dataset_id = session.scalars(select(Dataset.id).where(Dataset.uri == uri)).one()
        session.add(DatasetDagRunQueue(dataset_id=dataset_id, target_dag_id=dag_id, created_at=created_at))


def link_event_to_run(event_id: int, dag_id: str, run_id: str) -> None:
    """Record that the event triggered the run, as the scheduler does for a dataset-triggered run."""
    with db.transaction() as session:
        run = session.scalars(select(DagRun).where(DagRun.dag_id == dag_id, DagRun.run_id == run_id)).one()
        session.add(DagRunDatasetEvent(dag_run_id=run.id, event_id=event_id))


def sync_allowing_errors(folder: Path) -> list[str]:
    """Load a DAG folder as `dags sync` would, keeping import errors; returns the failed file names."""
    with db.transaction() as session:
        report = sync_dags(session, folder)
    return [error.filename for error in report.import_errors]


def move_dag_to_file(dag_id: str, fileloc: str) -> None:
    """Make ``dag_id`` come from ``fileloc``, as if that file defined several DAGs."""
    with db.transaction() as session:
        session.execute(update(Dag).where(Dag.dag_id == dag_id).values(fileloc=fileloc))


def deactivate_dag(dag_id: str) -> None:
    """Mark ``dag_id`` inactive while it keeps its dataset references, as a DAG gone from its file can be."""
    with db.transaction() as session:
        session.execute(update(Dag).where(Dag.dag_id == dag_id).values(is_active=False))
