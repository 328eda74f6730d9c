"""Permissions: the actions roles are built from (Airflow lists actions here, not action-resource pairs)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from orchestrator_api.models.auth import Action
from orchestrator_api.pagination import paginate


def get_permissions(limit: int | None = None, offset: int = 0) -> dict[str, Any]:
    page = paginate(
        select(Action),
        limit=limit,
        offset=offset,
        order_by=None,
        sortable={"name": Action.name},
        default="name",
        tiebreak=[Action.id],
    )
    return {"actions": [{"name": action.name} for action in page.rows], "total_entries": page.total}
