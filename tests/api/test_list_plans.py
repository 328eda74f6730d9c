"""The main lists' pages are served from indexes that fit them, as EXPLAIN shows on both backends.

A list page must not sort its whole table (the sort order comes from an index, so LIMIT stops the walk
early) and must not scan a table row by row. Every list filters by organization, so the index that reads
the listed table must start with ``organization_id`` followed by the list's own filter and sort key: an
index on the organization alone (or on the filter alone) makes the database read a whole organization or
table to find and sort a page, which a small test database hides and a million rows do not. Other big
tables may only be joined by a unique key. On PostgreSQL the planner is told that sequential scans and
sorts are expensive (``enable_seqscan``/``enable_sort`` off), so the plan shows whether an index *can*
serve the query at all, whatever the size of a test database.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event, text

from orchestrator_api import db
from tests import runs_scenarios

BIG_TABLES = ("dag", "dag_run", "task_instance", "log")
ORG = "organization_id"
INSTANCES = "/api/v1/dags/~/dagRuns/~/taskInstances"

# The lists of the bench (issue 14) and the filters and sort keys most used with them: URL -> the listed
# table, the columns the index that reads a page must start with (filter, then sort key), and those the
# index that counts must start with (the filter alone: a count has no order).
LISTS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "/api/v1/dags?limit=1": ("dag", (ORG, "is_active", "dag_id"), (ORG, "is_active")),
    "/api/v1/dags?limit=1&only_active=false": ("dag", (ORG, "dag_id"), (ORG,)),
    "/api/v1/dags/chain/dagRuns?limit=1": ("dag_run", (ORG, "dag_id", "id"), (ORG, "dag_id")),
    "/api/v1/dags/~/dagRuns?limit=1": ("dag_run", (ORG, "id"), (ORG,)),
    "/api/v1/dags/~/dagRuns?limit=1&state=success": ("dag_run", (ORG, "state", "id"), (ORG, "state")),
    "/api/v1/dags/~/dagRuns?limit=1&order_by=-execution_date": ("dag_run", (ORG, "logical_date"), (ORG,)),
    "/api/v1/dags/~/dagRuns?limit=1&order_by=start_date": ("dag_run", (ORG, "start_date"), (ORG,)),
    f"{INSTANCES}?limit=1": ("task_instance", (ORG, "id"), (ORG,)),
    f"{INSTANCES}?limit=1&state=failed": ("task_instance", (ORG, "state", "id"), (ORG, "state")),
    f"{INSTANCES}?limit=1&order_by=-start_date": ("task_instance", (ORG, "start_date"), (ORG,)),
    f"{INSTANCES}?limit=1&order_by=end_date": ("task_instance", (ORG, "end_date"), (ORG,)),
    "/api/v1/dags/chain/dagRuns/~/taskInstances?limit=1": (
        "task_instance",
        (ORG, "dag_id", "id"),
        (ORG, "dag_id"),
    ),
    "/api/v1/eventLogs?limit=1": ("log", (ORG, "id"), (ORG,)),
    "/api/v1/eventLogs?limit=1&order_by=-when": ("log", (ORG, "dttm"), (ORG,)),
}


@pytest.fixture
def runs(client: Any, admin: Any, dag_folder: Any, example_dags: Any) -> None:
    dag_folder({"chain.yaml": runs_scenarios.INSTANCES_DAG})
    runs_scenarios.instances_in_two_dags()
    client.patch("/api/v1/dags/chain", json={"is_paused": True}, auth=admin)  # one event log entry at least
    client.patch("/api/v1/dags/chain", json={"is_paused": False}, auth=admin)


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


def _postgres() -> bool:
    return db.engine().dialect.name == "postgresql"


def _plan(statement: str, parameters: Any) -> list[str]:
    with db.engine().connect() as conn:
        if conn.dialect.name == "sqlite":
            rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
            return [str(row[3]) for row in rows]
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        conn.exec_driver_sql("SET LOCAL enable_sort = off")
        return [str(row[0]) for row in conn.exec_driver_sql(f"EXPLAIN {statement}", parameters).all()]


def _index(name: str) -> tuple[str, tuple[str, ...], bool]:
    """The table, columns and uniqueness of an index, from the database's own catalogue."""
    with db.engine().connect() as conn:
        if conn.dialect.name == "sqlite":
            table = conn.execute(
                text("SELECT tbl_name FROM sqlite_master WHERE type = 'index' AND name = :n"), {"n": name}
            ).scalar_one()
            columns = conn.execute(text("SELECT name FROM pragma_index_info(:n) ORDER BY seqno"), {"n": name})
            unique = conn.execute(
                text('SELECT "unique" FROM pragma_index_list(:t) WHERE name = :n'), {"t": table, "n": name}
            ).scalar_one()
            return str(table), tuple(str(c) for c in columns.scalars()), bool(unique)
        row = conn.execute(
            text(
                "SELECT t.relname, i.indisunique, array_agg(a.attname ORDER BY k.n) "
                "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "JOIN pg_class t ON t.oid = i.indrelid "
                "CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, n) "
                "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
                "WHERE c.relname = :n GROUP BY t.relname, i.indisunique"
            ),
            {"n": name},
        ).one()
        return str(row[0]), tuple(row[2]), bool(row[1])


