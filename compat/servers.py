"""Start the two servers the harness compares: a real Airflow webserver and ours, on the same fixtures.

Both get a fresh SQLite database in a temporary folder, the same admin user (created with each one's own
CLI), the same example DAGs (ours reads the YAML, Airflow the Python translation), and a free loopback
port. Each is a child process stopped by :meth:`Server.stop`.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from compat.airflow_dags import translate_folder
from compat.install_airflow import airflow_bin

ADMIN = {
    "username": "admin",
    "password": "compat-admin-pw",
    "email": "admin@example.org",
    "firstname": "Ada",
    "lastname": "Admin",
}


@dataclass
class Server:
    """A running server: its base URL, the environment its helpers need, and the process to stop."""

    name: str
    url: str
    env: dict[str, str]
    home: Path
    process: subprocess.Popen[bytes] | None = None
    log: Path | None = None
    info: dict[str, str] = field(default_factory=dict)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        # gunicorn's arbiter stops its workers on SIGTERM; the group covers anything else it spawned.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _run(command: list[str], env: dict[str, str], log: Path, cwd: Path | None = None) -> None:
    with log.open("ab") as out:
        out.write(f"$ {' '.join(command)}\n".encode())
        out.flush()
        subprocess.run(command, env=env, stdout=out, stderr=subprocess.STDOUT, check=True, cwd=cwd)


def _wait_healthy(server: Server, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process is not None and server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited early; see {server.log}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{server.url}/api/v1/health", timeout=5).status_code == 200:
                return
        time.sleep(1)
    raise RuntimeError(f"{server.name} did not become healthy in {timeout:.0f}s; see {server.log}")


def _spawn(
    command: list[str], env: dict[str, str], log: Path, cwd: Path | None = None
) -> subprocess.Popen[bytes]:
    out = log.open("ab")
    return subprocess.Popen(
        command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=cwd, start_new_session=True
    )


def start_airflow(work: Path, examples: Path, workers: int = 1) -> Server:
    """Airflow 2.10.5's webserver (``workers`` gunicorn workers, basic auth, no scheduler) over the
    translated DAGs."""
    home = work / "airflow"
    dags = home / "dags"
    translate_folder(examples, dags, home / "plugins")
    port = free_port()
    env = {
        **os.environ,
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(dags),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(home / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        # Our DAG files leave a DAG unpaused unless they say is_paused_upon_creation: true.
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
        "AIRFLOW__API__AUTH_BACKENDS": "airflow.api.auth.backend.basic_auth",
        "AIRFLOW__WEBSERVER__WORKERS": str(workers),
        "AIRFLOW__WEBSERVER__SECRET_KEY": "compat-harness-secret",
        "AIRFLOW__WEBSERVER__WEB_SERVER_PORT": str(port),
        "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(home / "logs"),
        "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "False",
        "AIRFLOW__WEBSERVER__WARN_DEPLOYMENT_EXPOSURE": "False",
    }
    env.pop("VIRTUAL_ENV", None)
    log = home / "airflow.log"
    airflow = str(airflow_bin())
    _run([airflow, "db", "migrate"], env, log)
    _run(
        [airflow, "users", "create", "--role", "Admin"]
        + [f"--{key}={value}" for key, value in ADMIN.items()],
        env,
        log,
    )
    _run([airflow, "dags", "reserialize"], env, log)
    server = Server("airflow", f"http://127.0.0.1:{port}", env, home, log=log)
    server.process = _spawn(
        [airflow, "webserver", "--hostname", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
        env,
        log,
    )
    _wait_healthy(server, timeout=300)
    return server


def start_ours(work: Path, examples: Path, root: Path) -> Server:
    """Our server (``orchestrator-api serve``, 1 worker) from the checkout at ``root`` with its ``.venv``."""
    home = work / "ours"
    home.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = {
        **os.environ,
        "ORCHESTRATOR_API_DATABASE_URL": f"sqlite:///{home / 'ours.db'}",
        "ORCHESTRATOR_API_DAGS_FOLDER": str(examples),
        "ORCHESTRATOR_API_LOGS_FOLDER": str(home / "logs"),
        "ORCHESTRATOR_API_PASSWORD": ADMIN["password"],
        "ORCHESTRATOR_API_SECRET_KEY": "compat-harness-secret",
    }
    log = home / "ours.log"
    cli = str(root / ".venv" / "bin" / "orchestrator-api")
    _run([cli, "db", "migrate"], env, log, cwd=root)
    _run(
        [cli, "users", "create", "--role", "Admin"]
        + [f"--{key}={value}" for key, value in ADMIN.items() if key != "password"],
        env,
        log,
        cwd=root,
    )
    _run([cli, "dags", "sync"], env, log, cwd=root)
    server = Server("ours", f"http://127.0.0.1:{port}", env, home, log=log)
    server.process = _spawn(
        [cli, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"], env, log, cwd=root
    )
    _wait_healthy(server, timeout=120)
    return server
