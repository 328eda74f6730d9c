"""Dataset events: list them, report one from outside, and list those that triggered a DAG run."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Select, select

from orchestrator_api import db
from orchestrator_api.dataset_events import event_views, record_external_event
from orchestrator_api.models.dataset import DagRunDatasetEvent, Dataset, DatasetEvent
from orchestrator_api.models.run import DagRun
from orchestrator_api.pagination import SortColumn, paginate
from orchestrator_api.queries import get_or_404
from orchestrator_api.schemas.common import dump, dump_many
from orchestrator_api.schemas.dataset import dataset_event_schema
from orchestrator_api.security.dag_scope import scoped_rows
from orchestrator_api.security.principal import current_principal
from orchestrator_api.timeutil import utcnow

DATASET_EVENT_SORTABLE: dict[str, SortColumn] = {
    "timestamp": DatasetEvent.timestamp,
    "dataset_id": DatasetEvent.dataset_id,
    "source_dag_id": DatasetEvent.source_dag_id,
    "source_task_id": DatasetEvent.source_task_id,
    "source_run_id": DatasetEvent.source_run_id,
    "source_map_index": DatasetEvent.source_map_index,
}


def _with_uri() -> Select[Any]:
    """Events with their dataset's URI (typed loosely: ``paginate`` takes any select)."""
    stmt = select(DatasetEvent, Dataset.uri).join(Dataset, Dataset.id == DatasetEvent.dataset_id)
    return cast("Select[Any]", stmt)


def get_dataset_events(
    limit: int | None = None,
    offset: int = 0,
    order_by: str | None = None,
    dataset_id: int | None = None,
    source_dag_id: str | None = None,
    source_task_id: str | None = None,
    source_run_id: str | None = None,
    source_map_index: int | None = None,
) -> dict[str, Any]:
    equal_to = {
        DatasetEvent.dataset_id: dataset_id,
        DatasetEvent.source_dag_id: source_dag_id,
        DatasetEvent.source_task_id: source_task_id,
        DatasetEvent.source_run_id: source_run_id,
        DatasetEvent.source_map_index: source_map_index,
    }
    stmt = _with_uri().where(*(column == value for column, value in equal_to.items() if value is not None))
    stmt = stmt.where(scoped_rows(current_principal(), DatasetEvent.source_dag_id))
    page = paginate(
        stmt,
        limit=limit,
        offset=offset,
        order_by=order_by,
        sortable=DATASET_EVENT_SORTABLE,
        default="timestamp",
        tiebreak=[DatasetEvent.id],
        scalars=False,
    )
    events = event_views(db.session(), page.rows)
    return {"dataset_events": dump_many(dataset_event_schema, events), "total_entries": page.total}


def create_dataset_event(body: dict[str, Any]) -> dict[str, Any]:
    uri = body["dataset_uri"]
    dataset = get_or_404(
        Dataset, Dataset.uri == uri, title="Dataset not found", detail=f"No dataset has the URI {uri!r}"
    )
    extra = {**(body.get("extra") or {}), "from_rest_api": True}
    session = db.session()
    event = record_external_event(session, dataset, extra, utcnow())
    (view,) = event_views(session, [(event, dataset.uri)])
    return dump(dataset_event_schema, view)


def get_upstream_dataset_events(dag_id: str, dag_run_id: str) -> dict[str, Any]:
    run = get_or_404(
        DagRun,
        DagRun.dag_id == dag_id,
        DagRun.run_id == dag_run_id,
        title="DAG run not found",
        detail=f"DAG run {dag_run_id!r} not found in DAG {dag_id!r}",
    )
    session = db.session()
    rows = session.execute(
        _with_uri()
        .join(DagRunDatasetEvent, DagRunDatasetEvent.event_id == DatasetEvent.id)
        .where(DagRunDatasetEvent.dag_run_id == run.id)
        .order_by(DatasetEvent.timestamp, DatasetEvent.id)
    ).all()
    events = event_views(session, rows)
    return {"dataset_events": dump_many(dataset_event_schema, events), "total_entries": len(events)}
