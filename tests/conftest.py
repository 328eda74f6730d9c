"""Fixtures shared by every test: a fresh migrated database per test, the app, clients, users, counters.

The database is migrated once per session into a template; each test gets a copy (SQLite: a file copy;
PostgreSQL: ``CREATE DATABASE ... TEMPLATE``), so every test starts from exactly what `db migrate` creates.
Set ``ORCHESTRATOR_API_TEST_DATABASE_URL`` to a PostgreSQL server URL to run the whole suite there.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("ORCHESTRATOR_API_VALIDATE_RESPONSES", "true")
os.environ.setdefault("ORCHESTRATOR_API_AUTH_CACHE_TTL", "30")
os.environ.setdefault("ORCHESTRATOR_API_HEALTH_CACHE_SECONDS", "0")  # tests write heartbeats and read at once

import httpx
import uvicorn
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from orchestrator_api import config, db, instance
from orchestrator_api.migrations import upgrade
from orchestrator_api.security import cache
from tests import factories

REPO = Path(__file__).resolve().parents[1]
EXAMPLE_DAGS = REPO / "examples" / "dags"
PASSWORD = "correct-horse-battery"

Auth = tuple[str, str]


def worker_id() -> str:
    """``gw0``, ``gw1``... under pytest-xdist, ``main`` otherwise: names every per-worker resource."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


class TemplateDatabase:
    """Migrated once per pytest process (each xdist worker has its own); copied for each test."""

    def __init__(self, workdir: Path) -> None:
        self.server_url = os.environ.get("ORCHESTRATOR_API_TEST_DATABASE_URL", "")
        self.workdir = workdir
        if self.server_url:
            # The worker id keeps xdist workers apart, the pid keeps apart two runs sharing one server.
            suffix = f"{worker_id()}_{os.getpid()}"
            self._template = f"oapi_template_{suffix}"
            self._copy = f"oapi_test_{suffix}"
            # One AUTOCOMMIT connection for the whole session: CREATE/DROP DATABASE cannot run in a
            # transaction, and reconnecting for every test costs more than the copy itself.
            self._admin = create_engine(
                make_url(self.server_url).set(database="postgres"),
                isolation_level="AUTOCOMMIT",
                poolclass=NullPool,
            ).connect()
            # PostgreSQL 15 copies a database through the WAL by default, which is slow for a small
            # template; FILE_COPY copies the files (the private test cluster runs with fsync off).
            version = self._admin.dialect.server_version_info or (0,)
            self._strategy = " STRATEGY FILE_COPY" if version >= (15,) else ""
            self._run(f'DROP DATABASE IF EXISTS "{self._template}" WITH (FORCE)')
            self._run(f'CREATE DATABASE "{self._template}"')
            engine = db.make_engine(
                make_url(self.server_url).set(database=self._template).render_as_string(False)
            )
            upgrade(engine)
            engine.dispose()
        else:
            self.template_file = workdir / "template.db"
            engine = db.make_engine(f"sqlite:///{self.template_file}")
            upgrade(engine)
            with engine.connect() as connection:
                connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
            engine.dispose()

    def _run(self, statement: str) -> None:
        self._admin.execute(text(statement))

    def fresh_copy(self, name: str) -> str:
        if self.server_url:
            db.configure("sqlite://")  # release every connection to the previous copy first
            self._run(f'DROP DATABASE IF EXISTS "{self._copy}" WITH (FORCE)')
            self._run(f'CREATE DATABASE "{self._copy}" TEMPLATE "{self._template}"{self._strategy}')
            return make_url(self.server_url).set(database=self._copy).render_as_string(False)
        target = self.workdir / f"{name}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(self.template_file, target)
        return f"sqlite:///{target}"

    def close(self) -> None:
        """Drop this session's databases so a long-lived server does not collect them."""
        if self.server_url:
            db.configure("sqlite://")
            for name in (self._copy, self._template):
                self._run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            self._admin.close()


@pytest.fixture(scope="session")
def template_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TemplateDatabase]:
    template = TemplateDatabase(tmp_path_factory.mktemp("databases"))
    yield template
    template.close()


@pytest.fixture(autouse=True)
def database(
    template_database: TemplateDatabase, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[str]:
    """Every test runs against its own freshly migrated database, with caches emptied."""
    url = template_database.fresh_copy("test")
    monkeypatch.setenv("ORCHESTRATOR_API_DATABASE_URL", url)
    monkeypatch.setenv("ORCHESTRATOR_API_LOGS_FOLDER", str(tmp_path / "logs"))
    config.get_settings.cache_clear()
    instance.secret_key.cache_clear()
    cache.clear_all()
    db.configure(url)
    yield url
    config.get_settings.cache_clear()


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Change settings for one test: ``settings_env(EXPOSE_CONFIG="true")``."""

    def apply(**values: str) -> None:
        for name, value in values.items():
            monkeypatch.setenv(f"{config.PREFIX}{name}", value)
        config.get_settings.cache_clear()

    return apply


@pytest.fixture(scope="session")
def app() -> Any:
    from orchestrator_api.app import create_app

    return create_app()


@pytest.fixture
def client(app: Any) -> Iterator[Any]:
    with app.test_client() as test_client:
        yield test_client


@pytest.fixture
def make_user() -> Callable[..., Auth]:
    """Create a user with the given roles; returns its (username, password) for ``auth=``."""

    def create(username: str, *roles: str, password: str = PASSWORD, active: bool = True) -> Auth:
        factories.user(username, *roles, password=password, active=active)
        return (username, password)

    return create


@pytest.fixture
def admin(make_user: Callable[..., Auth]) -> Auth:
    return make_user("admin", "Admin")


@pytest.fixture
def viewer(make_user: Callable[..., Auth]) -> Auth:
    return make_user("viewer", "Viewer")


@pytest.fixture
def public_user(make_user: Callable[..., Auth]) -> Auth:
    """Authenticated, but the Public role grants nothing."""
    return make_user("nobody", "Public")


@pytest.fixture
def example_dags() -> list[str]:
    """The shipped example DAGs, synced into the test's database; returns their ids."""
    return factories.sync_folder(EXAMPLE_DAGS)


@pytest.fixture
def dag_folder(tmp_path: Path) -> Callable[..., list[str]]:
    """Write YAML DAG files into a fresh folder and sync it: ``dag_folder({"a.yaml": "..."})``."""

    def write_and_sync(files: dict[str, str]) -> list[str]:
        folder = tmp_path / "dags"
        folder.mkdir(exist_ok=True)
        for name, content in files.items():
            (folder / name).write_text(content)
        return factories.sync_folder(folder)

    return write_and_sync


@pytest.fixture
def count_statements() -> Iterator[list[str]]:
    """Collects every SQL statement the engine runs while the test is active."""
    statements: list[str] = []
    engine = db.engine()

    def collect(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith(("PRAGMA", "SAVEPOINT", "RELEASE")):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", collect)
    yield statements
    event.remove(engine, "before_cursor_execute", collect)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(app: Any) -> Iterator[str]:
    """The app served by uvicorn on a free port for the whole session (the SDK needs a real socket), with
    the HTTP protocol `orchestrator-api serve` uses."""
    from orchestrator_api.protocol import ProblemHttpToolsProtocol

    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host="127.0.0.1",
            port=port,
            log_level="warning",
            access_log=False,
            http=ProblemHttpToolsProtocol,  # as `serve` runs it
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{url}/api/v1/version", timeout=1)
            break
        except httpx.TransportError:
            time.sleep(0.05)
    else:
        raise RuntimeError("the live server did not start")
    yield url
    server.should_exit = True
    thread.join(timeout=10)
