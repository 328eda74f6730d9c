"""Trigger tokens (extension): per-DAG secrets that can start runs of that DAG and do nothing else.

Whoever may edit a DAG lists, creates and revokes its tokens. ``POST /triggers/{token}`` starts a run for
systems that can only call a URL; the same token also works as a Bearer or ``Private-Token`` credential,
where its principal may call ``post_dag_run`` on its DAG only.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import flask
from sqlalchemy import select

from orchestrator_api import audit, db
from orchestrator_api.models.token import TriggerToken
from orchestrator_api.orchestration.trigger import RunRequest, create_dag_run, triggerable_dag
from orchestrator_api.pagination import SortColumn, paginate
from orchestrator_api.problems import BadRequest, Unauthenticated
from orchestrator_api.queries import dag_or_404, get_or_404
from orchestrator_api.schemas.common import dump, dump_many
from orchestrator_api.schemas.dag_run import dag_run_schema
from orchestrator_api.schemas.tokens import (
    trigger_token_request_schema,
    trigger_token_schema,
)
from orchestrator_api.security.principal import current_principal
from orchestrator_api.security.token_secrets import issue_trigger_token
from orchestrator_api.security.tokens import find_trigger_token, trigger_actor
from orchestrator_api.tenancy.context import set_request_organization, unscoped
from orchestrator_api.timeutil import utcnow
from orchestrator_api.validation import FORM, parse_json, submitted_form

TRIGGER_TOKEN_SORTABLE: dict[str, SortColumn] = {
    "id": TriggerToken.id,
    "name": TriggerToken.name,
    "created_at": TriggerToken.created_at,
    "expires_at": TriggerToken.expires_at,
    "last_used_at": TriggerToken.last_used_at,
}


def get_trigger_tokens(
    dag_id: str, limit: int | None = None, offset: int = 0, order_by: str | None = None
) -> dict[str, Any]:
    dag_or_404(dag_id)
    stmt = select(TriggerToken).where(TriggerToken.dag_id == dag_id, TriggerToken.revoked_at.is_(None))
    page = paginate(
        stmt,
        limit=limit,
        offset=offset,
        order_by=order_by,
        sortable=TRIGGER_TOKEN_SORTABLE,
        default="id",
        tiebreak=[TriggerToken.id],
    )
    return {"trigger_tokens": dump_many(trigger_token_schema, page.rows), "total_entries": page.total}


def post_trigger_token(dag_id: str, body: dict[str, Any]) -> tuple[dict[str, Any], int]:
    dag_or_404(dag_id)
    request = trigger_token_request_schema.load(body)
    days = request.get("expires_in_days")
    token, secret = issue_trigger_token(
        db.session(),
        dag_id,
        name=request["name"],
        created_by=current_principal().username,
        lifetime=timedelta(days=days) if days else None,
    )
    answer = {
        **dump(trigger_token_schema, token),
        "token": secret,
        "trigger_url": f"/api/v1/triggers/{secret}",
    }
    return answer, 201


def delete_trigger_token(dag_id: str, token_id: int) -> tuple[str, int]:
    dag_or_404(dag_id)
    token = get_or_404(
        TriggerToken,
        TriggerToken.id == token_id,
        TriggerToken.dag_id == dag_id,
        TriggerToken.revoked_at.is_(None),
        detail=f"DAG {dag_id!r} has no trigger token {token_id}",
    )
    token.revoked_at = utcnow()
    return "", 204


def _conf(body: dict[str, Any] | bytes | None) -> dict[str, Any]:
    """The run's conf. Without a Content-Type header connexion hands the body over as raw bytes; a form's
    fields are read as the validator parsed them, since connexion joins a repeated field's values."""
    if flask.request.mimetype == FORM:
        return dict(submitted_form())
    if isinstance(body, dict):
        return body
    if not body:
        return {}
    parsed = parse_json(body)
    if not isinstance(parsed, dict):
        raise BadRequest(detail="The request body must be a JSON object (the run's conf)")
    return parsed


def trigger_dag_run_by_token(token: str, body: dict[str, Any] | bytes | None = None) -> dict[str, Any]:
    conf = _conf(body)
    session = db.session()
    with unscoped():  # the token, not a header, says which organization the run belongs to
        found = find_trigger_token(session, token)
    if found is None:
        # Never echo the token: the problem's `instance` is redacted too.
        raise Unauthenticated(detail="The trigger token is unknown, revoked or expired")
    set_request_organization(found.organization_id)
    dag = triggerable_dag(session, found.dag_id)
    found.last_used_at = utcnow()
    actor = trigger_actor(found.id)
    run = create_dag_run(session, dag, RunRequest(conf=conf), triggered_by=actor)
    audit.annotate(owner=actor, dag_id=dag.dag_id, run_id=run.run_id, execution_date=run.logical_date)
    return dump(dag_run_schema, run)
