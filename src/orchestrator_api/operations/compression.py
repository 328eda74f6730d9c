"""gzip for large answers, deciding on each answer's real size."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

WHOLE_BODY_LIMIT = 1 << 20

# Answers that are streams by nature (watching a run): each piece must leave as soon as it is written, so
# they are neither joined nor compressed.
STREAMED_MEDIA_TYPES = ("application/x-ndjson", "text/event-stream")


def is_streamed(start: Message) -> bool:
    """Whether an ``http.response.start`` message begins a streamed media type."""
    for name, value in start.get("headers", []):
        if name.lower() == b"content-type":
            return value.decode("latin-1").split(";")[0].strip().lower() in STREAMED_MEDIA_TYPES
    return False


class WholeBody:
    """Pass a response body on in one message when it is at most ``limit`` bytes.

    Flask answers through a WSGI bridge that sends the body and then an empty last message. gzip cannot
    tell the size of a body that arrives in pieces, so it would compress every answer, tiny ones too, as
    a stream without ``Content-Length``. Joined, a small answer stays as it is and a large one is
    compressed with its length known; bodies over ``limit`` (large task logs) stream on as they come.
    """

    def __init__(self, app: ASGIApp, limit: int = WHOLE_BODY_LIMIT) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []
        size = 0

        async def release(more: bool) -> None:
            nonlocal start
            if start is not None:
                held, start = start, None
                await send(held)
            if chunks or not more:
                await send({"type": "http.response.body", "body": b"".join(chunks), "more_body": more})
                chunks.clear()

        async def joined_send(message: Message) -> None:
            nonlocal start, size
            if message["type"] == "http.response.start":
                if is_streamed(message):
                    await send(message)
                    return
                start = message
                return
            if message["type"] != "http.response.body":  # e.g. an extension's message: keep the order
                await release(more=True)
                await send(message)
                return
            if start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            more = message.get("more_body", False)
            if not more or size > self.limit:
                await release(more)

        await self.app(scope, receive, joined_send)
