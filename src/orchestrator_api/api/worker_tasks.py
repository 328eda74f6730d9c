"""The worker API (extension): claim task instances, then heartbeat, log, push XComs and finish them.

Only a worker token reaches these handlers (the permission table grants them to nothing else); the
worker's id comes from its principal, never from the request.
"""

from __future__ import annotations

from typing import Any

from orchestrator_api import db
from orchestrator_api.execution import leases
from orchestrator_api.execution.claims import claim
from orchestrator_api.schemas.execution import claim_view
from orchestrator_api.security.principal import current_principal
from orchestrator_api.timeutil import isoformat, utcnow


def _worker_id() -> int:
    worker_id = current_principal().token_id
    assert worker_id is not None  # worker principals always carry their worker's id
    return worker_id


def claim_task_instances(body: dict[str, Any]) -> dict[str, Any]:
    queues = list(dict.fromkeys(body["queues"]))
    claims = claim(
        db.session(), _worker_id(), queues, body.get("limit", 1), body.get("hostname", ""), utcnow()
    )
    return {"task_instances": [claim_view(c) for c in claims]}


def heartbeat_task_instance(task_instance_id: int, body: dict[str, Any]) -> dict[str, Any]:
    expires = leases.heartbeat(db.session(), task_instance_id, _worker_id(), body["lease_id"], utcnow())
    return {"task_instance_id": task_instance_id, "lease_expires_at": isoformat(expires)}


def append_task_instance_log(task_instance_id: int, body: dict[str, Any]) -> tuple[str, int]:
    leases.append_log(
        db.session(), task_instance_id, _worker_id(), body["lease_id"], body["content"], utcnow()
    )
    return "", 204


def push_task_instance_xcom(task_instance_id: int, body: dict[str, Any]) -> tuple[str, int]:
    leases.push_xcom(
        db.session(), task_instance_id, _worker_id(), body["lease_id"], body["key"], body["value"], utcnow()
    )
    return "", 204


def finish_task_instance(task_instance_id: int, body: dict[str, Any]) -> dict[str, Any]:
    instance = leases.finish(
        db.session(), task_instance_id, _worker_id(), body["lease_id"], body["state"], utcnow()
    )
    return {"task_instance_id": instance.id, "state": instance.state, "try_number": instance.try_number}
