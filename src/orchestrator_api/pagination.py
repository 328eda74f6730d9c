"""``paginate()``: limit capping, offset, the order_by allow-list, a stable tie-breaker and the total.

Handlers build a ``select()`` with their filters and pass the columns clients may sort by; this module is
the only place that reads ``limit``, ``offset`` and ``order_by``. At most two statements run: the page, and
a count when the page alone cannot tell the total.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import QueryableAttribute

from orchestrator_api import db
from orchestrator_api.config import get_settings
from orchestrator_api.problems import BadRequest

T = TypeVar("T")

AnySelect = Select[*tuple[Any, ...]]
"""A SELECT of any number of columns or entities."""

SortColumn = QueryableAttribute[Any] | ColumnElement[Any]
"""A column a client may sort by: a mapped attribute or any SQL expression."""


@dataclass(frozen=True)
class Page(Generic[T]):
    rows: Sequence[T]
    total: int


def effective_limit(limit: int | None, *, capped: bool = True) -> int:
    """The page size: the fallback when absent, never above the configured maximum unless not ``capped``."""
    settings = get_settings()
    if limit is None or limit == 0:  # Airflow reads 0 as "the fallback page size"
        return settings.fallback_page_limit
    if limit < 0:
        raise BadRequest(detail=f"limit must not be negative, got {limit}")
    return min(limit, settings.maximum_page_limit) if capped else limit


def parse_order_by(
    order_by: str | None, sortable: Mapping[str, SortColumn], default: str
) -> ColumnElement[Any]:
    """Turn ``order_by`` (a wire field name, ``-`` in front for descending) into a sort clause.

    The spec lists the accepted values, so connexion refuses others first; this check keeps the code safe
    on its own, since the allow-list is what stands between a query parameter and ORDER BY.
    """
    term = (order_by or default).strip()
    name = term.removeprefix("-")
    column = sortable.get(name)
    if column is None:
        allowed = ", ".join(sorted(sortable))
        raise BadRequest(
            detail=f"Ordering with {name!r} is not supported; order_by accepts {allowed} (- reverses)"
        )
    # NULL sorts as the largest value on every backend (SQLite's default is the opposite of PostgreSQL's).
    return column.desc().nulls_first() if term.startswith("-") else column.asc().nulls_last()


def paginate(
    stmt: AnySelect,
    *,
    limit: int | None,
    offset: int | None,
    order_by: str | None,
    sortable: Mapping[str, SortColumn],
    default: str,
    tiebreak: Sequence[SortColumn],
    scalars: bool = True,
    capped: bool = True,
    count_from: AnySelect | None = None,
) -> Page[Any]:
    """Run one page of ``stmt`` and count the whole filtered set.

    ``tiebreak`` (usually the primary key) is appended to the sort, so rows with equal sort values keep one
    order and consecutive pages never overlap or skip. ``capped=False`` takes ``limit`` as given, for the
    few operations where Airflow does not apply its maximum page size. ``count_from``, when given, is
    counted instead of ``stmt``: the same rows without the joins that cannot change how many there are
    (the page's joins make a count of a large table scan an index per row).
    """
    size = effective_limit(limit, capped=capped)
    start = offset or 0
    if start < 0:
        raise BadRequest(detail=f"offset must not be negative, got {start}")
    sorted_by = sortable.get((order_by or default).strip().removeprefix("-"))
    # A tie-breaker that is the sort column itself adds nothing but a sort step the index cannot serve.
    ordering = [
        parse_order_by(order_by, sortable, default),
        *(c.asc() for c in tiebreak if c is not sorted_by),
    ]
    session = db.session()
    page_stmt = stmt.order_by(*ordering).limit(size).offset(start)
    result = session.execute(page_stmt)
    rows: Sequence[Any] = result.scalars().all() if scalars else result.all()
    if 0 < len(rows) < size or (start == 0 and not rows):
        total = start + len(rows)  # the last page: the total is known without counting
    else:
        # Count over the key columns only, so computed columns of the page (aggregates) are not evaluated.
        counted = stmt if count_from is None else count_from
        keys = counted.with_only_columns(*tiebreak, maintain_column_froms=True).order_by(None)
        count_stmt = select(func.count()).select_from(keys.subquery())
        total = session.execute(count_stmt).scalar_one()
    return Page(rows=rows, total=total)
