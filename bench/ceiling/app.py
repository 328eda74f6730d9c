"""The ceiling: the benchmarked endpoints as a bare connexion app on the same database.

Same tables, the same page and count statements, the same JSON fields; none of the server's own work
(authentication, permissions, middleware, marshmallow, response problems). ``bench`` serves it beside the
real server so every figure can be read as a fraction of what connexion itself allows on this machine.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any

from connexion import FlaskApp
from sqlalchemy import Select, and_, create_engine, func, select, text
from sqlalchemy.engine import Row

from orchestrator_api.models import Dag, DagRun, Job, TaskInstance, TaskInstanceCount
from orchestrator_api.models.dag import DagTag

_engine = create_engine(os.environ["ORCHESTRATOR_API_DATABASE_URL"])


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _rows(rows: list[Row[Any]]) -> list[dict[str, Any]]:
    return [{key: _plain(value) for key, value in row._mapping.items()} for row in rows]


def _page(
    stmt: Select[Any], count: Select[Any], key: str, limit: int, *, kept: bool = False
) -> dict[str, Any]:
    """A page and its total: ``count``'s rows counted, or with ``kept`` its one value (a kept total)."""
    with _engine.connect() as conn:
        rows = conn.execute(stmt.limit(limit)).all()
        total_stmt = count if kept else select(func.count()).select_from(count.subquery())
        total = conn.execute(total_stmt).scalar_one()
    return {key: _rows(list(rows)), "total_entries": total}


def _dag_select() -> Select[Any]:
    tags = (
        select(func.aggregate_strings(DagTag.name, ",")).where(DagTag.dag_id == Dag.dag_id).scalar_subquery()
    )
    return select(*Dag.__table__.columns, tags.label("tags"))


def health() -> dict[str, Any]:
    with _engine.connect() as conn:  # the server's three statements
        conn.execute(text("SELECT 1"))
        beats = dict(
            conn.execute(select(Job.job_type, func.max(Job.latest_heartbeat)).group_by(Job.job_type)).all()
        )
        last = conn.scalar(
            select(Job.state).where(Job.job_type == "DagProcessorJob").order_by(Job.id.desc()).limit(1)
        )
    return {
        "metadatabase": {"status": "healthy"},
        "scheduler": {"status": "healthy", "latest_scheduler_heartbeat": _plain(beats.get("SchedulerJob"))},
        "dag_processor": {
            "status": last,
            "latest_dag_processor_heartbeat": _plain(beats.get("DagProcessorJob")),
        },
    }


def version() -> dict[str, Any]:
    return {"version": "ceiling", "git_version": None}


def dags(limit: int = 100) -> dict[str, Any]:
    active = Dag.is_active.is_(True)
    stmt = _dag_select().where(active).order_by(Dag.dag_id)
    return _page(stmt, select(Dag.dag_id).where(active), "dags", limit)


def dag(dag_id: str) -> Any:
    with _engine.connect() as conn:
        row = conn.execute(_dag_select().where(Dag.dag_id == dag_id)).first()
    return ({"title": "DAG not found"}, 404) if row is None else _rows([row])[0]


def dag_runs(dag_id: str, limit: int = 100) -> dict[str, Any]:
    where = DagRun.dag_id == dag_id
    stmt = select(*DagRun.__table__.columns).where(where).order_by(DagRun.id)
    return _page(stmt, select(DagRun.id).where(where), "dag_runs", limit)


def task_instances(dag_id: str, dag_run_id: str, limit: int = 100) -> dict[str, Any]:
    stmt = (
        select(*TaskInstance.__table__.columns, DagRun.logical_date.label("execution_date"))
        .join(DagRun, and_(DagRun.dag_id == TaskInstance.dag_id, DagRun.run_id == TaskInstance.run_id))
        .order_by(TaskInstance.id)
    )
    count = select(TaskInstance.id)
    if dag_id != "~":
        stmt, count = stmt.where(TaskInstance.dag_id == dag_id), count.where(TaskInstance.dag_id == dag_id)
    if dag_run_id != "~":
        stmt = stmt.where(TaskInstance.run_id == dag_run_id)
        count = count.where(TaskInstance.run_id == dag_run_id)
        return _page(stmt, count, "task_instances", limit)
    # Whole DAGs: the server reads the per-DAG counts the database keeps (migration 0010); so does this.
    kept = select(func.coalesce(func.sum(TaskInstanceCount.instances), 0))
    if dag_id != "~":
        kept = kept.where(TaskInstanceCount.dag_id == dag_id)
    return _page(stmt, kept, "task_instances", limit, kept=True)


app = FlaskApp(__name__)
app.add_api(Path(__file__).with_name("openapi.yaml"), base_path="/api/v1")
app.app.json.compact = True  # type: ignore[attr-defined]  # as the server answers
app.app.json.sort_keys = False  # type: ignore[attr-defined]
