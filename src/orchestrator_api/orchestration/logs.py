"""Task logs as workers write them, read in bounded chunks with a signed continuation token.

Layout: ``<LOGS_FOLDER>/dag_id=D/run_id=R/task_id=T/[map_index=M/]attempt=N.log``. A token records the
log it belongs to and the byte offset to read on from; it is signed, so a client can neither forge an
offset nor reuse a token on another log.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from itsdangerous import BadData, URLSafeSerializer

from orchestrator_api.config import get_settings
from orchestrator_api.instance import secret_key
from orchestrator_api.problems import BadRequest

CHUNK_BYTES = 64 * 1024
"""The most a JSON answer without ``full_content`` carries."""

_SALT = "task-log-continuation"


@dataclass(frozen=True)
class LogKey:
    dag_id: str
    run_id: str
    task_id: str
    map_index: int
    try_number: int

    def as_list(self) -> list[Any]:
        return [self.dag_id, self.run_id, self.task_id, self.map_index, self.try_number]


@dataclass(frozen=True)
class LogChunk:
    content: str
    next_offset: int


def log_path(key: LogKey) -> Path | None:
    """Where the worker writes this try's log; None if the ids would lead outside the logs folder."""
    root = Path(get_settings().logs_folder).resolve()
    folder = root / f"dag_id={key.dag_id}" / f"run_id={key.run_id}" / f"task_id={key.task_id}"
    if key.map_index >= 0:
        folder = folder / f"map_index={key.map_index}"
    path = (folder / f"attempt={key.try_number}.log").resolve()
    return path if path.is_relative_to(root) else None


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(secret_key(), salt=_SALT)


def make_token(key: LogKey, offset: int) -> str:
    return str(_serializer().dumps({"log": key.as_list(), "offset": offset}))


def token_offset(token: str, key: LogKey) -> int:
    """The offset a continuation token points at; 400 if it was altered or belongs to another log."""
    try:
        payload = _serializer().loads(token)
    except BadData:
        raise BadRequest(detail="The continuation token is not valid") from None
    if not isinstance(payload, dict):
        raise BadRequest(detail="The continuation token is not valid")
    offset = payload.get("offset")
    if payload.get("log") != key.as_list() or not isinstance(offset, int) or offset < 0:
        raise BadRequest(detail="The continuation token belongs to another log")
    return offset


def _cut(data: bytes) -> bytes:
    """A chunk that ends at a line break, or at least not inside a UTF-8 character."""
    newline = data.rfind(b"\n")
    if newline >= 0:
        return data[: newline + 1]
    end = len(data)
    # Step back over continuation bytes (10xxxxxx) to the lead byte of the last character, and leave
    # that character for the next chunk.
    while end > 0 and data[end - 1] & 0xC0 == 0x80:
        end -= 1
    if end > 0 and data[end - 1] & 0x80:
        end -= 1
    return data[:end] or data


def read_chunk(path: Path, offset: int, limit: int | None) -> LogChunk:
    """Up to ``limit`` bytes (everything when None) from ``offset``, decoded as UTF-8."""
    with path.open("rb") as handle:
        handle.seek(offset)
        if limit is None:
            data = handle.read()
        else:
            data = handle.read(limit + 1)
            if len(data) > limit:
                data = _cut(data[:limit])
    return LogChunk(content=data.decode("utf-8", errors="replace"), next_offset=offset + len(data))
