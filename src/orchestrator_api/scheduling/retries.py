"""A failed try: retried while tries remain (after ``retry_delay``, optionally doubling), else failed."""

from __future__ import annotations

from datetime import datetime, timedelta

from orchestrator_api.models.dag import Task
from orchestrator_api.models.run import TaskInstance

# Airflow caps the exponential delay at a day unless max_retry_delay says otherwise.
MAX_RETRY_DELAY = timedelta(days=1)


def retry_delay(task: Task | None, try_number: int) -> timedelta:
    """How long a task waits before try ``try_number + 1``."""
    base = timedelta(seconds=task.retry_delay_seconds if task is not None else 300.0)
    if task is not None and task.retry_exponential_backoff:
        # Doubling per try, as Airflow's backoff does (without its hash-based jitter).
        doubled: timedelta = base * (2 ** max(try_number - 1, 0))
        return min(doubled, MAX_RETRY_DELAY)
    return base


def end_try(instance: TaskInstance, state: str, now: datetime) -> None:
    """Close the current try in ``state`` and release its lease."""
    instance.state = state
    instance.start_date = instance.start_date or now
    instance.end_date = now
    instance.duration = max((now - instance.start_date).total_seconds(), 0.0)
    instance.lease_id = None
    instance.lease_expires_at = None
    instance.next_try_at = None
    instance.version = (instance.version or 0) + 1


def fail_try(instance: TaskInstance, task: Task | None, now: datetime) -> str:
    """Fail the current try: ``up_for_retry`` while ``try_number <= max_tries``, else ``failed``.

    Returns the new state. As in Airflow 2.10 the try number was counted when the try was scheduled, so
    a task with ``retries: 2`` runs at most three tries.
    """
    if instance.try_number <= instance.max_tries:
        end_try(instance, "up_for_retry", now)
        instance.next_try_at = now + retry_delay(task, instance.try_number)
        return "up_for_retry"
    end_try(instance, "failed", now)
    return "failed"
