"""States of runs and task instances, and what marking a whole run does to its task instances."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from orchestrator_api.models.run import DagRun, TaskInstance
from orchestrator_api.timeutil import utcnow

FINISHED_STATES = frozenset({"success", "failed", "skipped", "upstream_failed", "removed"})
UNFINISHED_STATES = frozenset(
    {"scheduled", "queued", "running", "up_for_retry", "up_for_reschedule", "restarting", "deferred"}
)
"""Task instance states that are not final; an instance without a state is unfinished too."""

FAILED_STATES = frozenset({"failed", "upstream_failed"})


def is_unfinished(column: Any) -> ColumnElement[bool]:
    """SQL: the task instance state in ``column`` is not final (NULL included)."""
    return or_(column.is_(None), column.in_(UNFINISHED_STATES))


def state_filter(column: Any, states: list[str | None]) -> ColumnElement[bool]:
    """SQL: ``column`` is one of ``states``; ``none`` (or null) matches instances without a state."""
    named = [s for s in states if s is not None and s != "none"]
    wants_null = any(s is None or s == "none" for s in states)
    condition: ColumnElement[bool] = column.in_(named)
    return or_(condition, column.is_(None)) if wants_null else condition


def finish(instance: TaskInstance, state: str, now: datetime) -> None:
    """Put ``instance`` in a final state by hand, as Airflow does: dates it already has are kept, missing
    ones become ``now``, and the duration is measured between them."""
    instance.state = state
    instance.start_date = instance.start_date or now
    instance.end_date = instance.end_date or now
    instance.duration = max((instance.end_date - instance.start_date).total_seconds(), 0.0)


def set_run_state(session: Session, run: DagRun, state: str) -> None:
    """Mark a run ``success``, ``failed`` or ``queued``, finishing its unfinished task instances.

    ``success`` turns every unfinished instance to success; ``failed`` fails the running ones and skips the
    other unfinished ones; ``queued`` only queues the run again.
    """
    now = utcnow()
    if state == "queued":
        run.state = "queued"
        run.queued_at = now
        run.end_date = None
        return
    instances = session.scalars(
        select(TaskInstance).where(
            TaskInstance.dag_id == run.dag_id,
            TaskInstance.run_id == run.run_id,
            is_unfinished(TaskInstance.state),
        )
    ).all()
    for instance in instances:
        if state == "success":
            finish(instance, "success", now)
        else:
            finish(instance, "failed" if instance.state == "running" else "skipped", now)
    run.state = state
    run.end_date = now
