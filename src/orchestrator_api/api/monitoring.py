"""Health and version: answered without credentials."""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from orchestrator_api import __version__, db
from orchestrator_api.config import get_settings
from orchestrator_api.models.run import Job
from orchestrator_api.timeutil import isoformat, utcnow

log = logging.getLogger(__name__)

# Airflow 2.10.5's default thresholds: [scheduler] scheduler_health_check_threshold for the scheduler,
# 2.1 heartbeats (of 5 s) for the triggerer and the standalone DAG processor.
SCHEDULER_GRACE = timedelta(seconds=30)
COMPONENT_GRACE = timedelta(seconds=5 * 2.1)

# Airflow's job types. `dags sync` is a one-shot command (job type DagSyncJob), not a standalone DAG
# processor, so, as on an Airflow without one, the dag_processor entry stays null.
SCHEDULER, TRIGGERER, DAG_PROCESSOR = "SchedulerJob", "TriggererJob", "DagProcessorJob"


def _component(
    job: tuple[str | None, datetime | None] | None, grace: timedelta, now: datetime, absent: str | None
) -> str | None:
    """As Airflow: healthy when the latest job runs and heartbeats within ``grace``; ``absent`` when none
    ever ran (the scheduler counts as unhealthy then, the optional components as null)."""
    if job is None:
        return absent
    state, heartbeat = job
    alive = state == "running" and heartbeat is not None and now - heartbeat <= grace
    return "healthy" if alive else "unhealthy"


_Jobs = dict[str, tuple[str | None, datetime | None]]


class _Reading:
    """A worker's last reading of the database for ``get_health``, reused for ``HEALTH_CACHE_SECONDS``.

    A load balancer or monitor polling health would otherwise cost a database round trip per poll; the lock
    makes a burst of polls wait for one reading instead of each making its own.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._expires = 0.0
        self._value: tuple[str, _Jobs] = ("unhealthy", {})

    def get(self, ttl: float) -> tuple[str, _Jobs]:
        with self._lock:
            if ttl <= 0 or time.monotonic() >= self._expires:
                self._value = _read_database()
                self._expires = time.monotonic() + ttl
            return self._value


def _read_database() -> tuple[str, _Jobs]:
    """The database's status and the most recent job of each type by heartbeat, in one query."""
    # Its own short session: a failing database must give an answer, not spoil a request's session.
    try:
        with db.session_factory()() as session:
            newest = (
                select(Job.job_type, func.max(Job.latest_heartbeat).label("heartbeat"))
                .where(Job.job_type.in_((SCHEDULER, TRIGGERER, DAG_PROCESSOR)))
                .group_by(Job.job_type)
                .subquery()
            )
            rows = session.execute(
                select(Job.job_type, Job.state, Job.latest_heartbeat)
                .join(
                    newest,
                    (Job.job_type == newest.c.job_type) & (Job.latest_heartbeat == newest.c.heartbeat),
                )
                .order_by(Job.id)
            )
            return "healthy", {job_type: (state, heartbeat) for job_type, state, heartbeat in rows}
    except SQLAlchemyError as exc:
        log.error("health check: metadata database unreachable: %s", type(exc).__name__)
        return "unhealthy", {}


_reading = _Reading()


def get_health() -> dict[str, Any]:
    database, latest = _reading.get(get_settings().health_cache_seconds)
    now = utcnow()

    def heartbeat(job_type: str) -> str | None:
        job = latest.get(job_type)
        return None if job is None else isoformat(job[1])

    return {
        "metadatabase": {"status": database},
        "scheduler": {
            "status": _component(latest.get(SCHEDULER), SCHEDULER_GRACE, now, "unhealthy"),
            "latest_scheduler_heartbeat": heartbeat(SCHEDULER),
        },
        "triggerer": {
            "status": _component(latest.get(TRIGGERER), COMPONENT_GRACE, now, None),
            "latest_triggerer_heartbeat": heartbeat(TRIGGERER),
        },
        "dag_processor": {
            "status": _component(latest.get(DAG_PROCESSOR), COMPONENT_GRACE, now, None),
            "latest_dag_processor_heartbeat": heartbeat(DAG_PROCESSOR),
        },
    }


def get_version() -> dict[str, Any]:
    return {"version": __version__, "git_version": None}
