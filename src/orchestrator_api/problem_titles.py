"""Airflow 2.10.5's problem ``title`` for each situation, so a client that switches on titles keeps working.

Raising sites name the situation with our own title ("DAG run not found"); :func:`airflow_title` turns it
into the title Airflow answers in the operation being served. Airflow's titles vary per operation (one
handler says ``DAGRun not found``, another puts the path's ids in the title), so the table is keyed by
operationId first and falls back to one title per situation. Templates take their ``{names}`` from the
operation's arguments (path parameters, then the JSON body's fields); one that cannot be filled falls back.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import flask

# Situations of bad bodies: a value the resource's schema refuses, a frozen field given another value.
INVALID_BODY = "Invalid request body"
FROZEN_FIELD = "Field cannot change"
BAD_LOG_TOKEN = "Bad log continuation token"

# Our situation title -> Airflow's, wherever the operation has no entry below.
_BY_SITUATION: dict[str, str] = {
    "DAG run not found": "DAGRun not found",
    "Task not mapped": "Task instance not found",
    "Try not found": "Task instance not found",
    "Pool not found": "Not Found",
    "Queued event not found": "Queue event not found",
    "Event log not found": "Event Log not found",
    INVALID_BODY: "Bad Request",
    FROZEN_FIELD: "Bad Request",
    BAD_LOG_TOKEN: "Bad Signature. Please use only the tokens provided by the API.",
}

_DAG, _RUN, _TASK, _TI = "DAG not found", "DAG run not found", "Task not found", "Task instance not found"
_RUN_IN_DAG = "Dag Run id {dag_run_id} not found in dag {dag_id}"
_NOTE_TI = "Task Instance not found for dag_id={dag_id}, run_id={dag_run_id}, task_id={task_id}"


def _all(title: str, *situations: str) -> dict[str, str]:
    return dict.fromkeys(situations, title)


_INSTANCE_PATH = (_DAG, _RUN, _TASK, _TI, "Task not mapped", "Try not found")

# operationId -> {our situation title: Airflow's title in that operation}.
_BY_OPERATION: dict[str, dict[str, str]] = {
    "patch_dag": _all("Dag with id: '{dag_id}' not found", _DAG),
    "delete_dag": _all("Dag with id: '{dag_id}' not found", _DAG),
    "get_dag_run": _all("DAGRun not found", _DAG, _RUN),
    "get_upstream_dataset_events": _all("DAGRun not found", _DAG, _RUN),
    "delete_dag_run": _all("Not Found", _DAG, _RUN),
    "update_dag_run_state": _all(_RUN_IN_DAG, _DAG, _RUN),
    "set_dag_run_note": _all(_RUN_IN_DAG, _DAG, _RUN),
    # Airflow's clear_dag_run title has three spaces before the DAG id.
    "clear_dag_run": _all("Dag Run id {dag_run_id} not found in dag   {dag_id}", _DAG, _RUN),
    "get_task_instance": _all(_TI, *_INSTANCE_PATH),
    "get_mapped_task_instance": _all(_TI, *_INSTANCE_PATH),
    "get_task_instance_try_details": _all(_TI, *_INSTANCE_PATH),
    "get_mapped_task_instance_try_details": _all(_TI, *_INSTANCE_PATH),
    "get_mapped_task_instances": {
        _DAG: "DAG {dag_id} not found",
        _TASK: "Task id {task_id} not found",
        "Task not mapped": "Task id {task_id} is not mapped",
    },
    "patch_task_instance": _all("Not Found", _RUN, _TI, "Task not mapped"),
    "patch_mapped_task_instance": _all("Not Found", _RUN, _TI, "Task not mapped"),
    "set_task_instance_note": _all(_NOTE_TI, _DAG, _RUN, _TASK, _TI, "Task not mapped"),
    "set_mapped_task_instance_note": _all(_NOTE_TI, _DAG, _RUN, _TASK, _TI, "Task not mapped"),
    "get_task_instance_dependencies": _all(_NOTE_TI, _DAG, _RUN, _TASK, _TI, "Task not mapped"),
    "get_mapped_task_instance_dependencies": _all(_NOTE_TI, _DAG, _RUN, _TASK, _TI, "Task not mapped"),
    "post_clear_task_instances": {_DAG: "Dag id {dag_id} not found", _RUN: _RUN_IN_DAG},
    "post_set_task_instances_state": {
        _DAG: "Dag ID {dag_id} not found",
        _TASK: "Task ID {task_id} not found",
        _RUN: "Not Found",
        _TI: "Not Found",
    },
    "get_log": _all("TaskInstance not found", *_INSTANCE_PATH),
    "get_extra_links": {_RUN: "DAG Run not found"},
    "get_xcom_entry": _all("XCom entry not found", *_INSTANCE_PATH),
    "get_dag_source": _all("Dag source not found", "DAG file not found"),
    "reparse_dag_file": _all("File not found", "DAG file not found"),
    "post_variables": {INVALID_BODY: "Invalid Variable schema"},
    "patch_variable": {INVALID_BODY: "Invalid Variable schema", FROZEN_FIELD: "Invalid post body"},
}


def current_operation(operation_id: str, arguments: Mapping[str, Any]) -> None:
    """Remember which operation this request serves (the resolver calls it before the handler)."""
    flask.g.problem_operation = (operation_id, arguments)


def airflow_title(title: str) -> str:
    """Airflow's title for the situation ``title`` in the operation being served."""
    operation = flask.g.get("problem_operation") if flask.has_app_context() else None
    if operation is None:
        return _BY_SITUATION.get(title, title)
    operation_id, arguments = operation
    template = _BY_OPERATION.get(operation_id, {}).get(title)
    if template is None:
        return _BY_SITUATION.get(title, title)
    body = arguments.get("body")
    values = {**(body if isinstance(body, Mapping) else {}), **arguments}
    try:
        return template.format_map({k: v for k, v in values.items() if isinstance(v, str | int)})
    except (KeyError, ValueError):
        return _BY_SITUATION.get(title, title)
