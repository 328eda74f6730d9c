"""uvicorn's HTTP protocol (httptools), with two changes the server needs.

- A request the HTTP parser rejects (a malformed header line, a bad ``Content-Length``) is answered before
  the app ever sees it; uvicorn's answer is plain text. Ours is the same RFC 7807 problem every other error
  gets.
- A graceful shutdown (SIGTERM, or a worker recycled after ``max_requests``) closes idle keep-alive
  connections at once in uvicorn, racing with the client's next request on them: the client sees a dropped
  connection. Here an idle connection stays open; its next request is served with ``Connection: close``
  and then the connection ends, so clients under load never lose a request. Connections that stay idle end
  at the usual keep-alive timeout.
"""

from __future__ import annotations

import json

from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

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

    def on_headers_complete(self) -> None:
        super().on_headers_complete()
        if self.draining and self.cycle is not None:
            self.cycle.keep_alive = False
