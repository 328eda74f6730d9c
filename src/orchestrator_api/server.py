"""``orchestrator-api serve``: gunicorn managing uvicorn workers (connexion 3 apps are ASGI)."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication

from orchestrator_api.config import get_settings


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
    _Server(
        {
            "bind": bind,
            "workers": workers,
            "worker_class": "uvicorn_worker.UvicornWorker",
            "timeout": timeout,
            "graceful_timeout": 30,
            "keepalive": 5,
            "max_requests": 10_000,
            "max_requests_jitter": 1_000,
            "loglevel": get_settings().log_level.lower(),
            "proc_name": "orchestrator-api",
        }
    ).run()
