"""What the authoring handlers share at the HTTP edge: the negotiated definition answer and its audit note."""

from __future__ import annotations

import flask

from orchestrator_api import audit
from orchestrator_api.authoring.documents import YAML_MEDIA_TYPE, jsonable, load
from orchestrator_api.authoring.store import Authored


def definition_response(authored: Authored, status: int = 200) -> flask.Response:
    """The definition in the media type the client prefers (JSON unless it asks for YAML), with its ETag."""
    if flask.request.accept_mimetypes.best_match(["application/json", YAML_MEDIA_TYPE]) == YAML_MEDIA_TYPE:
        response = flask.Response(authored.source, status=status, mimetype=YAML_MEDIA_TYPE)
    else:
        response = flask.jsonify(jsonable(load(authored.source)))
        response.status_code = status
    response.headers["ETag"] = authored.etag
    return response


def audit_revision(authored: Authored) -> None:
    """Record the DAG and the revision a change produced on the request's audit row."""
    revision = None if authored.definition is None else authored.definition.revision
    audit.annotate(dag_id=authored.dag.dag_id, detail={"revision": revision})
