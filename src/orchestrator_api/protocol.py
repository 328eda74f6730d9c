"""uvicorn's HTTP protocol (httptools), with two changes the server needs.

- A request the HTTP parser rejects (a malformed header line, a bad ``Content-Length``) is answered before
  the app ever sees it; uvicorn's answer is plain text. Ours is the same RFC 7807 problem every other error
  gets.
- uvicorn waits for a request's headers as long as the client keeps the connection; here a request whose
  headers are still incomplete after ``BODY_READ_TIMEOUT`` seconds gets that 400 and the connection ends.
- A graceful shutdown (SIGTERM, or a worker recycled after ``max_requests``) closes idle keep-alive
  connections at once in uvicorn, racing with the client's next request on them: the client sees a dropped
  connection. Here an idle connection stays open; its next request is served with ``Connection: close``
  and then the connection ends, so clients under load never lose a request. Connections that stay idle end
  at the usual keep-alive timeout.
"""

from __future__ import annotations

import asyncio
import json

from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from orchestrator_api.config import get_settings
from orchestrator_api.problems import PROBLEM_JSON, problem_type


def parser_problem(message: str) -> bytes:
    """The body of a 400 for a request uvicorn could not parse (the message is uvicorn's, never input)."""
    return json.dumps(
        {
            "type": problem_type("BadRequest"),
            "title": "Bad Request",
            "status": 400,
            "detail": f"The HTTP request is malformed: {message}",
            "instance": "",
        }
    ).encode()


class ProblemHttpToolsProtocol(HttpToolsProtocol):
    """See the module docstring."""

    draining = False
    header_timer: asyncio.TimerHandle | None = None

    def send_400_response(self, msg: str) -> None:
        body = parser_problem(msg)
        head = [STATUS_LINE[400]]
        for name, value in self.server_state.default_headers:
            head.extend([name, b": ", value, b"\r\n"])
        head.extend(
            [
                b"content-type: " + PROBLEM_JSON.encode() + b"\r\n",
                b"content-length: " + str(len(body)).encode("ascii") + b"\r\n",
                b"connection: close\r\n",
                b"\r\n",
                body,
            ]
        )
        self.transport.write(b"".join(head))
        self.transport.close()

    def shutdown(self) -> None:
        self.draining = True
        if self.cycle is not None and not self.cycle.response_complete:
            self.cycle.keep_alive = False
        elif self.timeout_keep_alive_task is None and not self.transport.is_closing():
            # Idle, but not yet waiting on the keep-alive timer (e.g. a connection with no request yet).
            self.timeout_keep_alive_task = self.loop.call_later(
                self.timeout_keep_alive, self.timeout_keep_alive_handler
            )

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self.header_timer is None:
            self.header_timer = self.loop.call_later(get_settings().body_read_timeout, self._headers_too_slow)

    def _headers_too_slow(self) -> None:
        self.header_timer = None
        if not self.transport.is_closing():
            self.send_400_response("the request headers did not arrive in time")

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_header_timer()
        super().connection_lost(exc)

    def _cancel_header_timer(self) -> None:
        if self.header_timer is not None:
            self.header_timer.cancel()
            self.header_timer = None

    def on_headers_complete(self) -> None:
        self._cancel_header_timer()
        super().on_headers_complete()
        if self.draining and self.cycle is not None:
            self.cycle.keep_alive = False
