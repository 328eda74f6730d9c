"""``orchestrator-api serve``: gunicorn's master only forks and watches workers, so it must not load the app.

The master lives as long as the server; everything it imports is resident for that long (connexion, Flask,
SQLAlchemy and the models came to about 25 MiB through a settings import). Pure-Python modules leave no
trace outside the process, but the compiled extensions of the app's libraries show in its memory map.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import servers

pytestmark = pytest.mark.slow

# Compiled parts of libraries that only the app needs: SQLAlchemy, jsonschema's `rpds` (connexion), and
# MarkupSafe (Flask's templates).
APP_ONLY_EXTENSIONS = ("/sqlalchemy/", "/rpds/", "/markupsafe/")


def _mapped_files(pid: int) -> set[str]:
    return {line.split()[-1] for line in Path(f"/proc/{pid}/maps").read_text().splitlines() if "/" in line}


def _loads_app(pid: int) -> bool:
    return any(part in path for path in _mapped_files(pid) for part in APP_ONLY_EXTENSIONS)


def test_master_does_not_load_the_app_but_its_workers_do(database: str, tmp_path: Path) -> None:
    served = servers.start(database, tmp_path / "server.log", workers=1)
    try:
        master = served.process.pid  # `serve` re-executes itself in place: the same process id
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        assert len(children) == 1
        assert _loads_app(int(children[0]))
        assert not _loads_app(master)
    finally:
        servers.stop(served)


def test_the_server_limits_malloc_arenas(database: str, tmp_path: Path) -> None:
    """A thread pool with an arena per thread held ~7 MiB more per worker after load."""
    served = servers.start(database, tmp_path / "server.log", workers=1)
    try:
        environ = Path(f"/proc/{served.process.pid}/environ").read_bytes().split(b"\0")
        assert b"MALLOC_ARENA_MAX=2" in environ
    finally:
        servers.stop(served)
