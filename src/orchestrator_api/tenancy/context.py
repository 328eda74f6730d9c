"""Which organization the current unit of work acts in.

A request acts in exactly one organization (the ``Organization`` header, else the default one); the CLI
acts in the default organization unless told otherwise. Background processes that serve every
organization (the scheduler, the worker API) run :func:`unscoped` and enter :func:`scoped` per
organization, so the rows they write land where the rows they read came from.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import flask

# The default organization: created by migration 0007, holds everything that existed before it.
DEFAULT_ORGANIZATION_ID = 1
DEFAULT_ORG_ID = "default"

_UNSCOPED = -1
_scope: ContextVar[int] = ContextVar("organization_scope", default=DEFAULT_ORGANIZATION_ID)
_REQUEST_KEY = "organization_pk"


def _raw() -> int:
    # A request keeps its organization on flask.g: the Flask handler may run in another thread (and so
    # another context) than the middleware that resolved it.
    if flask.has_request_context():
        found = flask.g.get(_REQUEST_KEY)
        if isinstance(found, int):
            return found
    return _scope.get()


def is_scoped() -> bool:
    """Whether statements are limited to one organization right now (false only inside :func:`unscoped`)."""
    return _raw() != _UNSCOPED


def current_organization_id() -> int:
    """The integer key of the organization the current work acts in (the default one's is 1).

    Inside :func:`unscoped` there is none, and asking is a bug: a row written there must name its
    organization explicitly.
    """
    found = _raw()
    if found == _UNSCOPED:
        raise RuntimeError("no organization in scope: name the row's organization explicitly")
    return found


def set_request_organization(organization_pk: int) -> None:
    """Bind the current request to an organization (called once, by the operation guard)."""
    setattr(flask.g, _REQUEST_KEY, organization_pk)


def set_request_unscoped() -> None:
    """Let the current request see every organization (the worker API: its leases name the rows)."""
    setattr(flask.g, _REQUEST_KEY, _UNSCOPED)


@contextmanager
def scoped(organization_pk: int) -> Iterator[None]:
    """Act in one organization for the duration of the block (also inside a request)."""
    previous_request = flask.g.get(_REQUEST_KEY) if flask.has_request_context() else None
    token = _scope.set(organization_pk)
    if previous_request is not None:
        setattr(flask.g, _REQUEST_KEY, organization_pk)
    try:
        yield
    finally:
        _scope.reset(token)
        if previous_request is not None:
            setattr(flask.g, _REQUEST_KEY, previous_request)


@contextmanager
def unscoped() -> Iterator[None]:
    """See every organization's rows for the duration of the block (processes that serve them all)."""
    with scoped(_UNSCOPED):
        yield
