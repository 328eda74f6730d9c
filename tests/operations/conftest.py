"""Apps built with operator settings, and a real server for tests that need every layer on a socket."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import uvicorn
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import _free_port


@pytest.fixture
def make_app(settings_env: Callable[..., None]) -> Callable[..., Any]:
    """``make_app(CORS_ALLOW_ORIGINS="https://a.example")``: a fresh app built with those settings."""

    def build(**values: str) -> Any:
        from orchestrator_api.app import create_app

        settings_env(**values)
        return create_app()

    return build


@contextmanager
def served(app: Any) -> Iterator[str]:
    """``app`` under uvicorn on a free port until the block ends; yields its base URL."""
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.02)
    try:
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def samples(exposition: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of a Prometheus text exposition, keyed by (name, labels)."""
    found = {}
    for family in text_string_to_metric_families(exposition):
        for sample in family.samples:
            found[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return found


def sample(exposition: str, name: str, **labels: str) -> float:
    """One sample's value (0 when the series does not exist yet)."""
    return samples(exposition).get((name, frozenset(labels.items())), 0.0)
