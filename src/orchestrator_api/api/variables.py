"""Variables: list (secret values masked), create, read, change, delete."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select

from orchestrator_api import db
from orchestrator_api.models.resources import Variable
from orchestrator_api.pagination import SortColumn, paginate
from orchestrator_api.patching import PatchRules, apply_patch, parse_update_mask
from orchestrator_api.queries import get_or_404
from orchestrator_api.schemas.common import dump, dump_many
from orchestrator_api.schemas.variable import variable_item_schema, variable_schema

VARIABLE_SORTABLE: dict[str, SortColumn] = {
    "id": Variable.id,
    "key": Variable.key,
    "value": Variable.val,
    "description": Variable.description,
}

# As in Airflow, a PATCH carries the whole variable (key and value) even with a mask, and no other key.
PATCH_RULES = PatchRules(
    frozen={"key": "key cannot be changed; it must equal the variable key in the path"},
    required=("key", "value"),
    required_with_mask=True,
)


_MASK_FIELDS = {"val": "value"}


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
    """Create the variable, or overwrite the one with that key (Airflow's `POST /variables` is an upsert)."""
    values: dict[str, Any] = variable_schema.load(body)
    session = db.session()
    variable = session.scalars(select(Variable).where(Variable.key == values["key"])).first()
    if variable is None:
        variable = Variable(**values)
        session.add(variable)
    else:
        # Airflow's upsert sets the value and the description (None when the body has none).
        variable.val = values["val"]
        variable.description = values.get("description")
    session.flush()
    answer = dump(variable_schema, variable)
    if "description" not in body:
        answer.pop("description", None)  # Airflow answers the fields it was sent
    return answer


def get_variable(variable_key: str) -> dict[str, Any]:
    return dump(variable_schema, _variable_or_404(variable_key))


def patch_variable(
    variable_key: str, body: dict[str, Any], update_mask: list[str] | None = None
) -> dict[str, Any]:
    variable = _variable_or_404(variable_key)
    # Airflow's mask names the stored attribute, `val`, for the wire field `value` (the spec refuses `value`).
    mask = [_MASK_FIELDS.get(name, name) for name in parse_update_mask(update_mask) or []] or None
    apply_patch(variable, body, mask, schema=variable_schema, rules=PATCH_RULES)
    return dump(variable_schema, variable)


def delete_variable(variable_key: str) -> tuple[str, int]:
    _variable_or_404(variable_key)
    db.session().execute(delete(Variable).where(Variable.key == variable_key))
    return "", 204
