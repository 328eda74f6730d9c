"""How many requests one server worker works on at once.

Handlers and credential checks run in threads, and hold Python's interpreter lock for most of their time:
with a worker per core, two of them at once keep the core busy while one waits on the database, and every
one more only slices the core finer, so each request takes longer and the slowest much longer (in
side-by-side runs of the DAG list at 8 connections, two at once had the lower p99 in most pairs, and less
memory; triggering runs was as fast). The rest wait their turn.

A streamed body (``/wait``) is produced by its thread after the handler returned, outside the limit, so
watchers do not hold back other requests; they take threads of their own, started only when needed.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

import anyio.to_thread
from a2wsgi import WSGIMiddleware
from a2wsgi.wsgi_typing import Environ, StartResponse, WSGIApp

STREAM_THREADS = 64
"""Threads a worker may start for the Flask app: the working ones plus open streams."""


def admitting(wsgi_app: WSGIApp, limit: int) -> WSGIApp:
    """``wsgi_app`` run by at most ``limit`` threads at once, up to the return of its body iterable."""
    turns = threading.BoundedSemaphore(limit)

    def admitted(environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        with turns:
            return wsgi_app(environ, start_response)

    return admitted


def handler_pool(wsgi_app: WSGIApp, limit: int) -> WSGIMiddleware:
    """The ASGI face of the Flask app, with the admission limit and room for streams."""
    return WSGIMiddleware(admitting(wsgi_app, limit), workers=STREAM_THREADS)


def limit_credential_checks(limit: int) -> None:
    """Credential checks (and connexion's other sync hooks) run in anyio's pool, 40 threads unless told.

    Call from the worker's event loop (its lifespan): the limiter belongs to the loop.
    """
    anyio.to_thread.current_default_thread_limiter().total_tokens = limit
