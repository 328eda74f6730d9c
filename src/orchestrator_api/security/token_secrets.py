"""Issuing tokens: random secrets with a prefix that tells their kind, of which the store keeps only hashes.

A secret is 256 random bits, so a fast hash (SHA-256) is enough to store it: there is nothing to guess, and
verifying never needs a thread. The secret itself exists only in the answer that creates the token.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from orchestrator_api.models.auth import Role, User
from orchestrator_api.models.token import AccessToken, TriggerToken
from orchestrator_api.timeutil import utcnow

PERSONAL_PREFIX = "oapi_pat_"
SESSION_PREFIX = "oapi_ses_"
TRIGGER_PREFIX = "oapi_trg_"
WORKER_PREFIX = "oapi_wrk_"
ORGANIZATION_PREFIX = "oapi_org_"
PREFIX_BY_KIND = {"personal": PERSONAL_PREFIX, "session": SESSION_PREFIX}


@dataclass(frozen=True)
class Secret:
    """A new token's secret (shown once), the hash the store keeps, and the prefix lists may show."""

    token: str
    token_hash: str
    display_prefix: str


def new_secret(prefix: str) -> Secret:
    """A fresh random secret with ``prefix``."""
    token = prefix + secrets.token_urlsafe(32)
    return Secret(token=token, token_hash=hash_token(token), display_prefix=token[: len(prefix) + 6])


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def issue_access_token(
    session: Session, user: User, *, kind: str, name: str, lifetime: timedelta, roles: list[Role]
) -> tuple[AccessToken, str]:
    """Store a new personal or session token for ``user``; returns the row and the secret (shown once)."""
    secret = new_secret(PREFIX_BY_KIND[kind])
    now = utcnow()
    token = AccessToken(
        user_id=user.id,
        kind=kind,
        name=name,
        token_hash=secret.token_hash,
        display_prefix=secret.display_prefix,
        created_at=now,
        expires_at=now + lifetime,
        roles=roles,
    )
    session.add(token)
    session.flush()
    return token, secret.token


def issue_trigger_token(
    session: Session, dag_id: str, *, name: str, created_by: str, lifetime: timedelta | None
) -> tuple[TriggerToken, str]:
    """Store a new trigger token for ``dag_id`` (``lifetime`` None: it never expires); returns the row and
    the secret (shown once)."""
    secret = new_secret(TRIGGER_PREFIX)
    now = utcnow()
    token = TriggerToken(
        dag_id=dag_id,
        name=name,
        token_hash=secret.token_hash,
        display_prefix=secret.display_prefix,
        created_by=created_by,
        created_at=now,
        expires_at=now + lifetime if lifetime is not None else None,
    )
    session.add(token)
    session.flush()
    return token, secret.token


def issue_organization_token(
    session: Session,
    organization_id: int,
    *,
    name: str,
    role: str,
    dag_ids: list[str],
    dag_tags: list[str],
    created_by: str,
    lifetime: timedelta,
) -> tuple[AccessToken, str]:
    """Store a new token owned by the organization (no user); returns the row and the secret (shown once)."""
    secret = new_secret(ORGANIZATION_PREFIX)
    now = utcnow()
    token = AccessToken(
        user_id=None,
        organization_id=organization_id,
        kind="organization",
        name=name,
        role=role,
        dag_ids=sorted(set(dag_ids)),
        dag_tags=sorted(set(dag_tags)),
        token_hash=secret.token_hash,
        display_prefix=secret.display_prefix,
        created_by=created_by,
        created_at=now,
        expires_at=now + lifetime,
    )
    session.add(token)
    session.flush()
    return token, secret.token
