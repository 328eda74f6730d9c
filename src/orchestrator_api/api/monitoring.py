"""Health and version: answered without credentials."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError

from orchestrator_api import __version__, db
from orchestrator_api.models.run import Job
from orchestrator_api.timeutil import isoformat, utcnow

log = logging.getLogger(__name__)

HEARTBEAT_GRACE = timedelta(seconds=30)


def _component(heartbeat: datetime | None, now: datetime) -> str | None:
    """healthy with a recent heartbeat, unhealthy with a stale one, null when the component never ran."""
    if heartbeat is None:
        return None
    return "healthy" if now - heartbeat <= HEARTBEAT_GRACE else "unhealthy"


def get_health() -> dict[str, Any]:
    # Its own short session: a failing database must give an answer, not spoil the request's session.
    heartbeats: dict[str, datetime | None] = {}
    last_sync_state: str | None = None
    try:
        with db.session_factory()() as session:
            session.execute(text("SELECT 1"))
            rows = session.execute(
                select(Job.job_type, func.max(Job.latest_heartbeat)).group_by(Job.job_type)
            )
            heartbeats = dict(rows.all())
            last_sync_state = session.scalar(
                select(Job.state).where(Job.job_type == "DagProcessorJob").order_by(Job.id.desc()).limit(1)
            )
        database = "healthy"
    except SQLAlchemyError as exc:
        log.error("health check: metadata database unreachable: %s", type(exc).__name__)
        database = "unhealthy"
    now = utcnow()
    sync = heartbeats.get("DagProcessorJob")
    return {
        "metadatabase": {"status": database},
        "scheduler": {
            "status": _component(heartbeats.get("SchedulerJob"), now),
            "latest_scheduler_heartbeat": isoformat(heartbeats.get("SchedulerJob")),
        },
        "triggerer": {
            "status": _component(heartbeats.get("TriggererJob"), now),
            "latest_triggerer_heartbeat": isoformat(heartbeats.get("TriggererJob")),
        },
        # `dags sync` runs on demand, not continuously: its health is whether the last sync succeeded.
        "dag_processor": {
            "status": None if sync is None else ("healthy" if last_sync_state == "success" else "unhealthy"),
            "latest_dag_processor_heartbeat": isoformat(sync),
        },
    }


def get_version() -> dict[str, Any]:
    return {"version": __version__, "git_version": None}
