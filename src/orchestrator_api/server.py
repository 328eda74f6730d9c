"""``orchestrator-api serve``: gunicorn managing uvicorn workers (connexion 3 apps are ASGI)."""

from __future__ import annotations

from typing import Any, ClassVar

from gunicorn.app.base import BaseApplication
from uvicorn_worker import UvicornWorker

from orchestrator_api.config import get_settings


class Worker(UvicornWorker):  # type: ignore[misc]  # uvicorn-worker ships no type hints
    """uvicorn worker with our HTTP protocol: problem answers for unparsable requests, and a shutdown that
    lets keep-alive clients finish instead of dropping their connections (see ``protocol.py``)."""

    CONFIG_KWARGS: ClassVar[dict[str, Any]] = {
        "loop": "auto",
        "http": "orchestrator_api.protocol:ProblemHttpToolsProtocol",
    }


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


def serve(bind: str, workers: int, timeout: int) -> None:
    """Run until interrupted. Workers import the app themselves, so each opens its own connections."""
    settings = get_settings()
    _Server(
        {
            "bind": bind,
            "workers": workers,
            "worker_class": "orchestrator_api.server.Worker",
            "timeout": timeout,
            "graceful_timeout": 30,
            "keepalive": 5,
            # Recycling is off unless asked for; when on, the jitter keeps workers from recycling together,
            # and the protocol's graceful shutdown keeps their keep-alive clients' requests.
            "max_requests": settings.max_requests,
            "max_requests_jitter": settings.max_requests // 2,
            "loglevel": settings.log_level.lower(),
            "proc_name": "orchestrator-api",
        }
    ).run()
