"""The log of one try of a task instance, as JSON with a continuation token or as plain text."""

from __future__ import annotations

from typing import Any

import flask

from orchestrator_api.orchestration.logs import (
    LogChunk,
    LogKey,
    log_path,
    make_token,
    read_from,
    token_offset,
)
from orchestrator_api.orchestration.lookup import describe_instance, instance_or_404


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
    key = LogKey(dag_id, dag_run_id, task_id, map_index, task_try_number)
    offset = 0 if full_content or not token else token_offset(token, key)
    path = log_path(key)
    what = describe_instance(dag_id, dag_run_id, task_id, map_index)
    if not 1 <= task_try_number <= instance.try_number:
        # Not an error: the try may still come, and its log then reads from the start.
        chunk = LogChunk(f"Try {task_try_number} of the {what} has not happened.\n", 0)
    elif path is None or not path.is_file():
        chunk = LogChunk(f"No log has been written for try {task_try_number} of the {what} yet.\n", 0)
    else:
        chunk = read_from(path, offset)
    # Plain text when the client prefers it or takes either (*/*); JSON when asked for, or without Accept.
    if flask.request.accept_mimetypes.best_match(["text/plain", "application/json"]) == "text/plain":
        return flask.Response(chunk.content, mimetype="text/plain")
    return {"continuation_token": make_token(key, chunk.next_offset), "content": chunk.content}
