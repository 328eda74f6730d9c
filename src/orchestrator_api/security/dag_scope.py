"""The DAG scope of an organization token as SQL: the same kind of condition as per-DAG permissions.

A token narrowed with ``dag_ids`` and/or ``dag_tags`` covers a DAG whose id is listed or which carries one
of the tags now (tags are looked up when the token is used, so retagging a DAG moves it in or out).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, or_, select, true

from orchestrator_api import db
from orchestrator_api.models.dag import DagTag
from orchestrator_api.security.principal import DagScope, Principal


def scope_condition(scope: DagScope, column: Any) -> ColumnElement[bool]:
    """A WHERE condition keeping rows whose DAG (``column``) the scope covers."""
    conditions: list[ColumnElement[bool]] = []
    if scope.ids:
        conditions.append(column.in_(sorted(scope.ids)))
    if scope.tags:
        tagged = select(DagTag.dag_id).where(DagTag.name.in_(sorted(scope.tags)))
        conditions.append(column.in_(tagged))
    return or_(*conditions) if conditions else true()


def covers(scope: DagScope, dag_id: str) -> bool:
    """Whether the scope covers the DAG ``dag_id`` (a query only when its tags decide)."""
    if dag_id in scope.ids:
        return True
    if not scope.tags:
        return False
    stmt = select(DagTag.dag_id).where(DagTag.dag_id == dag_id, DagTag.name.in_(sorted(scope.tags))).limit(1)
    return db.session().scalar(stmt) is not None


def scoped_rows(principal: Principal, column: Any) -> ColumnElement[bool]:
    """For rows every DAG reader sees (dataset events): a DAG-scoped token sees those of its DAGs only."""
    if principal.dag_scope is None:
        return true()
    return scope_condition(principal.dag_scope, column)
