"""DAG files: read a file's source, parse a file again now."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import flask
from sqlalchemy import select

from orchestrator_api import db
from orchestrator_api.dags import sync_file
from orchestrator_api.dags.file_token import fileloc_from_token
from orchestrator_api.dags.spec import API_FILELOC_PREFIX
from orchestrator_api.instance import secret_key
from orchestrator_api.models.dag import Dag, DagCode
from orchestrator_api.problems import BadRequest, NotFound
from orchestrator_api.security.permissions import dag_filter
from orchestrator_api.security.principal import CAN_EDIT, CAN_READ, current_principal


def _fileloc(file_token: str, action: str) -> str:
    """The file behind a token, if the caller may act on a DAG it defines; 404 otherwise."""
    fileloc = fileloc_from_token(file_token, secret_key())
    if fileloc is not None:
        visible = db.session().scalar(
            select(Dag.dag_id).where(
                Dag.fileloc == fileloc, dag_filter(current_principal(), Dag.dag_id, action)
            )
        )
        if visible is not None:
            return fileloc
    raise NotFound(
        title="DAG file not found", detail="No DAG file matches this token; use a file_token the API gave you"
    )


def get_dag_source(file_token: str) -> Any:
    fileloc = _fileloc(file_token, CAN_READ)
    source = db.session().scalar(select(DagCode.source_code).where(DagCode.fileloc == fileloc))
    if source is None:
        raise NotFound(title="DAG file not found", detail="The source of this DAG file is not stored")
    if flask.request.accept_mimetypes.best_match(["application/json", "text/plain"]) == "text/plain":
        return flask.Response(source, mimetype="text/plain")
    return {"content": source}


def reparse_dag_file(file_token: str) -> tuple[str, int]:
    fileloc = _fileloc(file_token, CAN_EDIT)
    if fileloc.startswith(API_FILELOC_PREFIX):
        raise BadRequest(detail="This DAG is defined through the API; there is no file to parse")
    path = Path(fileloc)
    if not path.parent.is_dir():
        raise NotFound(title="DAG file not found", detail="The folder of this DAG file no longer exists")
    # The file's own folder, not the configured one: DAGs may have been synced with --dags-folder.
    sync_file(db.session(), path, path.parent)
    return "", 201
