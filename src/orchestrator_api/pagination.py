"""``paginate()``: limit capping, offset, the order_by allow-list, a stable tie-breaker and the total.

Handlers build a ``select()`` with their filters and pass the columns clients may sort by; this module is
the only place that reads ``limit``, ``offset`` and ``order_by``. At most two statements run: the page, and
a count when the page alone cannot tell the total.

Every page it cuts is remembered for the request (:func:`current_window`), so the headers describing it
(:func:`add_page_headers`) tell what was really answered without the handlers' help.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

import flask
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


@dataclass(frozen=True)
class Window:
    """The part of a collection a request answered: from ``offset``, ``size`` items (None: all the rest)."""

    offset: int
    size: int | None


UNPAGED = Window(offset=0, size=None)


def _remember(window: Window) -> None:
    if flask.has_request_context():
        flask.g.page_window = window


def current_window() -> Window:
    """The window this request's list was cut with; a list that does not page answers everything."""
    window: Window = flask.g.get("page_window", UNPAGED)
    return window


def slice_page(items: Sequence[T], *, offset: int, size: int | None) -> Page[T]:
    """One page of a list already in memory (plugins, providers, a form without a page size)."""
    _remember(Window(offset=offset, size=size))
    end = None if size is None else offset + size
    return Page(rows=items[offset:end], total=len(items))


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


# What an order_by value must look like to be repeated in Airflow's detail (see `ascending_only`).
_REFUSED = "is disallowed or the attribute does not exist on the model"
_NAME = re.compile(r"^-?[A-Za-z_][A-Za-z0-9_]{0,63}$")


def ascending_only(order_by: str | None, sortable: Mapping[str, SortColumn]) -> str | None:
    """``order_by`` when it names a sortable field as is; Airflow's 400 otherwise.

    Airflow 2.10.5's user and role lists compare ``order_by`` with their allow-list as given, so every
    descending ``-field`` is refused there; clients see the same answer here.
    """
    if order_by is None or order_by in sortable:
        return order_by
    shown = repr(order_by) if _NAME.match(order_by) else "the given field"
    raise BadRequest(detail=f"Ordering with {shown} {_REFUSED}")


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
    total_from: AnySelect | None = None,
) -> Page[Any]:
    """Run one page of ``stmt`` and count the whole filtered set.

    ``tiebreak`` (usually the primary key) is appended to the sort, so rows with equal sort values keep one
    order and consecutive pages never overlap or skip. ``capped=False`` takes ``limit`` as given, for the
    few operations where Airflow does not apply its maximum page size. ``count_from``, when given, is
    counted instead of ``stmt``: the same rows without the joins that cannot change how many there are
    (the page's joins make a count of a large table scan an index per row). ``total_from``, when given,
    is a statement that answers the exact total itself (a count kept up to date elsewhere), run instead.
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
    _remember(Window(offset=start, size=size))
    session = db.session()
    page_stmt = stmt.order_by(*ordering).limit(size).offset(start)
    result = session.execute(page_stmt)
    rows: Sequence[Any] = result.scalars().all() if scalars else result.all()
    if 0 < len(rows) < size or (start == 0 and not rows):
        return Page(rows=rows, total=start + len(rows))  # the last page: known without counting
    if total_from is not None:
        return Page(rows=rows, total=int(session.execute(total_from).scalar_one()))
    # Count over the key columns only, so computed columns of the page (aggregates) are not evaluated.
    counted = stmt if count_from is None else count_from
    keys = counted.with_only_columns(*tiebreak, maintain_column_froms=True).order_by(None)
    count_stmt = select(func.count()).select_from(keys.subquery())
    return Page(rows=rows, total=session.execute(count_stmt).scalar_one())


# The two ways to choose a page: Airflow's, and the page-number style (extension) that maps onto it.
OFFSET_STYLE = ("limit", "offset")
PAGE_STYLE = ("page", "per_page")


def _last_integer(name: str) -> int | None:
    values = flask.request.args.getlist(name)
    # connexion validated the value as an integer and, like it, the last of repeated values counts.
    return int(values[-1]) if values else None


def page_arguments(kwargs: dict[str, Any]) -> dict[str, Any]:
    """``kwargs`` with ``page``/``per_page`` turned into the ``limit``/``offset`` every handler takes.

    Read from the query string, since connexion hands them only to handlers that accept ``**kwargs``.
    Both kinds in one request is a 400 that names the parameters, never their values.
    """
    kwargs.pop("page", None)
    kwargs.pop("per_page", None)
    if not any(name in flask.request.args for name in PAGE_STYLE):
        return kwargs
    if any(name in flask.request.args for name in OFFSET_STYLE):
        raise BadRequest(detail="Send either limit and offset or page and per_page, not both")
    per_page = _last_integer("per_page")
    maximum = get_settings().maximum_page_limit
    if per_page is not None and per_page > maximum:
        raise BadRequest(detail=f"per_page must be at most {maximum}")
    size = per_page or effective_limit(kwargs.get("limit"))
    page = _last_integer("page") or 1
    return {**kwargs, "limit": size, "offset": (page - 1) * size}


def _url(replacements: dict[str, int]) -> str:
    """The request's absolute URL with some query parameters set; the others keep their place and order."""
    pairs: list[tuple[str, str]] = []
    pending = dict(replacements)
    for name, value in flask.request.args.items(multi=True):
        if name in replacements:
            if name in pending:
                pairs.append((name, str(pending.pop(name))))
        else:
            pairs.append((name, value))
    pairs += [(name, str(value)) for name, value in pending.items()]
    return f"{flask.request.base_url}?{urlencode(pairs)}" if pairs else flask.request.base_url


