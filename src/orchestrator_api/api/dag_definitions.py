"""DAG authoring (extension): create a DAG from a definition, read and replace its definition."""

from __future__ import annotations

from typing import Any

import flask

from orchestrator_api import db
from orchestrator_api.authoring import store
from orchestrator_api.authoring.documents import text_from_body
from orchestrator_api.authoring.http import audit_revision, definition_response
from orchestrator_api.authoring.revisions import check_if_match
from orchestrator_api.schemas.common import dump
from orchestrator_api.schemas.dag import dag_detail_schema
from orchestrator_api.security.principal import current_principal


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
    authored = store.replace(session, authored, text, from_yaml=from_yaml, actor=current_principal().username)
    audit_revision(authored)
    return definition_response(authored)