# What a plan line reads: SQLite "SEARCH t USING [COVERING] INDEX i (...)", "SCAN t", "... PRIMARY KEY";
# PostgreSQL "Index [Only] Scan [Backward] using i on t", "Bitmap Index Scan on i", "Seq Scan on t".
_SQLITE_READ = re.compile(
    r"^(SEARCH|SCAN) (\w+)(?: AS \w+)?(?: USING (?:COVERING )?INDEX (\w+)| USING (INTEGER PRIMARY KEY))?"
)
_PG_INDEX = re.compile(r"Index (?:Only )?Scan(?: Backward)? using (\w+) on (\w+)|Bitmap Index Scan on (\w+)")
_PG_SEQ = re.compile(r"Seq Scan on (\w+)")


def _reads(plan: list[str]) -> list[tuple[str, str, str | None]]:
    """(plan line, table, index or None for a row-by-row read) for every read of a big table."""
    found: list[tuple[str, str, str | None]] = []
    for line in plan:
        if match := _SQLITE_READ.search(line.strip()):
            kind, table, index, rowid = match.groups()
            if kind == "SCAN" and index is None:
                index = None  # the table itself, in rowid order
            found.append((line, table, index or ("rowid" if rowid else None)))
        elif match := _PG_INDEX.search(line):
            index = match.group(1) or match.group(3)
            found.append((line, _index(index)[0], index))
        elif match := _PG_SEQ.search(line):
            found.append((line, match.group(1), None))
    return [read for read in found if read[1] in BIG_TABLES]


def _problems(plan: list[str], listed: str, prefix: tuple[str, ...]) -> list[str]:
    """Plan lines that sort a whole result, read a big table row by row, read the listed table through an
    index that does not start with ``prefix``, or join another big table by anything but a unique key.

    PostgreSQL picks among the indexes that fit by their statistics, which a test database of a few rows
    does not have (any index then costs about the same): there, every big table must be read through an
    index that starts with the organization, and `test_every_list_has_an_index_that_fits` checks that
    the one that fits exists.
    """
    found = [line for line in plan if re.search(r"TEMP B-TREE FOR ORDER BY|^\s*(->\s+)?Sort\s+\(", line)]
    for line, table, index in _reads(plan):
        if index is None:
            found.append(line)
        elif index == "rowid":  # SQLite's integer primary key: a lookup by id, or the id order itself
            if table == listed:
                found.append(line)  # every list filters by organization: by id, it reads them all
        else:
            _, columns, unique = _index(index)
            if _postgres():
                if columns[:1] != (ORG,):
                    found.append(f"{line} [index on {', '.join(columns)}]")
            elif table == listed and columns[: len(prefix)] != prefix:
                found.append(f"{line} [index on {', '.join(columns)}]")
            elif table != listed and not unique:
                found.append(f"{line} [joined by a non-unique index]")
    return found


def _indexes_of(table: str) -> list[tuple[str, ...]]:
    """The columns of every index of ``table`` (unique constraints and primary keys included)."""
    with db.engine().connect() as conn:
        if conn.dialect.name == "sqlite":
            names = conn.execute(text("SELECT name FROM pragma_index_list(:t)"), {"t": table}).scalars()
        else:
            names = conn.execute(
                text(
                    "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                    "JOIN pg_class t ON t.oid = i.indrelid WHERE t.relname = :t"
                ),
                {"t": table},
            ).scalars()
        found = list(names)
    return [_index(name)[1] for name in found]


def _list_statements(client: Any, admin: Any, statements: list[tuple[str, Any]], url: str) -> list[Any]:
    client.get(url, auth=admin)  # credentials cached: only the list's own statements follow
    statements.clear()
    response = client.get(url, auth=admin)
    assert response.status_code == 200, response.text
    listed = [(s, p) for s, p in statements if not re.search(r"\bFROM (users|instance_meta)\b", s)]
    assert listed, "the list ran no statement"
    return listed


@pytest.mark.parametrize("url", list(LISTS))
def test_list_pages_read_an_index_that_fits_them(client, admin, runs, statements, url):
    listed, page_prefix, count_prefix = LISTS[url]
    for statement, parameters in _list_statements(client, admin, statements, url):
        prefix = count_prefix if statement.startswith("SELECT count(") else page_prefix
        plan = _plan(statement, parameters)
        assert not _problems(plan, listed, prefix), (statement, plan)


@pytest.mark.parametrize("url", list(LISTS))
def test_every_list_has_an_index_that_fits(url):
    listed, page_prefix, count_prefix = LISTS[url]
    indexes = _indexes_of(listed)
    for prefix in (page_prefix, count_prefix):
        assert any(columns[: len(prefix)] == prefix for columns in indexes), (prefix, indexes)


def test_the_unfiltered_instance_list_counts_without_reading_instances(client, admin, runs, statements):
    # Its total comes from the per-DAG counts the database keeps: only the page reads task_instance.
    listed = _list_statements(client, admin, statements, f"{INSTANCES}?limit=1")
    reading = [s for s, _ in listed if re.search(r"\bFROM task_instance\b", s)]
    assert len(reading) == 1, reading
    assert any("task_instance_count" in s for s, _ in listed)


def test_the_check_catches_a_sort_a_scan_and_an_index_that_does_not_fit(client, admin, runs):
    # The same check on statements no fitting index serves: it must report them.
    assert _problems(_plan("SELECT * FROM task_instance ORDER BY note", ()), "task_instance", (ORG,))
    by_state = "SELECT id FROM task_instance WHERE state = 'failed' ORDER BY id"
    assert _problems(_plan(by_state, ()), "task_instance", (ORG, "state"))
    if _postgres():
        assert any("Seq Scan on task_instance" in line for line in _plan("SELECT * FROM task_instance", ()))
    else:
        assert _problems(["SEARCH dag_run USING INDEX ix_dag_run_dag_id_state (dag_id=?)"], "dag_run", (ORG,))
