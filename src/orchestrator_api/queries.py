"""Small query helpers every handler uses: fetch-or-404 and the LIKE pattern for ``*_pattern`` filters."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import InstrumentedAttribute

from orchestrator_api import db
from orchestrator_api.models.dag import Dag
from orchestrator_api.problems import NotFound

T = TypeVar("T")


def get_or_404(model: type[T], *conditions: ColumnElement[bool], detail: str, title: str | None = None) -> T:
    """The one row matching ``conditions``, or a 404 problem with ``detail``."""
    row = db.session().scalars(select(model).where(*conditions)).first()
    if row is None:
        raise NotFound(detail=detail, title=title)
    return row


def dag_or_404(dag_id: str) -> Dag:
    return get_or_404(Dag, Dag.dag_id == dag_id, title="DAG not found", detail=f"DAG {dag_id!r} not found")


def contains(column: InstrumentedAttribute[Any] | ColumnElement[Any], text: str) -> ColumnElement[bool]:
    """Case-insensitive "contains", with LIKE's wildcards in ``text`` taken literally."""
    return column.icontains(text, autoescape=True)
