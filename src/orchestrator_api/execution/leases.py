"""What a worker may do while it holds a task instance's lease: heartbeat, log, push XComs, finish.

Every call names the task instance and presents the claim's ``lease_id``. The lease is held while the
instance is ``running`` with that lease id and the lease has not expired. Changes go through a conditional
UPDATE on exactly those conditions, so a worker that lost its lease (it expired, the scheduler failed the
try, or someone marked the instance) changes nothing and gets a 409.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, exists, select, update
from sqlalchemy.orm import Session

from orchestrator_api.execution.claims import lease_length
from orchestrator_api.models.dag import Task
from orchestrator_api.models.run import DagRun, TaskInstance, XCom
from orchestrator_api.orchestration.logs import LogKey, log_path
from orchestrator_api.problems import LeaseLost, NotFound
from orchestrator_api.scheduling.outlets import record_outlets
from orchestrator_api.scheduling.retries import end_try, fail_try
from orchestrator_api.tenancy.context import scoped


def _held(instance_id: int, worker_id: int, lease_id: str, now: datetime) -> ColumnElement[bool]:
    return and_(
        TaskInstance.id == instance_id,
        TaskInstance.worker_id == worker_id,
        TaskInstance.lease_id == lease_id,
        TaskInstance.state == "running",
        TaskInstance.lease_expires_at > now,
    )


def _lost(session: Session, instance_id: int) -> LeaseLost | NotFound:
    if not session.scalar(select(exists().where(TaskInstance.id == instance_id))):
        return NotFound(detail=f"Task instance {instance_id} not found")
    return LeaseLost(
        detail=f"The lease on task instance {instance_id} is not held: it expired or the task instance "
        "moved on. Stop the task."
    )


def _take(
    session: Session, instance_id: int, worker_id: int, lease_id: str, now: datetime, **values: Any
) -> None:
    """Apply ``values`` (and a new row version) only while the lease is held; else 409 (or 404)."""
    result = session.execute(
        update(TaskInstance)
        .where(_held(instance_id, worker_id, lease_id, now))
        .values(version=TaskInstance.version + 1, **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise _lost(session, instance_id)


def heartbeat(session: Session, instance_id: int, worker_id: int, lease_id: str, now: datetime) -> datetime:
    """Extend the lease; returns its new expiry."""
    expires = now + lease_length()
    _take(session, instance_id, worker_id, lease_id, now, lease_expires_at=expires)
    return expires


def append_log(
    session: Session, instance_id: int, worker_id: int, lease_id: str, content: str, now: datetime
) -> None:
    """Append ``content`` to the current try's log file (which ``get_log`` reads)."""
    instance = session.scalars(
        select(TaskInstance).where(_held(instance_id, worker_id, lease_id, now))
    ).first()
    if instance is None:
        raise _lost(session, instance_id)
    with scoped(instance.organization_id):
        path = log_path(
            LogKey(
                instance.dag_id, instance.run_id, instance.task_id, instance.map_index, instance.try_number
            )
        )
    if path is None:
        raise NotFound(detail=f"Task instance {instance_id} has no log location")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(content)


def push_xcom(
    session: Session, instance_id: int, worker_id: int, lease_id: str, key: str, value: Any, now: datetime
) -> None:
    """Write (or replace) an XCom of the task instance."""
    _take(session, instance_id, worker_id, lease_id, now)
    instance = session.get(TaskInstance, instance_id)
    assert instance is not None
    with scoped(instance.organization_id):  # the XCom belongs where its task instance does
        _replace_xcom(session, instance, key, value, now)


def _replace_xcom(session: Session, instance: TaskInstance, key: str, value: Any, now: datetime) -> None:
    run_pk = session.scalar(
        select(DagRun.id).where(DagRun.dag_id == instance.dag_id, DagRun.run_id == instance.run_id)
    )
    assert run_pk is not None
    session.execute(
        delete(XCom).where(
            XCom.dag_run_id == run_pk,
            XCom.task_id == instance.task_id,
            XCom.map_index == instance.map_index,
            XCom.key == key,
        )
    )
    session.add(
        XCom(
            dag_run_id=run_pk,
            task_id=instance.task_id,
            map_index=instance.map_index,
            key=key,
            dag_id=instance.dag_id,
            run_id=instance.run_id,
            value=json.dumps(value),
            timestamp=now,
        )
    )


def finish(
    session: Session, instance_id: int, worker_id: int, lease_id: str, state: str, now: datetime
) -> TaskInstance:
    """End the try: ``success`` or ``skipped`` as reported, ``failed`` by the retry rules."""
    _take(session, instance_id, worker_id, lease_id, now)
    instance = session.get(TaskInstance, instance_id, populate_existing=True)
    assert instance is not None
    task = session.get(Task, (instance.organization_id, instance.dag_id, instance.task_id))
    with scoped(instance.organization_id):  # dataset events land in the task instance's organization
        if state == "failed":
            fail_try(instance, task, now)
        else:
            end_try(instance, state, now)
            if state == "success" and task is not None:
                record_outlets(session, instance, task, now)
        session.flush()
    return instance
