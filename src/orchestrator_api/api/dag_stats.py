"""Run counts per state for a set of DAGs."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from orchestrator_api import db
from orchestrator_api.models.dag import Dag
from orchestrator_api.models.run import DagRun
from orchestrator_api.security.permissions import dag_filter
from orchestrator_api.security.principal import current_principal

DAG_RUN_STATES = ("queued", "running", "success", "failed")


def get_dag_stats(dag_ids: str) -> dict[str, Any]:
    requested = sorted({dag_id.strip() for dag_id in dag_ids.split(",") if dag_id.strip()})
    session = db.session()
    visible_stmt = select(Dag.dag_id).where(
        Dag.dag_id.in_(requested), dag_filter(current_principal(), Dag.dag_id)
    )
    visible = session.scalars(visible_stmt.order_by(Dag.dag_id)).all()
    counts: dict[tuple[str, str], int] = {
        (dag_id, state): count
        for dag_id, state, count in session.execute(
            select(DagRun.dag_id, DagRun.state, func.count())
            .where(DagRun.dag_id.in_(visible_stmt))
            .group_by(DagRun.dag_id, DagRun.state)
        )
    }
    dags = [
        {
            "dag_id": dag_id,
            "stats": [{"state": s, "count": counts.get((dag_id, s), 0)} for s in DAG_RUN_STATES],
        }
        for dag_id in visible
    ]
    return {"dags": dags, "total_entries": len(dags)}
