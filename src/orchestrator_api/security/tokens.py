"""Bearer and ``Private-Token`` authentication: personal access, session, trigger and organization tokens.

The store is searched by the SHA-256 hash of the presented secret (see ``token_secrets``), so lookups compare
hashes, never secrets. A personal or session token found valid is cached per worker, keyed by an HMAC of the
secret. Every request still runs one query that re-checks revocation, expiry, the user's ``active`` flag and
``auth_version`` and the RBAC version, so a revoked token or a deactivated user is refused on the very next
request everywhere. ``last_used_at`` is written at most once a minute per token, so using a token does not
cost a write per call.
"""

from __future__ import annotations

import hmac
from datetime import datetime, timedelta
from typing import Any

import anyio.to_thread
from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.orm import Session

from orchestrator_api import db
from orchestrator_api.config import get_settings
from orchestrator_api.execution.identity import verify_worker_token
from orchestrator_api.instance import rbac_version_column, secret_key
from orchestrator_api.models.auth import User, user_role
from orchestrator_api.models.token import AccessToken, TriggerToken, access_token_role
from orchestrator_api.problems import Unauthenticated
from orchestrator_api.security.cache import VerifiedToken, credential_key, permissions_for, tokens
from orchestrator_api.security.organization_tokens import find_organization_token
from orchestrator_api.security.principal import (
    BOUND_ORGANIZATION,
    CAN_CREATE,
    CAN_EDIT,
    CAN_READ,
    NARROWED,
    Principal,
    dag_resource,
)
from orchestrator_api.security.token_secrets import (
    ORGANIZATION_PREFIX,
    PERSONAL_PREFIX,
    SESSION_PREFIX,
    TRIGGER_PREFIX,
    WORKER_PREFIX,
    hash_token,
)
from orchestrator_api.tenancy.context import DEFAULT_ORGANIZATION_ID, unscoped
from orchestrator_api.timeutil import utcnow

METHOD_BY_KIND = {"personal": "token", "session": "session"}

# Longer than any secret we issue: anything longer is refused without a query.
_MAX_SECRET_LENGTH = 128
_LAST_USED_RESOLUTION = timedelta(minutes=1)
# What a trigger token may do, whatever it is sent to.
TRIGGER_OPERATIONS = frozenset({"post_dag_run"})


def _plausible(token: str, *prefixes: str) -> bool:
    return len(token) <= _MAX_SECRET_LENGTH and token.startswith(prefixes)


def _expired(expires_at: datetime | None, now: datetime) -> bool:
    return expires_at is not None and expires_at <= now


def _touch(
    model: type[AccessToken] | type[TriggerToken], token_id: int, last_used_at: datetime | None
) -> None:
    """Record the use, unless it was recorded less than a minute ago."""
    now = utcnow()
    if last_used_at is not None and now - last_used_at < _LAST_USED_RESOLUTION:
        return
    with unscoped(), db.transaction() as session:  # by id: the row is found in whichever organization
        session.execute(update(model).where(model.id == token_id).values(last_used_at=now))


# ---------------------------------------------------------------- personal and session tokens


# Built once: it runs on every request with a cached token, and building it cost about as much as running it.
_TOKEN_STATE = (
    select(
        AccessToken.revoked_at,
        AccessToken.expires_at,
        AccessToken.last_used_at,
        User.active,
        User.auth_version,
        rbac_version_column().label("rbac_version"),
    )
    .join(User, User.id == AccessToken.user_id)
    .where(AccessToken.id == bindparam("token_id"))
)


def _verify_access_token(token: str) -> Principal | None:
    key = credential_key(secret_key(), "token", token)
    cached = tokens.get(key)
    if cached is None:
        return _load_access_token(key, token)
    with db.session_factory()() as session:
        row = session.execute(_TOKEN_STATE, {"token_id": cached.token_id}).first()
    if row is None or row.revoked_at is not None or not row.active:
        tokens.drop(key)
        return None
    if _expired(row.expires_at, utcnow()):
        tokens.drop(key)
        raise Unauthenticated(detail="The token has expired; create a new one")
    if row.auth_version != cached.auth_version:
        tokens.drop(key)  # the user's roles (or password, or name) changed: work out the token's roles again
        return _load_access_token(key, token)
    _touch(AccessToken, cached.token_id, row.last_used_at)
    return _principal(cached, row.rbac_version or "0")


