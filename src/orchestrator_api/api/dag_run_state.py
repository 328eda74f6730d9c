"""Changing a DAG run: mark its state, clear it so it runs again, set its note."""

from __future__ import annotations

from typing import Any

from orchestrator_api import db
from orchestrator_api.orchestration.clearing import (
    ClearSelection,
    clear_instances,
    select_for_clear,
)
from orchestrator_api.orchestration.lookup import run_or_404
from orchestrator_api.orchestration.states import set_run_state
from orchestrator_api.schemas.common import dump
from orchestrator_api.schemas.dag_run import dag_run_schema
from orchestrator_api.schemas.task_instance import references


def update_dag_run_state(dag_id: str, dag_run_id: str, body: dict[str, Any]) -> dict[str, Any]:
    run = run_or_404(dag_id, dag_run_id)
    set_run_state(db.session(), run, body["state"])
    return dump(dag_run_schema, run)


def clear_dag_run(dag_id: str, dag_run_id: str, body: dict[str, Any]) -> dict[str, Any]:
    session = db.session()
    run = run_or_404(dag_id, dag_run_id)
    instances = select_for_clear(session, dag_id, ClearSelection(run_id=run.run_id))
    if body.get("dry_run", True):
        return {"task_instances": references(instances)}
    # A finished run is queued again if it had task instances to clear; one under way keeps going.
    clear_instances(session, [ti for ti, _ in instances], queue_runs=True)
    return dump(dag_run_schema, run)


def set_dag_run_note(dag_id: str, dag_run_id: str, body: dict[str, Any]) -> dict[str, Any]:
    run = run_or_404(dag_id, dag_run_id)
    run.note = body["note"]
    return dump(dag_run_schema, run)
