"""Small query helpers every handler uses: fetch-or-404 and the LIKE pattern for ``*_pattern`` filters."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import ColumnElement, Row, Select, exists, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session, load_only

from orchestrator_api import db
from orchestrator_api.models.dag import Dag, DagTag
from orchestrator_api.problems import AlreadyExists, NotFound

if TYPE_CHECKING:
    from sqlalchemy.dialects import postgresql, sqlite

T = TypeVar("T")


def upsert(session: Session, table: Any) -> postgresql.Insert | sqlite.Insert:
    """An ``INSERT`` for the session's backend, with its ``ON CONFLICT`` clauses (PostgreSQL or SQLite).

    The dialect is imported on first use: loading the PostgreSQL one costs an API worker on SQLite ~3 MiB.
    """
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert(table)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table)


def get_or_404(model: type[T], *conditions: ColumnElement[bool], detail: str, title: str | None = None) -> T:
    """The one row matching ``conditions``, or a 404 problem with ``detail``."""
    row = db.session().scalars(select(model).where(*conditions)).first()
    if row is None:
        raise NotFound(detail=detail, title=title)
    return row


def refuse_duplicate(condition: ColumnElement[bool], *, detail: str) -> None:
    """409 when a row matching ``condition`` exists: a create or rename would clash with it.

    The check runs without autoflush, so an object already changed in the session (a rename) is not
    written first, which would fail on the unique constraint instead of answering this problem.
    """
    session = db.session()
    with session.no_autoflush:
        taken = session.scalar(select(exists().where(condition)))
    if taken:
        raise AlreadyExists(detail=detail)


def dag_or_404(dag_id: str) -> Dag:
    """The DAG (with its tag names), or a 404 problem."""
    row = db.session().execute(select_dags().where(Dag.dag_id == dag_id)).first()
    if row is None:
        raise NotFound(title="DAG not found", detail=f"DAG {dag_id!r} not found")
    return with_tag_names([row])[0]


_TAG_SEPARATOR = "\x1f"  # tag names cannot contain control characters (the DAG loader refuses them)


# What the DAG collection shows (schemas.dag.DagSchema): a listed DAG leaves its parameters, documentation
# and schedule definition unread (loading and decoding them took about a tenth of a page's time).
_LISTED_DAG_COLUMNS = (
    Dag.dag_id,
    Dag.dag_display_name,
    Dag.description,
    Dag.fileloc,
    Dag.owners,
    Dag.is_paused,
    Dag.is_active,
    Dag.last_parsed_time,
    Dag.default_view,
    Dag.schedule_interval,
    Dag.timetable_description,
    Dag.max_active_tasks,
    Dag.max_active_runs,
    Dag.max_consecutive_failed_dag_runs,
    Dag.has_task_concurrency_limits,
    Dag.has_import_errors,
    Dag.next_dagrun,
    Dag.next_dagrun_data_interval_start,
    Dag.next_dagrun_data_interval_end,
    Dag.next_dagrun_create_after,
)


def select_dags(*, listing: bool = False) -> Select[Dag, str | None]:
    """DAGs with their tag names folded into one aggregate column: a page of DAGs is one statement.

    ``listing``: only the columns a DAG collection shows are read; reading another one raises instead of
    costing a query per DAG.
    """
    names = (
        select(func.aggregate_strings(DagTag.name, _TAG_SEPARATOR))
        .where(DagTag.dag_id == Dag.dag_id)
        .scalar_subquery()
    )
    stmt = select(Dag, names.label("tag_names"))
    return stmt.options(load_only(*_LISTED_DAG_COLUMNS, raiseload=True)) if listing else stmt


def with_tag_names(rows: Sequence[Row[Dag, str | None]]) -> list[Dag]:
    """The DAGs of :func:`select_dags` rows, their tag names attached."""
    dags = []
    for dag, names in rows:
        dag.preloaded_tag_names = sorted(names.split(_TAG_SEPARATOR)) if names else []
        dags.append(dag)
    return dags


def contains(column: InstrumentedAttribute[Any] | ColumnElement[Any], text: str) -> ColumnElement[bool]:
    """Case-insensitive "contains", with LIKE's wildcards in ``text`` taken literally."""
    return column.icontains(text, autoescape=True)
