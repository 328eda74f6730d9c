"""Prometheus metrics: requests by route template, method and status class; latency; DB pool usage.

Labels are bounded on purpose: the route is the OpenAPI path template (``/api/v1/dags/{dag_id}``), never
the requested path, so ids and trigger tokens never become label values. Under gunicorn every worker is a
process of its own; ``orchestrator-api serve`` points ``PROMETHEUS_MULTIPROC_DIR`` at a fresh temporary
folder before the workers start, so a scrape answered by any worker adds up all of them.
"""

from __future__ import annotations

import hmac
import os
from typing import Any

import anyio.to_thread
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client import multiprocess as prometheus_multiprocess
from prometheus_client.exposition import choose_encoder
from sqlalchemy import Engine, event
from starlette.types import ASGIApp, Receive, Scope, Send

from orchestrator_api.problems import MethodNotAllowed, Unauthenticated

METRICS_PATH = "/metrics"
MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"
_STATUS_CLASSES = {code: f"{code // 100}xx" for code in range(100, 600)}

REQUESTS = Counter(
    "orchestrator_api_http_requests_total",
    "HTTP requests answered, by route template, method and status class.",
    ("route", "method", "status"),
)
LATENCY = Histogram(
    "orchestrator_api_http_request_duration_seconds",
    "Time from receiving a request to the end of its response, by route template and method.",
    ("route", "method"),
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
# "livesum": with several workers, the gauges add up the live processes' values.
POOL_CONNECTIONS = Gauge(
    "orchestrator_api_db_pool_connections",
    "Database connections held by the pools: open (idle or in use) and checked_out (in use).",
    ("state",),
    multiprocess_mode="livesum",
)
POOL_LIMIT = Gauge(
    "orchestrator_api_db_pool_limit",
    "Most database connections the pools may open (pool size plus overflow).",
    multiprocess_mode="livesum",
)
_OPEN = POOL_CONNECTIONS.labels("open")
_CHECKED_OUT = POOL_CONNECTIONS.labels("checked_out")


def record_request(route: str, method: str, status: int, seconds: float) -> None:
    """Count one answered request and its duration."""
    REQUESTS.labels(route, method, _STATUS_CLASSES.get(status, "5xx")).inc()
    LATENCY.labels(route, method).observe(seconds)


def instrument_engine(engine: Engine) -> None:
    """Keep the pool gauges in step with ``engine``'s pool through its events (no polling)."""
    pool: Any = engine.pool
    size = getattr(pool, "size", None)
    overflow = getattr(pool, "_max_overflow", 0)
    if callable(size):
        limit = size() + max(overflow, 0)
        POOL_LIMIT.inc(limit)
        event.listen(engine, "engine_disposed", lambda _engine: POOL_LIMIT.dec(limit))
    event.listen(pool, "connect", lambda *_: _OPEN.inc())
    event.listen(pool, "close", lambda *_: _OPEN.dec())
    event.listen(pool, "close_detached", lambda *_: _OPEN.dec())
    event.listen(pool, "checkout", lambda *_: _CHECKED_OUT.inc())
    event.listen(pool, "checkin", lambda *_: _CHECKED_OUT.dec())


def exposition(accept: str = "") -> tuple[bytes, str]:
    """Every metric in the format the ``Accept`` header asks for (Prometheus text 0.0.4 by default) and
    its media type; summed over the workers in multiprocess mode."""
    encode, media_type = choose_encoder(accept)
    folder = os.environ.get(MULTIPROCESS_ENV)
    if not folder:
        return encode(REGISTRY), media_type
    registry = CollectorRegistry()
    prometheus_multiprocess.MultiProcessCollector(registry, path=folder)  # type: ignore[no-untyped-call]
    return encode(registry), media_type


class MetricsEndpoint:
    """Answer ``GET /metrics`` (outside ``/api/v1``: not part of the Airflow surface); pass the rest on.

    With a token configured, only ``Authorization: Bearer <token>`` gets the metrics (Prometheus's
    ``authorization`` scrape setting sends exactly that); the comparison takes constant time.
    """

    def __init__(self, app: ASGIApp, token: str = "") -> None:
        self.app = app
        self.expected = f"Bearer {token}".encode() if token else b""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != METRICS_PATH:
            await self.app(scope, receive, send)
            return
        if scope["method"] not in {"GET", "HEAD"}:
            raise MethodNotAllowed(
                detail=f"{scope['method']} is not allowed here; use GET", headers={"Allow": "GET, HEAD"}
            )
        if self.expected:
            given = next((v for k, v in scope["headers"] if k == b"authorization"), b"")
            if not hmac.compare_digest(given, self.expected):
                raise Unauthenticated(
                    detail="The metrics need the configured scrape token as a Bearer token",
                    headers={"WWW-Authenticate": 'Bearer realm="orchestrator-api metrics"'},
                )
        # Reading the workers' files (multiprocess mode) is file I/O: keep it off the event loop.
        accept = next((v for k, v in scope["headers"] if k == b"accept"), b"").decode("latin-1")
        body, media_type = await anyio.to_thread.run_sync(exposition, accept)
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", media_type.encode()),
                    (b"content-length", str(len(body)).encode()),
                    (b"cache-control", b"no-store"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})
