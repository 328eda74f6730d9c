"""The audit trail: every successful mutating operation writes one event-log row, in the same transaction.

The resolver calls :func:`record` after a handler returns; handlers that know more (the logical date of the
run they touched, how many rows changed) add it with :func:`annotate`. Secrets never reach the row: every
argument goes through :func:`~orchestrator_api.redaction.mask_secrets`.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import flask
from sqlalchemy.orm import Session

from orchestrator_api import db
from orchestrator_api.models.event_log import EventLog
from orchestrator_api.redaction import mask_secrets
from orchestrator_api.security.principal import Principal

# The `event` each mutating operation is recorded under: Airflow 2.10.5's names, so an audit dashboard that
# filters on them finds our rows too. Airflow names an event after its handler function (= the operationId)
# with an `api.` prefix, except variables and connections, named `<resource>.<create|edit|delete>`; the
# mapped note goes through the unmapped handler, so Airflow records it under that one's name. Operations
# Airflow does not record (users, roles, reparse, connection test) and our extensions follow the same
# `api.<operationId>` pattern.
EVENT_NAMES: dict[str, str] = {
    "post_variables": "api.variable.create",
    "patch_variable": "api.variable.edit",
    "delete_variable": "api.variable.delete",
    "post_connection": "api.connection.create",
    "patch_connection": "api.connection.edit",
    "delete_connection": "api.connection.delete",
    "set_mapped_task_instance_note": "api.set_task_instance_note",
}


def event_name(operation_id: str) -> str:
    """The event-log `event` under which ``operation_id`` is recorded."""
    return EVENT_NAMES.get(operation_id, f"api.{operation_id}")


# Arguments that identify what was acted on get their own columns; the rest go to `extra`.
_COLUMNS = {"dag_id": "dag_id", "dag_run_id": "run_id", "task_id": "task_id", "map_index": "map_index"}


def annotate(**fields: Any) -> None:
    """Add details to this request's audit row (``execution_date=...``, ``detail=...``).

    ``owner=`` names the actor of an operation that authenticates in its handler rather than through a
    security scheme (a trigger token in the path), where the resolver has no principal to record.
    """
    notes: dict[str, Any] = flask.g.setdefault("audit_notes", {})
    notes.update(fields)


def record(operation_id: str, principal: Principal | None, arguments: Mapping[str, Any]) -> EventLog:
    """Add the event-log row for ``operation_id`` to the request's session."""
    notes: dict[str, Any] = flask.g.pop("audit_notes", {})
    columns: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for name, value in arguments.items():
        column = _COLUMNS.get(name)
        if column and value is not None and value != "~":
            columns[column] = value
        elif name == "task_try_number":
            columns["try_number"] = value
        else:
            extra[name] = _jsonable(value)
    if "detail" in notes:
        extra["detail"] = _jsonable(notes["detail"])
    execution_date = notes.get("execution_date")
    owner = principal.username if principal else notes.get("owner")
    entry = EventLog(
        event=event_name(operation_id),
        owner=owner,
        owner_display_name=owner,
        execution_date=execution_date if isinstance(execution_date, datetime) else None,
        extra=json.dumps(mask_secrets(extra), sort_keys=True, default=str) if extra else None,
        **{k: v for k, v in notes.items() if k in {"dag_id", "run_id", "task_id", "map_index", "try_number"}},
        **{k: v for k, v in columns.items() if k not in notes},
    )
    db.session().add(entry)
    return entry


def record_command(session: Session, event: str, *, dag_id: str | None, detail: Mapping[str, Any]) -> None:
    """Add the event-log row of a CLI command that changed something (the owner is the OS user)."""
    owner = f"cli:{getpass.getuser()}"
    extra = json.dumps({"detail": _jsonable(detail)}, sort_keys=True)
    session.add(EventLog(event=event, owner=owner, owner_display_name=owner, dag_id=dag_id, extra=extra))


def _jsonable(value: Any) -> Any:
    if isinstance(value, bytes):  # a non-JSON body (a YAML definition): its size, not its text
        return f"<{len(value)} bytes>"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value
