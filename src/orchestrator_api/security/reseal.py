"""Rewrite every stored secret with the current keys (``orchestrator-api secrets rotate``): after turning
encryption on, or after putting a new key first, so the old one can then be dropped."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from orchestrator_api.models.resources import Connection, Variable

SEALED: tuple[tuple[Any, tuple[InstrumentedAttribute[Any], ...]], ...] = (
    (Connection, (Connection.password, Connection.extra)),
    (Variable, (Variable.val,)),
)


def reseal_secrets(
    session: Session, *, batch: int = 500, progress: Callable[[int, int], None] | None = None
) -> int:
    """Read every sealed value (with any configured key) and write it back sealed with the first key.

    ``updated_at`` is written back unchanged: the values themselves do not change. Rows are written in
    batches of ``batch``; ``progress(rows_done, rows_total)`` is called after each batch.
    Returns how many values were rewritten.
    """
    rewritten = 0
    tables = [(model, columns, session.execute(select(model.id, model.updated_at, *columns)).mappings().all())
              for model, columns in SEALED]  # fmt: skip
    total = sum(len(rows) for _, _, rows in tables)
    done = 0
    for model, columns, rows in tables:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            # ORM bulk UPDATE by primary key: one executemany per batch, each value sealed on the way in.
            session.execute(update(model), [dict(row) for row in chunk])
            done += len(chunk)
            if progress is not None:
                progress(done, total)
        rewritten += sum(1 for row in rows for column in columns if row[column.key] is not None)
    return rewritten
