"""Marking task instances success, failed or skipped by hand, with their relatives if asked.

As in Airflow, marking reaches the task's instances in one run (all map indexes unless some are named),
optionally widened to its upstream/downstream tasks and to earlier/later runs; only instances whose state
changes are touched. Afterwards the failed instances downstream of the task in those runs are cleared, so
the runs carry on from the instance that was fixed by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from orchestrator_api.models.run import DagRun, TaskInstance
from orchestrator_api.orchestration.clearing import (
    ClearSelection,
    InstanceWithDate,
    clear_instances,
    select_for_clear,
)
from orchestrator_api.orchestration.states import finish
from orchestrator_api.orchestration.task_graph import load_graph
from orchestrator_api.timeutil import utcnow


@dataclass(frozen=True)
class MarkRequest:
    task_id: str
    new_state: str
    map_indexes: Sequence[int] | None = None
    include_upstream: bool = False
    include_downstream: bool = False
    include_past: bool = False
    include_future: bool = False


def select_to_mark(session: Session, run: DagRun, request: MarkRequest) -> list[InstanceWithDate]:
    """The instances the request would change, with their runs' logical dates, in run then task order."""
    graph = load_graph(session, run.dag_id)
    task_ids = {request.task_id} | graph.relatives(
        [request.task_id], upstream=request.include_upstream, downstream=request.include_downstream
    )
    stmt = (
        select(TaskInstance, DagRun.logical_date)
        .join(DagRun, and_(DagRun.dag_id == TaskInstance.dag_id, DagRun.run_id == TaskInstance.run_id))
        .where(
            TaskInstance.dag_id == run.dag_id,
            TaskInstance.task_id.in_(sorted(task_ids)),
            or_(TaskInstance.state.is_(None), TaskInstance.state != request.new_state),
        )
    )
    if not request.include_past and not request.include_future:
        stmt = stmt.where(DagRun.run_id == run.run_id)
    elif not request.include_past:
        stmt = stmt.where(DagRun.logical_date >= run.logical_date)
    elif not request.include_future:
        stmt = stmt.where(DagRun.logical_date <= run.logical_date)
    if request.map_indexes is not None:
        stmt = stmt.where(
            or_(TaskInstance.task_id != request.task_id, TaskInstance.map_index.in_(request.map_indexes))
        )
    stmt = stmt.order_by(DagRun.logical_date, TaskInstance.task_id, TaskInstance.map_index)
    return [(row[0], row[1]) for row in session.execute(stmt).all()]


def mark(session: Session, run: DagRun, request: MarkRequest, instances: Sequence[InstanceWithDate]) -> None:
    """Set the new state on ``instances`` (from :func:`select_to_mark`), then clear failed ones downstream."""
    now = utcnow()
    for instance, _ in instances:
        finish(instance, request.new_state, now)
    session.flush()
    downstream = load_graph(session, run.dag_id).relatives([request.task_id], downstream=True)
    if not downstream:
        return
    selection = ClearSelection(
        task_ids=sorted(downstream),
        start=None if request.include_past else run.logical_date,
        end=None if request.include_future else run.logical_date,
        only_failed=True,
        exclude=frozenset((ti.run_id, ti.task_id, ti.map_index) for ti, _ in instances),
    )
    to_clear = [ti for ti, _ in select_for_clear(session, run.dag_id, selection)]
    # Airflow clears them within the sub-DAG of the marked task and its downstream tasks.
    clear_instances(session, to_clear, queue_runs=True, within=downstream | {request.task_id})
