"""``orchestrator-api serve``: gunicorn managing uvicorn workers (connexion 3 apps are ASGI)."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from typing import Any, NoReturn

from gunicorn.app.base import BaseApplication

from orchestrator_api.config import get_settings

_MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"  # read by prometheus_client when a worker imports it


class _Server(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from orchestrator_api.asgi import app

        return app


def _worker_exited(_arbiter: Any, worker: Any) -> None:
    # Live-summed gauges (DB pool) must stop counting a dead worker; its counters stay in the totals.
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]


def exec_serve(bind: str, workers: int, timeout: int) -> NoReturn:
    """Become a fresh interpreter that runs :func:`serve`, keeping this process id (and its signals).

    gunicorn's master only forks and watches workers; started from the command line it would keep
    everything the CLI imported (migrations, DAG parsing, authoring: about 45 MiB) for the server's life.
    """
    # glibc gives each thread that allocates its own malloc arena; the request and auth thread pools then
    # keep ~7 MiB more per worker after a burst of load. Two arenas cost no throughput here (Python's
    # allocations mostly happen under the GIL). glibc reads it at start: set before the exec. An
    # operator's own value wins.
    os.environ.setdefault("MALLOC_ARENA_MAX", "2")
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, [sys.executable, "-m", __name__, bind, str(workers), str(timeout)])


def serve(bind: str, workers: int, timeout: int) -> None:
    """Run until interrupted. Workers import the app themselves, so each opens its own connections.

    Metrics: unless ``PROMETHEUS_MULTIPROC_DIR`` is set already, a fresh temporary folder is made for
    this server's workers to share their metrics through (and removed at exit), so ``/metrics`` answers
    the totals of every worker whichever one is asked.
    """
    owned = None
    master = os.getpid()
    if not os.environ.get(_MULTIPROCESS_ENV):
        owned = tempfile.mkdtemp(prefix="orchestrator-api-metrics-")
        os.environ[_MULTIPROCESS_ENV] = owned
    try:
        _run(bind, workers, timeout)
    finally:
        # gunicorn forks its workers inside `_run`, so a worker that exits (a recycle) unwinds through here
        # too: only the master may remove the folder the other workers still write to.
        if owned and os.getpid() == master:
            shutil.rmtree(owned, ignore_errors=True)


def _json_logging(level: str) -> dict[str, Any]:
    """gunicorn's own log lines (master and workers' ``gunicorn.error``) as JSON, like the app's."""
    handler = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "orchestrator_api.operations.logs.JsonFormatter"}},
        "handlers": {"console": handler, "error_console": handler},
        "root": {"level": level, "handlers": ["console"]},
        "loggers": {
            "gunicorn.error": {"level": level, "handlers": ["error_console"], "propagate": False},
            "gunicorn.access": {"level": level, "handlers": ["console"], "propagate": False},
        },
    }


def _run(bind: str, workers: int, timeout: int) -> None:
    settings = get_settings()
    logging_options = (
        {"logconfig_dict": _json_logging(settings.log_level.upper())} if settings.log_format == "json" else {}
    )
    _Server(
        {
            "bind": bind,
            "workers": workers,
            "worker_class": "orchestrator_api.server_worker.Worker",
            "timeout": timeout,
            "graceful_timeout": 30,
            "keepalive": 5,
            # Recycling is off unless asked for; when on, the jitter keeps workers from recycling together,
            # and the protocol's graceful shutdown keeps their keep-alive clients' requests.
            "max_requests": settings.max_requests,
            "max_requests_jitter": settings.max_requests // 2,
            "loglevel": settings.log_level.lower(),
            "proc_name": "orchestrator-api",
            "child_exit": _worker_exited,
            **logging_options,
        }
    ).run()


if __name__ == "__main__":  # what exec_serve runs
    serve(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
