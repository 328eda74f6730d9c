"""Task logs as workers write them, read from an offset on, with a signed continuation token.

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
from orchestrator_api.problem_titles import BAD_LOG_TOKEN
from orchestrator_api.problems import BadRequest
from orchestrator_api.tenancy.context import DEFAULT_ORGANIZATION_ID, current_organization_id

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
    organization = current_organization_id()
    # The default organization keeps the layout it had before organizations; another one gets its own tree.
    base = root if organization == DEFAULT_ORGANIZATION_ID else root / f"organization={organization}"
    folder = base / f"dag_id={key.dag_id}" / f"run_id={key.run_id}" / f"task_id={key.task_id}"
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
        raise BadRequest(title=BAD_LOG_TOKEN, detail="The continuation token is not valid") from None
    if not isinstance(payload, dict):
        raise BadRequest(title=BAD_LOG_TOKEN, detail="The continuation token is not valid")
    offset = payload.get("offset")
    if payload.get("log") != key.as_list() or not isinstance(offset, int) or offset < 0:
        raise BadRequest(title=BAD_LOG_TOKEN, detail="The continuation token belongs to another log")
    return offset


def _complete(data: bytes) -> int:
    """How many leading bytes of ``data`` hold whole UTF-8 characters (a worker may be mid-character)."""
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if byte & 0xC0 != 0x80:  # the lead byte of the last character
            needed = 1 if byte < 0x80 else 2 if byte >> 5 == 0b110 else 3 if byte >> 4 == 0b1110 else 4
            return len(data) - back if back < needed else len(data)
    return len(data)


def read_from(path: Path, offset: int) -> LogChunk:
    """Everything written from ``offset`` on, decoded as UTF-8 (the log may still be growing).

    A character the worker has only half written is left for the next read.
    """
    with path.open("rb") as handle:
        handle.seek(offset)
        data = handle.read()
    end = _complete(data)
    return LogChunk(content=data[:end].decode("utf-8", errors="replace"), next_offset=offset + end)
