"""Reads and writes for connection, variable and pool tests that the API cannot do (by design)."""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from sqlalchemy import select

from orchestrator_api import db
from orchestrator_api.models import Connection, EventLog
from tests import factories

ETL_TASKS = ["extract_orders", "clean_orders", "load_fact_sales", "notify_done"]


def stored_connection(conn_id: str) -> dict[str, Any]:
    """The connection row as stored, password included (the API never answers it)."""
    with db.transaction() as session:
        row = session.scalars(select(Connection).where(Connection.conn_id == conn_id)).one()
        return {"password": row.password, "extra": row.extra, "host": row.host, "conn_type": row.conn_type}


def event_log(event: str | None = None) -> list[dict[str, Any]]:
    """Every audit row (optionally of one operation), as plain dicts of all its columns."""
    with db.transaction() as session:
        stmt = select(EventLog).order_by(EventLog.id)
        if event is not None:
            stmt = stmt.where(EventLog.event == event)
        return [
            {column.key: getattr(row, column.key) for column in EventLog.__table__.columns}
            for row in session.scalars(stmt)
        ]


def etl_run_in_pool(run_id: str, logical_date: datetime, pool: str, **states: tuple[str, int]) -> None:
    """A run of the example ``etl_daily`` whose task instances sit in ``pool``.

    ``states`` maps task ids to ``(state, pool_slots)``; tasks not named stay without a state.
    """
    factories.dag_run("etl_daily", run_id, logical_date, state="running", task_ids=ETL_TASKS)
    for task_id, (state, slots) in states.items():
        factories.set_task_instance("etl_daily", run_id, task_id, state=state, pool=pool, pool_slots=slots)


@contextmanager
def http_server(login: str, password: str) -> Iterator[int]:
    """A local HTTP server on a free port: GET /ok is 200, other paths 404, wrong basic credentials 401."""
    expected = "Basic " + base64.b64encode(f"{login}:{password}".encode()).decode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            sent = self.headers.get("Authorization")
            if sent is not None and sent != expected:
                self.send_response(401)
            else:
                self.send_response(200 if self.path == "/ok" else 404)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()