def _links(window: Window, total: int, pages: int) -> str:
    """RFC 8288 ``first``/``prev``/``next``/``last`` in the style the request used."""
    if window.size is None:  # everything in one answer: the request is its own first and last page
        targets: dict[str, dict[str, int]] = {"first": {}, "last": {}}
    else:
        size, offset = window.size, window.offset
        has_next = offset + size < total
        if any(name in flask.request.args for name in PAGE_STYLE):
            page = offset // size + 1
            numbers = {"first": 1, "prev": page - 1, "next": page + 1, "last": pages}
            targets = {rel: {"page": n, "per_page": size} for rel, n in numbers.items()}
            wanted = {"first", "last"} | ({"prev"} if page > 1 else set())
            wanted |= {"next"} if has_next else set()
        else:
            offsets = {"first": 0, "prev": max(0, offset - size), "next": offset + size}
            offsets["last"] = (pages - 1) * size
            targets = {rel: {"limit": size, "offset": o} for rel, o in offsets.items()}
            wanted = {"first", "last"} | ({"prev"} if offset > 0 else set())
            wanted |= {"next"} if has_next else set()
        targets = {rel: target for rel, target in targets.items() if rel in wanted}
    return ", ".join(f'<{_url(target)}>; rel="{rel}"' for rel, target in targets.items())


def add_page_headers(response: flask.Response, body: Any) -> None:
    """Describe the page a list answered in headers (GitLab's names), from its body's ``total_entries``.

    Nothing is counted here: the total is the one the body carries, and the window is the one the page
    was cut with. A list chosen by a request body (POST) gets no ``Link``, since a link cannot carry it.
    """
    if response.status_code != 200 or not isinstance(body, dict):
        return
    total = body.get("total_entries")
    if not isinstance(total, int):
        return
    window = current_window()
    if window.size is None:
        per_page, page, pages, next_page, prev_page = max(total - window.offset, 0), 1, 1, None, None
    else:
        per_page, page = window.size, window.offset // window.size + 1
        pages = max(1, -(-total // window.size))
        next_page = page + 1 if window.offset + window.size < total else None
        prev_page = page - 1 if page > 1 else None
    response.headers["X-Total"] = str(total)
    response.headers["X-Total-Pages"] = str(pages)
    response.headers["X-Page"] = str(page)
    response.headers["X-Per-Page"] = str(per_page)
    response.headers["X-Next-Page"] = "" if next_page is None else str(next_page)
    response.headers["X-Prev-Page"] = "" if prev_page is None else str(prev_page)
    if flask.request.method in ("GET", "HEAD"):
        response.headers["Link"] = _links(window, total, pages)
