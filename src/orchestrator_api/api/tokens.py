"""Personal access tokens and session tokens (extension): list, create, revoke; exchange a password.

A token acts with its user's roles, or with the subset it was narrowed to, and never with more than the
user holds at the moment it is used. The secret appears once, in the answer that creates it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from orchestrator_api import db
from orchestrator_api.config import get_settings
from orchestrator_api.models.auth import Role, User
from orchestrator_api.models.token import AccessToken
from orchestrator_api.pagination import SortColumn, paginate
from orchestrator_api.problems import AlreadyExists
from orchestrator_api.queries import get_or_404
from orchestrator_api.schemas.common import dump
from orchestrator_api.schemas.tokens import access_token_request_schema, access_token_schema
from orchestrator_api.security.accounts import roles_named, user_or_404
from orchestrator_api.security.principal import Principal, current_principal
from orchestrator_api.security.token_secrets import issue_access_token
from orchestrator_api.timeutil import utcnow

TOKEN_SORTABLE: dict[str, SortColumn] = {
    "id": AccessToken.id,
    "name": AccessToken.name,
    "kind": AccessToken.kind,
    "created_at": AccessToken.created_at,
    "expires_at": AccessToken.expires_at,
    "last_used_at": AccessToken.last_used_at,
}


def _view(token: AccessToken, username: str, secret: str | None = None) -> dict[str, Any]:
    body = {**dump(access_token_schema, token), "username": username}
    if secret is not None:
        body["token"] = secret
    return body


def _token_roles(principal: Principal, user: User, requested: list[Role]) -> list[Role]:
    """The roles to narrow a new token to; empty means "all of the user's roles, whatever they become".

    For someone else (an administrator's call) any of that user's roles may be chosen. For oneself, only
    roles the calling credential acts with: a narrowed token cannot mint a broader one.
    """
    held = {role.id for role in user.roles}
    grantable = held if principal.username != user.username else held & principal.role_ids
    if requested:
        refused = sorted(role.name for role in requested if role.id not in grantable)
        if refused:
            raise AlreadyExists(
                title="Role not held",
                detail=f"A token of {user.username!r} cannot act as {', '.join(map(repr, refused))}",
            )
        return requested
    if grantable == held:
        return []
    if not grantable:
        raise AlreadyExists(title="Role not held", detail="The calling credential has no role to pass on")
    return [role for role in user.roles if role.id in grantable]


def get_user_tokens(
    username: str, limit: int | None = None, offset: int = 0, order_by: str | None = None
) -> dict[str, Any]:
    user = user_or_404(username)
    stmt = (
        select(AccessToken)
        .where(AccessToken.user_id == user.id, AccessToken.revoked_at.is_(None))
        .options(selectinload(AccessToken.roles))
    )
    page = paginate(
        stmt,
        limit=limit,
        offset=offset,
        order_by=order_by,
        sortable=TOKEN_SORTABLE,
        default="id",
        tiebreak=[AccessToken.id],
    )
    return {"access_tokens": [_view(t, user.username) for t in page.rows], "total_entries": page.total}


def post_user_token(username: str, body: dict[str, Any]) -> tuple[dict[str, Any], int]:
    user = user_or_404(username)
    request = access_token_request_schema.load(body)
    roles = _token_roles(current_principal(), user, roles_named(r["name"] for r in request.get("roles", [])))
    settings = get_settings()
    days = min(request.get("expires_in_days", settings.token_default_days), settings.token_max_days)
    token, secret = issue_access_token(
        db.session(),
        user,
        kind="personal",
        name=request["name"],
        lifetime=timedelta(days=days),
        roles=roles,
    )
    return _view(token, user.username, secret), 201


def delete_user_token(username: str, token_id: int) -> tuple[str, int]:
    user = user_or_404(username)
    token = get_or_404(
        AccessToken,
        AccessToken.id == token_id,
        AccessToken.user_id == user.id,
        AccessToken.revoked_at.is_(None),
        detail=f"User {username!r} has no token {token_id}",
    )
    token.revoked_at = utcnow()
    return "", 204


def post_session_token() -> dict[str, Any]:
    principal = current_principal()
    user = get_or_404(User, User.id == principal.user_id, detail="The signed-in user no longer exists")
    hours = get_settings().session_token_hours
    token, secret = issue_access_token(
        db.session(),
        user,
        kind="session",
        name="session",
        lifetime=timedelta(hours=hours),
        roles=[],
    )
    return _view(token, user.username, secret)
