"""DAGs: list, read, pause/unpause (one or many), delete."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, exists, select

from orchestrator_api import db
from orchestrator_api.authoring.store import forget_source
from orchestrator_api.dags.spec import API_FILELOC_PREFIX
from orchestrator_api.models.dag import Dag, DagTag
from orchestrator_api.models.run import TaskInstance
from orchestrator_api.pagination import AnySelect, Page, SortColumn, paginate
from orchestrator_api.patching import apply_patch, patch_values
from orchestrator_api.problems import AlreadyExists
from orchestrator_api.queries import contains, dag_or_404, select_dags, with_tag_names
from orchestrator_api.schemas.common import dump, dump_many, restrict_fields
from orchestrator_api.schemas.dag import dag_detail_schema, dag_schema
from orchestrator_api.security.permissions import authorize_api_dag, dag_filter
from orchestrator_api.security.principal import CAN_EDIT, current_principal

DAG_SORTABLE: dict[str, SortColumn] = {
    "dag_id": Dag.dag_id,
    "dag_display_name": Dag.dag_display_name,
    "next_dagrun": Dag.next_dagrun,
    "last_parsed_time": Dag.last_parsed_time,
    "is_paused": Dag.is_paused,
    "is_active": Dag.is_active,
    "fileloc": Dag.fileloc,
    "owners": Dag.owners,
}


def _filtered_dags(
    stmt: AnySelect,
    *,
    tags: list[str] | None,
    only_active: bool,
    paused: bool | None = None,
    dag_id_pattern: str | None = None,
) -> AnySelect:
    if only_active:
        stmt = stmt.where(Dag.is_active.is_(True))
    if paused is not None:
        stmt = stmt.where(Dag.is_paused.is_(paused))
    if dag_id_pattern and dag_id_pattern != "~":
        stmt = stmt.where(contains(Dag.dag_id, dag_id_pattern))
    if tags:
        stmt = stmt.where(exists().where(DagTag.dag_id == Dag.dag_id, DagTag.name.in_(tags)))
    return stmt


def _page_of_dags(stmt: AnySelect, limit: int | None, offset: int, order_by: str | None) -> Page[Any]:
    return paginate(
        stmt,
        limit=limit,
        offset=offset,
        order_by=order_by,
        sortable=DAG_SORTABLE,
        default="dag_id",
        tiebreak=[Dag.dag_id],
        scalars=False,
    )


def get_dags(
    limit: int | None = None,
    offset: int = 0,
    order_by: str | None = None,
    tags: list[str] | None = None,
    only_active: bool = True,
    paused: bool | None = None,
    fields: list[str] | None = None,
    dag_id_pattern: str | None = None,
) -> dict[str, Any]:
    schema = restrict_fields(dag_schema, fields)
    stmt = select_dags(listing=True).where(dag_filter(current_principal(), Dag.dag_id))
    stmt = _filtered_dags(
        stmt, tags=tags, only_active=only_active, paused=paused, dag_id_pattern=dag_id_pattern
    )
    page = _page_of_dags(stmt, limit, offset, order_by)
    return {"dags": dump_many(schema, with_tag_names(page.rows)), "total_entries": page.total}


def patch_dags(
    dag_id_pattern: str,
    body: dict[str, Any],
    limit: int | None = None,
    offset: int = 0,
    tags: list[str] | None = None,
    update_mask: list[str] | None = None,
    only_active: bool = True,
) -> dict[str, Any]:
    values = patch_values(body, update_mask, schema=dag_schema)
    stmt = select_dags().where(dag_filter(current_principal(), Dag.dag_id, CAN_EDIT))
    stmt = _filtered_dags(stmt, tags=tags, only_active=only_active, dag_id_pattern=dag_id_pattern)
    # One page is changed, by dag_id; total_entries counts every DAG the filters match, as in Airflow.
    page = _page_of_dags(stmt, limit, offset, None)
    dags = with_tag_names(page.rows)
    for dag in dags:
        for attribute, value in values.items():
            setattr(dag, attribute, value)
    return {"dags": dump_many(dag_schema, dags), "total_entries": page.total}


def get_dag(dag_id: str, fields: list[str] | None = None) -> dict[str, Any]:
    return dump(restrict_fields(dag_schema, fields), dag_or_404(dag_id))


def get_dag_details(dag_id: str, fields: list[str] | None = None) -> dict[str, Any]:
    return dump(restrict_fields(dag_detail_schema, fields), dag_or_404(dag_id))


def patch_dag(dag_id: str, body: dict[str, Any], update_mask: list[str] | None = None) -> dict[str, Any]:
    dag = dag_or_404(dag_id)
    apply_patch(dag, body, update_mask, schema=dag_schema)
    return dump(dag_schema, dag)


def delete_dag(dag_id: str) -> tuple[str, int]:
    dag = dag_or_404(dag_id)
    session = db.session()
    if dag.fileloc.startswith(API_FILELOC_PREFIX):  # its definition goes too: nothing can reload it
        authorize_api_dag(current_principal(), "delete_dag")
        forget_source(session, dag)
    running = session.scalar(
        select(exists().where(TaskInstance.dag_id == dag_id, TaskInstance.state == "running"))
    )
    if running:
        raise AlreadyExists(detail=f"Task instances of DAG {dag_id!r} are still running")
    # Runs, task instances, XComs, tags, tasks, warnings, dataset links and an API DAG's definition go with
    # it (ON DELETE CASCADE).
    session.execute(delete(Dag).where(Dag.dag_id == dag_id))
    return "", 204
