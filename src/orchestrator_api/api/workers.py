"""Workers (extension): register one (issuing its token), list them, revoke one."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from orchestrator_api import db
from orchestrator_api.execution.identity import register_worker
from orchestrator_api.models.worker import Worker
from orchestrator_api.pagination import SortColumn, paginate
from orchestrator_api.problems import AlreadyExists
from orchestrator_api.queries import get_or_404
from orchestrator_api.schemas.execution import worker_view
from orchestrator_api.security.principal import current_principal
from orchestrator_api.timeutil import utcnow

WORKER_SORTABLE: dict[str, SortColumn] = {"id": Worker.id}


def get_workers(limit: int | None = None, offset: int = 0) -> dict[str, Any]:
    page = paginate(
        select(Worker).where(Worker.revoked_at.is_(None)),
        limit=limit,
        offset=offset,
        order_by=None,
        sortable=WORKER_SORTABLE,
        default="id",
        tiebreak=[Worker.id],
    )
    return {"workers": [worker_view(w) for w in page.rows], "total_entries": page.total}


def post_worker(body: dict[str, Any]) -> tuple[dict[str, Any], int]:
    session = db.session()
    name = body["name"]
    if session.scalar(select(Worker.id).where(Worker.name == name)) is not None:
        raise AlreadyExists(detail="A worker with this name exists already")
    worker, secret = register_worker(session, name, created_by=current_principal().username)
    return {**worker_view(worker), "token": secret}, 201


def delete_worker(worker_id: int) -> tuple[str, int]:
    worker = get_or_404(
        Worker, Worker.id == worker_id, Worker.revoked_at.is_(None), detail=f"Worker {worker_id} not found"
    )
    worker.revoked_at = utcnow()
    return "", 204
