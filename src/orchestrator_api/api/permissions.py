"""Permissions: the actions roles are built from (Airflow lists actions here, not action-resource pairs)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, select

from orchestrator_api.models.auth import Action
from orchestrator_api.pagination import paginate

# Airflow lists actions in the order its security manager created them (it sorts nothing), which is this
# one for the built-in actions; a page at an offset must hold the same actions as Airflow's. Actions added
# later follow, oldest first.
AIRFLOW_ORDER = ("can_edit", "can_read", "can_create", "can_delete", "menu_access")
_CREATION_ORDER = case(
    {name: i for i, name in enumerate(AIRFLOW_ORDER)}, value=Action.name, else_=len(AIRFLOW_ORDER)
)


def get_permissions(limit: int | None = None, offset: int = 0) -> dict[str, Any]:
    page = paginate(
        select(Action),
        limit=limit,
        offset=offset,
        order_by=None,
        sortable={"created": _CREATION_ORDER},
        default="created",
        tiebreak=[Action.id],
    )
    return {"actions": [{"name": action.name} for action in page.rows], "total_entries": page.total}
