"""Organization tokens (extension): list, create, read, revoke.

A token belongs to its organization, not to the person who made it: ``user_id`` is NULL and
``created_by`` keeps the creator's name as text. Only the organization's Owners and the deployment's
Admins manage them, and only as themselves: an organization token cannot mint or revoke tokens, so a leaked
one cannot outlive its own revocation through a copy.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from orchestrator_api import db
from orchestrator_api.config import get_settings
from orchestrator_api.models.organization import Organization
from orchestrator_api.models.token import AccessToken
from orchestrator_api.pagination import SortColumn, paginate
from orchestrator_api.problems import PermissionDenied
from orchestrator_api.queries import get_or_404
from orchestrator_api.schemas.common import dump
from orchestrator_api.schemas.tokens import organization_token_request_schema, organization_token_schema
from orchestrator_api.security.organization_tokens import KIND
from orchestrator_api.security.principal import Principal, current_principal
from orchestrator_api.security.token_secrets import issue_organization_token
from orchestrator_api.tenancy.membership import managing_seat
from orchestrator_api.timeutil import utcnow

ORGANIZATION_TOKEN_SORTABLE: dict[str, SortColumn] = {
    "id": AccessToken.id,
    "name": AccessToken.name,
    "role": AccessToken.role,
    "created_at": AccessToken.created_at,
    "expires_at": AccessToken.expires_at,
    "last_used_at": AccessToken.last_used_at,
}


def _managed_organization(principal: Principal, org_id: str) -> Organization:
    """The organization whose tokens the caller manages: 404 unless a member or an Admin, 403 unless an
    Owner or an Admin, and 403 for any token that is not a person's."""
    if principal.method in (KIND, "trigger", "worker"):
        raise PermissionDenied(detail="Organization tokens are managed by people, not by tokens")
    return managing_seat(principal, org_id).organization


def _view(token: AccessToken, org_id: str, secret: str | None = None) -> dict[str, Any]:
    body = {**dump(organization_token_schema, token), "org_id": org_id}
    if secret is not None:
        body["token"] = secret
    return body


def _live_token(organization_pk: int, org_id: str, token_id: int) -> AccessToken:
    return get_or_404(
        AccessToken,
        AccessToken.id == token_id,
        AccessToken.kind == KIND,
        AccessToken.organization_id == organization_pk,
        AccessToken.revoked_at.is_(None),
        title="Token not found",
        detail=f"Organization {org_id!r} has no token {token_id}",
    )


def get_organization_tokens(
    org_id: str, limit: int | None = None, offset: int = 0, order_by: str | None = None
) -> dict[str, Any]:
    organization = _managed_organization(current_principal(), org_id)
    stmt = select(AccessToken).where(
        AccessToken.kind == KIND,
        AccessToken.organization_id == organization.id,
        AccessToken.revoked_at.is_(None),
    )
    page = paginate(
        stmt,
        limit=limit,
        offset=offset,
        order_by=order_by,
        sortable=ORGANIZATION_TOKEN_SORTABLE,
        default="id",
        tiebreak=[AccessToken.id],
    )
    return {
        "organization_tokens": [_view(t, organization.org_id) for t in page.rows],
        "total_entries": page.total,
    }


def post_organization_token(org_id: str, body: dict[str, Any]) -> tuple[dict[str, Any], int]:
    principal = current_principal()
    organization = _managed_organization(principal, org_id)
    request = organization_token_request_schema.load(body)
    settings = get_settings()
    days = min(request.get("expires_in_days", settings.token_default_days), settings.token_max_days)
    token, secret = issue_organization_token(
        db.session(),
        organization.id,
        name=request["name"],
        role=request["role"],
        dag_ids=request["dag_ids"],
        dag_tags=request["dag_tags"],
        created_by=principal.username,
        lifetime=timedelta(days=days),
    )
    return _view(token, organization.org_id, secret), 201


def get_organization_token(org_id: str, token_id: int) -> dict[str, Any]:
    organization = _managed_organization(current_principal(), org_id)
    return _view(_live_token(organization.id, organization.org_id, token_id), organization.org_id)


def delete_organization_token(org_id: str, token_id: int) -> tuple[str, int]:
    organization = _managed_organization(current_principal(), org_id)
    _live_token(organization.id, organization.org_id, token_id).revoked_at = utcnow()
    return "", 204
