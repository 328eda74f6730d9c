"""DAG authoring (extension): create a DAG from a definition, read and replace its definition."""

from __future__ import annotations

from typing import Any

import flask

from orchestrator_api import audit, db
from orchestrator_api.authoring import store
from orchestrator_api.authoring.documents import YAML_MEDIA_TYPE, jsonable, load, text_from_body
from orchestrator_api.authoring.revisions import check_if_match
from orchestrator_api.schemas.common import dump
from orchestrator_api.schemas.dag import dag_detail_schema
from orchestrator_api.security.principal import current_principal


def definition_response(authored: store.Authored, status: int = 200) -> flask.Response:
    """The definition in the media type the client prefers (JSON unless it asks for YAML), with its ETag."""
    if flask.request.accept_mimetypes.best_match(["application/json", YAML_MEDIA_TYPE]) == YAML_MEDIA_TYPE:
        response = flask.Response(authored.source, status=status, mimetype=YAML_MEDIA_TYPE)
    else:
        response = flask.jsonify(jsonable(load(authored.source)))
        response.status_code = status
    response.headers["ETag"] = authored.etag
    return response


def audit_revision(authored: store.Authored) -> None:
    """Record the revision a change produced on the request's audit row."""
    revision = None if authored.definition is None else authored.definition.revision
    audit.annotate(dag_id=authored.dag.dag_id, detail={"revision": revision})


def post_dag(body: Any) -> flask.Response:
    text, from_yaml = text_from_body(body)
    authored = store.create(db.session(), text, from_yaml=from_yaml, actor=current_principal().username)
    audit_revision(authored)
    response = flask.jsonify(dump(dag_detail_schema, authored.dag))
    response.status_code = 201
    response.headers["ETag"] = authored.etag
    return response


def get_dag_definition(dag_id: str) -> flask.Response:
    return definition_response(store.read(db.session(), dag_id))


def put_dag_definition(dag_id: str, body: Any) -> flask.Response:
    session = db.session()
    authored = store.editable(session, dag_id)
    check_if_match(flask.request.headers.get("If-Match"), authored.etag)
    text, from_yaml = text_from_body(body)
    authored = store.replace(
        session, authored, text, from_yaml=from_yaml, actor=current_principal().username
    )
    audit_revision(authored)
    return definition_response(authored)
