"""How many slots of each pool task instances use: one grouped query for any number of pools."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from orchestrator_api.models.run import TaskInstance

RUNNING, QUEUED, SCHEDULED, DEFERRED = "running", "queued", "scheduled", "deferred"
USING_STATES = (RUNNING, QUEUED, SCHEDULED, DEFERRED)
"""Task instance states that hold or wait for a pool's slots."""


@dataclass(frozen=True)
class SlotUsage:
    """Slots (summed ``pool_slots``) of one pool's task instances, by state."""

    running: int = 0
    queued: int = 0
    scheduled: int = 0
    deferred: int = 0

    def occupied(self, include_deferred: bool) -> int:
        """Slots counted against the pool: running and queued, plus deferred if the pool says so."""
        return self.running + self.queued + (self.deferred if include_deferred else 0)

    @property
    def in_use(self) -> bool:
        return any((self.running, self.queued, self.scheduled, self.deferred))


NO_USAGE = SlotUsage()


def slot_usage(session: Session, pool_names: Collection[str]) -> dict[str, SlotUsage]:
    """The usage of each named pool (absent when nothing uses it), in one statement."""
    if not pool_names:
        return {}
    rows = session.execute(
        select(TaskInstance.pool, TaskInstance.state, func.sum(TaskInstance.pool_slots))
        .where(TaskInstance.pool.in_(sorted(set(pool_names))), TaskInstance.state.in_(USING_STATES))
        .group_by(TaskInstance.pool, TaskInstance.state)
    ).all()
    sums: dict[str, dict[str | None, int]] = {}
    for pool, state, total in rows:
        sums.setdefault(pool, {})[state] = int(total or 0)
    return {
        pool: SlotUsage(
            running=by_state.get(RUNNING, 0),
            queued=by_state.get(QUEUED, 0),
            scheduled=by_state.get(SCHEDULED, 0),
            deferred=by_state.get(DEFERRED, 0),
        )
        for pool, by_state in sums.items()
    }
