"""Leases that ran out and tries that ran past ``execution_timeout``: failed tries, retried by the rules.

Each instance is taken with a conditional UPDATE that re-checks the expiry on the row, so a heartbeat that
lands first wins, and two schedulers never fail the same try twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from orchestrator_api.models.dag import Task
from orchestrator_api.models.run import TaskInstance
from orchestrator_api.orchestration.logs import LogKey, log_path
from orchestrator_api.scheduling.retries import fail_try


def expire_leases(session: Session, now: datetime) -> int:
    """Fail the running tries whose lease expired or whose ``execution_timeout`` passed."""
    rows = session.execute(
        select(
            TaskInstance.id,
            TaskInstance.version,
            TaskInstance.start_date,
            TaskInstance.lease_expires_at,
            Task.execution_timeout_seconds,
        )
        .join(Task, and_(Task.dag_id == TaskInstance.dag_id, Task.task_id == TaskInstance.task_id))
        .where(TaskInstance.state == "running")
        .where(
            or_(
                TaskInstance.lease_expires_at.is_(None),
                TaskInstance.lease_expires_at <= now,
                Task.execution_timeout_seconds.is_not(None),
            )
        )
    ).all()
    overdue: list[tuple[int, int, str]] = []
    for row in rows:
        timeout = row.execution_timeout_seconds
        # A little grace past the timeout: the worker enforces it first and reports the failure itself.
        past_timeout = (
            timeout is not None
            and row.start_date is not None
            and now > row.start_date + timedelta(seconds=timeout) * 1.5 + timedelta(seconds=5)
        )
        if past_timeout:
            overdue.append((row.id, row.version, "its execution_timeout passed"))
            continue
        if row.lease_expires_at is None or row.lease_expires_at <= now:
            overdue.append((row.id, row.version, "its worker's lease expired"))
    expired = 0
    for instance_id, version, reason in overdue:
        lease_gone = reason.startswith("its worker")
        condition = [TaskInstance.id == instance_id, TaskInstance.version == version]
        if lease_gone:
            condition.append(
                or_(TaskInstance.lease_expires_at.is_(None), TaskInstance.lease_expires_at <= now)
            )
        taken = session.execute(
            update(TaskInstance)
            .where(*condition)
            .values(version=TaskInstance.version + 1, lease_id=None)
            .execution_options(synchronize_session=False)
        )
        if taken.rowcount != 1:  # type: ignore[attr-defined]
            continue
        instance = session.get(TaskInstance, instance_id, populate_existing=True)
        assert instance is not None
        fail_try(
            instance, session.get(Task, (instance.organization_id, instance.dag_id, instance.task_id)), now
        )
        _note(instance, f"Task failed: {reason} ({now.isoformat()}); the scheduler ended the try.\n")
        expired += 1
    return expired


def _note(instance: TaskInstance, line: str) -> None:
    path = log_path(
        LogKey(instance.dag_id, instance.run_id, instance.task_id, instance.map_index, instance.try_number)
    )
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(line)
