"""The log of one try of a task instance, as JSON chunks or plain text."""

from __future__ import annotations

from typing import Any

import flask

from orchestrator_api.orchestration.logs import (
    CHUNK_BYTES,
    LogKey,
    log_path,
    make_token,
    read_chunk,
    token_offset,
)
from orchestrator_api.orchestration.lookup import describe_instance, instance_or_404
from orchestrator_api.problems import NotFound


def get_log(
    dag_id: str,
    dag_run_id: str,
    task_id: str,
    task_try_number: int,
    full_content: bool = False,
    map_index: int = -1,
    token: str | None = None,
) -> dict[str, Any] | flask.Response:
    instance = instance_or_404(dag_id, dag_run_id, task_id, map_index)
    what = describe_instance(dag_id, dag_run_id, task_id, map_index)
    if not 1 <= task_try_number <= instance.try_number:
        raise NotFound(title="Try not found", detail=f"Try {task_try_number} of the {what} never happened")
    key = LogKey(dag_id, dag_run_id, task_id, map_index, task_try_number)
    path = log_path(key)
    if path is None or not path.is_file():
        raise NotFound(title="Log not found", detail=f"No log file for try {task_try_number} of the {what}")
    offset = token_offset(token, key) if token else 0
    if flask.request.accept_mimetypes.best_match(["application/json", "text/plain"]) == "text/plain":
        chunk = read_chunk(path, 0 if full_content else offset, None)
        return flask.Response(chunk.content, mimetype="text/plain")
    chunk = read_chunk(path, 0, None) if full_content else read_chunk(path, offset, CHUNK_BYTES)
    return {"continuation_token": make_token(key, chunk.next_offset), "content": chunk.content}
