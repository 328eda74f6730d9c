"""A benchmark database: the example DAGs plus generated ones, with runs and task instances in every state."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, update

from orchestrator_api import db
from orchestrator_api.dags import sync_dags
from orchestrator_api.migrations import upgrade
from orchestrator_api.models import Dag, Role, TaskInstance, User
from orchestrator_api.orchestration.trigger import RunRequest, create_dag_run
from orchestrator_api.security.passwords import hash_password
from orchestrator_api.timeutil import utcnow

DAG_TEMPLATE = """dag_id: bench_{n:03d}
schedule: "{minute} * * * *"
start_date: 2026-01-01T00:00:00Z
tags: [bench, group_{group}]
owner: team_{group}
tasks:
  - task_id: extract
    operator: BashOperator
  - task_id: transform
    operator: PythonOperator
    upstream: [extract]
  - task_id: load
    operator: PythonOperator
    upstream: [transform]
  - task_id: check
    operator: SQLCheckOperator
    upstream: [load]
  - task_id: notify
    operator: EmailOperator
    upstream: [check]
"""

TI_STATES = ["success", "success", "success", "failed", "running", "queued", "skipped", None]


def build(folder: Path, *, dags: int, runs_per_dag: int, password: str) -> None:
    """Migrate, load ``dags`` generated DAG files, trigger runs and spread task instance states."""
    upgrade(db.engine())
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(dags):
        (folder / f"bench_{n:03d}.yaml").write_text(DAG_TEMPLATE.format(n=n, minute=n % 60, group=n % 7))
    rng = random.Random(7)
    with db.transaction() as session:
        sync_dags(session, folder)
        admin = Role.name == "Admin"
        session.add(
            User(
                username="bench",
                email="bench@example.org",
                password_hash=hash_password(password),
                roles=list(session.scalars(select(Role).where(admin))),
            )
        )
        start = utcnow() - timedelta(days=runs_per_dag)
        for dag in session.scalars(select(Dag).order_by(Dag.dag_id)).all():
            for day in range(runs_per_dag):
                create_dag_run(session, dag, RunRequest(logical_date=start + timedelta(days=day)))
        session.flush()
        for state in set(TI_STATES):
            ids = [
                ti_id for ti_id in session.scalars(select(TaskInstance.id)) if rng.choice(TI_STATES) == state
            ]
            if ids and state is not None:
                session.execute(update(TaskInstance).where(TaskInstance.id.in_(ids)).values(state=state))
