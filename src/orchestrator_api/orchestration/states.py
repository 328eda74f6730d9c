"""States of runs and task instances, and what marking a whole run does to its task instances."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from orchestrator_api.models.dag import Task
from orchestrator_api.models.run import DagRun, TaskInstance
from orchestrator_api.timeutil import utcnow

FINISHED_STATES = frozenset({"success", "failed", "skipped", "upstream_failed", "removed"})
UNFINISHED_STATES = frozenset(
    {"scheduled", "queued", "running", "up_for_retry", "up_for_reschedule", "restarting", "deferred"}
)
"""Task instance states that are not final; an instance without a state is unfinished too."""

FAILED_STATES = frozenset({"failed", "upstream_failed"})

AT_WORK_STATES = frozenset({"running", "deferred", "up_for_reschedule"})
"""Task instance states of a try in progress: marking the run failed fails them instead of skipping them."""

RUN_FINISHED_STATES = frozenset({"success", "failed"})


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


def move_run(run: DagRun, state: str, now: datetime) -> None:
    """Change a run's state with the dates Airflow's ``DagRun.set_state`` gives it.

    Re-stating the current state only refreshes ``queued_at`` of a queued run. Queueing starts the run
    over (no start or end yet); finishing a run that was under way ends it now, while moving between
    success and failed keeps the end it had.
    """
    if run.state == state:
        if state == "queued":
            run.queued_at = now
        return
    if state == "queued":
        run.queued_at = now
        run.start_date = None
        run.end_date = None
    elif state in RUN_FINISHED_STATES and run.state not in RUN_FINISHED_STATES:
        run.end_date = now
    run.state = state


def set_run_state(session: Session, run: DagRun, state: str) -> None:
    """Mark a run ``success``, ``failed`` or ``queued``, with what that does to its task instances.

    As in Airflow: ``success`` makes every instance of the DAG's tasks success, whatever its state;
    ``failed`` fails the instances of the DAG's tasks still at work (running, deferred,
    up_for_reschedule) and skips every other unfinished one, those without a state included; ``queued``
    leaves the task instances alone.
    """
    now = utcnow()
    move_run(run, state, now)
    if state == "queued":
        return
    of_run = (TaskInstance.dag_id == run.dag_id, TaskInstance.run_id == run.run_id)
    of_dag_tasks = TaskInstance.task_id.in_(select(Task.task_id).where(Task.dag_id == run.dag_id))
    targets: dict[str, tuple[ColumnElement[bool], ...]]
    if state == "success":
        targets = {
            "success": (or_(TaskInstance.state.is_(None), TaskInstance.state != "success"), of_dag_tasks)
        }
    else:
        waiting = UNFINISHED_STATES - AT_WORK_STATES
        targets = {
            "failed": (TaskInstance.state.in_(AT_WORK_STATES), of_dag_tasks),
            "skipped": (or_(TaskInstance.state.is_(None), TaskInstance.state.in_(waiting)),),
        }
    for new_state, conditions in targets.items():
        for instance in session.scalars(select(TaskInstance).where(*of_run, *conditions)).all():
            finish(instance, new_state, now)
