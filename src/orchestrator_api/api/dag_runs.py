"""DAG runs: list (by query or by form), trigger, read, delete."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, Text, cast, delete, select

from orchestrator_api import db
from orchestrator_api.models.run import DagRun
from orchestrator_api.orchestration.lookup import run_or_404
from orchestrator_api.orchestration.reads import between
from orchestrator_api.orchestration.trigger import RunRequest, create_dag_run, triggerable_dag
from orchestrator_api.pagination import SortColumn, paginate
from orchestrator_api.problems import BadRequest
from orchestrator_api.schemas.common import dump, dump_many, restrict_fields
from orchestrator_api.schemas.dag_run import dag_run_schema, list_dag_runs_form_schema, trigger_dag_run_schema
from orchestrator_api.security.permissions import dag_filter
from orchestrator_api.security.principal import current_principal
from orchestrator_api.timeutil import as_utc

DAG_RUN_SORTABLE: dict[str, SortColumn] = {
    "id": DagRun.id,
    "dag_id": DagRun.dag_id,
    "dag_run_id": DagRun.run_id,
    "state": DagRun.state,
    "run_type": DagRun.run_type,
    "execution_date": DagRun.logical_date,
    "logical_date": DagRun.logical_date,
    "start_date": DagRun.start_date,
    "end_date": DagRun.end_date,
    "data_interval_start": DagRun.data_interval_start,
    "data_interval_end": DagRun.data_interval_end,
    "updated_at": DagRun.updated_at,
    "external_trigger": DagRun.external_trigger,
    # JSON has no ordering on PostgreSQL; its text does.
    "conf": cast(DagRun.conf, Text),
}


def _filtered_runs(stmt: Select[Any], filters: dict[str, Any]) -> Select[Any]:
    stmt = between(
        stmt, DagRun.logical_date, filters.get("execution_date_gte"), filters.get("execution_date_lte")
    )
    stmt = between(stmt, DagRun.start_date, filters.get("start_date_gte"), filters.get("start_date_lte"))
    stmt = between(stmt, DagRun.end_date, filters.get("end_date_gte"), filters.get("end_date_lte"))
    stmt = between(stmt, DagRun.updated_at, filters.get("updated_at_gte"), filters.get("updated_at_lte"))
    if filters.get("states"):
        stmt = stmt.where(DagRun.state.in_(filters["states"]))
    if filters.get("dag_ids"):  # an empty list filters nothing, as in Airflow
        stmt = stmt.where(DagRun.dag_id.in_(filters["dag_ids"]))
    return stmt


def _readable_runs() -> Select[Any]:
    return select(DagRun).where(dag_filter(current_principal(), DagRun.dag_id))


def get_dag_runs(
    dag_id: str,
    limit: int | None = None,
    offset: int = 0,
    state: list[str] | None = None,
    order_by: str | None = None,
    fields: list[str] | None = None,
    **filters: datetime,
) -> dict[str, Any]:
    schema = restrict_fields(dag_run_schema, fields)
    stmt = _readable_runs()
    if dag_id != "~":
        stmt = stmt.where(DagRun.dag_id == dag_id)
    stmt = _filtered_runs(stmt, {**filters, "states": state})
    page = paginate(
        stmt,
        limit=limit,
        offset=offset,
        order_by=order_by,
        sortable=DAG_RUN_SORTABLE,
        default="id",
        tiebreak=[DagRun.id],
    )
    return {"dag_runs": dump_many(schema, page.rows), "total_entries": page.total}


def get_dag_runs_batch(body: dict[str, Any]) -> dict[str, Any]:
    form = list_dag_runs_form_schema.load(body)
    stmt = _filtered_runs(_readable_runs(), form)
    # Airflow takes the form's page_limit as given: the maximum page size only bounds query parameters.
    page = paginate(
        stmt,
        limit=form["page_limit"],
        offset=form["page_offset"],
        order_by=form["order_by"],
        sortable=DAG_RUN_SORTABLE,
        default="id",
        tiebreak=[DagRun.id],
        capped=False,
    )
    return {"dag_runs": dump_many(dag_run_schema, page.rows), "total_entries": page.total}


def post_dag_run(dag_id: str, body: dict[str, Any]) -> dict[str, Any]:
    session = db.session()
    dag = triggerable_dag(session, dag_id)
    data = trigger_dag_run_schema.load(body)
    logical_date, execution_date = data["logical_date"], data["execution_date"]
    if logical_date and execution_date and as_utc(logical_date) != as_utc(execution_date):
        raise BadRequest(detail="logical_date and execution_date differ; give only logical_date")
    request = RunRequest(
        run_id=data["dag_run_id"],
        logical_date=logical_date or execution_date,
        data_interval_start=data["data_interval_start"],
        data_interval_end=data["data_interval_end"],
        conf=data["conf"],
        note=data["note"],
    )
    run = create_dag_run(session, dag, request, run_type="manual", triggered_by=current_principal().username)
    return dump(dag_run_schema, run)


def get_dag_run(dag_id: str, dag_run_id: str, fields: list[str] | None = None) -> dict[str, Any]:
    schema = restrict_fields(dag_run_schema, fields)
    return dump(schema, run_or_404(dag_id, dag_run_id))


def delete_dag_run(dag_id: str, dag_run_id: str) -> tuple[str, int]:
    run = run_or_404(dag_id, dag_run_id)
    # Task instances, their history and XComs go with the run (ON DELETE CASCADE).
    db.session().execute(delete(DagRun).where(DagRun.id == run.id))
    return "", 204
