"""Datasets seen in DAG files: their rows, who consumes and produces them, and which are orphaned."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import delete, insert, select, union, update
from sqlalchemy.orm import Session

from orchestrator_api.dags.schedule import DatasetSchedule
from orchestrator_api.dags.spec import DagSpec
from orchestrator_api.models.dataset import (
    DagScheduleDatasetReference,
    Dataset,
    TaskOutletDatasetReference,
)


def clear_dataset_references(session: Session, dag_ids: Collection[str]) -> None:
    """Drop the schedule and outlet references of ``dag_ids`` (they are rewritten from the files)."""
    if not dag_ids:
        return
    session.execute(
        delete(DagScheduleDatasetReference).where(DagScheduleDatasetReference.dag_id.in_(dag_ids))
    )
    session.execute(delete(TaskOutletDatasetReference).where(TaskOutletDatasetReference.dag_id.in_(dag_ids)))


def write_dataset_references(session: Session, specs: Sequence[DagSpec]) -> None:
    """Create missing datasets, un-orphan reused ones and reference them from ``specs``.

    The DAG and task rows of ``specs`` must already be flushed, and their old references cleared.
    """
    uris = list(dict.fromkeys(uri for spec in specs for uri in spec.dataset_uris))
    if uris:
        by_uri = _ensure_datasets(session, uris)
        for spec in specs:
            _add_references(session, spec, by_uri)
        session.flush()
    _update_orphans(session)


def _ensure_datasets(session: Session, uris: list[str]) -> dict[str, int]:
    known = {
        dataset.uri: dataset for dataset in session.scalars(select(Dataset).where(Dataset.uri.in_(uris)))
    }
    for dataset in known.values():
        dataset.is_orphaned = False  # a no-op (no UPDATE) unless it was orphaned
    missing = [uri for uri in uris if uri not in known]
    if missing:
        # One executemany and one re-select: ORM inserts that return ids go row by row on SQLite.
        session.execute(insert(Dataset), [{"uri": uri, "extra": {}, "is_orphaned": False} for uri in missing])
        known.update(
            (dataset.uri, dataset)
            for dataset in session.scalars(select(Dataset).where(Dataset.uri.in_(missing)))
        )
    session.flush()
    return {uri: dataset.id for uri, dataset in known.items()}


def _add_references(session: Session, spec: DagSpec, ids: dict[str, int]) -> None:
    if isinstance(spec.schedule, DatasetSchedule):
        session.add_all(
            DagScheduleDatasetReference(dataset_id=ids[uri], dag_id=spec.dag_id) for uri in spec.schedule.uris
        )
    session.add_all(
        TaskOutletDatasetReference(dataset_id=ids[uri], dag_id=spec.dag_id, task_id=task.task_id)
        for task in spec.tasks
        for uri in task.outlets
    )


def _update_orphans(session: Session) -> None:
    # Two set-based statements instead of a query per dataset; the flag only flips for rows that change, so
    # `updated_at` moves only when a dataset's status does.
    referenced = union(
        select(DagScheduleDatasetReference.dataset_id), select(TaskOutletDatasetReference.dataset_id)
    ).scalar_subquery()
    session.execute(
        update(Dataset)
        .where(Dataset.is_orphaned.is_(False), Dataset.id.not_in(referenced))
        .values(is_orphaned=True)
        .execution_options(synchronize_session="fetch")
    )
    session.execute(
        update(Dataset)
        .where(Dataset.is_orphaned.is_(True), Dataset.id.in_(referenced))
        .values(is_orphaned=False)
        .execution_options(synchronize_session="fetch")
    )
