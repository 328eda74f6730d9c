"""Queueing scheduled task instances within pool slots and each DAG's ``max_active_tasks``.

Pool rows are locked (``FOR UPDATE`` on PostgreSQL) before the candidates are read and for the rest of the
pass, so two schedulers never hand out the same open slots; on SQLite the pass already runs as the only
writer.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from orchestrator_api.models.dag import Dag
from orchestrator_api.models.resources import Pool
from orchestrator_api.models.run import DagRun, TaskInstance

OCCUPYING = ("queued", "running")
_BATCH = 512


def queue_scheduled(session: Session, now: datetime) -> int:
    """Queue scheduled instances of running runs, highest priority first; returns how many."""
    # Pools first: on PostgreSQL a second scheduler waits here and then sees what this one queued.
    pool_query = select(Pool)
    if session.get_bind().dialect.name == "postgresql":
        pool_query = pool_query.with_for_update()
    pools = {pool.pool: pool for pool in session.scalars(pool_query)}
    candidates = session.scalars(
        select(TaskInstance)
        .join(DagRun, (DagRun.dag_id == TaskInstance.dag_id) & (DagRun.run_id == TaskInstance.run_id))
        .where(TaskInstance.state == "scheduled", DagRun.state == "running")
        .order_by(TaskInstance.priority_weight.desc(), DagRun.logical_date, TaskInstance.id)
        .limit(_BATCH)
    ).all()
    if not candidates:
        return 0
    pool_use = Counter(
        dict(
            session.execute(
                select(TaskInstance.pool, func.coalesce(func.sum(TaskInstance.pool_slots), 0))
                .where(TaskInstance.state.in_(OCCUPYING), TaskInstance.pool.in_(list(pools)))
                .group_by(TaskInstance.pool)
            ).all()
        )
    )
    dag_ids = sorted({ti.dag_id for ti in candidates})
    limits = dict(
        session.execute(select(Dag.dag_id, Dag.max_active_tasks).where(Dag.dag_id.in_(dag_ids))).all()
    )
    dag_use = Counter(
        dict(
            session.execute(
                select(TaskInstance.dag_id, func.count())
                .where(TaskInstance.state.in_(OCCUPYING), TaskInstance.dag_id.in_(dag_ids))
                .group_by(TaskInstance.dag_id)
            ).all()
        )
    )
    queued = 0
    for ti in candidates:
        pool = pools.get(ti.pool)
        if pool is None:
            continue  # a missing pool holds the instance back, as Airflow does
        if pool.slots >= 0 and pool_use[ti.pool] + ti.pool_slots > pool.slots:
            continue
        if dag_use[ti.dag_id] >= limits.get(ti.dag_id, 16):
            continue
        ti.state = "queued"
        ti.queued_dttm = now
        ti.version = (ti.version or 0) + 1
        pool_use[ti.pool] += ti.pool_slots
        dag_use[ti.dag_id] += 1
        queued += 1
    return queued
