"""Builders for rows no endpoint creates (users before the users API, task instance states, XComs, events).

Tests create data through the API wherever the API can; these write straight to the store for the rest.
"""

from __future__ import annotations

import functools
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from orchestrator_api import db
from orchestrator_api.dags import sync_dags
from orchestrator_api.instance import bump_rbac_version
from orchestrator_api.models import (
    Action,
    DagRun,
    Dataset,
    DatasetEvent,
    Job,
    Permission,
    Resource,
    Role,
    TaskInstance,
    User,
    XCom,
)
from orchestrator_api.security.passwords import hash_password
from orchestrator_api.timeutil import utcnow


@functools.cache
def _hash(password: str) -> str:
    # scrypt is slow by design; tests reuse one hash per password.
    return hash_password(password)


def user(username: str, *roles: str, password: str, active: bool = True, email: str | None = None) -> int:
    with db.transaction() as session:
        role_rows = list(session.scalars(select(Role).where(Role.name.in_(roles))))
        missing = set(roles) - {r.name for r in role_rows}
        if missing:
            raise ValueError(f"unknown roles {missing}")
        row = User(
            username=username,
            email=email or f"{username}@example.org",
            first_name=username.capitalize(),
            last_name="Tester",
            password_hash=_hash(password),
            active=active,
            roles=role_rows,
        )
        session.add(row)
        session.flush()
        return row.id


def sync_folder(folder: Path) -> list[str]:
    """Load a folder of YAML DAG files; fail the test if any file has an import error."""
    with db.transaction() as session:
        report = sync_dags(session, folder)
    assert not report.import_errors, report.summary()
    return sorted(report.added + report.updated + report.unchanged)


def set_task_instance(dag_id: str, run_id: str, task_id: str, map_index: int = -1, **values: Any) -> None:
    """Change a task instance as an executor would (state, dates, try number, hostname...)."""
    with db.transaction() as session:
        ti = session.scalars(
            select(TaskInstance).where(
                TaskInstance.dag_id == dag_id,
                TaskInstance.run_id == run_id,
                TaskInstance.task_id == task_id,
                TaskInstance.map_index == map_index,
            )
        ).one()
        for name, value in values.items():
            setattr(ti, name, value)
        if ti.start_date and ti.end_date and "duration" not in values:
            ti.duration = (ti.end_date - ti.start_date).total_seconds()


def set_dag_run(dag_id: str, run_id: str, **values: Any) -> None:
    with db.transaction() as session:
        run = session.scalars(select(DagRun).where(DagRun.dag_id == dag_id, DagRun.run_id == run_id)).one()
        for name, value in values.items():
            setattr(run, name, value)


def xcom(dag_id: str, run_id: str, task_id: str, key: str, value: Any, map_index: int = -1) -> None:
    """Store an XCom as a worker would: the value as JSON text."""
    raw_xcom(dag_id, run_id, task_id, key, json.dumps(value), map_index)


def raw_xcom(dag_id: str, run_id: str, task_id: str, key: str, text: str | None, map_index: int = -1) -> None:
    """An XCom whose stored text is exactly ``text`` (even text that is not JSON)."""
    with db.transaction() as session:
        run = session.scalars(select(DagRun).where(DagRun.dag_id == dag_id, DagRun.run_id == run_id)).one()
        session.add(
            XCom(
                dag_run_id=run.id,
                dag_id=dag_id,
                run_id=run_id,
                task_id=task_id,
                map_index=map_index,
                key=key,
                value=text,
                timestamp=utcnow(),
            )
        )


def dataset_event(
    uri: str, *, source: tuple[str, str, str] | None = None, extra: dict[str, Any] | None = None
) -> int:
    """Record an event on an existing dataset as a producing task would; returns its id."""
    with db.transaction() as session:
        dataset = session.scalars(select(Dataset).where(Dataset.uri == uri)).one()
        dag_id, task_id, run_id = source or (None, None, None)
        event = DatasetEvent(
            dataset_id=dataset.id,
            extra=extra or {},
            source_dag_id=dag_id,
            source_task_id=task_id,
            source_run_id=run_id,
            source_map_index=-1 if source else None,
            timestamp=utcnow(),
        )
        session.add(event)
        session.flush()
        return event.id


def heartbeat(job_type: str, when: datetime, state: str = "running") -> None:
    with db.transaction() as session:
        session.add(Job(job_type=job_type, state=state, latest_heartbeat=when, start_date=when))


def write_log(
    logs_folder: Path, dag_id: str, run_id: str, task_id: str, try_number: int, text: str, map_index: int = -1
) -> Path:
    """Write a task log where a worker would."""
    folder = logs_folder / f"dag_id={dag_id}" / f"run_id={run_id}" / f"task_id={task_id}"
    if map_index >= 0:
        folder = folder / f"map_index={map_index}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"attempt={try_number}.log"
    path.write_text(text)
    return path


def dag_run(
    dag_id: str,
    run_id: str,
    logical_date: datetime,
    *,
    state: str = "queued",
    run_type: str = "manual",
    task_ids: list[str] | None = None,
    conf: dict[str, Any] | None = None,
) -> int:
    """A run with a task instance (state null) per task id, written directly; returns the run's id.

    For tests of families that read runs (XComs, datasets...) without going through post_dag_run.
    """
    with db.transaction() as session:
        run = DagRun(
            dag_id=dag_id,
            run_id=run_id,
            logical_date=logical_date,
            data_interval_start=logical_date,
            data_interval_end=logical_date,
            state=state,
            run_type=run_type,
            external_trigger=run_type == "manual",
            conf=conf or {},
            queued_at=utcnow(),
        )
        session.add(run)
        session.flush()
        for task_id in task_ids or []:
            session.add(
                TaskInstance(
                    dag_id=dag_id,
                    run_id=run_id,
                    task_id=task_id,
                    map_index=-1,
                    pool="default_pool",
                    queue="default",
                    operator="EmptyOperator",
                )
            )
        return run.id


def role(name: str, *permissions: tuple[str, str]) -> None:
    """A role holding exactly ``permissions`` ((action, resource) pairs), creating missing resources."""
    with db.transaction() as session:
        granted = []
        for action_name, resource_name in permissions:
            action = session.scalars(select(Action).where(Action.name == action_name)).one()
            resource = session.scalars(select(Resource).where(Resource.name == resource_name)).first()
            if resource is None:
                resource = Resource(name=resource_name)
                session.add(resource)
                session.flush()
            permission = session.scalars(
                select(Permission).where(
                    Permission.action_id == action.id, Permission.resource_id == resource.id
                )
            ).first()
            if permission is None:
                permission = Permission(action_id=action.id, resource_id=resource.id)
                session.add(permission)
            granted.append(permission)
        session.add(Role(name=name, permissions=granted))
        bump_rbac_version(session)
