"""The one scoping rule: every ORM statement sees and changes the current organization's rows only.

A ``do_orm_execute`` listener adds ``organization_id = <current>`` for every ``OrgScoped`` entity a SELECT,
UPDATE or DELETE touches (joins, relationship loads and aliases included), and the ``organization_id``
column's default puts new rows in the current organization. Handlers therefore never filter by
organization themselves. Statements that bypass the ORM (``Connection.execute``, ``text()``) are not
covered; the code base has none on scoped tables outside migrations, and a test keeps it that way.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from orchestrator_api.models.organization import OrgScoped
from orchestrator_api.tenancy.context import current_organization_id, is_scoped


def _limit_to_organization(state: ORMExecuteState) -> None:
    if state.is_column_load or not (state.is_select or state.is_update or state.is_delete):
        return
    if not is_scoped():
        return
    organization = current_organization_id()
    state.statement = state.statement.options(
        with_loader_criteria(
            OrgScoped,
            lambda cls: cls.organization_id == organization,
            include_aliases=True,
        )
    )


def _join_current_organization(target: OrgScoped, _args: Any, kwargs: dict[str, Any]) -> None:
    # At construction, not at flush: a row belongs to the organization it was made in, even when the
    # session flushes it later (e.g. at commit, after a scheduler pass moved on to the next organization).
    kwargs.setdefault("organization_id", current_organization_id())


def install() -> None:
    """Apply the rule to every session and every new row (idempotent)."""
    if not event.contains(Session, "do_orm_execute", _limit_to_organization):
        event.listen(Session, "do_orm_execute", _limit_to_organization)
    if not event.contains(OrgScoped, "init", _join_current_organization):
        event.listen(OrgScoped, "init", _join_current_organization, propagate=True)
