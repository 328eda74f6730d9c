"""Variables: list (secret values masked), create, read, change, delete."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select

from orchestrator_api import db
from orchestrator_api.models.resources import Variable
from orchestrator_api.pagination import SortColumn, paginate
from orchestrator_api.patching import apply_patch
from orchestrator_api.queries import get_or_404, refuse_duplicate
from orchestrator_api.schemas.common import dump, dump_many
from orchestrator_api.schemas.variable import variable_item_schema, variable_schema

VARIABLE_SORTABLE: dict[str, SortColumn] = {
    "id": Variable.id,
    "key": Variable.key,
    "value": Variable.val,
    "description": Variable.description,
}

FROZEN_KEY = {"key": "key cannot be changed; it must equal the variable key in the path"}


def _variable_or_404(variable_key: str) -> Variable:
    return get_or_404(
        Variable,
        Variable.key == variable_key,
        title="Variable not found",
        detail=f"Variable {variable_key!r} not found",
    )


def get_variables(limit: int | None = None, offset: int = 0, order_by: str | None = None) -> dict[str, Any]:
    page = paginate(
        select(Variable),
        limit=limit,
        offset=offset,
        order_by=order_by,
        sortable=VARIABLE_SORTABLE,
        default="id",
        tiebreak=[Variable.id],
    )
    return {"variables": dump_many(variable_item_schema, page.rows), "total_entries": page.total}


def post_variables(body: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = variable_schema.load(body)
    refuse_duplicate(Variable.key == values["key"], detail=f"Variable {values['key']!r} already exists")
    variable = Variable(**values)
    session = db.session()
    session.add(variable)
    session.flush()
    return dump(variable_schema, variable)


def get_variable(variable_key: str) -> dict[str, Any]:
    return dump(variable_schema, _variable_or_404(variable_key))


def patch_variable(
    variable_key: str, body: dict[str, Any], update_mask: list[str] | None = None
) -> dict[str, Any]:
    variable = _variable_or_404(variable_key)
    apply_patch(variable, body, update_mask, schema=variable_schema, frozen=FROZEN_KEY)
    return dump(variable_schema, variable)


def delete_variable(variable_key: str) -> tuple[str, int]:
    _variable_or_404(variable_key)
    db.session().execute(delete(Variable).where(Variable.key == variable_key))
    return "", 204
