"""The audit trail: every mutating request that passes authentication, authorization and the spec's
validation writes one event-log row, as Airflow's ``action_logging`` does, even when its handler refuses it.

The resolver builds the row with :func:`pending` before the handler runs, then :func:`record` adds it to the
request's transaction (a change and its row commit together), or :func:`record_refused` writes it on its
own when the handler raised (the request's transaction is rolled back). Handlers of extensions that know
more add it with :func:`annotate`. Secrets never reach the row: it goes through
:func:`~orchestrator_api.redaction.mask_secrets`.
"""

from __future__ import annotations

import getpass
import json
import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import flask
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from orchestrator_api import db
from orchestrator_api.models.event_log import EventLog
from orchestrator_api.redaction import MASK, is_sensitive, mask_secrets
from orchestrator_api.security.principal import Principal
from orchestrator_api.timeutil import parse_datetime

log = logging.getLogger(__name__)

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


# Airflow's mapped-instance PATCH hands the request to the unmapped one, which records it again under its
# own name: two rows per request, the second one a twin of the first.
ALSO_RECORDED_AS: dict[str, str] = {"api.patch_mapped_task_instance": "api.patch_task_instance"}


def event_name(operation_id: str) -> str:
    """The event-log `event` under which ``operation_id`` is recorded."""
    return EVENT_NAMES.get(operation_id, f"api.{operation_id}")


# Query and path parameters Airflow keeps out of `extra` (the first four have columns of their own).
_NOT_EXTRA = frozenset(
    {"dag_id", "task_id", "dag_run_id", "run_id", "execution_date", "is_paused", "csrf_token", "_csrf_token"}
)
NON_JSON_EXTRA = "Encountered non-JSON in `extra` field"


def annotate(**fields: Any) -> None:
    """Add details to an extension's audit row (``detail=...``, ``dag_id=...``, ``execution_date=...``).

    ``owner=`` names the actor of an operation that authenticates in its handler rather than through a
    security scheme (a trigger token in the path), where the resolver has no principal to record.
    """
    notes: dict[str, Any] = flask.g.setdefault("audit_notes", {})
    notes.update(fields)


def pending(operation_id: str, principal: Principal | None) -> dict[str, Any]:
    """The event-log row of this request, as Airflow's ``action_logging`` builds it before the handler runs.

    ``extra`` holds the query and path parameters (bar the identifying ones) and the JSON body's top-level
    fields; variable and connection events hold only the body. Secrets are masked (Airflow keeps a
    variable's value when its key is not named in the body; we never do).
    """
    request = flask.request
    query = dict(request.args.items(multi=True))  # a repeated parameter: the last value, as Airflow
    path = dict(request.view_args or {})
    params = {**query, **path}
    fields = {k: v for k, v in params.items() if k not in _NOT_EXTRA}
    body = request.get_json(silent=True) if request.is_json else None
    json_body = body if isinstance(body, dict) and body else None
    event = event_name(operation_id)
    extra: dict[str, Any]
    if event.startswith(("api.variable.", "api.connection.")):
        extra = dict(json_body) if json_body is not None else fields
        if event.startswith("api.connection.") and isinstance(extra.get("extra"), str) and extra["extra"]:
            extra["extra"] = _connection_extra(extra["extra"])
    else:
        extra = {**fields, **(json_body or {})}
    if "is_paused" in query:
        extra["is_paused"] = query["is_paused"] == "false"  # sic: Airflow records the opposite
    try:
        masked = mask_secrets(extra)
    except RecursionError:  # a body nested too deep to inspect keeps none of its values
        masked = dict.fromkeys(extra, MASK)
    path_key = path.get("variable_key")
    if isinstance(path_key, str) and is_sensitive(path_key) and "value" in masked:
        masked["value"] = MASK  # PATCH /variables/{secret_key} with a body that does not repeat the key
    run_id = params.get("run_id") or params.get("dag_run_id")
    return {
        "event": event,
        "owner": principal.username if principal else None,
        "dag_id": params.get("dag_id"),
        "task_id": params.get("task_id"),
        "run_id": run_id,
        "execution_date": _execution_date(query.get("execution_date")),
        "extra": masked,
    }


def record(row: Mapping[str, Any]) -> EventLog:
    """Add ``row`` (from :func:`pending`, with this request's notes) to the request's session."""
    notes = flask.g.pop("audit_notes", {})
    entries = _entries(row, notes)
    db.session().add_all(entries)
    db.if_commit_fails(lambda: _write_apart(row, notes))  # refused at commit: logged all the same
    return entries[0]


def record_refused(row: Mapping[str, Any]) -> None:
    """Write ``row`` for a request its handler refused, in a transaction of its own.

    The request's transaction is rolled back, yet Airflow has the attempt in its event log (it writes the
    row before the handler runs), so it is committed here, apart. A database that cannot take it does not
    change the answer the caller gets.
    """
    notes = flask.g.pop("audit_notes", {})
    db.discard_request_work()
    _write_apart(row, notes)


def _write_apart(row: Mapping[str, Any], notes: Mapping[str, Any]) -> None:
    try:
        with db.session_factory()() as session, session.begin():
            session.add_all(_entries(row, notes))
    except SQLAlchemyError as exc:
        log.warning("audit row of a refused %s not written: %s", row["event"], type(exc).__name__)


def _entries(row: Mapping[str, Any], notes: Mapping[str, Any]) -> list[EventLog]:
    twin = ALSO_RECORDED_AS.get(row["event"])
    return [_entry(row, notes)] + ([_entry({**row, "event": twin}, notes)] if twin else [])


def _entry(row: Mapping[str, Any], notes: Mapping[str, Any]) -> EventLog:
    extra = dict(row["extra"])
    if "detail" in notes:
        extra["detail"] = _jsonable(notes["detail"])
    owner = row["owner"] or notes.get("owner")
    columns = {k: notes.get(k) or row[k] for k in ("dag_id", "task_id", "run_id")}
    return EventLog(
        event=row["event"],
        owner=owner,
        owner_display_name=owner,
        execution_date=notes.get("execution_date") or row["execution_date"],
        extra=json.dumps(_jsonable(extra), default=str),
        **columns,
    )


def _execution_date(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return parse_datetime(value)
    except ValueError:
        return None  # Airflow logs the failure and leaves the column empty


def _connection_extra(text: str) -> Any:
    """A connection's ``extra`` in the audit row: the object it holds, masked, as Airflow records it."""
    try:
        parsed = json.loads(text)
    except ValueError:
        return NON_JSON_EXTRA
    except RecursionError:  # nested too deep to inspect: judged as a whole, like the answer's extra
        return MASK
    return parsed if isinstance(parsed, dict) else text


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