def _load_access_token(key: str, token: str) -> Principal | None:
    """The uncached path: find the token by its hash, then the roles it acts with."""
    stmt = (
        select(
            AccessToken.id,
            AccessToken.kind,
            AccessToken.token_hash,
            AccessToken.revoked_at,
            AccessToken.expires_at,
            AccessToken.last_used_at,
            User.id.label("user_id"),
            User.username,
            User.active,
            User.auth_version,
            rbac_version_column().label("rbac_version"),
        )
        .join(User, User.id == AccessToken.user_id)
        .where(AccessToken.token_hash == hash_token(token))
    )
    with db.session_factory()() as session:
        row = session.execute(stmt).first()
        if row is None or not hmac.compare_digest(row.token_hash, hash_token(token)):
            return None
        if row.revoked_at is not None or not row.active:
            return None
        if _expired(row.expires_at, utcnow()):
            raise Unauthenticated(detail="The token has expired; create a new one")
        user_roles = set(
            session.scalars(select(user_role.c.role_id).where(user_role.c.user_id == row.user_id))
        )
        narrowed = set(
            session.scalars(select(access_token_role.c.role_id).where(access_token_role.c.token_id == row.id))
        )
    verified = VerifiedToken(
        token_id=row.id,
        kind=row.kind,
        user_id=row.user_id,
        username=row.username,
        auth_version=row.auth_version,
        # No narrowing: every role the user holds now. Narrowed: only those the user still holds.
        role_ids=frozenset(user_roles & narrowed if narrowed else user_roles),
        narrowed=bool(narrowed),
    )
    tokens.put(key, verified, ttl=get_settings().auth_cache_ttl)
    _touch(AccessToken, row.id, row.last_used_at)
    return _principal(verified, row.rbac_version or "0")


def _principal(verified: VerifiedToken, rbac_version: str) -> Principal:
    return Principal(
        username=verified.username,
        method=METHOD_BY_KIND.get(verified.kind, "token"),
        user_id=verified.user_id,
        role_ids=verified.role_ids,
        permissions=permissions_for(verified.role_ids, rbac_version),
        token_id=verified.token_id,
        extra={NARROWED: True} if verified.narrowed else {},
    )


# ---------------------------------------------------------------- trigger tokens


def find_trigger_token(session: Session, token: str) -> TriggerToken | None:
    """The live trigger token with this secret (not revoked, not expired), or None."""
    if not _plausible(token, TRIGGER_PREFIX):
        return None
    now = utcnow()
    found = session.scalars(
        select(TriggerToken).where(
            TriggerToken.token_hash == hash_token(token),
            TriggerToken.revoked_at.is_(None),
            or_(TriggerToken.expires_at.is_(None), TriggerToken.expires_at > now),
        )
    ).first()
    if found is None or not hmac.compare_digest(found.token_hash, hash_token(token)):
        return None
    return found


def trigger_principal(
    token_id: int, dag_id: str, organization_id: int = DEFAULT_ORGANIZATION_ID
) -> Principal:
    """A trigger token's principal: it may run ``post_dag_run`` on its own DAG, and nothing else."""
    return Principal(
        username=trigger_actor(token_id),
        method="trigger",
        user_id=None,
        role_ids=frozenset(),
        permissions=frozenset(
            {(CAN_READ, dag_resource(dag_id)), (CAN_EDIT, dag_resource(dag_id)), (CAN_CREATE, "DAG Runs")}
        ),
        token_id=token_id,
        allowed_operations=TRIGGER_OPERATIONS,
        extra={BOUND_ORGANIZATION: organization_id},  # its DAG's organization, whatever the request says
    )


def trigger_actor(token_id: int) -> str:
    """How a trigger token appears in audit rows, run records and access logs (never its secret)."""
    return f"trigger-token:{token_id}"


def _verify_trigger_token(token: str) -> Principal | None:
    with unscoped(), db.session_factory()() as session:  # the token says which organization it is in
        found = find_trigger_token(session, token)
        if found is None:
            return None
        token_id, dag_id, organization_id = found.id, found.dag_id, found.organization_id
        last_used_at = found.last_used_at
    _touch(TriggerToken, token_id, last_used_at)
    return trigger_principal(token_id, dag_id, organization_id)


def _verify_organization_token(token: str) -> Principal | None:
    found = find_organization_token(token)
    if found is None:
        return None
    assert found.principal.token_id is not None
    _touch(AccessToken, found.principal.token_id, found.last_used_at)
    return found.principal


# ---------------------------------------------------------------- connexion's hooks


def authenticate_token(token: str) -> Principal | None:
    """The principal for any kind of token, or None when it is not a valid one (401)."""
    token = token.strip()
    if _plausible(token, PERSONAL_PREFIX, SESSION_PREFIX):
        return _verify_access_token(token)
    if _plausible(token, TRIGGER_PREFIX):
        return _verify_trigger_token(token)
    if _plausible(token, WORKER_PREFIX):
        return verify_worker_token(token)
    if _plausible(token, ORGANIZATION_PREFIX):
        return _verify_organization_token(token)
    return None


def token_info(token: str) -> dict[str, Any] | None:
    principal = authenticate_token(token)
    return principal.token_info() if principal else None


async def verify_bearer(token: str) -> dict[str, Any] | None:
    """``x-bearerInfoFunc``: ``Authorization: Bearer <token>``. The lookups block: run in a thread."""
    return await anyio.to_thread.run_sync(token_info, token)


async def verify_private_token(api_key: str) -> dict[str, Any] | None:
    """``x-apikeyInfoFunc``: ``Private-Token: <token>``. The lookups block: run in a thread."""
    return await anyio.to_thread.run_sync(token_info, api_key)
