"""Connections: list, create, read, change, delete, and try one (when the administrator allows it)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select

from orchestrator_api import db
from orchestrator_api.config import PREFIX, get_settings
from orchestrator_api.connection_testing import Target, try_connection
from orchestrator_api.models.resources import Connection
from orchestrator_api.pagination import SortColumn, paginate
from orchestrator_api.patching import PatchRules, apply_patch
from orchestrator_api.problems import PermissionDenied
from orchestrator_api.queries import get_or_404, refuse_duplicate
from orchestrator_api.schemas.common import dump, dump_many
from orchestrator_api.schemas.connection import (
    connection_item_schema,
    connection_schema,
    connection_summary_schema,
    connection_test_schema,
    restore_masked_extra,
)
from orchestrator_api.security.permissions import sees_connection_secrets
from orchestrator_api.security.principal import current_principal

CONNECTION_SORTABLE: dict[str, SortColumn] = {
    "id": Connection.id,
    "connection_id": Connection.conn_id,
    "conn_type": Connection.conn_type,
    "description": Connection.description,
    "host": Connection.host,
    "port": Connection.port,
}

# Airflow merges a connection PATCH (fields left out keep their values) and never changes its id.
PATCH_RULES = PatchRules(
    frozen={"connection_id": "connection_id cannot be changed; it must equal the connection id in the path"},
    replace=False,
)


def _connection_or_404(connection_id: str) -> Connection:
    return get_or_404(
        Connection,
        Connection.conn_id == connection_id,
        title="Connection not found",
        detail=f"Connection {connection_id!r} not found",
    )


def get_connections(limit: int | None = None, offset: int = 0, order_by: str | None = None) -> dict[str, Any]:
    page = paginate(
        select(Connection),
        limit=limit,
        offset=offset,
        order_by=order_by,
        sortable=CONNECTION_SORTABLE,
        default="id",
        tiebreak=[Connection.id],
    )
    schema = (
        connection_item_schema if sees_connection_secrets(current_principal()) else connection_summary_schema
    )
    return {"connections": dump_many(schema, page.rows), "total_entries": page.total}


def post_connection(body: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = connection_schema.load(body)
    conn_id = values["conn_id"]
    refuse_duplicate(Connection.conn_id == conn_id, detail=f"Connection {conn_id!r} already exists")
    connection = Connection(**values)
    session = db.session()
    session.add(connection)
    session.flush()
    return dump(connection_schema, connection)


def get_connection(connection_id: str) -> dict[str, Any]:
    schema = connection_schema if sees_connection_secrets(current_principal()) else connection_summary_schema
    return dump(schema, _connection_or_404(connection_id))


def patch_connection(
    connection_id: str, body: dict[str, Any], update_mask: list[str] | None = None
) -> dict[str, Any]:
    connection = _connection_or_404(connection_id)
    stored_extra = connection.extra
    changed = apply_patch(connection, body, update_mask, schema=connection_schema, rules=PATCH_RULES)
    if "extra" in changed:
        # An answer of ours carries `***` in place of secrets; sending it back must not overwrite them.
        connection.extra = restore_masked_extra(connection.extra, stored_extra)
    return dump(connection_schema, connection)


def delete_connection(connection_id: str) -> tuple[str, int]:
    _connection_or_404(connection_id)
    db.session().execute(delete(Connection).where(Connection.conn_id == connection_id))
    return "", 204


def test_connection(body: dict[str, Any]) -> dict[str, Any]:
    if not get_settings().test_connection:
        raise PermissionDenied(
            title="Testing connections is disabled",
            detail=f"Testing connections is disabled; the administrator can enable it with "
            f"{PREFIX}TEST_CONNECTION=true",
        )
    values: dict[str, Any] = connection_schema.load(body, partial=("connection_id",))
    outcome = try_connection(
        Target(
            conn_type=values["conn_type"],
            host=values.get("host"),
            port=values.get("port"),
            schema=values.get("schema"),
            login=values.get("login"),
            password=values.get("password"),
        )
    )
    return dump(connection_test_schema, outcome)
