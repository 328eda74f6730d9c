"""Pools: list and read with live slot counts, create, change or rename, delete."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select

from orchestrator_api import db
from orchestrator_api.models.resources import DEFAULT_POOL, Pool
from orchestrator_api.pagination import SortColumn, paginate
from orchestrator_api.patching import apply_patch, parse_update_mask
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


def _new_name(pool: Pool, body: dict[str, Any], update_mask: list[str] | None) -> str | None:
    """The name this PATCH gives the pool, when it renames it."""
    mask = parse_update_mask(update_mask)
    name = body.get("name") if mask is None or "name" in mask else None
    return name if isinstance(name, str) and name != pool.pool else None


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
    new_name = _new_name(pool, body, update_mask)
    if new_name is not None:
        if pool.is_default:
            raise BadRequest(detail=f"{DEFAULT_POOL} cannot be renamed")
        refuse_duplicate(Pool.pool == new_name, detail=f"Pool {new_name!r} already exists")
        _refuse_while_in_use(pool, usage.get(pool.pool, NO_USAGE), "rename")
    schema = PoolSchema(usage=usage)
    apply_patch(pool, body, update_mask, schema=schema)
    # Task instances may already name the new pool (waiting for it to exist): count under the new name.
    return dump(schema, pool) if new_name is None else _dump_with_usage(pool)


def delete_pool(pool_name: str) -> tuple[str, int]:
    pool = _pool_or_404(pool_name)
    if pool.is_default:
        raise BadRequest(detail=f"{DEFAULT_POOL} cannot be deleted")
    _refuse_while_in_use(pool, slot_usage(db.session(), [pool.pool]).get(pool.pool, NO_USAGE), "delete")
    db.session().execute(delete(Pool).where(Pool.pool == pool_name))
    return "", 204
