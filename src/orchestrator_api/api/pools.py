"""Pools: list and read with live slot counts, create, change or rename, delete."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select

from orchestrator_api import db
from orchestrator_api.models.resources import Pool
from orchestrator_api.pagination import SortColumn, paginate
from orchestrator_api.patching import PatchRules, apply_plan, plan_patch
from orchestrator_api.pool_usage import NO_USAGE, SlotUsage, slot_usage
from orchestrator_api.problems import AlreadyExists, BadRequest
from orchestrator_api.queries import get_or_404, refuse_duplicate
from orchestrator_api.schemas.common import dump, dump_many
from orchestrator_api.schemas.pool import PoolSchema

POOL_SORTABLE: dict[str, SortColumn] = {
    "id": Pool.id,
    "name": Pool.pool,
    "slots": Pool.slots,
    "description": Pool.description,
    "include_deferred": Pool.include_deferred,
}

# Loading and comparing needs no usage; answers are dumped with a schema built with the usage.
pool_schema = PoolSchema()


def _pool_or_404(pool_name: str) -> Pool:
    return get_or_404(
        Pool, Pool.pool == pool_name, title="Pool not found", detail=f"Pool {pool_name!r} not found"
    )


def _dump_with_usage(pool: Pool) -> dict[str, Any]:
    return dump(PoolSchema(usage=slot_usage(db.session(), [pool.pool])), pool)


def get_pools(limit: int | None = None, offset: int = 0, order_by: str | None = None) -> dict[str, Any]:
    page = paginate(
        select(Pool),
        limit=limit,
        offset=offset,
        order_by=order_by,
        sortable=POOL_SORTABLE,
        default="id",
        tiebreak=[Pool.id],
    )
    usage = slot_usage(db.session(), [pool.pool for pool in page.rows])
    return {"pools": dump_many(PoolSchema(usage=usage), page.rows), "total_entries": page.total}


def post_pool(body: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = pool_schema.load(body)
    name = values["pool"]
    refuse_duplicate(Pool.pool == name, detail=f"Pool {name!r} already exists")
    pool = Pool(**{"include_deferred": False, **values})
    session = db.session()
    session.add(pool)
    session.flush()
    return _dump_with_usage(pool)


def get_pool(pool_name: str) -> dict[str, Any]:
    return _dump_with_usage(_pool_or_404(pool_name))


# As in Airflow, a PATCH without a mask carries the name and the slots; include_deferred left out goes back
# to false. The default pool keeps its name.
PATCH_RULES = PatchRules(required=("name", "slots"), defaults={"include_deferred": False})
DEFAULT_POOL_RULES = PatchRules(
    frozen={"name": "Default Pool's name can't be modified"},
    frozen_with_mask=False,
    required=("name", "slots"),
    defaults={"include_deferred": False},
)


def _refuse_while_in_use(pool: Pool, usage: SlotUsage, change: str) -> None:
    # Task instances name their pool; renamed or deleted, it would leave them waiting for a pool that is gone.
    if usage.in_use:
        raise AlreadyExists(
            detail=f"Pool {pool.pool!r} is in use by task instances (slots running {usage.running}, queued "
            f"{usage.queued}, scheduled {usage.scheduled}, deferred {usage.deferred}); {change} it when "
            "they are done"
        )


def patch_pool(pool_name: str, body: dict[str, Any], update_mask: list[str] | None = None) -> dict[str, Any]:
    pool = _pool_or_404(pool_name)
    usage = slot_usage(db.session(), [pool.pool])
    schema = PoolSchema(usage=usage)
    rules = DEFAULT_POOL_RULES if pool.is_default else PATCH_RULES
    plan = plan_patch(pool, body, update_mask, schema=schema, rules=rules)
    new_name = plan.get("pool") if plan.get("pool") != pool.pool else None
    if new_name is not None:
        refuse_duplicate(Pool.pool == new_name, detail=f"Pool: {new_name} already exists")
        _refuse_while_in_use(pool, usage.get(pool.pool, NO_USAGE), "rename")
    apply_plan(pool, plan)
    # Task instances may already name the new pool (waiting for it to exist): count under the new name.
    return dump(schema, pool) if new_name is None else _dump_with_usage(pool)


def delete_pool(pool_name: str) -> tuple[str, int]:
    pool = _pool_or_404(pool_name)
    if pool.is_default:
        raise BadRequest(detail="Default Pool can't be deleted")
    _refuse_while_in_use(pool, slot_usage(db.session(), [pool.pool]).get(pool.pool, NO_USAGE), "delete")
    db.session().execute(delete(Pool).where(Pool.pool == pool_name))
    return "", 204
