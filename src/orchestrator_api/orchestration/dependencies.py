"""Why a task instance is not being scheduled: its dependencies, judged from what the store knows.

As in Airflow, only an instance waiting to be scheduled (no state, or ``scheduled``) is judged; any other
state means the scheduler is past it, and nothing is listed. For a waiting instance every unmet condition
is listed, sorted by name (the names are Airflow's): its run not running, the DAG paused, the previous run
(for ``depends_on_past``), the upstream tasks against the trigger rule, and its pool. An empty list means
nothing in the store keeps it from starting.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from orchestrator_api.models.dag import Dag, Task
from orchestrator_api.models.resources import Pool
from orchestrator_api.models.run import DagRun, TaskInstance
from orchestrator_api.orchestration.states import FINISHED_STATES

WAITING_STATES = frozenset({None, "scheduled"})
"""The states in which an instance's dependencies are judged."""


@dataclass(frozen=True)
class Dependency:
    name: str
    reason: str


@dataclass(frozen=True)
class UpstreamCounts:
    """States of a task instance's upstream instances in its run."""

    states: Counter[str | None]

    @property
    def total(self) -> int:
        return sum(self.states.values())

    def count(self, *states: str) -> int:
        return sum(self.states[state] for state in states)

    @property
    def failed(self) -> int:
        return self.count("failed", "upstream_failed")

    @property
    def done(self) -> int:
        return self.count(*FINISHED_STATES)


# What each trigger rule waits for, and when it holds.
_RULES: dict[str, tuple[str, Callable[[UpstreamCounts], bool]]] = {
    "all_success": ("every upstream task instance to succeed", lambda c: c.count("success") == c.total),
    "all_failed": ("every upstream task instance to fail", lambda c: c.failed == c.total),
    "all_done": ("every upstream task instance to finish", lambda c: c.done == c.total),
    "all_done_setup_success": ("every upstream task instance to finish", lambda c: c.done == c.total),
    "all_skipped": ("every upstream task instance to be skipped", lambda c: c.count("skipped") == c.total),
    "one_success": ("at least one upstream task instance to succeed", lambda c: c.count("success") > 0),
    "one_failed": ("at least one upstream task instance to fail", lambda c: c.failed > 0),
    "one_done": (
        "at least one upstream task instance to succeed or fail",
        lambda c: c.count("success") + c.failed > 0,
    ),
    "none_failed": (
        "every upstream task instance to finish without failing",
        lambda c: c.done == c.total and c.failed == 0,
    ),
    "none_skipped": (
        "every upstream task instance to finish without being skipped",
        lambda c: c.done == c.total and c.count("skipped") == 0,
    ),
    "none_failed_min_one_success": (
        "every upstream task instance to finish without failing, and one to succeed",
        lambda c: c.done == c.total and c.failed == 0 and c.count("success") > 0,
    ),
}
_RULES["none_failed_or_skipped"] = _RULES["none_failed_min_one_success"]


def trigger_rule_reason(rule: str, counts: UpstreamCounts) -> str | None:
    """Why ``rule`` does not hold for these upstream states; None when it does (or is unknown)."""
    if counts.total == 0 or rule not in _RULES:
        return None
    wanted, holds = _RULES[rule]
    if holds(counts):
        return None
    return (
        f"Trigger rule {rule!r} waits for {wanted}. Of {counts.total} upstream task instances, "
        f"{counts.count('success')} succeeded, {counts.count('skipped')} were skipped, "
        f"{counts.count('failed')} failed, {counts.count('upstream_failed')} failed upstream, "
        f"{counts.count('removed')} were removed and {counts.total - counts.done} have not finished."
    )


def explain(session: Session, instance: TaskInstance, run: DagRun) -> list[Dependency]:
    """Every unmet dependency of ``instance`` (in ``run``), by name; empty when it could start or is past
    scheduling."""
    if instance.state not in WAITING_STATES:
        return []
    found: list[Dependency] = []
    if run.state != "running":
        reason = f"Its DAG run is in state {run.state!r}; only a running run starts task instances."
        found.append(Dependency("Dagrun Running", reason))
    if session.scalar(select(Dag.is_paused).where(Dag.dag_id == instance.dag_id)):
        found.append(Dependency("Dag Not Paused", f"DAG {instance.dag_id!r} is paused."))
    task = session.scalars(
        select(Task).where(Task.dag_id == instance.dag_id, Task.task_id == instance.task_id)
    ).first()
    if task is not None:
        found.extend(_task_dependencies(session, instance, run, task))
    found.extend(_pool_dependencies(session, instance))
    return sorted(found, key=lambda dependency: dependency.name)


def _task_dependencies(session: Session, instance: TaskInstance, run: DagRun, task: Task) -> list[Dependency]:
    found: list[Dependency] = []
    if task.depends_on_past:
        previous = _previous_state(session, instance, run)
        if previous is not None and previous[0] not in ("success", "skipped"):
            reason = (
                f"The task depends on its past, and its instance in the previous run {previous[1]!r} "
                f"is in state {previous[0]!r}, not success or skipped."
            )
            found.append(Dependency("Previous Dagrun State", reason))
    if task.upstream_task_ids:
        rows = session.execute(
            select(TaskInstance.state, func.count())
            .where(
                TaskInstance.dag_id == instance.dag_id,
                TaskInstance.run_id == instance.run_id,
                TaskInstance.task_id.in_(task.upstream_task_ids),
            )
            .group_by(TaskInstance.state)
        ).all()
        states: Counter[str | None] = Counter()
        for state, count in rows:
            states[state] = int(count)
        counts = UpstreamCounts(states)
        unmet = trigger_rule_reason(task.trigger_rule, counts)
        if unmet is not None:
            found.append(Dependency("Trigger Rule", unmet))
    return found


def _previous_state(session: Session, instance: TaskInstance, run: DagRun) -> tuple[str | None, str] | None:
    """The state of the same task instance in the run before ``run``, with that run's id."""
    row = session.execute(
        select(TaskInstance.state, DagRun.run_id)
        .join(DagRun, (DagRun.dag_id == TaskInstance.dag_id) & (DagRun.run_id == TaskInstance.run_id))
        .where(
            DagRun.dag_id == run.dag_id,
            DagRun.logical_date < run.logical_date,
            TaskInstance.task_id == instance.task_id,
            TaskInstance.map_index == instance.map_index,
        )
        .order_by(DagRun.logical_date.desc())
        .limit(1)
    ).first()
    return None if row is None else (row[0], row[1])


def _pool_dependencies(session: Session, instance: TaskInstance) -> list[Dependency]:
    pool = session.scalars(select(Pool).where(Pool.pool == instance.pool)).first()
    if pool is None:
        return [Dependency("Pool Slots Available", f"Pool {instance.pool!r} does not exist.")]
    if pool.slots == -1:  # an unlimited pool (other negative counts leave no open slot, as in Airflow)
        return []
    occupying = ["running", "queued", *(["deferred"] if pool.include_deferred else [])]
    occupied = session.scalar(
        select(func.coalesce(func.sum(TaskInstance.pool_slots), 0)).where(
            TaskInstance.pool == pool.pool, TaskInstance.state.in_(occupying), TaskInstance.id != instance.id
        )
    )
    open_slots = pool.slots - int(occupied or 0)
    if open_slots >= instance.pool_slots:
        return []
    reason = (
        f"Pool {pool.pool!r} has {max(open_slots, 0)} of {pool.slots} slots open; "
        f"the task instance needs {instance.pool_slots}."
    )
    return [Dependency("Pool Slots Available", reason)]
