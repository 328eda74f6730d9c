"""Worker identities: registering a worker issues its token, and a token authenticates as that worker only.

A worker token (``oapi_wrk_...``) is 256 random bits stored as a SHA-256 hash, like every other token. Its
principal holds a single permission no role can grant, and may call the worker API's operations and
nothing else.
"""

from __future__ import annotations

import hmac

from sqlalchemy import select
from sqlalchemy.orm import Session

from orchestrator_api import db
from orchestrator_api.models.worker import Worker
from orchestrator_api.security.principal import WORKER_API, Principal
from orchestrator_api.security.token_secrets import WORKER_PREFIX, hash_token, new_secret
from orchestrator_api.timeutil import utcnow

WORKER_OPERATIONS = frozenset(
    {
        "claim_task_instances",
        "heartbeat_task_instance",
        "append_task_instance_log",
        "push_task_instance_xcom",
        "finish_task_instance",
    }
)
_MAX_SECRET_LENGTH = 128


def register_worker(session: Session, name: str, *, created_by: str) -> tuple[Worker, str]:
    """Store a new worker; returns the row and its token's secret (shown once)."""
    secret = new_secret(WORKER_PREFIX)
    worker = Worker(
        name=name,
        token_hash=secret.token_hash,
        display_prefix=secret.display_prefix,
        created_by=created_by,
        created_at=utcnow(),
        queues=[],
    )
    session.add(worker)
    session.flush()
    return worker, secret.token


def worker_actor(worker_id: int) -> str:
    """How a worker appears in logs and records (never its secret)."""
    return f"worker:{worker_id}"


def worker_principal(worker_id: int) -> Principal:
    return Principal(
        username=worker_actor(worker_id),
        method="worker",
        user_id=None,
        role_ids=frozenset(),
        permissions=frozenset({WORKER_API}),
        token_id=worker_id,
        allowed_operations=WORKER_OPERATIONS,
    )


def verify_worker_token(token: str) -> Principal | None:
    """The principal of a live (not revoked) worker token, or None."""
    if len(token) > _MAX_SECRET_LENGTH or not token.startswith(WORKER_PREFIX):
        return None
    digest = hash_token(token)
    with db.session_factory()() as session:
        row = session.execute(
            select(Worker.id, Worker.token_hash).where(
                Worker.token_hash == digest, Worker.revoked_at.is_(None)
            )
        ).first()
    if row is None or not hmac.compare_digest(row.token_hash, digest):
        return None
    return worker_principal(row.id)
