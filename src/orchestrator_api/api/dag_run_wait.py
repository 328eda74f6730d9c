"""Watching a run (extension): its state streamed as NDJSON or Server-Sent Events until it finishes."""

from __future__ import annotations

import flask

from orchestrator_api.concurrency import hang_up_of
from orchestrator_api.execution.watch import lines
from orchestrator_api.models.run import DagRun
from orchestrator_api.problems import PermissionDenied
from orchestrator_api.queries import get_or_404
from orchestrator_api.security.permissions import XCOMS
from orchestrator_api.security.principal import CAN_READ, current_principal
from orchestrator_api.tenancy.context import current_organization_id

SSE = "text/event-stream"
NDJSON = "application/x-ndjson"


def wait_dag_run(
    dag_id: str,
    dag_run_id: str,
    interval: float = 1.0,
    result: list[str] | None = None,
    task_states: bool = False,
) -> flask.Response:
    get_or_404(
        DagRun,
        DagRun.dag_id == dag_id,
        DagRun.run_id == dag_run_id,
        detail=f"DAGRun with DAG ID: '{dag_id}' and DagRun ID: '{dag_run_id}' not found",
    )
    if result and not current_principal().has(CAN_READ, XCOMS):
        raise PermissionDenied(detail=f"Missing permission {CAN_READ} on {XCOMS}")
    accept = flask.request.accept_mimetypes
    sse = accept[SSE] > accept[NDJSON]  # `*/*` and no Accept header get NDJSON
    stream = lines(
        dag_id,
        dag_run_id,
        interval=interval,
        task_states=task_states,
        results=list(result or []),
        sse=sse,
        organization_id=current_organization_id(),
        hung_up=hang_up_of(flask.request.environ),
    )
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return flask.Response(stream, mimetype=SSE if sse else NDJSON, headers=headers)
