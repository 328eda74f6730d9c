"""How many requests one server worker works on at once.

Handlers and credential checks run in threads, and hold Python's interpreter lock for most of their time:
with a worker per core, two of them at once keep the core busy while one waits on the database, and every
one more only slices the core finer, so each request takes longer and the slowest much longer (in
side-by-side runs of the DAG list at 8 connections, two at once had the lower p99 in most pairs, and less
memory; triggering runs was as fast). The rest wait their turn.

A streamed body (``/wait``) is produced by its thread after the handler returned, outside the limit, so
watchers do not hold back other requests; they take threads of their own, started only when needed. Its
producer learns when the client hangs up (:func:`hang_up_of`), so an abandoned stream frees its thread: the
server would otherwise keep writing to nobody until the run ends, and enough abandoned watchers would hold
every thread of the pool.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterable, Mapping
from typing import Any, cast

import anyio.to_thread
from a2wsgi import WSGIMiddleware
from a2wsgi.wsgi_typing import Environ, StartResponse, WSGIApp
from starlette.types import ASGIApp, Message, Receive, Scope, Send

STREAM_THREADS = 64
"""Threads a worker may start for the Flask app: the working ones plus open streams."""


def admitting(wsgi_app: WSGIApp, limit: int) -> WSGIApp:
    """``wsgi_app`` run by at most ``limit`` threads at once, up to the return of its body iterable."""
    turns = threading.BoundedSemaphore(limit)

    def admitted(environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        with turns:
            return wsgi_app(environ, start_response)

    return admitted


_HANG_UP = "orchestrator_api.hang_up"  # the scope key of a request's hang-up event
_STREAMED_TYPES = (b"application/x-ndjson", b"text/event-stream")


def noticing_hang_ups(app: ASGIApp) -> ASGIApp:
    """``app``, with an event per request that is set once a streamed answer's client has gone.

    The server reports a hang-up only to ``receive``. Nothing calls it after a WSGI handler has read its
    request body, so for a streamed answer (by its media type) a task listens from the answer's start
    until its end. By then the handler has returned: it no longer reads the body.
    """

    async def noticing(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        gone = scope[_HANG_UP] = threading.Event()
        listener: asyncio.Task[None] | None = None

        async def listen() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass  # the rest of a body nobody reads
            gone.set()

        async def sending(message: Message) -> None:
            nonlocal listener
            if message["type"] == "http.response.start" and _streamed(message.get("headers", ())):
                listener = asyncio.get_running_loop().create_task(listen())
            await send(message)

        try:
            await app(scope, receive, sending)
        finally:
            if listener is not None:
                listener.cancel()

    return noticing


def _streamed(headers: Iterable[tuple[bytes, bytes]]) -> bool:
    return any(
        name.lower() == b"content-type" and value.startswith(_STREAMED_TYPES) for name, value in headers
    )


def hang_up_of(environ: Mapping[str, Any]) -> threading.Event:
    """The event set when the client of the request behind ``environ`` hangs up during a streamed answer
    (never set under a server that does not tell)."""
    scope = environ.get("asgi.scope") or {}
    event = scope.get(_HANG_UP)
    return event if isinstance(event, threading.Event) else threading.Event()


def handler_pool(wsgi_app: WSGIApp, limit: int) -> ASGIApp:
    """The ASGI face of the Flask app, with the admission limit, room for streams and hang-up notice."""
    wsgi = WSGIMiddleware(admitting(wsgi_app, limit), workers=STREAM_THREADS)
    return noticing_hang_ups(cast(ASGIApp, wsgi))  # a2wsgi types the same messages as TypedDicts


def limit_credential_checks(limit: int) -> None:
    """Credential checks (and connexion's other sync hooks) run in anyio's pool, 40 threads unless told.

    Call from the worker's event loop (its lifespan): the limiter belongs to the loop.
    """
    anyio.to_thread.current_default_thread_limiter().total_tokens = limit
