"""XComs: list the entries of task instances (keys only) and read one entry with its value."""

from __future__ import annotations

from typing import Any, NoReturn, cast

from sqlalchemy import Select, exists, select

from orchestrator_api import db
from orchestrator_api.config import get_settings
from orchestrator_api.models.run import DagRun, TaskInstance, XCom
from orchestrator_api.pagination import SortColumn, paginate
from orchestrator_api.problems import BadRequest, NotFound
from orchestrator_api.queries import dag_or_404, get_or_404
from orchestrator_api.schemas.common import dump_many
from orchestrator_api.schemas.xcom import dump_xcom_entry, xcom_item_schema
from orchestrator_api.security.permissions import dag_filter
from orchestrator_api.security.principal import current_principal

ANY = "~"
# No order_by parameter exists for XComs; entries come by run date, then by their identity.
XCOM_ORDER: dict[str, SortColumn] = {"execution_date": DagRun.logical_date}
XCOM_TIEBREAK: list[SortColumn] = [XCom.dag_id, XCom.task_id, XCom.run_id, XCom.map_index, XCom.key]


def _with_run_date() -> Select[Any]:
    """Entries with their run's logical date (typed loosely: ``paginate`` takes any select)."""
    stmt = select(XCom, DagRun.logical_date.label("execution_date"))
    return cast("Select[Any]", stmt.join(DagRun, DagRun.id == XCom.dag_run_id))


def _run_or_404(dag_id: str, run_id: str) -> DagRun:
    return get_or_404(
        DagRun,
        DagRun.dag_id == dag_id,
        DagRun.run_id == run_id,
        title="DAG run not found",
        detail=f"DAG run {run_id!r} not found in DAG {dag_id!r}",
    )


def get_xcom_entries(
    dag_id: str,
    dag_run_id: str,
    task_id: str,
    map_index: int | None = None,
    xcom_key: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> dict[str, Any]:
    stmt = _with_run_date()
    # A DAG, run or task that does not exist matches nothing: an empty page, not a 404 (as in Airflow).
    if dag_id == ANY:
        stmt = stmt.where(dag_filter(current_principal(), XCom.dag_id))
    else:
        stmt = stmt.where(XCom.dag_id == dag_id)
    if dag_run_id != ANY:
        stmt = stmt.where(XCom.run_id == dag_run_id)
    if task_id != ANY:
        stmt = stmt.where(XCom.task_id == task_id)
    if map_index is not None:
        stmt = stmt.where(XCom.map_index == map_index)
    if xcom_key is not None:
        stmt = stmt.where(XCom.key == xcom_key)
    page = paginate(
        stmt,
        limit=limit,
        offset=offset,
        order_by=None,
        sortable=XCOM_ORDER,
        default="execution_date",
        tiebreak=XCOM_TIEBREAK,
        scalars=False,
    )
    return {"xcom_entries": dump_many(xcom_item_schema, page.rows), "total_entries": page.total}


def get_xcom_entry(
    dag_id: str,
    dag_run_id: str,
    task_id: str,
    xcom_key: str,
    map_index: int = -1,
    deserialize: bool = False,
    stringify: bool = True,
) -> dict[str, Any]:
    # As Airflow, `deserialize` needs the server's consent, asked before anything is looked up; with it,
    # nothing changes: values are plain JSON, always read in full (see the spec).
    if deserialize and not get_settings().enable_xcom_deserialize_support:
        raise BadRequest(detail="XCom deserialization is disabled in configuration.")
    row = (
        db.session()
        .execute(
            _with_run_date().where(
                XCom.dag_id == dag_id,
                XCom.run_id == dag_run_id,
                XCom.task_id == task_id,
                XCom.map_index == map_index,
                XCom.key == xcom_key,
            )
        )
        .first()
    )
    if row is None:
        _explain_missing(dag_id, dag_run_id, task_id, xcom_key, map_index)
    return dump_xcom_entry(row, stringify=stringify)


def _explain_missing(dag_id: str, run_id: str, task_id: str, key: str, map_index: int) -> NoReturn:
    """Raise the 404 that names the first missing piece: DAG, run, task instance or key."""
    dag_or_404(dag_id)
    _run_or_404(dag_id, run_id)
    has_task = db.session().scalar(
        select(
            exists().where(
                TaskInstance.dag_id == dag_id, TaskInstance.run_id == run_id, TaskInstance.task_id == task_id
            )
        )
    )
    if not has_task:
        raise NotFound(
            title="Task instance not found",
            detail=f"Task {task_id!r} has no instance in DAG run {run_id!r} of DAG {dag_id!r}",
        )
    raise NotFound(
        title="XCom entry not found",
        detail=(
            f"XCom entry {key!r} not found for task {task_id!r} (map index {map_index}) in DAG run {run_id!r}"
        ),
    )
