"""DAG files that failed to load, shown as Airflow 2.10 does to callers with partial DAG access."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, case, exists, literal, not_, select

from orchestrator_api import db
from orchestrator_api.models.dag import Dag, DagImportError
from orchestrator_api.pagination import SortColumn, paginate
from orchestrator_api.problems import NotFound, PermissionDenied
from orchestrator_api.schemas.common import dump, dump_many
from orchestrator_api.schemas.import_error import import_error_schema
from orchestrator_api.security.permissions import dag_filter
from orchestrator_api.security.principal import CAN_READ, RESOURCE_DAG, Principal, current_principal

IMPORT_ERROR_SORTABLE: dict[str, SortColumn] = {
    "import_error_id": DagImportError.id,
    "timestamp": DagImportError.timestamp,
    "filename": DagImportError.filename,
}
WITHHELD = "REDACTED: this file also defines DAGs you may not read"


def _file_defines(condition: ColumnElement[bool]) -> ColumnElement[bool]:
    """The error's file defines a DAG meeting ``condition``."""
    return exists().where(Dag.fileloc == DagImportError.filename, condition)


def _columns(principal: Principal) -> tuple[SortColumn, ...]:
    """The answer's columns; the stack trace is withheld when the file defines a DAG hidden from them."""
    trace: SortColumn = DagImportError.stack_trace
    if not principal.has(CAN_READ, RESOURCE_DAG):
        hidden = _file_defines(not_(dag_filter(principal, Dag.dag_id)))
        trace = case((hidden, literal(WITHHELD)), else_=DagImportError.stack_trace)
    return (
        DagImportError.id,
        DagImportError.timestamp,
        DagImportError.filename,
        trace.label("stack_trace"),
    )


def _readable(principal: Principal) -> ColumnElement[bool]:
    """Callers without all-DAGs read see only files that define at least one DAG they may read."""
    return _file_defines(dag_filter(principal, Dag.dag_id))


def get_import_errors(
    limit: int | None = None, offset: int = 0, order_by: str | None = None
) -> dict[str, Any]:
    principal = current_principal()
    stmt = select(*_columns(principal))
    if not principal.has(CAN_READ, RESOURCE_DAG):
        stmt = stmt.where(_readable(principal))
    page = paginate(
        stmt,
        limit=limit,
        offset=offset,
        order_by=order_by,
        sortable=IMPORT_ERROR_SORTABLE,
        default="import_error_id",
        tiebreak=[DagImportError.id],
        scalars=False,
    )
    return {"import_errors": dump_many(import_error_schema, page.rows), "total_entries": page.total}


def get_import_error(import_error_id: int) -> dict[str, Any]:
    principal = current_principal()
    restricted = not principal.has(CAN_READ, RESOURCE_DAG)
    stmt = select(*_columns(principal)).where(DagImportError.id == import_error_id)
    if restricted:
        stmt = stmt.add_columns(_readable(principal).label("readable"))
    row = db.session().execute(stmt).first()
    if row is None:
        raise NotFound(title="Import error not found", detail=f"Import error {import_error_id} not found")
    if restricted and not row.readable:
        raise PermissionDenied(detail="You may not read any of the DAGs defined in this file")
    return dump(import_error_schema, row)
