"""DAG authoring (extension): add, change and delete one task of an API DAG, as Mage does with blocks.

Each change edits the definition's data and goes through the same validation and revision as a PUT of the
whole definition; Airflow's GETs of tasks live in ``dag_tasks``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flask

from orchestrator_api import db
from orchestrator_api.authoring import store
from orchestrator_api.authoring.documents import jsonable, load, render
from orchestrator_api.authoring.http import audit_revision
from orchestrator_api.authoring.revisions import check_if_match
from orchestrator_api.authoring.tasks import TaskDraft, remove_task, task_index, task_list
from orchestrator_api.patching import PatchRules, apply_patch
from orchestrator_api.schemas.dag_definition import task_definition_schema
from orchestrator_api.security.principal import current_principal

_PATCH_RULES = PatchRules(
    frozen={"task_id": "task_id cannot be changed; add a task with the new id and delete this one"}
)


def _edit(dag_id: str, change: Callable[[dict[str, Any]], object]) -> store.Authored:
    session = db.session()
    authored = store.editable(session, dag_id)
    check_if_match(flask.request.headers.get("If-Match"), authored.etag)
    data = load(authored.source)
    change(data)
    authored = store.replace(
        session, authored, render(data), from_yaml=False, actor=current_principal().username
    )
    audit_revision(authored)
    return authored


def _task_response(authored: store.Authored, task_id: str, status: int) -> flask.Response:
    data = load(authored.source)
    response = flask.jsonify(jsonable(task_list(data)[task_index(data, task_id)]))
    response.status_code = status
    response.headers["ETag"] = authored.etag
    return response


def post_task(dag_id: str, body: dict[str, Any]) -> flask.Response:
    task_definition_schema.load(body)  # the known keys, with task_id and operator present
    task = {key: value for key, value in body.items() if value is not None}
    authored = _edit(dag_id, lambda data: task_list(data).append(task))
    return _task_response(authored, str(body["task_id"]), 201)


def patch_task(
    dag_id: str, task_id: str, body: dict[str, Any], update_mask: list[str] | None = None
) -> flask.Response:
    def change(data: dict[str, Any]) -> None:
        tasks = task_list(data)
        index = task_index(data, task_id)
        draft = TaskDraft(tasks[index])
        apply_patch(draft, body, update_mask, schema=task_definition_schema, rules=_PATCH_RULES)
        tasks[index] = draft.as_mapping()

    return _task_response(_edit(dag_id, change), task_id, 200)


def delete_task(dag_id: str, task_id: str, cascade: bool = False) -> flask.Response:
    authored = _edit(dag_id, lambda data: remove_task(data, task_id, cascade=cascade))
    response = flask.Response(status=204)
    del response.headers["Content-Type"]
    response.headers["ETag"] = authored.etag
    return response
