"""``test_connection``'s work: try to reach what a connection describes, briefly, and say what happened.

Only a few types can be tried from here: ``http``/``https`` (one GET request), ``postgres``/``postgresql``
(log in, ``SELECT 1``) and ``sqlite`` (open the file named by ``host`` read-only and immutable, so no file
is ever created or changed). Every attempt gives up after :data:`TIMEOUT_SECONDS`. Whatever a driver says,
the password is removed from the message before it leaves this module, and nothing here logs.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from orchestrator_api.redaction import MASK

TIMEOUT_SECONDS = 5


@dataclass(frozen=True)
class Target:
    """The connection to try, as sent by the client (never a stored row)."""

    conn_type: str
    host: str | None = None
    port: int | None = None
    schema: str | None = None
    login: str | None = None
    password: str | None = None


@dataclass(frozen=True)
class Outcome:
    status: bool
    message: str


def try_connection(target: Target) -> Outcome:
    """Try ``target`` and report the outcome; never raises for a failure of the remote side."""
    tester = _TESTERS.get(target.conn_type.lower())
    if tester is None:
        testable = ", ".join(sorted(_TESTERS))
        return Outcome(
            False,
            f"Connections of type {target.conn_type!r} cannot be tested here; testable types: {testable}",
        )
    outcome = tester(target)
    return Outcome(outcome.status, _scrub(outcome.message, target.password))


def _scrub(message: str, password: str | None) -> str:
    """One line, without the password however a driver chose to quote or case it (hosts are lowercased)."""
    text = " ".join(message.split())
    if password:
        for form in {password, quote(password, safe="")}:
            text = re.sub(re.escape(form), MASK, text, flags=re.IGNORECASE)
    return text


def _http_url(target: Target) -> httpx.URL:
    host = target.host or ""
    if "://" in host:
        url = httpx.URL(host)
        return url.copy_with(port=target.port) if target.port and url.port is None else url
    # Airflow's HTTP connections keep the URL scheme in `schema`.
    default = "https" if target.conn_type.lower() == "https" else "http"
    scheme = (
        target.schema.lower() if target.schema and target.schema.lower() in {"http", "https"} else default
    )
    netloc, slash, path = host.partition("/")
    port = f":{target.port}" if target.port else ""
    return httpx.URL(f"{scheme}://{netloc}{port}{slash}{path}")


def _test_http(target: Target) -> Outcome:
    if not target.host:
        return Outcome(False, "The connection has no host to send a request to")
    try:
        url = _http_url(target)
    except (httpx.InvalidURL, ValueError) as exc:
        return Outcome(False, f"The host and port do not make a valid URL: {exc}")
    shown = f"{url.scheme}://{url.host}{f':{url.port}' if url.port else ''}{url.path}"
    auth = (target.login, target.password or "") if target.login else None
    try:
        with (
            httpx.Client(timeout=TIMEOUT_SECONDS, follow_redirects=False, trust_env=False) as client,
            # Streamed and never read: the status is the answer, and a body may be endless.
            client.stream("GET", url, auth=auth) as response,
        ):
            pass
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        return Outcome(False, f"GET {shown} failed: {type(exc).__name__}: {exc}")
    reason = f"HTTP {response.status_code} {response.reason_phrase}".rstrip()
    if response.status_code >= 400:
        return Outcome(False, f"GET {shown} answered {reason}")
    return Outcome(True, f"Connection successfully tested: GET {shown} answered {reason}")


def _test_postgres(target: Target) -> Outcome:
    if not target.host:
        return Outcome(False, "The connection has no host to connect to")
    params: dict[str, Any] = {
        "host": target.host,
        "port": target.port or 5432,
        "connect_timeout": TIMEOUT_SECONDS,
        # Never fall back to a password file of the server's own user.
        "passfile": os.devnull,
    }
    optional = {"dbname": target.schema, "user": target.login, "password": target.password}
    params.update({key: value for key, value in optional.items() if value})
    import psycopg  # here: the driver costs every API worker ~10 MiB, and few connections are PostgreSQL

    try:
        with psycopg.connect(autocommit=True, **params) as connection:
            connection.execute("SELECT 1").fetchone()
    except psycopg.Error as exc:
        return Outcome(False, f"Could not connect to PostgreSQL: {exc}")
    return Outcome(True, f"Connection successfully tested: {target.host}:{params['port']} answered SELECT 1")


def _test_sqlite(target: Target) -> Outcome:
    if not target.host:
        return Outcome(False, "The connection has no host, which holds the database file's path for sqlite")
    path = Path(target.host)
    try:
        is_file = path.is_file()
    except (OSError, ValueError) as exc:  # a name too long, a NUL byte...
        return Outcome(False, f"{target.host} is not a usable file path: {exc}")
    if not is_file:
        return Outcome(False, f"There is no file at {target.host}")
    # immutable: no lock and no -wal/-shm files, so testing never creates or changes a file.
    uri = f"file:{quote(str(path.resolve()))}?mode=ro&immutable=1"
    try:
        with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=TIMEOUT_SECONDS)) as connection:
            connection.execute("SELECT 1").fetchone()
            # SELECT 1 alone never reads the file; the schema proves it is a database.
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as exc:
        return Outcome(False, f"Could not read {target.host} as a SQLite database: {exc}")
    return Outcome(True, f"Connection successfully tested: {target.host} is a readable SQLite database")


_TESTERS: dict[str, Callable[[Target], Outcome]] = {
    "http": _test_http,
    "https": _test_http,
    "postgres": _test_postgres,
    "postgresql": _test_postgres,
    "sqlite": _test_sqlite,
}
