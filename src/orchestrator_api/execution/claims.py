"""Claiming queued task instances: one conditional UPDATE, so two workers never get the same one.

The candidates are chosen inside the UPDATE's own WHERE clause (``state = 'queued'`` re-checked on the row
being changed). On PostgreSQL the candidate subquery locks with ``FOR UPDATE SKIP LOCKED``, so concurrent
claims take different rows instead of waiting on each other; SQLite has a single writer, so the statement
runs alone. The claim's ``lease_id`` is random: only the worker that got it can act on those instances.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.orm import Session

from orchestrator_api.config import get_settings
from orchestrator_api.models.dag import Dag, Task
from orchestrator_api.models.organization import Organization
from orchestrator_api.models.run import DagRun, TaskInstance, XCom
from orchestrator_api.models.worker import Worker


@dataclass(frozen=True)
class Claim:
    """What a claim hands a worker for one task instance."""

    instance: TaskInstance
    task: Task
    run: DagRun
    params: dict[str, Any]
    organization: str  # the org_id of the run's organization


def lease_length() -> timedelta:
    return timedelta(seconds=get_settings().lease_seconds)


def claim(
    session: Session, worker_id: int, queues: list[str], limit: int, hostname: str, now: datetime
) -> list[Claim]:
    """Move up to ``limit`` queued instances of ``queues`` to running under a new lease for this worker."""
    lease_id = secrets.token_urlsafe(24)
    candidates = (
        select(TaskInstance.id)
        .where(TaskInstance.state == "queued", TaskInstance.queue.in_(queues))
        .order_by(TaskInstance.priority_weight.desc(), TaskInstance.queued_dttm, TaskInstance.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True, key_share=True)
    claimed_ids = list(
        session.scalars(
            update(TaskInstance)
            .where(TaskInstance.id.in_(candidates.scalar_subquery()), TaskInstance.state == "queued")
            .values(
                state="running",
                lease_id=lease_id,
                lease_expires_at=now + lease_length(),
                worker_id=worker_id,
                hostname=hostname,
                start_date=now,
                end_date=None,
                duration=None,
                version=TaskInstance.version + 1,
            )
            .returning(TaskInstance.id)
            .execution_options(synchronize_session=False)
        )
    )
    session.execute(
        update(Worker)
        .where(Worker.id == worker_id)
        .values(last_seen_at=now, hostname=hostname or None, queues=queues)
    )
    if not claimed_ids:
        return []
    rows = session.execute(
        select(TaskInstance, Task, DagRun, Dag.params, Organization.org_id)
        # A worker serves every organization, so this runs unscoped: the joins name the organization.
        .join(
            Task,
            and_(
                Task.organization_id == TaskInstance.organization_id,
                Task.dag_id == TaskInstance.dag_id,
                Task.task_id == TaskInstance.task_id,
            ),
        )
        .join(
            DagRun,
            and_(
                DagRun.organization_id == TaskInstance.organization_id,
                DagRun.dag_id == TaskInstance.dag_id,
                DagRun.run_id == TaskInstance.run_id,
            ),
        )
        .join(
            Dag, and_(Dag.organization_id == TaskInstance.organization_id, Dag.dag_id == TaskInstance.dag_id)
        )
        .join(Organization, Organization.id == TaskInstance.organization_id)
        .where(TaskInstance.id.in_(claimed_ids))
        .order_by(TaskInstance.priority_weight.desc(), TaskInstance.id)
    ).all()
    # A new try starts without the XComs of the one before, as in Airflow.
    session.execute(
        delete(XCom).where(
            or_(
                *(
                    and_(
                        XCom.dag_run_id == run.id, XCom.task_id == ti.task_id, XCom.map_index == ti.map_index
                    )
                    for ti, _, run, _, _ in rows
                )
            )
        )
    )
    return [
        Claim(instance=ti, task=task, run=run, params=dict(params or {}), organization=org_id)
        for ti, task, run, params, org_id in rows
    ]
