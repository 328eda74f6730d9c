"""Changing one task instance: mark its state by hand, set its note."""

from __future__ import annotations

from typing import Any

from orchestrator_api import db
from orchestrator_api.orchestration.lookup import instance_or_404, run_or_404
from orchestrator_api.orchestration.marking import MarkRequest, mark, select_to_mark
from orchestrator_api.orchestration.reads import read_instance
from orchestrator_api.schemas.common import dump
from orchestrator_api.schemas.task_instance import (
    references,
    set_task_instance_note_schema,
    task_instance_schema,
    update_task_instance_schema,
)


def _patch(
    dag_id: str, dag_run_id: str, task_id: str, map_index: int, body: dict[str, Any]
) -> dict[str, Any]:
    data = update_task_instance_schema.load(body)
    instance = instance_or_404(dag_id, dag_run_id, task_id, map_index)
    session = db.session()
    run = run_or_404(dag_id, dag_run_id)
    if data["dry_run"]:
        return references([(instance, run.logical_date)])[0]
    request = MarkRequest(task_id=task_id, new_state=data["new_state"], map_indexes=[map_index])
    mark(session, run, request, select_to_mark(session, run, request))
    # Airflow 2.10.5 answers a change that was made with an empty object (its reference schema is given
    # the list of changed instances); only a dry run names the instance.
    return {}


def patch_task_instance(dag_id: str, dag_run_id: str, task_id: str, body: dict[str, Any]) -> dict[str, Any]:
    return _patch(dag_id, dag_run_id, task_id, -1, body)


def patch_mapped_task_instance(
    dag_id: str, dag_run_id: str, task_id: str, map_index: int, body: dict[str, Any]
) -> dict[str, Any]:
    return _patch(dag_id, dag_run_id, task_id, map_index, body)


def _set_note(
    dag_id: str, dag_run_id: str, task_id: str, map_index: int, body: dict[str, Any]
) -> dict[str, Any]:
    note = set_task_instance_note_schema.load(body)["note"]  # a map_index in the body is ignored
    instance = instance_or_404(dag_id, dag_run_id, task_id, map_index)
    instance.note = note
    db.session().flush()
    row = read_instance(dag_id, dag_run_id, task_id, map_index)
    return dump(task_instance_schema, row)


def set_task_instance_note(
    dag_id: str, dag_run_id: str, task_id: str, body: dict[str, Any]
) -> dict[str, Any]:
    return _set_note(dag_id, dag_run_id, task_id, -1, body)


def set_mapped_task_instance_note(
    dag_id: str, dag_run_id: str, task_id: str, map_index: int, body: dict[str, Any]
) -> dict[str, Any]:
    return _set_note(dag_id, dag_run_id, task_id, map_index, body)
