"""ASGI middleware around connexion's stack: request ids and access log, body size limit, negotiation."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Mapping
from typing import Any

import anyio
from connexion.datastructures import MediaTypeDict
from connexion.validators import VALIDATOR_MAP, AbstractResponseBodyValidator
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from orchestrator_api.config import get_settings
from orchestrator_api.operations.logs import ACCESS_FIELDS
from orchestrator_api.operations.metrics import record_request
from orchestrator_api.operations.routes import RouteNames
from orchestrator_api.problems import BadRequest, NotAcceptable, PayloadTooLarge
from orchestrator_api.redaction import redact_path

access_log = logging.getLogger("orchestrator_api.access")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


class RequestContextMiddleware:
    """Give every request an id (kept from a sane ``X-Request-ID``), echo it, and log one line per request.

    The line has method, path (trigger tokens redacted, no query string: it may carry tokens), status,
    duration, request id and the authenticated user. Never a header value or body.
    """

    def __init__(self, app: ASGIApp, routes: RouteNames, metrics: bool = True) -> None:
        self.app = app
        self.routes = routes
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = _header(scope, b"x-request-id")
        request_id = incoming if incoming and _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        headers = [(k, v) for k, v in scope["headers"] if k != b"x-request-id"]
        headers.append((b"x-request-id", request_id.encode()))
        # The inner layers record the authenticated user in `extensions`; share the dict to read it back.
        extensions = scope.setdefault("extensions", {})
        scope = {**scope, "headers": headers, "extensions": extensions}
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {
                    **message,
                    "headers": [*message.get("headers", []), (b"x-request-id", request_id.encode())],
                }
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            self._record(scope, status, time.perf_counter() - started, request_id)

    def _record(self, scope: Scope, status: int, seconds: float, request_id: str) -> None:
        """The access log line (plain, or structured for JSON logs) and the request metrics."""
        route = self.routes.of(scope)
        method: str = scope["method"]
        if self.metrics:
            record_request(route, method, status, seconds)
        if not access_log.isEnabledFor(logging.INFO):
            return
        path = redact_path(scope["path"])
        user = scope["extensions"].get("connexion_context", {}).get("user") or "-"
        fields = {
            "request_id": request_id,
            "principal": None if user == "-" else user,
            "method": method,
            "route": route,
            "path": path,
            "status": status,
            "duration_ms": round(seconds * 1000, 1),
        }
        access_log.info(
            "%s %s %s %.1fms id=%s user=%s",
            method,
            path,
            status,
            seconds * 1000,
            request_id,
            user,
            extra={ACCESS_FIELDS: fields},
        )


class BodyLimitMiddleware:
    """Read the request body up front: refuse it over the configured size (413, declared or streamed) and
    refuse one that does not arrive within the read timeout (400), then replay it with its length.

    A chunked body has no ``Content-Length``; connexion's validators treat a missing length as "no body",
    so the replay declares the length it measured. A ``Content-Length`` larger than what the client sends
    would otherwise hold the worker slot until the client gives up.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in {"GET", "HEAD", "OPTIONS", "DELETE"}:
            await self.app(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            raise self._too_large()
        timeout = get_settings().body_read_timeout
        with anyio.move_on_after(timeout) as reading:
            body, other = await self._read(receive)
        if reading.cancelled_caught:
            raise BadRequest(
                title="Incomplete request body",
                detail=f"The request body did not arrive in full within {timeout} seconds",
            )
        if other is not None:  # the client went away: let the app see the disconnect
            await self.app(scope, _replay([other]), send)
            return
        headers = [(k, v) for k, v in scope["headers"] if k not in {b"content-length", b"transfer-encoding"}]
        headers.append((b"content-length", str(len(body)).encode()))
        scope = {**scope, "headers": headers}
        await self.app(scope, _replay([{"type": "http.request", "body": body, "more_body": False}]), send)

    async def _read(self, receive: Receive) -> tuple[bytes, Message | None]:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return b"", message
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                raise self._too_large()
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks), None

    def _too_large(self) -> PayloadTooLarge:
        return PayloadTooLarge(detail=f"The request body exceeds the limit of {self.max_bytes} bytes")


def _replay(messages: list[Message]) -> Receive:
    pending = list(messages)

    async def receive() -> Message:
        if pending:
            return pending.pop(0)
        return {"type": "http.disconnect"}

    return receive


def _media_ranges(accept: str) -> list[tuple[str, float]]:
    ranges = []
    for part in accept.split(","):
        pieces = [p.strip() for p in part.split(";")]
        if not pieces[0]:
            continue
        quality = 1.0
        for param in pieces[1:]:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        ranges.append((pieces[0].lower(), quality))
    return ranges


def acceptable(accept: str | None, offered: list[str]) -> bool:
    """Whether any offered media type satisfies the ``Accept`` header (absent header: anything goes)."""
    if not accept or not offered:
        return True
    for media_range, quality in _media_ranges(accept):
        if quality <= 0:
            continue
        kind, _, subtype = media_range.partition("/")
        for media_type in offered:
            offered_kind, _, offered_subtype = media_type.partition("/")
            if (
                media_range in {"*/*", "*"}
                or media_range == media_type
                or (subtype == "*" and kind == offered_kind)
            ):
                return True
            if offered_subtype.endswith("+json") and media_range == "application/json":
                return True
    return False


class AcceptMiddleware:
    """406 when the ``Accept`` header excludes every media type an operation that negotiates can produce.

    Operations left out of ``negotiating`` (Airflow's, as Airflow serves them) answer their usual media
    type whatever ``Accept`` says.
    """

    def __init__(
        self, app: ASGIApp, produces: Mapping[str, list[str]], negotiating: frozenset[str] | None = None
    ) -> None:
        self.app = app
        self.produces = produces
        self.negotiating = frozenset(produces) if negotiating is None else negotiating

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            routing: dict[str, Any] = scope.get("extensions", {}).get("connexion_routing", {})
            operation_id = routing.get("operation_id") or ""
            offered = self.produces.get(operation_id, [])
            accept = _header(scope, b"accept")
            if operation_id in self.negotiating and not acceptable(accept, offered):
                raise NotAcceptable(
                    detail=f"This operation produces only {', '.join(offered)}; the Accept header allows none"
                )
        await self.app(scope, receive, send)


class StreamedBodyValidator(AbstractResponseBodyValidator):  # type: ignore[misc]  # connexion has no hints
    """Response "validation" for streamed media types (NDJSON): passes every chunk on as it comes.

    connexion's JSON validator (which `*/*json` would pick for `application/x-ndjson`) collects the whole
    body before sending any of it, which would turn a stream that lasts as long as a run into one late
    answer, and then refuse it because several JSON lines are not one JSON document.
    """

    def wrap_send(self, send: Send) -> Send:
        return send


RESPONSE_VALIDATORS = MediaTypeDict(
    {
        **VALIDATOR_MAP["response"],
        "application/x-ndjson": StreamedBodyValidator,
        "text/event-stream": StreamedBodyValidator,
    }
)
