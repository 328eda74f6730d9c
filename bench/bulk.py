"""The fast seeding path (``--seed bulk``, the default above 10 000 runs): runs and task instances written
straight into the migrated database, built by the server's own trigger code.

Triggering 100 000 runs one ``POST`` at a time takes about 25 minutes; these rows are the same ones
``POST /dags/{dag_id}/dagRuns`` writes (``orchestration/trigger.py`` decides the data interval and builds the
task instances in both paths), inserted with SQLAlchemy 2's ORM bulk INSERT, a few thousand rows per
statement: the runs in one transaction, then their task instances in one per 100 DAGs. What the API writes
besides them and this path does not: one event-log (audit) row per trigger, which none of the measured
endpoints reads.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.orm import Session

from orchestrator_api.dags import infer_manual_data_interval, schedule_from_json
from orchestrator_api.models.dag import Dag, Task
from orchestrator_api.models.run import DagRun, TaskInstance
from orchestrator_api.orchestration.trigger import task_instances_for
from orchestrator_api.timeutil import utcnow

# DAGs per INSERT batch: at 10 runs x 10 tasks, 100 DAGs are 10 000 task instance rows.
BATCH = 100


def _run_id(number: int) -> str:
    """The id of a DAG's ``number``-th run, the same in its run row and its task instances."""
    return f"bench_{number:03d}"


def _chunks(items: Sequence[Dag], size: int) -> Iterator[Sequence[Dag]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _instance_template(dag_id: str, tasks: list[Task]) -> list[dict[str, Any]]:
    """The column values the trigger code gives one run's task instances (run id filled in per run)."""
    placeholder = DagRun(dag_id=dag_id, run_id="")
    rows = []
    for instance in task_instances_for(placeholder, tasks):
        rows.append({key: value for key, value in vars(instance).items() if not key.startswith("_")})
    return rows


def _run_rows(
    dag: Dag, runs_per_dag: int, start: Any, queued_at: Any, triggered_by: str
) -> list[dict[str, Any]]:
    schedule = schedule_from_json(dag.schedule)
    rows = []
    for number in range(runs_per_dag):
        logical_date = start + timedelta(days=number)
        interval_start, interval_end = infer_manual_data_interval(schedule, logical_date)
        rows.append(
            {
                "dag_id": dag.dag_id,
                "run_id": _run_id(number),
                "logical_date": logical_date,
                "data_interval_start": interval_start,
                "data_interval_end": interval_end,
                "state": "queued",
                "run_type": "manual",
                "external_trigger": True,
                "conf": {},
                "note": None,
                "queued_at": queued_at,
                "triggered_by": triggered_by,
            }
        )
    return rows


def _analyze(session: Session) -> None:
    """Fresh planner statistics on PostgreSQL (SQLite has none to refresh). Without them the foreign-key
    check of every task instance row keeps the plan it got while ``dag_run`` looked empty, an index scan
    over every run of the organization: the 10x load took more than ten minutes instead of about four."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("ANALYZE dag_run"))


def seed_runs(database_url: str, runs_per_dag: int, start: Any, triggered_by: str) -> int:
    """``runs_per_dag`` manual runs of every active DAG, as the trigger endpoint makes them (run ids
    ``bench_000``..., logical dates one day apart from ``start``); returns the number of runs written."""
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            with session.begin():
                dags = list(session.scalars(select(Dag).where(Dag.is_active.is_(True)).order_by(Dag.dag_id)))
                tasks: dict[str, list[Task]] = defaultdict(list)
                for task in session.scalars(select(Task).order_by(Task.dag_id, Task.position)):
                    tasks[task.dag_id].append(task)
                queued_at = utcnow()
                runs = [
                    row
                    for dag in dags
                    for row in _run_rows(dag, runs_per_dag, start, queued_at, triggered_by)
                ]
                for first in range(0, len(runs), BATCH * runs_per_dag):
                    session.execute(insert(DagRun), runs[first : first + BATCH * runs_per_dag])
            with session.begin():
                _analyze(session)
            for batch in _chunks(dags, BATCH):
                with session.begin():
                    instances: list[dict[str, Any]] = []
                    for dag in batch:
                        template = _instance_template(dag.dag_id, tasks[dag.dag_id])
                        for number in range(runs_per_dag):
                            instances.extend({**row, "run_id": _run_id(number)} for row in template)
                    session.execute(insert(TaskInstance), instances)
    finally:
        engine.dispose()
    return len(runs)
