"""Wire shape of pools: the stored settings plus slot counts computed from task instances."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import Schema, fields

from orchestrator_api.models.resources import Pool
from orchestrator_api.pool_usage import NO_USAGE, SlotUsage

UNLIMITED = -1


class PoolSchema(Schema):
    """Dumps pools with the usage it was built with (``PoolSchema(usage={name: SlotUsage})``)."""

    name = fields.String(attribute="pool", required=True)
    slots = fields.Integer(required=True)
    occupied_slots = fields.Method("_occupied")
    running_slots = fields.Method("_running")
    queued_slots = fields.Method("_queued")
    scheduled_slots = fields.Method("_scheduled")
    deferred_slots = fields.Method("_deferred")
    open_slots = fields.Method("_open")
    description = fields.String(allow_none=True)
    include_deferred = fields.Boolean()

    def __init__(self, usage: Mapping[str, SlotUsage] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.usage: Mapping[str, SlotUsage] = usage or {}

    def _usage(self, pool: Pool) -> SlotUsage:
        return self.usage.get(pool.pool, NO_USAGE)

    def _occupied(self, pool: Pool) -> int:
        return self._usage(pool).occupied(pool.include_deferred)

    def _running(self, pool: Pool) -> int:
        return self._usage(pool).running

    def _queued(self, pool: Pool) -> int:
        return self._usage(pool).queued

    def _scheduled(self, pool: Pool) -> int:
        return self._usage(pool).scheduled

    def _deferred(self, pool: Pool) -> int:
        return self._usage(pool).deferred

    def _open(self, pool: Pool) -> int:
        if pool.slots == UNLIMITED:
            return UNLIMITED
        return pool.slots - self._occupied(pool)
