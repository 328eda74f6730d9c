"""Rewrite every stored secret with the current keys (``orchestrator-api secrets rotate``): after turning
encryption on, or after putting a new key first, so the old one can then be dropped."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from orchestrator_api.models.resources import Connection, Variable

SEALED: tuple[tuple[Any, tuple[InstrumentedAttribute[Any], ...]], ...] = (
    (Connection, (Connection.password, Connection.extra)),
    (Variable, (Variable.val,)),
)


def reseal_secrets(session: Session) -> int:
    """Read every sealed value (with any configured key) and write it back sealed with the first key.

    ``updated_at`` is written back unchanged: the values themselves do not change.
    Returns how many values were rewritten.
    """
    rewritten = 0
    for model, columns in SEALED:
        rows = session.execute(select(model.id, model.updated_at, *columns)).mappings().all()
        if rows:
            # ORM bulk UPDATE by primary key: one executemany per table, each value sealed on the way in.
            session.execute(update(model), [dict(row) for row in rows])
        rewritten += sum(1 for row in rows for column in columns if row[column.key] is not None)
    return rewritten
