"""Queued dataset events: what DAGs scheduled on datasets are waiting for; read and drop them.

Every read answers 404 when nothing matches and every delete answers 204 or 404, as Airflow 2.10 does. Rows
of DAGs the caller may not read are never shown or dropped.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, delete, select

from orchestrator_api import db
from orchestrator_api.models.dataset import Dataset, DatasetDagRunQueue
from orchestrator_api.problems import NotFound
from orchestrator_api.schemas.common import dump
from orchestrator_api.schemas.dataset import queued_event_collection, queued_event_schema
from orchestrator_api.security.permissions import dag_filter
from orchestrator_api.security.principal import current_principal

Queue = DatasetDagRunQueue


def _conditions(
    *, dag_id: str | None = None, uri: str | None = None, before: datetime | None = None
) -> list[ColumnElement[bool]]:
    conditions = [dag_filter(current_principal(), Queue.target_dag_id)]
    if dag_id is not None:
        conditions.append(Queue.target_dag_id == dag_id)
    if uri is not None:
        conditions.append(Queue.dataset_id == select(Dataset.id).where(Dataset.uri == uri).scalar_subquery())
    if before is not None:
        conditions.append(Queue.created_at < before)
    return conditions


def _rows(conditions: list[ColumnElement[bool]]) -> list[Any]:
    stmt = (
        select(Dataset.uri, Queue.target_dag_id.label("dag_id"), Queue.created_at)
        .join(Dataset, Dataset.id == Queue.dataset_id)
        .where(*conditions)
        .order_by(Queue.created_at, Dataset.uri, Queue.target_dag_id)
    )
    return list(db.session().execute(stmt).all())


def _collection(conditions: list[ColumnElement[bool]], missing: str) -> dict[str, Any]:
    rows = _rows(conditions)
    if not rows:
        raise NotFound(title="Queued event not found", detail=missing)
    return queued_event_collection(rows)


def _delete(conditions: list[ColumnElement[bool]], missing: str) -> tuple[str, int]:
    result = cast(CursorResult[Any], db.session().execute(delete(Queue).where(*conditions)))
    if result.rowcount == 0:
        raise NotFound(title="Queued event not found", detail=missing)
    return "", 204


def _none_for_dag(dag_id: str) -> str:
    return f"DAG {dag_id!r} has no queued dataset events"


def _none_for_pair(dag_id: str, uri: str) -> str:
    return f"DAG {dag_id!r} has no queued event of dataset {uri!r}"


def _none_for_dataset(uri: str) -> str:
    return f"No DAG has a queued event of dataset {uri!r}"


def get_dag_dataset_queued_events(dag_id: str, before: datetime | None = None) -> dict[str, Any]:
    return _collection(_conditions(dag_id=dag_id, before=before), _none_for_dag(dag_id))


def delete_dag_dataset_queued_events(dag_id: str, before: datetime | None = None) -> tuple[str, int]:
    return _delete(_conditions(dag_id=dag_id, before=before), _none_for_dag(dag_id))


def get_dag_dataset_queued_event(dag_id: str, uri: str, before: datetime | None = None) -> dict[str, Any]:
    rows = _rows(_conditions(dag_id=dag_id, uri=uri, before=before))
    if not rows:
        raise NotFound(title="Queued event not found", detail=_none_for_pair(dag_id, uri))
    return dump(queued_event_schema, rows[0])


def delete_dag_dataset_queued_event(dag_id: str, uri: str, before: datetime | None = None) -> tuple[str, int]:
    return _delete(_conditions(dag_id=dag_id, uri=uri, before=before), _none_for_pair(dag_id, uri))


def get_dataset_queued_events(uri: str, before: datetime | None = None) -> dict[str, Any]:
    return _collection(_conditions(uri=uri, before=before), _none_for_dataset(uri))


def delete_dataset_queued_events(uri: str, before: datetime | None = None) -> tuple[str, int]:
    return _delete(_conditions(uri=uri, before=before), _none_for_dataset(uri))
