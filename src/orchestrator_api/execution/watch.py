"""Watching a run: snapshots of its state (and optionally its task states and results) as stream lines."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select

from orchestrator_api import db
from orchestrator_api.models.run import DagRun, TaskInstance, XCom
from orchestrator_api.orchestration.states import RUN_FINISHED_STATES
from orchestrator_api.tenancy.context import scoped


def snapshot(dag_id: str, run_id: str, task_states: bool, results: list[str]) -> dict[str, Any]:
    """The run's state now; results only once it has finished."""
    with db.session_factory()() as session:
        run = session.execute(
            select(DagRun.id, DagRun.state).where(DagRun.dag_id == dag_id, DagRun.run_id == run_id)
        ).first()
        if run is None:
            return {"dag_id": dag_id, "dag_run_id": run_id, "state": "removed"}
        line: dict[str, Any] = {"dag_id": dag_id, "dag_run_id": run_id, "state": run.state}
        if task_states:
            rows = session.execute(
                select(TaskInstance.task_id, TaskInstance.map_index, TaskInstance.state)
                .where(TaskInstance.dag_id == dag_id, TaskInstance.run_id == run_id)
                .order_by(TaskInstance.task_id, TaskInstance.map_index)
            ).all()
            line["task_states"] = {
                (r.task_id if r.map_index < 0 else f"{r.task_id}[{r.map_index}]"): r.state for r in rows
            }
        if results and run.state in RUN_FINISHED_STATES:
            values = session.execute(
                select(XCom.task_id, XCom.value).where(
                    XCom.dag_run_id == run.id,
                    XCom.task_id.in_(results),
                    XCom.key == "return_value",
                    XCom.map_index == -1,
                )
            ).all()
            found = {task_id: json.loads(value) if value is not None else None for task_id, value in values}
            line["results"] = {task_id: found.get(task_id) for task_id in results}
        return line


def lines(
    dag_id: str,
    run_id: str,
    *,
    interval: float,
    task_states: bool,
    results: list[str],
    sse: bool,
    organization_id: int,
    hung_up: threading.Event,
) -> Iterator[bytes]:
    """One encoded line now and one per ``interval`` until the run has finished (or is gone), or until
    ``hung_up`` is set: the client left, and nobody reads the lines any more.

    The lines are produced after the handler returned, outside its request, so the organization the
    request acted in is passed along and entered for each look at the run.
    """
    while True:
        with scoped(organization_id):
            line = snapshot(dag_id, run_id, task_states, results)
        text = json.dumps(line, separators=(",", ":"))
        yield (f"data: {text}\n\n" if sse else f"{text}\n").encode()
        if line["state"] in RUN_FINISHED_STATES or line["state"] == "removed" or hung_up.wait(interval):
            return
