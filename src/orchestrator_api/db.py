"""The engine, the session factory, and the one session per request.

A request's session is opened lazily by :func:`session` and kept on ``flask.g``. It is committed in exactly
one place (:func:`commit_request_session`, an ``after_request`` hook, only for responses below 400) and
closed, which rolls back anything uncommitted, by :func:`close_request_session`. Handlers never commit or
roll back.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import flask
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from orchestrator_api.config import get_settings

_lock = threading.Lock()
_engine: Engine | None = None
_factory: sessionmaker[Session] | None = None


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers run beside the one writer; busy_timeout makes a second writer wait instead of failing.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url`` with the settings this service relies on (SQLite pragmas, pre-ping).

    ``hide_parameters`` keeps bound values (passwords, connection secrets) out of error messages and logs.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False}, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10, hide_parameters=True)


def configure(url: str | None = None) -> Engine:
    """(Re)bind the process to the database at ``url`` (default: the configured one)."""
    global _engine, _factory
    with _lock:
        if _engine is not None:
            _engine.dispose()
        _engine = make_engine(url or get_settings().database_url)
        # Imported here, not at the top: `serve` must not load prometheus_client before it has chosen
        # the multiprocess folder its workers share.
        from orchestrator_api.operations.metrics import instrument_engine

        instrument_engine(_engine)
        from orchestrator_api.tenancy.scoping import install

        install()  # every session limits its statements to the current organization
        _factory = sessionmaker(bind=_engine, expire_on_commit=False)
        return _engine


def engine() -> Engine:
    """The process's engine, created on first use."""
    if _engine is None:
        configure()
    assert _engine is not None
    return _engine


def session_factory() -> sessionmaker[Session]:
    """The factory for sessions outside a request (security checks, the CLI)."""
    if _factory is None:
        configure()
    assert _factory is not None
    return _factory


@contextmanager
def transaction() -> Iterator[Session]:
    """A session whose work is committed when the block ends without error and rolled back otherwise."""
    with session_factory().begin() as db_session:
        yield db_session


def session() -> Session:
    """The current request's session, opened on first use."""
    current: Session | None = flask.g.get("db_session")
    if current is None:
        current = session_factory()()
        flask.g.db_session = current
    return current


def commit_request_session(response: flask.Response) -> flask.Response:
    """``after_request``: commit the request's work when the response is a success.

    A commit the database refuses (a constraint another request's write now breaks) is rolled back and
    raised for the error handlers to answer; what :func:`if_commit_fails` registered runs first.
    """
    current: Session | None = flask.g.get("db_session")
    if current is not None and response.status_code < 400:
        try:
            current.commit()
        except SQLAlchemyError:
            current.rollback()
            for callback in flask.g.pop("if_commit_fails", []):
                callback()
            raise
    return response


def if_commit_fails(callback: Callable[[], None]) -> None:
    """Run ``callback`` if this request's commit is refused (after the rollback)."""
    flask.g.setdefault("if_commit_fails", []).append(callback)


def discard_request_work() -> None:
    """Roll the request's session back now, for a request that is refused: nothing of it may commit, and
    its locks (SQLite's database lock after a write) must not keep the audit row of the refusal waiting."""
    current: Session | None = flask.g.get("db_session")
    if current is not None:
        current.rollback()


def close_request_session(_exc: BaseException | None) -> None:
    """``teardown_request``: close the session; anything not committed is rolled back."""
    current: Session | None = flask.g.pop("db_session", None)
    if current is not None:
        current.close()
