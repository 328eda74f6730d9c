"""Warnings about DAGs that loaded (a pool that does not exist, ...)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from orchestrator_api.models.dag import DagWarning
from orchestrator_api.pagination import SortColumn, paginate
from orchestrator_api.schemas.import_error import dag_warning_collection
from orchestrator_api.security.permissions import dag_filter
from orchestrator_api.security.principal import current_principal

DAG_WARNING_SORTABLE: dict[str, SortColumn] = {
    "dag_id": DagWarning.dag_id,
    "warning_type": DagWarning.warning_type,
    "message": DagWarning.message,
    "timestamp": DagWarning.timestamp,
}


def get_dag_warnings(
    dag_id: str | None = None,
    warning_type: str | None = None,
    limit: int | None = None,
    offset: int = 0,
    order_by: str | None = None,
) -> dict[str, Any]:
    stmt = select(DagWarning).where(dag_filter(current_principal(), DagWarning.dag_id))
    if dag_id is not None:
        stmt = stmt.where(DagWarning.dag_id == dag_id)
    if warning_type is not None:
        stmt = stmt.where(DagWarning.warning_type == warning_type)
    page = paginate(
        stmt,
        limit=limit,
        offset=offset,
        order_by=order_by,
        sortable=DAG_WARNING_SORTABLE,
        default="timestamp",
        tiebreak=[DagWarning.dag_id, DagWarning.warning_type],
    )
    return dag_warning_collection(page.rows, page.total)
