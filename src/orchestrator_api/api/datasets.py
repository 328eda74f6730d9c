"""Datasets: list and read them, with the DAGs scheduled on them and the tasks producing them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from orchestrator_api.models.dataset import DagScheduleDatasetReference, Dataset, TaskOutletDatasetReference
from orchestrator_api.pagination import SortColumn, paginate
from orchestrator_api.queries import contains, get_or_404
from orchestrator_api.schemas.common import dump, dump_many
from orchestrator_api.schemas.dataset import dataset_schema

DATASET_SORTABLE: dict[str, SortColumn] = {
    "id": Dataset.id,
    "uri": Dataset.uri,
    "created_at": Dataset.created_at,
    "updated_at": Dataset.updated_at,
}
# The two reference lists are loaded with one statement each, whatever the page size.
WITH_REFERENCES = (selectinload(Dataset.consuming_dags), selectinload(Dataset.producing_tasks))


def get_datasets(
    limit: int | None = None,
    offset: int = 0,
    order_by: str | None = None,
    uri_pattern: str | None = None,
    dag_ids: str | None = None,
) -> dict[str, Any]:
    stmt = select(Dataset).options(*WITH_REFERENCES)
    if uri_pattern:
        stmt = stmt.where(contains(Dataset.uri, uri_pattern))
    wanted = [dag_id.strip() for dag_id in (dag_ids or "").split(",") if dag_id.strip()]
    if wanted:
        stmt = stmt.where(
            or_(
                Dataset.id.in_(
                    select(DagScheduleDatasetReference.dataset_id).where(
                        DagScheduleDatasetReference.dag_id.in_(wanted)
                    )
                ),
                Dataset.id.in_(
                    select(TaskOutletDatasetReference.dataset_id).where(
                        TaskOutletDatasetReference.dag_id.in_(wanted)
                    )
                ),
            )
        )
    page = paginate(
        stmt,
        limit=limit,
        offset=offset,
        order_by=order_by,
        sortable=DATASET_SORTABLE,
        default="id",
        tiebreak=[Dataset.id],
    )
    return {"datasets": dump_many(dataset_schema, page.rows), "total_entries": page.total}


def get_dataset(uri: str) -> dict[str, Any]:
    dataset = get_or_404(
        Dataset,
        Dataset.uri == uri,
        title="Dataset not found",
        detail=f"No dataset has the URI {uri!r}",
    )
    return dump(dataset_schema, dataset)
