"""Builders for the DAG run and task instance tests: rows only a worker would write (tries, pools, logs)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from orchestrator_api import db
from orchestrator_api.models import Dag, DagRun, Pool, TaskInstance, TaskInstanceHistory
from orchestrator_api.orchestration.clearing import archive
from orchestrator_api.orchestration.trigger import RunRequest, create_dag_run
from orchestrator_api.timeutil import utcnow
from tests import factories


def run(dag_id: str, run_id: str, logical_date: datetime, *, state: str = "queued", **request: Any) -> None:
    """A run created as post_dag_run creates it (task instances included), then put in ``state``."""
    with db.transaction() as session:
        dag = session.scalars(select(Dag).where(Dag.dag_id == dag_id)).one()
        created = create_dag_run(
            session,
            dag,
            RunRequest(run_id=run_id, logical_date=logical_date, **request),
            triggered_by="tests",
        )
        created.state = state


def history(
    dag_id: str, run_id: str, task_id: str, try_number: int, state: str, map_index: int = -1, **values: Any
) -> None:
    """An earlier try, archived as clearing archives it: a copy of the live instance, then ``values``."""
    with db.transaction() as session:
        live = session.scalars(
            select(TaskInstance).where(
                TaskInstance.dag_id == dag_id,
                TaskInstance.run_id == run_id,
                TaskInstance.task_id == task_id,
                TaskInstance.map_index == map_index,
            )
        ).one()
        archived = archive(live, utcnow())
        for name, value in {"try_number": try_number, "state": state, **values}.items():
            setattr(archived, name, value)
        session.add(archived)


def history_count(dag_id: str, run_id: str) -> int:
    with db.session_factory()() as session:
        return len(
            session.scalars(
                select(TaskInstanceHistory).where(
                    TaskInstanceHistory.dag_id == dag_id, TaskInstanceHistory.run_id == run_id
                )
            ).all()
        )


def pool(name: str, slots: int, include_deferred: bool = False) -> None:
    with db.transaction() as session:
        session.add(Pool(pool=name, slots=slots, include_deferred=include_deferred))


def instance(dag_id: str, run_id: str, task_id: str, map_index: int = -1) -> TaskInstance:
    """The stored task instance, detached, to inspect what an operation wrote."""
    with db.session_factory()() as session:
        return session.scalars(
            select(TaskInstance).where(
                TaskInstance.dag_id == dag_id,
                TaskInstance.run_id == run_id,
                TaskInstance.task_id == task_id,
                TaskInstance.map_index == map_index,
            )
        ).one()


def dag_run(dag_id: str, run_id: str) -> DagRun:
    with db.session_factory()() as session:
        return session.scalars(select(DagRun).where(DagRun.dag_id == dag_id, DagRun.run_id == run_id)).one()


def grant_dag_read(role_name: str, dag_id: str) -> None:
    """A role that reads one DAG with its runs, task instances and logs."""
    factories.role(
        role_name,
        ("can_read", f"DAG:{dag_id}"),
        ("can_read", "DAG Runs"),
        ("can_read", "Task Instances"),
        ("can_read", "Task Logs"),
    )
