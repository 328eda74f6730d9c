"""Why a task instance is not being scheduled: its dependencies, judged from what the store knows.

As in Airflow 2.10, only an instance waiting to be scheduled (no state, or ``scheduled``) is judged; any
other state means the scheduler is past it, and nothing is listed. For a waiting instance every unmet
condition Airflow checks before queueing one is listed, sorted by name, with Airflow's names and texts
(:mod:`dependency_reasons`): the DAG paused, its run not running, the instance not yet ``scheduled``, its
logical date outside the task's dates, the DAG's running-task limit, the pool, a backfill run, the previous
run (``depends_on_past``) and the trigger rule. An empty list means nothing keeps it from being queued.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from orchestrator_api.models.dag import Dag, Task
from orchestrator_api.models.resources import Pool
from orchestrator_api.models.run import DagRun, TaskInstance
from orchestrator_api.orchestration import dependency_reasons as why
from orchestrator_api.orchestration.dependency_reasons import UpstreamCounts
from orchestrator_api.timeutil import utcnow

__all__ = ["WAITING_STATES", "Dependency", "UpstreamCounts", "explain"]

WAITING_STATES = frozenset({None, "scheduled"})
"""The states in which an instance's dependencies are judged."""

_SUCCESSFUL = ("success", "skipped")


@dataclass(frozen=True)
class Dependency:
    name: str
    reason: str


def explain(session: Session, instance: TaskInstance, run: DagRun) -> list[Dependency]:
    """Every unmet dependency of ``instance`` (in ``run``), by name; empty when it could be queued or is
    past scheduling."""
    if instance.state not in WAITING_STATES:
        return []
    dag = session.get(Dag, (instance.organization_id, instance.dag_id))
    task = session.scalars(
        select(Task).where(Task.dag_id == instance.dag_id, Task.task_id == instance.task_id)
    ).first()
    if dag is None or task is None:  # as in Airflow: a task no longer in its DAG is not judged
        return []
    found: list[Dependency] = []
    if dag.is_paused:
        found.append(Dependency(why.DAG_NOT_PAUSED, why.paused(dag.dag_id)))
    if run.state != "running":
        found.append(Dependency(why.DAGRUN_RUNNING, why.run_not_running(run.state)))
    if instance.state != "scheduled":
        found.append(Dependency(why.TASK_INSTANCE_STATE, why.not_queueable(instance.state)))
    if run.run_type == "backfill":
        found.append(Dependency(why.NOT_BACKFILL, why.backfill(run.run_type)))
    found.extend(Dependency(why.EXECUTION_DATE, reason) for reason in _date_reasons(dag, task, run))
    found.extend(_slot_dependencies(session, dag, instance))
    found.extend(_past_dependencies(session, task, run))
    unmet = _trigger_rule(session, instance, task)
    if unmet is not None:
        found.append(Dependency(why.TRIGGER_RULE, unmet))
    return sorted(found, key=lambda dependency: dependency.name)


def _date_reasons(dag: Dag, task: Task, run: DagRun) -> list[str]:
    logical_date = run.logical_date
    if logical_date is None:
        return []
    reasons: list[str] = []
    now = utcnow()
    if logical_date > now:
        reasons.append(why.in_the_future(logical_date, now))
    # A task without its own dates has its DAG's, as in Airflow.
    task_end, task_start = task.end_date or dag.end_date, task.start_date or dag.start_date
    if task_end is not None and logical_date > task_end:
        reasons.append(why.after_end(logical_date, task_end, "the task's"))
    if dag.end_date is not None and logical_date > dag.end_date:
        reasons.append(why.after_end(logical_date, dag.end_date, "the task's DAG's"))
    if task_start is not None and logical_date < task_start:
        reasons.append(why.before_start(logical_date, task_start, "the task's"))
    if dag.start_date is not None and logical_date < dag.start_date:
        reasons.append(why.before_start(logical_date, dag.start_date, "the task's DAG's"))
    return reasons


def _slot_dependencies(session: Session, dag: Dag, instance: TaskInstance) -> list[Dependency]:
    found: list[Dependency] = []
    running = session.scalar(
        select(func.count()).where(TaskInstance.dag_id == dag.dag_id, TaskInstance.state == "running")
    )
    if int(running or 0) >= dag.max_active_tasks:
        found.append(Dependency(why.DAG_SLOTS, why.dag_slots_taken(dag.max_active_tasks, dag.dag_id)))
    pool = session.scalars(select(Pool).where(Pool.pool == instance.pool)).first()
    if pool is None:
        found.append(Dependency(why.POOL_SLOTS, why.missing_pool(instance.pool)))
    elif pool.slots != -1:  # -1 is an unlimited pool
        occupying = ["running", "queued", *(["deferred"] if pool.include_deferred else [])]
        occupied = session.scalar(
            select(func.coalesce(func.sum(TaskInstance.pool_slots), 0)).where(
                TaskInstance.pool == pool.pool,
                TaskInstance.state.in_(occupying),
                TaskInstance.id != instance.id,
            )
        )
        open_slots = pool.slots - int(occupied or 0)
        if open_slots < instance.pool_slots:
            found.append(
                Dependency(why.POOL_SLOTS, why.pool_full(pool.pool, open_slots, instance.pool_slots))
            )
    return found


def _past_dependencies(session: Session, task: Task, run: DagRun) -> list[Dependency]:
    """``depends_on_past``: the task's instances in the run before this one (by logical date)."""
    if not task.depends_on_past or run.logical_date is None:
        return []
    previous = session.scalars(
        select(DagRun.run_id)
        .where(DagRun.dag_id == run.dag_id, DagRun.logical_date < run.logical_date)
        .order_by(DagRun.logical_date.desc())
        .limit(1)
    ).first()
    if previous is None:
        return []
    states = _states(session, run.dag_id, previous, [task.task_id])
    if not states:
        return [Dependency(why.PREVIOUS_DAGRUN, why.PREVIOUS_NOT_RUN)]
    unsuccessful = sum(count for state, count in states.items() if state not in _SUCCESSFUL)
    if unsuccessful:
        return [Dependency(why.PREVIOUS_DAGRUN, why.previous_unsuccessful(unsuccessful))]
    if task.wait_for_downstream and task.downstream_task_ids:
        below = _states(session, run.dag_id, previous, list(task.downstream_task_ids))
        if any(state not in _SUCCESSFUL for state in below):
            return [Dependency(why.PREVIOUS_DAGRUN, why.DOWNSTREAM_OF_PREVIOUS)]
    return []


def _states(session: Session, dag_id: str, run_id: str, task_ids: list[str]) -> Counter[str | None]:
    rows = session.execute(
        select(TaskInstance.state, func.count())
        .where(
            TaskInstance.dag_id == dag_id, TaskInstance.run_id == run_id, TaskInstance.task_id.in_(task_ids)
        )
        .group_by(TaskInstance.state)
    ).all()
    states: Counter[str | None] = Counter()
    for state, count in rows:
        states[state] = int(count)
    return states


def _trigger_rule(session: Session, instance: TaskInstance, task: Task) -> str | None:
    if not task.upstream_task_ids:
        return None
    counts = UpstreamCounts(_states(session, instance.dag_id, instance.run_id, list(task.upstream_task_ids)))
    return why.trigger_rule_reason(task.trigger_rule, counts, task.upstream_task_ids, instance.map_index)
