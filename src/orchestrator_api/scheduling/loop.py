"""``orchestrator-api scheduler``: the loop that moves runs and task instances along.

Each pass is one transaction. Its first statement updates this scheduler's heartbeat row (which
``get_health`` reads), so on SQLite the pass holds the database's write lock from the start and passes of
two schedulers run one after the other. On PostgreSQL passes overlap safely: DAGs and runs are taken with
``FOR UPDATE SKIP LOCKED``, pools with ``FOR UPDATE``, and task instances with conditional UPDATEs.
"""

from __future__ import annotations

import logging
import signal
import socket
import threading
from dataclasses import dataclass
from datetime import datetime
from types import FrameType

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from orchestrator_api import db
from orchestrator_api.config import get_settings
from orchestrator_api.models.dag import Dag
from orchestrator_api.models.organization import Organization
from orchestrator_api.models.run import DagRun, Job
from orchestrator_api.scheduling.expiry import expire_leases
from orchestrator_api.scheduling.queueing import queue_scheduled
from orchestrator_api.scheduling.runs import create_dataset_runs, create_scheduled_runs, start_queued_runs
from orchestrator_api.scheduling.task_states import advance_runs, time_out_runs
from orchestrator_api.tenancy.context import scoped
from orchestrator_api.timeutil import utcnow

log = logging.getLogger(__name__)
_RUN_BATCH = 256
_YIELD_SECONDS = 0.05


@dataclass
class PassReport:
    """How much one pass changed; a pass that changed something is followed by another at once."""

    created: int = 0
    started: int = 0
    advanced: int = 0
    queued: int = 0
    expired: int = 0

    @property
    def busy(self) -> bool:
        return any((self.created, self.started, self.advanced, self.queued, self.expired))


def _register(hostname: str) -> int:
    now = utcnow()
    with db.transaction() as session:
        job = Job(
            job_type="SchedulerJob", state="running", hostname=hostname, start_date=now, latest_heartbeat=now
        )
        session.add(job)
        session.flush()
        return job.id


def _running_runs(session: Session) -> list[DagRun]:
    stmt = (
        select(DagRun).where(DagRun.state == "running").order_by(DagRun.last_scheduling_decision, DagRun.id)
    )
    if session.get_bind().dialect.name == "postgresql":
        # NO KEY UPDATE: rows that reference the run (XComs a worker pushes) may still be written meanwhile.
        stmt = stmt.with_for_update(skip_locked=True, key_share=True)
    return list(session.scalars(stmt.limit(_RUN_BATCH)))


def one_pass(job_id: int) -> PassReport:
    """Everything the scheduler does once, in one transaction: the same steps for each organization."""
    report = PassReport()
    with db.transaction() as session:
        now = utcnow()
        session.execute(update(Job).where(Job.id == job_id).values(latest_heartbeat=now))
        organizations = list(session.scalars(select(Organization.id).order_by(Organization.id)))
        for organization in organizations:
            # Scoped: DAGs, runs and pools of one organization never meet another's (same names may exist).
            with scoped(organization):
                _organization_pass(session, now, report)
                session.flush()  # what this organization's pass wrote, while it is still in scope
    return report


def _organization_pass(session: Session, now: datetime, report: PassReport) -> None:
    report.expired += expire_leases(session, now)
    report.created += create_scheduled_runs(session, now) + create_dataset_runs(session, now)
    report.started += start_queued_runs(session, now)
    session.flush()
    runs = _running_runs(session)
    timeouts = dict(
        session.execute(
            select(Dag.dag_id, Dag.dag_run_timeout_seconds).where(
                Dag.dag_id.in_({run.dag_id for run in runs})
            )
        ).all()
    )
    report.advanced += time_out_runs(session, runs, timeouts, now)
    report.advanced += advance_runs(session, [run for run in runs if run.state == "running"], now)
    session.flush()
    report.queued += queue_scheduled(session, now)


def run(*, once: bool = False, interval: float | None = None) -> None:
    """Run passes until stopped (SIGTERM or SIGINT); ``once``: a single pass that runs to quiescence."""
    wait = interval if interval is not None else get_settings().scheduler_interval
    job_id = _register(socket.gethostname())
    stop = threading.Event()

    def _stop(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    if not once and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
    log.info("scheduler %s started (interval %.2fs)", job_id, wait)
    try:
        while not stop.is_set():
            report = one_pass(job_id)
            if once and not report.busy:
                break
            # Even after a busy pass, pause briefly: SQLite's waiting writers (the API's worker calls) poll
            # for the lock, and a scheduler that took it again at once could starve them.
            stop.wait(wait if not report.busy else min(wait, _YIELD_SECONDS))
    finally:
        with db.transaction() as session:
            session.execute(update(Job).where(Job.id == job_id).values(state="success", end_date=utcnow()))
        log.info("scheduler %s stopped", job_id)
