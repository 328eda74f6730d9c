"""Organization tokens (``oapi_org_…``): owned by an organization, acting there only, with a role and an
optional DAG scope.

No user stands behind such a token, so nothing about its creator is checked: it keeps working after they
leave the organization or are deleted. One query per request finds it by hash and re-checks revocation
and expiry, as for every other token. Its permissions are its role's, from the one permission table
(``permissions.ORGANIZATION_TOKEN_PERMISSIONS``); the binding to its organization is applied by
``tenancy.access`` like a trigger token's.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from orchestrator_api import db
from orchestrator_api.models.token import AccessToken
from orchestrator_api.problems import Unauthenticated
from orchestrator_api.security.permissions import ORGANIZATION_TOKEN_PERMISSIONS
from orchestrator_api.security.principal import BOUND_ORGANIZATION, DagScope, Principal
from orchestrator_api.security.token_secrets import hash_token
from orchestrator_api.timeutil import utcnow

KIND = "organization"


@dataclass(frozen=True)
class FoundToken:
    """A live organization token: the principal it acts as, and when it was last recorded as used."""

    principal: Principal
    last_used_at: datetime | None


def organization_actor(token_id: int) -> str:
    """How an organization token appears in audit rows and run records (never its secret)."""
    return f"organization-token:{token_id}"


def find_organization_token(token: str) -> FoundToken | None:
    """The live organization token with this secret, or None (401); an expired one is a 401 that says so."""
    stmt = select(
        AccessToken.id,
        AccessToken.token_hash,
        AccessToken.revoked_at,
        AccessToken.expires_at,
        AccessToken.last_used_at,
        AccessToken.organization_id,
        AccessToken.role,
        AccessToken.dag_ids,
        AccessToken.dag_tags,
    ).where(AccessToken.token_hash == hash_token(token), AccessToken.kind == KIND)
    with db.session_factory()() as session:
        row = session.execute(stmt).first()
    if row is None or not hmac.compare_digest(row.token_hash, hash_token(token)) or row.revoked_at:
        return None
    if row.organization_id is None or row.role not in ORGANIZATION_TOKEN_PERMISSIONS:
        return None
    if row.expires_at <= utcnow():
        raise Unauthenticated(detail="The token has expired; create a new one")
    scope = None
    if row.dag_ids or row.dag_tags:
        scope = DagScope(ids=frozenset(row.dag_ids or ()), tags=frozenset(row.dag_tags or ()))
    principal = Principal(
        username=organization_actor(row.id),
        method=KIND,
        user_id=None,
        role_ids=frozenset(),
        permissions=ORGANIZATION_TOKEN_PERMISSIONS[row.role],
        token_id=row.id,
        dag_scope=scope,
        extra={BOUND_ORGANIZATION: row.organization_id, "organization_role": row.role},
    )
    return FoundToken(principal=principal, last_used_at=row.last_used_at)
