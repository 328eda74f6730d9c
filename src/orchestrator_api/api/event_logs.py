"""The audit trail: list and read event-log entries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, or_, select

from orchestrator_api.models.event_log import EventLog
from orchestrator_api.pagination import SortColumn, paginate
from orchestrator_api.queries import get_or_404
from orchestrator_api.schemas.common import dump, dump_many
from orchestrator_api.schemas.event_log import event_log_schema
from orchestrator_api.security.permissions import dag_filter
from orchestrator_api.security.principal import current_principal

EVENT_LOG_SORTABLE: dict[str, SortColumn] = {
    "event_log_id": EventLog.id,
    "when": EventLog.dttm,
    "dag_id": EventLog.dag_id,
    "task_id": EventLog.task_id,
    "run_id": EventLog.run_id,
    "map_index": EventLog.map_index,
    "try_number": EventLog.try_number,
    "event": EventLog.event,
    "execution_date": EventLog.execution_date,
    "owner": EventLog.owner,
    "extra": EventLog.extra,
}


def _visible() -> ColumnElement[bool]:
    """Entries without a DAG, or about a DAG the caller may read."""
    return or_(EventLog.dag_id.is_(None), dag_filter(current_principal(), EventLog.dag_id))


def _names(text: str | None) -> list[str]:
    return [name.strip() for name in (text or "").split(",") if name.strip()]


def get_event_logs(
    limit: int | None = None,
    offset: int = 0,
    order_by: str | None = None,
    dag_id: str | None = None,
    task_id: str | None = None,
    run_id: str | None = None,
    map_index: int | None = None,
    try_number: int | None = None,
    event: str | None = None,
    owner: str | None = None,
    before: datetime | None = None,
    after: datetime | None = None,
    included_events: str | None = None,
    excluded_events: str | None = None,
) -> dict[str, Any]:
    stmt = select(EventLog).where(_visible())
    equal_to = {
        EventLog.dag_id: dag_id,
        EventLog.task_id: task_id,
        EventLog.run_id: run_id,
        EventLog.map_index: map_index,
        EventLog.try_number: try_number,
        EventLog.event: event,
        EventLog.owner: owner,
    }
    stmt = stmt.where(*(column == value for column, value in equal_to.items() if value is not None))
    if before is not None:
        stmt = stmt.where(EventLog.dttm < before)
    if after is not None:
        stmt = stmt.where(EventLog.dttm > after)
    if included := _names(included_events):
        stmt = stmt.where(EventLog.event.in_(included))
    if excluded := _names(excluded_events):
        stmt = stmt.where(EventLog.event.not_in(excluded))
    page = paginate(
        stmt,
        limit=limit,
        offset=offset,
        order_by=order_by,
        sortable=EVENT_LOG_SORTABLE,
        default="event_log_id",
        tiebreak=[EventLog.id],
    )
    return {"event_logs": dump_many(event_log_schema, page.rows), "total_entries": page.total}


def get_event_log(event_log_id: int) -> dict[str, Any]:
    entry = get_or_404(
        EventLog,
        EventLog.id == event_log_id,
        _visible(),
        title="Event log not found",
        detail=f"Event log entry {event_log_id} not found",
    )
    return dump(event_log_schema, entry)
