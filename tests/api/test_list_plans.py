"""The main lists' default pages are served from indexes, as EXPLAIN shows on both backends.

A list page must not sort its whole table (the sort order comes from an index, so LIMIT stops the walk
early) and must not scan a table row by row; its count reads an index, never the table joined to others.
On PostgreSQL the planner is told that sequential scans and sorts are expensive
(``enable_seqscan``/``enable_sort`` off), so the plan shows whether an index *can* serve the query at all,
whatever the size of a test database.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event

from orchestrator_api import db
from tests import runs_scenarios

LISTS = [
    "/api/v1/dags?limit=1",
    "/api/v1/dags/chain/dagRuns?limit=1",
    "/api/v1/dags/~/dagRuns?limit=1",
    "/api/v1/dags/~/dagRuns/~/taskInstances?limit=1",
    "/api/v1/dags/~/dagRuns/~/taskInstances?limit=1&state=failed",
    "/api/v1/dags/~/dagRuns/~/taskInstances?limit=1&order_by=-start_date",
    "/api/v1/eventLogs?limit=1",
]
BIG_TABLES = ("dag", "dag_run", "task_instance", "log")


@pytest.fixture
def runs(dag_folder: Any, example_dags: Any) -> None:
    dag_folder({"chain.yaml": runs_scenarios.INSTANCES_DAG})
    runs_scenarios.instances_in_two_dags()


@pytest.fixture
def statements() -> Iterator[list[tuple[str, Any]]]:
    """Every statement the engine runs while the test is active, with its parameters."""
    seen: list[tuple[str, Any]] = []

    def collect(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(db.engine(), "before_cursor_execute", collect)
    yield seen
    event.remove(db.engine(), "before_cursor_execute", collect)


def _plan(statement: str, parameters: Any) -> list[str]:
    with db.engine().connect() as conn:
        if conn.dialect.name == "sqlite":
            rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
            return [str(row[3]) for row in rows]
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        conn.exec_driver_sql("SET LOCAL enable_sort = off")
        return [str(row[0]) for row in conn.exec_driver_sql(f"EXPLAIN {statement}", parameters).all()]


def _problems(plan: list[str]) -> list[str]:
    """Plan lines that read a big table row by row or sort a whole result."""
    found = []
    for line in plan:
        if re.search(r"TEMP B-TREE FOR ORDER BY|^\s*(->\s+)?Sort\s+\(", line):
            found.append(line)
        for table in BIG_TABLES:
            # SQLite: "SCAN t" alone is a table scan, but in rowid order it is the primary key index
            # walked in the page's order (no temp b-tree then), which LIMIT stops early.
            if re.search(rf"Seq Scan on {table}\b", line):
                found.append(line)
    return found


@pytest.mark.parametrize("url", LISTS)
def test_default_pages_use_indexes(client, admin, runs, statements, url):
    client.get(url, auth=admin)  # credentials cached: only the list's own statements follow
    statements.clear()
    response = client.get(url, auth=admin)
    assert response.status_code == 200, response.text
    listed = [(s, p) for s, p in statements if not re.search(r"\bFROM (users|instance_meta)\b", s)]
    assert listed, "the list ran no statement"
    for statement, parameters in listed:
        plan = _plan(statement, parameters)
        assert not _problems(plan), (statement, plan)


def test_the_check_catches_a_sort_and_a_scan(client, admin, runs):
    # The same check on statements that cannot use an index: it must report them.
    assert _problems(_plan("SELECT * FROM task_instance ORDER BY note", ()))
    with db.engine().connect() as conn:
        postgres = conn.dialect.name == "postgresql"
    if postgres:
        assert any("Seq Scan on task_instance" in line for line in _plan("SELECT * FROM task_instance", ()))
